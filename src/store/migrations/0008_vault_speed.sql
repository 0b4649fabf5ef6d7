-- mamori schema 8: the CHECK constraints of the tables a bulk import and every audited request write
-- become OR chains (docs/performance.md, "My Number vault"). SQLite checks `x IN ('a', 'b', 'c')` by
-- building a temporary b-tree of the list for every row it writes, and glibc returned and refetched
-- the top of the heap for each of them: an import of 100,000 subjects spent half its time there.
-- `x = 'a' OR x = 'b' OR x = 'c'` is a few comparisons and allows exactly the same values. Lists of
-- two values are left as they are: SQLite compares those directly.
--
-- SQLite cannot alter a CHECK, so each table is rebuilt in this migration's transaction: a new
-- table, the rows copied, the old table dropped, the new one renamed, its indexes and triggers made
-- again. Ids of AUTOINCREMENT tables are never issued twice: their sqlite_sequence rows are kept.
--
-- mn_subject is the parent of six foreign keys, and foreign_keys stays ON (it cannot change inside
-- a transaction). Dropping a parent deletes its rows first, so its children would break; with
-- defer_foreign_keys the breaks are only counted, and putting the rows back into the new
-- mn_subject counts them off again. COMMIT fails, and the migration changes nothing, unless every
-- child finds its parent again. The child keys get the indexes those checks (and the subject's
-- detail page, for mn_identity_check) need.
--
-- The masked list shows how many subjects there are (of a kind, in a state). Counting them took
-- longer than reading the page itself once there are many; mn_subject_count keeps the numbers in the
-- transaction of every change: the vault counts the subjects it adds (src/vault/subjects.c, the only
-- place that adds them), and triggers follow changes of state and deletions. An INSERT trigger would
-- make SQLite keep a statement journal for every subject added: a bulk import took a third longer.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE seq_0008 AS SELECT name, seq FROM sqlite_sequence
	WHERE name IN ('mn_subject', 'mn_deletion', 'mn_request');

-- The audit trail (schema 1).
CREATE TABLE audit_event_0008 (
	seq INTEGER PRIMARY KEY,
	started_at TEXT NOT NULL,
	ended_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id TEXT NOT NULL,
	access TEXT NOT NULL CHECK (access = 'read' OR access = 'update' OR access = 'create'
		OR access = 'delete' OR access = 'output'),
	outcome TEXT NOT NULL,
	client TEXT NOT NULL,
	details TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_event_0008 (seq, started_at, ended_at, actor, action, target_type, target_id, access,
	outcome, client, details, prev_hash, hash)
SELECT seq, started_at, ended_at, actor, action, target_type, target_id, access, outcome, client, details,
	prev_hash, hash FROM audit_event ORDER BY seq;
DROP TABLE audit_event;
ALTER TABLE audit_event_0008 RENAME TO audit_event;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The ledgers' change history (schema 3).
CREATE TABLE register_change_0008 (
	id INTEGER PRIMARY KEY,
	register TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action = 'create' OR action = 'update' OR action = 'delete'),
	changes TEXT NOT NULL
) STRICT;
INSERT INTO register_change_0008 (id, register, record_id, at, actor, action, changes)
SELECT id, register, record_id, at, actor, action, changes FROM register_change ORDER BY id;
DROP TABLE register_change;
ALTER TABLE register_change_0008 RENAME TO register_change;
CREATE INDEX register_change_record ON register_change (register, record_id);
CREATE TRIGGER register_change_no_update BEFORE UPDATE ON register_change
BEGIN
	SELECT RAISE(ABORT, 'the change history is append-only');
END;
CREATE TRIGGER register_change_no_delete BEFORE DELETE ON register_change
BEGIN
	SELECT RAISE(ABORT, 'the change history is append-only');
END;

-- 特定個人情報取扱記録簿 (schema 4).
CREATE TABLE mn_record_0008 (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action = 'collect' OR action = 'use' OR action = 'output'
		OR action = 'takeout' OR action = 'deletion' OR action = 'correction'),
	subject_id INTEGER,
	purpose TEXT,
	detail TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO mn_record_0008 (id, at, actor, action, subject_id, purpose, detail)
SELECT id, at, actor, action, subject_id, purpose, detail FROM mn_record ORDER BY id;
DROP TABLE mn_record;
ALTER TABLE mn_record_0008 RENAME TO mn_record;
CREATE INDEX mn_record_at ON mn_record (at);
CREATE TRIGGER mn_record_no_update BEFORE UPDATE ON mn_record
BEGIN
	SELECT RAISE(ABORT, 'the handling record is append-only');
END;
CREATE TRIGGER mn_record_no_delete BEFORE DELETE ON mn_record
BEGIN
	SELECT RAISE(ABORT, 'the handling record is append-only');
END;

-- Deletion requests and requests from individuals (schema 4): children of mn_subject, rebuilt
-- before it so that their subject_id indexes serve its rebuild.
CREATE TABLE mn_deletion_0008 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id INTEGER NOT NULL REFERENCES mn_subject (id),
	reason TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'done' OR state = 'rejected'),
	decided_by TEXT,
	decided_at TEXT,
	comment TEXT NOT NULL DEFAULT '',
	method TEXT
) STRICT;
INSERT INTO mn_deletion_0008 (id, subject_id, reason, requested_by, requested_at, state, decided_by,
	decided_at, comment, method)
SELECT id, subject_id, reason, requested_by, requested_at, state, decided_by, decided_at, comment, method
FROM mn_deletion ORDER BY id;
DROP TABLE mn_deletion;
ALTER TABLE mn_deletion_0008 RENAME TO mn_deletion;
CREATE INDEX mn_deletion_subject ON mn_deletion (subject_id);

CREATE TABLE mn_request_0008 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id INTEGER REFERENCES mn_subject (id),
	kind TEXT NOT NULL CHECK (kind = 'disclosure' OR kind = 'correction' OR kind = 'stop'),
	received_on TEXT NOT NULL,
	identity_checked INTEGER NOT NULL DEFAULT 0,
	decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision = 'pending' OR decision = 'granted'
		OR decision = 'refused'),
	reason TEXT NOT NULL DEFAULT '',
	notified_on TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
INSERT INTO mn_request_0008 (id, subject_id, kind, received_on, identity_checked, decision, reason,
	notified_on, created_by, created_at, updated_by, updated_at)
SELECT id, subject_id, kind, received_on, identity_checked, decision, reason, notified_on, created_by,
	created_at, updated_by, updated_at FROM mn_request ORDER BY id;
DROP TABLE mn_request;
ALTER TABLE mn_request_0008 RENAME TO mn_request;
CREATE INDEX mn_request_subject ON mn_request (subject_id);

-- The subjects (schema 4): copied aside, dropped, made again and filled from the copy, so that the
-- foreign keys of its children (which name mn_subject) find the new table.
CREATE INDEX mn_identity_check_subject ON mn_identity_check (subject_id);
CREATE INDEX mn_subject_parent ON mn_subject (parent_id);
CREATE TABLE mn_subject_0008 AS SELECT id, kind, person_id, parent_id, name, name_kana, relation,
	use_ended_on, retention_end, state, stub, created_at, created_by, updated_at, updated_by FROM mn_subject;
DROP TABLE mn_subject;
CREATE TABLE mn_subject (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind = 'employee' OR kind = 'dependant' OR kind = 'partner' OR kind = 'shareholder'),
	person_id INTEGER REFERENCES person (id),
	parent_id INTEGER REFERENCES mn_subject (id),
	name TEXT NOT NULL,
	name_kana TEXT,
	relation TEXT,
	use_ended_on TEXT,
	retention_end TEXT,
	state TEXT NOT NULL DEFAULT 'active' CHECK (state = 'active' OR state = 'deletion_requested'
		OR state = 'deleted'),
	stub TEXT,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX mn_subject_parent ON mn_subject (parent_id);
INSERT INTO mn_subject (id, kind, person_id, parent_id, name, name_kana, relation, use_ended_on, retention_end,
	state, stub, created_at, created_by, updated_at, updated_by)
SELECT id, kind, person_id, parent_id, name, name_kana, relation, use_ended_on, retention_end, state, stub,
	created_at, created_by, updated_at, updated_by FROM mn_subject_0008 ORDER BY id;
DROP TABLE mn_subject_0008;
CREATE INDEX mn_subject_kind ON mn_subject (kind, id);
CREATE INDEX mn_subject_name ON mn_subject (name);

-- The number of subjects of each kind in each state.
CREATE TABLE mn_subject_count (
	kind TEXT NOT NULL,
	state TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (kind, state)
) STRICT, WITHOUT ROWID;
INSERT INTO mn_subject_count (kind, state, n) SELECT kind, state, count(*) FROM mn_subject GROUP BY kind, state;
CREATE TRIGGER mn_subject_count_update AFTER UPDATE OF kind, state ON mn_subject
	WHEN old.kind <> new.kind OR old.state <> new.state
BEGIN
	UPDATE mn_subject_count SET n = n - 1 WHERE kind = old.kind AND state = old.state;
	INSERT INTO mn_subject_count (kind, state, n) VALUES (new.kind, new.state, 1)
		ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER mn_subject_count_delete AFTER DELETE ON mn_subject
BEGIN
	UPDATE mn_subject_count SET n = n - 1 WHERE kind = old.kind AND state = old.state;
END;

UPDATE sqlite_sequence SET seq = (SELECT s.seq FROM seq_0008 s WHERE s.name = sqlite_sequence.name)
	WHERE name IN (SELECT name FROM seq_0008);
INSERT INTO sqlite_sequence (name, seq) SELECT s.name, s.seq FROM seq_0008 s
	WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence q WHERE q.name = s.name);
DROP TABLE seq_0008;
