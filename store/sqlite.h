/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite.h - what the SQLite backend shares beyond its table
 * (backend.h): its migrations, and its handle for the tests that reach
 * past the store into the file, as an attacker with the file would.
 */
#ifndef SB_STORE_SQLITE_H
#define SB_STORE_SQLITE_H

#include <sqlite3.h>

#include "store/backend.h"

struct store;

/* The schema's migrations in SQLite's DDL, NULL-terminated
 * (sqlite_schema.c). */
extern const char *const	 sqlite_migrations[];

/* The audit trail's guards, and the code of the migrations that have
 * some on this engine alone (sqlite_schema.c; the last is migration
 * 12's; schema.c has the code both engines run). */
#define SQLITE_MIGRATION_CODE	12
extern const struct be_guard	 sqlite_guards[];
extern enum sb_err		(*const sqlite_migration_code[
				    SQLITE_MIGRATION_CODE])(struct store *);

/* The SQLite handle of s (NULL when s is on another backend).  For
 * tests only: the store's own code goes through the table. */
sqlite3		*sqlite_handle(struct store *);

#endif
