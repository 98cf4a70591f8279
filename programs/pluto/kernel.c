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
