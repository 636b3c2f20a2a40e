/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cli.h - what the command modules share: exit codes, option parsing,
 * the per-run context, and the commands themselves.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "app/registry.h"
#include "core/err.h"

/* Exit codes of every command (documented in --help). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
/* Returned by opts_parse() when --help was printed. */
#define EXIT_HELPED	-1

struct ctx {
	const char	*instruments_dir;	/* or NULL */
	const char	*licences;		/* or NULL */
	const char	*db;			/* --db or SECUREBASE_DB */
	const char	*user;			/* --user or SECUREBASE_USER */
	const char	*keyfile;		/* --key-file or default */
	const char	*passphrase_file;	/* --passphrase-file */
};

struct store;
struct store_key;

/* Values of an option that may be given more than once. */
#define OPT_LIST_MAX	8
struct opt_list {
	const char	*v[OPT_LIST_MAX];
	size_t		 n;
};
/* One option of a command: "--name VALUE" (val), "--name" (flag), or
 * "--name VALUE" as often as wanted (list). */
struct opt {
	const char	*name;
	const char	**val;
	bool		*flag;
	struct opt_list	*list;
};

/*
 * Parses argv[1..argc) of command cmd: options from opts (terminated by
 * a NULL name), the rest into pos[0..*npos).  Prints --help or a usage
 * error itself, returning EXIT_HELPED or EXIT_USAGE; EXIT_OK otherwise.
 */
int	 opts_parse(const char *cmd, int argc, char **argv,
	    const struct opt *opts, const char **pos, size_t minpos,
	    size_t maxpos, size_t *npos);
/* Prints the manual page of a command to standard output. */
int	 help_print(const char *cmd);
/* Prints the usage line of a command after a usage error. */
int	 usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Loads the registry, printing its warnings to standard error. */
int	 cli_registry(const struct ctx *, struct registry *);
/* Finds an instrument or prints an error naming the known ids. */
const struct reg_entry *cli_instrument(const struct registry *,
	    const char *id);
/* For a disabled instrument, prints its licence terms to stderr. */
void	 cli_licence_note(const struct reg_entry *);
struct lexicon;
/* The narrative lexicon: FILE, or the built-in English one (NULL). */
enum sb_err cli_lexicon(const char *file, struct lexicon **out, char *err,
	    size_t errsz) SB_MUST;
struct answers_opts;
/* --missing (any number) and --delimiter as answers_open() takes them;
 * a usage error for a delimiter it does not know. */
int	 cli_answers_opts(const char *cmd, const struct opt_list *missing,
	    const char *delim, struct answers_opts *);
/* cmd_fhir.c: export --fhir DIR and import --fhir FILE. */
int	 fhir_export(const struct ctx *, const char *dir, const char *client,
	    bool pseudonymise, bool transaction, bool ndjson);
int	 fhir_import(const struct ctx *, const char *file, const char *client,
	    int historic_days);
/* cmd_research.c: export --research DIR (pseudonymous, consented). */
int	 research_export(const struct ctx *, const char *dir,
	    const char *consent, bool everyone);
/* Gives a practice with no prompts the shipped set (lang/en.prompts). */
enum sb_err cli_prompts_seed(struct store *, char *err, size_t errsz) SB_MUST;
/* Parses "--scale MIN-MAX". */
bool	 cli_scale(const char *s, int *lo, int *hi);

int	 cmd_instruments(const struct ctx *, int, char **);
int	 cmd_score(const struct ctx *, int, char **);
int	 cmd_psychometrics(const struct ctx *, int, char **);
int	 cmd_administer(const struct ctx *, int, char **);
int	 cmd_change(const struct ctx *, int, char **);
int	 cmd_init(const struct ctx *, int, char **);
int	 cmd_user(const struct ctx *, int, char **);
int	 cmd_client(const struct ctx *, int, char **);
int	 cmd_person(const struct ctx *, int, char **);
int	 cmd_relationship(const struct ctx *, int, char **);
int	 cmd_event(const struct ctx *, int, char **);
int	 cmd_session(const struct ctx *, int, char **);
int	 cmd_note(const struct ctx *, int, char **);
int	 cmd_alerts(const struct ctx *, int, char **);
int	 cmd_audit(const struct ctx *, int, char **);
int	 cmd_backup(const struct ctx *, int, char **);
int	 cmd_restore(const struct ctx *, int, char **);
int	 cmd_migrate(const struct ctx *, int, char **);
int	 cmd_upgrade(const struct ctx *, int, char **);
int	 cmd_export(const struct ctx *, int, char **);
int	 cmd_import(const struct ctx *, int, char **);
int	 cmd_case(const struct ctx *, int, char **);
int	 cmd_rescore(const struct ctx *, int, char **);
int	 cmd_serve(const struct ctx *, int, char **);
int	 cmd_link(const struct ctx *, int, char **);
int	 cmd_demo(const struct ctx *, int, char **);
int	 cmd_episode(const struct ctx *, int, char **);
int	 cmd_schedule(const struct ctx *, int, char **);
int	 cmd_consent(const struct ctx *, int, char **);
int	 cmd_history(const struct ctx *, int, char **);
int	 cmd_narrative(const struct ctx *, int, char **);
int	 cmd_outcomes(const struct ctx *, int, char **);
int	 cmd_report(const struct ctx *, int, char **);
int	 cmd_notify(const struct ctx *, int, char **);
int	 cmd_settings(const struct ctx *, int, char **);
int	 cmd_privacy(const struct ctx *, int, char **);

/*
 * Opens the practice database of ctx and sets the acting user (unless
 * need_user is false).  Prints the error and returns NULL on failure,
 * with *rc the exit code to return (EXIT_USAGE for a missing --db/--user).
 * On success *rc is EXIT_RUNTIME, ready for a later failure.
 */
struct store	*cli_store(const struct ctx *, const char *cmd, bool need_user,
		    int *rc);
/* The same, read-only and with no acting user (store_open_readonly). */
struct store	*cli_store_readonly(const struct ctx *, const char *cmd,
		    int *rc);
/*
 * The practice key: --passphrase-file, else --key-file, else PATH.key
 * beside the database (built in buf).
 */
/* The key of ctx's practice into k (buf holds a default path); a usage
 * error, said, when a PostgreSQL practice names no key file. */
int		 cli_key(const struct ctx *, const char *cmd,
		    struct store_key *k, char *buf, size_t n);
/* Reads a secret (password) from a file, or prompts on the terminal. */
int	 cli_read_secret(const char *file, const char *prompt, char *out,
	    size_t n);
/* Closes s; on error prints "securebase CMD: message". Exit code. */
int	 cli_done(struct store *, const char *cmd, enum sb_err);
/*
 * Lines a store read hands out go into out, and out to standard output
 * only once the read returned e == SB_OK: its audit rows are then
 * committed, so nothing of a client is shown whose reading was not
 * recorded.  out is wiped and freed.  Returns e, or SB_EIO when the
 * write fails.
 */
enum sb_err	 cli_emit(struct buf *out, enum sb_err e) SB_MUST;
/* Prints a new record's id, as {"what": id} with json. */
void	 cli_print_id(bool json, const char *what, int64_t id);
struct store_stopped;
/* "sending stopped: ..." when the care lifecycle stopped anything. */
void	 cli_print_stopped(const struct store_stopped *);
/* Parses a positive id ("42"). */
bool	 cli_id(const char *s, int64_t *id);
/* Applies permissions recorded in the practice database to reg; false
 * (said on stderr) when they could not be read. */
bool	 cli_db_permissions(struct store *, struct registry *) SB_MUST;
/* The longest secret (password, passphrase) read from a file. */
#define SECRET_MAX	1024

/*
 * entry.c: what person, relationship and event share.  opt_int parses
 * an optional whole number within [lo, hi] ("" gives empty); opt_text is
 * given, or current when not given, "" clearing it; entry_verb reads
 * "add", "edit ID" or "remove ID" (an exit code); missing_entry says an
 * edited entry is not in the history; entry_current reads the history
 * for an edit to start from.
 */
struct history;
bool		 opt_int(const char *s, long lo, long hi, int *out,
		    int empty);
const char	*opt_text(const char *given, const char *current);
int		 entry_verb(const char *cmd, const char **pos, size_t npos,
		    int64_t *id);
enum sb_err	 missing_entry(const char *what, int64_t id) SB_MUST;
enum sb_err	 entry_current(struct store *, int64_t cid, struct history *)
		    SB_MUST;

#endif
