#!/bin/bash
# tests/integration/collector_ingest.sh: rtflow-analyzer's ingest path on
# real loopback sockets, read back through the REST API.
# - workers.number=1 and =2: the UDP payloads of shared captures (extracted
#   here by dump_lib.py, not by rtflow) sent from 127.0.0.1 and ::1 are all
#   counted in /analyzer/json sFlowDatagramsReceived, and every agent
#   address in them (read from the datagram headers here) is in
#   /agents/json;
# - forwarding: PUT /forwarding/{name}/json to a socket of this test makes
#   every datagram arrive there byte for byte, agents filters, a bad body is
#   refused with a message, DELETE stops it;
# - sflow.file replay at speed 0: as many datagrams as sflowtool's golden
#   decode has lines, and REST keeps answering after the replay ends.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary collector_ingest <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -x "$BUILD/rtflow-analyzer" ]; then
	echo "collector_ingest: $BUILD/rtflow-analyzer is not built: nothing to test"
	echo "summary collector_ingest 0 0"
	exit 0
fi

exec python3 - "$BUILD/rtflow-analyzer" <<'EOF'
import gzip, json, os, signal, socket, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, "tests/integration")
import dump_lib as L

exe = sys.argv[1]
stats = {"passed": 0, "failed": 0}
tmp = tempfile.mkdtemp(prefix="collector_ingest.")
started = []

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg)

def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def wait_until(cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()

def http(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=3) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:
        return 0, str(e)

def get_json(port, path):
    st, text = http(port, "GET", path)
    try:
        return json.loads(text) if st == 200 else None
    except ValueError:
        return None

class Analyzer:
    def __init__(self, name, props):
        self.http = free_port(socket.SOCK_STREAM)
        self.sflow = free_port()
        self.log = os.path.join(tmp, name + ".log")
        args = [exe, "-Dhttp.port=%d" % self.http, "-Dsflow.port=%d" % self.sflow] + \
               ["-D%s=%s" % kv for kv in props]
        self.p = subprocess.Popen(args, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT)
        started.append(self)
        self.up = wait_until(lambda: get_json(self.http, "/analyzer/json") is not None, 10)

    def received(self):
        a = get_json(self.http, "/analyzer/json") or {}
        return a.get("sFlowDatagramsReceived", -1)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait(timeout=5)

def agent_of(p):
    """The agent address of an sFlow v5 datagram, as text."""
    t = int.from_bytes(p[4:8], "big")
    if t == 1:
        return socket.inet_ntop(socket.AF_INET, p[8:12])
    if t == 2:
        return socket.inet_ntop(socket.AF_INET6, p[8:24])
    return None

def send(payloads, port, family):
    s = socket.socket(family, socket.SOCK_DGRAM)
    dst = ("127.0.0.1" if family == socket.AF_INET else "::1", port)
    for i, p in enumerate(payloads):
        s.sendto(p, dst)
        if i % 50 == 49:
            time.sleep(0.005)
    s.close()

def pls(stem, n=None):
    out = [p for _, _, p in L.payloads(os.path.join(L.DATA, stem + ".pcap")) if len(p) >= 28]
    return out[:n] if n else out

def test_live(workers):
    a = Analyzer("live%d" % workers, [("workers.number", workers)])
    check(a.up, "workers=%d: REST answers" % workers)
    v4 = pls("overflowd__sflow", 300) + pls("hsflowd__json_app_samples_rtmetric")
    v6 = pls("tcpdump__sflow-print-v6") + pls("tcpdump__sflow_multiple_counter_30_pdus")
    send(v4, a.sflow, socket.AF_INET)
    send(v6, a.sflow, socket.AF_INET6)
    n = len(v4) + len(v6)
    got = wait_until(lambda: a.received() >= n, 10)
    check(got and a.received() == n,
          "workers=%d: sFlowDatagramsReceived %s == %d sent (IPv4 and IPv6)" % (workers, a.received(), n))
    want = {agent_of(p) for p in v4 + v6} - {None}
    agents = get_json(a.http, "/agents/json") or {}
    check(want <= set(agents), "workers=%d: /agents/json has every agent %s (got %s)" % (
        workers, sorted(want), sorted(agents)))
    a.stop()

def receiver():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.3)
    return s

def drain(s, limit=10000):
    out = []
    while len(out) < limit:
        try:
            out.append(s.recv(65536))
        except socket.timeout:
            break
    return out

def test_forwarding():
    a = Analyzer("fwd", [("workers.number", 2)])
    r_all, r_some = receiver(), receiver()
    st, _ = http(a.http, "PUT", "/forwarding/all/json",
                 {"address": "127.0.0.1", "port": r_all.getsockname()[1]})
    check(200 <= st < 300, "PUT /forwarding/all/json: %d" % st)
    data = pls("overflowd__sflow", 50) + pls("tcpdump__sflow-print-v6")
    pick = agent_of(data[-1])
    st, _ = http(a.http, "PUT", "/forwarding/some/json",
                 {"address": "127.0.0.1", "port": r_some.getsockname()[1], "agents": [pick]})
    check(200 <= st < 300, "PUT /forwarding/some/json with agents [%s]: %d" % (pick, st))
    lst = get_json(a.http, "/forwarding/json") or {}
    check(set(lst) == {"all", "some"} and lst["some"].get("agents") == [pick],
          "GET /forwarding/json lists both targets: %s" % lst)
    st, text = http(a.http, "PUT", "/forwarding/bad/json", {"port": 6343})
    check(400 <= st < 500 and "address" in text, "a body without address: %d %s" % (st, text.strip()))
    send(data, a.sflow, socket.AF_INET)
    got = drain(r_all)
    check(sorted(got) == sorted(data), "every datagram forwarded byte for byte (%d of %d)" % (
        len(got), len(data)))
    some = drain(r_some)
    want = [p for p in data if agent_of(p) == pick]
    check(sorted(some) == sorted(want) and want, "agents filter: %d of %d datagrams" % (
        len(some), len(want)))
    st, _ = http(a.http, "DELETE", "/forwarding/all/json")
    check(200 <= st < 300, "DELETE /forwarding/all/json: %d" % st)
    send(data[:5], a.sflow, socket.AF_INET)
    check(drain(r_all) == [], "nothing forwarded after DELETE")
    a.stop()

def golden_lines(stem):
    base = os.path.join(L.DATA, "golden", stem + ".sflowtool.jsonl")
    if os.path.exists(base):
        return len(open(base, "rb").read().splitlines())
    return len(gzip.open(base + ".gz").read().splitlines())

def test_replay(stem, workers):
    pcap = os.path.join(L.DATA, stem + ".pcap")
    a = Analyzer("replay", [("sflow.file", pcap), ("sflow.file.speed", 0),
                            ("workers.number", workers)])
    want = golden_lines(stem)
    got = wait_until(lambda: a.received() >= want, 20)
    time.sleep(0.3)
    check(got and a.received() == want, "replay %s: %s datagrams, sflowtool %d" % (
        stem, a.received(), want))
    time.sleep(0.5)
    check(a.p.poll() is None and get_json(a.http, "/analyzer/json") is not None,
          "replay %s: REST still answers after the replay" % stem)
    a.stop()

try:
    test_live(1)
    test_live(2)
    test_forwarding()
    test_replay("overflowd__sflow", 2)
    test_replay("hsflowd__host_counters_and_pcap_samples", 1)
except Exception as e:
    check(False, "test raised %r" % e)
finally:
    for a in started:
        a.stop()
print("summary collector_ingest %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
EOF
