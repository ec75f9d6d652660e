"""tests/integration/testlib.py: helpers shared by the integration tests.

The pass/fail tally with check() and the summary line, free UDP or TCP
ports on loopback, bounded waits, child processes started with their output
in the test's scratch directory and stopped by PID (never anything the test
did not start), and JSON requests to the analyzer's REST API. A script
calls init(prefix) once for its scratch directory and reads `stats`,
`children` and that directory from here. Standard library only.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

stats = {"passed": 0, "failed": 0}
children = []
tmp = None


def init(prefix):
    """Make the scratch directory (mode 0700) and return its path."""
    global tmp
    tmp = tempfile.mkdtemp(prefix=prefix)
    return tmp


def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg, flush=True)


def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(cond, seconds, every=0.02):
    """True once cond() holds, polled every `every` s for at most `seconds`."""
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(every)
    return cond()


def start(args, name, env=None):
    """Start args (with environment env, else ours) with stdout/stderr in
    tmp/name.out and .err."""
    out = open(os.path.join(tmp, name + ".out"), "wb")
    err = open(os.path.join(tmp, name + ".err"), "wb")
    p = subprocess.Popen(args, stdout=out, stderr=err, env=env)
    children.append(p)
    return p, out.name, err.name


def stop(p, sig=signal.SIGTERM):
    """Send sig unless p has exited; its exit status (killed after 5 s)."""
    if p.poll() is None:
        p.send_signal(sig)
    try:
        return p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait(timeout=5)


def request(port, method, path, body=None, timeout=10):
    """(status, body as JSON, else text, else None) of a request to
    127.0.0.1:port; status 0 when nothing answers."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    except OSError:
        return 0, None
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


def summary(name):
    """Kill what is still running, drop the scratch directory, print the
    summary line; the exit status."""
    for p in children:
        if p.poll() is None:
            p.kill()
            p.wait()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    print("summary %s %d %d" % (name, stats["passed"], stats["failed"]))
    return 1 if stats["failed"] else 0


def flowgen(gen, name, args):
    """A capture from tests/bench/tools/sflow_flowgen (binary gen) in tmp;
    its path and how many datagrams it holds (with -w's marker)."""
    path = os.path.join(tmp, name + ".pcap")
    out = subprocess.run([gen, "-o", path] + args, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise SystemExit("sflow_flowgen failed: " + out.stderr)
    return path, int(out.stdout.split()[5]) + ("-w" in args)


class Analyzer:
    """rtflow-analyzer (binary) replaying pcap at `speed` on free ports,
    2 workers, extra -D arguments; `up` once it answers HTTP."""

    def __init__(self, binary, pcap, speed, extra=()):
        self.http = free_port(socket.SOCK_STREAM)
        self.p, _, _ = start([binary, "-Dhttp.port=%d" % self.http,
                              "-Dsflow.port=%d" % free_port(), "-Dsflow.file=" + pcap,
                              "-Dsflow.file.speed=%g" % speed, "-Dworkers.number=2"] + list(extra),
                             "analyzer.%d" % self.http)
        self.up = wait_until(lambda: request(self.http, "GET", "/version")[0] == 200, 10)

    def get(self, path):
        return request(self.http, "GET", path)

    def put(self, path, body):
        return request(self.http, "PUT", path, body)

    def received(self):
        st, j = self.get("/analyzer/json")
        return j.get("sFlowDatagramsReceived", 0) if st == 200 else -1

    def stop(self):
        return stop(self.p)
