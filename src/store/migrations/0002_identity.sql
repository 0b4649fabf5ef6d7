-- mamori schema 2: people (従業員等), their roles, and mamori's login security: lockout, password
-- history, TOTP second factor with recovery codes, and sessions stored only as hashes.
-- Sources: seed 004 ch5 (アクセス制御及び認証, §9.3), 002 第8条–第13条, 001 システム管理規程 §4.1.

-- 従業員等. employment_type: officer 役員, regular 正社員, contract 契約社員, dispatch 派遣,
-- part_time パート・アルバイト, external 社外. Dates are local (Japan) calendar dates YYYY-MM-DD.
CREATE TABLE person (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	employee_no TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	name_kana TEXT NOT NULL,
	department TEXT NOT NULL DEFAULT '',
	employment_type TEXT NOT NULL CHECK (employment_type IN
		('officer', 'regular', 'contract', 'dispatch', 'part_time', 'external')),
	joined_on TEXT,
	left_on TEXT,
	nda_on TEXT,         -- 秘密保持契約: required before a non-employee gets an account (004 ch5 §6)
	phone TEXT NOT NULL DEFAULT '',
	birthday TEXT,
	email TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

-- One account per person (004 ch5 §2); the first administrator made by init has none.
ALTER TABLE account ADD COLUMN person_id INTEGER REFERENCES person (id);
CREATE UNIQUE INDEX account_one_per_person ON account (person_id) WHERE person_id IS NOT NULL;
ALTER TABLE account ADD COLUMN approved_by TEXT;          -- who approved the issuance
ALTER TABLE account ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN locked_until TEXT;
ALTER TABLE account ADD COLUMN password_changed_at TEXT;
ALTER TABLE account ADD COLUMN totp_secret TEXT;          -- encrypted (crypto/field.c), never clear
ALTER TABLE account ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE account ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN disabled_reason TEXT;

-- Previous password hashes, for "no reuse within the history window" (004 ch5 §9.3: 1 year).
CREATE TABLE password_history (
	account_id INTEGER NOT NULL REFERENCES account (id),
	password_hash TEXT NOT NULL,
	set_at TEXT NOT NULL
) STRICT;
CREATE INDEX password_history_account ON password_history (account_id, set_at);

-- One-time recovery codes for the second factor, stored as keyed hashes.
CREATE TABLE recovery_code (
	account_id INTEGER NOT NULL REFERENCES account (id),
	code_hash TEXT NOT NULL,
	used_at TEXT,
	PRIMARY KEY (account_id, code_hash)
) STRICT;

-- Sessions: only the hash of the cookie's token and of the CSRF token are stored.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	csrf_hash TEXT NOT NULL,
	account_id INTEGER NOT NULL REFERENCES account (id),
	created_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	client TEXT NOT NULL,
	ended_at TEXT,
	end_reason TEXT
) STRICT;
CREATE INDEX session_account ON session (account_id);
