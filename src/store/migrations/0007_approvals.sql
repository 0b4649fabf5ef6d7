-- mamori schema 7: the approval engine (docs/internals/approvals.md). One request per thing the
-- regulations route to an approver; its route (the roles of each step, from the profile's [approval]
-- keys when it was made) is kept with it, and each decision keeps the object as it was then.
CREATE TABLE approval_request (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	type TEXT NOT NULL,                 -- a code of src/workflow/approvals.c
	class TEXT NOT NULL DEFAULT '',     -- where the regulation distinguishes (take-out: internal, secret, mynumber)
	subject TEXT NOT NULL,              -- "register:NAME:ID" or free text
	title TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	route_json TEXT NOT NULL,           -- [["dept_head"], ["sysadmin"]]: the roles of each step
	steps INTEGER NOT NULL,
	current_step INTEGER NOT NULL DEFAULT 1,
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	due_on TEXT,                        -- a Japan date; overdue from the next day
	due_at TEXT,                        -- the first instant it is overdue
	state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
	closed_at TEXT,
	closed_by TEXT,
	snapshot_json TEXT NOT NULL DEFAULT '{}' -- the object when requested
) STRICT;
CREATE INDEX approval_request_subject ON approval_request (subject, id);
CREATE INDEX approval_request_state ON approval_request (state, requested_by);

CREATE TABLE approval_decision (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	request_id INTEGER NOT NULL REFERENCES approval_request (id),
	step INTEGER NOT NULL,
	role TEXT NOT NULL,                 -- the step's role the decider held
	decided_by TEXT NOT NULL,
	decided_at TEXT NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
	comment TEXT NOT NULL DEFAULT '',
	snapshot_json TEXT NOT NULL DEFAULT '{}' -- the object when decided
) STRICT;
CREATE INDEX approval_decision_request ON approval_decision (request_id, id);

-- The ledgers' approvals (schema 3) move onto the engine: each old decision becomes a closed
-- one-step request with that decision, so reg_approved and the take-out history read the same.
INSERT INTO approval_request (id, type, class, subject, title, detail, route_json, steps, current_step,
	requested_by, requested_at, state, closed_at, closed_by)
SELECT id, CASE register WHEN 'takeouts' THEN 'takeout' ELSE register END, '',
	'register:' || register || ':' || record_id, register || ' #' || record_id, '',
	'[["' || approver_role || '"]]', 1, 1,
	requested_by, requested_at, COALESCE(decision, 'withdrawn'), decided_at, decided_by
FROM register_approval ORDER BY id;
INSERT INTO approval_decision (request_id, step, role, decided_by, decided_at, decision, comment)
SELECT id, 1, approver_role, decided_by, decided_at, decision, comment
FROM register_approval WHERE decision IS NOT NULL ORDER BY id;
DROP TABLE register_approval;
