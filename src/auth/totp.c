/*
 * TOTP (RFC 6238) through liboath: 30-second steps counted from the Unix epoch, 6 digits,
 * HMAC-SHA-1, one step of drift either side. Enrolment QR codes through libqrencode, drawn as a
 * plain SVG (no script, no external reference) that the web UI shows inline.
 *
 * Time always comes from the caller (now_ms), never from the clock here: tests set it, and the
 * login path passes the same instant it records.
 */
#include "auth/totp.h"
#include "base/buf.h"
#include "base/err.h"
#include "crypto/crypto.h"

#include <errno.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1 /* steps accepted either side of now, for clock drift */

#define QR_QUIET_ZONE 4           /* modules of white around the symbol (ISO/IEC 18004) */
#define QR_SVG_MAX (1024 * 1024) /* a version-40 symbol needs about a third of this */

/*
 * oath_init only initialises liboath's crypto backend (a no-op for Debian's build, which uses
 * its own SHA-1), and may be called more than once, but nothing promises it is thread-safe: the
 * first call happens once, before any other liboath function. oath_done is never called.
 */
static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready;

static void
oath_start(void)
{
	oath_ready = oath_init() == OATH_OK;
}

static int
oath_ensure(void)
{
	pthread_once(&oath_once, oath_start);
	return oath_ready ? 0 : MM_EIO;
}

/* 160 bits, the HMAC-SHA-1 block size RFC 4226 recommends, from libsodium's generator. */
void
totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	mm_random(secret, TOTP_SECRET_BYTES);
}

/*
 * RFC 4648 base32. Written here rather than taken from liboath, whose encoder allocates and
 * would leave a copy of the secret in freed memory. 20 bytes are exactly 32 characters, so there
 * is no padding to leave out.
 */
void
totp_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_BASE32_LEN])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned acc = 0;
	int have = 0;
	size_t k = 0;

	for (size_t i = 0; i < TOTP_SECRET_BYTES; i++) {
		acc = (acc << 8 | secret[i]) & 0xfff;
		have += 8;
		while (have >= 5) {
			have -= 5;
			out[k++] = alphabet[(acc >> have) & 31];
		}
	}
	if (have > 0)
		out[k++] = alphabet[(acc << (5 - have)) & 31];
	out[k] = '\0';
	mm_wipe(&acc, sizeof(acc));
}

/* Percent-encodes s (RFC 3986: everything but unreserved characters) into b. */
static int
percent_encode(struct mm_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			rc = mm_buf_append(b, p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			rc = mm_buf_append(b, e, 3);
		}
	}
	return rc;
}

/*
 * Key URI format of Google Authenticator, which other apps follow: the label is "issuer:account"
 * and the issuer is repeated as a parameter; algorithm, digits and period are the defaults, spelt
 * out for apps that do not assume them.
 */
int
totp_uri(const char *login, const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t n)
{
	struct mm_buf b;
	char b32[TOTP_BASE32_LEN];
	int rc;

	if (login == NULL || secret == NULL || out == NULL || n == 0)
		return MM_EINVAL;
	mm_buf_init(&b, n - 1);
	totp_base32(secret, b32);
	if ((rc = mm_buf_puts(&b, "otpauth://totp/mamori:")) != 0 ||
	    (rc = percent_encode(&b, login)) != 0 ||
	    (rc = mm_buf_printf(&b, "?secret=%s&issuer=mamori&algorithm=SHA1&digits=%d&period=%d",
	    b32, TOTP_DIGITS, TOTP_STEP_SECONDS)) != 0)
		goto fail;
	memcpy(out, b.b_data, b.b_len + 1);
fail:
	mm_wipe(b32, sizeof(b32));
	mm_buf_free(&b);
	return rc;
}

/* liboath's comparison callback: constant time, so the time taken says nothing of the code. */
static int
code_differs(void *code, const char *candidate)
{
	return strlen(candidate) == TOTP_DIGITS && mm_equal(code, candidate, TOTP_DIGITS) ? 0 : 1;
}

/*
 * The step of the accepted code is the current step plus liboath's position (-1, 0 or +1). A
 * step at or before last_step was already used (or precedes one that was), so the code is
 * refused even though it is right: that is what makes a code seen over a shoulder useless.
 */
int
totp_verify(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, int64_t now_ms,
    int64_t last_step, int64_t *step)
{
	char given[TOTP_DIGITS + 1];
	int pos = 0, rc;
	int64_t now_s, at;

	if (secret == NULL || code == NULL || step == NULL || now_ms < 0)
		return MM_EINVAL;
	if (strlen(code) != TOTP_DIGITS)
		return MM_EINVAL;
	for (int i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return MM_EINVAL;
	if ((rc = oath_ensure()) != 0)
		return rc;
	memcpy(given, code, sizeof(given));
	now_s = now_ms / 1000;
	rc = oath_totp_validate2_callback((const char *)secret, TOTP_SECRET_BYTES, (time_t)now_s,
	    TOTP_STEP_SECONDS, 0, TOTP_DIGITS, TOTP_WINDOW, &pos, code_differs, given);
	mm_wipe(given, sizeof(given));
	if (rc < 0)
		return MM_EPERM;
	at = now_s / TOTP_STEP_SECONDS + pos;
	if (at <= last_step)
		return MM_EPERM;
	*step = at;
	return 0;
}

/* liboath's generator at the caller's time, floored to the second (the RFC counts seconds). */
int
totp_code(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now_ms, char out[7])
{
	int rc;

	if (secret == NULL || out == NULL || now_ms < 0)
		return MM_EINVAL;
	if ((rc = oath_ensure()) != 0)
		return rc;
	if (oath_totp_generate((const char *)secret, TOTP_SECRET_BYTES, (time_t)(now_ms / 1000),
	    TOTP_STEP_SECONDS, 0, TOTP_DIGITS, out) != OATH_OK)
		return MM_EIO;
	return 0;
}

/*
 * One <path> holds the dark modules, each row's runs drawn as rectangles ("M x y h len v1 h -len
 * z"), over a white <rect>; one SVG unit is one module, so viewBox gives the size in modules and
 * the page scales it. crispEdges keeps scanners from seeing grey seams between modules.
 */
int
totp_qr_svg(const char *text, char **svg)
{
	QRcode *qr = NULL;
	struct mm_buf b;
	int rc = 0, size;

	if (svg == NULL)
		return MM_EINVAL;
	*svg = NULL;
	if (text == NULL || *text == '\0')
		return MM_EINVAL;
	mm_buf_init(&b, QR_SVG_MAX);
	errno = 0;
	if ((qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M)) == NULL) {
		rc = errno == ENOMEM ? MM_ENOMEM : errno == ERANGE ? MM_ETOOBIG : MM_EINVAL;
		goto fail;
	}
	size = qr->width + 2 * QR_QUIET_ZONE;
	if ((rc = mm_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	    size, size, size, size)) != 0)
		goto fail;
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			int run = 0;

			while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			if ((rc = mm_buf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE,
			    y + QR_QUIET_ZONE, run, run)) != 0)
				goto fail;
			x += run;
		}
	}
	if ((rc = mm_buf_puts(&b, "\"/></svg>\n")) != 0)
		goto fail;
	*svg = mm_buf_take(&b);
fail:
	if (qr != NULL) {
		/* the symbol encodes the otpauth URI, secret included */
		mm_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
		QRcode_free(qr);
	}
	mm_buf_free(&b);
	return rc;
}
