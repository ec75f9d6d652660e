#!/bin/bash
# tests/integration/analyzer_http.sh: rtflow-analyzer end to end on loopback.
# - --check exits 0 on a good file; a bad file exits 2 with "file:line:";
# - the daemon on free ports receives hand-built sFlow v5 datagrams over UDP
#   on 127.0.0.1 (agent 192.0.2.1: host 2:1 and interface 3) and ::1 (agent
#   2001:db8::2: interface 7), two counter samples per interface 10 s apart
#   in agent uptime, with counter values chosen here; the REST answers
#   (/analyzer/json, /agents, /metric, /dump, /table, /prometheus/...) equal
#   the rates and counts computed here from those values;
# - every error path: 404, 405 + Allow, 400, 413 (declared and chunked),
#   415, 403 after a SIGHUP that sets http.readonly=yes; a SIGHUP that moves
#   http.port opens the new port and closes the old; forwarding PUT, GET,
#   a forwarded copy byte-identical to the datagram, DELETE;
# - sd_notify READY=1 / RELOADING=1 / STOPPING=1 reach a NOTIFY_SOCKET;
# - SIGTERM exits 0; a replayed capture (-Dsflow.file, speed 0) counts as
#   many datagrams and agents as sflowtool's golden decode lists.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_http <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
PCAPS=$PWD/../shared/testdata/sflow-pcaps

if [ ! -x "$BUILD/rtflow-analyzer" ]; then
	echo "analyzer_http: missing $BUILD/rtflow-analyzer"
	echo "summary analyzer_http 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$PCAPS" <<'PYEOF'
import http.client, json, math, os, re, shutil, signal, socket, struct, subprocess, sys
import tempfile, time

sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, wait_until, stop

build, pcaps = sys.argv[1], sys.argv[2]
binary = build + "/rtflow-analyzer"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("analyzer_http.")

def start(args, name):
    """args started with stderr in tmp/name.err: the process and that path."""
    p, _, err = testlib.start(args, name)
    return p, err

def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")

def request(port, method, path, body=None, headers=None, host="127.0.0.1"):
    """(status, headers dict lower-case, body text); status 0 when refused."""
    try:
        c = http.client.HTTPConnection(host, port, timeout=10)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read().decode("utf-8", "replace")
        h = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, h, data
    except (ConnectionError, OSError):
        return 0, {}, ""

def get_json(port, path):
    st, _, body = request(port, "GET", path)
    try:
        return st, json.loads(body)
    except ValueError:
        return st, None

# ---- sFlow v5 datagrams, packed by hand (sFlow v5 spec, XDR) ----------
def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)

def record(tag, body):
    return struct.pack(">II", tag, len(body)) + body

def if_counters(ifindex, speed, c):
    return record(1, struct.pack(">IIQIIQIIIIIIQIIIIII", ifindex, 6, speed, 1, 3,
                                 c["in_octets"], c["in_ucast"], c["in_mcast"], c["in_bcast"],
                                 c["in_discards"], c["in_errors"], 0, c["out_octets"],
                                 c["out_ucast"], 0, 0, 0, 0, 0))

def port_name(name):
    return record(1005, xdr_string(name))

def host_descr(hostname):
    return record(2000, xdr_string(hostname) + b"\x11" * 16 + struct.pack(">II", 3, 2) +
                  xdr_string("6.1.0"))

def host_cpu(load_one, cpu_num):
    return record(2003, struct.pack(">fffIIIII", load_one, 0.5, 0.25, 1, 100, cpu_num, 2000,
                                    1000) + b"\0" * 36)

def counter_sample(seq, source_type, index, records):
    body = struct.pack(">II", seq, (source_type << 24) | index) + \
           struct.pack(">I", len(records)) + b"".join(records)
    return struct.pack(">II", 2, len(body)) + body

def datagram(agent, seq, uptime_ms, samples, version=5):
    if ":" in agent:
        head = struct.pack(">II", version, 2) + socket.inet_pton(socket.AF_INET6, agent)
    else:
        head = struct.pack(">II", version, 1) + socket.inet_aton(agent)
    return head + struct.pack(">IIII", 0, seq, uptime_ms, len(samples)) + b"".join(samples)

A1, A2 = "192.0.2.1", "2001:db8::2"
HOST1 = 'we"ird\\host'
C1 = [dict(in_octets=1000000, in_ucast=1000, in_mcast=10, in_bcast=5, in_discards=0,
           in_errors=0, out_octets=2000000, out_ucast=2000),
      dict(in_octets=2250000, in_ucast=1500, in_mcast=30, in_bcast=15, in_discards=30,
           in_errors=10, out_octets=4500000, out_ucast=3000)]
C2 = [dict(in_octets=5000, in_ucast=10, in_mcast=0, in_bcast=0, in_discards=0, in_errors=0,
           out_octets=7000, out_ucast=20),
      dict(in_octets=2505000, in_ucast=1010, in_mcast=0, in_bcast=0, in_discards=0,
           in_errors=0, out_octets=507000, out_ucast=120)]
SPEED1, SPEED2, DT = 1000000000, 10000000000, 10.0

def agent1_datagrams():
    out = []
    for i, up in enumerate((100000, 110000)):
        out.append(datagram(A1, i + 1, up, [
            counter_sample(i + 1, 0, 3, [if_counters(3, SPEED1, C1[i]), port_name("eth0")]),
            counter_sample(i + 1, 2, 1, [host_descr(HOST1), host_cpu(1.5, 4)])]))
    return out

def agent2_datagrams():
    return [datagram(A2, i + 1, up, [counter_sample(i + 1, 0, 7, [if_counters(7, SPEED2, C2[i])])])
            for i, up in enumerate((5000, 15000))]

def rate(c, key):
    return (c[1][key] - c[0][key]) / DT

def expected():
    """Per agent: the metric values of the second samples, computed here."""
    e = {}
    for agent, ds, c, speed in ((A1, "3", C1, SPEED1), (A2, "7", C2, SPEED2)):
        m = {"ifinoctets": rate(c, "in_octets"), "ifoutoctets": rate(c, "out_octets"),
             "ifinucastpkts": rate(c, "in_ucast"), "ifindiscards": rate(c, "in_discards"),
             "ifinerrors": rate(c, "in_errors"), "ifspeed": speed,
             "ifinpkts": rate(c, "in_ucast") + rate(c, "in_mcast") + rate(c, "in_bcast")}
        m["ifinutilization"] = m["ifinoctets"] * 800 / speed
        m["ifoututilization"] = m["ifoutoctets"] * 800 / speed
        e[agent] = (ds, m)
    return e

def close(a, b):
    return isinstance(a, (int, float)) and abs(a - b) <= 1e-6 * max(1, abs(b))

def write_conf(path, lines):
    with open(path, "w") as f:
        f.write("# analyzer_http test\n" + "".join(l + "\n" for l in lines))

# ---- tests ------------------------------------------------------------------
def test_config_errors():
    good, bad = os.path.join(tmp, "good.conf"), os.path.join(tmp, "bad.conf")
    write_conf(good, ["http.port=8123", "myapp.setting=1"])
    r = subprocess.run([binary, "--check", "-f", good], capture_output=True, timeout=10)
    check(r.returncode == 0 and b"http.port=8123" in r.stdout, "--check good config: exit 0")
    write_conf(bad, ["http.port=8123", "http.readonly=maybe"])
    r = subprocess.run([binary, "--check", "-f", bad], capture_output=True, timeout=10)
    check(r.returncode == 2 and re.search(rb"bad\.conf:3: http\.readonly", r.stderr) is not None,
          "--check bad config: exit 2 with bad.conf:3: (%d %s)" % (r.returncode,
                                                                  r.stderr.strip()[-80:]))
    r = subprocess.run([binary, "-f", bad], capture_output=True, timeout=10)
    check(r.returncode == 2 and b"bad.conf:3: " in r.stderr, "daemon with a bad config exits 2")
    r = subprocess.run([binary, "-f", good, "-Dsflow.port=0"], capture_output=True, timeout=10)
    check(r.returncode == 2 and b"-Dsflow.port: " in r.stderr, "bad -D exits 2 naming -Dsflow.port")
    r = subprocess.run([binary, "-f", os.path.join(tmp, "none.conf")], capture_output=True,
                       timeout=10)
    check(r.returncode == 2, "missing -f file exits 2")

def send_datagrams(sport):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sent = agent1_datagrams() + agent2_datagrams()
    for d in agent1_datagrams():
        s4.sendto(d, ("127.0.0.1", sport))
        time.sleep(0.05)
    for d in agent2_datagrams():
        s6.sendto(d, ("::1", sport))
        time.sleep(0.05)
    s4.close()
    s6.close()
    return sent

def test_analyzer_json(hport, sent):
    ok = wait_until(lambda: (get_json(hport, "/analyzer/json")[1] or {}).get(
        "sFlowDatagramsReceived") == len(sent), 5)
    _, a = get_json(hport, "/analyzer/json")
    a = a or {}
    check(ok, "sFlowDatagramsReceived == %d sent (got %s)" % (len(sent),
                                                              a.get("sFlowDatagramsReceived")))
    check(a.get("sFlowBytesReceived") == sum(len(d) for d in sent),
          "sFlowBytesReceived == %d (got %s)" % (sum(len(d) for d in sent),
                                                 a.get("sFlowBytesReceived")))
    check(a.get("sFlowAgents") == 2, "sFlowAgents == 2 (got %s)" % a.get("sFlowAgents"))
    for k in ("sFlowDatagramsDiscarded", "sFlowParseErrors", "sFlowUnsupportedVersion",
              "flowsGenerated", "flowsLost", "eventsGenerated", "eventsLost"):
        check(a.get(k) == 0, "%s == 0 (got %s)" % (k, a.get(k)))
    check(a.get("version") == "1.0-1", "version 1.0-1")
    check(a.get("availableProcessors") == os.cpu_count(), "availableProcessors == cpu count")
    with open("/proc/meminfo") as f:
        mt = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) * 1024
    check(a.get("memTotal") == mt, "memTotal == /proc/meminfo MemTotal")
    check(0 < a.get("heapUsed", 0) <= a.get("heapMax", 0) <= mt, "0 < heapUsed <= heapMax <= memTotal")
    check(a.get("threadCount", 0) >= 2 and a.get("uptime", 0) > 0, "threadCount >= 2, uptime > 0")
    check(a.get("httpMessagesReceived", 0) >= 2 and a.get("httpConnectionsTotal", 0) >= 2 and
          a.get("httpBytesSent", 0) > 0, "http counters count requests")
    check(0 <= a.get("cpuLoadProcess", -1) <= 1 and a.get("cpuTime", -1) >= 0, "cpu figures")

def test_agents(hport, sent):
    st, ag = get_json(hport, "/agents/json")
    ag = ag or {}
    check(st == 200 and sorted(ag) == sorted([A1, A2]), "/agents/json keys %s" % sorted(ag))
    for agent, src in ((A1, "127.0.0.1"), (A2, "::1")):
        x = ag.get(agent, {})
        check(x.get("sFlowDatagramsReceived") == 2, "%s sFlowDatagramsReceived == 2 (%s)" %
              (agent, x.get("sFlowDatagramsReceived")))
        check(src in (x.get("sFlowDatagramSource") or []), "%s source %s" % (agent, src))
        check(x.get("sFlowDatagramsLost") == 0, "%s sFlowDatagramsLost == 0" % agent)
    st, one = get_json(hport, "/agents/json?agent=" + A2)
    check(st == 200 and list(one or {}) == [A2], "/agents/json?agent=%s selects one" % A2)

def test_metric(hport):
    e = expected()
    st, m = get_json(hport, "/metric/%s/json" % A1)
    m = m or {}
    ds, want = e[A1]
    check(st == 200, "/metric/%s/json 200" % A1)
    for k, v in sorted(want.items()):
        check(close(m.get(ds + "." + k), v), "%s %s.%s == %g (got %s)" % (A1, ds, k, v,
                                                                          m.get(ds + "." + k)))
    check(m.get("2.1.host_name") == HOST1, "2.1.host_name == %r" % HOST1)
    check(close(m.get("2.1.load_one"), 1.5), "2.1.load_one == 1.5 (got %s)" % m.get("2.1.load_one"))
    check(m.get("3.ifname") == "eth0", "3.ifname == eth0 (got %s)" % m.get("3.ifname"))
    st, m2 = get_json(hport, "/metric/%s/json" % A2)
    ds, want = e[A2]
    check(st == 200 and close((m2 or {}).get("7.ifinoctets"), want["ifinoctets"]),
          "IPv6 agent %s 7.ifinoctets == %g" % (A2, want["ifinoctets"]))
    st, stat = get_json(hport, "/metric/ALL/max:ifinoctets,min:ifinoctets,sum:ifinoctets,"
                        "max:no_such_metric/json")
    stat = stat or [{}] * 4
    v1, v2 = e[A1][1]["ifinoctets"], e[A2][1]["ifinoctets"]
    check(st == 200 and len(stat) == 4, "/metric/ALL/4 metrics: 4 Statistics")
    if len(stat) == 4:
        check(close(stat[0].get("metricValue"), max(v1, v2)) and stat[0].get("agent") == A2 and
              stat[0].get("metricName") == "max:ifinoctets" and stat[0].get("metricN") == 2,
              "max:ifinoctets == %g from %s, metricN 2 (%s)" % (max(v1, v2), A2, stat[0]))
        check(close(stat[1].get("metricValue"), min(v1, v2)), "min:ifinoctets == %g" % min(v1, v2))
        check(close(stat[2].get("metricValue"), v1 + v2), "sum:ifinoctets == %g" % (v1 + v2))
        check("metricValue" not in stat[3], "unknown metric: no metricValue")
    st, _ = get_json(hport, "/metric/198.51.100.1/json")
    check(st == 404, "/metric/unknown agent/json 404 (got %d)" % st)

def test_dump_table(hport):
    e = expected()
    st, d = get_json(hport, "/dump/ALL/ifinoctets/json")
    got = {(x.get("agent"), x.get("dataSource")): x.get("metricValue") for x in d or []}
    want = {(a, e[a][0]): e[a][1]["ifinoctets"] for a in e}
    check(st == 200 and set(got) == set(want) and all(close(got[k], want[k]) for k in want),
          "/dump/ALL/ifinoctets/json == %s (got %s)" % (want, got))
    st, d = get_json(hport, "/dump/ALL/ifinoctets/json?ifspeed=%d" % SPEED1)
    check(st == 200 and [x.get("agent") for x in d or []] == [A1],
          "/dump filter ifspeed=%d selects %s" % (SPEED1, A1))
    st, d = get_json(hport, "/dump/%s/ALL/json" % A1)
    names = {x.get("metricName") for x in d or []}
    check(st == 200 and {"ifinoctets", "host_name", "load_one"} <= names,
          "/dump/%s/ALL/json has ifinoctets, host_name, load_one" % A1)
    st, t = get_json(hport, "/table/ALL/sort:ifinoctets:-1,ifoutoctets/json")
    t = t or []
    check(st == 200 and len(t) == 1 and len(t[0]) == 2 and t[0][0].get("agent") == A2 and
          close(t[0][1].get("metricValue"), e[A2][1]["ifoutoctets"]),
          "/table sort:ifinoctets:-1: one row of %s (%s)" % (A2, t))

def prom_lines(text):
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
        if not m:
            return None
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        out[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(4))
    return out

def test_prometheus(hport):
    e = expected()
    st, h, text = request(hport, "GET", "/prometheus/metrics/ALL/ifinoctets,host_name,load_one/txt")
    lines = prom_lines(text)
    check(st == 200 and h.get("content-type", "").startswith("text/plain") and lines is not None,
          "/prometheus/metrics: text format parses")
    esc = HOST1.replace("\\", "\\\\").replace('"', '\\"')
    k1 = ("sflow_ifinoctets", (("agent", A1), ("datasource", "3"), ("host", esc), ("ifname", "eth0")))
    k2 = ("sflow_ifinoctets", (("agent", A2), ("datasource", "7")))
    k3 = ("sflow_load_one", (("agent", A1), ("datasource", "2.1"), ("host", esc)))
    lines = lines or {}
    check(close(lines.get(k1), e[A1][1]["ifinoctets"]), "prometheus %s" % (k1,))
    check(close(lines.get(k2), e[A2][1]["ifinoctets"]), "prometheus %s" % (k2,))
    check(close(lines.get(k3), 1.5), "prometheus %s" % (k3,))
    check(not any(k[0] == "sflow_host_name" for k in lines), "string metrics are not exported")
    st, _, text = request(hport, "GET", "/prometheus/analyzer/txt")
    lines = prom_lines(text) or {}
    check(st == 200 and lines.get(("sflow_analyzer_received_datagrams", ())) == 4 and
          lines.get(("sflow_analyzer_agents", ())) == 2, "/prometheus/analyzer/txt counts")

def recv_head(s):
    """Bytes read from s up to the end of the response head (or EOF)."""
    resp = b""
    try:
        while b"\r\n\r\n" not in resp:
            d = s.recv(4096)
            if not d:
                break
            resp += d
    except OSError:
        pass
    return resp

def test_errors(hport):
    for method, path, want in (("GET", "/nope", 404), ("GET", "/metric//json", 404),
                               ("POST", "/version", 405), ("DELETE", "/agents/json", 405),
                               ("GET", "/metric/ALL/bogus:ifinoctets/json", 400)):
        st, h, body = request(hport, method, path)
        try:
            err = json.loads(body).get("error")
        except (ValueError, AttributeError):
            err = None
        check(st == want and isinstance(err, str) and err,
              "%s %s -> %d with a JSON error (got %d %s)" % (method, path, want, st, body[:60]))
        if want == 405:
            check(h.get("allow") == "GET", "405 carries Allow: GET (%s)" % h.get("allow"))
    js = {"Content-Type": "application/json"}
    st, _, _ = request(hport, "PUT", "/forwarding/f/json", body="{}")
    check(st == 415, "PUT without Content-Type -> 415 (got %d)" % st)
    st, _, _ = request(hport, "PUT", "/forwarding/f/json", body="{", headers=js)
    check(st == 400, "PUT bad JSON -> 400 (got %d)" % st)
    st, _, _ = request(hport, "PUT", "/forwarding/f/json", body='{"address":"no such host!"}',
                       headers=js)
    check(st == 400, "PUT bad forwarding address -> 400 (got %d)" % st)
    st, _, _ = request(hport, "PUT", "/forwarding/f/json", body="x" * (1024 * 1024 + 1), headers=js)
    check(st == 413, "PUT 1 MB + 1 body -> 413 (got %d)" % st)
    s = socket.create_connection(("127.0.0.1", hport), timeout=10)
    s.sendall(b"PUT /forwarding/f/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 999999999\r\n\r\n")
    check(recv_head(s).startswith(b"HTTP/1.1 413"), "declared 1 GB body -> 413 before any body")
    s.close()
    s = socket.create_connection(("127.0.0.1", hport), timeout=10)
    s.sendall(b"PUT /forwarding/f/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % 65536 + b" " * 65536 + b"\r\n"
    try:
        for _ in range(17):
            s.sendall(chunk)
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    resp = recv_head(s)
    s.close()
    check(resp.startswith(b"HTTP/1.1 413"), "chunked body over 1 MB -> 413 (%s)" % resp[:20])

def test_forwarding(hport, sport):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.settimeout(3)
    js = {"Content-Type": "application/json"}
    body = json.dumps({"address": "127.0.0.1", "port": rx.getsockname()[1]})
    st, _, _ = request(hport, "PUT", "/forwarding/copy/json", body=body, headers=js)
    check(st == 204, "PUT /forwarding/copy/json -> 204 (got %d)" % st)
    st, f = get_json(hport, "/forwarding/copy/json")
    check(st == 200 and (f or {}).get("address") == "127.0.0.1" and
          (f or {}).get("port") == rx.getsockname()[1], "GET forwarding target back (%s)" % f)
    st, l = get_json(hport, "/forwarding/json")
    check(st == 200 and list(l or {}) == ["copy"], "/forwarding/json lists it")
    d = datagram(A1, 3, 120000, [counter_sample(3, 0, 3, [if_counters(3, SPEED1, C1[1])])])
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.sendto(d, ("127.0.0.1", sport))
    tx.close()
    try:
        got = rx.recv(65536)
    except OSError:
        got = b""
    rx.close()
    check(got == d, "forwarded copy is byte-identical (%d of %d bytes)" % (len(got), len(d)))
    st, _, _ = request(hport, "DELETE", "/forwarding/copy/json")
    check(st == 204, "DELETE -> 204 (got %d)" % st)
    st, _, _ = request(hport, "GET", "/forwarding/copy/json")
    check(st == 404, "GET after DELETE -> 404 (got %d)" % st)

def test_reload(p, conf, hport, sport, perr):
    js = {"Content-Type": "application/json"}
    write_conf(conf, ["http.port=%d" % hport, "sflow.port=%d" % sport, "http.readonly=yes"])
    p.send_signal(signal.SIGHUP)
    ok = wait_until(lambda: request(hport, "PUT", "/forwarding/x/json",
                                    body='{"address":"127.0.0.1"}', headers=js)[0] == 403, 5)
    check(ok, "SIGHUP http.readonly=yes: PUT -> 403")
    check(request(hport, "GET", "/version")[0] == 200, "reads still served when read-only")
    st, _, _ = request(hport, "DELETE", "/forwarding/x/json")
    check(st == 403, "DELETE read-only -> 403 (got %d)" % st)
    h2, s2 = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    write_conf(conf, ["http.port=%d" % h2, "sflow.port=%d" % s2])
    p.send_signal(signal.SIGHUP)
    ok = wait_until(lambda: request(h2, "GET", "/version")[0] == 200, 5)
    check(ok, "SIGHUP http.port: the new port answers")
    # The old listener closes last, once the collector has moved too.
    check(wait_until(lambda: request(hport, "GET", "/version")[0] == 0, 5),
          "the old port is closed")
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    d3 = datagram("192.0.2.3", 1, 1000, [counter_sample(1, 0, 1, [if_counters(
        1, SPEED1, C1[0])])])
    def arrived():
        tx.sendto(d3, ("127.0.0.1", s2))
        time.sleep(0.1)
        return "192.0.2.3" in (get_json(h2, "/agents/json")[1] or {})
    check(wait_until(arrived, 5), "SIGHUP sflow.port: datagrams to the new port arrive")
    tx.close()
    _, ag = get_json(h2, "/agents/json")
    check((ag or {}).get(A1, {}).get("sFlowDatagramsReceived") == 3,
          "agents and counts survive the collector restart")
    st, _, _ = request(h2, "PUT", "/forwarding/x/json", body='{"address":"127.0.0.1"}', headers=js)
    check(st == 204, "read-only off again: PUT -> 204 (got %d)" % st)
    write_conf(conf, ["http.port=%d" % h2, "http.readonly=perhaps"])
    p.send_signal(signal.SIGHUP)
    logged = wait_until(lambda: re.search(r"ERROR: config: .*analyzer\.conf:3: http\.readonly",
                                          read(perr)) is not None, 5)
    check(p.poll() is None and request(h2, "GET", "/version")[0] == 200,
          "a bad file on SIGHUP keeps the running configuration")
    check(logged, "the bad reload is logged with file:line")
    return h2

def test_replay():
    name = "tcpdump__sflow_multiple_counter_30_pdus"
    pcap, golden = pcaps + "/" + name + ".pcap", pcaps + "/golden/" + name + ".sflowtool.jsonl"
    if not os.path.exists(pcap):
        check(False, "replay capture %s present" % pcap)
        return
    with open(golden) as f:
        decoded = [json.loads(l) for l in f if l.strip()]
    hport = free_port(socket.SOCK_STREAM)
    p, _ = start([binary, "-f", "/dev/null", "-Dhttp.port=%d" % hport, "-Dsflow.file=" + pcap, "-Dsflow.file.speed=0"],
                 "replay")
    done = wait_until(lambda: (get_json(hport, "/analyzer/json")[1] or {}).get("replayDone"), 10)
    _, a = get_json(hport, "/analyzer/json")
    a = a or {}
    check(done and a.get("sFlowDatagramsReceived") == len(decoded),
          "replay: %d datagrams as sflowtool decodes (got %s)" % (len(decoded),
                                                                   a.get("sFlowDatagramsReceived")))
    agents = {d["agent"] for d in decoded if "agent" in d}
    check(a.get("sFlowAgents") == len(agents), "replay: %d agents (got %s)" % (len(agents),
                                                                             a.get("sFlowAgents")))
    bad = sum(1 for d in decoded if d.get("datagramVersion") != "5")
    check(a.get("sFlowUnsupportedVersion") == bad, "replay: %d unsupported version (got %s)" %
          (bad, a.get("sFlowUnsupportedVersion")))
    check(stop(p) == 0, "replay daemon: SIGTERM exit 0")

def test_notify():
    """sd_notify over a NOTIFY_SOCKET made here: READY=1, RELOADING=1 then
    READY=1 on SIGHUP, STOPPING=1 on SIGTERM."""
    path = os.path.join(tmp, "notify.sock")
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(path)
    ns.settimeout(5)
    hport, sport = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    err = open(os.path.join(tmp, "notify.err"), "wb")
    p = subprocess.Popen([binary, "-f", "/dev/null", "-Dhttp.port=%d" % hport,
                          "-Dsflow.port=%d" % sport], stderr=err, env=env)
    children.append(p)
    def msgs(n):
        out = []
        try:
            while len(out) < n:
                out.append(ns.recv(4096).decode())
        except OSError:
            pass
        return out
    m = msgs(1)
    check(m and "READY=1" in m[0].split("\n"), "sd_notify READY=1 at start (%s)" % m)
    check(request(hport, "GET", "/version")[0] == 200, "READY=1 came after the listener opened")
    p.send_signal(signal.SIGHUP)
    m = msgs(2)
    check(m == ["RELOADING=1", "READY=1"], "SIGHUP: RELOADING=1 then READY=1 (%s)" % m)
    p.send_signal(signal.SIGTERM)
    m = msgs(1)
    check(m == ["STOPPING=1"], "SIGTERM: STOPPING=1 (%s)" % m)
    check(stop(p) == 0, "notify daemon exits 0")
    ns.close()

def main():
    test_config_errors()
    test_notify()
    hport, sport = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    conf = os.path.join(tmp, "analyzer.conf")
    write_conf(conf, ["http.port=%d" % hport, "sflow.port=%d" % sport, "workers.number=2"])
    p, perr = start([binary, "-f", conf], "analyzer")
    up = wait_until(lambda: request(hport, "GET", "/version")[0] == 200, 10)
    check(up, "daemon answers on port %d" % hport)
    if not up:
        print(read(perr))
        return
    st, h, body = request(hport, "GET", "/version")
    check(body == "1.0-1" and h.get("content-type") == "text/plain", "/version text/plain 1.0-1")
    check(re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO: Listening, sFlow port %d$" % sport,
                    read(perr), re.M) is not None, "log: Listening, sFlow port")
    sent = send_datagrams(sport)
    test_analyzer_json(hport, sent)
    test_agents(hport, sent)
    test_metric(hport)
    test_dump_table(hport)
    test_prometheus(hport)
    st, _, body = request(hport, "GET", "/")
    check(st == 200 and "<h1>rtflow-analyzer 1.0-1</h1>" in body, "/ status page")
    test_errors(hport)
    test_forwarding(hport, sport)
    test_reload(p, conf, hport, sport, perr)
    rc = stop(p)
    check(rc == 0, "SIGTERM: exit 0 (got %s)" % rc)
    check("INFO: stopped" in read(perr), "log: stopped")
    test_replay()

try:
    main()
finally:
    for p in children:
        stop(p)
sys.exit(testlib.summary("analyzer_http"))
PYEOF
