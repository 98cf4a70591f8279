/* keyword_doc.c -- what ipsec.conf(5) says about each implemented keyword of the
 * registry (keywords.c): its values, its default and one line of meaning.
 * programs/kwdoc prints the registry with these as scdoc for the man page, and
 * refuses to (so the build fails) while an implemented keyword has no entry here or an
 * entry names no implemented keyword: the page cannot drift from the registry. */
#include <string.h>
#include "conf.h"

#define D(sec, name, values, dflt, text) { CONF_KW_##sec, name, values, dflt, text }

static const struct conf_keyword_doc docs[] = {
	/* conn */
	D(CONN, "authby", "secret | psk | rsasig | rsa | rsa-sha1 | rsa-sha2[_256|_384|_512] | ecdsa | ecdsa-sha2[_256|_384|_512], a comma list", "rsasig",
	  "how both ends authenticate, unless leftauth=/rightauth= say otherwise; rsasig also allows RFC 7296 RSA with SHA-1 for a peer without RFC 7427"),
	D(CONN, "ike", "ENCR-PRF-KE[;addke1=KE[+none]...;addke7=...], proposals separated by ','; alternatives with '+'", "aes_gcm256-sha2_512+sha2_256-dh19+dh20+dh31+dh14, aes256-sha2_512+sha2_256-dh19+dh20+dh31+dh14",
	  "the IKE SA proposals; addkeN= adds RFC 9370 key exchanges (ml_kem_512, ml_kem_768, ml_kem_1024, dhN) in IKE_INTERMEDIATE rounds; ke= puts one in IKE_SA_INIT"),
	D(CONN, "esp", "ENCR[-INTEG][-KE], a comma list", "aes_gcm256, aes256-sha2_512+sha2_256",
	  "the Child SA proposals (phase2alg= is another name)"),
	D(CONN, "phase2", "esp", "esp", "the Child SA protocol; AH is not implemented"),
	D(CONN, "intermediate", "yes | no", "no",
	  "run an IKE_INTERMEDIATE exchange (RFC 9242); any addkeN= in ike= implies yes"),
	D(CONN, "fragmentation", "yes | no | force", "yes",
	  "RFC 7383 fragmentation of encrypted messages; force fragments every protected message once the peer supports it"),
	D(CONN, "fragment-size", "octets", "576 (IPv4), 1280 (IPv6)",
	  "the size of the IP datagrams fragments are cut to"),
	D(CONN, "auto", "ignore | add | start", "ignore",
	  "what pluto does with the conn at start-up and on rereadall: nothing, load it, load and initiate it"),
	D(CONN, "retransmit-timeout", "duration", "60s", "give up a request after this long"),
	D(CONN, "retransmit-interval", "duration", "500ms", "the first retransmission delay, doubled each time"),
	D(CONN, "ikelifetime", "duration", "8h", "lifetime of the IKE SA"),
	D(CONN, "salifetime", "duration", "8h", "lifetime of a Child SA (ipsec-lifetime=, and the obsolete lifetime= and keylife=, are other names)"),
	D(CONN, "rekey", "yes | no", "yes", "rekey SAs before they expire"),
	D(CONN, "reauth", "yes | no", "no", "yes: a new IKE SA (reauthentication) instead of an IKE SA rekey"),
	D(CONN, "rekeymargin", "duration", "9m", "how long before expiry the initiator rekeys"),
	D(CONN, "rekeyfuzz", "percent", "100%", "up to this share of rekeymargin added at random"),
	D(CONN, "ipsec-max-bytes", "count", "0 (none)", "the kernel's byte limit of a Child SA"),
	D(CONN, "ipsec-max-packets", "count", "0 (none)", "the kernel's packet limit of a Child SA"),
	D(CONN, "esn", "yes | no | either", "either", "extended sequence numbers"),
	D(CONN, "dpddelay", "duration", "0 (off)", "send a liveness check when nothing was heard for this long"),
	D(CONN, "dpdtimeout", "duration", "120s", "declare the peer dead after this long without an answer"),
	D(CONN, "dpdaction", "hold | clear | restart", "hold", "what to do with a dead peer's SAs"),
	D(CONN, "keyexchange", "ike | ikev2", "ike", "the protocol: IKEv2 only"),
	D(CONN, "ikev2", "yes | insist | propose | permit", "insist", "IKEv2 only; no and never are refused"),
	D(CONN, "type", "tunnel | transport", "tunnel", "the Child SA mode"),
	D(CONN, "nat-keepalive", "yes | no", "yes", "send NAT-keepalives when behind a NAT"),
	D(CONN, "pfs", "yes | no", "yes", "new key exchanges for Child SAs made by CREATE_CHILD_SA"),
	D(CONN, "reqid", "1..16383", "one of pluto's own", "the reqid of the conn's kernel SAs and policies"),
	D(CONN, "hostaddrfamily", "ipv4 | ipv6", "from left=/right=", "the address family of the IKE endpoints"),
	D(CONN, "clientaddrfamily", "ipv4 | ipv6", "from the subnets", "the address family of the protected subnets"),
	D(CONN, "narrowing", "yes | no", "no (Libreswan's)",
	  "no: a responder accepts only traffic selectors equal to its own subnet and protoport (else TS_UNACCEPTABLE), an initiator only its own back (else the Child SA is deleted); yes: RFC 7296 2.9 narrowing, each proposed selector cut to what ours allows, and an initiator accepts any part of what it proposed"),
	D(CONN, "sendca", "none | issuer | all", "none (Libreswan's)",
	  "the CA certificates sent in CERT payloads after ours: none, the issuer of ours (unless it is a root), or every CA of its chain in the NSS database but the root; a peer that trusts only the root needs issuer (one intermediate) or all"),
	D(CONN, "debug", "a debug list, as plutodebug=", "none",
	  "debug categories added to plutodebug= for the SAs of this conn (whack --name NAME --debug LIST changes it)"),
	D(CONN, "encapsulation", "auto | yes | no", "auto", "ESP in UDP: when a NAT is found, always, never"),
	D(CONN, "replay-window", "0..4096", "128", "the ESP replay window in packets; 0 turns it (and ESN) off"),
	D(CONN, "mark", "VALUE[/MASK] | -1[/MASK]", "(none)",
	  "the XFRM mark of the Child SA's states and policies in both directions: only packets whose mark matches (mark & MASK = VALUE) use them; MASK defaults to 0xffffffff; -1 gives each tunnel (a Child SA with its rekeys and reauthentications) a value of its own, unique in this pluto and within MASK; whack --status shows the marks, the updown script gets them as CONNMARK_IN and CONNMARK_OUT"),
	D(CONN, "mark-in", "VALUE[/MASK] | -1[/MASK]", "mark=",
	  "the mark of the inbound state and the in and fwd policies (the kernel looks an arriving ESP packet's SA up with its mark: set it before, e.g. in the mangle table)"),
	D(CONN, "mark-out", "VALUE[/MASK] | -1[/MASK]", "mark=",
	  "the mark of the outbound state and policy: only packets carrying it (SO_MARK, the mangle table) enter the tunnel"),
	D(CONN, "ppk", "propose | yes | insist | never | no", "no",
	  "RFC 8784 postquantum preshared keys (PPKS entries of ipsec.secrets, chosen by the IDs like a PSK) mixed into SK_d, SK_pi and SK_pr in IKE_AUTH: propose (yes) offers one and goes on without it when the peer has none (NO_PPK_AUTH), insist accepts no IKE SA without one"),
	D(CONN, "ppk-ids", "PPK_ID[,PPK_ID...]", "(any PPKS entry that fits the IDs)",
	  "the PPK_IDs that may be used with the peer: the initiator sends the first one ipsec.secrets holds, the responder accepts only these"),
	/* left... and right... */
	D(END, "", "address | DNS name | %any | %defaultroute", "(required)", "the end's IKE address"),
	D(END, "subnet", "CIDR[, CIDR...]", "the end's address alone", "the end's protected subnet; a list makes one conn per pair"),
	D(END, "subnets", "{CIDR CIDR ...}", "(none)", "one conn per pair of subnets, named NAME/LxR"),
	D(END, "id", "@fqdn | user@fqdn | address | DN | %fromcert", "the address, or %fromcert with a certificate", "the end's identity"),
	D(END, "ikeport", "port", "500", "the end's IKE port"),
	D(END, "protoport", "PROTO[/PORT]", "any", "limit the traffic selectors to a protocol and port"),
	D(END, "nexthop", "address | %defaultroute", "(none)", "the next hop towards the peer"),
	D(END, "auth", "secret | psk | rsasig | rsa | ecdsa | ...", "from authby=", "how this end authenticates"),
	D(END, "cert", "NSS nickname", "(none)", "this end's certificate and private key in the NSS database"),
	D(END, "ca", "DN | %same", "any trusted CA", "the issuer the peer's certificate must chain to"),
	D(END, "sendcert", "always | sendifasked | never", "sendifasked", "when to send this end's certificate"),
	D(END, "updown", "\"COMMAND [ARGS]\" | %disabled", "ipsec _updown",
	  "what pluto runs (with /bin/sh -c, its PLUTO_* variables in the environment) when a tunnel of this conn comes up (its first Child SA is installed) or goes down (its last one is removed), when this end is the local one (pluto(8) lists the variables); verbs prepare-, route-, up-, down- and unroute- with -host or -client (and -v6); ipsec _updown is Interlude's own script in libexec/ipsec, which routes the peer's subnet from leftsourceip=; a script still running after updown-timeout= is killed; its output and exit status are logged"),
	D(END, "sourceip", "address", "(none)",
	  "the source address of this host's own traffic into the tunnel: the default updown script routes the peer's subnet with src ADDRESS; must lie inside leftsubnet="),
	/* config setup */
	D(SETUP, "protostack", "xfrm | none", "xfrm", "the kernel backend; none records Child SAs without installing them"),
	D(SETUP, "listen", "address", "all addresses", "the address to listen on"),
	D(SETUP, "ikeport", "port", "500", "the IKE port"),
	D(SETUP, "nat-ikeport", "port", "4500", "the NAT-T port"),
	D(SETUP, "keep-alive", "seconds", "20", "the NAT-keepalive interval"),
	D(SETUP, "uniqueids", "yes | no", "yes", "a new IKE SA of a conn replaces older ones with the same IDs"),
	D(SETUP, "seccomp", "enabled | tolerant | disabled", "disabled", "the system call allow-list after start-up"),
	D(SETUP, "updown-timeout", "duration (at most 1h)", "30s",
	  "an updown script still running after this long is killed with its process group (SIGTERM, SIGKILL 2 s later) and logged (Interlude's own)"),
	D(SETUP, "keylog-dir", "an absolute directory", "unset (off)", "append every IKE SA's and Child SA's keys to DIR/ikev2_decryption_table and DIR/esp_sa, the files Wireshark reads (secrets: mode 0600)"),
	D(SETUP, "ddos-mode", "auto | busy | unlimited", "auto", "when IKE_SA_INIT must return a COOKIE"),
	D(SETUP, "ddos-ike-threshold", "count", "256", "half-open IKE SAs before cookies are required"),
	D(SETUP, "max-halfopen-ike", "count", "1024", "half-open IKE SAs before new ones are refused"),
	D(SETUP, "max-ike-sas", "count (1 to 100000000)", "1000000", "IKE SAs kept at once, established or negotiating (Interlude's own, as strongSwan's ikesa_limit); past it pluto initiates none and drops new IKE_SA_INIT requests with a rate-limited log line"),
	D(SETUP, "ike-socket-bufsize", "octets", "the system's", "receive and send buffers of the IKE sockets"),
	D(SETUP, "nhelpers", "-1 | 0 | count (at most 64)", "-1", "crypto helper threads (Libreswan's meaning): -1 starts as many as CPUs minus one when there are 4 or more, else as many as CPUs; 0 runs the key exchanges, key derivations and signatures inline in the event loop; pluto --nhelpers wins. Helpers take the key exchanges of IKE_SA_INIT (with the key derivation) and of IKE_INTERMEDIATE, and our IKE_AUTH signature, off the event loop, so that retransmissions, liveness checks, whack and other SAs go on while they run; an SA waiting for its helper drops further messages of that exchange (its peer retransmits) and still answers retransmitted earlier requests from its cache; verifying the peer's certificate and signature and CREATE_CHILD_SA key exchanges still run in the event loop"),
	D(SETUP, "logfile", "path", "(stderr)", "the log file; pluto --logfile wins"),
	D(SETUP, "logtime", "yes | no", "yes", "timestamps in the log file"),
	D(SETUP, "logappend", "yes | no", "yes", "no truncates the log file at start"),
	D(SETUP, "dumpdir", "directory", "(unchanged)", "pluto's working directory, where a core dump goes"),
	D(SETUP, "nssdir", "directory", "/var/lib/ipsec/nss", "the NSS database; pluto --nssdir wins"),
	D(SETUP, "plutodebug", "none | a list of all, base, cpu-usage, tmi, crypt, private, add-prefix, no-NAME (separated by ',', '+' or spaces)", "none",
	  "debug lines, which start with \"| \": base explains the negotiation (messages and their payloads, state changes, proposals, traffic selectors, timers, admission, key derivation by name and size); cpu-usage times each event; tmi adds every datagram in hex; crypt adds the keys and decrypted messages as \"| crypt:\" lines (anyone with the log can decrypt the traffic); private adds long-term secrets (PSK) to crypt; add-prefix puts \"conn\" #N on an SA's lines; whack --debug changes it at run time"),
	D(SETUP, "secretsfile", "path", "/etc/ipsec.secrets", "the secrets file; pluto --secretsfile wins"),
};

const struct conf_keyword_doc *conf_keyword_docs(size_t *n)
{
	*n = sizeof(docs) / sizeof(docs[0]);
	return docs;
}

const struct conf_keyword_doc *conf_keyword_doc(enum conf_kw_section sec, const char *name)
{
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (docs[i].section == sec && strcmp(docs[i].name, name) == 0)
			return &docs[i];
	return NULL;
}
