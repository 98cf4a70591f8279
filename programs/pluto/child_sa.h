/* child_sa.h -- Child SA helpers (child_sa.c). */
#ifndef CHILD_SA_H
#define CHILD_SA_H

#include "ikev2.h"

struct msg_digest;

struct child_sa *child_sa_new(struct ike_sa *ike, struct connection *c);
/* the Child SA with this SPI, inbound (ours) or else outbound, whatever its IKE SA */
/* a Child SA's selectors: set (copied; n may be 0), read into a payload's form */
void child_ts_set(struct child_ts *t, const struct ike_ts *ts, unsigned n);
void child_ts_get(const struct child_ts *t, struct ike_ts_pl *out);
struct child_sa *child_sa_find(struct pluto *p, const uint8_t spi[4]);
/* sets the peer's SPI and keeps the index by it */
void child_sa_set_remote_spi(struct child_sa *child, const uint8_t spi[4]);
struct child_sa *child_sa_by_spi(struct ike_sa *ike, const uint8_t spi[4], bool ours);
void child_ts_for_end(const struct ike_sa *ike, const struct conf_end *e, struct ike_ts *out);
/* responder: the selectors connection c answers for one side's proposal (its
 * narrowing=: exactly ours, or narrowed to ours); false: TS_UNACCEPTABLE */
bool child_ts_select(const struct ike_sa *ike, const struct connection *c, const struct ike_ts_pl *theirs,
		     const struct conf_end *ours, struct ike_ts_pl *out);
/* initiator: whether c takes the responder's choice for one side, and what it keeps */
bool child_ts_accept(const struct ike_sa *ike, const struct connection *c, const struct ike_ts_pl *chosen,
		     const struct conf_end *ours, struct ike_ts_pl *out);
/* initiator: a larval Child SA for connection c (ike->larval); its request
 * payloads, in the order the exchange needs them */
struct child_sa *child_sa_propose(struct ike_sa *ike, struct connection *c);
void child_put_mode(struct ike_buf *b, const struct child_sa *child);
void child_proposals(const struct ike_sa *ike, const struct connection *c, uint8_t exchange,
		     struct proposal_list *out);
void child_put_proposals(struct ike_buf *b, const struct ike_sa *ike, const struct child_sa *child, uint8_t exchange);
void child_put_ts(struct ike_buf *b, const struct child_sa *child, bool we_initiate);
/* responder: mode, proposal and narrowed selectors for connection c; 0 and *out,
 * or the error notify to answer (logged; nothing kept) */
uint16_t child_sa_choose(struct ike_sa *ike, struct connection *c, const struct msg_digest *md,
			 struct child_sa **out);
void child_put_chosen(struct ike_buf *b, const struct child_sa *child);
/* initiator: the responder's choice must be one we offered (xname for the log) */
bool child_sa_accept(struct ike_sa *ike, struct child_sa *child, const struct msg_digest *md, const char *xname);
/* RFC 7296 2.17 / RFC 9370 2.2.4: KEYMAT from these nonces and secrets (gir, addke
 * may be NULL / 0), then the kernel; or, failing, a Delete to the peer */
void child_sa_finish(struct ike_sa *ike, struct child_sa *child, const struct chunk *ni, const struct chunk *nr,
		     const struct chunk *gir, const struct chunk *addke, size_t naddke);
bool child_sa_install(struct ike_sa *ike, struct child_sa *child);
void child_sa_delete_failed(struct ike_sa *ike, struct child_sa *child);
void child_sa_delete_request(struct ike_sa *ike, struct child_sa *child);
void child_sa_send_delete(struct ike_sa *ike, struct child_sa *child, bool gone, const char *why);

#endif
