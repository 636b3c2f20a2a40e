/*
 * help.c - the manual pages printed by --help and `securebase help CMD`.
 *
 * Kept beside each other so that the whole interface can be read, and
 * checked against docs/ and the README, in one place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct page {
	const char	*cmd;
	const char	*usage;
	const char	*text;
};

static const char common_exit[] =
"EXIT STATUS\n"
"     0   success\n"
"     1   runtime error: bad data, a file that cannot be read, a licence\n"
"         that does not allow the action (the message names what and where)\n"
"     2   usage error: unknown command or option, missing argument\n";

static const struct page pages[] = {
{ NULL,
"securebase [--instruments DIR] [--licences FILE] COMMAND [ARGS]",
"DESCRIPTION\n"
"     securebase supports attachment-based therapy: validated questionnaires\n"
"     scored exactly, change statistics and alerts, the practice record\n"
"     (encrypted and audited), relationship maps, lifelines and narrative\n"
"     work, on the command line and in the browser (serve).\n"
"\n"
"COMMANDS\n"
"     instruments list|show|check|permit   the questionnaires and their rules\n"
"     score ID [FILE|-]                    score a CSV of item answers\n"
"     psychometrics ID [FILE|-]            reliability analysis of a data file\n"
"     administer ID                        ask the items in the terminal\n"
"     change ID --pre X --post Y           reliable and clinically significant\n"
"                                          change (Jacobson & Truax)\n"
"     help [COMMAND]                       a command's manual page\n"
"\n"
"   The practice record (need --db PATH and --user NAME):\n"
"     init                                 create a practice and its key\n"
"     user add|passwd|list|disable         practice users and roles (admin)\n"
"     client add|list|show|share           clients and who may see them\n"
"     person, relationship, event          the client's attachment history\n"
"       add|edit|remove\n"
"     narrative analyze [FILE|-]           language features of a narrative\n"
"     outcomes                             the practice's outcomes (JT)\n"
"     report --client C --pdf FILE         the printable progress report\n"
"     export --fhir DIR, import --fhir F   FHIR R4 out and in\n"
"     export --research DIR                pseudonymous research export\n"
"     history export|import|map|lifeline   the history as JSON, the map and\n"
"       |patterns|snapshot|compare         lifeline as SVG, facts, snapshots\n"
"     session add, note add                sessions and clinical notes\n"
"     case, episode, consent               couples and families, episodes\n"
"                                          of care, consents\n"
"     schedule add|template|list|run       measurement plans: sends and\n"
"                                          reminders by mail\n"
"     administer ID --client C             store an administration\n"
"     alerts [ack|resolve ID]              open alerts and their lifecycle\n"
"     export --csv DIR, import --csv FILE  item-level answers out and in\n"
"     rescore [--instrument ID]            recompute stored scores\n"
"     backup PATH, restore PATH            verified backups\n"
"     migrate --from DB --to DB            move a practice (SQLite, PostgreSQL)\n"
"     serve [--listen ADDR:PORT]           the web application\n"
"     link create --client C --instrument  a questionnaire link for a client\n"
"     demo [--port N]                      a demo practice, served locally\n"
"     audit verify                         check the tamper-evident trail\n"
"\n"
"GLOBAL OPTIONS\n"
"     --instruments DIR   also load *.instrument files from DIR; a file with\n"
"                         the id of a shipped instrument replaces it\n"
"                         (default: $SECUREBASE_INSTRUMENTS)\n"
"     --licences FILE     permissions recorded for licensed instruments\n"
"                         (default: $SECUREBASE_LICENCES)\n"
"     --db PATH           the practice database ($SECUREBASE_DB)\n"
"     --user NAME         the acting user, recorded in the audit trail\n"
"                         ($SECUREBASE_USER)\n"
"     --key-file PATH     the practice key ($SECUREBASE_KEY_FILE; default:\n"
"                         PATH.key beside the database)\n"
"     --passphrase-file F the practice key is derived from the passphrase\n"
"                         in F (Argon2id) instead of a key file\n"
"                         ($SECUREBASE_PASSPHRASE_FILE)\n"
"     Global options may also follow the command.\n"
"     --version           print the version\n" },

{ "instruments",
"securebase instruments list [--json]\n"
"       securebase instruments show ID [--json]\n"
"       securebase instruments check FILE...\n"
"       securebase instruments permit ID --by NAME --reference TEXT",
"DESCRIPTION\n"
"     list    every instrument: id, items, licence state (enabled, or\n"
"             disabled until permission is recorded), title.\n"
"     show    one instrument: citation, licence terms, instructions, items\n"
"             in canonical published order with their options and values\n"
"             (R marks a reverse-keyed item), scores with their method,\n"
"             items, missing-data rule, bands and norms, critical items,\n"
"             LOINC codes, sources and everything marked UNVERIFIED.\n"
"     check   validate definition files; prints \"FILE: ok\" or every error\n"
"             as FILE:LINE: message. The format is described in\n"
"             docs/instrument-format.md.\n"
"     permit  record that permission to use an instrument was obtained\n"
"             (appended to the --licences file with today's date); the\n"
"             instrument is enabled from then on.\n"
"\n"
"OPTIONS\n"
"     --json             machine-readable output\n"
"     --by NAME          who records the permission\n"
"     --reference TEXT   where the permission is (letter, e-mail, licence no.)\n" },

{ "score",
"securebase score ID [FILE|-] [--format csv|json] [--missing VALUE]\n"
"                        [--scale MIN-MAX]",
"DESCRIPTION\n"
"     Scores every row of a CSV (or tab-separated) file whose header names\n"
"     the item columns: q1..qN in published order (ecr-rs: mother.q1 ..\n"
"     friend.q9). A column named id is carried through; other columns are\n"
"     ignored. A cell holds the value of the chosen option before any\n"
"     reversal, on the instrument's published response scale (for example\n"
"     RSES 0 = strongly disagree .. 3 = strongly agree; ECR family 1 .. 7);\n"
"     an empty cell is a missing answer. Reads standard input when FILE is\n"
"     - or absent.\n"
"\n"
"     Scores follow each instrument's missing-data rule: a score the rule\n"
"     does not allow is empty (csv) or null (json), never guessed.\n"
"     Nothing is written unless every row is valid; the first bad row is\n"
"     named with its line and column.\n"
"\n"
"     Licensed instruments score existing data even while disabled.\n"
"\n"
"OPTIONS\n"
"     --format csv|json   csv (default): row, id, one column per score, a\n"
"                         <score>.band column per banded score, answered,\n"
"                         flags. json: one object per row,\n"
"                         {\"row\": 1, \"id\": \"a\", \"scores\": {\"total\": 12},\n"
"                          \"bands\": {\"total\": \"Moderate\"},\n"
"                          \"flags\": [\"critical:q9\"], \"answered\": 9}\n"
"     --missing VALUE     a cell equal to VALUE is a missing answer too\n"
"                         (e.g. --missing 0 for openpsychometrics files)\n"
"     --scale MIN-MAX     answers were given on this scale instead of the\n"
"                         published one (e.g. 1-5 for a 5-point ECR);\n"
"                         reversal becomes (MIN + MAX) - value\n"
"\n"
"EXAMPLES\n"
"     securebase score phq9 answers.csv --format json\n"
"     securebase score ecr data.csv --scale 1-5 --missing 0\n" },

{ "psychometrics",
"securebase psychometrics ID [FILE|-] [--missing VALUE] [--scale MIN-MAX]\n"
"                        [--complete] [--json]",
"DESCRIPTION\n"
"     Reliability analysis of a data file in the format `score` reads, for\n"
"     a practice to check its own data quality: for every sum or mean\n"
"     score, the number of complete rows, Cronbach's alpha, the score's mean\n"
"     and SD, and for every item its mean and SD (after reversal), the\n"
"     corrected item-total correlation and alpha if the item were dropped.\n"
"     Rows missing any item of a score are left out of that score\n"
"     (listwise). Figures describe this sample; they are not norms.\n"
"\n"
"OPTIONS\n"
"     --missing VALUE, --scale MIN-MAX   as for score\n"
"     --complete                         use only rows that answer every\n"
"                                        scored item (else listwise per score)\n"
"     --json                             machine-readable output\n" },

{ "administer",
"securebase administer ID [--client CID [--answers FILE.csv]\n"
"                        [--respondent R] [--mode M] [--target T]]",
"DESCRIPTION\n"
"     Asks the items of an instrument one at a time in the terminal, with\n"
"     the instrument's instructions, response options and progress, then\n"
"     prints the scores, bands and any critical-item flags. Answers are\n"
"     typed as the option's value. At any item:\n"
"         b   go back one item        s   skip this item\n"
"         q   stop without scoring    ?   show these keys\n"
"     Skipped items are missing answers; a score that the missing-data rule\n"
"     does not allow is shown as \"not scored\".\n"
"\n"
"     An instrument whose licence needs permission cannot be administered\n"
"     until permission is recorded (see instruments permit).\n"
"\n"
"     With --client the administration is stored in the practice record\n"
"     (every item answer, the derived scores and the instrument version)\n"
"     and alerts are raised: a critical item endorsed (high), a reliable\n"
"     deterioration since the client's first administration of the same\n"
"     instrument (medium). --answers reads a one-row CSV as `score` does\n"
"     instead of asking.\n"
"\n"
"OPTIONS\n"
"     --client CID        the client (needs --db and --user)\n"
"     --answers FILE      a CSV with a header and one row of answers\n"
"     --respondent R      self (default), partner, parent or therapist\n"
"     --mode M            in-session (default when asking), paper (default\n"
"                         with --answers), link or import\n"
"     --target T          the figure an ECR-RS was answered about\n" },

{ "change",
"securebase change ID --pre X --post Y [--score NAME] [--criterion a|b|c]\n"
"                        [--json]",
"DESCRIPTION\n"
"     Jacobson & Truax (1991) reliable change index and clinically\n"
"     significant change between two scores of one person, using the\n"
"     reliability and the clinical and functional norms stored in the\n"
"     instrument definition. Prints the standard error, S_diff, RC, the\n"
"     smallest reliable change in points, the cut-off of the criterion\n"
"     used and the classification: recovered, improved, unchanged or\n"
"     deteriorated; with the norms and their sources.\n"
"\n"
"OPTIONS\n"
"     --score NAME      which score (default: the first with norms)\n"
"     --criterion a|b|c cut-off: a = 2 SD beyond the clinical mean,\n"
"                       b = within 2 SD of the functional mean, c = the\n"
"                       weighted midpoint (default: c when both norms exist,\n"
"                       else a)\n"
"     --json            machine-readable output\n" },

{ "init",
"securebase init --db PATH --admin NAME [--admin-password-file FILE]\n"
"                        [--key-file KEYPATH | --passphrase-file FILE]",
"DESCRIPTION\n"
"     Creates a new practice database at PATH and its key at PATH.key (or\n"
"     KEYPATH): 32 random bytes, mode 0600. Client names and clinical text\n"
"     are encrypted with that key; without it they cannot be read, so keep\n"
"     it apart from the database and from backups, and never lose it.\n"
"     Refuses to touch an existing file. Prompts for the admin password\n"
"     (without echo) unless a file is given.\n"
"\n"
"     With --passphrase-file no key file is written: the key is derived\n"
"     from the passphrase (12-1024 bytes, one line) with Argon2id and a\n"
"     random salt kept in the database, and every command then needs the\n"
"     same --passphrase-file.\n" },

{ "user",
"securebase user add NAME --role therapist|supervisor|admin\n"
"                        [--password-file FILE] [--email ADDRESS]\n"
"       securebase user email NAME ADDRESS|--off\n"
"       securebase user passwd NAME [--password-file FILE]\n"
"       securebase user list\n"
"       securebase user disable NAME\n"
"       securebase user totp NAME [--off]",
"DESCRIPTION\n"
"     Practice users (admin only, except that users may change their own\n"
"     password). Therapists see their own clients and those shared with\n"
"     them; supervisors read every client; admins manage users and do not\n"
"     read clinical records. A password has at least 12 characters, is\n"
"     not only spaces, not the user name, and not one of 43,940 passwords\n"
"     known from breaches (data/README.md); a password set under older\n"
"     rules must be changed at the next web login. Setting a password or\n"
"     the second factor ends the user's other web sessions. Passwords are\n"
"     stored as Argon2id hashes, upgraded when the hashing parameters\n"
"     change. Users are disabled, never deleted, so the audit trail keeps\n"
"     its names.\n"
"\n"
"     totp sets up the optional second factor (an admin, or the user\n"
"     themselves): it prints, once, the otpauth:// URI an authenticator\n"
"     app reads; from then on logging in to the web application takes the\n"
"     app's 6-digit code too (RFC 6238: HMAC-SHA-1, 30 s, one step of\n"
"     drift either way, each code once). --off removes it.\n"
"\n"
"     email sets the address a therapist's high alerts are mailed to (an\n"
"     admin, or the user themselves); --off removes it.\n" },

{ "settings",
"securebase settings [show]\n"
"       securebase settings set KEY VALUE\n"
"       securebase settings set KEY --file FILE\n"
"       securebase settings unset KEY",
"DESCRIPTION\n"
"     The practice's settings (admins), kept encrypted in the database;\n"
"     the audit trail names what changed, never the value. Keys:\n"
"       smtp-url       smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT\n"
"       smtp-user      the mail server's user\n"
"       smtp-password  its password: only with --file (- for stdin)\n"
"       smtp-from      the sender address of alert mails\n"
"       smtp-tls       require (default) or none (a local relay only)\n"
"       smtp-ca        a CA file for a mail server with a private CA\n"
"       duty-email     also mailed about every high alert\n"
"       origin         https://practice.example, for the link in mails\n"
"       crisis-text    what a client reads with a risk answer, on the\n"
"                      narrative prompts and the ACE; \"tel:116 123\"\n"
"                      becomes a tappable number\n"
"       historic-days  imports older than this raise historic alerts\n"
"                      (default 14)\n"
"       practice-name  shown to clients at the top of a link's pages,\n"
"                      so that a link that came by text message says\n"
"                      who sent it\n"
"       show-therapist yes (default) or no: the therapist's user name\n"
"                      on a link's pages\n" },

{ "notify",
"securebase notify send [--smtp URL] [--origin URL]\n"
"       securebase notify list",
"DESCRIPTION\n"
"     High alerts queue a mail to the client's therapist and the duty\n"
"     address in the transaction that raises them. `serve` sends them\n"
"     within seconds; notify send sends what is due once and exits (for\n"
"     cron, or a practice without serve). A message that cannot be\n"
"     delivered is tried again after 5, 10, 20 ... seconds (at most 15\n"
"     minutes apart, 12 tries); a 5xx reply marks it failed, with the\n"
"     reply. Exit 1 when a message failed. notify list shows the newest\n"
"     messages with their state, attempts and the server's reply\n"
"     (admins). Mails name no client and hold no clinical content.\n" },

{ "client",
"securebase client add --name NAME [--json]\n"
"       securebase client list\n"
"       securebase client show CID\n"
"       securebase client share CID --with USER\n"
"       securebase client unshare CID --with USER\n"
"       securebase client email CID --address NAME@DOMAIN | --remove",
"DESCRIPTION\n"
"     add     a client on the acting therapist's caseload; prints the id\n"
"     email   the client's address for their plans' mail (kept sealed)\n"
"     list    the clients the acting user may read\n"
"     show    the whole record: people, relationships, life events,\n"
"             sessions, notes, administrations and alerts (audited read)\n"
"     share   let another therapist or supervisor see the client\n"
"     unshare stop sharing it again\n"
"     Only the client's own therapist shares or stops sharing: a\n"
"     colleague the client was shared with cannot pass it on.\n" },

{ "person",
"securebase person add --client CID --name NAME [--role ROLE]\n"
"                        [--gender G] [--born YEAR] [--died YEAR] [--note T]\n"
"                        [--json]\n"
"       securebase person edit ID --client CID [the options of add]\n"
"       securebase person remove ID --client CID",
"DESCRIPTION\n"
"     A person in the client's life (a name or a role such as \"mother\");\n"
"     prints the new id. Name and note are encrypted. The role \"self\"\n"
"     marks the client; mother, father, partner and \"best friend\" carry\n"
"     that relationship's ECR-RS on the map.\n"
"\n"
"     edit changes the fields given and keeps the others (an empty value\n"
"     clears a field); remove deletes the person with their ties.\n" },

{ "relationship",
"securebase relationship add --client CID --from PERSON --to PERSON\n"
"                        --type TYPE [--start DATE] [--end DATE] [--note T]\n"
"       securebase relationship edit ID --client CID [the options of add]\n"
"       securebase relationship remove ID --client CID",
"DESCRIPTION\n"
"     A link between two people of the client's history. Structural types:\n"
"     parent, partner, married, cohabiting, separated, divorced, sibling,\n"
"     twin, adopted, foster, step (for parent, adopted, foster and step,\n"
"     --from is the parent). Emotional qualities: close, fused, distant,\n"
"     cut-off, conflictual, hostile, abusive, repaired. Dates are YYYY,\n"
"     YYYY-MM or YYYY-MM-DD. edit changes the fields given; remove deletes\n"
"     the tie.\n" },

{ "event",
"securebase event add --client CID --category C (--date DATE | --age N)\n"
"                        --valence -3..3 --intensity 1..5 [--note T]\n"
"                        [--end-date DATE | --end-age N]\n"
"       securebase event edit ID --client CID [the options of add]\n"
"       securebase event remove ID --client CID",
"DESCRIPTION\n"
"     A life event on the client's lifeline. Categories: separation, loss,\n"
"     divorce, move, illness, neglect, abuse, trauma, repair, achievement,\n"
"     other. With --end-date or --end-age it is a period (years in foster\n"
"     care, an illness), drawn as a span. The note is encrypted. edit\n"
"     changes the fields given (an empty value clears a date or age);\n"
"     remove deletes the event.\n" },

{ "session",
"securebase session add --client CID --date YYYY-MM-DD\n"
"                        [--attendance attended|cancelled|did-not-attend]\n"
"                        [--note T]",
"DESCRIPTION\n"
"     A therapy session; the note is encrypted.\n" },

{ "serve",
"securebase serve --db PATH [--listen ADDR:PORT] [--origin URL]\n"
"                        [--crisis-text FILE] [--smtp URL]\n"
"                        [--anchor-minutes N] [--trust-proxy]",
"DESCRIPTION\n"
"     Serves the web application (default 127.0.0.1:8080). Put it behind\n"
"     a reverse proxy (nginx) for TLS; --origin is the public origin used\n"
"     in links and in the CSRF checks (default http://ADDR:PORT). The\n"
"     support text is what a client sees at once after endorsing a\n"
"     critical item: the practice's crisis-text setting, or --crisis-text\n"
"     FILE, or a default without local numbers. A thread sends the\n"
"     outbox of alert mails every second (the smtp-* settings, or --smtp\n"
"     URL). It writes the audit trail's anchor (see audit) to the system\n"
"     log and to standard error at start and every N minutes (default 60;\n"
"     0: never). Logins: at most two passwords are hashed at once (more\n"
"     get 503 with Retry-After at once); failures are counted per name\n"
"     and client address, and per address. --trust-proxy takes the\n"
"     client's address from nginx's X-Real-IP (only behind nginx on\n"
"     127.0.0.1). Stops on SIGINT or SIGTERM.\n" },

{ "link",
"securebase link create --client CID --instrument ID [--days N]\n"
"                        [--origin URL] [--json]",
"DESCRIPTION\n"
"     Creates a questionnaire link for one administration of an enabled\n"
"     instrument to the client (valid 14 days unless --days), and prints\n"
"     its URL. The token is shown once; only its hash is stored.\n" },

{ "demo",
"securebase demo [--port N] [--no-serve]",
"DESCRIPTION\n"
"     Builds a demo practice of twelve synthetic clients with six months of\n"
"     therapy (measures, family histories, narratives) in ./var/demo.db\n"
"     (replacing any earlier demo), and serves it on 127.0.0.1:N (default\n"
"     8080), or with --no-serve only builds it. Prints the login. All data\n"
"     are invented.\n" },

{ "rescore",
"securebase rescore [--instrument ID]",
"DESCRIPTION\n"
"     Recomputes the stored scores of every administration of the acting\n"
"     user's clients from their stored item answers with the current\n"
"     instrument definitions, after an instrument is fixed. The answers and\n"
"     the version the client answered are kept; the version that scored is\n"
"     recorded beside the scores. Only changed scores are rewritten (each\n"
"     audited), in short transactions so that the practice keeps working:\n"
"     if it stops half-way, every row is still right for the version\n"
"     recorded beside it, and running rescore again finishes the work.\n"
"     The caseload's latest scores are then built anew, client by client.\n" },

{ "case",
"securebase case add --kind individual|couple|family --clients ID,ID,...\n"
"                        [--json]\n"
"       securebase case share-answers CASE --client ID [--unshare]",
"DESCRIPTION\n"
"     Groups clients seen together. Each member's questionnaire answers\n"
"     stay hidden from the other members (for example on a client link)\n"
"     until that member's answers are shared with share-answers; the\n"
"     therapist sees everything of their own clients either way.\n" },

{ "schedule",
"securebase schedule add --client CID --instrument ID (--days N |\n"
"                        --sessions LIST|every | --months LIST)\n"
"                        [--remind DAYS] [--expire DAYS] [--start DATE]\n"
"       securebase schedule template attachment|core10 --client CID\n"
"       securebase schedule list --client CID\n"
"       securebase schedule pause|resume|end PLAN --client CID\n"
"       securebase schedule run",
"DESCRIPTION\n"
"     A plan sends one measure to a client by mail: a link to answer it,\n"
"     with the practice's name and the therapist's, and nothing clinical.\n"
"       --days 14          at the start, then every 14 days\n"
"       --sessions every   at the start and after every attended session\n"
"       --sessions 3,6,9   after the 3rd, 6th and 9th attended session\n"
"       --months 0,3,6     at the start, 3 and 6 calendar months later\n"
"     Only the latest occurrence due is sent; a newer send withdraws the\n"
"     older link if it is still open. A reminder follows after --remind\n"
"     days (default 3, 0 for none) if the link is not finished; the link\n"
"     ends after --expire days (default 7). The client's address is set\n"
"     with securebase client email CID --address A.\n"
"     template attachment adds PHQ-9 and GAD-7 before every session,\n"
"     WAI-SR after sessions 3, 6 and 9, and ECR-R at the start, 3 and 6\n"
"     months (an instrument whose licence needs permission is left out\n"
"     until it is recorded).\n"
"     run makes every send and reminder due and sends the outbox: serve\n"
"     does this every minute; run it from cron when serve is not running.\n"
"     A send is made once however often or wherever run is called.\n" },

{ "episode",
"securebase episode start --client CID --date YYYY-MM-DD [--json]\n"
"       securebase episode end EPISODE --date YYYY-MM-DD",
"DESCRIPTION\n"
"     An episode of care: from referral or first session to discharge.\n"
"     A client has at most one open episode.\n" },

{ "consent",
"securebase consent add --client CID --kind KIND --date YYYY-MM-DD\n"
"                        [--json]\n"
"       securebase consent withdraw CONSENT --date YYYY-MM-DD",
"DESCRIPTION\n"
"     Records a consent the client gave (for example \"treatment\",\n"
"     \"research-export\", \"recording\") and its withdrawal. Consents are\n"
"     never deleted.\n" },

{ "history",
"securebase history export --client CID\n"
"       securebase history import --client CID FILE\n"
"       securebase history map|lifeline|patterns --client CID\n"
"       securebase history snapshot --client CID --label TEXT [--json]\n"
"       securebase history snapshots --client CID\n"
"       securebase history compare --client CID SNAPSHOT [SNAPSHOT]",
"DESCRIPTION\n"
"     The client's attachment history: the people in their life, the\n"
"     structural and emotional ties between them, and life events.\n"
"\n"
"     export     the history as JSON (docs/history-format.md)\n"
"     import     puts the JSON in place of the client's history, all or\n"
"                nothing; errors name the path (\"ties[2].b: no person\n"
"                with id 9\")\n"
"     map        the relationship map (a genogram) as SVG\n"
"     lifeline   the lifeline as SVG, with the therapy's sessions and\n"
"                measures on the same axis\n"
"     patterns   facts drawn from the data, one per line\n"
"     snapshot   keeps the history as it stands under a label\n"
"                (\"at intake\"); prints its id\n"
"     snapshots  the snapshots kept: id, time, label\n"
"     compare    what changed from one snapshot to another, or to now\n"
"\n"
"     The person whose role is \"self\" is the client: their birth year\n"
"     turns dated events into ages on the lifeline.\n" },

{ "narrative",
"securebase narrative analyze [FILE|-] [--json] [--lexicon FILE]\n"
"       securebase narrative prompts\n"
"       securebase narrative prompt KEY --text TEXT\n"
"       securebase narrative add --client CID --prompt KEY [FILE|-] [--json]\n"
"       securebase narrative list --client CID\n"
"       securebase narrative drafts --client CID --prompt KEY [--json]",
"DESCRIPTION\n"
"     Counts and locates descriptive language features of a narrative (a\n"
"     client's written or transcribed account of their past): episodic\n"
"     anchors, generalisations, \"don't remember\" statements, temporal\n"
"     and causal connectives, present tense about someone described as\n"
"     dead, hedges, fillers and vague endings, metacognitive phrases,\n"
"     anger addressed to an absent \"you\", unfinished sentences. No\n"
"     database is needed.\n"
"\n"
"     These are cues for a reader, not an assessment: no classification,\n"
"     no cut-off, no overall score (docs/narrative.md says what each\n"
"     indicator is, the research it echoes and its false positives).\n"
"\n"
"     --json writes {\"words\": N, \"indicators\": [{\"id\": ..., \"count\":\n"
"     ..., \"per_1000\": ..., \"spans\": [[start, end], ...]}, ...]} with\n"
"     offsets in characters from the start of the text. --lexicon reads\n"
"     the word lists of another language (the form of lang/en.lexicon).\n"
"\n"
"     With a practice database: prompts lists the practice's prompts\n"
"     (the shipped set until changed); prompt changes one (admins and\n"
"     therapists); add keeps a transcript as the next draft of the\n"
"     client's narrative for a prompt and prints its version (every\n"
"     draft is kept, encrypted); list shows the client's narratives;\n"
"     drafts shows each draft's indicators per 1,000 words, oldest first:\n"
"     the change across drafts.\n" },

{ "report",
"securebase report --client CID --pdf FILE [--for-client]",
"DESCRIPTION\n"
"     The printable progress report of a client (A4 PDF): each measure\n"
"     over time with its bands and the band of change that is not yet\n"
"     reliable, the change from first to last (Jacobson & Truax), the\n"
"     attachment plane with the client's path, the alliance, the alerts\n"
"     and how they were resolved, and the lifeline.\n"
"\n"
"     --for-client writes the variant in plain words that a therapist can\n"
"     go through with the client: no alerts, no statistical terms.\n" },

{ "outcomes",
"securebase outcomes",
"DESCRIPTION\n"
"     The practice's outcomes, per measure and per therapist (a therapist\n"
"     sees their own clients, a supervisor everyone's): for each client\n"
"     with two or more administrations, the change from the first to the\n"
"     last, classified by Jacobson & Truax (1991) with the reliability and\n"
"     norms of the instrument's definition: recovered, reliably improved,\n"
"     no reliable change, reliably deteriorated. Scores without published\n"
"     norms are counted, not classified. d is the pre-post effect size\n"
"     (mean change over the SD of the first scores; positive is\n"
"     improvement). The web application shows the same at /outcomes.\n" },

{ "note",
"securebase note add --client CID",
"DESCRIPTION\n"
"     A clinical note, read from standard input, or written in $EDITOR\n"
"     when standard input is a terminal (the temporary file is private\n"
"     and removed). Stored encrypted; at most 1 MiB.\n" },

{ "alerts",
"securebase alerts [--json]\n"
"       securebase alerts ack|resolve ID [--note TEXT]",
"DESCRIPTION\n"
"     Lists the open and acknowledged alerts of the clients the acting\n"
"     user may read, high severity first. ack and resolve move an alert\n"
"     on (open -> acknowledged -> resolved, never back), recording who,\n"
"     when and an encrypted note.\n" },

{ "audit",
"securebase audit verify [--anchor LINE|FILE]\n"
"       securebase audit anchor",
"DESCRIPTION\n"
"     Checks the whole audit trail: every row's keyed hash, the order of\n"
"     rows, the head that catches rows cut off the end (a missing head is\n"
"     an erased trail), and the SQL of the triggers that guard the table.\n"
"     Exit 0 when intact; otherwise exit 1 and the first bad row named\n"
"     (edited, deleted, inserted or truncated).\n"
"\n"
"     anchor records an \"anchor\" row and prints the head as one line,\n"
"     securebase-anchor 1 seq=N epoch=E hash=HEX mac=HEX, to keep away\n"
"     from this machine (serve logs one every hour, backup prints one).\n"
"     verify --anchor checks, for a line or for every anchor in a file,\n"
"     that it was made with the practice key, that no row up to it was\n"
"     removed or rewritten, and that the trail was not rolled back past\n"
"     it: what the chain alone cannot show.\n" },

{ "backup",
"securebase backup PATH",
"DESCRIPTION\n"
"     Writes a copy of the practice with SQLite's online backup API (safe\n"
"     while in use), then checks it (integrity check, key, audit trail)\n"
"     and only then moves it to PATH and exits 0. Never overwrites. The\n"
"     key is not included: store it separately.\n"
"\n"
"     For a PostgreSQL practice the copy is pg_dump's (custom format, one\n"
"     snapshot), checked by loading it into a scratch database on the\n"
"     same server (the role needs CREATEDB), which is dropped again.\n" },

{ "restore",
"securebase restore BACKUP --db PATH [--replace] [--key-file KEYPATH]",
"DESCRIPTION\n"
"     Verifies BACKUP (integrity check, key, audit trail) and restores it\n"
"     to PATH; refuses a copy that does not verify. An existing PATH is\n"
"     replaced only with --replace (stop the server first). The backup\n"
"     file itself is not modified.\n"
"\n"
"     With --db postgresql://... the backup is a pg_dump file, loaded in\n"
"     one transaction into that database, which must be empty, and\n"
"     verified there; one that does not verify is removed again.\n" },

{ "migrate",
"securebase migrate --from DB --to DB [--key-file KEYPATH]",
"DESCRIPTION\n"
"     Moves a practice to another database: DB is a file (SQLite) or a\n"
"     postgresql:// URL. --to must be a new file, or an empty PostgreSQL\n"
"     database made with LC_COLLATE 'C' (docs/deploy.md); anything else\n"
"     is refused untouched. Every row is copied as it is (ids, sealed\n"
"     fields, the audit trail), in one snapshot of --from and one\n"
"     transaction on --to; then every table's row count and the whole\n"
"     audit trail are checked on --to. On any failure --to is left as it\n"
"     was. --from is read, never changed: stop its servers first. The\n"
"     key (--key-file, or --from's PATH.key) is the same for both and is\n"
"     not copied.\n" },

{ "export",
"securebase export --csv DIR\n"
"       securebase export --fhir DIR [--client CID] [--pseudonymise]\n"
"       securebase export --research DIR [--consent KIND | --without-consent]",
"DESCRIPTION\n"
"     --csv writes DIR/ID.csv for each instrument with stored\n"
"     administrations: administration, client, completed, mode,\n"
"     respondent, target, instrument_version, every item answer (q1..qN)\n"
"     and every score, recomputed from the answers.\n"
"\n"
"     --fhir writes a FHIR R4 Bundle per client (DIR/c3.json): the\n"
"     Patient, a Questionnaire for each instrument used (answer weights\n"
"     in the itemWeight extension, LOINC codes where the definition has\n"
"     them), a QuestionnaireResponse per administration and an\n"
"     Observation per score (valueQuantity in UCUM {score}, the band as\n"
"     interpretation, derivedFrom the response). --pseudonymise leaves\n"
"     out names and names each client by a pseudonym (p + 16 hex digits,\n"
"     stable for the practice key). --client CID exports one client.\n"
"\n"
"     --research writes, for research: DIR/ID.csv per instrument (client\n"
"     pseudonym, date, session number, every item answer, every score),\n"
"     DIR/long.csv (one row per value: client, date, session, instrument,\n"
"     kind, variable, value) and DIR/dictionary.csv (what each column\n"
"     means: item texts, answer values, score ranges). Clients appear\n"
"     only as pseudonyms, and only those with a consent of kind KIND\n"
"     (default research-export, see `consent`) that is not withdrawn;\n"
"     --without-consent includes everyone (for the practice's own use).\n"
"\n"
"     Files are mode 0600 and appear whole or not at all. Each client read\n"
"     is audited.\n" },

{ "import",
"securebase import --csv FILE --instrument ID [--client CID]\n"
"                        [--missing VALUE] [--dry-run] [--date YYYY-MM-DD]\n"
"                        [--historic-days N]\n"
"       securebase import --fhir FILE [--client CID] [--historic-days N]",
"DESCRIPTION\n"
"     Stores each row of FILE (the format `score` reads) as an\n"
"     administration (mode import), for --client CID or for the client\n"
"     whose id is in the row's id column. Every row is checked first;\n"
"     if any is bad, every bad row is reported (up to 100) and nothing is\n"
"     written. --dry-run checks and stops. Otherwise the rows are\n"
"     stored in short transactions, so that the practice keeps working\n"
"     meanwhile (a client can send a questionnaire), and still all or\n"
"     nothing: no one sees any of them until the last is stored, and an\n"
"     import that fails or is killed is deleted (at once, or by the next\n"
"     import after ten minutes). One audit row per client names the\n"
"     import and the ids. --date is the day the answers were given\n"
"     (default: now).\n"
"\n"
"     Imported answers raise the safety alerts like any others: a high\n"
"     alert per endorsed critical item, a medium one per blank critical\n"
"     item, shown with the import. Answers given more than N days\n"
"     ago (--historic-days, else the historic-days setting, else 14) raise\n"
"     them marked historic, with their date, and send no mail. Change\n"
"     alerts (deterioration, alliance) are not raised by imports.\n"
"\n"
"     --fhir reads a QuestionnaireResponse, a Questionnaire or a Bundle of\n"
"     them. A response of a known instrument (by its canonical, or by the\n"
"     LOINC codes of its items) becomes an administration of --client CID,\n"
"     or, in a Bundle with its Patient, of a new client. A Questionnaire\n"
"     whose options carry itemWeight (or ordinalValue) weights becomes an\n"
"     instrument definition, scored as the sum of the weights, written to\n"
"     the --instruments directory (or shown). Its critical items are\n"
"     those of the shipped instrument it repeats (same items, by LOINC\n"
"     code or words), or those marked with the item extension\n"
"     urn:securebase:fhir:StructureDefinition:critical-from (valueInteger:\n"
"     the lowest critical weight); without either, a warning says that no\n"
"     answer to it will raise a risk alert. Errors name the JSON path;\n"
"     nothing is stored unless everything is valid.\n" },
};


static const struct page *
find(const char *cmd)
{
	size_t	 i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if ((cmd == NULL && pages[i].cmd == NULL) ||
		    (cmd != NULL && pages[i].cmd != NULL &&
		    strcmp(cmd, pages[i].cmd) == 0))
			return &pages[i];
	return NULL;
}

int
help_print(const char *cmd)
{
	const struct page	*p = find(cmd);

	if (p == NULL)
		return usage_error(NULL, "no manual page for \"%.64s\"", cmd);
	printf("SECUREBASE%s%s\n\nSYNOPSIS\n       %s\n\n%s\n%s",
	    cmd ? "-" : "", cmd ? cmd : "", p->usage, p->text, common_exit);
	return EXIT_OK;
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	const struct page	*p = find(cmd);
	va_list			 ap;

	fprintf(stderr, "securebase%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n(see: securebase help%s%s)\n",
	    p ? p->usage : "securebase COMMAND", cmd ? " " : "",
	    cmd ? cmd : "");
	return EXIT_USAGE;
}
