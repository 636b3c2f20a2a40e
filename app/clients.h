/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clients.h - the clients the acting user may read, held in memory for
 * a page or an export that names them: looked up by id, never parsed
 * out of text.  The names are clinical data: freeing wipes them.
 */
#ifndef SB_CLIENTS_H
#define SB_CLIENTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct client_name {
	int64_t		 id;
	char		*name;
	char		*therapist;
};

struct client_names {
	struct client_name	*v;	/* by id, ascending */
	size_t			 n, cap;
};

/* Fills *l (empty first) from store_client_each(); free it either way. */
enum sb_err	 client_names_load(struct store *, struct client_names *l)
		    SB_MUST;
/* The client with this id, or NULL. */
const struct client_name *client_names_find(const struct client_names *,
		    int64_t id);
void		 client_names_free(struct client_names *);

#endif
