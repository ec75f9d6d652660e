#!/bin/bash
# tests/bench/flows.sh: end-to-end latency of the flow engine: from the
# moment a datagram carrying a new flow leaves a UDP socket on loopback to
# the moment /activeflows shows that flow (target <= 1 s).
# For each of FLOWS_ROUNDS (20) rounds, build/release/bench/tools/
# sflow_flowgen makes a tiny capture of one new flow (source 10.9.r.1,
# sampled 1 in 1); the datagrams are sent to rtflow-analyzer
# (-Dworkers.number=2, a definition keyed by ipsource) and
# /activeflows/ALL/lat/json is polled every 2 ms until the source appears.
# Prints p50, p90 and max. Errors (no analyzer, a flow never seen within
# 5 s) make it fail; a slow figure does not.
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/release}"
GEN=build/release/bench/tools/sflow_flowgen
if [ ! -x "$GEN" ]; then
	make --no-print-directory NO_DEPS=1 "$GEN" >/dev/null || exit 1
fi

exec python3 - "$BUILD" "$GEN" "${FLOWS_ROUNDS:-20}" <<'EOF'
import json, os, shutil, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request

build, gen, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
tmp = tempfile.mkdtemp(prefix="flows.")

def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def http(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method)
    if data:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status, r.read()
    except Exception:
        return 0, b""

def pcap_payloads(path):
    """UDP payloads of an Ethernet/IPv4 pcap (what sflow_flowgen writes)"""
    out = []
    with open(path, "rb") as f:
        f.read(24)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return out
            n = struct.unpack("<I", h[8:12])[0]
            out.append(f.read(n)[42:])

exe = os.path.join(build, "rtflow-analyzer")
sport, hport = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
p = subprocess.Popen([exe, "-Dsflow.port=%d" % sport, "-Dhttp.port=%d" % hport,
                      "-Dworkers.number=2"], stdout=subprocess.DEVNULL,
                     stderr=open(os.path.join(tmp, "analyzer.log"), "wb"))
err = None
lat = []
try:
    end = time.time() + 10
    while http(hport, "GET", "/version")[0] != 200:
        if time.time() > end or p.poll() is not None:
            raise SystemExit("flows: analyzer did not start")
        time.sleep(0.05)
    http(hport, "PUT", "/flow/lat/json", {"keys": "ipsource", "value": "frames"})
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for r in range(rounds):
        src = "10.9.%d.1" % r
        path = os.path.join(tmp, "r%d.pcap" % r)
        subprocess.run([gen, "-o", path, "-s", "0.05", "-N", "1", "-S", str(r + 1),
                        "-f", "%s,10.8.0.1,17,1,2,200,100" % src], check=True,
                       stdout=subprocess.DEVNULL)
        payloads = pcap_payloads(path)
        t0 = time.monotonic()
        for d in payloads:
            s.sendto(d, ("127.0.0.1", sport))
        while True:
            st, body = http(hport, "GET", "/activeflows/ALL/lat/json?maxFlows=1000")
            if st == 200 and any(f.get("key") == src for f in json.loads(body)):
                lat.append(time.monotonic() - t0)
                break
            if time.monotonic() - t0 > 5:
                err = "flow %s not visible within 5 s" % src
                break
            time.sleep(0.002)
        if err:
            break
finally:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
if err:
    print("flows: error: " + err)
    sys.exit(1)
lat.sort()
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000
print("flows: sample arrival -> visible in /activeflows over %d new flows: p50 %.1f ms, "
      "p90 %.1f ms, max %.1f ms (target <= 1000 ms: %s)" % (
          len(lat), q(0.5), q(0.9), lat[-1] * 1000, "met" if lat[-1] <= 1.0 else "MISSED"))
shutil.rmtree(tmp, ignore_errors=True)
EOF
