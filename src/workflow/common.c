/* Dates and states of duties, shared by the calendar, the deadlines and the violations. */
#include "workflow/internal.h"
#include "base/time.h"
#include "registers/registers.h"

#include <stdio.h>
#include <string.h>

void
wf__today(int64_t ms, char out[WF_DATE_LEN])
{
	char t[MM_TIME_STRLEN];

	mm_time_format(ms + MM_LOCAL_OFFSET_MS, t);
	snprintf(out, WF_DATE_LEN, "%.10s", t);
}

int
wf__date_add(const char *date, struct policy_duration d, int sign, char out[WF_DATE_LEN])
{
	char t[MM_TIME_STRLEN];
	int64_t ms;

	out[0] = '\0';
	/* a bare date parses as midnight UTC: calendar arithmetic without any time zone */
	if (date == NULL || strlen(date) != 10 || mm_time_parse(date, &ms) != 0)
		return MM_EINVAL;
	d.n *= sign < 0 ? -1 : 1;
	mm_time_format(policy_add(ms, d), t);
	snprintf(out, WF_DATE_LEN, "%.10s", t);
	return 0;
}

const char *
wf__state(const struct policy *p, const char *due, const char *due_from, int64_t now, int done)
{
	int64_t overdue_at, from_ms;
	char from[WF_DATE_LEN];
	struct policy_duration soon = {0, POLICY_DAYS};

	if (!policy_is_unset(p, POLICY_CYCLE_DUE_SOON))
		soon = policy_duration(p, POLICY_CYCLE_DUE_SOON);
	if (strlen(due) == 10) {
		if (mm_local_date_start(due, &overdue_at) != 0)
			return "upcoming";
		overdue_at += 86400000LL;
		if (due_from == NULL && wf__date_add(due, soon, -1, from) == 0)
			due_from = from;
		if (due_from == NULL || mm_local_date_start(due_from, &from_ms) != 0)
			from_ms = overdue_at - 86400000LL;
	} else {
		if (mm_time_parse(due, &overdue_at) != 0)
			return "upcoming";
		soon.n = -soon.n;
		from_ms = policy_add(overdue_at, soon);
		overdue_at++; /* overdue once the time has passed */
	}
	if (now >= overdue_at)
		return "overdue";
	if (now >= from_ms)
		return "due";
	return done ? "done" : "upcoming";
}

int
wf__can_read(const struct principal *pr, const char *reg)
{
	const struct reg_def *d = registers_find(reg);

	return d != NULL && reg_allowed(d, pr, 0);
}

json_t *
wf__target(const char *reg, int64_t id, const char *title)
{
	return json_pack("{s:s, s:I, s:s}", "register", reg, "id", (json_int_t)id, "title", title ? title : "");
}

json_t *
wf__duty_item(const char *code, const char *kind, const char *title_ja, const char *title_en,
    enum role owner, const char *due, const char *state, const char *source)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", code, "kind", kind,
	    "title", title_ja, "title_en", title_en, "owner", role_key(owner), "owner_label",
	    role_label_ja(owner), "due", due, "state", state, "source", source);
}

void
wf__vendor_next(const struct policy *p, const char *next, const char *evaluated, char out[WF_DATE_LEN])
{
	out[0] = '\0';
	if (next != NULL)
		snprintf(out, WF_DATE_LEN, "%s", next);
	else if (evaluated != NULL && !policy_is_unset(p, POLICY_CYCLE_VENDOR_REVIEW))
		wf__date_add(evaluated, policy_duration(p, POLICY_CYCLE_VENDOR_REVIEW), 1, out);
}

unsigned
wf__roles(const struct policy *p, enum policy_key k)
{
	unsigned roles = 0;

	if (policy_is_unset(p, k))
		return 0;
	for (int r = 0; r < ROLE_COUNT; r++)
		if (policy_list_has(p, k, role_key((enum role)r)))
			roles |= 1u << r;
	return roles;
}

void
wf__set_owner(json_t *item, unsigned roles, enum policy_key key, const char *source)
{
	json_t *owners = json_array();
	char label[256] = "", where[96];
	const char *first = NULL;
	size_t len = 0;

	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!(roles & (1u << r)))
			continue;
		/* labels are short and there are ten roles: label always has room */
		len += (size_t)snprintf(label + len, sizeof(label) - len, "%s%s", first ? "、" : "",
		    role_label_ja((enum role)r));
		if (len >= sizeof(label))
			len = sizeof(label) - 1;
		if (first == NULL)
			first = role_key((enum role)r);
		json_array_append_new(owners, json_string(role_key((enum role)r)));
	}
	snprintf(where, sizeof(where), "[%s] %s", policy_key_section(key), policy_key_name(key));
	json_object_set_new(item, "owner", first ? json_string(first) : json_null());
	json_object_set_new(item, "owner_label", json_string(label));
	json_object_set_new(item, "owners", owners);
	json_object_set_new(item, "owner_key", json_string(where));
	json_object_set_new(item, "owner_source", json_string(source ? source : ""));
}

int
wf__reported_as_violation(const char *code)
{
	static const char *const codes[] = {"takeout_return", "key_return", "vendor_evaluation",
	    "mynumber_retention"};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i], code) == 0)
			return 1;
	return 0;
}
