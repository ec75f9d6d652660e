#!/bin/bash
# tests/integration/agent_ifcounters.sh: rtflow-agent's interface data
# sources end to end on loopback. The fixture is tests/data/proc/ifc1
# copied to a temporary root, plus two devices made here: big0 (ifIndex
# 2^24 + 84, so its samples must be the expanded 0:4 form) and loop7 (type
# 772, loopback under another name). With polling=1 for ~3 s, rtflow-dump
# -p -j must show, for every fixture device with a valid ifindex but the
# loopbacks (lo, loop7) and bad0 (ifindex "notanumber"), counter samples
# with sourceId 0:<ifindex>, records 0:1 and 0:1005 only, ifIndex, ifSpeed,
# ifInOctets and ifName equal to values computed here from the fixture
# files, and sample sequence numbers 1, 2, ... per data source.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary agent_ifcounters <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
FIXTURE=tests/data/proc/ifc1

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ] || [ ! -d "$FIXTURE/sys/class/net" ]; then
	echo "agent_ifcounters: missing $BUILD/rtflow-agent, $BUILD/rtflow-dump or $FIXTURE"
	echo "summary agent_ifcounters 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$FIXTURE" <<'PYEOF'
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, wait_until, start, stop

build, fixture = sys.argv[1], sys.argv[2]
agent_bin, dump_bin = build + "/rtflow-agent", build + "/rtflow-dump"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_ifcounters.")
root = os.path.join(tmp, "root")
net = os.path.join(root, "sys/class/net")
ALL64 = str(2**64 - 1)

def bound(port):
    try:
        with open("/proc/net/udp") as f:
            return any(l.split()[1].endswith(":%04X" % port) for l in f.readlines()[1:])
    except OSError:
        return False

def put(dev, rel, text):
    path = os.path.join(net, dev, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "\n")

def make_root():
    shutil.copytree(os.path.join(fixture, "sys"), os.path.join(root, "sys"), symlinks=True)
    put("big0", "ifindex", "16777300")
    put("big0", "type", "1")
    put("big0", "speed", "25000")
    put("big0", "statistics/rx_bytes", "4242424242")
    put("loop7", "ifindex", "77")
    put("loop7", "type", "772")
    put("loop7", "statistics/rx_bytes", "7")

def text(dev, rel):
    try:
        with open(os.path.join(net, dev, rel)) as f:
            return f.read().strip()
    except OSError:
        return None

def number(s):
    try:
        return int(s)
    except (TypeError, ValueError):
        return None

def expected():
    """ifIndex -> the fields the agent must send, from the fixture files."""
    exp, skipped = {}, []
    for dev in sorted(os.listdir(net)):
        idx = number(text(dev, "ifindex"))
        if idx is None or idx <= 0 or dev == "lo" or text(dev, "type") == "772":
            skipped.append(dev)
            continue
        speed = number(text(dev, "speed"))
        rx = number(text(dev, "statistics/rx_bytes"))
        exp[idx] = {"ifIndex": str(idx), "ifName": dev,
                    "ifSpeed": str(speed * 1000000 if speed is not None and speed >= 0 else 0),
                    "ifInOctets": str(rx) if rx is not None else ALL64}
    return exp, skipped

def interface_samples(path):
    """[(sourceId, sampleType_tag, seq, tags, merged fields)] of class-0 sources."""
    out = []
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8", "replace").splitlines()
    for line in lines:
        try:
            d = json.loads(line)
        except ValueError:
            continue
        for s in d.get("samples", []):
            if not str(s.get("sourceId", "")).startswith("0:"):
                continue
            fields = {}
            for e in s.get("elements", []):
                fields.update(e)
            tags = [e.get("counterBlock_tag") for e in s.get("elements", [])]
            out.append((s["sourceId"], s.get("sampleType_tag"), int(s["sampleSequenceNo"]),
                        tags, fields))
    return out

def check_source(idx, want, samples):
    src = "0:%d" % idx
    mine = [s for s in samples if s[0] == src]
    seqs = [s[2] for s in mine]
    check(len(mine) >= 2 and seqs == list(range(1, len(seqs) + 1)),
          "%s (%s): sequence 1, 2, ... (%s)" % (src, want["ifName"], seqs))
    if not mine:
        return
    form = "0:2" if idx < 2**24 else "0:4"
    check(all(s[1] == form for s in mine), "%s: samples are %s" % (src, form))
    check(all(sorted(s[3]) == ["0:1", "0:1005"] for s in mine),
          "%s: records 0:1 and 0:1005 (%s)" % (src, mine[0][3]))
    f = mine[-1][4]
    for k, v in sorted(want.items()):
        check(f.get(k) == v, "%s: %s = %s (got %s)" % (src, k, v, f.get(k)))

def main():
    make_root()
    exp, skipped = expected()
    check(sorted(skipped) == ["bad0", "lo", "loop7"] and len(exp) >= 5,
          "fixture: %d interfaces, skipped %s" % (len(exp), skipped))
    port = free_port()
    conf = os.path.join(tmp, "agent.conf")
    with open(conf, "w") as f:
        f.write("sflow {\n  polling = 1\n  collector {\n    ip = 127.0.0.1\n"
                "    udpport = %d\n  }\n}\n" % port)
    dump, out, _ = start([dump_bin, "-p", str(port), "-4", "-j"], "dump")
    check(wait_until(lambda: bound(port), 5), "rtflow-dump listening")
    agent, _, aerr = start([agent_bin, "-d", "-f", conf, "--root", root], "agent")
    time.sleep(3.4)
    agent.send_signal(signal.SIGUSR1)
    time.sleep(0.3)
    rc = stop(agent)
    time.sleep(0.3)
    stop(dump)
    check(rc == 0, "agent: SIGTERM exit 0 (got %s)" % rc)
    samples = interface_samples(out)
    for idx in sorted(exp):
        check_source(idx, exp[idx], samples)
    names = {s[4].get("ifName") for s in samples}
    for dev in skipped:
        check(dev not in names, "%s sends no sample" % dev)
    srcs = {s[0] for s in samples}
    check(srcs == {"0:%d" % i for i in exp}, "exactly the expected sources (%s)" % sorted(srcs))
    with open(aerr) as f:
        log = f.read()
    check(("interfaces %d if_excess 0" % len(exp)) in log,
          "SIGUSR1 logs %d interfaces, no excess" % len(exp))

try:
    main()
finally:
    for p in children:
        stop(p)
    shutil.rmtree(tmp, ignore_errors=True)
print("summary agent_ifcounters %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
