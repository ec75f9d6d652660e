#!/bin/bash
# tests/integration/agent_privs_netns.sh: collector { namespace=NAME }.
# Two network namespaces made here (deleted at the end): the receiver,
# rtflow-dump on 127.0.0.1 inside namespace 1, can only be reached by a
# socket living in that namespace (its loopback is its own). The agent
# runs in the host namespace, drops privileges after setup, and:
# - its datagrams reach the receiver in namespace 1 (and a second
#   collector on the host's loopback);
# - after SIGHUP with a changed polling interval they still do (the open
#   namespace socket is reused: setns is no longer allowed);
# - a SIGHUP that adds a collector in namespace 2 is refused with a reason
#   that says why, and the running config goes on;
# - an agent whose collector names a namespace that does not exist exits 1
#   naming /var/run/netns/<name>.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary agent_privs_netns <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ] || [ "$(id -u)" != 0 ]; then
	echo "agent_privs_netns: needs root, $BUILD/rtflow-agent and $BUILD/rtflow-dump"
	echo "summary agent_privs_netns 0 1"
	exit 1
fi

exec python3 - "$BUILD" <<'PYEOF'
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, wait_until, start, stop

build = sys.argv[1]
agent_bin, dump_bin = build + "/rtflow-agent", build + "/rtflow-dump"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_privs_netns.")
NS1, NS2 = "rtfl_ns1_%d" % os.getpid(), "rtfl_ns2_%d" % os.getpid()
NSPORT = 6343

def sh(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=10)

def count(path):
    n = 0
    with open(path, "rb") as f:
        for line in f.read().decode("utf-8", "replace").splitlines():
            try:
                json.loads(line)
                n += 1
            except ValueError:
                pass
    return n

def read(path):
    with open(path) as f:
        return f.read()

def write_conf(path, polling, host_port, extra=""):
    with open(path, "w") as f:
        f.write("sflow {\n  polling = %d\n  agentIP = 192.0.2.55\n"
                "  collector { ip = 127.0.0.1 udpport = %d namespace = %s }\n"
                "  collector { ip = 127.0.0.1 udpport = %d }\n%s}\n"
                % (polling, NSPORT, NS1, host_port, extra))

def main():
    for ns in (NS1, NS2):
        r = sh("ip", "netns", "add", ns)
        if r.returncode != 0:
            check(False, "ip netns add %s: %s" % (ns, r.stderr.strip()))
            return
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    hport = free_port()
    conf = os.path.join(tmp, "agent.conf")
    write_conf(conf, 1, hport)
    d1, out1, _ = start(["ip", "netns", "exec", NS1, dump_bin, "-p", str(NSPORT), "-4", "-j"], "ns1")
    dh, outh, _ = start([dump_bin, "-p", str(hport), "-4", "-j"], "host")
    time.sleep(0.4)
    agent, _, aerr = start([agent_bin, "-d", "-f", conf], "agent")
    check(wait_until(lambda: count(out1) >= 2, 5),
          "datagrams reach the receiver inside %s (%d)" % (NS1, count(out1)))
    check(count(outh) >= 1, "and the collector on the host's loopback (%d)" % count(outh))
    check("privileges: running as" in read(aerr), "privileges dropped after setup")
    write_conf(conf, 2, hport)
    agent.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    n = count(out1)
    check(wait_until(lambda: count(out1) >= n + 1, 5) and "reload: " in read(aerr),
          "after SIGHUP (privileges dropped) the namespace socket still delivers")
    write_conf(conf, 2, hport,
               "  collector { ip = 127.0.0.1 udpport = %d namespace = %s }\n" % (NSPORT, NS2))
    agent.send_signal(signal.SIGHUP)
    check(wait_until(lambda: "restart the agent to add a namespace" in read(aerr), 4),
          "a new namespace at reload is refused with the reason")
    n = count(out1)
    check(wait_until(lambda: count(out1) >= n + 1, 5), "the running config goes on")
    check(stop(agent) == 0, "SIGTERM: exit 0")
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("sflow {\n  collector { ip = 127.0.0.1 namespace = rtfl_missing_ns }\n}\n")
    r = subprocess.run([agent_bin, "-d", "-f", bad], capture_output=True, timeout=10)
    check(r.returncode == 1 and b"/var/run/netns/rtfl_missing_ns" in r.stderr,
          "missing namespace: exit 1 naming it")
    stop(d1)
    stop(dh)

try:
    main()
finally:
    for p in children:
        stop(p)
    for ns in (NS1, NS2):
        sh("ip", "netns", "del", ns)
    shutil.rmtree(tmp, ignore_errors=True)
print("summary agent_privs_netns %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
