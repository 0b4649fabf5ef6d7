/*
 * The canonical encoding of an event and its chain hash. Every field is the exact text stored in
 * the database, written as a 4-byte big-endian length followed by its bytes, in a fixed order,
 * after a version tag; the hash is BLAKE2b with a 32-byte digest. JSON is deliberately not used:
 * its key order and number formatting are not a contract.
 */
#include "audit/audit.h"
#include "base/str.h"

#include <string.h>

#define TAG "mamori-audit-v1"

/* seq in decimal, as the chain hashes it (what "%" PRId64 writes, without a call to printf). */
static void
seq_decimal(int64_t seq, char out[24])
{
	char tmp[24];
	uint64_t v = seq < 0 ? 0 - (uint64_t)seq : (uint64_t)seq;
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (seq < 0)
		out[len++] = '-';
	while (n > 0)
		out[len++] = tmp[--n];
	out[len] = '\0';
}

static void
put_length(unsigned char *p, size_t len)
{
	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
}

/*
 * Appends F(s) at out + *used, copying and measuring s in one pass. 0, or -1 when it does not fit
 * in n bytes (*used is then meaningless).
 */
static int
put_field(unsigned char *out, size_t n, size_t *used, const char *s)
{
	unsigned char *start, *end;

	if (n - *used < 5)
		return -1;
	start = out + *used + 4;
	if ((end = memccpy(start, s, '\0', n - *used - 4)) == NULL)
		return -1;
	put_length(out + *used, (size_t)(end - 1 - start));
	*used += 4 + (size_t)(end - 1 - start);
	return 0;
}

#define ROW_FIELDS 13

/* The fields in the order the chain hashes them; seq is given as text. */
static void
row_fields(const struct audit_row *r, const char *seq, const char *f[ROW_FIELDS])
{
	const char *in_order[ROW_FIELDS] = {TAG, r->prev_hash, seq, r->started_at, r->ended_at,
	    r->actor, r->action, r->target_type, r->target_id, r->access, r->outcome, r->client,
	    r->details};

	memcpy(f, in_order, sizeof(in_order));
}

size_t
audit_row_encode(const struct audit_row *r, unsigned char *out, size_t n)
{
	const char *fields[ROW_FIELDS];
	char seq[24];
	size_t used = 0;

	seq_decimal(r->seq, seq);
	row_fields(r, seq, fields);
	for (size_t i = 0; i < ROW_FIELDS; i++)
		if (put_field(out, n, &used, fields[i]) != 0)
			return 0;
	return used;
}

size_t
audit_row_encoded_size(int64_t seq, size_t text_bytes)
{
	char s[24];

	seq_decimal(seq, s);
	return 4 * ROW_FIELDS + strlen(TAG) + strlen(s) + text_bytes;
}

void
audit_row_hash(const struct audit_row *r, char out[AUDIT_HASH_HEX])
{
	unsigned char buf[8192];
	size_t len = audit_row_encode(r, buf, sizeof(buf));
	const char *fields[ROW_FIELDS];
	struct mm_hash h;
	unsigned char digest[MM_HASH_BYTES], be[4];
	char seq[24];

	if (len != 0) {
		mm_hash_hex(buf, len, out);
		return;
	}
	/* larger than any event append writes (a row edited in the file): field by field */
	seq_decimal(r->seq, seq);
	row_fields(r, seq, fields);
	mm_hash_init(&h);
	for (size_t i = 0; i < ROW_FIELDS; i++) {
		size_t flen = strlen(fields[i]);
		put_length(be, flen);
		mm_hash_update(&h, be, 4);
		mm_hash_update(&h, fields[i], flen);
	}
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
