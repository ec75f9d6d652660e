#!/bin/bash
# tests/integration/agent_systemd.sh: rtflow-agent as a Type=notify
# service of a real systemd 252 (shared/tools/systemd/systemd-sandbox.sh:
# PID 1 of new namespaces, chrooted into a Debian rootfs, same network
# namespace as the host). `make install DESTDIR=<rootfs>` puts the agent
# and conf/rtflow-agent.service in place; the libraries it links that the
# minimal rootfs lacks are copied in (and a /bin/kill shim, as minbase
# has no procps). Then over D-Bus:
# - StartUnit: the unit becomes active/running only after READY=1, and
#   datagrams reach rtflow-dump on the host's loopback;
# - the running agent (found by its executable path under the rootfs) runs
#   as nobody with CapEff = CAP_NET_RAW | CAP_NET_ADMIN;
# - ReloadUnit (ExecReload: SIGHUP) with a new collector port: the unit is
#   active again and datagrams reach the new port;
# - StopUnit: inactive, Result "success".
# The rootfs is built once (debootstrap, ~50 s) into $RTFLOW_SD_ROOTFS
# (default /tmp/rtflow-sd-rootfs) and reused. When it cannot be built or
# systemd does not come up, the test says so and reports 0 passed, 0
# failed (skipped). Every wait is bounded; the sandbox is powered off and
# its cgroups removed at the end.
# Prints "summary agent_systemd <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
SANDBOX=${SANDBOX:-$PWD/../shared/tools/systemd/systemd-sandbox.sh}

if [ ! -x "$BUILD/rtflow-agent" ] || [ ! -x "$BUILD/rtflow-dump" ] || [ "$(id -u)" != 0 ]; then
	echo "agent_systemd: needs root, $BUILD/rtflow-agent and $BUILD/rtflow-dump"
	echo "summary agent_systemd 0 1"
	exit 1
fi
if [ ! -x "$SANDBOX" ] || ! command -v busctl >/dev/null || ! command -v debootstrap >/dev/null; then
	echo "agent_systemd: SKIPPED: needs $SANDBOX, busctl and debootstrap"
	echo "summary agent_systemd 0 0"
	exit 0
fi

exec python3 - "$BUILD" "$SANDBOX" <<'PYEOF'
import json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

sys.path.insert(0, "tests/integration")
import testlib
from testlib import check, free_port, stop

build, sandbox = sys.argv[1], sys.argv[2]
dump_bin = build + "/rtflow-dump"
stats = testlib.stats
children = testlib.children
tmp = testlib.init("agent_systemd.")
rootfs = os.environ.get("RTFLOW_SD_ROOTFS", "/tmp/rtflow-sd-rootfs")
env = dict(os.environ, R=rootfs, BUS=os.path.join(tmp, "bus"), ID="rtfl_sd_%d" % os.getpid())
env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=%s/system_bus_socket" % env["BUS"]
UNIT = "rtflow-agent.service"
UNIT_PATH = "/org/freedesktop/systemd1/unit/rtflow_2dagent_2eservice"

def skip(why):
    print("agent_systemd: SKIPPED: " + why)

def wait_until(cond, seconds):
    """testlib's wait, polled less often: each poll here is a busctl call."""
    return testlib.wait_until(cond, seconds, every=0.1)

def run(args, timeout=30, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, **kw)

def count(path):
    n = 0
    with open(path, "rb") as f:
        for line in f.read().decode("utf-8", "replace").splitlines():
            try:
                json.loads(line)
                n += 1
            except ValueError:
                pass
    return n

def prop(name, iface="org.freedesktop.systemd1.Unit"):
    r = run(["busctl", "get-property", "org.freedesktop.systemd1", UNIT_PATH, iface, name])
    return r.stdout.strip().split(" ", 1)[-1].strip('"') if r.returncode == 0 else None

def manager(method, *args):
    return run(["busctl", "call", "--", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", method] + list(args))

def ensure_rootfs():
    if os.path.exists(os.path.join(rootfs, "usr/lib/systemd/systemd")):
        return True
    print("agent_systemd: building the rootfs once (debootstrap) in " + rootfs)
    e = dict(env, R=rootfs + ".new")
    shutil.rmtree(rootfs + ".new", ignore_errors=True)
    r = subprocess.run(["bash", sandbox, "rootfs"], capture_output=True, text=True, timeout=600,
                       env=e)
    if r.returncode != 0:
        skip("debootstrap failed: " + (r.stderr or r.stdout).strip()[-200:])
        return False
    os.rename(rootfs + ".new", rootfs)
    return True

def install_agent(port):
    # BIN= a copy of the binaries: BIN=$BUILD would make build/<v>/x both
    # the release copy and the link target (make warns of two recipes).
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    for b in ("rtflow-agent", "rtflow-dump", "rtflow-analyzer"):
        if os.path.exists(os.path.join(build, b)):
            shutil.copy2(os.path.join(build, b), bindir)
    r = run(["make", "-s", "NO_DEPS=1", "install", "DESTDIR=" + rootfs, "BIN=" + bindir])
    check(r.returncode == 0, "make install DESTDIR=<rootfs> (%s)" % r.stderr.strip()[-100:])
    unit = os.path.join(rootfs, "usr/local/lib/systemd/system", UNIT)
    with open(unit) as f:
        text = f.read()
    check("ExecStart=/usr/local/sbin/rtflow-agent -f /etc/rtflow/agent.conf" in text,
          "installed unit has ExecStart filled in")
    for line in run(["ldd", build + "/rtflow-agent"]).stdout.splitlines():
        m = re.search(r"=> (/\S+)", line)
        if m and not os.path.exists(rootfs + m.group(1)):
            os.makedirs(os.path.dirname(rootfs + m.group(1)), exist_ok=True)
            shutil.copy2(m.group(1), rootfs + m.group(1))
    # The minbase rootfs has no procps, hence no /bin/kill for ExecReload;
    # real systems have it. A shell shim stands in (sh's builtin kill).
    kill = os.path.join(rootfs, "usr/bin/kill")
    if not os.path.exists(kill) and not os.path.exists(os.path.join(rootfs, "bin/kill")):
        with open(kill, "w") as f:
            f.write('#!/bin/sh\nkill "$@"\n')
        os.chmod(kill, 0o755)
    write_conf(port)

def write_conf(port):
    with open(os.path.join(rootfs, "etc/rtflow/agent.conf"), "w") as f:
        f.write("sflow {\n  polling = 1\n  agentIP = 192.0.2.66\n"
                "  collector { ip = 127.0.0.1 udpport = %d }\n}\n" % port)

def agent_host_pid():
    want = os.path.join(rootfs, "usr/local/sbin/rtflow-agent")
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and os.readlink("/proc/%s/exe" % pid) == want:
                return int(pid)
        except OSError:
            pass
    return None

def check_privs():
    pid = agent_host_pid()
    check(pid is not None, "agent process found (host pid %s)" % pid)
    if pid is None:
        return
    st = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            st[k] = v.split()
    check(st["Uid"] == ["65534"] * 4, "runs as nobody (Uid %s)" % st["Uid"])
    check(int(st["CapEff"][0], 16) == (1 << 12) | (1 << 13),
          "CapEff = CAP_NET_ADMIN(12) | CAP_NET_RAW(13) (%s)" % st["CapEff"][0])

def scenario(out1, out2, p2):
    r = manager("StartUnit", "ss", UNIT, "replace")
    check(r.returncode == 0, "StartUnit " + (r.stderr.strip() or "queued"))
    check(wait_until(lambda: prop("ActiveState") == "active", 15),
          "unit active after READY=1 (%s/%s)" % (prop("ActiveState"), prop("SubState")))
    check(prop("SubState") == "running", "SubState running")
    check(wait_until(lambda: count(out1) >= 2, 5), "datagrams reach the host (%d)" % count(out1))
    check_privs()
    write_conf(p2)
    r = manager("ReloadUnit", "ss", UNIT, "replace")
    check(r.returncode == 0, "ReloadUnit " + (r.stderr.strip() or "queued"))
    check(wait_until(lambda: count(out2) >= 1, 6), "after reload datagrams reach the new port")
    check(prop("ActiveState") == "active", "active after reload (%s)" % prop("ActiveState"))
    r = manager("StopUnit", "ss", UNIT, "replace")
    check(wait_until(lambda: prop("ActiveState") in ("inactive", "failed"), 10) and
          prop("Result", "org.freedesktop.systemd1.Service") == "success",
          "StopUnit: inactive, Result %s" % prop("Result", "org.freedesktop.systemd1.Service"))

def main():
    if not ensure_rootfs():
        return
    p1, p2 = free_port(), free_port()
    install_agent(p1)
    outs = []
    for p in (p1, p2):
        path = os.path.join(tmp, "dump%d.out" % p)
        children.append(subprocess.Popen([dump_bin, "-p", str(p), "-4", "-j"],
                                         stdout=open(path, "wb"), stderr=subprocess.DEVNULL))
        outs.append(path)
    r = run(["bash", sandbox, "start"], timeout=60)
    if r.returncode != 0:
        skip("systemd sandbox did not start: " + (r.stderr or r.stdout).strip()[-200:])
        return
    try:
        scenario(outs[0], outs[1], p2)
    finally:
        run(["bash", sandbox, "stop"], timeout=60)

try:
    main()
finally:
    for p in children:
        stop(p)
sys.exit(testlib.summary("agent_systemd"))
PYEOF
