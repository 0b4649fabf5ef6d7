-- mamori schema 5: the duties calendar (docs/internals/duties.md). The periodic duties themselves are
-- a table in src/workflow/duties.c and their cycles come from the profile; only the completions are
-- stored. Deadline duties and violations are computed from the ledgers and never stored.

-- 実施記録: who completed a periodic duty, when, the evidence and the findings. due_on is the due
-- date the completion answered. Append-only: a correction is a new completion.
CREATE TABLE duty_completion (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	duty TEXT NOT NULL,
	due_on TEXT NOT NULL,
	completed_at TEXT NOT NULL,
	completed_by TEXT NOT NULL,
	evidence TEXT NOT NULL,
	findings TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX duty_completion_duty ON duty_completion (duty, id);

CREATE TRIGGER duty_completion_no_update BEFORE UPDATE ON duty_completion
BEGIN
	SELECT RAISE(ABORT, 'duty completions are append-only');
END;
CREATE TRIGGER duty_completion_no_delete BEFORE DELETE ON duty_completion
BEGIN
	SELECT RAISE(ABORT, 'duty completions are append-only');
END;
