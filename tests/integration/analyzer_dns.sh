#!/bin/bash
# tests/integration/analyzer_dns.sh: the dns: key function against real
# resolvers on loopback.
# - dnsmasq (Debian dnsmasq-base) on a free port serves a PTR record the
#   test writes (10.1.0.1 -> f1.example.test) and nothing for 10.1.0.2;
#   rtflow-analyzer (-Ddns.servers=127.0.0.1:PORT) replays a capture of two
#   flows (tests/bench/tools/sflow_flowgen) with a definition keyed by
#   dns:ipsource: the named flow leads under its name, the unnamed one
#   stays its address, and dnsmasq's query log shows each address asked
#   about at most twice (answers and failures are cached);
# - a server that never answers (a UDP socket this test holds) and a
#   closed port: keys stay addresses, the replay takes no longer than with
#   the working resolver (lookups never block ingest), failures are counted.
# Every resolver is on loopback: dns.servers is always set, so nothing
# reaches the system's resolvers.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_dns <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
GEN=build/release/bench/tools/sflow_flowgen
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

if [ ! -x "$BUILD/rtflow-analyzer" ] || [ ! -x "$DNSMASQ" ]; then
	echo "analyzer_dns: missing $BUILD/rtflow-analyzer or dnsmasq"
	echo "summary analyzer_dns 0 1"
	exit 1
fi
if ! make --no-print-directory NO_DEPS=1 "$GEN" >/dev/null; then
	echo "summary analyzer_dns 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$GEN" "$DNSMASQ" <<'PYEOF'
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

build, gen, dnsmasq = sys.argv[1], sys.argv[2], sys.argv[3]
stats = {"passed": 0, "failed": 0}
tmp = tempfile.mkdtemp(prefix="analyzer_dns.")
children = []

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg)

def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def wait_until(cond, secs):
    end = time.time() + secs
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()

def request(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            t = r.read().decode()
            try:
                return r.status, json.loads(t) if t else None
            except ValueError:
                return r.status, t
    except urllib.error.HTTPError as e:
        return e.code, None
    except OSError:
        return 0, None

def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=5)

pcap = os.path.join(tmp, "two.pcap")
out = subprocess.run([gen, "-o", pcap, "-s", "6", "-N", "8", "-S", "5", "-w", "2",
                      "-f", "10.1.0.1,10.2.0.1,6,1000,80,4000,1000",
                      "-f", "10.1.0.2,10.2.0.1,6,1001,80,2000,1000"],
                     capture_output=True, text=True, timeout=120)
ndg = int(out.stdout.split()[5]) + 1

def replay(servers):
    """(top keys, /analyzer/json, seconds the replay took)"""
    http = free_port(socket.SOCK_STREAM)
    args = [build + "/rtflow-analyzer", "-Dhttp.port=%d" % http,
            "-Dsflow.port=%d" % free_port(socket.SOCK_DGRAM), "-Dsflow.file=" + pcap,
            "-Dsflow.file.speed=2", "-Dworkers.number=2", "-Ddns.servers=" + servers]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(tmp, "analyzer.%d.err" % http), "wb"))
    children.append(p)
    t0 = time.time()
    keys, st = [], {}
    if wait_until(lambda: request(http, "GET", "/version")[0] == 200, 10):
        request(http, "PUT", "/flow/names/json", {"keys": "dns:ipsource", "value": "frames"})
        wait_until(lambda: (request(http, "GET", "/analyzer/json")[1] or {}).get(
            "sFlowDatagramsReceived", 0) >= ndg, 30)
        took = time.time() - t0
        code, flows = request(http, "GET", "/activeflows/ALL/names/json")
        keys = [f["key"] for f in flows] if code == 200 else []
        st = request(http, "GET", "/analyzer/json")[1] or {}
    else:
        took = float("inf")
    stop(p)
    return keys, st, took

# a real resolver
port = free_port(socket.SOCK_DGRAM)
qlog = os.path.join(tmp, "queries.log")
dm = subprocess.Popen([dnsmasq, "--keep-in-foreground", "--no-resolv", "--no-hosts",
                       "--conf-file=/dev/null", "--port=%d" % port, "--listen-address=127.0.0.1",
                       "--bind-interfaces", "--log-queries", "--log-facility=" + qlog,
                       "--pid-file=", "--ptr-record=1.0.1.10.in-addr.arpa,f1.example.test"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
children.append(dm)
time.sleep(0.5)
check(dm.poll() is None, "dnsmasq serves on 127.0.0.1:%d" % port)
keys, st, took_real = replay("127.0.0.1:%d" % port)
check(keys[:1] == ["f1.example.test"], "the named source leads under its PTR name (%s)" % keys)
check("10.1.0.2" in keys and "f1.example.test" in keys and "10.1.0.1" not in keys[:2],
      "a source without a name stays its address (%s)" % keys)
stop(dm)
log = open(qlog).read() if os.path.exists(qlog) else ""
asked1 = log.count("query[PTR] 1.0.1.10.in-addr.arpa")
asked2 = log.count("query[PTR] 2.0.1.10.in-addr.arpa")
check(1 <= asked1 <= 2 and 1 <= asked2 <= 2,
      "each address asked about once or twice, answers and failures cached (%d, %d)" % (asked1, asked2))
check(st.get("dnsLookups", 0) > 100 and st.get("dnsCacheHits", 0) > 0,
      "lookups and cache hits counted (%s, %s)" % (st.get("dnsLookups"), st.get("dnsCacheHits")))

# no resolver reachable: a socket that never answers, and a closed port
took_none = took_real
mute = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
mute.bind(("127.0.0.1", 0))
keys, st, took = replay("127.0.0.1:%d" % mute.getsockname()[1])
check(set(keys) == {"10.1.0.1", "10.1.0.2"}, "a server that never answers: keys stay addresses (%s)" % keys)
check(took <= took_none + 2, "and the replay takes no longer (%.1f s, %.1f s with dnsmasq)" % (took, took_none))
mute.close()
keys, st, took = replay("127.0.0.1:%d" % free_port(socket.SOCK_DGRAM))
check(set(keys) == {"10.1.0.1", "10.1.0.2"} and took <= took_none + 2,
      "a closed port: keys stay addresses, no delay (%s, %.1f s)" % (keys, took))
check(st.get("dnsFailures", 0) >= 1, "failures counted (%s)" % st.get("dnsFailures"))

for p in children:
    if p.poll() is None:
        p.kill()
        p.wait()
shutil.rmtree(tmp, ignore_errors=True)
print("summary analyzer_dns %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
