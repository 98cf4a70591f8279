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
enum conf_authby { CONF_AUTHBY_SECRET };
/* type=: the IPsec mode of the Child SA (RFC 7296 1.3.1 USE_TRANSPORT_MODE) */
enum conf_type { CONF_TYPE_TUNNEL, CONF_TYPE_TRANSPORT };
enum conf_esn { CONF_ESN_EITHER, CONF_ESN_YES, CONF_ESN_NO };
enum conf_dpdaction { CONF_DPD_HOLD, CONF_DPD_CLEAR, CONF_DPD_RESTART };
/* seccomp= (config setup, Libreswan's keyword and meaning): after start-up pluto
 * allows only the system calls on its list; enabled: a forbidden call ends pluto,
 * tolerant: it fails (EACCES) and pluto goes on, disabled (Libreswan's default): no
 * filter */
enum conf_seccomp { CONF_SECCOMP_DISABLED, CONF_SECCOMP_TOLERANT, CONF_SECCOMP_ENABLED };
#define CONF_REKEYMARGIN_DEFAULT_S 540	/* Libreswan: 9m */
#define CONF_REKEYFUZZ_DEFAULT_PCT 100
#define CONF_DPDTIMEOUT_DEFAULT_S  120
/* keep-alive= (config setup): NAT-T keepalive interval, Libreswan's default */
#define CONF_KEEP_ALIVE_DEFAULT_S 20

struct conf_end {
	struct ip_addr addr;		/* left=/right=: an IP literal; unset = %any */
	bool any;			/* %any */
	char id_str[CONF_VALUE_MAX];	/* leftid= as written ("" = use the address) */
	struct ike_id id;		/* parsed leftid=, or the address when unset */
	bool has_id;			/* leftid= was given */
	struct ip_subnet subnet;	/* leftsubnet=, default: the host address /32 or /128 */
	uint16_t ikeport;		/* leftikeport=, default 500 */
	uint8_t protocol;		/* leftprotoport= protocol, 0 = any */
	uint16_t port;			/* leftprotoport= port, 0 = any */
};

struct conf_conn {
	char name[CONF_NAME_MAX];
	const char *file;		/* where the conn section starts */
	int line;
	bool error;			/* a line of it was bad: do not load */
	struct conf_end left, right;
	enum conf_authby authby;	/* authby=secret (the default here) */
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
};

struct conf_setup {
	char protostack[16];		/* xfrm (default) or none */
	char logfile[CONF_VALUE_MAX];
	char plutodebug[CONF_VALUE_MAX];
	char listen[CONF_VALUE_MAX];	/* listen= an address, "" = all */
	uint16_t ikeport;		/* ikeport= (default 500) */
	uint16_t nattport;		/* nat-ikeport= (default 4500) */
	unsigned keep_alive_s;		/* keep-alive= NAT-T keepalive interval (default 20) */
	bool uniqueids;			/* uniqueids=yes (default): a new IKE SA of a
					 * connection replaces older ones with the same IDs */
	enum conf_seccomp seccomp;	/* seccomp=enabled|tolerant|disabled (default) */
};

struct conf_file {
	struct conf_setup setup;
	size_t nconns;
	struct conf_conn *conns;	/* heap array */
	unsigned nerrors;		/* errors reported */
};

/* Reads path (and its includes).  Returns false only if path cannot be opened; other
 * errors go to err() and mark the connection.  conf_free releases everything. */
bool conf_load(const char *path, struct conf_file *out, conf_error_fn *err, void *ctx);
/* The same from a string (tests, fuzzing); name is used in error messages. */
bool conf_load_string(const char *name, const char *text, struct conf_file *out,
		      conf_error_fn *err, void *ctx);
void conf_free(struct conf_file *cf);
const struct conf_conn *conf_find(const struct conf_file *cf, const char *name);

/* ipsec.secrets: lines "ID1 ID2 ... : PSK "secret"" (also 0x... and 0s base64 forms),
 * "include", comments.  IDs as in ike_id.h; %any matches anything. */
struct conf_secret {
	size_t nids;
	struct ike_id *ids;		/* heap; type 0 means %any */
	struct chunk psk;		/* wiped on free */
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

#endif
