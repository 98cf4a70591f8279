/* testutil.h -- helpers shared by the cmocka unit tests (linked into every one).
 *
 * The hex and file helpers fail the running test (cmocka assertions) instead of
 * returning an error, so a test reads as its checks.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>
#include "chunk.h"
#include "crypt.h"

/* cmocka group setup: crypt_init() (NSS without a database); -1, with the reason on
 * stderr, when it fails. */
int testutil_crypt_setup(void **state);

/* digits hex digits (either case, not NUL-terminated) -> fresh chunk (chunk_free it). */
struct chunk testutil_hexn(const char *s, size_t digits);
/* The same for a NUL-terminated string. */
struct chunk testutil_hex(const char *s);
/* The value of "name = hex" in a vector file (vecfile.h). */
struct chunk testutil_vector(const char *path, const char *name);
/* Writes text to dir/name (fails the test if it cannot). */
void testutil_write_file(const char *dir, const char *name, const char *text);
/* A whole file as a NUL-terminated heap string (free it). */
char *testutil_slurp(const char *path);

/* One key exchange of method m between two fresh ke states: public values of len_i and
 * len_r octets, both sides agreeing on a secret of secret_len octets. */
void testutil_ke_agree(enum ike_ke_method m, size_t len_i, size_t len_r, size_t secret_len);

#endif
