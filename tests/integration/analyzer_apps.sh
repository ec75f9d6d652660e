#!/bin/bash
# tests/integration/analyzer_apps.sh: apps, as rtflow-analyzer hosts them
# (reference/sflow-rt-api.md §1.2, §4.1, §5), with apps this test writes
# to a scratch app directory (-Dapp.dir):
# - /apps/json lists each app's scripts and html entry; /status and
#   /app/{name}/status say OK, UNAVAILABLE (an app whose script has a
#   syntax error) or 404;
# - /app/{app}/html/ serves the app's files with their content types and
#   index.html for a directory; "..", "%2e%2e" and hidden files are
#   refused; "/" redirects to http.html.redirect;
# - requests to /app/{app}/scripts/{script}/.../{json|txt} and the legacy
#   /script/{app}~{script}/... reach setHttpHandler with method, path,
#   query (arrays), format, a JSON body (error:true when it does not
#   parse) or a text body; thrown not_found/bad_request/
#   service_unavailable/internal_server_error give 404/400/503/500, other
#   errors 500; a handler slower than script.http.timeout gives 503 in
#   time while another script answers at once, and counts requestsLost;
#   writes reach scripts on a read-only server;
# - setFlowHandler receives every logged flow of its definition and
#   setEventHandler every event, the same records /flows/json and
#   /events/json list, over a replay of the flowgen traffic model with
#   two heavy flows (each logged once at its start: flowStart).
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_apps <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

GEN=build/release/bench/tools/sflow_flowgen
if [ ! -x "$BUILD/rtflow-analyzer" ] || ! make --no-print-directory NO_DEPS=1 "$GEN" >/dev/null; then
	echo "analyzer_apps: missing $BUILD/rtflow-analyzer or $GEN"
	echo "summary analyzer_apps 0 1"
	exit 1
fi

exec python3 - "$BUILD" "$GEN" <<'PYEOF'
import http.client, json, os, socket, sys, threading, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, request, wait_until

binary, gen = sys.argv[1] + "/rtflow-analyzer", sys.argv[2]
tmp = testlib.init("analyzer_apps.")
apps = os.path.join(tmp, "apps")
FILES = {
    "demo/scripts/main.js": r'''
var hits = 0;
setHttpHandler(function (req) {
  hits++;
  switch (req.path[0]) {
  case 'missing': throw 'not_found';
  case 'bad': throw 'bad_request';
  case 'busy': throw 'service_unavailable';
  case 'oops': throw 'internal_server_error';
  case 'errobj': throw new Error('not_found');
  case 'crash': return null.x;
  case 'nothing': return undefined;
  }
  if (req.format === 'txt') return 'hits ' + hits;
  return {req: req, hits: hits};
});
''',
    "demo/scripts/feed.js": r'''
var flows = [], events = [];
setFlow('big', {keys: 'ipsource,ipdestination', value: 'bytes', log: true, flowStart: true});
setThreshold('hot', {metric: 'big', value: 100000, byFlow: true, timeout: 60});
setFlowHandler(function (r) { flows.push(r); }, ['big']);
setEventHandler(function (e) { events.push(e); }, 'hot');
setHttpHandler(function (req) { return {flows: flows, events: events}; });
''',
    "demo/scripts/inc/helper.js": "this is not started = ;\n",
    "demo/html/index.html": "<!DOCTYPE html><title>demo</title>\n",
    "demo/html/css/app.css": "body { color: red }\n",
    "demo/html/.secret": "hidden\n",
    "slow/scripts/slow.js": r'''
setHttpHandler(function (req) {
  var t = Date.now();
  while (Date.now() - t < 1500) {}
  return {late: true};
});
''',
    "broken/scripts/broken.js": "var x = ;\n",
    "client/scripts/client.js": r'''
var out = null;
setIntervalHandler(function () {
  if (out || !analyzer().replayDone) return;
  var o = {}, agent = '10.0.0.1'; /* the model's agent (10.0.0.254 sends the warm-up) */
  o.version = http('/version');
  o.status = http2({url: '/analyzer/json'}).status;
  try { http('/no/such/thing'); } catch (e) { o.notfound = String(e); }
  try { http('file:///etc/passwd'); } catch (e) { o.file = String(e); }
  try { http('/group/g/json', 'put', 'application/json', JSON.stringify({inside: ['10.1.0.0/16']})); }
  catch (e) { o.put = String(e); }
  httpAsync({url: '/agents/json', success: function (r) { o.async = r.status + ' ' + Object.keys(JSON.parse(r.body)).join(); },
             error: function (r) { o.async = 'error ' + r.error; }});
  httpAsync({url: 'http://127.0.0.1:1/', success: function (r) { o.async2 = 'success'; },
             error: function (r) { o.async2 = r.status + ' ' + (r.error ? 'reason' : ''); }});
  o.agent = agent;
  o.ds = datasourceInfo(agent, '1');
  o.nods = datasourceInfo(agent, '999');
  o.names = getSystemPropertyNames();
  o.hot = thresholdTriggered('hot', agent, '1.big', '10.1.0.1,10.2.0.1');
  o.cold = thresholdTriggered('hot', agent, '1.big', '10.9.9.9,10.9.9.8');
  o.ifname = ifName(agent, 1);
  setForward('fw', '127.0.0.1', 9999);
  out = o;
}, 0.2);
setHttpHandler(function () { if (!out || !out.async || !out.async2) throw 'service_unavailable'; return out; });
''',
    "static/html/index.html": "<p>static only</p>\n",
}
for rel, text in FILES.items():
    path = os.path.join(apps, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

pcap, _ = testlib.flowgen(gen, "model", ["-s", "4", "-N", "16", "-a", "1", "-S", "7", "-w", "2",
                                         "-r", "300", "-f", "10.1.0.1,10.2.0.1,6,40000,443,4000,1000",
                                         "-f", "10.1.0.2,10.2.0.2,17,5000,53,2000,500"])
a = testlib.Analyzer(binary, pcap, 1, ["-Dapp.dir=" + apps, "-Dscript.http.timeout=500",
                                       "-Dscript.timeout=3000", "-Dhttp.readonly=yes",
                                       "-Dhttp.html.redirect=/app/static/html/"])
check(a.up, "analyzer with the test's app directory answers")
port = a.http

def raw(method, path, body=None, ctype=None):
    """(status, headers, body text) of a request sent as it is."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest(method, path, skip_accept_encoding=True)
    if body is not None:
        c.putheader("Content-Type", ctype or "application/json")
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body.encode() if body is not None else None)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, text

def scripts():
    st, j = a.get("/scripts/json")
    return j if st == 200 and isinstance(j, dict) else {}

check(wait_until(lambda: "error" in scripts().get("broken~broken.js", {}), 5),
      "the broken app's script stopped with its error")
# ---- apps and status ----
st, j = a.get("/apps/json")
mine = {k: v for k, v in (j or {}).items() if k in ("demo", "slow", "broken", "static")}
check(st == 200 and mine == {"demo": {"scripts": ["feed.js", "main.js"], "entry": "/html/"},
                             "slow": {"scripts": ["slow.js"]},
                             "broken": {"scripts": ["broken.js"]},
                             "static": {"scripts": [], "entry": "/html/"}},
      "/apps/json lists each app's scripts (not scripts/inc/) and html entry (%s)" % mine)
check(a.get("/app/demo/status") == (200, "OK"), "/app/demo/status is OK")
check(a.get("/app/broken/status") == (503, "UNAVAILABLE"), "/app/broken/status is UNAVAILABLE")
check(a.get("/status") == (503, "UNAVAILABLE"), "/status is UNAVAILABLE with a broken app")
check(a.get("/app/nope/status")[0] == 404, "/app/nope/status is 404")
err = scripts().get("broken~broken.js", {}).get("error", "")
check(err.startswith("broken.js:1: SyntaxError"), "the error names file and line (%s)" % err)
check("demo~helper.js" not in scripts(), "scripts/inc/ files are not started")

# ---- static files ----
st, h, t = raw("GET", "/app/demo/html/")
check(st == 200 and "<title>demo</title>" in t and h.get("content-type", "").startswith("text/html"),
      "/app/demo/html/ serves index.html as text/html")
st, h, t = raw("GET", "/app/demo/html/css/app.css")
check(st == 200 and t == FILES["demo/html/css/app.css"] and h.get("content-type", "").startswith("text/css"),
      "a nested file is served with its content type")
for bad in ("/app/demo/html/../scripts/main.js", "/app/demo/html/%2e%2e/scripts/main.js",
            "/app/demo/html/.secret", "/app/demo/html/css/../../scripts/main.js",
            "/app/nope/html/index.html", "/app/demo/html/missing.html"):
    st, h, t = raw("GET", bad)
    check(st == 404 and "setHttpHandler" not in t and "hidden" not in t, "%s is refused (%d)" % (bad, st))
st, h, t = raw("GET", "/")
check(st == 302 and h.get("location") == "/app/static/html/", "/ redirects to http.html.redirect (%s)" % h.get("location"))

# ---- script requests ----
st, j = a.get("/app/demo/scripts/main.js/a/b/json?x=1&x=2&y=3")
check(st == 200 and j and j["req"] == {"method": "GET", "path": ["a", "b"], "query": {"x": ["1", "2"], "y": ["3"]},
                                       "format": "json", "error": False},
      "the handler sees method, path, query arrays and format (%s)" % (j or {}).get("req"))
st, h, t = raw("GET", "/app/demo/scripts/main.js/txt")
check(st == 200 and t.startswith("hits ") and h.get("content-type", "").startswith("text/plain"),
      "a string answer to a txt request is text/plain (%s)" % t)
st, h, t = raw("POST", "/app/demo/scripts/main.js/p/json", '{"a": [1, 2]}')
check(st == 200 and json.loads(t)["req"]["body"] == {"a": [1, 2]} and json.loads(t)["req"]["error"] is False,
      "a JSON body arrives parsed, on a read-only server too")
st, h, t = raw("PUT", "/app/demo/scripts/main.js/p/json", '{"a": [1, ')
check(st == 200 and json.loads(t)["req"]["body"] == '{"a": [1, ' and json.loads(t)["req"]["error"] is True,
      "a body that does not parse arrives as text with error:true")
st, h, t = raw("POST", "/app/demo/scripts/main.js/p/json", "plain words", "text/plain")
check(st == 200 and json.loads(t)["req"]["body"] == "plain words", "a text body arrives as text")
for seg, want in (("missing", 404), ("bad", 400), ("busy", 503), ("oops", 500), ("errobj", 404),
                  ("crash", 500)):
    st, h, t = raw("GET", "/app/demo/scripts/main.js/%s/json" % seg)
    check(st == want, "throwing for /%s answers %d (%d)" % (seg, want, st))
check("TypeError" in scripts().get("demo~main.js", {}).get("error", ""),
      "a handler's own error shows in /scripts/json")
st, h, t = raw("GET", "/app/demo/scripts/main.js/nothing/json")
check(st == 200 and t == "", "undefined answers an empty body")
st, j = a.get("/script/demo~main.js/legacy/json")
check(st == 200 and j["req"]["path"] == ["legacy"], "the legacy /script/{app}~{script}/ path routes too")
check(a.get("/app/demo/scripts/main.js/a/html")[0] == 404, "a path without /json or /txt is 404")
check(a.get("/app/demo/scripts/none.js/json")[0] == 404, "an unknown script is 404")
check(a.get("/app/broken/scripts/broken.js/json")[0] == 503, "a script that is not running is 503")

# a slow handler: 503 in time, and the other script answers meanwhile
res = {}
def slow():
    t0 = time.time()
    res["slow"] = (raw("GET", "/app/slow/scripts/slow.js/json")[0], time.time() - t0)
th = threading.Thread(target=slow)
th.start()
time.sleep(0.1)
t0 = time.time()
st, j = a.get("/app/demo/scripts/main.js/quick/json")
quick = time.time() - t0
th.join(10)
check(st == 200 and quick < 0.4, "another script answers while one is slow (%.3f s)" % quick)
check(res.get("slow", (0, 9))[0] == 503 and 0.45 < res["slow"][1] < 1.4,
      "the slow handler gives 503 after script.http.timeout (%s)" % (res.get("slow"),))
check(wait_until(lambda: scripts().get("slow~slow.js", {}).get("requestsLost") == 1, 5),
      "its late answer counts in requestsLost")
n = scripts().get("demo~main.js", {}).get("requestsReceived")
check(n == 14, "requestsReceived counts the 14 requests main.js was sent (%s)" % n)

# ---- the HTTP client and state functions, once the replay is done ----
def client():
    st, j = a.get("/app/client/scripts/client.js/json")
    return j if st == 200 else None
check(wait_until(lambda: client() is not None, 30), "client.js reports")
c = client() or {}
check(c.get("version") == "1.0-1" and c.get("status") == 200, "http('/version') and http2 reach the local REST API")
check(c.get("notfound") == "Error: http: status 404", "http() throws for a 404 (%s)" % c.get("notfound"))
check("Unsupported protocol" in c.get("file", ""), "http() refuses file: URLs (%s)" % c.get("file"))
check(c.get("put") == "Error: http: status 403" and a.get("/group/g/json")[0] == 404,
      "http() PUT reaches REST, which is read-only here (%s)" % c.get("put"))
st, ag = a.get("/agents/json")
check(c.get("async") == "200 " + ",".join(ag), "httpAsync's success callback gets the answer (%s)" % c.get("async"))
check(c.get("async2") == "0 reason", "httpAsync's error callback gets a refused connection (%s)" % c.get("async2"))
ds = c.get("ds") or {}
check(ds.get("samplingRate") == 16 and abs(ds.get("effectiveSamplingRate", 0) - 16) < 16 * 0.2,
      "datasourceInfo: the model's 1-in-16 sampling (%s)" % ds)
check(ds.get("flowSamples") == ag[c.get("agent")]["sFlowFlowSamples"] and c.get("nods") is None,
      "datasourceInfo counts the agent's flow samples; null for an unknown data source")
check({"app.dir", "script.http.timeout", "http.readonly"} <= set(c.get("names", [])),
      "getSystemPropertyNames lists the -D properties")
check(c.get("hot") is True and c.get("cold") is False, "thresholdTriggered: the heavy flow's threshold fired, another key's not")
check(c.get("ifname") is None, "ifName is null for an interface without a name")
st, fw = a.get("/forwarding/fw/json")
check(st == 200 and fw.get("address") == "127.0.0.1" and fw.get("port") == 9999, "setForward shows at /forwarding (%s)" % fw)

# ---- flow and event handlers over the replay ----
check(wait_until(lambda: a.get("/analyzer/json")[1].get("replayDone") is True, 30), "the replay is done")
st, fl = a.get("/flows/json?name=big&maxFlows=1000")
st2, ev = a.get("/events/json?thresholdID=hot&maxEvents=1000")
st3, got = a.get("/app/demo/scripts/feed.js/json")
got = got or {}
keys = sorted(f["flowKeys"] for f in got.get("flows", []))
check(st == 200 and len(fl) >= 2 and sorted(fl, key=lambda f: f["flowID"]) == sorted(got.get("flows", []), key=lambda f: f["flowID"]),
      "setFlowHandler got the records /flows/json lists (%d, %d)" % (len(fl), len(got.get("flows", []))))
check({"10.1.0.1,10.2.0.1", "10.1.0.2,10.2.0.2"} <= set(keys), "the model's two heavy flows are among them")
check(st2 == 200 and len(ev) >= 1 and sorted(ev, key=lambda e: e["eventID"]) == sorted(got.get("events", []), key=lambda e: e["eventID"]),
      "setEventHandler got the events /events/json lists (%d, %d)" % (len(ev), len(got.get("events", []))))
s = scripts().get("demo~feed.js", {})
check(s.get("flowsReceived") == len(fl) and s.get("flowsLost") == 0 and s.get("eventsReceived") == len(ev),
      "flowsReceived/eventsReceived count them, none lost (%s)" % s)
check(a.stop() == 0, "SIGTERM: exit 0")
sys.exit(testlib.summary("analyzer_apps"))
PYEOF
