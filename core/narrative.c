/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative.c - the lexicon parser and the analyser.  See narrative.h.
 *
 * The text is cut into word tokens once (lower-cased, ’ read as ',
 * each looked up in the lexicon's vocabulary by hash); every pattern is
 * a short sequence of word ids, classes, numbers and years, indexed by
 * what its first token can be, so each token is compared only with the
 * patterns that can start there.  That keeps the work proportional to
 * the text, not to text times lexicon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/narrative.h"
#include "core/text.h"

#define PAT_MAX		8	/* tokens in a pattern */
#define CLASS_MAX	32
#define WORD_CLASSES	4	/* classes one word may be in */
#define WORD_MAX	64	/* bytes of a vocabulary word */
#define MARKER_MAX	16
#define PRONOUN_MAX	8	/* "pronoun" lines */
#define PRON_PATS_MAX	256

const char *const narr_ids[NARR_INDICATORS] = { "episodic",
    "generalisation", "no_recall", "temporal", "causal", "dead_present",
    "hedge", "filler", "metacognition", "absent_address_anger",
    "unfinished" };

enum { IND_EPISODIC, IND_GENERAL, IND_NO_RECALL, IND_TEMPORAL, IND_CAUSAL,
    IND_DEAD, IND_HEDGE, IND_FILLER, IND_META, IND_ADDRESS, IND_UNFINISHED };

enum pt_type { PT_WORD, PT_CLASS, PT_NUMBER, PT_YEAR };

/* What a pattern is for. */
enum pat_kind { PK_PHRASE, PK_DEATH, PK_PRESENT, PK_ADDRESS, PK_ANGER,
    PK_UNLESS, PK_NOT_ADDRESS, PK_REPORTED };

struct ptok {
	uint8_t		 type;		/* enum pt_type */
	uint8_t		 cls;
	int32_t		 word;
};

struct pattern {
	struct ptok	 t[PAT_MAX];
	uint8_t		 n, kind, ind;
	int8_t		 kin_at;	/* the {class} token a death names */
	int32_t		 next;		/* next pattern with the same start */
};

struct vword {
	char		 w[WORD_MAX];
	uint8_t		 ncls;
	uint8_t		 cls[WORD_CLASSES];
	uint16_t	 canon[WORD_CLASSES];	/* group within the class */
	int32_t		 start;		/* patterns starting with this word */
	int32_t		 chain;		/* hash bucket chain */
	int8_t		 pronoun;	/* its "pronoun" line, or -1 */
};

struct lexicon {
	char		 language[16];
	char		*strings;	/* the about texts, one block */
	struct narr_about about[NARR_INDICATORS];
	struct vword	*words;
	size_t		 nwords, capwords;
	int32_t		*buckets;
	size_t		 nbuckets;
	char		 classes[CLASS_MAX][32];
	size_t		 nclasses;
	int32_t		 start_class[CLASS_MAX], start_number, start_year;
	struct pattern	*pats;
	size_t		 npats, cappats;
	char		 markers[MARKER_MAX][24];
	size_t		 nmarkers;
	/* Per "pronoun" line, the class of the words it refers back to. */
	uint8_t		 pron_cls[PRONOUN_MAX];
	size_t		 npron;
	/* The death, present and reported patterns that start with a
	 * {class}: the ones a pronoun can stand at the head of. */
	int32_t		 pron_pats[PRON_PATS_MAX];
	size_t		 npron_pats;
};

/* ---- small helpers ---- */

static uint32_t
hash_word(const char *s, size_t n)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int32_t
word_find(const struct lexicon *l, const char *w, size_t n)
{
	int32_t	 i;

	if (n >= WORD_MAX)
		return -1;
	for (i = l->buckets[hash_word(w, n) % l->nbuckets]; i >= 0;
	    i = l->words[i].chain)
		if (strncmp(l->words[i].w, w, n) == 0 && l->words[i].w[n] ==
		    '\0')
			return i;
	return -1;
}

/* The vocabulary id of w, added if new. */
static int32_t
word_add(struct lexicon *l, const char *w, size_t n)
{
	struct vword	*v;
	int32_t		 i;
	uint32_t	 b;

	if ((i = word_find(l, w, n)) >= 0)
		return i;
	if (n == 0 || n >= WORD_MAX)
		return -1;
	if (l->nwords == l->capwords) {
		size_t cap = l->capwords ? l->capwords * 2 : 256;

		if ((v = realloc(l->words, cap * sizeof(*v))) == NULL)
			return -1;
		l->words = v;
		l->capwords = cap;
	}
	v = &l->words[l->nwords];
	memset(v, 0, sizeof(*v));
	memcpy(v->w, w, n);
	v->start = -1;
	v->pronoun = -1;
	b = hash_word(w, n) % (uint32_t)l->nbuckets;
	v->chain = l->buckets[b];
	l->buckets[b] = (int32_t)l->nwords;
	return (int32_t)l->nwords++;
}

/* ---- tokens of the text ---- */

#define TF_NUMBER	1
#define TF_YEAR		2
#define TF_PARAGRAPH	4	/* the first word after a blank line */

struct token {
	uint32_t	 start, end;	/* bytes */
	uint32_t	 sentence;
	int32_t		 word;		/* vocabulary id, or -1 */
	uint8_t		 flags;
};

/*
 * The character at p: its length in bytes, and whether it belongs to a
 * word.  Letters and digits do, and so does any other character outside
 * ASCII except the punctuation UTF-8 spells with E2 80 xx (dashes,
 * quotes, the ellipsis; the right single quote is an apostrophe, handled
 * apart), no-break space and guillemets.  A stray continuation byte is a
 * one-byte non-letter.
 */
static size_t
char_at(const unsigned char *p, size_t left, bool *word)
{
	unsigned char	 c = *p;
	size_t		 n;

	if (c < 0x80) {
		*word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
		return 1;
	}
	n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (n > left || n == 1) {
		*word = false;
		return 1;
	}
	*word = !(c == 0xE2 && p[1] == 0x80) && !(c == 0xC2 && (p[1] == 0xA0 ||
	    p[1] == 0xAB || p[1] == 0xBB));
	return n;
}

static bool
word_byte(const unsigned char *p, size_t left)
{
	bool	 w;

	(void)char_at(p, left, &w);
	return w;
}

/* An apostrophe inside a word: ' or ’ before a word character. */
static size_t
apostrophe(const unsigned char *p, size_t left)
{
	size_t	 n = 0;

	if (left >= 1 && p[0] == '\'')
		n = 1;
	else if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99)
		n = 3;
	if (n == 0 || n >= left || !word_byte(p + n, left - n))
		return 0;
	return n;
}

static bool
sentence_end(const unsigned char *p, size_t left)
{
	if (*p == '\n')
		return true;
	if ((*p == '.' || *p == '!' || *p == '?') && (left == 1 ||
	    p[1] == ' ' || p[1] == '\n' || p[1] == '\t' || p[1] == '"' ||
	    p[1] == '\r'))
		return true;
	return false;
}

struct tokens {
	struct token	*t;
	size_t		 n, cap;
};

static SB_MUST enum sb_err
tokenize(const struct lexicon *l, const char *text, size_t len,
    struct tokens *out)
{
	const unsigned char	*p = (const unsigned char *)text;
	char			 w[WORD_MAX];
	size_t			 i = 0, wl, k, digits;
	uint32_t		 sentence = 0;
	struct token		*t;
	long			 y;
	int			 newlines = 0;	/* since the last word */

	while (i < len) {
		bool	 isword;
		size_t	 cl = char_at(p + i, len - i, &isword);

		if (!isword) {
			if (sentence_end(p + i, len - i))
				sentence++;
			/* A blank line: two line ends with only blanks
			 * between them. */
			if (p[i] == '\n')
				newlines++;
			else if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
			    newlines < 2)
				newlines = 0;
			i += cl;
			continue;
		}
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 1024;

			if ((t = realloc(out->t, cap * sizeof(*t))) == NULL)
				return SB_ENOMEM;
			out->t = t;
			out->cap = cap;
		}
		t = &out->t[out->n++];
		t->start = (uint32_t)i;
		t->sentence = sentence;
		wl = 0;
		digits = 0;
		while (i < len) {
			cl = char_at(p + i, len - i, &isword);
			if (isword) {
				for (k = 0; k < cl; k++, wl++)
					if (wl < sizeof(w))
						w[wl] = (char)(p[i + k] >= 'A' &&
						    p[i + k] <= 'Z' ? p[i + k] + 32 :
						    p[i + k]);
				if (p[i] >= '0' && p[i] <= '9')
					digits++;
				i += cl;
			} else if ((k = apostrophe(p + i, len - i)) > 0) {
				if (wl < sizeof(w))
					w[wl] = '\'';
				wl++;
				i += k;
			} else
				break;
		}
		t->end = (uint32_t)i;
		t->word = wl < sizeof(w) ? word_find(l, w, wl) : -1;
		t->flags = newlines >= 2 ? TF_PARAGRAPH : 0;
		newlines = 0;
		if (digits == wl && wl <= 3)
			t->flags |= TF_NUMBER;
		/* "7th" as a number too. */
		if (wl >= 3 && wl <= 4 && digits == wl - 2)
			t->flags |= TF_NUMBER;
		if (digits == wl && wl == 4 && text_int(w, 4, &y) &&
		    y >= 1900 && y <= 2099)
			t->flags |= TF_YEAR;
	}
	return SB_OK;
}

/* ---- matching ---- */

static bool
in_class(const struct lexicon *l, const struct token *t, uint8_t cls,
    uint16_t *canon)
{
	const struct vword	*v;
	size_t			 k;

	if (t->word < 0)
		return false;
	v = &l->words[t->word];
	for (k = 0; k < v->ncls; k++)
		if (v->cls[k] == cls) {
			if (canon)
				*canon = v->canon[k];
			return true;
		}
	return false;
}

static bool
tok_matches(const struct lexicon *l, const struct ptok *pt,
    const struct token *t)
{
	switch (pt->type) {
	case PT_WORD:
		return t->word == pt->word;
	case PT_CLASS:
		return in_class(l, t, pt->cls, NULL);
	case PT_NUMBER:
		return (t->flags & TF_NUMBER) != 0;
	case PT_YEAR:
		return (t->flags & TF_YEAR) != 0;
	}
	return false;
}

/*
 * Does pattern p match at token i (all in one sentence), from its token
 * from on?  From 1: a pronoun at i stands for the pattern's first token.
 */
static bool
pat_from(const struct lexicon *l, const struct pattern *p,
    const struct tokens *ts, size_t i, size_t from)
{
	size_t	 k;

	if (i + p->n > ts->n)
		return false;
	for (k = from; k < p->n; k++) {
		if (ts->t[i + k].sentence != ts->t[i].sentence ||
		    !tok_matches(l, &p->t[k], &ts->t[i + k]))
			return false;
	}
	return true;
}

static bool
pat_at(const struct lexicon *l, const struct pattern *p,
    const struct tokens *ts, size_t i)
{
	return pat_from(l, p, ts, i, 0);
}

/* Is a pattern of kind kind, indicator ind, at token i? */
static bool
any_at(const struct lexicon *l, uint8_t kind, uint8_t ind,
    const struct tokens *ts, size_t i)
{
	size_t	 k;

	for (k = 0; k < l->npats; k++)
		if (l->pats[k].kind == kind && l->pats[k].ind == ind &&
		    pat_at(l, &l->pats[k], ts, i))
			return true;
	return false;
}

static SB_MUST enum sb_err
add_span(struct narr_count *c, size_t start, size_t end)
{
	struct narr_span	*s;

	if (c->nspans == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		if ((s = realloc(c->spans, cap * sizeof(*s))) == NULL)
			return SB_ENOMEM;
		c->spans = s;
		c->cap = cap;
	}
	c->spans[c->nspans].start = start;
	c->spans[c->nspans].end = end;
	c->nspans++;
	c->count++;
	return SB_OK;
}

/* Visits the patterns that can start at token i. */
#define FOR_STARTS(l, t, pi, body) do {					\
	int32_t	 heads_[2 + WORD_CLASSES + 1];				\
	size_t	 nh_ = 0, h_;						\
	if ((t)->word >= 0) {						\
		const struct vword *v_ = &(l)->words[(t)->word];	\
		size_t c_;						\
		heads_[nh_++] = v_->start;				\
		for (c_ = 0; c_ < v_->ncls; c_++)			\
			heads_[nh_++] = (l)->start_class[v_->cls[c_]];	\
	}								\
	if ((t)->flags & TF_NUMBER)					\
		heads_[nh_++] = (l)->start_number;			\
	if ((t)->flags & TF_YEAR)					\
		heads_[nh_++] = (l)->start_year;			\
	for (h_ = 0; h_ < nh_; h_++)					\
		for ((pi) = heads_[h_]; (pi) >= 0;			\
		    (pi) = (l)->pats[(pi)].next) {			\
			body						\
		}							\
} while (0)

/* Death mentions seen so far: the canonical kin named, per class. */
struct dead {
	uint16_t	 canon[64];
	uint8_t		 cls[64];
	size_t		 n;
};

static bool
is_dead(const struct dead *d, uint8_t cls, uint16_t canon)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		if (d->cls[i] == cls && d->canon[i] == canon)
			return true;
	return false;
}

/* What the scan carries from token to token. */
struct scan {
	size_t		 free_at[NARR_INDICATORS];	/* no match before */
	struct dead	 dead;
	/* Per "pronoun" line, the latest word of its class in this
	 * paragraph (a token index), or -1. */
	int64_t		 referent[PRONOUN_MAX];
	bool		 reported;	/* this sentence reports speech */
};

/*
 * A pronoun at token i ("she"): the patterns that start with a {class}
 * are tried with the pronoun in that place.  For a death or a present
 * tense the pronoun stands for the latest word of its class in the
 * paragraph ("My grandmother died. She loves ...": she is the
 * grandmother), and counts only when that word is of the pattern's
 * class; for reported speech ("she said: you ...") any third person
 * will do.
 */
static SB_MUST enum sb_err
pronoun(const struct lexicon *l, const struct tokens *ts, size_t i,
    struct scan *sc, struct narr_result *r)
{
	const struct token	*t = &ts->t[i];
	int64_t			 ref = sc->referent[l->words[t->word].pronoun];
	const struct pattern	*p;
	uint16_t		 canon;
	size_t			 k;

	for (k = 0; k < l->npron_pats; k++) {
		p = &l->pats[l->pron_pats[k]];
		if (!pat_from(l, p, ts, i, 1))
			continue;
		if (p->kind == PK_REPORTED) {
			sc->reported = true;
			continue;
		}
		if (ref < 0 || !in_class(l, &ts->t[ref], p->t[0].cls, &canon))
			continue;
		if (p->kind == PK_DEATH && sc->dead.n < 64 &&
		    !is_dead(&sc->dead, p->t[0].cls, canon)) {
			sc->dead.cls[sc->dead.n] = p->t[0].cls;
			sc->dead.canon[sc->dead.n++] = canon;
		} else if (p->kind == PK_PRESENT && i >= sc->free_at[IND_DEAD] &&
		    is_dead(&sc->dead, p->t[0].cls, canon) &&
		    !any_at(l, PK_UNLESS, IND_DEAD, ts, i + p->n)) {
			sc->free_at[IND_DEAD] = i + p->n;
			return add_span(&r->ind[IND_DEAD], t->start,
			    ts->t[i + p->n - 1].end);
		}
	}
	return SB_OK;
}

/* Notes the words a pronoun may refer back to; a blank line forgets. */
static void
referents(const struct lexicon *l, const struct tokens *ts, size_t i,
    struct scan *sc)
{
	size_t	 k;

	if (ts->t[i].flags & TF_PARAGRAPH)
		for (k = 0; k < l->npron; k++)
			sc->referent[k] = -1;
	if (ts->t[i].word < 0 || l->words[ts->t[i].word].ncls == 0)
		return;
	for (k = 0; k < l->npron; k++)
		if (in_class(l, &ts->t[i], l->pron_cls[k], NULL))
			sc->referent[k] = (int64_t)i;
}

/*
 * One pass over the tokens: phrase indicators (longest match at each
 * token, none overlapping within an indicator, dropped when followed by
 * an "unless-next"), deaths and present tense about the dead (a pronoun
 * read as its referent), and per sentence the "you" and anger words for
 * absent_address_anger, unless the sentence reports someone's speech.
 */
static SB_MUST enum sb_err
scan(const struct lexicon *l, const struct tokens *ts, struct narr_result *r)
{
	struct scan	 sc;
	size_t		*free_at = sc.free_at, i, k;
	size_t		 best[NARR_INDICATORS];
	size_t		 addr_s = 0, addr_e = 0, anger_s = 0, anger_e = 0;
	bool		 addr = false, anger = false;
	uint32_t	 sentence = 0;
	int32_t		 pi;
	uint16_t	 canon;
	enum sb_err	 e = SB_OK;

	memset(&sc, 0, sizeof(sc));
	for (k = 0; k < PRONOUN_MAX; k++)
		sc.referent[k] = -1;
	for (i = 0; i < ts->n && e == SB_OK; i++) {
		const struct token *t = &ts->t[i];

		if (t->sentence != sentence) {
			if (addr && anger && !sc.reported)
				e = add_span(&r->ind[IND_ADDRESS],
				    addr_s < anger_s ? addr_s : anger_s,
				    addr_e > anger_e ? addr_e : anger_e);
			addr = anger = sc.reported = false;
			sentence = t->sentence;
		}
		referents(l, ts, i, &sc);
		if (e == SB_OK && t->word >= 0 &&
		    l->words[t->word].pronoun >= 0)
			e = pronoun(l, ts, i, &sc, r);
		memset(best, 0, sizeof(best));
		FOR_STARTS(l, t, pi, {
			const struct pattern *p = &l->pats[pi];

			if (!pat_at(l, p, ts, i))
				continue;
			switch (p->kind) {
			case PK_PHRASE:
			case PK_PRESENT:
				if (p->n > best[p->ind])
					best[p->ind] = p->n;
				break;
			case PK_DEATH:
				if (p->kin_at >= 0 && sc.dead.n < 64 &&
				    in_class(l, &ts->t[i + (size_t)p->kin_at],
				    p->t[p->kin_at].cls, &canon) &&
				    !is_dead(&sc.dead, p->t[p->kin_at].cls,
				    canon)) {
					sc.dead.cls[sc.dead.n] =
					    p->t[p->kin_at].cls;
					sc.dead.canon[sc.dead.n++] = canon;
				}
				break;
			case PK_REPORTED:
				sc.reported = true;
				break;
			case PK_ADDRESS:
				if (!addr && !any_at(l, PK_NOT_ADDRESS, p->ind,
				    ts, i)) {
					addr = true;
					addr_s = t->start;
					addr_e = t->end;
				}
				break;
			case PK_ANGER:
				/* The span runs from the first of the "you"
				 * and the anger to the last of them. */
				if (!anger)
					anger_s = t->start;
				anger = true;
				anger_e = ts->t[i + p->n - 1].end;
				break;
			}
		});
		for (k = 0; k < NARR_INDICATORS && e == SB_OK; k++) {
			size_t n = best[k];

			if (n == 0 || i < free_at[k] ||
			    any_at(l, PK_UNLESS, (uint8_t)k, ts, i + n))
				continue;
			if (k == IND_DEAD) {
				/* The present pattern starts with {kin}:
				 * it counts only for someone said dead. */
				const struct pattern *p = NULL;

				FOR_STARTS(l, t, pi, {
					if (l->pats[pi].kind == PK_PRESENT &&
					    l->pats[pi].n == n &&
					    pat_at(l, &l->pats[pi], ts, i))
						p = &l->pats[pi];
				});
				if (p == NULL || !in_class(l, t, p->t[0].cls,
				    &canon) || !is_dead(&sc.dead, p->t[0].cls,
				    canon))
					continue;
			}
			free_at[k] = i + n;
			e = add_span(&r->ind[k], t->start, ts->t[i + n - 1].end);
		}
	}
	if (e == SB_OK && addr && anger && !sc.reported)
		e = add_span(&r->ind[IND_ADDRESS], addr_s < anger_s ? addr_s :
		    anger_s, addr_e > anger_e ? addr_e : anger_e);
	return e;
}

/* Markers of an unfinished sentence: before a new sentence or a line
 * end, not inside one ("and then -- after school -- we left"). */
static SB_MUST enum sb_err
unfinished(const struct lexicon *l, const char *text, size_t len,
    struct narr_count *c)
{
	size_t		 i, k, m, j;
	enum sb_err	 e = SB_OK;

	for (i = 0; i < len && e == SB_OK; i++) {
		for (k = 0; k < l->nmarkers; k++) {
			m = strlen(l->markers[k]);
			if (m > len - i || memcmp(text + i, l->markers[k], m) != 0)
				continue;
			for (j = i + m; j < len && (text[j] == ' ' ||
			    text[j] == '\t' || text[j] == '"' || text[j] == ')');
			    j++)
				;
			if (j == len || text[j] == '\n' || text[j] == '\r' ||
			    (text[j] >= 'A' && text[j] <= 'Z')) {
				e = add_span(c, i, i + m);
				i += m - 1;
				break;
			}
		}
	}
	return e;
}

enum sb_err
narrative_analyze(const struct lexicon *l, const char *text, size_t len,
    struct narr_result *r)
{
	struct tokens	 ts = { NULL, 0, 0 };
	size_t		 k;
	enum sb_err	 e;

	memset(r, 0, sizeof(*r));
	/* Token offsets are 32 bits: 4 GB of one narrative is not a story. */
	if (len > UINT32_MAX)
		return SB_ELIMIT;
	if ((e = tokenize(l, text, len, &ts)) == SB_OK &&
	    (e = scan(l, &ts, r)) == SB_OK)
		e = unfinished(l, text, len, &r->ind[IND_UNFINISHED]);
	r->words = ts.n;
	free(ts.t);
	for (k = 0; k < NARR_INDICATORS; k++)
		r->ind[k].per_1000 = r->words ? (double)r->ind[k].count *
		    1000.0 / (double)r->words : 0;
	if (e != SB_OK)
		narr_result_free(r);
	return e;
}

void
narr_result_free(struct narr_result *r)
{
	size_t	 k;

	for (k = 0; k < NARR_INDICATORS; k++)
		free(r->ind[k].spans);
	memset(r, 0, sizeof(*r));
}

/* Code points in text[from, to), continuing a count. */
static size_t
code_points(const char *text, size_t from, size_t to)
{
	size_t	 n = 0;

	for (; from < to; from++)
		if (((unsigned char)text[from] & 0xC0) != 0x80)
			n++;
	return n;
}

enum sb_err
narr_result_json(const struct narr_result *r, const char *text, size_t len,
    struct buf *out)
{
	size_t	 k, s, at, cp, st;

	(void)len;
	buf_printf(out, "{\"words\": %zu, \"indicators\": [", r->words);
	for (k = 0; k < NARR_INDICATORS; k++) {
		const struct narr_count *c = &r->ind[k];

		buf_printf(out, "%s{\"id\": \"%s\", \"count\": %zu, "
		    "\"per_1000\": %.1f, \"spans\": [", k ? ", " : "",
		    narr_ids[k], c->count, c->per_1000);
		at = cp = 0;
		for (s = 0; s < c->nspans; s++) {
			/* Spans are in text order: count on from the last. */
			cp += code_points(text, at, c->spans[s].start);
			st = cp;
			cp += code_points(text, c->spans[s].start,
			    c->spans[s].end);
			at = c->spans[s].end;
			buf_printf(out, "%s[%zu, %zu]", s ? ", " : "", st, cp);
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "]}\n");
	return out->err;
}

/* ---- the lexicon file ---- */

struct lparse {
	struct lexicon	*l;
	const char	*name;
	size_t		 line;
	char		*err;
	size_t		 errsz;
	int		 ind;		/* current indicator, -1 none */
	int		 cls;		/* current class, -1 none */
	uint16_t	 group;		/* next group of the class */
	struct buf	 strings;
	size_t		 about_at[NARR_INDICATORS][5];
	bool		 about_set[NARR_INDICATORS][5];
};

static SB_MUST enum sb_err __attribute__((format(printf, 2, 3)))
lfail(struct lparse *lp, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(lp->err, lp->errsz, "%s:%zu: ", lp->name, lp->line);
	if (n < 0 || (size_t)n >= lp->errsz)
		return SB_EINVAL;
	va_start(ap, fmt);
	vsnprintf(lp->err + n, lp->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return SB_EINVAL;
}

static int
class_find(const struct lexicon *l, const char *name, size_t n)
{
	size_t	 i;

	for (i = 0; i < l->nclasses; i++)
		if (strlen(l->classes[i]) == n && strncmp(l->classes[i], name,
		    n) == 0)
			return (int)i;
	return -1;
}

/* Next word of s (space separated) into [*w, *w + *n); false at end. */
static bool
next_word(const char **s, const char **w, size_t *n)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
	if (**s == '\0')
		return false;
	*w = *s;
	while (**s != '\0' && **s != ' ' && **s != '\t')
		(*s)++;
	*n = (size_t)(*s - *w);
	return true;
}

static SB_MUST enum sb_err
class_line(struct lparse *lp, const char *rest)
{
	struct lexicon	*l = lp->l;
	struct vword	*v;
	const char	*w;
	size_t		 n;
	int32_t		 id;

	char		 poss[WORD_MAX];
	int		 k;

	while (next_word(&rest, &w, &n)) {
		/* The word, and its possessive ("mother's") as the same
		 * member: "my {kin} funeral" reads "my mother's funeral". */
		for (k = 0; k < 2; k++) {
			if (n + 2 >= WORD_MAX)
				return lfail(lp, "a word of at most %d bytes",
				    WORD_MAX - 3);
			memcpy(poss, w, n);
			memcpy(poss + n, "'s", 2);
			if ((id = word_add(l, poss, n + (size_t)k * 2)) < 0)
				return SB_ENOMEM;
			v = &l->words[id];
			if (v->ncls == WORD_CLASSES)
				return lfail(lp, "\"%.*s\" is in more than %d "
				    "classes", (int)n, w, WORD_CLASSES);
			v->cls[v->ncls] = (uint8_t)lp->cls;
			v->canon[v->ncls++] = lp->group;
		}
	}
	lp->group++;
	return SB_OK;
}

static SB_MUST enum sb_err
pattern_line(struct lparse *lp, enum pat_kind kind, const char *rest)
{
	struct lexicon	*l = lp->l;
	struct pattern	*p;
	const char	*w;
	size_t		 n;
	int		 c;

	if (l->npats == l->cappats) {
		size_t cap = l->cappats ? l->cappats * 2 : 256;

		if ((p = realloc(l->pats, cap * sizeof(*p))) == NULL)
			return SB_ENOMEM;
		l->pats = p;
		l->cappats = cap;
	}
	p = &l->pats[l->npats];
	memset(p, 0, sizeof(*p));
	p->kind = (uint8_t)kind;
	p->ind = (uint8_t)lp->ind;
	p->kin_at = -1;
	p->next = -1;
	while (next_word(&rest, &w, &n)) {
		if (p->n == PAT_MAX)
			return lfail(lp, "a pattern of at most %d words",
			    PAT_MAX);
		if (n >= 2 && w[0] == '{' && w[n - 1] == '}') {
			if (n == 8 && strncmp(w, "{NUMBER}", 8) == 0)
				p->t[p->n].type = PT_NUMBER;
			else if (n == 6 && strncmp(w, "{YEAR}", 6) == 0)
				p->t[p->n].type = PT_YEAR;
			else if ((c = class_find(l, w + 1, n - 2)) >= 0) {
				p->t[p->n].type = PT_CLASS;
				p->t[p->n].cls = (uint8_t)c;
				if (p->kin_at < 0)
					p->kin_at = (int8_t)p->n;
			} else
				return lfail(lp, "no class %.*s", (int)n, w);
		} else {
			char	 low[WORD_MAX];
			size_t	 k;

			if (n >= WORD_MAX)
				return lfail(lp, "a word of at most %d bytes",
				    WORD_MAX - 1);
			for (k = 0; k < n; k++)
				low[k] = (char)(w[k] >= 'A' && w[k] <= 'Z' ?
				    w[k] + 32 : w[k]);
			p->t[p->n].type = PT_WORD;
			if ((p->t[p->n].word = word_add(l, low, n)) < 0)
				return SB_ENOMEM;
		}
		p->n++;
	}
	if (p->n == 0)
		return lfail(lp, "an empty pattern");
	if (kind == PK_PRESENT && p->t[0].type != PT_CLASS)
		return lfail(lp, "a present pattern starts with a {class}");
	if (kind == PK_DEATH && p->kin_at < 0)
		return lfail(lp, "a death pattern names a {class}");
	l->npats++;
	return SB_OK;
}

static SB_MUST enum sb_err
about_line(struct lparse *lp, size_t field, const char *rest)
{
	if (lp->about_set[lp->ind][field])
		return lfail(lp, "said twice");
	lp->about_at[lp->ind][field] = lp->strings.len;
	lp->about_set[lp->ind][field] = true;
	buf_add(&lp->strings, rest, strlen(rest) + 1);
	return lp->strings.err;
}

/* One field line inside an indicator. */
static SB_MUST enum sb_err
indicator_line(struct lparse *lp, const char *key, size_t klen,
    const char *rest)
{
	static const struct {
		const char	*key;
		int		 kind;		/* enum pat_kind, or -1 - about */
	} keys[] = {
		{ "phrase", PK_PHRASE }, { "death", PK_DEATH },
		{ "present", PK_PRESENT }, { "address", PK_ADDRESS },
		{ "anger", PK_ANGER }, { "unless-next", PK_UNLESS },
		{ "not-address", PK_NOT_ADDRESS },
		{ "reported", PK_REPORTED },
		{ "title", -1 }, { "definition", -2 }, { "research", -3 },
		{ "strength", -4 }, { "false-positives", -5 },
	};
	size_t	 k, m;

	if (klen == 6 && strncmp(key, "marker", 6) == 0) {
		if (lp->ind != IND_UNFINISHED)
			return lfail(lp, "markers belong to unfinished");
		if (lp->l->nmarkers == MARKER_MAX || strlen(rest) >= 24 ||
		    rest[0] == '\0')
			return lfail(lp, "at most %d markers of 1-23 bytes",
			    MARKER_MAX);
		snprintf(lp->l->markers[lp->l->nmarkers++], 24, "%s", rest);
		return SB_OK;
	}
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		m = strlen(keys[k].key);
		if (m != klen || strncmp(key, keys[k].key, m) != 0)
			continue;
		if (keys[k].kind < 0)
			return about_line(lp, (size_t)(-keys[k].kind - 1), rest);
		return pattern_line(lp, (enum pat_kind)keys[k].kind, rest);
	}
	return lfail(lp, "unknown field \"%.*s\"", (int)klen, key);
}

/* "pronoun she female": she refers back to the latest word of female. */
static SB_MUST enum sb_err
pronoun_line(struct lparse *lp, const char *rest)
{
	struct lexicon	*l = lp->l;
	const char	*w, *c, *x;
	size_t		 n, cn, xn;
	int32_t		 id;
	int		 cls;

	if (!next_word(&rest, &w, &n) || !next_word(&rest, &c, &cn) ||
	    next_word(&rest, &x, &xn))
		return lfail(lp, "pronoun WORD CLASS (\"pronoun she female\")");
	if ((cls = class_find(l, c, cn)) < 0)
		return lfail(lp, "no class %.*s (the class comes before the "
		    "pronoun that refers to it)", (int)cn, c);
	if (l->npron == PRONOUN_MAX)
		return lfail(lp, "at most %d pronouns", PRONOUN_MAX);
	if (n >= WORD_MAX)
		return lfail(lp, "a word of at most %d bytes", WORD_MAX - 1);
	if ((id = word_add(l, w, n)) < 0)
		return SB_ENOMEM;
	if (l->words[id].pronoun >= 0)
		return lfail(lp, "pronoun %.*s twice", (int)n, w);
	l->words[id].pronoun = (int8_t)l->npron;
	l->pron_cls[l->npron++] = (uint8_t)cls;
	return SB_OK;
}

static SB_MUST enum sb_err
top_line(struct lparse *lp, const char *key, size_t klen, const char *rest)
{
	struct lexicon	*l = lp->l;
	size_t		 k;

	lp->ind = lp->cls = -1;
	if (klen == 8 && strncmp(key, "language", 8) == 0) {
		if (strlen(rest) == 0 || strlen(rest) >= sizeof(l->language))
			return lfail(lp, "language is a short code (\"en\")");
		snprintf(l->language, sizeof(l->language), "%s", rest);
		return SB_OK;
	}
	if (klen == 4 && strncmp(key, "name", 4) == 0)
		return SB_OK;
	if (klen == 7 && strncmp(key, "pronoun", 7) == 0)
		return pronoun_line(lp, rest);
	if (klen == 5 && strncmp(key, "class", 5) == 0) {
		if (class_find(l, rest, strlen(rest)) >= 0)
			return lfail(lp, "class %s twice", rest);
		if (l->nclasses == CLASS_MAX || strlen(rest) == 0 ||
		    strlen(rest) >= sizeof(l->classes[0]))
			return lfail(lp, "at most %d classes, names under 32 "
			    "bytes", CLASS_MAX);
		snprintf(l->classes[l->nclasses], sizeof(l->classes[0]), "%s",
		    rest);
		lp->cls = (int)l->nclasses++;
		lp->group = 0;
		return SB_OK;
	}
	if (klen == 9 && strncmp(key, "indicator", 9) == 0) {
		for (k = 0; k < NARR_INDICATORS; k++)
			if (strcmp(narr_ids[k], rest) == 0)
				break;
		if (k == NARR_INDICATORS)
			return lfail(lp, "no indicator \"%.40s\" (the ids are "
			    "fixed: see docs/narrative.md)", rest);
		if (lp->about_set[k][0])
			return lfail(lp, "indicator %s twice", rest);
		lp->ind = (int)k;
		return SB_OK;
	}
	return lfail(lp, "unknown line \"%.*s\"", (int)klen, key);
}

/* Links each pattern into the start list of its first token. */
static void
index_starts(struct lexicon *l)
{
	size_t		 i;
	int32_t		*head;
	struct pattern	*p;

	for (i = 0; i < CLASS_MAX; i++)
		l->start_class[i] = -1;
	l->start_number = l->start_year = -1;
	l->npron_pats = 0;
	for (i = 0; i < l->npats; i++) {
		p = &l->pats[i];
		if (p->kind == PK_UNLESS || p->kind == PK_NOT_ADDRESS)
			continue;	/* matched on purpose, not searched */
		if ((p->kind == PK_PRESENT || p->kind == PK_REPORTED ||
		    (p->kind == PK_DEATH && p->kin_at == 0)) &&
		    p->t[0].type == PT_CLASS && l->npron_pats < PRON_PATS_MAX)
			l->pron_pats[l->npron_pats++] = (int32_t)i;
		switch (p->t[0].type) {
		case PT_WORD:
			head = &l->words[p->t[0].word].start;
			break;
		case PT_CLASS:
			head = &l->start_class[p->t[0].cls];
			break;
		case PT_NUMBER:
			head = &l->start_number;
			break;
		default:
			head = &l->start_year;
			break;
		}
		p->next = *head;
		*head = (int32_t)i;
	}
}

static SB_MUST enum sb_err
lex_lines(struct lparse *lp, const char *text, size_t len)
{
	char		 line[1024];
	const char	*p = text, *end = text + len, *nl, *key, *rest;
	size_t		 n, klen;
	bool		 indented;
	enum sb_err	 e;

	for (; p < end; p = nl + 1) {
		lp->line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n >= sizeof(line))
			return lfail(lp, "a line of at most %zu bytes",
			    sizeof(line) - 1);
		if (!utf8_valid(p, n))
			return lfail(lp, "not valid UTF-8");
		memcpy(line, p, n);
		line[n] = '\0';
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		    line[n - 1] == '\r'))
			line[--n] = '\0';
		indented = line[0] == ' ' || line[0] == '\t';
		key = line;
		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '\0' || *key == '#')
			continue;
		klen = strcspn(key, " \t");
		rest = key + klen;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (!indented)
			e = top_line(lp, key, klen, rest);
		else if (lp->cls >= 0)
			e = class_line(lp, key);
		else if (lp->ind >= 0)
			e = indicator_line(lp, key, klen, rest);
		else
			e = lfail(lp, "an indented line outside a class or an "
			    "indicator");
		if (e != SB_OK)
			return e;
	}
	return SB_OK;
}

enum sb_err
lexicon_parse(const char *name, const char *text, size_t len,
    struct lexicon **out, char *err, size_t errsz)
{
	static const char *const field[] = { "title", "definition",
	    "research", "strength", "false-positives" };
	struct lparse	 lp;
	struct lexicon	*l;
	size_t		 k, f;
	enum sb_err	 e;

	*out = NULL;
	memset(&lp, 0, sizeof(lp));
	lp.name = name;
	lp.err = err;
	lp.errsz = errsz;
	lp.ind = lp.cls = -1;
	if (len > LEX_MAX_SIZE) {
		snprintf(err, errsz, "%s: larger than %d bytes", name,
		    LEX_MAX_SIZE);
		return SB_ELIMIT;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return SB_ENOMEM;
	l->nbuckets = 4096;
	if ((l->buckets = malloc(l->nbuckets * sizeof(*l->buckets))) == NULL) {
		free(l);
		return SB_ENOMEM;
	}
	memset(l->buckets, 0xff, l->nbuckets * sizeof(*l->buckets));
	lp.l = l;
	buf_init(&lp.strings, LEX_MAX_SIZE);
	e = lex_lines(&lp, text, len);
	for (k = 0; e == SB_OK && k < NARR_INDICATORS; k++)
		for (f = 0; e == SB_OK && f < 5; f++)
			if (!lp.about_set[k][f]) {
				lp.line = 0;
				e = lfail(&lp, "indicator %s has no %s", narr_ids[k],
				    field[f]);
			}
	if (e == SB_OK && l->language[0] == '\0')
		e = lfail(&lp, "no language line");
	if (e == SB_OK && l->nmarkers == 0)
		e = lfail(&lp, "unfinished has no marker");
	for (k = 0, f = 0; e == SB_OK && k < l->npats; k++)
		if ((l->pats[k].kind == PK_PRESENT ||
		    l->pats[k].kind == PK_REPORTED ||
		    (l->pats[k].kind == PK_DEATH && l->pats[k].kin_at == 0)) &&
		    l->pats[k].t[0].type == PT_CLASS && ++f > PRON_PATS_MAX)
			e = lfail(&lp, "more than %d death, present and "
			    "reported patterns start with a {class}",
			    PRON_PATS_MAX);
	if (e != SB_OK) {
		buf_free(&lp.strings);
		lexicon_free(l);
		return e;
	}
	l->strings = buf_take(&lp.strings);
	for (k = 0; k < NARR_INDICATORS; k++) {
		l->about[k].id = narr_ids[k];
		l->about[k].title = l->strings + lp.about_at[k][0];
		l->about[k].definition = l->strings + lp.about_at[k][1];
		l->about[k].research = l->strings + lp.about_at[k][2];
		l->about[k].strength = l->strings + lp.about_at[k][3];
		l->about[k].false_positives = l->strings + lp.about_at[k][4];
	}
	index_starts(l);
	*out = l;
	return SB_OK;
}

void
lexicon_free(struct lexicon *l)
{
	if (l == NULL)
		return;
	free(l->strings);
	free(l->words);
	free(l->buckets);
	free(l->pats);
	free(l);
}

const char *
lexicon_language(const struct lexicon *l)
{
	return l->language;
}

const struct narr_about *
lexicon_about(const struct lexicon *l, size_t i)
{
	return i < NARR_INDICATORS ? &l->about[i] : NULL;
}

/* ---- the prompts file ---- */

#define PROMPTS_MAX	64

void
narr_prompts_free(struct narr_prompt *p, size_t n)
{
	size_t	 i;

	for (i = 0; p != NULL && i < n; i++)
		free(p[i].text);
	free(p);
}

enum sb_err
narr_prompts_parse(const char *name, const char *text, size_t len,
    struct narr_prompt **out, size_t *n, char *err, size_t errsz)
{
	struct narr_prompt	*p;
	struct buf		 b;
	const char		*at = text, *end = text + len, *nl, *w;
	size_t			 line = 0, m, k;
	enum sb_err		 e = SB_OK;

	*out = NULL;
	*n = 0;
	if ((p = calloc(PROMPTS_MAX, sizeof(*p))) == NULL)
		return SB_ENOMEM;
	buf_init(&b, 4096);
	for (; at < end && e == SB_OK; at = nl + 1) {
		line++;
		if ((nl = memchr(at, '\n', (size_t)(end - at))) == NULL)
			nl = end;
		m = (size_t)(nl - at);
		for (w = at; w < nl && (*w == ' ' || *w == '\t'); w++)
			;
		if (w == nl || *w == '#')
			continue;
		if (w == at) {
			if (m < 8 || strncmp(at, "prompt ", 7) != 0 ||
			    m - 7 > 32 || *n == PROMPTS_MAX) {
				snprintf(err, errsz, "%s:%zu: \"prompt KEY\" "
				    "(a key of at most 32 bytes, at most %d "
				    "prompts)", name, line, PROMPTS_MAX);
				e = SB_EINVAL;
				break;
			}
			for (k = 7; k < m; k++)
				if (!((at[k] >= 'a' && at[k] <= 'z') ||
				    (at[k] >= '0' && at[k] <= '9') ||
				    at[k] == '-'))
					break;
			if (k < m) {
				snprintf(err, errsz, "%s:%zu: a prompt key is "
				    "a-z, 0-9 and -", name, line);
				e = SB_EINVAL;
				break;
			}
			memcpy(p[*n].key, at + 7, m - 7);
			(*n)++;
			continue;
		}
		if (*n == 0) {
			snprintf(err, errsz, "%s:%zu: text before the first "
			    "prompt", name, line);
			e = SB_EINVAL;
			break;
		}
		/* Text lines join with a space. */
		buf_reset(&b);
		if (p[*n - 1].text != NULL)
			buf_printf(&b, "%s ", p[*n - 1].text);
		buf_add(&b, w, (size_t)(nl - w));
		if ((e = b.err) == SB_OK && !utf8_valid(b.data, b.len)) {
			snprintf(err, errsz, "%s:%zu: not valid UTF-8", name,
			    line);
			e = SB_EINVAL;
		}
		free(p[*n - 1].text);
		if ((p[*n - 1].text = strdup(b.data ? b.data : "")) == NULL)
			e = SB_ENOMEM;
	}
	for (k = 0; e == SB_OK && k < *n; k++)
		if (p[k].text == NULL) {
			snprintf(err, errsz, "%s: prompt %s has no text", name,
			    p[k].key);
			e = SB_EINVAL;
		}
	buf_free(&b);
	if (e != SB_OK) {
		narr_prompts_free(p, *n);
		*n = 0;
		return e;
	}
	*out = p;
	return SB_OK;
}
