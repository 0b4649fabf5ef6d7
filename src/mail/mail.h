/*
 * Sending e-mail (docs/internals/reminders.md): an RFC 5322 message in UTF-8 built here, handed to
 * an SMTP server by libcurl. mamori only ever sends plain-text notices to its own people; nothing a
 * mail carries may be a secret (no password, no My Number).
 */
#ifndef MM_MAIL_H
#define MM_MAIL_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

#define MAIL_SUBJECT_MAX 400      /* bytes of UTF-8 */
#define MAIL_BODY_MAX (256 * 1024) /* bytes of UTF-8 */
#define MAIL_MESSAGE_MAX (400 * 1024)

/* One message to one recipient. Addresses must pass mm_email_ok(). */
struct mail_message {
	const char *from;
	const char *to;
	const char *subject; /* UTF-8, one line */
	const char *body;    /* UTF-8, lines ending in \n */
	int64_t date_ms;     /* the Date header, written in Japan time (+0900) */
};

/*
 * Builds the message text into out (initialised by the caller with a maximum of at least
 * MAIL_MESSAGE_MAX): Date, From, To, Subject (RFC 2047 base64 encoded words when not ASCII),
 * Message-ID (random, at the sender's domain), MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64 and the body in base64 lines of 76 characters; CRLF line ends.
 * MM_EINVAL for a bad address or text that is not UTF-8 (or a subject with a line break).
 */
int mail_build(const struct mail_message *msg, struct mm_buf *out, struct mm_err *err);

/* Where and how to send. */
struct mail_server {
	const char *url;      /* smtp://host[:port] or smtps://host[:port] */
	const char *user;     /* SMTP AUTH user, or NULL */
	const char *password; /* SMTP AUTH password, or NULL; never logged */
	long timeout_s;       /* the whole transfer */
};

/*
 * 1 when the URL's host is this machine (localhost, 127.0.0.0/8, ::1): the only case in which
 * smtp:// may go without STARTTLS.
 */
int mail_host_is_local(const char *url);

/*
 * Sends the built message data (len bytes) from `from` to `to` through srv. TLS is required (for
 * smtp:// by STARTTLS, with certificate checks) unless the host is local. MM_EIO with libcurl's
 * reason (never an address or the password) when the server refuses or cannot be reached.
 */
int mail_send(const struct mail_server *srv, const char *from, const char *to, const char *data,
    size_t len, struct mm_err *err);

#endif
