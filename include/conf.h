/* conf.h -- lib/libconf: ipsec.conf and ipsec.secrets, as Libreswan reads them.
 *
 * ipsec.conf: "config setup" and "conn NAME" sections; keys indented under them;
 * "conn %default"; "also=NAME"; "include GLOB"; '#' comments; values quoted with "...".
 * Errors are reported through a callback as "file:line: reason"; a bad line makes
 * only its connection fail (conf_conn.error set), parsing goes on.
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "ip.h"
#include "ike_id.h"

#define CONF_NAME_MAX     64
#define CONF_VALUE_MAX    1024
#define CONF_MAX_CONNS    1024	/* connections in one file set */
#define CONF_MAX_INCLUDE_DEPTH 8
#define CONF_MAX_ALSO_DEPTH    16
/* fragment-size=: IP datagram octets RFC 7383 fragments keep within.  0 (the
 * default) follows RFC 7383 2.5.1 per address family: 576 for IPv4, 1280 for IPv6,
 * so that every datagram stays within 1280 octets. */
#define CONF_FRAGMENT_SIZE_DEFAULT 0
#define CONF_FRAGMENT_SIZE_IPV4    576
#define CONF_FRAGMENT_SIZE_IPV6    1280
#define CONF_FRAGMENT_SIZE_MIN     576
#define CONF_FRAGMENT_SIZE_MAX     65535
#define CONF_STR_(x) #x
#define CONF_STR(x) CONF_STR_(x)

typedef void conf_error_fn(void *ctx, const char *file, int line, const char *reason);

enum conf_auto { CONF_AUTO_IGNORE, CONF_AUTO_ADD, CONF_AUTO_START };
enum conf_frag { CONF_FRAG_YES, CONF_FRAG_NO, CONF_FRAG_FORCE };
/* How an end proves itself (authby= for both ends, leftauth=/rightauth= for one):
 * a shared secret, or a digital signature with the end's certificate -- RSA (RFC 7427
 * RSASSA-PSS, or RFC 7296 method 1 with a peer without RFC 7427 unless rsa-sha2 was
 * asked for), ECDSA (RFC 7427 or RFC 4754), or either kind (a list of both). */
enum conf_auth { CONF_AUTH_UNSET, CONF_AUTH_PSK, CONF_AUTH_RSA, CONF_AUTH_ECDSA, CONF_AUTH_SIG };
/* leftsendcert=: when our certificate goes into IKE_AUTH (RFC 7296 3.6, 3.7) */
enum conf_sendcert { CONF_SENDCERT_IFASKED, CONF_SENDCERT_ALWAYS, CONF_SENDCERT_NEVER };
/* sendca= (Libreswan): the CA certificates sent after ours in CERT payloads, never a
 * root (a self-signed one): none (Libreswan's default), the issuer of ours, or every
 * intermediate of its chain */
enum conf_sendca { CONF_SENDCA_NONE, CONF_SENDCA_ISSUER, CONF_SENDCA_ALL };
#define CONF_CERT_NAME_MAX 255	/* octets of an NSS certificate nickname */
/* type=: the IPsec mode of the Child SA (RFC 7296 1.3.1 USE_TRANSPORT_MODE) */
enum conf_type { CONF_TYPE_TUNNEL, CONF_TYPE_TRANSPORT };
enum conf_esn { CONF_ESN_EITHER, CONF_ESN_YES, CONF_ESN_NO };
enum conf_dpdaction { CONF_DPD_HOLD, CONF_DPD_CLEAR, CONF_DPD_RESTART };
/* encapsulation= (RFC 7296 2.23): auto follows NAT detection, yes forces ESP in UDP
 * (a NAT_DETECTION_SOURCE_IP that cannot match), no ignores a detected NAT */
enum conf_encaps { CONF_ENCAPS_AUTO, CONF_ENCAPS_YES, CONF_ENCAPS_NO };
/* seccomp= (config setup, Libreswan's keyword and meaning): after start-up pluto
 * allows only the system calls on its list; enabled: a forbidden call ends pluto,
 * tolerant: it fails (EACCES) and pluto goes on, disabled (Libreswan's default): no
 * filter */
enum conf_seccomp { CONF_SECCOMP_DISABLED, CONF_SECCOMP_TOLERANT, CONF_SECCOMP_ENABLED };
/* ppk= (Libreswan's keyword and values): RFC 8784 postquantum preshared keys.
 * no|never (default): none; propose|yes: offer one, go on without it when the peer
 * does not use it; insist: only with one */
enum conf_ppk { CONF_PPK_NO, CONF_PPK_PROPOSE, CONF_PPK_INSIST };
/* PPK_IDs (ipsec.secrets PPKS entries, ppk-ids=, the wire) are 1..CONF_PPK_ID_MAX
 * octets; ppk-ids= lists at most CONF_MAX_PPK_IDS */
#define CONF_PPK_ID_MAX  255
#define CONF_MAX_PPK_IDS 16
#define CONF_REKEYMARGIN_DEFAULT_S 540	/* Libreswan: 9m */
#define CONF_REKEYFUZZ_DEFAULT_PCT 100
#define CONF_DPDTIMEOUT_DEFAULT_S  120
/* replay-window= (packets; 0 = no replay protection, which also means esn=no) */
#define CONF_REPLAY_WINDOW_DEFAULT 128	/* Libreswan's */
#define CONF_REPLAY_WINDOW_MAX     4096	/* XFRM's largest replay bitmap */
/* keep-alive= (config setup): NAT-T keepalive interval, Libreswan's default */
#define CONF_KEEP_ALIVE_DEFAULT_S 20
/* ddos-mode= / ddos-ike-threshold= / max-halfopen-ike= (config setup), with
 * Libreswan's meaning and smaller defaults: half-open IKE SAs (responder, not yet
 * authenticated) past which IKE_SA_INIT needs a COOKIE (RFC 7296 2.6), and past
 * which none is accepted */
enum conf_ddos_mode { CONF_DDOS_AUTO, CONF_DDOS_BUSY, CONF_DDOS_UNLIMITED };
#define CONF_DDOS_IKE_THRESHOLD_DEFAULT 256
#define CONF_MAX_HALFOPEN_IKE_DEFAULT   1024
#define CONF_MAX_HALFOPEN_IKE_MAX       1000000	/* the largest ddos-ike-threshold= / max-halfopen-ike= */
/* max-ike-sas= (config setup, Interlude's own, as strongSwan's ikesa_limit): IKE SAs this
 * daemon keeps at once, established or not; past it no new one is started or answered */
#define CONF_MAX_IKE_SAS_DEFAULT        1000000
#define CONF_MAX_IKE_SAS_MAX            100000000
/* nhelpers= (config setup, Libreswan): crypto helper threads; -1 (default): as
 * many as CPUs minus one with 4 or more CPUs, else as many as CPUs; 0: inline */
#define CONF_NHELPERS_AUTO              (-1)
#define CONF_NHELPERS_MAX               64

#define CONF_MAX_SUBNETS 16		/* leftsubnets= / leftsubnet=a,b entries */

/* leftupdown= (Libreswan): the command pluto runs (with /bin/sh -c) on each Child SA
 * event; Libreswan's default names its own script, ours names ours (pluto runs the
 * _updown installed beside it for "ipsec _updown"); %disabled runs nothing */
#define CONF_UPDOWN_DEFAULT "ipsec _updown"
#define CONF_UPDOWN_DISABLED "%disabled"
/* updown-timeout= (config setup, Interlude's own): a script still running after it
 * is killed (its process group: SIGTERM, SIGKILL a moment later) */
#define CONF_UPDOWN_TIMEOUT_DEFAULT_S 30
#define CONF_UPDOWN_TIMEOUT_MAX_S     3600

/* mark= / mark-in= / mark-out= (Libreswan): the XFRM mark (XFRMA_MARK) of a Child SA's
 * states and policies, VALUE[/MASK] (MASK default 0xffffffff); VALUE -1 asks pluto for
 * a value of its own, unique to the Child SA and kept by its rekeys.  Only packets
 * whose mark matches (mark & MASK == VALUE) use the SA or the policy. */
struct conf_mark {
	bool set;
	bool unique;			/* -1 */
	uint32_t value, mask;
};
/* "VALUE[/MASK]" (decimal or 0x hex; VALUE may be -1) for key; false with why
 * ("KEY=V: reason") on a malformed value, a zero mask, or value bits outside it */
bool conf_mark_parse(const char *key, const char *v, struct conf_mark *out, char *why, size_t n);

/* How left=/right= was written: an address (or %any), %defaultroute (the source
 * address of the default route, looked up at load over netlink) or a DNS name
 * (resolved at load with getaddrinfo). */
enum conf_host { CONF_HOST_ADDR, CONF_HOST_DEFAULTROUTE, CONF_HOST_DNS };

struct conf_end {
	struct ip_addr addr;		/* left=/right=: the address; unset = %any */
	bool any;			/* %any */
	enum conf_host host;		/* how left= was written */
	char host_str[CONF_VALUE_MAX];	/* left= as written when a DNS name */
	struct ip_addr nexthop;		/* leftnexthop= (or %defaultroute's gateway) */
	bool nexthop_defaultroute;	/* leftnexthop=%defaultroute */
	char id_str[CONF_VALUE_MAX];	/* leftid= as written ("" = use the address) */
	struct ike_id id;		/* parsed leftid=, or the address when unset */
	bool has_id;			/* leftid= was given */
	struct ip_subnet subnet;	/* leftsubnet=, default: the host address /32 or /128 */
	/* leftsubnets= (or leftsubnet=a,b): more than one makes the conn a template of
	 * one conn per pair, "NAME/LxR" (Libreswan's naming, from 1) */
	struct ip_subnet subnets[CONF_MAX_SUBNETS];
	unsigned nsubnets;
	uint16_t ikeport;		/* leftikeport=, default 500 */
	uint8_t protocol;		/* leftprotoport= protocol, 0 = any */
	uint16_t port;			/* leftprotoport= port, 0 = any */
	/* authentication */
	enum conf_auth auth;		/* leftauth= (CONF_AUTH_UNSET: authby= decides) */
	char cert[CONF_CERT_NAME_MAX + 1];	/* leftcert= NSS nickname ("" = none) */
	bool id_fromcert;		/* leftid=%fromcert (the default with a cert) */
	enum conf_sendcert sendcert;	/* leftsendcert=, default sendifasked */
	char ca[CONF_VALUE_MAX];	/* leftca= issuer DN, "%same" or "" (any) */
	/* leftupdown= as written (default CONF_UPDOWN_DEFAULT), "" for %disabled */
	char updown[CONF_VALUE_MAX];
	/* leftsourceip=: the address our own traffic into the tunnel leaves from (the
	 * updown script's route gets "src" it); inside leftsubnet=, checked at load */
	struct ip_addr sourceip;
};

struct conf_conn {
	char name[CONF_NAME_MAX];
	char alias[CONF_NAME_MAX];	/* for "NAME/1x2": "NAME" (whack --add NAME adds all) */
	const char *file;		/* where the conn section starts */
	int line;
	bool error;			/* a line of it was bad: do not load */
	struct conf_end left, right;
	enum conf_auth authby;		/* authby=, Libreswan's default rsasig; both ends
					 * unless leftauth=/rightauth= say otherwise */
	bool rsa_sha1;			/* an RSA signature may use RFC 7296 method 1
					 * (PKCS#1 v1.5 SHA-1) with a peer without RFC 7427:
					 * authby=rsasig (yes), rsa-sha2 (no) */
	char ike[CONF_VALUE_MAX];	/* ike= as written ("" = default) */
	char esp[CONF_VALUE_MAX];	/* esp= / phase2alg= */
	bool intermediate;		/* intermediate=yes */
	enum conf_frag fragmentation;	/* fragmentation=yes|no|force */
	unsigned fragment_size;		/* fragment-size= (octets of an IP datagram) */
	enum conf_auto autostart;	/* auto=ignore|add|start */
	unsigned retransmit_timeout_ms;	/* retransmit-timeout=, default 60s */
	unsigned retransmit_interval_ms;/* retransmit-interval=, default 500ms */
	unsigned ikelifetime_s;		/* ikelifetime=, default 28800 */
	unsigned salifetime_s;		/* salifetime=, default 28800 */
	enum conf_type type;		/* type=tunnel (default) | transport */
	bool nat_keepalive;		/* nat-keepalive=yes (default) | no */
	bool pfs;			/* pfs=yes (default): new key exchanges for Child SAs */
	/* lifetimes and rekeying (Libreswan's keywords and defaults) */
	bool rekey;			/* rekey=yes (default): rekey before expiry */
	bool reauth;			/* reauth=no (default): yes = a new IKE SA instead
					 * of a rekey of the IKE SA */
	unsigned rekeymargin_s;		/* rekeymargin=, default 540 (9m) */
	unsigned rekeyfuzz_pct;		/* rekeyfuzz=, default 100% */
	uint64_t max_bytes, max_packets;/* ipsec-max-bytes= / ipsec-max-packets= (0 = none) */
	enum conf_esn esn;		/* esn=yes | no | either (default either) */
	/* liveness (RFC 7296 2.4) */
	unsigned dpddelay_s;		/* dpddelay=, 0 (default) = off */
	unsigned dpdtimeout_s;		/* dpdtimeout=, default 120 when dpddelay is set */
	enum conf_dpdaction dpdaction;	/* dpdaction=hold (default) | clear | restart */
	uint32_t reqid;			/* reqid= (0 = one of ours, chosen at load) */
	enum conf_encaps encapsulation;	/* encapsulation=auto (default) | yes | no */
	unsigned replay_window;		/* replay-window=, default 128 */
	uint8_t hostaddrfamily;		/* hostaddrfamily=ipv4|ipv6 (4/6), 0 = by address */
	uint8_t clientaddrfamily;	/* clientaddrfamily=ipv4|ipv6, 0 = by subnet */
	/* mark= sets both directions, mark-in= / mark-out= one each (they win over
	 * mark=); after loading, mark_in and mark_out hold what applies */
	struct conf_mark mark, mark_in, mark_out;
	enum conf_ppk ppk;		/* ppk=no (default) | propose | insist */
	char ppk_ids[CONF_VALUE_MAX];	/* ppk-ids=ID[,ID...] as written ("" = any
					 * PPKS entry that fits the IDs) */
	unsigned debug;			/* debug= (5.x): debug categories for this conn's
					 * SAs, added to plutodebug= (include/plutodebug.h) */
	bool narrowing;			/* narrowing=no (Libreswan's default): traffic
					 * selectors must equal ours; yes: RFC 7296 2.9 */
	enum conf_sendca sendca;	/* sendca=none (default) | issuer | all */
};

struct conf_setup {
	char protostack[16];		/* xfrm (default) or none */
	char logfile[CONF_VALUE_MAX];	/* logfile= (pluto's --logfile wins) */
	bool logtime;			/* logtime=yes (default): timestamps in the log file */
	bool logappend;			/* logappend=yes (default): no = truncate at start */
	char dumpdir[CONF_VALUE_MAX];	/* dumpdir=: pluto's working directory (core dumps) */
	char nssdir[CONF_VALUE_MAX];	/* nssdir=, secretsfile= (the command line wins) */
	char secretsfile[CONF_VALUE_MAX];
	unsigned plutodebug;		/* plutodebug= (include/plutodebug.h bits), default
					 * none; pluto --debug and whack --debug change it */
	char listen[CONF_VALUE_MAX];	/* listen= an address, "" = all */
	uint16_t ikeport;		/* ikeport= (default 500) */
	uint16_t nattport;		/* nat-ikeport= (default 4500) */
	unsigned keep_alive_s;		/* keep-alive= NAT-T keepalive interval (default 20) */
	unsigned ike_socket_bufsize;	/* ike-socket-bufsize= octets (0: pluto's own) */
	bool uniqueids;			/* uniqueids=yes (default): a new IKE SA of a
					 * connection replaces older ones with the same IDs */
	enum conf_ddos_mode ddos_mode;	/* ddos-mode=auto (default): cookies past the
					 * threshold; busy: always; unlimited: never */
	unsigned ddos_ike_threshold;	/* ddos-ike-threshold= (default 256) */
	unsigned max_halfopen_ike;	/* max-halfopen-ike= (default 1024) */
	unsigned max_ike_sas;		/* max-ike-sas= (default 1000000) */
	enum conf_seccomp seccomp;	/* seccomp=enabled|tolerant|disabled (default) */
	int nhelpers;			/* nhelpers= (CONF_NHELPERS_AUTO default; 0: the
					 * crypto runs inline in the event loop) */
	char keylog_dir[CONF_VALUE_MAX];	/* keylog-dir= (Interlude's own): an absolute
					 * directory where pluto appends every IKE and Child
					 * SA's keys for Wireshark; "" (default) = off */
	unsigned updown_timeout_s;	/* updown-timeout= (Interlude's own), default 30 */
};

/* Every error and warning of a load, with the conn it belongs to ("" for config
 * setup and the file itself), so that a daemon can say why each conn did not load. */
struct conf_msg {
	char *conn;
	char *file;
	int line;
	char *reason;		/* warnings start with "warning: " */
	bool warning;
};

struct conf_file {
	struct conf_setup setup;
	size_t nmsgs;
	struct conf_msg *msgs;
	size_t nconns;
	struct conf_conn *conns;	/* heap array */
	unsigned nerrors;		/* errors reported */
	unsigned nwarnings;		/* warnings reported ("warning: " in the reason) */
};

/* --- the keyword registry (lib/libconf/keywords.c) ---
 * Every keyword of Libreswan 4.10's ipsec.conf(5) and 5.x's documentation, with its
 * status here.  left/right keywords are CONF_KW_END entries named without the side
 * ("subnet" for leftsubnet=/rightsubnet=, "" for left=/right=). */
enum conf_kw_section { CONF_KW_SETUP, CONF_KW_CONN, CONF_KW_END };
enum conf_kw_status {
	CONF_KW_IMPLEMENTED,	/* Libreswan's syntax, values and defaults */
	CONF_KW_IKEV1,		/* refused: "not supported: Interlude is IKEv2-only" */
	CONF_KW_NOT_YET,	/* refused: "not supported yet: WHY" */
	CONF_KW_OBSOLETE,	/* Libreswan marks it obsolete: accepted, a warning */
};

typedef bool conf_conn_key_fn(struct conf_conn *c, const char *key, const char *v, char *why, size_t n);
typedef bool conf_end_key_fn(struct conf_end *e, const char *key, const char *v, char *why, size_t n);
typedef bool conf_setup_key_fn(struct conf_setup *s, const char *key, const char *v, char *why, size_t n);

struct conf_keyword {
	const char *name;
	enum conf_kw_section section;
	enum conf_kw_status status;
	const char *why;	/* NOT_YET / IKEV1 / OBSOLETE: the reason shown */
	const char *same;	/* refused keywords: values ('|'-separated) that ask for
				 * what Interlude does anyway (Libreswan's default);
				 * accepted without a message */
	const char *example;	/* a typical value (the registry test loads each) */
	const char *alias_of;	/* another name of this keyword (phase2alg -> esp) */
	conf_conn_key_fn *conn;
	conf_end_key_fn *end;
	conf_setup_key_fn *setup;
};

const struct conf_keyword *conf_keywords(size_t *n);

/* ipsec.conf(5) for each implemented, non-alias keyword (keyword_doc.c) */
struct conf_keyword_doc {
	enum conf_kw_section section;
	const char *name;
	const char *values;
	const char *dflt;
	const char *text;
};
const struct conf_keyword_doc *conf_keyword_docs(size_t *n);
const struct conf_keyword_doc *conf_keyword_doc(enum conf_kw_section sec, const char *name);
/* key as written ("leftsubnet", "x-foo" is not looked up); NULL when unknown */
const struct conf_keyword *conf_keyword_find(enum conf_kw_section where, const char *key);

/* Reads path (and its includes).  Returns false only if path cannot be opened; other
 * errors go to err() and mark the connection.  conf_free releases everything. */
bool conf_load(const char *path, struct conf_file *out, conf_error_fn *err, void *ctx);
/* The same from a string (tests, fuzzing); name is used in error messages. */
bool conf_load_string(const char *name, const char *text, struct conf_file *out,
		      conf_error_fn *err, void *ctx);
/* CONF_LOAD_OFFLINE: no DNS and no netlink (fuzzing): a host name or %defaultroute
 * is an error "... not looked up (offline)". */
#define CONF_LOAD_OFFLINE 1u
bool conf_load_string_flags(const char *name, const char *text, struct conf_file *out,
			    conf_error_fn *err, void *ctx, unsigned flags);
/* All conns called name: the conn itself, or every "name/LxR" of a subnets
 * template.  Returns how many were put in out[max]. */
size_t conf_find_all(const struct conf_file *cf, const char *name, const struct conf_conn **out, size_t max);
void conf_free(struct conf_file *cf);
/* fn(ctx, file, line, reason) for each message of conn c (its own, those of the
 * %default and also= sections it uses; for "NAME/1x2" those of NAME), or with c NULL
 * for those of config setup and the file itself. */
void conf_messages(const struct conf_file *cf, const struct conf_conn *c, conf_error_fn *fn, void *ctx);
const struct conf_conn *conf_find(const struct conf_file *cf, const char *name);

/* ipsec.secrets: lines "ID1 ID2 ... : PSK "secret"" (also 0x... and 0s base64 forms),
 * "ID1 ID2 ... : PPKS "PPK_ID" secret" (an RFC 8784 postquantum preshared key, the
 * secret in any PSK form), "include", comments.  IDs as in ike_id.h; %any matches
 * anything. */
enum conf_secret_kind { CONF_SECRET_PSK, CONF_SECRET_PPKS };
struct conf_secret {
	size_t nids;
	struct ike_id *ids;		/* heap; type 0 means %any */
	enum conf_secret_kind kind;
	struct chunk psk;		/* the PSK, or a PPKS entry's PPK; wiped on free */
	struct chunk ppk_id;		/* PPKS: the PPK_ID octets (1..CONF_PPK_ID_MAX) */
};

struct conf_secrets {
	size_t n;
	struct conf_secret *s;
};

bool conf_secrets_load(const char *path, struct conf_secrets *out, conf_error_fn *err, void *ctx);
bool conf_secrets_load_string(const char *name, const char *text, struct conf_secrets *out,
			      conf_error_fn *err, void *ctx);
void conf_secrets_free(struct conf_secrets *s);
/* The PSK for a pair of IDs, Libreswan's rule: an entry that names both IDs beats one
 * that names one of them (with %any or alone), which beats a bare ": PSK" entry. */
const struct chunk *conf_secrets_psk(const struct conf_secrets *s, const struct ike_id *local,
				     const struct ike_id *remote);
/* The PPKS entry for a pair of IDs, by the same rule; with ppk_id, only entries of
 * that PPK_ID count (a responder looks the peer's PPK_IDENTITY up this way).  NULL
 * when none fits. */
const struct conf_secret *conf_secrets_ppk(const struct conf_secrets *s, const struct ike_id *local,
					   const struct ike_id *remote, const uint8_t *ppk_id, size_t id_len);
/* ppk-ids=: the n-th PPK_ID of the list (from 0) as a slice of list; false past
 * the end.  Items are separated by ',' with optional blanks around them. */
bool conf_ppk_ids_nth(const char *list, unsigned n, const char **id, size_t *len);
/* whether id is in the ppk-ids= list (an empty list allows every PPK_ID) */
bool conf_ppk_ids_allow(const char *list, const uint8_t *id, size_t len);

#endif
