/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_demo.c - `securebase demo`: a demo practice of synthetic clients
 * with courses of therapy, served on 127.0.0.1.
 *
 * Everything is invented and deterministic (the same practice every
 * time, dated back from today): twelve clients, six months of weekly
 * sessions, measures every two weeks, attachment measures at intake and
 * later, life events and people, plans and the alerts those answers
 * raise, and a couple seen together.  Some clients improve, some do not,
 * one deteriorates (and is not on track), one endorses a critical item.
 * A colleague's 28 former clients in completed episodes give the
 * practice its expected paths.  Nothing here is anyone's data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "cli/cli.h"
#include "app/record.h"
#include "core/score.h"
#include "core/text.h"
#include "store/kiosk.h"
#include "store/store.h"

#define WEEKS	26

struct course {
	const char	*name;
	double		 phq_from, phq_to;	/* PHQ-9 totals */
	double		 anx_from, anx_to;	/* ECR-R anxiety means */
	double		 avo_from, avo_to;
	int		 critical_week;		/* -1: none */
};

static const struct course courses[] = {
	{ "Mara Quill",		19, 6, 5.4, 3.6, 3.0, 2.6, -1 },
	{ "Jonah Brightwater",	16, 9, 4.8, 4.0, 4.9, 3.8, -1 },
	{ "Ines Calloway",	11, 20, 4.2, 5.1, 2.8, 3.4, 18 },
	{ "Theo Marchetti",	14, 13, 3.6, 3.5, 5.2, 5.0, -1 },
	{ "Saanvi Okafor",	21, 8, 5.8, 4.1, 2.2, 2.0, 4 },
	{ "Rowan Ellery",	9, 4, 3.1, 2.7, 3.9, 3.0, -1 },
	{ "Lotte Haverkamp",	17, 15, 5.0, 4.8, 5.5, 5.4, -1 },
	{ "Dev Ramaswamy",	13, 5, 4.5, 3.2, 4.1, 3.0, -1 },
	{ "Noor Abdelrahman",	22, 12, 6.1, 4.9, 3.3, 3.0, -1 },
	{ "Felix Oduya",	8, 7, 2.6, 2.5, 4.4, 4.3, -1 },
	{ "Greta Solberg",	15, 7, 4.9, 3.3, 2.4, 2.2, -1 },
	{ "Wren Castellano",	18, 17, 5.5, 5.3, 5.1, 4.9, -1 },
};

#define NCOURSES	(sizeof(courses) / sizeof(courses[0]))

/* Deterministic wobble in -1..1 for item i of week w of client c. */
static int
wobble(size_t c, size_t w, size_t i)
{
	unsigned long	 h = (c + 1) * 2654435761UL ^ (w + 1) * 40503UL ^
	    (i + 7) * 2246822519UL;

	return (int)((h >> 13) % 3) - 1;
}

static double
lerp(double a, double b, size_t w)
{
	return a + (b - a) * (double)w / (double)(WEEKS - 1);
}

/*
 * Fills the answers so that the score's items, after reversal, add up to
 * about per_item times their number (within a point), spread evenly and
 * within each item's options.
 */
static void
fill(const struct score_plan *p, const struct instrument *in,
    const struct instr_score *sc, double per_item, size_t c, size_t w,
    int16_t *a)
{
	size_t	 k, it, n = sc->nitems;
	long	 total, base, extra;
	int	 lo, hi, keyed;

	total = (long)(per_item * (double)n + 0.5) + wobble(c, w, 0);
	if (total < 0)
		total = 0;
	base = total / (long)n;
	extra = total % (long)n;
	for (k = 0; k < n; k++) {
		it = sc->items[k];
		score_answer_range(p, it, &lo, &hi);
		keyed = (int)base + ((k + c + w) % n < (size_t)extra);
		if (keyed < lo)
			keyed = lo;
		if (keyed > hi)
			keyed = hi;
		a[it] = (int16_t)(in->items[it].reverse ? lo + hi - keyed :
		    keyed);
	}
}

static SB_MUST enum sb_err
give(struct store *s, const struct registry *reg, const char *id,
    int64_t client, size_t c, size_t w, double a1, double a2, bool crit,
    const char *when)
{
	const struct reg_entry	*re = registry_find(reg, id);
	struct score_plan	*p;
	struct record_opts	 ro = { "self", "link", NULL, true, 0, when, 0,
	    false };
	struct record_out	 rr;
	int16_t			 a[INSTR_MAX_ITEMS];
	size_t			 i, n;
	enum sb_err		 e;

	if (re == NULL || score_plan_new(re->in, 0, 0, &p) != SB_OK)
		return SB_ENOENT;
	for (i = 0; i < re->in->nitems; i++)
		a[i] = (int16_t)re->in->optsets[re->in->items[i].optset].min;
	n = re->in->nscores;
	/* First score gets a1; a second (avoidance) gets a2. */
	fill(p, re->in, &re->in->scores[0], a1, c, w, a);
	if (n > 1 && re->in->scores[1].method == METHOD_MEAN)
		fill(p, re->in, &re->in->scores[1], a2, c, w, a);
	for (i = 0; i < re->in->nitems; i++)
		if (re->in->items[i].critical)
			a[i] = crit ? (int16_t)re->in->items[i].critical_min : 0;
	e = record_administration(s, p, client, a, &ro, &rr);
	score_plan_free(p);
	return e;
}

static void
day(time_t start, size_t w, int extra, char *out, size_t n, bool full)
{
	time_t		 t = start + (time_t)(w * 7 + (size_t)extra) * 86400;
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, n, full ? "%Y-%m-%dT10:00:00Z" : "%Y-%m-%d", &tm);
}

/*
 * The practice's clock at week w (plus extra days) of a story begun at
 * start, 10:00 as day() writes it: what is recorded then (a client
 * added, an answer and the alert it raises, a draft) is dated then, so
 * that the demo tells its story in its own times.
 */
static void
at_week(time_t start, size_t w, int extra)
{
	time_t	 t = start + (time_t)(w * 7 + (size_t)extra) * 86400;

	clock_pin((int64_t)(t - t % 86400 + 10 * 3600));
}

/* ---- the demo's attachment histories ---- */

struct family {
	struct store	*s;
	int64_t		 client;
	enum sb_err	 e;
};

static int64_t
who(struct family *f, const char *name, const char *role, const char *gender,
    int born, int died)
{
	struct store_person	 p = { name, role, gender, born, died, NULL };
	int64_t			 id = 0;

	if (f->e == SB_OK)
		f->e = store_person_add(f->s, f->client, &p, &id);
	return id;
}

static void
tie(struct family *f, int64_t a, int64_t b, const char *type,
    const char *start, const char *end)
{
	struct store_relationship r = { a, b, type, start, end, NULL };
	int64_t			 id;

	if (f->e == SB_OK && a != 0 && b != 0)
		f->e = store_relationship_add(f->s, f->client, &r, &id);
}

static void
children(struct family *f, int64_t p1, int64_t p2, const int64_t *kids,
    size_t n, const char *type)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		tie(f, p1, kids[i], type, NULL, NULL);
		tie(f, p2, kids[i], type, NULL, NULL);
	}
}

static void
event(struct family *f, const char *category, const char *date, int age,
    int end_age, int valence, int intensity, const char *note)
{
	struct store_event	 ev = { category, date, age, valence, intensity,
	    note, NULL, end_age };
	int64_t			 id;

	if (f->e == SB_OK)
		f->e = store_event_add(f->s, f->client, &ev, &id);
}

static const char *const emotional_of_mother[] = { "close", "conflictual",
    "distant", "fused", "close", "hostile", "repaired", "close",
    "conflictual", "distant", "close", "cut-off" };
static const char *const emotional_of_father[] = { "distant", "cut-off",
    "hostile", "close", "abusive", "close", "cut-off", "distant", "close",
    "conflictual", "repaired", "distant" };

/*
 * A family for demo client c: three generations for most, with the
 * variety a caseload has (divorce and remarriage, adoption, foster care,
 * twins, a same-sex couple, early losses, cut-offs that repeat), so the
 * map and the lifeline have something to show.  Synthetic throughout.
 */
static SB_MUST enum sb_err
history(struct store *s, int64_t client, size_t c, const char *name)
{
	struct family	 f = { s, client, SB_OK };
	int		 born = 1972 + (int)(c * 2 % 20);
	int64_t		 self, mum, dad, gm, gf, pgm, pgf, sib[3], kid[2];
	int64_t		 partner, ex, step, half, friend, foster, twin = 0;
	const char	*g = c % 3 == 1 ? "male" : c % 3 == 2 ? "nonbinary" :
			    "female";
	size_t		 ns = 0;
	char		 date[16];

	self = who(&f, name, "self", g, born, 0);
	mum = who(&f, "Mother", "mother", "female", born - 26 - (int)(c % 5),
	    c == 6 ? born + 30 : 0);
	dad = who(&f, "Father", "father", "male", born - 29 - (int)(c % 4),
	    c % 4 == 2 ? born + 15 + (int)c : 0);
	gm = who(&f, "Grandmother (maternal)", NULL, "female", born - 52,
	    born + 20);
	gf = who(&f, "Grandfather (maternal)", NULL, "male", born - 55,
	    born + 3 + (int)c);
	tie(&f, gf, gm, "married", NULL, NULL);
	tie(&f, gm, mum, "parent", NULL, NULL);
	tie(&f, gf, mum, "parent", NULL, NULL);
	if (c % 2 == 0) {
		pgm = who(&f, "Grandmother (paternal)", NULL, "female",
		    born - 58, 0);
		pgf = who(&f, "Grandfather (paternal)", NULL, "male", born - 60,
		    born - 2);
		tie(&f, pgf, pgm, "married", NULL, NULL);
		children(&f, pgf, pgm, &dad, 1, "parent");
		tie(&f, pgf, dad, c % 4 == 0 ? "cut-off" : "distant", NULL,
		    NULL);
	}
	/* The parents, and what became of them. */
	snprintf(date, sizeof(date), "%d", born - 3);
	if (c % 4 == 1) {
		tie(&f, dad, mum, "divorced", date, NULL);
		step = who(&f, "Stepfather", NULL, "male", born - 31, 0);
		tie(&f, mum, step, "married", NULL, NULL);
		tie(&f, step, self, "step", NULL, NULL);
		half = who(&f, "Half-brother", NULL, "male", born + 8, 0);
		children(&f, mum, step, &half, 1, "parent");
		event(&f, "divorce", NULL, 5 + (int)(c % 3), -1, -2, 4,
		    "Parents divorced; lived with mother.");
	} else
		tie(&f, dad, mum, c % 4 == 3 ? "separated" : "married", date,
		    NULL);
	if (c == 7) {
		children(&f, mum, dad, &self, 1, "adopted");
		event(&f, "repair", NULL, 0, -1, 2, 4, "Adopted as a baby.");
	} else
		children(&f, mum, dad, &self, 1, "parent");
	if (c % 3 != 2)
		sib[ns++] = who(&f, "Older sister", NULL, "female", born - 3, 0);
	if (c == 5)
		twin = sib[ns++] = who(&f, "Twin brother", NULL, "male", born,
		    0);
	if (c % 2 == 1)
		sib[ns++] = who(&f, "Younger brother", NULL, "male", born + 4,
		    0);
	children(&f, mum, dad, sib, ns, "parent");
	if (twin != 0)
		tie(&f, self, twin, "twin", NULL, NULL);
	if (c == 9) {
		foster = who(&f, "Foster mother", NULL, "female", born - 40, 0);
		tie(&f, foster, self, "foster", NULL, NULL);
		tie(&f, self, foster, "close", NULL, NULL);
		event(&f, "separation", NULL, 7, 10, -3, 5, "Taken into foster "
		    "care for three years.");
	}
	/* The client's own couple and children. */
	snprintf(date, sizeof(date), "%d", born + 26);
	partner = who(&f, c % 6 == 4 ? "Partner (wife)" : "Partner", "partner",
	    c % 6 == 4 ? "female" : c % 2 ? "female" : "male", born - 1, 0);
	if (c % 4 == 3) {
		ex = who(&f, "Former partner", NULL, "male", born - 2, 0);
		tie(&f, self, ex, "divorced", NULL, NULL);
		kid[0] = who(&f, "Daughter", NULL, "female", born + 24, 0);
		children(&f, self, ex, kid, 1, "parent");
		event(&f, "divorce", NULL, 30, -1, -2, 3, "Own divorce.");
	}
	tie(&f, self, partner, c % 3 == 0 ? "married" : "cohabiting", date,
	    NULL);
	if (c % 3 == 0) {
		kid[0] = who(&f, "Son", NULL, "male", born + 30, 0);
		kid[1] = who(&f, "Younger son", NULL, "male", born + 33, 0);
		children(&f, self, partner, kid, 2, "parent");
	}
	friend = who(&f, "Best friend", "best friend", "female", born, 0);
	/* Emotional ties: the heart of the map. */
	tie(&f, self, mum, emotional_of_mother[c % 12], NULL, NULL);
	tie(&f, dad, self, emotional_of_father[c % 12], NULL, NULL);
	tie(&f, self, friend, "close", NULL, NULL);
	tie(&f, self, partner, c % 5 == 1 ? "conflictual" : "close", NULL,
	    NULL);
	if (c % 3 == 1)
		tie(&f, gm, mum, "cut-off", NULL, NULL);
	if (ns > 0)
		tie(&f, self, sib[0], c % 2 ? "repaired" : "close", NULL, NULL);
	/* The lifeline. */
	event(&f, "separation", NULL, 3 + (int)(c % 5), -1, -2, 4,
	    "A long hospital stay of mother's; cared for by grandparents.");
	event(&f, "move", NULL, 11, -1, -1, 2, "Family moved to another "
	    "city.");
	if (c % 4 == 2)
		event(&f, "loss", NULL, 15 + (int)c, -1, -3, 5, "Father died.");
	if (c % 5 == 3)
		event(&f, "neglect", NULL, 6, 9, -3, 4, "Left alone for long "
		    "stretches while a parent drank.");
	event(&f, "achievement", NULL, 21, -1, 2, 3, "Finished training.");
	event(&f, "illness", NULL, 28 + (int)(c % 6), 29 + (int)(c % 6), -2,
	    3, "A year of depression.");
	snprintf(date, sizeof(date), "%d", born + 20);
	event(&f, "loss", date, -1, -1, -3, 4, "Grandmother died.");
	event(&f, "repair", NULL, 35 + (int)(c % 8), -1, 2, 3,
	    "Reconnected with a sibling after years apart.");
	return f.e;
}

/*
 * Months into therapy the history has grown: a memory recovered, a tie
 * seen differently; kept as the "month 6" snapshot to compare with
 * intake.
 */
static SB_MUST enum sb_err
later_history(struct store *s, int64_t client, size_t c)
{
	struct family	 f = { s, client, SB_OK };
	int64_t		 id;

	event(&f, c % 2 ? "abuse" : "separation", NULL, 8 + (int)(c % 3), -1,
	    -3, 4, "Remembered in session: a frightening stretch with an "
	    "uncle.");
	if (f.e == SB_OK)
		f.e = store_snapshot_add(s, client, "month 6", &id);
	return f.e;
}

/*
 * Narratives of the demo: three prompts, each written two or three times
 * over the months, the later drafts with more episodes, causes and
 * reflection and fewer "don't remember"s, as revisions in therapy often
 * go.  Synthetic text, written for the demo.
 */
static const char *const caregivers[] = {
	"My mother was always fine. I had a normal childhood. I don't "
	"remember much, it's a blank really. Dad was never there, you know, "
	"and stuff.",
	"My mother was always there, I suppose. When I was six she was in "
	"hospital for a long time and I stayed with my grandmother. I don't "
	"remember how long. Dad worked away, so we hardly saw him.",
	"Looking back, my mother was there for the practical things but not "
	"when I was frightened. When I was six she went into hospital, and "
	"because nobody explained it, I thought it was my fault. At the time "
	"I thought she had left because of me; now I realise she was very "
	"ill. Dad worked away, so my grandmother became the one I ran to.",
};
static const char *const loss[] = {
	"My grandmother died. It was fine. I don't really remember the "
	"funeral. Why did you never tell me she was dying? I hate you for "
	"that, I was going to --",
	"My grandmother died in the spring when I was twenty. Then "
	"everything went quiet at home. I don't remember the name of the "
	"hospital, but I remember the smell of the corridor and her hand. "
	"Looking back, I was angry with my mother because she kept it from "
	"me.",
};
static const char *const upset[] = {
	"When I was upset I went to my room. Nobody came. Maybe that was "
	"normal, I guess, and stuff.",
	"When I was upset I went to my room, because crying made Dad angry. "
	"One night when I was eight I had a fever and my grandmother sat "
	"with me until morning. Looking back, she was the one who noticed.",
};

static SB_MUST enum sb_err
demo_narratives(struct store *s, int64_t client, size_t c)
{
	size_t		 i;
	int		 v;
	enum sb_err	 e = SB_OK;

	/* Two drafts by the client; for some, a third revised in session. */
	for (i = 0; e == SB_OK && i < (c % 2 == 0 ? 3 : 2); i++)
		e = store_narrative_save(s, client, "caregivers", caregivers[i],
		    i < 2, &v);
	for (i = 0; e == SB_OK && i < 2; i++)
		e = store_narrative_save(s, client, "loss", loss[i], true, &v);
	for (i = 0; e == SB_OK && i < 2 && c % 3 != 2; i++)
		e = store_narrative_save(s, client, "upset", upset[i], true, &v);
	return e;
}

/* ECR-RS about the four figures: anxiety and avoidance for each. */
static SB_MUST enum sb_err
give_ecr_rs(struct store *s, const struct registry *reg, int64_t client,
    size_t c, size_t w, const char *when)
{
	const struct reg_entry	*re = registry_find(reg, "ecr-rs");
	struct score_plan	*p;
	struct record_opts	 ro = { "self", "in-session", NULL, true, 0,
	    when, 0, false };
	struct record_out	 rr;
	int16_t			 a[INSTR_MAX_ITEMS];
	size_t			 k;
	enum sb_err		 e;

	if (re == NULL || score_plan_new(re->in, 0, 0, &p) != SB_OK)
		return SB_ENOENT;
	for (k = 0; k < re->in->nitems; k++)
		a[k] = (int16_t)re->in->optsets[re->in->items[k].optset].min;
	for (k = 0; k < 8; k++) {
		/* mother, father, partner, friend; anxiety then avoidance */
		double v = 1.5 + (double)((c * 7 + k * 3 + w) % 9) * 0.6;

		fill(p, re->in, &re->in->scores[k], v, c, w, a);
	}
	e = record_administration(s, p, client, a, &ro, &rr);
	score_plan_free(p);
	return e;
}

/*
 * The practice's past: FORMER clients of a colleague, each a completed
 * 12-week episode with a PHQ-9 every two weeks, ending before the
 * caseload's clients began.  Their first scores spread from 7 to 24 and
 * most improve, some a little, a few not: the practice's own part of
 * the expected path, beside the published course, and a client going
 * the other way (Ines Calloway) is then not on track.
 */
#define FORMER	28

static SB_MUST enum sb_err
former_clients(struct store *s, const struct registry *reg, time_t start)
{
	char		 name[48], date[32], when[32];
	time_t		 from;
	size_t		 c, w;
	int64_t		 client, id;
	double		 first, last, phq;
	enum sb_err	 e = SB_OK;

	for (c = 0; e == SB_OK && c < FORMER; c++) {
		from = start - (time_t)(60 - c) * 7 * 86400;
		first = 7.0 + (double)((c * 7) % 18);
		/* Most improve, by as little as a tenth or as much as
		 * seven tenths; every seventh not at all. */
		last = c % 7 == 3 ? first + 1 : first * (0.3 + 0.1 *
		    (double)(c % 8));
		snprintf(name, sizeof(name), "Former client %zu", c + 1);
		at_week(from, 0, 0);
		if ((e = store_client_add(s, name, &client)) != SB_OK)
			break;
		day(from, 0, 0, date, sizeof(date), false);
		if ((e = store_episode_start(s, client, date, &id)) != SB_OK)
			break;
		for (w = 0; e == SB_OK && w <= 12; w += 2) {
			at_week(from, w, 0);
			day(from, w, 0, when, sizeof(when), true);
			/* Two points up or down from week to week, as
			 * scores go. */
			phq = first + (last - first) * (double)w / 12.0 +
			    (w == 0 ? 0 : 2.0 * wobble(c, w, 3));
			phq = phq < 0 ? 0 : phq;
			e = give(s, reg, "phq9", client, c + 100, w, phq / 9.0,
			    0, false, when);
		}
		day(from, 12, 1, date, sizeof(date), false);
		at_week(from, 12, 1);
		if (e == SB_OK)
			e = store_episode_end(s, id, date, NULL);
	}
	return e;
}

/* Plans and addresses for the caseload: the attachment template's
 * sendable measures, a fortnightly CORE-10 for some. */
static SB_MUST enum sb_err
demo_plans(struct store *s, int64_t client, size_t c, time_t start)
{
	struct store_plan	 p;
	char			 addr[64];
	int64_t			 id;
	enum sb_err		 e;

	memset(&p, 0, sizeof(p));
	p.client = client;
	p.start = (int64_t)start;
	p.remind_days = 3;
	p.expire_days = 7;
	snprintf(addr, sizeof(addr), "client%zu@example.org", c + 1);
	if (c % 4 != 3 && (e = store_client_email(s, client, addr, NULL)) != SB_OK)
		return e;
	snprintf(p.instrument, sizeof(p.instrument), "phq9");
	snprintf(p.rule, sizeof(p.rule), "sessions");
	snprintf(p.spec, sizeof(p.spec), "every");
	if ((e = store_plan_add(s, &p, &id)) != SB_OK)
		return e;
	snprintf(p.instrument, sizeof(p.instrument), "wai-sr");
	snprintf(p.spec, sizeof(p.spec), "3,6,9");
	if ((e = store_plan_add(s, &p, &id)) != SB_OK)
		return e;
	if (c % 2 == 1)
		return SB_OK;
	snprintf(p.instrument, sizeof(p.instrument), "core10");
	snprintf(p.rule, sizeof(p.rule), "days");
	snprintf(p.spec, sizeof(p.spec), "14");
	return store_plan_add(s, &p, &id);
}

/*
 * A couple seen together: each answers their own measures (the ECR-RS
 * about the other among them) through their own links; the therapist
 * sees both on one plane.  Over the six months each one's anxiety and
 * avoidance about the other ease, hers more than his.
 */
static const struct {
	const char	*name;
	double		 anx_from, anx_to, avo_from, avo_to, phq_from, phq_to;
} partners[] = {
	{ "Amara Lindqvist", 5.6, 3.4, 2.6, 2.2, 15, 7 },
	{ "Jonas Lindqvist", 2.4, 2.2, 5.8, 4.4, 11, 8 },
};

static SB_MUST enum sb_err
ecr_rs_about_partner(struct store *s, const struct registry *reg,
    int64_t client, size_t c, size_t w, double anx, double avo,
    const char *when)
{
	const struct reg_entry	*re = registry_find(reg, "ecr-rs");
	const struct instrument	*in;
	struct score_plan	*p;
	struct record_opts	 ro = { "self", "link", NULL, true, 0, when, 0,
	    false };
	struct record_out	 rr;
	int16_t			 a[INSTR_MAX_ITEMS];
	size_t			 k;
	enum sb_err		 e;

	if (re == NULL || score_plan_new(re->in, 0, 0, &p) != SB_OK)
		return SB_ENOENT;
	in = re->in;
	for (k = 0; k < in->nitems; k++)
		a[k] = (int16_t)in->optsets[in->items[k].optset].min;
	for (k = 0; k < in->nscores; k++)
		if (in->scores[k].method == METHOD_MEAN)
			fill(p, in, &in->scores[k], strcmp(in->scores[k].id,
			    "partner.anxiety") == 0 ? anx : strcmp(
			    in->scores[k].id, "partner.avoidance") == 0 ? avo :
			    3.0, c, w, a);
	e = record_administration(s, p, client, a, &ro, &rr);
	score_plan_free(p);
	return e;
}

static SB_MUST enum sb_err
couple(struct store *s, const struct registry *reg, time_t start)
{
	char		 date[32], when[32];
	int64_t		 ids[2], id;
	size_t		 c, w;
	enum sb_err	 e = SB_OK;

	at_week(start, 0, 0);
	for (c = 0; e == SB_OK && c < 2; c++)
		e = store_client_add(s, partners[c].name, &ids[c]);
	if (e != SB_OK || (e = store_case_add(s, "couple", ids, 2, &id)) !=
	    SB_OK)
		return e;
	for (c = 0; e == SB_OK && c < 2; c++) {
		day(start, 0, 0, date, sizeof(date), false);
		if ((e = store_episode_start(s, ids[c], date, &id)) != SB_OK)
			break;
		for (w = 0; e == SB_OK && w < WEEKS; w += 2) {
			at_week(start, w, 1);
			day(start, w, 1, date, sizeof(date), false);
			day(start, w, 1, when, sizeof(when), true);
			e = store_session_add(s, ids[c], date, "attended",
			    NULL, &id);
			if (e == SB_OK)
				e = give(s, reg, "phq9", ids[c], c + 50, w,
				    lerp(partners[c].phq_from,
				    partners[c].phq_to, w) / 9.0, 0, false,
				    when);
			if (e == SB_OK && (w == 0 || w == 12 || w == 24))
				e = ecr_rs_about_partner(s, reg, ids[c],
				    c + 50, w, lerp(partners[c].anx_from,
				    partners[c].anx_to, w), lerp(
				    partners[c].avo_from, partners[c].avo_to,
				    w), when);
		}
	}
	return e;
}

/* The alerts the therapist had handled by the demo's day. */
struct handled {
	struct { int64_t id; time_t at; bool risk; } v[64];
	size_t		 n;
	time_t		 before;	/* raised before this */
};

static SB_MUST enum sb_err
alert_seen(void *arg, const struct store_alert *a)
{
	struct handled	*h = arg;
	int64_t		 t;

	if (h->n < sizeof(h->v) / sizeof(h->v[0]) &&
	    text_iso_seconds(a->created, &t) && (time_t)t < h->before) {
		h->v[h->n].id = a->id;
		h->v[h->n].at = (time_t)t;
		h->v[h->n].risk = strcmp(a->rule, "critical-item") == 0;
		h->n++;
	}
	return SB_OK;
}

/*
 * A story told in its own times leaves no alert of weeks ago open: a
 * risk answer was phoned about the next morning, the other alerts talked
 * through in the next session, and resolved.  Those of the last two
 * weeks are still open, for the triage to show.
 */
static SB_MUST enum sb_err
handle_old_alerts(struct store *s, time_t end)
{
	struct handled	 h = { .n = 0, .before = end - 14 * 86400 };
	size_t		 i;
	enum sb_err	 e;

	if ((e = store_alert_open_each(s, alert_seen, &h)) != SB_OK)
		return e;
	for (i = 0; e == SB_OK && i < h.n; i++) {
		clock_pin((int64_t)h.v[i].at + 86400);
		e = store_alert_move(s, h.v[i].id, "resolved", h.v[i].risk ?
		    "Phoned the next morning; the safety plan reviewed "
		    "together." : "Talked through in the next session; the "
		    "plan kept.");
	}
	return e;
}

static SB_MUST enum sb_err
build(struct store *s, const struct registry *reg, time_t start)
{
	const struct course	*k;
	char			 date[32], when[32];
	size_t			 c, w;
	int64_t			 client, id, ids[NCOURSES];
	double			 phq;
	enum sb_err		 e = SB_OK;

	/* The caseload's clients first (numbers 1-12, as the docs show
	 * them), then the colleague's former clients: the caseload's
	 * answers are then judged against the practice's completed
	 * episodes. */
	at_week(start, 0, 0);
	for (c = 0; e == SB_OK && c < NCOURSES; c++)
		e = store_client_add(s, courses[c].name, &ids[c]);
	if (e != SB_OK || (e = store_act_as(s, "colleague")) != SB_OK ||
	    (e = former_clients(s, reg, start)) != SB_OK ||
	    (e = store_act_as(s, "therapist")) != SB_OK)
		return e;
	for (c = 0; e == SB_OK && c < NCOURSES; c++) {
		k = &courses[c];
		client = ids[c];
		at_week(start, 0, 0);
		if ((e = history(s, client, c, k->name)) != SB_OK ||
		    (e = store_snapshot_add(s, client, "at intake", &id)) !=
		    SB_OK)
			break;
		day(start, 0, 0, date, sizeof(date), false);
		if ((e = store_episode_start(s, client, date, &id)) != SB_OK)
			break;
		for (w = 0; e == SB_OK && w < WEEKS; w++) {
			at_week(start, w, 0);
			day(start, w, 0, date, sizeof(date), false);
			day(start, w, 0, when, sizeof(when), true);
			e = store_session_add(s, client, date, w % 9 == 8 ?
			    "cancelled" : "attended", w % 4 == 0 ? "Explored "
			    "early separations and how they echo now." : NULL,
			    &id);
			phq = lerp(k->phq_from, k->phq_to, w);
			if (e == SB_OK && w % 2 == 0)
				e = give(s, reg, "phq9", client, c, w,
				    phq / 9.0, 0, (int)w == k->critical_week,
				    when);
			if (e == SB_OK && w % 2 == 0)
				e = give(s, reg, "gad7", client, c, w,
				    phq * 0.8 / 7.0, 0, false, when);
			if (e == SB_OK && w % 4 == 0)
				e = give(s, reg, "core10", client, c, w,
				    phq * 1.1 / 10.0, 0, false, when);
			if (e == SB_OK && (w == 0 || w == 12 || w == 24))
				e = give(s, reg, "ecr-r", client, c, w,
				    lerp(k->anx_from, k->anx_to, w),
				    lerp(k->avo_from, k->avo_to, w), false,
				    when);
			if (e == SB_OK && (w == 1 || w == 20))
				e = give_ecr_rs(s, reg, client, c, w, when);
			if (e == SB_OK && (w == 3 || w == 8 || w == 16 ||
			    w == 24))
				e = give(s, reg, "wai-sr", client, c, w,
				    3.0 + (double)w / 12.0, 0, false, when);
		}
		/* Ines answers a PHQ-9 at home yesterday morning, the risk
		 * item endorsed again: the one alert the triage shows as
		 * not yet acknowledged. */
		if (e == SB_OK && c == 2) {
			at_week(start, WEEKS - 1, 6);
			day(start, WEEKS - 1, 6, when, sizeof(when), true);
			e = give(s, reg, "phq9", client, c, WEEKS - 1,
			    lerp(k->phq_from, k->phq_to, WEEKS - 1) / 9.0, 0,
			    true, when);
		}
		/* Life going on during the therapy: on the lifeline and on
		 * the measure charts. */
		if (e == SB_OK && (c == 0 || c == 2)) {
			struct family	 f = { s, client, SB_OK };

			day(start, c == 0 ? 16 : 10, 3, date, sizeof(date),
			    false);
			event(&f, c == 0 ? "achievement" : "loss", date, -1, -1,
			    c == 0 ? 2 : -3, c == 0 ? 3 : 5, c == 0 ? "A new "
			    "job she wanted." : "Her father's second stroke.");
			if (c == 2 && f.e == SB_OK) {
				day(start, 18, 2, date, sizeof(date), false);
				event(&f, "move", date, -1, -1, -1, 3, "Moved in "
				    "with her sister to help.");
			}
			e = f.e;
		}
		/* What therapy brought up by month 6, and its snapshot; the
		 * plans and the narratives of the last weeks. */
		at_week(start, WEEKS - 1, 2);
		if (e == SB_OK)
			e = later_history(s, client, c);
		if (e == SB_OK)
			e = demo_plans(s, client, c, start);
		if (e == SB_OK)
			e = demo_narratives(s, client, c);
	}
	if (e == SB_OK)
		e = couple(s, reg, start);
	if (e == SB_OK)
		e = handle_old_alerts(s, start + (time_t)WEEKS * 7 * 86400);
	/* What came in before the last week was read in its week: the
	 * inbox holds the last week's. */
	if (e == SB_OK) {
		at_week(start, WEEKS - 2, 6);
		day(start, WEEKS - 2, 6, when, sizeof(when), true);
		e = store_response_seen(s, 0, when, (int64_t)start +
		    (int64_t)((WEEKS - 2) * 7 + 6) * 86400);
	}
	/* A practice's name, as a client sees it above their questions. */
	if (e == SB_OK && (e = store_act_as(s, "admin")) == SB_OK)
		e = store_setting_set(s, SET_PRACTICE_NAME, "Harbour Practice "
		    "(a demo)");
	if (e == SB_OK)
		e = store_act_as(s, "therapist");
	return e;
}

int
cmd_demo(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *port = "8080";
	bool			 no_serve = false;
	struct opt		 opts[] = {
		{ "port", &port, NULL, NULL },
		{ "no-serve", NULL, &no_serve, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	static const char *const licensed[] = { "ecr-r", "ecr-rs", "wai-sr" };
	struct registry		 reg = { NULL, 0 };
	struct ctx		 sctx;
	struct store_key	 key = { "var/demo.db.key", NULL };
	const char		*db = "var/demo.db";
	bool			 in_pg = false;
	struct store		*s = NULL;
	unsigned char		 raw[9];
	char			 pw[32], err[1024], origin[64], listen[32];
	char			 code[KIOSK_CODE + 1];
	char			*sargv[6];
	size_t			 npos, i;
	long			 p;
	int			 rc;
	int64_t			 id;
	time_t			 start = (time_t)clock_now() - (time_t)WEEKS * 7 * 86400;
	int64_t			 was;
	bool			 ok;

	if ((rc = opts_parse("demo", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	/* Into an empty PostgreSQL database, with a new key file of its
	 * own, instead of var/demo.db (a file --db or SECUREBASE_DB is not
	 * the demo's: it stays untouched). */
	if (ctx->db != NULL && !store_is_file(ctx->db)) {
		if (ctx->keyfile == NULL)
			return usage_error("demo", "a demo in PostgreSQL needs "
			    "--key-file KEYPATH (a new file) beside --db");
		db = ctx->db;
		key.file = ctx->keyfile;
		in_pg = true;
	}
	if (!cli_id(port, &id) || id > 65535)
		return usage_error("demo", "--port is 1-65535");
	p = (long)id;
	if (sodium_init() < 0)
		return EXIT_RUNTIME;
	if (mkdir("var", 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "securebase demo: var: %s\n", strerror(errno));
		return EXIT_RUNTIME;
	}
	/* A fresh demo each time: it holds nothing worth keeping. */
	if (!in_pg) {
		unlink("var/demo.db");
		unlink("var/demo.db-wal");
		unlink("var/demo.db-shm");
		unlink("var/demo.db.key");
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(pw, sizeof(pw), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (store_init(db, &key, "admin", pw, err, sizeof(err)) != SB_OK ||
	    store_open(db, &key, &s, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase demo: %s\n", err);
		return EXIT_RUNTIME;
	}
	rc = EXIT_RUNTIME;
	if ((rc = cli_registry(&(struct ctx){ NULL, NULL, NULL, NULL, NULL,
	    NULL }, &reg)) != EXIT_OK)
		goto out;
	rc = EXIT_RUNTIME;
	if (store_act_as(s, "admin") != SB_OK)
		goto out;
	for (i = 0; i < sizeof(licensed) / sizeof(licensed[0]); i++)
		if (store_permission_add(s, licensed[i], "demo practice with "
		    "synthetic data only; record your own permission before "
		    "real use") != SB_OK)
			goto dberr;
	if (!cli_db_permissions(s, &reg))
		goto out;
	/* Addresses under example.org (RFC 2606), names marked as the
	 * demo's and a crisis number that is plainly made up: the demo
	 * sends nothing (no mail server), and its pages show what a
	 * practice that set them up looks like. */
	if (store_user_add(s, "therapist", ROLE_THERAPIST, pw, &id) != SB_OK ||
	    store_user_add(s, "colleague", ROLE_THERAPIST, pw, &id) != SB_OK ||
	    store_user_add(s, "supervisor", ROLE_SUPERVISOR, pw, &id) != SB_OK ||
	    store_user_add(s, "tablet", ROLE_KIOSK, pw, &id) != SB_OK ||
	    store_user_email(s, "therapist", "therapist@demo.example.org") !=
	    SB_OK || store_user_email(s, "colleague",
	    "colleague@demo.example.org") != SB_OK ||
	    store_user_display(s, "therapist", "Maya Okafor (demo)") !=
	    SB_OK || store_user_display(s, "colleague", "Sam Lindqvist "
	    "(demo)") != SB_OK || store_user_display(s, "supervisor",
	    "Ruth Adeyemi (demo)") != SB_OK ||
	    store_setting_set(s, SET_DUTY_EMAIL, "duty@demo.example.org") !=
	    SB_OK || store_setting_set(s, SET_CRISIS_TEXT, "This is a demo "
	    "practice and its number is made up: the Example Crisis Line, "
	    "tel:0100 000 000. A real practice writes its local crisis line "
	    "and emergency number here.") != SB_OK ||
	    store_act_as(s, "therapist") != SB_OK)
		goto dberr;
	printf("Building the demo practice in %s ...\n", in_pg ?
	    "the PostgreSQL database" : db);
	fflush(stdout);
	if (cli_prompts_seed(s, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase demo: %s\n", err);
		goto out;
	}
	was = clock_fake() ? clock_now() : -1;
	ok = store_begin(s) == SB_OK && build(s, &reg, start) == SB_OK;
	/* Its own time again (a test's, or the system's) before the
	 * commit, and for serve. */
	clock_pin(was);
	/* Today's queue on the waiting room's tablet: Jonah's GAD-7 and
	 * Ines's PHQ-9 (their codes on their pages). */
	ok = ok && store_kiosk_queue(s, 2, "gad7", clock_now(), code, &id) ==
	    SB_OK && store_kiosk_queue(s, 3, "phq9", clock_now(), code, &id) ==
	    SB_OK;
	if (!ok || store_commit(s) != SB_OK)
		goto dberr;
	store_close(s);
	s = NULL;
	if (no_serve) {
		/* For scripts and tests: the practice alone, no server. */
		printf("Built %s (key %s); users therapist, supervisor, "
		    "admin, tablet (a kiosk), password %s\n", in_pg ? "the demo" : db,
		    key.file, pw);
		rc = EXIT_OK;
		goto out;
	}
	snprintf(origin, sizeof(origin), "http://127.0.0.1:%ld", p);
	snprintf(listen, sizeof(listen), "127.0.0.1:%ld", p);
	printf("\nDemo practice: 14 synthetic clients (two seen as a couple), "
	    "6 months of therapy, and a colleague's 28 past ones.\n"
	    "Open %s/ and log in as\n\n    user:     therapist\n    password:"
	    " %s\n\n(also \"supervisor\", \"admin\" and \"tablet\", the waiting "
	    "room's kiosk, with the same password;"
	    " Ctrl-C stops)\n", origin, pw);
	fflush(stdout);
	/* Served as `securebase serve` serves any practice (its lock, its
	 * checks, its support text: nothing here promises what the demo
	 * does not do), so the command line reaches the web only there. */
	memset(&sctx, 0, sizeof(sctx));
	sctx.db = db;
	sctx.keyfile = key.file;
	sargv[0] = (char *)"serve";
	sargv[1] = (char *)"--listen";
	sargv[2] = listen;
	sargv[3] = (char *)"--origin";
	sargv[4] = origin;
	sargv[5] = NULL;
	rc = cmd_serve(&sctx, 5, sargv);
	goto out;
dberr:
	fprintf(stderr, "securebase demo: %s\n", store_errmsg(s));
out:
	store_close(s);
	registry_free(&reg);
	return rc;
}
