/* secrets.c -- ipsec.secrets as Libreswan reads it (ipsec.secrets(5)), PSK and PPKS
 * entries:
 *
 *   @west @east : PSK "a secret"        IDs, ':', the kind, the secret
 *   : PSK 0x0123456789abcdef            no ID: applies to every pair
 *   %any @east : PSK 0sYWJjZA==         %any matches any ID
 *   @west @east : PPKS "PPK_ID_1" "a postquantum preshared key"    (RFC 8784)
 *   include /etc/ipsec.d/NAME.secrets    (a shell glob)
 *
 * An entry starts in column 0 and may continue on indented lines.  Secrets are wiped
 * from every buffer that held them (principle 5, docs/architecture.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "conf_priv.h"

#define ENTRY_MAX 8192
#define ENTRY_MAX_IDS 64

struct sparser {
	struct conf_secrets *out;
	conf_error_fn *err;
	void *ctx;
	char entry[ENTRY_MAX];
	size_t elen;
	int eline;		/* line where the pending entry starts, 0 = none */
	bool overflow;
};

static void serr(struct sparser *p, const char *file, int line, const char *fmt, const char *arg)
{
	char reason[512];
	snprintf(reason, sizeof(reason), fmt, arg);
	if (p->err != NULL)
		p->err(p->ctx, file, line, reason);
}

struct token {
	const char *s;
	size_t len;
	bool quoted;
};

/* Splits an entry into words; "..." and '...' are single tokens. */
static int tokenize(char *s, struct token *tok, int max, const char **bad)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == max) {
			*bad = "too many words";
			return -1;
		}
		if (*s == '"' || *s == '\'') {
			char *e = strchr(s + 1, *s);
			if (e == NULL) {
				*bad = "unterminated quoted string";
				return -1;
			}
			tok[n++] = (struct token){ s + 1, (size_t)(e - s - 1), true };
			s = e + 1;
			continue;
		}
		size_t l = strcspn(s, " \t");
		tok[n++] = (struct token){ s, l, false };
		s += l;
	}
	return n;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool decode_hex(const char *s, size_t len, struct chunk *out)
{
	struct chunk c = chunk_alloc(len / 2 + 1);
	size_t n = 0;
	int hi = -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_')
			continue;	/* Libreswan allows '_' between digit groups */
		int v = hexval(s[i]);
		if (v < 0) {
			chunk_free(&c);
			return false;
		}
		if (hi < 0) {
			hi = v;
		} else {
			c.ptr[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0 || n == 0) {
		chunk_free(&c);
		return false;
	}
	c.len = n;	/* the octets after n were never written */
	*out = c;
	return true;
}

static int b64val(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 :
	       c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* RFC 4648 4: base64 with '=' padding (padding optional). */
static bool decode_b64(const char *s, size_t len, struct chunk *out)
{
	struct chunk c = chunk_alloc(len * 3 / 4 + 3);
	size_t n = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;
	bool ok = len > 0;
	for (size_t i = 0; ok && i < len; i++) {
		if (s[i] == '=') {
			pad++;
			ok = pad <= 2;
			continue;
		}
		int v = b64val(s[i]);
		ok = v >= 0 && pad == 0;
		acc = acc << 6 | (uint32_t)(v & 63);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			c.ptr[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (!ok || n == 0 || (acc & ((1u << bits) - 1)) != 0) {
		chunk_free(&c);
		return false;
	}
	chunk_wipe(&acc, sizeof(acc));
	c.len = n;
	*out = c;
	return true;
}

static bool decode_secret(const struct token *t, struct chunk *out)
{
	if (t->quoted) {
		*out = chunk_dup(t->s, t->len);
		return true;
	}
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X'))
		return decode_hex(t->s + 2, t->len - 2, out);
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 's' || t->s[1] == 'S'))
		return decode_b64(t->s + 2, t->len - 2, out);
	return false;
}

static bool parse_id(const struct token *t, struct ike_id *id)
{
	char buf[IKE_ID_MAX + 2];
	if (t->len >= sizeof(buf))
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	if (strcmp(buf, "%any") == 0 || strcmp(buf, "%any6") == 0) {
		*id = (struct ike_id){ 0 };
		return true;
	}
	return ike_id_parse(buf, id) && id->type != 0;
}

static void add_secret(struct conf_secrets *out, struct conf_secret *s)
{
	struct conf_secret *grown = reallocarray(out->s, out->n + 1, sizeof(*out->s));
	if (grown == NULL)
		abort();
	out->s = grown;
	out->s[out->n++] = *s;
}

/* the secret of a PSK entry: SECRET; of a PPKS entry: "PPK_ID" SECRET (RFC 8784 3:
 * the PPK_ID names the PPK on the wire; Libreswan's ipsec.secrets(5) writes it
 * quoted).  One line on failure, naming what is wrong. */
static bool entry_secret(struct sparser *p, const char *file, int line, const struct token *t, int nt,
			 struct conf_secret *s)
{
	if (s->kind == CONF_SECRET_PSK) {
		if (nt != 1 || !decode_secret(&t[0], &s->psk) || s->psk.len == 0) {
			serr(p, file, line, "PSK must be one \"quoted string\", 0x hex or 0s base64 value%s", "");
			chunk_free(&s->psk);
			return false;
		}
		return true;
	}
	if (nt != 2 || !t[0].quoted) {
		serr(p, file, line, "PPKS must be a \"quoted PPK_ID\" followed by the PPK (a \"quoted "
		     "string\", 0x hex or 0s base64 value)%s", "");
		return false;
	}
	if (t[0].len == 0 || t[0].len > CONF_PPK_ID_MAX) {
		serr(p, file, line, "PPKS: the PPK_ID must be 1 to " CONF_STR(CONF_PPK_ID_MAX) " octets%s", "");
		return false;
	}
	if (!decode_secret(&t[1], &s->psk) || s->psk.len == 0) {
		serr(p, file, line, "PPKS: the PPK must be one \"quoted string\", 0x hex or 0s base64 value%s",
		     "");
		chunk_free(&s->psk);
		return false;
	}
	s->ppk_id = chunk_dup(t[0].s, t[0].len);
	return true;
}

/* IDs ':' KIND SECRET */
static void finish_entry(struct sparser *p, const char *file)
{
	struct token tok[ENTRY_MAX_IDS + 4];
	const char *bad = NULL;
	int line = p->eline, n = -1, colon = -1;
	if (p->eline == 0)
		return;
	p->eline = 0;
	if (p->overflow) {
		serr(p, file, line, "entry too long%s", "");
		goto out;
	}
	p->entry[p->elen] = '\0';
	n = tokenize(p->entry, tok, ENTRY_MAX_IDS + 4, &bad);
	for (int i = 0; i < n && colon < 0; i++)
		if (!tok[i].quoted && tok[i].len == 1 && tok[i].s[0] == ':')
			colon = i;
	if (n < 0 || colon < 0 || colon + 1 >= n) {
		serr(p, file, line, "syntax error: %s", n < 0 ? bad : "expected 'IDs : PSK secret'");
		goto out;
	}
	const struct token *kind = &tok[colon + 1];
	struct conf_secret s = { .nids = (size_t)colon };
	if (!kind->quoted && kind->len == 3 && strncasecmp(kind->s, "PSK", 3) == 0) {
		s.kind = CONF_SECRET_PSK;
	} else if (!kind->quoted && kind->len == 4 && strncasecmp(kind->s, "PPKS", 4) == 0) {
		s.kind = CONF_SECRET_PPKS;
	} else {
		serr(p, file, line, "only PSK and PPKS secrets are supported%s", "");
		goto out;
	}
	if (!entry_secret(p, file, line, &tok[colon + 2], n - colon - 2, &s))
		goto out;
	s.ids = calloc(s.nids ? s.nids : 1, sizeof(*s.ids));
	if (s.ids == NULL)
		abort();
	for (int i = 0; i < colon; i++)
		if (!parse_id(&tok[i], &s.ids[i])) {
			char id[64];
			snprintf(id, sizeof(id), "%.*s", (int)(tok[i].len < 60 ? tok[i].len : 60), tok[i].s);
			serr(p, file, line, "bad ID '%s'", id);
			free(s.ids);
			chunk_free(&s.psk);
			chunk_free(&s.ppk_id);
			goto out;
		}
	add_secret(p->out, &s);
out:
	chunk_wipe(p->entry, sizeof(p->entry));
	chunk_wipe(tok, sizeof(tok));
	p->elen = 0;
	p->overflow = false;
}

static void append_entry(struct sparser *p, const char *s)
{
	size_t l = strlen(s);
	if (p->elen + l + 2 > sizeof(p->entry)) {
		p->overflow = true;
		return;
	}
	if (p->elen)
		p->entry[p->elen++] = ' ';
	memcpy(p->entry + p->elen, s, l);
	p->elen += l;
}

/* '#' at the start of a word, outside quotes, starts a comment. */
static void strip_comment(char *s)
{
	char q = 0;
	for (char *c = s; *c; c++) {
		if (q) {
			if (*c == q)
				q = 0;
		} else if (*c == '"' || *c == '\'') {
			q = *c;
		} else if (*c == '#' && (c == s || c[-1] == ' ' || c[-1] == '\t')) {
			*c = '\0';
			return;
		}
	}
}

static void parse_text(struct sparser *p, const char *file, const char *text, int depth);

static void do_include(struct sparser *p, const char *file, int line, const char *pat, int depth)
{
	glob_t g;
	const char *why = NULL;
	if (depth >= CONF_MAX_INCLUDE_DEPTH) {
		serr(p, file, line, "include '%s': nested too deeply", pat);
		return;
	}
	if (conf_glob(file, pat, &g, &why) != 0) {
		char m[300];
		snprintf(m, sizeof(m), "include '%.200s': %%s", pat);
		serr(p, file, line, m, why);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = conf_read_file(g.gl_pathv[i], &why);
		if (text == NULL) {
			serr(p, g.gl_pathv[i], 0, "cannot read: %s", why);
			continue;
		}
		parse_text(p, g.gl_pathv[i], text, depth + 1);
		chunk_wipe(text, strlen(text));
		free(text);
	}
	globfree(&g);
}

static void parse_line(struct sparser *p, const char *file, int line, char *buf, int depth)
{
	strip_comment(buf);
	char *s = buf + strspn(buf, " \t");
	if (*s == '\0')
		return;
	if (s != buf) {		/* continuation of the entry above */
		if (p->eline == 0)
			serr(p, file, line, "indented line outside an entry%s", "");
		else
			append_entry(p, s);
		return;
	}
	finish_entry(p, file);
	if (strncmp(s, "include", 7) == 0 && (s[7] == ' ' || s[7] == '\t')) {
		char *pat = s + 8 + strspn(s + 8, " \t");
		pat[strcspn(pat, " \t")] = '\0';
		do_include(p, file, line, pat, depth);
		return;
	}
	p->eline = line;
	append_entry(p, s);
}

static void parse_text(struct sparser *p, const char *file, const char *text, int depth)
{
	char buf[ENTRY_MAX];
	size_t pos = 0;
	bool too_long;
	for (int line = 1; conf_next_line(text, &pos, buf, sizeof(buf), &too_long); line++) {
		if (too_long) {
			finish_entry(p, file);
			serr(p, file, line, "line too long%s", "");
			continue;
		}
		parse_line(p, file, line, buf, depth);
	}
	finish_entry(p, file);
	chunk_wipe(buf, sizeof(buf));
}

bool conf_secrets_load_string(const char *name, const char *text, struct conf_secrets *out,
			      conf_error_fn *err, void *ctx)
{
	struct sparser *p = calloc(1, sizeof(*p));
	if (p == NULL)
		abort();
	memset(out, 0, sizeof(*out));
	*p = (struct sparser){ .out = out, .err = err, .ctx = ctx };
	parse_text(p, name, text != NULL ? text : "", 0);
	chunk_wipe(p, sizeof(*p));
	free(p);
	return true;
}

bool conf_secrets_load(const char *path, struct conf_secrets *out, conf_error_fn *err, void *ctx)
{
	memset(out, 0, sizeof(*out));
	char *text = conf_open_file(path, err, ctx);
	if (text == NULL)
		return false;
	conf_secrets_load_string(path, text, out, err, ctx);
	chunk_wipe(text, strlen(text));
	free(text);
	return true;
}

void conf_secrets_free(struct conf_secrets *s)
{
	for (size_t i = 0; i < s->n; i++) {
		chunk_free(&s->s[i].psk);
		chunk_free(&s->s[i].ppk_id);
		free(s->s[i].ids);
	}
	free(s->s);
	memset(s, 0, sizeof(*s));
}

/* How well an entry fits (local, remote): 3 both named, 2 one named (the other by
 * %any, or the entry names just that one), 1 only wildcards / no IDs, 0 no match.
 * Libreswan ipsec.secrets(5): the most specific entry wins; ties go to the first. */
static int secret_score(const struct conf_secret *s, const struct ike_id *local, const struct ike_id *remote)
{
	bool l = false, r = false, any = false;
	if (s->nids == 0)
		return 1;
	for (size_t i = 0; i < s->nids; i++) {
		if (s->ids[i].type == 0) {
			any = true;
			continue;
		}
		if (local->type != 0 && ike_id_eq(&s->ids[i], local))
			l = true;
		if (remote->type != 0 && ike_id_eq(&s->ids[i], remote))
			r = true;
	}
	if (l && r)
		return 3;
	if (s->nids == 1)
		return l || r ? 2 : any ? 1 : 0;
	if ((l || r) && any)
		return 2;
	if (!l && !r && any) {
		for (size_t i = 0; i < s->nids; i++)
			if (s->ids[i].type != 0)
				return 0;
		return 1;
	}
	return 0;
}

const struct chunk *conf_secrets_psk(const struct conf_secrets *s, const struct ike_id *local,
				     const struct ike_id *remote)
{
	const struct chunk *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->s[i].kind != CONF_SECRET_PSK)
			continue;
		int sc = secret_score(&s->s[i], local, remote);
		if (sc > best_score) {
			best_score = sc;
			best = &s->s[i].psk;
		}
	}
	return best;
}

const struct conf_secret *conf_secrets_ppk(const struct conf_secrets *s, const struct ike_id *local,
					   const struct ike_id *remote, const uint8_t *ppk_id, size_t id_len)
{
	const struct conf_secret *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct conf_secret *e = &s->s[i];
		if (e->kind != CONF_SECRET_PPKS ||
		    (ppk_id != NULL && (e->ppk_id.len != id_len || memcmp(e->ppk_id.ptr, ppk_id, id_len) != 0)))
			continue;
		int sc = secret_score(e, local, remote);
		if (sc > best_score) {
			best_score = sc;
			best = e;
		}
	}
	return best;
}
