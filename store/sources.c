/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sources.c - where imported records came from, and the practice's own
 * FHIR base.  See store.h.
 *
 * A re-import must find what the first import made without the store
 * keeping patients' identifiers (a hospital's record number) in the
 * clear: each source is kept sealed for reading and as a keyed hash
 * (crypto.c keys_source_key) for finding.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "store/store_int.h"

static const char *const kinds[] = { "client", "administration" };

enum sb_err
store_fhir_base(struct store *s, struct buf *out)
{
	char		 tag[17];
	bool		 set;
	enum sb_err	 e;

	buf_reset(out);
	if ((e = store_setting_get(s, SET_FHIR_BASE, out, &set)) != SB_OK)
		return e;
	if (set)
		return SB_OK;
	keys_practice_tag(s->keys, tag);
	buf_reset(out);
	buf_printf(out, "https://securebase.invalid/practice/%s/fhir/", tag);
	return out->err;
}

enum sb_err
store_source_find(struct store *s, enum store_source_kind kind,
    int64_t client, const char *system, const char *value, int64_t *id)
{
	unsigned char	 key[SOURCE_KEY_BYTES];
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*id = 0;
	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user (--user NAME)");
	keys_source_key(s->keys, system, value, key);
	if (kind == SOURCE_CLIENT)
		st = stmt(s, "SELECT client_id FROM import_sources WHERE kind = "
		    "'client' AND source_key = ? ORDER BY id LIMIT 1");
	else
		st = stmt(s, "SELECT administration_id FROM import_sources "
		    "WHERE kind = 'administration' AND source_key = ? AND "
		    "client_id = ?");
	if (st == NULL)
		return fail_db(s, "finding an imported source");
	bind_blob(st, 1, key, sizeof(key));
	if (kind != SOURCE_CLIENT)
		bind_int64(st, 2, client);
	if ((e = step_row(s, st, &row, "finding an imported source")) ==
	    SB_OK && row)
		*id = col_int64(st, 0);
	st_reset(st);
	/* A client found is one the acting user must be able to see. */
	if (e == SB_OK && *id != 0 && kind == SOURCE_CLIENT)
		e = client_access_logged(s, *id, true);
	return e;
}

enum sb_err
store_source_add(struct store *s, enum store_source_kind kind,
    int64_t client, int64_t administration, const char *system,
    const char *value, const char *offset)
{
	unsigned char	 key[SOURCE_KEY_BYTES];
	char		 src[STORE_MAX_SOURCE + 2];
	struct stmt	*st;
	int64_t		 id;
	enum sb_err	 e;

	if (strlen(system) + strlen(value) + 1 > STORE_MAX_SOURCE)
		return fail(s, SB_ELIMIT, "an imported identifier longer than "
		    "%d bytes", STORE_MAX_SOURCE);
	if ((e = client_access(s, client, true)) != SB_OK)
		return e;
	keys_source_key(s->keys, system, value, key);
	snprintf(src, sizeof(src), "%s|%s", system, value);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM import_sources",
	    &id)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "INSERT INTO import_sources (id, kind, client_id, "
	    "administration_id, source_key, source, authored_offset, "
	    "imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "keeping an import's source"));
	bind_int64(st, 1, id);
	bind_text_ref(st, 2, kinds[kind]);
	bind_int64(st, 3, client);
	if (kind == SOURCE_ADMINISTRATION)
		bind_int64(st, 4, administration);
	else
		bind_null(st, 4);
	bind_blob(st, 5, key, sizeof(key));
	if ((e = bind_sealed(s, st, 6, "import_sources", "source", id, src)) !=
	    SB_OK)
		return txn_end(s, e);
	if (offset != NULL && offset[0] != '\0')
		bind_text(st, 7, offset);
	else
		bind_null(st, 7);
	bind_int64(st, 8, clock_now());
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping an import's source"));
	return txn_end(s, SB_OK);
}
