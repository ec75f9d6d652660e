"""tests/integration/agent_lib.py: helpers shared by the agent_*.sh tests.

The pass/fail tally with check() and the summary line, free UDP ports on
loopback, bounded waits, and child processes started with their output in
the test's scratch directory and stopped by PID (never anything the test
did not start). A script calls init(prefix) once for its scratch directory
and reads `stats`, `children` and that directory from here. Standard
library only.
"""

import os
import signal
import socket
import subprocess
import tempfile
import time

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
    print(("ok   " if ok else "FAIL ") + msg)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(cond, seconds):
    """True once cond() holds, polled every 20 ms for at most `seconds`."""
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def start(args, name):
    """Start args with stdout/stderr in tmp/name.out and .err."""
    out = open(os.path.join(tmp, name + ".out"), "wb")
    err = open(os.path.join(tmp, name + ".err"), "wb")
    p = subprocess.Popen(args, stdout=out, stderr=err)
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
