/* Unit tests of src/crypto: BLAKE2b-256, Ed25519, Argon2id, generated passwords, key files. */
#include "unit.h"

#include "base/str.h"
#include "crypto/crypto.h"
#include "crypto/keyfile.h"

#include <unistd.h>

/* Argon2id at libsodium's minimum cost, so the tests run in milliseconds. */
#define FAST_OPS 1
#define FAST_MEM 8192
#define FAST_MEM_2 16384

/* ---- BLAKE2b-256 ---- */

static void
hash_hex(const void *data, size_t len, char out[2 * MM_HASH_BYTES + 1])
{
	struct mm_hash h;
	unsigned char digest[MM_HASH_BYTES];

	mm_hash_init(&h);
	mm_hash_update(&h, data, len);
	mm_hash_final(&h, digest);
	mm_hex_encode(out, digest, sizeof(digest));
}

/* Expected values: printf '...' | b2sum -l 256 (GNU coreutils). */
static void
test_hash_known_vectors(void **state)
{
	char hex[2 * MM_HASH_BYTES + 1];

	(void)state;
	hash_hex("abc", 3, hex);
	assert_string_equal(
	    hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	hash_hex("", 0, hex);
	assert_string_equal(
	    hex, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	hash_hex("The quick brown fox jumps over the lazy dog", 43, hex);
	assert_string_equal(
	    hex, "01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9");
}

static void
test_hash_incremental_equals_one_shot(void **state)
{
	static char million[1000000];
	struct mm_hash h;
	unsigned char digest[MM_HASH_BYTES];
	char hex[2 * MM_HASH_BYTES + 1], one[2 * MM_HASH_BYTES + 1];

	(void)state;
	memset(million, 'a', sizeof(million));
	/* uneven pieces cross BLAKE2b's 128-byte blocks at odd places */
	mm_hash_init(&h);
	for (size_t off = 0; off < sizeof(million);) {
		size_t n = sizeof(million) - off < 777 ? sizeof(million) - off : 777;
		mm_hash_update(&h, million + off, n);
		off += n;
	}
	mm_hash_final(&h, digest);
	mm_hex_encode(hex, digest, sizeof(digest));
	/* head -c 1000000 /dev/zero | tr '\0' a | b2sum -l 256 */
	assert_string_equal(
	    hex, "0741850f36cba4259628355d1073e24ddb9ca0e1bfac36fd39ae5dc2101e23a4");
	hash_hex(million, sizeof(million), one);
	assert_string_equal(hex, one);
}

/* ---- Ed25519 ---- */

static void
from_hex(unsigned char *out, size_t len, const char *hex)
{
	assert_int_equal(mm_hex_decode(out, len, hex), 0);
}

/* RFC 8032 section 7.1, TEST 1; libsodium's secret key is the seed followed by the public key. */
static void
test_sign_rfc8032_vector(void **state)
{
	unsigned char sk[MM_SIGN_SECRET_BYTES], pk[MM_SIGN_PUBLIC_BYTES],
	    want_pk[MM_SIGN_PUBLIC_BYTES];
	unsigned char sig[MM_SIGNATURE_BYTES], want_sig[MM_SIGNATURE_BYTES];

	(void)state;
	from_hex(sk, 32, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
	from_hex(want_pk, 32, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	memcpy(sk + 32, want_pk, 32);
	from_hex(want_sig, 64,
	    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	mm_sign_public(pk, sk);
	assert_memory_equal(pk, want_pk, sizeof(pk));
	mm_sign(sig, "", 0, sk);
	assert_memory_equal(sig, want_sig, sizeof(sig));
	assert_int_equal(mm_sign_verify(sig, "", 0, pk), 0);
}

static void
test_sign_and_verify(void **state)
{
	unsigned char pk[MM_SIGN_PUBLIC_BYTES], sk[MM_SIGN_SECRET_BYTES], pk2[MM_SIGN_PUBLIC_BYTES];
	unsigned char sig[MM_SIGNATURE_BYTES];
	const char msg[] = "events: 42";

	(void)state;
	mm_sign_keypair(pk, sk);
	mm_sign_public(pk2, sk);
	assert_memory_equal(pk, pk2, sizeof(pk));
	mm_sign(sig, msg, strlen(msg), sk);
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg), pk), 0);
	mm_wipe(sk, sizeof(sk));
}

static void
test_sign_detects_tampering(void **state)
{
	unsigned char pk[MM_SIGN_PUBLIC_BYTES], sk[MM_SIGN_SECRET_BYTES];
	unsigned char other_pk[MM_SIGN_PUBLIC_BYTES], other_sk[MM_SIGN_SECRET_BYTES];
	unsigned char sig[MM_SIGNATURE_BYTES];
	char msg[] = "events: 42";

	(void)state;
	mm_sign_keypair(pk, sk);
	mm_sign_keypair(other_pk, other_sk);
	mm_sign(sig, msg, strlen(msg), sk);
	/* another key */
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg), other_pk), MM_ECORRUPT);
	/* a longer or shorter message */
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg) - 1, pk), MM_ECORRUPT);
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg) + 1, pk), MM_ECORRUPT);
	/* one changed character */
	msg[8] = '3';
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg), pk), MM_ECORRUPT);
	msg[8] = '4';
	/* one flipped bit in the signature */
	sig[10] ^= 0x01;
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg), pk), MM_ECORRUPT);
	sig[10] ^= 0x01;
	assert_int_equal(mm_sign_verify(sig, msg, strlen(msg), pk), 0);
}

/* ---- Argon2id password hashes ---- */

static void
test_password_hash_and_verify(void **state)
{
	char stored[MM_PWHASH_STRLEN];

	(void)state;
	assert_int_equal(mm_password_hash(stored, "correct horse 電池", FAST_OPS, FAST_MEM), 0);
	assert_true(strncmp(stored, "$argon2id$", 10) == 0);
	assert_null(strstr(stored, "correct")); /* the password is not in the stored form */
	assert_int_equal(mm_password_verify(stored, "correct horse 電池"), 0);
}

static void
test_password_verify_refuses_wrong_password(void **state)
{
	char stored[MM_PWHASH_STRLEN];

	(void)state;
	assert_int_equal(mm_password_hash(stored, "Secret-123", FAST_OPS, FAST_MEM), 0);
	assert_int_equal(mm_password_verify(stored, "secret-123"), MM_EPERM);
	assert_int_equal(mm_password_verify(stored, "Secret-1234"), MM_EPERM);
	assert_int_equal(mm_password_verify(stored, "Secret-12"), MM_EPERM);
	assert_int_equal(mm_password_verify(stored, ""), MM_EPERM);
	assert_int_equal(mm_password_verify("not a hash", "Secret-123"), MM_EPERM);
	assert_int_equal(mm_password_verify("", ""), MM_EPERM);
}

static void
test_password_hash_is_salted(void **state)
{
	char a[MM_PWHASH_STRLEN], b[MM_PWHASH_STRLEN];

	(void)state;
	assert_int_equal(mm_password_hash(a, "same", FAST_OPS, FAST_MEM), 0);
	assert_int_equal(mm_password_hash(b, "same", FAST_OPS, FAST_MEM), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(mm_password_verify(a, "same"), 0);
	assert_int_equal(mm_password_verify(b, "same"), 0);
}

static void
test_password_needs_rehash(void **state)
{
	char stored[MM_PWHASH_STRLEN];

	(void)state;
	assert_int_equal(mm_password_hash(stored, "pw", FAST_OPS, FAST_MEM), 0);
	assert_int_equal(mm_password_needs_rehash(stored, FAST_OPS, FAST_MEM), 0);
	assert_int_equal(mm_password_needs_rehash(stored, FAST_OPS + 1, FAST_MEM), 1);
	assert_int_equal(mm_password_needs_rehash(stored, FAST_OPS, FAST_MEM_2), 1);
	/* something that is not an Argon2id hash at all must be remade too */
	assert_int_equal(mm_password_needs_rehash("garbage", FAST_OPS, FAST_MEM), 1);
}

static void
test_password_hash_refuses_too_small_limits(void **state)
{
	char stored[MM_PWHASH_STRLEN];

	(void)state;
	assert_int_equal(mm_password_hash(stored, "pw", 0, FAST_MEM), MM_EINVAL);
	assert_int_equal(mm_password_hash(stored, "pw", FAST_OPS, 1024), MM_EINVAL);
}

/* ---- generated one-time passwords ---- */

static void
assert_good_generated_password(const char *pw, size_t len)
{
	int upper = 0, lower = 0, digit = 0, symbol = 0;

	assert_int_equal(strlen(pw), len);
	for (size_t i = 0; i < len; i++) {
		char c = pw[i];
		if (strchr("0O1lI", c) != NULL)
			fail_msg("look-alike character '%c' in \"%s\"", c, pw);
		if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else if (strchr("#%+-=@_~!?", c) != NULL)
			symbol = 1;
		else
			fail_msg("unexpected character 0x%02x in \"%s\"", (unsigned char)c, pw);
	}
	if (!(upper && lower && digit && symbol))
		fail_msg("\"%s\" lacks a class (upper %d lower %d digit %d symbol %d)", pw, upper,
		    lower, digit, symbol);
}

static void
test_password_generate_has_all_classes(void **state)
{
	static const size_t lengths[] = {12, 13, 14, 15, 20, 64};
	char pw[80];

	(void)state;
	/* many rounds: a missing class must not hide behind luck */
	for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
		for (int round = 0; round < 500; round++) {
			memset(pw, 'X', sizeof(pw));
			mm_password_generate(pw, lengths[l]);
			assert_good_generated_password(pw, lengths[l]);
			assert_int_equal(
			    pw[lengths[l] + 1], 'X'); /* nothing written past the NUL */
		}
	}
}

static void
test_password_generate_differs(void **state)
{
	char a[21], b[21];

	(void)state;
	mm_password_generate(a, 20);
	mm_password_generate(b, 20);
	assert_string_not_equal(a, b);
}

/* ---- key files ---- */

static void
test_keyfile_create_and_load(void **state)
{
	unsigned char key[MM_MASTER_KEY_BYTES], back[MM_MASTER_KEY_BYTES];
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "master.key");
	mm_random(key, sizeof(key));
	assert_int_equal(mm_keyfile_create(path, key, sizeof(key), NULL), 0);
	assert_int_equal(unit_mode(path), 0600);
	assert_int_equal(mm_keyfile_load(path, back, sizeof(back), NULL), 0);
	assert_memory_equal(key, back, sizeof(key));
}

static void
test_keyfile_create_refuses_existing(void **state)
{
	unsigned char key[MM_MASTER_KEY_BYTES] = {1}, other[MM_MASTER_KEY_BYTES] = {2};
	unsigned char back[MM_MASTER_KEY_BYTES];
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "master.key");
	assert_int_equal(mm_keyfile_create(path, key, sizeof(key), NULL), 0);
	assert_int_equal(mm_keyfile_create(path, other, sizeof(other), NULL), MM_EEXIST);
	assert_int_equal(mm_keyfile_load(path, back, sizeof(back), NULL), 0);
	assert_memory_equal(key, back, sizeof(key)); /* the first key survives */
}

static void
assert_load_fails(const char *path, size_t len, int code)
{
	unsigned char key[MM_SIGN_SECRET_BYTES + 8];
	struct mm_err err = {0};

	assert_int_equal(mm_keyfile_load(path, key, len, &err), code);
	assert_int_equal(err.code, code);
	assert_contains(err.msg, path);
}

static void
test_keyfile_load_refuses_wrong_size(void **state)
{
	unsigned char bytes[MM_MASTER_KEY_BYTES + 1] = {0};
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "master.key");
	unit_write_file(path, bytes, MM_MASTER_KEY_BYTES - 1, 0600);
	assert_load_fails(path, MM_MASTER_KEY_BYTES, MM_ECORRUPT);
	unit_write_file(path, bytes, MM_MASTER_KEY_BYTES + 1, 0600);
	assert_load_fails(path, MM_MASTER_KEY_BYTES, MM_ECORRUPT);
	unit_write_file(path, bytes, 0, 0600);
	assert_load_fails(path, MM_MASTER_KEY_BYTES, MM_ECORRUPT);
	/* a master key where the signing key belongs */
	unit_write_file(path, bytes, MM_MASTER_KEY_BYTES, 0600);
	assert_load_fails(path, MM_SIGN_SECRET_BYTES, MM_ECORRUPT);
}

static void
test_keyfile_load_refuses_readable_by_others(void **state)
{
	unsigned char key[MM_MASTER_KEY_BYTES] = {7};
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "master.key");
	unit_write_file(path, key, sizeof(key), 0644);
	assert_load_fails(path, sizeof(key), MM_EPERM);
	assert_int_equal(chmod(path, 0640), 0);
	assert_load_fails(path, sizeof(key), MM_EPERM);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(mm_keyfile_load(path, key, sizeof(key), NULL), 0);
}

static void
test_keyfile_load_missing(void **state)
{
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "absent.key");
	assert_load_fails(path, MM_MASTER_KEY_BYTES, MM_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_known_vectors),
	    cmocka_unit_test(test_hash_incremental_equals_one_shot),
	    cmocka_unit_test(test_sign_rfc8032_vector),
	    cmocka_unit_test(test_sign_and_verify),
	    cmocka_unit_test(test_sign_detects_tampering),
	    cmocka_unit_test(test_password_hash_and_verify),
	    cmocka_unit_test(test_password_verify_refuses_wrong_password),
	    cmocka_unit_test(test_password_hash_is_salted),
	    cmocka_unit_test(test_password_needs_rehash),
	    cmocka_unit_test(test_password_hash_refuses_too_small_limits),
	    cmocka_unit_test(test_password_generate_has_all_classes),
	    cmocka_unit_test(test_password_generate_differs),
	    unit_dir_test(test_keyfile_create_and_load),
	    unit_dir_test(test_keyfile_create_refuses_existing),
	    unit_dir_test(test_keyfile_load_refuses_wrong_size),
	    unit_dir_test(test_keyfile_load_refuses_readable_by_others),
	    unit_dir_test(test_keyfile_load_missing),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
