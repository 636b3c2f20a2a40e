/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store.h - the practice database: open, migrate, transact, and the typed
 * records of a practice (users, clients, their history, sessions, notes,
 * administrations, alerts).
 *
 * SQLite is the embedded default; every SQL statement of the program lives
 * in store/, so that another database can be added behind this interface.
 *
 * Rules every function here keeps:
 *   - it acts as the user set with store_act_as(), checks that user's
 *     access to the client first, and writes an audit row in the same
 *     transaction as the read or change it records;
 *   - clinical free text and identifying fields are encrypted before they
 *     reach SQLite (store/crypto.h);
 *   - on error it returns an enum sb_err, rolls back what it began, and
 *     leaves a message in store_errmsg(): nothing is half-written.
 *
 * Ownership: store_open() returns a handle freed with store_close(); strings
 * a function returns are the caller's to free() unless said otherwise.
 */
#ifndef SB_STORE_H
#define SB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/history.h"
#include "core/err.h"

#define STORE_MAX_NAME		64	/* user names */
#define STORE_MAX_DISPLAY	80	/* a user's name as clients read it */
#define STORE_MAX_TEXT		(1024 * 1024)	/* a note, a narrative */
#define STORE_MAX_FIELD		1024	/* names, labels, references */

struct store;

enum store_role {
	ROLE_ADMIN,
	ROLE_THERAPIST,
	ROLE_SUPERVISOR,
	ROLE_KIOSK,	/* the waiting room's tablet: reads no record */
	ROLE__MAX
};

struct store_user {
	int64_t		 id;
	char		 name[STORE_MAX_NAME + 1];
	/* The name clients read ("Dr Maya Okafor"); "" when none is set
	 * (then the user name is shown). */
	char		 display[STORE_MAX_DISPLAY + 1];
	enum store_role	 role;
	bool		 active;
	/* The password met older, weaker rules: the web application lets
	 * this user do nothing but choose a new one. */
	bool		 must_change;
};

/* ---- the database file ---- */

/*
 * Where the practice key comes from: a key file (32 random bytes), or a
 * passphrase read from a file and stretched with Argon2id and a salt kept
 * in the database.  Exactly one is set.
 */
struct store_key {
	const char	*file;
	const char	*passphrase_file;
};

/*
 * Creates a new practice database at path with a first admin user, and
 * its key file (32 random bytes, mode 0600, never overwritten) unless the
 * key is a passphrase.  Fails if either file exists.
 */
enum sb_err	 store_init(const char *path, const struct store_key *,
		    const char *admin, const char *password, char *err,
		    size_t errsz) SB_MUST;
/*
 * Opens an existing database with its key; migrates it forward.  Looks
 * first, read-only: a file that is not a practice (empty, another
 * application's) or a wrong key is refused with not a byte changed.
 */
enum sb_err	 store_open(const char *path, const struct store_key *,
		    struct store **, char *err, size_t errsz) SB_MUST;
/*
 * The same, read-only: never switches the file to WAL, never migrates
 * (a database of another schema version is refused); for verifying a
 * backup or any copy in place.  Writes through it fail.
 */
enum sb_err	 store_open_readonly(const char *path,
		    const struct store_key *, struct store **, char *err,
		    size_t errsz) SB_MUST;
void		 store_close(struct store *);
const char	*store_errmsg(const struct store *);
/* Was the last failure a row changed outside securebase (its seal does
 * not match, store/rows.h)?  Such a refusal is not "try again". */
bool		 store_tampered(const struct store *);
/*
 * Has a statement since the last store_act_clear() failed because the
 * database was away (a PostgreSQL server down, restarting or cut off)?
 * Then nothing that failed is a verdict ("no such link", "no session"):
 * the answer is "not now".
 */
bool		 store_away(const struct store *);
/*
 * PRAGMA quick_check: SB_EIO, saying what and to restore, when the file
 * is damaged (a broken index, a torn page).  A few seconds on a large
 * practice: at serve start and in audit verify, not per command.
 */
enum sb_err	 store_quick_check(struct store *) SB_MUST;
/*
 * One long-lived writer at a time (store/lock.c): serve holds PATH.lock
 * while it runs, restore while it replaces PATH.  SB_EBUSY, with who
 * holds it in err, when another does.  what: "serve", "restore",
 * "upgrade", "migrate".  On PostgreSQL, every serve node holds it at
 * once and the others alone (the database's guard).
 */
struct store_lock;
enum sb_err	 store_lock_take(const char *path, const char *what,
		    struct store_lock **, char *err, size_t errsz) SB_MUST;
void		 store_lock_drop(struct store_lock *);
/* For a holder that runs for days (serve): a lock the database server
 * dropped with its connection (a restart) is taken again.  SB_EBUSY when
 * someone took it alone meanwhile; SB_EIO while the database is away. */
enum sb_err	 store_lock_renew(struct store_lock *, char *err,
		    size_t errsz) SB_MUST;
/* The same, removing PATH.lock too: for a command refused before path
 * existed (a restore into a new file), which leaves nothing behind. */
void		 store_lock_drop_unused(struct store_lock *, const char *path);
/* The default key file of a database: PATH.key.  A server's database
 * (postgresql://) has none: its key file is always named (false). */
bool		 store_default_keyfile(const char *path, char *out,
		    size_t outsz);
/*
 * Moves a practice: every row of from (a file or a postgresql:// URL)
 * into to, which must not exist (a file) or be empty (a database), with
 * the same key; then checks the row count of every table and the whole
 * audit trail on to.  On any failure to is left as it was.  The source
 * is read in one snapshot and not changed: stop its servers first.
 */
#define STORE_MIGRATE_TABLES	49
struct store_migrate_report {
	size_t			 ntables;
	const char *const	*table;		/* their names */
	int64_t			 rows[STORE_MIGRATE_TABLES];
	int64_t			 audit_rows;
};
enum sb_err	 store_migrate(const char *from, const char *to,
		    const struct store_key *, struct store_migrate_report *,
		    char *err, size_t errsz) SB_MUST;
/* Is the --db target a file (SQLite), not a server's database? */
bool		 store_is_file(const char *target);
/* The target as it may be shown (messages, logs): a postgresql:// URL
 * without its password.  Into out, always terminated. */
void		 store_target_shown(const char *target, char *out,
		    size_t outsz);
/*
 * What a monitor may know (store/metrics.c), no clinical data: messages
 * queued and failed, alerts open and those high ones open past the
 * escalation delay, and when the last verified backup was made (0:
 * none recorded).  store_backup_note records one (`securebase backup`).
 */
struct store_gauges {
	int64_t		 queued, failed;
	int64_t		 alerts_open, alerts_overdue;
	int64_t		 backup_at;
};
enum sb_err	 store_gauges(struct store *, int64_t now,
		    struct store_gauges *) SB_MUST;
enum sb_err	 store_backup_note(struct store *, int64_t at) SB_MUST;
/* The schema the database has (-1: it could not be read), and the one
 * this securebase reads and writes on the store's engine. */
int		 store_schema_version(struct store *);
int		 store_schema_expected(const struct store *);
int		 store_schema_latest(void);
/*
 * Opens a practice at whatever schema it has, without migrating (a
 * backup's check; upgrade).  Every other open, store_open() included,
 * refuses an older practice with SB_EUPGRADE.
 */
enum sb_err	 store_open_as_is(const char *path, const struct store_key *,
		    struct store **, char *err, size_t errsz) SB_MUST;
/*
 * `securebase upgrade`: under the practice's lock, a verified backup to
 * backup (a new file; it keeps the old schema), then the schema's
 * migrations to the latest.  *from and *to are the versions; equal when
 * there was nothing to do (and no backup is made).
 */
enum sb_err	 store_upgrade(const char *path, const struct store_key *,
		    const char *backup, int *from, int *to, char *err,
		    size_t errsz) SB_MUST;

/* Sets the acting user (must exist and be active). */
enum sb_err	 store_act_as(struct store *, const char *name) SB_MUST;
const struct store_user *store_actor(const struct store *);
/* No acting user and no finding of rows changed outside (between the
 * requests a pooled handle serves). */
void		 store_act_clear(struct store *);

/* ---- users (admin only) ---- */
enum sb_err	 store_user_add(struct store *, const char *name,
		    enum store_role, const char *password, int64_t *id) SB_MUST;
/*
 * Sets a password (an admin for anyone, a user for themself).  It must
 * meet the rules of core/password.h.  Ends the user's sessions other than
 * the acting session, so that whoever knew the old one is out.
 */
enum sb_err	 store_user_passwd(struct store *, const char *name,
		    const char *password) SB_MUST;
enum sb_err	 store_user_disable(struct store *, const char *name) SB_MUST;
/*
 * Sets the name clients read on links, pages and mail (an admin for
 * anyone, a user for themself): one line of at most STORE_MAX_DISPLAY
 * bytes of UTF-8; NULL or "" removes it (the user name is shown).
 */
enum sb_err	 store_user_display(struct store *, const char *name,
		    const char *display) SB_MUST;
/* An Argon2id hash (PHC string) carried over from an earlier system, set
 * as the user's password (admin only); checked against today's password
 * rules at the user's next sign-in, as one of an older release is. */
enum sb_err	 store_user_set_hash(struct store *, const char *name,
		    const char *hash) SB_MUST;
/* One user as the admin's list shows them (valid during the call). */
struct store_user_row {
	const char	*name;
	enum store_role	 role;
	bool		 active;
};
/* Calls fn for each user, by name (admins only). */
enum sb_err	 store_user_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_user_row *),
		    void *arg) SB_MUST;
/*
 * Checks a password; on success rehashes it when the hashing parameters
 * have changed since it was set.  SB_EPERM on a wrong password or a
 * disabled user.
 */
enum sb_err	 store_user_check_password(struct store *, const char *name,
		    const char *password) SB_MUST;
const char	*store_role_name(enum store_role);
bool		 store_role_parse(const char *, enum store_role *);

/* ---- clients ---- */
enum sb_err	 store_client_add(struct store *, const char *name,
		    int64_t *id) SB_MUST;
/* Sharing: only the client's own therapist shares, and stops sharing. */
enum sb_err	 store_client_share(struct store *, int64_t client,
		    const char *user) SB_MUST;
enum sb_err	 store_client_unshare(struct store *, int64_t client,
		    const char *user) SB_MUST;
/* One client as a list shows it; the strings are valid during the call. */
struct store_client_row {
	int64_t		 id;
	const char	*name;
	const char	*therapist;	/* the owner's user name */
};
/* Calls fn for each client the actor may read, by id (audited once). */
enum sb_err	 store_client_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_client_row *),
		    void *arg) SB_MUST;
/*
 * ---- one client's whole record ----
 *
 * store_client_record() calls head once with the client, then row for
 * every row of every section in the order of enum store_section (either
 * may be NULL), and leaves one audit row.  A row's columns come
 * separately, by name, sealed ones opened, NULL for NULL; the strings
 * are valid during the call.
 */
enum store_section {
	STORE_SEC_PEOPLE,		/* name, role, gender, birth_year, ... */
	STORE_SEC_RELATIONSHIPS,	/* a_id, b_id, kind, type, dates */
	STORE_SEC_EVENTS,		/* category, date, age, valence, ... */
	STORE_SEC_SESSIONS,		/* date, attendance, note */
	STORE_SEC_NOTES,		/* created, text */
	STORE_SEC_ADMINISTRATIONS,	/* completed, instrument, ... */
	STORE_SEC_ALERTS,		/* created, severity, rule, state, ... */
	STORE_SEC_ALERT_HISTORY,	/* alert_id, at, state, name, note */
	STORE_SEC_EPISODES,		/* started, ended */
	STORE_SEC_CONSENTS,		/* kind, given, withdrawn */
	STORE_SEC_CASES,		/* kind, sharing */
	STORE_SECTIONS
};
#define STORE_RECORD_COLUMNS	8
struct store_client_head {
	int64_t		 id;
	const char	*name, *therapist, *since;
	/* The therapist's name for clients, or NULL for none: what the
	 * pages and the report name them by. */
	const char	*therapist_shown;
};
struct store_record_row {
	enum store_section	 section;
	int64_t			 id;
	size_t			 n;
	const char		*column[STORE_RECORD_COLUMNS];
	const char		*value[STORE_RECORD_COLUMNS];
};
enum sb_err	 store_client_record(struct store *, int64_t client,
		    enum sb_err (*head)(void *, const struct store_client_head *),
		    enum sb_err (*row)(void *, const struct store_record_row *),
		    void *arg) SB_MUST;

/* ---- cases, episodes, consents ---- */
/*
 * A case groups clients seen together: "individual" (one), "couple"
 * (two) or "family" (two or more).  Each member's answers are hidden from
 * the other members until that member's answers are shared.
 */
enum sb_err	 store_case_add(struct store *, const char *kind,
		    const int64_t *clients, size_t n, int64_t *id) SB_MUST;
enum sb_err	 store_case_share_answers(struct store *, int64_t kase,
		    int64_t client, bool shared) SB_MUST;
/*
 * The other members of the client's couple and family cases that the
 * actor may read: fn gets each one's id, name and the case's kind (at
 * most 16).
 */
enum sb_err	 store_case_others_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, int64_t other, const char *name,
		    const char *kind), void *arg) SB_MUST;
/* May viewer (a client, e.g. on a shared link) see owner's answers? */
enum sb_err	 store_answers_visible(struct store *, int64_t owner,
		    int64_t viewer, bool *visible) SB_MUST;
enum sb_err	 store_episode_start(struct store *, int64_t client,
		    const char *date, int64_t *id) SB_MUST;
/* An episode of care as store_episodes_each() hands it out. */
struct store_episode {
	int64_t		 id, client;
	char		 started[11];	/* YYYY-MM-DD */
	char		 ended[11];	/* "" while open */
	bool		 altered;	/* the client's rows were changed */
};
/*
 * Every episode of care of the clients the actor (a therapist or a
 * supervisor) may read, by client, then start: for the outcomes, which
 * compare scores within one episode.  A client whose episode rows were
 * changed outside securebase comes once, with altered set and no dates,
 * and is counted in *altered.  One audit row.
 */
enum sb_err	 store_episodes_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_episode *),
		    void *arg, size_t *altered) SB_MUST;
/*
 * ---- the care lifecycle ends sending (store/delivery.c) ----
 *
 * Ending an episode, withdrawing a consent of kind "treatment" or
 * "contact", or discharging a client ends every plan of the client
 * (end_reason says why), withdraws the client's open links and drops
 * the messages to the client still queued, in the transaction of the
 * change, when its date is today or earlier.  Removing the client's
 * last way to be reached (mail and phone) pauses the plans and drops
 * the queued messages.  A change dated ahead is applied by the
 * scheduler on its day: a plan sends only while the client has an
 * episode open that day (or has never had one recorded) and no such
 * consent withdrawn by then without a newer one in force.
 * What was stopped is counted in *stopped (which may be NULL).
 */
struct store_stopped {
	size_t		 plans, links, messages;
};
enum sb_err	 store_episode_end(struct store *, int64_t episode,
		    const char *date, struct store_stopped *) SB_MUST;
/* Discharge: ends the client's open episode (if any) on date, and every
 * plan; audited. */
enum sb_err	 store_client_discharge(struct store *, int64_t client,
		    const char *date, struct store_stopped *) SB_MUST;
/* The words for a plan's end_reason ("consent withdrawn"), or NULL. */
const char	*store_stop_words(const char *reason);
/*
 * The client's own answers to instrument (respondent self) dated within
 * episodes of care, by episode then time: with client 0, those of every
 * completed episode of the practice (numbers for the expected path, no
 * names; one audit row); else those of the client's open episode.
 */
enum sb_err	 store_episode_scores_each(struct store *,
		    const char *instrument, int64_t client,
		    enum sb_err (*fn)(void *, int64_t episode,
		    const char *completed, const char *answers), void *arg)
		    SB_MUST;
enum sb_err	 store_consent_add(struct store *, int64_t client,
		    const char *kind, const char *date, int64_t *id) SB_MUST;
enum sb_err	 store_consent_withdraw(struct store *, int64_t consent,
		    const char *date, struct store_stopped *) SB_MUST;

/*
 * The dated happenings of a client's therapy, oldest first (audited
 * read).  Life events known only by age are not on the calendar and not
 * listed.
 */
enum store_timeline_kind {
	STORE_TL_SESSION,	/* what: the attendance */
	STORE_TL_MEASURE,	/* what: the instrument */
	STORE_TL_EVENT		/* what: the category; valence -3..+3 */
};
struct store_timeline_row {
	const char			*date;	/* YYYY[-MM[-DD]] */
	enum store_timeline_kind	 kind;
	const char			*what;
	int				 valence;
};
enum sb_err	 store_timeline_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_timeline_row *),
		    void *arg) SB_MUST;

/* ---- history, sessions, notes ---- */
struct store_person {
	const char	*name;		/* or a role: "mother" */
	const char	*role;
	const char	*gender;	/* as the client describes it */
	int		 birth_year, death_year;	/* 0 = unknown */
	const char	*note;
};
enum sb_err	 store_person_add(struct store *, int64_t client,
		    const struct store_person *, int64_t *id) SB_MUST;
/* Replaces every field of a person of the client (an edit). */
enum sb_err	 store_person_update(struct store *, int64_t client,
		    int64_t id, const struct store_person *) SB_MUST;

struct store_relationship {
	int64_t		 a, b;		/* people of the same client */
	const char	*type;		/* structural or emotional type */
	const char	*start, *end;	/* YYYY[-MM[-DD]] or NULL */
	const char	*note;
};
enum sb_err	 store_relationship_add(struct store *, int64_t client,
		    const struct store_relationship *, int64_t *id) SB_MUST;
enum sb_err	 store_relationship_update(struct store *, int64_t client,
		    int64_t id, const struct store_relationship *) SB_MUST;

struct store_event {
	const char	*category;
	const char	*date;		/* YYYY[-MM[-DD]] or NULL */
	int		 age;		/* -1 = unknown */
	int		 valence;	/* -3 .. +3 */
	int		 intensity;	/* 1 .. 5 */
	const char	*note;
	/* A period ends at end_date or end_age; neither: a moment. */
	const char	*end_date;	/* NULL */
	int		 end_age;	/* -1 = none */
};
enum sb_err	 store_event_add(struct store *, int64_t client,
		    const struct store_event *, int64_t *id) SB_MUST;
enum sb_err	 store_event_update(struct store *, int64_t client,
		    int64_t id, const struct store_event *) SB_MUST;

/*
 * ---- the attachment history as a whole (core/history.h) ----
 *
 * store_history_read fills h (the caller frees it with history_free),
 * each figure with the ECR-RS of its latest administration about them.
 * store_history_replace puts h in place of the client's people, ties
 * and events, all or nothing (an import); ids in h only join ties to
 * people.  store_history_remove deletes one "person" (with their ties),
 * "relationship" or "event".
 */
enum sb_err	 store_history_read(struct store *, int64_t client,
		    struct history *h) SB_MUST;
enum sb_err	 store_history_replace(struct store *, int64_t client,
		    const struct history *h) SB_MUST;
enum sb_err	 store_history_remove(struct store *, int64_t client,
		    const char *what, int64_t id) SB_MUST;
/* A mark of the therapy for the lifeline: an attended session (series
 * "session", value 0) or a measure's first score (series: the
 * instrument, and the score when it is not the total: "ecr-r anxiety"). */
struct store_mark {
	const char	*date;		/* YYYY-MM-DD */
	const char	*series;
	double		 value;
};
/* Calls fn for each, by date (audited read). */
enum sb_err	 store_marks_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_mark *),
		    void *arg) SB_MUST;
/* Snapshots ("at intake"): the history as it stands, kept sealed. */
enum sb_err	 store_snapshot_add(struct store *, int64_t client,
		    const char *label, int64_t *id) SB_MUST;
struct store_snapshot_row {
	int64_t		 id;
	const char	*taken, *label;	/* valid during the call */
};
/* Calls fn for each snapshot of the client, oldest first. */
enum sb_err	 store_snapshot_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_snapshot_row *),
		    void *arg) SB_MUST;
enum sb_err	 store_snapshot_read(struct store *, int64_t client,
		    int64_t id, struct history *h, char *label, size_t labelsz)
		    SB_MUST;

/*
 * ---- the optional second factor ----
 * store_totp_set keeps the user's TOTP secret sealed (NULL: turns the
 * second factor off); an admin or the user themselves.  store_totp_verify
 * is SB_OK when the user has none, or when code is right for now and
 * newer than the last one used (then it is spent).
 */
enum sb_err	 store_totp_set(struct store *, const char *name,
		    const unsigned char *secret, size_t n) SB_MUST;
/* (store_totp_set also ends the user's other sessions.) */
/* Does the user have a second factor?  The user themself or an admin. */
enum sb_err	 store_totp_enabled(struct store *, const char *name,
		    bool *on) SB_MUST;
enum sb_err	 store_totp_verify(struct store *, const char *name,
		    const char *code, int64_t now) SB_MUST;

/* ---- exchange ---- */
/* Has the client a consent of kind in force today: given on or before
 * today (the clock's), and not withdrawn on or before it? */
enum sb_err	 store_consent_active(struct store *, int64_t client,
		    const char *kind, bool *yes) SB_MUST;
/* Calls fn with the date (YYYY-MM-DD) of each attended session, in
 * order (audited read). */
enum sb_err	 store_session_dates_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const char *date), void *arg)
		    SB_MUST;
/* The client's research pseudonym (16 hex digits, stable per practice). */
void		 store_client_pseudonym(struct store *, int64_t client,
		    char out[17]);

/*
 * ---- narrative work ----
 *
 * The practice's prompts (seeded from the shipped set on first use,
 * changed by admins and therapists), and per client and prompt a
 * narrative whose drafts are all kept, sealed.
 */
struct store_prompt_def {
	const char	*key;		/* "caregivers": a-z, 0-9, - */
	const char	*text;
};
enum sb_err	 store_prompts_seed(struct store *,
		    const struct store_prompt_def *, size_t n) SB_MUST;
/* Calls fn for each of the practice's prompts, in order. */
enum sb_err	 store_prompt_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_prompt_def *),
		    void *arg) SB_MUST;
enum sb_err	 store_prompt_set(struct store *, const char *key,
		    const char *text) SB_MUST;
/*
 * Keeps text as the next draft of the client's narrative for prompt
 * (by_client: the client wrote it through a link).  Text equal to the
 * latest draft is not kept again; *version is the latest version.  Of
 * the client's drafts of one narrative the newest NARRATIVE_CLIENT_DRAFTS
 * are kept (a link saves one per page); the therapist's are all kept.
 */
#define NARRATIVE_CLIENT_DRAFTS	50
enum sb_err	 store_narrative_save(struct store *, int64_t client,
		    const char *prompt, const char *text, bool by_client,
		    int *version) SB_MUST;
struct store_narrative_row {
	const char	*prompt;	/* its key */
	int		 drafts;
	const char	*last;		/* when the newest was saved */
};
/* Calls fn for each narrative of the client (audited read). */
enum sb_err	 store_narrative_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_narrative_row *),
		    void *arg) SB_MUST;
struct store_draft {
	int		 version;
	const char	*created, *author, *text;
};
/* Calls fn for each draft of the client's narrative, oldest first. */
enum sb_err	 store_narrative_drafts(struct store *, int64_t client,
		    const char *prompt, enum sb_err (*fn)(void *,
		    const struct store_draft *), void *arg) SB_MUST;

enum sb_err	 store_session_add(struct store *, int64_t client,
		    const char *date, const char *attendance, const char *note,
		    int64_t *id) SB_MUST;
enum sb_err	 store_note_add(struct store *, int64_t client,
		    const char *text, int64_t *id) SB_MUST;

/* ---- administrations and alerts ---- */
struct store_administration {
	const char	*instrument;
	const char	*version;
	const char	*respondent;	/* self, partner, parent, therapist */
	const char	*target;	/* ECR-RS figure, or NULL */
	const char	*mode;		/* link, in-session, paper, import */
	const char	*started, *completed;	/* ISO 8601 UTC */
	const char	*answers;	/* "q1=3;q2=;q3=1" in item order */
	const char	*scores;	/* JSON object, derived */
};
enum sb_err	 store_administration_add(struct store *, int64_t client,
		    const struct store_administration *, int64_t *id) SB_MUST;
/* The answers of the client's latest administration of instrument. */
enum sb_err	 store_administration_last(struct store *, int64_t client,
		    const char *instrument, char **answers, bool *found)
		    SB_MUST;
/* The answers of the client's earliest administration of instrument. */
/*
 * Are these answers (encoded) to instrument stored for the client at
 * completed (ISO UTC) already?  completed NULL: an undated import's,
 * stamped today.  An import skips such a row.
 */
enum sb_err	 store_administration_same(struct store *, int64_t client,
		    const char *instrument, const char *completed,
		    const char *answers, bool *found) SB_MUST;
enum sb_err	 store_administration_first(struct store *, int64_t client,
		    const char *instrument, char **answers, bool *found)
		    SB_MUST;

/*
 * Replaces the derived scores of an administration with scores computed
 * from its stored answers by the definition of the given version (after an
 * instrument fix); the answers themselves never change.
 */
enum sb_err	 store_administration_rescore(struct store *,
		    int64_t administration,
		    const char *scores, const char *version) SB_MUST;

/*
 * The caseload's view: per client the actor may read and instrument, the
 * latest administration and the one before (prev.id 0: none), in client
 * and instrument order; two rows per measure however long the history.
 * Audited like store_administration_each over every client.  Strings are valid
 * during the call.
 */
struct store_latest {
	int64_t		 client;
	const char	*instrument;
	struct {
		int64_t		 id;
		const char	*completed, *answers;
	}		 last, prev;
};
enum sb_err	 store_latest_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_latest *),
		    void *arg) SB_MUST;
/*
 * The therapist's inbox (issue 35).  Responses their clients sent
 * through a link that nobody has marked seen, newest first, at most
 * STORE_INBOX_MAX (audited as reads of those clients).  Strings are valid
 * during the call.
 */
#define STORE_INBOX_MAX	200
struct store_inbox_response {
	int64_t		 id, client;
	const char	*instrument, *completed;
};
enum sb_err	 store_inbox_responses(struct store *,
		    enum sb_err (*fn)(void *,
		    const struct store_inbox_response *), void *arg) SB_MUST;
/* Links sent to the therapist's own clients and not answered: open,
 * or expired in the last STORE_INBOX_EXPIRED_DAYS; oldest first, at
 * most STORE_INBOX_MAX (audited as reads). */
#define STORE_INBOX_EXPIRED_DAYS 14
struct store_inbox_link {
	int64_t		 id, client, created, expires;
	const char	*instrument;
	bool		 opened, started, reminded;
};
enum sb_err	 store_inbox_links(struct store *, int64_t now,
		    enum sb_err (*fn)(void *, const struct store_inbox_link *),
		    void *arg) SB_MUST;
/* Marks response id (an administration answered through a link) seen
 * by the acting therapist, audited; id 0: every one of their own
 * clients' unseen responses answered up to upto (a stored time: the
 * newest the inbox showed, so that one come since stays new).  SB_ENOENT
 * for no such response, SB_EPERM for a client the actor may not
 * change. */
enum sb_err	 store_response_seen(struct store *, int64_t id,
		    const char *upto, int64_t now) SB_MUST;
/* Builds the latest table anew from every administration (rescore):
 * client by client in slices when called outside a transaction, else
 * all of it in the caller's transaction. */
enum sb_err	 store_latest_rebuild(struct store *) SB_MUST;

/* One stored administration, as store_administration_each() hands it out. */
struct store_administration_row {
	int64_t		 id, client;
	const char	*instrument, *version, *respondent, *target, *mode;
	const char	*started, *completed, *answers, *scores;
	const char	*scored_version;
};
/*
 * Calls fn for every administration of instrument (NULL: all) of client
 * (0: every client the actor may read), ordered by client and time; one
 * audit row per client read.  fn's error stops the walk and is returned.
 */
enum sb_err	 store_administration_each(struct store *,
		    const char *instrument, int64_t client,
		    enum sb_err (*fn)(void *,
		    const struct store_administration_row *),
		    void *arg) SB_MUST;

enum sb_err	 store_alert_add(struct store *, int64_t client,
		    int64_t administration, const char *rule,
		    const char *severity, const char *detail, int64_t *id)
		    SB_MUST;

/* An alert to raise, as store_alert_raise() takes it. */
struct store_alert_new {
	int64_t		 client;
	int64_t		 administration;	/* 0: none (yet) */
	int64_t		 link;		/* the link it was raised on, or 0 */
	const char	*rule;		/* "critical-item", ... */
	const char	*severity;	/* high, medium, low */
	const char	*detail;
	const char	*item;		/* the item of an item rule, or NULL */
	const char	*historic;	/* YYYY-MM-DD of an old answer, or NULL */
};
/*
 * Raises an alert.  An alert about an item on a link is raised once per
 * link, rule and item: when one exists *id is that alert, it is given the
 * administration when one is named, and nothing else is written.  A high
 * alert that is not historic queues a notification for the client's
 * therapist and the practice's duty address (those that are set) in the
 * same transaction; *queued counts them (may be NULL).
 */
enum sb_err	 store_alert_raise(struct store *,
		    const struct store_alert_new *, int64_t *id, int *queued)
		    SB_MUST;

/* One alert as the client page shows it. */
struct store_alert {
	int64_t		 id, client, administration;
	char		 rule[32], severity[8], state[16], created[32];
	char		 historic[16];		/* "" unless historic */
	const char	*detail;		/* valid during the call */
};
/* One step of an alert's history: the alert, and one of its changes of
 * state (by, at and note are "" and NULL for an alert never handled). */
struct store_alert_step {
	const struct store_alert *alert;
	char		 state[16], by[64], at[32];
	const char	*note;			/* NULL: none; valid during the call */
};
/* Calls fn for every alert of the client, resolved ones too, newest
 * first, once per change of state (oldest first) or once if none
 * (audited read). */
enum sb_err	 store_alert_history(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_alert_step *),
		    void *arg) SB_MUST;
/* Did the link raise a high alert (a risk answer)?  *queued: the
 * messages queued about it to the therapist themself. */
enum sb_err	 store_link_risk(struct store *, int64_t link, bool *risk,
		    int *queued) SB_MUST;
/* The client of an alert the actor may read. */
enum sb_err	 store_alert_client(struct store *, int64_t alert,
		    int64_t *client) SB_MUST;
/* Calls fn for each alert of the client not yet resolved, high first
 * (audited read). */
enum sb_err	 store_alert_each(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const struct store_alert *),
		    void *arg) SB_MUST;
/* Is an alert of this rule, whose detail starts with prefix, unresolved? */
enum sb_err	 store_alert_pending(struct store *, int64_t client,
		    const char *rule, const char *prefix, bool *pending)
		    SB_MUST;
/* Moves an alert on: "acknowledged" or "resolved", with a note. */
enum sb_err	 store_alert_move(struct store *, int64_t alert,
		    const char *state, const char *note) SB_MUST;
/*
 * Raises a low "measure-overdue" alert for each client of the acting
 * therapist whose last questionnaire is more than days old (at now), one
 * at a time: none while one is open.  *raised: how many.
 */
enum sb_err	 store_alerts_overdue(struct store *, int64_t now, int days,
		    size_t *raised) SB_MUST;
/* Resolves the client's unresolved alerts of a rule, with a note. */
enum sb_err	 store_alerts_resolve_rule(struct store *, int64_t client,
		    const char *rule, const char *note) SB_MUST;
/* Calls fn for each open (or acknowledged) alert of every client the
 * actor may read: high first, then oldest first (audited read). */
enum sb_err	 store_alert_open_each(struct store *,
		    enum sb_err (*fn)(void *, const struct store_alert *),
		    void *arg) SB_MUST;

/*
 * ---- the practice's settings and notifications ----
 *
 * Settings are kept sealed (one is the SMTP password); only an admin
 * changes them, and the audit row names the setting, never its value.
 * Reading needs no acting user: the server reads its configuration.
 */
#define STORE_MAX_SETTING	4096
#define STORE_MAX_EMAIL		254	/* RFC 5321 path limit */
#define STORE_MAX_REPLY		512	/* an SMTP server's reply, kept */
enum store_setting {
	SET_SMTP_URL,		/* smtp://host:587 (STARTTLS) or smtps:// */
	SET_SMTP_USER,
	SET_SMTP_PASSWORD,
	SET_SMTP_FROM,		/* the sender's address */
	SET_SMTP_TLS,		/* require (default) or none */
	SET_SMTP_CA,		/* a CA file for a private mail server */
	SET_DUTY_EMAIL,		/* also told of every high alert */
	SET_ORIGIN,		/* https://practice.example, for links */
	SET_CRISIS_TEXT,	/* shown to a client at a critical answer */
	SET_HISTORIC_DAYS,	/* imports older than this: historic alerts */
	SET_PRACTICE_NAME,	/* shown to clients on a link's pages */
	SET_SHOW_THERAPIST,	/* yes (default) or no: the therapist's name
				 * on a link's pages */
	SET_FHIR_BASE,		/* https://practice.example/fhir/: FHIR ids */
	SET_ESCALATE_MINUTES,	/* an open high alert goes to the duty
				 * address after this long (default 30) */
	SET_DUTY_PHONE,		/* also told of every high alert, by SMS */
	SET_SMS_URL,		/* Kannel's sendsms: http://host:13013/... */
	SET_SMS_USER,
	SET_SMS_PASSWORD,
	SET_SMS_FROM,		/* the sender Kannel puts on an SMS */
	SET_SENDING_HELD,	/* set: nothing is sent (a restored copy) */
	SET_RECOVERY,		/* jacobson-truax (default) or
				 * talking-therapies: how change is named */
	SET__MAX
};
const char	*store_setting_name(enum store_setting);
bool		 store_setting_parse(const char *, enum store_setting *);
/* value NULL removes the setting. */
enum sb_err	 store_setting_set(struct store *, enum store_setting,
		    const char *value) SB_MUST;
/* out holds the value (NUL-terminated) when *set. */
enum sb_err	 store_setting_get(struct store *, enum store_setting,
		    struct buf *out, bool *set) SB_MUST;
bool		 store_email_ok(const char *);
/*
 * A login name as the journal may show it: the name of a user, or for a
 * name of no user "unknown-" and a keyed tag of what was typed.
 */
void		 store_user_logged(struct store *, const char *name, char *out,
		    size_t outsz);
/* Does url (scheme://host...) name this machine: localhost, 127.x or
 * [::1]? */
bool		 store_url_loopback(const char *url);
#define STORE_MAX_FHIR_BASE	200
/* http(s)://..., printable ASCII without spaces, ? # or |, ending in /. */
bool		 store_fhir_base_ok(const char *);
/*
 * The practice's FHIR base URL into out: the fhir-base setting, or
 * "https://securebase.invalid/practice/TAG/fhir/" with a tag that is
 * this practice's alone, so that two practices' exports never share an
 * identifier even when neither set one.
 */
enum sb_err	 store_fhir_base(struct store *, struct buf *out) SB_MUST;

/*
 * ---- where imported records came from ----
 *
 * A client made from a FHIR Patient, an administration from a
 * QuestionnaireResponse: their source (system, the identifier's or the
 * Bundle's base, and value) is kept sealed, with a keyed hash to find
 * it.  store_source_find() sets *id to the client (kind client: any
 * client) or the administration of client (kind administration), 0 when
 * the source was never imported.  store_source_add() records one
 * (inside the caller's transaction); offset is the answers' time zone as
 * written ("-05:00"), or NULL.
 */
enum store_source_kind { SOURCE_CLIENT, SOURCE_ADMINISTRATION };
#define STORE_MAX_SOURCE	600
enum sb_err	 store_source_find(struct store *, enum store_source_kind,
		    int64_t client, const char *system, const char *value,
		    int64_t *id) SB_MUST;
enum sb_err	 store_source_add(struct store *, enum store_source_kind,
		    int64_t client, int64_t administration, const char *system,
		    const char *value, const char *offset) SB_MUST;
/* The user's address for notifications (NULL: none); admin or self. */
enum sb_err	 store_user_email(struct store *, const char *name,
		    const char *email) SB_MUST;

/* One message of the outbox. */
struct store_mail {
	int64_t		 id, alert, send, link;	/* alert, send or link */
	char		 kind[12];	/* alert, escalation, measure, reminder,
					 * link (a one-click send) */
	char		 channel[8];		/* mail or sms */
	char		 recipient[STORE_MAX_EMAIL + 1];
	bool		 altered;	/* the sealed recipient does not open:
					 * changed outside securebase */
	char		 state[8];	/* queued, sent, failed, dropped */
	int		 attempts;
	int64_t		 created, next_try, done;	/* Unix times */
	char		 reply[STORE_MAX_REPLY + 1];	/* the server's */
};
/*
 * Takes up to max queued messages due at now, and leases them for lease
 * seconds (another sender leaves them alone meanwhile): *got of them.
 */
enum sb_err	 store_outbox_claim(struct store *, int64_t now,
		    int64_t lease, const char *node, struct store_mail *out,
		    size_t max, size_t *got) SB_MUST;
/*
 * The messages node leased and did not finish (it was killed mid-send),
 * due again at now: a restarted node takes back its own at once instead
 * of waiting for the lease to end.  *n of them.
 */
enum sb_err	 store_outbox_reclaim(struct store *, const char *node,
		    int64_t now, size_t *n) SB_MUST;
/*
 * Queues again a failed message (id), or every failed one (id 0), to be
 * tried at now (admins; audited).  *n of them.
 */
enum sb_err	 store_outbox_resend(struct store *, int64_t id, int64_t now,
		    size_t *n) SB_MUST;
/* Is the alert still open (neither acknowledged nor resolved)? */
enum sb_err	 store_alert_is_open(struct store *, int64_t alert,
		    bool *open) SB_MUST;
/*
 * Escalates each high alert still open escalate-minutes (default 30)
 * after it was raised: a message to the duty address (and an SMS to the
 * duty phone), once per alert; audited.  *n alerts escalated.
 */
#define STORE_ESCALATE_DEFAULT	30
enum sb_err	 store_escalate(struct store *, int64_t now, size_t *n) SB_MUST;
/* The practice's escalation delay in minutes (the setting or 30). */
enum sb_err	 store_escalate_minutes(struct store *, int *minutes) SB_MUST;
/*
 * What could keep a message from reaching a person, for the admin page
 * and `notify status`: failed messages, messages waiting longer than an
 * hour, no duty address, no crisis text, sending held.  fn is called
 * for each active therapist who has clients but no address.
 */
struct store_delivery_health {
	size_t		 failed, stuck;
	bool		 duty_email, duty_phone, crisis, held, sms;
};
enum sb_err	 store_delivery_health(struct store *, int64_t now,
		    struct store_delivery_health *,
		    enum sb_err (*fn)(void *, const char *user, size_t clients),
		    void *arg) SB_MUST;
/* Holds every sending, or releases it: why NULL (admins; audited). */
enum sb_err	 store_sending_hold(struct store *, const char *why) SB_MUST;
/* Holds a just-restored copy's sending, with no user acting (restore). */
enum sb_err	 store_sending_hold_restored(struct store *, const char *why)
		    SB_MUST;
/* Is sending held?  why (at most whysz) says why. */
enum sb_err	 store_sending_held(struct store *, bool *held, char *why,
		    size_t whysz) SB_MUST;
/*
 * Records an attempt: "sent", "failed" (given up), "dropped" (no longer
 * worth sending: the measure was answered), or "queued" again to be
 * tried at next_try, with the server's reply; audited.
 */
enum sb_err	 store_outbox_result(struct store *, int64_t id,
		    const char *state, int64_t now, int64_t next_try,
		    const char *reply) SB_MUST;
/* The newest max messages, newest first (admins). */
enum sb_err	 store_outbox_each(struct store *, size_t max,
		    enum sb_err (*fn)(void *, const struct store_mail *),
		    void *arg) SB_MUST;

/*
 * ---- measurement plans: sends and reminders (store/schedule.c) ----
 *
 * A plan sends one measure to a client on a rule (core/plan.h).  The
 * scheduler (store_schedule_run, from serve's sender thread and from
 * `securebase schedule run`) makes each occurrence's send once: a row
 * unique per plan and occurrence, its link, and the client's mail in the
 * outbox, in one transaction.  A newer send of a plan withdraws the
 * older one's link if it is still open.  A reminder is queued once, when
 * remind_days have passed and the link is still open.  A client without
 * a mail address gets no mail: the send is kept as "no address".
 */
#define STORE_MAX_PLAN_SPEC	96
struct store_plan {
	int64_t		 id, client;
	char		 instrument[64];
	char		 rule[12];		/* days, sessions, months */
	char		 spec[STORE_MAX_PLAN_SPEC + 1];
	int64_t		 start;			/* Unix time */
	int		 remind_days;		/* 0: no reminder */
	int		 expire_days;		/* a link lasts this long */
	bool		 paused;
	int64_t		 ended;			/* 0: in force */
	char		 stop_reason[24];	/* "" or why the care
						 * lifecycle stopped it */
};
/* A client's mail address (sealed), or NULL to remove it; audited. */
enum sb_err	 store_client_email(struct store *, int64_t client,
		    const char *email, struct store_stopped *) SB_MUST;
/*
 * A client's mobile number for SMS (sealed), E.164: "+" and 8-15 digits
 * (spaces, dots, dashes and brackets as written are taken out), or NULL
 * to remove it; audited.
 */
#define STORE_MAX_PHONE	16
bool		 store_phone_clean(const char *in, char out[STORE_MAX_PHONE + 1]);
enum sb_err	 store_client_phone(struct store *, int64_t client,
		    const char *phone, struct store_stopped *) SB_MUST;
/* The client's preferred channel: "mail" or "sms"; audited. */
enum sb_err	 store_client_channel(struct store *, int64_t client,
		    const char *channel) SB_MUST;
/* Which ways of reaching the client are on file (not the values). */
struct store_contact {
	bool		 email, phone;
	char		 channel[8];		/* mail or sms */
};
enum sb_err	 store_client_contact(struct store *, int64_t client,
		    struct store_contact *) SB_MUST;
/*
 * One-click send: a new link to instrument for the client, valid for
 * days, sent at once by channel ("mail", "sms", or NULL: the client's
 * preferred one, else the one on file), in one transaction with its
 * message in the outbox.  SB_EINVAL with the reason when the client
 * cannot be reached that way or their care has ended.  *link out;
 * channel_used (8 bytes) says which way it went; audited.
 */
enum sb_err	 store_link_send(struct store *, int64_t client,
		    const char *instrument, const char *channel, int days,
		    int64_t now, int64_t *link, char channel_used[8]) SB_MUST;
/* The address into out when *set (audited read). */
enum sb_err	 store_client_email_get(struct store *, int64_t client,
		    struct buf *out, bool *set) SB_MUST;
/* A new plan for a client of the actor (p->id is ignored); *id out. */
enum sb_err	 store_plan_add(struct store *, const struct store_plan *p,
		    int64_t *id) SB_MUST;
/* "pause", "resume" or "end" a plan of the client. */
enum sb_err	 store_plan_set(struct store *, int64_t client, int64_t plan,
		    const char *what) SB_MUST;
/* One plan as the client page lists it, at now. */
struct store_plan_row {
	struct store_plan p;
	int		 sessions;	/* attended since the plan's start */
	size_t		 sent, finished;
	int64_t		 last_due;	/* the latest send's, or 0 */
	const char	*last_state;	/* of that send, in words, or NULL */
};
/* Calls fn for each plan of the client not ended, oldest first
 * (audited read). */
enum sb_err	 store_plan_each(struct store *, int64_t client, int64_t now,
		    enum sb_err (*fn)(void *, const struct store_plan_row *),
		    void *arg) SB_MUST;
struct store_schedule_stats {
	size_t		 sent, no_address, reminded, superseded;
	size_t		 stopped;	/* clients whose care had ended */
};
/* Makes every send and reminder due at now (no acting user needed). */
enum sb_err	 store_schedule_run(struct store *, int64_t now,
		    struct store_schedule_stats *) SB_MUST;
/* What the mail about a send says, read when it is sent. */
struct store_send_mail {
	bool		 open;		/* the link can still be answered */
	bool		 altered;	/* not open: the plan, the send or the
					 * link was changed outside securebase */
	char		 email[STORE_MAX_EMAIL + 1];
	char		 phone[STORE_MAX_PHONE + 1];	/* for an SMS */
	char		 token[64 + 1];
	char		 therapist[STORE_MAX_DISPLAY + 1];	/* as read */
	int64_t		 expires;
};
/* What a client's message (kind measure, reminder or link) carries,
 * read when it is sent: open false when the link can no longer be
 * answered or the client cannot be reached by the message's channel. */
enum sb_err	 store_send_mail(struct store *, const struct store_mail *,
		    int64_t now, struct store_send_mail *) SB_MUST;
/* Each client the actor may read who has a plan in force, with how many
 * of their sends are open at now and how many of those are past their
 * reminder (one read, by client id). */
enum sb_err	 store_sends_open_each(struct store *, int64_t now,
		    enum sb_err (*fn)(void *, int64_t client, int open,
		    int overdue), void *arg) SB_MUST;

/* ---- licences ---- */
enum sb_err	 store_permission_add(struct store *, const char *instrument,
		    const char *reference) SB_MUST;
/* Calls fn for each recorded permission. */
enum sb_err	 store_permission_each(struct store *, void (*fn)(void *,
		    const char *instrument, const char *text), void *arg)
		    SB_MUST;

/* ---- transactions for batches (import) ---- */
enum sb_err	 store_begin(struct store *) SB_MUST;
enum sb_err	 store_commit(struct store *) SB_MUST;
void		 store_rollback(struct store *);

/*
 * ---- long writes in slices ----
 *
 * One transaction holds the write lock for its whole length, and other
 * writers (a client sending a questionnaire) wait for it.  Work of many
 * independent steps (rescoring, rebuilding derived data) runs instead in
 * slices: store_slices_begin() begins a transaction, store_slices_step()
 * between steps commits it once it has run IMPORT_SLICE_MS (40 ms),
 * pauses so that waiting writers get the lock, and begins the next;
 * store_slices_end() commits the last one, or with e != SB_OK rolls it
 * back and returns e.  Each slice is all or nothing; the work as a whole
 * is not, so each step must leave the data right on its own.  Work that
 * must be all or nothing uses an import (below).
 */
enum sb_err	 store_slices_begin(struct store *) SB_MUST;
enum sb_err	 store_slices_step(struct store *) SB_MUST;
enum sb_err	 store_slices_end(struct store *, enum sb_err e) SB_MUST;

/*
 * ---- long imports: short transactions, all or nothing ----
 *
 * One transaction for a whole import would hold the write lock for its
 * whole length (37 s for 400,000 rows), and every other writer would
 * fail.  Instead:
 *
 * store_import_begin() records an open import and starts its first
 * transaction.  The administrations (store_administration_add) and alerts
 * (store_alert_raise) written while it is open carry its id and are
 * hidden from every read until it is done; they leave no audit row and
 * queue no mail each, and the caseload's latest scores wait too.  It
 * first deletes imports left open by a process that died.
 *
 * store_import_step(), called between rows outside any nested
 * transaction, commits when the current transaction has run
 * IMPORT_SLICE_MS, pauses so that waiting writers get the lock, and
 * begins the next.
 *
 * store_import_finish() marks the import done, which shows all of it at
 * once, and in the same transaction writes one audit row per client and
 * instrument, the latest scores and the mail for its urgent alerts, calls
 * each_client (if not NULL) once per client for what the caller does on
 * top, and commits.  On any error it abandons the import and returns the
 * error; on success *import_id is the import's id.
 *
 * store_import_abandon() rolls back the current transaction and deletes
 * what the import wrote, in slices too; if that fails, the next import
 * deletes it.  Either way nothing of it was ever visible.  store_close()
 * abandons an import left open.
 */
enum sb_err	 store_import_begin(struct store *) SB_MUST;
enum sb_err	 store_import_step(struct store *) SB_MUST;
enum sb_err	 store_import_finish(struct store *, enum sb_err
		    (*each_client)(void *, struct store *, int64_t client),
		    void *arg, int64_t *import_id) SB_MUST;
void		 store_import_abandon(struct store *);

/*
 * ---- page views: reads whose audit rows are made durable together ----
 *
 * A web page reads several kinds of record, and every read leaves an
 * audit row that must be on disk before the page is shown.  Written one
 * commit per page, each page waits for its own fsync and all pages queue
 * on the write lock.  Between store_view_begin() and store_view_end()
 * reads see one snapshot and their audit rows are kept in memory;
 * store_view_end() hands them to the group, which writes the rows of all
 * the pages waiting at that moment in one transaction, and returns only
 * when they are durable (or with an error: then the page must not be
 * shown).  Only reads are allowed inside a view: a write fails.
 */
struct audit_group;

enum sb_err	 store_view_begin(struct store *) SB_MUST;
/* With g NULL the rows are written on this connection (one process). */
enum sb_err	 store_view_end(struct store *, struct audit_group *g) SB_MUST;
/* Opens the group's own connection; *out is the caller's to close. */
enum sb_err	 audit_group_open(const char *path, const struct store_key *,
		    struct audit_group **out, char *err, size_t errsz) SB_MUST;
void		 audit_group_close(struct audit_group *);

#endif
