/*
 * Roles (design.md) and the one deny-by-default authorisation check every API route and CLI
 * command goes through. docs/authorization.md is the table of which role may do what; a unit test
 * keeps the two in agreement.
 */
#ifndef MM_AUTHZ_H
#define MM_AUTHZ_H

#include "policy/policy.h"

#include <stdint.h>

enum role {
	ROLE_CEO,
	ROLE_SECURITY_OFFICER,
	ROLE_SYSADMIN,
	ROLE_MYNUMBER_MANAGER,
	ROLE_MYNUMBER_HANDLER,
	ROLE_DEPT_HEAD,
	ROLE_INCIDENT_LEAD,
	ROLE_EDUCATION_LEAD,
	ROLE_AUDITOR,
	ROLE_EMPLOYEE,
	ROLE_COUNT
};

enum perm {
	PERM_SELF,            /* own session, password and second factor: every signed-in account */
	PERM_PEOPLE_READ,
	PERM_PEOPLE_WRITE,
	PERM_ACCOUNTS_READ,
	PERM_ACCOUNTS_ISSUE,  /* granted by the profile's [account] issuance_approvers, not this table */
	PERM_ACCOUNTS_MANAGE, /* reset password, unlock, disable */
	PERM_ROLES_ASSIGN,
	PERM_JOURNAL_READ,
	PERM_JOURNAL_WRITE,
	PERM_AUDIT_READ,
	PERM_AUDIT_CHECKPOINT,
	PERM_POLICY_READ,
	PERM_REGISTERS,       /* the ledgers; each ledger's definition then names its readers and writers */
	PERM_MYNUMBER_LIST,   /* masked lists of the vault (IT staff also while a grant is in force) */
	PERM_MYNUMBER_COLLECT,
	PERM_MYNUMBER_REVEAL, /* a number in clear: also needs the purpose in the handler's scope */
	PERM_MYNUMBER_MANAGE,
	PERM_MYNUMBER_REPORT, /* report a number received by mistake */
	PERM_CHECK_READ,      /* overdue duties and violations (mamori check) */
	PERM_DUTIES_READ,     /* the duties calendar */
	PERM_DUTIES_COMPLETE, /* record a completion: then only the duty's owner role or security_officer */
	PERM_APPROVALS,       /* request, own inbox and requests; deciding then needs the step's role */
	PERM_APPROVALS_ALL,   /* every request of the approval engine */
	PERM_COUNT
};

/* Who is asking. Filled by the session (API) or as the local operator (CLI). */
struct principal {
	int64_t pr_account_id; /* 0 for the local operator */
	char pr_login[64];
	unsigned pr_roles;     /* bit (1 << role) */
	int pr_restricted;     /* must change the password or enrol MFA first: only PERM_SELF */
	int pr_local_operator; /* the CLI, which can read the data directory anyway */
};

const char *role_key(enum role r);     /* "security_officer" */
const char *role_label_ja(enum role r); /* 情報セキュリティ責任者 */
const char *role_label_en(enum role r);
/* The role for a key, or -1. */
int role_from_key(const char *key);

const char *perm_key(enum perm p); /* "people.read" */

/* 1 when any of the roles is in the profile's privileged_roles. */
int roles_privileged(const struct policy *p, unsigned roles);

/*
 * Deny by default: 1 when the principal may do p, else 0. A restricted principal may only do
 * PERM_SELF. PERM_ACCOUNTS_ISSUE follows the profile (issuance_approvers).
 */
int authz_check(const struct principal *who, enum perm p, const struct policy *pol);

/* 1 when the role holds the permission in the static table (for docs and tests). */
int authz_role_has(enum role r, enum perm p, const struct policy *pol);

#endif
