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
import os, socket, sys, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, stop, wait_until

build, gen, dnsmasq = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = testlib.init("analyzer_dns.")
pcap, ndg = testlib.flowgen(gen, "two", ["-s", "6", "-N", "8", "-S", "5", "-w", "2",
                                         "-f", "10.1.0.1,10.2.0.1,6,1000,80,4000,1000",
                                         "-f", "10.1.0.2,10.2.0.1,6,1001,80,2000,1000"])

def replay(servers):
    """(top keys, /analyzer/json, seconds the replay took)"""
    t0 = time.time()
    a = testlib.Analyzer(build + "/rtflow-analyzer", pcap, 2, ["-Ddns.servers=" + servers])
    keys, st, took = [], {}, float("inf")
    if a.up:
        a.put("/flow/names/json", {"keys": "dns:ipsource", "value": "frames"})
        wait_until(lambda: a.received() >= ndg, 30)
        took = time.time() - t0
        code, flows = a.get("/activeflows/ALL/names/json")
        keys = [f["key"] for f in flows] if code == 200 else []
        st = a.get("/analyzer/json")[1] or {}
    a.stop()
    return keys, st, took

# a real resolver
port = free_port()
qlog = os.path.join(tmp, "queries.log")
dm, _, _ = testlib.start([dnsmasq, "--keep-in-foreground", "--no-resolv", "--no-hosts",
                       "--conf-file=/dev/null", "--port=%d" % port, "--listen-address=127.0.0.1",
                       "--bind-interfaces", "--log-queries", "--log-facility=" + qlog,
                       "--pid-file=", "--ptr-record=1.0.1.10.in-addr.arpa,f1.example.test"],
                      "dnsmasq")
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
mute = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
mute.bind(("127.0.0.1", 0))
keys, st, took = replay("127.0.0.1:%d" % mute.getsockname()[1])
check(set(keys) == {"10.1.0.1", "10.1.0.2"}, "a server that never answers: keys stay addresses (%s)" % keys)
check(took <= took_real + 2, "and the replay takes no longer (%.1f s, %.1f s with dnsmasq)" % (took, took_real))
mute.close()
keys, st, took = replay("127.0.0.1:%d" % free_port())
check(set(keys) == {"10.1.0.1", "10.1.0.2"} and took <= took_real + 2,
      "a closed port: keys stay addresses, no delay (%s, %.1f s)" % (keys, took))
check(st.get("dnsFailures", 0) >= 1, "failures counted (%s)" % st.get("dnsFailures"))

sys.exit(testlib.summary("analyzer_dns"))
PYEOF
