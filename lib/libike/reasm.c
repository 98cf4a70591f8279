/* reasm.c -- RFC 7383 2.6 reassembly: duplicates dropped, a larger Total Fragments
 * restarts collection, only authenticated fragments are stored, memory bounded. */
#include <string.h>
#include "reasm.h"

const char *reasm_result_name(enum reasm_result r)
{
	switch (r) {
	case REASM_WANTED: return "wanted";
	case REASM_HELD: return "held";
	case REASM_COMPLETE: return "complete";
	case REASM_DUPLICATE: return "duplicate fragment";
	case REASM_STALE: return "stale fragment (smaller Total Fragments)";
	case REASM_BAD_NUMBER: return "bad fragment numbering";
	case REASM_OVER_LIMIT: return "reassembly memory limit reached";
	}
	return "unknown";
}

void reasm_reset(struct reasm *r, const struct reasm_limits *lim)
{
	for (unsigned i = 0; i <= REASM_MAX_FRAGMENTS; i++)
		chunk_free(&r->part[i]);
	if (lim->total != NULL)
		*lim->total -= r->bytes;
	memset(r, 0, sizeof(*r));
}

static bool same_message(const struct reasm *r, uint32_t msgid, bool response)
{
	return r->active && r->msgid == msgid && r->response == response;
}

enum reasm_result reasm_check(const struct reasm *r, uint32_t msgid, bool response,
			      uint16_t number, uint16_t total)
{
	/* RFC 7383 2.5: numbering starts at 1 and never exceeds Total Fragments */
	if (number == 0 || total == 0 || number > total || total > REASM_MAX_FRAGMENTS)
		return REASM_BAD_NUMBER;
	if (!same_message(r, msgid, response))
		return REASM_WANTED;
	/* RFC 7383 2.6.1: a smaller Total Fragments belongs to an older attempt */
	if (total < r->total)
		return REASM_STALE;
	if (total == r->total && r->part[number].ptr != NULL)
		return REASM_DUPLICATE;
	return REASM_WANTED;
}

enum reasm_result reasm_add(struct reasm *r, const struct reasm_limits *lim, const uint8_t *hdr,
			    uint32_t msgid, bool response, uint16_t number, uint16_t total, uint8_t np,
			    const uint8_t *plain, size_t len)
{
	enum reasm_result c = reasm_check(r, msgid, response, number, total);
	if (c != REASM_WANTED)
		return c;
	/* another message (window 1), or the sender re-fragmented with a larger total */
	if (r->active && (!same_message(r, msgid, response) || total > r->total))
		reasm_reset(r, lim);
	if (r->bytes + len > lim->max_bytes ||
	    (lim->total != NULL && *lim->total + len > lim->max_total)) {
		reasm_reset(r, lim);
		return REASM_OVER_LIMIT;
	}
	if (!r->active) {
		r->active = true;
		r->msgid = msgid;
		r->response = response;
		r->total = total;
	}
	r->part[number] = chunk_dup(plain, len);
	r->bytes += len;
	if (lim->total != NULL)
		*lim->total += len;
	r->have++;
	if (number == 1) {
		memcpy(r->hdr, hdr, IKE_HDR_LEN);
		r->inner_np = np;	/* RFC 7383 2.5: only fragment 1 names the first payload */
	}
	return r->have == r->total ? REASM_COMPLETE : REASM_HELD;
}

void reasm_finish(struct reasm *r, const struct reasm_limits *lim, struct chunk *plain_out,
		  struct sk_record *rec)
{
	*plain_out = chunk_alloc(r->bytes);
	size_t off = 0;
	for (unsigned i = 1; i <= r->total; i++) {
		memcpy(plain_out->ptr + off, r->part[i].ptr, r->part[i].len);
		off += r->part[i].len;
	}
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->hdr, r->hdr, IKE_HDR_LEN);
	rec->inner_np = r->inner_np;
	rec->plain = plain_out->ptr;
	rec->plain_len = off;
	reasm_reset(r, lim);
}
