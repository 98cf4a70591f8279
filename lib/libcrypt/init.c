/* init.c -- NSS start-up, shut-down and the random number generator.
 *
 * NSS keeps one process-wide state of its own; that is the only global state that
 * libcrypt relies on (principle 6, docs/architecture.md).  crypt_init() must be called once from
 * the main thread before any other thread uses libcrypt.
 */
#include <stdio.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include "crypt.h"

static void init_error(char *err, size_t errlen, const char *what)
{
	if (err == NULL || errlen == 0)
		return;
	PRErrorCode code = PR_GetError();
	const char *name = PR_ErrorToName(code);
	snprintf(err, errlen, "%s failed: %s (%d)", what, name != NULL ? name : "unknown error",
		 (int)code);
}

bool crypt_init(const char *nssdir, char *err, size_t errlen)
{
	if (NSS_IsInitialized())
		return true;
	if (nssdir == NULL) {
		if (NSS_NoDB_Init(NULL) != SECSuccess) {
			init_error(err, errlen, "NSS_NoDB_Init");
			return false;
		}
		return true;
	}
	char config[4096];
	int n = snprintf(config, sizeof(config), "sql:%s", nssdir);
	if (n < 0 || (size_t)n >= sizeof(config)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "NSS directory name too long");
		return false;
	}
	/* The daemon only reads keys and certificates from the database; the session
	 * keys it creates live in the internal slot, which needs no write access. */
	if (NSS_Initialize(config, "", "", SECMOD_DB, NSS_INIT_READONLY) != SECSuccess) {
		init_error(err, errlen, "NSS_Initialize");
		return false;
	}
	return true;
}

void crypt_shutdown(void)
{
	if (NSS_IsInitialized())
		(void)NSS_Shutdown();
}

bool crypt_random(void *out, size_t len)
{
	uint8_t *p = out;
	/* PK11_GenerateRandom takes an int length; feed it in bounded pieces. */
	while (len > 0) {
		size_t n = len > 65536 ? 65536 : len;
		if (PK11_GenerateRandom(p, (int)n) != SECSuccess)
			return false;
		p += n;
		len -= n;
	}
	return true;
}
