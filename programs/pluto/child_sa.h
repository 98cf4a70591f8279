/* child_sa.h -- Child SA helpers (child_sa.c). */
#ifndef CHILD_SA_H
#define CHILD_SA_H

#include "ikev2.h"

struct child_sa *child_sa_new(struct ike_sa *ike);
void child_ts_for_end(const struct conf_end *e, struct ike_ts *out);
bool child_ts_narrow(const struct ike_ts_pl *theirs, const struct conf_end *ours, struct ike_ts_pl *out);
bool child_ts_within(const struct ike_ts_pl *chosen, const struct conf_end *ours);
bool child_sa_keymat(struct ike_sa *ike, struct child_sa *child);
bool child_sa_install(struct ike_sa *ike, struct child_sa *child);
void child_sa_delete_failed(struct ike_sa *ike, struct child_sa *child);

#endif
