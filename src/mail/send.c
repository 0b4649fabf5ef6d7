/* Handing a message to an SMTP server with libcurl (smtp:// with STARTTLS, or smtps://). */
#include "mail/mail.h"
#include "base/str.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

struct upload {
	const char *u_data;
	size_t u_len, u_off;
};

/* CURLOPT_READFUNCTION: the next part of the message. */
static size_t
read_part(char *dst, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->u_len - u->u_off)
		n = u->u_len - u->u_off;
	memcpy(dst, u->u_data + u->u_off, n);
	u->u_off += n;
	return n;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void
global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
mail_host_is_local(const char *url)
{
	CURLU *u = curl_url();
	struct in_addr v4;
	char *host = NULL;
	int local = 0;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		local = strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
		    (inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
	curl_free(host);
	curl_url_cleanup(u);
	return local;
}

int
mail_send(const struct mail_server *srv, const char *from, const char *to, const char *data,
    size_t len, struct mm_err *err)
{
	struct upload up = {.u_data = data, .u_len = len};
	struct curl_slist *rcpt = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", addr[300];
	CURLcode cc;
	CURL *c;
	int rc = 0;

	if (srv == NULL || srv->url == NULL || data == NULL || !mm_email_ok(from) || !mm_email_ok(to))
		return mm_err_set(err, MM_EINVAL, "", "mail_send: a server URL and two addresses are needed");
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK || (c = curl_easy_init()) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "cannot start libcurl");
	snprintf(addr, sizeof(addr), "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, addr)) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto out;
	}
	snprintf(addr, sizeof(addr), "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, srv->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_part);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* the server's scheduler runs it in a thread */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, srv->timeout_s > 0 ? srv->timeout_s : 60L);
	/* the company's mail server over the network: TLS or nothing (STARTTLS for smtp://) */
	if (!mail_host_is_local(srv->url))
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (srv->user && srv->password) {
		curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, srv->password);
	}
	if ((cc = curl_easy_perform(c)) != CURLE_OK)
		rc = mm_err_set(err, MM_EIO, "smtp_url", "sending failed: %s",
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc;
}
