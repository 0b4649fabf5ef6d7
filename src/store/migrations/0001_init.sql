-- mamori schema 1: settings, the audit trail and its checkpoints, mamori's own accounts (the
-- first administrator is made by `mamori init`), and the operation journal.
-- Times are ISO 8601 UTC text; hashes and keys are lowercase hex text so that an auditor can
-- read them with the sqlite3 tool.

CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- One row per audited action. seq counts from 1 without gaps; hash chains every row to the one
-- before it (docs/internals/audit-trail.md).
CREATE TABLE audit_event (
	seq INTEGER PRIMARY KEY,
	started_at TEXT NOT NULL,
	ended_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id TEXT NOT NULL,
	access TEXT NOT NULL CHECK (access IN ('read', 'update', 'create', 'delete', 'output')),
	outcome TEXT NOT NULL,
	client TEXT NOT NULL,
	details TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;

-- The program never changes or removes an event; these triggers make a mistake fail loudly.
-- (Someone with the database file can drop them; the hash chain is what detects that.)
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- Signed statements "the first N events end in this hash", made every N events or hours.
CREATE TABLE audit_checkpoint (
	id INTEGER PRIMARY KEY,
	events INTEGER NOT NULL,
	head_hash TEXT NOT NULL,
	created_at TEXT NOT NULL,
	public_key TEXT NOT NULL,
	signature TEXT NOT NULL
) STRICT;

-- mamori's own login accounts. AUTOINCREMENT: an account id is never issued twice (002 第10条4).
CREATE TABLE account (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	login TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	disabled_at TEXT
) STRICT;

CREATE TABLE account_role (
	account_id INTEGER NOT NULL REFERENCES account (id),
	role TEXT NOT NULL,
	granted_by TEXT NOT NULL,
	granted_at TEXT NOT NULL,
	PRIMARY KEY (account_id, role)
) STRICT;

-- 運用日誌, seed 001 システム管理規程 §4.11(2). Corrections are new entries, never edits.
CREATE TABLE journal_entry (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	recorded_at TEXT NOT NULL,
	author TEXT NOT NULL,
	category TEXT NOT NULL,
	body TEXT NOT NULL
) STRICT;
CREATE INDEX journal_entry_recorded_at ON journal_entry (recorded_at);

CREATE TRIGGER journal_entry_no_update BEFORE UPDATE ON journal_entry
BEGIN
	SELECT RAISE(ABORT, 'journal entries are append-only');
END;
