/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_user.c - `securebase user`: users, roles, passwords, the second
 * factor, the address alerts go to and the name clients read.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "store/store.h"
#include "core/totp.h"

/*
 * user totp NAME: a new second-factor secret, shown once as the URI an
 * authenticator app reads (and its base32 secret, to type in); --off
 * removes it.
 */
static int
user_totp(const struct ctx *ctx, const char *name, bool off)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	char		 b32[TOTP_BASE32_LEN];
	struct store	*s;
	int		 rc;
	enum sb_err	 e;

	if ((s = cli_store(ctx, "user", true, &rc)) == NULL)
		return rc;
	if (off)
		return cli_done(s, "user", store_totp_set(s, name, NULL, 0));
	randombytes_buf(secret, sizeof(secret));
	if ((e = store_totp_set(s, name, secret, sizeof(secret))) == SB_OK) {
		base32_encode(secret, sizeof(secret), b32, sizeof(b32));
		printf("otpauth://totp/securebase:%s?secret=%s&issuer=securebase"
		    "&algorithm=SHA1&digits=%d&period=%d\n", name, b32,
		    TOTP_DIGITS, TOTP_STEP);
		printf("Add it to an authenticator app (or type the secret %s); "
		    "from now on %s logs in with its %d-digit code. It is shown "
		    "this once.\n", b32, name, TOTP_DIGITS);
		mem_wipe(b32, sizeof(b32));
	}
	mem_wipe(secret, sizeof(secret));
	return cli_done(s, "user", e);
}

/* One user a line: name, role, active or disabled. */
static SB_MUST enum sb_err
user_line(void *arg, const struct store_user_row *u)
{
	return buf_printf(arg, "%s\t%s\t%s\n", u->name,
	    store_role_name(u->role), u->active ? "active" : "disabled");
}

int
cmd_user(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[3], *role = NULL, *pwfile = NULL, *email = NULL;
	const char	*hashfile = NULL;
	bool		 off = false;
	struct opt	 opts[] = {
		{ "role", &role, NULL, NULL },
		{ "password-file", &pwfile, NULL, NULL },
		{ "hash-file", &hashfile, NULL, NULL },
		{ "email", &email, NULL, NULL },
		{ "off", NULL, &off, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	struct buf	 lines;
	enum store_role	 r;
	char		 pw[SECRET_MAX];
	size_t		 npos;
	int64_t		 id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("user", argc, argv, opts, pos, 1, 3, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "email") == 0) {
		/* The address alerts are sent to: "user email NAME ADDRESS",
		 * or --off. */
		if (npos != (off ? 2 : 3))
			return usage_error("user", "user email NAME ADDRESS, or "
			    "user email NAME --off");
		if (!off && !store_email_ok(pos[2]))
			return usage_error("user", "\"%.64s\" is not a mail "
			    "address (name@domain)", pos[2]);
		if ((s = cli_store(ctx, "user", true, &rc)) == NULL)
			return rc;
		return cli_done(s, "user", store_user_email(s, pos[1], off ?
		    NULL : pos[2]));
	}
	if (strcmp(pos[0], "display") == 0) {
		/* The name clients read: "user display NAME 'Dr Maya
		 * Okafor'", or --off. */
		if (npos != (off ? 2 : 3))
			return usage_error("user", "user display NAME TEXT, or "
			    "user display NAME --off");
		if ((s = cli_store(ctx, "user", true, &rc)) == NULL)
			return rc;
		return cli_done(s, "user", store_user_display(s, pos[1], off ?
		    NULL : pos[2]));
	}
	if (npos == 3)
		return usage_error("user", "too many arguments");
	if (email != NULL && !store_email_ok(email))
		return usage_error("user", "--email \"%.64s\" is not a mail "
		    "address (name@domain)", email);
	if (strcmp(pos[0], "list") == 0) {
		if ((s = cli_store(ctx, "user", true, &rc)) == NULL)
			return rc;
		buf_init(&lines, 1 << 24);
		return cli_done(s, "user", cli_emit(&lines,
		    store_user_each(s, user_line, &lines)));
	}
	if (npos != 2)
		return usage_error("user", "%s needs a NAME", pos[0]);
	if (strcmp(pos[0], "totp") == 0)
		return user_totp(ctx, pos[1], off);
	if (strcmp(pos[0], "add") == 0) {
		if (role == NULL || !store_role_parse(role, &r))
			return usage_error("user", "--role is therapist, "
			    "supervisor, admin or kiosk");
	} else if (strcmp(pos[0], "passwd") != 0 &&
	    strcmp(pos[0], "disable") != 0)
		return usage_error("user", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if (hashfile != NULL && (strcmp(pos[0], "passwd") != 0 ||
	    pwfile != NULL))
		return usage_error("user", "--hash-file goes with passwd, "
		    "instead of --password-file");
	/* An Argon2id hash carried over from an earlier system: checked
	 * against today's rules at its user's next sign-in. */
	if (hashfile != NULL) {
		if ((rc = cli_read_secret(hashfile, NULL, pw, sizeof(pw))) !=
		    EXIT_OK)
			return rc;
		if ((s = cli_store(ctx, "user", true, &rc)) == NULL) {
			mem_wipe(pw, sizeof(pw));
			return rc;
		}
		e = store_user_set_hash(s, pos[1], pw);
		mem_wipe(pw, sizeof(pw));
		return cli_done(s, "user", e);
	}
	if (strcmp(pos[0], "disable") != 0 &&
	    (rc = cli_read_secret(pwfile, "New password: ", pw, sizeof(pw))) !=
	    EXIT_OK)
		return rc;
	if ((s = cli_store(ctx, "user", true, &rc)) == NULL) {
		mem_wipe(pw, sizeof(pw));
		return rc;
	}
	if (strcmp(pos[0], "add") == 0) {
		/* The user and their address together, or neither. */
		if ((e = store_begin(s)) == SB_OK &&
		    (e = store_user_add(s, pos[1], r, pw, &id)) == SB_OK &&
		    (email == NULL || (e = store_user_email(s, pos[1],
		    email)) == SB_OK))
			e = store_commit(s);
		else
			store_rollback(s);
		/* A therapist's alerts are mailed to them: without an
		 * address only the duty address hears of one. */
		if (e == SB_OK && r == ROLE_THERAPIST && email == NULL)
			fprintf(stderr, "securebase user: warning: %s has no "
			    "mail address, so their clients' high alerts reach "
			    "only the duty address: securebase user email %s "
			    "ADDRESS\n", pos[1], pos[1]);
	}
	else if (strcmp(pos[0], "passwd") == 0)
		e = store_user_passwd(s, pos[1], pw);
	else
		e = store_user_disable(s, pos[1]);
	mem_wipe(pw, sizeof(pw));
	return cli_done(s, "user", e);
}
