/*
 * audit.c - the hash-chained audit trail.  See audit.h.
 */
#include <stdio.h>
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

/* The head's own MAC, under a different label from the rows'. */
static void
head_mac(const struct keys *k, int64_t seq, const unsigned char *hash,
    unsigned char *out)
{
	crypto_generichash_state	 h;
	char				 num[24];

	snprintf(num, sizeof(num), "%lld", (long long)seq);
	crypto_generichash_init(&h, k->audit, KEY_BYTES, MAC_BYTES);
	put_field(&h, "securebase-audit-head-v1", 24);
	put_field(&h, num, strlen(num));
	put_field(&h, hash, MAC_BYTES);
	crypto_generichash_final(&h, out, MAC_BYTES);
}

/* In a page view the row waits in memory for the group commit. */
static enum sb_err
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

enum sb_err
audit_append_as(struct store *s, const char *user, const char *action,
    const char *entity, int64_t id, const char *detail)
{
	unsigned char	 hash[MAC_BYTES];
	sqlite3_stmt	*st;
	char		 at[32];

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "audit row outside a transaction");
	if (!s->head_cached) {
		if ((st = stmt(s, "SELECT seq, hash FROM audit_head WHERE "
		    "id = 1")) == NULL)
			return fail_db(s, "reading the audit head");
		s->head_seq = 0;
		memset(s->head_hash, 0, MAC_BYTES);
		if (sqlite3_step(st) == SQLITE_ROW) {
			s->head_seq = sqlite3_column_int64(st, 0);
			if (sqlite3_column_bytes(st, 1) == MAC_BYTES)
				memcpy(s->head_hash, sqlite3_column_blob(st, 1),
				    MAC_BYTES);
		}
		sqlite3_reset(st);
		s->head_cached = true;
	}
	now_iso(at);
	row_hash(s->keys, s->head_hash, s->head_seq + 1, at, user, action,
	    entity, id, detail, hash);
	if ((st = stmt(s, "INSERT INTO audit (seq, at, user_name, action, "
	    "entity, entity_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?)")) == NULL)
		return fail_db(s, "writing the audit trail");
	sqlite3_bind_int64(st, 1, s->head_seq + 1);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, entity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	sqlite3_bind_text(st, 7, detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 8, hash, MAC_BYTES, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
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
	sqlite3_stmt	*st;

	if (!s->head_dirty)
		return SB_OK;
	head_mac(s->keys, s->head_seq, s->head_hash, mac);
	if ((st = stmt(s, "INSERT INTO audit_head (id, seq, hash, mac) "
	    "VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
	    "seq = excluded.seq, hash = excluded.hash, mac = excluded.mac")) ==
	    NULL)
		return fail_db(s, "writing the audit head");
	sqlite3_bind_int64(st, 1, s->head_seq);
	sqlite3_bind_blob(st, 2, s->head_hash, MAC_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, mac, MAC_BYTES, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail_db(s, "writing the audit head");
	s->head_dirty = false;
	return SB_OK;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t != NULL ? (const char *)t : "";
}

enum sb_err
audit_verify(struct store *s, struct audit_report *r)
{
	unsigned char	 prev[MAC_BYTES] = { 0 }, hash[MAC_BYTES];
	unsigned char	 mac[MAC_BYTES];
	sqlite3_stmt	*st;
	int64_t		 seq, want = 1, head_seq = 0;
	bool		 have_head = false;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(s->db, "SELECT seq, at, user_name, action, "
	    "entity, entity_id, detail, hash FROM audit ORDER BY seq", -1, &st,
	    NULL) != SQLITE_OK)
		return fail_db(s, "reading the audit trail");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		r->rows++;
		if (seq != want) {
			r->bad_seq = seq;
			snprintf(r->what, sizeof(r->what), seq > want ?
			    "row %lld follows row %lld: rows %lld..%lld are "
			    "missing (deleted)" : "row %lld is out of order "
			    "after row %lld (inserted)", (long long)seq,
			    (long long)want - 1, (long long)want,
			    (long long)seq - 1);
			break;
		}
		row_hash(s->keys, prev, seq, col_text(st, 1), col_text(st, 2),
		    col_text(st, 3), col_text(st, 4),
		    sqlite3_column_int64(st, 5), col_text(st, 6), hash);
		if (sqlite3_column_bytes(st, 7) != MAC_BYTES ||
		    sodium_memcmp(sqlite3_column_blob(st, 7), hash,
		    MAC_BYTES) != 0) {
			r->bad_seq = seq;
			snprintf(r->what, sizeof(r->what), "row %lld does not "
			    "match its hash: it was changed, or inserted "
			    "without the key", (long long)seq);
			break;
		}
		memcpy(prev, hash, MAC_BYTES);
		want++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail_db(s, "reading the audit trail");
	if (r->bad_seq != 0)
		return SB_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT seq, hash, mac FROM audit_head "
	    "WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		return fail_db(s, "reading the audit head");
	if (sqlite3_step(st) == SQLITE_ROW) {
		have_head = true;
		head_seq = sqlite3_column_int64(st, 0);
		head_mac(s->keys, head_seq, prev, mac);
		if (sqlite3_column_bytes(st, 2) != MAC_BYTES ||
		    sodium_memcmp(sqlite3_column_blob(st, 2), mac,
		    MAC_BYTES) != 0) {
			/* Either the head was edited, or rows were cut off
			 * and the head no longer matches the last row. */
			r->bad_seq = want - 1 < head_seq ? want : head_seq;
			if (want - 1 < head_seq)
				snprintf(r->what, sizeof(r->what), "the chain "
				    "ends at row %lld but the head records %lld"
				    " rows: rows %lld..%lld were removed "
				    "(truncated)", (long long)want - 1,
				    (long long)head_seq, (long long)want,
				    (long long)head_seq);
			else if (want - 1 > head_seq)
				snprintf(r->what, sizeof(r->what), "rows "
				    "%lld..%lld lie beyond the recorded head "
				    "(inserted)", (long long)head_seq + 1,
				    (long long)want - 1);
			else
				snprintf(r->what, sizeof(r->what), "the audit "
				    "head (row %lld) was altered",
				    (long long)head_seq);
		}
	}
	sqlite3_finalize(st);
	if (r->bad_seq == 0 && !have_head && r->rows > 0) {
		r->bad_seq = 1;
		snprintf(r->what, sizeof(r->what), "the audit head is missing");
	}
	r->intact = r->bad_seq == 0;
	/* The chain is intact, but someone removed the guards: say so, it
	 * is how a later edit would start. */
	if (r->intact && sqlite3_prepare_v2(s->db, "SELECT count(*) FROM "
	    "sqlite_schema WHERE type = 'trigger' AND name IN "
	    "('audit_no_update', 'audit_no_delete', 'audit_head_no_delete')",
	    -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int(st, 0) != 3) {
			r->intact = false;
			snprintf(r->what, sizeof(r->what), "the rows verify, but "
			    "the triggers that protect the audit table were "
			    "removed");
		}
		sqlite3_finalize(st);
	}
	return SB_OK;
}

enum sb_err
audit_tail(struct store *s, size_t n, struct buf *out)
{
	sqlite3_stmt	*st;
	enum sb_err	 e;

	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin reads the audit trail");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT seq, at, user_name, action, entity, "
	    "entity_id, detail FROM audit ORDER BY seq DESC LIMIT ?")) == NULL)
		return txn_end(s, fail_db(s, "reading the audit trail"));
	sqlite3_bind_int64(st, 1, (sqlite3_int64)n);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(out, "%lld\t%s\t%s\t%s\t%s\t%lld\t%s\n",
		    sqlite3_column_int64(st, 0), col_text(st, 1),
		    col_text(st, 2), col_text(st, 3), col_text(st, 4),
		    sqlite3_column_int64(st, 5), col_text(st, 6));
	sqlite3_reset(st);
	return txn_end(s, audit_append(s, "read", "audit", 0, ""));
}
