/* fuzz_ke.c -- libFuzzer target for the handling of KE payload data (RFC 7296 3.4,
 * RFC 9370, FIPS 203 7.2/7.3): the first octet picks a method, the rest is the
 * peer's KE data, given both to the responder side (ke_respond: DH derive or ML-KEM
 * Encaps with the encapsulation-key check) and to the initiator side (ke_finish: DH
 * derive or ML-KEM Decaps).  Any outcome but a crash, a sanitizer report or a
 * secret of the wrong length is fine.  crypt_random() is the fuzz build's seeded
 * stream (lib/libcrypt/init.c), restarted per input; NSS's DH key pairs stay random. */
#include <stdint.h>
#include <stdlib.h>
#include "crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t methods[] = {
	IKE_KE_CURVE25519, IKE_KE_ECP256, IKE_KE_ECP384, IKE_KE_MODP2048,
	IKE_KE_MLKEM512, IKE_KE_MLKEM768, IKE_KE_MLKEM1024,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char err[128];
	if (!ready) {
		if (!crypt_init(NULL, err, sizeof(err)))
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	crypt_fuzz_seed(size);	/* the same ML-KEM keys whenever this input runs */
	uint16_t m = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	const uint8_t *peer = data + 1;
	size_t len = size - 1;
	/* the fuzzer mostly makes short inputs: pad to the expected length when asked */
	uint8_t *buf = NULL;
	size_t want = ke_public_len(m, data[0] & 0x80);
	if ((data[0] & 0x40) && len < want) {
		buf = calloc(1, want);
		if (buf == NULL)
			return 0;
		for (size_t i = 0; i < want; i++)
			buf[i] = len ? peer[i % len] : (uint8_t)i;
		peer = buf;
		len = want;
	}
	struct ke *r = NULL;
	struct chunk s = CHUNK_EMPTY;
	if (ke_respond(m, peer, len, &r, &s) == KE_OK && s.len != 32 && m >= IKE_KE_MLKEM512)
		abort();
	chunk_free(&s);
	ke_free(r);
	struct ke *i = NULL;
	if (ke_initiate(m, &i) == KE_OK) {
		if (ke_finish(i, peer, len, &s) == KE_OK && s.len == 0)
			abort();
		chunk_free(&s);
	}
	ke_free(i);
	free(buf);
	return 0;
}
