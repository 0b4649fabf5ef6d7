/* Appending events to the chain, inside the caller's transaction. */
#include "audit/audit.h"
#include "base/str.h"
#include "base/time.h"

#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static int
check_text(const char *name, const char *v, size_t max, struct mm_err *err)
{
	size_t len;

	if (v == NULL || *v == '\0')
		return mm_err_set(err, MM_EINVAL, name, "audit event field %s is required", name);
	len = strlen(v);
	if (len > max || mm_utf8_check(v, len, 1) < 0)
		return mm_err_set(err, MM_EINVAL, name, "audit event field %s must be UTF-8 text of at most %zu bytes",
		    name, max);
	return 0;
}

/* Reads the newest event's number and hash (0 and the genesis hash for an empty trail). */
static int
read_head(struct store *st, int64_t *seq, char head[AUDIT_HASH_HEX], struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1", &s,
	    err)) != 0)
		return rc;
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		*seq = store_col_int(s, 0);
		mm_strlcpy(head, store_col_text(s, 1) ? store_col_text(s, 1) : "", AUDIT_HASH_HEX);
		rc = 0;
	} else if (rc == STORE_DONE) {
		*seq = 0;
		memcpy(head, GENESIS, AUDIT_HASH_HEX);
		rc = 0;
	}
	store_finalize(s);
	return rc;
}

/* Is a checkpoint due after event seq? */
static int
seal_due(struct store *st, const struct audit_sealer *sl, int64_t seq, int64_t now, int *due,
    struct mm_err *err)
{
	struct store_stmt *s;
	int64_t last_events = 0, last_ms = 0; /* last_ms 0: no checkpoint yet */
	int rc;

	*due = 0;
	if (sl == NULL || sl->as_secret_key == NULL || (sl->as_every_events <= 0 && sl->as_every_ms <= 0))
		return 0;
	if ((rc = store_prepare(st,
	    "SELECT events, created_at FROM audit_checkpoint ORDER BY id DESC LIMIT 1", &s, err)) != 0)
		return rc;
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		last_events = store_col_int(s, 0);
		if (mm_time_parse(store_col_text(s, 1), &last_ms) != 0)
			last_ms = 0;
		rc = 0;
	} else if (rc == STORE_DONE) {
		rc = 0;
	}
	store_finalize(s);
	if (rc != 0)
		return rc;
	if (sl->as_every_events > 0 && seq - last_events >= sl->as_every_events)
		*due = 1;
	/* a trail without any checkpoint is sealed at once, which starts the clock */
	if (sl->as_every_ms > 0 && (last_ms == 0 || now - last_ms >= sl->as_every_ms))
		*due = 1;
	return 0;
}

int
audit_append(struct store *st, const struct audit_event *ev, const struct audit_sealer *sealer,
    int64_t *seq_out, struct mm_err *err)
{
	struct store_stmt *s = NULL;
	struct audit_row row;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX], started[MM_TIME_STRLEN], ended[MM_TIME_STRLEN];
	int64_t seq, now;
	int rc, due;

	if (!store_in_transaction(st))
		return mm_err_set(err, MM_ESTORE, "", "audit_append needs the caller's transaction");
	if ((rc = check_text("actor", ev->actor, 200, err)) != 0 ||
	    (rc = check_text("action", ev->action, 100, err)) != 0 ||
	    (rc = check_text("target_type", ev->target_type, 100, err)) != 0 ||
	    (rc = check_text("target_id", ev->target_id, 200, err)) != 0 ||
	    (rc = check_text("outcome", ev->outcome, 40, err)) != 0 ||
	    (rc = check_text("client", ev->client, 100, err)) != 0 ||
	    (ev->details && (rc = check_text("details", ev->details, AUDIT_DETAILS_MAX, err)) != 0))
		return rc;
	if ((rc = read_head(st, &seq, prev, err)) != 0)
		return rc;
	now = mm_now_ms();
	mm_time_format(ev->started_ms ? ev->started_ms : now, started);
	mm_time_format(now, ended);
	row = (struct audit_row){
	    .seq = seq + 1,
	    .started_at = started,
	    .ended_at = ended,
	    .actor = ev->actor,
	    .action = ev->action,
	    .target_type = ev->target_type,
	    .target_id = ev->target_id,
	    .access = audit_access_name(ev->access),
	    .outcome = ev->outcome,
	    .client = ev->client,
	    .details = ev->details ? ev->details : "{}",
	    .prev_hash = prev,
	};
	audit_row_hash(&row, hash);
	if ((rc = store_prepare(st,
	    "INSERT INTO audit_event (seq, started_at, ended_at, actor, action, target_type, target_id,"
	    " access, outcome, client, details, prev_hash, hash)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", row.seq);
	store_bind_text(s, "$2", row.started_at);
	store_bind_text(s, "$3", row.ended_at);
	store_bind_text(s, "$4", row.actor);
	store_bind_text(s, "$5", row.action);
	store_bind_text(s, "$6", row.target_type);
	store_bind_text(s, "$7", row.target_id);
	store_bind_text(s, "$8", row.access);
	store_bind_text(s, "$9", row.outcome);
	store_bind_text(s, "$10", row.client);
	store_bind_text(s, "$11", row.details);
	store_bind_text(s, "$12", row.prev_hash);
	store_bind_text(s, "$13", hash);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = seal_due(st, sealer, row.seq, now, &due, err)) != 0)
		return rc;
	if (due) {
		struct audit_checkpoint cp;
		if ((rc = audit_checkpoint_make(st, sealer->as_secret_key, &cp, err)) != 0)
			return rc;
	}
	if (seq_out)
		*seq_out = row.seq;
	return 0;
}
