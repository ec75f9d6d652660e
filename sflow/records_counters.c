/*
 * sflow/records_counters.c: field tables of the counter record formats.
 *
 * One table per record struct of records.h, fields in wire order as in
 * sflow_version_5.txt, sflow_host.txt and the later extensions (see
 * shared/reference/wire.md §1.5; where the texts are vague, the order is
 * the one sflowtool reads). host_cpu and jvm_statistics grew at their end:
 * SFL_RF_TAIL marks the optional part (steal/guest, fd counts). Runs of
 * adjacent 32-bit counters are one SFL_RF_U32 entry, which keeps the
 * interpreter's loop short on the hot if_counters/ethernet records.
 * sfl_rec_counters_descs is indexed by SFL_REC_SLOT(tag) (records_codec.h).
 */
#include "sflow/records_codec.h"

#define RUN(st, first, last) SFL_RF_RUN(st, first, last)
#define U32(st, m) SFL_RF(SFL_RF_U32, st, m, 1)
#define U64(st, m) SFL_RF(SFL_RF_U64, st, m, 1)
#define U64S(st, m, n) SFL_RF(SFL_RF_U64, st, m, n)
#define FLOAT(st, m) SFL_RF(SFL_RF_FLOAT, st, m, 0)
#define MAC(st, m) SFL_RF(SFL_RF_MAC, st, m, 0)
#define STR(st, m, max) SFL_RF(SFL_RF_STR, st, m, max)
#define TAIL(st, m) SFL_RF(SFL_RF_TAIL, st, m, 0)

static const struct sfl_rec_field f_generic[] = {
	RUN(struct sfl_ctr_generic, ifindex, iftype),
	U64(struct sfl_ctr_generic, ifspeed),
	RUN(struct sfl_ctr_generic, ifdirection, ifstatus),
	U64(struct sfl_ctr_generic, in_octets),
	RUN(struct sfl_ctr_generic, in_ucast_pkts, in_unknown_protos),
	U64(struct sfl_ctr_generic, out_octets),
	RUN(struct sfl_ctr_generic, out_ucast_pkts, promiscuous_mode),
};

static const struct sfl_rec_field f_ethernet[] = {
	RUN(struct sfl_ctr_ethernet, alignment_errors, symbol_errors),
};

static const struct sfl_rec_field f_tokenring[] = {
	RUN(struct sfl_ctr_tokenring, line_errors, freq_errors),
};

static const struct sfl_rec_field f_vg[] = {
	U32(struct sfl_ctr_vg, in_high_priority_frames),
	U64(struct sfl_ctr_vg, in_high_priority_octets),
	U32(struct sfl_ctr_vg, in_norm_priority_frames),
	U64(struct sfl_ctr_vg, in_norm_priority_octets),
	RUN(struct sfl_ctr_vg, in_ipm_errors, out_high_priority_frames),
	U64(struct sfl_ctr_vg, out_high_priority_octets),
	U32(struct sfl_ctr_vg, transition_into_trainings),
	U64S(struct sfl_ctr_vg, hc_in_high_priority_octets, 3),
};

static const struct sfl_rec_field f_vlan[] = {
	U32(struct sfl_ctr_vlan, vlan_id),
	U64(struct sfl_ctr_vlan, octets),
	RUN(struct sfl_ctr_vlan, ucast_pkts, discards),
};

static const struct sfl_rec_field f_80211[] = {
	RUN(struct sfl_ctr_80211, transmitted_fragment_count, qos_cf_polls_lost_count),
};

static const struct sfl_rec_field f_lacp[] = {
	MAC(struct sfl_ctr_lacp, actor_system_id),
	MAC(struct sfl_ctr_lacp, partner_system_id),
	RUN(struct sfl_ctr_lacp, attached_agg_id, marker_response_pdus_tx),
};

static const struct sfl_rec_field f_sfp[] = {
	RUN(struct sfl_ctr_sfp, module_id, module_temperature_mc),
	SFL_RF(SFL_RF_SFP_LANES, struct sfl_ctr_sfp, lanes, 0),
};

static const struct sfl_rec_field f_pfc[] = {
	RUN(struct sfl_ctr_pfc, requests, storm_restored),
};

static const struct sfl_rec_field f_processor[] = {
	RUN(struct sfl_ctr_processor, cpu_5s, cpu_5m),
	U64S(struct sfl_ctr_processor, total_memory, 2),
};

static const struct sfl_rec_field f_radio[] = {
	RUN(struct sfl_ctr_radio, elapsed_time_ms, on_channel_busy_time_ms),
};

static const struct sfl_rec_field f_ofport[] = {
	U64(struct sfl_ctr_ofport, datapath_id),
	U32(struct sfl_ctr_ofport, port_no),
};

static const struct sfl_rec_field f_portname[] = {
	STR(struct sfl_ctr_portname, name, 255),
};

/* The uuid is 16 raw bytes although sflow_host.txt says opaque<16>. */
static const struct sfl_rec_field f_host_descr[] = {
	STR(struct sfl_ctr_host_descr, hostname, 64),
	SFL_RF(SFL_RF_UUID, struct sfl_ctr_host_descr, uuid, 0),
	RUN(struct sfl_ctr_host_descr, machine_type, os_name),
	STR(struct sfl_ctr_host_descr, os_release, 32),
};

static const struct sfl_rec_field f_host_adapters[] = {
	SFL_RF(SFL_RF_ADAPTERS, struct sfl_ctr_host_adapters, adapters, 0),
};

static const struct sfl_rec_field f_host_parent[] = {
	RUN(struct sfl_ctr_host_parent, container_type, container_index),
};

static const struct sfl_rec_field f_host_cpu[] = {
	FLOAT(struct sfl_ctr_host_cpu, load_one),
	FLOAT(struct sfl_ctr_host_cpu, load_five),
	FLOAT(struct sfl_ctr_host_cpu, load_fifteen),
	RUN(struct sfl_ctr_host_cpu, proc_run, contexts),
	TAIL(struct sfl_ctr_host_cpu, has_steal), /* added December 2014 */
	RUN(struct sfl_ctr_host_cpu, cpu_steal_ms, cpu_guest_nice_ms),
};

static const struct sfl_rec_field f_host_mem[] = {
	U64S(struct sfl_ctr_host_mem, mem_total, 7),
	RUN(struct sfl_ctr_host_mem, page_in, swap_out),
};

static const struct sfl_rec_field f_host_disk[] = {
	U64S(struct sfl_ctr_host_disk, disk_total, 2),
	RUN(struct sfl_ctr_host_disk, part_max_used, reads),
	U64(struct sfl_ctr_host_disk, bytes_read),
	RUN(struct sfl_ctr_host_disk, read_time_ms, writes),
	U64(struct sfl_ctr_host_disk, bytes_written),
	U32(struct sfl_ctr_host_disk, write_time_ms),
};

static const struct sfl_rec_field f_host_nio[] = {
	U64(struct sfl_ctr_host_nio, bytes_in),
	RUN(struct sfl_ctr_host_nio, pkts_in, drops_in),
	U64(struct sfl_ctr_host_nio, bytes_out),
	RUN(struct sfl_ctr_host_nio, pkts_out, drops_out),
};

static const struct sfl_rec_field f_host_ip[] = {
	RUN(struct sfl_ctr_host_ip, forwarding, frag_creates),
};

static const struct sfl_rec_field f_host_icmp[] = {
	RUN(struct sfl_ctr_host_icmp, in_msgs, out_addr_mask_reps),
};

static const struct sfl_rec_field f_host_tcp[] = {
	RUN(struct sfl_ctr_host_tcp, rto_algorithm, in_csum_errs),
};

static const struct sfl_rec_field f_host_udp[] = {
	RUN(struct sfl_ctr_host_udp, in_datagrams, in_csum_errors),
};

static const struct sfl_rec_field f_virt_node[] = {
	RUN(struct sfl_ctr_virt_node, mhz, cpus),
	U64S(struct sfl_ctr_virt_node, memory, 2),
	U32(struct sfl_ctr_virt_node, num_domains),
};

static const struct sfl_rec_field f_virt_cpu[] = {
	RUN(struct sfl_ctr_virt_cpu, state, nr_virt_cpu),
};

static const struct sfl_rec_field f_virt_mem[] = {
	U64S(struct sfl_ctr_virt_mem, memory, 2),
};

static const struct sfl_rec_field f_virt_disk[] = {
	U64S(struct sfl_ctr_virt_disk, capacity, 3),
	U32(struct sfl_ctr_virt_disk, rd_req),
	U64(struct sfl_ctr_virt_disk, rd_bytes),
	U32(struct sfl_ctr_virt_disk, wr_req),
	U64(struct sfl_ctr_virt_disk, wr_bytes),
	U32(struct sfl_ctr_virt_disk, errs),
};

static const struct sfl_rec_field f_jvm_runtime[] = {
	STR(struct sfl_ctr_jvm_runtime, vm_name, 64),
	STR(struct sfl_ctr_jvm_runtime, vm_vendor, 32),
	STR(struct sfl_ctr_jvm_runtime, vm_version, 32),
};

static const struct sfl_rec_field f_jvm_stats[] = {
	U64S(struct sfl_ctr_jvm_stats, heap_initial, 8),
	RUN(struct sfl_ctr_jvm_stats, gc_count, thread_num_started),
	TAIL(struct sfl_ctr_jvm_stats, has_fds),
	RUN(struct sfl_ctr_jvm_stats, fd_open_count, fd_max_count),
};

static const struct sfl_rec_field f_memcache_old[] = {
	RUN(struct sfl_ctr_memcache_old, uptime, auth_errors),
	U64S(struct sfl_ctr_memcache_old, bytes_read, 2),
	RUN(struct sfl_ctr_memcache_old, limit_maxbytes, conn_yields),
	U64(struct sfl_ctr_memcache_old, bytes),
	RUN(struct sfl_ctr_memcache_old, curr_items, evictions),
};

static const struct sfl_rec_field f_http_ctr[] = {
	RUN(struct sfl_ctr_http, method_option, status_other),
};

static const struct sfl_rec_field f_app[] = {
	STR(struct sfl_ctr_app, application, 32),
	RUN(struct sfl_ctr_app, status_ok, errors_unauthorized),
};

static const struct sfl_rec_field f_app_resources[] = {
	RUN(struct sfl_ctr_app_resources, user_time_ms, system_time_ms),
	U64S(struct sfl_ctr_app_resources, mem_used, 2),
	RUN(struct sfl_ctr_app_resources, fd_open, conn_max),
};

static const struct sfl_rec_field f_memcache[] = {
	RUN(struct sfl_ctr_memcache, cmd_set, total_items),
	U64S(struct sfl_ctr_memcache, bytes_read, 4),
};

static const struct sfl_rec_field f_vdi[] = {
	RUN(struct sfl_ctr_vdi, sessions_current, usb_tx_bytes),
};

static const struct sfl_rec_field f_app_workers[] = {
	RUN(struct sfl_ctr_app_workers, workers_active, req_dropped),
};

static const struct sfl_rec_field f_ovs_dp[] = {
	RUN(struct sfl_ctr_ovs_dp, n_hit, n_masks),
};

static const struct sfl_rec_field f_bcm_tables[] = {
	RUN(struct sfl_ctr_bcm_tables, v[0], v[35]),
};

static const struct sfl_rec_field f_nvml_gpu[] = {
	RUN(struct sfl_ctr_nvml_gpu, device_count, mem_time_ms),
	U64S(struct sfl_ctr_nvml_gpu, mem_total, 2),
	RUN(struct sfl_ctr_nvml_gpu, ecc_errors, fan_speed_pct),
};

const struct sfl_rec_desc sfl_rec_counters_descs[SFL_REC_SLOTS] = {
	SFL_REC(SFL_CTR_GENERIC, "if_counters", f_generic),
	SFL_REC(SFL_CTR_ETHERNET, "ethernet_counters", f_ethernet),
	SFL_REC(SFL_CTR_TOKENRING, "tokenring_counters", f_tokenring),
	SFL_REC(SFL_CTR_VG, "vg_counters", f_vg),
	SFL_REC(SFL_CTR_VLAN, "vlan_counters", f_vlan),
	SFL_REC(SFL_CTR_80211, "ieee80211_counters", f_80211),
	SFL_REC(SFL_CTR_LACP, "lag_port_stats", f_lacp),
	SFL_REC(SFL_CTR_SFP, "sfp", f_sfp),
	SFL_REC(SFL_CTR_PFC, "pfc", f_pfc),
	SFL_REC(SFL_CTR_PROCESSOR, "processor", f_processor),
	SFL_REC(SFL_CTR_RADIO, "radio_utilization", f_radio),
	SFL_REC(SFL_CTR_OFPORT, "of_port", f_ofport),
	SFL_REC(SFL_CTR_PORTNAME, "port_name", f_portname),
	SFL_REC(SFL_CTR_HOST_DESCR, "host_descr", f_host_descr),
	SFL_REC(SFL_CTR_HOST_ADAPTERS, "host_adapters", f_host_adapters),
	SFL_REC(SFL_CTR_HOST_PARENT, "host_parent", f_host_parent),
	SFL_REC(SFL_CTR_HOST_CPU, "host_cpu", f_host_cpu),
	SFL_REC(SFL_CTR_HOST_MEM, "host_memory", f_host_mem),
	SFL_REC(SFL_CTR_HOST_DISK, "host_disk_io", f_host_disk),
	SFL_REC(SFL_CTR_HOST_NIO, "host_net_io", f_host_nio),
	SFL_REC(SFL_CTR_HOST_IP, "mib2_ip_group", f_host_ip),
	SFL_REC(SFL_CTR_HOST_ICMP, "mib2_icmp_group", f_host_icmp),
	SFL_REC(SFL_CTR_HOST_TCP, "mib2_tcp_group", f_host_tcp),
	SFL_REC(SFL_CTR_HOST_UDP, "mib2_udp_group", f_host_udp),
	SFL_REC(SFL_CTR_VIRT_NODE, "virt_node", f_virt_node),
	SFL_REC(SFL_CTR_VIRT_CPU, "virt_cpu", f_virt_cpu),
	SFL_REC(SFL_CTR_VIRT_MEM, "virt_memory", f_virt_mem),
	SFL_REC(SFL_CTR_VIRT_DISK, "virt_disk_io", f_virt_disk),
	SFL_REC(SFL_CTR_VIRT_NIO, "virt_net_io", f_host_nio),
	SFL_REC(SFL_CTR_JVM_RUNTIME, "jvm_runtime", f_jvm_runtime),
	SFL_REC(SFL_CTR_JVM_STATS, "jvm_statistics", f_jvm_stats),
	SFL_REC(SFL_CTR_MEMCACHE_OLD, "memcache_counters_deprecated", f_memcache_old),
	SFL_REC(SFL_CTR_HTTP, "http_counters", f_http_ctr),
	SFL_REC(SFL_CTR_APP, "app_operations", f_app),
	SFL_REC(SFL_CTR_APP_RESOURCES, "app_resources", f_app_resources),
	SFL_REC(SFL_CTR_MEMCACHE, "memcache_counters", f_memcache),
	SFL_REC(SFL_CTR_VDI, "vdi_counters", f_vdi),
	SFL_REC(SFL_CTR_APP_WORKERS, "app_workers", f_app_workers),
	SFL_REC(SFL_CTR_OVS_DP, "ovs_dp_stats", f_ovs_dp),
	SFL_REC(SFL_CTR_BCM_TABLES, "bcm_tables", f_bcm_tables),
	SFL_REC(SFL_CTR_NVML_GPU, "nvml_gpu", f_nvml_gpu),
};

