/* tsel.h -- traffic selectors as sets (RFC 7296 2.9): building ours from a subnet
 * and protoport, narrowing the peer's to ours, checking the peer's choice, and
 * whether a selector is a prefix that a kernel policy can express exactly.
 * Pure: no sockets, no state. */
#ifndef TSEL_H
#define TSEL_H

#include <stdbool.h>
#include "ike_codec.h"
#include "ip.h"

/* One selector: the whole subnet; protocol 0 = any; port 0 = all ports. */
void tsel_from_subnet(const struct ip_subnet *sn, uint8_t protocol, uint16_t port, struct ike_ts *out);

/* The prefix length of the selector's address range, or -1 when the range is not
 * one CIDR block. */
int tsel_prefix(const struct ike_ts *t);

/* Responder (RFC 7296 2.9): the largest part of the peer's selectors that ours
 * allows, over every selector they proposed: each non-empty intersection, cut to
 * the largest CIDR block in it when it is not one (never widened), duplicates
 * dropped.  False when nothing is left (TS_UNACCEPTABLE). */
bool tsel_narrow(const struct ike_ts_pl *theirs, const struct ike_ts *ours, struct ike_ts_pl *out);

/* Initiator: every selector the responder chose lies within ours. */
bool tsel_within(const struct ike_ts_pl *chosen, const struct ike_ts *ours);

/* narrowing=no (Libreswan's default and rule): one of the selectors is exactly ours
 * (addresses, protocol and ports).  A responder then answers with ours, and refuses
 * (TS_UNACCEPTABLE) when none is; an initiator accepts a response only so. */
bool tsel_match(const struct ike_ts_pl *theirs, const struct ike_ts *ours);

/* "192.0.2.64/28", "192.0.2.1-192.0.2.5 proto 17 port 1701" (debug and log lines) */
const char *tsel_str(const struct ike_ts *t, char *buf, size_t len);
/* the selectors of a payload, ", "-separated; "(none)" */
const char *tsel_list_str(const struct ike_ts_pl *l, char *buf, size_t len);

#endif
