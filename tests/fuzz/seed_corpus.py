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
structure the capture holds. Standard library only.

usage: seed_corpus.py [-o DIR] [--max N] PCAP_OR_DIR...
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
    nsamples, off = u32(off - 4), off
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
    ap.add_argument("pcaps", nargs="+", help="pcap files or directories of them")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    total_files = total_bytes = 0
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
