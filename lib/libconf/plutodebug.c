/* plutodebug.c -- debug category lists in Libreswan's syntax (include/plutodebug.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "plutodebug.h"

static const struct dbg_name names[] = {
	{ "all", DBG_BASE | DBG_CPU_USAGE, true, "base+cpu-usage" },
	{ "base", DBG_BASE, false, "what pluto decides and why: exchanges, payloads, states, "
	  "proposals, selectors, timers, admission, keys (names and sizes)" },
	{ "cpu-usage", DBG_CPU_USAGE, false, "CPU and wall time of each event" },
	{ "tmi", DBG_BASE | DBG_CPU_USAGE | DBG_TMI, true,
	  "base+cpu-usage+tmi: far too much information (every datagram in hex, every timer)" },
	{ "crypt", DBG_CRYPT, false, "keys (SKEYSEED, SK_*, KEYMAT, shared secrets) and decrypted "
	  "messages: DANGER, the log then decrypts the traffic" },
	{ "private", DBG_PRIVATE, false, "with crypt, long-term secrets (PSK) too: DANGER" },
	{ "add-prefix", DBG_ADD_PREFIX, false, "put the \"conn\" #N prefix on the debug lines of an SA" },
	/* Libreswan's, which Interlude has no use for: refused when turned on */
	{ "refcnt", 0, false, "Interlude keeps no reference counts to trace" },
	{ "whackwatch", 0, false, "whack leaves when its command is done" },
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* the single bits in the order dbg_str() prints them (Libreswan's) */
static const struct { unsigned bit; const char *name; } bits[] = {
	{ DBG_BASE, "base" }, { DBG_CPU_USAGE, "cpu-usage" }, { DBG_TMI, "tmi" },
	{ DBG_CRYPT, "crypt" }, { DBG_PRIVATE, "private" }, { DBG_ADD_PREFIX, "add-prefix" },
};

const struct dbg_name *dbg_names(size_t *n)
{
	*n = NNAMES;
	return names;
}

static const struct dbg_name *find(const char *w)
{
	for (size_t i = 0; i < NNAMES; i++)
		if (strcasecmp(w, names[i].name) == 0)
			return &names[i];
	return NULL;
}

static bool unknown(const char *w, char *why, size_t whylen)
{
	snprintf(why, whylen, "unknown debug category '%s' (none, all, base, cpu-usage, tmi, crypt, "
		 "private, add-prefix; no-NAME turns one off)", w);
	return false;
}

/* one word: none, NAME or no-NAME */
static bool word(const char *w, struct dbg_lmod *m, char *why, size_t whylen)
{
	if (strcasecmp(w, "none") == 0) {
		m->set = 0;
		m->clear = DBG_ALL_BITS;
		return true;
	}
	bool off = strncasecmp(w, "no-", 3) == 0;
	const struct dbg_name *d = find(off ? w + 3 : w);
	if (d == NULL)
		return unknown(w, why, whylen);
	if (d->bits == 0 && !off) {
		/* turning off what never is on is fine ("all,no-refcnt" is common) */
		snprintf(why, whylen, "not supported yet: %s (%s)", d->name, d->help);
		return false;
	}
	if (off) {
		m->set &= ~d->bits;
		m->clear |= d->bits;
	} else {
		m->set |= d->bits;
		m->clear &= ~d->bits;
	}
	return true;
}

bool dbg_parse(const char *list, struct dbg_lmod *out, char *why, size_t whylen)
{
	static const char sep[] = ",+ \t";
	struct dbg_lmod m = { 0, 0 };
	for (const char *p = list; *p != '\0';) {
		p += strspn(p, sep);
		size_t len = strcspn(p, sep);
		if (len == 0)
			break;
		char w[DBG_WORD_MAX + 1];
		if (len > DBG_WORD_MAX) {
			snprintf(w, sizeof(w), "%.*s", DBG_WORD_MAX, p);
			return unknown(w, why, whylen);
		}
		memcpy(w, p, len);
		w[len] = '\0';
		if (!word(w, &m, why, whylen))
			return false;
		p += len;
	}
	*out = m;
	return true;
}

unsigned dbg_apply(unsigned set, struct dbg_lmod m)
{
	return ((set & ~m.clear) | m.set) & DBG_ALL_BITS;
}

const char *dbg_str(unsigned set, char *buf, size_t len)
{
	size_t n = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(set & bits[i].bit))
			continue;
		int k = snprintf(buf + n, len - n, "%s%s", n ? "," : "", bits[i].name);
		if (k < 0 || (size_t)k >= len - n) {
			buf[n] = '\0';		/* whole names only */
			break;
		}
		n += (size_t)k;
	}
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}
