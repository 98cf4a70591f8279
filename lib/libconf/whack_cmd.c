/* whack_cmd.c -- the control-socket command line: one table of verbs, the parser
 * (pluto) and the formatter (whack).  See include/whack_cmd.h. */
#include <stdio.h>
#include <string.h>
#include "plutodebug.h"
#include "whack_cmd.h"

#define WHACK_BENCH_COUNT_DIGITS 9	/* bench COUNT: 1..999999999 (pluto caps it lower) */

static const struct {
	const char *word;
	enum whack_arg arg;
} verbs[WHACK_VERB_COUNT] = {
	[WHACK_ADD] = { "add", WHACK_ARG_NAME },
	[WHACK_DELETE] = { "delete", WHACK_ARG_NAME },
	[WHACK_UP] = { "up", WHACK_ARG_NAME },
	[WHACK_DOWN] = { "down", WHACK_ARG_NAME },
	[WHACK_STATUS] = { "status", WHACK_ARG_NONE },
	[WHACK_TRAFFICSTATUS] = { "trafficstatus", WHACK_ARG_NONE },
	[WHACK_REREADSECRETS] = { "rereadsecrets", WHACK_ARG_NONE },
	[WHACK_SHUTDOWN] = { "shutdown", WHACK_ARG_NONE },
	[WHACK_LISTEN] = { "listen", WHACK_ARG_NONE },
	[WHACK_BENCH] = { "bench", WHACK_ARG_BENCH },
	[WHACK_IMPAIR] = { "impair", WHACK_ARG_WORD },
	[WHACK_REKEY_IKE] = { "rekey-ike", WHACK_ARG_NAME },
	[WHACK_REKEY_CHILD] = { "rekey-child", WHACK_ARG_NAME },
	[WHACK_SECCOMP_CRASHTEST] = { "seccomp-crashtest", WHACK_ARG_NONE },
	[WHACK_REREADALL] = { "rereadall", WHACK_ARG_NONE },
	[WHACK_DEBUG] = { "debug", WHACK_ARG_DEBUG },
	[WHACK_DEBUG_CONN] = { "debug-conn", WHACK_ARG_NAME_DEBUG },
};

const char *whack_verb_str(enum whack_verb v)
{
	return (unsigned)v < WHACK_VERB_COUNT ? verbs[v].word : "?";
}

enum whack_arg whack_verb_arg(enum whack_verb v)
{
	return (unsigned)v < WHACK_VERB_COUNT ? verbs[v].arg : WHACK_ARG_NONE;
}

const char *whack_parse_str(enum whack_parse r)
{
	switch (r) {
	case WHACK_PARSE_OK: return "ok";
	case WHACK_PARSE_EMPTY: return "empty command";
	case WHACK_PARSE_TOO_LONG: return "command longer than " CONF_STR(WHACK_CMD_LINE_MAX) " octets";
	case WHACK_PARSE_BAD_CHAR: return "control character in command";
	case WHACK_PARSE_UNKNOWN: return "unknown command";
	case WHACK_PARSE_MISSING_ARG: return "command needs an argument";
	case WHACK_PARSE_EXTRA_ARG: return "command takes no argument";
	case WHACK_PARSE_BAD_ARG: return "bad argument";
	}
	return "?";
}

/* a word: 1..max octets, no space */
static bool word_ok(const char *s, size_t len, size_t max)
{
	return len > 0 && len <= max && memchr(s, ' ', len) == NULL;
}

static bool count_ok(const char *s, size_t len)
{
	if (len == 0 || len > WHACK_BENCH_COUNT_DIGITS || s[0] == '0')
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* a debug list that parses (include/plutodebug.h) */
static bool debug_ok(const char *s, size_t len)
{
	char list[WHACK_ARG_MAX], why[160];
	struct dbg_lmod m;
	if (len == 0 || len >= sizeof(list))
		return false;
	memcpy(list, s, len);
	list[len] = '\0';
	/* at least one word: a list of separators alone says nothing */
	return list[strspn(list, ",+ \t")] != '\0' && dbg_parse(list, &m, why, sizeof(why));
}

static bool arg_ok(enum whack_arg kind, const char *a, size_t len)
{
	switch (kind) {
	case WHACK_ARG_NONE:
		return len == 0;
	case WHACK_ARG_NAME:
	case WHACK_ARG_WORD:
		return word_ok(a, len, CONF_NAME_MAX - 1);
	case WHACK_ARG_BENCH: {
		const char *sp = memchr(a, ' ', len);
		if (sp == NULL)
			return false;
		size_t nl = (size_t)(sp - a);
		return word_ok(a, nl, CONF_NAME_MAX - 1) && count_ok(sp + 1, len - nl - 1);
	}
	case WHACK_ARG_DEBUG:
		return debug_ok(a, len);
	case WHACK_ARG_NAME_DEBUG: {
		const char *sp = memchr(a, ' ', len);
		if (sp == NULL)
			return false;
		size_t nl = (size_t)(sp - a);
		return word_ok(a, nl, CONF_NAME_MAX - 1) && debug_ok(sp + 1, len - nl - 1);
	}
	}
	return false;
}

enum whack_parse whack_cmd_parse(const char *line, size_t len, struct whack_cmd *out)
{
	memset(out, 0, sizeof(*out));
	if (len >= WHACK_CMD_LINE_MAX)
		return WHACK_PARSE_TOO_LONG;
	if (len == 0)
		return WHACK_PARSE_EMPTY;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c == 0x7f)
			return WHACK_PARSE_BAD_CHAR;
	}
	const char *sp = memchr(line, ' ', len);
	size_t vlen = sp != NULL ? (size_t)(sp - line) : len;
	const char *arg = sp != NULL ? sp + 1 : line + len;
	size_t alen = sp != NULL ? len - vlen - 1 : 0;
	int v = -1;
	for (int i = 0; i < WHACK_VERB_COUNT; i++)
		if (strlen(verbs[i].word) == vlen && memcmp(verbs[i].word, line, vlen) == 0)
			v = i;
	if (v < 0)
		return WHACK_PARSE_UNKNOWN;
	enum whack_arg kind = verbs[v].arg;
	if (kind == WHACK_ARG_NONE && sp != NULL)
		return WHACK_PARSE_EXTRA_ARG;
	if (kind != WHACK_ARG_NONE && alen == 0)
		return WHACK_PARSE_MISSING_ARG;
	if (alen >= WHACK_ARG_MAX || !arg_ok(kind, arg, alen))
		return WHACK_PARSE_BAD_ARG;
	out->verb = (enum whack_verb)v;
	memcpy(out->arg, arg, alen);
	out->arg[alen] = '\0';
	return WHACK_PARSE_OK;
}

bool whack_cmd_format(enum whack_verb v, const char *arg, char *buf, size_t len)
{
	if ((unsigned)v >= WHACK_VERB_COUNT)
		return false;
	bool has = verbs[v].arg != WHACK_ARG_NONE;
	int n = snprintf(buf, len, "%s%s%s\n", verbs[v].word, has ? " " : "", has && arg ? arg : "");
	if (n < 0 || (size_t)n >= len)
		return false;
	struct whack_cmd check;
	return whack_cmd_parse(buf, (size_t)n - 1, &check) == WHACK_PARSE_OK;
}
