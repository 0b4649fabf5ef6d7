/* Building an RFC 5322 message in UTF-8 (RFC 2045 base64 body, RFC 2047 encoded subject). */
#include "mail/mail.h"
#include "base/str.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Bytes of UTF-8 in one encoded word: 45 bytes are 60 base64 characters, so a word stays within
 * the 75 characters of RFC 2047 §2 with its "=?UTF-8?B?" and "?=". */
#define WORD_BYTES 45

/* Appends the base64 of len bytes (no line breaks). */
static int
put_base64(struct mm_buf *out, const unsigned char *in, size_t len)
{
	size_t step = 57; /* 57 bytes are one 76-character line */
	char enc[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];

	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		sodium_bin2base64(enc, sizeof(enc), in + off, n, sodium_base64_VARIANT_ORIGINAL);
		if (mm_buf_puts(out, enc) != 0)
			return MM_ETOOBIG;
	}
	return 0;
}

/* The subject as it may stand in the header: itself when printable ASCII, else encoded words
 * folded onto continuation lines, each cut on a character boundary. */
static int
put_subject(struct mm_buf *out, const char *s)
{
	size_t len = strlen(s), off = 0;
	int ascii = 1;

	for (size_t i = 0; i < len; i++)
		ascii &= s[i] >= ' ' && s[i] <= '~';
	if (ascii && len <= 900 && strstr(s, "=?") == NULL)
		return mm_buf_printf(out, "Subject: %s\r\n", s);
	if (mm_buf_puts(out, "Subject:") != 0)
		return MM_ETOOBIG;
	while (off < len) {
		/* the first word shares its line with "Subject: " and keeps it within 78 characters */
		size_t max = off ? WORD_BYTES : WORD_BYTES - 3;
		size_t n = len - off < max ? len - off : max;
		/* never split a character: step back over continuation bytes 10xxxxxx */
		while (off + n < len && n > 0 && ((unsigned char)s[off + n] & 0xC0) == 0x80)
			n--;
		if (mm_buf_puts(out, off ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?") != 0 ||
		    put_base64(out, (const unsigned char *)s + off, n) != 0 || mm_buf_puts(out, "?=") != 0)
			return MM_ETOOBIG;
		off += n;
	}
	return mm_buf_puts(out, "\r\n");
}

/* The body with CRLF line ends (the canonical form of text, RFC 2045 §6.8), in base64 lines of
 * 76 characters. */
static int
put_body(struct mm_buf *out, const char *body)
{
	struct mm_buf crlf;
	int rc = 0;

	mm_buf_init(&crlf, 2 * MAIL_BODY_MAX);
	for (const char *p = body; *p && rc == 0; p++)
		rc = *p == '\n' ? mm_buf_append(&crlf, "\r\n", 2) : *p == '\r' ? 0 : mm_buf_append(&crlf, p, 1);
	for (size_t off = 0; rc == 0 && off < crlf.b_len; off += 57) {
		size_t n = crlf.b_len - off < 57 ? crlf.b_len - off : 57;
		if (put_base64(out, (const unsigned char *)crlf.b_data + off, n) != 0 || mm_buf_puts(out, "\r\n") != 0)
			rc = MM_ETOOBIG;
	}
	mm_buf_free(&crlf);
	return rc;
}

/* Date: in Japan time, RFC 5322 §3.3: "Thu, 01 Apr 2027 09:00:00 +0900". */
static void
date_text(int64_t ms, char *out, size_t n)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	    "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)(ms / 1000 + 9 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0900", days[tm.tm_wday], tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
mail_build(const struct mail_message *msg, struct mm_buf *out, struct mm_err *err)
{
	unsigned char id[16];
	char date[64], idhex[33];

	if (msg == NULL || out == NULL || msg->subject == NULL || msg->body == NULL)
		return mm_err_set(err, MM_EINVAL, "", "mail_build: missing arguments");
	if (!mm_email_ok(msg->from))
		return mm_err_set(err, MM_EINVAL, "from", "the sender is not an e-mail address");
	if (!mm_email_ok(msg->to))
		return mm_err_set(err, MM_EINVAL, "to", "the recipient is not an e-mail address");
	if (strlen(msg->subject) > MAIL_SUBJECT_MAX || mm_utf8_check(msg->subject, strlen(msg->subject), 0) < 0 ||
	    strpbrk(msg->subject, "\r\n\t") != NULL)
		return mm_err_set(err, MM_EINVAL, "subject", "the subject must be one line of UTF-8 text");
	if (strlen(msg->body) > MAIL_BODY_MAX || mm_utf8_check(msg->body, strlen(msg->body), 1) < 0)
		return mm_err_set(err, MM_EINVAL, "body", "the body must be UTF-8 text of at most %d bytes",
		    MAIL_BODY_MAX);
	randombytes_buf(id, sizeof(id));
	mm_hex_encode(idhex, id, sizeof(id));
	date_text(msg->date_ms, date, sizeof(date));
	if (mm_buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@%s>\r\n", date, msg->from,
	        msg->to, idhex, strchr(msg->from, '@') + 1) != 0 ||
	    put_subject(out, msg->subject) != 0 ||
	    mm_buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                     "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n") != 0 ||
	    put_body(out, msg->body) != 0)
		return mm_err_set(err, MM_ETOOBIG, "body", "the message is larger than %zu bytes", out->b_max);
	return 0;
}
