#!/bin/bash
# tests/integration/agent_counters.sh: rtflow-agent end to end on loopback.
# - --check: a good config exits 0 and prints its settings; a bad one exits
#   2 with the parser's "file:line: reason" line, as does the agent itself;
# - the agent (polling=1, --root tests/data/proc/case1) sends datagrams that
#   rtflow-dump -p -j decodes: agent address and sub-agent as configured,
#   datagram sequence numbers up by 1, 2:1 counter samples numbered up by 1
#   whose hostname, os_release, mem_total, cpu_num, udpInDatagrams ... equal
#   values computed here from the fixture files;
# - SIGHUP with a changed collector port moves the datagrams there and the
#   datagram sequence goes on;
# - with the collector port closed the agent keeps running, answers SIGUSR1
#   with its counters and exits 0 on SIGTERM.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary agent_counters <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
FIXTURE=tests/data/proc/case1

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ] || [ ! -f "$FIXTURE/proc/stat" ]; then
	echo "agent_counters: missing $BUILD/rtflow-agent, $BUILD/rtflow-dump or $FIXTURE"
	echo "summary agent_counters 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$FIXTURE" <<'PYEOF'
import json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, wait_until, start, stop

build, fixture = sys.argv[1], sys.argv[2]
agent_bin, dump_bin = build + "/rtflow-agent", build + "/rtflow-dump"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_counters.")

def bound(port):
    for table in ("udp", "udp6"):
        try:
            with open("/proc/net/" + table) as f:
                if any(l.split()[1].endswith(":%04X" % port) for l in f.readlines()[1:]):
                    return True
        except OSError:
            pass
    return False

def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")

def write_conf(path, port, extra=""):
    with open(path, "w") as f:
        f.write("# test config\nsflow {\n  polling = 1\n  agentIP = 192.0.2.33\n"
                "  subAgentId = 5\n%s  collector {\n    ip = 127.0.0.1\n"
                "    udpport = %d\n  }\n}\n" % (extra, port))

def fixture_text(rel):
    with open(os.path.join(fixture, rel)) as f:
        return f.read()

def expected_values():
    """The fields the agent must send, computed from the fixture text."""
    exp = {"hostname": fixture_text("proc/sys/kernel/hostname").strip(),
           "os_release": fixture_text("proc/sys/kernel/osrelease").strip()}
    for line in fixture_text("proc/meminfo").splitlines():
        k, v = line.split(":", 1)
        names = {"MemTotal": "mem_total", "MemFree": "mem_free", "SwapTotal": "swap_total"}
        if k in names:
            exp[names[k]] = str(int(v.split()[0]) * 1024)
    exp["cpu_num"] = str(sum(1 for l in fixture_text("proc/stat").splitlines()
                             if re.match(r"cpu\d+ ", l)))
    snmp = [l.split() for l in fixture_text("proc/net/snmp").splitlines()]
    for proto, fields in (("Udp:", {"InDatagrams": "udpInDatagrams", "NoPorts": "udpNoPorts",
                                    "OutDatagrams": "udpOutDatagrams"}),
                          ("Tcp:", {"InSegs": "tcpInSegs", "OutSegs": "tcpOutSegs"})):
        rows = [r for r in snmp if r and r[0] == proto]
        cols = dict(zip(rows[0][1:], rows[1][1:]))
        for col, name in fields.items():
            exp[name] = cols[col]
    return exp

def datagrams(path):
    out = []
    for line in read(path).splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out

def counter_elements(d):
    """(sampleSequenceNo, merged fields of every element) of 2:1 samples."""
    out = []
    for s in d.get("samples", []):
        if s.get("sampleType_tag") == "0:2" and s.get("sourceId") == "2:1":
            fields = {"tags": [e.get("counterBlock_tag") for e in s["elements"]]}
            for e in s["elements"]:
                fields.update(e)
            out.append((int(s["sampleSequenceNo"]), fields))
    return out

def test_check(conf_good):
    r = subprocess.run([agent_bin, "--check", "-f", conf_good], capture_output=True, timeout=10)
    check(r.returncode == 0, "--check good config exits 0 (got %d)" % r.returncode)
    check(b"udpport = " in r.stdout and b"polling = 1" in r.stdout,
          "--check prints the effective settings")
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("sflow {\n  polling = 1\n  pollingz = 3\n}\n")
    r = subprocess.run([agent_bin, "--check", "-f", bad], capture_output=True, timeout=10)
    err = r.stderr.decode()
    check(r.returncode == 2, "--check bad config exits 2 (got %d)" % r.returncode)
    check(re.search(r"bad\.conf:3: ", err) is not None, "error names bad.conf:3: " + err.strip()[:80])
    r = subprocess.run([agent_bin, "-d", "-f", bad], capture_output=True, timeout=10)
    check(r.returncode == 2 and b"bad.conf:3: " in r.stderr, "agent with a bad config exits 2")
    r = subprocess.run([agent_bin, "--check", "-f", os.path.join(tmp, "none.conf")],
                       capture_output=True, timeout=10)
    check(r.returncode == 2, "--check on a missing file exits 2")

def test_datagrams(ds, exp):
    check(len(ds) >= 2, "at least 2 datagrams in ~3 s at polling=1 (got %d)" % len(ds))
    check(all(d.get("agent") == "192.0.2.33" and d.get("agentSubId") == "5" for d in ds),
          "agent address and sub-agent as configured")
    seqs = [int(d["packetSequenceNo"]) for d in ds]
    check(seqs == list(range(seqs[0], seqs[0] + len(seqs))) and seqs[:1] == [1],
          "datagram sequence 1, 2, ... (%s)" % seqs)
    samples = [c for d in ds for c in counter_elements(d)]
    sseq = [n for n, _ in samples]
    check(len(samples) >= 2 and sseq == list(range(1, len(sseq) + 1)),
          "2:1 sample sequence 1, 2, ... (%s)" % sseq)
    if not samples:
        return
    f = samples[0][1]
    want_tags = ["0:%d" % t for t in (2000, 2001, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010)]
    check(sorted(f["tags"]) == want_tags, "records 2000-2010 but 2002 (%s)" % f["tags"])
    for k, v in sorted(exp.items()):
        check(f.get(k) == v, "%s = %s (got %s)" % (k, v, f.get(k)))

def main():
    p1, p2 = free_port(), free_port()
    conf = os.path.join(tmp, "agent.conf")
    write_conf(conf, p1)
    test_check(conf)
    d1, out1, _ = start([dump_bin, "-p", str(p1), "-4", "-j"], "dump1")
    d2, out2, _ = start([dump_bin, "-p", str(p2), "-4", "-j"], "dump2")
    check(wait_until(lambda: bound(p1) and bound(p2), 5), "rtflow-dump listening")
    agent, _, aerr = start([agent_bin, "-d", "-f", conf, "--root", fixture], "agent")
    time.sleep(3.2)
    write_conf(conf, p2)
    agent.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    stop(d1)
    time.sleep(2.7)
    stop(d2)
    first, second = datagrams(out1), datagrams(out2)
    test_datagrams(first, expected_values())
    check(len(second) >= 1, "after SIGHUP datagrams reach the new port (%d)" % len(second))
    seqs = [int(d["packetSequenceNo"]) for d in first + second]
    check(seqs == list(range(1, len(seqs) + 1)), "datagram sequence goes on across reload")
    time.sleep(2.0)
    check(agent.poll() is None, "agent keeps running with the collector port closed")
    agent.send_signal(signal.SIGUSR1)
    time.sleep(0.3)
    rc = stop(agent)
    check(rc == 0, "SIGTERM: clean exit 0 (got %s)" % rc)
    log = read(aerr)
    check(re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO: reload: ", log, re.M) is not None,
          "reload logged")
    check(re.search(r"INFO: counters: datagrams \d+ samples \d+ ", log) is not None,
          "SIGUSR1 logs the counters")

try:
    main()
finally:
    for p in children:
        stop(p)
    shutil.rmtree(tmp, ignore_errors=True)
print("summary agent_counters %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
