#!/bin/bash
# tests/integration/agent_privs.sh: rtflow-agent started as root drops its
# privileges after setup, and keeps working. On loopback, config and pid
# file in a 0700 root directory made here:
# - /proc/PID/status of the running agent: every uid and gid those of
#   `nobody` (from the passwd database, read here), CapEff = CAP_NET_RAW |
#   CAP_NET_ADMIN, CapPrm also CAP_DAC_READ_SEARCH, CapBnd the same three,
#   CapAmb 0, NoNewPrivs 1 (capability numbers read from
#   /usr/include/linux/capability.h);
# - it sends datagrams; after SIGHUP with a new collector port (the config
#   is readable by root only) datagrams reach the new port;
# - the pid file holds its pid; a second agent on the same pid file exits
#   1 naming the first one's pid; SIGTERM: exit 0 and the pid file is gone
#   or empty;
# - -P keeps root's capabilities; -u with an unknown user exits 1;
# - with --root (a copy of tests/data/proc/case1 plus a DMI product_uuid
#   of mode 0400, as on real hosts) and -u nobody, the host_descr UUID is
#   the DMI one (written here) in every sample, before and after SIGHUP,
#   not the fixture's machine-id that nobody could fall back to.
# Every wait is bounded; only processes started here are stopped, by PID.
# Prints "summary agent_privs <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ] || [ "$(id -u)" != 0 ]; then
	echo "agent_privs: needs root, $BUILD/rtflow-agent and $BUILD/rtflow-dump"
	echo "summary agent_privs 0 1"
	exit 1
fi

exec python3 - "$BUILD" <<'PYEOF'
import json, os, pwd, re, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, wait_until, start, stop

build = sys.argv[1]
agent_bin, dump_bin = build + "/rtflow-agent", build + "/rtflow-dump"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_privs.")  # mode 0700, root's

def datagrams(path):
    out = []
    with open(path, "rb") as f:
        for line in f.read().decode("utf-8", "replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out

def write_conf(path, port):
    with open(path, "w") as f:
        f.write("sflow {\n  polling = 1\n  agentIP = 192.0.2.44\n"
                "  collector { ip = 127.0.0.1 udpport = %d }\n}\n" % port)
    os.chmod(path, 0o600)

def cap_numbers():
    caps = {}
    with open("/usr/include/linux/capability.h") as f:
        for m in re.finditer(r"#define\s+(CAP_[A-Z_]+)\s+(\d+)\s*$", f.read(), re.M):
            caps[m.group(1)] = int(m.group(2))
    return caps

def status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()
    return out

def check_status(pid):
    caps = cap_numbers()
    nobody = pwd.getpwnam("nobody")
    st = status(pid)
    eff = (1 << caps["CAP_NET_RAW"]) | (1 << caps["CAP_NET_ADMIN"])
    prm = eff | (1 << caps["CAP_DAC_READ_SEARCH"])
    check(st["Uid"] == [str(nobody.pw_uid)] * 4, "Uid all nobody's %d (%s)" % (nobody.pw_uid, st["Uid"]))
    check(st["Gid"] == [str(nobody.pw_gid)] * 4, "Gid all nobody's %d (%s)" % (nobody.pw_gid, st["Gid"]))
    check(st["Groups"] in ([str(nobody.pw_gid)], []), "no other groups (%s)" % st["Groups"])
    check(int(st["CapEff"][0], 16) == eff, "CapEff %016x = NET_RAW|NET_ADMIN (%s)" % (eff, st["CapEff"][0]))
    check(int(st["CapPrm"][0], 16) == prm, "CapPrm %016x adds DAC_READ_SEARCH (%s)" % (prm, st["CapPrm"][0]))
    check(int(st["CapBnd"][0], 16) == prm, "CapBnd %016x (%s)" % (prm, st["CapBnd"][0]))
    check(int(st["CapAmb"][0], 16) == 0, "CapAmb 0")
    check(st.get("NoNewPrivs") == ["1"], "NoNewPrivs 1")

def main():
    p1, p2 = free_port(), free_port()
    conf, pidfile = os.path.join(tmp, "agent.conf"), os.path.join(tmp, "agent.pid")
    write_conf(conf, p1)
    d1, out1, _ = start([dump_bin, "-p", str(p1), "-4", "-j"], "dump1")
    d2, out2, _ = start([dump_bin, "-p", str(p2), "-4", "-j"], "dump2")
    time.sleep(0.3)
    agent, _, aerr = start([agent_bin, "-d", "-f", conf, "-p", pidfile], "agent")
    check(wait_until(lambda: len(datagrams(out1)) >= 2, 5), "datagrams arrive after the drop")
    check_status(agent.pid)
    with open(pidfile) as f:
        check(f.read() == "%d\n" % agent.pid, "pid file holds the agent's pid")
    r = subprocess.run([agent_bin, "-d", "-f", conf, "-p", pidfile], capture_output=True,
                       timeout=10)
    check(r.returncode == 1 and ("pid %d" % agent.pid).encode() in r.stderr,
          "second agent on the pid file refused: " + r.stderr.decode().strip()[-80:])
    write_conf(conf, p2)
    agent.send_signal(signal.SIGHUP)
    check(wait_until(lambda: len(datagrams(out2)) >= 1, 4),
          "after SIGHUP (config 0600 in a 0700 dir) datagrams reach the new port")
    check(agent.poll() is None, "agent running after reload")
    check(stop(agent) == 0, "SIGTERM: exit 0")
    check(not os.path.exists(pidfile) or os.path.getsize(pidfile) == 0,
          "pid file removed or emptied at exit")
    with open(aerr) as f:
        log = f.read()
    check("privileges: running as nobody" in log, "drop logged")
    # -P: nothing dropped.
    agent2, _, _ = start([agent_bin, "-d", "-P", "-f", conf], "agentP")
    time.sleep(0.8)
    own = int(status(os.getpid())["CapEff"][0], 16)
    st = status(agent2.pid)
    check(st["Uid"][0] == "0" and int(st["CapEff"][0], 16) == own, "-P keeps uid 0 and CapEff")
    stop(agent2)
    r = subprocess.run([agent_bin, "-d", "-u", "no-such-user-rtfl", "-f", conf],
                       capture_output=True, timeout=10)
    check(r.returncode == 1 and b"no-such-user-rtfl" in r.stderr, "-u unknown user: exit 1")
    check_uuid_pinned(p1, d1, out1)
    stop(d1)
    stop(d2)

def check_uuid_pinned(port, dump, out):
    root = os.path.join(tmp, "root")
    shutil.copytree("tests/data/proc/case1", root, symlinks=True)
    os.chmod(tmp, 0o755)
    dmi = os.path.join(root, "sys/class/dmi/id")
    os.makedirs(dmi, exist_ok=True)
    want = "4c4c4544-0042-3510-8052-b4c04f4b4e31"
    with open(os.path.join(dmi, "product_uuid"), "w") as f:
        f.write(want.upper() + "\n")
    os.chmod(os.path.join(dmi, "product_uuid"), 0o400)
    conf = os.path.join(tmp, "uuid.conf")
    write_conf(conf, port)
    os.chmod(conf, 0o644)
    before = len(datagrams(out))
    agent, _, _ = start([agent_bin, "-d", "-u", "nobody", "--root", root, "-f", conf], "agentU")
    time.sleep(2.5)
    agent.send_signal(signal.SIGHUP)
    time.sleep(2.5)
    stop(agent)
    uuids = [e.get("UUID") for d in datagrams(out)[before:] for smp in d.get("samples", [])
             if smp.get("sourceId") == "2:1" for e in smp.get("elements", []) if "UUID" in e]
    check(len(uuids) >= 3 and set(uuids) == {want},
          "--root -u nobody: DMI UUID kept in %d samples across SIGHUP (%s)" % (len(uuids), set(uuids)))

try:
    main()
finally:
    for p in children:
        stop(p)
    shutil.rmtree(tmp, ignore_errors=True)
print("summary agent_privs %d %d" % (stats["passed"], stats["failed"]))
sys.exit(1 if stats["failed"] else 0)
PYEOF
