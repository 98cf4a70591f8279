/* conf.c -- ipsec.conf as Libreswan reads it (ipsec.conf(5)): sections, keys, include,
 * also= and conn %default.  The parse builds a list of sections holding key=value
 * lines with their file:line; conn.c then resolves and interprets each conn.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "conf_priv.h"
#include "conf_parse.h"

#define LINE_MAX_LEN 4096

static void record(struct conf_parser *p, const char *file, int line, const char *reason, bool warning,
		   bool notify);

void conf_report(struct conf_parser *p, const char *file, int line, const char *fmt, ...)
{
	char reason[CONF_VALUE_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	p->nerrors++;
	record(p, file, line, reason, false, true);
}

void conf_warn(struct conf_parser *p, const char *file, int line, const char *fmt, ...)
{
	char reason[CONF_VALUE_MAX + 256];
	int o = snprintf(reason, sizeof(reason), "warning: ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason + o, sizeof(reason) - (size_t)o, fmt, ap);
	va_end(ap);
	p->nwarnings++;
	record(p, file, line, reason, true, true);
}

static void *xrealloc(void *ptr, size_t n, size_t size)
{
	void *r = reallocarray(ptr, n ? n : 1, size);
	if (r == NULL) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return r;
}

static char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (r == NULL) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return r;
}

/* Kept for conf_messages(); told to err() once, when it happens. */
static void record(struct conf_parser *p, const char *file, int line, const char *reason, bool warning,
		   bool notify)
{
	p->msgs = xrealloc(p->msgs, p->nmsgs + 1, sizeof(*p->msgs));
	p->msgs[p->nmsgs++] = (struct conf_msg){
		.conn = xstrdup(p->tag != NULL ? p->tag : ""), .file = xstrdup(file), .line = line,
		.reason = xstrdup(reason), .warning = warning,
	};
	if (notify && p->err != NULL)
		p->err(p->ctx, file, line, reason);
}

void conf_adopt_messages(struct conf_parser *p, const char *name, const char *tag)
{
	const char *saved = p->tag;
	p->tag = tag;
	for (size_t i = 0; i < p->nparse_msgs; i++)
		if (strcmp(p->msgs[i].conn, name) == 0) {
			struct conf_msg m = p->msgs[i];
			record(p, m.file, m.line, m.reason, m.warning, false);
		}
	p->tag = saved;
}

/* File names live until conf_free (conn.file points at them). */
static const char *intern_file(struct conf_parser *p, const char *name)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i], name) == 0)
			return p->files[i];
	p->files = xrealloc(p->files, p->nfiles + 1, sizeof(*p->files));
	return p->files[p->nfiles++] = xstrdup(name);
}

static struct conf_section *new_section(struct conf_parser *p, enum conf_section_kind kind,
					const char *name, const char *file, int line)
{
	p->sec = xrealloc(p->sec, p->nsec + 1, sizeof(*p->sec));
	struct conf_section *s = &p->sec[p->nsec];
	*s = (struct conf_section){ .kind = kind, .name = xstrdup(name), .file = file, .line = line };
	p->cur = (long)p->nsec++;
	return s;
}

static void add_kv(struct conf_section *s, const char *key, const char *value, const char *file, int line)
{
	s->kv = xrealloc(s->kv, s->nkv + 1, sizeof(*s->kv));
	s->kv[s->nkv++] = (struct conf_kv){ xstrdup(key), xstrdup(value), file, line };
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ipsec.conf(5): white space followed by '#' starts a comment (also at line start). */
static void strip_comment(char *s)
{
	bool quoted = false;
	for (char *p = s; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted && (p == s || is_space(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
}

static char *skip_space(char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/* Next white-space separated word of *s, or NULL. */
static char *next_word(char **s)
{
	char *w = skip_space(*s);
	if (*w == '\0')
		return NULL;
	char *e = w;
	while (*e && !is_space(*e))
		e++;
	if (*e)
		*e++ = '\0';
	*s = e;
	return w;
}

static struct conf_section *current(struct conf_parser *p)
{
	return p->cur >= 0 ? &p->sec[p->cur] : NULL;
}

static void section_error(struct conf_parser *p, const char *file, int line, const char *fmt, const char *arg)
{
	struct conf_section *s = current(p);
	if (s != NULL && s->kind == CONF_SEC_BAD)
		return;		/* already reported: its header was bad */
	if (s != NULL)
		s->error = true;
	p->tag = s != NULL && s->kind == CONF_SEC_CONN ? s->name : NULL;
	conf_report(p, file, line, fmt, arg);
	p->tag = NULL;
}

static bool key_chars_ok(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		      (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
			return false;
	return true;
}

/* An indented "key=value" line; value optionally "double-quoted". */
static void parse_key_line(struct conf_parser *p, char *s, const char *file, int line)
{
	struct conf_section *sec = current(p);
	char *eq = strchr(s, '=');
	if (sec == NULL) {
		conf_report(p, file, line, "'%s' is not inside a config or conn section", s);
		return;
	}
	if (eq == NULL) {
		section_error(p, file, line, "syntax error: expected key=value, got '%s'", s);
		return;
	}
	*eq = '\0';
	char *key = s, *val = skip_space(eq + 1);
	for (size_t n = strlen(key); n > 0 && is_space(key[n - 1]); )
		key[--n] = '\0';
	if (!key_chars_ok(key)) {
		section_error(p, file, line, "syntax error: bad key '%s'", key);
		return;
	}
	if (*val == '"') {
		char *end = strchr(val + 1, '"');
		if (end == NULL) {
			section_error(p, file, line, "unterminated quoted value for '%s'", key);
			return;
		}
		if (*skip_space(end + 1) != '\0') {
			section_error(p, file, line, "text after the quoted value of '%s'", key);
			return;
		}
		*end = '\0';
		val++;
	}
	if (strlen(val) >= CONF_VALUE_MAX) {
		section_error(p, file, line, "value of '%s' is too long", key);
		return;
	}
	if (sec->kind != CONF_SEC_BAD)
		add_kv(sec, key, val, file, line);
}

static void parse_text(struct conf_parser *p, const char *file, const char *text, int depth);

static void do_include(struct conf_parser *p, const char *file, int line, char *rest, int depth)
{
	char *pat = next_word(&rest);
	const char *why = NULL;
	glob_t g;
	if (pat == NULL || next_word(&rest) != NULL) {
		conf_report(p, file, line, "include needs exactly one file name");
		return;
	}
	if (depth >= CONF_MAX_INCLUDE_DEPTH) {
		conf_report(p, file, line, "include '%s': nested more than %d deep", pat, CONF_MAX_INCLUDE_DEPTH);
		return;
	}
	if (conf_glob(file, pat, &g, &why) != 0) {
		conf_report(p, file, line, "include '%s': %s", pat, why);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = conf_read_file(g.gl_pathv[i], &why);
		if (text == NULL) {
			conf_report(p, file, line, "include '%s': %s", g.gl_pathv[i], why);
			continue;
		}
		parse_text(p, intern_file(p, g.gl_pathv[i]), text, depth + 1);
		free(text);
	}
	globfree(&g);
}

/* A line starting in column 0: "config setup", "conn NAME", "include X", "version 2". */
static void parse_top_line(struct conf_parser *p, char *s, const char *file, int line, int depth)
{
	char *rest = s, *w = next_word(&rest);
	if (strcmp(w, "include") == 0) {
		do_include(p, file, line, rest, depth);
		return;
	}
	char *name = next_word(&rest);
	if (strcmp(w, "config") == 0) {
		if (name == NULL || strcmp(name, "setup") != 0 || next_word(&rest) != NULL) {
			conf_report(p, file, line, "unknown section 'config %s'", name ? name : "");
			new_section(p, CONF_SEC_BAD, "", file, line);
		} else {
			new_section(p, CONF_SEC_SETUP, "setup", file, line);
		}
	} else if (strcmp(w, "conn") == 0) {
		if (name == NULL || next_word(&rest) != NULL || strlen(name) >= CONF_NAME_MAX) {
			if (name == NULL)
				conf_report(p, file, line, "conn section has no name");
			else
				conf_report(p, file, line, "bad conn name '%s'", name);
			new_section(p, CONF_SEC_BAD, "", file, line);
		} else {
			new_section(p, CONF_SEC_CONN, name, file, line);
		}
	} else if (strcmp(w, "version") == 0) {
		/* ipsec.conf(5): "version 2" is accepted and ignored */
	} else {
		section_error(p, file, line, "syntax error: unexpected '%s' in column 0", w);
	}
}

static void parse_text(struct conf_parser *p, const char *file, const char *text, int depth)
{
	char buf[LINE_MAX_LEN];
	size_t pos = 0;
	bool too_long;
	for (int line = 1; conf_next_line(text, &pos, buf, sizeof(buf), &too_long); line++) {
		if (too_long) {
			section_error(p, file, line, "line too long%s", "");
			continue;
		}
		strip_comment(buf);
		char *s = skip_space(buf);
		if (*s == '\0')
			continue;
		if (s == buf)
			parse_top_line(p, s, file, line, depth);
		else
			parse_key_line(p, s, file, line);
	}
}

static void parser_free(struct conf_parser *p)
{
	for (size_t i = 0; i < p->nsec; i++) {
		for (size_t k = 0; k < p->sec[i].nkv; k++) {
			free(p->sec[i].kv[k].key);
			free(p->sec[i].kv[k].value);
		}
		free(p->sec[i].kv);
		free(p->sec[i].name);
	}
	free(p->sec);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
}

/* One heap block: the conns, then the file names they point at. */
static void build_output(struct conf_parser *p, struct conf_conn *conns, size_t n, struct conf_file *out)
{
	size_t pool = 0;
	for (size_t i = 0; i < p->nfiles; i++)
		pool += strlen(p->files[i]) + 1;
	char *block = malloc(n * sizeof(*conns) + pool);
	if (block == NULL) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	char *names = block + n * sizeof(*conns);
	const char **map = xrealloc(NULL, p->nfiles, sizeof(*map));
	for (size_t i = 0, o = 0; i < p->nfiles; i++) {
		map[i] = names + o;
		memcpy(names + o, p->files[i], strlen(p->files[i]) + 1);
		o += strlen(p->files[i]) + 1;
	}
	for (size_t c = 0; c < n; c++)
		for (size_t i = 0; i < p->nfiles; i++)
			if (conns[c].file == p->files[i])
				conns[c].file = map[i];
	if (n)
		memcpy(block, conns, n * sizeof(*conns));
	free(map);
	out->conns = (struct conf_conn *)(void *)block;
	out->nconns = n;
}

static void load_text(const char *name, const char *text, struct conf_file *out,
		      conf_error_fn *err, void *ctx, unsigned flags)
{
	struct conf_parser p = { .err = err, .ctx = ctx, .cur = -1, .flags = flags };
	memset(out, 0, sizeof(*out));
	parse_text(&p, intern_file(&p, name), text, 0);
	conf_setup_defaults(&out->setup);
	for (size_t i = 0; i < p.nsec; i++)
		if (p.sec[i].kind == CONF_SEC_SETUP)
			conf_interpret_setup(&p, &p.sec[i], &out->setup);
	size_t n = 0;
	p.nparse_msgs = p.nmsgs;
	struct conf_conn *conns = conf_resolve_conns(&p, &n);
	p.tag = NULL;
	build_output(&p, conns, n, out);
	free(conns);
	out->nerrors = p.nerrors;
	out->nwarnings = p.nwarnings;
	out->msgs = p.msgs;
	out->nmsgs = p.nmsgs;
	parser_free(&p);
}

bool conf_load_string_flags(const char *name, const char *text, struct conf_file *out,
			    conf_error_fn *err, void *ctx, unsigned flags)
{
	load_text(name, text != NULL ? text : "", out, err, ctx, flags);
	return true;
}

bool conf_load_string(const char *name, const char *text, struct conf_file *out,
		      conf_error_fn *err, void *ctx)
{
	return conf_load_string_flags(name, text, out, err, ctx, 0);
}

bool conf_load(const char *path, struct conf_file *out, conf_error_fn *err, void *ctx)
{
	memset(out, 0, sizeof(*out));
	conf_setup_defaults(&out->setup);
	char *text = conf_open_file(path, err, ctx);
	if (text == NULL) {
		out->nerrors = 1;
		return false;
	}
	load_text(path, text, out, err, ctx, 0);
	free(text);
	return true;
}

void conf_free(struct conf_file *cf)
{
	for (size_t i = 0; i < cf->nmsgs; i++) {
		free(cf->msgs[i].conn);
		free(cf->msgs[i].file);
		free(cf->msgs[i].reason);
	}
	free(cf->msgs);
	free(cf->conns);
	memset(cf, 0, sizeof(*cf));
}

const struct conf_conn *conf_find(const struct conf_file *cf, const char *name)
{
	for (size_t i = 0; i < cf->nconns; i++)
		if (strcmp(cf->conns[i].name, name) == 0)
			return &cf->conns[i];
	return NULL;
}

size_t conf_find_all(const struct conf_file *cf, const char *name, const struct conf_conn **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < cf->nconns && n < max; i++)
		if (strcmp(cf->conns[i].name, name) == 0 || strcmp(cf->conns[i].alias, name) == 0)
			out[n++] = &cf->conns[i];
	return n;
}

void conf_messages(const struct conf_file *cf, const struct conf_conn *c, conf_error_fn *fn, void *ctx)
{
	for (size_t i = 0; i < cf->nmsgs; i++) {
		const struct conf_msg *m = &cf->msgs[i];
		bool mine = c == NULL ? m->conn[0] == '\0' :
			    strcmp(m->conn, c->name) == 0 || (c->alias[0] != '\0' && strcmp(m->conn, c->alias) == 0);
		if (mine)
			fn(ctx, m->file, m->line, m->reason);
	}
}
