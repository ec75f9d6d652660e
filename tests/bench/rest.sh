#!/bin/bash
# tests/bench/rest.sh: the analyzer's REST API under ingest load, and its
# memory, on this machine (the analyzer issue's benchmarks 2 and 3).
#
# REST: build/release/rtflow-analyzer (-Dworkers.number=2) is loaded by
# build/release/bench/tools/sflow_synth with REST_AGENTS (1000) agents x
# REST_DATASOURCES (10) data sources (host 2:1 + interfaces), and once
# /analyzer/json shows all of them the generator keeps sending REST_RATE
# (50000) datagrams/s while wrk (-t1 -c REST_CONNECTIONS -d REST_SECONDS
# --latency) requests, one endpoint after the other:
#   /metric/ALL/max:ifinoctets,avg:load_one/json   target >= 5000 req/s, p99 <= 10 ms
#   /agents/json                                    reported only (the targets are
#                                                   /metric's; this answer is 0.5 MB)
#   /dump/ALL/ALL/json                              reported only
# Per endpoint: req/s, p50 and p99 latency, response bytes, the analyzer's
# CPU during the run (every thread, /proc/PID/task/*/schedstat; 100% = one
# core) and the datagrams lost meanwhile (kernel and ring drops from
# /analyzer/json). Everything shares the machine's cores: the generator,
# wrk and the analyzer.
# Memory: VmRSS of a fresh analyzer right after start (idle, target
# <= 20 MB), then with MEM_AGENTS (1000) x MEM_DATASOURCES (50) data
# sources loaded and polled a few times so rates exist (VmRSS, VmHWM and
# /analyzer/json heapUsed). sFlow-RT needs a 200 MB - 1 GB JVM heap.
# Missed targets never make it fail; errors (a daemon that does not start,
# data sources that never all appear, wrk errors) do. Without wrk the REST
# part is skipped with a note.
#   REST_SECONDS=N REST_RATE=N REST_CONNECTIONS=N REST_AGENTS=N REST_DATASOURCES=N
#   MEM_AGENTS=N MEM_DATASOURCES=N
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/release}"
TOOLS=build/release/bench/tools
if [ ! -x "$TOOLS/sflow_synth" ]; then
	make --no-print-directory NO_DEPS=1 "$TOOLS/sflow_synth" >/dev/null || exit 1
fi

exec python3 - "$BUILD" "$TOOLS" <<'EOF'
import glob, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

build, tools = sys.argv[1], sys.argv[2]
env = lambda k, d: int(os.environ.get(k, d))
seconds, rate, conns = env("REST_SECONDS", 10), env("REST_RATE", 50000), env("REST_CONNECTIONS", 16)
rest_agents, rest_ds = env("REST_AGENTS", 1000), env("REST_DATASOURCES", 10)
mem_agents, mem_ds = env("MEM_AGENTS", 1000), env("MEM_DATASOURCES", 50)
tmp = tempfile.mkdtemp(prefix="rest.")
errors = []
exe = os.path.join(build, "rtflow-analyzer")

def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def cpu_ns(pid):
    total = 0
    for t in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try:
            total += int(open(t).read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total

def status_kb(pid, key):
    try:
        for l in open("/proc/%d/status" % pid):
            if l.startswith(key + ":"):
                return int(l.split()[1])
    except OSError:
        pass
    return 0

def wait_until(cond, secs):
    end = time.time() + secs
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()

def stop(p):
    if p is None:
        return
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=10)

def get(http, path, timeout=5):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (http, path), timeout=timeout) as r:
            return r.read()
    except Exception:
        return None

def analyzer_json(http):
    b = get(http, "/analyzer/json")
    try:
        return json.loads(b) if b else None
    except ValueError:
        return None

def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])

class Analyzer:
    def __init__(self, name):
        self.name = name
        self.sflow, self.http = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
        self.log = open(os.path.join(tmp, name + ".log"), "wb")
        self.p = subprocess.Popen([exe, "-Dsflow.port=%d" % self.sflow,
                                   "-Dhttp.port=%d" % self.http, "-Dworkers.number=2",
                                   "-Dsflow.rcvpktsbuffer=16384"],
                                  stdout=self.log, stderr=subprocess.STDOUT)
        self.gen = None
        if not wait_until(lambda: self.p.poll() is None and analyzer_json(self.http), 10):
            errors.append("%s: no /analyzer/json on port %d (see %s)" % (name, self.http,
                                                                         self.log.name))
            self.close()
            self.p = None

    def json(self):
        return analyzer_json(self.http) or {}

    def load(self, agents, ds, r):
        """Start the generator and wait until every data source is known."""
        glog = open(os.path.join(tmp, self.name + ".synth.log"), "wb")
        self.gen = subprocess.Popen([os.path.join(tools, "sflow_synth"), "-p", str(self.sflow),
                                     "-a", str(agents), "-n", str(ds), "-R", str(r)],
                                    stdout=glog, stderr=subprocess.STDOUT)
        want = lambda j: j.get("sFlowAgents") == agents and j.get("sFlowDatasources") == agents * ds
        t0 = time.time()
        if not wait_until(lambda: want(self.json()), 60):
            j = self.json()
            errors.append("%s: %s agents %s data sources after 60 s, wanted %d and %d" % (
                self.name, j.get("sFlowAgents"), j.get("sFlowDatasources"), agents, agents * ds))
            return False
        return time.time() - t0

    def close(self):
        stop(self.gen)
        self.gen = None
        stop(self.p)

UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNIT[m.group(2)] if m else None

def wrk(url, c):
    out = subprocess.run(["wrk", "-t1", "-c%d" % c, "-d%ds" % seconds, "--timeout", "%ds" % seconds,
                          "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    r = {"out": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        r["p" + pct] = ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    r["sockerr"] = m.group(1) if m else ""
    return r

def lost(j):
    return j.get("sFlowKernelDrops", 0) + j.get("sFlowRingDrops", 0)

# (path, has targets, wrk connections): a full dump is megabytes, so few
ENDPOINTS = [("/metric/ALL/max:ifinoctets,avg:load_one/json", True, None),
             ("/agents/json", False, None),
             ("/dump/ALL/ALL/json", False, 2)]

def measure_window(a, secs):
    """Analyzer CPU % and datagrams received/lost over secs of ingest only."""
    j0, c0, t0 = a.json(), cpu_ns(a.p.pid), time.time()
    time.sleep(secs)
    j1, c1, t1 = a.json(), cpu_ns(a.p.pid), time.time()
    return (100.0 * (c1 - c0) / 1e9 / (t1 - t0),
            (j1.get("sFlowDatagramsReceived", 0) - j0.get("sFlowDatagramsReceived", 0)) / (t1 - t0),
            lost(j1) - lost(j0))

def rest_part(results):
    if not shutil.which("wrk"):
        print("rest: skipped: wrk is not installed")
        return
    a = Analyzer("rest")
    if not a.p:
        return
    try:
        took = a.load(rest_agents, rest_ds, rate)
        if took is False:
            return
        print("rest: %d agents x %d data sources known after %.1f s at %d datagrams/s" % (
            rest_agents, rest_ds, took, rate))
        cpu, rx, dl = measure_window(a, 3)
        print("rest: ingest only: analyzer CPU %.0f%%, %.0f datagrams/s received, %d lost" % (
            cpu, rx, dl))
        print("%-46s %9s %8s %8s %10s %8s %8s" % ("endpoint (wrk -t1 -c%d -d%ds; dump -c2)" % (
              conns, seconds),
              "req/s", "p50 ms", "p99 ms", "bytes", "CPU %", "lost"))
        for path, target, c in ENDPOINTS:
            body = get(a.http, path, timeout=30)
            if body is None:
                errors.append("rest: GET %s failed" % path)
                continue
            j0, c0, t0 = a.json(), cpu_ns(a.p.pid), time.time()
            r = wrk("http://127.0.0.1:%d%s" % (a.http, path), c or conns)
            j1, c1, t1 = a.json(), cpu_ns(a.p.pid), time.time()
            if r["rps"] is None:
                errors.append("rest: wrk %s: no result:\n%s" % (path, r["out"]))
                continue
            if r["non2xx"]:
                errors.append("rest: wrk %s: %d non-2xx responses" % (path, r["non2xx"]))
            r.update(path=path, target=target, bytes=len(body),
                     cpu=100.0 * (c1 - c0) / 1e9 / (t1 - t0), lost=lost(j1) - lost(j0),
                     rx=j1.get("sFlowDatagramsReceived", 0) - j0.get("sFlowDatagramsReceived", 0))
            results.append(r)
            print("%-46s %9.0f %8.2f %8.2f %10d %8.0f %8d%s" % (
                path, r["rps"], r["p50"] or -1, r["p99"] or -1, r["bytes"], r["cpu"], r["lost"],
                ("   socket errors: " + r["sockerr"]) if r["sockerr"] else ""))
    finally:
        a.close()

def mem_part(m):
    a = Analyzer("mem")
    if not a.p:
        return
    try:
        time.sleep(1)
        m["idle"] = status_kb(a.p.pid, "VmRSS")
        m["idle_heap"] = a.json().get("heapUsed", 0)
        took = a.load(mem_agents, mem_ds, rate)
        if took is False:
            return
        # a few more rounds of every data source, so rates exist everywhere
        time.sleep(max(3.0, 3.0 * mem_agents * mem_ds / 5.0 / rate))
        j = a.json()
        m["loaded"] = status_kb(a.p.pid, "VmRSS")
        m["hwm"] = status_kb(a.p.pid, "VmHWM")
        m["heap"] = j.get("heapUsed", 0)
        m["ds"] = j.get("sFlowDatasources", 0)
        # what one full dump costs: the response is built whole in memory
        body = get(a.http, "/dump/ALL/ALL/json", 120)
        m["dump_bytes"] = len(body) if body else 0
        m["after_dump"] = status_kb(a.p.pid, "VmRSS")
        m["hwm_dump"] = status_kb(a.p.pid, "VmHWM")
    finally:
        a.close()

print("rest: analyzer %s, load average %s, %d cores" % (exe, loadavg(), os.cpu_count()))
if not os.access(exe, os.X_OK):
    print("rest: error: %s is not built" % exe)
    sys.exit(1)
results, mem = [], {}
rest_part(results)
mem_part(mem)
if mem.get("loaded"):
    print("%-46s %12s %12s" % ("memory", "VmRSS MB", "heapUsed MB"))
    print("%-46s %12.1f %12.1f" % ("idle, right after start", mem["idle"] * 1024 / 1e6,
                                    mem["idle_heap"] / 1e6))
    print("%-46s %12.1f %12.1f   (VmHWM %.1f MB)" % (
        "%d agents x %d data sources (%d known)" % (mem_agents, mem_ds, mem["ds"]),
        mem["loaded"] * 1024 / 1e6, mem["heap"] / 1e6, mem["hwm"] * 1024 / 1e6))
    print("%-46s %12.1f %12s   (VmHWM %.1f MB; response %d bytes)" % (
        "  after one GET /dump/ALL/ALL/json", mem["after_dump"] * 1024 / 1e6, "",
        mem["hwm_dump"] * 1024 / 1e6, mem["dump_bytes"]))
print("load average after: %s" % loadavg())

for r in results:
    if not r["target"]:
        continue
    ok = r["rps"] >= 5000
    print("%s: %.0f req/s (target >= 5000: %s), p99 %.2f ms (target <= 10 ms: %s)" % (
        r["path"], r["rps"], "met" if ok else "MISSED", r["p99"],
        "met" if r["p99"] is not None and r["p99"] <= 10 else "MISSED"))
for r in results:
    print("%s: datagrams lost during the run: %d of %d (%s)" % (
        r["path"], r["lost"], r["rx"] + r["lost"], "none" if r["lost"] == 0 else "LOSS"))
if mem.get("loaded"):
    print("memory idle: %.1f MB (target <= 20 MB: %s); %d x %d data sources: %.1f MB "
          "(sFlow-RT: 200 MB - 1 GB heap)" % (
              mem["idle"] * 1024 / 1e6, "met" if mem["idle"] * 1024 <= 20e6 else "MISSED",
              mem_agents, mem_ds, mem["loaded"] * 1024 / 1e6))
for e in errors:
    print("rest: error: " + e)
if not errors:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if errors else 0)
EOF
