/* test_pluto_log.c -- log_drop() (programs/pluto/log.c): PLUTO_LOG_DROP_BURST lines a
 * second per reason, the rest counted and summarised at the turn of the second. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pluto.h"

static unsigned count_lines(FILE *f, const char *needle)
{
	char line[512];
	unsigned n = 0;
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, needle) != NULL;
	return n;
}

static void burst_then_summary(void **state)
{
	struct pluto *p = calloc(1, sizeof(*p));
	timers_use_manual(p, 5000);
	p->log = tmpfile();
	assert_non_null(p->log);
	for (unsigned i = 0; i < PLUTO_LOG_DROP_BURST + 25; i++) {
		p->drops.second = pluto_now_ms(p) / 1000;	/* all in one second */
		log_drop(p, NULL, "bad length", "packet %u: dropped: bad length", i);
		log_drop(p, NULL, "truncated", "packet %u: dropped: truncated", i);
	}
	log_drop(p, NULL, "other", "one other");
	fflush(p->log);
	assert_int_equal(count_lines(p->log, "dropped: bad length"), PLUTO_LOG_DROP_BURST);
	assert_int_equal(count_lines(p->log, "dropped: truncated"), PLUTO_LOG_DROP_BURST);
	assert_int_equal(count_lines(p->log, "one other"), 1);
	assert_int_equal(count_lines(p->log, "more datagrams"), 0);
	/* the next second: one summary per reason, and lines again */
	p->drops.second = 0;
	log_drop(p, NULL, "bad length", "packet again: dropped: bad length");
	fflush(p->log);
	assert_int_equal(count_lines(p->log, "dropped 25 more datagrams: bad length"), 1);
	assert_int_equal(count_lines(p->log, "dropped 25 more datagrams: truncated"), 1);
	assert_int_equal(count_lines(p->log, "more datagrams: other"), 0);
	assert_int_equal(count_lines(p->log, "packet again"), 1);
	/* a flood that stops: its summary comes with the timer at the turn of the second
	 * ("packet again" was the first line of this second) */
	for (unsigned i = 0; i < PLUTO_LOG_DROP_BURST - 1 + 3; i++)
		log_drop(p, NULL, "bad length", "late %u: dropped: bad length", i);
	fflush(p->log);
	assert_int_equal(count_lines(p->log, "dropped 3 more datagrams: bad length"), 0);
	timer_advance(p, 1001);
	fflush(p->log);
	assert_int_equal(count_lines(p->log, "dropped 3 more datagrams: bad length"), 1);
	log_drops_stop(p);
	timers_free(p);
	fclose(p->log);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
