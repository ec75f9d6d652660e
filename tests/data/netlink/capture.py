#!/usr/bin/env python3
# tests/data/netlink/capture.py: how the *.bin files here were made (run as
# root; it makes and deletes its own network namespace). In namespace
# rtfl_cap: lo up, a veth pair cap0/cap1 (cap0 up, 198.18.5.1/24 on cap0,
# IPv6 off so no link-local noise), then it saves the kernel's raw replies:
#   link_dump.bin   RTM_GETLINK dump: lo, cap1, cap0 ... NLMSG_DONE
#   addr_dump.bin   RTM_GETADDR dump: 127.0.0.1, 198.18.5.1, ::1 ... DONE
#   link_del.bin    the RTMGRP_LINK notifications of `ip link del cap0`
# and prints `ip -j link` / `ip -j addr` so the expected values in
# tests/unit/agent_netlink_test.c can be checked against them.
import os, socket, struct, subprocess, sys

NS = "rtfl_cap"
here = os.path.dirname(os.path.abspath(__file__))

def sh(*a):
    subprocess.run(list(a), check=True)

def dump(sock, msg_type, hdr_len):
    req = struct.pack("=IHHII", 16 + hdr_len, msg_type, 0x301, 1, 0) + b"\0" * hdr_len
    sock.send(req)
    out = b""
    while True:
        data = sock.recv(65536)
        out += data
        off = 0
        while off + 16 <= len(data):
            mlen, mtype = struct.unpack_from("=IH", data, off)
            if mtype == 3:  # NLMSG_DONE
                return out
            off += (mlen + 3) & ~3

def main():
    sh("ip", "netns", "add", NS)
    try:
        sh("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1")
        sh("ip", "-n", NS, "link", "set", "lo", "up")
        sh("ip", "-n", NS, "link", "add", "cap0", "type", "veth", "peer", "name", "cap1")
        sh("ip", "-n", NS, "link", "set", "cap0", "up")
        sh("ip", "-n", NS, "addr", "add", "198.18.5.1/24", "dev", "cap0")
        sh("ip", "-n", NS, "-d", "link")
        sh("ip", "-n", NS, "addr")
        sh("ip", "netns", "exec", NS, sys.executable, os.path.abspath(__file__), "--inner")
    finally:
        subprocess.run(["ip", "netns", "del", NS])

def inner():
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        s.bind((0, 0))
        open(os.path.join(here, "link_dump.bin"), "wb").write(dump(s, 18, 16))
        open(os.path.join(here, "addr_dump.bin"), "wb").write(dump(s, 22, 8))
        m = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        m.bind((0, 1))  # RTMGRP_LINK
        subprocess.run(["ip", "link", "del", "cap0"], check=True)
        m.settimeout(1)
        out = b""
        try:
            while True:
                out += m.recv(65536)
        except socket.timeout:
            pass
        open(os.path.join(here, "link_del.bin"), "wb").write(out)

if __name__ == "__main__":
    sys.exit(inner() if sys.argv[1:] == ["--inner"] else main())
