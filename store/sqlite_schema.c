/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_schema.c - the practice schema in SQLite's words, as forward-only
 * migrations: sqlite_migrations[v] takes a database from version v to
 * v + 1 (schema.c applies them, each in its own transaction, and records
 * it in schema_version).  A migration is never edited once released:
 * fixes are new migrations.  tests/test_store_migrate.c migrates from
 * every earlier version.  Another backend has its own list, with the
 * same tables and the same meaning at every version.
 */
#include <stddef.h>

#include "store/sqlite.h"
#include "store/store_int.h"

const char *const sqlite_migrations[] = {
/* 1: the practice record */
"CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;"
"CREATE TABLE users ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE,"
"  role TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'supervisor')),"
"  password TEXT NOT NULL,"
"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
"  created TEXT NOT NULL) STRICT;"
"CREATE TABLE clients ("
"  id INTEGER PRIMARY KEY,"
"  owner_id INTEGER NOT NULL REFERENCES users(id),"
"  name BLOB NOT NULL,"			/* sealed */
"  created TEXT NOT NULL) STRICT;"
"CREATE TABLE client_shares ("
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  user_id INTEGER NOT NULL REFERENCES users(id),"
"  PRIMARY KEY (client_id, user_id)) STRICT;"
/* Cases group clients seen together; a member's answers are hidden from
 * the others unless answers_shared is set. */
"CREATE TABLE cases ("
"  id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL CHECK (kind IN ('individual', 'couple', 'family')),"
"  created TEXT NOT NULL) STRICT;"
"CREATE TABLE case_members ("
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  answers_shared INTEGER NOT NULL DEFAULT 0 CHECK (answers_shared IN (0, 1)),"
"  PRIMARY KEY (case_id, client_id)) STRICT;"
"CREATE TABLE people ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  name BLOB NOT NULL,"			/* sealed */
"  role TEXT,"
"  gender TEXT,"
"  birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1800 AND 2200),"
"  death_year INTEGER CHECK (death_year IS NULL OR death_year BETWEEN 1800 AND 2200),"
"  note BLOB) STRICT;"			/* sealed */
"CREATE INDEX people_client ON people(client_id);"
"CREATE TABLE relationships ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  a_id INTEGER NOT NULL REFERENCES people(id),"
"  b_id INTEGER NOT NULL REFERENCES people(id),"
"  kind TEXT NOT NULL CHECK (kind IN ('structural', 'emotional')),"
"  type TEXT NOT NULL,"
"  start_date TEXT,"
"  end_date TEXT,"
"  note BLOB) STRICT;"			/* sealed */
"CREATE INDEX relationships_client ON relationships(client_id);"
"CREATE TABLE events ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  category TEXT NOT NULL,"
"  date TEXT,"
"  age INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 130),"
"  valence INTEGER NOT NULL CHECK (valence BETWEEN -3 AND 3),"
"  intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),"
"  note BLOB) STRICT;"			/* sealed */
"CREATE INDEX events_client ON events(client_id);"
"CREATE TABLE episodes ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  started TEXT NOT NULL,"
"  ended TEXT) STRICT;"
"CREATE TABLE sessions ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  episode_id INTEGER REFERENCES episodes(id),"
"  date TEXT NOT NULL,"
"  attendance TEXT NOT NULL CHECK (attendance IN ('attended', 'cancelled', 'did-not-attend')),"
"  note BLOB) STRICT;"			/* sealed */
"CREATE INDEX sessions_client ON sessions(client_id, date);"
"CREATE TABLE notes ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  author_id INTEGER NOT NULL REFERENCES users(id),"
"  created TEXT NOT NULL,"
"  text BLOB NOT NULL) STRICT;"		/* sealed */
"CREATE INDEX notes_client ON notes(client_id);"
/* Every item answer is kept ("q1=3;q2=;..."), never only totals; scores
 * are derived, with the instrument version that produced them. */
"CREATE TABLE administrations ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  instrument TEXT NOT NULL,"
"  instrument_version TEXT NOT NULL,"
"  respondent TEXT NOT NULL CHECK (respondent IN ('self', 'partner', 'parent', 'therapist')),"
"  target TEXT,"
"  mode TEXT NOT NULL CHECK (mode IN ('link', 'in-session', 'paper', 'import')),"
"  started TEXT,"
"  completed TEXT,"
"  answers TEXT NOT NULL,"
"  scores TEXT,"
"  created_by INTEGER NOT NULL REFERENCES users(id)) STRICT;"
"CREATE INDEX administrations_client ON administrations(client_id, completed);"
"CREATE TABLE alerts ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  administration_id INTEGER REFERENCES administrations(id),"
"  rule TEXT NOT NULL,"
"  severity TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),"
"  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),"
"  created TEXT NOT NULL,"
"  detail TEXT NOT NULL) STRICT;"
"CREATE INDEX alerts_state ON alerts(state, client_id);"
"CREATE TABLE alert_events ("
"  id INTEGER PRIMARY KEY,"
"  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
"  state TEXT NOT NULL,"
"  user_id INTEGER NOT NULL REFERENCES users(id),"
"  at TEXT NOT NULL,"
"  note BLOB) STRICT;"			/* sealed */
"CREATE TABLE consents ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  kind TEXT NOT NULL,"
"  given TEXT NOT NULL,"
"  withdrawn TEXT,"
"  recorded_by INTEGER NOT NULL REFERENCES users(id)) STRICT;"
"CREATE TABLE narratives ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  prompt TEXT NOT NULL,"
"  created TEXT NOT NULL) STRICT;"
"CREATE TABLE narrative_drafts ("
"  id INTEGER PRIMARY KEY,"
"  narrative_id INTEGER NOT NULL REFERENCES narratives(id),"
"  version INTEGER NOT NULL,"
"  created TEXT NOT NULL,"
"  text BLOB NOT NULL,"			/* sealed */
"  UNIQUE (narrative_id, version)) STRICT;"
"CREATE TABLE licence_permissions ("
"  id INTEGER PRIMARY KEY,"
"  instrument TEXT NOT NULL,"
"  recorded TEXT NOT NULL,"
"  user_id INTEGER NOT NULL REFERENCES users(id),"
"  reference TEXT NOT NULL) STRICT;"
"CREATE TABLE audit ("
"  seq INTEGER PRIMARY KEY,"
"  at TEXT NOT NULL,"
"  user_name TEXT NOT NULL,"
"  action TEXT NOT NULL,"
"  entity TEXT NOT NULL,"
"  entity_id INTEGER NOT NULL,"
"  detail TEXT NOT NULL,"
"  hash BLOB NOT NULL) STRICT;"
"CREATE TABLE audit_head ("
"  id INTEGER PRIMARY KEY CHECK (id = 1),"
"  seq INTEGER NOT NULL,"
"  hash BLOB NOT NULL,"
"  mac BLOB NOT NULL) STRICT;"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;"
"CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head"
"  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;",

/* 2: scores recomputed after an instrument fix say which definition made
 * them; instrument_version keeps the one the client answered. */
"ALTER TABLE administrations ADD COLUMN scored_version TEXT;"
"UPDATE administrations SET scored_version = instrument_version;",

/* 3: web sessions and client questionnaire links.  Only hashes of their
 * tokens are stored: a copy of the database opens no session or link. */
"CREATE TABLE web_sessions ("
"  token_hash BLOB PRIMARY KEY,"
"  user_id INTEGER NOT NULL REFERENCES users(id),"
"  csrf BLOB NOT NULL,"
"  created INTEGER NOT NULL,"
"  last_seen INTEGER NOT NULL) STRICT;"
"CREATE TABLE links ("
"  id INTEGER PRIMARY KEY,"
"  token_hash BLOB NOT NULL UNIQUE,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  instrument TEXT NOT NULL,"
"  created_by INTEGER NOT NULL REFERENCES users(id),"
"  created INTEGER NOT NULL,"
"  expires INTEGER NOT NULL,"
"  answers TEXT NOT NULL DEFAULT '',"
"  administration_id INTEGER REFERENCES administrations(id)) STRICT;"
"CREATE TABLE login_failures ("
"  user_name TEXT NOT NULL,"
"  at INTEGER NOT NULL) STRICT;"
"CREATE INDEX login_failures_user ON login_failures(user_name, at);",

/* 4: how a link's questionnaire was answered: sent to the client, or
 * started on a tablet in the session. */
"ALTER TABLE links ADD COLUMN mode TEXT NOT NULL DEFAULT 'link' "
"  CHECK (mode IN ('link', 'in-session'));",

/* 5: life events as periods (issue 5), and snapshots of the history
 * ("at intake", "month 6") to compare later. */
"ALTER TABLE events ADD COLUMN end_date TEXT;"
"ALTER TABLE events ADD COLUMN end_age INTEGER "
"  CHECK (end_age IS NULL OR end_age BETWEEN 0 AND 130);"
"CREATE TABLE history_snapshots ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  label TEXT NOT NULL,"
"  taken TEXT NOT NULL,"
"  body BLOB NOT NULL) STRICT;"		/* sealed: the history's JSON */
"CREATE INDEX history_snapshots_client ON history_snapshots(client_id);",

/* 6: narrative work (issue 6): the practice's prompts, one narrative per
 * client and prompt, who wrote each draft, and links that end without an
 * administration (a client answering prompts). */
"CREATE TABLE narrative_prompts ("
"  id INTEGER PRIMARY KEY,"
"  key TEXT NOT NULL UNIQUE,"
"  position INTEGER NOT NULL,"
"  text TEXT NOT NULL) STRICT;"
"CREATE UNIQUE INDEX narratives_client_prompt ON narratives(client_id, prompt);"
"ALTER TABLE narrative_drafts ADD COLUMN author TEXT NOT NULL DEFAULT "
"  'therapist' CHECK (author IN ('client', 'therapist'));"
"ALTER TABLE links ADD COLUMN done INTEGER NOT NULL DEFAULT 0 "
"  CHECK (done IN (0, 1));",

/* 7: the optional second factor: a TOTP secret (sealed) per user, and the
 * last time step used, so that no code works twice. */
"ALTER TABLE users ADD COLUMN totp BLOB;"
"ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;",

/* 8: clinical safety (issue 11).  An alert raised on a link names the link
 * and the item, so that a critical answer is alerted once per link however
 * often the page is saved; an alert from an old imported administration
 * carries that administration's date (historic).  Users have an address
 * for notifications; the practice's settings (SMTP, duty address, crisis
 * text) are sealed; the outbox holds each message from the transaction
 * that raised its alert until it is sent or has failed. */
"ALTER TABLE alerts ADD COLUMN link_id INTEGER REFERENCES links(id);"
"ALTER TABLE alerts ADD COLUMN item TEXT;"
"ALTER TABLE alerts ADD COLUMN historic TEXT;"
"CREATE UNIQUE INDEX alerts_link_item ON alerts(link_id, rule, item) "
"  WHERE link_id IS NOT NULL;"
"ALTER TABLE users ADD COLUMN email TEXT;"
"CREATE TABLE settings ("
"  id INTEGER PRIMARY KEY,"
"  key TEXT NOT NULL UNIQUE,"
"  value BLOB NOT NULL) STRICT;"		/* sealed */
"CREATE TABLE outbox ("
"  id INTEGER PRIMARY KEY,"
"  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
"  recipient TEXT NOT NULL,"
"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),"
"  created INTEGER NOT NULL,"
"  attempts INTEGER NOT NULL DEFAULT 0,"
"  next_try INTEGER NOT NULL,"
"  reply TEXT,"
"  done INTEGER) STRICT;"
"CREATE INDEX outbox_due ON outbox(state, next_try);",

/* 9: an audit head that cannot be rolled back unseen (issue 12): an epoch
 * that grows with every write of the head, and the version of its MAC
 * (2 covers the row count, the last hash and the epoch).  A head of
 * version 1 is rewritten as version 2 at the next audited action. */
"ALTER TABLE audit_head ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;"
"ALTER TABLE audit_head ADD COLUMN version INTEGER NOT NULL DEFAULT 1;",

/* 10: failed logins counted per (name, address) and per address, under
 * keyed tags: the names typed (a password, sometimes) are not kept. */
"DELETE FROM login_failures;"
"ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';"
"CREATE INDEX login_failures_address ON login_failures(address, at);",

/* 11: passwords (issue 12).  must_change: the password met older, weaker
 * rules and must be changed at the next login (found when the person
 * logs in, the only time the password itself is at hand).  A session
 * keeps the address it was opened from, so that its user can tell their
 * sessions apart and end the ones they do not know. */
"ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0 "
"  CHECK (must_change IN (0, 1));"
"ALTER TABLE web_sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';",

/* 12: sealed like names (issue 12): what a person is to the client and
 * their gender, snapshot labels, consent kinds and alert details ("PHQ-9
 * q9 answered 3").  A STRICT column cannot change its type, so each gets
 * a sealed twin; seal_described() fills the twins from the clear text,
 * drops the clear columns and gives the twins their names. */
"ALTER TABLE people ADD COLUMN role_sealed BLOB;"
"ALTER TABLE people ADD COLUMN gender_sealed BLOB;"
"ALTER TABLE history_snapshots ADD COLUMN label_sealed BLOB;"
"ALTER TABLE consents ADD COLUMN kind_sealed BLOB;"
"ALTER TABLE alerts ADD COLUMN detail_sealed BLOB;",

/* 13: a caseload that costs what it shows (issue 13): per client and
 * instrument, the latest administration and the one before, with their
 * answers, kept in the transaction of each new one
 * (store_administration_add), so
 * that the caseload reads one small row per measure, on a few pages,
 * however long the history. */
"CREATE INDEX administrations_latest ON administrations(client_id, "
"  instrument, completed, id);"
"CREATE TABLE latest ("
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  instrument TEXT NOT NULL,"
"  last_id INTEGER NOT NULL REFERENCES administrations(id),"
"  prev_id INTEGER REFERENCES administrations(id),"
"  completed TEXT,"			/* the last one's */
"  last_answers TEXT NOT NULL,"
"  prev_answers TEXT,"
"  prev_completed TEXT,"
"  PRIMARY KEY (client_id, instrument)) STRICT, WITHOUT ROWID;"
LATEST_FILL("administrations", ""),

/* 14: writes that wait their turn (issue 13): a long import commits in
 * slices of about 40 ms, so that other writers wait no longer than one
 * slice; its administrations and alerts carry the import's id and stay
 * out of every read (the live_ views) while the import is open, and
 * appear together when one short transaction marks it done.  An import
 * that failed or whose process died is deleted, rows first, then marked
 * abandoned.  The views name their columns through "*": a migration that
 * changes a table's columns recreates its view. */
"CREATE TABLE imports ("
"  id INTEGER PRIMARY KEY,"
"  state TEXT NOT NULL CHECK (state IN ('open', 'done', 'abandoned')),"
"  started TEXT NOT NULL,"
"  touched INTEGER NOT NULL,"		/* Unix time of the last slice */
"  created_by INTEGER NOT NULL REFERENCES users(id),"
"  rows INTEGER NOT NULL DEFAULT 0) STRICT;"
"ALTER TABLE administrations ADD COLUMN import_id INTEGER "
"  REFERENCES imports(id);"
"ALTER TABLE alerts ADD COLUMN import_id INTEGER REFERENCES imports(id);"
"CREATE INDEX administrations_import ON administrations(import_id) "
"  WHERE import_id IS NOT NULL;"
"CREATE INDEX alerts_import ON alerts(import_id) "
"  WHERE import_id IS NOT NULL;"
"CREATE VIEW live_administrations AS SELECT * FROM administrations WHERE "
"  import_id IS NULL OR import_id NOT IN (SELECT id FROM imports WHERE "
"  state = 'open');"
"CREATE VIEW live_alerts AS SELECT * FROM alerts WHERE import_id IS NULL "
"  OR import_id NOT IN (SELECT id FROM imports WHERE state = 'open');",

/* 15: several serve nodes (issue 15): a link's answers sent in the
 * current minute are counted on the link, not in one node's memory. */
"ALTER TABLE links ADD COLUMN post_minute INTEGER NOT NULL DEFAULT 0;"
"ALTER TABLE links ADD COLUMN posts INTEGER NOT NULL DEFAULT 0;",

/* 16: a caseload that costs what the therapist holds, not what the
 * network holds (issue 15): lists start from the clients a user may read
 * (SQL_READABLE_CLIENTS: their own, those shared with them), found by
 * index, and a client's alerts are found by client. */
"CREATE INDEX clients_owner ON clients(owner_id);"
"CREATE INDEX client_shares_user ON client_shares(user_id, client_id);"
"CREATE INDEX alerts_client ON alerts(client_id, state);",

/* 17: the links a therapist sent, as the client met them (issue 16):
 * when one was first opened, and one withdrawn before it was finished
 * (Unix times; NULL: not yet). */
"ALTER TABLE links ADD COLUMN opened INTEGER;"
"ALTER TABLE links ADD COLUMN cancelled INTEGER;",

/* 18: the audit trail searched by user and by what was touched (a
 * client), newest first, without reading it all (issue 16). */
"CREATE INDEX audit_user ON audit(user_name, seq);"
"CREATE INDEX audit_entity ON audit(entity, entity_id, seq);",
/* 19: measurement-based care that runs itself (issue 17).  A client's
 * mail address, sealed like their name.  A plan sends one measure on a
 * rule (every N days, after attended sessions, months from its start);
 * each occurrence it sent is one plan_sends row, unique per plan and
 * occurrence, so a send is made once however often or wherever the
 * scheduler runs.  Its link's token stays sealed on the row until the
 * link is finished or closed, for the reminder.  The outbox carries the
 * client's mail too (kind measure or reminder, by send; the address is
 * read from the client when it is sent), and a message no longer worth
 * sending (the link was answered) is dropped.  A client's progress page
 * has a standing link, and the therapist chooses its measures. */
"ALTER TABLE clients ADD COLUMN email BLOB;"	/* sealed */
"CREATE TABLE plans ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  instrument TEXT NOT NULL,"
"  rule TEXT NOT NULL CHECK (rule IN ('days', 'sessions', 'months')),"
"  spec TEXT NOT NULL,"
"  start INTEGER NOT NULL,"
"  remind_days INTEGER NOT NULL,"
"  expire_days INTEGER NOT NULL,"
"  paused INTEGER NOT NULL DEFAULT 0,"
"  ended INTEGER,"
"  created_by INTEGER NOT NULL REFERENCES users(id)) STRICT;"
"CREATE INDEX plans_client ON plans(client_id);"
"CREATE TABLE plan_sends ("
"  id INTEGER PRIMARY KEY,"
"  plan_id INTEGER NOT NULL REFERENCES plans(id),"
"  occurrence INTEGER NOT NULL,"
"  due INTEGER NOT NULL,"
"  state TEXT NOT NULL CHECK (state IN ('sent', 'no-address', "
"    'superseded')),"
"  link_id INTEGER REFERENCES links(id),"
"  token BLOB,"					/* sealed */
"  reminded INTEGER,"
"  UNIQUE (plan_id, occurrence)) STRICT;"
"CREATE TABLE outbox_new ("
"  id INTEGER PRIMARY KEY,"
"  alert_id INTEGER REFERENCES alerts(id),"
"  recipient TEXT NOT NULL,"
"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', "
"    'dropped')),"
"  created INTEGER NOT NULL,"
"  attempts INTEGER NOT NULL DEFAULT 0,"
"  next_try INTEGER NOT NULL,"
"  reply TEXT,"
"  done INTEGER,"
"  send_id INTEGER REFERENCES plan_sends(id),"
"  kind TEXT NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', "
"    'measure', 'reminder')),"
"  CHECK ((kind = 'alert') = (alert_id IS NOT NULL)),"
"  CHECK ((kind = 'alert') = (send_id IS NULL))) STRICT;"
"INSERT INTO outbox_new (id, alert_id, recipient, state, created, "
"  attempts, next_try, reply, done) SELECT id, alert_id, recipient, "
"  state, created, attempts, next_try, reply, done FROM outbox;"
"DROP TABLE outbox;"
"ALTER TABLE outbox_new RENAME TO outbox;"
"CREATE INDEX outbox_due ON outbox(state, next_try);"
"CREATE TABLE progress_links ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  token_hash BLOB NOT NULL UNIQUE,"
"  created INTEGER NOT NULL,"
"  created_by INTEGER NOT NULL REFERENCES users(id),"
"  revoked INTEGER) STRICT;"
"CREATE TABLE progress_measures ("
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  instrument TEXT NOT NULL,"
"  shown INTEGER NOT NULL CHECK (shown IN (0, 1)),"
"  PRIMARY KEY (client_id, instrument)) STRICT;",
/* 20: where imported records came from (issue 18).  A client made from
 * a FHIR Patient and an administration from a QuestionnaireResponse (or
 * an Observation panel) keep their source's identifier: sealed, and as
 * a keyed hash to find it again, so that importing the same file twice
 * changes nothing.  The answers' time is kept in UTC; the offset it was
 * written with is kept here. */
"CREATE TABLE import_sources ("
"  id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL CHECK (kind IN ('client', 'administration')),"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  administration_id INTEGER REFERENCES administrations(id),"
"  source_key BLOB NOT NULL,"
"  source BLOB NOT NULL,"				/* sealed */
"  authored_offset TEXT,"
"  imported INTEGER NOT NULL,"
"  CHECK ((kind = 'administration') = (administration_id IS NOT NULL)),"
"  UNIQUE (kind, source_key, client_id)) STRICT;",
/* 21: delivery that never fails silently (issue 30).  A plan ended by
 * the care lifecycle says why (end_reason: consent-withdrawn,
 * episode-ended, discharged, no-address).  A client has a phone (sealed,
 * E.164) and a preferred channel.  An alert remembers when it was
 * escalated to the duty address.  The outbox gains the escalation and a
 * one-click send of a link (kind link: its own link and sealed token),
 * the channel (mail or SMS), and the node that holds its lease, so that
 * a restarted node takes back what it had claimed. */
"ALTER TABLE plans ADD COLUMN end_reason TEXT;"
"ALTER TABLE clients ADD COLUMN phone BLOB;"			/* sealed */
"ALTER TABLE clients ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail' "
"  CHECK (channel IN ('mail', 'sms'));"
"ALTER TABLE alerts ADD COLUMN escalated INTEGER;"
"CREATE TABLE outbox_new ("
"  id INTEGER PRIMARY KEY,"
"  alert_id INTEGER REFERENCES alerts(id),"
"  recipient TEXT NOT NULL,"
"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', "
"    'dropped')),"
"  created INTEGER NOT NULL,"
"  attempts INTEGER NOT NULL DEFAULT 0,"
"  next_try INTEGER NOT NULL,"
"  reply TEXT,"
"  done INTEGER,"
"  send_id INTEGER REFERENCES plan_sends(id),"
"  kind TEXT NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', "
"    'escalation', 'measure', 'reminder', 'link')),"
"  channel TEXT NOT NULL DEFAULT 'mail' CHECK (channel IN ('mail', "
"    'sms')),"
"  node TEXT,"
"  link_id INTEGER REFERENCES links(id),"
"  token BLOB,"					/* sealed */
"  CHECK ((kind IN ('alert', 'escalation')) = (alert_id IS NOT NULL)),"
"  CHECK ((kind IN ('measure', 'reminder')) = (send_id IS NOT NULL)),"
"  CHECK ((kind = 'link') = (link_id IS NOT NULL))) STRICT;"
"INSERT INTO outbox_new (id, alert_id, recipient, state, created, "
"  attempts, next_try, reply, done, send_id, kind) SELECT id, alert_id, "
"  recipient, state, created, attempts, next_try, reply, done, send_id, "
"  kind FROM outbox;"
"DROP TABLE outbox;"
"ALTER TABLE outbox_new RENAME TO outbox;"
"CREATE INDEX outbox_due ON outbox(state, next_try);"
"CREATE INDEX outbox_alert ON outbox(alert_id);",
/* 22: an import looks for answers stored already (the same file twice)
 * once per row; this index finds them by client, measure and answers,
 * so the look reads the few rows that match instead of every row of a
 * client with a long history. */
"CREATE INDEX administrations_same ON administrations(client_id, "
"  instrument, answers);",
/* 23: row seals (issue 31, store/rows.h).  A keyed MAC on each row that
 * decides access or safety, and per table the count and XOR of those
 * MACs under a MAC of their own, so that an edit, an insertion or a
 * deletion made without the key is seen.  The migration's code seals
 * every existing row under the practice key. */
"ALTER TABLE users ADD COLUMN mac BLOB;"
"ALTER TABLE clients ADD COLUMN mac BLOB;"
"ALTER TABLE client_shares ADD COLUMN mac BLOB;"
"ALTER TABLE alerts ADD COLUMN mac BLOB;"
"ALTER TABLE alert_events ADD COLUMN mac BLOB;"
"ALTER TABLE administrations ADD COLUMN mac BLOB;"
"ALTER TABLE notes ADD COLUMN mac BLOB;"
"ALTER TABLE imports ADD COLUMN mac BLOB;"
"ALTER TABLE web_sessions ADD COLUMN mac BLOB;"
"ALTER TABLE users ADD COLUMN email_tag BLOB;"	/* sealed with the row */
"CREATE TABLE row_seals ("
"  tbl TEXT PRIMARY KEY,"
"  n INTEGER NOT NULL,"
"  agg BLOB NOT NULL,"
"  mac BLOB NOT NULL) STRICT;",
/* 24: staff addresses sealed (issue 31).  A user's address and every
 * message's recipient (a therapist's address, the duty address or
 * phone) are sealed like a client's, each with a keyed tag that lets a
 * query match a message to its therapist.  The migration's code fills
 * the sealed columns from the plain ones, drops those, and gives the
 * sealed ones their names. */
"ALTER TABLE users ADD COLUMN email_sealed BLOB;"
"ALTER TABLE outbox ADD COLUMN recipient_sealed BLOB;"
"ALTER TABLE outbox ADD COLUMN recipient_tag BLOB;",
/* 25: row seals for the rows that let someone without an account in (a
 * questionnaire link, a progress page), for a case's sharing of answers,
 * for the episodes and consents that decide whether a plan sends, and
 * for a client's history, sessions, narratives and snapshots (their
 * owning client), and for what each plan and send is; the migration's
 * code seals those there are. */
"ALTER TABLE links ADD COLUMN mac BLOB;"
"ALTER TABLE progress_links ADD COLUMN mac BLOB;"
"ALTER TABLE case_members ADD COLUMN mac BLOB;"
"ALTER TABLE episodes ADD COLUMN mac BLOB;"
"ALTER TABLE consents ADD COLUMN mac BLOB;"
"ALTER TABLE people ADD COLUMN mac BLOB;"
"ALTER TABLE relationships ADD COLUMN mac BLOB;"
"ALTER TABLE events ADD COLUMN mac BLOB;"
"ALTER TABLE sessions ADD COLUMN mac BLOB;"
"ALTER TABLE narratives ADD COLUMN mac BLOB;"
"ALTER TABLE narrative_drafts ADD COLUMN mac BLOB;"
"ALTER TABLE history_snapshots ADD COLUMN mac BLOB;"
"ALTER TABLE plans ADD COLUMN mac BLOB;"
"ALTER TABLE plan_sends ADD COLUMN mac BLOB;",
/* 26 (issue 35): a user's name as clients read it, sealed for (users,
 * display, id) as an address is; and which responses a client sent
 * through a link have been seen, for the therapist's inbox.  What was
 * answered before the inbox is marked seen by no one, so that it does
 * not fill the inbox at the upgrade. */
"ALTER TABLE users ADD COLUMN display BLOB;"
"CREATE TABLE responses_seen ("
"  administration_id INTEGER PRIMARY KEY REFERENCES administrations(id),"
"  seen_by INTEGER REFERENCES users(id),"
"  seen_at INTEGER NOT NULL) STRICT;"
"INSERT INTO responses_seen (administration_id, seen_at) SELECT id, "
"CAST(strftime('%s', 'now') AS INTEGER) FROM administrations "
"WHERE mode = 'link';",
/* 27 (issue 35): a kiosk, the waiting room's tablet: a role that reads
 * no record; and the questionnaires queued for it, a day's, each with
 * its link's token and the client's code sealed (for kiosk_queue, token
 * or code, id).  users is made again for its role's CHECK, SQLite's
 * way: a new table, the rows copied with their ids and seals, the old
 * one dropped and the new one renamed, with the foreign keys off and
 * checked before the commit (schema.c, rebuild_migration). */
"CREATE TABLE users_new ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE,"
"  role TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'supervisor', "
"    'kiosk')),"
"  password TEXT NOT NULL,"
"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
"  created TEXT NOT NULL,"
"  totp BLOB,"
"  totp_step INTEGER NOT NULL DEFAULT 0,"
"  must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),"
"  mac BLOB,"
"  email_tag BLOB,"
"  email BLOB,"
"  display BLOB) STRICT;"
"INSERT INTO users_new (id, name, role, password, active, created, totp, "
"  totp_step, must_change, mac, email_tag, email, display) SELECT id, "
"  name, role, password, active, created, totp, totp_step, must_change, "
"  mac, email_tag, email, display FROM users;"
"DROP TABLE users;"
"ALTER TABLE users_new RENAME TO users;"
"CREATE TABLE kiosk_queue ("
"  id INTEGER PRIMARY KEY,"
"  client_id INTEGER NOT NULL REFERENCES clients(id),"
"  link_id INTEGER NOT NULL REFERENCES links(id),"
"  day TEXT NOT NULL,"
"  token BLOB NOT NULL,"			/* sealed */
"  code BLOB NOT NULL,"			/* sealed */
"  tries INTEGER NOT NULL DEFAULT 0,"
"  opened INTEGER,"
"  created_by INTEGER NOT NULL REFERENCES users(id),"
"  created INTEGER NOT NULL) STRICT;"
"CREATE INDEX kiosk_queue_day ON kiosk_queue(day);",
NULL,
};

/* The triggers that guard the audit trail, as migration 1 made them. */
const struct be_guard sqlite_guards[] = {
	{ "audit_no_update", "CREATE TRIGGER audit_no_update BEFORE UPDATE ON "
	    "audit  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); "
	    "END" },
	{ "audit_no_delete", "CREATE TRIGGER audit_no_delete BEFORE DELETE ON "
	    "audit  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); "
	    "END" },
	{ "audit_head_no_delete", "CREATE TRIGGER audit_head_no_delete BEFORE "
	    "DELETE ON audit_head  BEGIN SELECT RAISE(ABORT, 'the audit head "
	    "cannot be deleted'); END" },
	{ NULL, NULL }
};

/* What a migration does beyond its SQL, by index. */
enum sb_err (*const sqlite_migration_code[SQLITE_MIGRATION_CODE])(
    struct store *) = {
	[11] = schema_seal_described,
};
