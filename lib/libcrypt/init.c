/* init.c -- NSS and OpenSSL start-up, shut-down and the random number generator.
 *
 * NSS and OpenSSL each keep one process-wide state of their own (ossl.c's fetched
 * algorithms are part of OpenSSL's, written once here); that is the only global state
 * that libcrypt relies on (principle 6, docs/architecture.md).  crypt_init() must be
 * called once from the main thread before any other thread uses libcrypt.
 */
#include <stdio.h>
#include <string.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include "backend.h"

static void init_error(char *err, size_t errlen, const char *what)
{
	if (err == NULL || errlen == 0)
		return;
	PRErrorCode code = PR_GetError();
	const char *name = PR_ErrorToName(code);
	snprintf(err, errlen, "%s failed: %s (%d)", what, name != NULL ? name : "unknown error",
		 (int)code);
}

static bool nss_init(const char *nssdir, char *err, size_t errlen)
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

bool crypt_init(const char *nssdir, char *err, size_t errlen)
{
	return nss_init(nssdir, err, errlen) && ossl_init(err, errlen);
}

void crypt_shutdown(void)
{
	ossl_shutdown();
	if (NSS_IsInitialized())
		(void)NSS_Shutdown();
}

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* Fuzz builds only (make fuzz defines the macro, as libFuzzer's convention): a
 * seeded stream (splitmix64) instead of NSS's generator, so that an input replays
 * the same SPIs, nonces, IVs and ML-KEM keys.  Never compiled into pluto. */
static uint64_t fuzz_rng_state;

void crypt_fuzz_seed(uint64_t seed)
{
	fuzz_rng_state = seed;
}

bool crypt_random(void *out, size_t len)
{
	uint8_t *p = out;
	while (len > 0) {
		uint64_t z = (fuzz_rng_state += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		size_t n = len < sizeof(z) ? len : sizeof(z);
		memcpy(p, &z, n);
		p += n;
		len -= n;
	}
	return true;
}
#else
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
#endif
