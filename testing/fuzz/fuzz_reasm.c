/* fuzz_reasm.c -- libFuzzer target for RFC 7383 2.6 reassembly (include/reasm.h).
 *
 * The input is a sequence of fragment records, each
 *
 *   op (1) | msgid (1) | number (1) | total (1) | np (1) | len (1) | len octets
 *
 * op bit 0: the fragment is a response; bit 1: which of two collections (two SAs
 * sharing one byte total) gets it; op >= 0xf0: reset that collection instead.
 * Message IDs are taken modulo 4 so that fragments of one message meet; numbers and
 * totals run over 0..255 so that bad numbering and REASM_MAX_FRAGMENTS are reached.
 *
 * Each record goes through reasm_check then reasm_add, as the daemon does around
 * sk_decrypt, and is compared with a small model of the rules in reasm.h / RFC 7383
 * 2.6.1.  Aborts when: a result differs from the model, the shared total exceeds its
 * limit or differs from what the collections hold, a collection exceeds its own
 * limit, a finished record is not fragment 1's header and Next Payload followed by the
 * plaintexts in order, or the total is not 0 after both collections are reset.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ike_codec.h"
#include "reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BYTES 256		/* per collection */
#define MAX_TOTAL 384		/* shared */
#define CHECK(x) do { if (!(x)) abort(); } while (0)

struct model {
	bool active;
	uint32_t msgid;
	bool response;
	uint16_t total;
	unsigned have;
	size_t bytes;
	const uint8_t *part[REASM_MAX_FRAGMENTS + 1];
	size_t len[REASM_MAX_FRAGMENTS + 1];
	bool got[REASM_MAX_FRAGMENTS + 1];
	uint8_t hdr1[IKE_HDR_LEN];
	uint8_t np1;
};

static void fake_hdr(uint8_t hdr[IKE_HDR_LEN], uint32_t msgid, bool response, uint16_t number,
		     size_t seq)
{
	memset(hdr, 0x5a, 16);
	hdr[16] = IKE_PL_SKF;
	hdr[17] = 0x20;
	hdr[18] = IKE_INTERMEDIATE;
	hdr[19] = response ? IKE_FLAG_RESPONSE : IKE_FLAG_INITIATOR;
	be_put32(hdr + 20, msgid);
	be_put16(hdr + 24, number);
	be_put16(hdr + 26, (uint16_t)seq);	/* tells one fragment 1 from another */
}

/* What reasm_check must answer (reasm.h, RFC 7383 2.5 and 2.6.1). */
static enum reasm_result model_check(const struct model *m, uint32_t msgid, bool response,
				     uint16_t number, uint16_t total)
{
	if (number == 0 || total == 0 || number > total || total > REASM_MAX_FRAGMENTS)
		return REASM_BAD_NUMBER;
	if (!m->active || m->msgid != msgid || m->response != response)
		return REASM_WANTED;
	if (total < m->total)
		return REASM_STALE;
	if (total == m->total && m->got[number])
		return REASM_DUPLICATE;
	return REASM_WANTED;
}

static void invariants(const struct reasm r[2], const size_t *shared)
{
	CHECK(*shared <= MAX_TOTAL);
	CHECK(*shared == r[0].bytes + r[1].bytes);
	for (int i = 0; i < 2; i++) {
		CHECK(r[i].bytes <= MAX_BYTES);
		CHECK(r[i].active || (r[i].bytes == 0 && r[i].have == 0));
		CHECK(r[i].have <= r[i].total);
	}
}

/* On REASM_COMPLETE: the record must be the model's message. */
static void finish(struct reasm *r, const struct reasm_limits *lim, struct model *m,
		   const size_t *shared)
{
	size_t before = *shared;
	struct chunk plain;
	struct sk_record rec;
	reasm_finish(r, lim, &plain, &rec);
	CHECK(memcmp(rec.hdr, m->hdr1, IKE_HDR_LEN) == 0);
	CHECK(rec.inner_np == m->np1);
	CHECK(rec.plain == plain.ptr && rec.plain_len == m->bytes && plain.len == m->bytes);
	size_t off = 0;
	for (unsigned n = 1; n <= m->total; n++) {
		CHECK(m->got[n]);
		CHECK(m->len[n] == 0 || memcmp(rec.plain + off, m->part[n], m->len[n]) == 0);
		off += m->len[n];
	}
	CHECK(!r->active && r->bytes == 0);
	CHECK(*shared == before - m->bytes);
	chunk_free(&plain);
	memset(m, 0, sizeof(*m));
}

/* One fragment record against collection r / model m. */
static void fragment(struct reasm *r, const struct reasm_limits *lim, struct model *m,
		     const size_t *shared, uint32_t msgid, bool response, uint16_t number,
		     uint16_t total, uint8_t np, const uint8_t *p, size_t len, size_t seq)
{
	enum reasm_result want = model_check(m, msgid, response, number, total);
	CHECK(reasm_check(r, msgid, response, number, total) == want);
	uint8_t hdr[IKE_HDR_LEN];
	fake_hdr(hdr, msgid, response, number, seq);
	size_t before = *shared;
	enum reasm_result got = reasm_add(r, lim, hdr, msgid, response, number, total, np, p, len);
	if (want != REASM_WANTED) {
		CHECK(got == want);
		CHECK(*shared == before);
		return;
	}
	/* another message, or re-fragmented with a larger total: start again */
	if (m->active && (m->msgid != msgid || m->response != response || total > m->total)) {
		before -= m->bytes;
		memset(m, 0, sizeof(*m));
	}
	if (m->bytes + len > MAX_BYTES || before + len > MAX_TOTAL) {
		CHECK(got == REASM_OVER_LIMIT);
		CHECK(!r->active);
		CHECK(*shared == before - m->bytes);	/* the collection gave its octets back */
		memset(m, 0, sizeof(*m));
		return;
	}
	if (!m->active) {
		m->active = true;
		m->msgid = msgid;
		m->response = response;
		m->total = total;
	}
	m->got[number] = true;
	m->part[number] = p;
	m->len[number] = len;
	m->bytes += len;
	m->have++;
	if (number == 1) {
		memcpy(m->hdr1, hdr, IKE_HDR_LEN);
		m->np1 = np;
	}
	CHECK(*shared == before + len);
	CHECK(r->active && r->bytes == m->bytes && r->have == m->have && r->total == m->total);
	if (m->have < m->total) {
		CHECK(got == REASM_HELD);
		return;
	}
	CHECK(got == REASM_COMPLETE);
	finish(r, lim, m, shared);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reasm r[2];
	struct model m[2];
	size_t shared = 0;
	const struct reasm_limits lim = { MAX_BYTES, MAX_TOTAL, &shared };
	memset(r, 0, sizeof(r));
	memset(m, 0, sizeof(m));

	size_t off = 0, seq = 0;
	while (size - off >= 6) {
		const uint8_t *h = data + off;
		uint8_t op = h[0];
		size_t len = h[5];
		off += 6;
		if (len > size - off)
			len = size - off;
		const uint8_t *p = data + off;
		off += len;
		int which = (op >> 1) & 1;
		if (op >= 0xf0) {
			size_t before = shared;
			size_t held = r[which].bytes;
			reasm_reset(&r[which], &lim);
			CHECK(!r[which].active && shared == before - held);
			memset(&m[which], 0, sizeof(m[which]));
		} else {
			fragment(&r[which], &lim, &m[which], &shared, h[1] & 3u, op & 1, h[2], h[3],
				 h[4], len ? p : NULL, len, seq++);
		}
		invariants(r, &shared);
	}
	reasm_reset(&r[0], &lim);
	reasm_reset(&r[1], &lim);
	CHECK(shared == 0);
	return 0;
}
