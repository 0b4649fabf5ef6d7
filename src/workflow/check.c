/*
 * The check (点検): the overdue duties and the violations at one moment, for `mamori check` and
 * GET /api/check (design.md: exit 0 when none, 3 when some).
 */
#include "workflow/internal.h"
#include "base/time.h"

#include <string.h>

int
check_run(struct mamori *m, struct store *st, const struct principal *pr, int64_t now, json_t **out,
    int64_t *findings, struct mm_err *err)
{
	json_t *calendar = NULL, *violations = NULL, *overdue, *item;
	int64_t hid_cal = 0, hid_vio = 0, n;
	char at[MM_TIME_STRLEN], today[WF_DATE_LEN];
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = duty_calendar(m, st, pr, now, &calendar, &hid_cal, err)) != 0)
		return rc;
	if ((rc = check_violations(m, st, pr, now, &violations, &hid_vio, err)) != 0) {
		json_decref(calendar);
		return rc;
	}
	overdue = json_array();
	json_array_foreach(calendar, i, item) {
		const char *code = json_string_value(json_object_get(item, "code"));
		/* an overdue return, evaluation or retention end is reported once: as a violation */
		if (strcmp(json_string_value(json_object_get(item, "state")), "overdue") == 0 &&
		    !wf__reported_as_violation(code))
			json_array_append(overdue, item);
	}
	json_decref(calendar);
	n = (int64_t)(json_array_size(overdue) + json_array_size(violations));
	mm_time_format(now, at);
	wf__today(now, today);
	/* hidden: violations on ledgers the caller may not read, counted so that none passes unseen */
	*out = json_pack("{s:s, s:s, s:o, s:o, s:I, s:I}", "checked_at", at, "today", today, "duties", overdue,
	    "violations", violations, "hidden", (json_int_t)hid_vio, "findings", (json_int_t)n);
	if (findings)
		*findings = n;
	return *out ? 0 : mm_err_set(err, MM_ENOMEM, "", "out of memory");
}
