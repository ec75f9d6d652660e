#!/usr/bin/env python3
"""tests/integration/analyzer_replay_expect.py: what rtflow-analyzer must
report after replaying a capture, computed from sflowtool's decode of it.

Input: a golden sflowtool JSON-lines decode (.jsonl or .jsonl.gz, from
shared/testdata/sflow-pcaps/golden). Output (stdout): one JSON object
  {"agents":  {address: {/agents/json field: value}},
   "metrics": {address: {"ds.metric": value}}}
holding the subset of /agents/json and /metric/{agent}/json this script
knows how to compute independently of rtflow: sFlow-RT names for the
sflowtool fields listed in MAP below, counters as per-second rates between
the last two samples of a data source over the agent's uptime step (when it
moved forward by less than an hour) or else the capture's clock (ms, as the
replay sets it), gauges and strings as last seen. lastUpdate/firstSeen/
lastSeen are left out (they depend on when the query runs).

The rules written here are the documented contract of the analyzer
(README, analyzer/store_ingest.c): 32-bit counters wrap; a 64-bit counter
going back, a data source's sample sequence going back to near 0, or the
agent's uptime going back (agent restart) give no rate for that interval;
all-ones counters are unknown; duplicate and out-of-order samples are
counted and otherwise ignored.

usage: analyzer_replay_expect.py GOLDEN.jsonl[.gz]
"""
import datetime
import gzip
import json
import sys

U32 = 1 << 32
REORDER_WINDOW = 64
UPTIME_STEP_MAX_MS = 3600 * 1000

G, S, C32, C64 = "g", "s", "c32", "c64"
IFTYPES = {6: "ethernetCsmacd", 24: "softwareLoopback", 62: "fastEther",
           117: "gigabitEthernet", 53: "propVirtual", 131: "tunnel"}
MACHINES = {3: "x86_64", 10: "arm", 2: "x86"}
OSES = {2: "linux", 3: "windows", 4: "darwin", 8: "freebsd"}

# counter block tag -> {sflowtool field: (sFlow-RT metric, kind)}
MAP = {
    "0:1": {"ifIndex": ("ifindex", G), "ifSpeed": ("ifspeed", G),
            "ifInOctets": ("ifinoctets", C64), "ifInUcastPkts": ("ifinucastpkts", C32),
            "ifInMulticastPkts": ("ifinmulticastpkts", C32),
            "ifInBroadcastPkts": ("ifinbroadcastpkts", C32),
            "ifInDiscards": ("ifindiscards", C32), "ifInErrors": ("ifinerrors", C32),
            "ifOutOctets": ("ifoutoctets", C64), "ifOutUcastPkts": ("ifoutucastpkts", C32),
            "ifOutMulticastPkts": ("ifoutmulticastpkts", C32),
            "ifOutBroadcastPkts": ("ifoutbroadcastpkts", C32),
            "ifOutDiscards": ("ifoutdiscards", C32), "ifOutErrors": ("ifouterrors", C32)},
    "0:2": {"dot3StatsFCSErrors": ("eth_fcserrors", C32),
            "dot3StatsAlignmentErrors": ("eth_alignmenterrors", C32)},
    "0:1005": {"ifName": ("ifname", S)},
    "0:2000": {"hostname": ("host_name", S), "os_release": ("os_release", S),
               "UUID": ("uuid", S)},
    "0:2003": {"cpu_load_one": ("load_one", G), "cpu_load_five": ("load_five", G),
               "cpu_num": ("cpu_num", G), "cpu_proc_total": ("proc_total", G),
               "cpu_uptime": ("uptime", G), "cpu_speed": ("cpu_speed", G),
               "cpuinterrupts": ("interrupts", C32), "cpu_contexts": ("contexts", C32)},
    "0:2004": {"mem_total": ("mem_total", G), "mem_free": ("mem_free", G),
               "mem_cached": ("mem_cached", G), "page_in": ("page_in", C32)},
    "0:2005": {"disk_total": ("disk_total", G), "disk_free": ("disk_free", G),
               "disk_partition_max_used": ("part_max_used", G),
               "disk_reads": ("reads", C32), "disk_bytes_read": ("bytes_read", C64),
               "disk_bytes_written": ("bytes_written", C64)},
    "0:2006": {"nio_bytes_in": ("bytes_in", C64), "nio_pkts_in": ("pkts_in", C32),
               "nio_bytes_out": ("bytes_out", C64), "nio_pkts_out": ("pkts_out", C32)},
    "0:2009": {"tcpInSegs": ("tcp_insegs", C32), "tcpCurrEstab": ("tcp_currestab", G)},
    "0:2010": {"udpInDatagrams": ("udp_indatagrams", C32)},
}
CPU_TIMES = ["cpu_user", "cpu_nice", "cpu_system", "cpu_idle", "cpu_wio", "cpuintr",
             "cpu_sintr"]


def i32(x):
    x %= U32
    return x - U32 if x >= 1 << 31 else x


def capture_ms(d):
    t = datetime.datetime.strptime(d["pcapTimestamp"], "%Y-%m-%dT%H:%M:%S%z")
    return int(t.timestamp()) * 1000 + int(d["pcapTimestamp_uS"]) // 1000


class Seq:
    def __init__(self):
        self.have, self.last = False, 0
        self.received = self.lost = self.dup = self.ooo = 0

    def check(self, seq):
        self.received += 1
        if not self.have:
            self.have, self.last = True, seq
            return "first"
        d = i32(seq - self.last)
        if d == 0:
            self.dup += 1
            return "dup"
        if d > 0:
            self.lost += d - 1
            self.last = seq
            return "next"
        if 2 * seq < self.last:
            self.last = seq
            return "restart"
        self.ooo += 1
        return "ooo"


class DataSource:
    def __init__(self, epoch):
        self.epoch = epoch
        self.cseq, self.fseq = Seq(), Seq()
        self.counter_ms = self.dt = self.dgram = 0
        self.counter_uptime = None   # agent uptime at the last counter sample
        self.prev = {}      # metric -> last raw counter
        self.values = {}    # metric -> value (absent: no value)
        self.drops = 0
        self.custom = False

    def reset(self):
        self.prev = {}


class Agent:
    def __init__(self):
        self.dseq = Seq()
        self.uptime, self.have_uptime, self.epoch = 0, False, 0
        self.ds = {}
        self.last_ms = 0

    def datagram(self, seq, uptime):
        self.dg_uptime = uptime
        d = i32(seq - self.dseq.last)
        reordered = self.dseq.have and -REORDER_WINDOW < d <= 0
        restart = False
        if self.have_uptime and not reordered and i32(uptime - self.uptime) < 0:
            restart = True
            self.dseq.have = False
        v = self.dseq.check(seq)
        if v == "restart" or restart:
            self.epoch += 1
        if v not in ("dup", "ooo"):
            self.uptime, self.have_uptime = uptime, True

    def source(self, name):
        ds = self.ds.get(name)
        if ds is None:
            ds = self.ds[name] = DataSource(self.epoch)
        if ds.epoch != self.epoch:
            ds.epoch = self.epoch
            ds.cseq.have = ds.fseq.have = False
            ds.counter_uptime = None
            ds.reset()
        return ds


def ds_name(source_id):
    cls, idx = source_id.split(":")
    return idx if cls == "0" else "%s.%s" % (cls, idx)


def rate(ds, metric, kind, raw, dt):
    prev = ds.prev.pop(metric, None)
    unknown = (kind == C32 and raw == U32 - 1) or (kind == C64 and raw == (1 << 64) - 1)
    ds.values.pop(metric, None)
    if unknown:
        return None
    ds.prev[metric] = raw
    if prev is None or dt <= 0:
        return None
    if kind == C32:
        delta = (raw - prev) % U32
    elif raw < prev:
        return None
    else:
        delta = raw - prev
    ds.values[metric] = delta * 1000.0 / dt
    return ds.values[metric]


def apply_element(ds, e, dt):
    fields = MAP.get(e.get("counterBlock_tag"), {})
    for field, (metric, kind) in fields.items():
        if field not in e:
            continue
        if kind == S:
            ds.values[metric] = e[field]
        elif kind == G:
            ds.values[metric] = float(e[field])
        else:
            rate(ds, metric, kind, int(e[field]), dt)
    tag = e.get("counterBlock_tag")
    if tag == "0:1":
        derive_if(ds, e)
    elif tag == "0:2000":
        ds.values["machine_type"] = MACHINES.get(int(e["machine_type"]), e["machine_type"])
        ds.values["os_name"] = OSES.get(int(e["os_name"]), e["os_name"])
    elif tag == "0:2003":
        derive_cpu(ds, e, dt)
    elif tag == "0:2004":
        v = ds.values
        used = v["mem_total"] - v["mem_free"] - float(e["mem_buffers"]) - v["mem_cached"]
        if v["mem_total"] > 0:
            v["mem_utilization"] = 100.0 * used / v["mem_total"]
    elif tag == "0:2005":
        v = ds.values
        if v["disk_total"] > 0:
            v["disk_utilization"] = 100.0 * (v["disk_total"] - v["disk_free"]) / v["disk_total"]


def derive_if(ds, e):
    v = ds.values
    for d in ("in", "out"):
        v.pop("if%sutilization" % d, None)
        v.pop("if%spkts" % d, None)
        speed = int(e["ifSpeed"])
        if speed > 0 and ("if%soctets" % d) in v:
            v["if%sutilization" % d] = v["if%soctets" % d] * 800.0 / speed
        parts = [v[k] for k in ("if%sucastpkts" % d, "if%smulticastpkts" % d,
                                "if%sbroadcastpkts" % d) if k in v]
        if parts:
            v["if%spkts" % d] = sum(parts)
    t = int(e["ifStatus"])
    v["ifadminstatus"] = "up" if t & 1 else "down"
    v["ifoperstatus"] = "up" if t & 2 else "down"
    n = int(e["networkType"])
    v["iftype"] = IFTYPES.get(n, str(n))


def derive_cpu(ds, e, dt):
    v = ds.values
    times = CPU_TIMES + (["cpu_steal"] if "cpu_steal" in e else [])
    r = {t: rate(ds, "_" + t, C32, int(e[t]), dt) for t in times}
    for k in ("cpu_utilization", "load_one_per_cpu", "cpu_user", "cpu_system", "cpu_idle"):
        v.pop(k, None)
    if None not in r.values() and sum(r.values()) > 0:
        total = sum(r.values())
        v["cpu_user"] = 100.0 * r["cpu_user"] / total
        v["cpu_system"] = 100.0 * r["cpu_system"] / total
        v["cpu_idle"] = 100.0 * r["cpu_idle"] / total
        v["cpu_utilization"] = 100.0 - v["cpu_idle"] - 100.0 * r["cpu_wio"] / total
    for t in times:
        v.pop("_" + t, None)
    if v["cpu_num"] > 0:
        v["load_one_per_cpu"] = v["load_one"] / v["cpu_num"]


def interval(agent, ds, now):
    """The agent's uptime step since the data source's last counter sample
    when it is forward and under an hour, else the arrival-time step."""
    dt = now - ds.counter_ms if ds.counter_ms and now > ds.counter_ms else 0
    if ds.counter_uptime is not None:
        up_dt = (agent.dg_uptime - ds.counter_uptime) % U32
        if 0 < up_dt < UPTIME_STEP_MAX_MS:
            dt = up_dt
    ds.counter_ms, ds.counter_uptime = now, agent.dg_uptime
    return dt


def counters(agent, s, now):
    ds = agent.source(ds_name(s["sourceId"]))
    seq = int(s["sampleSequenceNo"])
    if ds.cseq.have and seq == ds.cseq.last and ds.dgram == agent.dseq.received:
        # the same sample number again in one datagram: more records of the
        # same poll, applied over the same interval
        ds.cseq.received += 1
        for e in s.get("elements", []):
            apply_element(ds, e, ds.dt)
        return
    verdict = ds.cseq.check(seq)
    if verdict in ("dup", "ooo"):
        return
    if verdict == "restart":
        ds.reset()
    dt = interval(agent, ds, now)
    ds.dt, ds.dgram = dt, agent.dseq.received
    for e in s.get("elements", []):
        apply_element(ds, e, dt)


RTM_KIND = {"gauge32": G, "gauge64": G, "gaugeFloat": G, "gaugeDouble": G,
            "counter32": C32, "counter64": C64, "string": S}


def rtmetric(agent, s, now):
    ds = agent.source(s["rtmetric_datasource_name"])
    ds.custom = True
    dt = interval(agent, ds, now)
    for k, val in s.items():
        if not k.startswith("rtmetric_") or k == "rtmetric_datasource_name":
            continue
        typ, name = k[len("rtmetric_"):].split("_", 1)
        kind = RTM_KIND[typ]
        if kind == S:
            ds.values[name] = val
        elif kind == G:
            ds.values[name] = float(val)
        else:
            rate(ds, name, kind, int(val), dt)


def replay(lines):
    agents = {}
    for line in lines:
        d = json.loads(line)
        if d.get("datagramVersion") != "5" or "agent" not in d:
            continue
        now = capture_ms(d)
        a = agents.setdefault((d["agent"], int(d["agentSubId"])), Agent())
        a.datagram(int(d["packetSequenceNo"]), int(d["sysUpTime"]))
        a.last_ms = now
        for s in d.get("samples", []):
            tag = s.get("sampleType_tag")
            if tag in ("0:2", "0:4"):
                counters(a, s, now)
            elif tag in ("0:1", "0:3"):
                ds = a.source(ds_name(s["sourceId"]))
                ds.fseq.check(int(s["sampleSequenceNo"]))
                ds.drops = int(s.get("dropEvents", 0))
            elif tag == "4300:1002":
                rtmetric(a, s, now)
    return agents


def agent_fields(a):
    dss = a.ds.values()
    return {
        "sFlowDatagramsReceived": a.dseq.received, "sFlowDatagramsLost": a.dseq.lost,
        "sFlowDatagramsOutOfOrder": a.dseq.ooo, "sFlowDatagramsDuplicates": a.dseq.dup,
        "uptime": a.uptime,
        "sFlowCounterDatasources": sum(1 for d in dss if d.cseq.received or d.custom),
        "sFlowCounterSamples": sum(d.cseq.received for d in dss),
        "sFlowCounterLostSamples": sum(d.cseq.lost for d in dss),
        "sFlowCounterDuplicateSamples": sum(d.cseq.dup for d in dss),
        "sFlowCounterOutOfOrderSamples": sum(d.cseq.ooo for d in dss),
        "sFlowFlowDatasources": sum(1 for d in dss if d.fseq.received),
        "sFlowFlowSamples": sum(d.fseq.received for d in dss),
        "sFlowFlowLostSamples": sum(d.fseq.lost for d in dss),
        "sFlowFlowDrops": sum(d.drops for d in dss),
    }


def merge(agents):
    """Sub-agents of one address: counts add up, uptime is the one of the
    sub-agent heard last, a "ds.metric" name keeps its first value."""
    out = {"agents": {}, "metrics": {}}
    last = {}
    for (addr, _sub), a in sorted(agents.items()):
        f = agent_fields(a)
        if addr in out["agents"]:
            prev = out["agents"][addr]
            for k, v in f.items():
                if k != "uptime":
                    prev[k] += v
            if a.last_ms > last[addr]:
                prev["uptime"], last[addr] = a.uptime, a.last_ms
        else:
            out["agents"][addr], last[addr] = f, a.last_ms
        m = out["metrics"].setdefault(addr, {})
        for name, ds in a.ds.items():
            for metric, v in ds.values.items():
                m.setdefault("%s.%s" % (name, metric), v)
    return out


def main():
    path = sys.argv[1]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        agents = replay(f)
    json.dump(merge(agents), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
