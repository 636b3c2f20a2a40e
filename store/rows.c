/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * rows.c - row seals: the MAC of each row that decides access or safety
 * and a seal per table against deletions.  See rows.h.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/store_int.h"
#include "store/rows.h"

/*
 * One protected table.  types has one letter per sealed column, in the
 * order the statements select them (i integer, t text, b blob); one
 * reads a row's sealed columns and mac by its key, set writes the mac,
 * all reads every row as (key1, key2, columns..., mac).
 */
struct rowtab_def {
	const char	*name;
	const char	*types;
	bool		 pair;		/* a key of two columns */
	bool		 counted;	/* deletions matter: a seal */
	const char	*one, *set, *all;
	const char	*client;	/* as all, for one client; or NULL */
	int		 since;		/* the migration that added its mac */
};

#define USERS_COLS	ROWS_USERS_COLS
#define ALERTS_COLS	"client_id, administration_id, rule, severity, " \
			"state, created, link_id, item, historic, import_id, " \
			"escalated"
#define ADMIN_COLS	"client_id, instrument, instrument_version, " \
			"respondent, target, mode, started, completed, " \
			"answers, scores, created_by, scored_version, import_id"

#define LINKS_COLS	"token_hash, client_id, instrument, created_by, " \
			"created, expires, mode"
#define PROGRESS_COLS	"client_id, token_hash, created, created_by"
#define CONSENTS_COLS	"client_id, kind, given, withdrawn, recorded_by"
#define PEOPLE_COLS	"client_id, birth_year, death_year"
#define PLANS_COLS	"client_id, instrument, rule, spec, start, " \
			"remind_days, expire_days, created_by"
#define TIES_COLS	"client_id, a_id, b_id, kind, type, start_date, " \
			"end_date"
#define EVENTS_COLS	"client_id, category, date, age, valence, " \
			"intensity, end_date, end_age"

static const struct rowtab_def tabs[RT__N] = {
	[RT_USERS] = { "users", "tttibbib", false, false,
	    "SELECT " USERS_COLS ", mac FROM users WHERE id = ?",
	    "UPDATE users SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " USERS_COLS ", mac FROM users ORDER BY id" },
	[RT_CLIENTS] = { "clients", "i", false, true,
	    "SELECT owner_id, mac FROM clients WHERE id = ?",
	    "UPDATE clients SET mac = ? WHERE id = ?",
	    "SELECT id, 0, owner_id, mac FROM clients ORDER BY id" },
	[RT_SHARES] = { "client_shares", "", true, true,
	    "SELECT mac FROM client_shares WHERE client_id = ? AND "
	    "user_id = ?",
	    "UPDATE client_shares SET mac = ? WHERE client_id = ? AND "
	    "user_id = ?",
	    "SELECT client_id, user_id, mac FROM client_shares ORDER BY "
	    "client_id, user_id" },
	[RT_ALERTS] = { "alerts", "iittttittii", false, true,
	    "SELECT " ALERTS_COLS ", mac FROM alerts WHERE id = ?",
	    "UPDATE alerts SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " ALERTS_COLS ", mac FROM alerts ORDER BY id",
	    "SELECT id, 0, " ALERTS_COLS ", mac FROM alerts WHERE client_id = "
	    "? ORDER BY id" },
	[RT_ALERT_EVENTS] = { "alert_events", "itit", false, true,
	    "SELECT alert_id, state, user_id, at, mac FROM alert_events "
	    "WHERE id = ?",
	    "UPDATE alert_events SET mac = ? WHERE id = ?",
	    "SELECT id, 0, alert_id, state, user_id, at, mac FROM "
	    "alert_events ORDER BY id",
	    "SELECT e.id, 0, e.alert_id, e.state, e.user_id, e.at, e.mac FROM "
	    "alert_events e JOIN alerts a ON a.id = e.alert_id WHERE "
	    "a.client_id = ? ORDER BY e.id" },
	[RT_ADMINISTRATIONS] = { "administrations", "itttttttttiti", false,
	    true,
	    "SELECT " ADMIN_COLS ", mac FROM administrations WHERE id = ?",
	    "UPDATE administrations SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " ADMIN_COLS ", mac FROM administrations ORDER BY "
	    "id",
	    "SELECT id, 0, " ADMIN_COLS ", mac FROM administrations WHERE "
	    "client_id = ? ORDER BY id" },
	[RT_NOTES] = { "notes", "iit", false, true,
	    "SELECT client_id, author_id, created, mac FROM notes WHERE id = ?",
	    "UPDATE notes SET mac = ? WHERE id = ?",
	    "SELECT id, 0, client_id, author_id, created, mac FROM notes "
	    "ORDER BY id",
	    "SELECT id, 0, client_id, author_id, created, mac FROM notes "
	    "WHERE client_id = ? ORDER BY id" },
	[RT_IMPORTS] = { "imports", "ti", false, true,
	    "SELECT state, created_by, mac FROM imports WHERE id = ?",
	    "UPDATE imports SET mac = ? WHERE id = ?",
	    "SELECT id, 0, state, created_by, mac FROM imports ORDER BY id" },
	/* A session put in by hand would sign anyone in; one deleted only
	 * signs someone out, so the table is not counted. */
	[RT_SESSIONS] = { "web_sessions", "bibi", false, false,
	    "SELECT " ROWS_SESSIONS_COLS ", mac FROM web_sessions WHERE "
	    "rowid = ?",
	    "UPDATE web_sessions SET mac = ? WHERE rowid = ?",
	    "SELECT rowid, 0, " ROWS_SESSIONS_COLS ", mac FROM web_sessions "
	    "ORDER BY rowid" },
	/* A link put in by hand, moved to another client or given a
	 * longer life would let its holder answer for a client: what the
	 * link is (fixed when it is made) is sealed, not its progress nor
	 * its withdrawal (rows.h). */
	[RT_LINKS] = { "links", "bitiiit", false, false,
	    "SELECT " LINKS_COLS ", mac FROM links WHERE id = ?",
	    "UPDATE links SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " LINKS_COLS ", mac FROM links ORDER BY id",
	    "SELECT id, 0, " LINKS_COLS ", mac FROM links WHERE client_id = ? "
	    "ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_PROGRESS_LINKS] = { "progress_links", "ibii", false, false,
	    "SELECT " PROGRESS_COLS ", mac FROM progress_links WHERE id = ?",
	    "UPDATE progress_links SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " PROGRESS_COLS ", mac FROM progress_links ORDER "
	    "BY id",
	    "SELECT id, 0, " PROGRESS_COLS ", mac FROM progress_links WHERE "
	    "client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_CASE_MEMBERS] = { "case_members", "i", true, false,
	    "SELECT answers_shared, mac FROM case_members WHERE case_id = ? "
	    "AND client_id = ?",
	    "UPDATE case_members SET mac = ? WHERE case_id = ? AND "
	    "client_id = ?",
	    "SELECT case_id, client_id, answers_shared, mac FROM case_members "
	    "ORDER BY case_id, client_id", NULL, ROWS_MIGRATION_LINKS },
	[RT_EPISODES] = { "episodes", "itt", false, true,
	    "SELECT client_id, started, ended, mac FROM episodes WHERE id = ?",
	    "UPDATE episodes SET mac = ? WHERE id = ?",
	    "SELECT id, 0, client_id, started, ended, mac FROM episodes ORDER "
	    "BY id",
	    "SELECT id, 0, client_id, started, ended, mac FROM episodes WHERE "
	    "client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_CONSENTS] = { "consents", "ibtti", false, true,
	    "SELECT " CONSENTS_COLS ", mac FROM consents WHERE id = ?",
	    "UPDATE consents SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " CONSENTS_COLS ", mac FROM consents ORDER BY id",
	    "SELECT id, 0, " CONSENTS_COLS ", mac FROM consents WHERE "
	    "client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_PEOPLE] = { "people", "iii", false, false,
	    "SELECT " PEOPLE_COLS ", mac FROM people WHERE id = ?",
	    "UPDATE people SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " PEOPLE_COLS ", mac FROM people ORDER BY id",
	    "SELECT id, 0, " PEOPLE_COLS ", mac FROM people WHERE client_id = "
	    "? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_RELATIONSHIPS] = { "relationships", "iiitttt", false, false,
	    "SELECT " TIES_COLS ", mac FROM relationships WHERE id = ?",
	    "UPDATE relationships SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " TIES_COLS ", mac FROM relationships ORDER BY id",
	    "SELECT id, 0, " TIES_COLS ", mac FROM relationships WHERE "
	    "client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_EVENTS] = { "events", "ittiiiti", false, false,
	    "SELECT " EVENTS_COLS ", mac FROM events WHERE id = ?",
	    "UPDATE events SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " EVENTS_COLS ", mac FROM events ORDER BY id",
	    "SELECT id, 0, " EVENTS_COLS ", mac FROM events WHERE client_id = "
	    "? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_SESSIONS_HELD] = { "sessions", "itt", false, false,
	    "SELECT client_id, date, attendance, mac FROM sessions WHERE id = "
	    "?",
	    "UPDATE sessions SET mac = ? WHERE id = ?",
	    "SELECT id, 0, client_id, date, attendance, mac FROM sessions "
	    "ORDER BY id",
	    "SELECT id, 0, client_id, date, attendance, mac FROM sessions "
	    "WHERE client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_NARRATIVES] = { "narratives", "itt", false, false,
	    "SELECT client_id, prompt, created, mac FROM narratives WHERE id = "
	    "?",
	    "UPDATE narratives SET mac = ? WHERE id = ?",
	    "SELECT id, 0, client_id, prompt, created, mac FROM narratives "
	    "ORDER BY id",
	    "SELECT id, 0, client_id, prompt, created, mac FROM narratives "
	    "WHERE client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_DRAFTS] = { "narrative_drafts", "iitt", false, false,
	    "SELECT narrative_id, version, created, author, mac FROM "
	    "narrative_drafts WHERE id = ?",
	    "UPDATE narrative_drafts SET mac = ? WHERE id = ?",
	    "SELECT id, 0, narrative_id, version, created, author, mac FROM "
	    "narrative_drafts ORDER BY id",
	    "SELECT d.id, 0, d.narrative_id, d.version, d.created, d.author, "
	    "d.mac FROM narrative_drafts d JOIN narratives n ON n.id = "
	    "d.narrative_id WHERE n.client_id = ? ORDER BY d.id",
	    ROWS_MIGRATION_LINKS },
	[RT_SNAPSHOTS] = { "history_snapshots", "it", false, false,
	    "SELECT client_id, taken, mac FROM history_snapshots WHERE id = ?",
	    "UPDATE history_snapshots SET mac = ? WHERE id = ?",
	    "SELECT id, 0, client_id, taken, mac FROM history_snapshots ORDER "
	    "BY id",
	    "SELECT id, 0, client_id, taken, mac FROM history_snapshots WHERE "
	    "client_id = ? ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_PLANS] = { "plans", "itttiiii", false, false,
	    "SELECT " PLANS_COLS ", mac FROM plans WHERE id = ?",
	    "UPDATE plans SET mac = ? WHERE id = ?",
	    "SELECT id, 0, " PLANS_COLS ", mac FROM plans ORDER BY id",
	    "SELECT id, 0, " PLANS_COLS ", mac FROM plans WHERE client_id = ? "
	    "ORDER BY id", ROWS_MIGRATION_LINKS },
	[RT_PLAN_SENDS] = { "plan_sends", "iiii", false, false,
	    "SELECT plan_id, occurrence, due, link_id, mac FROM plan_sends "
	    "WHERE id = ?",
	    "UPDATE plan_sends SET mac = ? WHERE id = ?",
	    "SELECT id, 0, plan_id, occurrence, due, link_id, mac FROM "
	    "plan_sends ORDER BY id",
	    "SELECT s.id, 0, s.plan_id, s.occurrence, s.due, s.link_id, s.mac "
	    "FROM plan_sends s JOIN plans p ON p.id = s.plan_id WHERE "
	    "p.client_id = ? ORDER BY s.id", ROWS_MIGRATION_LINKS },
};

static void
put(crypto_generichash_state *h, char tag, const void *p, size_t n)
{
	unsigned char	 len[5];

	/* Tagged and length-prefixed: NULL, 7 and "7" all differ, and so
	 * do "ab"+"c" and "a"+"bc". */
	len[0] = (unsigned char)tag;
	len[1] = (unsigned char)(n >> 24);
	len[2] = (unsigned char)(n >> 16);
	len[3] = (unsigned char)(n >> 8);
	len[4] = (unsigned char)n;
	crypto_generichash_update(h, len, sizeof(len));
	if (n > 0)
		crypto_generichash_update(h, p, n);
}

static void
put_int(crypto_generichash_state *h, int64_t v)
{
	char	 num[24];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	put(h, 'i', num, strlen(num));
}

/* The MAC of a row from its sealed columns' values, in the table's
 * order (what row_mac reads from a statement, or what is about to be
 * written: rows_seal_new). */
static void
row_mac_vals(const struct store *s, enum rowtab t, const struct rowval *v,
    int64_t k1, int64_t k2, unsigned char out[MAC_BYTES])
{
	const struct rowtab_def		*d = &tabs[t];
	crypto_generichash_state	 h;
	const char			*ty;

	/* A session's rowid is not its identity (migrate numbers them
	 * anew); its token hash, sealed below, is. */
	if (t == RT_SESSIONS)
		k1 = k2 = 0;
	crypto_generichash_init(&h, s->keys->rows, KEY_BYTES, MAC_BYTES);
	put(&h, 'l', "securebase-row-v1", 17);
	put(&h, 't', d->name, strlen(d->name));
	put_int(&h, k1);
	put_int(&h, k2);
	for (ty = d->types; *ty != '\0'; ty++, v++) {
		if (v->null) {
			put(&h, 'N', NULL, 0);
			continue;
		}
		switch (*ty) {
		case 'i':
			put_int(&h, v->i);
			break;
		case 't':
			put(&h, 't', v->p, v->p != NULL ? strlen(v->p) : 0);
			break;
		default:
			put(&h, 'b', v->p, v->n);
			break;
		}
	}
	crypto_generichash_final(&h, out, MAC_BYTES);
}

/* The MAC of a row whose sealed columns are st's columns col... */
static void
row_mac(const struct store *s, enum rowtab t, struct stmt *st, int col,
    int64_t k1, int64_t k2, unsigned char out[MAC_BYTES])
{
	struct rowval	 v[ROWS_MAX_COLS];
	const char	*ty;
	size_t		 i;

	memset(v, 0, sizeof(v));
	for (ty = tabs[t].types, i = 0; *ty != '\0' && i < ROWS_MAX_COLS;
	    ty++, i++, col++) {
		if ((v[i].null = col_null(st, col)))
			continue;
		if (*ty == 'i')
			v[i].i = col_int64(st, col);
		else if (*ty == 't')
			v[i].p = col_text(st, col);
		else {
			v[i].p = col_blob(st, col);
			v[i].n = col_bytes(st, col);
		}
	}
	row_mac_vals(s, t, v, k1, k2, out);
}

static void
seal_mac(const struct store *s, enum rowtab t, int64_t n,
    const unsigned char *agg, unsigned char out[MAC_BYTES])
{
	crypto_generichash_state	 h;

	crypto_generichash_init(&h, s->keys->rows, KEY_BYTES, MAC_BYTES);
	put(&h, 'l', "securebase-rows-seal-v1", 23);
	put(&h, 't', tabs[t].name, strlen(tabs[t].name));
	put_int(&h, n);
	put(&h, 'b', agg, MAC_BYTES);
	crypto_generichash_final(&h, out, MAC_BYTES);
}

static void
xor_into(unsigned char *a, const unsigned char *b)
{
	size_t	 i;

	for (i = 0; i < MAC_BYTES; i++)
		a[i] ^= b[i];
}

static void
bind_key(struct stmt *st, enum rowtab t, int first, int64_t k1, int64_t k2)
{
	bind_int64(st, first, k1);
	if (tabs[t].pair)
		bind_int64(st, first + 1, k2);
}

/* "alerts 12" or "client_shares 3/7", for messages. */
static void
row_name(enum rowtab t, int64_t k1, int64_t k2, char *out, size_t n)
{
	if (tabs[t].pair)
		snprintf(out, n, "%s %lld/%lld", tabs[t].name, (long long)k1,
		    (long long)k2);
	else
		snprintf(out, n, "%s %lld", tabs[t].name, (long long)k1);
}

/* A row that fails: recorded in the audit trail when a write can be,
 * and refused. */
static SB_MUST enum sb_err
altered(struct store *s, enum rowtab t, int64_t k1, int64_t k2)
{
	char	 name[96], msg[sizeof(s->err)];

	row_name(t, k1, k2, name, sizeof(name));
	snprintf(msg, sizeof(msg), "%s was changed outside securebase (its "
	    "seal does not match): nothing was done with it; an "
	    "administrator should run securebase audit verify", name);
	/* Inside a transaction the refusal undoes it, and the record with
	 * it: txn_end() writes the record after the ROLLBACK. */
	if (s->viewing)
		(void)!audit_append(s, "altered", tabs[t].name, k1, "row seal");
	else if (s->depth > 0) {
		snprintf(s->alt_table, sizeof(s->alt_table), "%s",
		    tabs[t].name);
		s->alt_id = k1;
	} else if (txn_begin(s) == SB_OK)
		(void)!txn_end(s, audit_append(s, "altered", tabs[t].name, k1,
		    "row seal"));
	(void)!fail(s, SB_EPERM, "%s", msg);
	s->tampered = true;
	return SB_EPERM;
}

enum sb_err
rows_check_stmt(struct store *s, enum rowtab t, struct stmt *st, int col,
    int maccol, int64_t k1, int64_t k2)
{
	unsigned char	 want[MAC_BYTES];

	row_mac(s, t, st, col, k1, k2, want);
	if (col_null(st, maccol) || col_bytes(st, maccol) != MAC_BYTES ||
	    sodium_memcmp(col_blob(st, maccol), want, MAC_BYTES) != 0)
		return altered(s, t, k1, k2);
	return SB_OK;
}

/* Reads the row's columns and its mac (st left on the row). */
static SB_MUST enum sb_err
read_row(struct store *s, enum rowtab t, int64_t k1, int64_t k2,
    struct stmt **out)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;
	char		 name[96];

	*out = NULL;
	if ((st = stmt(s, tabs[t].one)) == NULL)
		return fail_db(s, "reading a row's seal");
	bind_key(st, t, 1, k1, k2);
	if ((e = step_row(s, st, &row, "reading a row's seal")) != SB_OK) {
		st_reset(st);
		return e;
	}
	if (!row) {
		st_reset(st);
		row_name(t, k1, k2, name, sizeof(name));
		return fail(s, SB_ENOENT, "no %s", name);
	}
	*out = st;
	return SB_OK;
}

enum sb_err
rows_check(struct store *s, enum rowtab t, int64_t k1, int64_t k2)
{
	struct stmt	*st;
	enum sb_err	 e;
	int		 nc = (int)strlen(tabs[t].types);
	unsigned char	 want[MAC_BYTES];
	bool		 ok;

	if ((e = read_row(s, t, k1, k2, &st)) != SB_OK)
		return e;
	row_mac(s, t, st, 0, k1, k2, want);
	ok = !col_null(st, nc) && col_bytes(st, nc) == MAC_BYTES &&
	    sodium_memcmp(col_blob(st, nc), want, MAC_BYTES) == 0;
	st_reset(st);
	return ok ? SB_OK : altered(s, t, k1, k2);
}

/*
 * Table t's stored seal: *found when there is one of the right form, its
 * count and XOR, and whether its own MAC matches.
 */
static SB_MUST enum sb_err
seal_read(struct store *s, enum rowtab t, bool *found, int64_t *n,
    unsigned char *agg, bool *genuine)
{
	struct stmt	*st;
	enum sb_err	 e;
	unsigned char	 want[MAC_BYTES];

	*found = *genuine = false;
	if ((st = stmt(s, "SELECT n, agg, mac FROM row_seals WHERE tbl = ?")) ==
	    NULL)
		return fail_db(s, "reading a table's seal");
	bind_text(st, 1, tabs[t].name);
	if ((e = step_row(s, st, found, "reading a table's seal")) == SB_OK &&
	    *found && col_bytes(st, 1) == MAC_BYTES &&
	    col_bytes(st, 2) == MAC_BYTES) {
		*n = col_int64(st, 0);
		memcpy(agg, col_blob(st, 1), MAC_BYTES);
		seal_mac(s, t, *n, agg, want);
		*genuine = sodium_memcmp(col_blob(st, 2), want, MAC_BYTES) ==
		    0;
	} else
		*found = false;
	st_reset(st);
	return e;
}

/* The table's seal, read once per transaction. */
static SB_MUST enum sb_err
seal_load(struct store *s, enum rowtab t)
{
	struct row_seal	*c = &s->seals[t];
	bool		 found, genuine;
	enum sb_err	 e;

	if (c->loaded)
		return SB_OK;
	if ((e = seal_read(s, t, &found, &c->n, c->agg, &genuine)) != SB_OK)
		return e;
	/* Every practice has one from the migration on: without it,
	 * sealing anew would make a deletion verify. */
	if (!found || !genuine)
		return fail(s, SB_EIO, "the seal of the table %s is %s: the "
		    "database was changed outside securebase; nothing more is "
		    "written until an administrator runs securebase audit "
		    "verify", tabs[t].name, !found ? "missing or damaged" :
		    "not its own");
	c->loaded = true;
	return SB_OK;
}

enum sb_err
rows_seal(struct store *s, enum rowtab t, int64_t k1, int64_t k2)
{
	struct stmt	*st;
	enum sb_err	 e;
	int		 nc = (int)strlen(tabs[t].types);
	unsigned char	 mac[MAC_BYTES], old[MAC_BYTES];
	bool		 had;

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "a row sealed outside a transaction");
	if (tabs[t].counted && (e = seal_load(s, t)) != SB_OK)
		return e;
	if ((e = read_row(s, t, k1, k2, &st)) != SB_OK)
		return e;
	row_mac(s, t, st, 0, k1, k2, mac);
	had = !col_null(st, nc) && col_bytes(st, nc) == MAC_BYTES;
	if (had)
		memcpy(old, col_blob(st, nc), MAC_BYTES);
	st_reset(st);
	if (tabs[t].counted) {
		if (had)
			xor_into(s->seals[t].agg, old);
		else
			s->seals[t].n++;
		xor_into(s->seals[t].agg, mac);
		s->seals[t].dirty = true;
	}
	if ((st = stmt(s, tabs[t].set)) == NULL)
		return fail_db(s, "sealing a row");
	bind_blob(st, 1, mac, MAC_BYTES);
	bind_key(st, t, 2, k1, k2);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "sealing a row");
	return SB_OK;
}

enum sb_err
rows_seal_new(struct store *s, enum rowtab t, int64_t k1, int64_t k2,
    const struct rowval *v, unsigned char mac[MAC_BYTES])
{
	enum sb_err	 e;

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "a row sealed outside a transaction");
	if (tabs[t].counted && (e = seal_load(s, t)) != SB_OK)
		return e;
	row_mac_vals(s, t, v, k1, k2, mac);
	if (tabs[t].counted) {
		s->seals[t].n++;
		xor_into(s->seals[t].agg, mac);
		s->seals[t].dirty = true;
	}
	return SB_OK;
}

enum sb_err
rows_drop(struct store *s, enum rowtab t, int64_t k1, int64_t k2)
{
	struct stmt	*st;
	enum sb_err	 e;
	int		 nc = (int)strlen(tabs[t].types);

	if (!tabs[t].counted)
		return SB_OK;
	if (s->depth == 0)
		return fail(s, SB_EINVAL, "a row dropped outside a transaction");
	if ((e = seal_load(s, t)) != SB_OK)
		return e;
	if ((e = read_row(s, t, k1, k2, &st)) != SB_OK)
		return e;
	if (!col_null(st, nc) && col_bytes(st, nc) == MAC_BYTES) {
		xor_into(s->seals[t].agg, col_blob(st, nc));
		s->seals[t].n--;
		s->seals[t].dirty = true;
	}
	st_reset(st);
	return SB_OK;
}

enum sb_err
rows_drop_where(struct store *s, enum rowtab t, const char *sql, int64_t arg)
{
	struct stmt	*st;
	enum be_rc	 rc;
	enum sb_err	 e;

	if (!tabs[t].counted)
		return SB_OK;
	if (s->depth == 0)
		return fail(s, SB_EINVAL, "rows dropped outside a transaction");
	if ((e = seal_load(s, t)) != SB_OK)
		return e;
	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading the seals of rows to delete");
	bind_int64(st, 1, arg);
	while ((rc = st_step(st)) == BE_ROW)
		if (!col_null(st, 0) && col_bytes(st, 0) == MAC_BYTES) {
			xor_into(s->seals[t].agg, col_blob(st, 0));
			s->seals[t].n--;
			s->seals[t].dirty = true;
		}
	st_reset(st);
	if (rc != BE_DONE)
		return fail_db(s, "reading the seals of rows to delete");
	return SB_OK;
}

enum sb_err
rows_check_of(struct store *s, enum rowtab t, int64_t client)
{
	struct stmt	*st;
	enum be_rc	 rc = BE_DONE;
	enum sb_err	 e = SB_OK;
	int		 nc = (int)strlen(tabs[t].types);

	if (tabs[t].client == NULL)
		return SB_OK;
	if ((st = stmt(s, tabs[t].client)) == NULL)
		return fail_db(s, "checking a client's seals");
	bind_int64(st, 1, client);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW)
		e = rows_check_stmt(s, t, st, 2, 2 + nc, col_int64(st, 0), 0);
	st_reset(st);
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "checking a client's seals");
	return e;
}

enum sb_err
rows_check_client(struct store *s, int64_t client)
{
	enum sb_err	 e = SB_OK;
	int		 t;

	for (t = 0; e == SB_OK && t < RT__N; t++)
		e = rows_check_of(s, (enum rowtab)t, client);
	return e;
}

enum sb_err
rows_flush(struct store *s)
{
	struct stmt	*st;
	unsigned char	 mac[MAC_BYTES];
	int		 t;

	for (t = 0; t < RT__N; t++) {
		if (!s->seals[t].dirty)
			continue;
		seal_mac(s, (enum rowtab)t, s->seals[t].n, s->seals[t].agg,
		    mac);
		if ((st = stmt(s, "UPDATE row_seals SET n = ?, agg = ?, mac = "
		    "? WHERE tbl = ?")) == NULL)
			return fail_db(s, "writing a table's seal");
		bind_int64(st, 1, s->seals[t].n);
		bind_blob(st, 2, s->seals[t].agg, MAC_BYTES);
		bind_blob(st, 3, mac, MAC_BYTES);
		bind_text(st, 4, tabs[t].name);
		if (st_step(st) != BE_DONE || db_changes(s) != 1)
			return fail_db(s, "writing a table's seal");
		s->seals[t].dirty = false;
	}
	return SB_OK;
}

void
rows_forget(struct store *s)
{
	memset(s->seals, 0, sizeof(s->seals));
}

static SB_MUST enum sb_err	 seal_compare(struct store *, enum rowtab,
    int64_t,
			    const unsigned char *, struct rows_report *);
static void		 report(struct rows_report *, const char *);

/* Every row of table t: sealed anew (seal) or checked. */
static SB_MUST enum sb_err
each_row(struct store *s, enum rowtab t, bool seal, struct rows_report *r)
{
	struct stmt	*st = NULL;
	enum be_rc	 rc;
	enum sb_err	 e = SB_OK;
	int		 nc = (int)strlen(tabs[t].types);
	unsigned char	 mac[MAC_BYTES], agg[MAC_BYTES] = { 0 };
	int64_t		 n = 0, k1, k2;
	char		 name[96], line[160];
	struct stmt	*up;

	if (st_prepare(s, tabs[t].all, &st) != BE_OK)
		return fail_db(s, "reading the sealed rows");
	while ((rc = st_step(st)) == BE_ROW) {
		k1 = col_int64(st, 0);
		k2 = col_int64(st, 1);
		row_mac(s, t, st, 2, k1, k2, mac);
		if (seal) {
			if ((up = stmt(s, tabs[t].set)) == NULL) {
				e = fail_db(s, "sealing a row");
				goto out;
			}
			bind_blob(up, 1, mac, MAC_BYTES);
			bind_key(up, t, 2, k1, k2);
			if (st_step(up) != BE_DONE) {
				e = fail_db(s, "sealing a row");
				goto out;
			}
			xor_into(agg, mac);
			n++;
			continue;
		}
		r->rows++;
		if (!col_null(st, 2 + nc) && col_bytes(st, 2 + nc) ==
		    MAC_BYTES) {
			xor_into(agg, col_blob(st, 2 + nc));
			n++;
		}
		if (col_null(st, 2 + nc) || col_bytes(st, 2 + nc) !=
		    MAC_BYTES || sodium_memcmp(col_blob(st, 2 + nc), mac,
		    MAC_BYTES) != 0) {
			row_name((enum rowtab)t, k1, k2, name, sizeof(name));
			snprintf(line, sizeof(line), "%s: %s\n", name,
			    col_null(st, 2 + nc) ? "inserted outside "
			    "securebase (no seal)" : "altered outside "
			    "securebase (its seal does not match)");
			report(r, line);
		}
	}
	if (rc != BE_DONE) {
		e = fail_db(s, "reading the sealed rows");
		goto out;
	}
	if (!tabs[t].counted)
		goto out;
	if (seal) {
		s->seals[t].loaded = true;
		s->seals[t].dirty = true;
		s->seals[t].n = n;
		memcpy(s->seals[t].agg, agg, MAC_BYTES);
		goto out;
	}
	e = seal_compare(s, t, n, agg, r);
out:
	st_finalize(st);
	return e;
}

/* One finding: counted, and kept while there is room (one per line). */
static void
report(struct rows_report *r, const char *line)
{
	size_t	 len = strlen(r->what);

	r->intact = false;
	r->nbad++;
	if (len + strlen(line) < sizeof(r->what))
		memcpy(r->what + len, line, strlen(line) + 1);
}

/* The stored seal of table t against the rows found (n sealed rows whose
 * MACs XOR to agg). */
static SB_MUST enum sb_err
seal_compare(struct store *s, enum rowtab t, int64_t n,
    const unsigned char *agg, struct rows_report *r)
{
	unsigned char	 sagg[MAC_BYTES];
	int64_t		 sn = 0;
	bool		 found, genuine;
	enum sb_err	 e;
	char		 line[256];

	if ((e = seal_read(s, t, &found, &sn, sagg, &genuine)) != SB_OK)
		return e;
	if (!found)
		snprintf(line, sizeof(line), "%s: the table's seal is missing "
		    "or damaged\n", tabs[t].name);
	else if (!genuine)
		snprintf(line, sizeof(line), "%s: the table's seal was changed "
		    "outside securebase\n", tabs[t].name);
	else if (sn > n)
		snprintf(line, sizeof(line), "%s: %lld sealed row%s deleted "
		    "outside securebase (the seal counts %lld, the table "
		    "holds %lld)\n", tabs[t].name, (long long)(sn - n),
		    sn - n == 1 ? "" : "s", (long long)sn, (long long)n);
	else if (sn < n)
		snprintf(line, sizeof(line), "%s: %lld sealed row%s more than "
		    "the seal counts (copied in from elsewhere; it counts "
		    "%lld, the table holds %lld)\n", tabs[t].name,
		    (long long)(n - sn), n - sn == 1 ? "" : "s", (long long)sn,
		    (long long)n);
	else if (sodium_memcmp(sagg, agg, MAC_BYTES) != 0)
		snprintf(line, sizeof(line), "%s: a sealed row was deleted and "
		    "another put in its place, or put back from an older "
		    "copy\n", tabs[t].name);
	else
		return SB_OK;
	report(r, line);
	return SB_OK;
}

enum sb_err
rows_verify(struct store *s, struct rows_report *r)
{
	enum sb_err	 e;
	int		 t;

	memset(r, 0, sizeof(*r));
	r->intact = true;
	for (t = 0; t < RT__N; t++)
		if ((e = each_row(s, (enum rowtab)t, false, r)) != SB_OK)
			return e;
	return SB_OK;
}

/* Does migration (0: any) seal table t? */
static bool
sealed_by(int t, int migration)
{
	return migration == 0 || (tabs[t].since != 0 ? tabs[t].since :
	    ROWS_MIGRATION) == migration;
}

/* SB_OK when no table that migration seals has a row (nothing to seal
 * without the key). */
static SB_MUST enum sb_err
any_rows(struct store *s, int migration)
{
	struct stmt	*st = NULL;
	enum be_rc	 rc;
	int		 t;

	for (t = 0; t < RT__N; t++) {
		if (!sealed_by(t, migration))
			continue;
		if (st_prepare(s, tabs[t].all, &st) != BE_OK)
			return fail_db(s, "reading the sealed rows");
		rc = st_step(st);
		st_finalize(st);
		if (rc == BE_ROW)
			return fail(s, SB_EINVAL, "the migration that seals rows "
			    "needs the practice key");
		if (rc != BE_DONE)
			return fail_db(s, "reading the sealed rows");
	}
	return SB_OK;
}

enum sb_err
rows_seal_all(struct store *s, int migration)
{
	struct stmt	*st;
	enum sb_err	 e;
	int		 t;

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "rows sealed outside a transaction");
	/* A schema made before its key (init, the target of migrate) has
	 * nothing to seal yet: init seals once the key is made, migrate
	 * copies the seals with the rows. */
	if (s->keys == NULL)
		return any_rows(s, migration);
	for (t = 0; t < RT__N; t++) {
		if (!sealed_by(t, migration))
			continue;
		if ((e = each_row(s, (enum rowtab)t, true, NULL)) != SB_OK)
			return e;
		if (!tabs[t].counted)
			continue;
		if ((st = stmt(s, "INSERT INTO row_seals (tbl, n, agg, mac) "
		    "VALUES (?, 0, ?, ?)")) == NULL)
			return fail_db(s, "making a table's seal");
		bind_text(st, 1, tabs[t].name);
		/* Placeholders: rows_flush writes the real seal. */
		bind_blob(st, 2, s->seals[t].agg, MAC_BYTES);
		bind_blob(st, 3, s->seals[t].agg, MAC_BYTES);
		if (st_step(st) != BE_DONE)
			return fail_db(s, "making a table's seal");
	}
	return rows_flush(s);
}
