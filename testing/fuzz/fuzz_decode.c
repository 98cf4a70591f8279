/* fuzz_decode.c -- libFuzzer target for the payload decoder (include/ike_codec.h).
 *
 * The input is taken twice: as a whole datagram (IKE header, then the chain it names)
 * and as an inner chain (the plaintext of an SK payload) whose first payload type is
 * input[0].  Every typed decoder runs on every payload whatever its type, since the
 * decoders must be safe on any body.  A decoded SA/TS is re-encoded and decoded again:
 * what the encoder writes, the decoder must take back.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "ike_codec.h"
#include "ppk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reencode_sa(const struct ike_sa_pl *sa)
{
	uint8_t st[IKE_MSG_MAX];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_sa_pl again;
	uint8_t bad;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_sa(&b, sa);
	if (b.overflow)
		return;
	if (codec_decode_chain(b.first_np, st, b.len, &c, &bad) != CODEC_OK || c.n != 1 ||
	    codec_decode_sa(&c.pl[0], &again) != CODEC_OK || again.nprop != sa->nprop)
		__builtin_trap();
	for (unsigned i = 0; i < sa->nprop; i++) {
		const struct ike_proposal *x = &sa->prop[i], *y = &again.prop[i];
		if (x->num != y->num || x->protocol != y->protocol || x->spi_len != y->spi_len ||
		    memcmp(x->spi, y->spi, x->spi_len) != 0 || x->ntrans != y->ntrans)
			__builtin_trap();
		for (unsigned j = 0; j < x->ntrans; j++)
			if (x->t[j].type != y->t[j].type || x->t[j].id != y->t[j].id ||
			    x->t[j].keylen != y->t[j].keylen || y->t[j].unknown_attr)
				__builtin_trap();
	}
}

static void reencode_ts(const struct ike_ts_pl *ts)
{
	uint8_t st[4 + IKE_MAX_TS * 40 + 4];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_ts_pl again;
	uint8_t bad;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_ts(&b, IKE_PL_TSI, ts);
	if (b.overflow ||
	    codec_decode_chain(b.first_np, st, b.len, &c, &bad) != CODEC_OK || c.n != 1 ||
	    codec_decode_ts(&c.pl[0], &again) != CODEC_OK || again.n != ts->n ||
	    memcmp(again.ts, ts->ts, ts->n * sizeof(ts->ts[0])) != 0)
		__builtin_trap();
}

static void decode_payload(const struct ike_pl *pl)
{
	struct ike_sa_pl sa;
	struct ike_ke_pl ke;
	struct ike_id_pl id;
	struct ike_auth_pl auth;
	struct ike_notify_pl n;
	struct ike_delete_pl del;
	struct ike_ts_pl ts;
	struct ike_skf_pl skf;
	const uint8_t *nonce;
	size_t nonce_len;
	volatile size_t sink = 0;

	if (codec_decode_sa(pl, &sa) == CODEC_OK)
		reencode_sa(&sa);
	if (codec_decode_ke(pl, &ke) == CODEC_OK && ke.len)
		sink += ke.data[ke.len - 1];
	if (codec_decode_id(pl, &id) == CODEC_OK && id.len)
		sink += id.data[id.len - 1] + id.body[id.body_len - 1];
	if (codec_decode_auth(pl, &auth) == CODEC_OK && auth.len)
		sink += auth.data[auth.len - 1];
	if (codec_decode_nonce(pl, &nonce, &nonce_len) == CODEC_OK)
		sink += nonce[nonce_len - 1];
	if (codec_decode_notify(pl, &n) == CODEC_OK && n.len)
		sink += n.data[n.len - 1];
	if (codec_decode_notify(pl, &n) == CODEC_OK && n.spi_len)
		sink += n.spi[n.spi_len - 1];
	/* RFC 8784 PPK_IDENTITY data, whatever the notify type */
	uint8_t ppk_type;
	const uint8_t *ppk_id;
	size_t ppk_len;
	if (codec_decode_notify(pl, &n) == CODEC_OK &&
	    ppk_identity_decode(n.data, n.len, &ppk_type, &ppk_id, &ppk_len) == PPK_IDENTITY_OK)
		sink += ppk_id[ppk_len - 1];
	if (codec_decode_delete(pl, &del) == CODEC_OK && del.nspi && del.spi_len)
		sink += del.spis[(size_t)del.nspi * del.spi_len - 1];
	if (codec_decode_ts(pl, &ts) == CODEC_OK)
		reencode_ts(&ts);
	if (codec_decode_skf(pl, &skf) == CODEC_OK && skf.len)
		sink += skf.data[skf.len - 1];
	(void)sink;
}

static void decode_all(const struct ike_chain *c)
{
	for (unsigned i = 0; i < c->n; i++)
		decode_payload(&c->pl[i]);
	for (uint16_t t = 0; t < 4; t++)
		(void)codec_find_notify(c, (uint16_t)(IKE_N_NAT_DETECTION_SOURCE_IP + t));
	(void)codec_count(c, IKE_PL_NOTIFY);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_chain c;
	struct ike_hdr h;
	uint8_t bad = 0;

	if (codec_decode_hdr(data, size, &h) == CODEC_OK &&
	    codec_decode_chain(h.np, data + IKE_HDR_LEN, size - IKE_HDR_LEN, &c, &bad) == CODEC_OK)
		decode_all(&c);
	if (size >= 1 &&
	    codec_decode_chain(data[0], data + 1, size - 1, &c, &bad) == CODEC_OK)
		decode_all(&c);
	return 0;
}
