/* kernel_xfrm.h -- the parsing of what the kernel sends over XFRM netlink, kept pure
 * (no socket, no daemon state) so that testing/fuzz/fuzz_pluto_xfrm.c can drive it.
 * The backend itself is kernel_xfrm_ops (pluto.h). */
#ifndef KERNEL_XFRM_H
#define KERNEL_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/xfrm.h>

#define XFRM_MAX_STALE 4096		/* stale objects removed per start (per kind) */
#define XFRM_MAX_EXPIRIES 64		/* expire events taken from one read */

/* An ACK or error answer (NLMSG_ERROR) to request seq of socket portid: 0, or the
 * errno the kernel gave (EPROTO, ESRCH, ... for a malformed or foreign answer). */
int xfrm_parse_ack(const void *buf, size_t len, unsigned seq, unsigned portid);

/* The SAs and policies of an earlier run (reqid in this daemon's range) */
struct xfrm_stale {
	unsigned n;
	struct xfrm_usersa_id sa[XFRM_MAX_STALE];
	struct xfrm_userpolicy_id pol[XFRM_MAX_STALE];
	struct xfrm_mark sa_mark[XFRM_MAX_STALE], pol_mark[XFRM_MAX_STALE];	/* {0,0}: none */
};
/* One buffer of the answer to a dump of type XFRM_MSG_GETSA or XFRM_MSG_GETPOLICY:
 * the ids of our objects are appended to s; libmnl's result (MNL_CB_OK: more to
 * come, MNL_CB_STOP: NLMSG_DONE, MNL_CB_ERROR with errno). */
int xfrm_parse_dump(uint16_t type, const void *buf, size_t len, unsigned seq, unsigned portid,
		    struct xfrm_stale *s);

/* The answer to XFRM_MSG_GETSA: the octets the SA carried (curlft.bytes); 0, or an
 * errno (the kernel's, or EPROTO for a malformed answer) */
int xfrm_parse_sa_bytes(const void *buf, size_t len, unsigned seq, unsigned portid, uint64_t *bytes);

/* XFRM_MSG_EXPIRE events (XFRMNLGRP_EXPIRE): those for our ESP SAs, at most max,
 * go to out; returns how many. */
struct xfrm_expiry {
	uint8_t spi[4];			/* network order, as child_sa.spi_local */
	bool hard;
};
unsigned xfrm_parse_expire(const void *buf, size_t len, struct xfrm_expiry *out, unsigned max);

#endif
