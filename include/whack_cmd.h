/* whack_cmd.h -- the control-socket command line (lib/libconf/whack_cmd.c), shared by
 * whack (which writes it) and pluto (which parses it).
 *
 * A command is one line "VERB[ ARG]\n" of at most WHACK_CMD_LINE_MAX octets (the
 * newline included).  VERB is one of the table's words; ARG is what the verb takes: a
 * connection name (at most CONF_NAME_MAX - 1 octets), an --impair word, for bench
 * "NAME COUNT", for debug a debug list and for debug-conn "NAME LIST".  No control characters (NUL, CR, TAB, DEL, ...) anywhere.  Parsing is
 * pure: bytes in, a struct whack_cmd or the reason out.
 */
#ifndef WHACK_CMD_H
#define WHACK_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include "conf.h"

#define WHACK_CMD_LINE_MAX 1024		/* octets of one command line, '\n' included */
#define WHACK_ARG_MAX      128		/* octets of ARG, NUL included */

enum whack_verb {
	WHACK_ADD, WHACK_DELETE, WHACK_UP, WHACK_DOWN, WHACK_STATUS, WHACK_TRAFFICSTATUS,
	WHACK_REREADSECRETS, WHACK_SHUTDOWN, WHACK_LISTEN, WHACK_BENCH, WHACK_IMPAIR,
	WHACK_REKEY_IKE, WHACK_REKEY_CHILD, WHACK_SECCOMP_CRASHTEST, WHACK_REREADALL,
	WHACK_DEBUG, WHACK_DEBUG_CONN,
	WHACK_VERB_COUNT
};

/* WHACK_ARG_DEBUG: a debug list (include/plutodebug.h) that parses; DEBUG_CONN:
 * "NAME LIST" */
enum whack_arg { WHACK_ARG_NONE, WHACK_ARG_NAME, WHACK_ARG_WORD, WHACK_ARG_BENCH, WHACK_ARG_DEBUG,
		 WHACK_ARG_NAME_DEBUG };

struct whack_cmd {
	enum whack_verb verb;
	char arg[WHACK_ARG_MAX];	/* "" when the verb takes none */
};

enum whack_parse {
	WHACK_PARSE_OK,
	WHACK_PARSE_EMPTY,		/* nothing before the newline */
	WHACK_PARSE_TOO_LONG,		/* longer than WHACK_CMD_LINE_MAX */
	WHACK_PARSE_BAD_CHAR,		/* a control character */
	WHACK_PARSE_UNKNOWN,		/* not a verb of the table */
	WHACK_PARSE_MISSING_ARG,
	WHACK_PARSE_EXTRA_ARG,		/* an argument to a verb that takes none */
	WHACK_PARSE_BAD_ARG,		/* too long, or not of the verb's form */
};

/* line: the octets before the '\n' (not NUL-terminated; len of them) */
enum whack_parse whack_cmd_parse(const char *line, size_t len, struct whack_cmd *out);
const char *whack_parse_str(enum whack_parse r);
const char *whack_verb_str(enum whack_verb v);
enum whack_arg whack_verb_arg(enum whack_verb v);
/* "VERB[ ARG]\n" into buf; false if it would not parse back (bad or too long ARG) */
bool whack_cmd_format(enum whack_verb v, const char *arg, char *buf, size_t len);

#endif
