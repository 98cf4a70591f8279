#!/usr/bin/python3
"""testing/uml/agent-client.py -- the runner's side of agent.py (python3, stdlib only).

    agent-client.py ADDR run TIMEOUT CMD [NAME=VALUE...]   output to stdout; exit = CMD's status
    agent-client.py ADDR spawn NAME OUT ERR ARGV...          start a daemon (files are guest paths)
    agent-client.py ADDR signal NAME SIG | alive NAME | reap NAME TIMEOUT | killall | ping

Runs in the runner's network namespace (ip netns exec), where ADDR (the guest's
management address) is reachable over the management bridge.  `reap` prints the
daemon's exit status, or `running`; exit 0 when reaped.  Exit 125: no answer.
"""
import json
import socket
import sys

PORT = 7001


def call(addr, req, wait):
    s = socket.create_connection((addr, PORT), timeout=5)
    s.settimeout(wait)
    s.sendall(json.dumps(req).encode() + b"\n")
    f = s.makefile("rb")
    hdr = json.loads(f.readline())
    data = f.read(hdr["len"]) if hdr["len"] else b""
    return hdr, data


def main(argv):
    addr, op, args = argv[1], argv[2], argv[3:]
    wait = 10.0
    req = {"op": op}
    if op == "run":
        req["timeout"] = float(args[0])
        req["cmd"] = args[1]
        req["env"] = dict(a.split("=", 1) for a in args[2:])
        wait = req["timeout"] + 15
    elif op == "spawn":
        req.update(name=args[0], stdout=args[1], stderr=args[2], argv=args[3:])
    elif op == "signal":
        req.update(name=args[0], sig=int(args[1]))
    elif op == "alive":
        req.update(name=args[0])
    elif op == "reap":
        req.update(name=args[0], timeout=float(args[1]))
        wait = req["timeout"] + 10
    try:
        hdr, data = call(addr, req, wait)
    except (OSError, ValueError) as e:
        sys.stderr.write("agent-client: %s %s: %s\n" % (addr, op, e))
        return 125
    sys.stdout.buffer.write(data)
    if op == "reap":
        print("running" if hdr["rc"] == -1 else hdr["rc"])
        return 1 if hdr["rc"] == -1 else 0
    return hdr["rc"] if 0 <= hdr["rc"] <= 255 else 125


if __name__ == "__main__":
    sys.exit(main(sys.argv))
