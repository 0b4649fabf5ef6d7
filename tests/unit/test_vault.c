/*
 * Unit tests of src/vault on a real data directory: number checks (個人番号 and 法人番号), sealing
 * and opening, the key epochs (rewrap, rotation, destruction) and that nothing in the database holds
 * a number in clear.
 */
#include "unit_store.h"

#include "base/mynumber.h"
#include "base/time.h"
#include "core/mamori.h"
#include "vault/vault.h"

#include <jansson.h>
#include <unistd.h>

struct fixture {
	char tmp[UNIT_PATH_MAX];
	char data[UNIT_PATH_MAX];
	struct mamori *m;
	struct vault_ctx x;
	struct principal pr;
};

static const struct mm_actor operator = {.login = "cli:tester", .client = "local"};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mamori_init_result res;
	struct mm_err err = {0};

	if (f == NULL)
		return -1;
	unit_tmpdir(f->tmp);
	unit_path(f->data, f->tmp, "data");
	if (mamori_init(f->data, "ipa-sme", "alice", &operator, &res, &err) != 0)
		fail_msg("mamori_init: %s", err.msg);
	mm_wipe(&res, sizeof(res));
	if (mamori_open(f->data, &f->m, &err) != 0)
		fail_msg("mamori_open: %s", err.msg);
	f->pr.pr_local_operator = 1;
	f->x = (struct vault_ctx){.m = f->m, .st = f->m->md_store, .who = &operator, .pr = &f->pr};
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	mamori_close(f->m);
	unit_rmtree(f->tmp);
	free(f);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void
test_every_wrong_check_digit_refused(void **state)
{
	char n[13] = "123456789010", out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	for (char d = '0'; d <= '9'; d++) {
		n[11] = d;
		assert_int_equal(vault_number_normalise(n, 0, out, &err) == 0, d == '8');
		if (d != '8')
			assert_string_equal(err.rule, "check_digit");
	}
}

static void
test_numbers_normalised_as_typed(void **state)
{
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	assert_int_equal(vault_number_normalise("１２３４ ５６７８ ９０１８", 0, out, &err), 0);
	assert_string_equal(out, "123456789018");
	assert_int_equal(vault_number_normalise("1234-5678-9018", 0, out, &err), 0);
	assert_int_equal(vault_number_normalise("1234ー5678ー9018", 0, out, &err), 0);
	assert_int_equal(vault_number_normalise("12345678901", 0, out, &err), MM_EINVAL);
	assert_string_equal(err.rule, "length");
	assert_int_equal(vault_number_normalise("1234a5678901", 0, out, &err), MM_EINVAL);
	assert_string_equal(err.rule, "characters");
	/* messages never repeat the number */
	assert_null(strstr(err.msg, "1234"));
	assert_null(strstr(err.msg_ja, "1234"));
}

static void
test_corporate_numbers(void **state)
{
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	/* 国税庁 7000012050002 */
	assert_true(mm_corporate_number_valid("7000012050002"));
	for (char d = '1'; d <= '9'; d++) {
		char n[14] = "7000012050002";
		n[0] = d;
		assert_int_equal(mm_corporate_number_valid(n), d == '7');
	}
	assert_int_equal(vault_number_normalise("7000-0120-50002", 1, out, &err), 0);
	assert_string_equal(out, "7000012050002");
}

static void
test_epochs(void **state)
{
	char e[8];

	(void)state;
	vault_epoch_of(NULL, e);
	assert_string_equal(e, "open");
	vault_epoch_of("2033-12-31", e);
	assert_string_equal(e, "2033");
}

/* A subject with a number; returns its id. */
static int64_t
subject(struct fixture *f, const char *number, const char *ended)
{
	json_t *in = json_pack("{s:s, s:s, s:[s], s:s, s:{s:s, s:s}}", "kind", "partner", "name", "取引先 太郎",
	    "purposes", "partner_payment", "number", number, "identity_check", "number_document", "個人番号カード",
	    "identity_document", "個人番号カード"), *errors = NULL;
	struct mm_err err = {0};
	int64_t id = 0;

	if (ended)
		json_object_set_new(in, "use_ended_on", json_string(ended));
	if (vault_subject_create(&f->x, in, &id, &errors, &err) != 0)
		fail_msg("create: %s", err.msg);
	json_decref(in);
	json_decref(errors);
	return id;
}

static void
test_sealed_number_opens_and_is_not_in_the_database(void **state)
{
	struct fixture *f = *state;
	char out[VAULT_NUMBER_MAX + 1], path[UNIT_PATH_MAX + 32];
	int64_t id = subject(f, "123456789018", NULL);
	struct mm_err err = {0};
	FILE *fp;
	char buf[4096];
	size_t n;
	int found = 0;

	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	assert_string_equal(out, "123456789018");
	snprintf(path, sizeof(path), "%s/mamori.db", f->data);
	/* the WAL holds the recent pages: look in both files */
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/mamori.db%s", f->data, k ? "-wal" : "");
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			found |= memmem(buf, n, "12345678", 8) != NULL;
		fclose(fp);
	}
	assert_false(found);
}

static void
test_duplicate_found_without_decrypting(void **state)
{
	struct fixture *f = *state;
	json_t *in, *errors = NULL;
	struct mm_err err = {0};
	int64_t id;

	subject(f, "123456789018", NULL);
	in = json_pack("{s:s, s:s, s:[s], s:s, s:{s:s, s:s}}", "kind", "partner", "name", "別人", "purposes",
	    "partner_payment", "number", "1234 5678 9018", "identity_check", "number_document", "a", "identity_document", "b");
	assert_int_equal(vault_subject_create(&f->x, in, &id, &errors, &err), MM_EINVAL);
	assert_string_equal(err.rule, "duplicate");
	json_decref(in);
	json_decref(errors);
}

static void
test_leaving_moves_the_key_to_its_epoch_and_destroying_it_shreds(void **state)
{
	struct fixture *f = *state;
	int64_t id = subject(f, "123456789018", NULL), other = subject(f, "000000000000", NULL);
	json_t *patch = json_pack("{s:s}", "use_ended_on", "2019-06-30"), *errors = NULL, *s = NULL;
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	assert_int_equal(vault_subject_update(&f->x, id, patch, &errors, &err), 0);
	json_decref(patch);
	assert_int_equal(vault_subject_get(&f->x, -id, &s, &err), 0);
	assert_string_equal(json_string_value(json_object_get(s, "retention_end")), "2026-12-31");
	json_decref(s);
	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	/* an epoch in use cannot be destroyed */
	assert_int_equal(vault_epoch_destroy(f->m, "2026", &err), MM_EINVAL);
	assert_int_equal(vault_epoch_destroy(f->m, "open", &err), MM_EINVAL);
	/* erase the row (as an approved deletion does), then the epoch's key */
	assert_int_equal(store_exec(f->m->md_store, "DELETE FROM mn_number WHERE epoch = '2026'", &err), 0);
	assert_int_equal(vault_epoch_destroy(f->m, "2026", &err), 0);
	assert_int_equal(vault_open_number(&f->x, other, out, &err), 0);
	assert_string_equal(out, "000000000000");
}

static void
test_rotation_rewraps_every_key(void **state)
{
	struct fixture *f = *state;
	int64_t id = subject(f, "123456789018", NULL), n = 0;
	char out[VAULT_NUMBER_MAX + 1], path[UNIT_PATH_MAX + 64];
	struct mm_err err = {0};

	assert_int_equal(vault_rotate(&f->x, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	assert_string_equal(out, "123456789018");
	snprintf(path, sizeof(path), "%s/keys/vault/open.1.key", f->data);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/keys/vault/open.2.key", f->data);
	assert_int_equal(access(path, F_OK), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_wrong_check_digit_refused),
	    cmocka_unit_test(test_numbers_normalised_as_typed),
	    cmocka_unit_test(test_corporate_numbers),
	    cmocka_unit_test(test_epochs),
	    T(test_sealed_number_opens_and_is_not_in_the_database),
	    T(test_duplicate_found_without_decrypting),
	    T(test_leaving_moves_the_key_to_its_epoch_and_destroying_it_shreds),
	    T(test_rotation_rewraps_every_key),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
