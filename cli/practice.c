/*
 * practice.c - commands on the practice database: init, user, client,
 * person, relationship, event, session, note, alerts, audit, backup,
 * restore; and the helpers they share.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "app/io.h"
#include "core/text.h"
#include "core/totp.h"
#include "render/record.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/store.h"

#define SECRET_MAX	1024

void
cli_key(const struct ctx *ctx, struct store_key *k, char *buf, size_t n)
{
	k->file = NULL;
	k->passphrase_file = ctx->passphrase_file;
	if (k->passphrase_file != NULL)
		return;
	if (ctx->keyfile != NULL)
		k->file = ctx->keyfile;
	else {
		store_default_keyfile(ctx->db, buf, n);
		k->file = buf;
	}
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
	*rc = EXIT_RUNTIME;
	cli_key(ctx, &key, kf, sizeof(kf));
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
	(void)registry_set_permission(arg, id, text);
}

void
cli_db_permissions(struct store *s, struct registry *r)
{
	(void)store_permission_each(s, permit_cb, r);
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

void
cli_print_id(bool json, const char *what, int64_t id)
{
	if (json)
		printf("{\"%s\": %lld}\n", what, (long long)id);
	else
		printf("%lld\n", (long long)id);
}

int
cmd_init(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *admin = NULL, *pwfile = NULL;
	struct opt	 opts[] = {
		{ "admin", &admin, NULL },
		{ "admin-password-file", &pwfile, NULL },
		{ NULL, NULL, NULL }
	};
	char		 pw[SECRET_MAX], kf[4200], err[1024];
	struct store_key key;
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("init", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (ctx->db == NULL || admin == NULL)
		return usage_error("init", "init needs --db PATH and --admin "
		    "NAME");
	if ((rc = cli_read_secret(pwfile, "Password for the admin: ", pw,
	    sizeof(pw))) != EXIT_OK)
		return rc;
	cli_key(ctx, &key, kf, sizeof(kf));
	rc = store_init(ctx->db, &key, admin, pw, err, sizeof(err)) == SB_OK ?
	    EXIT_OK : EXIT_RUNTIME;
	mem_wipe(pw, sizeof(pw));
	if (rc != EXIT_OK) {
		fprintf(stderr, "securebase init: %s\n", err);
		return rc;
	}
	if (key.file != NULL)
		printf("Created the practice %s with admin %s.\nIts key is %s: "
		    "keep it secret, keep it apart from backups, and never lose "
		    "it (without it the records cannot be read).\n", ctx->db,
		    admin, key.file);
	else
		printf("Created the practice %s with admin %s.\nIts key is "
		    "derived from the passphrase: without the passphrase the "
		    "records cannot be read.\n", ctx->db, admin);
	return EXIT_OK;
}

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
static enum sb_err
user_line(void *arg, const struct store_user_row *u)
{
	(void)arg;
	printf("%s\t%s\t%s\n", u->name, store_role_name(u->role),
	    u->active ? "active" : "disabled");
	return SB_OK;
}

int
cmd_user(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[3], *role = NULL, *pwfile = NULL, *email = NULL;
	bool		 off = false;
	struct opt	 opts[] = {
		{ "role", &role, NULL },
		{ "password-file", &pwfile, NULL },
		{ "email", &email, NULL },
		{ "off", NULL, &off },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
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
	if (npos == 3)
		return usage_error("user", "too many arguments");
	if (email != NULL && !store_email_ok(email))
		return usage_error("user", "--email \"%.64s\" is not a mail "
		    "address (name@domain)", email);
	if (strcmp(pos[0], "list") == 0) {
		if ((s = cli_store(ctx, "user", true, &rc)) == NULL)
			return rc;
		return cli_done(s, "user", store_user_each(s, user_line,
		    NULL));
	}
	if (npos != 2)
		return usage_error("user", "%s needs a NAME", pos[0]);
	if (strcmp(pos[0], "totp") == 0)
		return user_totp(ctx, pos[1], off);
	if (strcmp(pos[0], "add") == 0) {
		if (role == NULL || !store_role_parse(role, &r))
			return usage_error("user", "--role is therapist, "
			    "supervisor or admin");
	} else if (strcmp(pos[0], "passwd") != 0 &&
	    strcmp(pos[0], "disable") != 0)
		return usage_error("user", "unknown subcommand \"%.32s\"",
		    pos[0]);
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
	}
	else if (strcmp(pos[0], "passwd") == 0)
		e = store_user_passwd(s, pos[1], pw);
	else
		e = store_user_disable(s, pos[1]);
	mem_wipe(pw, sizeof(pw));
	return cli_done(s, "user", e);
}

/* One client a line: id, name, therapist. */
static enum sb_err
client_line(void *arg, const struct store_client_row *c)
{
	(void)arg;
	printf("%lld\t%s\t%s\n", (long long)c->id, c->name, c->therapist);
	return SB_OK;
}

int
cmd_client(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *name = NULL, *with = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "name", &name, NULL },
		{ "with", &with, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	struct buf	 out;
	size_t		 npos;
	int64_t		 id = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("client", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") == 0) {
		if (name == NULL || npos != 1)
			return usage_error("client", "add needs --name NAME");
	} else if (strcmp(pos[0], "show") == 0 ||
	    strcmp(pos[0], "share") == 0 || strcmp(pos[0], "unshare") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id))
			return usage_error("client", "%s needs a client id",
			    pos[0]);
		if (strcmp(pos[0], "show") != 0 && with == NULL)
			return usage_error("client", "%s needs --with USER",
			    pos[0]);
	} else if (strcmp(pos[0], "list") != 0)
		return usage_error("client", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if ((s = cli_store(ctx, "client", true, &rc)) == NULL)
		return rc;
	buf_init(&out, 1 << 26);
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_client_add(s, name, &id)) == SB_OK)
			cli_print_id(json, "client", id);
	} else if (strcmp(pos[0], "share") == 0)
		e = store_client_share(s, id, with);
	else if (strcmp(pos[0], "unshare") == 0)
		e = store_client_unshare(s, id, with);
	else if (strcmp(pos[0], "list") == 0)
		e = store_client_each(s, client_line, NULL);
	else if ((e = record_text(s, id, &out, NULL)) == SB_OK)
		fputs(out.data ? out.data : "", stdout);
	buf_wipe(&out);
	return cli_done(s, "client", e);
}

/*
 * Parses an optional whole number option within [lo, hi]; "" (an edit
 * clearing the field) gives empty.
 */
static bool
opt_int(const char *s, long lo, long hi, int *out, int empty)
{
	long	 v;

	if (s == NULL)
		return true;
	if (s[0] == '\0') {
		*out = empty;
		return true;
	}
	if (!text_int(s, strlen(s), &v) || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* An option given to an edit replaces the value; "" clears it. */
static const char *
opt_text(const char *given, const char *current)
{
	if (given == NULL)
		return current;
	return given[0] == '\0' ? NULL : given;
}

/*
 * "add", "edit ID" or "remove ID" of the person, relationship and event
 * commands: *id is the entry for edit and remove.
 */
static int
entry_verb(const char *cmd, const char **pos, size_t npos, int64_t *id)
{
	if (strcmp(pos[0], "add") == 0 && npos == 1)
		return 'a';
	if ((strcmp(pos[0], "edit") == 0 || strcmp(pos[0], "remove") == 0) &&
	    npos == 2 && cli_id(pos[1], id))
		return pos[0][0];
	usage_error(cmd, "%s add, %s edit ID or %s remove ID", cmd, cmd, cmd);
	return 0;
}

/* An edit of an entry the client's history does not hold: said here,
 * since the store was not asked. */
static enum sb_err
missing_entry(const char *what, int64_t id)
{
	fprintf(stderr, "securebase %s: no %s %lld in this client's "
	    "history\n", what, what, (long long)id);
	return SB_ENOENT;
}

/* The client's history, for an edit to start from. */
static enum sb_err
entry_current(struct store *s, int64_t cid, struct history *h)
{
	return store_history_read(s, cid, h);
}

int
cmd_person(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *client = NULL, *born = NULL;
	const char		*died = NULL;
	struct store_person	 p = { NULL, NULL, NULL, 0, 0, NULL }, q;
	const struct hist_person *cur;
	struct history		 h;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "client", &client, NULL },
		{ "name", &p.name, NULL },
		{ "role", &p.role, NULL },
		{ "gender", &p.gender, NULL },
		{ "born", &born, NULL },
		{ "died", &died, NULL },
		{ "note", &p.note, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store		*s;
	size_t			 npos;
	int64_t			 cid, id = 0;
	int			 rc, verb;
	enum sb_err		 e;

	if ((rc = opts_parse("person", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("person", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (verb == 'a' && p.name == NULL))
		return usage_error("person", "person %s needs --client ID%s",
		    pos[0], verb == 'a' ? " and --name NAME" : "");
	if (!opt_int(born, 1800, 2200, &p.birth_year, 0) ||
	    !opt_int(died, 1800, 2200, &p.death_year, 0))
		return usage_error("person", "--born and --died are years "
		    "1800-2200");
	if ((s = cli_store(ctx, "person", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_person_add(s, cid, &p, &id)) == SB_OK)
			cli_print_id(json, "person", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "person", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_person(&h, id)) == NULL)
			e = missing_entry("person", id);
		else {
			q.name = opt_text(p.name, cur->name);
			q.role = opt_text(p.role, cur->role);
			q.gender = opt_text(p.gender, cur->gender);
			q.note = opt_text(p.note, cur->note);
			q.birth_year = born ? p.birth_year : cur->born;
			q.death_year = died ? p.death_year : cur->died;
			e = store_person_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "person", e);
}

int
cmd_relationship(const struct ctx *ctx, int argc, char **argv)
{
	const char			*pos[2], *client = NULL, *from = NULL;
	const char			*to = NULL;
	struct store_relationship	 r = { 0, 0, NULL, NULL, NULL, NULL }, q;
	const struct hist_tie		*cur;
	struct history			 h;
	bool				 json = false;
	struct opt			 opts[] = {
		{ "client", &client, NULL },
		{ "from", &from, NULL },
		{ "to", &to, NULL },
		{ "type", &r.type, NULL },
		{ "start", &r.start, NULL },
		{ "end", &r.end, NULL },
		{ "note", &r.note, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store			*s;
	size_t				 npos;
	int64_t				 cid, id = 0;
	int				 rc, verb;
	enum sb_err			 e;

	if ((rc = opts_parse("relationship", argc, argv, opts, pos, 1, 2,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("relationship", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (from && !cli_id(from, &r.a)) ||
	    (to && !cli_id(to, &r.b)) || (verb == 'a' && (r.a == 0 ||
	    r.b == 0 || r.type == NULL)))
		return usage_error("relationship", "relationship add needs "
		    "--client ID --from PERSON --to PERSON --type TYPE");
	if ((s = cli_store(ctx, "relationship", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_relationship_add(s, cid, &r, &id)) == SB_OK)
			cli_print_id(json, "relationship", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "relationship", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_tie(&h, id)) == NULL)
			e = missing_entry("relationship", id);
		else {
			q.a = r.a ? r.a : cur->a;
			q.b = r.b ? r.b : cur->b;
			q.type = r.type ? r.type : cur->type;
			q.start = opt_text(r.start, cur->start);
			q.end = opt_text(r.end, cur->end);
			q.note = opt_text(r.note, cur->note);
			e = store_relationship_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "relationship", e);
}

int
cmd_event(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *client = NULL, *age = NULL;
	const char		*val = NULL, *inten = NULL, *end_age = NULL;
	struct store_event	 ev = { .age = -1, .end_age = -1 }, q;
	const struct hist_event	*cur;
	struct history		 h;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "client", &client, NULL },
		{ "category", &ev.category, NULL },
		{ "date", &ev.date, NULL },
		{ "age", &age, NULL },
		{ "end-date", &ev.end_date, NULL },
		{ "end-age", &end_age, NULL },
		{ "valence", &val, NULL },
		{ "intensity", &inten, NULL },
		{ "note", &ev.note, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store		*s;
	size_t			 npos;
	int64_t			 cid, id = 0;
	int			 rc, verb;
	enum sb_err		 e;

	if ((rc = opts_parse("event", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("event", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (verb == 'a' && (ev.category == NULL ||
	    val == NULL || inten == NULL)))
		return usage_error("event", "event add needs --client ID "
		    "--category C --valence V --intensity I and --date or "
		    "--age");
	if (!opt_int(age, 0, 130, &ev.age, -1) ||
	    !opt_int(end_age, 0, 130, &ev.end_age, -1) ||
	    !opt_int(val, -3, 3, &ev.valence, 0) ||
	    !opt_int(inten, 1, 5, &ev.intensity, 0))
		return usage_error("event", "--age and --end-age are 0-130, "
		    "--valence -3..3, --intensity 1..5");
	if ((s = cli_store(ctx, "event", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_event_add(s, cid, &ev, &id)) == SB_OK)
			cli_print_id(json, "event", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "event", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_event(&h, id)) == NULL)
			e = missing_entry("event", id);
		else {
			q.category = ev.category ? ev.category : cur->category;
			q.date = opt_text(ev.date, cur->date);
			q.age = age ? ev.age : cur->age;
			q.end_date = opt_text(ev.end_date, cur->end_date);
			q.end_age = end_age ? ev.end_age : cur->end_age;
			q.valence = val ? ev.valence : cur->valence;
			q.intensity = inten ? ev.intensity : cur->intensity;
			q.note = opt_text(ev.note, cur->note);
			e = store_event_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "event", e);
}

int
cmd_session(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *client = NULL, *date = NULL, *note = NULL;
	const char	*att = "attended";
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL },
		{ "date", &date, NULL },
		{ "attendance", &att, NULL },
		{ "note", &note, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	size_t		 npos;
	int64_t		 cid, id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("session", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") != 0 || !cli_id(client, &cid) ||
	    date == NULL)
		return usage_error("session", "session add needs --client ID "
		    "and --date YYYY-MM-DD");
	if ((s = cli_store(ctx, "session", true, &rc)) == NULL)
		return rc;
	if ((e = store_session_add(s, cid, date, att, note, &id)) == SB_OK)
		cli_print_id(json, "session", id);
	return cli_done(s, "session", e);
}

/*
 * The note being edited lives in a directory only we can enter (0700),
 * and both go when the edit ends, or when we are stopped by a signal: a
 * clinical note never stays in /tmp in plaintext.  The handler uses only
 * unlink() and rmdir(), which are async-signal-safe.
 */
static char	 note_dir[512], note_path[600];

static void
note_cleanup(void)
{
	if (note_path[0] != '\0')
		unlink(note_path);
	if (note_dir[0] != '\0')
		rmdir(note_dir);
}

static void
note_signal(int sig)
{
	note_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Runs $EDITOR on an empty private file and reads what was written. */
static int
note_from_editor(struct buf *b)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	const char	*ed = getenv("EDITOR"), *tmp = getenv("TMPDIR");
	char		 err[512];
	pid_t		 pid;
	size_t		 i;
	int		 fd, st;

	if (ed == NULL || ed[0] == '\0')
		ed = "vi";
	if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 400)
		tmp = "/tmp";
	snprintf(note_dir, sizeof(note_dir), "%s/securebase-note-XXXXXX", tmp);
	if (mkdtemp(note_dir) == NULL) {
		fprintf(stderr, "securebase note: %s: %s\n", tmp,
		    strerror(errno));
		note_dir[0] = '\0';
		return EXIT_RUNTIME;
	}
	snprintf(note_path, sizeof(note_path), "%s/note.txt", note_dir);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], note_signal);
	if ((fd = open(note_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		note_cleanup();
		return EXIT_RUNTIME;
	}
	close(fd);
	if ((pid = fork()) == 0) {
		/* Through the shell, so that EDITOR="code --wait" works as
		 * it does for git; the file name is passed as $1, unquoted
		 * nowhere. */
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		setenv("SB_EDITOR", ed, 1);
		execl("/bin/sh", "sh", "-c", "exec $SB_EDITOR \"$1\"", "sh",
		    note_path, (char *)NULL);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0 ||
	    io_read_file(note_path, STORE_MAX_TEXT, b, err, sizeof(err)) !=
	    SB_OK) {
		note_cleanup();
		fprintf(stderr, "securebase note: the editor failed; nothing "
		    "saved\n");
		return EXIT_RUNTIME;
	}
	/* The plaintext file lived only for the edit. */
	note_cleanup();
	return EXIT_OK;
}

int
cmd_note(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *client = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	struct buf	 text;
	char		 err[512];
	size_t		 npos;
	int64_t		 cid, id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("note", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") != 0 || !cli_id(client, &cid))
		return usage_error("note", "note add needs --client ID");
	if ((s = cli_store(ctx, "note", true, &rc)) == NULL)
		return rc;
	rc = EXIT_OK;
	if (isatty(STDIN_FILENO))
		rc = note_from_editor(&text);
	else if (io_read_file("-", STORE_MAX_TEXT, &text, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase note: %s (notes are at most %d "
		    "bytes)\n", err, STORE_MAX_TEXT);
		rc = EXIT_RUNTIME;
	}
	if (rc != EXIT_OK) {
		store_close(s);
		return rc;
	}
	if ((e = store_note_add(s, cid, text.data, &id)) == SB_OK)
		cli_print_id(json, "note", id);
	buf_wipe(&text);
	return cli_done(s, "note", e);
}

/* One open alert a line: id, client, severity, rule, state, raised,
 * detail. */
static enum sb_err
alert_line(void *arg, const struct store_alert *a)
{
	(void)arg;
	printf("%lld\tclient %lld\t%s\t%s\t%s\t%s\t%s\n", (long long)a->id,
	    (long long)a->client, a->severity, a->rule, a->state, a->created,
	    a->detail);
	return SB_OK;
}

static enum sb_err
alert_json(void *arg, const struct store_alert *a)
{
	json_t	*one;

	one = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s?, s:s}", "id",
	    (json_int_t)a->id, "client", (json_int_t)a->client, "rule",
	    a->rule, "severity", a->severity, "state", a->state, "created",
	    a->created, "historic", a->historic[0] ? a->historic : NULL,
	    "detail", a->detail);
	if (one == NULL || json_array_append_new(arg, one) != 0)
		return SB_ENOMEM;
	return SB_OK;
}

int
cmd_alerts(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *note = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "note", &note, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	json_t		*list = NULL;
	size_t		 npos;
	int64_t		 id = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("alerts", argc, argv, opts, pos, 0, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (npos > 0 && (npos != 2 || (strcmp(pos[0], "ack") != 0 &&
	    strcmp(pos[0], "resolve") != 0) || !cli_id(pos[1], &id)))
		return usage_error("alerts", "alerts [ack|resolve ID]");
	if ((s = cli_store(ctx, "alerts", true, &rc)) == NULL)
		return rc;
	if (npos == 2)
		return cli_done(s, "alerts", store_alert_move(s, id,
		    strcmp(pos[0], "ack") == 0 ? "acknowledged" : "resolved",
		    note));
	if (json && (list = json_array()) == NULL)
		return cli_done(s, "alerts", SB_ENOMEM);
	if ((e = store_alert_open_each(s, json ? alert_json : alert_line,
	    list)) == SB_OK && json && json_dumpf(list, stdout, JSON_INDENT(1)
	    | JSON_PRESERVE_ORDER) == 0)
		putchar('\n');
	json_decref(list);
	return cli_done(s, "alerts", e);
}

/*
 * The anchors of --anchor: one line, or a file of lines (a log, the
 * backup reports) in which every anchor found is used.
 */
static int
read_anchors(const char *arg, struct audit_anchor **out, size_t *n)
{
	struct audit_anchor	 a, *v = NULL, *nv;
	struct buf		 b;
	char			 err[512], *line, *next;
	size_t			 cap = 0;
	struct stat		 st;

	*out = NULL;
	*n = 0;
	if (stat(arg, &st) != 0) {
		if (!audit_anchor_parse(arg, &a))
			return usage_error("audit", "--anchor is a line "
			    "\"securebase-anchor 1 seq=... mac=...\" or a file "
			    "of them");
		if ((*out = malloc(sizeof(a))) == NULL)
			return EXIT_RUNTIME;
		**out = a;
		*n = 1;
		return EXIT_OK;
	}
	buf_init(&b, 1 << 26);
	if (io_read_file(arg, 1 << 26, &b, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase audit: %s\n", err);
		buf_free(&b);
		return EXIT_RUNTIME;
	}
	for (line = b.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!audit_anchor_parse(line, &a))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				buf_free(&b);
				return EXIT_RUNTIME;
			}
			v = nv;
		}
		v[(*n)++] = a;
	}
	buf_free(&b);
	if (*n == 0) {
		free(v);
		fprintf(stderr, "securebase audit: %s: no anchor in it\n", arg);
		return EXIT_RUNTIME;
	}
	*out = v;
	return EXIT_OK;
}

int
cmd_audit(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *anchor = NULL;
	struct opt		 opts[] = {
		{ "anchor", &anchor, NULL },
		{ NULL, NULL, NULL }
	};
	struct audit_report	 r;
	struct audit_anchor	 a, *an = NULL;
	struct store		*s;
	char			 line[256];
	size_t			 npos, nan = 0;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("audit", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "anchor") == 0) {
		if (anchor != NULL)
			return usage_error("audit", "audit anchor takes no "
			    "--anchor");
		if ((s = cli_store(ctx, "audit", false, &rc)) == NULL)
			return rc;
		if ((e = audit_anchor_take(s, &a)) == SB_OK) {
			audit_anchor_format(&a, line, sizeof(line));
			printf("%s\n", line);
		}
		return cli_done(s, "audit", e);
	}
	if (strcmp(pos[0], "verify") != 0)
		return usage_error("audit", "audit verify [--anchor LINE|FILE], "
		    "or audit anchor");
	if (anchor != NULL && (rc = read_anchors(anchor, &an, &nan)) !=
	    EXIT_OK)
		return rc;
	/* Read-only: a backup checked in place stays as it was. */
	if ((s = cli_store_readonly(ctx, "audit", &rc)) == NULL) {
		free(an);
		return rc;
	}
	/* The file first: a damaged index would mislead the rest. */
	if ((e = store_quick_check(s)) == SB_OK)
		e = audit_verify_anchored(s, an, nan, &r);
	free(an);
	if (e != SB_OK)
		return cli_done(s, "audit", e);
	store_close(s);
	if (!r.intact) {
		if (r.bad_seq > 0)
			fprintf(stderr, "securebase audit: NOT INTACT at row "
			    "%lld: %s\n", (long long)r.bad_seq, r.what);
		else
			fprintf(stderr, "securebase audit: NOT INTACT: %s\n",
			    r.what);
		return EXIT_RUNTIME;
	}
	printf("audit trail intact: %lld rows", (long long)r.rows);
	if (nan > 0)
		printf(", nothing removed, rewritten or rolled back up to %zu "
		    "anchor%s", nan, nan == 1 ? "" : "s");
	printf("\n");
	return EXIT_OK;
}

int
cmd_backup(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	struct opt	 opts[] = { { NULL, NULL, NULL } };
	struct store	*s;
	struct store_key key;
	struct audit_anchor a;
	char		 kf[4200], err[1024], line[256];
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("backup", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((s = cli_store(ctx, "backup", false, &rc)) == NULL)
		return rc;
	cli_key(ctx, &key, kf, sizeof(kf));
	/* The anchor goes into the report: kept with the backup's log, it
	 * proves later that the live trail was not rolled back past it. */
	if (audit_anchor_take(s, &a) != SB_OK) {
		fprintf(stderr, "securebase backup: %s\n", store_errmsg(s));
		store_close(s);
		return EXIT_RUNTIME;
	}
	rc = store_backup(s, pos[0], &key, err, sizeof(err)) == SB_OK ?
	    EXIT_OK : EXIT_RUNTIME;
	store_close(s);
	if (rc != EXIT_OK)
		fprintf(stderr, "securebase backup: %s\n", err);
	else {
		audit_anchor_format(&a, line, sizeof(line));
		printf("backup written and verified: %s\nanchor: %s\n",
		    pos[0], line);
	}
	return rc;
}

int
cmd_restore(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	bool		 replace = false;
	struct opt	 opts[] = {
		{ "replace", NULL, &replace },
		{ NULL, NULL, NULL }
	};
	struct store_key key;
	char		 kf[4200], err[1024];
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("restore", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (ctx->db == NULL)
		return usage_error("restore", "restore needs --db PATH (where "
		    "to restore to)");
	cli_key(ctx, &key, kf, sizeof(kf));
	if (store_restore(pos[0], ctx->db, &key, replace, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase restore: refused: %s\n", err);
		return EXIT_RUNTIME;
	}
	printf("restored %s from %s (verified)\n", ctx->db, pos[0]);
	return EXIT_OK;
}

/* Parses "1,2,3" into ids. */
static bool
id_list(const char *s, int64_t *ids, size_t max, size_t *n)
{
	char	 one[32];
	size_t	 len;

	*n = 0;
	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(one) || *n == max)
			return false;
		memcpy(one, s, len);
		one[len] = '\0';
		if (!cli_id(one, &ids[(*n)++]))
			return false;
		s += len;
		if (*s == ',')
			s++;
	}
	return *n > 0;
}

int
cmd_case(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *kind = NULL, *clients = NULL;
	const char	*client = NULL;
	bool		 json = false, unshare = false;
	struct opt	 opts[] = {
		{ "kind", &kind, NULL },
		{ "clients", &clients, NULL },
		{ "client", &client, NULL },
		{ "unshare", NULL, &unshare },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 ids[32], id = 0, cid = 0;
	size_t		 npos, n = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("case", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") == 0) {
		if (kind == NULL || !id_list(clients, ids, 32, &n))
			return usage_error("case", "case add needs --kind and "
			    "--clients ID,ID,...");
	} else if (strcmp(pos[0], "share-answers") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || !cli_id(client, &cid))
			return usage_error("case", "case share-answers CASE "
			    "--client ID [--unshare]");
	} else
		return usage_error("case", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if ((s = cli_store(ctx, "case", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_case_add(s, kind, ids, n, &id)) == SB_OK)
			cli_print_id(json, "case", id);
	} else
		e = store_case_share_answers(s, id, cid, !unshare);
	return cli_done(s, "case", e);
}

int
cmd_episode(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *client = NULL, *date = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL },
		{ "date", &date, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 id = 0;
	size_t		 npos;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("episode", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (date == NULL || !((strcmp(pos[0], "start") == 0 && npos == 1 &&
	    cli_id(client, &id)) || (strcmp(pos[0], "end") == 0 && npos == 2 &&
	    cli_id(pos[1], &id))))
		return usage_error("episode", "episode start --client ID --date"
		    " D, or episode end EPISODE --date D");
	if ((s = cli_store(ctx, "episode", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "start") == 0) {
		if ((e = store_episode_start(s, id, date, &id)) == SB_OK)
			cli_print_id(json, "episode", id);
	} else
		e = store_episode_end(s, id, date);
	return cli_done(s, "episode", e);
}

int
cmd_consent(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *client = NULL, *kind = NULL, *date = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL },
		{ "kind", &kind, NULL },
		{ "date", &date, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 id = 0;
	size_t		 npos;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("consent", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (date == NULL || !((strcmp(pos[0], "add") == 0 && npos == 1 &&
	    kind != NULL && cli_id(client, &id)) ||
	    (strcmp(pos[0], "withdraw") == 0 && npos == 2 &&
	    cli_id(pos[1], &id))))
		return usage_error("consent", "consent add --client ID --kind K"
		    " --date D, or consent withdraw CONSENT --date D");
	if ((s = cli_store(ctx, "consent", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_consent_add(s, id, kind, date, &id)) == SB_OK)
			cli_print_id(json, "consent", id);
	} else
		e = store_consent_withdraw(s, id, date);
	return cli_done(s, "consent", e);
}
