/* Unit tests of src/mail/: the RFC 5322 message mamori builds, and which hosts may skip TLS. */
#include "unit.h"

#include "base/buf.h"
#include "base/str.h"
#include "mail/mail.h"

#include <sodium.h>

static const char subject_ja[] = "[mamori] 期限超過 1 件・期限間近 0 件・違反 2 件（2027-05-02）";
static const char body_ja[] = "社員 1 様\n\n■ 期限超過の義務\n・アクセスログ・ファイアウォールログの点検（前月分）\n"
                              "  根拠: 000 【５】(ウ)\n";

static char *
build(const char *subject, const char *body, int expect_rc)
{
	struct mail_message msg = {.from = "mamori@example.co.jp", .to = "taro@example.co.jp",
	    .subject = subject, .body = body, .date_ms = 1806192000000LL /* 2027-03-28T00:00:00Z */};
	struct mm_err err = {0};
	struct mm_buf b;

	mm_buf_init(&b, MAIL_MESSAGE_MAX);
	assert_int_equal(mail_build(&msg, &b, &err), expect_rc);
	if (expect_rc != 0) {
		mm_buf_free(&b);
		return NULL;
	}
	return mm_buf_take(&b);
}

/* The header block: everything up to the empty line. */
static char *
headers_of(const char *m)
{
	const char *end = strstr(m, "\r\n\r\n");
	assert_non_null(end);
	return strndup(m, (size_t)(end - m) + 2);
}

/* Decodes base64 text (lines, or the payloads of encoded words joined) into out. */
static size_t
unbase64(const char *in, char *out, size_t n)
{
	size_t len = 0;
	assert_int_equal(sodium_base642bin((unsigned char *)out, n - 1, in, strlen(in), "\r\n", &len, NULL,
	                     sodium_base64_VARIANT_ORIGINAL), 0);
	out[len] = '\0';
	return len;
}

static void
test_headers(void **state)
{
	char *m = build(subject_ja, body_ja, 0), *h = headers_of(m);
	(void)state;
	/* Date in Japan time: 2027-03-28 00:00 UTC is a Sunday, 09:00 in Tokyo */
	assert_non_null(strstr(h, "Date: Sun, 28 Mar 2027 09:00:00 +0900\r\n"));
	assert_non_null(strstr(h, "From: mamori@example.co.jp\r\n"));
	assert_non_null(strstr(h, "To: taro@example.co.jp\r\n"));
	assert_non_null(strstr(h, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(h, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(h, "Content-Transfer-Encoding: base64\r\n"));
	/* Message-ID: random, at the sender's domain; two messages never share one */
	{
		char *id = strstr(h, "Message-ID: <"), *m2 = build(subject_ja, body_ja, 0), first[64];
		assert_non_null(id);
		assert_non_null(strstr(id, "@example.co.jp>\r\n"));
		assert_int_equal(strchr(id, '@') - id, strlen("Message-ID: <") + 32);
		snprintf(first, sizeof(first), "%.45s", id);
		assert_null(strstr(m2, first));
		free(m2);
	}
	/* every line ends in CRLF and none is longer than 78 characters (RFC 5322 §2.1.1) */
	for (const char *p = m, *nl; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		assert_true(nl - p <= 78);
	for (const char *p = m; *p; p++)
		if (*p == '\n')
			assert_int_equal(p[-1], '\r');
	free(h);
	free(m);
}

static void
test_subject_encoded_words(void **state)
{
	char *m = build(subject_ja, body_ja, 0), *h = headers_of(m), *s = strstr(h, "Subject: ");
	char decoded[1024], *p;
	(void)state;
	assert_non_null(s);
	/* only ASCII in the header; the words follow RFC 2047 and fold onto continuation lines */
	for (p = h; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	assert_non_null(strstr(s, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(s, "?=\r\n =?UTF-8?B?"));
	for (p = s; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
		char *end = strstr(p, "?=");
		char word[128];
		/* each word decodes on its own: no character is split between two words */
		assert_true(end - p + 2 <= 75);
		snprintf(word, sizeof(word), "%.*s", (int)(end - p - 10), p + 10);
		{
			char one[128];
			size_t n = unbase64(word, one, sizeof(one));
			assert_true(mm_utf8_check(one, n, 0) >= 0);
		}
		p = end + 2;
	}
	/* joining the decoded words gives the subject back */
	decoded[0] = '\0';
	for (p = s; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
		char *end = strstr(p, "?="), word[128], one[128];
		snprintf(word, sizeof(word), "%.*s", (int)(end - p - 10), p + 10);
		unbase64(word, one, sizeof(one));
		strcat(decoded, one);
		p = end + 2;
	}
	assert_string_equal(decoded, subject_ja);
	free(h);
	free(m);

	/* plain ASCII stays as it is */
	m = build("mamori reminders", "x\n", 0);
	assert_non_null(strstr(m, "\r\nSubject: mamori reminders\r\n"));
	free(m);
}

static void
test_body_base64_crlf(void **state)
{
	char *m = build(subject_ja, body_ja, 0), decoded[4096];
	const char *body = strstr(m, "\r\n\r\n") + 4;
	(void)state;
	/* base64 lines of at most 76 characters, decoding to the body with CRLF line ends */
	for (const char *p = body, *nl; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		assert_true(nl - p <= 76);
	unbase64(body, decoded, sizeof(decoded));
	assert_non_null(strstr(decoded, "社員 1 様\r\n\r\n■ 期限超過の義務\r\n"));
	assert_non_null(strstr(decoded, "根拠: 000 【５】(ウ)\r\n"));
	assert_null(strstr(decoded, "\n\n"));
	free(m);
}

static void
test_bad_input_refused(void **state)
{
	struct mail_message msg = {.from = "mamori@example.co.jp", .to = "taro@example.co.jp\r\nBcc: x@evil.example",
	    .subject = "s", .body = "b"};
	struct mm_err err = {0};
	struct mm_buf b;
	(void)state;
	mm_buf_init(&b, MAIL_MESSAGE_MAX);
	/* a header injection through an address or the subject */
	assert_int_equal(mail_build(&msg, &b, &err), MM_EINVAL);
	assert_string_equal(err.field, "to");
	msg.to = "taro@example.co.jp";
	msg.subject = "a\r\nBcc: x@evil.example";
	assert_int_equal(mail_build(&msg, &b, &err), MM_EINVAL);
	assert_string_equal(err.field, "subject");
	msg.subject = "s";
	msg.from = "<mamori@example.co.jp>";
	assert_int_equal(mail_build(&msg, &b, &err), MM_EINVAL);
	msg.from = "mamori@example.co.jp";
	msg.body = "\xff\xfe";
	assert_int_equal(mail_build(&msg, &b, &err), MM_EINVAL);
	assert_string_equal(err.field, "body");
	mm_buf_free(&b);
}

static void
test_addresses(void **state)
{
	(void)state;
	assert_true(mm_email_ok("taro.yamada+isms@example.co.jp"));
	assert_false(mm_email_ok("taro@example"));
	assert_false(mm_email_ok("@example.co.jp"));
	assert_false(mm_email_ok("taro@@example.co.jp"));
	assert_false(mm_email_ok("taro @example.co.jp"));
	assert_false(mm_email_ok("taro@example..jp"));
	assert_false(mm_email_ok("taro@example.jp."));
	assert_false(mm_email_ok("太郎@example.co.jp"));
	assert_false(mm_email_ok("a@b.c>\r\nRCPT TO:<x@y.z"));
	assert_false(mm_email_ok(""));
	assert_false(mm_email_ok(NULL));
}

static void
test_local_hosts(void **state)
{
	(void)state;
	assert_true(mail_host_is_local("smtp://127.0.0.1:2525"));
	assert_true(mail_host_is_local("smtp://localhost"));
	assert_true(mail_host_is_local("smtp://[::1]:25"));
	assert_false(mail_host_is_local("smtp://mail.example.co.jp:587"));
	/* a name that only looks like a loopback address is not one */
	assert_false(mail_host_is_local("smtp://127.example.co.jp:587"));
	assert_false(mail_host_is_local("smtp://localhost.example.co.jp"));
	assert_false(mail_host_is_local("smtps://10.0.0.5"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_subject_encoded_words),
	    cmocka_unit_test(test_body_base64_crlf),
	    cmocka_unit_test(test_bad_input_refused),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_local_hosts),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
