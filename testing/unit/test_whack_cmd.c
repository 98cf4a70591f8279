/* test_whack_cmd.c -- whack_cmd.c: the control-socket command line, parsed and
 * formatted; every malformed form gets its reason. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "whack_cmd.h"

static enum whack_parse parse(const char *s, struct whack_cmd *c)
{
	return whack_cmd_parse(s, strlen(s), c);
}

static void test_good(void **state)
{
	struct whack_cmd c;
	assert_int_equal(parse("status", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_STATUS);
	assert_string_equal(c.arg, "");
	assert_int_equal(parse("up west-east", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_UP);
	assert_string_equal(c.arg, "west-east");
	assert_int_equal(parse("bench west-east 500", &c), WHACK_PARSE_OK);
	assert_string_equal(c.arg, "west-east 500");
	assert_int_equal(parse("seccomp-crashtest", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_SECCOMP_CRASHTEST);
	assert_int_equal(parse("rereadall", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_REREADALL);
	assert_int_equal(parse("rereadall west-east", &c), WHACK_PARSE_EXTRA_ARG);
	/* the longest name there is */
	char line[80] = "add ";
	memset(line + 4, 'n', CONF_NAME_MAX - 1);
	line[4 + CONF_NAME_MAX - 1] = '\0';
	assert_int_equal(parse(line, &c), WHACK_PARSE_OK);
	line[4 + CONF_NAME_MAX - 1] = 'n';
	line[4 + CONF_NAME_MAX] = '\0';
	assert_int_equal(parse(line, &c), WHACK_PARSE_BAD_ARG);
}

static void test_bad(void **state)
{
	struct whack_cmd c;
	assert_int_equal(parse("", &c), WHACK_PARSE_EMPTY);
	assert_int_equal(parse("statu", &c), WHACK_PARSE_UNKNOWN);
	assert_int_equal(parse("status ", &c), WHACK_PARSE_EXTRA_ARG);
	assert_int_equal(parse("status x", &c), WHACK_PARSE_EXTRA_ARG);
	assert_int_equal(parse("up", &c), WHACK_PARSE_MISSING_ARG);
	assert_int_equal(parse("up ", &c), WHACK_PARSE_MISSING_ARG);
	assert_int_equal(parse("up a b", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("up a\r", &c), WHACK_PARSE_BAD_CHAR);
	assert_int_equal(parse("bench a", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("bench a 0", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("bench a 12x", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("bench a 1234567890", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(whack_cmd_parse("up a\0b", 6, &c), WHACK_PARSE_BAD_CHAR);
	static char big[WHACK_CMD_LINE_MAX + 8];
	memset(big, 'x', sizeof(big) - 1);
	assert_int_equal(parse(big, &c), WHACK_PARSE_TOO_LONG);
	assert_string_equal(whack_parse_str(WHACK_PARSE_TOO_LONG), "command longer than 1024 octets");
}

/* debug LIST and debug-conn NAME LIST: the list must parse (include/plutodebug.h) */
static void test_debug(void **state)
{
	struct whack_cmd c;
	assert_int_equal(parse("debug all,crypt", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_DEBUG);
	assert_string_equal(c.arg, "all,crypt");
	assert_int_equal(parse("debug none base cpu-usage", &c), WHACK_PARSE_OK);
	assert_string_equal(c.arg, "none base cpu-usage");
	assert_int_equal(parse("debug no-base", &c), WHACK_PARSE_OK);
	assert_int_equal(parse("debug", &c), WHACK_PARSE_MISSING_ARG);
	assert_int_equal(parse("debug bogus", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("debug  ,", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("debug-conn c  ", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("debug refcnt", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("debug-conn west-east base,add-prefix", &c), WHACK_PARSE_OK);
	assert_int_equal(c.verb, WHACK_DEBUG_CONN);
	assert_string_equal(c.arg, "west-east base,add-prefix");
	assert_int_equal(parse("debug-conn west-east", &c), WHACK_PARSE_BAD_ARG);
	assert_int_equal(parse("debug-conn west-east bogus", &c), WHACK_PARSE_BAD_ARG);
	char buf[WHACK_CMD_LINE_MAX];
	assert_true(whack_cmd_format(WHACK_DEBUG, "all,no-cpu-usage", buf, sizeof(buf)));
	assert_string_equal(buf, "debug all,no-cpu-usage\n");
	assert_false(whack_cmd_format(WHACK_DEBUG, "al", buf, sizeof(buf)));
}

static void test_format(void **state)
{
	char buf[WHACK_CMD_LINE_MAX];
	assert_true(whack_cmd_format(WHACK_UP, "west-east", buf, sizeof(buf)));
	assert_string_equal(buf, "up west-east\n");
	assert_true(whack_cmd_format(WHACK_STATUS, "ignored", buf, sizeof(buf)));
	assert_string_equal(buf, "status\n");
	assert_false(whack_cmd_format(WHACK_UP, "two words", buf, sizeof(buf)));
	assert_false(whack_cmd_format(WHACK_UP, "", buf, sizeof(buf)));
	assert_false(whack_cmd_format(WHACK_UP, "a\nstatus", buf, sizeof(buf)));
	assert_false(whack_cmd_format(WHACK_UP, "west-east", buf, 8));
	for (int v = 0; v < WHACK_VERB_COUNT; v++) {
		enum whack_arg k = whack_verb_arg(v);
		const char *arg = k == WHACK_ARG_BENCH ? "c 3" : k == WHACK_ARG_DEBUG ? "base" :
				  k == WHACK_ARG_NAME_DEBUG ? "c base" : "c";
		struct whack_cmd c;
		assert_true(whack_cmd_format(v, arg, buf, sizeof(buf)));
		assert_int_equal(whack_cmd_parse(buf, strlen(buf) - 1, &c), WHACK_PARSE_OK);
		assert_int_equal(c.verb, v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_debug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
