#!/usr/bin/env python3
"""tests/fuzz/seed_corpus.py: seed a fuzz corpus with the UDP payloads of pcaps.

Reads classic libpcap files (microsecond or nanosecond, either byte order;
link types Ethernet with 802.1Q/QinQ tags, Linux cooked, raw IP and BSD
loopback), walks IPv4 (unfragmented) or IPv6 (hop-by-hop, routing and
destination-options headers) to UDP and writes every UDP payload as one
file named <capture stem>-f<frame number>.bin (frames count from 1, as in
tcpdump and tshark). Non-sFlow UDP is kept too: it is a useful negative seed.
When the UDP length disagrees with the IP length, every captured byte after
the UDP header is kept, as sflowtool reads it.

Captures with more than --max frames are thinned: datagrams whose shape
(sample formats and record formats, in order) is new come first, then evenly
spaced ones fill up to --max, so the corpus stays small yet covers every
structure the capture holds.

--synthetic also writes one small datagram per record format the captures
lack (synthetic-<sample>-<enterprise>-<format>.bin), built here from the
layouts of shared/reference/wire.md §1.4/§1.5, plus discard, rtmetric,
rtflow and IPv6-agent datagrams, so the fuzzer starts inside every record
decoder instead of having to guess each tag. Standard library only.

The corpus also keeps inputs libFuzzer found that add coverage
(libfuzzer-<sha1>.bin, from `fuzz_sflow_decode -merge=1`) and, under
descriptive names, every input that once crashed a target.

usage: seed_corpus.py [-o DIR] [--max N] [--synthetic] [PCAP_OR_DIR...]
"""

import argparse
import os
import struct
import sys

LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_LOOP, LINK_RAW2, LINK_SLL = 0, 1, 101, 108, 12, 113
ETH_IP4, ETH_IP6, ETH_VLAN, ETH_QINQ, ETH_QINQ_OLD = 0x0800, 0x86DD, 0x8100, 0x88A8, 0x9100
IP6_EXT_HEADERS = (0, 43, 60)  # hop-by-hop, routing, destination options
UDP = 17


def read_pcap(path):
    """Yield (frame number, link type, packet bytes) of a classic pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError(f"{path}: too short for a pcap header")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a classic pcap (pcapng is not supported)")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    off, frame = 24, 0
    while off + 16 <= len(data):
        incl_len = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        off += 16
        if off + incl_len > len(data):
            break  # truncated last record
        frame += 1
        yield frame, linktype, data[off:off + incl_len]
        off += incl_len


def link_payload(linktype, pkt):
    """(ethertype, network-layer bytes) or None."""
    if linktype == LINK_ETHERNET:
        if len(pkt) < 14:
            return None
        etype, off = struct.unpack(">H", pkt[12:14])[0], 14
        while etype in (ETH_VLAN, ETH_QINQ, ETH_QINQ_OLD) and len(pkt) >= off + 4:
            etype, off = struct.unpack(">H", pkt[off + 2:off + 4])[0], off + 4
        return etype, pkt[off:]
    if linktype == LINK_SLL and len(pkt) >= 16:
        return struct.unpack(">H", pkt[14:16])[0], pkt[16:]
    if linktype in (LINK_RAW, LINK_RAW2) and pkt:
        return (ETH_IP4 if pkt[0] >> 4 == 4 else ETH_IP6), pkt
    if linktype in (LINK_NULL, LINK_LOOP) and len(pkt) >= 5:
        return (ETH_IP4 if pkt[4] >> 4 == 4 else ETH_IP6), pkt[4:]
    return None


def udp_payload(linktype, pkt):
    """The UDP payload of one frame, or None when it is not unfragmented UDP."""
    l2 = link_payload(linktype, pkt)
    if l2 is None:
        return None
    etype, ip = l2
    if etype == ETH_IP4 and len(ip) >= 20 and ip[0] >> 4 == 4:
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        frag = struct.unpack(">H", ip[6:8])[0]
        if ip[9] != UDP or frag & 0x3FFF or ihl < 20 or total < ihl:
            return None  # not UDP, or a fragment we cannot reassemble
        l4, captured = ip[ihl:total], ip[ihl:]
    elif etype == ETH_IP6 and len(ip) >= 40 and ip[0] >> 4 == 6:
        nxt, off = ip[6], 40
        end = 40 + struct.unpack(">H", ip[4:6])[0]
        while nxt in IP6_EXT_HEADERS and len(ip) >= off + 8:
            nxt, off = ip[off], off + 8 * (ip[off + 1] + 1)
        if nxt != UDP:
            return None
        l4, captured = ip[off:end], ip[off:]
    else:
        return None
    if len(l4) < 8:
        return None
    ulen = struct.unpack(">H", l4[4:6])[0]
    if ulen == len(l4):
        return l4[8:ulen]
    # Lengths disagree (a malformed or crafted frame): keep every captured
    # byte after the UDP header, which is what sflowtool decodes.
    return captured[8:]


def shape(payload):
    """Sample and record formats of an sFlow v5 datagram, best effort."""
    def u32(off):
        return struct.unpack(">I", payload[off:off + 4])[0] if off + 4 <= len(payload) else None

    if u32(0) != 5:
        return ("not-sflow-v5",)
    off = 28 if u32(4) == 1 else 40
    nsamples = u32(off - 4)
    out = []
    count_at = {1: 28, 2: 8, 3: 40, 4: 12, 5: 28}
    for _ in range(min(nsamples or 0, 1000)):
        tag, length = u32(off), u32(off + 4)
        if tag is None or length is None:
            break
        body, off = off + 8, off + 8 + length
        out.append(("s", tag))
        if tag not in count_at or u32(body + count_at[tag]) is None:
            continue
        roff = body + count_at[tag] + 4
        for _ in range(min(u32(body + count_at[tag]), 1000)):
            rtag, rlen = u32(roff), u32(roff + 4)
            if rtag is None or rlen is None:
                break
            out.append(("r", rtag))
            roff += 8 + rlen
    return tuple(out)


def pick(payloads, limit):
    """Up to `limit` (frame, payload): new shapes first, then evenly spaced."""
    if len(payloads) <= limit:
        return payloads
    seen, chosen = set(), {}
    for frame, data in payloads:
        s = shape(data)
        if s not in seen and len(chosen) < limit:
            seen.add(s)
            chosen[frame] = data
    step = len(payloads) / float(limit)
    i = 0.0
    while len(chosen) < limit and int(i) < len(payloads):
        frame, data = payloads[int(i)]
        chosen.setdefault(frame, data)
        i += step
    return sorted(chosen.items())


# Record layouts (wire.md 1.4/1.5) as tokens: u u32, uN N u32s, h u64, hN,
# f float, =N the u32 N, 4/6 IPv4/IPv6 address bytes, m MAC (8 bytes),
# x uuid (16 raw bytes), a/A address union (IPv4/IPv6), s string, b opaque
# packet header, n u32 array, P AS path, D host adapters, L SFP lanes.
FLOW_LAYOUTS = {
    1: "=1 =64 =4 b", 2: "u m m u", 3: "u =6 4 4 u u u u", 4: "u =17 6 6 u u u u",
    1001: "u4", 1002: "a u u", 1003: "a u u u P n u", 1004: "u s u s", 1005: "=1 s s",
    1006: "a n n", 1007: "a A", 1008: "s u u", 1009: "s u u", 1010: "s u", 1011: "u",
    1012: "n", 1013: "u =1 =64 =4 b", 1014: "s m u u h u u u", 1015: "s m u u u u u h u",
    1020: "u u", 1021: "u m m u", 1022: "u m m u", 1023: "u =6 4 4 u u u u",
    1024: "u =17 4 4 u u u u", 1025: "u =6 6 6 u u u u", 1026: "u =17 6 6 u u u u",
    1027: "u", 1028: "u", 1029: "u", 1030: "u", 1036: "u", 1038: "s", 1039: "u",
    1040: "u", 1041: "s s", 1042: "s", 1043: "h", 2100: "u 4 4 u u", 2101: "u 6 6 u u",
    2102: "u 4 4 u u", 2103: "u 6 6 u u", 2200: "u u s u u u u",
    2201: "u u s s s s s s h u u", 2202: "s s s s h h u u", 2203: "s s s", 2204: "s",
    2205: "s", 2206: "u =1001 s s s s s s s h h u u", 2207: "s s", 2209: "u12", 2210: "u4",
}
COUNTER_LAYOUTS = {
    1: "u u h u u h u6 h u6", 2: "u13", 3: "u18", 4: "u h u h u4 u h u h h h", 5: "u h u4",
    6: "u20", 7: "m m u u u8", 10: "u u u u L", 11: "u5", 1001: "u u u h h", 1002: "u3",
    1004: "h u", 1005: "s", 2000: "s x =3 =2 s", 2001: "D", 2002: "=3 u", 2003: "f f f u17",
    2004: "h7 u4", 2005: "h h u u h u u h u", 2006: "h u u u h u u u", 2007: "u19",
    2008: "u25", 2009: "u15", 2010: "u7", 2100: "u u h h u", 2101: "u3", 2102: "h h",
    2103: "h h h u h u h u", 2104: "h u u u h u u u", 2105: "s s s", 2106: "h8 u11",
    2200: "u22 h h u5 h u3", 2201: "u15", 2202: "s u11", 2203: "u u h h u4",
    2204: "u27 h4", 2205: "u23", 2206: "u5", 2207: "u6",
    (5703 << 12) | 1: "u4 h h u4", (4413 << 12) | 3: "u36",
}
PACKET = bytes.fromhex("001b213c4d5e001c234d5e6f08004500002e1c4640004011000a0000010a000002"
                       "c35018c7001a0000")


def xdr_string(b):
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def encode_layout(layout):
    """The body of a record from its token layout, with small varied values."""
    out, n = b"", 0
    for tok in layout.split():
        n += 1
        if tok.startswith("="):
            out += struct.pack(">I", int(tok[1:]))
        elif tok[0] in "uh":
            count = int(tok[1:] or 1)
            fmt = ">I" if tok[0] == "u" else ">Q"
            out += b"".join(struct.pack(fmt, n * 100 + i) for i in range(count))
        else:
            out += {
                "f": struct.pack(">f", 0.5), "4": bytes([10, 0, 0, n]),
                "6": bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [n]),
                "m": bytes([0x52, 0x54, 0, 0x12, 0x34, n, 0, 0]), "x": bytes(range(16)),
                "a": struct.pack(">I", 1) + bytes([192, 0, 2, n]),
                "A": struct.pack(">I", 2) + bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [n]),
                "s": xdr_string(b"seed%d" % n), "b": xdr_string(PACKET),
                "n": struct.pack(">III", 2, 65001, 65002),
                "P": struct.pack(">IIIII", 1, 2, 2, 65001, 65002),
                "D": struct.pack(">IIII", 1, 2, 1, 0x52540012) + bytes([0x34, 0x56, 0, 0]),
                "L": struct.pack(">I", 1) + b"".join(struct.pack(">I", i + 1) for i in range(10)),
            }[tok]
    return out


def tlv(tag, body):
    return struct.pack(">II", tag, len(body)) + body


def datagram(samples, agent6=False):
    if agent6:
        hdr = struct.pack(">II", 5, 2) + bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [1])
    else:
        hdr = struct.pack(">II", 5, 1) + bytes([192, 0, 2, 1])
    hdr += struct.pack(">IIII", 100000, 7, 123456, len(samples))
    return hdr + b"".join(samples)


def flow_sample(records, expanded=False):
    body = b"".join(tlv(tag, encode_layout(lay)) for tag, lay in records)
    if expanded:
        head = struct.pack(">IIIIIIIIII", 1, 0, 369098852, 300, 3000, 0, 0, 369098852, 0, 48)
        return tlv(3, head + struct.pack(">I", len(records)) + body)
    head = struct.pack(">IIIIIII", 1, 47, 300, 3000, 0, 47, 48)
    return tlv(1, head + struct.pack(">I", len(records)) + body)


def counters_sample(records, expanded=True):
    body = b"".join(tlv(tag, encode_layout(lay)) for tag, lay in records)
    head = struct.pack(">III", 1, 2, 1) if expanded else struct.pack(">II", 1, 47)
    return tlv(4 if expanded else 2, head + struct.pack(">I", len(records)) + body)


def rt_samples():
    """rtmetric (4300:1002) and rtflow (4300:1003), one entry of every type."""
    metric = [xdr_string(b"m0") + struct.pack(">I", 0) + xdr_string(b"text"),
              xdr_string(b"m1") + struct.pack(">II", 1, 7),
              xdr_string(b"m2") + struct.pack(">IQ", 2, 1 << 40),
              xdr_string(b"m3") + struct.pack(">II", 3, 9),
              xdr_string(b"m4") + struct.pack(">IQ", 4, 5),
              xdr_string(b"m5") + struct.pack(">If", 5, 1.5),
              xdr_string(b"m6") + struct.pack(">Id", 6, 2.5)]
    flow = [xdr_string(b"f0") + struct.pack(">I", 0) + xdr_string(b"text"),
            xdr_string(b"f1") + struct.pack(">I", 1) + bytes([0x52, 0x54, 0, 1, 2, 3, 0, 0]),
            xdr_string(b"f2") + struct.pack(">I", 2) + bytes([10, 0, 0, 1]),
            xdr_string(b"f3") + struct.pack(">I", 3) + bytes([0x20, 1] + [0] * 13 + [1]),
            xdr_string(b"f4") + struct.pack(">II", 4, 80),
            xdr_string(b"f5") + struct.pack(">IQ", 5, 1 << 33),
            xdr_string(b"f6") + struct.pack(">If", 6, 0.25),
            xdr_string(b"f7") + struct.pack(">Id", 7, 0.125)]
    m = xdr_string(b"app.metrics") + struct.pack(">I", len(metric)) + b"".join(metric)
    f = xdr_string(b"app.flows") + struct.pack(">III", 10, 1000, len(flow)) + b"".join(flow)
    return [tlv((4300 << 12) | 1002, m), tlv((4300 << 12) | 1003, f)]


def synthetic():
    """(name, datagram) for every record format and the sample kinds."""
    for tag, lay in FLOW_LAYOUTS.items():
        yield f"synthetic-flow-{tag >> 12}-{tag & 0xfff}", datagram([flow_sample([(tag, lay)])])
    for tag, lay in COUNTER_LAYOUTS.items():
        yield (f"synthetic-counters-{tag >> 12}-{tag & 0xfff}",
               datagram([counters_sample([(tag, lay)])]))
    drops = [(1, FLOW_LAYOUTS[1]), (1036, "u"), (1038, "s"), (1041, "s s"), (1042, "s")]
    body = b"".join(tlv(t, encode_layout(lay)) for t, lay in drops)
    discard = tlv(5, struct.pack(">IIIIIIII", 1, 0, 47, 2, 47, 0, 259, len(drops)) + body)
    yield "synthetic-discard", datagram([discard])
    yield "synthetic-rtmetric-rtflow", datagram(rt_samples())
    yield "synthetic-ipv6-agent", datagram(
        [flow_sample([(1, FLOW_LAYOUTS[1]), (1001, "u4")], expanded=True),
         counters_sample([(1, COUNTER_LAYOUTS[1]), (2, "u13")], expanded=False)], agent6=True)


def pcap_files(args):
    for a in args:
        if os.path.isdir(a):
            for name in sorted(os.listdir(a)):
                if name.endswith(".pcap"):
                    yield os.path.join(a, name)
        else:
            yield a


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", default=os.path.join(here, "corpus", "sflow_decode"))
    ap.add_argument("--max", type=int, default=30, help="datagrams kept per capture")
    ap.add_argument("--synthetic", action="store_true", help="also write synthetic seeds")
    ap.add_argument("pcaps", nargs="*", help="pcap files or directories of them")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    total_files = total_bytes = 0
    if args.synthetic:
        for name, data in synthetic():
            with open(os.path.join(args.out, name + ".bin"), "wb") as f:
                f.write(data)
            total_files += 1
            total_bytes += len(data)
    for path in pcap_files(args.pcaps):
        stem = os.path.basename(path)[:-5] if path.endswith(".pcap") else os.path.basename(path)
        payloads = []
        for frame, linktype, pkt in read_pcap(path):
            p = udp_payload(linktype, pkt)
            if p is not None:
                payloads.append((frame, p))
        kept = pick(payloads, args.max)
        for frame, data in kept:
            with open(os.path.join(args.out, f"{stem}-f{frame:04d}.bin"), "wb") as f:
                f.write(data)
            total_bytes += len(data)
        total_files += len(kept)
        print(f"{stem}: {len(payloads)} UDP payloads, kept {len(kept)}")
    print(f"wrote {total_files} files, {total_bytes} bytes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
