/* test_pluto_table.c -- the transition table of programs/pluto/ikev2.c is consistent
 * (principle 3, docs/architecture.md): every row has a handler and valid next states,
 * sane payload counts, and no two rows answer the same (state, exchange, role,
 * request/response); the counts refuse duplicates and strays; the state setter's
 * moves are the protocol's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ikev2.h"

static void table_is_consistent(void **state)
{
	char why[160];
	unsigned bad = ikev2_table_check(why, sizeof(why));
	if (bad != 0)
		fail_msg("%u bad row(s), e.g. %s", bad, why);
}

static void state_names_exist(void **state)
{
	for (int s = 0; s < IKE_STATE_COUNT; s++)
		assert_string_not_equal(ike_state_name((enum ike_state)s), "STATE_UNKNOWN");
	assert_string_equal(ike_state_name(IKE_STATE_COUNT), "STATE_UNKNOWN");
	assert_string_equal(ike_state_name(IKE_ESTABLISHED), "STATE_V2_ESTABLISHED_IKE_SA");
}

static struct ike_chain chain_of(const uint8_t *types, unsigned n)
{
	struct ike_chain c;
	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < n; i++)
		c.pl[i].type = types[i];
	c.n = n;
	return c;
}

static bool counts_ok(const struct transition *t, const uint8_t *types, unsigned n, char *why)
{
	struct ike_chain c = chain_of(types, n);
	return ikev2_payloads_ok(t, &c, why, 80);
}

static void payload_counts(void **state)
{
	char why[80];
	const struct transition *init = ikev2_find_row(IKE_STATE_NONE, IKE_SA_INIT, false, false);
	const struct transition *auth = ikev2_find_row(IKE_R_INIT_DONE, IKE_AUTH, false, false);
	assert_non_null(init);
	assert_non_null(auth);
	const uint8_t good_init[] = { IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE, IKE_PL_NOTIFY, IKE_PL_NOTIFY,
				      IKE_PL_VID, IKE_PL_NOTIFY };
	assert_true(counts_ok(init, good_init, sizeof(good_init), why));
	/* RFC 7296 3.x: one SA, one KE, one Nonce in IKE_SA_INIT */
	const uint8_t two_ke[] = { IKE_PL_SA, IKE_PL_KE, IKE_PL_KE, IKE_PL_NONCE };
	assert_false(counts_ok(init, two_ke, sizeof(two_ke), why));
	assert_string_equal(why, "2 KE payloads (at most 1)");
	const uint8_t two_sa[] = { IKE_PL_SA, IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE };
	assert_false(counts_ok(init, two_sa, sizeof(two_sa), why));
	const uint8_t no_nonce[] = { IKE_PL_SA, IKE_PL_KE };
	assert_false(counts_ok(init, no_nonce, sizeof(no_nonce), why));
	assert_string_equal(why, "missing Nonce payload");
	/* IKE_AUTH: exactly one IDi and AUTH; CERT may repeat; EAP is not ours */
	const uint8_t good_auth[] = { IKE_PL_IDI, IKE_PL_CERT, IKE_PL_CERT, IKE_PL_AUTH, IKE_PL_SA,
				      IKE_PL_TSI, IKE_PL_TSR, IKE_PL_NOTIFY };
	assert_true(counts_ok(auth, good_auth, sizeof(good_auth), why));
	const uint8_t two_auth[] = { IKE_PL_IDI, IKE_PL_AUTH, IKE_PL_AUTH, IKE_PL_SA };
	assert_false(counts_ok(auth, two_auth, sizeof(two_auth), why));
	const uint8_t eap[] = { IKE_PL_IDI, IKE_PL_AUTH, IKE_PL_EAP };
	assert_false(counts_ok(auth, eap, sizeof(eap), why));
	assert_string_equal(why, "unexpected EAP payload");
	/* the SK payload itself and types outside the registry's range are not counted */
	const uint8_t sk[] = { IKE_PL_SK, IKE_PL_IDI, IKE_PL_AUTH, 200 };
	assert_true(counts_ok(auth, sk, sizeof(sk), why));
	/* RFC 9370 2.2.4: IKE_FOLLOWUP_KE requests carry the ADDITIONAL_KEY_EXCHANGE notify */
	const struct transition *fk = ikev2_find_row(IKE_ESTABLISHED, IKE_FOLLOWUP_KE, true, false);
	assert_non_null(fk);
	const uint8_t ke_only[] = { IKE_PL_KE };
	assert_false(counts_ok(fk, ke_only, sizeof(ke_only), why));
}

static void rows_by_role(void **state)
{
	/* INFORMATIONAL and CREATE_CHILD_SA rows serve both roles; IKE_AUTH requests
	 * reach only a responder */
	assert_ptr_equal(ikev2_find_row(IKE_ESTABLISHED, INFORMATIONAL, true, false),
			 ikev2_find_row(IKE_ESTABLISHED, INFORMATIONAL, false, false));
	assert_non_null(ikev2_find_row(IKE_ESTABLISHED, CREATE_CHILD_SA, false, true));
	assert_null(ikev2_find_row(IKE_R_INIT_DONE, IKE_AUTH, true, false));
	assert_null(ikev2_find_row(IKE_R_FAILED, IKE_AUTH, false, false));
	assert_null(ikev2_find_row(IKE_DEAD, INFORMATIONAL, false, false));
}

static void state_moves(void **state)
{
	assert_true(ike_state_move_ok(IKE_STATE_NONE, IKE_R_INIT_DONE));
	assert_true(ike_state_move_ok(IKE_STATE_NONE, IKE_ESTABLISHED));	/* made by a rekey */
	assert_true(ike_state_move_ok(IKE_I_INIT_SENT, IKE_I_INTERMEDIATE_SENT));
	assert_true(ike_state_move_ok(IKE_R_INIT_DONE, IKE_R_FAILED));
	assert_true(ike_state_move_ok(IKE_ESTABLISHED, IKE_DELETING));
	assert_false(ike_state_move_ok(IKE_ESTABLISHED, IKE_R_FAILED));
	assert_false(ike_state_move_ok(IKE_I_AUTH_SENT, IKE_I_INTERMEDIATE_SENT));
	assert_false(ike_state_move_ok(IKE_R_FAILED, IKE_ESTABLISHED));
	assert_false(ike_state_move_ok(IKE_DELETING, IKE_ESTABLISHED));
	for (int s = 0; s < IKE_STATE_COUNT; s++) {
		assert_false(ike_state_move_ok(IKE_DEAD, (enum ike_state)s));
		if (s != IKE_DEAD)
			assert_true(ike_state_move_ok((enum ike_state)s, IKE_DEAD));
	}
	assert_false(ike_state_move_ok(IKE_STATE_NONE, IKE_STATE_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_consistent),
		cmocka_unit_test(state_names_exist),
		cmocka_unit_test(payload_counts),
		cmocka_unit_test(rows_by_role),
		cmocka_unit_test(state_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
