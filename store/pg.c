/*
 * pg.c - the PostgreSQL backend through libpq (issue 15), begun: the
 * statement half of the table of backend.h.  A connection, statements
 * with the store's "?" and "?N" parameters, binds, steps, columns,
 * changes, errors by class and transactions work against a real server
 * (tests/pg/run.sh); the practice's schema in PostgreSQL's words, the
 * application mark, checks and copies (pg_dump) are not written yet, so
 * backend_for() does not offer it and no --db reaches it.
 *
 * Each step that starts a statement sends it with PQexecParams and the
 * types its binds gave (int8, text, bytea in binary, or unknown for a
 * NULL), and reads the whole result; rows are then handed out one per
 * step.  Results come as text: a bytea column is decoded from its hex
 * form on first use.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/backend.h"
#include "store/pg.h"

/* PostgreSQL's type oids (pg_type.h; fixed since 7.x). */
#define OID_BYTEA	17
#define OID_INT8	20
#define OID_BOOL	16
#define OID_TEXT	25

#define PG_PARAMS	64	/* more than any statement of store/ has */
#define PG_COLUMNS	64	/* the same for columns */

struct be_conn {
	PGconn		*pg;
	int64_t		 changes, total;
	enum be_rc	 errclass;
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
	struct param	 p[PG_PARAMS];
	PGresult	*res;
	int		 row, nrows;	/* row: 1-based, the current one */
	unsigned char	*blob[PG_COLUMNS];	/* decoded bytea columns */
	size_t		 bloblen[PG_COLUMNS];
};

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
	return c->errclass;
}

static void
pg_close(struct be_conn *c)
{
	if (c == NULL)
		return;
	PQfinish(c->pg);
	free(c);
}

static enum sb_err
pg_open(const char *target, enum be_mode mode, struct be_conn **out,
    char *err, size_t errsz)
{
	struct be_conn	*c;
	PGresult	*res;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return SB_ENOMEM;
	}
	c->pg = PQconnectdb(target);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		/* Not the URL: it may carry a password. */
		snprintf(err, errsz, "cannot connect to the PostgreSQL "
		    "database: %s", c->pg ? PQerrorMessage(c->pg) :
		    "out of memory");
		err[strcspn(err, "\n")] = '\0';
		pg_close(c);
		return SB_EIO;
	}
	/* A reader must not write: refused by the server, not only by
	 * us. */
	if (mode != BE_WRITE) {
		res = PQexec(c->pg, "SET default_transaction_read_only = on");
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			failed(c, res);
			snprintf(err, errsz, "%s", c->err);
			PQclear(res);
			pg_close(c);
			return SB_EIO;
		}
		PQclear(res);
	}
	*out = c;
	return SB_OK;
}

static enum be_rc
pg_exec(struct be_conn *c, const char *sql)
{
	PGresult	*res = PQexec(c->pg, sql);
	ExecStatusType	 st = PQresultStatus(res);
	enum be_rc	 rc = BE_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY)
		rc = failed(c, res);
	PQclear(res);
	return rc;
}

/*
 * The store's parameters in PostgreSQL's form: "?" is the next number,
 * "?N" is N; a "?" inside a string literal, a quoted name or a comment
 * is text and stays.  *n is the highest number used; "?0" and numbers
 * over PG_PARAMS are refused (NULL).
 */
char *
pg_rewrite(const char *sql, int *n)
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
		o += (size_t)snprintf(out + o, 5, "$%d", k);
	}
	out[o] = '\0';
	return out;
}

static enum be_rc
pg_prepare(struct be_conn *c, const char *sql, bool keep,
    struct be_stmt **out)
{
	struct be_stmt	*st;

	(void)keep;	/* planned at each run for now: see the top */
	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return BE_NOMEM;
	st->c = c;
	if ((st->sql = pg_rewrite(sql, &st->nparams)) == NULL) {
		snprintf(c->err, sizeof(c->err), "a statement with more than "
		    "%d parameters, or out of memory", PG_PARAMS);
		c->errclass = BE_ERROR;
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

static enum be_rc
run(struct be_stmt *st)
{
	Oid		 types[PG_PARAMS];
	const char	*vals[PG_PARAMS];
	int		 lens[PG_PARAMS], fmts[PG_PARAMS], i;
	const char	*n;
	ExecStatusType	 s;

	for (i = 0; i < st->nparams; i++) {
		types[i] = st->p[i].type;
		vals[i] = st->p[i].val;
		lens[i] = st->p[i].len;
		fmts[i] = st->p[i].format;
	}
	st->res = PQexecParams(st->c->pg, st->sql, st->nparams, types, vals,
	    lens, fmts, 0);
	s = PQresultStatus(st->res);
	if (s == PGRES_TUPLES_OK) {
		st->nrows = PQntuples(st->res);
		st->c->changes = 0;
		return BE_OK;
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

/* A bytea column decoded from its text form, once per row. */
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
	PQfreemem(st->blob[i]);
	st->blob[i] = PQunescapeBytea((const unsigned char *)v,
	    &st->bloblen[i]);
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

static int
pg_column_count(struct be_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *
pg_column_name(struct be_stmt *st, int i)
{
	return st->res ? PQfname(st->res, i) : NULL;
}

static int64_t
pg_changes(struct be_conn *c)
{
	return c->changes;
}

static int64_t
pg_total_changes(struct be_conn *c)
{
	return c->total;
}

static int64_t
pg_last_id(struct be_conn *c)
{
	PGresult	*res = PQexec(c->pg, "SELECT lastval()");
	int64_t		 id = 0;

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
pg_in_txn(struct be_conn *c)
{
	return PQtransactionStatus(c->pg) != PQTRANS_IDLE;
}

const struct store_backend pg_backend = {
	.name = "postgresql",
	.handles = pg_handles,
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
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.changes = pg_changes,
	.total_changes = pg_total_changes,
	.last_id = pg_last_id,
	.errmsg = pg_errmsg,
	.errclass = pg_errclass,
	.in_txn = pg_in_txn,
	/* Not yet: identify, mark, check, copy, single, remove, explain,
	 * the migrations (NULL), and the dialect; see the top. */
	.begin_write = "BEGIN ISOLATION LEVEL SERIALIZABLE",
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
};
