/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * main.c - the securebase command line: global options, dispatch to a
 * command, option parsing shared by the commands.
 *
 * Commands return an exit code (EXIT_OK, EXIT_RUNTIME, EXIT_USAGE); only
 * main() exits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/testclock.h"
#include "cli/answers.h"
#include "cli/cli.h"
#include "core/text.h"
#include "store/store.h"

struct command {
	const char	*name;
	int		(*fn)(const struct ctx *, int, char **);
};

static const struct command commands[] = {
	{ "instruments",	cmd_instruments },
	{ "score",		cmd_score },
	{ "psychometrics",	cmd_psychometrics },
	{ "administer",		cmd_administer },
	{ "change",		cmd_change },
	{ "init",		cmd_init },
	{ "user",		cmd_user },
	{ "client",		cmd_client },
	{ "person",		cmd_person },
	{ "relationship",	cmd_relationship },
	{ "event",		cmd_event },
	{ "session",		cmd_session },
	{ "note",		cmd_note },
	{ "alerts",		cmd_alerts },
	{ "audit",		cmd_audit },
	{ "backup",		cmd_backup },
	{ "restore",		cmd_restore },
	{ "migrate",		cmd_migrate },
	{ "upgrade",		cmd_upgrade },
	{ "export",		cmd_export },
	{ "import",		cmd_import },
	{ "case",		cmd_case },
	{ "rescore",		cmd_rescore },
	{ "serve",		cmd_serve },
	{ "link",		cmd_link },
	{ "demo",		cmd_demo },
	{ "episode",		cmd_episode },
	{ "consent",		cmd_consent },
	{ "history",		cmd_history },
	{ "narrative",		cmd_narrative },
	{ "outcomes",		cmd_outcomes },
	{ "report",		cmd_report },
	{ "notify",		cmd_notify },
	{ "schedule",		cmd_schedule },
	{ "settings",		cmd_settings },
	{ "privacy",		cmd_privacy },
	{ NULL,			NULL }
};

int
opts_parse(const char *cmd, int argc, char **argv, const struct opt *opts,
    const char **pos, size_t minpos, size_t maxpos, size_t *npos)
{
	const struct opt	*o;
	const char		*a, *eq;
	size_t			 len;
	int			 i;
	bool			 only_pos = false;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*npos == maxpos)
				return usage_error(cmd, "unexpected argument "
				    "\"%.64s\"", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help_print(cmd);
			return EXIT_HELPED;
		}
		if (a[1] != '-')
			return usage_error(cmd, "unknown option \"%.64s\"", a);
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (o = opts; o->name != NULL; o++)
			if (strlen(o->name) == len &&
			    strncmp(o->name, a + 2, len) == 0)
				break;
		if (o->name == NULL)
			return usage_error(cmd, "unknown option \"%.64s\"", a);
		if (o->flag != NULL) {
			if (eq != NULL)
				return usage_error(cmd, "--%s takes no value",
				    o->name);
			*o->flag = true;
			continue;
		}
		if (eq == NULL && i + 1 >= argc)
			return usage_error(cmd, "--%s needs a value", o->name);
		a = eq != NULL ? eq + 1 : argv[++i];
		if (o->list != NULL) {
			if (o->list->n == OPT_LIST_MAX)
				return usage_error(cmd, "--%s at most %d times",
				    o->name, OPT_LIST_MAX);
			o->list->v[o->list->n++] = a;
		} else
			*o->val = a;
	}
	if (*npos < minpos)
		return usage_error(cmd, "missing argument");
	return EXIT_OK;
}

int
cli_answers_opts(const char *cmd, const struct opt_list *missing,
    const char *delim, struct answers_opts *o)
{
	size_t	 i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < missing->n && i < ANSWERS_MAX_MISSING; i++)
		o->missing[o->nmissing++] = missing->v[i];
	if (delim != NULL && !answers_delim(delim, &o->delim))
		return usage_error(cmd, "--delimiter is \",\", \";\" or tab");
	return EXIT_OK;
}

int
cli_registry(const struct ctx *ctx, struct registry *r)
{
	struct buf	 warn;
	struct store	*s;
	enum sb_err	 e;
	int		 rc;

	buf_init(&warn, 1024 * 1024);
	e = registry_load(r, ctx->instruments_dir, ctx->licences, &warn);
	if (warn.len > 0)
		fprintf(stderr, "securebase: warning: problems loading "
		    "instruments; those files are skipped:\n%s", warn.data);
	buf_free(&warn);
	if (e != SB_OK) {
		fprintf(stderr, "securebase: cannot load instruments: %s\n",
		    sb_strerror(e));
		return EXIT_RUNTIME;
	}
	/* With a practice database, its recorded permissions count too. */
	if (ctx->db != NULL &&
	    (s = cli_store(ctx, "instruments", false, &rc)) != NULL) {
		rc = cli_db_permissions(s, r) ? EXIT_OK : EXIT_RUNTIME;
		store_close(s);
		if (rc != EXIT_OK)
			registry_free(r);
		return rc;
	}
	return EXIT_OK;
}

const struct reg_entry *
cli_instrument(const struct registry *r, const char *id)
{
	const struct reg_entry	*e;
	size_t			 i;

	if ((e = registry_find(r, id)) != NULL)
		return e;
	fprintf(stderr, "securebase: no instrument \"%.64s\"; known:", id);
	for (i = 0; i < r->n; i++)
		fprintf(stderr, " %s", r->v[i].in->id);
	fprintf(stderr, "\n");
	return NULL;
}

void
cli_licence_note(const struct reg_entry *e)
{
	if (!e->enabled)
		fprintf(stderr, "securebase: note: %s scores existing data but "
		    "cannot be administered until permission is recorded.\n"
		    "Licence terms: %s\n", e->in->id, e->in->licence_terms);
}

bool
cli_scale(const char *s, int *lo, int *hi)
{
	const char	*dash;
	long		 a, b;

	/* The first '-' after the first character: "-1-5" is allowed. */
	if (s[0] == '\0' || (dash = strchr(s + 1, '-')) == NULL)
		return false;
	if (!text_int(s, (size_t)(dash - s), &a) ||
	    !text_int(dash + 1, strlen(dash + 1), &b))
		return false;
	if (a < -1000 || b > 1000 || a >= b)
		return false;
	*lo = (int)a;
	*hi = (int)b;
	return true;
}

/*
 * Takes the global options out of argv wherever they stand (before the
 * command, as git does, or after it, as "securebase init --db PATH" in the
 * interface contract does), leaving the command's own arguments.
 */
static int
take_globals(struct ctx *ctx, int *argc, char **argv)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} globals[] = {
		{ "--instruments", offsetof(struct ctx, instruments_dir) },
		{ "--licences", offsetof(struct ctx, licences) },
		{ "--db", offsetof(struct ctx, db) },
		{ "--user", offsetof(struct ctx, user) },
		{ "--key-file", offsetof(struct ctx, keyfile) },
		{ "--passphrase-file", offsetof(struct ctx, passphrase_file) },
	};
	size_t	 g, len;
	int	 i, o = 1;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		for (g = 0; g < sizeof(globals) / sizeof(globals[0]); g++) {
			len = strlen(globals[g].name);
			if (strncmp(argv[i], globals[g].name, len) != 0 ||
			    (argv[i][len] != '\0' && argv[i][len] != '='))
				continue;
			if (argv[i][len] == '=')
				*(const char **)((char *)ctx + globals[g].off) =
				    argv[i] + len + 1;
			else if (i + 1 < *argc)
				*(const char **)((char *)ctx + globals[g].off) =
				    argv[++i];
			else
				return usage_error(NULL, "%s needs a value",
				    globals[g].name);
			break;
		}
		if (g == sizeof(globals) / sizeof(globals[0]))
			argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	return EXIT_OK;
}

/* The command line, run: its exit status. */
static int
run(int argc, char *argv[])
{
	struct ctx		 ctx;
	const struct command	*c;
	int			 i, rc;

	/* Whatever the caller's umask: every file securebase makes holds or
	 * describes clinical records (SQLite's journals and WAL included). */
	umask(077);
	memset(&ctx, 0, sizeof(ctx));
	ctx.instruments_dir = getenv("SECUREBASE_INSTRUMENTS");
	ctx.licences = getenv("SECUREBASE_LICENCES");
	ctx.db = getenv("SECUREBASE_DB");
	ctx.user = getenv("SECUREBASE_USER");
	ctx.keyfile = getenv("SECUREBASE_KEY_FILE");
	ctx.passphrase_file = getenv("SECUREBASE_PASSPHRASE_FILE");
	if ((rc = take_globals(&ctx, &argc, argv)) != EXIT_OK)
		return rc;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return help_print(NULL);
		if (strcmp(argv[i], "--version") == 0) {
			printf("securebase %s (schema %d)\n", SB_VERSION,
			    store_schema_latest());
			return EXIT_OK;
		}
		return usage_error(NULL, "unknown global option \"%.64s\"",
		    argv[i]);
	}
	if (i == argc)
		return usage_error(NULL, "no command given");
	if (strcmp(argv[i], "help") == 0)
		return help_print(i + 1 < argc ? argv[i + 1] : NULL);
	for (c = commands; c->name != NULL; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(&ctx, argc - i, argv + i);
	return usage_error(NULL, "unknown command \"%.64s\"", argv[i]);
}

/*
 * A command whose output was lost (a full disk, a closed pipe) has not
 * done its job, whatever it returned: `client list > /dev/full` exited 0
 * (git's run_builtin checks the same).
 */
int
main(int argc, char *argv[])
{
	int	 rc;

	/* A test build's clock is read once per command. */
	testclock_read();
	rc = run(argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "securebase: the output could not be written: "
		    "%s\n", strerror(errno));
		if (rc == EXIT_OK)
			rc = EXIT_RUNTIME;
	}
	return rc;
}
