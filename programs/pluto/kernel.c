/* kernel.c -- the kernel facade: protostack= chooses the backend (xfrm or none). */
#include <string.h>
#include "pluto.h"

bool kernel_init(struct pluto *p, char *err, size_t errlen)
{
	const char *want = p->setup.protostack[0] ? p->setup.protostack : "xfrm";
	if (strcmp(want, "xfrm") == 0 || strcmp(want, "netkey") == 0) {
		p->kernel = &kernel_xfrm_ops;
	} else if (strcmp(want, "none") == 0) {
		p->kernel = &kernel_none_ops;
	} else {
		snprintf(err, errlen, "protostack=%s is not supported (use xfrm or none)", want);
		return false;
	}
	if (!p->kernel->init(p, err, errlen))
		return false;
	plog(p, "using kernel interface: %s", p->kernel->name);
	return true;
}

/* ", marks in VALUE/MASK out VALUE/MASK" (whack --status); "-" for a direction without */
void kernel_mark_note(const struct child_sa *child, char *buf, size_t len)
{
	char in[32] = "-", out[32] = "-";
	if (child->mark_in.set)
		snprintf(in, sizeof(in), "%#x/%#x", child->mark_in.value, child->mark_in.mask);
	if (child->mark_out.set)
		snprintf(out, sizeof(out), "%#x/%#x", child->mark_out.value, child->mark_out.mask);
	snprintf(buf, len, ", marks in %s out %s", in, out);
}
