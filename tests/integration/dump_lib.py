"""tests/integration/dump_lib.py: helpers shared by the dump_*.sh tests.

Independent of rtflow-dump's C code: a small pcap reader (classic pcap,
Ethernet with 802.1Q tags, IPv4/IPv6, UDP) that yields the UDP payloads of
a capture, writers for pcap (either byte order, micro or nanosecond) and
pcapng with other link types (Linux cooked v1/v2, raw IP), the golden file
loader, and a flattener that turns sflowtool's JSON into the (name, value)
sequence its text format prints. Standard library only.
"""

import gzip
import json
import os
import struct

DATA = "../shared/testdata/sflow-pcaps"

LINK_ETHERNET, LINK_RAW, LINK_SLL, LINK_SLL2, LINK_IPV4, LINK_IPV6 = 1, 101, 113, 276, 228, 229


def read_pcap(path):
    """(linktype, [(ts_sec, ts_usec, frame)]) of a classic little-endian pcap."""
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
    assert magic == 0xA1B2C3D4, "%s: only little-endian microsecond pcaps" % path
    out, off = [], 24
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        out.append((sec, usec, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return linktype, out


def udp_payload(frame):
    """The UDP payload of an Ethernet frame (802.1Q tags allowed), or None."""
    off, etype = 12, struct.unpack(">H", frame[12:14])[0]
    while etype in (0x8100, 0x88A8):
        off += 4
        etype = struct.unpack(">H", frame[off:off + 2])[0]
    off += 2
    if etype == 0x0800:
        if frame[off + 9] != 17:
            return None
        off += (frame[off] & 15) * 4
    elif etype == 0x86DD:
        if frame[off + 6] != 17:
            return None
        off += 40
    else:
        return None
    ulen = struct.unpack(">H", frame[off + 4:off + 6])[0]
    return frame[off + 8:off + ulen]


def payloads(path):
    """[(ts_sec, ts_usec, payload)] of the UDP datagrams of a capture."""
    _, recs = read_pcap(path)
    return [(s, u, p) for s, u, f in recs for p in [udp_payload(f)] if p is not None]


def ipv4_udp(payload, src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", sport=5555, dport=6343):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
    return ip + udp


def ipv6_udp(payload, ext=False):
    udp = struct.pack(">HHHH", 5555, 6343, 8 + len(payload), 0) + payload
    src, dst = b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01", b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x02"
    body, nxt = udp, 17
    if ext:  # one destination-options header (8 bytes of padding options)
        body, nxt = bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp, 60
    return struct.pack(">IHBB16s16s", 0x60000000, len(body), nxt, 64, src, dst) + body


def ethernet(ip, vlans=(), etype=0x0800):
    hdr = b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb"
    for tpid, vid in vlans:
        hdr += struct.pack(">HH", tpid, vid)
    return hdr + struct.pack(">H", etype) + ip


def sll(ip, etype=0x0800):
    return struct.pack(">HHH8sH", 0, 1, 6, b"\x00\x11\x22\x33\x44\x55\x00\x00", etype) + ip


def sll2(ip, etype=0x0800):
    return struct.pack(">HHIHBB8s", etype, 0, 1, 1, 0, 6, b"\x00\x11\x22\x33\x44\x55\x00\x00") + ip


def write_pcap(path, linktype, records, nsec=False, big_endian=False):
    """records: [(ts_sec, ts_usec, frame)]."""
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    with open(path, "wb") as f:
        f.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 262144, linktype))
        for sec, usec, frame in records:
            frac = usec * 1000 if nsec else usec
            f.write(struct.pack(e + "IIII", sec, frac, len(frame), len(frame)) + frame)


def write_pcapng(path, linktype, records):
    """Section header, one interface (microsecond resolution), enhanced packet blocks."""
    def block(btype, body):
        body += b"\x00" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(0x00000001, struct.pack("<HHI", linktype, 0, 262144))
    for sec, usec, frame in records:
        ts = sec * 1000000 + usec
        out += block(0x00000006, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                             len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(out)


def _pairs(obj):
    return [(k, v) for k, v in obj]


def parse_json(line):
    """A JSON line with objects kept as ordered (key, value) lists, or None."""
    try:
        return json.loads(line, object_pairs_hook=_pairs)
    except ValueError:
        return None


def golden(stem):
    """The parsed golden lines of a capture that sflowtool decoded fully."""
    path = os.path.join(DATA, "golden", stem + ".sflowtool.jsonl")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
    objs = [parse_json(l) for l in lines]
    return [o for o in objs if o is not None and get(o, "samples") is not None]


def get(obj, name, default=None):
    for k, v in obj:
        if k == name:
            return v
    return default


def flatten(obj, out=None):
    """sflowtool's JSON as the (name, value) pairs of its text format.

    The text format prints the same fields in the same order without the
    nesting; the two JSON-only layouts are unrolled as sflowtool's text
    printer does: host adapters as adaptor_<i>_ifIndex, adaptor_<i>_MACs,
    adaptor_<i>_MAC_<j>, and SFP lanes as their sfp_lane_* fields only.
    """
    if out is None:
        out = []
    for k, v in obj:
        if k == "adaptor_list":
            for i, ad in enumerate(v):
                out.append(("adaptor_%d_ifIndex" % i, get(ad, "ifIndex")))
                out.append(("adaptor_%d_MACs" % i, get(ad, "MACs")))
                for j, mac in enumerate(get(ad, "mac_list", [])):
                    out.append(("adaptor_%d_MAC_%d" % (i, j), mac))
        elif k == "sfp_lanes":
            for lane in v:
                out.extend((n, x) for n, x in lane if n.startswith("sfp_lane_"))
        elif isinstance(v, list):
            for item in v:
                flatten(item, out)
        else:
            out.append((k, v))
    return out
