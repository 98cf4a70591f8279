/* chunk.h -- heap byte strings for secrets and messages: wiped when freed. */
#ifndef CHUNK_H
#define CHUNK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct chunk {
	uint8_t *ptr;
	size_t len;
};

#define CHUNK_EMPTY ((struct chunk){ NULL, 0 })

/* A zero-filled chunk of len octets; aborts on allocation failure (like xmalloc). */
struct chunk chunk_alloc(size_t len);
struct chunk chunk_dup(const void *p, size_t len);
/* Wipes the octets (secrets, principle 5 of docs/architecture.md), frees, and empties *c. */
void chunk_free(struct chunk *c);
/* Overwrite that the compiler cannot elide. */
void chunk_wipe(void *p, size_t len);
/* Constant-time equality (never early-exit on the first differing octet). */
bool chunk_memeq(const void *a, const void *b, size_t len);

/* A read-only slice of bytes, used to pass a list of pieces to be concatenated. */
struct iov {
	const void *p;
	size_t len;
};

#endif
