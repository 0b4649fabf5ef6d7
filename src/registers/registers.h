/*
 * The register engine: one engine, many ledgers (台帳). Each ledger is a JSON definition in
 * src/registers/defs/ compiled into the binary; docs/internals/registers.md describes the format
 * and the API. Records travel as JSON objects of typed values ({"field": value}).
 */
#ifndef MM_REGISTERS_H
#define MM_REGISTERS_H

#include "auth/authz.h"
#include "base/buf.h"
#include "core/mamori.h"

#include <jansson.h>

enum reg_type {
	REG_TEXT,
	REG_TEXTAREA,
	REG_INTEGER,
	REG_BOOLEAN,
	REG_DATE,
	REG_DATETIME,
	REG_ENUM,
	REG_REF,
	REG_PERSON,
};

struct reg_choice {
	const char *value; /* the stored value; an integer field's choice points at num */
	const char *ja, *en;
	char num[24];
};

struct reg_field {
	const char *name;
	enum reg_type type;
	const char *label_ja, *label_en;
	const char *format; /* text: mac, ipv4, email, url; or NULL */
	const char *ref;    /* ref: the other ledger */
	int required, unique, computed, indexed;
	int has_min, has_max;
	int64_t min, max;   /* integer bounds */
	size_t maxlen;      /* text and textarea, in characters */
	struct reg_choice *choices;
	size_t nchoices;
};

struct reg_def;

/* Special behaviour of one ledger (src/registers/hooks/). Every member may be NULL. */
struct reg_ctx {
	struct mamori *m;
	struct store *st;
	const struct mm_actor *who;
	const struct principal *pr;
	const struct reg_def *def;
	int64_t now_ms;
};

struct reg_hooks {
	const char *name;
	/*
	 * Called inside the transaction with the record as it will be saved (rec: every field, typed
	 * values; old: the saved record or NULL for a new one). Sets computed fields and adds an error
	 * to errors (reg_error) for each rule broken.
	 */
	int (*before_save)(struct reg_ctx *x, json_t *rec, const json_t *old, json_t *errors,
	    struct mm_err *err);
	/* Called before a record is deleted; an error in errors refuses the deletion. */
	int (*before_delete)(struct reg_ctx *x, const json_t *old, json_t *errors, struct mm_err *err);
	/* The roles that may approve this record (bit 1 << role); 0: the record needs no approval. */
	unsigned (*approver_roles)(struct reg_ctx *x, const json_t *rec);
	/* Called inside the transaction after a new record is written (rec: as saved, with its id). */
	int (*after_create)(struct reg_ctx *x, const json_t *rec, struct mm_err *err);
};

struct reg_def {
	const char *name, *label_ja, *label_en, *source, *title, *sort;
	unsigned read_roles, write_roles; /* bit (1 << role) */
	struct reg_field *fields;
	size_t nfields;
	const char **search; /* field names, NULL-terminated */
	const char **filters;
	const char **list;
	const json_t *unique_together; /* array of arrays of field names, or NULL */
	/* [{type, by, on}]: an approved engine request of type on a record fills its person field by
	   with the approver and its date field on (optional) with the day (docs/internals/registers.md) */
	const json_t *approvals;
	const struct reg_hooks *hooks;
	json_t *json; /* the definition; owns every string above */
	char table[64];
};

/* Loads every built-in definition once (the first caller parses; later callers reuse). */
int registers_load(struct mm_err *err);
/* Makes or extends every ledger's table; at open, inside no transaction. */
int registers_sync(struct store *st, struct mm_err *err);
/* Checks one definition (for tests and tools); 0 or MM_EINVAL naming what is wrong. */
int reg_def_parse(json_t *j, struct reg_def *d, struct mm_err *err);
void reg_def_free(struct reg_def *d);

size_t registers_count(void);
const struct reg_def *registers_at(size_t i);
const struct reg_def *registers_find(const char *name);
const struct reg_field *reg_field_find(const struct reg_def *d, const char *name);

/* 1 when the principal may read (write = 0) or write the ledger. The local operator may do both. */
int reg_allowed(const struct reg_def *d, const struct principal *pr, int write);

/* The definition as the API shows it, with can_write for the principal. New reference. */
json_t *reg_schema_json(const struct reg_def *d, const struct principal *pr);

/* Appends {field, rule, message, message_ja} to errors. */
void reg_error(json_t *errors, const char *field, const char *rule, const char *ja, const char *en);
/* The same for a field, its label before each message ("機密性：…"); returns MM_EINVAL. */
int reg_field_error(json_t *errors, const struct reg_field *f, const char *rule, const char *ja, const char *en);

/*
 * Turns one input value into its typed, normalised form: *out is a new reference (json null for
 * empty). On a bad value adds the error to errors and returns MM_EINVAL.
 */
int reg_value_from_json(const struct reg_field *f, json_t *in, json_t **out, json_t *errors);
/* The same from text as typed into a spreadsheet cell (enum by label, はい/いいえ, 2026/04/01). */
int reg_value_from_text(struct reg_ctx *x, const struct reg_field *f, const char *in, json_t **out,
    json_t *errors);
/* The cell text of a value for export: enum → Japanese label, boolean → はい/いいえ. */
void reg_value_text(const struct reg_field *f, const json_t *v, const char *label, struct mm_buf *out);

/*
 * Creates (id 0) or updates a record from input (only the fields present change on update).
 * The caller holds the transaction (reg_save) or not (reg_create, reg_update, reg_delete, which
 * begin and commit their own). On bad input returns MM_EINVAL with *errors (new reference)
 * naming each field.
 */
int reg_save(struct reg_ctx *x, int64_t id, json_t *input, int64_t *out_id, json_t *errors,
    struct mm_err *err);
int reg_create(struct reg_ctx *x, json_t *input, int64_t *id, json_t **errors, struct mm_err *err);
int reg_update(struct reg_ctx *x, int64_t id, json_t *input, json_t **errors, struct mm_err *err);
int reg_delete(struct reg_ctx *x, int64_t id, struct mm_err *err);

/* One record with _labels; MM_ENOTFOUND when there is none. */
int reg_get(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err);
/* The record's changes, oldest first. */
int reg_history(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err);

/* What a list asks for. Filters: field name → value text (as in the query string). */
struct reg_query {
	const char *q;
	const char *sort;
	int64_t page, per_page; /* per_page 0: every row (export) */
	const char *filter_names[32];
	const char *filter_values[32];
	size_t nfilters;
};
typedef int (*reg_row_fn)(void *arg, json_t *rec);
/*
 * Lists the records of a query: {items, total, total_capped, page, per_page}. Bad query
 * parameters → MM_EINVAL. reg_list_write writes the JSON text straight into out (an empty buffer
 * whose maximum is REG_PAGE_MAX; what the API sends), reg_list gives the same as a jansson value.
 */
#define REG_PAGE_MAX ((size_t)256 * 1024 * 1024) /* as the export of a whole ledger */
int reg_list_write(struct reg_ctx *x, const struct reg_query *q, struct mm_buf *out, struct mm_err *err);
int reg_list(struct reg_ctx *x, const struct reg_query *q, json_t **out, struct mm_err *err);
/* Calls fn for each record of the query (every page), for export. */
int reg_each(struct reg_ctx *x, const struct reg_query *q, reg_row_fn fn, void *arg, struct mm_err *err);

/* Export of a query as CSV (cp932 or UTF-8 with BOM) or XLSX into out; audited as 出力. */
enum reg_format { REG_CSV, REG_XLSX };
int reg_export(struct reg_ctx *x, const struct reg_query *q, enum reg_format fmt, int cp932,
    struct mm_buf *out, struct mm_err *err);
/* Import of CSV bytes: every row or none. *errors names each bad row and field. */
int reg_import(struct reg_ctx *x, const char *data, size_t len, int64_t *imported, json_t **errors,
    struct mm_err *err);

/*
 * Approvals of the records that need one (the hook's approver_roles): the approver holds one of
 * the roles, is not the one who made the record, and decides "approved" or "rejected" with a
 * comment. The record is saved again so that its hook can take the decision in.
 */
int reg_decide(struct reg_ctx *x, int64_t id, const char *decision, const char *comment, json_t **errors,
    struct mm_err *err);
/* The decisions on a record, oldest first: [{decided_by, decided_at, approver_role, decision, comment}]. */
int reg_approvals(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err);
/*
 * The engine approved a request of type on record id (inside its transaction): the definition's
 * "approvals" entry of that type fills the approver's person (0: none, left as it is) and the
 * Japan date day. Nothing when the ledger names no such entry.
 */
int reg_approval_fill(struct reg_ctx *x, int64_t id, const char *type, int64_t person, const char *day,
    struct mm_err *err);
/*
 * The approval in force: the newest decision by one of roles (the record's approver roles now);
 * its time (0 when none, or when that decision was a rejection) and who made it.
 */
int reg_approved(struct reg_ctx *x, int64_t id, unsigned roles, int64_t *at_ms, char *by, size_t by_len,
    struct mm_err *err);

/* The hook sets by name (hooks.c). */
const struct reg_hooks *reg_hooks_find(const char *name);

#endif
