/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web_int.h - what server.c and the pages share: the server, the
 * request, the pages of the route table and the helpers they use.
 */
#ifndef SB_WEB_INT_H
#define SB_WEB_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include <microhttpd.h>

#include "core/buf.h"
#include "core/builtin.h"
#include "core/change.h"
#include "core/form.h"
#include "app/caseload.h"
#include "store/store.h"
#include "store/web.h"
#include "web/web.h"

#define BODY_MAX	(64 * 1024)	/* no form of ours is larger */
#define PAGE_MAX	(4 * 1024 * 1024)
#define POOL_MAX	24
#define LOGIN_SLOTS	2	/* password hashes at once */
#define LOGIN_QUEUE	6	/* logins waiting for one, from as many addresses */
#define LOGIN_QUEUE_MS	1500	/* the longest a login waits for its turn */
#define LOGIN_WAITS	64	/* addresses told to wait, kept in memory */
#define LINK_RATE	30	/* POSTs a minute through one link */
#define LINK_RATE_SLOTS	512
#define METRIC_GROUPS	7	/* metric_group(): client ... other */

/*
 * A connection, watched for the header deadline: since is when its
 * current request began (0: its header is in, or it was cut).
 */
struct conn_watch {
	struct conn_watch	*prev, *next;
	int			 fd;
	time_t			 since;
};

struct server {
	const struct web_config	*cfg;
	pthread_mutex_t		 lock;
	struct store		*pool[POOL_MAX];
	size_t			 npool, pool_cap;	/* cap <= POOL_MAX */
	struct audit_group	*group;		/* pages' audit rows */
	int			 logins;	/* hashing now, <= LOGIN_SLOTS */
	/*
	 * The logins hashing or waiting for a turn, one per address at
	 * most, turns given in the order of their tickets; and the
	 * addresses the back-off told to wait, so that a flood's next
	 * tries are refused from memory, without the database.
	 */
	struct login_turn {
		char		 addr[64];
		uint64_t	 ticket;
		bool		 hashing;
	}			 turns[LOGIN_SLOTS + LOGIN_QUEUE];
	size_t			 nturns;
	uint64_t		 next_ticket;
	pthread_cond_t		 turn_cv;
	struct login_wait {
		char		 addr[64];
		time_t		 until;
	}			 waits[LOGIN_WAITS];
	struct conn_watch	*watch;		/* open connections */
	unsigned int		 nconn, conn_cap;	/* open, and the limit */
	/* The database file as opened: if another takes its name (a
	 * restore done wrongly), writes would go to the unlinked one. */
	bool			 db_file;	/* SQLite: watched */
	dev_t			 db_dev;
	ino_t			 db_ino;
	bool			 db_gone;
	/* POSTs per link token in the current minute (a small table:
	 * an entry is reused when its minute is over). */
	struct link_rate {
		unsigned char	 tag[16];
		int64_t		 minute;
		int		 n;
	}			 rates[LINK_RATE_SLOTS];
	/*
	 * Is this node still right for the database?  Its schema, read at
	 * most once a second (the second of a monotonic clock), and whether
	 * the practice's lock is held (lost: an upgrade took it while the
	 * database was away).  Either wrong: every answer is 503.
	 */
	int64_t			 schema_at;
	int			 schema_seen;	/* 0: not read yet */
	bool			 guard_lost;
	unsigned		 watch_ticks;	/* the watch's seconds */
	/* For /metrics (metrics_page), under lock: requests and server
	 * errors by route group (metric_group), the store handles open
	 * (pooled or in use), the scheduler's rounds. */
	uint64_t		 requests[METRIC_GROUPS], errors[METRIC_GROUPS];
	unsigned		 stores_open;
	uint64_t		 rounds;
};

/*
 * A POST's fields, as its row of the route table names them (fields.c):
 * checked before the handler runs, which then finds each checked value
 * in r->in at the field's place in the table (text NULL for an optional
 * field not sent or empty).  A refused field goes to the row's refused()
 * beside its form, or to a 400 page, with the field's words.
 */
enum field_kind {
	FIELD_TEXT,		/* any text up to max bytes */
	FIELD_WORDS,		/* text with more than white space */
	FIELD_DATE_PAST,	/* YYYY-MM-DD, a day, not after today (bad) */
	FIELD_ID,		/* a positive id, into in[].id */
	FIELD_CHOICE		/* one of choices */
};

struct field_def {
	const char		*name;
	enum field_kind		 kind;
	bool			 required;
	size_t			 max;		/* bytes; 0: the body's limit */
	const char *const	*choices;	/* FIELD_CHOICE, NULL-ended */
	const char		*missing;	/* said when required, empty */
	const char		*bad;		/* said when it does not pass */
	bool			 keep_empty;	/* "" given as "", not NULL */
};

#define FIELDS_MAX	24

struct field_val {
	const char	*text;
	int64_t		 id;
};

/*
 * What a POST does, when one handler serves several rows of the route
 * table (routes.c): the row says, the handler switches on r->op.  No
 * handler looks at its path again.
 */
enum web_op {
	OP_NONE = 0,
	OP_TOTP_NEW, OP_TOTP_ON, OP_TOTP_OFF, OP_SESSIONS, OP_DISPLAY,
							/* account */
	OP_USER_ADD, OP_USER_DISABLE, OP_PERMIT, OP_SETTINGS,	/* admin */
	OP_EMAIL, OP_RELEASE, OP_RESEND, OP_PROMPTS,
	OP_EPISODE_START, OP_EPISODE_END, OP_CONSENT_ADD,	/* care */
	OP_CONSENT_WITHDRAW,
	OP_PERSON_ADD, OP_TIE_ADD, OP_EVENT_ADD, OP_ENTRY_EDIT,	/* history */
	OP_ENTRY_REMOVE, OP_SNAPSHOT,
	OP_PLAN_EMAIL, OP_PLAN_PHONE, OP_PLAN_PAUSE,		/* plans */
	OP_PLAN_RESUME,
	OP_PLAN_END, OP_PLAN_ADD, OP_PLAN_TEMPLATE,
	OP_PROGRESS_LINK, OP_PROGRESS_REVOKE, OP_PROGRESS_MEASURES,
	OP_LINK_CANCEL, OP_LINK_RENEW			/* a client's link */
};

struct req {
	struct server		*srv;
	struct MHD_Connection	*conn;
	const char		*method, *url;
	enum web_op		 op;		/* the route's, for its handler */
	struct field_val	 in[FIELDS_MAX];	/* its fields */
	const struct field_def	*fields;	/* their table (in_text) */
	struct buf		 body;
	bool			 too_big;
	int			 parsed;	/* form: 1 read, -1 unreadable */
	bool			 rate_taken;	/* counted by link_rate_ok */
	struct form		 form;
	struct store		*s;
	char			 token[TOKEN_HEX + 1];	/* session cookie */
	char			 csrf[TOKEN_HEX + 1];
	/* the response */
	int			 status;
	struct buf		 out;
	const char		*type;
	char			 location[512];
	char			 cookie[256];
	char			 said[128];	/* the notice's cookie, or "" */
	char			 retry_after[16];	/* seconds, or "" */
	const char		*cache;		/* Cache-Control, or no-store */
	const char		*encoding;	/* Content-Encoding, or none */
	char			 disposition[64];	/* a download's, or "" */
	bool			 menu;		/* signed in: pages have the menu */
	/* A page that moves on by itself (a meta refresh) after a while:
	 * the tablet's thank-you page to its start; NULL: stays. */
	const char		*refresh_to;
	/* Licence permissions recorded in the database, by registry
	 * index, read once per request when first needed. */
	bool			 permits_read;
	bool			 permitted[REGISTRY_MAX];
	char			 address[64];	/* the client's, as text */
	/* The practice's recovery convention, read once when first
	 * needed (req_convention). */
	int			 convention;	/* -1 until read */
};

#define SESSION_COOKIE	"__Host-sb"

/* A link's "instrument" when it asks for the narrative prompts. */
#define NARRATIVE_LINK	"narrative"

/* The field tables of the rows that have one, and where their refusal
 * goes (the client page's forms, pages_client.c). */
extern const struct field_def session_fields[], note_fields[],
    episode_start_fields[], episode_end_fields[], consent_add_fields[],
    consent_withdraw_fields[], plan_email_fields[], plan_phone_fields[],
    plan_set_fields[], plan_add_fields[], plan_template_fields[],
    user_add_fields[], user_disable_fields[], permit_fields[],
    email_fields[], alert_fields[], inbox_seen_fields[], client_add_fields[],
    narrative_fields[], link_change_fields[], share_fields[],
    password_change_fields[], totp_on_fields[], totp_off_fields[],
    sessions_fields[], display_fields[], link_fields[], send_fields[],
    person_form_fields[], tie_form_fields[], event_form_fields[],
    entry_edit_fields[], entry_remove_fields[], snapshot_fields[],
    settings_fields[], resend_fields[], prompt_fields[], login_fields[],
    link_page_fields[], kiosk_queue_fields[], kiosk_code_fields[];
void	 session_refused(struct req *, int64_t id, const char *field,
	    const char *why);
void	 note_refused(struct req *, int64_t id, const char *field,
	    const char *why);
void	 care_refused(struct req *, int64_t id, const char *field,
	    const char *why);
/* The account page again with the words (pages_account.c). */
void	 account_refused(struct req *, int64_t id, const char *field,
	    const char *why);
/* A checked field's text by its name, where a handler serves several
 * tables (NULL: empty, not sent, or not in the table). */
const char	*in_text(const struct req *, const char *name);
/* Does the settings form's table name the store's settings, in the
 * order settings_post takes them?  Checked at start (web_routes_check). */
bool	 settings_fields_check(char *err, size_t errsz);
/* false with the field and the words when one is refused. */
bool	 fields_read(struct req *, const struct field_def *,
	    const char **field, const char **why);
/* Today in the practice's time zone, "YYYY-MM-DD"; what is wrong with a
 * date from a form, in words (late: for one after today), or NULL. */
void	 today_local(char out[16]);
const char	*date_problem(const char *date, const char *late);

/*
 * A page of the route table (routes.c): id is what "#" in its path
 * matched (or 0), rest what "*" matched (a token or a key, or NULL).
 * Every page writes r->out or sets r->location.
 */
typedef void	 page_fn(struct req *, int64_t id, const char *rest);

/* Finds the request's row of the route table and runs its handler, or
 * answers 404, 405, the login or the CSRF refusal (routes.c). */
void	 web_route(struct req *);
/* At start: every row well formed (false, and the reason in err). */
bool	 web_routes_check(char *err, size_t errsz);
page_fn	 style_page;
page_fn	 health_page;
/* A score's tone from its instrument's bands ("low", "medium", "high",
 * or NULL), and a move between two scores as a badge in words. */
struct instr_score;
const char	*score_tone(const struct instr_score *, double);
/* The practice's recovery convention (the recovery setting). */
enum change_convention	 req_convention(struct req *);
void	 move_words(struct req *, const struct instr_score *, double prev,
	    double last);
/* Measures are due when none was answered in this many days. */
#define DUE_DAYS	CASELOAD_DUE_DAYS	/* app/caseload.h */
/* A stored moment ("YYYY-MM-DDTHH:MM:SSZ" or a date), or a Unix time,
 * in plain words in the practice's time zone, in a <time> element. */
void	 html_when(struct buf *, const char *iso);
void	 html_when_t(struct buf *, int64_t);
/* s percent-encoded, for a query or a label in an address. */
/* "/static/style-<hash>.css": the stylesheet's address, named by its
 * content so that browsers may keep it (static storage). */
const char	*style_href(void);
void	 nav(struct req *);
/* <option>s of instruments that may be sent (sendable), or of those
 * whose licence needs permission. */
struct registry;
void	 instrument_options(struct req *, const struct registry *,
	    bool sendable);
/* May the instrument be sent now: free, permitted when serve started,
 * or permitted since (in the database, so on every node at once)? */
bool	 instrument_sendable(struct req *, const struct reg_entry *);
/* The hidden CSRF field every POST form carries. */
void	 csrf_field(struct req *, const char *token);
bool	 http_parse_id(const char *s, size_t n, int64_t *id);
/* Decodes the POST body into r->form; false (with the error page) when
 * it is malformed. */
/* A redirect (303) to to that says code's words once on the page it
 * leads to ("saved", "ack", "resolved", ... in http.c's list). */
void	 http_redirect_saying(struct req *, const char *to, const char *code);
/* The words a redirect left for this page, once (NULL: none). */
const char *http_notice(struct req *);
/* The form's fields, decoded once (false: unreadable). */
bool	 http_parse_form(struct req *);
/* ... or the 400 page that says so (frame.c). */
bool	 form_read(struct req *);
/* The form's csrf field equals want (constant time). */
bool	 http_csrf_ok(struct req *, const char *want);
int64_t	 http_now(void);
/* pages_login.c: GET and POST /login, POST /logout. */
page_fn	 login_page, login_submit, logout_page;
/* pages_caseload.c: GET / (the caseload), POST /clients. */
page_fn	 home_page, client_add_page;
/* pages_client.c: GET /clients/N, POST /clients/N/links, /share,
 * /unshare. */
page_fn	 client_page, link_post, share_page, unshare_page;
/* POST /send: a measure sent in one click from the caseload. */
page_fn	 send_post;
/* The PDF report; a session or note from the client page's forms. */
page_fn	 report_page, session_post, note_post;
/* Episodes of care and consents from the client page's Record; rest:
 * episodes, episodes/end, consents or consents/withdraw. */
page_fn	 care_post;
/* pages_plans.c: the client page's measurement plans, and their forms
 * (POST /clients/N/plans/WHAT). */
void	 plans_section(struct req *, int64_t client);
page_fn	 plans_post;
/* pages_progress.c: the client's progress page (GET /p/TOKEN), the
 * client page's card for it and its forms (POST /clients/N/progress/
 * link, revoke, measures). */
void	 progress_section(struct req *, int64_t client);
page_fn	 progress_page, progress_post;
/* pages_admin.c: GET /admin, POST /admin/WHAT. */
page_fn	 admin_page, admin_post;
/* pages_questionnaire.c: GET and POST /q/TOKEN, the client's
 * questionnaire (no account: the link is the key). */
page_fn	 questionnaire_page;
/* The CSRF token of a client link's pages, derived from its token. */
void	 http_link_csrf(const char *token, char out[TOKEN_HEX + 1]);
/* pages_history.c: the attachment history on the client page, its
 * printable page, and its forms (POST /clients/N/people, /ties, /events,
 * /edit, /remove, /snapshots). */
void	 history_section(struct req *, int64_t client);
page_fn	 history_page;
/* GET /clients/N/edit?entry=person:ID: the entry's form, filled in. */
page_fn	 history_edit_page;
/* POST /clients/N/WHAT */
page_fn	 history_post;
/* pages_narrative.c: narrative work on the client page, a narrative with
 * its indicators (GET /clients/N/narratives/KEY), a new draft (POST the
 * same), a client answering the prompts through a link, and the
 * practice's prompts on the administration page. */
void	 narrative_section(struct req *, int64_t client);
page_fn	 narrative_page, narrative_post;	/* rest: the prompt's key */
void	 narrative_link(struct req *, const char *token,
	    const struct store_link *);
void	 prompts_admin(struct req *);
/*
 * pages_safety.c: the support text (serve --crisis-text, the practice's
 * setting, or the default) and its HTML with tel: numbers as links; the
 * crisis box after a risk answer (queued: messages sent about it); the
 * support box of the narrative prompts and the ACE; the banner of the
 * client's open alerts; GET /alerts/N; the notification settings, users'
 * addresses and outbox on the administration page, and their POSTs.
 */
/* web/style.css and its gzip, compiled in by tools/embed. */
extern const struct builtin_file builtin_web[];

/* The page's answers were not saved: say so, and with a risk answer
 * among them, where to get help now (and not that anyone will see it). */
void	 unsaved_box(struct req *, bool crisis);
/* A store read failed: the reason to the log, a plain 503 page to the
 * user. */
void	 read_failed(struct req *);
void	 support_text(struct req *, struct buf *out);
void	 html_support(struct buf *, const char *text);
/* The practice's support text alone, for a client who skipped a risk
 * question: where to find help, and no claim about who was told. */
void	 skipped_risk_box(struct req *);
void	 crisis_box(struct req *, int queued);
void	 support_box(struct req *);
void	 alert_banner(struct req *, int64_t client);
/* Every alert of the client with what was done, folded (nothing when
 * there is none). */
void	 alert_history(struct req *, int64_t client);
/* The practice's and the therapist's names atop a link's page. */
void	 client_from(struct req *);
/* A request whose session is gone: to the login, keeping where it was
 * going and, for a form of ours, what was sent. */
void	 signed_out(struct req *, bool post, bool had_session);
/* POST /clients/N/links/cancel and /renew. */
page_fn	 link_change_post;
/* pages_kiosk.c: the waiting room's tablet; what a kiosk may not
 * reach (post: it was a form), and the client page's card. */
page_fn	 kiosk_page, kiosk_entry_page, kiosk_code_post, kiosk_queue_post;
void	 kiosk_refused(struct req *, bool post);
void	 kiosk_section(struct req *, int64_t client);
/* The client page's links and sharing sections (pages_links.c). */
void	 links_section(struct req *, int64_t client);
void	 sharing_forms(struct req *, int64_t client);
/* An alert's cells and the forms that handle it, answered by a
 * redirect to back (its rule in words: render/measure.h). */
void	 alert_cells(struct req *, const struct store_alert *);
void	 alert_forms(struct req *, const struct store_alert *,
	    const char *back);
/* GET /alerts/N; POST /alerts. */
page_fn	 alert_goto, alert_post;
void	 notify_admin(struct req *);
void	 settings_post(struct req *);
void	 email_post(struct req *);
/* POST /admin/release (sending held: released) and /admin/resend (one
 * failed message, or every one). */
void	 delivery_post(struct req *);	/* r->op: release or resend */
/* "(24 on the 8 of 9 items answered)": beside "not scored". */
struct score_partial;
void	 partial_words(struct req *, const struct score_partial *);
/* pages_account.c: GET /account (password, second factor, sessions) and
 * POST /account/password, /totp, /totp-on, /totp-off, /sessions. */
page_fn	 account_page, account_password;
page_fn	 account_post;	/* r->op */
/* pages_outcomes.c: GET /outcomes. */
page_fn	 outcomes_page;
/* pages_inbox.c */
page_fn	 inbox_page, inbox_seen_post;
void	 prompts_post(struct req *);
/* server.c helpers for pages */
void	 page_begin(struct req *, const char *title);
void	 page_end(struct req *);
void	 http_redirect(struct req *, const char *to);
void	 error_page(struct req *, int status, const char *msg);
bool	 http_origin_ok(struct req *);
/* A login's turn to hash a password: false when LOGIN_SLOTS are taken. */
bool	 login_slot_take(struct server *);
void	 login_slot_give(struct server *);
/*
 * A sign-in's turn to hash, fair between addresses: at most one login
 * per address hashing or waiting (a second is refused at once), those
 * waiting served in the order they came, none waiting longer than
 * LOGIN_QUEUE_MS.  false: refused (the caller answers 503).
 */
bool	 login_turn_take(struct server *, const char *addr);
void	 login_turn_give(struct server *, const char *addr);
/* Seconds an address was told to wait that are not over (0: none), and
 * the telling. */
int	 login_wait_known(struct server *, const char *addr, time_t now);
void	 login_wait_note(struct server *, const char *addr, time_t until);
/* May one more POST go through this link token this minute?  _give
 * takes one back: a post answered "not now" (the database away) is not
 * the client's to pay for. */
bool	 link_rate_ok(struct server *, const char *token);
void	 link_rate_give(struct server *, const char *token);
/*
 * The database is away (store_away, or no connection at all): 503 with
 * Retry-After, in words for whoever asked, never "no such link", "sign
 * in" or "form expired"; a form that was sent comes back filled in, to
 * send again.  Replaces whatever the page had made.
 */
void	 away_page(struct req *);
/* The route group of a path for /metrics, and its name ("client",
 * "login", "clients", "admin", "monitor", "static", "other"). */
size_t	 metric_group(const char *url);
const char *metric_group_name(size_t);
page_fn	 metrics_page;
#ifdef SB_TEST_BUILD
page_fn	 escape_page;	/* what the sandbox must refuse */
#endif
/* A sent field in a form to send again: long or multi-line text shown in
 * a textarea under label (ids kept0, kept1, ... counted in *n), the rest
 * hidden. */
void	 field_again(struct req *, const char *name, const char *value,
	    const char *label, size_t *n);
/* Does this node fit the database (its schema as last read, *seen, 0
 * when not read yet; the practice's lock held)? */
bool	 node_current(const struct req *, int *seen);
/* The client's address, as text ("" when unknown). */
const char *http_client_address(struct req *);
/*
 * A page that reads client data: view_begin() before the first read;
 * view_end() makes the page's audit rows durable and, if they cannot be,
 * replaces the page with an error: nothing read is shown unaudited.
 */
bool	 view_begin(struct req *);
void	 view_end(struct req *);
const char *http_header(struct req *, const char *name);
const char *http_cookie(struct req *, const char *name);
const char *http_query(struct req *, const char *name);

#endif
