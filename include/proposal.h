/* proposal.h -- ike=/esp= algorithm strings (Libreswan syntax) <-> SA payload proposals,
 * and negotiation (RFC 7296 2.7, 3.3.6).
 *
 * Syntax: a ','-separated list of proposals; each proposal is '-'-separated components
 * ENCR[-INTEG][-PRF][-KE] for ike= (AEAD: ENCR-PRF-KE) and ENCR[-INTEG][-KE] for esp=;
 * '+' joins alternatives inside a component: "aes_gcm256+aes_gcm128-sha2_256-dh31+dh19".
 * Examples: "aes_gcm256-sha2_256-dh31", "aes128-sha2-dh31", "aes256-sha2_512-modp3072".
 */
#ifndef PROPOSAL_H
#define PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include "ike_codec.h"

struct proposal_list {
	unsigned n;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];	/* num = index + 1; protocol set */
};

enum proposal_kind { PROPOSAL_IKE, PROPOSAL_ESP };

/* NULL or "" gives the default list.  On error returns false with a reason naming the
 * offending token in err ("unknown encryption algorithm 'aes999'"). */
bool proposal_parse(enum proposal_kind kind, const char *str, struct proposal_list *out,
		    char *err, size_t errlen);
void proposal_default(enum proposal_kind kind, struct proposal_list *out);

/* Copy a list into an SA payload (ESP proposals get spi/spi_len; IKE none in IKE_SA_INIT). */
void proposal_to_sa(const struct proposal_list *l, const uint8_t *spi, uint8_t spi_len,
		    struct ike_sa_pl *out);

enum proposal_result {
	PROPOSAL_OK = 0,
	PROPOSAL_NO_CHOSEN,	/* answer NO_PROPOSAL_CHOSEN */
	PROPOSAL_INVALID,	/* malformed (answer INVALID_SYNTAX) */
};
/* Responder (RFC 7296 3.3.6): choose from the peer's proposals, in the peer's order,
 * the first acceptable against any local proposal; *chosen has one transform per type
 * (ESN NO when ESP and the peer offered it), the peer's proposal number and SPI.
 * Transforms with unknown attributes are skipped. */
enum proposal_result proposal_select(const struct proposal_list *local, const struct ike_sa_pl *offered,
				     struct ike_proposal *chosen);
/* Initiator: the responder's reply must hold exactly one proposal with one transform
 * per type, matching one we sent (by number). */
enum proposal_result proposal_check_reply(const struct proposal_list *sent, const struct ike_sa_pl *reply,
					  struct ike_proposal *chosen);

/* The transform ID of a type in a (chosen) proposal; false if absent. keylen may be NULL. */
bool proposal_get(const struct ike_proposal *p, enum ike_transform_type type, uint16_t *id, uint16_t *keylen);
/* The list without KE and ADDKE transforms (RFC 7296 1.2: an IKE_AUTH Child SA
 * carries none). */
void proposal_without_ke(const struct proposal_list *in, struct proposal_list *out);
/* PFS (Libreswan pfs=yes): each proposal that names no KE gets KE ke and ADDKE1..n
 * addke[]; proposals with their own KE keep it.  ke NONE leaves the list as is. */
void proposal_with_ke(const struct proposal_list *in, uint16_t ke, const uint16_t *addke, unsigned naddke,
		      struct proposal_list *out);
/* The ADDKE methods of a chosen proposal that are not NONE, in ascending type
 * order (RFC 9370 2.2.2: one follow-up exchange each); methods holds 7. */
unsigned proposal_addkes(const struct ike_proposal *p, uint16_t *methods);
/* esn= (RFC 7296 3.3.2): the ESN transforms of every ESP proposal, YES before NO */
void proposal_set_esn(struct proposal_list *l, bool yes, bool no);
/* The KE method the first proposal of a list prefers (for the IKE_SA_INIT KE payload). */
uint16_t proposal_first_ke(const struct proposal_list *l);
/* Whether any proposal in the list allows KE method m. */
bool proposal_allows_ke(const struct proposal_list *l, uint16_t m);
/* "AES_GCM_16_256-HMAC_SHA2_256-CURVE25519" for logs and whack --status */
const char *proposal_str(const struct ike_proposal *p, char *buf, size_t len);

#endif
