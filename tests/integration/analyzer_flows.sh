#!/bin/bash
# tests/integration/analyzer_flows.sh: the flow engine end to end.
# Captures of flow samples come from tests/bench/tools/sflow_flowgen, a
# known traffic model (flows of known packets/s and bytes, fixed-seed
# 1-in-N sampling, several agents); rtflow-analyzer replays each one
# (-Dsflow.file, on the capture's clock) after the test has defined its
# flows during the capture's quiet first seconds. Expected values come from
# the model: a flow of P packets/s of B bytes sampled 1 in N, smoothed with
# time constant t and read T s after it started (and D s after it
# stopped) has mean P·B·(e^(-D/t) - e^(-T/t)) and variance
# (P/N)·(N·B)²/(2t)·(e^(-2D/t) - e^(-2T/t)) (Poisson thinning; the fixed
# spacing only lowers it); values must fall within 4 standard deviations.
# - top flows by ipsource,ipdestination with thousands of random mice
#   beside them: the three heavy flows first, in order, each within its
#   bound, agent and flowN right; a stopped flow decayed as e^(-D/t);
# - frames, a filter (ipprotocol=17), a group: key, a keyless total
#   (/flowvalue), minValue, maxFlows, a result filter; log with flowStart:
#   each heavy flow logged once, at its first sample;
# - one flow seen by three agents: aggMode max within the bound of one
#   agent's estimate, sum within the bound of three, flowN 3;
# - a flood of 1,000,000 distinct random sources next to one heavy flow
#   with flow.cache.max=1000: the heavy flow stays on top, every cache
#   within its cap, evictions counted in /analyzer/json, RSS bounded;
# - /flow, /flowkeys, /group, /map endpoints and their errors (400 with a
#   reason, 404, 204).
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_flows <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
GEN=build/release/bench/tools/sflow_flowgen

if [ ! -x "$BUILD/rtflow-analyzer" ]; then
	echo "analyzer_flows: missing $BUILD/rtflow-analyzer"
	echo "summary analyzer_flows 0 1"
	exit 1
fi
if ! make --no-print-directory NO_DEPS=1 "$GEN" >/dev/null; then
	echo "analyzer_flows: cannot build $GEN"
	echo "summary analyzer_flows 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$GEN" <<'PYEOF'
import json, math, os, socket, sys, threading, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, request, wait_until

build, gen = sys.argv[1], sys.argv[2]
binary = build + "/rtflow-analyzer"
testlib.init("analyzer_flows.")

def generate(name, args):
    return testlib.flowgen(gen, name, args)

def Analyzer(pcap, speed, extra=()):
    return testlib.Analyzer(binary, pcap, speed, extra)

T_S = 2.0  # the definitions' smoothing time constant (the default t)

def model(pps, nbytes, rate, T, D=0.0, t=T_S):
    """mean and standard deviation of a flow's smoothed bytes/s"""
    mean = pps * nbytes * (math.exp(-D / t) - math.exp(-T / t))
    var = (pps / rate) * (rate * nbytes) ** 2 / (2 * t) * (math.exp(-2 * D / t) - math.exp(-2 * T / t))
    return mean, math.sqrt(var)

def within(value, mean, sd, what):
    ok = value is not None and abs(value - mean) <= 4 * sd + 1e-9
    check(ok, "%s: %.6g within 4 sd (%.6g) of %.6g" % (what, value if value is not None else float("nan"), sd, mean))

def top(a, agents, name, query=""):
    st, j = a.get("/activeflows/%s/%s/json%s" % (agents, name, query))
    return j if st == 200 and isinstance(j, list) else []

# ---- 1. accuracy, top-N beside mice, filters, groups, keyless ----------
SECONDS, RATE, WARM = 12.0, 16, 3.0
F1 = ("10.1.0.1", "10.2.0.1", 6, 40000, 443, 8000, 1000, 0)
F2 = ("10.1.0.2", "10.2.0.2", 17, 5000, 53, 4000, 500, 0)
F3 = ("10.1.0.3", "10.2.0.3", 6, 40001, 80, 6000, 1500, 8)
args = ["-s", str(SECONDS), "-N", str(RATE), "-a", "2", "-S", "7", "-w", str(WARM), "-r", "3000"]
for f in (F1, F2, F3):
    args += ["-f", ",".join(str(x) for x in f)]
pcap, ndg = generate("accuracy", args)
a = Analyzer(pcap, 2)
check(a.up, "analyzer replaying the model capture answers")
defs = {
    "pair": {"keys": "ipsource,ipdestination", "value": "bytes"},
    "pairf": {"keys": ["ipsource", "ipdestination"], "value": "frames"},
    "udp": {"keys": "ipsource", "value": "bytes", "filter": "ipprotocol=17"},
    "side": {"keys": "group:ipsource:lan", "value": "bytes"},
    "total": {"value": "bytes"},
    "started": {"keys": "ipsource,ipdestination", "value": "bytes", "log": True, "flowStart": True,
                "filter": "ipsource=10.1.0.1,10.1.0.2,10.1.0.3"},
}
st, _ = a.put("/threshold/elephant/json", {"metric": "pair", "value": 5e6, "byFlow": True})
check(st == 204, "PUT /threshold/elephant/json (byFlow) answers 204 (got %s)" % st)
st, _ = a.put("/threshold/busyds/json", {"metric": "pair", "value": 5e6, "timeout": 30})
check(st == 204, "PUT /threshold/busyds/json answers 204 (got %s)" % st)
# long polls parked before the traffic starts: one waits for the first
# event; ten more wait on events that come later, and must not hold the
# server's threads (a plain request still answers at once)
polls = {}
def long_poll(key, path):
    t0 = time.time()
    polls[key] = (request(a.http, "GET", path), time.time() - t0)
waiters = [threading.Thread(target=long_poll, args=("first", "/events/json?eventID=0&timeout=20"))]
waiters += [threading.Thread(target=long_poll, args=("busy%d" % i, "/events/json?eventID=1000000&timeout=3"))
            for i in range(10)]
for w in waiters:
    w.start()
time.sleep(0.3)
t0 = time.time()
st, _ = a.get("/version")
check(st == 200 and time.time() - t0 < 0.5,
      "11 parked long polls leave the server free (/version in %.3f s)" % (time.time() - t0))
st, _ = a.put("/group/lan/json", {"inside": ["10.1.0.0/16"], "outside": ["0.0.0.0/0"]})
check(st == 204, "PUT /group/lan/json answers 204 (got %s)" % st)
for name, spec in defs.items():
    st, body = a.put("/flow/%s/json" % name, spec)
    check(st == 204, "PUT /flow/%s/json answers 204 (got %s %s)" % (name, st, body))
check(wait_until(lambda: a.received() >= ndg, 30), "replay delivers all %d datagrams" % ndg)
for w in waiters:
    w.join(30)
(st, ev), took = polls.get("first", ((0, None), 99))
check(st == 200 and isinstance(ev, list) and len(ev) >= 1 and took < 15,
      "a parked long poll returns when the first event comes (%.1f s of its 20, %s events)" % (
          took, len(ev) if isinstance(ev, list) else ev))
check(all(polls.get("busy%d" % i, ((0, None), 0))[0] == (200, []) and
          2.5 <= polls["busy%d" % i][1] <= 5 for i in range(10)),
      "ten parked long polls with nothing newer end after their 3 s timeout (%s)" % sorted(
          round(polls.get("busy%d" % i, ((0, None), 0))[1], 1) for i in range(10)))
time.sleep(0.5)

flows = top(a, "ALL", "pair", "?maxFlows=5")
keys = [f.get("key") for f in flows]
check(keys[:3] == ["10.1.0.1,10.2.0.1", "10.1.0.3,10.2.0.3", "10.1.0.2,10.2.0.2"] or
      keys[:3] == ["10.1.0.1,10.2.0.1", "10.1.0.2,10.2.0.2", "10.1.0.3,10.2.0.3"],
      "the three heavy flows lead, F1 first, beside thousands of mice (%s)" % keys[:4])
byk = {f["key"]: f for f in flows}
m1, s1 = model(8000, 1000, RATE, SECONDS)
m2, s2 = model(4000, 500, RATE, SECONDS)
m3, s3 = model(6000, 1500, RATE, SECONDS, SECONDS - 8)
within(byk.get("10.1.0.1,10.2.0.1", {}).get("value"), m1, s1, "F1 bytes/s")
within(byk.get("10.1.0.2,10.2.0.2", {}).get("value"), m2, s2, "F2 bytes/s")
within(byk.get("10.1.0.3,10.2.0.3", {}).get("value"), m3, s3, "F3 bytes/s 4 s after it stopped (decayed)")
f1 = byk.get("10.1.0.1,10.2.0.1", {})
check(f1.get("agent") == "10.0.0.1" and f1.get("dataSource") == "1" and f1.get("flowN") == 1,
      "F1 seen by agent 10.0.0.1 data source 1 only (%s)" % {k: f1.get(k) for k in ("agent", "dataSource", "flowN")})
check(len(flows) == 5 and all(flows[i]["value"] >= flows[i + 1]["value"] for i in range(4)),
      "maxFlows=5 gives 5 flows, largest first")
fr = {f["key"]: f["value"] for f in top(a, "ALL", "pairf")}
mf, sf = model(8000, 1, RATE, SECONDS)
within(fr.get("10.1.0.1,10.2.0.1"), mf, sf, "F1 frames/s")
udp = top(a, "ALL", "udp")
check(bool(udp) and udp[0]["key"] == "10.1.0.2" and
      all(not f["key"].startswith(("10.1.0.1", "10.1.0.3")) for f in udp),
      "filter ipprotocol=17 keeps F2 and UDP mice only (top %s)" % (udp[0]["key"] if udp else None))
side = {f["key"]: f["value"] for f in top(a, "ALL", "side")}
mi = m1 + m3
si = math.sqrt(s1 ** 2 + s3 ** 2)
within(side.get("inside"), mi, si, "group:ipsource:lan 'inside' on agent 1 (max over agents: F1 + F3)")
check(set(side) <= {"inside", "outside"} and "outside" in side, "group labels only (%s)" % sorted(side))
mins = top(a, "ALL", "pair", "?minValue=%d" % int(m2 / 2))
check(len(mins) == 3, "minValue keeps the three heavy flows (%d)" % len(mins))
filt = top(a, "ALL", "pair", "?filter=10.1.0.2,*")
check([f["key"] for f in filt] == ["10.1.0.2,10.2.0.2"], "filter selects result keys (%s)" % [f["key"] for f in filt][:3])
agent2 = top(a, "10.0.0.2", "pair")
check(bool(agent2) and agent2[0]["key"] == "10.1.0.2,10.2.0.2", "activeflows of agent 10.0.0.2 only start with F2")
st, v = a.get("/flowvalue/10.0.0.1/1.total/json")
mm, sm = model(1500, 64, RATE, SECONDS)  # half the mice pass agent 10.0.0.1
within(v if st == 200 else None, m1 + m3 + mm, math.sqrt(s1 ** 2 + s3 ** 2 + sm ** 2),
       "keyless total on 10.0.0.1 ds 1: F1 + F3 + its mice")
st, v = a.get("/flowvalue/10.0.0.1/1.pair/json?key=10.1.0.1,10.2.0.1")
check(st == 200 and v == f1.get("value"), "flowvalue of one key equals its activeflows value")
st, _ = a.get("/flowvalue/10.0.0.1/1.pair/json?key=nosuch")
check(st == 404, "flowvalue of an unknown key answers 404 (got %s)" % st)
# flowStart: each heavy flow logged once, when its first sample came, with
# that sample's bytes x the sampling rate, by the one agent it passes
st, logged = a.get("/flows/json?name=started&maxFlows=100")
want = {("10.1.0.1,10.2.0.1", "10.0.0.1", 1000 * RATE), ("10.1.0.2,10.2.0.2", "10.0.0.2", 500 * RATE),
        ("10.1.0.3,10.2.0.3", "10.0.0.1", 1500 * RATE)}
got = [(r.get("flowKeys"), r.get("agent"), r.get("value")) for r in logged] if st == 200 and isinstance(logged, list) else logged
check(isinstance(got, list) and len(got) == 3 and set(got) == want and
      all(r.get("start") == r.get("end") and r.get("dataSource") == "1" for r in logged),
      "flowStart logs each heavy flow once at its start (%s)" % (got[:4] if isinstance(got, list) else got))
st, j = a.get("/flowkeys/json")
check(st == 200 and isinstance(j, dict) and {"ipsource", "ipdestination", "tcpsourceport",
                                              "udpdestinationport"} <= set(j),
      "/flowkeys/json lists the keys seen (%s)" % (sorted(j)[:8] if isinstance(j, dict) else j))
st, j = a.get("/flow/pair/json")
check(st == 200 and j.get("keys") == "ipsource,ipdestination" and j.get("value") == "bytes" and
      j.get("n") == 5 and j.get("t") == 2 and j.get("fs") == "," and j.get("log") is False,
      "GET /flow/pair/json shows the definition with defaults (%s)" % j)
st, j = a.get("/flow/json")
check(st == 200 and set(j) == set(defs), "GET /flow/json lists every definition")
st, j = a.get("/analyzer/json")
check(st == 200 and j.get("flowDefinitions") == len(defs) and j.get("flowSamplesMatched", 0) > 0,
      "/analyzer/json counts definitions and matched samples")

# thresholds: F1 (8 MB/s) and F3 (9 MB/s until 8 s) cross 5 MB/s, F2 (2 MB/s) and
# the mice never do; each elephant raises one event, the data source one
st, ev = a.get("/events/json?thresholdID=elephant&maxEvents=100")
keys = sorted(e.get("flowKey") for e in ev) if st == 200 else None
check(keys == ["10.1.0.1,10.2.0.1", "10.1.0.3,10.2.0.3"],
      "byFlow threshold: one event per elephant flow, none for F2 or mice (%s)" % keys)
T0 = 1700000000000 + WARM * 1000
check(st == 200 and all(e.get("agent") == "10.0.0.1" and e.get("dataSource") == "1" and
                        e.get("metric") == "pair" and e.get("threshold") == 5e6 and
                        e.get("value", 0) > 5e6 and T0 < e.get("timestamp", 0) <= T0 + 6000
                        for e in ev),
      "elephant events: agent, dataSource, metric, threshold, value and a time within 6 s of the "
      "flows' start (%s)" % [(e.get("timestamp", 0) - T0, round(e.get("value", 0))) for e in ev])
st, ev = a.get("/events/json?thresholdID=busyds")
check(st == 200 and [(e.get("agent"), e.get("dataSource"), "flowKey" in e) for e in ev] ==
      [("10.0.0.1", "1", False)], "per data source threshold: one event, agent 10.0.0.1 only (%s)" % ev)
st, ev = a.get("/events/json")
last = max(e["eventID"] for e in ev) if st == 200 and ev else -1
t0 = time.time()
st, ev = a.get("/events/json?eventID=%d&timeout=1" % last)
took = time.time() - t0
check(st == 200 and ev == [] and 0.9 <= took <= 3, "events long-poll with nothing new waits ~1 s (%.2f s)" % took)
st, j = a.get("/threshold/json")
check(st == 200 and set(j) == {"elephant", "busyds"} and j["elephant"].get("byFlow") is True,
      "GET /threshold/json lists both")
st, body = a.put("/threshold/bad/json", {"metric": "pair"})
check(st == 400 and "value" in body.get("error", ""), "a threshold without value answers 400 (%s)" % body)

# errors
for spec, why in (({"keys": "ipsource", "value": "bytes", "filter": "ipsource=10.0.0.1)"}, "filter"),
                  ({"keys": "grp:ipsource:lan"}, "keys"), ({"keys": "ipsource", "t": "x"}, "t"),
                  ("not an object", "")):
    st, body = a.put("/flow/bad/json", spec)
    check(st == 400 and isinstance(body, dict) and why in body.get("error", ""),
          "bad definition %s answers 400 naming %r (%s %s)" % (json.dumps(spec), why, st, body))
st, _ = a.put("/flow/bad%20name/json", {"keys": "ipsource"})
check(st in (400, 404), "a bad flow name is refused (%s)" % st)
st, _ = a.get("/flow/nosuch/json")
check(st == 404, "GET unknown flow answers 404")
st, _ = a.get("/activeflows/ALL/nosuch/json")
check(st == 404, "activeflows of an unknown flow answers 404")
st, _ = a.get("/activeflows/ALL/pair/json?maxFlows=x")
check(st == 400, "maxFlows=x answers 400")
st, _ = request(a.http, "DELETE", "/flow/pairf/json")
check(st == 204, "DELETE /flow/pairf/json answers 204")
st, _ = request(a.http, "DELETE", "/flow/pairf/json")
check(st == 404, "DELETE again answers 404")
st, _ = a.put("/group/bad/json", {"x": ["10.0.0.0/33"]})
check(st == 400, "a group with a bad prefix answers 400")
st, _ = a.put("/map/ports/json", {"web": ["80", "443"]})
st2, j = a.get("/map/ports/json")
check(st == 204 and st2 == 200 and j == {"web": ["80", "443"]}, "PUT then GET /map/ports/json")
a.stop()

# ---- 2. one flow seen by three agents: de-duplication -------------------
pcap, ndg = generate("dedup", ["-s", "10", "-N", "32", "-a", "3", "-D", "-S", "11", "-w", str(WARM),
                               "-f", "10.3.0.1,10.4.0.1,6,1000,2000,9000,800"])
a = Analyzer(pcap, 2)
a.put("/flow/pair/json", {"keys": "ipsource,ipdestination", "value": "bytes"})
check(wait_until(lambda: a.received() >= ndg, 30), "dedup replay delivered")
time.sleep(0.3)
m, s = model(9000, 800, 32, 10)
mx = top(a, "ALL", "pair")
sm = top(a, "ALL", "pair", "?aggMode=sum")
within(mx[0]["value"] if mx else None, m, s, "aggMode max of three agents' estimates")
within(sm[0]["value"] if sm else None, 3 * m, math.sqrt(3) * s, "aggMode sum of three agents")
check(bool(mx) and mx[0].get("flowN") == 3, "flowN counts the three data sources")
pending = threading.Thread(target=long_poll, args=("pending", "/events/json?eventID=1000000&timeout=20"))
pending.start()
time.sleep(0.3)
t0 = time.time()
a.stop()
stopped = time.time() - t0
pending.join(10)
check(a.p.returncode == 0 and stopped < 5 and not pending.is_alive(),
      "SIGTERM with a parked long poll: exit 0 in %.1f s, the poll ends (%s)" % (
          stopped, polls.get("pending", ((None, None), 0))[0][0]))

# ---- 3. a flood of 1,000,000 distinct sources --------------------------
pcap, ndg = generate("flood", ["-s", "10", "-N", "1", "-a", "2", "-S", "3", "-w", "60",
                               "-r", "100000", "-f", "10.5.0.1,10.6.0.1,6,1,2,3000,1500"])
a = Analyzer(pcap, 30, ["-Dflow.cache.max=1000"])
a.put("/flow/src/json", {"keys": "ipsource", "value": "bytes"})
check(wait_until(lambda: a.received() >= ndg, 120), "flood replay delivered (%d datagrams)" % ndg)
time.sleep(0.3)
fl = top(a, "ALL", "src", "?maxFlows=3")
check(bool(fl) and fl[0]["key"] == "10.5.0.1", "the heavy flow stays on top of a million mice (%s)" % (fl[:1]))
m, s = model(3000, 1500, 1, 10)
within(fl[0]["value"] if fl else None, m, s + 0.01 * m, "the heavy flow's value (1 in 1)")
st, j = a.get("/analyzer/json")
check(st == 200 and j.get("flowEntries", 1e9) <= 1000 * j.get("flowCaches", 0) and j.get("flowCaches", 0) >= 1,
      "flow entries within the cap per cache (%s entries, %s caches)" % (j.get("flowEntries"), j.get("flowCaches")))
check(j.get("flowCacheEvictions", 0) > 900000, "evictions counted (%s)" % j.get("flowCacheEvictions"))
rss = 0
for l in open("/proc/%d/status" % a.p.pid):
    if l.startswith("VmRSS:"):
        rss = int(l.split()[1])
check(0 < rss < 200 * 1024, "RSS stays bounded (%d kB)" % rss)
a.stop()

sys.exit(testlib.summary("analyzer_flows"))
PYEOF
