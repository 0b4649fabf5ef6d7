-- mamori schema 9: images of 本人確認 documents (番号確認 / 身元確認; docs/internals/vault.md).
-- Kept only when the profile says [mynumber] document_images = yes, and then only until the identity
-- check of the subject is recorded: encrypted like a number (a data key of its own, wrapped by the key of
-- the subject's retention epoch), never in clear, and erased (secure_delete) on confirmation.

CREATE TABLE mn_document (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id INTEGER NOT NULL REFERENCES mn_subject (id),
	-- number: 番号確認書類 (個人番号カード, 通知カード, 住民票の写し...); identity: 身元確認書類
	kind TEXT NOT NULL CHECK (kind IN ('number', 'identity')),
	-- what the bytes are (from their magic bytes, never from the client's claim)
	content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
	size INTEGER NOT NULL,
	-- the latest identity check of the subject when the image came: a later one confirms it
	after_check_id INTEGER NOT NULL DEFAULT 0,
	epoch TEXT NOT NULL,
	key_gen INTEGER NOT NULL,
	wrapped_key TEXT NOT NULL,
	ciphertext TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TEXT NOT NULL
) STRICT;
CREATE INDEX mn_document_subject ON mn_document (subject_id, id);
CREATE INDEX mn_document_epoch ON mn_document (epoch, key_gen);

-- A subject whose number is shredded keeps no image either (the deletion's own record covers it).
CREATE TRIGGER mn_document_subject_deleted AFTER UPDATE OF state ON mn_subject
WHEN NEW.state = 'deleted'
BEGIN
	DELETE FROM mn_document WHERE subject_id = NEW.id;
END;
