/*
 * pg.h - the PostgreSQL backend (pg.c), begun: its table, not yet
 * offered by backend_for(), and its parameter rewriting, for the tests.
 */
#ifndef SB_STORE_PG_H
#define SB_STORE_PG_H

#include "store/backend.h"

extern const struct store_backend	pg_backend;

/*
 * sql with the store's "?" and "?N" parameters as "$N" (string literals,
 * quoted names and -- comments left as they are); *n is the highest N.
 * NULL when out of memory or a parameter is over 64.  The caller frees.
 */
char	*pg_rewrite(const char *sql, int *n);

#endif
