/* keylog.c -- config setup keylog-dir=: the key files Wireshark reads.
 *
 * For every key set of an IKE SA, one line is appended to DIR/ikev2_decryption_table,
 * and for every direction of a Child SA one line to DIR/esp_sa, in the formats of
 * Wireshark's IKEv2 and ESP decryption tables (the ones strongSwan's save-keys plugin
 * writes):
 *
 *   SPIi,SPIr,SK_ei,SK_er,"ENCR",SK_ai,SK_ar,"INTEG"        (hex, no 0x)
 *   "IPv4","SRC","DST","0xSPI","ENCR","0xKEY","AUTH","0xKEY"
 *
 * (for AES-GCM, ESP's names differ from strongSwan's: see ws_esp_encr())
 *
 * An IKE SA gets a line after IKE_SA_INIT, one after each IKE_INTERMEDIATE key update
 * (RFC 9370 2.2.2) and one per IKE SA rekey (new SPIs).  Wireshark keys its table by
 * the SPI pair and uses the last line of a pair, so the final keys (IKE_AUTH and
 * everything after it) are the ones it applies; the earlier lines are there for
 * whoever wants to read a round (keep only that line of the pair).
 *
 * This is the one place where secrets leave the daemon on purpose (principle 5):
 * the files are created mode 0600, appended to, never logged.  Each line is one
 * write() on a descriptor opened with O_APPEND for that line, so a file that was
 * moved away is created anew and two daemons sharing a directory do not interleave
 * within a line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ikev2.h"
#include "child_sa.h"
#include "keylog.h"

#define KEYLOG_IKE_FILE "ikev2_decryption_table"
#define KEYLOG_ESP_FILE "esp_sa"
#define KEYLOG_LINE_MAX 1024

static size_t put_hex(char *out, size_t n, size_t at, const uint8_t *b, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len && at + 2 < n; i++) {
		out[at++] = digits[b[i] >> 4];
		out[at++] = digits[b[i] & 0x0f];
	}
	if (at < n)
		out[at] = '\0';
	return at;
}

/* Wireshark's names of the IKEv2 table (its UAT enumerations); NULL: not known */
static const char *ws_ike_encr(enum ike_encr encr, unsigned keybits, char *buf, size_t n)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		snprintf(buf, n, "AES-CBC-%u [RFC3602]", keybits);
		return buf;
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		snprintf(buf, n, "AES-GCM-%u with %u octet ICV [RFC5282]", keybits,
			 encr == IKE_ENCR_AES_GCM_8 ? 8 : encr == IKE_ENCR_AES_GCM_12 ? 12 : 16);
		return buf;
	default:
		return NULL;
	}
}

static const char *ws_ike_integ(enum ike_integ integ)
{
	switch (integ) {
	case IKE_INTEG_NONE: return "NONE [RFC4306]";
	case IKE_INTEG_HMAC_SHA1_96: return "HMAC_SHA1_96 [RFC2404]";
	case IKE_INTEG_HMAC_SHA2_256_128: return "HMAC_SHA2_256_128 [RFC4868]";
	case IKE_INTEG_HMAC_SHA2_384_192: return "HMAC_SHA2_384_192 [RFC4868]";
	case IKE_INTEG_HMAC_SHA2_512_256: return "HMAC_SHA2_512_256 [RFC4868]";
	default: return NULL;
	}
}

/* The ESP table's names.  AES-GCM: not strongSwan's "AES-GCM [RFC4106]" with "ANY 128
 * bit authentication [no checking]", which Wireshark 4.0 refuses ("AES-GCM encryption
 * can only be used with NULL authentication"), but the name with the ICV length and
 * NULL authentication, which it decrypts (docs/architecture.md). */
static const char *ws_esp_encr(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC: return "AES-CBC [RFC3602]";
	case IKE_ENCR_AES_GCM_16: return "AES-GCM with 16 octet ICV [RFC4106]";
	default: return NULL;
	}
}

static const char *ws_esp_integ(uint16_t integ, bool aead)
{
	if (aead)
		return "NULL";
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return "HMAC-SHA-1-96 [RFC2404]";
	case IKE_INTEG_HMAC_SHA2_256_128: return "HMAC-SHA-256-128 [RFC4868]";
	case IKE_INTEG_HMAC_SHA2_384_192: return "HMAC-SHA-384-192 [RFC4868]";
	case IKE_INTEG_HMAC_SHA2_512_256: return "HMAC-SHA-512-256 [RFC4868]";
	default: return NULL;
	}
}

size_t keylog_ike_line(char *out, size_t n, const uint8_t spi_i[8], const uint8_t spi_r[8],
		       const struct ike_keys *k, const struct sk_suite *s)
{
	char ebuf[64];
	const char *encr = ws_ike_encr(s->encr, s->keybits, ebuf, sizeof(ebuf));
	const char *integ = ws_ike_integ(s->info.aead ? IKE_INTEG_NONE : s->integ);
	if (encr == NULL || integ == NULL || n < KEYLOG_LINE_MAX)
		return 0;
	size_t at = put_hex(out, n, 0, spi_i, 8);
	out[at++] = ',';
	at = put_hex(out, n, at, spi_r, 8);
	out[at++] = ',';
	at = put_hex(out, n, at, k->sk_ei.ptr, k->sk_ei.len);
	out[at++] = ',';
	at = put_hex(out, n, at, k->sk_er.ptr, k->sk_er.len);
	at += (size_t)snprintf(out + at, n - at, ",\"%s\",", encr);
	at = put_hex(out, n, at, k->sk_ai.ptr, k->sk_ai.len);
	out[at++] = ',';
	at = put_hex(out, n, at, k->sk_ar.ptr, k->sk_ar.len);
	at += (size_t)snprintf(out + at, n - at, ",\"%s\"\n", integ);
	return at < n ? at : 0;
}

size_t keylog_esp_line(char *out, size_t n, const struct ip_addr *src, const struct ip_addr *dst,
		       const uint8_t spi[4], uint16_t encr, uint16_t integ, const uint8_t *key,
		       size_t enc_len, size_t integ_len)
{
	bool aead = integ_len == 0;
	const char *en = ws_esp_encr(encr), *an = ws_esp_integ(integ, aead);
	char s[IP_STR_MAX], d[IP_STR_MAX];
	if (en == NULL || an == NULL || n < KEYLOG_LINE_MAX || src->version != dst->version)
		return 0;
	size_t at = (size_t)snprintf(out, n, "\"IPv%u\",\"%s\",\"%s\",\"0x%02x%02x%02x%02x\",\"%s\",\"0x",
				     src->version, ip_str(src, s), ip_str(dst, d), spi[0], spi[1], spi[2],
				     spi[3], en);
	at = put_hex(out, n, at, key, enc_len);
	at += (size_t)snprintf(out + at, n - at, "\",\"%s\",\"0x", an);
	at = put_hex(out, n, at, key + enc_len, integ_len);
	at += (size_t)snprintf(out + at, n - at, "\"\n");
	return at < n ? at : 0;
}

/* one line, one write(); failures are logged when they start and when they end */
static void append(struct pluto *p, const char *file, const char *line, size_t len)
{
	char path[CONF_VALUE_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", p->setup.keylog_dir, file);
	const char *what = NULL;
	int e = 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	struct stat st;
	if (fd < 0) {
		what = "cannot open";
		e = errno;
	} else if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
		/* secrets: never into a file others may read */
		what = "not written: the file is not ours or is readable by others";
	} else if (write(fd, line, len) != (ssize_t)len) {
		what = "cannot write";
		e = errno;
	}
	if (fd >= 0)
		close(fd);
	if (what != NULL && !p->keylog_failing)
		plog(p, "keylog-dir: %s: %s%s%s", path, what, e ? ": " : "", e ? strerror(e) : "");
	else if (what == NULL && p->keylog_failing)
		plog(p, "keylog-dir: %s: written again", path);
	p->keylog_failing = what != NULL;
}

void keylog_ike(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	if (p->setup.keylog_dir[0] == '\0')
		return;
	char line[KEYLOG_LINE_MAX];
	size_t len = keylog_ike_line(line, sizeof(line), ike->spi_i, ike->spi_r, &ike->keys, &ike->suite);
	if (len == 0) {
		ike_log(ike, "keylog-dir: no line written: Wireshark has no name for the IKE SA's algorithms");
		return;
	}
	append(p, KEYLOG_IKE_FILE, line, len);
	chunk_wipe(line, sizeof(line));
}

/* RFC 7296 2.17: the key halves as the kernel gets them (child_sa_key_halves) */
void keylog_child(struct ike_sa *ike, const struct child_sa *child)
{
	struct pluto *p = ike->pluto;
	if (p->setup.keylog_dir[0] == '\0' || child->keymat.ptr == NULL)
		return;
	uint16_t encr = 0, keylen = 0, integ = 0;
	struct crypt_encr_info info;
	if (!proposal_get(&child->proposal, IKE_TRANS_ENCR, &encr, &keylen) || !crypt_encr_info(encr, keylen, &info))
		return;
	proposal_get(&child->proposal, IKE_TRANS_INTEG, &integ, NULL);
	const uint8_t *out, *in;
	size_t half;
	child_sa_key_halves(child, &out, &in, &half);
	size_t integ_len = half - info.keylen;
	char line[2 * KEYLOG_LINE_MAX];
	size_t a = keylog_esp_line(line, KEYLOG_LINE_MAX, &child->local, &child->remote, child->spi_remote,
				   encr, integ, out, info.keylen, integ_len);
	size_t b = a == 0 ? 0 : keylog_esp_line(line + a, KEYLOG_LINE_MAX, &child->remote, &child->local,
						child->spi_local, encr, integ, in, info.keylen, integ_len);
	if (b == 0)
		ike_log(ike, "keylog-dir: no line written for Child SA #%u: Wireshark has no name for its algorithms",
			child->serial);
	else
		append(p, KEYLOG_ESP_FILE, line, a + b);
	chunk_wipe(line, sizeof(line));
}
