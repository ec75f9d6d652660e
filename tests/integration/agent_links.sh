#!/bin/bash
# tests/integration/agent_links.sh: rtflow-agent tracks devices and
# addresses by netlink, in a network namespace made here (deleted at the
# end, whatever happens). The agent and rtflow-dump -p -j run inside it.
# Phase 1, polling=30 (so only netlink can make a data source show up in
# time): a veth pair created while the agent runs shows up as 0:<ifIndex>
# sources within 3 s with the names and ifIndexes `ip -j link` reports;
# renaming one shows the new ifName within 3 s.
# Phase 2, SIGHUP to polling=1: the agent address in the datagrams follows
# §5 of host-sflow.md as addresses are added and removed (expected winners
# worked out by hand in the comments), the datagram sequence restarts at 1
# on each change; agent.cidr given by SIGHUP changes the winner; deleting
# the veth pair stops both data sources.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary agent_links <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "agent_links: missing $BUILD/rtflow-agent or $BUILD/rtflow-dump"
	echo "summary agent_links 0 1"
	exit 1
fi
if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1; then
	echo "agent_links: needs root and ip netns"
	echo "summary agent_links 0 1"
	exit 1
fi

exec python3 - "$BUILD" <<'PYEOF'
import json, os, re, shutil, signal, subprocess, sys, tempfile, time

build = sys.argv[1]
agent_bin, dump_bin = build + "/rtflow-agent", build + "/rtflow-dump"
stats = {"passed": 0, "failed": 0}
children = []
tmp = tempfile.mkdtemp(prefix="agent_links.")
NS = "rtfl_links_%d" % os.getpid()
PORT = 6343

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg)

def sh(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=10)

def nsrun(*args):
    return sh("ip", "netns", "exec", NS, *args)

def start(args, name):
    out = open(os.path.join(tmp, name + ".out"), "wb")
    err = open(os.path.join(tmp, name + ".err"), "wb")
    p = subprocess.Popen(["ip", "netns", "exec", NS] + args, stdout=out, stderr=err)
    children.append(p)
    return p, out.name, err.name

def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait(timeout=5)

def wait_until(cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()

class Dump:
    def __init__(self, path):
        self.path = path
    def size(self):
        return os.path.getsize(self.path)
    def datagrams(self, since=0):
        with open(self.path, "rb") as f:
            f.seek(since)
            text = f.read().decode("utf-8", "replace")
        out = []
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out
    def samples(self, since=0):
        for d in self.datagrams(since):
            for s in d.get("samples", []):
                fields = {}
                for e in s.get("elements", []):
                    fields.update(e)
                yield s.get("sourceId"), fields

def ifindex(dev):
    r = sh("ip", "-n", NS, "-j", "link", "show", "dev", dev)
    return json.loads(r.stdout)[0]["ifindex"] if r.returncode == 0 else None

def write_conf(path, polling, extra=""):
    with open(path, "w") as f:
        f.write("sflow {\n  polling = %d\n%s  collector { ip = 127.0.0.1 udpport = %d }\n}\n"
                % (polling, extra, PORT))

def source_named(dump, idx, name, since):
    return any(src == "0:%d" % idx and f.get("ifName") == name for src, f in dump.samples(since))

def check_ethtool(dump, idx, dev):
    """ifSpeed/ifDirection of dev against `ethtool dev` and /sys, read here."""
    out = nsrun("ethtool", dev).stdout
    speed = re.search(r"Speed: (\d+)Mb/s", out)
    duplex = re.search(r"Duplex: (\w+)", out)
    sys_speed = nsrun("cat", "/sys/class/net/%s/speed" % dev).stdout.strip()
    check(speed is not None and duplex is not None and speed.group(1) == sys_speed,
          "ethtool %s: %s Mb/s %s, /sys speed %s" % (dev, speed and speed.group(1),
                                                     duplex and duplex.group(1), sys_speed))
    if not speed or not duplex:
        return
    want_speed = str(int(speed.group(1)) * 1000000)
    want_dir = {"Full": "1", "Half": "2"}.get(duplex.group(1), "0")
    got = [f for src, f in dump.samples(0) if src == "0:%d" % idx]
    check(bool(got) and got[-1].get("ifSpeed") == want_speed and got[-1].get("ifDirection") == want_dir,
          "0:%d ifSpeed %s ifDirection %s as ethtool says (got %s %s)"
          % (idx, want_speed, want_dir, got and got[-1].get("ifSpeed"),
             got and got[-1].get("ifDirection")))

def phase1(dump, conf, t0):
    sh("ip", "-n", NS, "link", "add", "vA", "type", "veth", "peer", "name", "vB")
    sh("ip", "-n", NS, "link", "set", "vA", "up")
    sh("ip", "-n", NS, "link", "set", "vB", "up")
    a, b = ifindex("vA"), ifindex("vB")
    check(a is not None and b is not None, "veth pair vA/vB made (ifIndex %s, %s)" % (a, b))
    ok = wait_until(lambda: source_named(dump, a, "vA", 0) and source_named(dump, b, "vB", 0), 3)
    check(ok, "polling=30: 0:%s vA and 0:%s vB appear within 3 s of creation" % (a, b))
    check_ethtool(dump, a, "vA")
    mark = dump.size()
    sh("ip", "-n", NS, "link", "set", "vB", "down")
    sh("ip", "-n", NS, "link", "set", "vB", "name", "vC")
    check(ifindex("vC") == b, "ip link: vB renamed vC, same ifIndex")
    check(wait_until(lambda: source_named(dump, b, "vC", mark), 3),
          "rename: 0:%s reports ifName vC within 3 s" % b)
    sh("ip", "-n", NS, "link", "set", "vC", "up")
    return a, b

def agent_is(dump, addr, since):
    ds = dump.datagrams(since)
    return bool(ds) and ds[-1].get("agent") == addr

def expect_agent(dump, addr, why):
    mark = dump.size()
    ok = wait_until(lambda: agent_is(dump, addr, mark), 4)
    ds = [d for d in dump.datagrams(mark) if d.get("agent") == addr]
    got = dump.datagrams(mark)[-1].get("agent") if dump.datagrams(mark) else None
    check(ok, "agent address %s: %s (last seen %s)" % (addr, why, got))
    return ds

def phase2(dump, agent, conf, a, b):
    write_conf(conf, 1)
    agent.send_signal(signal.SIGHUP)
    # Only lo's 127.0.0.1 (LOOPBACK4) and ::1 (LOOPBACK6, lower): IPv6 is
    # off on the veths, so they have no link-local address.
    expect_agent(dump, "127.0.0.1", "only loopback addresses: LOOPBACK4 beats LOOPBACK6")
    sh("ip", "-n", NS, "addr", "add", "10.9.9.1/24", "dev", "vC")
    ds = expect_agent(dump, "10.9.9.1", "IP4_RFC1918 beats LOOPBACK4")
    seqs = [int(d["packetSequenceNo"]) for d in ds]
    check(seqs[:1] == [1], "new agent address: datagram sequence restarts at 1 (%s)" % seqs[:3])
    sh("ip", "-n", NS, "addr", "add", "198.18.7.1/24", "dev", "vA")
    expect_agent(dump, "198.18.7.1", "global IP4 beats IP4_RFC1918")
    write_conf(conf, 1, "  agent.cidr = 10.0.0.0/8\n")
    agent.send_signal(signal.SIGHUP)
    expect_agent(dump, "10.9.9.1", "SIGHUP with agent.cidr = 10.0.0.0/8: +13 beats the class")
    write_conf(conf, 1, "  agent = vA\n  agent.cidr = !198.18.0.0/15\n")
    agent.send_signal(signal.SIGHUP)
    expect_agent(dump, "10.9.9.1", "agent = vA but its only address excluded by !cidr")
    write_conf(conf, 1, "  agent = vA\n")
    agent.send_signal(signal.SIGHUP)
    expect_agent(dump, "198.18.7.1", "agent = vA")
    sh("ip", "-n", NS, "addr", "del", "198.18.7.1/24", "dev", "vA")
    expect_agent(dump, "10.9.9.1", "198.18.7.1 deleted: back to the RFC1918 address")
    sh("ip", "-n", NS, "link", "del", "vA")
    check(ifindex("vA") is None and ifindex("vC") is None, "ip link: veth pair deleted")
    time.sleep(1.5)  # a datagram in flight may still carry them
    mark = dump.size()
    time.sleep(3)
    gone = {"0:%d" % a, "0:%d" % b}
    late = [src for src, _ in dump.samples(mark) if src in gone]
    others = [src for src, _ in dump.samples(mark)]
    check(others and not late, "deleted devices: no samples of %s in 3 s at polling=1 (%d samples)"
          % (sorted(gone), len(others)))
    expect_agent(dump, "127.0.0.1", "all veth addresses gone: loopback again")

def main():
    r = sh("ip", "netns", "add", NS)
    if r.returncode != 0:
        check(False, "ip netns add: " + r.stderr.strip())
        return
    sh("ip", "-n", NS, "link", "set", "lo", "up")
    nsrun("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1")
    conf = os.path.join(tmp, "agent.conf")
    write_conf(conf, 30)
    dp, dout, _ = start([dump_bin, "-p", str(PORT), "-4", "-j"], "dump")
    time.sleep(0.3)
    agent, _, aerr = start([agent_bin, "-d", "-f", conf], "agent")
    time.sleep(1.0)
    dump = Dump(dout)
    a, b = phase1(dump, conf, time.time())
    phase2(dump, agent, conf, a, b)
    check(agent.poll() is None, "agent still running")
    check(stop(agent) == 0, "agent exits 0 on SIGTERM")
    stop(dp)
    with open(aerr) as f:
        log = f.read()
    check("links: agent address 10.9.9.1" in log, "election logged")
    if stats["failed"]:
        print(log[-3000:])

try:
    main()
finally:
    for p in children:
        stop(p)
    sh("ip", "netns", "del", NS)
    shutil.rmtree(tmp, ignore_errors=True)
print("summary agent_links %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
