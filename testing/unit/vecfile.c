/* vecfile.c -- reader for the known-answer vector files (see vecfile.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "be.h"
#include "vecfile.h"

struct vecfile_entry {
	const char *name;
	const char *value;
};

struct vecfile {
	char *text;			/* the file, split in place into names and values */
	struct vecfile_entry *entries;
	size_t count;
};

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		char *bigger = realloc(buf, cap * 2);
		if (bigger == NULL)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	bool failed = ferror(f) != 0;
	fclose(f);
	if (buf == NULL || failed) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One line: blank, "# comment" or "name = value".  false on anything else. */
static bool parse_line(struct vecfile *vf, char *line)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#')
		return true;
	char *eq = strchr(s, '=');
	if (eq == NULL)
		return false;
	*eq = '\0';
	char *name = trim(s), *value = trim(eq + 1);
	if (*name == '\0')
		return false;
	vf->entries[vf->count++] = (struct vecfile_entry){ name, value };
	return true;
}

static size_t count_lines(const char *text)
{
	size_t n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

struct vecfile *vecfile_load(const char *path)
{
	struct vecfile *vf = calloc(1, sizeof(*vf));
	if (vf == NULL || (vf->text = read_all(path)) == NULL) {
		fprintf(stderr, "vecfile: cannot read %s\n", path);
		vecfile_free(vf);
		return NULL;
	}
	vf->entries = calloc(count_lines(vf->text), sizeof(*vf->entries));
	if (vf->entries == NULL) {
		vecfile_free(vf);
		return NULL;
	}
	size_t lineno = 0;
	for (char *line = vf->text; line != NULL;) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		lineno++;
		if (!parse_line(vf, line)) {
			fprintf(stderr, "vecfile: %s:%zu: not \"name = value\"\n", path, lineno);
			vecfile_free(vf);
			return NULL;
		}
		line = nl;
	}
	return vf;
}

void vecfile_free(struct vecfile *vf)
{
	if (vf == NULL)
		return;
	free(vf->entries);
	free(vf->text);
	free(vf);
}

size_t vecfile_count(const struct vecfile *vf)
{
	return vf->count;
}

const char *vecfile_name(const struct vecfile *vf, size_t i)
{
	return i < vf->count ? vf->entries[i].name : NULL;
}

const char *vecfile_str(const struct vecfile *vf, const char *key)
{
	for (size_t i = 0; vf != NULL && i < vf->count; i++) {
		if (strcmp(vf->entries[i].name, key) == 0)
			return vf->entries[i].value;
	}
	return NULL;
}

bool vecfile_has(const struct vecfile *vf, const char *key)
{
	return vecfile_str(vf, key) != NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool vecfile_unhex(const char *hex, struct chunk *out)
{
	return vecfile_unhexn(hex, strlen(hex), out);
}

bool vecfile_unhexn(const char *hex, size_t n, struct chunk *out)
{
	*out = CHUNK_EMPTY;
	if (n % 2 != 0)
		return false;
	struct chunk c = chunk_alloc(n / 2);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			chunk_free(&c);
			return false;
		}
		c.ptr[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = c;
	return true;
}

bool vecfile_hex(const struct vecfile *vf, const char *key, struct chunk *out)
{
	const char *v = vecfile_str(vf, key);
	if (v == NULL) {
		*out = CHUNK_EMPTY;
		return false;
	}
	return vecfile_unhex(v, out);
}

bool vecfile_hexf(const struct vecfile *vf, struct chunk *out, const char *fmt, ...)
{
	char key[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(key)) {
		*out = CHUNK_EMPTY;
		return false;
	}
	return vecfile_hex(vf, key, out);
}

void vecfile_msg_free(struct vecfile_msg *m)
{
	chunk_free(&m->wire);
	chunk_free(&m->plain);
	memset(m, 0, sizeof(*m));
}

/* Appends <prefix>.fragN.aead.plaintext for N = 1, 2, ... to m->plain. */
static bool reassemble(const struct vecfile *vf, const char *prefix, struct vecfile_msg *m)
{
	struct chunk frag;
	m->plain = chunk_alloc(0);
	for (unsigned n = 1; vecfile_hexf(vf, &frag, "%s.frag%u.aead.plaintext", prefix, n); n++) {
		struct chunk both = chunk_alloc(m->plain.len + frag.len);
		memcpy(both.ptr, m->plain.ptr, m->plain.len);
		memcpy(both.ptr + m->plain.len, frag.ptr, frag.len);
		chunk_free(&m->plain);
		chunk_free(&frag);
		m->plain = both;
		m->fragments = n;
	}
	struct chunk logged;
	if (!vecfile_hexf(vf, &logged, "%s.inner_plaintext", prefix))
		return m->fragments > 0;
	bool same = logged.len == m->plain.len &&
		    memcmp(logged.ptr, m->plain.ptr, logged.len) == 0;
	if (!same)
		fprintf(stderr, "vecfile: %s: fragment plaintexts differ from inner_plaintext\n",
			prefix);
	chunk_free(&logged);
	return same && m->fragments > 0;
}

/* RFC 7296 3.2: walks the payload chain from the IKE header to the SK (46) or SKF (53)
 * payload; fills hdr, unenc and inner_np. */
static bool split_wire(struct vecfile_msg *m)
{
	const uint8_t *w = m->wire.ptr;
	if (m->wire.len < IKE_HDR_LEN + IKE_GENERIC_HDR_LEN)
		return false;
	memcpy(m->rec.hdr, w, IKE_HDR_LEN);
	uint8_t np = w[16];	/* IKE header Next Payload */
	size_t off = IKE_HDR_LEN;
	while (np != IKE_PL_SK && np != IKE_PL_SKF) {
		if (np == IKE_PL_NONE || m->wire.len - off < IKE_GENERIC_HDR_LEN)
			return false;
		size_t plen = be_get16(w + off + 2);
		if (plen < IKE_GENERIC_HDR_LEN || plen > m->wire.len - off - IKE_GENERIC_HDR_LEN)
			return false;
		np = w[off];
		off += plen;
	}
	m->rec.unenc = w + IKE_HDR_LEN;
	m->rec.unenc_len = off - IKE_HDR_LEN;
	m->rec.inner_np = w[off];
	return true;
}

bool vecfile_sk_record(const struct vecfile *vf, const char *prefix, struct vecfile_msg *m)
{
	memset(m, 0, sizeof(*m));
	bool ok;
	if (vecfile_hexf(vf, &m->wire, "%s.frag1.ike_message", prefix))
		ok = reassemble(vf, prefix, m);
	else
		ok = vecfile_hexf(vf, &m->wire, "%s.ike_message", prefix) &&
		     vecfile_hexf(vf, &m->plain, "%s.aead.plaintext", prefix);
	ok = ok && split_wire(m);
	if (!ok) {
		fprintf(stderr, "vecfile: %s: no usable encrypted message\n", prefix);
		vecfile_msg_free(m);
		return false;
	}
	m->rec.plain = m->plain.ptr;
	m->rec.plain_len = m->plain.len;
	return true;
}
