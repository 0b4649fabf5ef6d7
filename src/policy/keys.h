/*
 * Every key a policy profile must set. X(id, section, name, type, min, max, meaning).
 * Numbers the regulations set live in profiles/, never in code; this list only says which keys
 * exist, their type and their sane range. Types: INT, BOOL, DURATION (5min, 6h, 1d, 2w, 3mo, 1y),
 * CLASSES (upper,lower,letter,digit,symbol), ROLES (comma-separated role keys), LOGINS, TEXT,
 * SMTPURL (smtp://host[:port] or smtps://..., never with a user or password), ADDRESS (an e-mail
 * address), CLOCK (HH:MM, Japan time), WORD (printable ASCII without spaces).
 * Any key may be `unset` where the regulation leaves the value blank (e.g. 000 【６】 〇年間).
 */
#ifndef MM_POLICY_KEYS_H
#define MM_POLICY_KEYS_H

#define POLICY_PASSWORD_KEYS(X, ID, SEC)                                                          \
	X(ID##_MIN_LENGTH, SEC, "min_length", INT, 4, 128, "minimum length")                        \
	X(ID##_REQUIRED_CLASSES, SEC, "required_classes", CLASSES, 0, 0, "character classes counted") \
	X(ID##_MIN_CLASSES, SEC, "min_classes", INT, 0, 4, "how many of those classes are required") \
	X(ID##_FORBID_PERSONAL, SEC, "forbid_personal", BOOL, 0, 1,                                 \
	    "refuse name, employee number, phone and birthday")                                     \
	X(ID##_FORBID_DICTIONARY, SEC, "forbid_dictionary", BOOL, 0, 1, "refuse dictionary words")  \
	X(ID##_HISTORY, SEC, "history", DURATION, 0, 0, "no reuse of passwords used within")        \
	X(ID##_HISTORY_COUNT, SEC, "history_count", INT, 0, 100, "no reuse of the last N passwords")  \
	X(ID##_MAX_AGE, SEC, "max_age", DURATION, 0, 0, "password must be changed after")           \
	X(ID##_CHANGE_INITIAL, SEC, "change_initial", BOOL, 0, 1,                                   \
	    "an issued or reset password must be changed first")

#define POLICY_LOCKOUT_KEYS(X, ID, SEC)                                                          \
	X(ID##_THRESHOLD, SEC, "threshold", INT, 1, 100, "failed logins that lock the account")      \
	X(ID##_DURATION, SEC, "duration", DURATION, 0, 0, "how long the account stays locked")

#define POLICY_KEYS(X)                                                                           \
	X(PROFILE_NAME, "profile", "name", TEXT, 1, 64, "profile name")                              \
	X(PROFILE_TITLE, "profile", "title", TEXT, 1, 200, "profile title")                          \
	POLICY_PASSWORD_KEYS(X, PASSWORD_GENERAL, "password.general")                                \
	POLICY_PASSWORD_KEYS(X, PASSWORD_PRIVILEGED, "password.privileged")                          \
	POLICY_LOCKOUT_KEYS(X, LOCKOUT_GENERAL, "lockout.general")                                   \
	POLICY_LOCKOUT_KEYS(X, LOCKOUT_PRIVILEGED, "lockout.privileged")                             \
	X(SESSION_IDLE_TIMEOUT, "session", "idle_timeout", DURATION, 0, 0, "idle session ends after") \
	X(SESSION_IDLE_WARNING, "session", "idle_warning", DURATION, 0, 0,                          \
	    "warn this long before the idle timeout")                                               \
	X(SESSION_LIFETIME, "session", "lifetime", DURATION, 0, 0, "a session ends after at most")   \
	X(ACCOUNT_REVOKE_DEADLINE, "account", "revoke_deadline", DURATION, 0, 0,                    \
	    "access of a leaver ends this long after the leave date")                              \
	X(ACCOUNT_DISABLE_UNUSED, "account", "disable_unused", DURATION, 0, 0,                      \
	    "disable accounts unused for")                                                          \
	X(ACCOUNT_PRIVILEGED_ROLES, "account", "privileged_roles", ROLES, 0, 0,                      \
	    "roles that make an account privileged")                                                \
	X(ACCOUNT_ISSUANCE_APPROVERS, "account", "issuance_approvers", ROLES, 0, 0,                 \
	    "roles that may approve a new account")                                                 \
	X(ACCOUNT_FORBIDDEN_LOGINS, "account", "forbidden_logins", LOGINS, 0, 0,                    \
	    "login names that are refused")                                                         \
	X(ACCOUNT_MFA_PRIVILEGED, "account", "mfa_privileged", BOOL, 0, 1,                          \
	    "privileged accounts need a second factor")                                             \
	X(ARGON2_OPSLIMIT, "argon2", "opslimit", INT, 1, 20, "Argon2id passes")                      \
	X(ARGON2_MEMLIMIT_MIB, "argon2", "memlimit_mib", INT, 8, 4096, "Argon2id memory (MiB)")      \
	X(RETENTION_AUDIT_TRAIL, "retention", "audit_trail", DURATION, 0, 0, "audit trail")          \
	X(RETENTION_ACCESS_LOG, "retention", "access_log", DURATION, 0, 0, "access logs")            \
	X(RETENTION_FIREWALL_LOG, "retention", "firewall_log", DURATION, 0, 0, "firewall logs")      \
	X(RETENTION_GATEWAY_LOG, "retention", "gateway_log", DURATION, 0, 0, "gateway logs")         \
	X(RETENTION_SERVER_LOG, "retention", "server_log", DURATION, 0, 0, "server and system logs") \
	X(RETENTION_JOURNAL, "retention", "journal", DURATION, 0, 0, "operation journal")            \
	X(CYCLE_LOG_REVIEW, "cycle", "log_review", DURATION, 0, 0, "review of access and firewall logs") \
	X(CYCLE_SECURITY_AUDIT, "cycle", "security_audit", DURATION, 0, 0, "security audit")         \
	X(CYCLE_MYNUMBER_INSPECTION, "cycle", "mynumber_inspection", DURATION, 0, 0,                \
	    "inspection of My Number handling")                                                     \
	X(CYCLE_HANDLER_TRAINING, "cycle", "handler_training", DURATION, 0, 0,                      \
	    "training of My Number handlers")                                                       \
	X(CYCLE_EDUCATION_PLAN, "cycle", "education_plan", DURATION, 0, 0, "education plan")         \
	X(CYCLE_ACCOUNT_REVIEW, "cycle", "account_review", DURATION, 0, 0,                          \
	    "review of accounts and access rights")                                                 \
	X(CYCLE_REGULATION_REVIEW, "cycle", "regulation_review", DURATION, 0, 0,                    \
	    "review of each regulation")                                                            \
	X(CYCLE_SERVER_INSPECTION, "cycle", "server_inspection", DURATION, 0, 0,                    \
	    "third-party server inspection")                                                        \
	X(CYCLE_VENDOR_REVIEW, "cycle", "vendor_review", DURATION, 0, 0, "re-evaluation of vendors")  \
	X(CYCLE_LAN_CHECK_AFTER, "cycle", "lan_check_after", DURATION, 0, 0,                        \
	    "check of a LAN connection after its approval")                                         \
	X(CYCLE_LAN_EXPIRY_NOTICE, "cycle", "lan_expiry_notice", DURATION, 0, 0,                    \
	    "notice before a LAN connection expires")                                               \
	X(CYCLE_DUE_SOON, "cycle", "due_soon", DURATION, 0, 0,                                      \
	    "a duty shows as due this long before its due date")                                    \
	X(CYCLE_EXPIRY_NOTICE, "cycle", "expiry_notice", DURATION, 0, 0,                            \
	    "notice before a licence, lease or warranty ends")                                      \
	X(CYCLE_LAN_DEPARTMENT_CHECK, "cycle", "lan_department_check", DURATION, 0, 0,              \
	    "check of each department's LAN connections")                                           \
	X(CYCLE_SECURITY_BRIEFING, "cycle", "security_briefing", DURATION, 0, 0,                    \
	    "general information security briefing")                                                \
	X(CYCLE_PC_USE_TRAINING, "cycle", "pc_use_training", DURATION, 0, 0,                        \
	    "training in the use of PCs")                                                           \
	X(CYCLE_MALWARE_TRAINING, "cycle", "malware_training", DURATION, 0, 0,                      \
	    "training on malware and cyber attacks")                                                \
	X(CYCLE_SNS_TRAINING, "cycle", "sns_training", DURATION, 0, 0,                              \
	    "training in the use of social media")                                                  \
	X(CYCLE_SNS_QUESTIONNAIRE, "cycle", "sns_questionnaire", DURATION, 0, 0,                    \
	    "questionnaire on social-media problems")                                               \
	X(CYCLE_RISK_CYCLE_CHECK, "cycle", "risk_cycle_check", DURATION, 0, 0,                      \
	    "check that the risk-management cycle works")                                           \
	X(CYCLE_RISK_QUESTIONNAIRE, "cycle", "risk_questionnaire", DURATION, 0, 0,                  \
	    "questionnaire on risk management")                                                     \
	X(CYCLE_VULNERABILITY_REPORT, "cycle", "vulnerability_report", DURATION, 0, 0,              \
	    "regular report of medium and low vulnerabilities")                                     \
	X(CYCLE_QUALIFICATION_PLAN, "cycle", "qualification_plan", DURATION, 0, 0,                  \
	    "plan of security qualifications (staff development)")                                  \
	X(VIOLATION_LEAVER_ACCOUNT, "violation", "leaver_account", ROLES, 0, 0,                     \
	    "who disables a leaver's mamori account")                                               \
	X(VIOLATION_LEAVER_USER_ID, "violation", "leaver_user_id", ROLES, 0, 0,                     \
	    "who disables a leaver's user id")                                                      \
	X(VIOLATION_PRIVILEGED_ID_SHARED, "violation", "privileged_id_shared", ROLES, 0, 0,         \
	    "who puts right a shared privileged id")                                                \
	X(VIOLATION_PRIVILEGED_ID_NAME, "violation", "privileged_id_name", ROLES, 0, 0,             \
	    "who renames a privileged id with a forbidden name")                                    \
	X(VIOLATION_SCREEN_LOCK, "violation", "screen_lock", ROLES, 0, 0,                           \
	    "who sets a device's screen lock within the limit")                                     \
	X(VIOLATION_KEY_OVERDUE, "violation", "key_overdue", ROLES, 0, 0,                           \
	    "who recovers a key or card past its return time")                                      \
	X(VIOLATION_SOFTWARE_UNPERMITTED, "violation", "software_unpermitted", ROLES, 0, 0,         \
	    "who permits or removes unpermitted software")                                          \
	X(VIOLATION_VENDOR_UNEVALUATED, "violation", "vendor_unevaluated", ROLES, 0, 0,             \
	    "who completes a vendor's evaluation")                                                  \
	X(VIOLATION_MYNUMBER_RETENTION, "violation", "mynumber_retention", ROLES, 0, 0,             \
	    "who has My Numbers past retention deleted")                                            \
	X(DEVICE_SCREEN_LOCK_PC, "device", "screen_lock_pc", DURATION, 0, 0,                        \
	    "longest screen-lock delay of a PC")                                                    \
	X(DEVICE_SCREEN_LOCK_SMART, "device", "screen_lock_smart", DURATION, 0, 0,                  \
	    "longest screen-lock delay of a smart device")                                          \
	X(TAKEOUT_APPROVER_CONFIDENTIAL, "takeout", "approver_confidential", ROLES, 0, 0,            \
	    "who approves taking out 社外秘 items")                                                  \
	X(TAKEOUT_APPROVER_SECRET, "takeout", "approver_secret", ROLES, 0, 0,                        \
	    "who approves taking out 極秘 items")                                                    \
	X(TAKEOUT_APPROVER_MYNUMBER, "takeout", "approver_mynumber", ROLES, 0, 0,                    \
	    "who approves taking out 特定個人情報")                                                  \
	X(APPROVAL_SOFTWARE_INSTALL, "approval", "software_install", ROLES, 0, 0,                  \
	    "who approves installing additional software or freeware")                             \
	X(APPROVAL_DEVICE_CONNECTION, "approval", "device_connection", ROLES, 0, 0,                \
	    "who approves connecting a device or medium")                                           \
	X(APPROVAL_PC_MODIFICATION, "approval", "pc_modification", ROLES, 0, 0,                    \
	    "who approves modifying a PC")                                                          \
	X(APPROVAL_MEDIA_COPY, "approval", "media_copy", ROLES, 0, 0, "who approves copying media") \
	X(APPROVAL_REMOTE_ACCESS_STEP1, "approval", "remote_access_step1", ROLES, 0, 0,            \
	    "remote access: the first approver")                                                    \
	X(APPROVAL_REMOTE_ACCESS_STEP2, "approval", "remote_access_step2", ROLES, 0, 0,            \
	    "remote access: the second approver (unset: one step)")                                 \
	X(APPROVAL_MYNUMBER_IT_ACCESS, "approval", "mynumber_it_access", ROLES, 0, 0,              \
	    "who approves IT-staff access to My Numbers")                                           \
	X(APPROVAL_MYNUMBER_DELETION, "approval", "mynumber_deletion", ROLES, 0, 0,                \
	    "who approves deleting My Numbers")                                                     \
	X(APPROVAL_VENDOR_SELECTION, "approval", "vendor_selection", ROLES, 0, 0,                  \
	    "who approves selecting a vendor")                                                      \
	X(APPROVAL_SUBCONTRACTING, "approval", "subcontracting", ROLES, 0, 0,                      \
	    "who approves subcontracting by a vendor")                                              \
	X(APPROVAL_REGULATION_EXCEPTION, "approval", "regulation_exception", ROLES, 0, 0,          \
	    "who approves an exception to a regulation")                                            \
	X(APPROVAL_LAN_CONNECTION, "approval", "lan_connection", ROLES, 0, 0,                      \
	    "who approves a LAN connection")                                                        \
	X(APPROVAL_DISPOSAL, "approval", "disposal", ROLES, 0, 0, "who approves a disposal")       \
	X(MYNUMBER_PURPOSES, "mynumber", "purposes", LOGINS, 0, 0,                                   \
	    "purposes of use of My Numbers (codes of docs/internals/vault.md)")                      \
	X(MYNUMBER_RETENTION_AFTER_USE, "mynumber", "retention_after_use", DURATION, 0, 0,           \
	    "keep a number this long after the end of the year its use ended")                      \
	X(MYNUMBER_KEEP_MASKED_STUB, "mynumber", "keep_masked_stub", BOOL, 0, 1,                     \
	    "keep the last four digits of a deleted number")                                        \
	X(MYNUMBER_DOCUMENT_IMAGES, "mynumber", "document_images", BOOL, 0, 1,                       \
	    "keep images of identity documents (encrypted, purged after confirmation)")              \
	X(MYNUMBER_IT_ACCESS_MAX, "mynumber", "it_access_max", DURATION, 0, 0,                       \
	    "longest IT-staff access the manager may grant")                                        \
	X(AUDIT_CHECKPOINT_EVENTS, "audit", "checkpoint_events", INT, 1, 1000000,                   \
	    "seal the audit trail every N events")                                                  \
	X(AUDIT_CHECKPOINT_INTERVAL, "audit", "checkpoint_interval", DURATION, 0, 0,                \
	    "seal the audit trail at least this often")                                             \
	X(MAIL_SMTP_URL, "mail", "smtp_url", SMTPURL, 0, 200,                                        \
	    "SMTP server of the reminders (STARTTLS required unless on this host)")                 \
	X(MAIL_SMTP_USER, "mail", "smtp_user", WORD, 1, 200,                                         \
	    "SMTP AUTH user (the password is keys/smtp.password, never here)")                     \
	X(MAIL_FROM, "mail", "from", ADDRESS, 0, 0, "sender address of the reminders")               \
	X(MAIL_DAILY_AT, "mail", "daily_at", CLOCK, 0, 0,                                            \
	    "when mamori serve sends the day's reminders (Japan time)")                             \
	X(MAIL_VIOLATIONS_TO, "mail", "violations_to", ROLES, 0, 0,                                  \
	    "roles sent a copy of every violation (each goes to its owner role)")

enum policy_key {
#define X(id, sec, name, type, min, max, meaning) POLICY_##id,
	POLICY_KEYS(X)
#undef X
	POLICY_KEY_COUNT
};

#endif
