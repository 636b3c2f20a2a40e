/*
 * pg.h - the PostgreSQL backend (pg.c, pg_schema.c): its migrations, and
 * its parameter rewriting, for the tests.
 */
#ifndef SB_STORE_PG_H
#define SB_STORE_PG_H

#include "store/backend.h"

extern const char *const	pg_migrations[];
/* The code of the migrations that have some (pg_schema.c; the last is
 * migration 23's: the row seals). */
#define PG_MIGRATION_CODE	23
extern enum sb_err		(*const pg_migration_code[PG_MIGRATION_CODE])(
				    struct store *);

/*
 * sql with the store's "?" and "?N" parameters as "$N" (string literals,
 * quoted names and -- comments left as they are); *n is the highest N.
 * NULL when out of memory or a parameter is over 64.  The caller frees.
 */
char	*pg_rewrite(const char *sql, int *n);

#endif
