#!/bin/bash
# tests/integration/dump_live.sh: rtflow-dump on real loopback sockets.
# - -p PORT (dual stack) receiving a capture's payloads from 127.0.0.1 and
#   ::1 prints what -r prints for the same capture, except the arrival
#   fields (datagramSourceIP is the sender, unixSecondsUTC is now, no
#   pcapTimestamp); the sender shows as 127.0.0.1 and as ::1 in full form;
# - -6 does not receive IPv4, -4 does not receive IPv6;
# - a port already bound: one error line, exit 1, at once;
# - -f 127.0.0.1/P -f ::1/Q (from -r, and from -p) delivers every datagram
#   byte for byte, compared with payloads extracted independently.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary dump_live <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -d ../shared/testdata/sflow-pcaps ] || [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "dump_live: missing ../shared/testdata/sflow-pcaps or $BUILD/rtflow-dump"
	echo "summary dump_live 0 1"
	exit 1
fi

exec python3 - "$BUILD/rtflow-dump" <<'EOF'
import os, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, "tests/integration")
import dump_lib as L
import testlib
from testlib import check, wait_until, stop

dump = sys.argv[1]
stats = testlib.stats
children = testlib.children
tmp = testlib.init("dump_live.")

def free_port():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    port = s.getsockname()[1]
    s.close()
    return port

def bound(port, table):
    """Whether /proc/net/<table> lists a socket bound to `port`."""
    try:
        with open("/proc/net/" + table) as f:
            return any(l.split()[1].endswith(":%04X" % port) for l in f.readlines()[1:])
    except OSError:
        return False

def start(args, name):
    """rtflow-dump with args, in UTC."""
    return testlib.start([dump] + args, name, env=dict(os.environ, TZ="UTC"))

def lines(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace").splitlines()

def send(payloads, addr, family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_DGRAM)
    for p in payloads:
        s.sendto(p, addr)
        time.sleep(0.002)  # loopback, but the reader is a debug build
    s.close()

ARRIVAL = ("datagramSourceIP", "unixSecondsUTC", "unixSecondsUTC_uS", "localtime",
           "pcapTimestamp", "pcapTimestamp_uS")

def without_arrival(obj):
    return [(k, v) for k, v in obj if k not in ARRIVAL]

def test_listen(stem):
    pcap = os.path.join(L.DATA, stem + ".pcap")
    pls = [p for _, _, p in L.payloads(pcap)]
    ref = subprocess.run([dump, "-r", pcap, "-j"], capture_output=True, timeout=60,
                         env=dict(os.environ, TZ="UTC")).stdout.decode().splitlines()
    port = free_port()
    p, out, err = start(["-p", str(port), "-j"], "listen")
    check(wait_until(lambda: bound(port, "udp6"), 5), "-p %d: listening (dual stack)" % port)
    now = time.time()
    send(pls, ("127.0.0.1", port))
    send(pls[:3], ("::1", port), socket.AF_INET6)
    got = wait_until(lambda: len(lines(out)) >= len(pls) + 3, 10)
    check(got, "-p: %d datagrams received, %d sent" % (len(lines(out)), len(pls) + 3))
    rc = stop(p)
    check(rc == 0, "-p: SIGTERM ends it with status 0 (got %s)" % rc)
    mine = [L.parse_json(l) for l in lines(out)]
    same = all(m is not None and without_arrival(m) == without_arrival(L.parse_json(r))
               for m, r in zip(mine, ref + ref[:3]))
    check(same and len(mine) == len(pls) + 3, "-p: output equals -r output but for arrival fields")
    srcs = [L.get(m, "datagramSourceIP") for m in mine if m]
    check(srcs == ["127.0.0.1"] * len(pls) + ["0000:0000:0000:0000:0000:0000:0000:0001"] * 3,
          "-p: datagramSourceIP shows the IPv4 and IPv6 senders")
    times = [int(L.get(m, "unixSecondsUTC")) for m in mine if m]
    check(all(abs(t - now) < 60 for t in times) and not any(L.get(m, "pcapTimestamp") for m in mine if m),
          "-p: unixSecondsUTC is the arrival time, no pcapTimestamp")

def test_family(flag, table, other, wrong, right):
    port = free_port()
    p, out, _ = start(["-p", str(port), flag, "-l"], "family")
    up = wait_until(lambda: bound(port, table), 5)
    check(up and not bound(port, other), "%s: bound on %s only" % (flag, table))
    pl = L.payloads(os.path.join(L.DATA, "nxthdr__sflow.pcap"))[0][2]
    send([pl], (wrong[0], port), wrong[1])
    time.sleep(0.3)
    send([pl], (right[0], port), right[1])
    wait_until(lambda: len(lines(out)) >= 1, 5)
    time.sleep(0.2)
    check(len(lines(out)) == 1, "%s: receives %s, not %s (%d lines)"
          % (flag, right[0], wrong[0], len(lines(out))))
    stop(p)

def test_port_in_use():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    port = s.getsockname()[1]
    p, _, err = start(["-p", str(port)], "busy")
    try:
        rc = p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        rc = None
        stop(p)
    s.close()
    msg = lines(err)
    check(rc == 1 and len(msg) == 1 and "in use" in msg[0], "port in use: exit %s, stderr %r" % (rc, msg))

def receiver(family, host):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((host, 0))
    s.settimeout(3)
    return s

def collect(s, n):
    got = []
    try:
        while len(got) < n:
            got.append(s.recv(65536))
    except socket.timeout:
        pass
    return got

def test_forward_file(stem):
    pcap = os.path.join(L.DATA, stem + ".pcap")
    pls = [p for _, _, p in L.payloads(pcap)]
    r4, r6 = receiver(socket.AF_INET, "127.0.0.1"), receiver(socket.AF_INET6, "::1")
    run = subprocess.run([dump, "-r", pcap, "-f", "127.0.0.1/%d" % r4.getsockname()[1],
                          "-f", "::1/%d" % r6.getsockname()[1]], capture_output=True, timeout=60)
    g4, g6 = collect(r4, len(pls)), collect(r6, len(pls))
    check(run.returncode == 0 and run.stdout == b"", "-r -f: exit 0, nothing printed")
    check(g4 == pls, "-r -f 127.0.0.1: %d/%d datagrams byte-identical" % (
        sum(a == b for a, b in zip(g4, pls)), len(pls)))
    check(g6 == pls, "-r -f ::1: %d/%d datagrams byte-identical" % (
        sum(a == b for a, b in zip(g6, pls)), len(pls)))

def test_forward_live(stem):
    pls = [p for _, _, p in L.payloads(os.path.join(L.DATA, stem + ".pcap"))]
    r4 = receiver(socket.AF_INET, "127.0.0.1")
    port = free_port()
    p, out, _ = start(["-p", str(port), "-f", "127.0.0.1/%d" % r4.getsockname()[1]], "fwd")
    wait_until(lambda: bound(port, "udp6"), 5)
    send(pls, ("127.0.0.1", port))
    got = collect(r4, len(pls))
    stop(p)
    check(got == pls, "-p -f: %d/%d datagrams relayed byte-identical" % (
        sum(a == b for a, b in zip(got, pls)), len(pls)))

try:
    test_listen("hsflowd__json_app_samples_rtmetric")
    test_family("-6", "udp6", "udp", ("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6))
    test_family("-4", "udp", "udp6", ("::1", socket.AF_INET6), ("127.0.0.1", socket.AF_INET))
    test_port_in_use()
    test_forward_file("tcpdump__sflow-print-v6")
    test_forward_live("hsflowd__json_app_samples_rtmetric")
finally:
    for c in children:
        stop(c)
sys.exit(testlib.summary("dump_live"))
EOF
