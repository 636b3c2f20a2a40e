/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pg.c - the PostgreSQL backend through libpq (issue 15): the table of
 * backend.h for a --db of postgresql://...  The schema is pg_schema.c.
 *
 * Writers on every node take one transaction-scoped advisory lock first
 * (begin_write), so that writes are serialised as SQLite serialises them:
 * ids taken as max + 1, the audit chain's head and the outbox's claims
 * see every write committed before them, and a node that waits longer
 * than lock_timeout (5 s, as SQLite's busy wait) gets BE_BUSY.  Reads
 * take no lock; a page view reads one REPEATABLE READ snapshot.
 *
 * Each step that starts a statement sends it with the types its binds
 * gave (int8, text, bytea in binary, or unknown for a NULL), and reads
 * the whole result; rows are then handed out one per step.  Results come
 * as text: a bytea column is decoded from its hex form on first use.  A
 * kept statement (the store's cache) is prepared on the server once per
 * connection, under a name, and run by name after that: parsing and
 * planning it again at every run was most of an import's time.  It is
 * prepared with its first run's types, and the server says which types
 * it settled on for the NULLs; a later run whose binds give other types
 * (a NULL aside, which fits any) is sent with its text, as a statement
 * that is not kept is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "store/backend.h"
#include "store/pg.h"

/* PostgreSQL's type oids (pg_type.h; fixed since 7.x). */
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_BOOL	16
#define OID_TEXT	25
#define OID_INT2	21
#define OID_INT4	23
#define OID_FLOAT8	701

#define PG_PARAMS	64	/* more than any statement of store/ has */
#define PG_COLUMNS	64	/* the same for columns */

struct be_conn {
	PGconn		*pg;
	char		*target;	/* the conninfo, for pg_dump */
	enum be_mode	 mode;
	bool		 pooled;	/* behind a transaction pooler */
	/* Bulk rows not sent yet (pg_bulk): their COPY's head, and the
	 * rows in COPY's text form. */
	char		 copy_head[256];
	char		*copy;
	size_t		 copy_len, copy_cap;
	unsigned	 copy_rows;
	bool		 txn;		/* one was open after the last */
	unsigned	 gen;		/* bumped when the session is new */
	unsigned	 names;		/* prepared statements named so far */
	int64_t		 changes, total;
	enum be_rc	 errclass;
	bool		 gone;		/* the last failure: server away */
	char		 err[512];
};

struct param {
	Oid		 type;
	int		 format;	/* 0 text, 1 binary */
	int		 len;
	char		*val;		/* NULL: SQL NULL */
	char		 num[24];	/* an int8's text */
	bool		 own;		/* val was copied */
};

struct be_stmt {
	struct be_conn	*c;
	char		*sql;		/* with $N */
	int		 nparams;
	uint64_t	 used;		/* bit N-1: $N is in the text */
	bool		 keep;		/* may be prepared on the server */
	bool		 prepared;	/* as name, in session gen */
	unsigned	 gen;
	char		 name[16];
	Oid		 ptypes[PG_PARAMS];	/* the types it was prepared with */
	struct param	 p[PG_PARAMS];
	PGresult	*res;
	int		 row, nrows;	/* row: 1-based, the current one */
	unsigned char	*blob[PG_COLUMNS];	/* decoded bytea columns */
	size_t		 bloblen[PG_COLUMNS];
	int		 blobrow[PG_COLUMNS];	/* of which row */
};

static enum be_rc	 settle(struct be_conn *);
static enum be_rc	 copy_send(struct be_conn *);
static enum be_rc	 pg_step(struct be_stmt *);

static bool
pg_handles(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0;
}

/* The class of an error by its SQLSTATE (PostgreSQL manual, appendix
 * A): 23 integrity constraint; 40001 and 40P01 serialisation and
 * deadlock, 55P03 lock not available; 53200 out of memory. */
static enum be_rc
class_of(const char *state)
{
	if (state == NULL)
		return BE_ERROR;
	if (strncmp(state, "23", 2) == 0)
		return BE_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return BE_BUSY;
	if (strcmp(state, "53200") == 0)
		return BE_NOMEM;
	return BE_ERROR;
}

/* Does a SQLSTATE say the server is away rather than that the statement
 * is wrong: class 08 (connection exception), 57P01-57P03 (shut down by
 * an administrator or a crash, cannot connect now: starting up or
 * recovering). */
static bool
away_state(const char *state)
{
	return state != NULL && (strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0);
}

/* Records a failed result (or a failure without one) on c. */
static enum be_rc
failed(struct be_conn *c, const PGresult *res)
{
	const char	*m = res ? PQresultErrorMessage(res) :
			    PQerrorMessage(c->pg);
	size_t		 n;

	snprintf(c->err, sizeof(c->err), "%s", m && *m ? m : "out of memory");
	n = strlen(c->err);
	while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
	c->errclass = res ? class_of(PQresultErrorField(res,
	    PG_DIAG_SQLSTATE)) : BE_NOMEM;
	c->gone = PQstatus(c->pg) == CONNECTION_BAD ||
	    away_state(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
	if (c->gone && c->errclass == BE_NOMEM)
		c->errclass = BE_ERROR;	/* no result: the socket, not memory */
	return c->errclass;
}

static void
pg_close(struct be_conn *c)
{
	if (c == NULL)
		return;
	if (c->copy != NULL)
		sodium_memzero(c->copy, c->copy_cap);	/* sealed, but clinical */
	free(c->copy);
	PQfinish(c->pg);
	if (c->target != NULL)
		sodium_memzero(c->target, strlen(c->target));
	free(c->target);
	free(c);
}

/*
 * A pooler in transaction mode (pgbouncer's pool_mode = transaction)
 * gives each transaction whichever server connection is free, so that
 * nothing of a session follows its client there: the URL says so with
 * securebase_pool=transaction, which is taken out before libpq reads the
 * URL (libpq refuses names it does not know).  Then no statement is
 * prepared under a name, nothing is SET for the session (what those
 * settings give, each transaction's BEGIN sets LOCAL: begin_write,
 * begin_read), and the guard is a transaction's lock, as always.
 * clean: target without it, allocated (NULL: out of memory, or err says
 * what is wrong with the value).
 */
#define POOL_PARAM	"securebase_pool="

static char *
pool_parse(const char *target, bool *pooled, char *err, size_t errsz)
{
	const char	*q = strchr(target, '?'), *p, *end, *v;
	char		*clean;
	size_t		 o;

	*pooled = false;
	if ((clean = malloc(strlen(target) + 1)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if (q == NULL) {
		memcpy(clean, target, strlen(target) + 1);
		return clean;
	}
	o = (size_t)(q - target);
	memcpy(clean, target, o);
	for (p = q + 1; *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "&");
		if (strncmp(p, POOL_PARAM, strlen(POOL_PARAM)) == 0) {
			v = p + strlen(POOL_PARAM);
			if ((size_t)(end - v) == 11 &&
			    strncmp(v, "transaction", 11) == 0)
				*pooled = true;
			else if (!((size_t)(end - v) == 7 &&
			    strncmp(v, "session", 7) == 0)) {
				snprintf(err, errsz, "securebase_pool=%.*s in the "
				    "--db URL: give transaction (a pooler in "
				    "transaction mode, such as pgbouncer's) or "
				    "session", (int)(end - v > 32 ? 32 : end - v),
				    v);
				free(clean);
				return NULL;
			}
			continue;
		}
		clean[o] = o == (size_t)(q - target) ? '?' : '&';
		o++;
		memcpy(clean + o, p, (size_t)(end - p));
		o += (size_t)(end - p);
	}
	clean[o] = '\0';
	return clean;
}

/*
 * The session's settings, at open and again after a reconnection: a
 * writer waits for the write lock as long as SQLite's would; times in
 * UTC whatever the server's default; a commit is acknowledged only once
 * it is on disk (on the standby too, where synchronous_standby_names
 * names one: docs/deploy.md).  A reader must not write: refused by the
 * server, not only by us.
 */
static bool
session_set(struct be_conn *c)
{
	PGresult	*res;
	bool		 ok;

	/* A pooler would hand these to other clients' transactions. */
	if (c->pooled)
		return true;
	res = PQexec(c->pg, c->mode == BE_WRITE ? "SET lock_timeout = '5s'; "
	    "SET TIME ZONE 'UTC'; SET synchronous_commit = on; SET "
	    "client_min_messages = warning" : "SET lock_timeout = '5s'; SET "
	    "TIME ZONE 'UTC'; SET synchronous_commit = on; SET "
	    "client_min_messages = warning; SET default_transaction_read_only "
	    "= on");
	if (!(ok = PQresultStatus(res) == PGRES_COMMAND_OK))
		failed(c, res);
	PQclear(res);
	return ok;
}

/*
 * A connection the server dropped (a restart, a failover) is made again
 * before the next statement (sql), but never inside a transaction: the
 * rest of one would run on the new connection without its beginning, so
 * every statement of it fails until its ROLLBACK, which ends it.  The
 * statement that found the connection dropped failed as it was.  False:
 * sql must fail (the reason is in c->err).
 */
static bool
revive(struct be_conn *c, const char *sql)
{
	bool	 rollback = strncmp(sql, "ROLLBACK", 8) == 0;

	if (PQstatus(c->pg) != CONNECTION_BAD)
		return true;
	if (c->txn && !rollback) {
		snprintf(c->err, sizeof(c->err), "the connection to the "
		    "database was lost in a transaction, which is rolled back");
		c->errclass = BE_ERROR;
		c->gone = true;
		return false;
	}
	c->txn = false;
	c->gen++;		/* the old session's prepared statements are gone */
	PQreset(c->pg);
	if (PQstatus(c->pg) == CONNECTION_OK)
		(void)session_set(c);
	return true;
}

/* Is a transaction open after the last statement?  (Kept, because a
 * dropped connection no longer says.) */
static void
note_txn(struct be_conn *c)
{
	PGTransactionStatusType	 t = PQtransactionStatus(c->pg);

	if (t != PQTRANS_UNKNOWN)
		c->txn = t == PQTRANS_INTRANS || t == PQTRANS_INERROR ||
		    t == PQTRANS_ACTIVE;
}

static void
quiet(void *arg, const char *message)
{
	(void)arg, (void)message;
}

/* libpq's words for a TLS refusal, with what to check, appended. */
static void
tls_hint(char *err, size_t errsz)
{
	size_t		 n = strlen(err);
	const char	*hint = NULL;

	if (strstr(err, "certificate verify failed") != NULL)
		hint = " (the server's certificate is not signed by the CA "
		    "in the URL's sslrootcert, or in ~/.postgresql/root.crt "
		    "when it names none: give the CA that signed it)";
	else if (strstr(err, "does not match host name") != NULL)
		hint = " (with sslmode=verify-full the URL's host must be a "
		    "name the server's certificate carries)";
	if (hint != NULL && n < errsz)
		snprintf(err + n, errsz - n, "%s", hint);
}

static SB_MUST enum sb_err
pg_open(const char *target, enum be_mode mode, struct be_conn **out,
    char *err, size_t errsz)
{
	struct be_conn	*c;
	char		*clean;
	bool		 pooled;

	*out = NULL;
	if ((clean = pool_parse(target, &pooled, err, errsz)) == NULL)
		return strcmp(err, "out of memory") == 0 ? SB_ENOMEM :
		    SB_EINVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		free(clean);
		snprintf(err, errsz, "out of memory");
		return SB_ENOMEM;
	}
	c->target = clean;
	c->pooled = pooled;
	c->pg = PQconnectdb(clean);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		/* Not the URL: it may carry a password. */
		snprintf(err, errsz, "cannot connect to the PostgreSQL "
		    "database: %s", c->pg ? PQerrorMessage(c->pg) :
		    "out of memory");
		err[strcspn(err, "\n")] = '\0';
		tls_hint(err, errsz);
		pg_close(c);
		return SB_EIO;
	}
	/* The server's notices (a warning, say) are not for the terminal
	 * of a command or a server's log: errors come back as results. */
	PQsetNoticeProcessor(c->pg, quiet, NULL);
	c->mode = mode;
	if (!session_set(c)) {
		snprintf(err, errsz, "%s", c->err);
		pg_close(c);
		return SB_EIO;
	}
	*out = c;
	return SB_OK;
}

/*
 * May a statement that failed be sent once more on a new connection?
 * Only when the server had dropped the connection while it sat unused
 * (a restart, a failover: libpq learns of it only from the next
 * statement), and nothing of the statement can have counted: no
 * transaction was open before it, and it starts one or only reads.  A
 * write outside a transaction is never sent again: it may have been
 * done before the answer was lost.
 */
static bool
send_again(const struct be_conn *c, bool was_txn, const char *sql)
{
	return !was_txn && PQstatus(c->pg) == CONNECTION_BAD &&
	    (strncmp(sql, "BEGIN", 5) == 0 || strncmp(sql, "SELECT", 6) == 0);
}

static enum be_rc
exec_once(struct be_conn *c, const char *sql)
{
	PGresult	*res;
	ExecStatusType	 st;
	enum be_rc	 rc = BE_OK;

	if (!revive(c, sql))
		return BE_ERROR;
	res = PQexec(c->pg, sql);
	note_txn(c);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY)
		rc = failed(c, res);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0 &&
	    strcmp(sql, "ROLLBACK") != 0) {
		/* A COMMIT after a failed statement rolls back, and says
		 * so only in its status: that is no commit. */
		snprintf(c->err, sizeof(c->err), "a statement of the "
		    "transaction had failed, so it was rolled back");
		c->errclass = rc = BE_ERROR;
		c->gone = false;
	}
	PQclear(res);
	return rc;
}

static enum be_rc
pg_exec(struct be_conn *c, const char *sql)
{
	bool		 was_txn = c->txn;
	enum be_rc	 rc;

	/* A ROLLBACK is sent whatever the bulk rows would have said, and
	 * those not sent yet are not sent at all. */
	if (strncmp(sql, "ROLLBACK", 8) == 0)
		c->copy_len = c->copy_rows = 0;
	if ((rc = settle(c)) != BE_OK && strncmp(sql, "ROLLBACK", 8) != 0)
		return rc;
	if ((rc = exec_once(c, sql)) != BE_OK && send_again(c, was_txn, sql))
		rc = exec_once(c, sql);
	return rc;
}

/*
 * The store's parameters in PostgreSQL's form: "?" is the next number,
 * "?N" is N; a "?" inside a string literal, a quoted name or a comment
 * is text and stays.  *n is the highest number used; "?0" and numbers
 * over PG_PARAMS are refused (NULL).
 */
static char *
rewrite(const char *sql, int *n, uint64_t *used)
{
	size_t		 len = strlen(sql), o = 0;
	const char	*p;
	char		*out, q = 0;
	int		 next = 0, k;

	*n = 0;
	/* "?" becomes at most "$64": four bytes for one. */
	if (len > (SIZE_MAX - 1) / 4 || (out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (p = sql; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
			out[o++] = *p;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			q = *p;
			out[o++] = *p;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			while (*p != '\0' && *p != '\n')
				out[o++] = *p++;
			if (*p == '\0')
				break;
			out[o++] = *p;
			continue;
		}
		if (*p != '?') {
			out[o++] = *p;
			continue;
		}
		if (p[1] == '0') {	/* "?0" names no parameter */
			free(out);
			return NULL;
		}
		if (p[1] >= '1' && p[1] <= '9') {
			for (k = 0; p[1] >= '0' && p[1] <= '9' && k <= PG_PARAMS;
			    p++)
				k = k * 10 + (p[1] - '0');
		} else
			k = ++next;
		if (k < 1 || k > PG_PARAMS) {
			free(out);
			return NULL;
		}
		if (k > *n)
			*n = k;
		*used |= UINT64_C(1) << (k - 1);
		o += (size_t)snprintf(out + o, 5, "$%d", k);
	}
	out[o] = '\0';
	return out;
}

char *
pg_rewrite(const char *sql, int *n)
{
	uint64_t	 used = 0;

	return rewrite(sql, n, &used);
}

static enum be_rc
pg_prepare(struct be_conn *c, const char *sql, bool keep,
    struct be_stmt **out)
{
	struct be_stmt	*st;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return BE_NOMEM;
	st->c = c;
	st->keep = keep;
	if ((st->sql = rewrite(sql, &st->nparams, &st->used)) == NULL) {
		snprintf(c->err, sizeof(c->err), "a statement with more than "
		    "%d parameters, or out of memory", PG_PARAMS);
		c->errclass = BE_ERROR;
		c->gone = false;
		free(st);
		return BE_ERROR;
	}
	*out = st;
	return BE_OK;
}

static void
clear_param(struct param *p)
{
	if (p->own)
		free(p->val);
	memset(p, 0, sizeof(*p));
}

static void
clear_result(struct be_stmt *st)
{
	int	 i;

	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	for (i = 0; i < PG_COLUMNS; i++) {
		PQfreemem(st->blob[i]);
		st->blob[i] = NULL;
	}
}

static void
pg_reset(struct be_stmt *st, bool clear)
{
	int	 i;

	clear_result(st);
	if (clear)
		for (i = 0; i < PG_PARAMS; i++)
			clear_param(&st->p[i]);
}

static void
pg_finalize(struct be_stmt *st)
{
	if (st == NULL)
		return;
	pg_reset(st, true);
	free(st->sql);
	free(st);
}

static struct param *
param(struct be_stmt *st, int i)
{
	if (i < 1 || i > st->nparams) {
		snprintf(st->c->err, sizeof(st->c->err), "parameter %d of a "
		    "statement with %d", i, st->nparams);
		st->c->errclass = BE_ERROR;
		st->c->gone = false;
		return NULL;
	}
	clear_param(&st->p[i - 1]);
	return &st->p[i - 1];
}

static enum be_rc
pg_bind_int64(struct be_stmt *st, int i, int64_t v)
{
	struct param	*p = param(st, i);

	if (p == NULL)
		return BE_ERROR;
	p->type = OID_INT8;
	snprintf(p->num, sizeof(p->num), "%lld", (long long)v);
	p->val = p->num;
	return BE_OK;
}

static enum be_rc
pg_bind_text(struct be_stmt *st, int i, const char *v, bool ref)
{
	struct param	*p = param(st, i);

	if (p == NULL)
		return BE_ERROR;
	p->type = OID_TEXT;
	if (ref)
		p->val = (char *)(uintptr_t)v;
	else if ((p->val = strdup(v)) == NULL)
		return BE_NOMEM;
	else
		p->own = true;
	return BE_OK;
}

static enum be_rc
pg_bind_blob(struct be_stmt *st, int i, const void *v, size_t n, bool ref)
{
	struct param	*p = param(st, i);

	if (p == NULL || n > INT32_MAX)
		return BE_ERROR;
	p->type = OID_BYTEA;
	p->format = 1;
	p->len = (int)n;
	if (ref)
		p->val = (char *)(uintptr_t)v;
	else if ((p->val = malloc(n ? n : 1)) == NULL)
		return BE_NOMEM;
	else {
		memcpy(p->val, v, n);
		p->own = true;
	}
	return BE_OK;
}

static enum be_rc
pg_bind_null(struct be_stmt *st, int i)
{
	return param(st, i) == NULL ? BE_ERROR : BE_OK;
}

/*
 * Does a kept statement run by its name with these types?  It is
 * prepared at its first run in the present session, with that run's
 * types; the server fills in those of the NULLs, as it would for the
 * text.  A later run whose types differ (a NULL's unknown aside) is sent
 * with its text.  *ok false, with c->err set: preparing it failed.
 */
static bool
by_name(struct be_stmt *st, const Oid *types, bool *ok)
{
	PGresult	*res;
	int		 i;

	*ok = true;
	if (!st->keep || st->c->pooled)
		return false;
	if (st->prepared && st->gen == st->c->gen) {
		for (i = 0; i < st->nparams; i++)
			if (types[i] != st->ptypes[i] && types[i] != 0)
				return false;
		return true;
	}
	if (!st->prepared)
		snprintf(st->name, sizeof(st->name), "sb%u", st->c->names++);
	res = PQprepare(st->c->pg, st->name, st->sql, st->nparams, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		failed(st->c, res);
		PQclear(res);
		*ok = false;
		return false;
	}
	PQclear(res);
	res = PQdescribePrepared(st->c->pg, st->name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    PQnparams(res) != st->nparams) {
		failed(st->c, res);
		PQclear(res);
		*ok = false;
		return false;
	}
	for (i = 0; i < st->nparams; i++)
		st->ptypes[i] = PQparamtype(res, i);
	PQclear(res);
	st->prepared = true;
	st->gen = st->c->gen;
	return true;
}

/*
 * Bulk rows (backend.h, bulk) in COPY's text format: a row a line,
 * values apart by tabs, \N for NULL, a backslash, tab, newline or
 * carriage return in text escaped, bytes as \\x and hex.  Sent as one
 * COPY when the connection is next used (settle), or at COPY_MAX bytes.
 */
#define COPY_MAX	(1 << 20)

static bool
copy_room(struct be_conn *c, size_t n)
{
	char	*p;
	size_t	 cap;

	if (c->copy_len + n <= c->copy_cap)
		return true;
	cap = c->copy_cap ? c->copy_cap : 1 << 16;
	while (cap < c->copy_len + n)
		cap *= 2;
	if ((p = realloc(c->copy, cap)) == NULL)
		return false;
	c->copy = p;
	c->copy_cap = cap;
	return true;
}

static bool
copy_text(struct be_conn *c, const char *t, size_t n)
{
	size_t	 i;
	char	 e;

	if (!copy_room(c, 2 * n))
		return false;
	for (i = 0; i < n; i++) {
		switch (t[i]) {
		case '\\': e = '\\'; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		default: e = 0; break;
		}
		if (e != 0) {
			c->copy[c->copy_len++] = '\\';
			c->copy[c->copy_len++] = e;
		} else
			c->copy[c->copy_len++] = t[i];
	}
	return true;
}

static enum be_rc
copy_send(struct be_conn *c)
{
	PGresult	*res;
	enum be_rc	 rc = BE_OK;
	const char	*n;
	char		 sql[300];

	c->copy_rows = 0;
	snprintf(sql, sizeof(sql), "COPY %s FROM STDIN", c->copy_head);
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = failed(c, res);
		PQclear(res);
		c->copy_len = 0;
		return rc;
	}
	PQclear(res);
	if (PQputCopyData(c->pg, c->copy, (int)c->copy_len) != 1 ||
	    PQputCopyEnd(c->pg, NULL) != 1) {
		c->copy_len = 0;
		return failed(c, NULL);
	}
	c->copy_len = 0;
	while ((res = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			n = PQcmdTuples(res);
			c->total += n && *n ? strtoll(n, NULL, 10) : 0;
		} else if (rc == BE_OK)
			rc = failed(c, res);
		PQclear(res);
	}
	note_txn(c);
	return rc;
}

static enum be_rc
pg_bulk(struct be_conn *c, const char *table, const char *cols, int n,
    const struct be_val *v)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 head[256], num[24];
	const unsigned char	*b;
	size_t			 k, start;
	int			 i;

	if ((size_t)snprintf(head, sizeof(head), "%s (%s)", table, cols) >=
	    sizeof(head))
		return BE_ERROR;
	/* Rows of another table go after those held. */
	if (c->copy_rows > 0 && strcmp(head, c->copy_head) != 0 &&
	    settle(c) != BE_OK)
		return c->errclass;
	memcpy(c->copy_head, head, sizeof(head));
	start = c->copy_len;
	for (i = 0; i < n; i++) {
		if (i > 0) {
			if (!copy_room(c, 1))
				goto nomem;
			c->copy[c->copy_len++] = '\t';
		}
		switch (v[i].t) {
		case BV_NULL:
			if (!copy_room(c, 2))
				goto nomem;
			c->copy[c->copy_len++] = '\\';
			c->copy[c->copy_len++] = 'N';
			break;
		case BV_INT:
			snprintf(num, sizeof(num), "%lld", (long long)v[i].i);
			if (!copy_text(c, num, strlen(num)))
				goto nomem;
			break;
		case BV_TEXT:
			if (!copy_text(c, v[i].p, strlen(v[i].p)))
				goto nomem;
			break;
		case BV_BLOB:
			if (!copy_room(c, 3 + 2 * v[i].n))
				goto nomem;
			c->copy[c->copy_len++] = '\\';
			c->copy[c->copy_len++] = '\\';
			c->copy[c->copy_len++] = 'x';
			for (b = v[i].p, k = 0; k < v[i].n; k++) {
				c->copy[c->copy_len++] = hex[b[k] >> 4];
				c->copy[c->copy_len++] = hex[b[k] & 15];
			}
			break;
		}
	}
	if (!copy_room(c, 1))
		goto nomem;
	c->copy[c->copy_len++] = '\n';
	c->copy_rows++;
	if (c->copy_len >= COPY_MAX)
		return settle(c) == BE_OK ? BE_DONE : c->errclass;
	return BE_DONE;
nomem:
	c->copy_len = start;	/* no half row */
	snprintf(c->err, sizeof(c->err), "out of memory");
	c->gone = false;
	return c->errclass = BE_NOMEM;
}

/*
 * Bulk rows held (pg_bulk) go before anything else is sent on the
 * connection (sql; NULL: anything): whatever comes next may read them
 * (an alert's row refers to an administration), and a COMMIT must
 * include them.  Their failure is that next statement's.  Only a SELECT
 * that does not name their table (nor a view of it, whose name holds
 * the table's: live_administrations) may go first: it cannot see them.
 * An import's check of a client it has not met yet is such a read, and
 * would otherwise send the rows held a few at a time.
 */
static enum be_rc
settle_for(struct be_conn *c, const char *sql)
{
	char	 table[64];

	if (c->copy_rows == 0)
		return BE_OK;
	if (sql != NULL && strncmp(sql, "SELECT", 6) == 0) {
		snprintf(table, sizeof(table), "%.*s", (int)strcspn(
		    c->copy_head, " "), c->copy_head);
		if (strstr(sql, table) == NULL)
			return BE_OK;
	}
	return copy_send(c);
}

static enum be_rc
settle(struct be_conn *c)
{
	return settle_for(c, NULL);
}

static enum be_rc
run_once(struct be_stmt *st, const Oid *types, const char *const *vals,
    const int *lens, const int *fmts)
{
	const char	*n;
	bool		 ok;
	ExecStatusType	 s;

	if (!revive(st->c, st->sql))
		return BE_ERROR;
	if (by_name(st, types, &ok))
		st->res = PQexecPrepared(st->c->pg, st->name, st->nparams, vals,
		    lens, fmts, 0);
	else if (!ok) {
		note_txn(st->c);
		return st->c->errclass;
	} else
		st->res = PQexecParams(st->c->pg, st->sql, st->nparams, types,
		    vals, lens, fmts, 0);
	note_txn(st->c);
	s = PQresultStatus(st->res);
	if (s == PGRES_TUPLES_OK) {
		st->nrows = PQntuples(st->res);
		st->c->changes = 0;
		return BE_OK;
	}
	if (s == PGRES_COMMAND_OK && strcmp(PQcmdStatus(st->res),
	    "ROLLBACK") == 0 && strncmp(st->sql, "ROLLBACK", 8) != 0) {
		/* As in pg_exec: a COMMIT that rolled back. */
		snprintf(st->c->err, sizeof(st->c->err), "a statement of the "
		    "transaction had failed, so it was rolled back");
		st->c->gone = false;
		return st->c->errclass = BE_ERROR;
	}
	if (s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY) {
		n = PQcmdTuples(st->res);
		st->c->changes = n && *n ? strtoll(n, NULL, 10) : 0;
		st->c->total += st->c->changes;
		return BE_OK;
	}
	return failed(st->c, st->res);
}

static enum be_rc
run(struct be_stmt *st)
{
	Oid		 types[PG_PARAMS];
	const char	*vals[PG_PARAMS];
	int		 lens[PG_PARAMS], fmts[PG_PARAMS], i;
	bool		 was_txn = st->c->txn;
	enum be_rc	 rc;

	if ((rc = settle_for(st->c, st->sql)) != BE_OK)
		return rc;
	memset(types, 0, sizeof(types));
	for (i = 0; i < st->nparams; i++) {
		/* A number the text skips ("?1 ... ?3") still needs a type,
		 * which nothing in the statement can give it. */
		types[i] = st->p[i].type != 0 || (st->used >> i & 1) ?
		    st->p[i].type : OID_TEXT;
		vals[i] = st->p[i].val;
		lens[i] = st->p[i].len;
		fmts[i] = st->p[i].format;
	}
	if ((rc = run_once(st, types, vals, lens, fmts)) != BE_OK &&
	    send_again(st->c, was_txn, st->sql)) {
		clear_result(st);
		rc = run_once(st, types, vals, lens, fmts);
	}
	return rc;
}

static enum be_rc
pg_step(struct be_stmt *st)
{
	enum be_rc	 rc;

	if (st->res == NULL && (rc = run(st)) != BE_OK) {
		clear_result(st);
		return rc;
	}
	if (st->row < st->nrows) {
		st->row++;
		return BE_ROW;
	}
	return BE_DONE;
}

static bool
has(struct be_stmt *st, int i)
{
	return st->res != NULL && st->row >= 1 && i >= 0 &&
	    i < PQnfields(st->res) && i < PG_COLUMNS &&
	    !PQgetisnull(st->res, st->row - 1, i);
}

static const char *
pg_column_text(struct be_stmt *st, int i)
{
	return has(st, i) ? PQgetvalue(st->res, st->row - 1, i) : NULL;
}

static int64_t
pg_column_int64(struct be_stmt *st, int i)
{
	const char	*v = pg_column_text(st, i);

	if (v == NULL)
		return 0;
	if (PQftype(st->res, i) == OID_BOOL)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static double
pg_column_double(struct be_stmt *st, int i)
{
	const char	*v = pg_column_text(st, i);

	return v == NULL ? 0.0 : strtod(v, NULL);
}

/* A bytea column decoded from its text form, once per row: the first
 * call decodes, later ones for the same row give the same bytes. */
static const unsigned char *
blob_of(struct be_stmt *st, int i, size_t *n)
{
	const char	*v = pg_column_text(st, i);

	*n = 0;
	if (v == NULL)
		return NULL;
	if (PQftype(st->res, i) != OID_BYTEA) {
		*n = (size_t)PQgetlength(st->res, st->row - 1, i);
		return (const unsigned char *)v;
	}
	/* The pointer column_blob gave stays valid for column_bytes. */
	if (st->blob[i] != NULL && st->blobrow[i] == st->row) {
		*n = st->bloblen[i];
		return st->blob[i];
	}
	PQfreemem(st->blob[i]);
	st->blob[i] = PQunescapeBytea((const unsigned char *)v,
	    &st->bloblen[i]);
	st->blobrow[i] = st->row;
	*n = st->blob[i] ? st->bloblen[i] : 0;
	return st->blob[i];
}

static const void *
pg_column_blob(struct be_stmt *st, int i)
{
	size_t	 n;

	return blob_of(st, i, &n);
}

static size_t
pg_column_bytes(struct be_stmt *st, int i)
{
	size_t	 n;

	(void)blob_of(st, i, &n);
	return n;
}

static bool
pg_column_null(struct be_stmt *st, int i)
{
	return !has(st, i);
}

static enum be_type
pg_column_type(struct be_stmt *st, int i)
{
	if (!has(st, i))
		return BE_T_NULL;
	switch (PQftype(st->res, i)) {
	case OID_INT8:
	case OID_INT2:
	case OID_INT4:
		return BE_T_INT;
	case OID_FLOAT8:
		return BE_T_REAL;
	case OID_BYTEA:
		return BE_T_BLOB;
	default:
		return BE_T_TEXT;
	}
}

static int
pg_column_count(struct be_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *
pg_column_name(struct be_stmt *st, int i)
{
	/* libpq complains on stderr about a column that is not there. */
	return st->res && i >= 0 && i < PQnfields(st->res) ?
	    PQfname(st->res, i) : NULL;
}

static int64_t
pg_changes(struct be_conn *c)
{
	return c->changes;
}

static int64_t
pg_total_changes(struct be_conn *c)
{
	(void)settle(c);	/* a failure is the next statement's */
	return c->total;
}

static int64_t
pg_last_id(struct be_conn *c)
{
	PGresult	*res;
	int64_t		 id = 0;

	if (settle(c) != BE_OK)
		return 0;
	res = PQexec(c->pg, "SELECT lastval()");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

static const char *
pg_errmsg(struct be_conn *c)
{
	return c->err;
}

static enum be_rc
pg_errclass(struct be_conn *c)
{
	return c->errclass;
}

static bool
pg_gone(struct be_conn *c)
{
	return c->gone;
}

static bool
pg_in_txn(struct be_conn *c)
{
	return PQtransactionStatus(c->pg) != PQTRANS_IDLE;
}

/* One integer from a statement without parameters (-1 on failure). */
static enum be_rc
scalar(struct be_conn *c, const char *sql, int64_t *v)
{
	PGresult	*res;
	enum be_rc	 rc;

	if ((rc = settle(c)) != BE_OK)
		return rc;
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		rc = PQresultStatus(res) == PGRES_TUPLES_OK ? BE_ERROR :
		    failed(c, res);
	else
		*v = PQgetisnull(res, 0, 0) ? 0 :
		    strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return rc;
}

/*
 * The application id lives in a one-row table of its own, beside the
 * practice's (SQLite keeps it in the file's header): 0 when it is not
 * there, as in an empty database.
 */
static enum be_rc
pg_identify(struct be_conn *c, int64_t *app)
{
	int64_t		 has = 0;
	enum be_rc	 rc;

	*app = -1;
	if ((rc = scalar(c, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = current_schema() AND tablename = 'securebase'",
	    &has)) != BE_OK)
		return rc;
	*app = 0;
	if (has == 0)
		return BE_OK;
	return scalar(c, "SELECT max(application_id) FROM securebase", app);
}

static enum be_rc
pg_mark(struct be_conn *c, int64_t app)
{
	char	 sql[200];

	snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS securebase "
	    "(application_id bigint NOT NULL); DELETE FROM securebase; "
	    "INSERT INTO securebase VALUES (%lld)", (long long)app);
	return pg_exec(c, sql);
}

/*
 * PostgreSQL checks its pages as it reads them (and their checksums,
 * where the cluster was made with them): the quick check is a read of
 * the audit head, the full one reads every row of every table.
 */
static enum be_rc
pg_check(struct be_conn *c, bool full, char *what, size_t whatsz)
{
	PGresult	*res, *r2;
	char		 sql[200];
	enum be_rc	 rc;
	int		 i;

	if ((rc = settle(c)) != BE_OK)
		return rc;
	res = PQexec(c->pg, full ? "SELECT tablename FROM pg_tables WHERE "
	    "schemaname = current_schema()" : "SELECT count(*) FROM "
	    "audit_head");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = failed(c, res);
		snprintf(what, whatsz, "%s", c->err);
		PQclear(res);
		return rc;
	}
	for (i = 0; full && i < PQntuples(res) && rc == BE_OK; i++) {
		/* The names come from the catalogue, quoted all the same. */
		snprintf(sql, sizeof(sql), "SELECT sum(length(t::text)) FROM "
		    "\"%.60s\" t", PQgetvalue(res, i, 0));
		r2 = PQexec(c->pg, sql);
		if (PQresultStatus(r2) != PGRES_TUPLES_OK) {
			rc = failed(c, r2);
			snprintf(what, whatsz, "%s: %s", PQgetvalue(res, i, 0),
			    c->err);
		}
		PQclear(r2);
	}
	PQclear(res);
	if (rc == BE_OK)
		snprintf(what, whatsz, "ok");
	return rc;
}

/* Is there a password in the conninfo?  It would show in the process
 * list of pg_dump and pg_restore. */
static bool
has_password(const char *target)
{
	PQconninfoOption	*o, *all;
	bool			 has = false;

	if ((all = PQconninfoParse(target, NULL)) == NULL)
		return false;
	for (o = all; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			has = true;
	PQconninfoFree(all);
	return has;
}

/* Runs argv (a PostgreSQL client program for the database target, its
 * output into the file out) and waits: SB_OK on exit 0. */
static SB_MUST enum sb_err
run_tool(char *const argv[], const char *target, const char *out, char *err,
    size_t errsz)
{
	pid_t	 pid;
	int	 status, fd = -1;

	if (has_password(target)) {
		snprintf(err, errsz, "the --db URL carries a password, which "
		    "%s would show in the process list: put it in ~/.pgpass "
		    "(or use a client certificate) instead", argv[0]);
		return SB_EINVAL;
	}

	if (out != NULL && (fd = open(out, O_WRONLY | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: cannot write", out);
		return SB_EIO;
	}
	if ((pid = fork()) == -1) {
		if (fd != -1)
			close(fd);
		snprintf(err, errsz, "cannot start %s", argv[0]);
		return SB_EIO;
	}
	if (pid == 0) {
		if (fd != -1 && dup2(fd, 1) == -1)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (fd != -1)
		close(fd);
	while (waitpid(pid, &status, 0) == -1)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return SB_OK;
	snprintf(err, errsz, "%s failed (%s %d)%s", argv[0],
	    WIFEXITED(status) ? "exit" : "signal", WIFEXITED(status) ?
	    WEXITSTATUS(status) : WTERMSIG(status),
	    WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ": is it "
	    "installed (Debian postgresql-client)?" : "");
	return SB_EIO;
}

/* pg_dump and pg_restore set session state (search_path among it),
 * which a transaction pooler would hand on to the nodes' transactions. */
static SB_MUST enum sb_err
through_pooler(char *err, size_t errsz)
{
	snprintf(err, errsz, "backups and restores need the database's own "
	    "address, not a transaction pooler's (securebase_pool="
	    "transaction in the --db URL): pg_dump and pg_restore set "
	    "session state that the pooler would pass on to the nodes");
	return SB_EINVAL;
}

/*
 * A backup is pg_dump's custom format, one self-contained file that
 * pg_restore reads; pg_dump reads one snapshot while the practice works
 * on.  dest exists, private and empty (backup.c made it).
 */
static SB_MUST enum sb_err
pg_copy(struct be_conn *c, const char *dest, char *err, size_t errsz)
{
	char	*argv[] = { "pg_dump", "--format=custom", "--no-owner",
		    "--no-privileges", "--dbname", c->target, NULL };

	if (c->pooled)
		return through_pooler(err, errsz);
	return run_tool(argv, c->target, dest, err, errsz);
}

/* Loads the copy at path (pg_copy's) into the empty database target,
 * all or nothing. */
static SB_MUST enum sb_err
pg_load(const char *path, const char *target, char *err, size_t errsz)
{
	char		*clean;
	bool		 pooled;
	enum sb_err	 e;

	if ((clean = pool_parse(target, &pooled, err, errsz)) == NULL)
		return SB_EINVAL;
	if (pooled)
		e = through_pooler(err, errsz);
	else {
		char	*argv[] = { "pg_restore", "--single-transaction",
			    "--exit-on-error", "--no-owner", "--no-privileges",
			    "--dbname", clean, (char *)(uintptr_t)path, NULL };

		e = run_tool(argv, clean, NULL, err, errsz);
	}
	sodium_memzero(clean, strlen(clean));
	free(clean);
	return e;
}

/*
 * A new practice goes into an empty database: one that holds tables of
 * its own (a practice or anything else) is refused, and nothing in it is
 * touched.
 */
static SB_MUST enum sb_err
pg_create(const char *target, char *err, size_t errsz)
{
	struct be_conn	*c;
	int64_t		 n = 0, app = 0;
	enum sb_err	 e;

	if ((e = pg_open(target, BE_PEEK, &c, err, errsz)) != SB_OK)
		return e;
	if (scalar(c, "SELECT count(*) FROM pg_class k JOIN pg_namespace n "
	    "ON n.oid = k.relnamespace WHERE n.nspname = current_schema()",
	    &n) != BE_OK) {
		snprintf(err, errsz, "cannot read the database: %s", c->err);
		e = SB_EIO;
	} else if (n != 0 && pg_identify(c, &app) == BE_OK && app != 0) {
		snprintf(err, errsz, "a securebase practice already exists in "
		    "this database; init creates a new practice only");
		e = SB_EIO;
	} else if (n != 0) {
		snprintf(err, errsz, "the database is not empty (%lld tables, "
		    "views or sequences); init creates a new practice only in "
		    "an empty database", (long long)n);
		e = SB_EIO;
	} else if (scalar(c, "SELECT count(*) FROM pg_database WHERE datname "
	    "= current_database() AND datcollate IN ('C', 'POSIX', 'C.UTF-8', "
	    "'C.utf8')", &n) !=
	    BE_OK || n != 1) {
		/* Text sorts byte by byte in SQLite: the same order here
		 * keeps lists, exports and the latest scores alike. */
		snprintf(err, errsz, "the database sorts text by a language's "
		    "rules; make it with CREATE DATABASE ... TEMPLATE template0 "
		    "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
		    "(docs/deploy.md)");
		e = SB_EINVAL;
	}
	pg_close(c);
	return e;
}

/* What init made, after it failed: the practice's objects, by name, and
 * nothing else. */
static void
pg_remove(const char *target)
{
	struct be_conn	*c;
	char		 err[256];

	if (pg_open(target, BE_WRITE, &c, err, sizeof(err)) != SB_OK)
		return;
	(void)pg_exec(c, "DROP VIEW IF EXISTS live_administrations, "
	    "live_alerts; DROP TABLE IF EXISTS latest, outbox, settings, "
	    "history_snapshots, login_failures, web_sessions, audit_head, "
	    "audit, licence_permissions, narrative_prompts, "
	    "narrative_drafts, narratives, consents, alert_events, alerts, "
	    "links, administrations, imports, notes, sessions, episodes, "
	    "events, relationships, people, case_members, cases, "
	    "client_shares, clients, users, meta, schema_version, "
	    "securebase; DROP FUNCTION IF EXISTS audit_refuse()");
	pg_close(c);
}

static SB_MUST enum sb_err
pg_single(const char *target, char *err, size_t errsz)
{
	(void)target, (void)err, (void)errsz;
	return SB_OK;	/* a dump is one file already */
}

static void
pg_explain(const char *target, char *err, size_t errsz)
{
	(void)target, (void)err, (void)errsz;	/* the server said why */
}

/* target with its database name replaced by name (a URL: scheme://
 * authority/dbname?params), into out. */
static bool
with_dbname(const char *target, const char *name, char *out, size_t n)
{
	const char	*auth = strstr(target, "://"), *end, *q;
	size_t		 k;

	if (auth == NULL)
		return false;
	auth += 3;
	end = auth + strcspn(auth, "/?");
	q = strchr(end, '?');
	k = (size_t)snprintf(out, n, "%.*s/%s%s", (int)(end - target), target,
	    name, q != NULL ? q : "");
	return k < n;
}

/* The database name of a URL that with_dbname made. */
static bool
dbname_of(const char *target, char *out, size_t n)
{
	const char	*auth = strstr(target, "://"), *p;
	size_t		 k;

	if (auth == NULL || (p = strchr(auth + 3, '/')) == NULL)
		return false;
	k = strcspn(p + 1, "?");
	if (k == 0 || k >= n)
		return false;
	memcpy(out, p + 1, k);
	out[k] = '\0';
	return strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789_") == k;
}

/*
 * A new empty database on the practice's server, for a backup to be
 * loaded into and verified (backup.c), named for this process: its URL
 * into target.  The role needs CREATEDB (docs/deploy.md).
 */
static SB_MUST enum sb_err
pg_scratch(struct be_conn *c, char *target, size_t n, char *err,
    size_t errsz)
{
	unsigned char	 r[6];
	char		 name[64], sql[256];

	randombytes_buf(r, sizeof(r));
	snprintf(name, sizeof(name), "securebase_verify_%02x%02x%02x%02x%02x"
	    "%02x", r[0], r[1], r[2], r[3], r[4], r[5]);
	if (!with_dbname(c->target, name, target, n)) {
		snprintf(err, errsz, "the --db URL is too long");
		return SB_ELIMIT;
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 "
	    "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", name);
	if (pg_exec(c, sql) != BE_OK) {
		snprintf(err, errsz, "cannot make a database to verify the "
		    "backup in (the role needs CREATEDB): %s", c->err);
		return SB_EIO;
	}
	return SB_OK;
}

static void
pg_unscratch(struct be_conn *c, const char *target)
{
	char	 name[64], sql[128];

	if (!dbname_of(target, name, sizeof(name)) ||
	    strncmp(name, "securebase_verify_", 18) != 0)
		return;		/* only what pg_scratch made */
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	    name);
	(void)pg_exec(c, sql);
}

/* The guards as pg_get_triggerdef() gives them back: audit verify
 * compares, so that a guard replaced by one that lets rows through is
 * found.  The function they call is compared too. */
static const struct be_guard pg_guards[] = {
	{ "audit_no_update", "CREATE TRIGGER audit_no_update BEFORE UPDATE "
	    "ON public.audit FOR EACH ROW EXECUTE FUNCTION audit_refuse('audit "
	    "rows cannot be changed')" },
	{ "audit_no_delete", "CREATE TRIGGER audit_no_delete BEFORE DELETE "
	    "ON public.audit FOR EACH ROW EXECUTE FUNCTION audit_refuse('audit "
	    "rows cannot be deleted')" },
	{ "audit_no_truncate", "CREATE TRIGGER audit_no_truncate BEFORE "
	    "TRUNCATE ON public.audit FOR EACH STATEMENT EXECUTE FUNCTION "
	    "audit_refuse('audit rows cannot be deleted')" },
	{ "audit_head_no_delete", "CREATE TRIGGER audit_head_no_delete BEFORE "
	    "DELETE ON public.audit_head FOR EACH ROW EXECUTE FUNCTION "
	    "audit_refuse('the audit head cannot be deleted')" },
	{ "audit_head_no_truncate", "CREATE TRIGGER audit_head_no_truncate "
	    "BEFORE TRUNCATE ON public.audit_head FOR EACH STATEMENT EXECUTE "
	    "FUNCTION audit_refuse('the audit head cannot be deleted')" },
	{ "audit_refuse", "BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING "
	    "ERRCODE = 'restrict_violation'; END" },
	{ NULL, NULL }
};

/*
 * The guard (backend.h): an advisory lock of a transaction that stays
 * open on a connection of its own for as long as it is held.  The server
 * ends the transaction with the connection, so that a node killed with
 * SIGKILL holds nothing; and a transaction, unlike a session, keeps its
 * server connection behind a transaction pooler (pool_parse).  It holds
 * no snapshot between statements and writes nothing, so it keeps no
 * row from VACUUM.  Its key is not the writers' (29538); advisory locks
 * belong to the database, so two practices on one server do not meet.
 * Each holder names itself in application_name (set for the
 * transaction), which pg_stat_activity shows to the one refused.
 */
#define GUARD_KEY	"29539"

/* One statement of the guard's, its result's status checked. */
static bool
guard_exec(struct be_conn *c, const char *sql, int nparams,
    const char *const *vals, PGresult **out)
{
	PGresult	*res = PQexecParams(c->pg, sql, nparams, NULL, vals, NULL,
			    NULL, 0);
	ExecStatusType	 st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		failed(c, res);
		PQclear(res);
		return false;
	}
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return true;
}

static bool
guard_try(struct be_conn *c, bool exclusive, const char *who, bool *got)
{
	const char	*vals[1] = { who };
	PGresult	*res;

	*got = false;
	if (!guard_exec(c, "BEGIN", 0, NULL, NULL) ||
	    !guard_exec(c, "SELECT set_config('application_name', left($1, "
	    "63), true)", 1, vals, NULL) ||
	    !guard_exec(c, exclusive ? "SELECT pg_try_advisory_xact_lock("
	    GUARD_KEY ")" : "SELECT pg_try_advisory_xact_lock_shared("
	    GUARD_KEY ")", 0, NULL, &res))
		return false;
	*got = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	/* Not held: nothing to keep the transaction open for. */
	return *got || guard_exec(c, "ROLLBACK", 0, NULL, NULL);
}

/* Who holds the guard now, as "NAME (ADDRESS), ..." into out. */
static void
guard_holders(struct be_conn *c, char *out, size_t outsz)
{
	PGresult	*res;
	size_t		 o = 0;
	int		 i, n;

	out[0] = '\0';
	res = PQexec(c->pg, "SELECT coalesce(nullif(a.application_name, ''), "
	    "'pid ' || a.pid), coalesce(host(a.client_addr), 'this host') "
	    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
	    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 "
	    "AND l.objid = " GUARD_KEY " AND l.objsubid = 1 AND l.database = "
	    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
	    "AND l.pid <> pg_backend_pid() ORDER BY 1");
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		n = PQntuples(res);
		for (i = 0; i < n && o + 1 < outsz; i++) {
			int	 k = snprintf(out + o, outsz - o, "%s%s (%s)",
				    i ? ", " : "", PQgetvalue(res, i, 0),
				    PQgetvalue(res, i, 1));

			if (k < 0 || (size_t)k >= outsz - o)
				break;
			o += (size_t)k;
		}
	}
	PQclear(res);
	if (out[0] == '\0')
		snprintf(out, outsz, "another securebase command");
}

static SB_MUST enum sb_err
guard_refused(struct be_conn *c, bool exclusive, char *err, size_t errsz)
{
	char	 holders[400];

	guard_holders(c, holders, sizeof(holders));
	snprintf(err, errsz, "the practice's database is in use by %s: %s",
	    holders, exclusive ? "stop every securebase serve node (and "
	    "command) on it first" : "an upgrade, restore or migrate is "
	    "running on it; start this when it is done");
	return SB_EBUSY;
}

static SB_MUST enum sb_err
pg_guard(const char *target, bool exclusive, const char *who,
    struct be_conn **out, char *err, size_t errsz)
{
	struct be_conn	*c;
	bool		 got;
	enum sb_err	 e;

	*out = NULL;
	if ((e = pg_open(target, BE_PEEK, &c, err, errsz)) != SB_OK)
		return e;
	if (!guard_try(c, exclusive, who, &got)) {
		snprintf(err, errsz, "taking the practice's lock: %s", c->err);
		pg_close(c);
		return SB_EIO;
	}
	if (!got) {
		e = guard_refused(c, exclusive, err, errsz);
		pg_close(c);
		return e;
	}
	*out = c;
	return SB_OK;
}

static SB_MUST enum sb_err
pg_guard_renew(struct be_conn *c, bool exclusive, const char *who, char *err,
    size_t errsz)
{
	PGresult	*res;
	bool		 alive, got;

	res = PQexec(c->pg, "SELECT 1");
	alive = PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
	PQclear(res);
	if (alive)
		return SB_OK;		/* still held: the transaction lives */
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		PQreset(c->pg);
		if (PQstatus(c->pg) != CONNECTION_OK) {
			snprintf(err, errsz, "the database is away: %s",
			    PQerrorMessage(c->pg));
			err[strcspn(err, "\n")] = '\0';
			return SB_EIO;
		}
		(void)session_set(c);
	} else
		PQclear(PQexec(c->pg, "ROLLBACK"));	/* ended by an error */
	if (!guard_try(c, exclusive, who, &got)) {
		snprintf(err, errsz, "taking the practice's lock again: %s",
		    c->err);
		return SB_EIO;
	}
	return got ? SB_OK : guard_refused(c, exclusive, err, errsz);
}

static const struct be_driver pg_drv = {
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.column_null = pg_column_null,
	.column_type = pg_column_type,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.changes = pg_changes,
	.total_changes = pg_total_changes,
	.last_id = pg_last_id,
	.errmsg = pg_errmsg,
	.errclass = pg_errclass,
	.gone = pg_gone,
	.bulk = pg_bulk,
	.in_txn = pg_in_txn,
	.identify = pg_identify,
	.mark = pg_mark,
	.check = pg_check,
};

static const struct be_files pg_fs = {
	.guard = pg_guard,
	.guard_renew = pg_guard_renew,
	.copy = pg_copy,
	.load = pg_load,
	.scratch = pg_scratch,
	.unscratch = pg_unscratch,
	.create = pg_create,
	.single = pg_single,
	.remove = pg_remove,
	.explain = pg_explain,
};

static const struct be_dialect pg_sql = {
	.ids_sql = "SELECT nextval(pg_get_serial_sequence(?1, 'id')) FROM "
	    "generate_series(1, ?2)",
	.migrations = pg_migrations,
	.guards = pg_guards,
	.version_table = "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version bigint PRIMARY KEY, applied text NOT NULL)",
	/* The identity columns (pg_schema.c) go on after the largest id. */
	.settle = "SELECT setval(pg_get_serial_sequence(t, c), coalesce(m, "
	    "0) + 1, false) FROM (SELECT 'administrations' AS t, 'id' AS c, "
	    "(SELECT max(id) FROM administrations) AS m UNION ALL SELECT "
	    "'imports', 'id', (SELECT max(id) FROM imports) UNION ALL SELECT "
	    "'narrative_prompts', 'id', (SELECT max(id) FROM "
	    "narrative_prompts) UNION ALL SELECT 'login_failures', 'rowid', "
	    "(SELECT max(rowid) FROM login_failures) UNION ALL SELECT "
	    "'web_sessions', 'rowid', (SELECT max(rowid) FROM web_sessions)) "
	    "ids",
	/* READ COMMITTED: each statement sees every write committed before
	 * it, so after the lock, all of them.  The key is "sb" in ASCII. */
	/* The writer's session settings again, LOCAL: behind a transaction
	 * pooler the session's are not there (pool_parse).  A read needs
	 * none (no statement of store/ reads the clock or the zone), and is
	 * one statement: a view prepares it (view.c). */
	.begin_write = "BEGIN; SET LOCAL lock_timeout = '5s'; SET LOCAL TIME "
	    "ZONE 'UTC'; SET LOCAL synchronous_commit = on; SELECT "
	    "pg_advisory_xact_lock(29538)",
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	.outbox_claim = BE_OUTBOX_CLAIM " FOR UPDATE SKIP LOCKED",
	.guard_sql = "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE "
	    "tgname = ?1 AND NOT tgisinternal UNION ALL SELECT prosrc FROM "
	    "pg_proc WHERE proname = ?1",
};

const struct store_backend pg_backend = {
	.name = "postgresql",
	.handles = pg_handles,
	.drv = &pg_drv,
	.fs = &pg_fs,
	.sql = &pg_sql,
};
