/* testutil.c -- helpers shared by the unit tests (see testutil.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "vecfile.h"

int testutil_crypt_setup(void **state)
{
	(void)state;
	char err[256];
	if (!crypt_init(NULL, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

struct chunk testutil_hexn(const char *s, size_t digits)
{
	struct chunk c;
	assert_true(vecfile_unhexn(s, digits, &c));
	return c;
}

struct chunk testutil_hex(const char *s)
{
	return testutil_hexn(s, strlen(s));
}

struct chunk testutil_vector(const char *path, const char *name)
{
	struct vecfile *vf = vecfile_load(path);
	assert_non_null(vf);
	struct chunk c;
	assert_true(vecfile_hex(vf, name, &c));
	vecfile_free(vf);
	return c;
}

char *testutil_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void testutil_ke_agree(enum ike_ke_method m, size_t len_i, size_t len_r, size_t secret_len)
{
	assert_true(ke_supported(m));
	assert_int_equal(ke_public_len(m, true), len_i);
	assert_int_equal(ke_public_len(m, false), len_r);
	struct ke *i = NULL, *r = NULL;
	struct chunk si = CHUNK_EMPTY, sr = CHUNK_EMPTY;
	size_t li, lr;
	assert_int_equal(ke_initiate(m, &i), KE_OK);
	assert_int_equal(ke_method(i), m);
	const uint8_t *pi = ke_public(i, &li);
	assert_int_equal(li, len_i);
	assert_int_equal(ke_respond(m, pi, li, &r, &sr), KE_OK);
	const uint8_t *pr = ke_public(r, &lr);
	assert_int_equal(lr, len_r);
	if (li == lr)
		assert_memory_not_equal(pi, pr, li);
	assert_int_equal(ke_finish(i, pr, lr, &si), KE_OK);
	assert_int_equal(si.len, secret_len);
	assert_int_equal(sr.len, secret_len);
	assert_memory_equal(si.ptr, sr.ptr, secret_len);
	chunk_free(&si);
	chunk_free(&sr);
	ke_free(i);
	ke_free(r);
}

void testutil_write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}
