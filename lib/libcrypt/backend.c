/* backend.c -- which library serves which primitive: the one table (backend.h).
 *
 * Chosen by testing/bench/bench_crypto (microseconds per operation on the handshake
 * path, each library through the code below it) and documented with the measurements
 * in docs/architecture.md, "Crypto choices".  Every choice is a constant-time
 * implementation; a library is used for a primitive only where it was faster.
 */
#include "backend.h"

const struct crypt_choice crypt_choices[CRYPT_PRIM_COUNT] = {
	[CRYPT_PRIM_X25519] = { "X25519", CRYPT_LIB_OPENSSL,
				"keygen + derive about half of NSS's PK11 objects" },
	[CRYPT_PRIM_ECP256] = { "ECP-256", CRYPT_LIB_OPENSSL,
				"OpenSSL's P-256 (ecp_nistz256) is ~30x faster than NSS 3.87" },
	[CRYPT_PRIM_ECP384] = { "ECP-384", CRYPT_LIB_OPENSSL,
				"OpenSSL 3.0's generic P-384 is ~4x faster than NSS 3.87's" },
	[CRYPT_PRIM_ECP521] = { "ECP-521", CRYPT_LIB_NONE,
				"not offered yet (both libraries implement it)" },
	[CRYPT_PRIM_MODP] = { "MODP", CRYPT_LIB_NSS, "unchanged: off the measured path" },
	[CRYPT_PRIM_MLKEM] = { "ML-KEM", CRYPT_LIB_OURS, "no Debian 12 library has it" },
	[CRYPT_PRIM_AES_GCM] = { "AES-GCM", CRYPT_LIB_OPENSSL,
				 "no PKCS #11 key object per message" },
	[CRYPT_PRIM_AES_CBC] = { "AES-CBC", CRYPT_LIB_OPENSSL,
				 "no PKCS #11 key object per message" },
	[CRYPT_PRIM_HMAC] = { "HMAC", CRYPT_LIB_OPENSSL, "lighter digest contexts" },
	[CRYPT_PRIM_HASH] = { "SHA", CRYPT_LIB_OPENSSL, "lighter digest contexts" },
	[CRYPT_PRIM_SIGN] = { "sign", CRYPT_LIB_NSS,
			      "our private keys live in the NSS database and stay there" },
	[CRYPT_PRIM_VERIFY_ECDSA] = { "ECDSA verify", CRYPT_LIB_OPENSSL,
				      "public keys only; no import into a PKCS #11 slot" },
	[CRYPT_PRIM_VERIFY_RSA] = { "RSA verify", CRYPT_LIB_OPENSSL,
				    "public keys only; no import into a PKCS #11 slot" },
	[CRYPT_PRIM_CERT] = { "certificates", CRYPT_LIB_NSS, "the database and its trust" },
	[CRYPT_PRIM_RANDOM] = { "random", CRYPT_LIB_NSS, "unchanged" },
};

const char *crypt_lib_name(enum crypt_lib lib)
{
	switch (lib) {
	case CRYPT_LIB_NONE: return "none";
	case CRYPT_LIB_NSS: return "NSS";
	case CRYPT_LIB_OPENSSL: return "OpenSSL";
	case CRYPT_LIB_OURS: return "ours";
	}
	return "?";
}
