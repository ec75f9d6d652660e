/*
 * analyzer/metrics_table.c: the counter record → sFlow-RT metric table
 * (data) and the derive functions of the records that have derived
 * metrics. Field order within a record is the slot order of the store and
 * the index the derive functions use (the *_I enums below).
 *
 * Names follow reference/sflow-rt-api.md §3 where it names them; where it
 * does not (HTTP, JVM, memcache, app, mib-2 groups, virtual, optics, LAG
 * counters) they are sflowtool's field names lower-cased with the group
 * prefix, and are listed as unverified in the README.
 */
#include "analyzer/metrics.h"

#include <stddef.h>
#include <string.h>

#define OFF(m) ((uint16_t)offsetof(union sfl_record_value, m))
#define F(m, ty, k, n) { (n), OFF(m), METRICS_##ty, METRICS_##k, NULL, 0 }
#define C32(m, n) F(m, U32, COUNTER32, n)
#define C64(m, n) F(m, U64, COUNTER64, n)
#define G32(m, n) F(m, U32, GAUGE, n)
#define G64(m, n) F(m, U64, GAUGE, n)
#define STR(m, n) F(m, STR, STRING, n)
#define ENUM(m, n, t) { (n), OFF(m), METRICS_ENUM, METRICS_STRING, (t), sizeof(t) / sizeof((t)[0]) }
#define NELEM(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
#define REC(tag, f) { (tag), (f), NELEM(f), NULL, 0, NULL }
#define REC_D(tag, f, d, fn) { (tag), (f), NELEM(f), (d), NELEM(d), (fn) }

static const char *const iftype_names[] = {
	[1] = "other", [6] = "ethernetCsmacd", [7] = "iso88023Csmacd", [9] = "iso88025TokenRing",
	[23] = "ppp", [24] = "softwareLoopback", [32] = "frameRelay", [37] = "atm",
	[53] = "propVirtual", [62] = "fastEther", [69] = "fastEtherFX", [71] = "ieee80211",
	[117] = "gigabitEthernet", [131] = "tunnel", [135] = "l2vlan", [136] = "l3ipvlan",
	[161] = "ieee8023adLag", [166] = "mpls", [209] = "bridge",
};
static const char *const ifdirection_names[] = {
	"unknown", "full-duplex", "half-duplex", "in", "out",
};
static const char *const machine_names[] = {
	"unknown", "other", "x86", "x86_64", "ia64", "sparc", "alpha", "powerpc", "m68k",
	"mips", "arm", "hppa", "s390",
};
static const char *const os_names[] = {
	"unknown", "other", "linux", "windows", "darwin", "hpux", "aix", "dragonfly", "freebsd",
	"netbsd", "openbsd", "osf", "solaris", "java",
};
static const char *const vir_state_names[] = {
	"nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
};

static void set(struct metrics_value *v, double x)
{
	v->valid = true;
	v->is_string = false;
	v->num = x;
}

enum generic_i { GEN_SPEED_I = 2, GEN_IN_OCT_I = 6, GEN_IN_U_I, GEN_IN_M_I, GEN_IN_B_I,
		 GEN_OUT_OCT_I = 13, GEN_OUT_U_I, GEN_OUT_M_I, GEN_OUT_B_I, GEN_N = 19 };
static const struct metrics_field generic_f[] = {
	G32(generic.ifindex, "ifindex"),
	ENUM(generic.iftype, "iftype", iftype_names),
	G64(generic.ifspeed, "ifspeed"),
	ENUM(generic.ifdirection, "ifdirection", ifdirection_names),
	{ "ifadminstatus", OFF(generic.ifstatus), METRICS_ADMIN, METRICS_STRING, NULL, 0 },
	{ "ifoperstatus", OFF(generic.ifstatus), METRICS_OPER, METRICS_STRING, NULL, 0 },
	C64(generic.in_octets, "ifinoctets"),
	C32(generic.in_ucast_pkts, "ifinucastpkts"),
	C32(generic.in_multicast_pkts, "ifinmulticastpkts"),
	C32(generic.in_broadcast_pkts, "ifinbroadcastpkts"),
	C32(generic.in_discards, "ifindiscards"),
	C32(generic.in_errors, "ifinerrors"),
	C32(generic.in_unknown_protos, "ifinunknownprotos"),
	C64(generic.out_octets, "ifoutoctets"),
	C32(generic.out_ucast_pkts, "ifoutucastpkts"),
	C32(generic.out_multicast_pkts, "ifoutmulticastpkts"),
	C32(generic.out_broadcast_pkts, "ifoutbroadcastpkts"),
	C32(generic.out_discards, "ifoutdiscards"),
	C32(generic.out_errors, "ifouterrors"),
};
_Static_assert(NELEM(generic_f) == GEN_N, "generic_i indexes generic_f");
static const char *const generic_d[] = {
	"ifinutilization", "ifoututilization", "ifinpkts", "ifoutpkts",
};

/* ucast + mcast + bcast over the parts the agent knows (hsflowd sends
 * all-ones, "unknown", for mcast and bcast of some interfaces) */
static void sum3(struct metrics_value *out, const struct metrics_value *a)
{
	double sum = 0;
	bool any = false;

	for (int i = 0; i < 3; i++) {
		if (a[i].valid) {
			sum += a[i].num;
			any = true;
		}
	}
	if (any)
		set(out, sum);
}

/* ifinutilization = ifinoctets * 800 / ifspeed (percent; sFlow-RT metrics.php) */
static void generic_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	struct metrics_value *d = x + GEN_N;
	double speed = (double)v->generic.ifspeed;

	if (speed > 0 && x[GEN_IN_OCT_I].valid)
		set(&d[0], x[GEN_IN_OCT_I].num * 800.0 / speed);
	if (speed > 0 && x[GEN_OUT_OCT_I].valid)
		set(&d[1], x[GEN_OUT_OCT_I].num * 800.0 / speed);
	sum3(&d[2], &x[GEN_IN_U_I]);
	sum3(&d[3], &x[GEN_OUT_U_I]);
}

static const struct metrics_field ethernet_f[] = {
	C32(eth.alignment_errors, "eth_alignmenterrors"),
	C32(eth.fcs_errors, "eth_fcserrors"),
	C32(eth.single_collision_frames, "eth_singlecollisions"),
	C32(eth.multiple_collision_frames, "eth_multiplecollisions"),
	C32(eth.sqe_test_errors, "eth_sqetesterrors"),
	C32(eth.deferred_transmissions, "eth_deferredtx"),
	C32(eth.late_collisions, "eth_latecollision"),
	C32(eth.excessive_collisions, "eth_excessivecollisions"),
	C32(eth.internal_mac_transmit_errors, "eth_internalmactransmiterrors"),
	C32(eth.carrier_sense_errors, "eth_carriersenseerrors"),
	C32(eth.frame_too_longs, "eth_frametoolongs"),
	C32(eth.internal_mac_receive_errors, "eth_internalmacreceiveerrors"),
	C32(eth.symbol_errors, "eth_symbolerrors"),
};

static const struct metrics_field lacp_f[] = {
	F(lacp.actor_system_id, MAC, STRING, "agg_actorsystemid"),
	F(lacp.partner_system_id, MAC, STRING, "agg_partneropersystemid"),
	G32(lacp.attached_agg_id, "agg_attachedaggid"),
	C32(lacp.lacpdus_rx, "agg_lacpdusrx"),
	C32(lacp.marker_pdus_rx, "agg_markerpdusrx"),
	C32(lacp.marker_response_pdus_rx, "agg_markerresponsepdusrx"),
	C32(lacp.unknown_rx, "agg_unknownrx"),
	C32(lacp.illegal_rx, "agg_illegalrx"),
	C32(lacp.lacpdus_tx, "agg_lacpdustx"),
	C32(lacp.marker_pdus_tx, "agg_markerpdustx"),
	C32(lacp.marker_response_pdus_tx, "agg_markerresponsepdustx"),
};

static const struct metrics_field sfp_f[] = {
	G32(sfp.module_id, "opt_module_id"),
	G32(sfp.module_total_lanes, "opt_module_lanes"),
	G32(sfp.module_supply_voltage_mv, "opt_module_supplyvoltage"),
	F(sfp.module_temperature_mc, MILLI, GAUGE, "opt_module_temperature"),
};

enum proc_i { PROC_TOTAL_I = 3, PROC_FREE_I, PROC_N };
static const struct metrics_field processor_f[] = {
	F(processor.cpu_5s, PCT100, GAUGE, "cpu_5sec"),
	F(processor.cpu_1m, PCT100, GAUGE, "cpu_1min"),
	F(processor.cpu_5m, PCT100, GAUGE, "cpu_5min"),
	G64(processor.total_memory, "mem_total"),
	G64(processor.free_memory, "mem_free"),
};
_Static_assert(NELEM(processor_f) == PROC_N, "proc_i indexes processor_f");
static const char *const processor_d[] = { "mem_utilization" };

static void used_pct(struct metrics_value *out, const struct metrics_value *total, double used)
{
	if (total->valid && total->num > 0)
		set(out, 100.0 * used / total->num);
}

static void processor_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	(void)v;
	if (x[PROC_FREE_I].valid)
		used_pct(&x[PROC_N], &x[PROC_TOTAL_I], x[PROC_TOTAL_I].num - x[PROC_FREE_I].num);
}

static const struct metrics_field ofport_f[] = {
	F(ofport.datapath_id, U64, STRING, "of_dpid"),
	G32(ofport.port_no, "of_port"),
};

static const struct metrics_field portname_f[] = {
	STR(portname.name, "ifname"),
};

static const struct metrics_field host_descr_f[] = {
	STR(host_descr.hostname, "host_name"),
	F(host_descr.uuid, UUID, STRING, "uuid"),
	ENUM(host_descr.machine_type, "machine_type", machine_names),
	ENUM(host_descr.os_name, "os_name", os_names),
	STR(host_descr.os_release, "os_release"),
};
static const struct metrics_field vir_descr_f[] = {
	STR(host_descr.hostname, "vir_host_name"),
	F(host_descr.uuid, UUID, STRING, "vir_uuid"),
	ENUM(host_descr.machine_type, "vir_machine_type", machine_names),
	ENUM(host_descr.os_name, "vir_os_name", os_names),
	STR(host_descr.os_release, "vir_os_release"),
};

enum cpu_i { CPU_LOAD1_I = 0, CPU_NUM_I = 5, CPU_USER_I = 8, CPU_IDLE_I = 11, CPU_WIO_I,
	     CPU_SINTR_I = 14, CPU_STEAL_I = 17, CPU_GUEST_I, CPU_GUEST_NICE_I, CPU_N };
static const struct metrics_field host_cpu_f[] = {
	F(host_cpu.load_one, FLOAT, GAUGE, "load_one"),
	F(host_cpu.load_five, FLOAT, GAUGE, "load_five"),
	F(host_cpu.load_fifteen, FLOAT, GAUGE, "load_fifteen"),
	G32(host_cpu.proc_run, "proc_run"),
	G32(host_cpu.proc_total, "proc_total"),
	G32(host_cpu.cpu_num, "cpu_num"),
	G32(host_cpu.cpu_speed_mhz, "cpu_speed"),
	G32(host_cpu.uptime_s, "uptime"),
	C32(host_cpu.cpu_user_ms, "cpu_user"),
	C32(host_cpu.cpu_nice_ms, "cpu_nice"),
	C32(host_cpu.cpu_system_ms, "cpu_system"),
	C32(host_cpu.cpu_idle_ms, "cpu_idle"),
	C32(host_cpu.cpu_wio_ms, "cpu_wio"),
	C32(host_cpu.cpu_intr_ms, "cpu_intr"),
	C32(host_cpu.cpu_sintr_ms, "cpu_sintr"),
	C32(host_cpu.interrupts, "interrupts"),
	C32(host_cpu.contexts, "contexts"),
	C32(host_cpu.cpu_steal_ms, "cpu_steal"),
	C32(host_cpu.cpu_guest_ms, "cpu_guest"),
	C32(host_cpu.cpu_guest_nice_ms, "cpu_guest_nice"),
};
_Static_assert(NELEM(host_cpu_f) == CPU_N, "cpu_i indexes host_cpu_f");
static const char *const host_cpu_d[] = { "cpu_utilization", "load_one_per_cpu" };

/*
 * CPU times arrive as ms counters; like gmond we report each as a percent
 * of all CPU time in the interval: total = user + nice + system + idle +
 * wio + intr + sintr (+ steal). guest and guest_nice are already inside
 * user and nice (Linux /proc/stat), so they are percentages of the total
 * but not part of it. cpu_utilization = 100 - idle - wio.
 */
static void host_cpu_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	double total = 0;
	int last = v->host_cpu.has_steal ? CPU_STEAL_I : CPU_SINTR_I;

	if (!v->host_cpu.has_steal)
		x[CPU_STEAL_I].valid = x[CPU_GUEST_I].valid = x[CPU_GUEST_NICE_I].valid = false;
	for (int i = CPU_USER_I; i <= last; i++) {
		if (i == CPU_SINTR_I + 1)
			i = CPU_STEAL_I; /* skip interrupts, contexts */
		if (!x[i].valid)
			total = -1;
		else if (total >= 0)
			total += x[i].num;
	}
	for (int i = CPU_USER_I; i < CPU_N; i++) {
		if (i == CPU_SINTR_I + 1)
			i = CPU_STEAL_I;
		if (total > 0 && x[i].valid)
			set(&x[i], 100.0 * x[i].num / total);
		else
			x[i].valid = false;
	}
	if (total > 0)
		set(&x[CPU_N], 100.0 - x[CPU_IDLE_I].num - x[CPU_WIO_I].num);
	if (x[CPU_NUM_I].valid && x[CPU_NUM_I].num > 0)
		set(&x[CPU_N + 1], x[CPU_LOAD1_I].num / x[CPU_NUM_I].num);
}

enum mem_i { MEM_TOTAL_I, MEM_FREE_I, MEM_SHARED_I, MEM_BUFFERS_I, MEM_CACHED_I, MEM_N = 11 };
static const struct metrics_field host_mem_f[] = {
	G64(host_mem.mem_total, "mem_total"),
	G64(host_mem.mem_free, "mem_free"),
	G64(host_mem.mem_shared, "mem_shared"),
	G64(host_mem.mem_buffers, "mem_buffers"),
	G64(host_mem.mem_cached, "mem_cached"),
	G64(host_mem.swap_total, "swap_total"),
	G64(host_mem.swap_free, "swap_free"),
	C32(host_mem.page_in, "page_in"),
	C32(host_mem.page_out, "page_out"),
	C32(host_mem.swap_in, "swap_in"),
	C32(host_mem.swap_out, "swap_out"),
};
_Static_assert(NELEM(host_mem_f) == MEM_N, "mem_i indexes host_mem_f");
static const char *const host_mem_d[] = { "mem_utilization" };

/* mem_utilization = 100 * (total - free - buffers - cached) / total */
static void host_mem_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	(void)v;
	used_pct(&x[MEM_N], &x[MEM_TOTAL_I], x[MEM_TOTAL_I].num - x[MEM_FREE_I].num -
		 x[MEM_BUFFERS_I].num - x[MEM_CACHED_I].num);
}

enum disk_i { DISK_TOTAL_I, DISK_FREE_I, DISK_N = 9 };
static const struct metrics_field host_disk_f[] = {
	G64(host_disk.disk_total, "disk_total"),
	G64(host_disk.disk_free, "disk_free"),
	F(host_disk.part_max_used, PCT100, GAUGE, "part_max_used"),
	C32(host_disk.reads, "reads"),
	C64(host_disk.bytes_read, "bytes_read"),
	C32(host_disk.read_time_ms, "read_time"),
	C32(host_disk.writes, "writes"),
	C64(host_disk.bytes_written, "bytes_written"),
	C32(host_disk.write_time_ms, "write_time"),
};
_Static_assert(NELEM(host_disk_f) == DISK_N, "disk_i indexes host_disk_f");
static const char *const host_disk_d[] = { "disk_utilization" };

/* disk_utilization = 100 * (total - free) / total */
static void host_disk_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	(void)v;
	used_pct(&x[DISK_N], &x[DISK_TOTAL_I], x[DISK_TOTAL_I].num - x[DISK_FREE_I].num);
}

#define NIO(p)                                                                          \
	C64(host_nio.bytes_in, p "bytes_in"), C32(host_nio.pkts_in, p "pkts_in"),       \
	C32(host_nio.errs_in, p "errs_in"), C32(host_nio.drops_in, p "drops_in"),       \
	C64(host_nio.bytes_out, p "bytes_out"), C32(host_nio.pkts_out, p "pkts_out"),   \
	C32(host_nio.errs_out, p "errs_out"), C32(host_nio.drops_out, p "drops_out")
static const struct metrics_field host_nio_f[] = { NIO("") };
static const struct metrics_field virt_nio_f[] = { NIO("vir_") };

static const struct metrics_field host_ip_f[] = {
	G32(host_ip.forwarding, "ip_forwarding"),
	G32(host_ip.default_ttl, "ip_defaultttl"),
	C32(host_ip.in_receives, "ip_inreceives"),
	C32(host_ip.in_hdr_errors, "ip_inhdrerrors"),
	C32(host_ip.in_addr_errors, "ip_inaddrerrors"),
	C32(host_ip.forw_datagrams, "ip_forwdatagrams"),
	C32(host_ip.in_unknown_protos, "ip_inunknownprotos"),
	C32(host_ip.in_discards, "ip_indiscards"),
	C32(host_ip.in_delivers, "ip_indelivers"),
	C32(host_ip.out_requests, "ip_outrequests"),
	C32(host_ip.out_discards, "ip_outdiscards"),
	C32(host_ip.out_no_routes, "ip_outnoroutes"),
	C32(host_ip.reasm_timeout, "ip_reasmtimeout"),
	C32(host_ip.reasm_reqds, "ip_reasmreqds"),
	C32(host_ip.reasm_oks, "ip_reasmoks"),
	C32(host_ip.reasm_fails, "ip_reasmfails"),
	C32(host_ip.frag_oks, "ip_fragoks"),
	C32(host_ip.frag_fails, "ip_fragfails"),
	C32(host_ip.frag_creates, "ip_fragcreates"),
};

static const struct metrics_field host_icmp_f[] = {
	C32(host_icmp.in_msgs, "icmp_inmsgs"),
	C32(host_icmp.in_errors, "icmp_inerrors"),
	C32(host_icmp.in_dest_unreachs, "icmp_indestunreachs"),
	C32(host_icmp.in_time_excds, "icmp_intimeexcds"),
	C32(host_icmp.in_parm_probs, "icmp_inparamprobs"),
	C32(host_icmp.in_src_quenchs, "icmp_insrcquenchs"),
	C32(host_icmp.in_redirects, "icmp_inredirects"),
	C32(host_icmp.in_echos, "icmp_inechos"),
	C32(host_icmp.in_echo_reps, "icmp_inechoreps"),
	C32(host_icmp.in_timestamps, "icmp_intimestamps"),
	C32(host_icmp.in_addr_masks, "icmp_inaddrmasks"),
	C32(host_icmp.in_addr_mask_reps, "icmp_inaddrmaskreps"),
	C32(host_icmp.out_msgs, "icmp_outmsgs"),
	C32(host_icmp.out_errors, "icmp_outerrors"),
	C32(host_icmp.out_dest_unreachs, "icmp_outdestunreachs"),
	C32(host_icmp.out_time_excds, "icmp_outtimeexcds"),
	C32(host_icmp.out_parm_probs, "icmp_outparamprobs"),
	C32(host_icmp.out_src_quenchs, "icmp_outsrcquenchs"),
	C32(host_icmp.out_redirects, "icmp_outredirects"),
	C32(host_icmp.out_echos, "icmp_outechos"),
	C32(host_icmp.out_echo_reps, "icmp_outechoreps"),
	C32(host_icmp.out_timestamps, "icmp_outtimestamps"),
	C32(host_icmp.out_timestamp_reps, "icmp_outtimestampreps"),
	C32(host_icmp.out_addr_masks, "icmp_outaddrmasks"),
	C32(host_icmp.out_addr_mask_reps, "icmp_outaddrmaskreps"),
};

static const struct metrics_field host_tcp_f[] = {
	G32(host_tcp.rto_algorithm, "tcp_rtoalgorithm"),
	G32(host_tcp.rto_min, "tcp_rtomin"),
	G32(host_tcp.rto_max, "tcp_rtomax"),
	G32(host_tcp.max_conn, "tcp_maxconn"),
	C32(host_tcp.active_opens, "tcp_activeopens"),
	C32(host_tcp.passive_opens, "tcp_passiveopens"),
	C32(host_tcp.attempt_fails, "tcp_attemptfails"),
	C32(host_tcp.estab_resets, "tcp_estabresets"),
	G32(host_tcp.curr_estab, "tcp_currestab"),
	C32(host_tcp.in_segs, "tcp_insegs"),
	C32(host_tcp.out_segs, "tcp_outsegs"),
	C32(host_tcp.retrans_segs, "tcp_retranssegs"),
	C32(host_tcp.in_errs, "tcp_inerrs"),
	C32(host_tcp.out_rsts, "tcp_outrsts"),
	C32(host_tcp.in_csum_errs, "tcp_incsumerrors"),
};

static const struct metrics_field host_udp_f[] = {
	C32(host_udp.in_datagrams, "udp_indatagrams"),
	C32(host_udp.no_ports, "udp_noports"),
	C32(host_udp.in_errors, "udp_inerrors"),
	C32(host_udp.out_datagrams, "udp_outdatagrams"),
	C32(host_udp.rcvbuf_errors, "udp_rcvbuferrors"),
	C32(host_udp.sndbuf_errors, "udp_sndbuferrors"),
	C32(host_udp.in_csum_errors, "udp_incsumerrors"),
};

static const struct metrics_field virt_node_f[] = {
	G32(virt_node.mhz, "vir_node_mhz"),
	G32(virt_node.cpus, "vir_node_cpus"),
	G64(virt_node.memory, "vir_node_memory"),
	G64(virt_node.memory_free, "vir_node_memory_free"),
	G32(virt_node.num_domains, "vir_node_domains"),
};

enum vcpu_i { VCPU_TIME_I = 1, VCPU_COUNT_I, VCPU_N };
static const struct metrics_field virt_cpu_f[] = {
	ENUM(virt_cpu.state, "vir_cpu_state", vir_state_names),
	C32(virt_cpu.cpu_time_ms, "vir_cpu_time"),
	G32(virt_cpu.nr_virt_cpu, "vir_nr_virt_cpu"),
};
_Static_assert(NELEM(virt_cpu_f) == VCPU_N, "vcpu_i indexes virt_cpu_f");
static const char *const virt_cpu_d[] = { "vir_cpu_utilization" };

/* ms of CPU per second / 10 = percent of one CPU; divided by the vCPUs */
static void virt_cpu_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	double n = x[VCPU_COUNT_I].valid && x[VCPU_COUNT_I].num > 0 ? x[VCPU_COUNT_I].num : 1;

	(void)v;
	if (x[VCPU_TIME_I].valid)
		set(&x[VCPU_N], x[VCPU_TIME_I].num / 10.0 / n);
}

static const struct metrics_field virt_mem_f[] = {
	G64(virt_mem.memory, "vir_memory"),
	G64(virt_mem.max_memory, "vir_max_memory"),
};

static const struct metrics_field virt_disk_f[] = {
	G64(virt_disk.capacity, "vir_capacity"),
	G64(virt_disk.allocation, "vir_allocation"),
	G64(virt_disk.available, "vir_available"),
	C32(virt_disk.rd_req, "vir_rd_req"),
	C64(virt_disk.rd_bytes, "vir_rd_bytes"),
	C32(virt_disk.wr_req, "vir_wr_req"),
	C64(virt_disk.wr_bytes, "vir_wr_bytes"),
	C32(virt_disk.errs, "vir_errs"),
};

static const struct metrics_field jvm_runtime_f[] = {
	STR(jvm_runtime.vm_name, "jvm_vm_name"),
	STR(jvm_runtime.vm_vendor, "jvm_vm_vendor"),
	STR(jvm_runtime.vm_version, "jvm_vm_version"),
};

static const struct metrics_field jvm_stats_f[] = {
	G64(jvm_stats.heap_initial, "jvm_heap_mem_initial"),
	G64(jvm_stats.heap_used, "jvm_heap_mem_used"),
	G64(jvm_stats.heap_committed, "jvm_heap_mem_committed"),
	G64(jvm_stats.heap_max, "jvm_heap_mem_max"),
	G64(jvm_stats.non_heap_initial, "jvm_non_heap_mem_initial"),
	G64(jvm_stats.non_heap_used, "jvm_non_heap_mem_used"),
	G64(jvm_stats.non_heap_committed, "jvm_non_heap_mem_committed"),
	G64(jvm_stats.non_heap_max, "jvm_non_heap_mem_max"),
	C32(jvm_stats.gc_count, "jvm_gc_count"),
	C32(jvm_stats.gc_time_ms, "jvm_gc_ms"),
	G32(jvm_stats.classes_loaded, "jvm_classes_loaded"),
	G32(jvm_stats.classes_total, "jvm_classes_total"),
	G32(jvm_stats.classes_unloaded, "jvm_classes_unloaded"),
	C32(jvm_stats.compilation_time_ms, "jvm_compilation_ms"),
	G32(jvm_stats.thread_num_live, "jvm_threads_live"),
	G32(jvm_stats.thread_num_daemon, "jvm_threads_daemon"),
	C32(jvm_stats.thread_num_started, "jvm_threads_started"),
	G32(jvm_stats.fd_open_count, "jvm_fds_open"),
	G32(jvm_stats.fd_max_count, "jvm_fds_max"),
};

static const struct metrics_field http_f[] = {
	C32(http_ctr.method_option, "http_method_option_count"),
	C32(http_ctr.method_get, "http_method_get_count"),
	C32(http_ctr.method_head, "http_method_head_count"),
	C32(http_ctr.method_post, "http_method_post_count"),
	C32(http_ctr.method_put, "http_method_put_count"),
	C32(http_ctr.method_delete, "http_method_delete_count"),
	C32(http_ctr.method_trace, "http_method_trace_count"),
	C32(http_ctr.method_connect, "http_method_connect_count"),
	C32(http_ctr.method_other, "http_method_other_count"),
	C32(http_ctr.status_1xx, "http_status_1xx_count"),
	C32(http_ctr.status_2xx, "http_status_2xx_count"),
	C32(http_ctr.status_3xx, "http_status_3xx_count"),
	C32(http_ctr.status_4xx, "http_status_4xx_count"),
	C32(http_ctr.status_5xx, "http_status_5xx_count"),
	C32(http_ctr.status_other, "http_status_other_count"),
};

static const struct metrics_field app_f[] = {
	STR(app.application, "app_name"),
	C32(app.status_ok, "app_status_ok"),
	C32(app.errors_other, "app_errors_other"),
	C32(app.errors_timeout, "app_errors_timeout"),
	C32(app.errors_internal_error, "app_errors_internal_error"),
	C32(app.errors_bad_request, "app_errors_bad_request"),
	C32(app.errors_forbidden, "app_errors_forbidden"),
	C32(app.errors_too_large, "app_errors_too_large"),
	C32(app.errors_not_implemented, "app_errors_not_implemented"),
	C32(app.errors_not_found, "app_errors_not_found"),
	C32(app.errors_unavailable, "app_errors_unavailable"),
	C32(app.errors_unauthorized, "app_errors_unauthorized"),
};

static const struct metrics_field app_resources_f[] = {
	C32(app_resources.user_time_ms, "app_usertime"),
	C32(app_resources.system_time_ms, "app_systemtime"),
	G64(app_resources.mem_used, "app_memory_used"),
	G64(app_resources.mem_max, "app_memory_max"),
	G32(app_resources.fd_open, "app_files_open"),
	G32(app_resources.fd_max, "app_files_max"),
	G32(app_resources.conn_open, "app_connections_open"),
	G32(app_resources.conn_max, "app_connections_max"),
};

static const struct metrics_field app_workers_f[] = {
	G32(app_workers.workers_active, "app_workers_active"),
	G32(app_workers.workers_idle, "app_workers_idle"),
	G32(app_workers.workers_max, "app_workers_max"),
	C32(app_workers.req_delayed, "app_req_delayed"),
	C32(app_workers.req_dropped, "app_req_dropped"),
};

#define MC(k, m) k(memcache.m, "memcache_" #m)
static const struct metrics_field memcache_f[] = {
	MC(C32, cmd_set), MC(C32, cmd_touch), MC(C32, cmd_flush), MC(C32, get_hits),
	MC(C32, get_misses), MC(C32, delete_hits), MC(C32, delete_misses), MC(C32, incr_hits),
	MC(C32, incr_misses), MC(C32, decr_hits), MC(C32, decr_misses), MC(C32, cas_hits),
	MC(C32, cas_misses), MC(C32, cas_badval), MC(C32, auth_cmds), MC(C32, auth_errors),
	MC(G32, threads), MC(C32, conn_yields), MC(C32, listen_disabled_num),
	MC(G32, curr_connections), MC(C32, rejected_connections), MC(C32, total_connections),
	MC(G32, connection_structures), MC(C32, evictions), MC(C32, reclaimed),
	MC(G32, curr_items), MC(C32, total_items), MC(C64, bytes_read), MC(C64, bytes_written),
	MC(G64, bytes), MC(G64, limit_maxbytes),
};

enum ovs_i { OVS_HIT_I, OVS_MISS_I, OVS_N = 6 };
static const struct metrics_field ovs_dp_f[] = {
	C32(ovs_dp.n_hit, "ovs_dp_hits"),
	C32(ovs_dp.n_missed, "ovs_dp_misses"),
	C32(ovs_dp.n_lost, "ovs_dp_lost"),
	C32(ovs_dp.n_mask_hit, "ovs_dp_maskhits"),
	G32(ovs_dp.n_flows, "ovs_dp_flows"),
	G32(ovs_dp.n_masks, "ovs_dp_masks"),
};
_Static_assert(NELEM(ovs_dp_f) == OVS_N, "ovs_i indexes ovs_dp_f");
static const char *const ovs_dp_d[] = { "ovs_dp_missrate" };

/* percent of datapath lookups that missed in the interval */
static void ovs_dp_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	(void)v;
	if (x[OVS_HIT_I].valid && x[OVS_MISS_I].valid &&
	    x[OVS_HIT_I].num + x[OVS_MISS_I].num > 0)
		set(&x[OVS_N], 100.0 * x[OVS_MISS_I].num / (x[OVS_HIT_I].num + x[OVS_MISS_I].num));
}

static const struct metrics_field nvml_f[] = {
	G32(nvml_gpu.device_count, "nvml_device_count"),
	G32(nvml_gpu.processes, "nvml_processes"),
	C32(nvml_gpu.gpu_time_ms, "nvml_gputime"),
	C32(nvml_gpu.mem_time_ms, "nvml_memtime"),
	G64(nvml_gpu.mem_total, "nvml_mem_total"),
	G64(nvml_gpu.mem_free, "nvml_mem_free"),
	C32(nvml_gpu.ecc_errors, "nvml_ecc_errors"),
	C32(nvml_gpu.energy_mj, "nvml_energy"),
	G32(nvml_gpu.temperature_c, "nvml_temperature"),
	G32(nvml_gpu.fan_speed_pct, "nvml_fanspeed"),
};

#define BCM(i, n) G32(bcm_tables.v[i], "bcm_" n)
static const struct metrics_field bcm_f[] = {
	BCM(0, "host_entries"), BCM(1, "host_entries_max"),
	BCM(2, "ipv4_entries"), BCM(3, "ipv4_entries_max"),
	BCM(4, "ipv6_entries"), BCM(5, "ipv6_entries_max"),
	BCM(6, "ipv4_ipv6_entries"), BCM(7, "ipv4_ipv6_entries_max"),
	BCM(8, "long_ipv6_entries"), BCM(9, "long_ipv6_entries_max"),
	BCM(10, "total_routes"), BCM(11, "total_routes_max"),
	BCM(12, "ecmp_nexthops"), BCM(13, "ecmp_nexthops_max"),
	BCM(14, "mac_entries"), BCM(15, "mac_entries_max"),
	BCM(16, "ipv4_neighbors"), BCM(17, "ipv6_neighbors"),
	BCM(18, "ipv4_routes"), BCM(19, "ipv6_routes"),
	BCM(20, "acl_ingress_entries"), BCM(21, "acl_ingress_entries_max"),
	BCM(22, "acl_ingress_counters"), BCM(23, "acl_ingress_counters_max"),
	BCM(24, "acl_ingress_meters"), BCM(25, "acl_ingress_meters_max"),
	BCM(26, "acl_ingress_slices"), BCM(27, "acl_ingress_slices_max"),
	BCM(28, "acl_egress_entries"), BCM(29, "acl_egress_entries_max"),
	BCM(30, "acl_egress_counters"), BCM(31, "acl_egress_counters_max"),
	BCM(32, "acl_egress_meters"), BCM(33, "acl_egress_meters_max"),
	BCM(34, "acl_egress_slices"), BCM(35, "acl_egress_slices_max"),
};
/* derived name i is 100 * v[bcm_pairs[i]] / v[bcm_pairs[i] + 1] */
static const uint8_t bcm_pairs[] = { 0, 14, 2, 4, 6, 8, 10, 12, 20, 24, 22, 28, 32, 30 };
static const char *const bcm_d[] = {
	"bcm_host_utilization", "bcm_mac_utilization", "bcm_ipv4_utilization",
	"bcm_ipv6_utilization", "bcm_ipv4_ipv6_utilization",
	"bcm_long_ipv6_utilizaton", /* sic: sFlow-RT's spelling (fabric-view) */
	"bcm_total_routes_utilization", "bcm_ecmp_nexthops_utilization",
	"bcm_acl_ingress_utilization", "bcm_acl_ingress_meters_utilization",
	"bcm_acl_ingress_counters_utilization", "bcm_acl_egress_utilization",
	"bcm_acl_egress_meters_utilization", "bcm_acl_egress_counters_utilization",
};
_Static_assert(sizeof(bcm_pairs) == NELEM(bcm_d), "one pair per bcm derived name");

static void bcm_derive(const union sfl_record_value *v, struct metrics_value *x)
{
	for (uint32_t i = 0; i < NELEM(bcm_d); i++) {
		uint32_t cur = v->bcm_tables.v[bcm_pairs[i]], max = v->bcm_tables.v[bcm_pairs[i] + 1];

		if (max > 0)
			set(&x[NELEM(bcm_f) + i], 100.0 * cur / max);
	}
}

static const struct metrics_record table[] = {
	REC_D(SFL_CTR_GENERIC, generic_f, generic_d, generic_derive),
	REC(SFL_CTR_ETHERNET, ethernet_f),
	REC(SFL_CTR_LACP, lacp_f),
	REC(SFL_CTR_SFP, sfp_f),
	REC_D(SFL_CTR_PROCESSOR, processor_f, processor_d, processor_derive),
	REC(SFL_CTR_OFPORT, ofport_f),
	REC(SFL_CTR_PORTNAME, portname_f),
	REC(SFL_CTR_HOST_DESCR, host_descr_f),
	REC_D(SFL_CTR_HOST_CPU, host_cpu_f, host_cpu_d, host_cpu_derive),
	REC_D(SFL_CTR_HOST_MEM, host_mem_f, host_mem_d, host_mem_derive),
	REC_D(SFL_CTR_HOST_DISK, host_disk_f, host_disk_d, host_disk_derive),
	REC(SFL_CTR_HOST_NIO, host_nio_f),
	REC(SFL_CTR_HOST_IP, host_ip_f),
	REC(SFL_CTR_HOST_ICMP, host_icmp_f),
	REC(SFL_CTR_HOST_TCP, host_tcp_f),
	REC(SFL_CTR_HOST_UDP, host_udp_f),
	REC(SFL_CTR_VIRT_NODE, virt_node_f),
	REC_D(SFL_CTR_VIRT_CPU, virt_cpu_f, virt_cpu_d, virt_cpu_derive),
	REC(SFL_CTR_VIRT_MEM, virt_mem_f),
	REC(SFL_CTR_VIRT_DISK, virt_disk_f),
	REC(SFL_CTR_VIRT_NIO, virt_nio_f),
	REC(SFL_CTR_JVM_RUNTIME, jvm_runtime_f),
	REC(SFL_CTR_JVM_STATS, jvm_stats_f),
	REC(SFL_CTR_HTTP, http_f),
	REC(SFL_CTR_APP, app_f),
	REC(SFL_CTR_APP_RESOURCES, app_resources_f),
	REC(SFL_CTR_MEMCACHE, memcache_f),
	REC(SFL_CTR_APP_WORKERS, app_workers_f),
	REC_D(SFL_CTR_OVS_DP, ovs_dp_f, ovs_dp_d, ovs_dp_derive),
	REC(SFL_CTR_NVML_GPU, nvml_f),
	REC_D(SFL_CTR_BCM_TABLES, bcm_f, bcm_d, bcm_derive),
};

/* host_descr in a logical (class 3) data source: the vir_* names */
static const struct metrics_record vir_descr = REC(SFL_CTR_HOST_DESCR, vir_descr_f);

const struct metrics_record *metrics_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

uint32_t metrics_record_id(const struct metrics_record *rec)
{
	size_t n = sizeof(table) / sizeof(table[0]);

	return rec == &vir_descr ? (uint32_t)n : (uint32_t)(rec - table);
}

static void name_slots_of(const struct metrics_record *rec, const char *name, int16_t *slot)
{
	*slot = -1;
	for (uint32_t i = 0; i < rec->nfields + rec->nderived; i++)
		if (strcmp(metrics_slot_name(rec, i), name) == 0) {
			*slot = (int16_t)i;
			return;
		}
}

void metrics_name_slots(const char *name, int16_t slots[METRICS_RECORDS_MAX])
{
	size_t n = sizeof(table) / sizeof(table[0]);

	_Static_assert(sizeof(table) / sizeof(table[0]) < METRICS_RECORDS_MAX,
		       "METRICS_RECORDS_MAX too small");
	for (uint32_t i = 0; i < METRICS_RECORDS_MAX; i++)
		slots[i] = -1;
	for (size_t i = 0; i < n; i++)
		name_slots_of(&table[i], name, &slots[i]);
	name_slots_of(&vir_descr, name, &slots[n]);
}

const struct metrics_record *metrics_lookup(uint32_t tag, uint32_t ds_class)
{
	if (tag == SFL_CTR_HOST_DESCR && ds_class == SFL_DS_LOGICAL)
		return &vir_descr;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].tag == tag)
			return &table[i];
	return NULL;
}
