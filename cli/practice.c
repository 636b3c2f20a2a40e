/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * practice.c - what the commands on the practice database share:
 * opening it (key, user, read-only), ids, secrets read from a file or
 * the terminal, the end of a command.  Each command is in cmd_NAME.c.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "app/io.h"
#include "core/text.h"

int
cli_key(const struct ctx *ctx, const char *cmd, struct store_key *k,
    char *buf, size_t n)
{
	k->file = NULL;
	k->passphrase_file = ctx->passphrase_file;
	if (k->passphrase_file != NULL)
		return EXIT_OK;
	if (ctx->keyfile != NULL) {
		k->file = ctx->keyfile;
		return EXIT_OK;
	}
	k->file = buf;
	if (store_default_keyfile(ctx->db ? ctx->db : "", buf, n))
		return EXIT_OK;
	return usage_error(cmd, "a PostgreSQL practice has no key file "
	    "beside it: give --key-file KEYPATH or set SECUREBASE_KEY_FILE "
	    "(the key stays on the application nodes, never in the "
	    "database)");
}

static struct store *
open_store(const struct ctx *ctx, const char *cmd, bool need_user,
    bool readonly, int *rc)
{
	struct store	*s;
	struct store_key key;
	char		 kf[4200], err[1024];

	if (ctx->db == NULL) {
		*rc = usage_error(cmd, "which practice? give --db PATH or set "
		    "SECUREBASE_DB");
		return NULL;
	}
	if (need_user && ctx->user == NULL) {
		*rc = usage_error(cmd, "who is acting? give --user NAME or set "
		    "SECUREBASE_USER (it is recorded in the audit trail)");
		return NULL;
	}
	if ((*rc = cli_key(ctx, cmd, &key, kf, sizeof(kf))) != EXIT_OK)
		return NULL;
	*rc = EXIT_RUNTIME;
	if ((readonly ? store_open_readonly(ctx->db, &key, &s, err,
	    sizeof(err)) : store_open(ctx->db, &key, &s, err, sizeof(err))) !=
	    SB_OK) {
		fprintf(stderr, "securebase %s: %s\n", cmd, err);
		return NULL;
	}
	if (need_user && store_act_as(s, ctx->user) != SB_OK) {
		fprintf(stderr, "securebase %s: %s\n", cmd, store_errmsg(s));
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *
cli_store(const struct ctx *ctx, const char *cmd, bool need_user,
    int *rc)
{
	return open_store(ctx, cmd, need_user, false, rc);
}

struct store *
cli_store_readonly(const struct ctx *ctx, const char *cmd, int *rc)
{
	return open_store(ctx, cmd, false, true, rc);
}

static void
permit_cb(void *arg, const char *id, const char *text)
{
	/* A permission for an instrument this release does not ship is
	 * kept in the database and used by the release that has it. */
	(void)!registry_set_permission(arg, id, text);
}

bool
cli_db_permissions(struct store *s, struct registry *r)
{
	if (store_permission_each(s, permit_cb, r) == SB_OK)
		return true;
	/* Unread, a permitted instrument would be refused as unpermitted. */
	fprintf(stderr, "securebase: the practice's instrument permissions "
	    "could not be read: %s\n", store_errmsg(s));
	return false;
}

bool
cli_id(const char *s, int64_t *id)
{
	long	 v;

	if (s == NULL || !text_int(s, strlen(s), &v) || v < 1)
		return false;
	*id = v;
	return true;
}

int
cli_read_secret(const char *file, const char *prompt, char *out, size_t n)
{
	struct termios	 old, quiet;
	struct buf	 b;
	char		 err[512];
	size_t		 len;
	bool		 tty;

	if (file != NULL) {
		if (io_read_file(file, SECRET_MAX, &b, err, sizeof(err)) !=
		    SB_OK) {
			fprintf(stderr, "securebase: %s\n", err);
			return EXIT_RUNTIME;
		}
		len = b.len;
		/* One line: a trailing newline is not part of the secret. */
		while (len > 0 && (b.data[len - 1] == '\n' ||
		    b.data[len - 1] == '\r'))
			len--;
		if (len >= n || memchr(b.data, '\0', len) != NULL) {
			fprintf(stderr, "securebase: %s: not a password\n",
			    file);
			buf_wipe(&b);
			return EXIT_RUNTIME;
		}
		memcpy(out, b.data, len);
		out[len] = '\0';
		buf_wipe(&b);
		return EXIT_OK;
	}
	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	fprintf(stderr, "%s", prompt);
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)n, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	out[strcspn(out, "\r\n")] = '\0';
	return EXIT_OK;
}

int
cli_done(struct store *s, const char *cmd, enum sb_err e)
{
	/* An error the store did not make was printed where it arose. */
	if (e != SB_OK && store_errmsg(s)[0] != '\0')
		fprintf(stderr, "securebase %s: %s\n", cmd, store_errmsg(s));
	store_close(s);
	return e == SB_OK ? EXIT_OK : EXIT_RUNTIME;
}

enum sb_err
cli_emit(struct buf *out, enum sb_err e)
{
	if (e == SB_OK && out->err != SB_OK)
		e = (enum sb_err)out->err;
	if (e == SB_OK && out->len > 0 &&
	    fwrite(out->data, 1, out->len, stdout) != out->len)
		e = SB_EIO;
	buf_wipe(out);
	return e;
}

void
cli_print_stopped(const struct store_stopped *st)
{
	if (st->plans + st->links + st->messages == 0)
		return;
	printf("sending stopped: %zu plan%s, %zu open link%s withdrawn, %zu "
	    "queued message%s cancelled\n", st->plans, st->plans == 1 ? "" :
	    "s", st->links, st->links == 1 ? "" : "s", st->messages,
	    st->messages == 1 ? "" : "s");
}

void
cli_print_id(bool json, const char *what, int64_t id)
{
	if (json)
		printf("{\"%s\": %lld}\n", what, (long long)id);
	else
		printf("%lld\n", (long long)id);
}
