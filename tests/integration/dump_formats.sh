#!/bin/bash
# tests/integration/dump_formats.sh: rtflow-dump's other output formats
# against independent references, on the shared captures:
# - text (default): per datagram, the "name value" lines must be exactly
#   the golden JSON's fields in order (sflowtool prints the same fields in
#   both; see dump_lib.flatten for the two layouts that differ);
# - -g: the same name/value lines, and every line's context columns must
#   be the golden datagram's capture time, agent, sub-agent, sequence
#   number, and the current sample's tag and source id;
# - -l: one FLOW line per golden flow sample and one CNTR line per counter
#   sample, whose columns equal the golden fields they come from;
# - -L: one line per sample with the golden values of the chosen fields;
# - -t: the pcap stream read back by tcpdump has one packet per flow
#   sample, with the golden capture time and the golden srcIP/dstIP;
# - -J: read as a stream of JSON values, the same objects as the golden.
# One check per datagram (text, -g), per sample (-l, -L, -t) and per
# capture for the counts. Prints "summary dump_formats <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -d ../shared/testdata/sflow-pcaps/golden ] || [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "dump_formats: missing ../shared/testdata/sflow-pcaps or $BUILD/rtflow-dump"
	echo "summary dump_formats 0 1"
	exit 1
fi

exec python3 - "$BUILD/rtflow-dump" <<'EOF'
import ipaddress, json, os, re, subprocess, sys
sys.path.insert(0, "tests/integration")
import dump_lib as L

dump = sys.argv[1]
env = dict(os.environ, TZ="UTC")
stats = {"passed": 0, "failed": 0}
LOG_LINE = re.compile(r"^(startDatagram|endDatagram|startSample|endSample|skipping unknown|"
                      r"NO_DECODE|UNKNOWN headerProtocol|header decode error)")

def check(ok, msg):
    stats["passed" if ok else "failed"] += 1
    if not ok:
        print("FAIL " + msg)

def run(args, stdin=None, timeout=120):
    r = subprocess.run([dump] + args, env=env, capture_output=True, timeout=timeout)
    if r.returncode not in (0, 2):
        print("rtflow-dump %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr[:300]))
    return r.stdout

def key_of(pairs):
    d = dict(pairs)
    return (d.get("pcapTimestamp"), d.get("agent"), d.get("agentSubId"), d.get("packetSequenceNo"))

def text_datagrams(out, grep):
    """Per datagram: [(name, value)] and, for -g, the context columns."""
    dgs, cur = [], None
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        ctx = None
        if grep:
            parts = line.split(" ", 7)
            ctx, line = parts[:7], parts[7] if len(parts) > 7 else ""
        if line.startswith("startDatagram"):
            cur = ([], [])
            dgs.append(cur)
            continue
        if LOG_LINE.match(line) or cur is None:
            continue
        name, _, value = line.partition(" ")
        cur[0].append((name, value))
        cur[1].append(ctx)
    return dgs

def check_context(stem, g, pairs, ctxs):
    """-g: each line's columns against the golden datagram and sample."""
    gd = dict((k, v) for k, v in g if not isinstance(v, list))
    # sflowtool reads the agent address and sub-agent id just before it
    # prints agentSubId, and the sequence number just before "agent"
    stage, sample, source, block = 0, None, None, None
    for (name, value), c in zip(pairs, ctxs):
        when, agent, sub, seq, ds, stag, etag = c
        if name == "agentSubId":
            stage = 1
        elif name == "agent":
            stage = 2
        if name == "sampleType_tag":
            sample, source, block = value, None, "0:0"
        if name == "sourceId":
            source = value
        if name in ("flowBlock_tag", "counterBlock_tag") or name.endswith("_flowBlock_tag"):
            block = value
        want = [gd["pcapTimestamp"], gd["agent"] if stage else "-",
                gd["agentSubId"] if stage else "0",
                gd["packetSequenceNo"] if stage == 2 else "0",
                source or ds, sample or "0:0", block or "0:0"]
        if [when, agent, sub, seq, ds, stag, etag] != want:
            return "line %r has context %r, expected %r" % (name, c, want)
    return None

def check_text(stem, goldens, grep):
    out = run(["-r", pcap_of(stem)] + (["-g"] if grep else []))
    ours = {}
    for pairs, ctxs in text_datagrams(out, grep):
        ours.setdefault(key_of(pairs), []).append((pairs, ctxs))
    fmt = "-g" if grep else "text"
    for g in goldens:
        want = L.flatten(g)
        mine = ours.get(key_of(want))
        if not mine:
            check(False, "%s %s: datagram %r missing" % (stem, fmt, key_of(want)))
            continue
        pairs, ctxs = mine.pop(0)
        if pairs != want:
            diff = next((i for i, (a, b) in enumerate(zip(pairs, want)) if a != b), len(want))
            check(False, "%s %s: datagram %r differs at field %d: %r vs golden %r" % (
                stem, fmt, key_of(want), diff, pairs[diff:diff + 1], want[diff:diff + 1]))
            continue
        err = check_context(stem, g, pairs, ctxs) if grep else None
        check(err is None, "%s -g: %s" % (stem, err))

def samples(goldens):
    for g in goldens:
        for s in L.get(g, "samples"):
            yield g, s

def i32(v):
    v = int(v)
    return v - (1 << 32) if v >= 1 << 31 else v

def expected_flow(g, s):
    """The FLOW line sflowtool derives from a flow sample: each element sets
    the fields it carries, later elements overriding earlier ones."""
    f = {"srcMAC": "000000000000", "dstMAC": "000000000000", "ethernet_type": 0,
         "in_vlan": 0, "out_vlan": 0, "srcIP": "-", "dstIP": "-", "proto": 0, "tos": 0,
         "ttl": 0, "sport": 0, "dport": 0, "flags": 0, "size": 0}
    stripped = ip4_offset = 0
    for e in L.get(s, "elements", []):
        d = dict(e)
        for k in ("srcMAC", "dstMAC", "ethernet_type", "in_vlan", "out_vlan"):
            if k in d:
                f[k] = d[k]
        for k, v in e:  # every 802.1Q tag sets it: the innermost wins
            if k == "decodedVLAN" or k.startswith("decodedVLAN."):
                f["in_vlan"] = v
        if "sampledPacketSize" in d:
            f["size"] = d["sampledPacketSize"]
        if "strippedBytes" in d:
            stripped = int(d["strippedBytes"])
        if "strippedBytes" in d and "srcIP" in d:
            # the header's IPSize is size - stripped - offset of the IPv4 header
            ip4_offset = int(d["sampledPacketSize"]) - stripped - int(d["IPSize"])
        for a, b in (("srcIP", "srcIP"), ("dstIP", "dstIP"), ("srcIP6", "srcIP"), ("dstIP6", "dstIP"),
                     ("IPProtocol", "proto"), ("IPTOS", "tos"), ("IPTTL", "ttl"),
                     ("TCPFlags", "flags"), ("TCPSrcPort", "sport"), ("TCPDstPort", "dport"),
                     ("UDPSrcPort", "sport"), ("UDPDstPort", "dport"),
                     ("ICMPType", "sport"), ("ICMPCode", "dport"),
                     ("socket4_local_ip", "srcIP"), ("socket4_remote_ip", "dstIP"),
                     ("socket6_local_ip", "srcIP"), ("socket6_remote_ip", "dstIP")):
            if a in d:
                f[b] = d[a]
    port = lambda v: int(v.split()[-1])
    return ["FLOW", L.get(g, "agent"), str(port(L.get(s, "inputPort"))),
            str(port(L.get(s, "outputPort"))), f["srcMAC"], f["dstMAC"],
            "0x%04x" % int(f["ethernet_type"]), str(i32(f["in_vlan"])), str(i32(f["out_vlan"])),
            f["srcIP"], f["dstIP"], str(f["proto"]), "0x%02x" % int(f["tos"]), str(f["ttl"]),
            str(f["sport"]), str(f["dport"]), "0x%02x" % int(f["flags"]), str(f["size"]),
            str(i32((int(f["size"]) - stripped - ip4_offset) % (1 << 32))),
            L.get(s, "meanSkipCount")]

GENERIC = ["ifIndex", "networkType", "ifSpeed", "ifDirection", "ifStatus", "ifInOctets",
           "ifInUcastPkts", "ifInMulticastPkts", "ifInBroadcastPkts", "ifInDiscards",
           "ifInErrors", "ifInUnknownProtos", "ifOutOctets", "ifOutUcastPkts",
           "ifOutMulticastPkts", "ifOutBroadcastPkts", "ifOutDiscards", "ifOutErrors",
           "ifPromiscuousMode"]

def expected_cntr(g, s):
    gen = next((dict(e) for e in L.get(s, "elements", []) if L.get(e, "counterBlock_tag") == "0:1"), {})
    return ["CNTR", L.get(g, "agent")] + [gen.get(k, "0") for k in GENERIC]

def check_lines(stem, goldens):
    lines = run(["-r", pcap_of(stem), "-l"]).decode().splitlines()
    want = []
    for g, s in samples(goldens):
        t = L.get(s, "sampleType")
        if t == "FLOWSAMPLE":
            want.append(expected_flow(g, s))
        elif t == "COUNTERSSAMPLE":
            want.append(expected_cntr(g, s))
    check(len(lines) == len(want), "%s -l: %d lines, expected %d" % (stem, len(lines), len(want)))
    for mine, exp in zip(lines, want):
        check(mine.split(",") == exp, "%s -l:\n  ours   %s\n  golden %s" % (stem, mine, ",".join(exp)))

FIELDS = ["agent", "sampleType_tag", "sourceId", "srcIP", "dstIP", "TCPSrcPort", "ifInOctets",
          "rtmetric_datasource_name", "actor_initiator"]

def check_custom(stem, goldens):
    lines = run(["-r", pcap_of(stem), "-L", ",".join(FIELDS)]).decode().splitlines()
    want = []
    for g, s in samples(goldens):
        vals = dict(L.flatten(s))
        vals["agent"] = L.get(g, "agent")
        want.append(",".join(vals.get(f, "") for f in FIELDS))
    check(len(lines) == len(want), "%s -L: %d lines, expected %d" % (stem, len(lines), len(want)))
    for mine, exp in zip(lines, want):
        check(mine == exp, "%s -L:\n  ours   %s\n  golden %s" % (stem, mine, exp))

TCPDUMP_LINE = re.compile(r"^(\d+)\.(\d+) \S+ (?:(\S+) > (\S+?): )?")

def host(a):
    """tcpdump's "addr.port" (or bare addr) as an ip_address, or None."""
    for cand in (a, a.rsplit(".", 1)[0]):
        try:
            return ipaddress.ip_address(cand)
        except ValueError:
            pass
    return None

def check_pcap(stem, goldens):
    flows = [(g, s) for g, s in samples(goldens) if L.get(s, "sampleType") == "FLOWSAMPLE"]
    def ethernet_header(s):
        # the packet written is the last sampled header or sampled_ipv4/ipv6
        # structure of the sample (as sflowtool does): it must be an Ethernet header
        last = None
        for e in L.get(s, "elements", []):
            t = L.get(e, "flowSampleType") or ""
            if t == "HEADER" or t.endswith("IPV4") or t.endswith("IPV6"):
                last = e
        return last is not None and L.get(last, "flowSampleType") == "HEADER" and \
            L.get(last, "headerProtocol") == "1"
    if not flows or not all(ethernet_header(s) for _, s in flows):
        return  # the stream is Ethernet, as sflowtool writes it: other headers read as garbage
    pcap = run(["-r", pcap_of(stem), "-t"])
    r = subprocess.run(["tcpdump", "-nn", "-tt", "-r", "-"], input=pcap, capture_output=True, timeout=60)
    # one line per packet; decoded tunnel contents continue on lines of their own
    lines = [l for l in r.stdout.decode("utf-8", "replace").splitlines() if re.match(r"\d+\.\d+ ", l)]
    check(r.returncode == 0 and len(lines) == len(flows),
          "%s -t: tcpdump read %d packets (rc %d), expected %d"
          % (stem, len(lines), r.returncode, len(flows)))
    for line, (g, s) in zip(lines, flows):
        els = [dict(e) for e in L.get(s, "elements", [])]
        src = next((e.get("srcIP", e.get("srcIP6")) for e in els if "srcIP" in e or "srcIP6" in e), None)
        dst = next((e.get("dstIP", e.get("dstIP6")) for e in els if "dstIP" in e or "dstIP6" in e), None)
        m = TCPDUMP_LINE.match(line)
        when = "%s.%06d" % (L.get(g, "pcapTimestamp"), int(L.get(g, "pcapTimestamp_uS")))
        usec = "%06d" % int(L.get(g, "pcapTimestamp_uS"))
        ok = m is not None and (m.group(1), m.group(2)) == (str(pcap_seconds(g)), usec)
        if src and ok:
            ok = (m.group(3) is not None and host(m.group(3)) == ipaddress.ip_address(src)
                  and host(m.group(4)) == ipaddress.ip_address(dst))
        check(ok, "%s -t: tcpdump shows %r, golden %s %s > %s" % (stem, line[:120], when, src, dst))

def check_pretty(stem, goldens):
    """-J: the same objects as the golden -j lines, one per datagram."""
    text = run(["-r", pcap_of(stem), "-J"]).decode("utf-8", "surrogateescape")
    dec = json.JSONDecoder(object_pairs_hook=lambda kv: [(k, v) for k, v in kv])
    objs, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        objs.append(obj)
    ours = {}
    for o in objs:
        ours.setdefault(key_of(L.flatten(o)), []).append(o)
    same = sum(1 for g in goldens if (ours.get(key_of(L.flatten(g))) or [None]).pop(0) == g)
    check(same == len(goldens), "%s -J: %d of %d datagrams equal the golden JSON"
          % (stem, same, len(goldens)))

def pcap_seconds(g):
    import calendar, time
    return calendar.timegm(time.strptime(L.get(g, "pcapTimestamp"), "%Y-%m-%dT%H:%M:%S+0000"))

def pcap_of(stem):
    return os.path.join(L.DATA, stem + ".pcap")

stems = sorted(os.path.basename(p)[:-5] for p in os.listdir(L.DATA) if p.endswith(".pcap"))
for stem in stems:
    goldens = L.golden(stem)
    if not goldens:
        continue
    before = dict(stats)
    check_text(stem, goldens, False)
    check_text(stem, goldens, True)
    check_lines(stem, goldens)
    check_custom(stem, goldens)
    check_pcap(stem, goldens)
    check_pretty(stem, goldens)
    bad = stats["failed"] - before["failed"]
    print("%s %s: %d checks passed, %d failed" % ("FAIL" if bad else "ok  ", stem,
                                                   stats["passed"] - before["passed"], bad))
print("summary dump_formats %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
EOF
