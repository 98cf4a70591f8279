/* plutodebug.h -- pluto's debug categories, with Libreswan's names and list syntax
 * (lib/libconf/plutodebug.c): config setup plutodebug=, conn debug=, pluto --debug,
 * whack --debug / --no-debug.
 *
 * A list is words separated by ',', '+' or white space, applied left to right:
 * "none" turns everything off, NAME turns NAME on, "no-NAME" turns it off; "all"
 * is base+cpu-usage and "tmi" base+cpu-usage+tmi (Libreswan's aliases, so that
 * "all,no-base" leaves cpu-usage).  Names are matched without regard to case.
 * Parsing is pure: a list in, the bits to clear and to set out, or the reason. */
#ifndef PLUTODEBUG_H
#define PLUTODEBUG_H

#include <stdbool.h>
#include <stddef.h>

enum dbg_bit {
	DBG_BASE = 1u << 0,		/* what pluto decides and why: the lines "| ..." */
	DBG_CPU_USAGE = 1u << 1,	/* CPU and wall time of each event */
	DBG_TMI = 1u << 2,		/* far too much: every datagram in hex, every timer */
	DBG_CRYPT = 1u << 3,		/* keys and decrypted messages: "| crypt: ..." */
	DBG_PRIVATE = 1u << 4,		/* with crypt: long-term secrets (PSK) in clear */
	DBG_ADD_PREFIX = 1u << 5,	/* "| \"conn\" #N: ..." on the lines of an SA */
};
#define DBG_ALL_BITS (DBG_BASE | DBG_CPU_USAGE | DBG_TMI | DBG_CRYPT | DBG_PRIVATE | DBG_ADD_PREFIX)
#define DBG_WORD_MAX 32		/* octets of one word of a list */

/* What a list does to a set: new = (old & ~clear) | set */
struct dbg_lmod {
	unsigned set, clear;
};

/* false: why holds "unknown debug category 'x' (...)" or "not supported yet: refcnt
 * (...)" (the caller puts the keyword or option in front) */
bool dbg_parse(const char *list, struct dbg_lmod *out, char *why, size_t whylen);
unsigned dbg_apply(unsigned set, struct dbg_lmod m);
/* "base,crypt" (Libreswan's order), or "none"; buf of at least 64 octets */
const char *dbg_str(unsigned set, char *buf, size_t len);

/* The names for whack --debug help */
struct dbg_name {
	const char *name;
	unsigned bits;		/* 0: a Libreswan category Interlude does not have */
	bool alias;		/* all, tmi */
	const char *help;
};
const struct dbg_name *dbg_names(size_t *n);

#endif
