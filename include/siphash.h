/* siphash.h -- SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input
 * PRF", 2012): a keyed hash for tables whose keys a peer chooses (SPIs, addresses,
 * IDs), so that nobody who lacks the key can aim many entries at one bucket. */
#ifndef INTERLUDE_SIPHASH_H
#define INTERLUDE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN 16

uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *in, size_t len);

#endif
