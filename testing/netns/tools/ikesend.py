#!/usr/bin/env python3
"""ikesend.py -- craft and send (mostly bad) IKEv2 datagrams over UDP, for the
netns scenarios (testing/netns/README.md).  Python 3 standard library only.

    ikesend.py [options] KIND

KIND is one of
    garbage        --size N random octets; the version octet (offset 17) is kept at
                   2.0 so that it is not taken for another IKE version, which
                   RFC 7296 2.5 says to answer (see `version`)
    truncated      the first 20 octets of an IKE_SA_INIT request (header cut short)
    length-lie     an IKE_SA_INIT request whose header Length is off by --delta
    version        an IKE_SA_INIT request with major version --major (default 3);
                   with --response, marked as a response
    init           an IKE_SA_INIT request: SA (AES-GCM-16-256, PRF-HMAC-SHA2-256,
                   KE --dh), KE payload of group --ke-group, Ni, optional notifies
                   (--frag, --intermediate) and an unknown payload (--critical T or
                   --noncritical T, type T with or without the critical bit);
                   --count N sends N of them, each with a new SPIi; --response
                   marks it as a response (for an IKE SA nobody started);
                   --chain-lie makes the last payload's Length overrun the message
    unknown-spi    an IKE_AUTH request with an SK payload of random octets for
                   random SPIs (no such IKE SA)
    skf            --count Encrypted Fragment (SKF) payloads of an IKE_AUTH request,
                   Fragment Number 1..count, Total Fragments --total, --size octets
                   of random ciphertext each; for random SPIs, or with --half-open
                   for the SPIs of a half-open IKE SA that an `init --frag`
                   exchange (sent first) creates on the responder

It sends from --sport (default: an ephemeral port) to --to:--port (default
192.0.2.23:500; --natt adds the RFC 3948 non-ESP marker, for port 4500), then
waits --wait seconds (default 2) for replies and prints each one:

    sent 1 datagram(s), 328 octets, from 192.0.2.45:50001 to 192.0.2.23:500 (init)
    reply: IKE_SA_INIT response, version 2.0, message ID 0, flags R, SPIi 1a2b... (ours), SPIr 0000..., 38 octets
    reply: payloads N
    reply: notify INVALID_KE_PAYLOAD (17) data 001f
    replies: 1

or `replies: 0` when nothing came back.  With --wait 0 it does not listen.
Exit status 0 unless the arguments are wrong or sending fails.
"""

import argparse
import os
import select
import socket
import struct
import sys
import time

# RFC 7296 3.1 / IANA "IKEv2 Exchange Types"
EXCHANGES = {34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA",
             37: "INFORMATIONAL", 43: "IKE_INTERMEDIATE"}
# IANA "IKEv2 Payload Types"
PAYLOADS = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ",
            39: "AUTH", 40: "Nonce", 41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr",
            46: "SK", 47: "CP", 48: "EAP", 53: "SKF"}
# IANA "IKEv2 Notify Message Types" (the ones a scenario may meet)
NOTIFIES = {1: "UNSUPPORTED_CRITICAL_PAYLOAD", 4: "INVALID_IKE_SPI",
            5: "INVALID_MAJOR_VERSION", 7: "INVALID_SYNTAX", 9: "INVALID_MESSAGE_ID",
            11: "INVALID_SPI", 14: "NO_PROPOSAL_CHOSEN", 17: "INVALID_KE_PAYLOAD",
            24: "AUTHENTICATION_FAILED", 34: "SINGLE_PAIR_REQUIRED",
            35: "NO_ADDITIONAL_SAS", 38: "TS_UNACCEPTABLE", 16390: "COOKIE",
            16388: "NAT_DETECTION_SOURCE_IP", 16389: "NAT_DETECTION_DESTINATION_IP",
            16430: "IKEV2_FRAGMENTATION_SUPPORTED",
            16431: "SIGNATURE_HASH_ALGORITHMS",
            16438: "INTERMEDIATE_EXCHANGE_SUPPORTED"}

IKE_SA_INIT, IKE_AUTH = 34, 35
PL_SA, PL_KE, PL_IDI, PL_NONCE, PL_N, PL_SK, PL_SKF = 33, 34, 35, 40, 41, 46, 53
FLAG_I, FLAG_R = 0x08, 0x20
N_FRAG, N_INT = 16430, 16438
HDR_LEN = 28
NON_ESP_MARKER = b"\0\0\0\0"

# public value octets per key exchange method (RFC 7296 3.4, RFC 5903, RFC 8031)
KE_LEN = {1: 96, 2: 128, 5: 192, 14: 256, 15: 384, 16: 512, 17: 768, 18: 1024,
          19: 64, 20: 96, 21: 132, 31: 32, 32: 56}


def hdr(spi_i, spi_r, np, exchange, flags, msgid, length, version=0x20):
    """RFC 7296 3.1 IKE header"""
    return struct.pack("!8s8sBBBBII", spi_i, spi_r, np, version, exchange, flags, msgid, length)


def payload(np, body, critical=False):
    """RFC 7296 3.2 generic payload header + body"""
    return struct.pack("!BBH", np, 0x80 if critical else 0, 4 + len(body)) + body


def chain(items):
    """items: [(type, body, critical)] -> (first type, octets)"""
    out = b""
    for i, (_, body, crit) in enumerate(items):
        np = items[i + 1][0] if i + 1 < len(items) else 0
        out += payload(np, body, crit)
    return (items[0][0] if items else 0), out


def transform(last, ttype, tid, attrs=b""):
    """RFC 7296 3.3.2"""
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def sa_body(dh_groups):
    """one IKE proposal (RFC 7296 3.3.1): ENCR_AES_GCM_16 256, PRF_HMAC_SHA2_256, KE..."""
    ts = [(1, 20, struct.pack("!HH", 0x800E, 256)), (2, 5, b"")]
    ts += [(4, g, b"") for g in dh_groups]
    body = b"".join(transform(i == len(ts) - 1, t, tid, a) for i, (t, tid, a) in enumerate(ts))
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(body), 1, 1, 0, len(ts)) + body
    return prop


def ke_value(group):
    n = KE_LEN.get(group, 32)
    v = bytearray(os.urandom(n))
    if group in (1, 2, 5, 14, 15, 16, 17, 18):
        v[0] = 0x40 | (v[0] & 0x3F)	# 1 < value < p - 1 for the MODP primes
    return bytes(v)


def notify_body(ntype, data=b""):
    """RFC 7296 3.10: Protocol ID 0, SPI Size 0"""
    return struct.pack("!BBH", 0, 0, ntype) + data


def sa_init_payloads(a):
    items = [(PL_SA, sa_body(a.dh), False),
             (PL_KE, struct.pack("!HH", a.ke_group, 0) + ke_value(a.ke_group), False),
             (PL_NONCE, os.urandom(32), False)]
    if a.frag:
        items.append((PL_N, notify_body(N_FRAG), False))
    if a.intermediate:
        items.append((PL_N, notify_body(N_INT), False))
    if a.noncritical is not None:
        items.append((a.noncritical, b"\xde\xad\xbe\xef", False))
    if a.critical is not None:
        items.append((a.critical, b"\xde\xad\xbe\xef", True))
    return items


def sa_init_request(a, spi_i, version=0x20, delta=0):
    items = sa_init_payloads(a)
    np, body = chain(items)
    if getattr(a, "chain_lie", False):
        last = len(body) - 4 - len(items[-1][1])
        body = body[:last + 2] + struct.pack("!H", 4 + len(items[-1][1]) + 8) + body[last + 4:]
    return hdr(spi_i, bytes(8), np, IKE_SA_INIT, FLAG_I, 0, HDR_LEN + len(body) + delta,
               version) + body


def sk_message(spi_i, spi_r, exchange, msgid, size):
    """an SK payload (RFC 7296 3.14) of random IV | ciphertext | ICV octets"""
    body = os.urandom(8 + size + 16)
    sk = payload(PL_IDI, body)
    return hdr(spi_i, spi_r, PL_SK, exchange, FLAG_I, msgid, HDR_LEN + len(sk)) + sk


def skf_message(spi_i, spi_r, exchange, msgid, number, total, size):
    """an SKF payload (RFC 7383 2.5): Fragment Number, Total Fragments, then random
    IV | ciphertext | ICV octets; only fragment 1 names the first inner payload"""
    body = struct.pack("!HH", number, total) + os.urandom(8 + size + 16)
    skf = payload(PL_IDI if number == 1 else 0, body)
    return hdr(spi_i, spi_r, PL_SKF, exchange, FLAG_I, msgid, HDR_LEN + len(skf)) + skf


# --- replies ------------------------------------------------------------------

def describe(d, ours=()):
    """lines describing one received IKE message; `ours`: the SPIi values we sent"""
    if len(d) < HDR_LEN:
        return ["reply: %d octets, not an IKE header: %s" % (len(d), d.hex())]
    spi_i, spi_r, np, ver, exch, flags, msgid, length = struct.unpack("!8s8sBBBBII", d[:HDR_LEN])
    fl = "".join(c for c, b in (("I", FLAG_I), ("R", FLAG_R), ("V", 0x10)) if flags & b) or "-"
    lines = ["reply: %s %s, version %d.%d, message ID %d, flags %s, SPIi %s (%s), SPIr %s, %d octets%s" % (
        EXCHANGES.get(exch, "exchange %d" % exch), "response" if flags & FLAG_R else "request",
        ver >> 4, ver & 15, msgid, fl, spi_i.hex(), "ours" if spi_i in ours else "not ours",
        spi_r.hex(), len(d),
        "" if length == len(d) else " (header Length %d)" % length)]
    names, notes, off = [], [], HDR_LEN
    while np != 0:
        if len(d) - off < 4:
            names.append("(truncated)")
            break
        nxt, _, plen = struct.unpack("!BBH", d[off:off + 4])
        if plen < 4 or off + plen > len(d):
            names.append("(bad length)")
            break
        body = d[off + 4:off + plen]
        names.append(PAYLOADS.get(np, str(np)))
        if np == PL_N and len(body) >= 4:
            spisize, ntype = body[1], struct.unpack("!H", body[2:4])[0]
            data = body[4 + spisize:]
            notes.append("reply: notify %s (%d) data %s" % (NOTIFIES.get(ntype, "type"), ntype,
                                                            data.hex() or "-"))
        if np in (PL_SK, PL_SKF):
            break
        np, off = nxt, off + plen
    lines.append("reply: payloads %s" % (" ".join(names) or "-"))
    return lines + notes


def receive(sock, natt, wait, first_only=False):
    """replies until wait seconds pass (0.5 s after the first one); returns them"""
    got = []
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            break
        d, _ = sock.recvfrom(65535)
        if natt:
            if d[:4] != NON_ESP_MARKER:
                continue
            d = d[4:]
        got.append(d)
        if first_only:
            break
        end = min(end, time.monotonic() + 0.5)
    return got


# --- main -----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["garbage", "truncated", "length-lie", "version", "init",
                                     "unknown-spi", "skf"])
    ap.add_argument("--to", default="192.0.2.23", help="responder address")
    ap.add_argument("--port", type=int, default=500)
    ap.add_argument("--sport", type=int, default=0, help="source port (0: ephemeral)")
    ap.add_argument("--natt", action="store_true", help="prepend the non-ESP marker")
    ap.add_argument("--wait", type=float, default=2.0, help="seconds to wait for replies")
    ap.add_argument("--size", type=int, default=64, help="garbage / ciphertext octets")
    ap.add_argument("--delta", type=int, default=100, help="length-lie: Length - real length")
    ap.add_argument("--major", type=int, default=3, help="version: major version")
    ap.add_argument("--dh", type=int, action="append", help="KE transform(s) proposed (default 31)")
    ap.add_argument("--ke-group", type=int, default=31, help="group of the KE payload")
    ap.add_argument("--frag", action="store_true", help="init: IKEV2_FRAGMENTATION_SUPPORTED")
    ap.add_argument("--intermediate", action="store_true",
                    help="init: INTERMEDIATE_EXCHANGE_SUPPORTED")
    ap.add_argument("--critical", type=int, help="init: an unknown payload of this type, critical")
    ap.add_argument("--noncritical", type=int, help="init: an unknown payload of this type")
    ap.add_argument("--response", action="store_true", help="version, init: a response")
    ap.add_argument("--chain-lie", action="store_true",
                    help="init: the last payload's Length overruns the message by 8")
    ap.add_argument("--count", type=int, default=1, help="init: requests, skf: fragments to send")
    ap.add_argument("--total", type=int, default=65535, help="skf: Total Fragments")
    ap.add_argument("--msgid", type=int, default=1, help="unknown-spi, skf: message ID")
    ap.add_argument("--half-open", action="store_true",
                    help="skf: first create a half-open IKE SA with `init --frag`, use its SPIs")
    ap.add_argument("--interval", type=float, default=0.0005, help="seconds between datagrams")
    a = ap.parse_args()
    a.dh = a.dh or [31]

    fam = socket.AF_INET6 if ":" in a.to else socket.AF_INET
    sock = socket.socket(fam, socket.SOCK_DGRAM)
    sock.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    sock.connect((a.to, a.port))
    src = sock.getsockname()

    spi_i, spi_r = os.urandom(8), os.urandom(8)
    if a.kind == "garbage":
        g = bytearray(os.urandom(a.size))
        if len(g) > 17:
            g[17] = 0x20
        msgs = [bytes(g)]
    elif a.kind == "truncated":
        msgs = [sa_init_request(a, spi_i)[:20]]
    elif a.kind == "length-lie":
        msgs = [sa_init_request(a, spi_i, delta=a.delta)]
    elif a.kind == "version":
        m = bytearray(sa_init_request(a, spi_i, version=(a.major & 15) << 4))
        if a.response:
            m[19] = FLAG_R
        msgs = [bytes(m)]
    elif a.kind == "init":
        msgs = [sa_init_request(a, spi_i)] + [sa_init_request(a, os.urandom(8))
                                              for _ in range(a.count - 1)]
        if a.response:
            msgs = [m[:8] + os.urandom(8) + m[16:19] + bytes([FLAG_R]) + m[20:] for m in msgs]
    elif a.kind == "unknown-spi":
        msgs = [sk_message(spi_i, spi_r, IKE_AUTH, a.msgid, a.size) for _ in range(a.count)]
    else:
        if a.half_open:
            a.frag = True
            sock.send((NON_ESP_MARKER if a.natt else b"") + sa_init_request(a, spi_i))
            rep = receive(sock, a.natt, max(a.wait, 2.0), first_only=True)
            if not rep or len(rep[0]) < HDR_LEN or rep[0][16] != PL_SA:
                print("half-open: no IKE_SA_INIT response with an SA payload")
                for d in rep:
                    print("\n".join(describe(d, (spi_i,))))
                return 1
            spi_r = rep[0][8:16]
            print("half-open: IKE SA %s/%s" % (spi_i.hex(), spi_r.hex()))
        msgs = [skf_message(spi_i, spi_r, IKE_AUTH, a.msgid, n, a.total, a.size)
                for n in range(1, a.count + 1)]

    octets = 0
    for i, m in enumerate(msgs):
        if a.natt:
            m = NON_ESP_MARKER + m
        try:
            sock.send(m)
        except OSError as e:
            print("send failed: %s" % e)
            return 1
        octets += len(m)
        if i + 1 < len(msgs) and a.interval > 0:
            time.sleep(a.interval)
    print("sent %d datagram(s), %d octets, from %s:%d to %s:%d (%s)" % (
        len(msgs), octets, src[0], src[1], a.to, a.port, a.kind))
    sys.stdout.flush()
    if a.wait <= 0:
        return 0
    rep = receive(sock, a.natt, a.wait)
    ours = set(m[:8] for m in msgs)
    for d in rep:
        print("\n".join(describe(d, ours)))
    print("replies: %d" % len(rep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
