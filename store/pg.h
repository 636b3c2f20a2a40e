/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pg.h - the PostgreSQL backend (pg.c, pg_schema.c): its migrations, and
 * its parameter rewriting, for the tests.
 */
#ifndef SB_STORE_PG_H
#define SB_STORE_PG_H

#include "store/backend.h"

extern const char *const	pg_migrations[];


/*
 * sql with the store's "?" and "?N" parameters as "$N" (string literals,
 * quoted names and -- comments left as they are); *n is the highest N.
 * NULL when out of memory or a parameter is over 64.  The caller frees.
 */
char	*pg_rewrite(const char *sql, int *n);

#endif
