/* test_pluto_table.c -- the transition table of programs/pluto/ikev2.c is consistent
 * (principle 3, docs/architecture.md): every row has a handler and valid next states, no payload
 * is both required and optional, and no two rows answer the same
 * (state, exchange, role, request/response). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_consistent),
		cmocka_unit_test(state_names_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
