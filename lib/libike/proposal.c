/* proposal.c -- ike=/esp= strings (Libreswan syntax, ipsec.conf(5)) <-> SA payload
 * proposals, and negotiation (RFC 7296 2.7, 3.3, 3.3.6; RFC 9370 2.2).
 *
 * A list entry is  MAIN[;addkeN=KE+KE...]...  where MAIN is '-'-separated components
 * and '+' separates alternatives inside a component (IKEv2: several transforms of one
 * type in one proposal, RFC 7296 3.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "proposal.h"

/* --- algorithm names (Libreswan's spelling, case-insensitive) --- */

struct encr_base {
	const char *name;
	uint16_t id;
	bool aead;
};

/* Longest first, so that "aes_gcm_16" is tried before "aes_gcm" and "aes". A bare
 * name without key length proposes 256 then 128 (Libreswan's IKEv2 behaviour for an
 * unspecified AES key length). */
static const struct encr_base encr_bases[] = {
	{ "aes_gcm_16", IKE_ENCR_AES_GCM_16, true },
	{ "aes_gcm_12", IKE_ENCR_AES_GCM_12, true },
	{ "aes_gcm16", IKE_ENCR_AES_GCM_16, true },
	{ "aes_gcm12", IKE_ENCR_AES_GCM_12, true },
	{ "aes_gcm_8", IKE_ENCR_AES_GCM_8, true },
	{ "aes_gcm_c", IKE_ENCR_AES_GCM_16, true },
	{ "aes_gcm_b", IKE_ENCR_AES_GCM_12, true },
	{ "aes_gcm_a", IKE_ENCR_AES_GCM_8, true },
	{ "aes_gcm8", IKE_ENCR_AES_GCM_8, true },
	{ "aes_gcm", IKE_ENCR_AES_GCM_16, true },
	{ "aes_cbc", IKE_ENCR_AES_CBC, false },
	{ "aes", IKE_ENCR_AES_CBC, false },
};

struct hash_name {
	const char *name;
	uint16_t prf, integ;
};

static const struct hash_name hash_names[] = {
	{ "sha2", IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128 },
	{ "sha2_256", IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128 },
	{ "sha256", IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128 },
	{ "sha2_384", IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192 },
	{ "sha384", IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192 },
	{ "sha2_512", IKE_PRF_HMAC_SHA2_512, IKE_INTEG_HMAC_SHA2_512_256 },
	{ "sha512", IKE_PRF_HMAC_SHA2_512, IKE_INTEG_HMAC_SHA2_512_256 },
	{ "sha1", IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96 },	/* compatibility only */
	{ "sha", IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96 },
};

struct ke_name {
	const char *name;
	uint16_t id;
	bool addke_only;	/* KEMs: carried in IKE_INTERMEDIATE (RFC 9370) */
};

static const struct ke_name ke_names[] = {
	{ "dh14", IKE_KE_MODP2048, false },
	{ "modp2048", IKE_KE_MODP2048, false },
	{ "dh15", IKE_KE_MODP3072, false },
	{ "modp3072", IKE_KE_MODP3072, false },
	{ "dh16", IKE_KE_MODP4096, false },
	{ "modp4096", IKE_KE_MODP4096, false },
	{ "dh19", IKE_KE_ECP256, false },
	{ "ecp256", IKE_KE_ECP256, false },
	{ "ecp_256", IKE_KE_ECP256, false },
	{ "dh20", IKE_KE_ECP384, false },
	{ "ecp384", IKE_KE_ECP384, false },
	{ "ecp_384", IKE_KE_ECP384, false },
	{ "dh21", IKE_KE_ECP521, false },
	{ "ecp521", IKE_KE_ECP521, false },
	{ "ecp_521", IKE_KE_ECP521, false },
	{ "dh31", IKE_KE_CURVE25519, false },
	{ "curve25519", IKE_KE_CURVE25519, false },
	{ "x25519", IKE_KE_CURVE25519, false },
	{ "ml_kem_512", IKE_KE_MLKEM512, true },
	{ "mlkem512", IKE_KE_MLKEM512, true },
	{ "ml_kem_768", IKE_KE_MLKEM768, true },
	{ "mlkem768", IKE_KE_MLKEM768, true },
	{ "ml_kem_1024", IKE_KE_MLKEM1024, true },
	{ "mlkem1024", IKE_KE_MLKEM1024, true },
	{ "none", IKE_KE_NONE, true },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Default lists, close to Libreswan 4.x's IKEv2 defaults (ipsec.conf(5) ike=, esp=). */
#define PROPOSAL_DEFAULT_IKE \
	"aes_gcm256-sha2_512+sha2_256-dh19+dh20+dh31+dh14," \
	"aes256-sha2_512+sha2_256-dh19+dh20+dh31+dh14"
#define PROPOSAL_DEFAULT_ESP "aes_gcm256,aes256-sha2_512+sha2_256"
#define PROPOSAL_DEFAULT_HASHES "sha2_512+sha2_256"
#define PROPOSAL_DEFAULT_KE "dh19+dh20+dh31+dh14"

static const struct hash_name *hash_lookup(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(hash_names); i++)
		if (strcasecmp(hash_names[i].name, s) == 0)
			return &hash_names[i];
	return NULL;
}

static const struct ke_name *ke_lookup(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(ke_names); i++)
		if (strcasecmp(ke_names[i].name, s) == 0)
			return &ke_names[i];
	return NULL;
}

/* "" -> default key lengths; "128", "_128", "192", "256" -> that one. */
static bool encr_keylen_suffix(const char *s, uint16_t *keylen)
{
	if (*s == '_')
		s++;
	if (*s == '\0')
		return false;
	if (strcmp(s, "128") == 0 || strcmp(s, "192") == 0 || strcmp(s, "256") == 0) {
		*keylen = (uint16_t)atoi(s);
		return true;
	}
	return false;
}

/* Resolves an encryption name to (id, aead) and 1 or 2 key lengths. */
static bool encr_lookup(const char *s, uint16_t *id, bool *aead, uint16_t keylens[2], unsigned *nkl)
{
	if (strcasecmp(s, "chacha20_poly1305") == 0 || strcasecmp(s, "chacha20poly1305") == 0) {
		*id = IKE_ENCR_CHACHA20_POLY1305;	/* RFC 7634 2: no Key Length attribute */
		*aead = true;
		keylens[0] = 0;
		*nkl = 1;
		return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(encr_bases); i++) {
		size_t n = strlen(encr_bases[i].name);
		if (strncasecmp(s, encr_bases[i].name, n) != 0)
			continue;
		*id = encr_bases[i].id;
		*aead = encr_bases[i].aead;
		if (s[n] == '\0') {
			keylens[0] = 256;
			keylens[1] = 128;
			*nkl = 2;
			return true;
		}
		if (encr_keylen_suffix(s + n, &keylens[0])) {
			*nkl = 1;
			return true;
		}
	}
	return false;
}

/* --- parsing --- */

struct parse_ctx {
	enum proposal_kind kind;
	char *err;
	size_t errlen;
};

static bool perr(struct parse_ctx *c, const char *fmt, const char *tok)
{
	if (c->errlen)
		snprintf(c->err, c->errlen, fmt, tok);
	return false;
}

static bool add_transform(struct parse_ctx *c, struct ike_proposal *p, uint8_t type,
			  uint16_t id, uint16_t keylen)
{
	if (p->ntrans >= IKE_MAX_TRANSFORMS)
		return perr(c, "too many algorithms in one proposal%s", "");
	p->t[p->ntrans++] = (struct ike_transform){ .type = type, .id = id, .keylen = keylen };
	return true;
}

static bool has_type(const struct ike_proposal *p, uint8_t type)
{
	for (unsigned i = 0; i < p->ntrans; i++)
		if (p->t[i].type == type)
			return true;
	return false;
}

static bool has_transform(const struct ike_proposal *p, uint8_t type, uint16_t id)
{
	for (unsigned i = 0; i < p->ntrans; i++)
		if (p->t[i].type == type && p->t[i].id == id)
			return true;
	return false;
}

/* Splits s at sep into tokens (in place); an empty token is an error. */
static int split(char *s, char sep, char **tok, int max)
{
	int n = 0;
	for (char *p = s;; ) {
		char *e = strchr(p, sep);
		if (n == max)
			return -1;
		tok[n++] = p;
		if (e == NULL)
			break;
		*e = '\0';
		p = e + 1;
	}
	for (int i = 0; i < n; i++)
		if (*tok[i] == '\0')
			return -1;
	return n;
}

#define MAX_ALTS 24

static bool parse_encr(struct parse_ctx *c, char *comp, struct ike_proposal *p, bool *aead)
{
	char *alt[MAX_ALTS];
	int n = split(comp, '+', alt, MAX_ALTS);
	if (n < 0)
		return perr(c, "empty or too many algorithms in '%s'", comp);
	for (int i = 0; i < n; i++) {
		uint16_t id, kl[2];
		unsigned nkl;
		bool a;
		if (!encr_lookup(alt[i], &id, &a, kl, &nkl))
			return perr(c, "unknown encryption algorithm '%s'", alt[i]);
		if (i > 0 && a != *aead)
			return perr(c, "AEAD and non-AEAD encryption mixed at '%s'", alt[i]);
		*aead = a;
		for (unsigned k = 0; k < nkl; k++)
			if (!add_transform(c, p, IKE_TRANS_ENCR, id, kl[k]))
				return false;
	}
	return true;
}

/* Hash list as PRF (type 2) or INTEG (type 3). */
static bool parse_hashes(struct parse_ctx *c, char *comp, uint8_t type, struct ike_proposal *p)
{
	char *alt[MAX_ALTS];
	const char *what = type == IKE_TRANS_PRF ? "PRF" : "integrity";
	int n = split(comp, '+', alt, MAX_ALTS);
	if (n < 0)
		return perr(c, "empty or too many algorithms in '%s'", comp);
	for (int i = 0; i < n; i++) {
		const struct hash_name *h = hash_lookup(alt[i]);
		if (h == NULL) {
			char m[64];
			snprintf(m, sizeof(m), "unknown %s algorithm '%%s'", what);
			return perr(c, m, alt[i]);
		}
		uint16_t id = type == IKE_TRANS_PRF ? h->prf : h->integ;
		if (!has_transform(p, type, id) && !add_transform(c, p, type, id, 0))
			return false;
	}
	return true;
}

/* KE list for type 4 (no KEMs in the '-' part; "ke=" allows them) or ADDKEn
 * (RFC 9370 2.2.1: NONE allowed there). */
static bool parse_kes_as(struct parse_ctx *c, char *comp, uint8_t type, bool allow_kem,
			 struct ike_proposal *p)
{
	char *alt[MAX_ALTS];
	int n = split(comp, '+', alt, MAX_ALTS);
	if (n < 0)
		return perr(c, "empty or too many algorithms in '%s'", comp);
	for (int i = 0; i < n; i++) {
		const struct ke_name *k = ke_lookup(alt[i]);
		if (k == NULL)
			return perr(c, "unknown key exchange '%s'", alt[i]);
		if (type == IKE_TRANS_KE && k->addke_only && !allow_kem)
			return perr(c, "key exchange '%s' is only allowed in ke= or addkeN=", alt[i]);
		if (type == IKE_TRANS_KE && k->id == IKE_KE_NONE)
			return perr(c, "key exchange 'none' is only allowed in addkeN=%s", "");
		if (has_transform(p, type, k->id))
			return perr(c, "key exchange '%s' listed twice", alt[i]);
		if (!add_transform(c, p, type, k->id, 0))
			return false;
	}
	return true;
}

static bool parse_kes(struct parse_ctx *c, char *comp, uint8_t type, struct ike_proposal *p)
{
	return parse_kes_as(c, comp, type, type != IKE_TRANS_KE, p);
}

static bool parse_defaults(struct parse_ctx *c, const char *list, uint8_t type, struct ike_proposal *p)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", list);
	return type == IKE_TRANS_KE ? parse_kes(c, buf, type, p) : parse_hashes(c, buf, type, p);
}

/* ENCR[-INTEG][-PRF][-KE] (IKE), ENCR-PRF[-KE] (IKE AEAD), ENCR[-INTEG][-KE] (ESP);
 * missing parts take the defaults; IKE PRF defaults to the integrity hashes, as
 * Libreswan does for ike=aes128-sha2_256-dh31. */
static bool parse_main(struct parse_ctx *c, char *s, struct ike_proposal *p)
{
	char *comp[8];
	bool aead = false;
	int n = split(s, '-', comp, 8);
	if (n < 0)
		return perr(c, "empty or too many components in '%s'", s);
	if (!parse_encr(c, comp[0], p, &aead))
		return false;
	uint8_t expect[2];
	unsigned nexpect = 0, next = 0;
	if (!aead)
		expect[nexpect++] = IKE_TRANS_INTEG;
	if (c->kind == PROPOSAL_IKE)
		expect[nexpect++] = IKE_TRANS_PRF;
	bool ke = false;
	for (int i = 1; i < n; i++) {
		char first[64];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(comp[i], "+"), comp[i]);
		if (ke)
			return perr(c, "unexpected '%s' after the key exchange", comp[i]);
		/* Libreswan writes AEAD without integrity as esp=aes_gcm256-null (or -none):
		 * "null" in the integrity place of an AEAD proposal means none */
		if (aead && i == 1 && (strcmp(comp[i], "null") == 0 || strcmp(comp[i], "none") == 0))
			continue;
		if (ke_lookup(first) != NULL) {
			if (!parse_kes(c, comp[i], IKE_TRANS_KE, p))
				return false;
			ke = true;
			continue;
		}
		if (next == nexpect)
			return perr(c, aead ? "unexpected '%s' (AEAD encryption has no integrity)"
					    : "unexpected '%s'", comp[i]);
		if (!parse_hashes(c, comp[i], expect[next++], p))
			return false;
	}
	if (!aead && !has_type(p, IKE_TRANS_INTEG) &&
	    !parse_defaults(c, PROPOSAL_DEFAULT_HASHES, IKE_TRANS_INTEG, p))
		return false;
	if (c->kind == PROPOSAL_IKE && !has_type(p, IKE_TRANS_PRF)) {
		for (unsigned i = 0, nt = p->ntrans; !aead && i < nt; i++)
			for (size_t h = 0; h < ARRAY_LEN(hash_names); h++)
				if (p->t[i].type == IKE_TRANS_INTEG && p->t[i].id == hash_names[h].integ &&
				    !has_transform(p, IKE_TRANS_PRF, hash_names[h].prf) &&
				    !add_transform(c, p, IKE_TRANS_PRF, hash_names[h].prf, 0))
					return false;
		if (!has_type(p, IKE_TRANS_PRF) &&
		    !parse_defaults(c, PROPOSAL_DEFAULT_HASHES, IKE_TRANS_PRF, p))
			return false;
	}
	return true;	/* a missing IKE KE is filled in after ";..." parts */
}

/* RFC 9370 2.2.1 in Libreswan syntax: "addkeN=KE+KE" (N = 1..7; "none" = optional). */
static bool parse_extra(struct parse_ctx *c, char *s, struct ike_proposal *p)
{
	char *eq = strchr(s, '=');
	if (eq == NULL) {
		/* the older "ENCR-INTEG;KE" spelling */
		if (has_type(p, IKE_TRANS_KE))
			return perr(c, "unexpected ';%s'", s);
		return parse_kes(c, s, IKE_TRANS_KE, p);
	}
	*eq = '\0';
	/* "ke=": transform type 4 spelled out, where a KEM (ML-KEM in IKE_SA_INIT,
	 * draft-ietf-ipsecme-ikev2-mlkem) may stand */
	if (strcasecmp(s, "ke") == 0) {
		if (has_type(p, IKE_TRANS_KE))
			return perr(c, "the key exchange is given twice ('-...' and 'ke=')%s", "");
		return parse_kes_as(c, eq + 1, IKE_TRANS_KE, true, p);
	}
	if (strncasecmp(s, "addke", 5) != 0 || s[5] < '1' || s[5] > '7' || s[6] != '\0')
		return perr(c, "unknown '%s=' (expected ke= or addke1= .. addke7=)", s);
	uint8_t type = (uint8_t)(IKE_TRANS_ADDKE1 + (s[5] - '1'));
	if (has_type(p, type))
		return perr(c, "'%s=' given twice", s);
	return parse_kes(c, eq + 1, type, p);
}

/* Two ADDKE types that can only be one and the same method cannot both be chosen
 * (RFC 9370 2.2.1: no duplicated methods except NONE). */
static bool check_addke_dups(struct parse_ctx *c, const struct ike_proposal *p)
{
	uint16_t only[IKE_TRANS_TYPE_MAX + 1] = { 0 };
	unsigned count[IKE_TRANS_TYPE_MAX + 1] = { 0 };
	for (unsigned i = 0; i < p->ntrans; i++)
		if (p->t[i].type >= IKE_TRANS_ADDKE1) {
			count[p->t[i].type]++;
			only[p->t[i].type] = p->t[i].id;
		}
	for (unsigned a = IKE_TRANS_ADDKE1; a <= IKE_TRANS_ADDKE7; a++)
		for (unsigned b = a + 1; b <= IKE_TRANS_ADDKE7; b++)
			if (count[a] == 1 && count[b] == 1 && only[a] == only[b] &&
			    only[a] != IKE_KE_NONE) {
				char m[48];
				snprintf(m, sizeof(m), "addke%u=%%s duplicates addke%u", b - 5, a - 5);
				for (size_t k = 0; k < ARRAY_LEN(ke_names); k++)
					if (ke_names[k].id == only[a])
						return perr(c, m, ke_names[k].name);
			}
	return true;
}

/* Keeps ADDKE transforms grouped by ascending type after the main ones. */
static void sort_transforms(struct ike_proposal *p)
{
	for (unsigned i = 1; i < p->ntrans; i++)
		for (unsigned j = i; j > 0 && p->t[j - 1].type > p->t[j].type; j--) {
			struct ike_transform t = p->t[j];
			p->t[j] = p->t[j - 1];
			p->t[j - 1] = t;
		}
}

static bool parse_entry(struct parse_ctx *c, char *s, struct ike_proposal *p)
{
	char *part[9];
	int n = split(s, ';', part, 9);
	if (n < 0)
		return perr(c, "empty or too many ';' parts in '%s'", s);
	memset(p, 0, sizeof(*p));
	p->protocol = c->kind == PROPOSAL_IKE ? IKE_PROTO_IKE : IKE_PROTO_ESP;
	if (!parse_main(c, part[0], p))
		return false;
	for (int i = 1; i < n; i++)
		if (!parse_extra(c, part[i], p))
			return false;
	if (c->kind == PROPOSAL_IKE && !has_type(p, IKE_TRANS_KE) &&
	    !parse_defaults(c, PROPOSAL_DEFAULT_KE, IKE_TRANS_KE, p))
		return false;
	if (c->kind == PROPOSAL_ESP && !add_transform(c, p, IKE_TRANS_ESN, IKE_ESN_NO, 0))
		return false;	/* RFC 7296 3.3.3: ESP proposals carry ESN */
	sort_transforms(p);
	return check_addke_dups(c, p);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

bool proposal_parse(enum proposal_kind kind, const char *str, struct proposal_list *out,
		    char *err, size_t errlen)
{
	struct parse_ctx c = { kind, err, errlen };
	char buf[1024];
	if (str == NULL || *str == '\0')
		str = kind == PROPOSAL_IKE ? PROPOSAL_DEFAULT_IKE : PROPOSAL_DEFAULT_ESP;
	if (strlen(str) >= sizeof(buf))
		return perr(&c, "proposal list too long%s", "");
	snprintf(buf, sizeof(buf), "%s", str);
	struct proposal_list l = { 0 };
	char *save = NULL;
	for (char *e = buf; e != NULL; e = save) {
		save = strchr(e, ',');
		if (save != NULL)
			*save++ = '\0';
		e = trim(e);
		if (*e == '\0')
			return perr(&c, "empty proposal in '%s'", str);
		if (l.n == IKE_MAX_PROPOSALS)
			return perr(&c, "too many proposals at '%s'", e);
		if (!parse_entry(&c, e, &l.prop[l.n]))
			return false;
		l.prop[l.n].num = (uint8_t)(l.n + 1);
		l.n++;
	}
	*out = l;
	return true;
}

void proposal_default(enum proposal_kind kind, struct proposal_list *out)
{
	char err[8];
	if (!proposal_parse(kind, NULL, out, err, sizeof(err)))
		out->n = 0;	/* not reached: the defaults parse */
}

void proposal_to_sa(const struct proposal_list *l, const uint8_t *spi, uint8_t spi_len,
		    struct ike_sa_pl *out)
{
	memset(out, 0, sizeof(*out));
	if (spi_len > IKE_SPI_LEN)
		spi_len = IKE_SPI_LEN;
	for (unsigned i = 0; i < l->n && i < IKE_MAX_PROPOSALS; i++) {
		struct ike_proposal *p = &out->prop[i];
		*p = l->prop[i];
		p->num = (uint8_t)(i + 1);	/* RFC 7296 3.3.1: 1, 2, ... */
		p->spi_len = spi_len;
		memset(p->spi, 0, sizeof(p->spi));
		if (spi_len)
			memcpy(p->spi, spi, spi_len);
	}
	out->nprop = (uint8_t)(l->n < IKE_MAX_PROPOSALS ? l->n : IKE_MAX_PROPOSALS);
}

/* --- negotiation --- */

static bool is_addke(uint8_t type)
{
	return type >= IKE_TRANS_ADDKE1 && type <= IKE_TRANS_ADDKE7;
}

/* Whether local proposal l allows transform t.  A type l does not list allows only
 * ESN NO (RFC 7296 3.3.2: no ESN = no extended sequence numbers), INTEG NONE
 * (RFC 5282 8: an AEAD proposal may carry INTEG NONE) and ADDKE NONE (RFC 9370
 * 2.2.1: NONE makes the additional key exchange optional; without addkeN= we take
 * that option) and, for a Child SA, KE NONE (RFC 7296 1.2: the only KE value an
 * IKE_AUTH Child SA proposal may carry; without PFS, none in CREATE_CHILD_SA). */
static bool local_allows(const struct ike_proposal *l, const struct ike_transform *t)
{
	if (t->unknown_attr)
		return false;
	if (!has_type(l, t->type))
		return (t->type == IKE_TRANS_ESN && t->id == IKE_ESN_NO) ||
		       (t->type == IKE_TRANS_INTEG && t->id == IKE_INTEG_NONE) ||
		       (is_addke(t->type) && t->id == IKE_KE_NONE) ||
		       (t->type == IKE_TRANS_KE && t->id == IKE_KE_NONE && l->protocol != IKE_PROTO_IKE);
	for (unsigned i = 0; i < l->ntrans; i++)
		if (l->t[i].type == t->type && l->t[i].id == t->id && l->t[i].keylen == t->keylen)
			return true;
	return false;
}

/* A type we list but the peer left out is acceptable only when it is an ADDKE type
 * that we allow to be NONE (RFC 9370 2.2.1: an absent ADDKE type means none). */
static bool absent_ok(const struct ike_proposal *l, uint8_t type)
{
	return is_addke(type) && has_transform(l, type, IKE_KE_NONE);
}

static bool chosen_has_ke(const struct ike_proposal *c, uint16_t id)
{
	for (unsigned i = 0; i < c->ntrans; i++)
		if (is_addke(c->t[i].type) && c->t[i].id == id)
			return true;
	return false;
}

/* RFC 7296 3.3.6: every transform type the peer proposes must be matched, one
 * transform each, in the peer's order of preference. */
static bool match_one(const struct ike_proposal *l, const struct ike_proposal *o,
		      struct ike_proposal *c)
{
	memset(c, 0, sizeof(*c));
	/* the transform types either side lists, in ascending order */
	bool present[256] = { false };
	for (unsigned i = 0; i < o->ntrans; i++)
		present[o->t[i].type] = true;
	for (unsigned i = 0; i < l->ntrans; i++)
		present[l->t[i].type] = true;
	for (unsigned type = 0; type < 256; type++) {
		bool found = false;
		if (!present[type])
			continue;
		if (!has_type(o, (uint8_t)type)) {
			if (has_type(l, (uint8_t)type) && !absent_ok(l, (uint8_t)type))
				return false;
			continue;
		}
		for (unsigned i = 0; i < o->ntrans && !found; i++) {
			const struct ike_transform *t = &o->t[i];
			if (t->type != type || !local_allows(l, t))
				continue;
			/* RFC 9370 2.2.1: no method twice across ADDKE types, except NONE */
			if (is_addke(t->type) && t->id != IKE_KE_NONE && chosen_has_ke(c, t->id))
				continue;
			c->t[c->ntrans++] = *t;
			found = true;
		}
		if (!found)
			return false;
	}
	c->num = o->num;
	c->protocol = o->protocol;
	c->spi_len = o->spi_len;
	memcpy(c->spi, o->spi, sizeof(c->spi));
	return true;
}

/* RFC 7296 3.3.1: proposal numbers start at 1 and go up by one; SPI sizes: IKE 0 in
 * IKE_SA_INIT or 8 when rekeying, ESP/AH 4. */
static bool proposal_well_formed(const struct ike_proposal *p, unsigned index)
{
	if (p->num != index + 1)
		return false;
	if (p->protocol == IKE_PROTO_IKE)
		return p->spi_len == 0 || p->spi_len == IKE_SPI_LEN;
	if (p->protocol == IKE_PROTO_ESP || p->protocol == IKE_PROTO_AH)
		return p->spi_len == 4;
	return true;
}

enum proposal_result proposal_select(const struct proposal_list *local, const struct ike_sa_pl *offered,
				     struct ike_proposal *chosen)
{
	if (offered->nprop == 0 || offered->nprop > IKE_MAX_PROPOSALS)
		return PROPOSAL_INVALID;
	for (unsigned i = 0; i < offered->nprop; i++)
		if (!proposal_well_formed(&offered->prop[i], i))
			return PROPOSAL_INVALID;
	for (unsigned i = 0; i < offered->nprop; i++) {
		const struct ike_proposal *o = &offered->prop[i];
		for (unsigned j = 0; j < local->n; j++) {
			if (local->prop[j].protocol != o->protocol)
				continue;
			if (match_one(&local->prop[j], o, chosen))
				return PROPOSAL_OK;
		}
	}
	memset(chosen, 0, sizeof(*chosen));
	return PROPOSAL_NO_CHOSEN;
}

/* RFC 7296 2.7: the reply holds one proposal, one transform per type, all from the
 * proposal we sent under that number; RFC 9370 2.2.1 for ADDKE. */
enum proposal_result proposal_check_reply(const struct proposal_list *sent, const struct ike_sa_pl *reply,
					  struct ike_proposal *chosen)
{
	memset(chosen, 0, sizeof(*chosen));
	if (reply->nprop != 1)
		return PROPOSAL_INVALID;
	const struct ike_proposal *r = &reply->prop[0];
	if (r->num == 0 || r->num > sent->n || !proposal_well_formed(r, r->num - 1))
		return PROPOSAL_INVALID;
	const struct ike_proposal *s = &sent->prop[r->num - 1];
	if (r->protocol != s->protocol)
		return PROPOSAL_INVALID;
	bool seen[256] = { false };
	for (unsigned i = 0; i < r->ntrans; i++) {
		const struct ike_transform *t = &r->t[i];
		if (seen[t->type])
			return PROPOSAL_INVALID;
		seen[t->type] = true;
		if (!local_allows(s, t))
			return PROPOSAL_NO_CHOSEN;
	}
	for (unsigned i = 0; i < s->ntrans; i++)
		if (!seen[s->t[i].type] && !absent_ok(s, s->t[i].type))
			return PROPOSAL_NO_CHOSEN;
	for (unsigned i = 0; i < r->ntrans; i++)
		for (unsigned j = i + 1; j < r->ntrans; j++)
			if (is_addke(r->t[i].type) && is_addke(r->t[j].type) &&
			    r->t[i].id == r->t[j].id && r->t[i].id != IKE_KE_NONE)
				return PROPOSAL_INVALID;
	*chosen = *r;
	sort_transforms(chosen);
	return PROPOSAL_OK;
}

static void drop_type(struct ike_proposal *p, bool (*match)(uint8_t type))
{
	unsigned k = 0;
	for (unsigned i = 0; i < p->ntrans; i++)
		if (!match(p->t[i].type))
			p->t[k++] = p->t[i];
	p->ntrans = (uint8_t)k;
}

static bool is_ke_type(uint8_t type)
{
	return type == IKE_TRANS_KE || is_addke(type);
}

void proposal_without_ke(const struct proposal_list *in, struct proposal_list *out)
{
	*out = *in;
	for (unsigned i = 0; i < out->n; i++)
		drop_type(&out->prop[i], is_ke_type);
}

void proposal_with_ke(const struct proposal_list *in, uint16_t ke, const uint16_t *addke, unsigned naddke,
		      struct proposal_list *out)
{
	*out = *in;
	for (unsigned i = 0; i < out->n; i++) {
		struct ike_proposal *p = &out->prop[i];
		if (has_type(p, IKE_TRANS_KE) || ke == IKE_KE_NONE)
			continue;
		if (p->ntrans < IKE_MAX_TRANSFORMS)
			p->t[p->ntrans++] = (struct ike_transform){ .type = IKE_TRANS_KE, .id = ke };
		for (unsigned a = 0; a < naddke && a <= IKE_TRANS_ADDKE7 - IKE_TRANS_ADDKE1 &&
				     p->ntrans < IKE_MAX_TRANSFORMS; a++)
			p->t[p->ntrans++] = (struct ike_transform){ .type = (uint8_t)(IKE_TRANS_ADDKE1 + a),
								    .id = addke[a] };
		sort_transforms(p);
	}
}

static bool is_esn_type(uint8_t type)
{
	return type == IKE_TRANS_ESN;
}

void proposal_set_esn(struct proposal_list *l, bool yes, bool no)
{
	for (unsigned i = 0; i < l->n; i++) {
		struct ike_proposal *p = &l->prop[i];
		if (p->protocol != IKE_PROTO_ESP)
			continue;
		drop_type(p, is_esn_type);
		/* RFC 7296 3.3.2: the order is our preference: YES first */
		if (yes && p->ntrans < IKE_MAX_TRANSFORMS)
			p->t[p->ntrans++] = (struct ike_transform){ .type = IKE_TRANS_ESN, .id = IKE_ESN_YES };
		if (no && p->ntrans < IKE_MAX_TRANSFORMS)
			p->t[p->ntrans++] = (struct ike_transform){ .type = IKE_TRANS_ESN, .id = IKE_ESN_NO };
		sort_transforms(p);
	}
}

unsigned proposal_addkes(const struct ike_proposal *p, uint16_t *methods)
{
	unsigned n = 0;
	for (unsigned t = IKE_TRANS_ADDKE1; t <= IKE_TRANS_ADDKE7; t++) {
		uint16_t m = IKE_KE_NONE;
		if (proposal_get(p, t, &m, NULL) && m != IKE_KE_NONE)
			methods[n++] = m;
	}
	return n;
}

bool proposal_get(const struct ike_proposal *p, enum ike_transform_type type, uint16_t *id, uint16_t *keylen)
{
	for (unsigned i = 0; i < p->ntrans; i++)
		if (p->t[i].type == type) {
			if (id != NULL)
				*id = p->t[i].id;
			if (keylen != NULL)
				*keylen = p->t[i].keylen;
			return true;
		}
	return false;
}

uint16_t proposal_first_ke(const struct proposal_list *l)
{
	uint16_t id = 0;
	if (l->n > 0 && proposal_get(&l->prop[0], IKE_TRANS_KE, &id, NULL))
		return id;
	return 0;
}

bool proposal_allows_ke(const struct proposal_list *l, uint16_t m)
{
	for (unsigned i = 0; i < l->n; i++)
		if (has_transform(&l->prop[i], IKE_TRANS_KE, m))
			return true;
	return false;
}

/* --- formatting --- */

static void encr_out(const struct ike_transform *t, char *b, size_t len)
{
	const char *n = NULL;
	switch (t->id) {
	case IKE_ENCR_AES_CBC: n = "AES_CBC"; break;
	case IKE_ENCR_AES_CTR: n = "AES_CTR"; break;
	case IKE_ENCR_AES_GCM_8: n = "AES_GCM_8"; break;
	case IKE_ENCR_AES_GCM_12: n = "AES_GCM_12"; break;
	case IKE_ENCR_AES_GCM_16: n = "AES_GCM_16"; break;
	case IKE_ENCR_CHACHA20_POLY1305: n = "CHACHA20_POLY1305"; break;
	case IKE_ENCR_3DES: n = "3DES"; break;
	case IKE_ENCR_NULL: n = "NULL"; break;
	}
	if (n == NULL)
		snprintf(b, len, "ENCR_%u", t->id);
	else if (t->keylen)
		snprintf(b, len, "%s_%u", n, t->keylen);
	else
		snprintf(b, len, "%s", n);
}

/* names come from the one table of wire names (lib/libike/wire_names.c) */
static void hash_out(const struct ike_transform *t, char *b, size_t len)
{
	snprintf(b, len, "%s", t->type == IKE_TRANS_PRF ? ike_prf_name(t->id) : ike_integ_name(t->id));
}

static void ke_out(const struct ike_transform *t, char *b, size_t len)
{
	snprintf(b, len, "%s", ike_ke_name(t->id));
}

static void append(char *buf, size_t len, size_t *o, const char *s)
{
	int n = snprintf(buf + *o, len - *o, "%s%s", *o ? "-" : "", s);
	if (n > 0)
		*o = *o + (size_t)n < len ? *o + (size_t)n : len - 1;
}

/* Order: ENCR, INTEG (unless NONE), PRF, KE, ADDKEn=.. (unless NONE), ESN (when YES). */
const char *proposal_str(const struct ike_proposal *p, char *buf, size_t len)
{
	static const uint8_t order[] = { IKE_TRANS_ENCR, IKE_TRANS_INTEG, IKE_TRANS_PRF, IKE_TRANS_KE,
		6, 7, 8, 9, 10, 11, 12, IKE_TRANS_ESN };
	size_t o = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t k = 0; k < ARRAY_LEN(order); k++)
		for (unsigned i = 0; i < p->ntrans; i++) {
			const struct ike_transform *t = &p->t[i];
			char s[48], a[64];
			if (t->type != order[k])
				continue;
			switch (t->type) {
			case IKE_TRANS_ENCR: encr_out(t, s, sizeof(s)); break;
			case IKE_TRANS_PRF: hash_out(t, s, sizeof(s)); break;
			case IKE_TRANS_INTEG:
				if (t->id == IKE_INTEG_NONE)
					continue;
				hash_out(t, s, sizeof(s));
				break;
			case IKE_TRANS_KE: ke_out(t, s, sizeof(s)); break;
			case IKE_TRANS_ESN:
				if (t->id != IKE_ESN_YES)
					continue;
				snprintf(s, sizeof(s), "ESN");
				break;
			default:
				if (t->id == IKE_KE_NONE)
					continue;
				ke_out(t, a, sizeof(a));
				snprintf(s, sizeof(s), "ADDKE%u=%.30s", t->type - 5u, a);
				break;
			}
			append(buf, len, &o, s);
		}
	return buf;
}
