/* fuzz_pluto_xfrm.c -- libFuzzer target for the parsing of what the kernel sends over
 * XFRM netlink (programs/pluto/kernel_xfrm.h): the ACK/error answer to a request (and,
 * on the same input, the answer to XFRM_MSG_GETSA: an SA's octets), the
 * answer to a dump of SAs or policies (stale state of an earlier run), and
 * XFRM_MSG_EXPIRE events.  input[0] & 3 picks which (ack, SA dump, policy dump,
 * expire); with input[0] & 0x80 the sequence number and port ID are 0 (libmnl then
 * checks neither), else 0x1234 / 0x5678 as in the seeds.  The rest is the buffer, in
 * a heap copy of its exact size so that any over-read is caught.
 *
 * FUZZ_SEEDS=dir writes well-formed answers of each kind and exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include "pluto.h"
#include "kernel_xfrm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define SEQ 0x1234u
#define PORTID 0x5678u

static void check(uint8_t kind, const void *buf, size_t len)
{
	unsigned seq = (kind & 0x80) ? 0 : SEQ, portid = (kind & 0x80) ? 0 : PORTID;
	switch (kind & 3) {
	case 0: {
		uint64_t bytes = 0;
		(void)xfrm_parse_ack(buf, len, seq, portid);
		(void)xfrm_parse_sa_bytes(buf, len, seq, portid, &bytes);	/* XFRM_MSG_GETSA's answer */
		break;
	}
	case 1:
	case 2: {
		static struct xfrm_stale s;
		s.n = 0;
		for (int i = 0; i < 3; i++)	/* several buffers of one dump */
			(void)xfrm_parse_dump((kind & 3) == 1 ? XFRM_MSG_GETSA : XFRM_MSG_GETPOLICY, buf, len, seq,
					      portid, &s);
		if (s.n > XFRM_MAX_STALE)
			__builtin_trap();
		break;
	}
	default: {
		struct xfrm_expiry e[XFRM_MAX_EXPIRIES];
		if (xfrm_parse_expire(buf, len, e, XFRM_MAX_EXPIRIES) > XFRM_MAX_EXPIRIES)
			__builtin_trap();
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t len = size - 1;
	uint8_t *buf = malloc(len ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	check(data[0], buf, len);
	free(buf);
	return 0;
}

/* --- seeds ------------------------------------------------------------------------ */

static void seed(const char *dir, const char *name, uint8_t kind, const void *buf, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return;
	fputc(kind, f);
	fwrite(buf, 1, len, f);
	fclose(f);
}

static struct nlmsghdr *msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void make_seeds(const char *dir)
{
	static char buf[8192] __attribute__((aligned(8)));
	mkdir(dir, 0755);
	/* ACK, then an error (EEXIST) */
	struct nlmsghdr *nlh = msg(buf, NLMSG_ERROR, 0);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = 0;
	seed(dir, "ack", 0, buf, nlh->nlmsg_len);
	e->error = -17;
	seed(dir, "error-eexist", 0, buf, nlh->nlmsg_len);
	/* an SA dump: one of ours, one foreign, then NLMSG_DONE */
	size_t off = 0;
	for (int i = 0; i < 2; i++) {
		nlh = msg(buf + off, XFRM_MSG_NEWSA, NLM_F_MULTI);
		struct xfrm_usersa_info sa;	/* copied in: 4-octet alignment */
		memset(&sa, 0, sizeof(sa));
		sa.reqid = i == 0 ? PLUTO_REQID_BASE + 1 : 7;
		sa.id.spi = htonl(0x11223344u + (unsigned)i);
		sa.id.proto = IPPROTO_ESP;
		sa.family = 2;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(sa)), &sa, sizeof(sa));
		off += nlh->nlmsg_len;
	}
	nlh = msg(buf + off, NLMSG_DONE, NLM_F_MULTI);
	off += nlh->nlmsg_len;
	seed(dir, "dump-sa", 1, buf, off);
	/* a policy dump: ours (template with our reqid), foreign, done */
	off = 0;
	for (int i = 0; i < 2; i++) {
		nlh = msg(buf + off, XFRM_MSG_NEWPOLICY, NLM_F_MULTI);
		struct xfrm_userpolicy_info pol;
		memset(&pol, 0, sizeof(pol));
		pol.dir = XFRM_POLICY_OUT;
		pol.index = 8 + (unsigned)i;
		pol.sel.family = 2;
		pol.sel.prefixlen_d = 24;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(pol)), &pol, sizeof(pol));
		struct xfrm_user_tmpl t;
		memset(&t, 0, sizeof(t));
		t.reqid = i == 0 ? PLUTO_REQID_BASE + 3 : 9;
		t.id.proto = IPPROTO_ESP;
		mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
		off += nlh->nlmsg_len;
	}
	nlh = msg(buf + off, NLMSG_DONE, NLM_F_MULTI);
	off += nlh->nlmsg_len;
	seed(dir, "dump-policy", 2, buf, off);
	/* expire events: soft for ours, hard for ours, one foreign */
	off = 0;
	for (int i = 0; i < 3; i++) {
		nlh = msg(buf + off, XFRM_MSG_EXPIRE, 0);
		nlh->nlmsg_seq = 0;
		nlh->nlmsg_pid = 0;
		struct xfrm_user_expire x;
		memset(&x, 0, sizeof(x));
		x.state.reqid = i < 2 ? PLUTO_REQID_BASE + 1 : 5;
		x.state.id.spi = htonl(0xc0ffee00u + (unsigned)i);
		x.state.id.proto = IPPROTO_ESP;
		x.hard = i == 1;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(x)), &x, sizeof(x));
		off += nlh->nlmsg_len;
	}
	seed(dir, "expire", 3 | 0x80, buf, off);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEEDS");
	if (dir != NULL) {
		make_seeds(dir);
		exit(0);
	}
	return 0;
}
