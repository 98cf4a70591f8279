/* status.h -- whack --status / --trafficstatus output (status.c). */
#ifndef STATUS_H
#define STATUS_H

#include "pluto.h"

void status_show(struct pluto *p, struct whack_client *w, bool traffic_only);

#endif
