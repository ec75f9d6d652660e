#!/bin/bash
# tests/integration/analyzer_scripts.sh: rtflow-analyzer runs the scripts
# of -Dscript.file, each on its own thread and duktape heap:
# - a good script logs (its directory, version() and a property it reads
#   back from the command line) and its 0.2 s interval handler runs;
# - a script with a runtime error, one that loops forever and one that
#   exhausts -Dscript.memory stop with "file:line: message" in
#   /scripts/json, within -Dscript.timeout for the loop, while the good
#   one keeps running and the REST API keeps answering;
# - SIGTERM stops everything promptly with exit status 0;
# - over a replayed capture of the flowgen traffic model, a script's
#   setFlow, setGroups, setThreshold (and a bad setFlow that throws) take
#   effect as their REST counterparts do, and its agents, metrics, metric,
#   dump, table, activeFlows, flowKeys and flowValue answer what /agents,
#   /metrics, /metric, /dump, /table, /activeflows, /flowkeys and
#   /flowvalue answer once the replay is done (the replay clock stands
#   still, so both read the same instant);
# - over the hsflowd testdata capture, metrics(), metrics(agent) and
#   metric() with a list and a filter object answer what /metrics,
#   /metric/{agent} and /metric/{agents}/{metrics} answer.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_scripts <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

GEN=build/release/bench/tools/sflow_flowgen
if [ ! -x "$BUILD/rtflow-analyzer" ] || ! make --no-print-directory NO_DEPS=1 "$GEN" >/dev/null; then
	echo "analyzer_scripts: missing $BUILD/rtflow-analyzer or $GEN"
	echo "summary analyzer_scripts 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$GEN" <<'PYEOF'
import json, os, socket, sys, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, request, start, stop, wait_until

binary, gen = sys.argv[1] + "/rtflow-analyzer", sys.argv[2]
tmp = testlib.init("analyzer_scripts.")
scripts = {
    "good.js": "logInfo('good: dir ' + scriptdir() + ' version ' + version() +\n"
               "        ' mark ' + getSystemProperty('test.mark'));\n"
               "var n = 0;\n"
               "setIntervalHandler(function () { n++; if (n == 3) logInfo('good: three ticks'); }, 0.2);\n",
    "bad.js": "var x;\n\nx.y = 1;\n",
    "loop.js": "for (;;) {}\n",
    "hog.js": "var a = [];\nwhile (true) a.push(new Array(10000).join('y') + a.length);\n",
}
paths = []
for name, src in scripts.items():
    paths.append(os.path.join(tmp, name))
    with open(paths[-1], "w") as f:
        f.write(src)
http = free_port(socket.SOCK_STREAM)
t0 = time.time()
p, _, err = start([binary, "-Dhttp.port=%d" % http, "-Dsflow.port=%d" % free_port(),
                   "-Dscript.file=" + ",".join(paths), "-Dscript.memory=8",
                   "-Dscript.timeout=500", "-Dtest.mark=m-1234"], "analyzer")

def status():
    st, j = request(http, "GET", "/scripts/json")
    return j if st == 200 and isinstance(j, dict) else {}

def log():
    with open(err, "rb") as f:
        return f.read().decode("utf-8", "replace")

check(wait_until(lambda: "good: three ticks" in log(), 10), "the good script's interval handler runs")
check("good: dir %s version 1.0-1 mark m-1234" % tmp in log(),
      "scriptdir(), version() and getSystemProperty() answer (log: %s)" %
      [l for l in log().splitlines() if "good: dir" in l][:1])
check(wait_until(lambda: "error" in status().get("loop.js", {}) and "error" in status().get("hog.js", {}), 10),
      "the looping and the hogging scripts have stopped")
s = status()
check(s.get("good.js", {}).get("alive") is True and "error" not in s.get("good.js", {}),
      "good.js alive, no error (%s)" % s.get("good.js"))
check(s.get("bad.js", {}).get("error") == "bad.js:3: TypeError: cannot write property 'y' of undefined"
      and s["bad.js"].get("alive") is False,
      "bad.js: its error with file and line (%s)" % s.get("bad.js", {}).get("error"))
check(s.get("loop.js", {}).get("error", "").startswith("loop.js:1: RangeError: execution timeout"),
      "loop.js interrupted at script.timeout (%s)" % s.get("loop.js", {}).get("error"))
check(s.get("hog.js", {}).get("error", "").startswith("hog.js:2:") and
      "alloc" in s.get("hog.js", {}).get("error", "") and s["hog.js"].get("heapBytes", 1 << 30) <= 8 << 20,
      "hog.js stopped at script.memory (%s, heap %s)" % (s.get("hog.js", {}).get("error"),
                                                        s.get("hog.js", {}).get("heapBytes")))
st, v = request(http, "GET", "/version")
check(st == 200 and v in ("1.0-1", 1.0), "REST answers meanwhile (/version %s %s)" % (st, v))
ticks = s.get("good.js", {}).get("intervalCalls", 0)
time.sleep(0.6)
check(status().get("good.js", {}).get("intervalCalls", 0) > ticks, "good.js keeps ticking")
t1 = time.time()
rc = stop(p)
check(rc == 0 and time.time() - t1 < 3, "SIGTERM: exit 0 in %.2f s" % (time.time() - t1))

# ---- the data functions against their REST counterparts ----
DATA_JS = r'''
setFlow('pair', {keys: 'ipsource,ipdestination', value: 'bytes'});
var grouped = setGroups('lan', {inside: ['10.1.0.0/16'], outside: ['0.0.0.0/0']});
var badGroups = setGroups('worse', {x: ['10.0.0.0/33']});
setThreshold('big', {metric: 'pair', value: 1e12});
var badFlow = '';
try { setFlow('bad', {keys: 'grp:ipsource'}); } catch (e) { badFlow = String(e); }
var done = false;
setIntervalHandler(function () {
  if (done || !analyzer().replayDone) return;
  done = true;
  var r = {grouped: grouped, badGroups: badGroups, badFlow: badFlow,
           agents: agents(), metric: metric('ALL', 'pair'),
           dump: dump('ALL', ['pair']), table: table('ALL', 'pair'),
           active: activeFlows('ALL', 'pair', 5), keys: flowKeys(),
           value: flowValue('10.0.0.1', '1.pair', '10.1.0.1,10.2.0.1')};
  var text = JSON.stringify(r), n = Math.ceil(text.length / 800);
  for (var i = 0; i < n; i++)  /* log lines are short: in pieces */
    logInfo('RESULT ' + i + '/' + n + ' ' + text.substr(i * 800, 800));
}, 0.2);
'''
data_js = os.path.join(tmp, "data.js")
with open(data_js, "w") as f:
    f.write(DATA_JS)
pcap, _ = testlib.flowgen(gen, "model", ["-s", "4", "-N", "16", "-a", "2", "-S", "3", "-w", "2",
                                         "-r", "500", "-f", "10.1.0.1,10.2.0.1,6,40000,443,4000,1000",
                                         "-f", "10.1.0.2,10.2.0.2,17,5000,53,2000,500"])
a = testlib.Analyzer(binary, pcap, 2, ["-Dscript.file=" + data_js])
check(a.up, "analyzer replaying the model with data.js answers")

def result():
    parts, total = {}, None
    for line in open(os.path.join(tmp, "analyzer.%d.err" % a.http), errors="replace"):
        if "RESULT " in line:
            head, piece = line.rstrip("\n").split("RESULT ", 1)[1].split(" ", 1)
            i, total = (int(x) for x in head.split("/"))
            parts[i] = piece
    if total is None or len(parts) < total:
        return None
    return json.loads("".join(parts[i] for i in range(total)))

check(wait_until(lambda: result() is not None, 30), "data.js reports once the replay is done")
r = result() or {}
check(r.get("grouped") is True and r.get("badGroups") is False, "setGroups answers true, and false for a bad prefix")
check("unknown function 'grp'" in r.get("badFlow", ""), "a bad setFlow throws the REST reason (%s)" % r.get("badFlow"))
st, g = a.get("/group/lan/json")
check(st == 200 and g == {"inside": ["10.1.0.0/16"], "outside": ["0.0.0.0/0"]}, "setGroups shows at /group/lan/json")
st, t = a.get("/threshold/big/json")
check(st == 200 and isinstance(t, dict) and t.get("metric") == "pair", "setThreshold shows at /threshold/big/json")
st, ag = a.get("/agents/json")
check(st == 200 and isinstance(ag, dict) and set(r.get("agents", {})) == set(ag) and len(ag) >= 2,
      "agents() has the agents of /agents/json (%s)" % sorted(ag) if isinstance(ag, dict) else ag)
for name, path in (("metric", "/metric/ALL/pair/json"), ("dump", "/dump/ALL/pair/json"),
                   ("table", "/table/ALL/pair/json"), ("active", "/activeflows/ALL/pair/json?maxFlows=5")):
    st, j = a.get(path)
    check(st == 200 and r.get(name) == j and j, "%s equals GET %s" % (name, path))
st, k = a.get("/flowkeys/json")
check(st == 200 and set(r.get("keys", {})) == set(k) and "ipsource" in k, "flowKeys() lists the keys of /flowkeys/json")
st, v = a.get("/flowvalue/10.0.0.1/1.pair/json?key=10.1.0.1,10.2.0.1")
check(st == 200 and r.get("value") == v and v > 0, "flowValue equals /flowvalue (%s, %s)" % (r.get("value"), v))
a.stop()

# ---- counter metrics: a host agent's capture ----
COUNTERS_JS = r'''
var done = false;
setIntervalHandler(function () {
  if (done || !analyzer().replayDone) return;
  done = true;
  var names = Object.keys(agents());
  var r = {metrics: metrics(), agentMetrics: metrics(names[0]), agent: names[0],
           load: metric(names, 'load_one,max:cpu_utilization'),
           filtered: metric('ALL', 'load_one', {host_name: ['no-such-host']})};
  var text = JSON.stringify(r), n = Math.ceil(text.length / 800);
  for (var i = 0; i < n; i++)
    logInfo('RESULT ' + i + '/' + n + ' ' + text.substr(i * 800, 800));
}, 0.2);
'''
counters_js = os.path.join(tmp, "counters.js")
with open(counters_js, "w") as f:
    f.write(COUNTERS_JS)
a = testlib.Analyzer(binary, "../shared/testdata/sflow-pcaps/hsflowd__host_counters_and_pcap_samples.pcap",
                     0, ["-Dscript.file=" + counters_js])
check(wait_until(lambda: result() is not None, 30), "counters.js reports once the replay is done")
r = result() or {}
st, m = a.get("/metrics/json")
check(st == 200 and m and set(r.get("metrics", {})) == set(m) and "load_one" in m,
      "metrics() names what /metrics/json names (%d names)" % len(m or {}))
st, am = a.get("/metric/%s/json" % r.get("agent"))
check(st == 200 and am and r.get("agentMetrics") == am, "metrics(agent) equals /metric/{agent}/json")
st, lo = a.get("/metric/%s/load_one,max:cpu_utilization/json" % r.get("agent"))
check(st == 200 and r.get("load") == lo and len(lo) == 2 and "metricValue" in lo[0],
      "metric([agent], 'load_one,max:cpu_utilization') equals GET /metric (%s)" %
      [x.get("metricValue") for x in lo] if isinstance(lo, list) else lo)
check(isinstance(r.get("filtered"), list) and "metricValue" not in r["filtered"][0],
      "a filter object selects nothing for an unknown host_name (%s)" % r.get("filtered"))
a.stop()
sys.exit(testlib.summary("analyzer_scripts"))
PYEOF
