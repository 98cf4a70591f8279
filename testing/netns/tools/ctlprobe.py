#!/usr/bin/env python3
"""ctlprobe.py -- misbehaving clients of pluto's control socket, for the netns
scenario ctl-socket (testing/netns/README.md).  Python 3 standard library only.

    ctlprobe.py nonroot SOCK                 connect as uid/gid 65534, send "status"
    ctlprobe.py half SOCK [-- CMD...]        send "stat" without the newline and wait;
                                             CMD (e.g. whack --status) runs meanwhile
    ctlprobe.py idle SOCK N [-- CMD...]      hold N connections that send nothing;
                                             CMD runs while they are open
    ctlprobe.py send SOCK TEXT               send TEXT (Python escapes, e.g. \\x00)

Each prints what happened in one or more lines starting with the subcommand's name;
pluto's answers are printed as received, "=rc N" included."""
import os
import socket
import subprocess
import sys
import time

ANSWER_WAIT = 20	# seconds to wait for pluto's answer


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def answer(s, wait=ANSWER_WAIT):
    """everything pluto sends until it closes (or wait seconds pass)"""
    s.settimeout(wait)
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            data += b
    except socket.timeout:
        data += b"<no close within %ds>" % wait
    except OSError as e:
        data += b"<%s>" % str(e).encode()
    return data.decode(errors="replace")


def show(tag, text):
    for line in text.splitlines() or [""]:
        print("%s: %s" % (tag, line))


def run_during(tag, cmd):
    if not cmd:
        return
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    show(tag + " output", p.stdout.decode(errors="replace"))
    print("%s: '%s' exit %d in %.1fs" % (tag, " ".join(cmd), p.returncode, time.monotonic() - t0))


def nonroot(path):
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        try:
            s = connect(path)
        except OSError as e:
            print("nonroot: uid %d: connect: %s" % (os.getuid(), e.strerror))
            sys.stdout.flush()
            os._exit(0)
        try:
            s.sendall(b"status\n")
        except OSError:
            pass	# pluto may refuse (and close) before the command is out
        show("nonroot: uid %d" % os.getuid(), answer(s))
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)


def half(path, cmd):
    s = connect(path)
    s.sendall(b"stat")
    t0 = time.monotonic()
    run_during("half: meanwhile", cmd)
    text = answer(s)
    show("half: after %.0fs" % (time.monotonic() - t0), text)


def idle(path, n, cmd):
    socks = [connect(path) for _ in range(n)]
    time.sleep(0.5)
    run_during("idle: with %d idle connections" % n, cmd)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(4096, socket.MSG_PEEK) is not None:
                closed += 1
        except BlockingIOError:
            pass
    print("idle: %d of %d idle connections answered or closed by pluto" % (closed, n))


def send(path, text):
    s = connect(path)
    data = text.encode().decode("unicode_escape").encode("latin-1")
    try:
        s.sendall(data)
    except OSError as e:
        print("send: (pluto closed before all %d octets were sent: %s)" % (len(data), e.strerror))
    show("send", answer(s))


def main(argv):
    cmd = []
    if "--" in argv:
        i = argv.index("--")
        argv, cmd = argv[:i], argv[i + 1:]
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    what, path = argv[1], argv[2]
    if what == "nonroot":
        nonroot(path)
    elif what == "half":
        half(path, cmd)
    elif what == "idle":
        idle(path, int(argv[3]), cmd)
    elif what == "send":
        send(path, argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
