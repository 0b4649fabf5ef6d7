/*
 * Export of numbers (e.g. to the payroll office or for a submission): only for a handler, only for a
 * purpose in their scope, only as a ZIP encrypted with AES-256 under a generated password shown once
 * (to be handed over separately), recorded as an output in the 取扱記録簿 and as a take-out of
 * 特定個人情報 that the manager must approve before the file leaves (003 §6.4).
 */
#include "vault/vault.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/time.h"
#include "core/errors.h"
#include "registers/registers.h"
#include "registers/tabular.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#define EXPORT_MAX 20000 /* subjects in one file */

static int
in_scope(struct vault_ctx *x, const char *purpose, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if (x->pr->pr_local_operator)
		return 1;
	if ((rc = store_prepare(x->st, "SELECT 1 FROM mn_handler_scope WHERE account_id = $1 AND purpose = $2", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", x->pr->pr_account_id);
	store_bind_text(s, "$2", purpose);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : rc == STORE_ROW;
}

/* The subjects to export: the ids given, or every active subject with a number for the purpose. */
static int
targets(struct vault_ctx *x, const char *purpose, json_t *ids, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = json_array();
	if ((rc = store_prepare(x->st, "SELECT s.id, s.kind, s.name FROM mn_subject s JOIN mn_number n ON n.subject_id = s.id"
	    " JOIN mn_subject_purpose p ON p.subject_id = s.id AND p.purpose = $1 WHERE s.state = 'active' ORDER BY s.id",
	    &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", purpose);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int64_t id = store_col_int(s, 0);
		int wanted = json_array_size(ids) == 0;
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
			wanted |= json_integer_value(v) == id;
		if (wanted)
			json_array_append_new(*out, json_pack("[I, s, s]", (json_int_t)id, store_col_text(s, 1),
			    store_col_text(s, 2)));
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The CSV of the numbers (wiped by the caller). */
static int
csv_of(struct vault_ctx *x, json_t *rows, const char *purpose, struct mm_buf *csv, struct mm_err *err)
{
	static const char *const headers[] = {"対象者ID", "種別", "氏名", "利用目的", "番号"};
	static const enum tab_kind kinds[] = {TAB_NUMBER, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT};
	struct tab_table t = {.ncols = 5, .headers = headers, .kinds = kinds};
	char number[VAULT_NUMBER_MAX + 1], id[24];
	size_t i;
	json_t *r;
	int rc;

	if ((rc = csv_begin(csv, &t, 0, err)) != 0)
		return rc;
	json_array_foreach(rows, i, r) {
		const char *cells[5];
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_array_get(r, 0)));
		if ((rc = vault_open_number(x, json_integer_value(json_array_get(r, 0)), number, err)) != 0)
			return rc;
		cells[0] = id;
		cells[1] = json_string_value(json_array_get(r, 1));
		cells[2] = json_string_value(json_array_get(r, 2));
		cells[3] = purpose;
		cells[4] = number;
		rc = csv_row(csv, &t, i + 2, cells, 0, err);
		mm_wipe(number, sizeof(number));
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The ZIP (AES-256) of one CSV file, through a private temporary file. */
static int
zip_of(struct vault_ctx *x, const struct mm_buf *csv, const char *password, struct mm_buf *out, struct mm_err *err)
{
	char dir[4096], path[4200];
	zip_source_t *src;
	zip_int64_t idx;
	zip_t *za;
	int zerr = 0, rc;

	mm_path_join(dir, sizeof(dir), x->m->md_dir, "tmp");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return mm_err_set(err, MM_EIO, "", "cannot make %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/export-%lld-%d.zip", dir, (long long)mm_now_ms(), (int)getpid());
	if ((za = zip_open(path, ZIP_CREATE | ZIP_EXCL, &zerr)) == NULL)
		return mm_err_set(err, MM_EIO, "", "cannot create the export file (libzip error %d)", zerr);
	if ((src = zip_source_buffer(za, csv->b_data, csv->b_len, 0)) == NULL ||
	    (idx = zip_file_add(za, "mynumber.csv", src, ZIP_FL_ENC_UTF_8)) < 0 ||
	    zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, password) != 0) {
		if (src && zip_get_num_entries(za, 0) == 0)
			zip_source_free(src);
		zip_discard(za);
		unlink(path);
		return mm_err_set(err, MM_EIO, "", "cannot encrypt the export (AES-256 is not available in libzip)");
	}
	if (zip_close(za) != 0) {
		zip_discard(za);
		unlink(path);
		return mm_err_set(err, MM_EIO, "", "cannot write the export file");
	}
	chmod(path, 0600);
	rc = mm_fs_read(path, out, err);
	unlink(path);
	return rc;
}

/* The take-out book entry of the file: it leaves only after the manager's approval (003 §6.4). */
static int
takeout(struct vault_ctx *x, const char *filename, const char *destination, const char *purpose, int64_t *id,
    json_t *errors, struct mm_err *err)
{
	struct principal pr = {.pr_local_operator = 1};
	struct reg_ctx rx = {.m = x->m, .st = x->st, .who = x->who, .pr = &pr, .def = registers_find("takeouts"),
	    .now_ms = mm_now_ms()};
	char no[48], item[200], day[MM_TIME_STRLEN];
	struct store_stmt *s;
	int64_t person = 0;
	json_t *rec;
	int rc;

	*id = 0;
	if (rx.def == NULL)
		return 0;
	if ((rc = store_prepare(x->st, "SELECT person_id FROM account WHERE login = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", x->who->login);
	if (store_step(s, err) == STORE_ROW && !store_col_is_null(s, 0))
		person = store_col_int(s, 0);
	store_finalize(s);
	if (person == 0) {
		reg_error(errors, "person", "no_person", "出力する人が従業員として登録されていません（持出簿に記録できません）",
		    "the exporting account is not linked to a person, so the take-out cannot be recorded");
		return mm_err_input(err, "person", "no_person", "出力する人が従業員として登録されていません",
		    "the exporting account is not linked to a person");
	}
	mm_time_format(mm_now_ms() + MM_LOCAL_OFFSET_MS, day);
	day[10] = '\0';
	{
		/* unique without a counter: the day and 32 random bits */
		unsigned char r[4];
		char hex[9];
		mm_random(r, sizeof(r));
		mm_hex_encode(hex, r, sizeof(r));
		snprintf(no, sizeof(no), "MN-%.4s%.2s%.2s-%s", day, day + 5, day + 8, hex);
	}
	snprintf(item, sizeof(item), "マイナンバー出力ファイル %s", filename);
	rec = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:s}", "takeout_no", no, "item", item, "item_class",
	    "mynumber", "person", (json_int_t)person, "destination", destination, "purpose", purpose, "planned_takeout", day,
	    "return_due", day, "encrypted", 1, "protection", "AES-256 暗号化ZIP。パスワードは別の経路で伝える");
	rc = reg_save(&rx, 0, rec, id, errors, err);
	json_decref(rec);
	return rc;
}

int
vault_export(struct vault_ctx *x, json_t *in, json_t **out, json_t **errors, struct mm_err *err)
{
	const char *purpose = json_string_value(json_object_get(in, "purpose"));
	const char *destination = json_string_value(json_object_get(in, "destination"));
	json_t *ids = json_object_get(in, "subject_ids"), *rows = NULL, *errs = json_array();
	struct mm_buf csv, zip;
	char password[24], filename[64], *b64 = NULL, day[MM_TIME_STRLEN];
	int64_t takeout_id = 0;
	size_t i;
	json_t *r;
	int rc;

	*out = NULL;
	*errors = NULL;
	mm_buf_init(&csv, 16 * 1024 * 1024);
	mm_buf_init(&zip, 16 * 1024 * 1024);
	if (!x->pr->pr_local_operator && !(x->pr->pr_roles & (1u << ROLE_MYNUMBER_HANDLER))) {
		json_decref(errs);
		return mm_err_set(err, MM_EPERM, "purpose", "only a My Number handler may export numbers");
	}
	if (purpose == NULL || (rc = in_scope(x, purpose, err)) == 0) {
		reg_error(errs, "purpose", "out_of_scope", "担当範囲の利用目的を選んでください", "choose a purpose in your scope");
		rc = 0;
	}
	if (destination == NULL || *destination == '\0' || strlen(destination) > 200)
		reg_error(errs, "destination", "required", "提出先・送付先を入力してください", "give the destination");
	if (rc < 0 || json_array_size(errs) > 0)
		goto bad;
	if ((rc = store_begin(x->st, err)) != 0)
		goto done;
	if ((rc = targets(x, purpose, ids, &rows, err)) != 0)
		goto fail;
	if (json_array_size(rows) == 0 || json_array_size(rows) > EXPORT_MAX) {
		reg_error(errs, "subject_ids", "count", "出力できる対象者がいません（利用目的と番号の有無を確かめてください）",
		    "no subject with a number for this purpose (or too many)");
		store_rollback(x->st);
		goto bad;
	}
	mm_password_generate(password, 16);
	mm_time_format(mm_now_ms() + MM_LOCAL_OFFSET_MS, day);
	snprintf(filename, sizeof(filename), "mynumber-%.4s%.2s%.2s-%.2s%.2s%.2s.zip", day, day + 5, day + 8, day + 11,
	    day + 14, day + 17);
	if ((rc = csv_of(x, rows, purpose, &csv, err)) != 0 || (rc = zip_of(x, &csv, password, &zip, err)) != 0)
		goto fail;
	if ((rc = takeout(x, filename, destination, purpose, &takeout_id, errs, err)) != 0)
		goto fail;
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_array_get(r, 0));
		if ((rc = vault_audit(x, "mynumber.export", id, AUDIT_OUTPUT, purpose, NULL, err)) != 0 ||
		    (rc = vault_record(x, "output", id, purpose, filename, err)) != 0)
			goto fail;
	}
	if ((rc = vault_record(x, "takeout", 0, purpose, filename, err)) != 0 || (rc = store_commit(x->st, err)) != 0)
		goto fail;
	{
		size_t n = ((zip.b_len + 2) / 3) * 4 + 1;
		if ((b64 = malloc(n)) == NULL) {
			rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
			goto done;
		}
		mm_base64_encode(b64, n, (const unsigned char *)zip.b_data, zip.b_len);
	}
	*out = json_pack("{s:s, s:s, s:s, s:I, s:I}", "file", b64, "filename", filename, "password", password,
	    "takeout_id", (json_int_t)takeout_id, "count", (json_int_t)json_array_size(rows));
	free(b64);
	goto done;
fail:
	store_rollback(x->st);
	if (json_array_size(errs) > 0)
		goto bad;
	goto done;
bad:
	if (json_array_size(errs) > 0) {
		rc = mm_err_from_entry(err, json_array_get(errs, 0));
		*errors = errs;
		errs = NULL;
	}
done:
	mm_wipe(password, sizeof(password));
	mm_buf_free(&csv); /* wipes */
	mm_buf_free(&zip);
	json_decref(rows);
	json_decref(errs);
	return rc;
}
