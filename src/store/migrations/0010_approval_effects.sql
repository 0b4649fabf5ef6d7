-- mamori schema 10: requests that change something when they are decided (docs/internals/approvals.md,
-- "effects"). A request keeps the data its effect needs (payload_json: the account to issue, the IT
-- grant asked for, the vault's deletion request); the vault's deletion requests and IT grants name
-- the engine's request that decided them.
ALTER TABLE approval_request ADD COLUMN payload_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE mn_deletion ADD COLUMN approval_id INTEGER;
ALTER TABLE mn_grant ADD COLUMN approval_id INTEGER;

-- A deletion request still pending moves onto the engine: a one-step request to the manager.
INSERT INTO approval_request (type, class, subject, title, detail, route_json, steps, current_step,
	requested_by, requested_at, state, payload_json)
SELECT 'mynumber_deletion', '', 'mynumber:deletion:' || id, '特定個人情報の削除（対象者 ' || subject_id || '）',
	reason, '[["mynumber_manager"]]', 1, 1, requested_by, requested_at, 'pending',
	'{"deletion_id":' || id || ',"subject_id":' || subject_id || '}'
FROM mn_deletion WHERE state = 'pending' ORDER BY id;
UPDATE mn_deletion SET approval_id = (SELECT r.id FROM approval_request r
	WHERE r.subject = 'mynumber:deletion:' || mn_deletion.id) WHERE state = 'pending';
