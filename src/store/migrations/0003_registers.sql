-- mamori schema 3: what every ledger (台帳) shares. The ledgers' own tables reg_NAME are made at
-- start from their definitions (src/registers/defs/, docs/internals/registers.md).

-- The change history (異動) of every ledger record: who, when, and each field old → new.
-- Append-only, like the audit trail.
CREATE TABLE register_change (
	id INTEGER PRIMARY KEY,
	register TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
	changes TEXT NOT NULL
) STRICT;
CREATE INDEX register_change_record ON register_change (register, record_id);
CREATE TRIGGER register_change_no_update BEFORE UPDATE ON register_change
BEGIN
	SELECT RAISE(ABORT, 'the change history is append-only');
END;
CREATE TRIGGER register_change_no_delete BEFORE DELETE ON register_change
BEGIN
	SELECT RAISE(ABORT, 'the change history is append-only');
END;

-- The small approval record the ledgers need (take-out, software addition, connection): who asked,
-- which role decided, who decided, when and what. The approvals issue generalises it.
CREATE TABLE register_approval (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	register TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	kind TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	approver_role TEXT NOT NULL,
	decided_by TEXT,
	decided_at TEXT,
	decision TEXT CHECK (decision IN ('approved', 'rejected')),
	comment TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX register_approval_record ON register_approval (register, record_id);
