/* fuzz_whack.c -- libFuzzer target for the control-socket command parser
 * (lib/libconf/whack_cmd.c): any octets as one line.  A line that parses must say the
 * same after formatting it again, and its argument must be of the verb's form. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "plutodebug.h"
#include "whack_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size heap copy, so that ASan sees any read past the line */
	char *line = malloc(size ? size : 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	struct whack_cmd cmd;
	enum whack_parse r = whack_cmd_parse(line, size, &cmd);
	(void)whack_parse_str(r);
	if (r == WHACK_PARSE_OK) {
		char again[WHACK_CMD_LINE_MAX];
		if (!whack_cmd_format(cmd.verb, cmd.arg, again, sizeof(again)))
			abort();
		size_t n = strlen(again);
		if (n != size + 1 || memcmp(again, line, size) != 0)
			abort();
		if ((whack_verb_arg(cmd.verb) == WHACK_ARG_NONE) != (cmd.arg[0] == '\0'))
			abort();
		enum whack_arg k = whack_verb_arg(cmd.verb);
		bool debug = k == WHACK_ARG_DEBUG || k == WHACK_ARG_NAME_DEBUG;
		if (strlen(cmd.arg) >= (debug ? WHACK_ARG_MAX : CONF_NAME_MAX + 10))
			abort();
		/* a debug list that parsed here parses in pluto */
		struct dbg_lmod m;
		char why[256];
		const char *list = k == WHACK_ARG_NAME_DEBUG ? strchr(cmd.arg, ' ') : cmd.arg;
		if (debug && (list == NULL || !dbg_parse(list, &m, why, sizeof(why))))
			abort();
	}
	free(line);
	return 0;
}
