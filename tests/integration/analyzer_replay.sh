#!/bin/bash
# tests/integration/analyzer_replay.sh: rtflow-analyzer end to end over REST.
# For each capture of shared/testdata that has an expected file in
# tests/data/analyzer/ (written by analyzer_replay_expect.py from sflowtool's
# golden decode of the same capture), the analyzer replays the capture
# (-Dsflow.file=X -Dsflow.file.speed=0) with its HTTP server on a free
# loopback port; then
# - /agents/json has the expected agents, and every expected field of each
#   (datagram and sample counts, loss, uptime ...) is equal;
# - /metric/{agent}/json holds every expected "ds.metric" with an equal
#   value (numbers within 1e-6 relative, strings exactly);
# - /metric/ALL/{agg}:{metric}/json aggregates (sum, max, min, avg, med)
#   over the expected per-data-source values, computed here;
# - /dump/ALL/{metric}/json has one Metric per data source with the value;
# - /table/ALL/{metric},sort:{metric}:-3/json is the 3 largest, in order;
# - a filter (?ifoperstatus=up) selects the data sources it names;
# - /metrics/json names every expected metric; an unknown agent is 404;
# - a malformed aggregation answers 400.
# lastUpdate, firstSeen and lastSeen are not compared (they depend on when
# the query runs). Every wait is bounded; only the analyzer started here
# is stopped, by PID. Prints "summary analyzer_replay <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
TESTDATA=../shared/testdata/sflow-pcaps

if [ ! -x "$BUILD/rtflow-analyzer" ]; then
	echo "analyzer_replay: missing $BUILD/rtflow-analyzer"
	echo "summary analyzer_replay 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$TESTDATA" <<'PYEOF'
import json, os, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

build, testdata = sys.argv[1], sys.argv[2]
analyzer = build + "/rtflow-analyzer"
captures = ["hsflowd__host_counters_and_pcap_samples",
            "tcpdump__sflow_multiple_counter_30_pdus",
            "hsflowd__json_app_samples_rtmetric"]
stats = {"passed": 0, "failed": 0}
tmp = tempfile.mkdtemp(prefix="analyzer_replay.")

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg)

def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

def get(port, path, query=""):
    url = "http://127.0.0.1:%d%s%s" % (port, urllib.parse.quote(path), query)
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError, ValueError):
        return 0, None

def same(want, got):
    if isinstance(want, str):
        return got == want
    return isinstance(got, (int, float)) and abs(got - want) <= 1e-6 * abs(want) + 1e-9

def compare(what, want, got):
    bad = [k for k, v in want.items() if not isinstance(got, dict) or not same(v, got.get(k))]
    for k in bad[:5]:
        print("  %s %s: want %r, got %r" % (what, k, want[k],
                                          got.get(k) if isinstance(got, dict) else None))
    check(not bad, "%s: %d values equal" % (what, len(want)))

def per_ds(expected, metric):
    """[(agent, ds, value)] of every data source with a numeric metric."""
    out = []
    for agent, m in expected["metrics"].items():
        for key, v in m.items():
            ds, name = key.rsplit(".", 1)
            if name == metric and not isinstance(v, str):
                out.append((agent, ds, v))
    return out

def replayed(port, expected):
    def done():
        code, agents = get(port, "/agents/json")
        if code != 200 or not isinstance(agents, dict):
            return False
        return all(a in agents and agents[a].get("sFlowDatagramsReceived") ==
                   f["sFlowDatagramsReceived"] for a, f in expected["agents"].items())
    end = time.time() + 20
    while time.time() < end:
        if done():
            return True
        time.sleep(0.05)
    return done()

def check_aggregates(name, port, expected, metric):
    vals = [v for _a, _d, v in per_ds(expected, metric)]
    if not vals:
        return
    aggs = {"sum": sum(vals), "max": max(vals), "min": min(vals),
            "avg": sum(vals) / len(vals), "med": statistics.median(vals)}
    spec = ",".join("%s:%s" % (a, metric) for a in aggs)
    code, res = get(port, "/metric/ALL/%s/json" % spec)
    ok = code == 200 and isinstance(res, list) and len(res) == len(aggs)
    for i, (agg, want) in enumerate(aggs.items()):
        got = res[i] if ok else {}
        good = ok and same(want, got.get("metricValue")) and got.get("metricN") == len(vals) \
            and got.get("metricName") == "%s:%s" % (agg, metric)
        check(good, "%s: %s:%s = %.6g over %d data sources (got %r)" %
              (name, agg, metric, want, len(vals), got.get("metricValue")))

def check_dump_table(name, port, expected, metric):
    rows = per_ds(expected, metric)
    if not rows:
        return
    code, res = get(port, "/dump/ALL/%s/json" % metric)
    got = {(m.get("agent"), m.get("dataSource")): m.get("metricValue")
           for m in (res if isinstance(res, list) else [])}
    want = {(a, d): v for a, d, v in rows}
    check(code == 200 and len(got) == len(want) and
          all(same(v, got.get(k)) for k, v in want.items()),
          "%s: /dump/ALL/%s: %d Metric objects" % (name, metric, len(want)))
    top = sorted((v for _a, _d, v in rows), reverse=True)[:3]
    code, res = get(port, "/table/ALL/%s,sort:%s:-3/json" % (metric, metric))
    vals = [r[1].get("metricValue") for r in res] if isinstance(res, list) and \
        all(isinstance(r, list) and len(r) == 2 for r in res) else None
    check(code == 200 and vals is not None and len(vals) == len(top) and
          all(same(w, g) for w, g in zip(top, vals)),
          "%s: /table sort:%s:-3 gives %s" % (name, metric, top))

def check_filter_and_names(name, port, expected):
    """sum:ifspeed over data sources whose ifoperstatus is up; /metrics/json
    names every expected metric; an unknown agent is 404."""
    want, n = 0.0, 0
    for agent, m in expected["metrics"].items():
        for key, v in m.items():
            ds, metric = key.rsplit(".", 1)
            if metric == "ifspeed" and m.get(ds + ".ifoperstatus") == "up":
                want, n = want + v, n + 1
    code, res = get(port, "/metric/ALL/sum:ifspeed/json", "?ifoperstatus=up&ifoperstatus=u*")
    got = res[0] if code == 200 and isinstance(res, list) and res else {}
    check(got.get("metricN", 0) == n and (n == 0 or same(want, got.get("metricValue"))),
          "%s: sum:ifspeed?ifoperstatus=up = %.6g over %d (got %r over %r)" %
          (name, want, n, got.get("metricValue"), got.get("metricN")))
    names = {k.rsplit(".", 1)[1] for m in expected["metrics"].values() for k in m}
    code, res = get(port, "/metrics/json")
    missing = sorted(names - set(res if isinstance(res, dict) else {}))
    check(code == 200 and not missing, "%s: /metrics/json names all %d expected metrics %s" %
          (name, len(names), missing[:5]))
    code, _ = get(port, "/metric/192.0.2.99/json")
    check(code == 404, "%s: unknown agent answers 404 (got %d)" % (name, code))

def run(name):
    pcap = os.path.join(testdata, name + ".pcap")
    with open("tests/data/analyzer/%s.expected.json" % name) as f:
        expected = json.load(f)
    port = free_port(socket.SOCK_STREAM)
    args = [analyzer, "-Dsflow.file=" + pcap, "-Dsflow.file.speed=0",
            "-Dhttp.port=%d" % port, "-Dsflow.port=%d" % free_port(socket.SOCK_DGRAM)]
    err = open(os.path.join(tmp, name + ".err"), "wb")
    p = subprocess.Popen(args, stdout=err, stderr=err)
    try:
        check(replayed(port, expected), "%s: replay finished (%d agents)" %
              (name, len(expected["agents"])))
        code, agents = get(port, "/agents/json")
        check(code == 200 and isinstance(agents, dict) and
              sorted(agents) == sorted(expected["agents"]),
              "%s: /agents/json lists %s" % (name, sorted(expected["agents"])))
        for a, want in expected["agents"].items():
            compare("%s /agents/json %s" % (name, a), want, (agents or {}).get(a))
        for a, want in expected["metrics"].items():
            code, got = get(port, "/metric/%s/json" % a)
            compare("%s /metric/%s/json" % (name, a), want, got if code == 200 else None)
        for metric in ("ifinoctets", "ifspeed", "load_one", "mem_utilization", "queue_len"):
            check_aggregates(name, port, expected, metric)
        check_dump_table(name, port, expected, "ifoutoctets")
        check_filter_and_names(name, port, expected)
        code, _ = get(port, "/metric/ALL/nosuchagg:load_one/json")
        check(code == 400, "%s: unknown aggregation answers 400 (got %d)" % (name, code))
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)
        err.close()
    if stats["failed"]:
        with open(os.path.join(tmp, name + ".err"), "rb") as f:
            sys.stdout.write(f.read()[-2000:].decode("utf-8", "replace"))

for c in captures:
    if not os.path.exists(os.path.join(testdata, c + ".pcap")):
        check(False, "%s: capture missing" % c)
        continue
    run(c)
print("summary analyzer_replay %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
