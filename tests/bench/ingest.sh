#!/bin/bash
# tests/bench/ingest.sh: sFlow ingest cost, side by side in one run on
# loopback. A sender (build/release/bench/tools/sflow_blast: sendmmsg of the
# replicated shared testdata datagrams, 16 agents, pinned to CPU 0 when
# taskset exists; every receiver is pinned to CPU 1, so each is measured on
# one core of its own, whatever the scheduler would have done) offers
# COUNT datagrams flat out to each receiver in turn:
#   sink       build/release/bench/tools/udp_sink, a bare recvmmsg loop
#   analyzer/1 rtflow-analyzer -Dworkers.number=1 (no flow definitions)
#   analyzer/2 rtflow-analyzer -Dworkers.number=2
#   analyzer/1+5f  one worker with the 5 flow definitions of
#              tests/bench/bench_flow_engine.c (5-tuple, group:, mask:,
#              tunnel inner keys, a filter) defined before the blast
#   sfacctd    pmacct's sfacctd, print plugin aggregating by agent
# Each gets the same socket receive buffer, 4 MiB (net.core.rmem_max here,
# the most sfacctd, which uses SO_RCVBUF, can get; the sink and the analyzer
# use SO_RCVBUFFORCE as root and could take more: INGEST_RCVBUF_BYTES). Per receiver it reports
# CPU µs per datagram received (the on-CPU ns of every thread of every
# process of the receiver, /proc/PID/task/*/schedstat, before and after)
# and the loss (the kernel drop counter of the receiving sockets,
# /proc/net/udp{,6}; the sink and the analyzer also count what they read,
# which must agree). Then the ratios against the targets: analyzer <= 1.5x
# the sink's CPU per datagram, <= 0.5x sfacctd's, zero loss. A receiver
# that is missing (rtflow-analyzer not built yet, sfacctd not installed) is
# skipped with a note. Rates never make it fail; errors (a receiver that
# does not start, receives nothing) do.
#   INGEST_DATAGRAMS=N      datagrams per receiver (default 1000000)
#   INGEST_RCVBUF_BYTES=N   receive buffer of every receiver (default 4194304)
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/release}"
TOOLS=build/release/bench/tools
if [ ! -x "$TOOLS/sflow_blast" ] || [ ! -x "$TOOLS/udp_sink" ]; then
	make --no-print-directory NO_DEPS=1 "$TOOLS/sflow_blast" "$TOOLS/udp_sink" >/dev/null || exit 1
fi

exec python3 - "$BUILD" "$TOOLS" "${INGEST_DATAGRAMS:-1000000}" "${INGEST_RCVBUF_BYTES:-4194304}" \
	<<'EOF'
import glob, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

build, tools, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
pcaps = sorted(glob.glob("../shared/testdata/sflow-pcaps/*.pcap"))
rcvbuf = int(sys.argv[4])
tmp = tempfile.mkdtemp(prefix="ingest.")
errors = []

def free_port():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def free_tcp_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def udp_sockets(port):
    """(rx_queue bytes, drops) summed over the sockets bound to port."""
    rxq = drops = n = 0
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for l in lines:
            f = l.split()
            if f[1].endswith(":%04X" % port):
                rxq += int(f[4].split(":")[1], 16)
                drops += int(f[-1])
                n += 1
    return n, rxq, drops

def tree(pid):
    """pid and its descendants (sfacctd forks its plugins)."""
    kids = {}
    for st in glob.glob("/proc/[0-9]*/stat"):
        try:
            f = open(st).read().rsplit(")", 1)[1].split()
            kids.setdefault(int(f[1]), []).append(int(st.split("/")[2]))
        except (OSError, IndexError, ValueError):
            pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out

def cpu_ns(pid):
    total = 0
    for p in tree(pid):
        for t in glob.glob("/proc/%d/task/*/schedstat" % p):
            try:
                total += int(open(t).read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    return total

def wait_until(cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()

def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=10)

def blast(port):
    cmd = [os.path.join(tools, "sflow_blast"), "-d", "127.0.0.1", "-p", str(port), "-n",
           str(count), "-a", "16"] + pcaps
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    line = r.stdout.strip()
    f = line.split()
    return (int(f[1]) if len(f) > 1 and f[0] == "sent" else 0), line

def settle(p, port):
    """Wait until the receiver has read everything queued and stopped working."""
    last = [-1]
    def idle():
        n, rxq, _ = udp_sockets(port)
        c = cpu_ns(p.pid)
        done = rxq == 0 and c - last[0] < 5_000_000  # < 5 ms of CPU in 0.3 s
        last[0] = c
        time.sleep(0.3)
        return done
    wait_until(idle, 30)

def measure(name, argv, port, own_count=None, ready=None):
    log = open(os.path.join(tmp, name.replace("/", "_") + ".log"), "wb")
    if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:
        argv = ["taskset", "-c", "1"] + argv  # the sender has CPU 0
    p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_until(lambda: udp_sockets(port)[0] > 0 and (ready is None or ready()), 10):
            errors.append("%s: not listening on %d (see %s)" % (name, port, log.name))
            return None
        time.sleep(0.5)
        c0, (_, _, d0) = cpu_ns(p.pid), udp_sockets(port)
        sent, line = blast(port)
        settle(p, port)
        c1, (_, _, d1) = cpu_ns(p.pid), udp_sockets(port)
        own = own_count() if own_count else None
    finally:
        stop(p)
    lost = d1 - d0
    got = sent - lost
    if sent == 0 or got <= 0:
        errors.append("%s: nothing received (%s)" % (name, line))
        return None
    if own is not None and own != got:
        errors.append("%s: counted %d datagrams, the kernel delivered %d" % (name, own, got))
    r = {"name": name, "sent": sent, "lost": lost, "cpu_us": (c1 - c0) / 1000.0 / got,
         "rate": line}
    print("%-11s %9d sent %9d lost (%.3f%%)  %6.3f CPU us/datagram   [%s]" % (
        name, sent, lost, 100.0 * lost / sent, r["cpu_us"], line))
    return r

results = {}

def run_sink():
    port = free_port()
    cnt = os.path.join(tmp, "sink.count")
    def own():
        stop_file = open(cnt).read().split() if os.path.exists(cnt) else ["-1"]
        return int(stop_file[0])
    # the sink rewrites its count about once a second: wait for the final one
    def own_final():
        time.sleep(1.2)
        return own()
    results["sink"] = measure("sink", [os.path.join(tools, "udp_sink"), "-p", str(port), "-b",
                              str(rcvbuf), "-o", cnt], port, own_final)

def analyzer_json(http):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/analyzer/json" % http, timeout=2) as r:
            return json.loads(r.read())
    except Exception:
        return None

FLOW_DEFS = [
    {"keys": "ipsource,ipdestination,ipprotocol,or:tcpsourceport:udpsourceport,"
             "or:tcpdestinationport:udpdestinationport", "value": "bytes"},
    {"keys": "group:ipsource:sites,group:ipdestination:sites", "value": "bytes"},
    {"keys": "mask:ipsource:24,mask:ipdestination:24", "value": "frames"},
    {"keys": "stack,null:ipsource.1:none,null:ipdestination.1:none", "value": "bytes"},
    {"keys": "macsource,macdestination", "value": "bytes", "filter": "ipprotocol=6"},
]
SITES = {"lan": ["10.0.0.0/8", "192.168.0.0/16"], "dc": ["172.16.0.0/12"],
         "v6": ["2001:db8::/32"], "world": ["0.0.0.0/0", "::/0"]}

def put(http, path, body):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (http, path),
                                 data=json.dumps(body).encode(), method="PUT",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 204
    except Exception:
        return False

def define_flows(http):
    ok = put(http, "/group/sites/json", SITES)
    for i, d in enumerate(FLOW_DEFS):
        ok = put(http, "/flow/def%d/json" % i, d) and ok
    return ok

def run_analyzer(workers, flows=False):
    exe = os.path.join(build, "rtflow-analyzer")
    name = "analyzer/%d%s" % (workers, "+5f" if flows else "")
    if not os.access(exe, os.X_OK):
        print("%-11s skipped: %s is not built" % (name, exe))
        return
    port, http = free_port(), free_tcp_port()
    seen = {}
    def own():
        seen.update(analyzer_json(http) or {})
        return seen.get("sFlowDatagramsReceived")
    results[name] = measure(name, [exe, "-Dsflow.port=%d" % port, "-Dhttp.port=%d" % http,
                                   "-Dworkers.number=%d" % workers,
                                   "-Dsflow.rcvpktsbuffer=%d" % (rcvbuf // 2048)],
                            port, own, lambda: analyzer_json(http) is not None and
                            (not flows or define_flows(http)))
    if seen:
        print("%-11s /analyzer/json: sFlowHandoffs %s sFlowKernelDrops %s sFlowParseErrors %s" % (
            "", seen.get("sFlowHandoffs"), seen.get("sFlowKernelDrops"), seen.get("sFlowParseErrors")))

def run_sfacctd():
    exe = shutil.which("sfacctd") or "/usr/sbin/sfacctd"
    if not os.access(exe, os.X_OK):
        print("%-11s skipped: sfacctd (Debian pmacct) is not installed" % "sfacctd")
        return
    port = free_port()
    out = os.path.join(tmp, "sfacctd.csv")
    conf = os.path.join(tmp, "sfacctd.conf")
    with open(conf, "w") as f:
        f.write("daemonize: false\nsfacctd_port: %d\nsfacctd_pipe_size: %d\n"
                "plugins: print[p]\naggregate[p]: peer_src_ip\nprint_output[p]: csv\n"
                "print_output_file[p]: %s\nprint_refresh_time[p]: 1\n"
                "pidfile: %s/sfacctd.pid\n" % (port, rcvbuf, out, tmp))
    results["sfacctd"] = measure("sfacctd", [exe, "-f", conf], port)
    # the print plugin writes what it aggregated: proof that it decoded
    wait_until(lambda: os.path.exists(out) and os.path.getsize(out) > 0, 3)
    rows = open(out).read().splitlines() if os.path.exists(out) else []
    if results.get("sfacctd") and len(rows) < 2:
        errors.append("sfacctd: its print plugin wrote no rows to %s" % out)
    elif rows:
        print("%-11s print plugin: %d agents aggregated" % ("", len(rows) - 1))

print("ingest: %d datagrams per receiver from %d captures, 16 agents, rcvbuf %d bytes; "
      "load average %s" % (count, len(pcaps), rcvbuf, " ".join(open("/proc/loadavg").read().split()[:3])))
run_sink()
run_analyzer(1)
run_analyzer(2)
run_analyzer(1, flows=True)
run_sfacctd()

def ratio(a, b, target, what):
    ra, rb = results.get(a), results.get(b)
    if not ra or not rb:
        return
    x = ra["cpu_us"] / rb["cpu_us"]
    print("%s / %s CPU per datagram: %.2fx (target <= %.1fx: %s)" % (
        a, b, x, target, "met" if x <= target else "MISSED"))

for a in ("analyzer/1", "analyzer/2", "analyzer/1+5f"):
    ratio(a, "sink", 1.5, "sink")
    ratio(a, "sfacctd", 0.5, "sfacctd")
    if results.get(a):
        print("%s loss: %d (target 0: %s)" % (a, results[a]["lost"],
              "met" if results[a]["lost"] == 0 else "MISSED"))
for e in errors:
    print("ingest: error: " + e)
if not errors:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if errors else 0)
EOF
