#!/usr/bin/python3
"""testing/uml/agent.py -- the command agent inside a UML guest (python3, stdlib only).

guest-init execs this as PID 1 once the guest is set up.  It listens on TCP
ADDR:PORT of the guest's management interface (a bridge of its own on the host,
never the captured data bridges) and serves one request per connection:

  request:  one JSON line  {"op": ..., ...}
  response: one JSON line  {"rc": N, "len": L, ...}  then L octets of output

ops
  ping                              -> rc 0
  run    cmd env timeout            bash -c CMD in a session of its own, stdin
                                    /dev/null, stdout+stderr to a file in /run;
                                    waits for bash to exit (not for EOF, so a
                                    command may leave something in the
                                    background), kills the session after
                                    TIMEOUT s (rc 124, as timeout(1)); returns
                                    the exit status (128+N when killed by
                                    signal N) and the output
  spawn  name argv env stdout stderr  start a daemon, remembered by NAME
  signal name sig                   send a signal to it
  alive  name                       rc 0 while it runs, 1 once it has exited
  reap   name timeout               wait for its exit; rc = its status, or
                                    rc -1 when it still runs after TIMEOUT
  killall                           SIGKILL every process but this one (the
                                    guest is ours alone; between scenarios)

As PID 1 it reaps every process of the guest: one thread waits for any child
and records the status of the ones it started.
"""
import itertools
import json
import os
import signal
import socketserver
import sys
import threading
import time

LOCK = threading.Condition()
STATUS = {}        # pid we started -> exit status (None while running)
DAEMONS = {}       # name -> pid
SPAWNED = threading.Event()
SEQ = itertools.count(1)    # output file names (next() is atomic)
# Python ignores SIGPIPE and SIGXFSZ; what it starts gets the defaults back
DEFAULT_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def log(msg):
    sys.stderr.write("agent: %s\n" % msg)
    sys.stderr.flush()


def exit_code(st):
    if os.WIFSIGNALED(st):
        return 128 + os.WTERMSIG(st)
    return os.WEXITSTATUS(st)


def reaper():
    while True:
        try:
            pid, st = os.waitpid(-1, 0)
        except ChildProcessError:
            SPAWNED.wait(1.0)
            SPAWNED.clear()
            continue
        with LOCK:
            if pid in STATUS:
                STATUS[pid] = exit_code(st)
                LOCK.notify_all()


def spawn(argv, env, out, err=None):
    """posix_spawn with stdin /dev/null and stdout/stderr to files, in a new session"""
    acts = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    if err is None or err == out:
        acts.append((os.POSIX_SPAWN_DUP2, 1, 2))
    else:
        acts.append((os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
    with LOCK:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=acts, setsid=True,
                             setsigdef=DEFAULT_SIGNALS)
        STATUS[pid] = None
    SPAWNED.set()
    return pid


def wait_pid(pid, timeout):
    """exit status, or None if still running after timeout seconds"""
    end = time.monotonic() + timeout
    with LOCK:
        while STATUS.get(pid) is None:
            left = end - time.monotonic()
            if left <= 0:
                return None
            LOCK.wait(left)
        return STATUS.pop(pid)


def op_run(req):
    out = "/run/agent/out.%d" % next(SEQ)
    env = dict(req.get("env") or {})
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    pid = spawn(["/bin/bash", "-c", req["cmd"]], env, out)
    rc = wait_pid(pid, float(req.get("timeout", 30)))
    if rc is None:
        for sig, grace in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                pass
            if wait_pid(pid, grace) is not None:
                break
        rc = 124
    try:
        with open(out, "rb") as f:
            data = f.read()
        os.unlink(out)
    except OSError:
        data = b""
    return {"rc": rc}, data


def op_spawn(req):
    name = req["name"]
    old = DAEMONS.get(name)
    if old is not None and STATUS.get(old, 0) is None:
        return {"rc": 1}, b"%s is running (pid %d)\n" % (name.encode(), old)
    env = dict(req.get("env") or {})
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    try:
        pid = spawn(req["argv"], env, req["stdout"], req.get("stderr"))
    except OSError as e:
        return {"rc": 1}, ("spawn %s: %s\n" % (req["argv"][0], e)).encode()
    DAEMONS[name] = pid
    return {"rc": 0, "pid": pid}, b""


def daemon(req):
    pid = DAEMONS.get(req["name"])
    if pid is None:
        raise KeyError("no daemon %s" % req["name"])
    return pid


def op_signal(req):
    pid = daemon(req)
    with LOCK:
        if STATUS.get(pid, 0) is None:
            os.kill(pid, int(req.get("sig", signal.SIGTERM)))
    return {"rc": 0}, b""


def op_alive(req):
    pid = daemon(req)
    with LOCK:
        return {"rc": 0 if pid in STATUS and STATUS[pid] is None else 1}, b""


def op_reap(req):
    name = req["name"]
    pid = daemon(req)
    rc = wait_pid(pid, float(req.get("timeout", 0)))
    if rc is None:
        return {"rc": -1}, b""
    del DAEMONS[name]
    return {"rc": rc}, b""


def op_killall(req):
    me = os.getpid()
    n = 0
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
            # kernel threads: no command line, and children of kthreadd (pid 2)
            ppid = int(st.rsplit(")", 1)[1].split()[1])
            if int(d) == 2 or ppid == 2:
                continue
            os.kill(int(d), signal.SIGKILL)
            n += 1
        except (OSError, ValueError, IndexError):
            pass
    DAEMONS.clear()
    return {"rc": 0}, b"killed %d\n" % n


OPS = {"ping": lambda req: ({"rc": 0}, b""), "run": op_run, "spawn": op_spawn,
       "signal": op_signal, "alive": op_alive, "reap": op_reap, "killall": op_killall}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            req = json.loads(self.rfile.readline())
            hdr, data = OPS[req["op"]](req)
        except Exception as e:       # a bad request must not stop the agent
            hdr, data = {"rc": 125}, ("agent: %s: %s\n" % (type(e).__name__, e)).encode()
        hdr["len"] = len(data)
        self.wfile.write(json.dumps(hdr).encode() + b"\n" + data)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    os.makedirs("/run/agent", exist_ok=True)
    threading.Thread(target=reaper, daemon=True).start()
    srv = Server((addr, port), Handler)
    log("listening on %s:%d" % (addr, port))
    srv.serve_forever()


if __name__ == "__main__":
    main()
