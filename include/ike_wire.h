/* ike_wire.h -- every IANA IKEv2 number Interlude uses, with name tables for logs.
 *
 * Source: IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" registry;
 * RFC 7296 section 3, RFC 7383 (SKF), RFC 9242 (IKE_INTERMEDIATE), RFC 9370 (ADDKE),
 * draft-ietf-ipsecme-ikev2-mlkem (ML-KEM method IDs).
 * This header is the one place for wire numbers (principle 2, docs/architecture.md).
 */
#ifndef IKE_WIRE_H
#define IKE_WIRE_H

#include <stdint.h>

/* RFC 7296 3.1: the IKE header is 28 octets; version 2.0 */
#define IKE_HDR_LEN        28
#define IKE_VERSION_2_0    0x20
#define IKE_GENERIC_HDR_LEN 4
/* RFC 7296 3.1 flags */
#define IKE_FLAG_INITIATOR 0x08
#define IKE_FLAG_VERSION   0x10
#define IKE_FLAG_RESPONSE  0x20
/* RFC 7296 3.2: critical bit of the generic payload header */
#define IKE_PAYLOAD_CRITICAL 0x80
#define IKE_SPI_LEN        8
/* RFC 3948 2.2: non-ESP marker on port 4500 */
#define IKE_NON_ESP_MARKER_LEN 4
#define IKE_PORT           500
#define IKE_NATT_PORT      4500

enum ike_exchange {
	IKE_SA_INIT      = 34,
	IKE_AUTH         = 35,
	CREATE_CHILD_SA  = 36,
	INFORMATIONAL    = 37,
	IKE_INTERMEDIATE = 43,	/* RFC 9242 */
	IKE_FOLLOWUP_KE  = 44,	/* RFC 9370 */
};

enum ike_payload_type {
	IKE_PL_NONE  = 0,
	IKE_PL_SA    = 33,
	IKE_PL_KE    = 34,
	IKE_PL_IDI   = 35,
	IKE_PL_IDR   = 36,
	IKE_PL_CERT  = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH  = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VID   = 43,
	IKE_PL_TSI   = 44,
	IKE_PL_TSR   = 45,
	IKE_PL_SK    = 46,
	IKE_PL_CP    = 47,
	IKE_PL_EAP   = 48,
	IKE_PL_SKF   = 53,	/* RFC 7383 */
};
/* the IKEv2 payload type range of the IANA registry (RFC 7296 3.2) */
#define IKE_PL_TYPE_MIN 33
#define IKE_PL_TYPE_MAX 53

/* RFC 7296 3.3.1 protocol IDs */
enum ike_protocol {
	IKE_PROTO_NONE = 0,	/* RFC 7296 3.10: notifies not about an SA */
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH  = 2,
	IKE_PROTO_ESP = 3,
};

/* RFC 7296 3.3.2 transform types; RFC 9370 2.2.1 ADDKE1..7 */
enum ike_transform_type {
	IKE_TRANS_ENCR  = 1,
	IKE_TRANS_PRF   = 2,
	IKE_TRANS_INTEG = 3,
	IKE_TRANS_KE    = 4,
	IKE_TRANS_ESN   = 5,
	IKE_TRANS_ADDKE1 = 6,
	IKE_TRANS_ADDKE7 = 12,
};
#define IKE_TRANS_TYPE_MAX 12

enum ike_encr {
	IKE_ENCR_3DES = 3,
	IKE_ENCR_NULL = 11,
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_CTR = 13,
	IKE_ENCR_AES_GCM_8 = 18,
	IKE_ENCR_AES_GCM_12 = 19,
	IKE_ENCR_AES_GCM_16 = 20,
	IKE_ENCR_CHACHA20_POLY1305 = 28,
};

enum ike_prf {
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

enum ike_integ {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Key exchange methods (transform type 4 and ADDKE) */
enum ike_ke_method {
	IKE_KE_NONE = 0,
	IKE_KE_MODP2048 = 14,
	IKE_KE_MODP3072 = 15,
	IKE_KE_MODP4096 = 16,
	IKE_KE_ECP256 = 19,
	IKE_KE_ECP384 = 20,
	IKE_KE_ECP521 = 21,
	IKE_KE_CURVE25519 = 31,
	IKE_KE_CURVE448 = 32,
	IKE_KE_MLKEM512 = 35,
	IKE_KE_MLKEM768 = 36,
	IKE_KE_MLKEM1024 = 37,
};

enum ike_esn {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};

/* RFC 7296 3.3.5 transform attribute: Key Length (TV format) */
#define IKE_ATTR_KEY_LENGTH 14
#define IKE_ATTR_TV_BIT     0x8000

/* RFC 7296 3.5 ID types */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_KEY_ID = 11,
	IKE_ID_NULL = 13,	/* RFC 7619 */
};

/* RFC 7296 3.8 auth methods; RFC 7427 */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_PSK = 2,
	IKE_AUTH_DSS = 3,
	IKE_AUTH_ECDSA_256 = 9,
	IKE_AUTH_ECDSA_384 = 10,
	IKE_AUTH_ECDSA_521 = 11,
	IKE_AUTH_NULL = 13,
	IKE_AUTH_DIGSIG = 14,
};

/* RFC 7296 3.10.1 notify message types */
enum ike_notify_type {
	/* errors */
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_STATE_NOT_FOUND = 47,	/* RFC 9370 */
	/* status */
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_MOBIKE_SUPPORTED = 16396,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,	/* RFC 7383 */
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,	/* RFC 7427 */
	IKE_N_USE_PPK = 16435,		/* RFC 8784 */
	IKE_N_PPK_IDENTITY = 16436,	/* RFC 8784 */
	IKE_N_NO_PPK_AUTH = 16437,	/* RFC 8784 */
	IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,	/* RFC 9242 */
	IKE_N_ADDITIONAL_KEY_EXCHANGE = 16441,	/* RFC 9370 */
	IKE_N_SUPPORTED_AUTH_METHODS = 16443,	/* RFC 9593 */
	IKE_N_USE_PPK_INT = 16445,
	IKE_N_PPK_IDENTITY_KEY = 16446,
};
/* RFC 7296 3.10.1: types below 16384 are errors */
#define IKE_N_ERROR_MAX 16383

/* RFC 8784 3: the PPK Type octet that starts PPK_IDENTITY's data (IANA "IKEv2
 * Postquantum Preshared Key ID Types") */
enum ike_ppk_id_type {
	IKE_PPK_ID_OPAQUE = 1,
	IKE_PPK_ID_FIXED = 2,
};

/* RFC 7427 4 / IANA "IKEv2 Hash Algorithms": SIGNATURE_HASH_ALGORITHMS values */
enum ike_hash_alg {
	IKE_HASH_SHA1 = 1,
	IKE_HASH_SHA2_256 = 2,
	IKE_HASH_SHA2_384 = 3,
	IKE_HASH_SHA2_512 = 4,
	IKE_HASH_IDENTITY = 5,	/* RFC 8420 */
};

/* RFC 7296 3.6 certificate encodings */
enum ike_cert_encoding {
	IKE_CERT_X509_SIG = 4,
};

/* RFC 7296 3.13.1 traffic selector types */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

/* Name tables for logs (lib/libike/wire_names.c). Unknown values give "UNKNOWN". */
const char *ike_exchange_name(unsigned v);
const char *ike_payload_name(unsigned v);
const char *ike_notify_name(unsigned v);
const char *ike_transform_type_name(unsigned v);
const char *ike_encr_name(unsigned v);
const char *ike_prf_name(unsigned v);
const char *ike_integ_name(unsigned v);
const char *ike_ke_name(unsigned v);
const char *ike_id_type_name(unsigned v);
const char *ike_auth_method_name(unsigned v);
const char *ike_protocol_name(unsigned v);

#endif
