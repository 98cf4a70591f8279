/* wire_names.c -- names of IKEv2 wire numbers for logs (include/ike_wire.h).
 *
 * Names follow the IANA "IKEv2 Parameters" registry.  Tables are read-only; an
 * unknown value gives "UNKNOWN" (never a formatted, mutable buffer).
 */
#include <stddef.h>
#include "ike_wire.h"

struct wire_name {
	unsigned v;
	const char *name;
};

#define N(v, s) { (v), (s) }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup(const struct wire_name *t, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return "UNKNOWN";
}

static const struct wire_name exchanges[] = {
	N(IKE_SA_INIT, "IKE_SA_INIT"),
	N(IKE_AUTH, "IKE_AUTH"),
	N(CREATE_CHILD_SA, "CREATE_CHILD_SA"),
	N(INFORMATIONAL, "INFORMATIONAL"),
	N(IKE_INTERMEDIATE, "IKE_INTERMEDIATE"),
	N(IKE_FOLLOWUP_KE, "IKE_FOLLOWUP_KE"),
};

const char *ike_exchange_name(unsigned v)
{
	return lookup(exchanges, COUNT(exchanges), v);
}

/* RFC 7296 3.2 notation */
static const struct wire_name payloads[] = {
	N(IKE_PL_NONE, "NONE"),
	N(IKE_PL_SA, "SA"),
	N(IKE_PL_KE, "KE"),
	N(IKE_PL_IDI, "IDi"),
	N(IKE_PL_IDR, "IDr"),
	N(IKE_PL_CERT, "CERT"),
	N(IKE_PL_CERTREQ, "CERTREQ"),
	N(IKE_PL_AUTH, "AUTH"),
	N(IKE_PL_NONCE, "Nonce"),
	N(IKE_PL_NOTIFY, "N"),
	N(IKE_PL_DELETE, "D"),
	N(IKE_PL_VID, "V"),
	N(IKE_PL_TSI, "TSi"),
	N(IKE_PL_TSR, "TSr"),
	N(IKE_PL_SK, "SK"),
	N(IKE_PL_CP, "CP"),
	N(IKE_PL_EAP, "EAP"),
	N(IKE_PL_SKF, "SKF"),
};

const char *ike_payload_name(unsigned v)
{
	return lookup(payloads, COUNT(payloads), v);
}

static const struct wire_name notifies[] = {
	N(IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD"),
	N(IKE_N_INVALID_IKE_SPI, "INVALID_IKE_SPI"),
	N(IKE_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"),
	N(IKE_N_INVALID_SYNTAX, "INVALID_SYNTAX"),
	N(IKE_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"),
	N(IKE_N_INVALID_SPI, "INVALID_SPI"),
	N(IKE_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"),
	N(IKE_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"),
	N(IKE_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"),
	N(IKE_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED"),
	N(IKE_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS"),
	N(IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE"),
	N(IKE_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED"),
	N(IKE_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE"),
	N(IKE_N_INVALID_SELECTORS, "INVALID_SELECTORS"),
	N(IKE_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE"),
	N(IKE_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND"),
	N(IKE_N_STATE_NOT_FOUND, "STATE_NOT_FOUND"),
	N(IKE_N_INITIAL_CONTACT, "INITIAL_CONTACT"),
	N(IKE_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE"),
	N(IKE_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE"),
	N(IKE_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED"),
	N(IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP"),
	N(IKE_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP"),
	N(IKE_N_COOKIE, "COOKIE"),
	N(IKE_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE"),
	N(IKE_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED"),
	N(IKE_N_REKEY_SA, "REKEY_SA"),
	N(IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED"),
	N(IKE_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO"),
	N(IKE_N_MOBIKE_SUPPORTED, "MOBIKE_SUPPORTED"),
	N(IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED"),
	N(IKE_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS"),
	N(IKE_N_USE_PPK, "USE_PPK"),
	N(IKE_N_PPK_IDENTITY, "PPK_IDENTITY"),
	N(IKE_N_NO_PPK_AUTH, "NO_PPK_AUTH"),
	N(IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, "INTERMEDIATE_EXCHANGE_SUPPORTED"),
	N(IKE_N_ADDITIONAL_KEY_EXCHANGE, "ADDITIONAL_KEY_EXCHANGE"),
	N(IKE_N_SUPPORTED_AUTH_METHODS, "SUPPORTED_AUTH_METHODS"),
	N(IKE_N_USE_PPK_INT, "USE_PPK_INT"),
	N(IKE_N_PPK_IDENTITY_KEY, "PPK_IDENTITY_KEY"),
};

const char *ike_notify_name(unsigned v)
{
	return lookup(notifies, COUNT(notifies), v);
}

/* RFC 7296 3.3.2; RFC 9370 2.2.1 */
static const struct wire_name transform_types[] = {
	N(IKE_TRANS_ENCR, "ENCR"),
	N(IKE_TRANS_PRF, "PRF"),
	N(IKE_TRANS_INTEG, "INTEG"),
	N(IKE_TRANS_KE, "KE"),
	N(IKE_TRANS_ESN, "ESN"),
	N(IKE_TRANS_ADDKE1, "ADDKE1"),
	N(IKE_TRANS_ADDKE1 + 1, "ADDKE2"),
	N(IKE_TRANS_ADDKE1 + 2, "ADDKE3"),
	N(IKE_TRANS_ADDKE1 + 3, "ADDKE4"),
	N(IKE_TRANS_ADDKE1 + 4, "ADDKE5"),
	N(IKE_TRANS_ADDKE1 + 5, "ADDKE6"),
	N(IKE_TRANS_ADDKE7, "ADDKE7"),
};

const char *ike_transform_type_name(unsigned v)
{
	return lookup(transform_types, COUNT(transform_types), v);
}

static const struct wire_name encrs[] = {
	N(IKE_ENCR_3DES, "3DES"),
	N(IKE_ENCR_NULL, "NULL"),
	N(IKE_ENCR_AES_CBC, "AES_CBC"),
	N(IKE_ENCR_AES_CTR, "AES_CTR"),
	N(IKE_ENCR_AES_GCM_8, "AES_GCM_8"),
	N(IKE_ENCR_AES_GCM_12, "AES_GCM_12"),
	N(IKE_ENCR_AES_GCM_16, "AES_GCM_16"),
	N(IKE_ENCR_CHACHA20_POLY1305, "CHACHA20_POLY1305"),
};

const char *ike_encr_name(unsigned v)
{
	return lookup(encrs, COUNT(encrs), v);
}

static const struct wire_name prfs[] = {
	N(IKE_PRF_HMAC_SHA1, "HMAC_SHA1"),
	N(IKE_PRF_HMAC_SHA2_256, "HMAC_SHA2_256"),
	N(IKE_PRF_HMAC_SHA2_384, "HMAC_SHA2_384"),
	N(IKE_PRF_HMAC_SHA2_512, "HMAC_SHA2_512"),
};

const char *ike_prf_name(unsigned v)
{
	return lookup(prfs, COUNT(prfs), v);
}

static const struct wire_name integs[] = {
	N(IKE_INTEG_NONE, "NONE"),
	N(IKE_INTEG_HMAC_SHA1_96, "HMAC_SHA1_96"),
	N(IKE_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128"),
	N(IKE_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192"),
	N(IKE_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256"),
};

const char *ike_integ_name(unsigned v)
{
	return lookup(integs, COUNT(integs), v);
}

static const struct wire_name kes[] = {
	N(IKE_KE_NONE, "NONE"),
	N(IKE_KE_MODP2048, "MODP2048"),
	N(IKE_KE_MODP3072, "MODP3072"),
	N(IKE_KE_MODP4096, "MODP4096"),
	N(IKE_KE_ECP256, "ECP_256"),
	N(IKE_KE_ECP384, "ECP_384"),
	N(IKE_KE_ECP521, "ECP_521"),
	N(IKE_KE_CURVE25519, "CURVE25519"),
	N(IKE_KE_CURVE448, "CURVE448"),
	N(IKE_KE_MLKEM512, "ML_KEM_512"),
	N(IKE_KE_MLKEM768, "ML_KEM_768"),
	N(IKE_KE_MLKEM1024, "ML_KEM_1024"),
};

const char *ike_ke_name(unsigned v)
{
	return lookup(kes, COUNT(kes), v);
}

static const struct wire_name id_types[] = {
	N(IKE_ID_IPV4_ADDR, "ID_IPV4_ADDR"),
	N(IKE_ID_FQDN, "ID_FQDN"),
	N(IKE_ID_RFC822_ADDR, "ID_RFC822_ADDR"),
	N(IKE_ID_IPV6_ADDR, "ID_IPV6_ADDR"),
	N(IKE_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"),
	N(IKE_ID_KEY_ID, "ID_KEY_ID"),
	N(IKE_ID_NULL, "ID_NULL"),
};

const char *ike_id_type_name(unsigned v)
{
	return lookup(id_types, COUNT(id_types), v);
}

static const struct wire_name auth_methods[] = {
	N(IKE_AUTH_RSA_SIG, "RSA_SIG"),
	N(IKE_AUTH_PSK, "PSK"),
	N(IKE_AUTH_DSS, "DSS"),
	N(IKE_AUTH_ECDSA_256, "ECDSA_256"),
	N(IKE_AUTH_ECDSA_384, "ECDSA_384"),
	N(IKE_AUTH_ECDSA_521, "ECDSA_521"),
	N(IKE_AUTH_NULL, "NULL"),
	N(IKE_AUTH_DIGSIG, "DIGSIG"),
};

const char *ike_auth_method_name(unsigned v)
{
	return lookup(auth_methods, COUNT(auth_methods), v);
}

static const struct wire_name protocols[] = {
	N(IKE_PROTO_NONE, "NONE"),
	N(IKE_PROTO_IKE, "IKE"),
	N(IKE_PROTO_AH, "AH"),
	N(IKE_PROTO_ESP, "ESP"),
};

const char *ike_protocol_name(unsigned v)
{
	return lookup(protocols, COUNT(protocols), v);
}
