/* pluto.h -- the daemon's types: the context, connections, IKE and Child SAs.
 *
 * No global mutable state (principle 6, docs/architecture.md): everything hangs off struct pluto,
 * so that the SA tables can later be split across cores.
 */
#ifndef PLUTO_H
#define PLUTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <event2/event.h>

#include "chunk.h"
#include "conf.h"
#include "ike_codec.h"
#include "ike_id.h"
#include "ip.h"
#include "keymat.h"
#include "plutodebug.h"
#include "proposal.h"
#include "sigalg.h"
#include "sk.h"
#include "transcript.h"
#include "timer.h"
#include "sa_index.h"

/* Limits (principle 4, docs/architecture.md) */
#define PLUTO_MAX_IFACES        16	/* UDP sockets */
#define PLUTO_MAX_INTERMEDIATE_ROUNDS 8	/* IKE_INTERMEDIATE rounds a responder accepts */
#define PLUTO_MAX_INIT_RETRIES  3	/* INVALID_KE_PAYLOAD / COOKIE restarts */
#define PLUTO_HALF_OPEN_TIMEOUT_S 30	/* responder: drop an SA stuck before IKE_AUTH */
#define PLUTO_FAILED_LINGER_S   10	/* responder: keep a failed SA to re-send its error */
/* half-open responder SAs: max-halfopen-ike= and ddos-ike-threshold= (conf.h),
 * the rest of the policy in admission.h */
#define PLUTO_ADMISSION_BUCKETS 1024	/* hash of source addresses holding half-open SAs */
#define PLUTO_COOKIE_SECRET_LEN 32
#define PLUTO_COOKIE_ROTATE_S   120	/* a new cookie secret this often (as WireGuard) */
/* the control socket (whack_server.c) */
#define PLUTO_MAX_WHACK_CLIENTS 32	/* connections at once */
#define PLUTO_WHACK_LINE_MAX    1024	/* octets of one log or answer line */
#define PLUTO_WHACK_READ_TIMEOUT_S 5	/* to send the whole command, from connect */
#define PLUTO_WHACK_WRITE_TIMEOUT_S 10	/* to take some of a pending answer */
#define PLUTO_WHACK_BACKLOG     16	/* listen(2) */
#define PLUTO_WHACK_SOCKET_MODE 0600	/* the socket file: root only */
#define PLUTO_WHACK_UID         0	/* the only peer uid accepted (SO_PEERCRED) */
#define PLUTO_MAX_DGRAM         65535
#define PLUTO_MAX_MSG_FRAGS     64	/* RFC 7383 fragments per message, sent or held */
#define IKE_AUTH_MSG_MAX        16384	/* IKE_AUTH plaintext: IDs, certificates, AUTH, SA, TS */
#define PLUTO_MAX_SENDCA        4	/* CA certificates sendca=all sends (a peer takes 8) */
#define PLUTO_MAX_QUEUED_REQUESTS 4	/* requests waiting for the window (RFC 7296 2.3) */
#define PLUTO_UP_RETRY_MS       250	/* whack --up of a group: a member waiting for the
					 * IKE SA with its peer looks again this often */
/* XFRM reqids: each connection gets its own, from a range that marks them as
 * this daemon's, so that stale state of an earlier run can be found and removed */
#define PLUTO_REQID_BASE        0x49000000u	/* 'I' << 24 */
#define PLUTO_REQID_SPAN        0x00ffffffu
#define PLUTO_PEER_DIGEST_LEN   16	/* SHA-256 of the peer's ID, truncated */
#define PLUTO_NONCE_KEEP        64	/* nonce octets kept to settle rekey collisions */
#define PLUTO_INVALID_SPI_PER_S 10	/* INVALID_IKE_SPI answers per second, at most */
#define PLUTO_RESEND_PER_S      2	/* cached responses re-sent per second and IKE SA
					 * (an initiator retransmits every 0.5 s at most) */
#define PLUTO_LOG_DROP_BURST    10	/* log.c: lines per drop reason and second in full */
#define PLUTO_LOG_DROP_REASONS  32	/* ... reasons counted at once */
#define PLUTO_LOG_REASON_MAX    96

/* whack --impair WHAT: deliberate protocol violations, so that tests can watch a
 * peer answer them (as Libreswan's --impair); never set in normal operation */
enum impair {
	IMPAIR_KE_LENGTH = 1 << 0,	/* IKE_INTERMEDIATE KE data one octet short */
	IMPAIR_KE_METHOD = 1 << 1,	/* IKE_INTERMEDIATE KE for another method */
	IMPAIR_MLKEM_KEY = 1 << 2,	/* ML-KEM key with a coefficient >= q (FIPS 203 7.2) */
	IMPAIR_EXTRA_ROUND = 1 << 3,	/* one more KE round than negotiated */
	IMPAIR_SKIP_ROUND = 1 << 4,	/* go to IKE_AUTH before the last negotiated round */
	IMPAIR_BAD_AUTH = 1 << 5,	/* IKE_AUTH response with a wrong AUTH value */
	IMPAIR_TS_TYPE = 1 << 6,	/* a TSi with an unknown selector type (9) */
	IMPAIR_SLOW_CRYPTO = 1 << 7,	/* each crypto job sleeps PLUTO_IMPAIR_SLOW_MS first */
};
#define PLUTO_IMPAIR_SLOW_MS    2000

struct pluto;
struct ike_sa;
struct whack_client;
struct reasm;
struct bench;
struct cc_exchange;
struct admission_addr;
struct frag_rx;
struct updown;
struct updown_request;
struct helpers;
struct helper_job;
struct ikev2_suspend;

/* One UDP socket */
struct iface {
	int fd;
	uint8_t version;		/* 4 or 6 */
	uint16_t port;			/* 500 or 4500 */
	bool natt;			/* port 4500: non-ESP marker (RFC 3948 2.2) */
	struct event *ev;
	struct pluto *pluto;
};

/* A Child SA's traffic selectors on one side: as many as were agreed, on the heap (an
 * inline struct ike_ts_pl holds IKE_MAX_TS of them, 610 octets, where one is usual:
 * memory per SA, issue 9) */
struct child_ts {
	uint8_t n;
	struct ike_ts *ts;
};

/* child_sa.c: one tunnel of a connection -- a pair of negotiated selectors, as the
 * kernel's policies are keyed -- shared by the Child SAs that carry it (its rekeys, a
 * reauthentication, both ends initiating, the peer back from another address).  The
 * updown script hears of the tunnel, not of each Child SA: up when its first Child SA
 * is installed, down when its last one goes.  mark=-1 gives the tunnel its mark, so
 * that a rekey keeps it. */
struct tunnel {
	struct tunnel *next;
	struct child_ts ts_local, ts_remote;	/* copies (heap) */
	unsigned refs;			/* Child SAs in it (installed, or installing) */
	bool up;			/* the updown script was told it is up */
	uint32_t unique_mark;		/* mark=-1: the tunnel's value (0: none chosen) */
};

/* A loaded connection (ipsec.conf conn section, oriented: "local" is this host) */
struct connection {
	struct connection *next;
	unsigned nike;			/* its live IKE SAs (ike_sa.c) */
	char name[CONF_NAME_MAX];
	struct conf_conn conf;		/* as read */
	const struct conf_end *local, *remote;	/* point into conf */
	struct proposal_list ike, esp;
	bool intermediate;
	uint32_t reqid;			/* XFRM reqid of this connection's Child SAs */
	/* auth.c: our certificate and its private key (leftcert=), when we sign */
	struct crypt_privkey *key;
	struct chunk cert;		/* DER */
	struct chunk ca_certs[PLUTO_MAX_SENDCA];	/* sendca=: sent after cert, DER */
	unsigned n_ca_certs;
	struct pluto *pluto;
	bool down;			/* whack --down: no revival until --up */
	unsigned debug;			/* debug= (conf.debug), then whack --name --debug:
					 * categories added to p->debug for its SAs */
	struct pluto_timer revive_timer;	/* lifetime.c: revival of auto=start */
	struct pluto_timer up_timer;		/* whack_server.c: a group's --up waiting
						 * for the IKE SA with its peer */
	unsigned revive_tries;
	uint64_t revive_at_ms;		/* when the next attempt is due (0: none) */
	struct tunnel *tunnels;		/* child_sa.c */
};

enum ike_state {
	IKE_STATE_NONE = 0,
	IKE_I_INIT_SENT,		/* initiator: IKE_SA_INIT request out */
	IKE_I_INTERMEDIATE_SENT,	/* initiator: IKE_INTERMEDIATE request out */
	IKE_I_AUTH_SENT,		/* initiator: IKE_AUTH request out */
	IKE_R_INIT_DONE,		/* responder: IKE_SA_INIT answered, waiting for
					 * IKE_INTERMEDIATE or IKE_AUTH */
	IKE_ESTABLISHED,
	IKE_DELETING,			/* our Delete request is out */
	IKE_R_FAILED,			/* responder: negotiation failed; only answers
					 * retransmissions with the cached error */
	IKE_DEAD,			/* deleted: off every table, freed at the end of
					 * the event */
	IKE_STATE_COUNT
};
const char *ike_state_name(enum ike_state s);

/* A message as datagrams: one, or several RFC 7383 fragments */
struct dgrams {
	unsigned n;
	bool fragmented;		/* Encrypted Fragment payloads (even a single one) */
	struct chunk *d;		/* n datagrams, heap */
};

enum child_state {
	CHILD_LARVAL,			/* being negotiated */
	CHILD_ESTABLISHED,		/* installed and carrying traffic */
	CHILD_REKEYED,			/* replaced by a newer generation; going */
	CHILD_FAILED,			/* negotiation or install failed (kept for status) */
};

struct child_sa {
	struct child_sa *next;		/* the IKE SA's Child SAs, newest first */
	struct connection *c;		/* whose selectors and reqid it carries */
	struct ike_sa *ike;		/* the IKE SA it belongs to (set once installed) */
	unsigned serial;
	unsigned generation;		/* 1 for the first, +1 at each rekey */
	enum child_state state;
	bool installed;
	bool delete_sent;		/* our Delete for it is out (rekeyed) */
	bool initiator;			/* we proposed it */
	/* RFC 7296 2.8.1: a rekey's result remembers what it replaced and the lowest
	 * nonce of its exchange, to settle simultaneous rekeys */
	unsigned rekey_of;
	uint8_t nonce_min[PLUTO_NONCE_KEEP], nonce_min_len;
	/* lifetime.c: rekey after rekey_s (0: rekey=no), gone after life_s */
	unsigned rekey_s, life_s;
	uint64_t installed_ms;
	struct pluto_timer life_timer;
	uint8_t spi_local[4], spi_remote[4];	/* ESP SPIs: inbound (ours), outbound (peer's) */
	struct ix_link in_link, out_link;	/* pluto's Child SA indexes by those SPIs */
	struct ike_proposal proposal;
	struct child_ts ts_local, ts_remote;
	bool transport;			/* USE_TRANSPORT_MODE agreed (RFC 7296 1.3.1) */
	struct chunk keymat;		/* wiped and freed once installed */
	/* what the kernel gets, fixed at install: the SA endpoints, the reqid, and
	 * ESP-in-UDP ports when a NAT was detected (RFC 3948) */
	struct ip_addr local, remote;
	uint32_t reqid;
	uint32_t replay_window;		/* packets (replay-window=), 0 = none */
	bool encap;
	uint16_t encap_lport, encap_rport;
	/* mark= / mark-in= / mark-out= as they apply to this Child SA (a -1 resolved
	 * to its tunnel's value; .set false: no mark) */
	struct conf_mark mark_in, mark_out;
	struct tunnel *tunnel;		/* the tunnel it carries, from install to removal */
	char kernel_note[224];		/* what the kernel backend did, for whack */
};

struct ike_sa {
	/* pluto's indexes (sa_index.h): by SPIi (SPIi may change while it is on it:
	 * IKE SA rekey), by authenticated peer ID, by remote address */
	struct ix_link spi_link, peer_link, remote_link;
	struct ike_sa *next, *prev;	/* list of live SAs, or (next only) of dead ones */
	struct pluto *pluto;
	unsigned serial;
	struct connection *c;
	enum ike_state state;
	bool initiator;			/* original initiator of this IKE SA */
	bool authenticated;
	bool sent_initial_contact;	/* RFC 7296 2.4 INITIAL_CONTACT in our IKE_AUTH */
	uint8_t peer_digest[PLUTO_PEER_DIGEST_LEN];	/* of the authenticated peer ID */
	bool peer_known;				/* peer_digest is set */
	char *peer_id;				/* the authenticated peer ID as text (heap;
						 * PLUTO_PEER_ID of the updown script) */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct ip_addr local, remote;
	uint16_t lport, rport;
	struct iface *ifc;
	/* negotiation */
	struct ike_proposal proposal;
	enum ike_prf prf;
	struct sk_suite suite;
	struct keymat_sizes sizes;
	uint16_t ke_method;
	struct ke *ke;
	struct chunk ni, nr;
	struct chunk real_msg_i, real_msg_r;	/* IKE_SA_INIT messages, for AUTH */
	struct ike_keys keys;
	bool keys_ready;
	bool peer_frag_ok, peer_int_ok;		/* notifies received in IKE_SA_INIT */
	/* RFC 7427 4: the hashes the peer accepts for signatures (none: it does not
	 * do RFC 7427); RFC 7296 3.7: it asked for our certificate */
	uint16_t peer_hashes[SIGALG_MAX_HASHES];
	unsigned n_peer_hashes;
	bool peer_certreq;
	char auth_note[96];			/* how the peer authenticated, for status */
	/* RFC 8784 postquantum preshared key (ppk.c) */
	bool ppk_proposed;			/* initiator: USE_PPK in our IKE_SA_INIT */
	bool ppk_negotiated;			/* both sent USE_PPK */
	bool ppk_sent;				/* initiator: PPK_IDENTITY in our IKE_AUTH */
	bool ppk_used;				/* SK_d, SK_pi, SK_pr are mixed with a PPK */
	struct chunk ppk_id;			/* ... whose PPK_ID this is (heap: most
						 * SAs have none; memory per SA) */
	struct ike_keys ppk_unmixed;		/* initiator: SK_d, SK_pi, SK_pr before the
						 * mixing, until the IKE_AUTH response says
						 * whether the responder used the PPK */
	bool intermediate;			/* IKE_INTERMEDIATE negotiated */
	unsigned int_rounds;			/* IKE_INTERMEDIATE rounds completed */
	/* RFC 9370: the negotiated additional key exchanges, one IKE_INTERMEDIATE round
	 * each, in ascending ADDKE order (NONE rounds left out) */
	unsigned n_addke;
	uint16_t addke[IKE_TRANS_ADDKE7 - IKE_TRANS_ADDKE1 + 1];
	struct transcript transcript;
	unsigned init_retries;
	bool nat_detected;			/* a NAT between us (RFC 7296 2.23) */
	bool nat_local;				/* ... and we are behind it: keepalives */
	struct pluto_timer keepalive_timer;	/* RFC 3948 2.3 NAT-keepalive timer */
	/* message IDs: RFC 7296 2.2, window 1 each way */
	uint32_t next_msgid_out;		/* our next request */
	uint32_t next_msgid_in;			/* the peer's next request */
	/* our outstanding request */
	bool req_pending;
	uint32_t req_msgid;
	uint8_t req_exchange;
	unsigned req_gen;			/* bumped whenever a request is (re)built */
	bool in_response;			/* a handler is processing a response */
	/* RFC 7296 2.3, window size 1: requests made while one is outstanding wait */
	unsigned nqueued;
	struct queued_request {
		uint8_t exchange;
		uint8_t first_np;
		struct chunk inner;
	} queued[PLUTO_MAX_QUEUED_REQUESTS];
	struct dgrams req;
	struct pluto_timer retrans_timer;
	unsigned retrans_tries;
	uint64_t retrans_deadline_ms;
	unsigned retrans_delay_ms;
	/* the last response we sent, resent for a retransmitted request (RFC 7296 2.1) */
	bool resp_valid;
	uint32_t resp_msgid;
	struct dgrams resp;
	/* re-sends of the cached response: this second, and how many in it */
	uint64_t resend_second;
	unsigned resend_count;
	/* admission.c: a half-open responder SA holds a slot and octets of the
	 * budget of its source address until it is authenticated or gone */
	bool admitted, admitted_proven;		/* ... with a cookie */
	size_t admitted_octets;
	struct ip_addr admitted_from;
	struct pluto_timer expire_timer;	/* half-open timeout / deletion */
	struct child_sa *children;		/* newest first */
	struct child_sa *larval;		/* the one our outstanding request negotiates */
	/* CREATE_CHILD_SA / IKE_FOLLOWUP_KE in flight (create_child_sa.c): ours, and
	 * the peer's while it waits for its follow-ups */
	struct cc_exchange *cc_out, *cc_in;
	unsigned generation;			/* 1, +1 at each IKE SA rekey */
	/* lifetime.c: rekey after rekey_s (0: rekey=no), gone after life_s; liveness */
	unsigned rekey_s, life_s;
	uint64_t established_ms, last_heard_ms;
	struct pluto_timer life_timer, dpd_timer;
	bool peer_dead;				/* liveness check failed */
	/* RFC 7296 2.8.2: an IKE SA made by a rekey remembers the SPIs of the SA it
	 * replaced and the lowest nonce of its exchange; the old SA the first
	 * successor's SPIs */
	uint8_t rekey_nonce_min[PLUTO_NONCE_KEEP], rekey_nonce_min_len;
	bool has_successor;
	uint8_t successor_spi_i[IKE_SPI_LEN], successor_spi_r[IKE_SPI_LEN];
	struct whack_client *whack;		/* `whack --up` waiting on this SA */
	unsigned frags_sent, frags_received;
	bool frag_negotiated;			/* both sent IKEV2_FRAGMENTATION_SUPPORTED */
	/* RFC 7383 reassembly in progress, one per direction (a request from the peer
	 * and a response to ours may arrive at once, RFC 7296 2.3) */
	struct frag_rx *frag_rx[2];		/* [0] requests, [1] responses */
	uint16_t last_error;			/* last notify error sent or received */
	bool bench;				/* started by whack --bench */
	/* helper.c, ikev2.c: the crypto job this SA waits for (nhelpers=), and what
	 * the driver needs to resume the transition it suspended (TR_SUSPEND) */
	struct helper_job *job;
	struct ikev2_suspend *suspended;
};

struct pluto {
	struct event_base *base;		/* I/O: sockets, signals, whack */
	struct timers timers;			/* timers and the clock (timer.c) */
	/* command line */
	char config[512], secretsfile[512], nssdir[512], rundir[512], logfile[512];
	bool stderrlog, nofork;
	/* --seccomp-enabled|tolerant|disabled: overrides config setup seccomp= */
	enum { PLUTO_SECCOMP_CLI_NONE, PLUTO_SECCOMP_CLI_ENABLED, PLUTO_SECCOMP_CLI_TOLERANT,
	       PLUTO_SECCOMP_CLI_DISABLED } seccomp_cli;
	FILE *log;
	struct conf_setup setup;
	/* log.c: debug categories (include/plutodebug.h): plutodebug=, then pluto
	 * --debug (debug_cli), then whack --debug; conns add their own (debug=) */
	unsigned debug;
	char debug_cli[256];			/* pluto --debug LIST..., ','-joined */
	unsigned conn_debug_any;		/* the conns' debug= together
						 * (connections_debug_update()) */
	bool keylog_failing;			/* keylog.c: the last key line was not written */
	struct connection *conns;
	struct conf_secrets secrets;
	/* sockets */
	unsigned nifaces;
	struct iface ifaces[PLUTO_MAX_IFACES];
	int ctl_fd;
	struct event *ctl_ev;
	char ctl_path[600], pid_path[600];
	unsigned nwhack;
	struct whack_client *whacks;
	/* IKE SAs */
	/* ike_sa.c, child_sa.c: IKE SAs by SPIi, by authenticated peer, by remote
	 * address; Child SAs by inbound and outbound SPI.  Each grows with what it
	 * holds (no ceiling but max-ike-sas=); keyed with ix_key (random per daemon) */
	uint8_t ix_key[SIPHASH_KEY_LEN];
	struct ix sa_by_spi, sa_by_peer, sa_by_remote, child_by_in, child_by_out;
	struct ike_sa *sas;			/* live IKE SAs */
	struct ike_sa *dead;			/* deleted, freed after the current event */
	unsigned nsas, nhalf_open;
	/* admission.c: source addresses holding half-open SAs, their octets in total */
	struct admission_addr *adm_addrs[PLUTO_ADMISSION_BUCKETS];
	size_t half_open_octets;
	/* RFC 7296 2.6: the cookie secret, rotated every PLUTO_COOKIE_ROTATE_S; [0] is
	 * the current one (version cookie_version), [1] the one before */
	uint8_t cookie_secret[2][PLUTO_COOKIE_SECRET_LEN];
	uint8_t cookie_version;
	uint64_t cookie_rotated_ms;
	size_t frag_bytes;			/* reassembly octets held by authenticated SAs */
	/* frag.c: collections of IKE SAs not yet authenticated, oldest first, and
	 * their octets (a budget of their own, RFC 7383 2.6.1) */
	struct frag_rx *frag_oldest, *frag_newest;
	size_t frag_unauth_bytes;
	/* log.c: drop lines rate-limited by reason, summarised once a second */
	struct log_drops {
		uint64_t second;
		struct pluto_timer timer;	/* the summary when the flood stops */
		struct log_drop_reason {
			char reason[PLUTO_LOG_REASON_MAX];
			unsigned logged, suppressed;
		} r[PLUTO_LOG_DROP_REASONS];
	} drops;
	uint64_t invspi_second;			/* INVALID_IKE_SPI rate limit: this second, */
	unsigned invspi_sent;			/* and how many went out in it */
	unsigned next_serial;
	uint32_t next_reqid;			/* offset from PLUTO_REQID_BASE */
	uint32_t next_unique_mark;		/* mark=-1: the last value handed out */
	/* updown.c: the helper process that runs the updown scripts (NULL: none) */
	struct updown *updown;
	/* when set, updown requests go here instead of the helper: the two-peer test
	 * (testing/unit/test_pluto_twopeer.c) checks which verbs each event runs */
	void (*updown_hook)(void *ctx, const struct updown_request *r);
	void *updown_ctx;
	/* kernel backend */
	const struct kernel_ops *kernel;
	void *kernel_ctx;
	struct bench *bench;			/* whack --bench in progress */
	/* when set, datagrams go here instead of sendto(): the in-process two-peer
	 * test (testing/unit/test_pluto_twopeer.c) carries them through memory */
	bool (*send_hook)(void *ctx, struct iface *ifc, const struct ip_addr *to, uint16_t port,
			  const uint8_t *d, size_t len);
	void *send_ctx;
	unsigned impair;			/* whack --impair: IMPAIR_* bits, tests only */
	bool nhelpers_given;			/* pluto --nhelpers N: wins over nhelpers= */
	int nhelpers_cli;
	struct helpers *helpers;		/* helper.c: crypto threads; NULL = inline */
	bool shutting_down;
	struct event *sig_ev[3];
};

/* server.c */
bool server_configure(struct pluto *p);	/* NSS, config setup, kernel, secrets */
bool server_start(struct pluto *p);		/* ... and sockets, signals, autostart */
void server_stop(struct pluto *p);

/* log.c */
void plog(struct pluto *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ike_log(struct ike_sa *ike, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conn_log(struct pluto *p, const struct connection *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_flush(struct pluto *p);
/* A line about a dropped datagram: at most PLUTO_LOG_DROP_BURST a second per
 * reason are written; the rest are counted and summarised once a second as
 * "dropped N more datagrams: REASON".  ike may be NULL (no SA prefix). */
void log_drop(struct pluto *p, struct ike_sa *ike, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* writes the pending summaries and stops the timer (shutdown) */
void log_drops_stop(struct pluto *p);

/* log.c: debug lines, Libreswan's "| ..." (include/plutodebug.h).  The tests are a
 * load and a mask before anything is formatted, so that they cost nothing when off.
 * An SA's lines use the daemon's categories and its connection's (debug=). */
static inline unsigned ike_debugging(const struct ike_sa *ike)
{
	return ike->pluto->debug | (ike->c != NULL ? ike->c->debug : 0);
}
#define DBGP(p, cat) (((p)->debug & (cat)) != 0)
#define IKE_DBGP(ike, cat) ((ike_debugging(ike) & (cat)) != 0)
#define dbg(p, ...) do { if (DBGP(p, DBG_BASE)) dbg_log((p), NULL, DBG_BASE, __VA_ARGS__); } while (0)
#define ike_dbg(ike, ...) \
	do { if (IKE_DBGP(ike, DBG_BASE)) dbg_log((ike)->pluto, (ike), DBG_BASE, __VA_ARGS__); } while (0)
/* one line "| ..." ("| crypt: ...", "| cpu-usage: ..." for those categories, with
 * add-prefix '"conn" #N: ' on an SA's); ike may be NULL */
void dbg_log(struct pluto *p, const struct ike_sa *ike, unsigned cat, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "| WHAT (N octets):" and the octets in hex, 16 a line */
void dbg_hex(struct pluto *p, const struct ike_sa *ike, unsigned cat, const char *what, const uint8_t *d,
	     size_t len);
/* crypt: a secret's value, said to be one.  A session key (long_term false) with
 * crypt; a long-term secret (a PSK) only with crypt and private, else its size */
void dbg_secret(const struct ike_sa *ike, const char *what, const uint8_t *d, size_t len, bool long_term);
/* cpu-usage: an event's CPU time (this thread) and elapsed time */
struct dbg_cpu {
	bool on;
	uint64_t cpu_ns, wall_ns;
};
void dbg_cpu_start(struct pluto *p, unsigned set, struct dbg_cpu *t);
void dbg_cpu_done(struct pluto *p, unsigned set, const struct dbg_cpu *t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* the daemon's categories changed (start-up, whack --debug): one log line, and a
 * warning when crypt or private put secrets into the log */
void dbg_announce(struct pluto *p, const char *who, const char *what, unsigned old, unsigned now);

/* connections.c */
bool connections_load(struct pluto *p, const char *name, struct whack_client *w);
/* whack --rereadall: secrets again, then every conn of the file that is loaded or
 * auto=add|start, re-added only when its configuration changed */
bool connections_reload(struct pluto *p, struct whack_client *w);
bool connections_add_conf(struct pluto *p, const struct conf_file *cf, const struct conf_conn *cc,
			  struct whack_client *w);
bool connections_delete(struct pluto *p, const char *name);
/* after a conn's debug changed, came or went: p->conn_debug_any again */
void connections_debug_update(struct pluto *p);
struct connection *connection_find(struct pluto *p, const char *name);
struct connection *connection_for_peer(struct pluto *p, const struct ip_addr *local,
				       const struct ip_addr *remote);
bool secrets_load(struct pluto *p);

/* iface.c */
bool iface_open_all(struct pluto *p);
void iface_close_all(struct pluto *p);
struct iface *iface_for(struct pluto *p, uint8_t version, bool natt);
bool iface_send(struct ike_sa *ike, const struct chunk *d);
/* from: the source address (IP_PKTINFO / IPV6_PKTINFO), so that an answer leaves
 * from the address its request arrived on (RFC 7296 2.11); NULL lets routing pick */
bool iface_send_to(struct iface *ifc, const struct ip_addr *from, const struct ip_addr *to, uint16_t port,
		   const uint8_t *d, size_t len);
/* RFC 3948 2.3: one 0xFF octet from the NAT-T port, for the SA's NAT mapping */
void iface_send_keepalive(struct ike_sa *ike);

/* demux.c */
/* returns the debug categories in force for it (the SA's, or the daemon's) */
unsigned demux_datagram(struct iface *ifc, const struct ip_addr *from, uint16_t fport,
			const struct ip_addr *to, const uint8_t *d, size_t len);

/* child_sa.c: the outbound and inbound halves of a Child SA's KEYMAT (RFC 7296
 * 2.17: the exchange initiator's direction first), each len octets */
void child_sa_key_halves(const struct child_sa *child, const uint8_t **out, const uint8_t **in, size_t *len);
/* child_sa.c: remove a Child SA (from the kernel too) and wipe its keys; all of
 * an IKE SA's */
void child_sa_free(struct ike_sa *ike, struct child_sa *child);
void child_sa_free_all(struct ike_sa *ike);

/* ike_sa.c */
struct ike_sa *ike_sa_new(struct pluto *p, struct connection *c, bool initiator);
struct ike_sa *ike_sa_find(struct pluto *p, const uint8_t spi_i[8], const uint8_t spi_r[8]);
/* the responder SA of (peer address, SPIi), any source port (admission.h) */
struct ike_sa *ike_sa_find_init(struct pluto *p, const uint8_t spi_i[8], const struct ip_addr *remote);
void ike_sa_rehash(struct ike_sa *ike);
/* sets the remote address and keeps the index by it */
void ike_sa_set_remote(struct ike_sa *ike, const struct ip_addr *remote);
/* moves the SA to another connection, keeping the connections' counts */
void ike_sa_set_conn(struct ike_sa *ike, struct connection *c);
unsigned ike_sa_table_buckets(struct pluto *p);
/* the table's heap buckets, at shutdown */
void ike_sa_table_free(struct pluto *p);
/* delete the SA after seconds unless it is authenticated by then */
void ike_sa_expire_unauthenticated(struct ike_sa *ike, unsigned seconds);
void ike_sa_delete(struct ike_sa *ike, const char *why);
/* The one state setter (principle 3): refuses a move the protocol does not allow,
 * logs "A -> B", and keeps what follows from the state: the half-open count, the
 * unauthenticated SA's expiry timer, and the whack/bench waiters. */
bool ike_sa_set_state(struct ike_sa *ike, enum ike_state to);
bool ike_state_move_ok(enum ike_state from, enum ike_state to);
static inline bool ike_sa_dead(const struct ike_sa *ike) { return ike->state == IKE_DEAD; }
/* whack --up / --bench waiting on an established SA: tell them once nothing of
 * ours is in flight any more */
void ike_sa_notify_waiters(struct ike_sa *ike);
/* RFC 3948 2.3: NAT-keepalives while we are behind a NAT */
void ike_sa_start_keepalive(struct ike_sa *ike);
/* RFC 7296 2.4: another IKE SA (live, any state) with the same peer address */
bool ike_sa_other_with_peer(struct ike_sa *ike);
void ike_sa_inherit_peer(struct ike_sa *ike, const struct ike_sa *old);
/* Once ike has authenticated peer: remembers who, then removes the IKE SAs it
 * replaces: with INITIAL_CONTACT every other one of that identity (the peer lost
 * them; no Delete is sent), with uniqueids=yes the older ones of the same
 * connection and identity (with a Delete). */
void ike_sa_authenticated(struct ike_sa *ike, const struct ike_id *peer, bool initial_contact);
/* whether the IKE SA's authenticated peer has this (configured, not %any) ID */
bool ike_sa_peer_is(const struct ike_sa *ike, const struct ike_id *id);
/* frees the dead SAs (after each event) or, when shutting down, all of them */
void ike_sa_free_all(struct pluto *p);
void dgrams_free(struct dgrams *d);
/* appends a copy of len octets; false (and nothing added) past PLUTO_MAX_MSG_FRAGS */
bool dgrams_add(struct dgrams *d, const uint8_t *p, size_t len);
/* appends *c itself (emptied on success) */
bool dgrams_take(struct dgrams *d, struct chunk *c);

/* child_sa.c: a Child SA leaves the kernel and its tunnel (the updown script's
 * down verbs when it was the tunnel's last) */
void child_sa_uninstall(struct ike_sa *ike, struct child_sa *child);
/* a deleted connection's tunnels (its Child SAs are gone) */
void child_tunnels_free(struct connection *c);
/* the value of mark=-1 for the n-th tunnel: n's bits put into the mask's set bits,
 * lowest first (so every value matches under the mask); 0 when n does not fit */
uint32_t child_mark_unique(uint32_t n, uint32_t mask);

/* confine.c: config setup seccomp= (libseccomp) */
bool confine_install(struct pluto *p);
int confine_crashtest(struct pluto *p, struct whack_client *w);

/* whack_server.c */
bool whack_server_start(struct pluto *p);
void whack_server_stop(struct pluto *p);
void whack_printf(struct whack_client *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void whack_done(struct whack_client *w, int rc);	/* ends an --up wait */

/* bench.c */
int bench_start(struct pluto *p, struct whack_client *w, const char *arg);
void bench_sa_finished(struct ike_sa *ike, bool established);
void bench_abort(struct pluto *p, struct whack_client *w);

/* lifetime.c: rekey, expiry, liveness, revival */
unsigned lifetime_rekey_after(const struct conf_conn *cc, unsigned life, bool initiator);
void lifetime_child_plan(struct ike_sa *ike, struct child_sa *child, bool initiator);
void lifetime_child_start(struct ike_sa *ike, struct child_sa *child);
void lifetime_child_stop(struct child_sa *child);
void lifetime_child_retire(struct child_sa *child);
void lifetime_kernel_expired(struct pluto *p, const uint8_t spi[4], bool hard);
void lifetime_rekey_later(struct ike_sa *ike, struct child_sa *child);
void lifetime_ike_start(struct ike_sa *ike);
void lifetime_ike_stop(struct ike_sa *ike);
void lifetime_ike_gone(struct ike_sa *ike);
void lifetime_revive(struct connection *c);
void lifetime_conn_stop(struct connection *c);

/* kernel.c */
struct kernel_ops {
	const char *name;
	bool (*init)(struct pluto *p, char *err, size_t errlen);
	/* install both directions of an established Child SA; err on failure */
	bool (*install)(struct pluto *p, struct ike_sa *ike, struct child_sa *child, char *err, size_t errlen);
	void (*remove)(struct pluto *p, struct ike_sa *ike, struct child_sa *child);
	void (*shutdown)(struct pluto *p);
	/* prepares a NAT-T socket for ESP in UDP (RFC 3948); may be NULL */
	bool (*natt_socket)(struct pluto *p, int fd, uint8_t version, char *err, size_t errlen);
	/* the octets the Child SA's inbound and outbound SAs carried; may be NULL */
	bool (*counters)(struct pluto *p, const struct child_sa *child, uint64_t *in_bytes,
			 uint64_t *out_bytes);
	const char *stack;		/* PLUTO_STACK of the updown script */
};
extern const struct kernel_ops kernel_xfrm_ops, kernel_none_ops;
bool kernel_init(struct pluto *p, char *err, size_t errlen);
void kernel_mark_note(const struct child_sa *child, char *buf, size_t len);

#endif
