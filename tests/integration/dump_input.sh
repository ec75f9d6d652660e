#!/bin/bash
# tests/integration/dump_input.sh: rtflow-dump's capture input and errors.
# - the payloads of a golden capture re-wrapped in other containers (pcapng,
#   big-endian and nanosecond pcap, Linux cooked v1/v2, raw IP, the IPv4 and
#   IPv6 link types, QinQ tags, IPv6 with an extension header, Ethernet
#   padding, non-UDP frames in between) decode exactly as sflowtool decoded
#   the original (its golden JSON);
# - a UDP datagram cut by the snap length is reported and gives exit 2;
# - unreadable file, not a capture, empty file, unsupported link type, bad
#   options: one clear stderr line (plus usage for options) and exit 1;
#   -h prints the usage on stdout and exits 0.
# Prints "summary dump_input <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -d ../shared/testdata/sflow-pcaps ] || [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "dump_input: missing ../shared/testdata/sflow-pcaps or $BUILD/rtflow-dump"
	echo "summary dump_input 0 1"
	exit 1
fi

exec python3 - "$BUILD/rtflow-dump" <<'EOF'
import os, shutil, struct, subprocess, sys, tempfile
sys.path.insert(0, "tests/integration")
import dump_lib as L

dump = sys.argv[1]
stats = {"passed": 0, "failed": 0}
tmp = tempfile.mkdtemp(prefix="dump_input.")
env = dict(os.environ, TZ="UTC")

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + msg)

def run(args):
    return subprocess.run([dump] + args, capture_output=True, timeout=60, env=env)

STEM = "hsflowd__json_app_samples_rtmetric"
records = L.payloads(os.path.join(L.DATA, STEM + ".pcap"))
gold = L.golden(STEM)

def same_as_golden(name, path, expect=None):
    r = run(["-r", path, "-j"])
    mine = [L.parse_json(l) for l in r.stdout.decode().splitlines()]
    want = gold if expect is None else expect
    check(r.returncode == 0 and mine == want,
          "%s: %d datagrams as sflowtool decoded them (exit %d%s)" % (
              name, len(mine), r.returncode, (", " + r.stderr.decode().strip()) if r.stderr else ""))

def wrapped(name, linktype, wrap, writer=L.write_pcap, **kw):
    path = os.path.join(tmp, name)
    writer(path, linktype, [(s, u, wrap(p)) for s, u, p in records], **kw)
    same_as_golden(name, path)

eth4 = lambda p: L.ethernet(L.ipv4_udp(p))
wrapped("pcapng", L.LINK_ETHERNET, eth4, L.write_pcapng)
wrapped("big-endian nanosecond pcap", L.LINK_ETHERNET, eth4, nsec=True, big_endian=True)
wrapped("Linux cooked v1", L.LINK_SLL, lambda p: L.sll(L.ipv4_udp(p)))
wrapped("Linux cooked v2 IPv6", L.LINK_SLL2, lambda p: L.sll2(L.ipv6_udp(p), 0x86DD))
wrapped("raw IPv4 (LINKTYPE_RAW)", L.LINK_RAW, L.ipv4_udp)
wrapped("raw IPv6 with destination options", L.LINK_RAW, lambda p: L.ipv6_udp(p, ext=True))
wrapped("LINKTYPE_IPV4", L.LINK_IPV4, L.ipv4_udp)
wrapped("LINKTYPE_IPV6", L.LINK_IPV6, L.ipv6_udp)
wrapped("802.1ad + 802.1Q tags", L.LINK_ETHERNET,
        lambda p: L.ethernet(L.ipv4_udp(p), [(0x88A8, 10), (0x8100, 20)]))
wrapped("Ethernet padding after the datagram", L.LINK_ETHERNET, lambda p: eth4(p) + b"\0" * 6)

# frames that are not UDP (ARP, TCP) between the sFlow datagrams are skipped
arp = L.ethernet(b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\x00" * 20, etype=0x0806)
tcp = L.ethernet(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40, 1, 0, 64, 6, 0, b"\x0a\0\0\1",
                             b"\x0a\0\0\2") + b"\x00" * 20)
mixed = []
for s, u, p in records:
    mixed += [(s, u, arp), (s, u, eth4(p)), (s, u, tcp)]
path = os.path.join(tmp, "mixed.pcap")
L.write_pcap(path, L.LINK_ETHERNET, mixed)
same_as_golden("ARP and TCP frames skipped", path)

# a datagram cut by the snap length: reported, the others still decoded
cut = [(s, u, eth4(p)) for s, u, p in records]
cut[2] = (cut[2][0], cut[2][1], cut[2][2][:100])
path = os.path.join(tmp, "cut.pcap")
L.write_pcap(path, L.LINK_ETHERNET, cut)
r = run(["-r", path, "-j"])
err = r.stderr.decode().splitlines()
check(r.returncode == 2 and len(r.stdout.decode().splitlines()) == len(records) - 1
      and any("frame 3" in e and "not captured whole" in e for e in err),
      "truncated datagram: reported, exit 2 (%d, %r)" % (r.returncode, err))

def fails(name, args, words, usage=False):
    r = run(args)
    err = r.stderr.decode().splitlines()
    first = err[0] if err else ""
    ok = r.returncode == 1 and r.stdout == b"" and all(w in first for w in words)
    ok = ok and (len(err) == 1 or (usage and "usage:" in r.stderr.decode()))
    check(ok, "%s: exit %d, %r" % (name, r.returncode, first))

fails("missing file", ["-r", os.path.join(tmp, "nope.pcap")], ["nope.pcap", "No such file"])
fails("not a capture", ["-r", "tests/integration/dump_lib.py"], ["dump_lib.py", "unknown file format"])
open(os.path.join(tmp, "empty.pcap"), "wb").close()
fails("empty file", ["-r", os.path.join(tmp, "empty.pcap")], ["empty.pcap", "cannot read capture"])
path = os.path.join(tmp, "wifi.pcap")
L.write_pcap(path, 105, [(1, 0, b"\x08\x00" + b"\x00" * 30)])
fails("unsupported link type", ["-r", path], ["unsupported link type 105"])
fails("bad option", ["-Z"], ["unknown option"], usage=True)
fails("bad port", ["-p", "70000"], ["-p 70000"], usage=True)
fails("bad forward target", ["-r", path, "-f", "localhost:6343"], ["-f localhost:6343"])
r = run(["-h"])
check(r.returncode == 0 and r.stdout.decode().startswith("usage:") and r.stderr == b"",
      "-h: usage on stdout, exit 0")

shutil.rmtree(tmp, ignore_errors=True)
print("summary dump_input %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
EOF
