/* sa_index.h -- intrusive hash indexes over pluto's objects (IKE SAs by SPIi, by
 * authenticated peer, by remote address; Child SAs by SPI): O(1) per insertion,
 * removal and lookup at any size, with no ceiling but memory (issue 9: a million
 * IKE SAs).  An object carries one struct ix_link per index it can be on; the index
 * knows the link's offset.  Keys are hashed with SipHash under a per-daemon random
 * key (sa_index_key), since peers choose SPIs, addresses and IDs. */
#ifndef INTERLUDE_SA_INDEX_H
#define INTERLUDE_SA_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "siphash.h"

#define IX_FIRST_BUCKETS 16	/* each index starts this small, inside its struct */
#define IX_LOAD          2	/* it doubles past this many entries a bucket */

struct ix_link {
	void *next;		/* the next object on this bucket's chain */
	void **pprev;		/* what points at this object (the bucket or the previous
				 * object's next): removal is O(1) even on a chain of many
				 * equal keys (a million SAs with one peer); NULL: not on */
	uint32_t hash;		/* of its key, kept for growth and for cheap mismatches */
};

struct ix {
	void **b;		/* buckets: first, then a heap array */
	void *first[IX_FIRST_BUCKETS];
	unsigned size, n;
	size_t off;		/* offsetof(object, its struct ix_link) */
	const uint8_t *key;	/* SIPHASH_KEY_LEN octets, shared by a daemon's indexes */
};

void ix_init(struct ix *x, size_t link_off, const uint8_t key[SIPHASH_KEY_LEN]);
void ix_free(struct ix *x);
uint32_t ix_hash(const struct ix *x, const void *key, size_t len);
/* obj must not be on x; if the table cannot grow, chains get longer, still correct */
void ix_put(struct ix *x, void *obj, uint32_t hash);
void ix_del(struct ix *x, void *obj);
bool ix_on(const struct ix *x, const void *obj);
/* the objects whose key hashed to hash (callers compare their keys): first, next */
void *ix_first(const struct ix *x, uint32_t hash);
void *ix_next(const struct ix *x, const void *obj);

#endif
