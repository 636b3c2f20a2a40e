/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative.c - narrative work in the store: the practice's prompts, and
 * each client's answers to them as drafts that are never overwritten
 * (every version kept, sealed).  The indicators are core/narrative.h's,
 * computed when shown, never stored: a changed lexicon changes them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/store_int.h"

#define PROMPT_MAX	4096

static bool
key_ok(const char *k)
{
	size_t	 i, n = k ? strlen(k) : 0;

	if (n == 0 || n > 32)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' &&
		    k[i] <= '9') || k[i] == '-'))
			return false;
	return true;
}

enum sb_err
store_prompts_seed(struct store *s, const struct store_prompt_def *defs,
    size_t n)
{
	bool		 row;
	struct stmt	*st;
	size_t		 i;
	int		 have = 0;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT count(*) FROM narrative_prompts")) == NULL)
		return txn_end(s, fail_db(s, "reading the prompts"));
	if ((e = step_row(s, st, &row, "reading the prompts")) == SB_OK &&
	    row)
		have = col_int(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	for (i = 0; have == 0 && i < n; i++) {
		if (!key_ok(defs[i].key) || !text_ok(defs[i].text, PROMPT_MAX))
			return txn_end(s, fail(s, SB_EINVAL, "prompt %zu: a key "
			    "of a-z, 0-9 and -, and a text", i + 1));
		if ((st = stmt(s, "INSERT INTO narrative_prompts (key, position,"
		    " text) VALUES (?, ?, ?)")) == NULL)
			return txn_end(s, fail_db(s, "adding a prompt"));
		bind_text(st, 1, defs[i].key);
		bind_int64(st, 2, (int64_t)i + 1);
		bind_text(st, 3, defs[i].text);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "adding a prompt"));
	}
	return txn_end(s, SB_OK);
}

enum sb_err
store_prompt_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_prompt_def *), void *arg)
{
	struct store_prompt_def	 p;
	struct stmt		*st;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if ((st = stmt(s, "SELECT key, text FROM narrative_prompts ORDER BY "
	    "position, id")) == NULL)
		return fail_db(s, "reading the prompts");
	while ((rc = st_step(st)) == BE_ROW) {
		p.key = col_text(st, 0);
		p.text = col_text(st, 1);
		if (p.key == NULL || p.text == NULL)
			continue;
		if ((e = fn(arg, &p)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the prompts");
	st_reset(st);
	return e;
}

enum sb_err
store_prompt_set(struct store *s, const char *key, const char *text)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (!s->has_actor || (s->actor.role != ROLE_ADMIN &&
	    s->actor.role != ROLE_THERAPIST))
		return fail(s, SB_EPERM, "admins and therapists change prompts");
	if (!key_ok(key))
		return fail(s, SB_EINVAL, "a prompt key is 1-32 of a-z, 0-9 "
		    "and -");
	if (text == NULL || text[0] == '\0' || !text_ok(text, PROMPT_MAX) ||
	    text_control_at(text, strlen(text), false) >= 0)
		return fail(s, SB_EINVAL, "a prompt is one line of 1-%d bytes, "
		    "without control characters", PROMPT_MAX);
	if (text_bidi_unpaired(text, strlen(text)) >= 0)
		return fail(s, SB_EINVAL, "a prompt holds a direction mark "
		    "(U+202A-U+202E, U+2066-U+2069) left open or unopened");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "INSERT INTO narrative_prompts (key, position, text) "
	    "VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM "
	    "narrative_prompts), ?2) ON CONFLICT (key) DO UPDATE SET text = "
	    "excluded.text")) == NULL)
		return txn_end(s, fail_db(s, "changing the prompt"));
	bind_text(st, 1, key);
	bind_text(st, 2, text);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "changing the prompt"));
	return txn_end(s, audit_append(s, "update", "prompt", 0, key));
}

/* The client's narrative for prompt: its id, made when make is set. */
static SB_MUST enum sb_err
narrative_id(struct store *s, int64_t client, const char *prompt, bool make,
    int64_t *id)
{
	bool		 row;
	struct stmt	*st;
	char		 at[32];
	enum sb_err	 e;

	*id = 0;
	if ((st = stmt(s, "SELECT id FROM narratives WHERE client_id = ? AND "
	    "prompt = ?")) == NULL)
		return fail_db(s, "finding the narrative");
	bind_int64(st, 1, client);
	bind_text(st, 2, prompt);
	if ((e = step_row(s, st, &row, "finding the narrative")) == SB_OK &&
	    row)
		*id = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (*id != 0 || !make)
		return SB_OK;
	if ((st = stmt(s, "SELECT 1 FROM narrative_prompts WHERE key = ?")) ==
	    NULL)
		return fail_db(s, "finding the prompt");
	bind_text(st, 1, prompt);
	if ((e = step_row(s, st, &row, "finding the prompt")) == SB_OK &&
	    !row)
		e = fail(s, SB_ENOENT, "no prompt \"%.32s\" in this practice",
		    prompt);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM narratives",
	    id)) != SB_OK)
		return e;
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO narratives (id, client_id, prompt, "
	    "created) VALUES (?, ?, ?, ?)")) == NULL)
		return fail_db(s, "starting the narrative");
	bind_int64(st, 1, *id);
	bind_int64(st, 2, client);
	bind_text(st, 3, prompt);
	bind_text(st, 4, at);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "starting the narrative");
	return rows_seal(s, RT_NARRATIVES, *id, 0);
}

/* The latest draft's version and text (opened into out). */
static SB_MUST enum sb_err
latest_draft(struct store *s, int64_t narrative, int *version,
    struct buf *out)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 id = 0;
	enum sb_err	 e = SB_OK;

	*version = 0;
	if ((st = stmt(s, "SELECT id, version, text FROM narrative_drafts "
	    "WHERE narrative_id = ? ORDER BY version DESC LIMIT 1")) == NULL)
		return fail_db(s, "reading the draft");
	bind_int64(st, 1, narrative);
	if ((e = step_row(s, st, &row, "reading the draft")) == SB_OK && row) {
		id = col_int64(st, 0);
		*version = col_int(st, 1);
		e = column_opened(s, st, 2, "narrative_drafts", "text", id, out);
	}
	st_reset(st);
	if (e != SB_OK)
		return e;
	return e;
}

/*
 * A link saves a draft at every page, and a link holder could post
 * thousands: the client's drafts of one narrative are capped at
 * NARRATIVE_CLIENT_DRAFTS, the newest kept (the therapist's never go).
 */
static SB_MUST enum sb_err
prune_client_drafts(struct store *s, int64_t nid)
{
	struct stmt	*st;
	int64_t		 gone;
	char		 detail[64];

	if ((st = stmt(s, "DELETE FROM narrative_drafts WHERE narrative_id = "
	    "?1 AND author = 'client' AND id NOT IN (SELECT id FROM "
	    "narrative_drafts WHERE narrative_id = ?1 AND author = 'client' "
	    "ORDER BY version DESC LIMIT ?2)")) == NULL)
		return fail_db(s, "keeping the newest drafts");
	bind_int64(st, 1, nid);
	bind_int64(st, 2, NARRATIVE_CLIENT_DRAFTS);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "keeping the newest drafts");
	if ((gone = db_changes(s)) == 0)
		return SB_OK;
	snprintf(detail, sizeof(detail), "%lld oldest client draft%s over %d",
	    (long long)gone, gone == 1 ? "" : "s", NARRATIVE_CLIENT_DRAFTS);
	return audit_append(s, "prune", "narrative", nid, detail);
}

enum sb_err
store_narrative_save(struct store *s, int64_t client, const char *prompt,
    const char *text, bool by_client, int *version)
{
	struct stmt	*st;
	struct buf	 last;
	char		 at[32];
	int64_t		 nid, did;
	enum sb_err	 e;

	*version = 0;
	if (!key_ok(prompt))
		return fail(s, SB_EINVAL, "no prompt \"%.32s\"", prompt ?
		    prompt : "");
	/* Access first: a refusal says nothing about the text. */
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if (text == NULL || text[0] == '\0')
		return fail(s, SB_EINVAL, "write something first: an empty "
		    "draft is not kept");
	if (!text_ok(text, STORE_MAX_TEXT))
		return fail(s, SB_EINVAL, "a narrative is valid UTF-8 of at most "
		    "%d bytes", STORE_MAX_TEXT);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = narrative_id(s, client, prompt, true, &nid)) != SB_OK)
		return txn_end(s, e);
	buf_init(&last, STORE_MAX_TEXT + 64);
	e = latest_draft(s, nid, version, &last);
	/* An autosave of what is already kept keeps nothing new. */
	if (e == SB_OK && *version > 0 && strcmp(last.data ? last.data : "",
	    text) == 0) {
		buf_wipe(&last);
		return txn_end(s, SB_OK);
	}
	buf_wipe(&last);
	if (e == SB_OK)
		e = next_id(s, "SELECT coalesce(max(id), 0) FROM "
		    "narrative_drafts", &did);
	now_iso(at);
	if (e == SB_OK && (st = stmt(s, "INSERT INTO narrative_drafts (id, "
	    "narrative_id, version, created, text, author) VALUES (?, ?, ?, ?, "
	    "?, ?)")) == NULL)
		e = fail_db(s, "saving the draft");
	if (e == SB_OK) {
		bind_int64(st, 1, did);
		bind_int64(st, 2, nid);
		bind_int64(st, 3, *version + 1);
		bind_text(st, 4, at);
		bind_text_ref(st, 6, by_client ? "client" : "therapist");
		e = bind_sealed(s, st, 5, "narrative_drafts", "text", did, text);
	}
	if (e == SB_OK && st_step(st) != BE_DONE)
		e = fail_db(s, "saving the draft");
	if (e == SB_OK)
		e = rows_seal(s, RT_DRAFTS, did, 0);
	if (e == SB_OK) {
		(*version)++;
		e = audit_append(s, "create", "draft", did, prompt);
	}
	if (e == SB_OK && by_client)
		e = prune_client_drafts(s, nid);
	return txn_end(s, e);
}

enum sb_err
store_narrative_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_narrative_row *), void *arg)
{
	struct store_narrative_row	 n;
	struct stmt			*st;
	int				 rc;
	enum sb_err			 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check_of(s, RT_NARRATIVES, client)) != SB_OK ||
	    (e = rows_check_of(s, RT_DRAFTS, client)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT n.prompt, count(d.id), max(d.created) FROM "
	    "narratives n JOIN narrative_drafts d ON d.narrative_id = n.id "
	    "WHERE n.client_id = ? GROUP BY n.id ORDER BY n.id")) == NULL)
		return txn_end(s, fail_db(s, "listing narratives"));
	bind_int64(st, 1, client);
	e = SB_OK;
	while ((rc = st_step(st)) == BE_ROW) {
		n.prompt = col_text(st, 0);
		n.drafts = col_int(st, 1);
		n.last = col_text(st, 2);
		if (n.prompt == NULL || n.last == NULL)
			continue;
		if ((e = fn(arg, &n)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing narratives");
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client,
	    "narratives"));
}

enum sb_err
store_narrative_drafts(struct store *s, int64_t client, const char *prompt,
    enum sb_err (*fn)(void *, const struct store_draft *), void *arg)
{
	struct store_draft	 d;
	struct buf		 text;
	struct stmt		*st;
	bool			 row;
	int64_t			 nid, id;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check_of(s, RT_NARRATIVES, client)) != SB_OK ||
	    (e = rows_check_of(s, RT_DRAFTS, client)) != SB_OK)
		return txn_end(s, e);
	if ((e = narrative_id(s, client, prompt ? prompt : "", false, &nid)) !=
	    SB_OK)
		return txn_end(s, e);
	if (nid == 0)
		return txn_end(s, SB_OK);
	if ((st = stmt(s, "SELECT id, version, created, author, text FROM "
	    "narrative_drafts WHERE narrative_id = ? ORDER BY version")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading drafts"));
	bind_int64(st, 1, nid);
	buf_init(&text, STORE_MAX_TEXT + 64);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading drafts")) ==
	    SB_OK && row) {
		id = col_int64(st, 0);
		buf_reset(&text);
		if ((e = column_opened(s, st, 4, "narrative_drafts", "text", id,
		    &text)) != SB_OK)
			break;
		d.version = col_int(st, 1);
		d.created = col_text(st, 2);
		d.author = col_text(st, 3);
		d.text = text.data ? text.data : "";
		e = fn(arg, &d);
	}
	st_reset(st);
	buf_wipe(&text);
	if (e == SB_OK)
		e = audit_append(s, "read", "narrative", nid, prompt);
	return txn_end(s, e);
}

enum sb_err
store_link_finish(struct store *s, int64_t link)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE links SET done = 1 WHERE id = ? AND done = 0 "
	    "AND administration_id IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "closing the link"));
	bind_int64(st, 1, link);
	if (st_step(st) != BE_DONE || db_changes(s) != 1)
		return txn_end(s, fail(s, SB_EINVAL, "this link is already "
		    "finished"));
	return txn_end(s, audit_append(s, "complete", "link", link, ""));
}
