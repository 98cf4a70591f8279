/* chunk.c -- heap byte strings, wiped when freed (principle 5, docs/architecture.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chunk.h"

struct chunk chunk_alloc(size_t len)
{
	struct chunk c = { calloc(1, len ? len : 1), len };
	if (c.ptr == NULL) {
		fprintf(stderr, "out of memory allocating %zu octets\n", len);
		abort();
	}
	return c;
}

struct chunk chunk_dup(const void *p, size_t len)
{
	struct chunk c = chunk_alloc(len);
	if (len)
		memcpy(c.ptr, p, len);
	return c;
}

void chunk_wipe(void *p, size_t len)
{
	if (p != NULL && len)
		explicit_bzero(p, len);
}

void chunk_free(struct chunk *c)
{
	if (c->ptr != NULL) {
		chunk_wipe(c->ptr, c->len);
		free(c->ptr);
	}
	*c = CHUNK_EMPTY;
}

bool chunk_memeq(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
