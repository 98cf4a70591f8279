/* fuzz_pluto_updown.c -- libFuzzer target for the messages between pluto and its
 * updown helper (programs/pluto/updown_msg.c): any octets as a request and as a
 * report.  What decodes must encode again to the same octets. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "updown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UPDOWN_MSG_MAX)
		return 0;
	/* exact-size heap copies, so that ASan sees any read past the message */
	uint8_t *a = malloc(size ? size : 1), *b = malloc(size ? size : 1);
	static uint8_t again[UPDOWN_MSG_MAX];
	if (a == NULL || b == NULL)
		abort();
	memcpy(a, data, size);
	memcpy(b, data, size);
	struct updown_request q;
	if (updown_decode_request(a, size, &q)) {
		size_t n = updown_encode_request(&q, again, sizeof(again));
		if (n != size || memcmp(again, data, size) != 0)
			abort();
	}
	struct updown_report r;
	if (updown_decode_report(b, size, &r)) {
		size_t n = updown_encode_report(&r, again, sizeof(again));
		if (n != size || memcmp(again, data, size) != 0)
			abort();
	}
	free(a);
	free(b);
	return 0;
}
