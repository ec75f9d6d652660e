#!/bin/bash
# tests/integration/agent_pcap.sh: rtflow-agent's packet sampling (pcap { })
# end to end on the real kernel. Two network namespaces made here, joined
# by two veth pairs: a0/b0 (ifIndex small: compact 0:1 samples) and a1/b1
# (ifIndex 2^24 + 77: expanded 0:3). The agent runs in namespace A with
# pcap { dev=a0 sampling=N } and pcap { dev=a1 }, which takes its rate
# from sampling.10G (veths report 10000 Mb/s; sampling=7 must lose to
# both), and sends to rtflow-dump
# -j, to sfacctd (print plugin, renormalized) and to two collectors that
# cannot take anything (a port nobody listens on, an unroutable address);
# tcpdump records the datagrams on A's loopback.
# Traffic is generated here with known counts: K_OUT UDP datagrams a0->b0
# (payload 100), K_IN b0->a0 (payload 200), K_BIG a1->b1; static ARP and
# no IPv6 keep other packets off the links. Checks against those numbers:
#   - flow samples per direction within 4 sigma of count/N (binomial),
#     counting kernel drops (dropEvents) as samples;
#   - sample_pool of the last sample = packets at the tap: at least the
#     generated ones, at most the interface counters' growth;
#   - direction: sent input 0x3FFFFFFF output ifIndex(a0), received the
#     reverse; sourceId 0:ifIndex; header fields (addresses, ports, frame
#     size wire+4, stripped 4, header cut at 128); 1043 time stamps in the
#     test's wall-clock window; per-source sequence 1, 2, ...;
#   - tcpdump -vv walks every datagram without complaint and rtflow-dump -r
#     decodes the same number; sfacctd's packets per (src, dst, proto)
#     match the generated ones within 4 sigma * N;
#   - a0 down then up: capture reopened, sequence goes on; a1 deleted:
#     the agent keeps running; SIGHUP to another rate swaps it in place;
#     bad pcap settings give their error, a missing dev= a warning;
#   - kernel drops: 1 in 1 with the agent stopped, samples + dropEvents
#     = samplePool = the packets sent (and a few ICMP messages).
# Namespaces are deleted on every exit path; only processes started here
# are stopped, by PID; every wait is bounded.
# Prints "summary agent_pcap <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

for t in ip tcpdump sfacctd python3; do
	if ! command -v "$t" >/dev/null; then
		echo "agent_pcap: $t not installed"
		echo "summary agent_pcap 0 1"
		exit 1
	fi
done
if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "agent_pcap: missing $BUILD/rtflow-agent or $BUILD/rtflow-dump"
	echo "summary agent_pcap 0 1"
	exit 1
fi

NSA="rtfpA$$"
NSB="rtfpB$$"
cleanup() {
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
}
trap cleanup EXIT INT TERM

python3 - "$BUILD" "$NSA" "$NSB" <<'PYEOF'
import json, math, os, re, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, wait_until, stop

build, NSA, NSB = sys.argv[1], sys.argv[2], sys.argv[3]
agent_bin, dump_bin = os.path.abspath(build + "/rtflow-agent"), os.path.abspath(build + "/rtflow-dump")
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_pcap.")
N = 20
K_OUT, K_IN, K_BIG, K_AFTER, K_RELOAD = 20000, 10000, 5000, 4000, 3000
N_A1 = 25      # sampling.10G: veth reports speed 10000 Mb/s
N_RELOAD = 10  # a0's rate after SIGHUP
K_DROP = 30000 # a0 at 1 in 1 with the agent stopped
BIG_INDEX = 2**24 + 77
INTERNAL = 0x3FFFFFFF
A0, B0, A1, B1 = "198.18.41.1", "198.18.41.2", "198.18.42.1", "198.18.42.2"
DUMP_PORT, SFA_PORT, DEAD_PORT = 6343, 16402, 16403  # A's own port space

def sh(*args, ns=None, check_rc=True):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if check_rc and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout

def start(args, name, ns=NSA):
    """args inside namespace ns, output in tmp/name.out and .err."""
    return testlib.start(["ip", "netns", "exec", ns] + args, name)

def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")

def sysfs(ns, dev, rel):
    return int(sh("cat", "/sys/class/net/%s/%s" % (dev, rel), ns=ns).strip())

def tap_packets(dev):
    return sysfs(NSA, dev, "statistics/rx_packets") + sysfs(NSA, dev, "statistics/tx_packets")

def setup_net():
    for ns in (NSA, NSB):
        sh("ip", "netns", "add", ns)
        sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=ns)
        sh("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1", ns=ns)
        sh("ip", "link", "set", "lo", "up", ns=ns)
    sh("ip", "link", "add", "a0", "netns", NSA, "type", "veth", "peer", "name", "b0", "netns", NSB)
    sh("ip", "link", "add", "a1", "netns", NSA, "index", str(BIG_INDEX), "type", "veth",
       "peer", "name", "b1", "netns", NSB)
    for ns, dev, ip in ((NSA, "a0", A0), (NSB, "b0", B0), (NSA, "a1", A1), (NSB, "b1", B1)):
        sh("ip", "addr", "add", ip + "/24", "dev", dev, ns=ns)
        sh("ip", "link", "set", dev, "up", ns=ns)
    for ns, dev, peer_ns, peer_dev, peer_ip in ((NSA, "a0", NSB, "b0", B0), (NSB, "b0", NSA, "a0", A0),
                                                (NSA, "a1", NSB, "b1", B1), (NSB, "b1", NSA, "a1", A1)):
        mac = sh("cat", "/sys/class/net/%s/address" % peer_dev, ns=peer_ns).strip()
        sh("ip", "neigh", "replace", peer_ip, "lladdr", mac, "dev", dev, "nud", "permanent", ns=ns)

GEN = r'''
import socket, sys, time
src, dst, port, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 40000 + port % 1000))
payload = b"r" * size
for i in range(count):
    s.sendto(payload, (dst, port))
    if i % 20 == 19:
        time.sleep(0.001)
'''

SINK = r'''
import socket, sys, time
socks = []
for a in sys.argv[2:]:
    for port in sys.argv[1].split(","):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a, int(port)))
        socks.append(s)
time.sleep(120)
'''

def generate(ns, src, dst, port, count, size):
    r = subprocess.run(["ip", "netns", "exec", ns, "python3", "-c", GEN, src, dst, str(port),
                        str(count), str(size)], capture_output=True, timeout=60)
    check(r.returncode == 0, "generator %s -> %s:%d sent %d" % (src, dst, port, count))

def write_conf(path, n_a0=N):
    with open(path, "w") as f:
        f.write("""sflow {
  agentIP = 192.0.2.41
  polling = 2
  headerBytes = 128
  collector { ip = 127.0.0.1 udpport = %d }
  collector { ip = 127.0.0.1 udpport = %d }
  collector { ip = 127.0.0.1 udpport = %d }
  collector { ip = 203.0.113.9 udpport = 6343 }
  sampling = 7
  sampling.10G = %d
  pcap { dev = a0 sampling = %d }
  pcap { dev = a1 }
  pcap { dev = nosuch0 }
}
""" % (DUMP_PORT, SFA_PORT, DEAD_PORT, N_A1, n_a0))

def write_sfa_conf(path, out):
    with open(path, "w") as f:
        f.write("daemonize: false\nsfacctd_ip: 127.0.0.1\nsfacctd_port: %d\n"
                "sfacctd_renormalize: true\nplugins: print\n"
                "aggregate: src_host, dst_host, proto\nprint_output: csv\n"
                "print_output_file: %s\nprint_output_file_append: true\n"
                "print_refresh_time: 1\n" % (SFA_PORT, out))

def flow_samples(path):
    """Flow samples from rtflow-dump -j output, each with its header fields merged."""
    out = []
    for line in read(path).splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        for smp in d.get("samples", []):
            if smp.get("sampleType_tag") not in ("0:1", "0:3"):
                continue
            f = dict(smp)
            for e in smp.get("elements", []):
                f.update({("ts_" + k if e.get("flowBlock_tag") == "0:1043" else k): v
                          for k, v in e.items()})
            f["tags"] = [e.get("flowBlock_tag") for e in smp.get("elements", [])]
            out.append(f)
    return out

def within(got, n_packets, what, n=N):
    """got samples of n_packets at 1 in n: binomial mean and 4 sigma."""
    mean = n_packets / n
    sigma = math.sqrt(n_packets * (1.0 / n) * (1 - 1.0 / n))
    check(abs(got - mean) <= 4 * sigma,
          "%s: %d samples, expected %.0f +- %.0f (4 sigma)" % (what, got, mean, 4 * sigma))

def check_fields(fs, ifindex, tag, t0_ns, t1_ns):
    sent = [f for f in fs if f.get("srcIP") == A0 and f.get("UDPDstPort") == "9001"]
    recv = [f for f in fs if f.get("srcIP") == B0 and f.get("UDPDstPort") == "9002"]
    check(len(sent) + len(recv) == len(fs),
          "every a0 sample is generated traffic (%d others)" % (len(fs) - len(sent) - len(recv)))
    check(all(f["sampleType_tag"] == tag and f["sourceId"] == "0:%d" % ifindex for f in fs),
          "a0 samples are %s from sourceId 0:%d" % (tag, ifindex))
    check(all(f["inputPort"] == str(INTERNAL) and f["outputPort"] == str(ifindex) for f in sent),
          "sent: input 0x3FFFFFFF, output ifIndex %d" % ifindex)
    check(all(f["inputPort"] == str(ifindex) and f["outputPort"] == str(INTERNAL) for f in recv),
          "received: input ifIndex %d, output 0x3FFFFFFF" % ifindex)
    want = {"headerProtocol": "1", "strippedBytes": "4", "headerLen": "128",
            "meanSkipCount": str(N), "IPProtocol": "17"}
    bad = [f for f in fs if any(f.get(k) != v for k, v in want.items())]
    check(not bad, "headerProtocol 1, stripped 4, headerLen 128, meanSkipCount N, UDP (%d bad)" % len(bad))
    check(all(f["sampledPacketSize"] == "146" and f["dstIP"] == B0 for f in sent) and
          all(f["sampledPacketSize"] == "246" and f["dstIP"] == A0 for f in recv),
          "frame sizes wire + 4 (146 sent, 246 received) and addresses")
    check(all(f["tags"] == ["0:1", "0:1043"] for f in fs), "records 0:1 and 0:1043")
    ts = [int(f.get("ts_timestamp_nS", 0)) for f in fs]
    check(all(t0_ns <= t <= t1_ns for t in ts), "1043 timestamps within the test's window")
    seqs = [int(f["sampleSequenceNo"]) for f in fs]
    check(seqs == list(range(1, len(seqs) + 1)), "a0 sample sequence 1, 2, ... (%d)" % len(seqs))
    return sent, recv

def check_pool(fs, generated, counters_growth, what, n=N):
    if not fs:
        check(False, "%s: no samples" % what)
        return
    last = fs[-1]
    pool, drops = int(last["samplePool"]), int(last["dropEvents"])
    # the packets after the last sample (geometric, mean N) and at most
    # PCAP_SAMPLER_REFRESH_MS of counter staleness may be missing
    check(generated - 30 * n <= pool <= counters_growth,
          "%s: last samplePool %d in [generated %d - 30N, counters growth %d]"
          % (what, pool, generated, counters_growth))
    within(len(fs) + drops, pool, what + " samples + drops vs pool", n)
    pools = [int(f["samplePool"]) for f in fs]
    deltas = [b - a for a, b in zip(pools, pools[1:])]
    check(all(d > 0 for d in deltas),
          "%s: samplePool grows at every sample (pmacct rates by its deltas)" % what)

def check_tcpdump(pcap, n_datagrams):
    r = subprocess.run(["tcpdump", "-vv", "-n", "-r", pcap], capture_output=True, text=True,
                       timeout=60)
    text = r.stdout + r.stderr
    heads = len(re.findall(r"sFlowv5, IPv4 agent 192\.0\.2\.41", text))
    bad = re.findall(r".*(?:\[\|sflow\]|malformed|[Tt]runcated|invalid).*", text, re.I)
    check(r.returncode == 0 and heads == n_datagrams and not bad,
          "tcpdump -vv walks %d datagrams without complaint (%d heads, %s)"
          % (n_datagrams, heads, bad[:2]))
    r = subprocess.run([dump_bin, "-r", pcap, "-j"], capture_output=True, text=True, timeout=60)
    lines = [l for l in r.stdout.splitlines() if l.startswith("{")]
    check(r.returncode == 0 and len(lines) == n_datagrams,
          "rtflow-dump -r decodes the capture: %d of %d, exit %d" % (len(lines), n_datagrams, r.returncode))

def sfacctd_flows(path):
    flows = {}
    if not os.path.exists(path):
        return flows
    for line in read(path).splitlines():
        cols = line.split(",")
        if len(cols) < 5 or not cols[3].isdigit():
            continue
        key = (cols[0], cols[1], cols[2].lower())
        flows[key] = flows.get(key, 0) + int(cols[3])
    return flows

def check_sfacctd(flows):
    parts = {(A0, B0): ((K_OUT + K_AFTER, N), (K_RELOAD, N_RELOAD)), (B0, A0): ((K_IN, N),),
             (A1, B1): ((K_BIG, N_A1),)}
    for (src, dst), ks in parts.items():
        got = flows.get((src, dst, "udp"), 0)
        k = sum(c for c, _ in ks)
        sigma = math.sqrt(sum(n * n * c * (1.0 / n) * (1 - 1.0 / n) for c, n in ks))
        check(abs(got - k) <= 4 * sigma,
              "sfacctd %s -> %s udp: %d packets, generated %d +- %.0f" % (src, dst, got, k, 4 * sigma))

def test_bad_configs():
    bad = {"pcap { dev = a/b }": "dev", "pcap { sampling = lots }": "sampling",
           "pcap { speed = fast }": "speed", "pcap { dev.pattern = \"(\" }": "pattern",
           "pcap { wombat = 1 }": "wombat"}
    for text, word in bad.items():
        conf = os.path.join(tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write("sflow {\n collector { ip = 127.0.0.1 }\n %s\n}\n" % text)
        r = subprocess.run([agent_bin, "--check", "-f", conf], capture_output=True, text=True,
                           timeout=10)
        check(r.returncode == 2 and re.search(r"bad\.conf:3:.*" + re.escape(word), r.stderr, re.I),
              "bad config '%s': exit 2 with bad.conf:3 error (%s)" % (text, r.stderr.strip()[:80]))

def start_collectors():
    sfa_out = os.path.join(tmp, "sfacctd.csv")
    write_sfa_conf(os.path.join(tmp, "sfacctd.conf"), sfa_out)
    cap = os.path.join(tmp, "lo.pcap")
    # immediate mode with a small snap length: a ring of many small frames,
    # every datagram written at once (the default 256 KiB frames overflow)
    td = start(["tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode", "-s", "2048", "-w", cap,
                "udp", "port", str(DUMP_PORT)], "tcpdump")
    dump = start([dump_bin, "-p", str(DUMP_PORT), "-4", "-j"], "dump")
    sfa = start(["sfacctd", "-f", os.path.join(tmp, "sfacctd.conf")], "sfacctd")
    # bound, never read: no ICMP port unreachable comes back on the links
    sink = start(["python3", "-c", SINK, "9001,9003,9004,9005", B0, B1], "sinkB", ns=NSB)
    sink2 = start(["python3", "-c", SINK, "9002", A0], "sinkA")
    ok = wait_until(lambda: "listening on lo" in read(td[2]), 10)
    check(ok, "tcpdump listening on A's loopback")
    return td, dump, sfa, [sink, sink2], cap, sfa_out

def phase_traffic(idx_a0):
    before = tap_packets("a0"), tap_packets("a1")
    t0 = time.time_ns()
    generate(NSA, A0, B0, 9001, K_OUT, 100)
    generate(NSB, B0, A0, 9002, K_IN, 200)
    generate(NSA, A1, B1, 9001, K_BIG, 100)
    time.sleep(2.2)  # block timeout (0.5 s) + the sender's 1 s flush
    after = tap_packets("a0"), tap_packets("a1")
    return t0, time.time_ns(), after[0] - before[0], after[1] - before[1]

def phase_down_up(agent_err):
    sh("ip", "link", "set", "a0", "down", ns=NSA)
    # the socket's ENETDOWN or the link event's rescan, whichever comes first
    check(wait_until(lambda: re.search(r"pcap: a0: (not up; capture closed|capture stopped)",
                                       read(agent_err)), 5), "a0 down: capture closed")
    sh("ip", "link", "set", "a0", "up", ns=NSA)
    reopened = wait_until(lambda: read(agent_err).count("pcap: a0: sampling 1 in") >= 2, 8)
    check(reopened, "a0 down then up: capture reopened (log: %d opens)"
          % read(agent_err).count("pcap: a0: sampling 1 in"))
    generate(NSA, A0, B0, 9003, K_AFTER, 100)
    sh("ip", "link", "del", "a1", ns=NSA)
    check(wait_until(lambda: "pcap: a1: gone" in read(agent_err), 5), "a1 deleted: dropped")

def phase_reload(agent, agent_err, conf):
    write_conf(conf, N_RELOAD)
    agent.send_signal(signal.SIGHUP)
    check(wait_until(lambda: "pcap: a0: sampling 1 in %d now" % N_RELOAD in read(agent_err), 5),
          "SIGHUP: a0 switched to 1 in %d" % N_RELOAD)
    generate(NSA, A0, B0, 9004, K_RELOAD, 100)
    time.sleep(2.2)

def phase_drops():
    """1 in 1 with the agent stopped (SIGSTOP) while K_DROP packets pass:
    the 1 MiB ring overflows, and every packet is then either a sample or
    a kernel drop: samples + last dropEvents = last samplePool = K_DROP."""
    conf = os.path.join(tmp, "drops.conf")
    with open(conf, "w") as f:
        f.write("sflow {\n agentIP = 192.0.2.41\n polling = 0\n"
                " collector { ip = 127.0.0.1 udpport = %d }\n pcap { dev = a0 sampling = 1 }\n}\n"
                % DUMP_PORT)
    dump = start([dump_bin, "-p", str(DUMP_PORT), "-4", "-j"], "dump_drops")
    agent, _, aerr = start([agent_bin, "-d", "-f", conf], "agent_drops")
    check(wait_until(lambda: "pcap: a0: sampling 1 in 1," in read(aerr), 10), "1 in 1 capture open")
    agent.send_signal(signal.SIGSTOP)
    generate(NSA, A0, B0, 9005, K_DROP, 100)
    agent.send_signal(signal.SIGCONT)
    time.sleep(3.0)
    stop(agent)
    time.sleep(0.3)
    stop(dump[0])
    fs = flow_samples(dump[1])
    drops = [int(f["dropEvents"]) for f in fs]
    last_pool = int(fs[-1]["samplePool"]) if fs else -1
    check(fs and drops[-1] > 0 and drops == sorted(drops),
          "ring overflow: dropEvents > 0 and never decreasing (last %s)" % (drops[-1:] or "none"))
    check(fs and len(fs) + drops[-1] == last_pool,
          "every packet a sample or a drop: samples %d + dropEvents %s = samplePool %d"
          % (len(fs), drops[-1:] or "none", last_pool))
    # a few ICMP messages from B ride along; they are samples too
    check(K_DROP <= last_pool <= K_DROP + 16,
          "samplePool %d = the %d packets sent (+ at most 16 others)" % (last_pool, K_DROP))

def main():
    test_bad_configs()
    setup_net()
    idx_a0 = sysfs(NSA, "a0", "ifindex")
    check(sysfs(NSA, "a1", "ifindex") == BIG_INDEX, "a1 has ifIndex 2^24 + 77")
    td, dump, sfa, sinks, cap, sfa_out = start_collectors()
    conf = os.path.join(tmp, "agent.conf")
    write_conf(conf)
    agent, _, aerr = start([agent_bin, "-d", "-f", conf], "agent")
    check(wait_until(lambda: "pcap: a0: sampling 1 in %d," % N in read(aerr) and
                     "pcap: a1: sampling 1 in %d," % N_A1 in read(aerr), 10),
          "agent opened a0 at 1 in %d (pcap sampling) and a1 at 1 in %d (sampling.10G)" % (N, N_A1))
    check(re.search(r"WARNING: pcap: dev nosuch0 \(line \d+\): no such interface", read(aerr)),
          "a pcap block naming a missing device is reported")
    t0, t1, grow_a0, grow_a1 = phase_traffic(idx_a0)
    phase_down_up(aerr)
    phase_reload(agent, aerr, conf)
    check(agent.poll() is None, "agent alive after a1 vanished, with dead collectors")
    agent.send_signal(signal.SIGUSR1)
    time.sleep(0.3)
    check(stop(agent) == 0, "SIGTERM: clean exit 0")
    time.sleep(0.5)
    stop(dump[0])
    stop(td[0], signal.SIGINT)
    time.sleep(1.5)  # sfacctd's print plugin writes every second
    stop(sfa[0])
    for s in sinks:
        stop(s[0])
    fs = flow_samples(dump[1])
    a0 = [f for f in fs if f["sourceId"] == "0:%d" % idx_a0]
    a1 = [f for f in fs if f["sourceId"] == "0:%d" % BIG_INDEX]
    phase1 = [f for f in a0 if f.get("UDPDstPort") in ("9001", "9002")]
    sent, recv = check_fields(phase1, idx_a0, "0:1", t0, t1)
    within(len(sent), K_OUT, "a0 sent")
    within(len(recv), K_IN, "a0 received")
    check_pool(phase1, K_OUT + K_IN, grow_a0, "a0")
    check(all(f["sampleType_tag"] == "0:3" and f["outputPort"] == str(BIG_INDEX) and
              f["inputPort"] == str(INTERNAL) for f in a1) and a1,
          "a1: expanded 0:3 samples, sent direction, ifIndex %d" % BIG_INDEX)
    check(all(f["meanSkipCount"] == str(N_A1) for f in a1), "a1: meanSkipCount %d" % N_A1)
    within(len(a1), K_BIG, "a1 sent", N_A1)
    check_pool(a1, K_BIG, grow_a1, "a1", N_A1)
    after = [f for f in a0 if f.get("UDPDstPort") == "9003"]
    within(len(after), K_AFTER, "a0 after down/up")
    reloaded = [f for f in a0 if f.get("UDPDstPort") == "9004"]
    within(len(reloaded), K_RELOAD, "a0 after reload", N_RELOAD)
    check(reloaded and all(f["meanSkipCount"] == str(N_RELOAD) for f in reloaded),
          "a0 after reload: meanSkipCount %d" % N_RELOAD)
    seqs = [int(f["sampleSequenceNo"]) for f in a0]
    check(seqs == list(range(1, len(seqs) + 1)), "a0 sequence goes on across down/up and reload")
    n_dg = sum(1 for l in read(dump[1]).splitlines() if l.startswith("{"))
    check_tcpdump(cap, n_dg)
    check_sfacctd(sfacctd_flows(sfa_out))
    phase_drops()
    log = read(aerr)
    check(re.search(r"INFO: pcap: captures \d+ flow_samples \d+ ", log) is not None,
          "SIGUSR1 logs the pcap counters")

try:
    main()
except Exception as e:  # a setup step failed: count it, clean up
    check(False, "exception: %s" % e)
finally:
    for p in children:
        stop(p)
sys.exit(testlib.summary("agent_pcap"))
PYEOF
