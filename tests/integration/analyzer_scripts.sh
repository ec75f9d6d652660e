#!/bin/bash
# tests/integration/analyzer_scripts.sh: rtflow-analyzer runs the scripts
# of -Dscript.file, each on its own thread and duktape heap:
# - a good script logs (its directory, version() and a property it reads
#   back from the command line) and its 0.2 s interval handler runs;
# - a script with a runtime error, one that loops forever and one that
#   exhausts -Dscript.memory stop with "file:line: message" in
#   /scripts/json, within -Dscript.timeout for the loop, while the good
#   one keeps running and the REST API keeps answering;
# - SIGTERM stops everything promptly with exit status 0.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary analyzer_scripts <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -x "$BUILD/rtflow-analyzer" ]; then
	echo "analyzer_scripts: missing $BUILD/rtflow-analyzer"
	echo "summary analyzer_scripts 0 1"
	exit 1
fi

exec python3 - "$BUILD" <<'PYEOF'
import os, socket, sys, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, request, start, stop, wait_until

binary = sys.argv[1] + "/rtflow-analyzer"
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
sys.exit(testlib.summary("analyzer_scripts"))
PYEOF
