/* certid.h -- IKE identities and certificates (RFC 4945 3.1), lib/libike/certid.c. */
#ifndef CERTID_H
#define CERTID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "ike_id.h"

/* the certificate (DER) names the identity: subject for a DN, else a subjectAltName */
bool ike_id_in_cert(const struct ike_id *id, const uint8_t *der, size_t len);
/* leftid=%fromcert: the subject as an ID_DER_ASN1_DN identity */
bool ike_id_from_cert(const uint8_t *der, size_t len, struct ike_id *out);

#endif
