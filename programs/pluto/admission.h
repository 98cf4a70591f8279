/* admission.h -- who may make this daemon keep state before it knows who they are:
 * the half-open IKE SA budget (RFC 7296 2.6, 2.21) in number and in octets, in total
 * and per source address, one half-open IKE SA per (address, SPIi), and when an
 * IKE_SA_INIT request must carry a COOKIE.  demux.c asks before creating a responder
 * SA; ike_auth.c and ike_sa.c give the slot back.  Every limit is a named constant or
 * a `config setup` keyword with Libreswan's meaning (ddos-mode=, ddos-ike-threshold=,
 * max-halfopen-ike=). */
#ifndef ADMISSION_H
#define ADMISSION_H

#include "pluto.h"

/* One source address (an IPv6 one by its /64: a host usually owns the whole
 * prefix) holds at most 1/ADMISSION_ADDR_SHARE_DIV of the half-open budget, in number
 * and in octets, so that one address cannot lock out the others.  Requests without a
 * cookie may come from a forged address: past its share, the address must return a
 * COOKIE (RFC 7296 2.6), and those with one have a share of their own, so that
 * forged requests cannot use up the share of the address they name. */
#define ADMISSION_ADDR_SHARE_DIV     4
#define ADMISSION_IPV6_PREFIX_OCTETS 8
/* Octets the half-open SAs together may make us keep: each is charged its
 * IKE_SA_INIT request (kept for AUTH, RFC 7296 2.15: it may carry large Vendor ID
 * or CERTREQ payloads) and the SA itself */
#define ADMISSION_HALF_OPEN_OCTETS   (16u * 1024 * 1024)

enum admission_verdict {
	ADMIT_OK,
	ADMIT_FULL,		/* max-halfopen-ike= reached */
	ADMIT_ADDR_FULL,	/* this address holds its share of half-open SAs */
	ADMIT_MEMORY,		/* the half-open octet budget is used up */
	ADMIT_ADDR_MEMORY,	/* this address holds its share of the octets */
};
const char *admission_verdict_name(enum admission_verdict v);

/* RFC 7296 2.6: must a new IKE_SA_INIT request of octets from this address return a
 * cookie (ddos-mode=, ddos-ike-threshold=, or the address past its share)? */
bool admission_cookie_required(struct pluto *p, const struct ip_addr *from, size_t octets);
/* May a half-open SA for a request of octets from this address be created?  proven:
 * the request returned a valid cookie */
enum admission_verdict admission_check(struct pluto *p, const struct ip_addr *from, size_t octets, bool proven);
/* ike (a new responder SA) takes its slot and octets; admission_check said OK */
void admission_charge(struct ike_sa *ike, size_t octets, bool proven);
/* ike is authenticated or gone: its slot and octets go back (idempotent) */
void admission_release(struct ike_sa *ike);
/* The one half-open responder SA of (address, SPIi), whatever the source port: a
 * request for it is a retransmission (RFC 7296 2.1), never a new SA */
struct ike_sa *admission_find(struct pluto *p, const uint8_t spi_i[IKE_SPI_LEN], const struct ip_addr *from);

#endif
