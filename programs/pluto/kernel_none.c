/* kernel_none.c -- protostack=none: nothing is installed; what would be installed
 * is recorded in the Child SA so that whack --status / --trafficstatus show it. */
#include <stdio.h>
#include "pluto.h"

static bool none_init(struct pluto *p, char *err, size_t errlen)
{
	return true;
}

static bool none_install(struct pluto *p, struct ike_sa *ike, struct child_sa *child, char *err,
			 size_t errlen)
{
	char l[IP_STR_MAX], r[IP_STR_MAX];
	int n = snprintf(child->kernel_note, sizeof(child->kernel_note),
		 "protostack=none: would install %s %s <=> %s%s, reqid %u, replay window %u, ESP SPIs %02x%02x%02x%02x/%02x%02x%02x%02x",
		 child->transport ? "transport" : "tunnel", ip_str(&child->local, l), ip_str(&child->remote, r),
		 child->encap ? " (ESP in UDP)" : "", child->reqid, child->replay_window,
		 child->spi_local[0], child->spi_local[1], child->spi_local[2], child->spi_local[3],
		 child->spi_remote[0], child->spi_remote[1], child->spi_remote[2], child->spi_remote[3]);
	if (n > 0 && (size_t)n < sizeof(child->kernel_note) && (child->mark_in.set || child->mark_out.set))
		kernel_mark_note(child, child->kernel_note + n, sizeof(child->kernel_note) - (size_t)n);
	return true;
}

static void none_remove(struct pluto *p, struct ike_sa *ike, struct child_sa *child)
{
}

static void none_shutdown(struct pluto *p)
{
}

const struct kernel_ops kernel_none_ops = {
	.name = "none",
	.init = none_init,
	.install = none_install,
	.remove = none_remove,
	.shutdown = none_shutdown,
	.natt_socket = NULL,
	.counters = NULL,
	.stack = "none",
};
