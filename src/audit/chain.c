/*
 * The canonical encoding of an event and its chain hash. Every field is the exact text stored in
 * the database, written as a 4-byte big-endian length followed by its bytes, in a fixed order,
 * after a version tag; the hash is BLAKE2b with a 32-byte digest. JSON is deliberately not used:
 * its key order and number formatting are not a contract.
 */
#include "audit/audit.h"
#include "base/str.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void
field(struct mm_hash *h, const char *s)
{
	size_t len = strlen(s);
	unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
	    (unsigned char)(len >> 8), (unsigned char)len};

	mm_hash_update(h, be, 4);
	mm_hash_update(h, s, len);
}

void
audit_row_hash(const struct audit_row *r, char out[AUDIT_HASH_HEX])
{
	struct mm_hash h;
	unsigned char digest[MM_HASH_BYTES];
	char seq[24];

	snprintf(seq, sizeof(seq), "%" PRId64, r->seq);
	mm_hash_init(&h);
	field(&h, "mamori-audit-v1");
	field(&h, r->prev_hash);
	field(&h, seq);
	field(&h, r->started_at);
	field(&h, r->ended_at);
	field(&h, r->actor);
	field(&h, r->action);
	field(&h, r->target_type);
	field(&h, r->target_id);
	field(&h, r->access);
	field(&h, r->outcome);
	field(&h, r->client);
	field(&h, r->details);
	mm_hash_final(&h, digest);
	mm_hex_encode(out, digest, sizeof(digest));
}

const char *
audit_access_name(enum audit_access a)
{
	switch (a) {
	case AUDIT_READ: return "read";
	case AUDIT_UPDATE: return "update";
	case AUDIT_CREATE: return "create";
	case AUDIT_DELETE: return "delete";
	case AUDIT_OUTPUT: return "output";
	}
	return "read";
}

const char *
audit_access_label_ja(enum audit_access a)
{
	switch (a) {
	case AUDIT_READ: return "参照";
	case AUDIT_UPDATE: return "更新";
	case AUDIT_CREATE: return "作成";
	case AUDIT_DELETE: return "削除";
	case AUDIT_OUTPUT: return "出力";
	}
	return "参照";
}
