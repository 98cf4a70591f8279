/* create_child_sa.c -- CREATE_CHILD_SA (RFC 7296 1.3).  Rekeying and additional
 * Child SAs are not implemented yet: the request is answered, per RFC 7296 1.3 and
 * 3.10.1, with NO_ADDITIONAL_SAS so the peer knows and the IKE SA stays up. */
#include "ikev2.h"

enum tr_result create_child_sa_r(struct ike_sa *ike, struct msg_digest *md)
{
	ike_log(ike, "CREATE_CHILD_SA request not supported yet; responding NO_ADDITIONAL_SAS");
	send_notify_response(ike, md, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
	return TR_STAY;
}
