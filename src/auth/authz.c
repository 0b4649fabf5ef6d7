#include "auth/authz.h"

#include <string.h>

static const struct {
	const char *key, *ja, *en;
} roles[ROLE_COUNT] = {
    [ROLE_CEO] = {"ceo", "代表取締役", "CEO"},
    [ROLE_SECURITY_OFFICER] = {"security_officer", "情報セキュリティ責任者", "Security officer"},
    [ROLE_SYSADMIN] = {"sysadmin", "システム管理者", "System administrator"},
    [ROLE_MYNUMBER_MANAGER] = {"mynumber_manager", "事務取扱責任者", "My Number manager"},
    [ROLE_MYNUMBER_HANDLER] = {"mynumber_handler", "事務取扱担当者", "My Number handler"},
    [ROLE_DEPT_HEAD] = {"dept_head", "部門長", "Department head"},
    [ROLE_INCIDENT_LEAD] = {"incident_lead", "インシデント対応責任者", "Incident lead"},
    [ROLE_EDUCATION_LEAD] = {"education_lead", "教育責任者", "Education lead"},
    [ROLE_AUDITOR] = {"auditor", "監査・点検責任者", "Auditor"},
    [ROLE_EMPLOYEE] = {"employee", "従業員", "Employee"},
};

static const char *const perms[PERM_COUNT] = {
    [PERM_SELF] = "self",
    [PERM_PEOPLE_READ] = "people.read",
    [PERM_PEOPLE_WRITE] = "people.write",
    [PERM_ACCOUNTS_READ] = "accounts.read",
    [PERM_ACCOUNTS_ISSUE] = "accounts.issue",
    [PERM_ACCOUNTS_MANAGE] = "accounts.manage",
    [PERM_ROLES_ASSIGN] = "roles.assign",
    [PERM_JOURNAL_READ] = "journal.read",
    [PERM_JOURNAL_WRITE] = "journal.write",
    [PERM_AUDIT_READ] = "audit.read",
    [PERM_AUDIT_CHECKPOINT] = "audit.checkpoint",
    [PERM_POLICY_READ] = "policy.read",
    [PERM_REGISTERS] = "registers",
    [PERM_MYNUMBER_LIST] = "mynumber.list",
    [PERM_MYNUMBER_COLLECT] = "mynumber.collect",
    [PERM_MYNUMBER_REVEAL] = "mynumber.reveal",
    [PERM_MYNUMBER_MANAGE] = "mynumber.manage",
    [PERM_MYNUMBER_REPORT] = "mynumber.report",
    [PERM_CHECK_READ] = "check.read",
    [PERM_DUTIES_READ] = "duties.read",
    [PERM_DUTIES_COMPLETE] = "duties.complete",
    [PERM_APPROVALS] = "approvals",
    [PERM_APPROVALS_ALL] = "approvals.all",
};

#define R(r) (1u << (r))
#define MANAGERS (R(ROLE_CEO) | R(ROLE_SECURITY_OFFICER))
#define READERS (MANAGERS | R(ROLE_SYSADMIN) | R(ROLE_AUDITOR))

/*
 * The table. Sources: 004 ch5 §3 (accounts by 代表取締役 or 情報セキュリティ責任者), ch5 §4 (the system
 * administrator disables accounts), 001 システム管理規程 §4.1 and §4.11 (the system administrator
 * keeps the account ledger and the operation journal), design.md (auditor reads everything).
 */
static const unsigned table[PERM_COUNT] = {
    [PERM_SELF] = ~0u,
    [PERM_PEOPLE_READ] = READERS | R(ROLE_DEPT_HEAD),
    [PERM_PEOPLE_WRITE] = MANAGERS | R(ROLE_SYSADMIN),
    [PERM_ACCOUNTS_READ] = READERS,
    [PERM_ACCOUNTS_ISSUE] = 0, /* from the profile */
    [PERM_ACCOUNTS_MANAGE] = R(ROLE_SECURITY_OFFICER) | R(ROLE_SYSADMIN),
    [PERM_ROLES_ASSIGN] = MANAGERS,
    [PERM_JOURNAL_READ] = READERS,
    [PERM_JOURNAL_WRITE] = R(ROLE_SYSADMIN) | R(ROLE_SECURITY_OFFICER),
    [PERM_AUDIT_READ] = MANAGERS | R(ROLE_AUDITOR),
    [PERM_AUDIT_CHECKPOINT] = R(ROLE_SECURITY_OFFICER) | R(ROLE_AUDITOR),
    [PERM_POLICY_READ] = ~0u,
    [PERM_REGISTERS] = ~0u,
    /* 003 §7.1, 004 ch4 §5.4: only the handlers handle numbers; the manager oversees; the auditor reads masked */
    [PERM_MYNUMBER_LIST] = R(ROLE_MYNUMBER_HANDLER) | R(ROLE_MYNUMBER_MANAGER) | R(ROLE_AUDITOR),
    [PERM_MYNUMBER_COLLECT] = R(ROLE_MYNUMBER_HANDLER),
    [PERM_MYNUMBER_REVEAL] = R(ROLE_MYNUMBER_HANDLER),
    [PERM_MYNUMBER_MANAGE] = R(ROLE_MYNUMBER_MANAGER),
    [PERM_MYNUMBER_REPORT] = ~0u,
    /* the duties calendar: the owners of duties (src/workflow/duties.c) read and complete them */
    [PERM_CHECK_READ] = READERS,
    [PERM_DUTIES_READ] = READERS | R(ROLE_MYNUMBER_MANAGER) | R(ROLE_EDUCATION_LEAD),
    [PERM_DUTIES_COMPLETE] = R(ROLE_SECURITY_OFFICER) | R(ROLE_SYSADMIN) | R(ROLE_MYNUMBER_MANAGER) |
        R(ROLE_EDUCATION_LEAD) | R(ROLE_AUDITOR),
    /* the approval engine: anyone requests; the route's roles decide (src/workflow/approvals.c) */
    [PERM_APPROVALS] = ~0u,
    [PERM_APPROVALS_ALL] = MANAGERS | R(ROLE_AUDITOR),
};

const char *
role_key(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].key : "";
}

const char *
role_label_ja(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].ja : "";
}

const char *
role_label_en(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].en : "";
}

int
role_from_key(const char *key)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(roles[r].key, key) == 0)
			return r;
	return -1;
}

const char *
perm_key(enum perm p)
{
	return (unsigned)p < PERM_COUNT ? perms[p] : "";
}

int
roles_privileged(const struct policy *p, unsigned mask)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((mask & R(r)) && policy_list_has(p, POLICY_ACCOUNT_PRIVILEGED_ROLES, roles[r].key))
			return 1;
	return 0;
}

int
authz_role_has(enum role r, enum perm p, const struct policy *pol)
{
	if ((unsigned)r >= ROLE_COUNT || (unsigned)p >= PERM_COUNT)
		return 0;
	if (p == PERM_ACCOUNTS_ISSUE)
		return policy_list_has(pol, POLICY_ACCOUNT_ISSUANCE_APPROVERS, roles[r].key);
	return (table[p] & R(r)) != 0;
}

int
authz_check(const struct principal *who, enum perm p, const struct policy *pol)
{
	if (who == NULL || (unsigned)p >= PERM_COUNT)
		return 0;
	if (who->pr_local_operator)
		return 1;
	if (who->pr_account_id <= 0)
		return 0;
	if (who->pr_restricted)
		return p == PERM_SELF;
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((who->pr_roles & R(r)) && authz_role_has((enum role)r, p, pol))
			return 1;
	return 0;
}
