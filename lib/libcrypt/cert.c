/* cert.c -- X.509 certificates through NSS: a peer's chain verified against the
 * database's trust anchors (RFC 7296 3.6, RFC 4945 5), the CERTREQ hashes of those
 * anchors (RFC 7296 3.7), an identity matched against a certificate (RFC 4945 3.1)
 * and Libreswan's text form of distinguished names.
 *
 * Peer certificates are NSS temporary certificates: decoded, never stored, and
 * trusted only through a chain to an anchor the operator put in the database.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <prerror.h>
#include <secerr.h>
#include "crypt.h"

#define CERT_SHA1_LEN 20

static CERTCertificate *temp_cert(const uint8_t *der, size_t len)
{
	if (der == NULL || len == 0 || len > CRYPT_MAX_CERT_LEN)
		return NULL;
	SECItem item = { siBuffer, (unsigned char *)der, (unsigned int)len };
	return CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &item, NULL, PR_FALSE, PR_TRUE);
}

static enum crypt_cert_result classify(PRErrorCode e)
{
	switch (e) {
	case SEC_ERROR_EXPIRED_CERTIFICATE:
	case SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE:
		return CRYPT_CERT_EXPIRED;
	case SEC_ERROR_REVOKED_CERTIFICATE:
		return CRYPT_CERT_REVOKED;
	case SEC_ERROR_INADEQUATE_KEY_USAGE:
	case SEC_ERROR_INADEQUATE_CERT_TYPE:
	case SEC_ERROR_CA_CERT_INVALID:
		return CRYPT_CERT_BAD_USAGE;
	case SEC_ERROR_UNKNOWN_ISSUER:
	case SEC_ERROR_UNTRUSTED_ISSUER:
	case SEC_ERROR_UNTRUSTED_CERT:
		return CRYPT_CERT_UNTRUSTED;
	case SEC_ERROR_BAD_SIGNATURE:
		return CRYPT_CERT_BAD_SIGNATURE;
	default:
		return CRYPT_CERT_FAILED;
	}
}

const char *crypt_cert_result_name(enum crypt_cert_result r)
{
	switch (r) {
	case CRYPT_CERT_OK: return "valid";
	case CRYPT_CERT_BAD_ENCODING: return "cannot be decoded";
	case CRYPT_CERT_UNTRUSTED: return "not issued by a trusted CA";
	case CRYPT_CERT_EXPIRED: return "expired or not yet valid";
	case CRYPT_CERT_REVOKED: return "revoked";
	case CRYPT_CERT_BAD_USAGE: return "not usable for IPsec (key usage or CA constraints)";
	case CRYPT_CERT_BAD_SIGNATURE: return "has a bad signature";
	case CRYPT_CERT_FAILED: return "cannot be verified";
	}
	return "cannot be verified";
}

enum crypt_cert_result crypt_cert_verify(const struct chunk *ee, const struct chunk *inter, size_t ninter,
					 uint64_t at_unix, char *why, size_t whylen)
{
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	CERTCertificate *c = temp_cert(ee->ptr, ee->len);
	if (c == NULL)
		return CRYPT_CERT_BAD_ENCODING;
	/* intermediates as temporary certificates, so that NSS builds the path through
	 * them (RFC 7296 3.6: "the remaining certificates of the chain") */
	CERTCertificate *held[CRYPT_MAX_CHAIN];
	size_t nheld = 0;
	for (size_t i = 0; i < ninter && nheld < CRYPT_MAX_CHAIN; i++) {
		held[nheld] = temp_cert(inter[i].ptr, inter[i].len);
		if (held[nheld] != NULL)
			nheld++;
	}
	PRTime t = at_unix ? (PRTime)at_unix * PR_USEC_PER_SEC : PR_Now();
	SECCertificateUsage got = 0;
	SECStatus rv = CERT_VerifyCertificate(CERT_GetDefaultCertDB(), c, PR_TRUE, certificateUsageIPsec,
					      t, NULL, NULL, &got);
	enum crypt_cert_result r = CRYPT_CERT_OK;
	if (rv != SECSuccess) {
		PRErrorCode e = PORT_GetError();
		r = classify(e);
		if (why != NULL && whylen > 0)
			snprintf(why, whylen, "%s (%s)", crypt_cert_result_name(r), PR_ErrorToName(e));
	}
	for (size_t i = 0; i < nheld; i++)
		CERT_DestroyCertificate(held[i]);
	CERT_DestroyCertificate(c);
	return r;
}

/* RFC 7296 3.7: "the SHA-1 hash of the Subject Public Key Info element" */
static bool spki_sha1(CERTCertificate *c, uint8_t out[CERT_SHA1_LEN])
{
	SECItem *der = NULL;
	SECKEYPublicKey *k = CERT_ExtractPublicKey(c);
	if (k != NULL)
		der = SECKEY_EncodeDERSubjectPublicKeyInfo(k);
	bool ok = false;
	if (der != NULL) {
		struct iov in = { der->data, der->len };
		ok = crypt_hash(CRYPT_SHA1, &in, 1, out);
		SECITEM_FreeItem(der, PR_TRUE);
	}
	if (k != NULL)
		SECKEY_DestroyPublicKey(k);
	return ok;
}

bool crypt_cert_spki_sha1(const uint8_t *der, size_t len, uint8_t out[20])
{
	CERTCertificate *c = temp_cert(der, len);
	if (c == NULL)
		return false;
	bool ok = spki_sha1(c, out);
	CERT_DestroyCertificate(c);
	return ok;
}

size_t crypt_trust_anchor_hashes(uint8_t (*out)[20], size_t max)
{
	CERTCertList *l = PK11_ListCerts(PK11CertListCA, NULL);
	if (l == NULL)
		return 0;
	size_t n = 0;
	for (CERTCertListNode *nd = CERT_LIST_HEAD(l); !CERT_LIST_END(nd, l) && n < max;
	     nd = CERT_LIST_NEXT(nd)) {
		CERTCertTrust trust;
		/* an anchor: trusted to issue (the C or T flag of certutil -t) */
		if (CERT_GetCertTrust(nd->cert, &trust) != SECSuccess ||
		    !(trust.sslFlags & (CERTDB_TRUSTED_CA | CERTDB_TRUSTED_CLIENT_CA)))
			continue;
		if (spki_sha1(nd->cert, out[n]))
			n++;
	}
	CERT_DestroyCertList(l);
	return n;
}

bool crypt_cert_is_anchor_hash(const uint8_t *hash)
{
	uint8_t h[CRYPT_MAX_ANCHORS][20];
	size_t n = crypt_trust_anchor_hashes(h, CRYPT_MAX_ANCHORS);
	for (size_t i = 0; i < n; i++)
		if (memcmp(h[i], hash, 20) == 0)
			return true;
	return false;
}

/* --- names --- */

bool crypt_cert_subject(const uint8_t *der, size_t len, struct chunk *dn)
{
	CERTCertificate *c = temp_cert(der, len);
	if (c == NULL)
		return false;
	*dn = chunk_dup(c->derSubject.data, c->derSubject.len);
	CERT_DestroyCertificate(c);
	return true;
}

bool crypt_cert_issuer(const uint8_t *der, size_t len, struct chunk *dn)
{
	CERTCertificate *c = temp_cert(der, len);
	if (c == NULL)
		return false;
	*dn = chunk_dup(c->derIssuer.data, c->derIssuer.len);
	CERT_DestroyCertificate(c);
	return true;
}

size_t crypt_cert_ca_chain(const uint8_t *der, size_t len, bool all, struct chunk *out, size_t max)
{
	CERTCertificate *c = temp_cert(der, len);
	size_t n = 0;
	if (c == NULL)
		return 0;
	if (!all) {
		CERTCertificate *issuer = CERT_FindCertByName(CERT_GetDefaultCertDB(), &c->derIssuer);
		if (issuer != NULL && !issuer->isRoot && max > 0)
			out[n++] = chunk_dup(issuer->derCert.data, issuer->derCert.len);
		if (issuer != NULL)
			CERT_DestroyCertificate(issuer);
	} else {
		/* the chain NSS builds from the database, ours first, without the root */
		CERTCertificateList *l = CERT_CertChainFromCert(c, certUsageAnyCA, PR_FALSE);
		for (int i = 1; l != NULL && i < l->len && n < max; i++)
			out[n++] = chunk_dup(l->certs[i].data, l->certs[i].len);
		if (l != NULL)
			CERT_DestroyCertificateList(l);
	}
	CERT_DestroyCertificate(c);
	return n;
}

/* RFC 4945 3.1: ID_FQDN / ID_RFC822_ADDR / ID_IPV4_ADDR / ID_IPV6_ADDR against a
 * subjectAltName of that form (dNSName case-insensitively, RFC 4945 3.1.3); a DN is
 * compared by the caller (lib/libike/dn.c) with crypt_cert_subject(). */
bool crypt_cert_matches_id(const uint8_t *der, size_t len, uint8_t id_type, const uint8_t *data,
			   size_t dlen)
{
	CERTCertificate *c = temp_cert(der, len);
	if (c == NULL)
		return false;
	bool match = false;
	CERTGeneralNameType want;
	switch (id_type) {
	case IKE_ID_FQDN: want = certDNSName; break;
	case IKE_ID_RFC822_ADDR: want = certRFC822Name; break;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR: want = certIPAddress; break;
	default:
		CERT_DestroyCertificate(c);
		return false;
	}
	PLArenaPool *arena = PORT_NewArena(DER_DEFAULT_CHUNKSIZE);
	CERTGeneralName *names = arena != NULL ? CERT_GetCertificateNames(c, arena) : NULL;
	CERTGeneralName *g = names;
	while (g != NULL && !match) {
		if (g->type == want && g->name.other.len == dlen) {
			const uint8_t *v = g->name.other.data;
			if (want == certIPAddress)
				match = memcmp(v, data, dlen) == 0;
			else
				match = strncasecmp((const char *)v, (const char *)data, dlen) == 0;
		}
		g = CERT_GetNextGeneralName(g);
		if (g == names)
			break;
	}
	if (arena != NULL)
		PORT_FreeArena(arena, PR_FALSE);
	CERT_DestroyCertificate(c);
	return match;
}
