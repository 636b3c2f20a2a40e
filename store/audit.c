/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit.c - the hash-chained audit trail.  See audit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/store_int.h"

static void
put_field(crypto_generichash_state *h, const void *p, size_t n)
{
	unsigned char	 len[4];

	/* Length-prefixed, so "ab"+"c" and "a"+"bc" hash differently. */
	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_generichash_update(h, len, 4);
	crypto_generichash_update(h, p, n);
}

static void
row_hash(const struct keys *k, const unsigned char *prev, int64_t seq,
    const char *at, const char *user, const char *action, const char *entity,
    int64_t id, const char *detail, unsigned char *out)
{
	crypto_generichash_state	 h;
	char				 num[2][24];

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)seq);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)id);
	crypto_generichash_init(&h, k->audit, KEY_BYTES, MAC_BYTES);
	put_field(&h, "securebase-audit-v1", 19);
	put_field(&h, prev, MAC_BYTES);
	put_field(&h, num[0], strlen(num[0]));
	put_field(&h, at, strlen(at));
	put_field(&h, user, strlen(user));
	put_field(&h, action, strlen(action));
	put_field(&h, entity, strlen(entity));
	put_field(&h, num[1], strlen(num[1]));
	put_field(&h, detail, strlen(detail));
	crypto_generichash_final(&h, out, MAC_BYTES);
}

/*
 * The head's own MAC, under a different label from the rows'.  Version 1
 * covered (seq, hash); version 2 covers the row count, the last hash and
 * the epoch, which grows with every write of the head, so that an anchor
 * kept elsewhere can tell a head rolled back to an older state.
 */
static void
head_mac(const struct keys *k, int version, int64_t seq, int64_t epoch,
    const unsigned char *hash, unsigned char *out)
{
	crypto_generichash_state	 h;
	char				 num[3][24];

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)seq);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)epoch);
	crypto_generichash_init(&h, k->audit, KEY_BYTES, MAC_BYTES);
	if (version == 1) {
		put_field(&h, "securebase-audit-head-v1", 24);
		put_field(&h, num[0], strlen(num[0]));
		put_field(&h, hash, MAC_BYTES);
	} else {
		put_field(&h, "securebase-audit-head-v2", 24);
		put_field(&h, num[0], strlen(num[0]));	/* the last seq */
		put_field(&h, num[0], strlen(num[0]));	/* = the row count */
		put_field(&h, hash, MAC_BYTES);
		put_field(&h, num[1], strlen(num[1]));
	}
	crypto_generichash_final(&h, out, MAC_BYTES);
}

enum sb_err
audit_genesis(struct store *s)
{
	unsigned char	 zero[MAC_BYTES] = { 0 }, mac[MAC_BYTES];
	struct stmt	*st;

	head_mac(s->keys, 2, 0, 0, zero, mac);
	if ((st = stmt(s, "INSERT INTO audit_head (id, seq, hash, mac, epoch, "
	    "version) VALUES (1, 0, ?, ?, 0, 2)")) == NULL)
		return fail_db(s, "writing the audit trail's first head");
	bind_blob_ref(st, 1, zero, MAC_BYTES);
	bind_blob(st, 2, mac, MAC_BYTES);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "writing the audit trail's first head");
	return SB_OK;
}

/* In a page view the row waits in memory for the group commit. */
static SB_MUST enum sb_err
view_keep(struct store *s, const char *user, const char *action,
    const char *entity, int64_t id, const char *detail)
{
	struct view_row	*v;

	if (s->nview == VIEW_ROWS)
		return fail(s, SB_ELIMIT, "one page read more than %d kinds of "
		    "record", VIEW_ROWS);
	if (strlen(detail) >= VIEW_DETAIL || strlen(action) >= 24 ||
	    strlen(entity) >= 24)
		return fail(s, SB_ELIMIT, "an audit row of a page is too long");
	v = &s->view[s->nview++];
	snprintf(v->user, sizeof(v->user), "%s", user);
	snprintf(v->action, sizeof(v->action), "%s", action);
	snprintf(v->entity, sizeof(v->entity), "%s", entity);
	v->id = id;
	snprintf(v->detail, sizeof(v->detail), "%s", detail);
	return SB_OK;
}

enum sb_err
audit_append(struct store *s, const char *action, const char *entity,
    int64_t id, const char *detail)
{
	const char	*user = s->has_actor ? s->actor.name : "-";

	if (s->viewing)
		return view_keep(s, user, action, entity, id, detail);
	return audit_append_as(s, user, action, entity, id, detail);
}

/* Has text a control character (a TAB or LF would split a row shown as
 * TSV, and forge another)? */
static bool
has_control(const char *t)
{
	for (; *t != '\0'; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			return true;
	return false;
}

static SB_MUST enum sb_err
append_row(struct store *, const char *, const char *, const char *,
    int64_t, const char *);

enum sb_err
audit_append_as(struct store *s, const char *user, const char *action,
    const char *entity, int64_t id, const char *detail)
{
	char		*u = NULL, *d = NULL, *c;
	enum sb_err	 e;

	if (!has_control(user) && !has_control(detail))
		return append_row(s, user, action, entity, id, detail);
	/* Kept, with each control character shown as '?'. */
	if ((u = strdup(user)) == NULL || (d = strdup(detail)) == NULL) {
		free(u);
		return fail(s, SB_ENOMEM, "out of memory");
	}
	for (c = u; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	for (c = d; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	e = append_row(s, u, action, entity, id, d);
	free(u);
	free(d);
	return e;
}

static SB_MUST enum sb_err
append_row(struct store *s, const char *user, const char *action,
    const char *entity, int64_t id, const char *detail)
{
	bool		 row;
	enum sb_err	 e;
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	char		 at[32];

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "audit row outside a transaction");
	if (!s->head_cached) {
		bool	 found = false;

		if ((st = stmt(s, "SELECT seq, hash, epoch FROM audit_head "
		    "WHERE id = 1")) == NULL)
			return fail_db(s, "reading the audit head");
		s->head_seq = s->head_epoch = 0;
		memset(s->head_hash, 0, MAC_BYTES);
		if ((e = step_row(s, st, &row,
		    "reading the audit head")) == SB_OK && row) {
			found = true;
			s->head_seq = col_int64(st, 0);
			s->head_epoch = col_int64(st, 2);
			if (col_bytes(st, 1) == MAC_BYTES)
				memcpy(s->head_hash, col_blob(st, 1),
				    MAC_BYTES);
		}
		st_reset(st);
		if (e != SB_OK)
			return e;
		/*
		 * Every practice has a head from init on.  Without one the
		 * trail was erased: starting a new chain would make the
		 * erasure verify, so nothing more is recorded (or done)
		 * until someone looks.
		 */
		if (!found)
			return fail(s, SB_EIO, "the audit head is missing: the "
			    "audit trail was erased or tampered with; nothing "
			    "can be recorded (securebase audit verify; restore "
			    "a verified backup)");
		s->head_cached = true;
	}
	now_iso(at);
	row_hash(s->keys, s->head_hash, s->head_seq + 1, at, user, action,
	    entity, id, detail, hash);
	if ((st = stmt(s, "INSERT INTO audit (seq, at, user_name, action, "
	    "entity, entity_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?)")) == NULL)
		return fail_db(s, "writing the audit trail");
	bind_int64(st, 1, s->head_seq + 1);
	bind_text(st, 2, at);
	bind_text(st, 3, user);
	bind_text_ref(st, 4, action);
	bind_text_ref(st, 5, entity);
	bind_int64(st, 6, id);
	bind_text(st, 7, detail);
	bind_blob(st, 8, hash, MAC_BYTES);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "writing the audit trail");
	s->head_seq++;
	memcpy(s->head_hash, hash, MAC_BYTES);
	s->head_dirty = true;
	return SB_OK;
}

enum sb_err
audit_flush_head(struct store *s)
{
	unsigned char	 mac[MAC_BYTES];
	struct stmt	*st;

	if (!s->head_dirty)
		return SB_OK;
	s->head_epoch++;
	head_mac(s->keys, 2, s->head_seq, s->head_epoch, s->head_hash, mac);
	if ((st = stmt(s, "UPDATE audit_head SET seq = ?, hash = ?, mac = ?, "
	    "epoch = ?, version = 2 WHERE id = 1")) == NULL)
		return fail_db(s, "writing the audit head");
	bind_int64(st, 1, s->head_seq);
	bind_blob(st, 2, s->head_hash, MAC_BYTES);
	bind_blob(st, 3, mac, MAC_BYTES);
	bind_int64(st, 4, s->head_epoch);
	if (st_step(st) != BE_DONE || db_changes(s) != 1)
		return fail_db(s, "writing the audit head");
	s->head_dirty = false;
	return SB_OK;
}

/* Text of a column, "" for NULL. */
static const char *
col_str(struct stmt *st, int i)
{
	const char	*t = col_text(st, i);

	return t != NULL ? t : "";
}

static int
anchor_cmp(const void *a, const void *b)
{
	const struct audit_anchor *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Checks the guards' SQL against what migration 1 wrote. */
static SB_MUST enum sb_err
check_guards(struct store *s, struct audit_report *r)
{
	const struct be_guard	*g;
	struct stmt		*st;
	enum be_rc		 rc;

	for (g = s->be->sql->guards; g != NULL && g->name != NULL; g++) {
		if (st_prepare(s, s->be->sql->guard_sql, &st) != BE_OK)
			return fail_db(s, "reading the audit guards");
		bind_text_ref(st, 1, g->name);
		if ((rc = st_step(st)) != BE_ROW && rc != BE_DONE) {
			st_finalize(st);
			return fail_db(s, "reading the audit guards");
		}
		if (rc != BE_ROW || strcmp(col_str(st, 0), g->sql) != 0) {
			r->intact = false;
			snprintf(r->what, sizeof(r->what), "the rows verify, but "
			    "the trigger %s that protects the audit trail was "
			    "%s", g->name, rc == BE_ROW ? "changed" : "removed");
		}
		st_finalize(st);
		if (!r->intact)
			break;
	}
	return SB_OK;
}

/* Where the walk along the chain is: the last row's hash, the row
 * wanted next, and which anchors (sorted by row) matched their row. */
struct walk {
	unsigned char		 prev[MAC_BYTES];
	int64_t			 want;
	const struct audit_anchor *an;
	bool			*seen;
	size_t			 nan, ai;
};

/* Every row in order, each hash from the one before; the first row out
 * of place or changed is said in r. */
static SB_MUST enum sb_err
chain_walk(struct store *s, struct walk *w, struct audit_report *r)
{
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	int64_t		 seq;
	int		 rc;

	if (st_prepare(s, "SELECT seq, at, user_name, action, entity, "
	    "entity_id, detail, hash FROM audit ORDER BY seq", &st) != BE_OK)
		return fail_db(s, "reading the audit trail");
	while ((rc = st_step(st)) == BE_ROW) {
		seq = col_int64(st, 0);
		r->rows++;
		if (seq != w->want) {
			r->bad_seq = seq;
			snprintf(r->what, sizeof(r->what), seq > w->want ?
			    "row %lld follows row %lld: rows %lld..%lld are "
			    "missing (deleted)" : "row %lld is out of order "
			    "after row %lld (inserted)", (long long)seq,
			    (long long)w->want - 1, (long long)w->want,
			    (long long)seq - 1);
			break;
		}
		row_hash(s->keys, w->prev, seq, col_str(st, 1), col_str(st, 2),
		    col_str(st, 3), col_str(st, 4),
		    col_int64(st, 5), col_str(st, 6), hash);
		if (col_bytes(st, 7) != MAC_BYTES ||
		    sodium_memcmp(col_blob(st, 7), hash, MAC_BYTES) != 0) {
			r->bad_seq = seq;
			snprintf(r->what, sizeof(r->what), "row %lld does not "
			    "match its hash: it was changed, or inserted "
			    "without the key", (long long)seq);
			break;
		}
		for (; w->ai < w->nan && w->an[w->ai].seq == seq; w->ai++)
			w->seen[w->ai] = sodium_memcmp(w->an[w->ai].hash, hash,
			    MAC_BYTES) == 0;
		memcpy(w->prev, hash, MAC_BYTES);
		w->want++;
	}
	st_finalize(st);
	if (rc != BE_ROW && rc != BE_DONE)
		return fail_db(s, "reading the audit trail");
	return SB_OK;
}

/* The head: there, and its MAC over the last row; a cut, an insert
 * past it or an edit said in r.  *seq and *epoch: the head's. */
static SB_MUST enum sb_err
head_check(struct store *s, const struct walk *w, struct audit_report *r,
    int64_t *seq, int64_t *epoch)
{
	unsigned char	 mac[MAC_BYTES];
	struct stmt	*st;
	int64_t		 last = w->want - 1;
	bool		 row;
	enum sb_err	 e;

	if (st_prepare(s, "SELECT seq, hash, mac, epoch, version "
	    "FROM audit_head WHERE id = 1", &st) != BE_OK)
		return fail_db(s, "reading the audit head");
	if ((e = step_row(s, st, &row, "reading the audit head")) == SB_OK &&
	    row) {
		*seq = col_int64(st, 0);
		*epoch = col_int64(st, 3);
		head_mac(s->keys, col_int(st, 4) == 1 ? 1 : 2, *seq, *epoch,
		    w->prev, mac);
		/* Either the head was edited, or rows were cut off and the
		 * head no longer matches the last row. */
		if (col_bytes(st, 2) != MAC_BYTES ||
		    sodium_memcmp(col_blob(st, 2), mac, MAC_BYTES) != 0) {
			r->bad_seq = last < *seq ? w->want : *seq;
			if (last < *seq)
				snprintf(r->what, sizeof(r->what), "the chain "
				    "ends at row %lld but the head records %lld"
				    " rows: rows %lld..%lld were removed "
				    "(truncated)", (long long)last,
				    (long long)*seq, (long long)w->want,
				    (long long)*seq);
			else if (last > *seq)
				snprintf(r->what, sizeof(r->what), "rows "
				    "%lld..%lld lie beyond the recorded head "
				    "(inserted)", (long long)*seq + 1,
				    (long long)last);
			else
				snprintf(r->what, sizeof(r->what), "the audit "
				    "head (row %lld) was altered",
				    (long long)*seq);
		}
	}
	st_finalize(st);
	/* init writes a head; without one the trail was erased, however
	 * few rows are left. */
	if (e == SB_OK && !row && r->bad_seq == 0) {
		r->bad_seq = r->rows > 0 ? 1 : -1;
		snprintf(r->what, sizeof(r->what), "the audit head is missing: "
		    "the audit trail was erased or replaced");
	}
	return e;
}

/* Each anchor: ours, its row unchanged, and the head not older; the
 * first that fails said in r. */
static void
anchors_check(const struct store *s, const struct walk *w, int64_t head_seq,
    int64_t head_epoch, struct audit_report *r)
{
	unsigned char		 mac[MAC_BYTES];
	const struct audit_anchor *an;
	size_t			 i;

	for (i = 0; i < w->nan && r->bad_seq == 0; i++) {
		an = &w->an[i];
		head_mac(s->keys, 2, an->seq, an->epoch, an->hash, mac);
		if (sodium_memcmp(mac, an->mac, MAC_BYTES) != 0) {
			r->bad_seq = -1;
			snprintf(r->what, sizeof(r->what), "the anchor at row "
			    "%lld is not this practice's, or was altered",
			    (long long)an->seq);
		} else if (an->seq > head_seq || an->epoch > head_epoch) {
			r->bad_seq = head_seq + 1;
			snprintf(r->what, sizeof(r->what), "rolled back: the "
			    "trail ends at row %lld (epoch %lld), but an anchor "
			    "recorded row %lld (epoch %lld): rows were removed "
			    "and an older head put back", (long long)head_seq,
			    (long long)head_epoch, (long long)an->seq,
			    (long long)an->epoch);
		} else if (!w->seen[i]) {
			r->bad_seq = an->seq;
			snprintf(r->what, sizeof(r->what), "row %lld is not "
			    "the row the anchor recorded: the trail up to it "
			    "was rewritten", (long long)an->seq);
		}
	}
}

enum sb_err
audit_verify_anchored(struct store *s, const struct audit_anchor *anchors,
    size_t nanchors, struct audit_report *r)
{
	struct audit_anchor	*an = NULL;
	struct walk		 w;
	int64_t			 head_seq = 0, head_epoch = 0;
	/* The rows and the head are read in one snapshot: a writer (a
	 * server, another node) committing a row and its head between the
	 * two reads would look like a cut trail. */
	bool			 snap = s->depth == 0 && !s->viewing;
	enum sb_err		 e = SB_OK;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	w.want = 1;
	if (snap && db_exec(s, s->be->sql->begin_read) != BE_OK)
		return fail_db(s, "starting a snapshot of the audit trail");
	if (nanchors > 0) {
		if ((an = calloc(nanchors, sizeof(*an))) == NULL ||
		    (w.seen = calloc(nanchors, sizeof(*w.seen))) == NULL) {
			e = fail(s, SB_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(an, anchors, nanchors * sizeof(*an));
		qsort(an, nanchors, sizeof(*an), anchor_cmp);
		w.an = an;
		w.nan = nanchors;
		/* The genesis: row 0's "hash" is all zeros. */
		for (; w.ai < nanchors && an[w.ai].seq == 0; w.ai++)
			w.seen[w.ai] = sodium_is_zero(an[w.ai].hash, MAC_BYTES);
	}
	if ((e = chain_walk(s, &w, r)) != SB_OK || r->bad_seq != 0)
		goto out;
	if ((e = head_check(s, &w, r, &head_seq, &head_epoch)) != SB_OK ||
	    r->bad_seq != 0)
		goto out;
	anchors_check(s, &w, head_seq, head_epoch, r);
	if (r->bad_seq != 0)
		goto out;
	r->intact = true;
	/* The chain is intact, but someone removed or changed the guards:
	 * say so, it is how a later edit would start. */
	e = check_guards(s, r);
out:
	if (snap)
		(void)db_exec(s, "COMMIT");
	free(an);
	free(w.seen);
	if (r->bad_seq != 0)
		r->intact = false;
	return e;
}

enum sb_err
audit_verify(struct store *s, struct audit_report *r)
{
	return audit_verify_anchored(s, NULL, 0, r);
}

/* ---- anchors ---- */

_Static_assert(MAC_BYTES == sizeof(((struct audit_anchor *)0)->hash),
    "an anchor holds one MAC");

#define ANCHOR_TAG	"securebase-anchor 1"

void
audit_anchor_format(const struct audit_anchor *a, char *out, size_t n)
{
	char	 h[MAC_BYTES * 2 + 1], m[MAC_BYTES * 2 + 1];

	sodium_bin2hex(h, sizeof(h), a->hash, MAC_BYTES);
	sodium_bin2hex(m, sizeof(m), a->mac, MAC_BYTES);
	snprintf(out, n, ANCHOR_TAG " seq=%lld epoch=%lld hash=%s mac=%s",
	    (long long)a->seq, (long long)a->epoch, h, m);
}

static bool
anchor_field(const char *line, const char *name, const char **v, size_t *n)
{
	const char	*p = line;
	size_t		 k = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == line || p[-1] == ' ') && p[k] == '=') {
			*v = p + k + 1;
			*n = strcspn(*v, " \t\r\n");
			return true;
		}
		p += k;
	}
	return false;
}

static bool
anchor_int(const char *line, const char *name, int64_t *out)
{
	const char	*v;
	size_t		 n, i;
	int64_t		 x = 0;

	if (!anchor_field(line, name, &v, &n) || n == 0 || n > 18)
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (v[i] - '0');
	}
	*out = x;
	return true;
}

static bool
anchor_hex(const char *line, const char *name, unsigned char *out)
{
	const char	*v;
	size_t		 n, got;

	return anchor_field(line, name, &v, &n) && n == MAC_BYTES * 2 &&
	    sodium_hex2bin(out, MAC_BYTES, v, n, NULL, &got, NULL) == 0 &&
	    got == MAC_BYTES;
}

bool
audit_anchor_parse(const char *line, struct audit_anchor *a)
{
	const char	*p = strstr(line, ANCHOR_TAG);

	/* The line may carry a log's prefix (time, host, program). */
	memset(a, 0, sizeof(*a));
	return p != NULL && anchor_int(p, "seq", &a->seq) &&
	    anchor_int(p, "epoch", &a->epoch) && anchor_hex(p, "hash",
	    a->hash) && anchor_hex(p, "mac", a->mac);
}

enum sb_err
audit_anchor_take(struct store *s, struct audit_anchor *a)
{
	enum sb_err	 e;

	memset(a, 0, sizeof(*a));
	/* The taking is recorded, and leaves a head of the current form. */
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = audit_append(s, "anchor", "audit", 0, "")) != SB_OK)
		return txn_end(s, e);
	if ((e = audit_flush_head(s)) != SB_OK)
		return txn_end(s, e);
	a->seq = s->head_seq;
	a->epoch = s->head_epoch;
	memcpy(a->hash, s->head_hash, MAC_BYTES);
	head_mac(s->keys, 2, a->seq, a->epoch, a->hash, a->mac);
	return txn_end(s, SB_OK);
}

enum sb_err
audit_tail_each(struct store *s, size_t n,
    enum sb_err (*fn)(void *, const struct audit_row *), void *arg)
{
	struct audit_query	 q;

	memset(&q, 0, sizeof(q));
	q.limit = n;
	return audit_find_each(s, &q, fn, arg);
}

/*
 * The statement is put together from fixed pieces, one per field that
 * is set, so that each search uses its indexes and no text from the
 * query ever becomes SQL; the values are bound.
 */
enum sb_err
audit_find_each(struct store *s, const struct audit_query *q,
    enum sb_err (*fn)(void *, const struct audit_row *), void *arg)
{
	/* What a client's records are called in the trail, and the ids of
	 * a client's (one bound value each). */
	static const char *const of_client[][2] = {
		{ "alert", "SELECT id FROM live_alerts WHERE client_id = ?" },
		{ "administration", "SELECT id FROM live_administrations "
		    "WHERE client_id = ?" },
		{ "link", "SELECT id FROM links WHERE client_id = ?" },
		{ "note", "SELECT id FROM notes WHERE client_id = ?" },
		{ "session", "SELECT id FROM sessions WHERE client_id = ?" },
		{ "episode", "SELECT id FROM episodes WHERE client_id = ?" },
		{ "consent", "SELECT id FROM consents WHERE client_id = ?" },
		{ "person", "SELECT id FROM people WHERE client_id = ?" },
		{ "relationship", "SELECT id FROM relationships WHERE "
		    "client_id = ?" },
		{ "event", "SELECT id FROM events WHERE client_id = ?" },
		{ "snapshot", "SELECT id FROM history_snapshots WHERE "
		    "client_id = ?" },
		{ "draft", "SELECT d.id FROM narrative_drafts d JOIN "
		    "narratives n ON n.id = d.narrative_id WHERE "
		    "n.client_id = ?" },
	};
	struct audit_row	 a;
	struct stmt		*st = NULL;
	struct buf		 sql;
	size_t			 k;
	int			 rc, i = 1;
	enum sb_err		 e = SB_OK;

	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin reads the audit trail");
	buf_init(&sql, 4096);
	buf_printf(&sql, "SELECT seq, at, user_name, action, entity, "
	    "entity_id, detail FROM audit WHERE 1 = 1");
	if (q->user != NULL)
		buf_printf(&sql, " AND user_name = ?");
	if (q->action != NULL)
		buf_printf(&sql, " AND action = ?");
	if (q->entity != NULL)
		buf_printf(&sql, " AND entity = ?");
	if (q->entity != NULL && q->entity_id != 0)
		buf_printf(&sql, " AND entity_id = ?");
	if (q->client != 0) {
		buf_printf(&sql, " AND ((entity = 'client' AND entity_id = ?)");
		for (k = 0; k < sizeof(of_client) / sizeof(of_client[0]); k++)
			buf_printf(&sql, " OR (entity = '%s' AND entity_id IN "
			    "(%s))", of_client[k][0], of_client[k][1]);
		buf_printf(&sql, ")");
	}
	if (q->since != NULL)
		buf_printf(&sql, " AND at >= ?");
	if (q->until != NULL)
		buf_printf(&sql, " AND at < ?");
	if (q->before != 0)
		buf_printf(&sql, " AND seq < ?");
	buf_printf(&sql, " ORDER BY seq DESC LIMIT ?");
	if ((e = txn_begin(s)) != SB_OK)
		goto out;
	if (sql.err != SB_OK || st_prepare(s, sql.data, &st) != BE_OK) {
		e = txn_end(s, fail_db(s, "reading the audit trail"));
		goto out;
	}
	if (q->user != NULL)
		bind_text(st, i++, q->user);
	if (q->action != NULL)
		bind_text(st, i++, q->action);
	if (q->entity != NULL)
		bind_text(st, i++, q->entity);
	if (q->entity != NULL && q->entity_id != 0)
		bind_int64(st, i++, q->entity_id);
	for (k = 0; q->client != 0 && k <= sizeof(of_client) /
	    sizeof(of_client[0]); k++)
		bind_int64(st, i++, q->client);
	if (q->since != NULL)
		bind_text(st, i++, q->since);
	if (q->until != NULL)
		bind_text(st, i++, q->until);
	if (q->before != 0)
		bind_int64(st, i++, q->before);
	bind_int64(st, i, (int64_t)q->limit);
	while ((rc = st_step(st)) == BE_ROW) {
		a.seq = col_int64(st, 0);
		a.at = col_str(st, 1);
		a.user = col_str(st, 2);
		a.action = col_str(st, 3);
		a.entity = col_str(st, 4);
		a.entity_id = col_int64(st, 5);
		a.detail = col_str(st, 6);
		if ((e = fn(arg, &a)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the audit trail");
	st_finalize(st);
	if (e != SB_OK)
		e = txn_end(s, e);
	else
		e = txn_end(s, audit_append(s, "read", "audit", 0, ""));
out:
	buf_free(&sql);
	return e;
}
