/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web.h - the web application: `securebase serve`.
 *
 * libmicrohttpd with a thread per connection (handlers block on Argon2id
 * and SQLite), every limit set explicitly, request bodies capped.  Pages
 * are rendered on the server through render/html.h; there is no script.
 */
#ifndef SB_WEB_H
#define SB_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "app/registry.h"
#include "core/narrative.h"
#include "store/store.h"

struct web_config {
	const char		*db;
	struct store_key	 key;
	const char		*host;		/* listen address */
	unsigned short		 port;
	const char		*origin;	/* public origin, for links and CSRF */
	const struct registry	*reg;
	const char		*crisis;	/* --crisis-text, or NULL */
	const char		*smtp;		/* --smtp URL, or NULL */
	int			 anchor_minutes;	/* 0: no anchors */
	bool			 trust_proxy;	/* X-Real-IP is the client */
	bool			 no_sandbox;	/* --no-sandbox (web/sandbox.h) */
	const struct lexicon	*lex;		/* the narrative indicators' words */
	struct store_lock	*guard;		/* the practice's lock, renewed */
	/* /metrics for a monitor elsewhere: "Authorization: Bearer" this
	 * (NULL: only from this machine). */
	const char		*metrics_token;
	size_t			 metrics_token_len;
};

/* Serves until SIGINT or SIGTERM; 0 on a clean stop. */
int	 web_serve(const struct web_config *, char *err, size_t errsz);

#endif
