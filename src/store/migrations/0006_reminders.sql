-- mamori schema 6: e-mail reminders of duties and violations (docs/internals/reminders.md).
-- One row per message handed to the SMTP server (or refused by it): to which account, on which Japan
-- day, how many items, and the outcome. The day's run skips every account with a 'sent' row for
-- that day, so a second run the same day sends nothing new. The address itself is not kept.
CREATE TABLE reminder (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id INTEGER NOT NULL REFERENCES account (id),
	login TEXT NOT NULL,
	sent_on TEXT NOT NULL,    -- the local (Japan) date of the run
	sent_at TEXT NOT NULL,
	items INTEGER NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
	error TEXT NOT NULL DEFAULT '',
	sent_by TEXT NOT NULL     -- "scheduler" or the operator of `mamori remind`
) STRICT;
CREATE INDEX reminder_day ON reminder (sent_on, account_id);
