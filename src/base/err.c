#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
mm_err_set(struct mm_err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	err->rule[0] = err->msg_ja[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
mm_err_input(struct mm_err *err, const char *field, const char *rule, const char *ja,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return MM_EINVAL;
	err->code = MM_EINVAL;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	snprintf(err->rule, sizeof(err->rule), "%s", rule ? rule : "");
	snprintf(err->msg_ja, sizeof(err->msg_ja), "%s", ja ? ja : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return MM_EINVAL;
}

void
mm_err_clear(struct mm_err *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

const char *
mm_strerror(int code)
{
	switch (code) {
	case MM_OK: return "ok";
	case MM_EINVAL: return "invalid input";
	case MM_ENOMEM: return "out of memory";
	case MM_EIO: return "input/output error";
	case MM_ENOTFOUND: return "not found";
	case MM_EEXIST: return "already exists";
	case MM_EPERM: return "not permitted";
	case MM_ETOOBIG: return "too large";
	case MM_ESTORE: return "database error";
	case MM_ESCHEMA: return "database schema error";
	case MM_ECORRUPT: return "integrity check failed";
	case MM_EBUSY: return "busy";
	}
	return "unknown error";
}
