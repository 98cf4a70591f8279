/* test_pluto_keylog.c -- keylog.c (config setup keylog-dir=): the lines are those
 * strongSwan's save-keys plugin wrote for the same keys (../shared/vectors), octet for
 * octet (ESP with AES-GCM: but for the names Wireshark 4.0 can use); the names Wireshark has for our other algorithms; the files are appended to,
 * created 0600, and a file others may read gets no secrets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "keylog.h"
#include "testutil.h"

static const char *const vectors[] = {
	"strongswan-x25519-mlkem768-psk", "strongswan-3rounds-psk", "strongswan-ecdsa-p256-cert",
	"strongswan-rsa-pss-cert", "libreswan-charon-x25519-addke-ecp256-psk",
};

/* the n-th comma-separated field of line, quotes and a 0x taken off */
static void field(const char *line, unsigned n, char *out, size_t len)
{
	const char *p = line;
	for (unsigned i = 0; i < n; i++) {
		p = strchr(p, ',');
		assert_non_null(p);
		p++;
	}
	size_t l = strcspn(p, ",\n");
	if (l > 0 && p[0] == '"') {
		p++;
		l -= 2;
	}
	if (l >= 2 && p[0] == '0' && p[1] == 'x') {
		p += 2;
		l -= 2;
	}
	assert_true(l < len);
	memcpy(out, p, l);
	out[l] = '\0';
}

static void ike_lines_as_strongswan(void **state)
{
	unsigned lines = 0;
	for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		char path[600], f[8][200];
		snprintf(path, sizeof(path), "%s/%s.ikev2_decryption_table", VECTORS_DIR, vectors[v]);
		char *text = testutil_slurp(path), *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
			for (unsigned i = 0; i < 8; i++)
				field(l, i, f[i], sizeof(f[i]));
			struct chunk spi_i = testutil_hex(f[0]), spi_r = testutil_hex(f[1]);
			struct ike_keys k = { .sk_ei = testutil_hex(f[2]), .sk_er = testutil_hex(f[3]) };
			struct sk_suite s;
			assert_true(sk_suite_init(&s, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE));
			char out[1024], want[1024];
			snprintf(want, sizeof(want), "%s\n", l);
			assert_int_equal(keylog_ike_line(out, sizeof(out), spi_i.ptr, spi_r.ptr, &k, &s), strlen(want));
			assert_string_equal(out, want);
			chunk_free(&spi_i);
			chunk_free(&spi_r);
			keymat_free(&k);
			lines++;
		}
		free(text);
	}
	assert_int_equal(lines, 4 + 3 + 2 + 2 + 3);
}

static void esp_lines_as_strongswan(void **state)
{
	unsigned lines = 0;
	for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		char path[600], f[8][200];
		snprintf(path, sizeof(path), "%s/%s.esp_sa", VECTORS_DIR, vectors[v]);
		char *text = testutil_slurp(path), *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
			for (unsigned i = 0; i < 8; i++)
				field(l, i, f[i], sizeof(f[i]));
			struct ip_addr src, dst;
			assert_true(ip_parse(f[1], &src));
			assert_true(ip_parse(f[2], &dst));
			struct chunk spi = testutil_hex(f[3]), key = testutil_hex(f[5]);
			/* the same but for the AES-GCM names: those Wireshark 4.0 decrypts with */
			char out[1024], want[1024], *g = strstr(l, "\"AES-GCM [RFC4106]\"");
			char *a = strstr(l, "\"ANY 128 bit authentication [no checking]\"");
			assert_non_null(g);
			assert_non_null(a);
			snprintf(want, sizeof(want), "%.*s\"AES-GCM with 16 octet ICV [RFC4106]\"%.*s\"NULL\"%s\n",
				 (int)(g - l), l, (int)(a - g - strlen("\"AES-GCM [RFC4106]\"")),
				 g + strlen("\"AES-GCM [RFC4106]\""), a + strlen("\"ANY 128 bit authentication [no checking]\""));
			assert_int_equal(keylog_esp_line(out, sizeof(out), &src, &dst, spi.ptr, IKE_ENCR_AES_GCM_16,
							 IKE_INTEG_NONE, key.ptr, key.len, 0),
					 strlen(want));
			assert_string_equal(out, want);
			chunk_free(&spi);
			chunk_free(&key);
			lines++;
		}
		free(text);
	}
	assert_int_equal(lines, 2 + 2 + 2 + 2 + 4);
}

/* AES-CBC with HMAC-SHA2: Wireshark's names of both tables; IPv6; what it cannot name */
static void other_algorithms(void **state)
{
	static const uint8_t spi_i[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, spi_r[8] = { 0xf0, 0, 0, 0, 0, 0, 0, 0xff };
	uint8_t kb[6][32];
	for (unsigned i = 0; i < 6; i++)
		memset(kb[i], 0x11 * (i + 1), sizeof(kb[i]));
	struct ike_keys k = {
		.sk_ei = { kb[0], 16 }, .sk_er = { kb[1], 16 }, .sk_ai = { kb[2], 32 }, .sk_ar = { kb[3], 32 },
	};
	struct sk_suite s;
	assert_true(sk_suite_init(&s, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128));
	char out[1024];
	assert_true(keylog_ike_line(out, sizeof(out), spi_i, spi_r, &k, &s) > 0);
	assert_string_equal(out, "0102030405060708,f0000000000000ff,11111111111111111111111111111111,"
			    "22222222222222222222222222222222,\"AES-CBC-128 [RFC3602]\","
			    "3333333333333333333333333333333333333333333333333333333333333333,"
			    "4444444444444444444444444444444444444444444444444444444444444444,"
			    "\"HMAC_SHA2_256_128 [RFC4868]\"\n");
	assert_int_equal(keylog_ike_line(out, 100, spi_i, spi_r, &k, &s), 0);	/* too small */
	s.encr = IKE_ENCR_CHACHA20_POLY1305;
	assert_int_equal(keylog_ike_line(out, sizeof(out), spi_i, spi_r, &k, &s), 0);

	struct ip_addr a, b;
	assert_true(ip_parse("2001:db8:1::45", &a));
	assert_true(ip_parse("2001:db8:1::23", &b));
	static const uint8_t spi[4] = { 0xc0, 0x01, 0xd0, 0x0d };
	uint8_t key[16 + 48];
	memset(key, 0xab, 16);
	memset(key + 16, 0xcd, 48);
	assert_true(keylog_esp_line(out, sizeof(out), &a, &b, spi, IKE_ENCR_AES_CBC, IKE_INTEG_HMAC_SHA2_384_192,
				    key, 16, 48) > 0);
	assert_string_equal(out, "\"IPv6\",\"2001:db8:1::45\",\"2001:db8:1::23\",\"0xc001d00d\",\"AES-CBC [RFC3602]\","
			    "\"0xabababababababababababababababab\",\"HMAC-SHA-384-192 [RFC4868]\",\"0x"
			    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\"\n");
	struct ip_addr v4;
	assert_true(ip_parse("192.0.2.1", &v4));
	assert_int_equal(keylog_esp_line(out, sizeof(out), &a, &v4, spi, IKE_ENCR_AES_CBC, IKE_INTEG_HMAC_SHA2_384_192,
					 key, 16, 48), 0);
	assert_int_equal(keylog_esp_line(out, sizeof(out), &a, &b, spi, IKE_ENCR_CHACHA20_POLY1305, 0, key, 36, 0), 0);
}

/* keylog_ike(): appended, 0600; not written into a file others may read (logged once) */
static void files(void **state)
{
	struct pluto *p = calloc(1, sizeof(*p));
	struct ike_sa *ike = calloc(1, sizeof(*ike));
	assert_non_null(p);
	assert_non_null(ike);
	p->log = tmpfile();
	ike->pluto = p;
	memset(ike->spi_i, 0x01, 8);
	memset(ike->spi_r, 0x02, 8);
	assert_true(sk_suite_init(&ike->suite, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE));
	ike->keys.sk_ei = testutil_hex("000102030405060708090a0b0c0d0e0f10111213");
	ike->keys.sk_er = testutil_hex("101112131415161718191a1b1c1d1e1f20212223");
	keylog_ike(ike);	/* keylog-dir= unset: nothing */

	char dir[] = "/tmp/test_keylog.XXXXXX", path[600];
	assert_non_null(mkdtemp(dir));
	snprintf(p->setup.keylog_dir, sizeof(p->setup.keylog_dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/ikev2_decryption_table", dir);
	keylog_ike(ike);
	keylog_ike(ike);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *text = testutil_slurp(path);
	static const char line[] = "0101010101010101,0202020202020202,000102030405060708090a0b0c0d0e0f10111213,"
				   "101112131415161718191a1b1c1d1e1f20212223,\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,"
				   "\"NONE [RFC4306]\"\n";
	char want[sizeof(line) * 2];
	snprintf(want, sizeof(want), "%s%s", line, line);
	assert_string_equal(text, want);
	free(text);
	assert_false(p->keylog_failing);

	/* made readable by others: no more lines, one log line */
	assert_int_equal(chmod(path, 0644), 0);
	keylog_ike(ike);
	keylog_ike(ike);
	assert_true(p->keylog_failing);
	text = testutil_slurp(path);
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(chmod(path, 0600), 0);
	keylog_ike(ike);
	assert_false(p->keylog_failing);
	char log[2048] = "";
	rewind(p->log);
	size_t n = fread(log, 1, sizeof(log) - 1, p->log);
	log[n] = '\0';
	assert_non_null(strstr(log, "keylog-dir: "));
	assert_non_null(strstr(log, "not written: the file is not ours or is readable by others\n"));
	assert_non_null(strstr(log, "ikev2_decryption_table: written again\n"));
	assert_null(strstr(log, "000102030405"));	/* no secret in the log */
	assert_null(strstr(strstr(log, "readable by others") + 1, "readable by others"));

	unlink(path);
	rmdir(dir);
	keymat_free(&ike->keys);
	fclose(p->log);
	free(ike);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ike_lines_as_strongswan),
		cmocka_unit_test(esp_lines_as_strongswan),
		cmocka_unit_test(other_algorithms),
		cmocka_unit_test(files),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
