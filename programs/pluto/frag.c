/* frag.c -- RFC 7383: splitting protected messages into Encrypted Fragment payloads
 * and reassembling them, every fragment authenticated before it is kept. */
#include <stdlib.h>
#include <string.h>
#include "frag.h"

struct frag_collect {
	uint32_t msgid;
	bool response;
	uint16_t total;
	unsigned have;
	size_t bytes;
	uint8_t hdr[IKE_HDR_LEN];	/* fragment 1's header, for the record */
	uint8_t inner_np;		/* fragment 1's Next Payload */
	struct chunk part[FRAG_MAX_PER_MSG + 1];	/* decrypted, by Fragment Number */
};

static void collect_free(struct pluto *p, struct frag_collect **fc)
{
	if (*fc == NULL)
		return;
	for (unsigned i = 0; i <= FRAG_MAX_PER_MSG; i++)
		chunk_free(&(*fc)->part[i]);
	p->frag_bytes -= (*fc)->bytes;
	free(*fc);
	*fc = NULL;
}

void frag_free(struct ike_sa *ike)
{
	collect_free(ike->pluto, &ike->frag_rx);
}

/* --- sending (RFC 7383 2.5) --- */

static size_t max_dgram(const struct ike_sa *ike)
{
	return FRAG_DEFAULT_MAX_DGRAM;
}

/* Plaintext octets one fragment can carry within the datagram size. */
static size_t frag_chunk_len(const struct ike_sa *ike, const struct sk_suite *s)
{
	size_t ip_udp = (ike->remote.version == 6 ? 40 : 20) + 8 +
			(ike->ifc != NULL && ike->ifc->natt ? IKE_NON_ESP_MARKER_LEN : 0);
	size_t fixed = ip_udp + IKE_HDR_LEN + sk_overhead(s, 0, true);
	size_t room = max_dgram(ike) > fixed ? max_dgram(ike) - fixed : 0;
	size_t bl = s->info.blocklen > 1 ? s->info.blocklen : 1;
	/* padding can add up to a block: stay below a multiple of it */
	return room >= bl ? room - room % bl - (bl > 1 ? 1 : 0) : 0;
}

static bool one_message(const struct ike_hdr *h, const struct sk_suite *s, const struct chunk *ke,
			const struct chunk *ka, uint8_t inner_np, const uint8_t *plain, size_t len,
			uint16_t num, uint16_t total, struct chunk *out)
{
	uint8_t *storage = malloc(IKE_MSG_MAX);
	if (storage == NULL)
		return false;
	struct ike_buf b;
	codec_buf_init(&b, storage, IKE_MSG_MAX);
	codec_put_hdr(&b, h);
	bool ok = sk_encrypt(s, ke, ka, &b, inner_np, plain, len, num, total) && !b.overflow;
	if (ok)
		*out = chunk_dup(b.data, b.len);
	free(storage);
	return ok;
}

bool frag_protect(struct ike_sa *ike, const struct ike_hdr *h, const struct sk_suite *s,
		  const struct chunk *ke, const struct chunk *ka, uint8_t inner_np,
		  const uint8_t *plain, size_t plain_len, struct dgrams *out)
{
	dgrams_free(out);
	bool can = ike->frag_negotiated && ike->c->conf.fragmentation != CONF_FRAG_NO;
	size_t whole = IKE_HDR_LEN + sk_overhead(s, plain_len, false) + plain_len +
		       (ike->remote.version == 6 ? 48 : 28);
	size_t chunk_len = frag_chunk_len(ike, s);
	bool force = ike->c->conf.fragmentation == CONF_FRAG_FORCE;
	if (!can || chunk_len == 0 || (whole <= max_dgram(ike) && !force)) {
		out->n = 1;
		return one_message(h, s, ke, ka, inner_np, plain, plain_len, 0, 0, &out->d[0]);
	}
	size_t total = plain_len == 0 ? 1 : (plain_len + chunk_len - 1) / chunk_len;
	if (total > FRAG_MAX_PER_MSG)
		return false;
	struct ike_hdr fh = *h;
	for (size_t i = 0; i < total; i++) {
		size_t off = i * chunk_len;
		size_t n = plain_len - off < chunk_len ? plain_len - off : chunk_len;
		if (!one_message(&fh, s, ke, ka, inner_np, plain + off, n, (uint16_t)(i + 1),
				 (uint16_t)total, &out->d[i])) {
			dgrams_free(out);
			return false;
		}
		out->n = (unsigned)i + 1;
	}
	return true;
}

/* --- receiving (RFC 7383 2.6) --- */

static enum frag_result reassemble(struct ike_sa *ike, struct msg_digest *md, struct frag_collect *fc)
{
	size_t len = 0;
	for (unsigned i = 1; i <= fc->total; i++)
		len += fc->part[i].len;
	chunk_free(&md->plain);
	md->plain = chunk_alloc(len);
	size_t off = 0;
	for (unsigned i = 1; i <= fc->total; i++) {
		memcpy(md->plain.ptr + off, fc->part[i].ptr, fc->part[i].len);
		off += fc->part[i].len;
	}
	memcpy(md->rec.hdr, fc->hdr, IKE_HDR_LEN);
	md->rec.unenc = NULL;
	md->rec.unenc_len = 0;
	md->rec.inner_np = fc->inner_np;
	md->rec.plain = md->plain.ptr;
	md->rec.plain_len = len;
	ike->frags_received += fc->total;
	ike_log(ike, "reassembled %s %s (message ID %u) from %u fragments",
		ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request",
		md->hdr.msgid, fc->total);
	collect_free(ike->pluto, &ike->frag_rx);
	return FRAG_COMPLETE;
}

static bool frag_fits(struct ike_sa *ike, const struct frag_collect *fc, size_t n)
{
	return fc->bytes + n <= FRAG_MAX_BYTES_PER_SA &&
	       ike->pluto->frag_bytes + n <= FRAG_MAX_BYTES_TOTAL;
}

enum frag_result frag_receive(struct ike_sa *ike, struct msg_digest *md, const struct ike_pl *skf,
			      const struct chunk *ke, const struct chunk *ka)
{
	struct ike_skf_pl f;
	if (codec_decode_skf(skf, &f) != CODEC_OK || f.total > FRAG_MAX_PER_MSG) {
		ike_log(ike, "dropping fragment of %s (message ID %u): bad numbering",
			ike_exchange_name(md->hdr.exchange), md->hdr.msgid);
		return FRAG_DROP;
	}
	struct frag_collect *fc = ike->frag_rx;
	if (fc != NULL && (fc->msgid != md->hdr.msgid || fc->response != md->response)) {
		/* window 1: a fragment of another message replaces the collection */
		collect_free(ike->pluto, &ike->frag_rx);
		fc = NULL;
	}
	if (fc != NULL && f.total < fc->total)
		return FRAG_DROP;	/* RFC 7383 2.6.1: stale, smaller Total Fragments */
	if (fc != NULL && fc->part[f.number].ptr != NULL && f.total == fc->total)
		return FRAG_DROP;	/* duplicate */
	/* RFC 7383 2.6.1: authenticate each fragment before use */
	uint8_t *out = malloc(skf->len ? skf->len : 1);
	if (out == NULL)
		return FRAG_DROP;
	const uint8_t *plain;
	size_t plain_len;
	enum sk_result r = sk_decrypt(&ike->suite, ke, ka, md->raw, md->raw_len, skf, out, &plain, &plain_len);
	if (r != SK_OK) {
		ike_log(ike, "dropping fragment %u/%u of %s (message ID %u): %s", f.number, f.total,
			ike_exchange_name(md->hdr.exchange), md->hdr.msgid, sk_result_name(r));
		free(out);
		return FRAG_DROP;
	}
	if (fc != NULL && f.total > fc->total)
		collect_free(ike->pluto, &ike->frag_rx);	/* RFC 7383 2.6.1: restart */
	if (ike->frag_rx == NULL) {
		ike->frag_rx = calloc(1, sizeof(*ike->frag_rx));
		if (ike->frag_rx == NULL) {
			free(out);
			return FRAG_DROP;
		}
		ike->frag_rx->msgid = md->hdr.msgid;
		ike->frag_rx->response = md->response;
		ike->frag_rx->total = f.total;
	}
	fc = ike->frag_rx;
	if (!frag_fits(ike, fc, plain_len)) {
		ike_log(ike, "dropping fragment %u/%u: reassembly limit reached", f.number, f.total);
		chunk_wipe(out, skf->len);
		free(out);
		collect_free(ike->pluto, &ike->frag_rx);
		return FRAG_DROP;
	}
	fc->part[f.number] = chunk_dup(plain, plain_len);
	chunk_wipe(out, skf->len);
	free(out);
	fc->bytes += plain_len;
	ike->pluto->frag_bytes += plain_len;
	fc->have++;
	if (f.number == 1) {
		memcpy(fc->hdr, md->raw, IKE_HDR_LEN);
		fc->inner_np = skf->np;
	}
	return fc->have == fc->total ? reassemble(ike, md, fc) : FRAG_HELD;
}
