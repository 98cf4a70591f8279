/* certid.c -- whether a certificate proves an IKE identity (RFC 4945 3.1): a DN
 * against its subject (compared by value, dn.c), other ID types against its
 * subjectAltNames (lib/libcrypt/cert.c). */
#include "certid.h"
#include "crypt.h"
#include "dn.h"
#include "ike_wire.h"

bool ike_id_in_cert(const struct ike_id *id, const uint8_t *der, size_t len)
{
	if (id->type == IKE_ID_DER_ASN1_DN) {
		struct chunk subject;
		if (!crypt_cert_subject(der, len, &subject))
			return false;
		bool eq = dn_eq(id->data, id->len, subject.ptr, subject.len);
		chunk_free(&subject);
		return eq;
	}
	return crypt_cert_matches_id(der, len, id->type, id->data, id->len);
}

bool ike_id_from_cert(const uint8_t *der, size_t len, struct ike_id *out)
{
	struct chunk subject;
	if (!crypt_cert_subject(der, len, &subject))
		return false;
	bool ok = subject.len <= IKE_ID_MAX && dn_valid(subject.ptr, subject.len);
	if (ok) {
		*out = (struct ike_id){ .type = IKE_ID_DER_ASN1_DN, .len = (uint8_t)subject.len };
		memcpy(out->data, subject.ptr, subject.len);
	}
	chunk_free(&subject);
	return ok;
}
