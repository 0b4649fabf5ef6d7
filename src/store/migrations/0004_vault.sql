-- mamori schema 4: the My Number vault (特定個人情報; docs/internals/vault.md, vault-keys.md).
-- No number is ever stored in clear: mn_number holds it encrypted under a data key that is itself
-- wrapped by the key-encryption key of the number's retention epoch (keys/vault/).

-- The people whose numbers the company holds: employees (linked to person), their dependants,
-- business partners and shareholders.
CREATE TABLE mn_subject (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('employee', 'dependant', 'partner', 'shareholder')),
	person_id INTEGER REFERENCES person (id),
	parent_id INTEGER REFERENCES mn_subject (id),
	name TEXT NOT NULL,
	name_kana TEXT,
	relation TEXT,
	use_ended_on TEXT,
	retention_end TEXT,
	state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deletion_requested', 'deleted')),
	stub TEXT,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX mn_subject_kind ON mn_subject (kind, id);
CREATE INDEX mn_subject_name ON mn_subject (name);

CREATE TABLE mn_subject_purpose (
	subject_id INTEGER NOT NULL REFERENCES mn_subject (id),
	purpose TEXT NOT NULL,
	PRIMARY KEY (subject_id, purpose)
) STRICT;

-- One number per subject. blind_index: a keyed hash of the number, to find duplicates without
-- decrypting. tail: the last four digits, for the masked form.
CREATE TABLE mn_number (
	subject_id INTEGER PRIMARY KEY REFERENCES mn_subject (id),
	kind TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
	epoch TEXT NOT NULL,
	key_gen INTEGER NOT NULL,
	wrapped_key TEXT NOT NULL,
	ciphertext TEXT NOT NULL,
	blind_index TEXT NOT NULL UNIQUE,
	tail TEXT NOT NULL,
	collected_at TEXT NOT NULL,
	collected_by TEXT NOT NULL
) STRICT;
CREATE INDEX mn_number_epoch ON mn_number (epoch, key_gen);

-- 本人確認 at collection: 番号確認 and 身元確認.
CREATE TABLE mn_identity_check (
	id INTEGER PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES mn_subject (id),
	number_document TEXT NOT NULL,
	identity_document TEXT NOT NULL,
	checked_by TEXT NOT NULL,
	checked_at TEXT NOT NULL
) STRICT;

-- A handler's scope: the purposes they may use numbers for.
CREATE TABLE mn_handler_scope (
	account_id INTEGER NOT NULL REFERENCES account (id),
	purpose TEXT NOT NULL,
	PRIMARY KEY (account_id, purpose)
) STRICT;

-- Time-limited access of IT staff, approved by the manager (003 §7.1).
CREATE TABLE mn_grant (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	login TEXT NOT NULL,
	reason TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	ends_at TEXT NOT NULL,
	granted_by TEXT NOT NULL,
	granted_at TEXT NOT NULL,
	revoked_at TEXT
) STRICT;

CREATE TABLE mn_deletion (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id INTEGER NOT NULL REFERENCES mn_subject (id),
	reason TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'rejected')),
	decided_by TEXT,
	decided_at TEXT,
	comment TEXT NOT NULL DEFAULT '',
	method TEXT
) STRICT;

-- 特定個人情報取扱記録簿: use, output, take-out, deletion (and collection, correction). Append-only.
CREATE TABLE mn_record (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('collect', 'use', 'output', 'takeout', 'deletion', 'correction')),
	subject_id INTEGER,
	purpose TEXT,
	detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX mn_record_at ON mn_record (at);
CREATE TRIGGER mn_record_no_update BEFORE UPDATE ON mn_record
BEGIN
	SELECT RAISE(ABORT, 'the handling record is append-only');
END;
CREATE TRIGGER mn_record_no_delete BEFORE DELETE ON mn_record
BEGIN
	SELECT RAISE(ABORT, 'the handling record is append-only');
END;

-- Requests from individuals (004 ch4 §6): disclosure, correction, stop of use.
CREATE TABLE mn_request (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id INTEGER REFERENCES mn_subject (id),
	kind TEXT NOT NULL CHECK (kind IN ('disclosure', 'correction', 'stop')),
	received_on TEXT NOT NULL,
	identity_checked INTEGER NOT NULL DEFAULT 0,
	decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'granted', 'refused')),
	reason TEXT NOT NULL DEFAULT '',
	notified_on TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

-- Numbers received by mistake, reported to the manager (never deleted by the receiver).
CREATE TABLE mn_mistake (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	reported_by TEXT NOT NULL,
	reported_at TEXT NOT NULL,
	description TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
	resolved_by TEXT,
	resolved_at TEXT,
	action TEXT
) STRICT;
