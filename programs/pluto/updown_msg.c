/* updown_msg.c -- the messages between pluto and its updown helper (updown.h), one
 * per SOCK_SEQPACKET datagram, both ends on one host (numbers in host order):
 *
 *   request:  'Q' id:4 timeout_ms:4 nenv:4  key NUL conn NUL verb NUL cmd NUL
 *             env[0] NUL ... env[nenv-1] NUL
 *   report:   kind:1 id:4 code:4 ms:4  conn NUL verb NUL text NUL
 *   end:      'E'
 *
 * Pure: no I/O.  The decoders check every length before use (principle 4), even
 * though the peer is our own process. */
#include <string.h>
#include "updown.h"

struct wr {
	uint8_t *buf;
	size_t cap, len;
	bool ok;
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (!w->ok || n > w->cap - w->len) {
		w->ok = false;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_u32(struct wr *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct wr *w, const char *s)
{
	put(w, s != NULL ? s : "", strlen(s != NULL ? s : "") + 1);
}

size_t updown_encode_request(const struct updown_request *r, uint8_t *buf, size_t cap)
{
	struct wr w = { buf, cap, 0, true };
	if (r->nenv > UPDOWN_ENV_MAX)
		return 0;
	put(&w, "Q", 1);
	put_u32(&w, r->id);
	put_u32(&w, r->timeout_ms);
	put_u32(&w, (uint32_t)r->nenv);
	put_str(&w, r->key);
	put_str(&w, r->conn);
	put_str(&w, r->verb);
	put_str(&w, r->cmd);
	for (size_t i = 0; i < r->nenv; i++)
		put_str(&w, r->env[i]);
	return w.ok ? w.len : 0;
}

struct rd {
	uint8_t *buf;
	size_t len, at;
	bool ok;
};

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;
	if (!r->ok || r->len - r->at < sizeof(v)) {
		r->ok = false;
		return 0;
	}
	memcpy(&v, r->buf + r->at, sizeof(v));
	r->at += sizeof(v);
	return v;
}

static const char *get_str(struct rd *r)
{
	if (!r->ok || r->at >= r->len) {
		r->ok = false;
		return "";
	}
	const uint8_t *nul = memchr(r->buf + r->at, '\0', r->len - r->at);
	if (nul == NULL) {
		r->ok = false;
		return "";
	}
	const char *s = (const char *)r->buf + r->at;
	r->at = (size_t)(nul - r->buf) + 1;
	return s;
}

bool updown_decode_request(uint8_t *buf, size_t len, struct updown_request *out)
{
	struct rd r = { buf, len, 1, true };
	memset(out, 0, sizeof(*out));
	if (len < 1 || buf[0] != 'Q')
		return false;
	out->id = get_u32(&r);
	out->timeout_ms = get_u32(&r);
	uint32_t nenv = get_u32(&r);
	if (nenv > UPDOWN_ENV_MAX)
		return false;
	out->key = get_str(&r);
	out->conn = get_str(&r);
	out->verb = get_str(&r);
	out->cmd = get_str(&r);
	for (uint32_t i = 0; i < nenv && r.ok; i++) {
		const char *e = get_str(&r);
		const char *eq = strchr(e, '=');
		/* NAME=VALUE with a name of letters, digits and '_' */
		if (eq == NULL || eq == e || strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					    "0123456789_") != (size_t)(eq - e))
			return false;
		out->env[out->nenv++] = e;
	}
	return r.ok && r.at == len && out->cmd[0] != '\0';
}

size_t updown_encode_report(const struct updown_report *r, uint8_t *buf, size_t cap)
{
	struct wr w = { buf, cap, 0, true };
	put(&w, &r->kind, 1);
	put_u32(&w, r->id);
	put_u32(&w, (uint32_t)r->code);
	put_u32(&w, r->ms);
	put_str(&w, r->conn);
	put_str(&w, r->verb);
	put_str(&w, r->text);
	return w.ok ? w.len : 0;
}

bool updown_decode_report(uint8_t *buf, size_t len, struct updown_report *out)
{
	struct rd r = { buf, len, 1, true };
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return false;
	out->kind = buf[0];
	switch (out->kind) {
	case UPDOWN_OUTPUT: case UPDOWN_EXITED: case UPDOWN_SIGNALED: case UPDOWN_TIMEDOUT: case UPDOWN_NOT_RUN:
		break;
	default:
		return false;
	}
	out->id = get_u32(&r);
	out->code = (int32_t)get_u32(&r);
	out->ms = get_u32(&r);
	out->conn = get_str(&r);
	out->verb = get_str(&r);
	out->text = get_str(&r);
	return r.ok && r.at == len;
}
