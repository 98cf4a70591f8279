/* reasm.h -- RFC 7383 2.6 reassembly of Encrypted Fragment payloads, pure: the
 * caller decrypts (authenticates) each fragment, this keeps them within limits and
 * produces the one record of the whole message (sk_record.h). */
#ifndef REASM_H
#define REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "ike_wire.h"
#include "sk_record.h"

#define REASM_MAX_FRAGMENTS 64		/* fragments of one message */

struct reasm {
	bool active;
	uint32_t msgid;
	bool response;
	uint16_t total;
	unsigned have;
	size_t bytes;				/* plaintext octets held */
	uint8_t hdr[IKE_HDR_LEN];		/* fragment 1's IKE header */
	uint8_t inner_np;			/* fragment 1's Next Payload */
	struct chunk part[REASM_MAX_FRAGMENTS + 1];	/* by Fragment Number */
};

/* Memory bounds: per collection and a shared total (the daemon's, across SAs). */
struct reasm_limits {
	size_t max_bytes;		/* one collection */
	size_t max_total;		/* everything */
	size_t *total;			/* the running total, shared */
};

enum reasm_result {
	REASM_WANTED,		/* reasm_check: decrypt it and reasm_add it */
	REASM_HELD,		/* reasm_add: stored, message incomplete */
	REASM_COMPLETE,		/* reasm_add: all fragments there: call reasm_finish */
	REASM_DUPLICATE,	/* already have this fragment: drop */
	REASM_STALE,		/* smaller Total Fragments than being collected: drop */
	REASM_BAD_NUMBER,	/* number 0, number > total, total > REASM_MAX_FRAGMENTS */
	REASM_OVER_LIMIT,	/* memory limit: collection dropped */
};
const char *reasm_result_name(enum reasm_result r);

/* Before decrypting: is this fragment worth authenticating? (RFC 7383 2.6.1) */
enum reasm_result reasm_check(const struct reasm *r, uint32_t msgid, bool response,
			      uint16_t number, uint16_t total);
/* After it authenticated: store its plaintext.  A fragment of another message, or
 * with a larger Total Fragments, restarts the collection (RFC 7383 2.6.1).  hdr is
 * the fragment's IKE header, np its SKF Next Payload. */
enum reasm_result reasm_add(struct reasm *r, const struct reasm_limits *lim, const uint8_t *hdr,
			    uint32_t msgid, bool response, uint16_t number, uint16_t total, uint8_t np,
			    const uint8_t *plain, size_t len);
/* On REASM_COMPLETE: the whole plaintext (owned by the caller) and its record, whose
 * plain points into *plain_out; the collection is reset. */
void reasm_finish(struct reasm *r, const struct reasm_limits *lim, struct chunk *plain_out,
		  struct sk_record *rec);
void reasm_reset(struct reasm *r, const struct reasm_limits *lim);

#endif
