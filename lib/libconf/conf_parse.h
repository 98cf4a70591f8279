/* conf_parse.h -- lib/libconf internals: the parsed sections of ipsec.conf, shared by
 * conf.c (reading) and conn.c (also=, %default, interpreting keys).  Not installed. */
#ifndef CONF_PARSE_H
#define CONF_PARSE_H

#include <stddef.h>
#include "conf.h"

struct conf_kv {
	char *key, *value;
	const char *file;
	int line;
};

enum conf_section_kind { CONF_SEC_SETUP, CONF_SEC_CONN, CONF_SEC_BAD };

struct conf_section {
	enum conf_section_kind kind;
	char *name;
	const char *file;
	int line;
	bool error;		/* a syntax error inside: the conn fails */
	size_t nkv;
	struct conf_kv *kv;
};

struct conf_parser {
	conf_error_fn *err;
	void *ctx;
	unsigned nerrors;
	unsigned nwarnings;
	unsigned flags;		/* CONF_LOAD_* */
	const char *tag;	/* the conn messages belong to now (NULL: none) */
	size_t nparse_msgs;	/* messages of reading the text (before conn.c's) */
	size_t nmsgs;
	struct conf_msg *msgs;
	long cur;		/* index of the open section, -1 before the first */
	size_t nsec;
	struct conf_section *sec;
	size_t nfiles;
	char **files;
};

/* err(ctx, file, line, printf(fmt, ...)) and counts it */
void conf_report(struct conf_parser *p, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The messages of section name's text (syntax errors) become conn tag's too (it
 * uses that section through also= or %default). */
void conf_adopt_messages(struct conf_parser *p, const char *name, const char *tag);

/* err(ctx, file, line, "warning: " printf(fmt, ...)); not an error */
void conf_warn(struct conf_parser *p, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* left=NAME / %defaultroute -> e->addr (resolve.c, the one part of libconf that
 * asks the system); false with why.  family 0 = either (hostaddrfamily=). */
bool conf_resolve_host(struct conf_end *e, const char *key, uint8_t family, char *why, size_t n);
bool conf_resolve_nexthop(struct conf_end *e, const char *key, uint8_t family, char *why, size_t n);

void conf_setup_defaults(struct conf_setup *s);
void conf_interpret_setup(struct conf_parser *p, const struct conf_section *sec, struct conf_setup *s);
/* Every conn section except %default, resolved and interpreted; heap array of *n. */
struct conf_conn *conf_resolve_conns(struct conf_parser *p, size_t *n);

#endif
