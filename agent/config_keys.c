/*
 * agent/config_keys.c: the accepted keys of hsflowd.conf
 * (reference/host-sflow.md §2.2) as data. Ranges are hsflowd's except
 * headerBytes, whose floor is 64 rather than 0: a smaller snap length cuts
 * into IPv6 + TCP headers, and libpcap reads a snaplen of 0 as 256 KiB.
 * Keys marked AGENT_CONFIG_INERT are checked, then reported by one warning
 * each: hsflowd's housekeeping and legacy options (size 0: not stored) and
 * polling.<x> (kept for --check; rtflow has no per-application polling).
 */
#include "agent/config_keys.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEY(st, name, type, field, min, max, def, flags, desc)                          \
	{ name, type, offsetof(struct st, field), sizeof(((struct st *)0)->field), min, max, \
	  def, flags, desc }
#define INERT(name, type, min, max, desc) \
	{ name, type, 0, 0, min, max, NULL, AGENT_CONFIG_INERT, desc }
#define SAMPLING_MAX 10000000u

const struct agent_config_key config_keys_sflow[] = {
	KEY(agent_config, "sampling", AGENT_CONFIG_OPT_U32, sampling, 0, SAMPLING_MAX, NULL, 0,
	    "1-in-N packet sampling on every interface without a more specific rate; 0 = off"),
	KEY(agent_config, "packetSamplingRate", AGENT_CONFIG_OPT_U32, sampling, 0, SAMPLING_MAX, NULL,
	    AGENT_CONFIG_ALIAS, "old name of sampling"),
	KEY(agent_config, "sampling.bps_ratio", AGENT_CONFIG_OPT_U32, bps_ratio, 0, UINT32_MAX, NULL, 0,
	    "N = ifSpeed / ratio on interfaces of known speed; 0 = use sampling"),
	KEY(agent_config, "sampling.", AGENT_CONFIG_RATES, sampling_rates, 0, SAMPLING_MAX, NULL,
	    AGENT_CONFIG_REPEAT, "sampling.<speed> = N for interfaces of that speed (10G, 100M)"),
	KEY(agent_config, "polling", AGENT_CONFIG_U32, polling_s, 0, 300, "30", 0,
	    "counter polling interval in seconds; 0 = off"),
	KEY(agent_config, "counterPollingInterval", AGENT_CONFIG_U32, polling_s, 0, 300, NULL,
	    AGENT_CONFIG_ALIAS, "old name of polling"),
	KEY(agent_config, "polling.", AGENT_CONFIG_RATES, polling_rates, 0, 300, NULL,
	    AGENT_CONFIG_REPEAT | AGENT_CONFIG_INERT,
	    "polling.<x> = seconds (per-application; kept, not acted on)"),
	KEY(agent_config, "headerBytes", AGENT_CONFIG_U32, header_bytes, 64, 256, "128", 0,
	    "bytes of each sampled packet's header"),
	KEY(agent_config, "datagramBytes", AGENT_CONFIG_U32, datagram_bytes, 200, 8192, "1400", 0,
	    "largest sFlow datagram sent"),
	KEY(agent_config, "agentIP", AGENT_CONFIG_IP, agent_ip, 0, 0, NULL, 0,
	    "agent address in datagrams (else elected)"),
	KEY(agent_config, "agent", AGENT_CONFIG_IFNAME, agent_dev, 0, 0, NULL, 0,
	    "prefer this device's addresses in the election"),
	KEY(agent_config, "agent.cidr", AGENT_CONFIG_CIDR, agent_cidrs, 0, 0, NULL, AGENT_CONFIG_REPEAT,
	    "prefer addresses in this CIDR ('!' excludes); earlier lines win"),
	KEY(agent_config, "subAgentId", AGENT_CONFIG_U32, sub_agent_id, 0, 199999, "100000", 0,
	    "sub-agent id of datagrams"),
	KEY(agent_config, "uuid", AGENT_CONFIG_UUID, uuid, 0, 0, NULL, 0, "host UUID override"),
	INERT("refreshAdaptors", AGENT_CONFIG_U32, 60, 3600, "interfaces are tracked by netlink"),
	INERT("checkAdaptors", AGENT_CONFIG_U32, 1, 3600, "interfaces are tracked by netlink"),
	INERT("refreshVMs", AGENT_CONFIG_U32, 60, 3600, "no VM modules"),
	INERT("forgetVMs", AGENT_CONFIG_U32, 60, UINT32_MAX, "no VM modules"),
	INERT("modules", AGENT_CONFIG_TEXT, 0, 0, "modules are built in"),
	INERT("loopback", AGENT_CONFIG_BOOL, 0, 0, "legacy"),
	INERT("samplingDirection", AGENT_CONFIG_TEXT, 0, 0, "legacy"),
	INERT("ulogGroup", AGENT_CONFIG_U32, 1, 32, "legacy ulog"),
	INERT("ulogProbability", AGENT_CONFIG_TEXT, 0, 0, "legacy ulog"),
	INERT("nflogGroup", AGENT_CONFIG_U32, 1, 32, "legacy nflog"),
	INERT("nflogProbability", AGENT_CONFIG_TEXT, 0, 0, "legacy nflog"),
	INERT("jsonPort", AGENT_CONFIG_U32, 0, 65535, "legacy json"),
	INERT("jsonFIFO", AGENT_CONFIG_TEXT, 0, 0, "legacy json"),
	INERT("DNSSD", AGENT_CONFIG_BOOL, 0, 0, "legacy DNS-SD; no dynamic configuration"),
	INERT("DNSSD_domain", AGENT_CONFIG_TEXT, 0, 0, "legacy DNS-SD"),
	INERT("xen.", AGENT_CONFIG_TEXT, 0, 0, "legacy xen"),
	{ NULL },
};

static const struct agent_config_key collector_keys[] = {
	KEY(agent_config_collector, "ip", AGENT_CONFIG_IP, ip, 0, 0, NULL, 0,
	    "collector address (IPv4 or IPv6 literal); required"),
	KEY(agent_config_collector, "udpport", AGENT_CONFIG_U32, udp_port, 1, 65535, "6343", 0,
	    "collector UDP port"),
	KEY(agent_config_collector, "dev", AGENT_CONFIG_IFNAME, dev, 0, 0, NULL, 0,
	    "send through this device (VRF)"),
	KEY(agent_config_collector, "namespace", AGENT_CONFIG_NAME, netns, 0, 0, NULL, 0,
	    "send from network namespace /var/run/netns/<name>"),
	{ NULL },
};

static const struct agent_config_key pcap_keys[] = {
	KEY(agent_config_pcap, "dev", AGENT_CONFIG_IFNAME, dev, 0, 0, NULL, 0, "sample this device"),
	KEY(agent_config_pcap, "dev.pattern", AGENT_CONFIG_REGEX, dev_pattern, 0, 0, NULL, 0,
	    "sample devices whose name matches (POSIX extended regex, unanchored)"),
	KEY(agent_config_pcap, "speed", AGENT_CONFIG_SPEEDS, speed, 0, 0, NULL, 0,
	    "sample devices whose speed is in this range (1G, 1G-, 100M-10G)"),
	KEY(agent_config_pcap, "promisc", AGENT_CONFIG_BOOL, promisc, 0, 0, "off", 0,
	    "put the device in promiscuous mode"),
	KEY(agent_config_pcap, "sampling", AGENT_CONFIG_OPT_U32, sampling, 0, SAMPLING_MAX, NULL, 0,
	    "1-in-N on these devices, above every other sampling key"),
	INERT("vport", AGENT_CONFIG_BOOL, 0, 0, "bridge ports are not sampled separately"),
	INERT("dynamic", AGENT_CONFIG_BOOL, 0, 0, "no dynamic taps"),
	{ NULL },
};

static int collector_check(const void *inst, char *why, size_t why_len)
{
	const struct agent_config_collector *col = inst;

	if (col->ip.family == 0) {
		snprintf(why, why_len, "collector: 'ip' is required");
		return -1;
	}
	return 0;
}

#define BLOCK(name, keys, elem, array, count, max, check)                                   \
	{ name, keys, sizeof(struct elem), offsetof(struct agent_config, array),             \
	  offsetof(struct agent_config, count), offsetof(struct elem, line), max, check }

const struct agent_config_block config_keys_blocks[] = {
	BLOCK("collector", collector_keys, agent_config_collector, collectors, collector_count,
	      AGENT_CONFIG_MAX_COLLECTORS, collector_check),
	BLOCK("pcap", pcap_keys, agent_config_pcap, pcaps, pcap_count, AGENT_CONFIG_MAX_PCAPS, NULL),
	{ NULL },
};

const char *const config_keys_refused[] = {
	"epcap", "tcp", "systemd", "docker", "containerd", "k8s", "json", "dns-sd", "dropmon",
	"psample", "nflog", "ulog", "kvm", "xen", "nvml", "ovs", "cumulus", "dent", "os10",
	"opx", "sonic", "vpp", "nlroute", "dbus", "eapi", NULL,
};
