/*
 * Checkpoints: an Ed25519 signature over "the first N events end in hash H, at time T". Printed as
 * six lines of text a person can keep on paper or on another machine; the signature covers the
 * first five lines exactly as printed, so any Ed25519 tool can check it.
 */
#include "audit/audit.h"
#include "base/str.h"
#include "base/time.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "mamori audit checkpoint v1"

/* The signed part: the first five lines. */
static int
signed_text(const struct audit_checkpoint *cp, char *out, size_t n)
{
	int w = snprintf(out, n, HEADER "\nevents: %" PRId64 "\nhead: %s\ntime: %s\npublic-key: %s\n",
	    cp->events, cp->head, cp->time, cp->public_key);

	return (w < 0 || (size_t)w >= n) ? MM_ETOOBIG : w;
}

int
audit_checkpoint_format(const struct audit_checkpoint *cp, char *out, size_t n)
{
	int w = signed_text(cp, out, n);

	if (w < 0)
		return w;
	if ((size_t)snprintf(out + w, n - (size_t)w, "signature: %s\n", cp->signature) >= n - (size_t)w)
		return MM_ETOOBIG;
	return 0;
}

int
audit_checkpoint_check_signature(const struct audit_checkpoint *cp)
{
	unsigned char pk[MM_SIGN_PUBLIC_BYTES], sig[MM_SIGNATURE_BYTES];
	char text[512];
	int len;

	if (mm_hex_decode(pk, sizeof(pk), cp->public_key) != 0 ||
	    mm_hex_decode(sig, sizeof(sig), cp->signature) != 0)
		return MM_ECORRUPT;
	if ((len = signed_text(cp, text, sizeof(text))) < 0)
		return MM_ECORRUPT;
	return mm_sign_verify(sig, text, (size_t)len, pk);
}

int
audit_checkpoint_make(struct store *st, const unsigned char *secret_key, struct audit_checkpoint *cp,
    struct mm_err *err)
{
	struct store_stmt *s;
	unsigned char pk[MM_SIGN_PUBLIC_BYTES], sig[MM_SIGNATURE_BYTES];
	char text[512];
	int len, rc;

	if (!store_in_transaction(st))
		return mm_err_set(err, MM_ESTORE, "", "a checkpoint needs the caller's transaction");
	memset(cp, 0, sizeof(*cp));
	if ((rc = store_prepare(st, "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1", &s,
	    err)) != 0)
		return rc;
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		cp->events = store_col_int(s, 0);
		mm_strlcpy(cp->head, store_col_text(s, 1), sizeof(cp->head));
		rc = 0;
	} else if (rc == STORE_DONE) {
		rc = mm_err_set(err, MM_ENOTFOUND, "", "the audit trail is empty");
	}
	store_finalize(s);
	if (rc != 0)
		return rc;
	mm_time_format(mm_now_ms(), cp->time);
	mm_sign_public(pk, secret_key);
	mm_hex_encode(cp->public_key, pk, sizeof(pk));
	if ((len = signed_text(cp, text, sizeof(text))) < 0)
		return mm_err_set(err, len, "", "checkpoint text too long");
	mm_sign(sig, text, (size_t)len, secret_key);
	mm_hex_encode(cp->signature, sig, sizeof(sig));
	if ((rc = store_prepare(st,
	    "INSERT INTO audit_checkpoint (events, head_hash, created_at, public_key, signature)"
	    " VALUES ($1, $2, $3, $4, $5)", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", cp->events);
	store_bind_text(s, "$2", cp->head);
	store_bind_text(s, "$3", cp->time);
	store_bind_text(s, "$4", cp->public_key);
	store_bind_text(s, "$5", cp->signature);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* Copies the value of "name: value" at line start into out; 0 or MM_EINVAL. */
static int
take(const char **p, const char *end, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name), vlen;
	const char *eol;

	if ((size_t)(end - *p) < nl + 2 || memcmp(*p, name, nl) != 0 || (*p)[nl] != ':' ||
	    (*p)[nl + 1] != ' ')
		return MM_EINVAL;
	*p += nl + 2;
	eol = memchr(*p, '\n', (size_t)(end - *p));
	if (eol == NULL)
		eol = end;
	vlen = (size_t)(eol - *p);
	if (vlen == 0 || vlen >= n)
		return MM_EINVAL;
	memcpy(out, *p, vlen);
	out[vlen] = '\0';
	*p = eol < end ? eol + 1 : end;
	return 0;
}

static int
is_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
parse_lf(const char *text, size_t len, struct audit_checkpoint *cp, struct mm_err *err)
{
	const char *p = text, *end = text + len;
	char events[24];
	char *stop;
	int64_t ms;

	memset(cp, 0, sizeof(*cp));
	/* tolerate a byte-order mark and blank lines before the header (copied from an editor) */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
		p++;
	if ((size_t)(end - p) < sizeof(HEADER) || memcmp(p, HEADER "\n", sizeof(HEADER)) != 0)
		return mm_err_set(err, MM_EINVAL, "checkpoint", "line 1 must be \"%s\"", HEADER);
	p += sizeof(HEADER);
	if (take(&p, end, "events", events, sizeof(events)) != 0)
		return mm_err_set(err, MM_EINVAL, "checkpoint", "line 2 must be \"events: N\"");
	cp->events = strtoll(events, &stop, 10);
	if (*stop != '\0' || cp->events < 1 || events[0] == '+' || events[0] == '-')
		return mm_err_set(err, MM_EINVAL, "checkpoint", "line 2: events must be a positive number");
	if (take(&p, end, "head", cp->head, sizeof(cp->head)) != 0 || !is_hex(cp->head, 64))
		return mm_err_set(err, MM_EINVAL, "checkpoint", "line 3 must be \"head: \" and 64 hex digits");
	if (take(&p, end, "time", cp->time, sizeof(cp->time)) != 0 || mm_time_parse(cp->time, &ms) != 0)
		return mm_err_set(err, MM_EINVAL, "checkpoint", "line 4 must be \"time: \" and an ISO 8601 time");
	if (take(&p, end, "public-key", cp->public_key, sizeof(cp->public_key)) != 0 ||
	    !is_hex(cp->public_key, 64))
		return mm_err_set(err, MM_EINVAL, "checkpoint",
		    "line 5 must be \"public-key: \" and 64 hex digits");
	if (take(&p, end, "signature", cp->signature, sizeof(cp->signature)) != 0 ||
	    !is_hex(cp->signature, 128))
		return mm_err_set(err, MM_EINVAL, "checkpoint",
		    "line 6 must be \"signature: \" and 128 hex digits");
	return 0;
}

int
audit_checkpoint_parse(const char *text, size_t len, struct audit_checkpoint *cp, struct mm_err *err)
{
	char buf[4096];
	size_t n = 0;

	/* a checkpoint kept on Windows or mailed may come back with CRLF line ends */
	if (len > sizeof(buf))
		return mm_err_set(err, MM_EINVAL, "checkpoint", "a checkpoint is a few lines of text, not %zu bytes", len);
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			buf[n++] = text[i];
	return parse_lf(buf, n, cp, err);
}
