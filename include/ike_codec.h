/* ike_codec.h -- bounds-checked IKEv2 payload codec (RFC 7296 section 3, RFC 7383 2.5).
 *
 * Decoding is zero-copy: decoded structs point into the caller's buffer, which must
 * outlive them.  Encoding appends into a caller-owned fixed-capacity buffer; an overflow
 * sets b->overflow and every later append is a no-op, so a builder checks once at the end.
 * Nothing here allocates, logs, or keeps global state.
 */
#ifndef IKE_CODEC_H
#define IKE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "be.h"
#include "ike_wire.h"

/* Limits of what one decoded message may hold (principle 4, docs/architecture.md). */
#define IKE_MAX_PAYLOADS   64	/* payloads in one chain (outer or inner) */
#define IKE_MAX_PROPOSALS  16	/* proposals in one SA payload */
#define IKE_MAX_TRANSFORMS 48	/* transforms in one proposal */
#define IKE_MAX_TS         16	/* selectors in one TS payload */
#define IKE_MAX_DELETE_SPIS 64	/* SPIs decoded from one Delete payload */
#define IKE_NONCE_MIN      16	/* RFC 7296 3.9 */
#define IKE_NONCE_MAX      256
#define IKE_MSG_MAX        65535 /* the IKE header Length field is 32 bits; UDP caps us */

enum codec_result {
	CODEC_OK = 0,
	CODEC_TRUNCATED,	/* buffer shorter than a header or a declared length */
	CODEC_BAD_LENGTH,	/* a length field is inconsistent (too small, overruns) */
	CODEC_BAD_VERSION,	/* IKE major version is not 2 (answer INVALID_MAJOR_VERSION) */
	CODEC_TOO_MANY,		/* more payloads/proposals/transforms/selectors than the limits */
	CODEC_UNSUPPORTED_CRITICAL, /* unknown payload with the critical bit (RFC 7296 2.5) */
	CODEC_BAD_VALUE,	/* a field has a value the RFC forbids */
	CODEC_SK_NOT_LAST,	/* SK/SKF is not the last payload (RFC 7296 3.14, RFC 7383 2.5) */
	CODEC_OVERFLOW,		/* encode: buffer too small */
};
const char *codec_result_name(enum codec_result r);

/* RFC 7296 3.1 IKE header, host byte order */
struct ike_hdr {
	uint8_t spi_i[IKE_SPI_LEN];
	uint8_t spi_r[IKE_SPI_LEN];
	uint8_t np;
	uint8_t version;	/* major << 4 | minor */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
};

/* One payload of a chain: generic header decoded, body not yet interpreted. */
struct ike_pl {
	uint8_t type;
	bool critical;
	uint8_t np;		/* Next Payload field as on the wire */
	const uint8_t *hdr;	/* generic header (4 octets) */
	const uint8_t *body;	/* octets after the generic header */
	uint16_t len;		/* body length */
};

struct ike_chain {
	unsigned n;
	struct ike_pl pl[IKE_MAX_PAYLOADS];
};

/* Decode the 28-octet header.  Checks: len >= 28, header Length == len
 * (CODEC_BAD_LENGTH otherwise), major version 2 (CODEC_BAD_VERSION). */
enum codec_result codec_decode_hdr(const uint8_t *p, size_t len, struct ike_hdr *h);

/* Decode a payload chain starting with type first_np over exactly len octets.
 * Known types (SA..EAP, SKF) are appended to out.  An unknown type without the
 * critical bit is skipped (RFC 7296 3.2); with the critical bit the result is
 * CODEC_UNSUPPORTED_CRITICAL and *bad_type is set.  SK and SKF must be last, and
 * their body extends to their generic length.  Trailing octets after the last
 * payload are CODEC_BAD_LENGTH. */
enum codec_result codec_decode_chain(uint8_t first_np, const uint8_t *p, size_t len,
				     struct ike_chain *out, uint8_t *bad_type);

/* First payload of a type in a chain, or NULL; count of a type. */
const struct ike_pl *codec_find(const struct ike_chain *c, uint8_t type);
unsigned codec_count(const struct ike_chain *c, uint8_t type);
struct ike_notify_pl;
/* First Notify of a given notify type, or NULL. */
const struct ike_pl *codec_find_notify(const struct ike_chain *c, uint16_t ntype);
/* The Notify payloads of a chain that decode, in order: start with *cursor = 0.
 *   for (unsigned i = 0; codec_next_notify(c, &i, &n);) ... */
bool codec_next_notify(const struct ike_chain *c, unsigned *cursor, struct ike_notify_pl *out);
/* the first error type (RFC 7296 3.10.1: below 16384) among them, 0 if none */
uint16_t codec_first_error_notify(const struct ike_chain *c);
/* "SA,KE,Nonce,N(NAT_DETECTION_SOURCE_IP)" (debug lines); "(none)" when empty */
const char *codec_chain_str(const struct ike_chain *c, char *buf, size_t len);

/* --- typed payload bodies --- */

struct ike_transform {
	uint8_t type;
	uint16_t id;
	uint16_t keylen;	/* Key Length attribute in bits; 0 when absent */
	bool unknown_attr;	/* an attribute we do not understand: RFC 7296 3.3.6 says
				 * such a transform must be rejected */
};

struct ike_proposal {
	uint8_t num;
	uint8_t protocol;	/* enum ike_protocol */
	uint8_t spi_len;
	uint8_t spi[IKE_SPI_LEN];
	uint8_t ntrans;
	struct ike_transform t[IKE_MAX_TRANSFORMS];
};

struct ike_sa_pl {
	uint8_t nprop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
};

struct ike_ke_pl {
	uint16_t method;	/* enum ike_ke_method */
	const uint8_t *data;
	size_t len;
};

struct ike_id_pl {
	uint8_t type;		/* enum ike_id_type */
	const uint8_t *data;
	size_t len;
	/* RFC 7296 2.15: IDx' = the whole body (type, RESERVED, data) */
	const uint8_t *body;
	size_t body_len;
};

struct ike_auth_pl {
	uint8_t method;
	const uint8_t *data;
	size_t len;
};

/* CERT (RFC 7296 3.6) and CERTREQ (3.7): an encoding octet and its data (a DER
 * certificate, or SHA-1 hashes of trusted CAs' SubjectPublicKeyInfo) */
struct ike_cert_pl {
	uint8_t encoding;
	const uint8_t *data;
	size_t len;
};

struct ike_notify_pl {
	uint8_t protocol;
	uint8_t spi_len;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

struct ike_delete_pl {
	uint8_t protocol;
	uint8_t spi_len;
	uint16_t nspi;
	const uint8_t *spis;	/* nspi * spi_len octets */
};

struct ike_ts {
	uint8_t type;		/* IKE_TS_IPV4_ADDR_RANGE or IKE_TS_IPV6_ADDR_RANGE */
	uint8_t ipproto;	/* 0 = any */
	uint16_t sport, eport;
	uint8_t saddr[16], eaddr[16];	/* 4 octets used for IPv4 */
};

struct ike_ts_pl {
	uint8_t n;
	struct ike_ts ts[IKE_MAX_TS];
};

struct ike_skf_pl {
	uint16_t number;	/* 1..total */
	uint16_t total;
	const uint8_t *data;	/* IV | ciphertext | ICV */
	size_t len;
};

/* Typed decoders read only pl->body and pl->len (any pl->type is safe).  pl may be
 * NULL, as codec_find returns for an absent payload: the result is CODEC_TRUNCATED. */
enum codec_result codec_decode_sa(const struct ike_pl *pl, struct ike_sa_pl *out);
enum codec_result codec_decode_ke(const struct ike_pl *pl, struct ike_ke_pl *out);
enum codec_result codec_decode_id(const struct ike_pl *pl, struct ike_id_pl *out);
enum codec_result codec_decode_auth(const struct ike_pl *pl, struct ike_auth_pl *out);
/* CERT or CERTREQ (pl->type says which) */
enum codec_result codec_decode_cert(const struct ike_pl *pl, struct ike_cert_pl *out);
/* Nonce: RFC 7296 3.9, 16..256 octets else CODEC_BAD_LENGTH */
enum codec_result codec_decode_nonce(const struct ike_pl *pl, const uint8_t **data, size_t *len);
enum codec_result codec_decode_notify(const struct ike_pl *pl, struct ike_notify_pl *out);
enum codec_result codec_decode_delete(const struct ike_pl *pl, struct ike_delete_pl *out);
enum codec_result codec_decode_ts(const struct ike_pl *pl, struct ike_ts_pl *out);
/* SKF: Fragment Number 0 or > Total is CODEC_BAD_VALUE (RFC 7383 2.5) */
enum codec_result codec_decode_skf(const struct ike_pl *pl, struct ike_skf_pl *out);

/* --- encoding --- */

struct ike_buf {
	uint8_t *data;
	size_t len, cap;
	bool overflow;
	/* Where the Next Payload field of the previous payload (or of the IKE header)
	 * sits, patched when the next payload is appended; SIZE_MAX when none. */
	size_t np_at;
	uint8_t first_np;	/* type of the first payload appended (inner chains) */
};

void codec_buf_init(struct ike_buf *b, uint8_t *storage, size_t cap);
/* Append raw octets. */
void codec_put_bytes(struct ike_buf *b, const void *p, size_t len);
/* Write the 28-octet header (np and length are patched later); after this the
 * first payload appended sets the header's Next Payload. */
void codec_put_hdr(struct ike_buf *b, const struct ike_hdr *h);
/* Set the header Length field from b->len (call last, after all payloads). */
void codec_finish_hdr(struct ike_buf *b);

/* Generic payload framing: begin writes the generic header with NP 0 and links it
 * into the chain, returns a mark; end patches the Payload Length. */
size_t codec_begin(struct ike_buf *b, uint8_t type, bool critical);
void codec_end(struct ike_buf *b, size_t mark);

void codec_put_raw(struct ike_buf *b, uint8_t type, bool critical, const void *body, size_t len);
void codec_put_sa(struct ike_buf *b, const struct ike_sa_pl *sa);
void codec_put_ke(struct ike_buf *b, uint16_t method, const void *data, size_t len);
/* IDi/IDr: pltype is IKE_PL_IDI or IKE_PL_IDR */
void codec_put_id(struct ike_buf *b, uint8_t pltype, uint8_t idtype, const void *data, size_t len);
void codec_put_auth(struct ike_buf *b, uint8_t method, const void *data, size_t len);
/* pltype is IKE_PL_CERT or IKE_PL_CERTREQ */
void codec_put_cert(struct ike_buf *b, uint8_t pltype, uint8_t encoding, const void *data, size_t len);
void codec_put_nonce(struct ike_buf *b, const void *data, size_t len);
void codec_put_notify(struct ike_buf *b, uint8_t protocol, const void *spi, uint8_t spi_len,
		      uint16_t type, const void *data, size_t len);
void codec_put_delete(struct ike_buf *b, uint8_t protocol, uint8_t spi_len,
		      const void *spis, uint16_t nspi);
void codec_put_vid(struct ike_buf *b, const void *data, size_t len);
/* TSi/TSr: pltype is IKE_PL_TSI or IKE_PL_TSR */
void codec_put_ts(struct ike_buf *b, uint8_t pltype, const struct ike_ts_pl *ts);

#endif
