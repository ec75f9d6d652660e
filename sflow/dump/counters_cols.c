/*
 * sflow/dump/counters_cols.c: the column tables of the counter records
 * whose printing is a plain run of numbers: member, how sflowtool formats
 * it, and sflowtool's field name, in wire order. Data only; the records
 * that need code (strings, lists, MACs) are in print_counters.c.
 */
#include "sflow/dump/counters_cols.h"

#include <stddef.h>

#define COLS_OF(tag_, t) { (tag_), (t), sizeof(t) / sizeof((t)[0]) }

#define GEN(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_generic, m, n)
static const struct print_col generic_cols[] = {
	GEN(U32, ifindex, "ifIndex"),
	GEN(U32, iftype, "networkType"),
	GEN(U64, ifspeed, "ifSpeed"),
	GEN(U32, ifdirection, "ifDirection"),
	GEN(U32, ifstatus, "ifStatus"),
	GEN(U64, in_octets, "ifInOctets"),
	GEN(U32, in_ucast_pkts, "ifInUcastPkts"),
	GEN(U32, in_multicast_pkts, "ifInMulticastPkts"),
	GEN(U32, in_broadcast_pkts, "ifInBroadcastPkts"),
	GEN(U32, in_discards, "ifInDiscards"),
	GEN(U32, in_errors, "ifInErrors"),
	GEN(U32, in_unknown_protos, "ifInUnknownProtos"),
	GEN(U64, out_octets, "ifOutOctets"),
	GEN(U32, out_ucast_pkts, "ifOutUcastPkts"),
	GEN(U32, out_multicast_pkts, "ifOutMulticastPkts"),
	GEN(U32, out_broadcast_pkts, "ifOutBroadcastPkts"),
	GEN(U32, out_discards, "ifOutDiscards"),
	GEN(U32, out_errors, "ifOutErrors"),
	GEN(U32, promiscuous_mode, "ifPromiscuousMode"),
};

#define ETH(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_ethernet, m, "dot3Stats" n)
static const struct print_col ethernet_cols[] = {
	ETH(alignment_errors, "AlignmentErrors"),
	ETH(fcs_errors, "FCSErrors"),
	ETH(single_collision_frames, "SingleCollisionFrames"),
	ETH(multiple_collision_frames, "MultipleCollisionFrames"),
	ETH(sqe_test_errors, "SQETestErrors"),
	ETH(deferred_transmissions, "DeferredTransmissions"),
	ETH(late_collisions, "LateCollisions"),
	ETH(excessive_collisions, "ExcessiveCollisions"),
	ETH(internal_mac_transmit_errors, "InternalMacTransmitErrors"),
	ETH(carrier_sense_errors, "CarrierSenseErrors"),
	ETH(frame_too_longs, "FrameTooLongs"),
	ETH(internal_mac_receive_errors, "InternalMacReceiveErrors"),
	ETH(symbol_errors, "SymbolErrors"),
};

#define TR(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_tokenring, m, "dot5Stats" n)
static const struct print_col tokenring_cols[] = {
	TR(line_errors, "LineErrors"),
	TR(burst_errors, "BurstErrors"),
	TR(ac_errors, "ACErrors"),
	TR(abort_trans_errors, "AbortTransErrors"),
	TR(internal_errors, "InternalErrors"),
	TR(lost_frame_errors, "LostFrameErrors"),
	TR(receive_congestions, "ReceiveCongestions"),
	TR(frame_copied_errors, "FrameCopiedErrors"),
	TR(token_errors, "TokenErrors"),
	TR(soft_errors, "SoftErrors"),
	TR(hard_errors, "HardErrors"),
	TR(signal_loss, "SignalLoss"),
	TR(transmit_beacons, "TransmitBeacons"),
	TR(recoverys, "Recoverys"),
	TR(lobe_wires, "LobeWires"),
	TR(removes, "Removes"),
	TR(singles, "Singles"),
	TR(freq_errors, "FreqErrors"),
};

#define VG(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_vg, m, "dot12" n)
static const struct print_col vg_cols[] = {
	VG(U32, in_high_priority_frames, "InHighPriorityFrames"),
	VG(U64, in_high_priority_octets, "InHighPriorityOctets"),
	VG(U32, in_norm_priority_frames, "InNormPriorityFrames"),
	VG(U64, in_norm_priority_octets, "InNormPriorityOctets"),
	VG(U32, in_ipm_errors, "InIPMErrors"),
	VG(U32, in_oversize_frame_errors, "InOversizeFrameErrors"),
	VG(U32, in_data_errors, "InDataErrors"),
	VG(U32, in_null_addressed_frames, "InNullAddressedFrames"),
	VG(U32, out_high_priority_frames, "OutHighPriorityFrames"),
	VG(U64, out_high_priority_octets, "OutHighPriorityOctets"),
	VG(U32, transition_into_trainings, "TransitionIntoTrainings"),
	VG(U64, hc_in_high_priority_octets, "HCInHighPriorityOctets"),
	VG(U64, hc_in_norm_priority_octets, "HCInNormPriorityOctets"),
	VG(U64, hc_out_high_priority_octets, "HCOutHighPriorityOctets"),
};

#define VL(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_vlan, m, n)
static const struct print_col vlan_cols[] = {
	VL(U32, vlan_id, "in_vlan"),
	VL(U64, octets, "octets"),
	VL(U32, ucast_pkts, "ucastPkts"),
	VL(U32, multicast_pkts, "multicastPkts"),
	VL(U32, broadcast_pkts, "broadcastPkts"),
	VL(U32, discards, "discards"),
};

#define W(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_80211, m, "dot11" n)
static const struct print_col wifi_cols[] = {
	W(transmitted_fragment_count, "TransmittedFragmentCount"),
	W(multicast_transmitted_frame_count, "MulticastTransmittedFrameCount"),
	W(failed_count, "FailedCount"),
	W(retry_count, "RetryCount"),
	W(multiple_retry_count, "MultipleRetryCount"),
	W(frame_duplicate_count, "FrameDuplicateCount"),
	W(rts_success_count, "RTSSuccessCount"),
	W(rts_failure_count, "RTSFailureCount"),
	W(ack_failure_count, "ACKFailureCount"),
	W(received_fragment_count, "ReceivedFragmentCount"),
	W(multicast_received_frame_count, "MulticastReceivedFrameCount"),
	W(fcs_error_count, "FCSErrorCount"),
	W(transmitted_frame_count, "TransmittedFrameCount"),
	W(wep_undecryptable_count, "WEPUndecryptableCount"),
	W(qos_discarded_fragment_count, "QoSDiscardedFragmentCount"),
	W(associated_station_count, "AssociatedStationCount"),
	W(qos_cf_polls_received_count, "QoSCFPollsReceivedCount"),
	W(qos_cf_polls_unused_count, "QoSCFPollsUnusedCount"),
	W(qos_cf_polls_unusable_count, "QoSCFPollsUnusableCount"),
	W(qos_cf_polls_lost_count, "QoSCFPollsLostCount"),
};

#define PFC(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_pfc, m, n)
static const struct print_col pfc_cols[] = {
	PFC(requests, "PFC_requests"),
	PFC(indications, "PFC_indications"),
	PFC(pause_duration_us, "PFC_pause_duration"),
	PFC(storm_detected, "PFC_storm_detected"),
	PFC(storm_restored, "PFC_storm_restored"),
};

#define CPU(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_processor, m, n)
static const struct print_col processor_cols[] = {
	CPU(PCT, cpu_5s, "5s_cpu"),
	CPU(PCT, cpu_1m, "1m_cpu"),
	CPU(PCT, cpu_5m, "5m_cpu"),
	CPU(U64, total_memory, "total_memory_bytes"),
	CPU(U64, free_memory, "free_memory_bytes"),
};

#define RAD(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_radio, m, n)
static const struct print_col radio_cols[] = {
	RAD(elapsed_time_ms, "radio_elapsed_time"),
	RAD(on_channel_time_ms, "radio_on_channel_time"),
	RAD(on_channel_busy_time_ms, "radio_on_channel_busy_time"),
};

#define PAR(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_host_parent, m, n)
static const struct print_col host_parent_cols[] = {
	PAR(container_type, "parent_dsClass"),
	PAR(container_index, "parent_dsIndex"),
};

/* host_cpu: the last three columns exist in the 80-byte form only */
#define HC(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_host_cpu, m, n)
const struct print_col counters_host_cpu_cols[] = {
	HC(FLOAT, load_one, "cpu_load_one"),
	HC(FLOAT, load_five, "cpu_load_five"),
	HC(FLOAT, load_fifteen, "cpu_load_fifteen"),
	HC(U32, proc_run, "cpu_proc_run"),
	HC(U32, proc_total, "cpu_proc_total"),
	HC(U32, cpu_num, "cpu_num"),
	HC(U32, cpu_speed_mhz, "cpu_speed"),
	HC(U32, uptime_s, "cpu_uptime"),
	HC(U32, cpu_user_ms, "cpu_user"),
	HC(U32, cpu_nice_ms, "cpu_nice"),
	HC(U32, cpu_system_ms, "cpu_system"),
	HC(U32, cpu_idle_ms, "cpu_idle"),
	HC(U32, cpu_wio_ms, "cpu_wio"),
	HC(U32, cpu_intr_ms, "cpuintr"),
	HC(U32, cpu_sintr_ms, "cpu_sintr"),
	HC(U32, interrupts, "cpuinterrupts"),
	HC(U32, contexts, "cpu_contexts"),
	HC(U32, cpu_steal_ms, "cpu_steal"),
	HC(U32, cpu_guest_ms, "cpu_guest"),
	HC(U32, cpu_guest_nice_ms, "cpu_guest_nice"),
};
const size_t counters_host_cpu_short = 17;
const size_t counters_host_cpu_long = 20;

#define HM(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_host_mem, m, n)
static const struct print_col host_mem_cols[] = {
	HM(U64, mem_total, "mem_total"),
	HM(U64, mem_free, "mem_free"),
	HM(U64, mem_shared, "mem_shared"),
	HM(U64, mem_buffers, "mem_buffers"),
	HM(U64, mem_cached, "mem_cached"),
	HM(U64, swap_total, "swap_total"),
	HM(U64, swap_free, "swap_free"),
	HM(U32, page_in, "page_in"),
	HM(U32, page_out, "page_out"),
	HM(U32, swap_in, "swap_in"),
	HM(U32, swap_out, "swap_out"),
};

#define HD(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_host_disk, m, n)
static const struct print_col host_disk_cols[] = {
	HD(U64, disk_total, "disk_total"),
	HD(U64, disk_free, "disk_free"),
	HD(PCT, part_max_used, "disk_partition_max_used"),
	HD(U32, reads, "disk_reads"),
	HD(U64, bytes_read, "disk_bytes_read"),
	HD(U32, read_time_ms, "disk_read_time"),
	HD(U32, writes, "disk_writes"),
	HD(U64, bytes_written, "disk_bytes_written"),
	HD(U32, write_time_ms, "disk_write_time"),
};

#define HN(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_host_nio, m, n)
static const struct print_col host_nio_cols[] = {
	HN(U64, bytes_in, "nio_bytes_in"),
	HN(U32, pkts_in, "nio_pkts_in"),
	HN(U32, errs_in, "nio_errs_in"),
	HN(U32, drops_in, "nio_drops_in"),
	HN(U64, bytes_out, "nio_bytes_out"),
	HN(U32, pkts_out, "nio_pkts_out"),
	HN(U32, errs_out, "nio_errs_out"),
	HN(U32, drops_out, "nio_drops_out"),
};

static const struct print_col virt_nio_cols[] = {
	HN(U64, bytes_in, "vnio_bytes_in"),
	HN(U32, pkts_in, "vnio_pkts_in"),
	HN(U32, errs_in, "vnio_errs_in"),
	HN(U32, drops_in, "vnio_drops_in"),
	HN(U64, bytes_out, "vnio_bytes_out"),
	HN(U32, pkts_out, "vnio_pkts_out"),
	HN(U32, errs_out, "vnio_errs_out"),
	HN(U32, drops_out, "vnio_drops_out"),
};

#define IP(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_host_ip, m, "ip" n)
static const struct print_col host_ip_cols[] = {
	IP(forwarding, "Forwarding"),
	IP(default_ttl, "DefaultTTL"),
	IP(in_receives, "InReceives"),
	IP(in_hdr_errors, "InHdrErrors"),
	IP(in_addr_errors, "InAddrErrors"),
	IP(forw_datagrams, "ForwDatagrams"),
	IP(in_unknown_protos, "InUnknownProtos"),
	IP(in_discards, "InDiscards"),
	IP(in_delivers, "InDelivers"),
	IP(out_requests, "OutRequests"),
	IP(out_discards, "OutDiscards"),
	IP(out_no_routes, "OutNoRoutes"),
	IP(reasm_timeout, "ReasmTimeout"),
	IP(reasm_reqds, "ReasmReqds"),
	IP(reasm_oks, "ReasmOKs"),
	IP(reasm_fails, "ReasmFails"),
	IP(frag_oks, "FragOKs"),
	IP(frag_fails, "FragFails"),
	IP(frag_creates, "FragCreates"),
};

#define ICMP(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_host_icmp, m, "icmp" n)
static const struct print_col host_icmp_cols[] = {
	ICMP(in_msgs, "InMsgs"),
	ICMP(in_errors, "InErrors"),
	ICMP(in_dest_unreachs, "InDestUnreachs"),
	ICMP(in_time_excds, "InTimeExcds"),
	ICMP(in_parm_probs, "InParamProbs"),
	ICMP(in_src_quenchs, "InSrcQuenchs"),
	ICMP(in_redirects, "InRedirects"),
	ICMP(in_echos, "InEchos"),
	ICMP(in_echo_reps, "InEchoReps"),
	ICMP(in_timestamps, "InTimestamps"),
	ICMP(in_addr_masks, "InAddrMasks"),
	ICMP(in_addr_mask_reps, "InAddrMaskReps"),
	ICMP(out_msgs, "OutMsgs"),
	ICMP(out_errors, "OutErrors"),
	ICMP(out_dest_unreachs, "OutDestUnreachs"),
	ICMP(out_time_excds, "OutTimeExcds"),
	ICMP(out_parm_probs, "OutParamProbs"),
	ICMP(out_src_quenchs, "OutSrcQuenchs"),
	ICMP(out_redirects, "OutRedirects"),
	ICMP(out_echos, "OutEchos"),
	ICMP(out_echo_reps, "OutEchoReps"),
	ICMP(out_timestamps, "OutTimestamps"),
	ICMP(out_timestamp_reps, "OutTimestampReps"),
	ICMP(out_addr_masks, "OutAddrMasks"),
	ICMP(out_addr_mask_reps, "OutAddrMaskReps"),
};

#define TCP(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_host_tcp, m, "tcp" n)
static const struct print_col host_tcp_cols[] = {
	TCP(rto_algorithm, "RtoAlgorithm"),
	TCP(rto_min, "RtoMin"),
	TCP(rto_max, "RtoMax"),
	TCP(max_conn, "MaxConn"),
	TCP(active_opens, "ActiveOpens"),
	TCP(passive_opens, "PassiveOpens"),
	TCP(attempt_fails, "AttemptFails"),
	TCP(estab_resets, "EstabResets"),
	TCP(curr_estab, "CurrEstab"),
	TCP(in_segs, "InSegs"),
	TCP(out_segs, "OutSegs"),
	TCP(retrans_segs, "RetransSegs"),
	TCP(in_errs, "InErrs"),
	TCP(out_rsts, "OutRsts"),
	TCP(in_csum_errs, "InCsumErrors"),
};

#define UDP(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_host_udp, m, "udp" n)
static const struct print_col host_udp_cols[] = {
	UDP(in_datagrams, "InDatagrams"),
	UDP(no_ports, "NoPorts"),
	UDP(in_errors, "InErrors"),
	UDP(out_datagrams, "OutDatagrams"),
	UDP(rcvbuf_errors, "RcvbufErrors"),
	UDP(sndbuf_errors, "SndbufErrors"),
	UDP(in_csum_errors, "InCsumErrors"),
};

#define VN(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_virt_node, m, n)
static const struct print_col virt_node_cols[] = {
	VN(U32, mhz, "vnode_mhz"),
	VN(U32, cpus, "vnode_cpus"),
	VN(U64, memory, "vnode_memory"),
	VN(U64, memory_free, "vnode_memory_free"),
	VN(U32, num_domains, "vnode_num_domains"),
};

#define VC(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_virt_cpu, m, n)
static const struct print_col virt_cpu_cols[] = {
	VC(state, "vcpu_state"),
	VC(cpu_time_ms, "vcpu_cpu_mS"),
	VC(nr_virt_cpu, "vcpu_cpuCount"),
};

#define VM(m, n) PRINT_COL(PRINT_COL_U64, struct sfl_ctr_virt_mem, m, n)
static const struct print_col virt_mem_cols[] = {
	VM(memory, "vmem_memory"),
	VM(max_memory, "vmem_maxMemory"),
};

#define VD(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_virt_disk, m, n)
static const struct print_col virt_disk_cols[] = {
	VD(U64, capacity, "vdsk_capacity"),
	VD(U64, allocation, "vdsk_allocation"),
	VD(U64, available, "vdsk_available"),
	VD(U32, rd_req, "vdsk_rd_req"),
	VD(U64, rd_bytes, "vdsk_rd_bytes"),
	VD(U32, wr_req, "vdsk_wr_req"),
	VD(U64, wr_bytes, "vdsk_wr_bytes"),
	VD(U32, errs, "vdsk_errs"),
};

/* jvm_statistics: the last two columns exist in the 108-byte form only */
#define JS(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_jvm_stats, m, n)
const struct print_col counters_jvm_stats_cols[] = {
	JS(U64, heap_initial, "heap_mem_initial"),
	JS(U64, heap_used, "heap_mem_used"),
	JS(U64, heap_committed, "heap_mem_committed"),
	JS(U64, heap_max, "heap_mem_max"),
	JS(U64, non_heap_initial, "non_heap_mem_initial"),
	JS(U64, non_heap_used, "non_heap_mem_used"),
	JS(U64, non_heap_committed, "non_heap_mem_committed"),
	JS(U64, non_heap_max, "non_heap_mem_max"),
	JS(U32, gc_count, "gc_count"),
	JS(U32, gc_time_ms, "gc_mS"),
	JS(U32, classes_loaded, "classes_loaded"),
	JS(U32, classes_total, "classes_total"),
	JS(U32, classes_unloaded, "classes_unloaded"),
	JS(U32, compilation_time_ms, "compilation_mS"),
	JS(U32, thread_num_live, "threads_live"),
	JS(U32, thread_num_daemon, "threads_daemon"),
	JS(U32, thread_num_started, "threads_started"),
	JS(U32, fd_open_count, "fds_open"),
	JS(U32, fd_max_count, "fds_max"),
};
const size_t counters_jvm_stats_short = 17;
const size_t counters_jvm_stats_long = 19;

#define MO(ty, m) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_memcache_old, m, "memcache_" #m)
static const struct print_col memcache_old_cols[] = {
	MO(U32, uptime), MO(U32, rusage_user), MO(U32, rusage_system),
	MO(U32, curr_connections), MO(U32, total_connections), MO(U32, connection_structures),
	MO(U32, cmd_get), MO(U32, cmd_set), MO(U32, cmd_flush), MO(U32, get_hits),
	MO(U32, get_misses), MO(U32, delete_misses), MO(U32, delete_hits), MO(U32, incr_misses),
	MO(U32, incr_hits), MO(U32, decr_misses), MO(U32, decr_hits), MO(U32, cas_misses),
	MO(U32, cas_hits), MO(U32, cas_badval), MO(U32, auth_cmds), MO(U32, auth_errors),
	MO(U64, bytes_read), MO(U64, bytes_written), MO(U32, limit_maxbytes),
	MO(U32, accepting_conns), MO(U32, listen_disabled_num), MO(U32, threads),
	MO(U32, conn_yields), MO(U64, bytes), MO(U32, curr_items), MO(U32, total_items),
	MO(U32, evictions),
};

#define MC(ty, m) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_memcache, m, "memcache_" #m)
static const struct print_col memcache_cols[] = {
	MC(U32, cmd_set), MC(U32, cmd_touch), MC(U32, cmd_flush), MC(U32, get_hits),
	MC(U32, get_misses), MC(U32, delete_hits), MC(U32, delete_misses), MC(U32, incr_hits),
	MC(U32, incr_misses), MC(U32, decr_hits), MC(U32, decr_misses), MC(U32, cas_hits),
	MC(U32, cas_misses), MC(U32, cas_badval), MC(U32, auth_cmds), MC(U32, auth_errors),
	MC(U32, threads), MC(U32, conn_yields), MC(U32, listen_disabled_num),
	MC(U32, curr_connections), MC(U32, rejected_connections), MC(U32, total_connections),
	MC(U32, connection_structures), MC(U32, evictions), MC(U32, reclaimed),
	MC(U32, curr_items), MC(U32, total_items), MC(U64, bytes_read), MC(U64, bytes_written),
	MC(U64, bytes), MC(U64, limit_maxbytes),
};

#define HT(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_http, m, n)
static const struct print_col http_cols[] = {
	HT(method_option, "http_method_option_count"),
	HT(method_get, "http_method_get_count"),
	HT(method_head, "http_method_head_count"),
	HT(method_post, "http_method_post_count"),
	HT(method_put, "http_method_put_count"),
	HT(method_delete, "http_method_delete_count"),
	HT(method_trace, "http_method_trace_count"),
	HT(method_connect, "http_methd_connect_count"), /* sic: sflowtool's spelling */
	HT(method_other, "http_method_other_count"),
	HT(status_1xx, "http_status_1XX_count"),
	HT(status_2xx, "http_status_2XX_count"),
	HT(status_3xx, "http_status_3XX_count"),
	HT(status_4xx, "http_status_4XX_count"),
	HT(status_5xx, "http_status_5XX_count"),
	HT(status_other, "http_status_other_count"),
};

/* app_operations after its application name */
#define AP(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_app, m, n)
const struct print_col counters_app_cols[] = {
	AP(status_ok, "status_OK"),
	AP(errors_other, "errors_OTHER"),
	AP(errors_timeout, "errors_TIMEOUT"),
	AP(errors_internal_error, "errors_INTERNAL_ERROR"),
	AP(errors_bad_request, "errors_BAD_REQUEST"),
	AP(errors_forbidden, "errors_FORBIDDEN"),
	AP(errors_too_large, "errors_TOO_LARGE"),
	AP(errors_not_implemented, "errors_NOT_IMPLEMENTED"),
	AP(errors_not_found, "errors_NOT_FOUND"),
	AP(errors_unavailable, "errors_UNAVAILABLE"),
	AP(errors_unauthorized, "errors_UNAUTHORIZED"),
};
const size_t counters_app_ncols = sizeof(counters_app_cols) / sizeof(counters_app_cols[0]);

#define AR(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_app_resources, m, n)
static const struct print_col app_resources_cols[] = {
	AR(U32, user_time_ms, "user_time"),
	AR(U32, system_time_ms, "system_time"),
	AR(U64, mem_used, "memory_used"),
	AR(U64, mem_max, "memory_max"),
	AR(U32, fd_open, "files_open"),
	AR(U32, fd_max, "files_max"),
	AR(U32, conn_open, "connections_open"),
	AR(U32, conn_max, "connections_max"),
};

#define VDI(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_vdi, m, "vdi_" n)
static const struct print_col vdi_cols[] = {
	VDI(sessions_current, "sessions_current"),
	VDI(sessions_total, "sessions_total"),
	VDI(sessions_duration_s, "sessions_duration"),
	VDI(rx_bytes, "rx_bytes"),
	VDI(tx_bytes, "tx_bytes"),
	VDI(rx_packets, "rx_packets"),
	VDI(tx_packets, "tx_packets"),
	VDI(rx_packets_lost, "rx_packets_lost"),
	VDI(tx_packets_lost, "tx_packets_lost"),
	VDI(rtt_min_ms, "rtt_min_ms"),
	VDI(rtt_max_ms, "rtt_max_ms"),
	VDI(rtt_avg_ms, "rtt_avg_ms"),
	VDI(audio_rx_bytes, "audio_rx_bytes"),
	VDI(audio_tx_bytes, "audio_tx_bytes"),
	VDI(audio_tx_limit_bps, "audio_tx_limit"),
	VDI(img_rx_bytes, "img_rx_bytes"),
	VDI(img_tx_bytes, "img_tx_bytes"),
	VDI(img_frames, "img_frames"),
	VDI(img_qual_min, "img_qual_min"),
	VDI(img_qual_max, "img_qual_max"),
	VDI(img_qual_avg, "img_qual_avg"),
	VDI(usb_rx_bytes, "usb_rx_bytes"),
	VDI(usb_tx_bytes, "usb_tx_bytes"),
};

#define AW(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_app_workers, m, n)
static const struct print_col app_workers_cols[] = {
	AW(workers_active, "workers_active"),
	AW(workers_idle, "workers_idle"),
	AW(workers_max, "workers_max"),
	AW(req_delayed, "requests_delayed"),
	AW(req_dropped, "requests_dropped"),
};

#define OVS(m, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_ovs_dp, m, "OVS_dp_" n)
static const struct print_col ovs_dp_cols[] = {
	OVS(n_hit, "hits"),
	OVS(n_missed, "misses"),
	OVS(n_lost, "lost"),
	OVS(n_mask_hit, "mask_hits"),
	OVS(n_flows, "flows"),
	OVS(n_masks, "masks"),
};

#define GPU(ty, m, n) PRINT_COL(PRINT_COL_##ty, struct sfl_ctr_nvml_gpu, m, "nvml_" n)
static const struct print_col nvml_gpu_cols[] = {
	GPU(U32, device_count, "device_count"),
	GPU(U32, processes, "processes"),
	GPU(U32, gpu_time_ms, "gpu_mS"),
	GPU(U32, mem_time_ms, "mem_mS"),
	GPU(U64, mem_total, "mem_bytes_total"),
	GPU(U64, mem_free, "mem_bytes_free"),
	GPU(U32, ecc_errors, "ecc_errors"),
	GPU(U32, energy_mj, "energy_mJ"),
	GPU(U32, temperature_c, "temperature_C"),
	GPU(U32, fan_speed_pct, "fan_speed_pc"),
};

#define BCM(i, n) PRINT_COL(PRINT_COL_U32, struct sfl_ctr_bcm_tables, v[i], "bcm_" n)
static const struct print_col bcm_tables_cols[] = {
	BCM(0, "asic_host_entries"), BCM(1, "host_entries_max"),
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

static const struct counters_cols counters_cols_table[] = {
	COLS_OF(SFL_CTR_GENERIC, generic_cols),
	COLS_OF(SFL_CTR_ETHERNET, ethernet_cols),
	COLS_OF(SFL_CTR_TOKENRING, tokenring_cols),
	COLS_OF(SFL_CTR_VG, vg_cols),
	COLS_OF(SFL_CTR_VLAN, vlan_cols),
	COLS_OF(SFL_CTR_80211, wifi_cols),
	COLS_OF(SFL_CTR_PFC, pfc_cols),
	COLS_OF(SFL_CTR_PROCESSOR, processor_cols),
	COLS_OF(SFL_CTR_RADIO, radio_cols),
	COLS_OF(SFL_CTR_HOST_PARENT, host_parent_cols),
	COLS_OF(SFL_CTR_HOST_MEM, host_mem_cols),
	COLS_OF(SFL_CTR_HOST_DISK, host_disk_cols),
	COLS_OF(SFL_CTR_HOST_NIO, host_nio_cols),
	COLS_OF(SFL_CTR_HOST_IP, host_ip_cols),
	COLS_OF(SFL_CTR_HOST_ICMP, host_icmp_cols),
	COLS_OF(SFL_CTR_HOST_TCP, host_tcp_cols),
	COLS_OF(SFL_CTR_HOST_UDP, host_udp_cols),
	COLS_OF(SFL_CTR_VIRT_NODE, virt_node_cols),
	COLS_OF(SFL_CTR_VIRT_CPU, virt_cpu_cols),
	COLS_OF(SFL_CTR_VIRT_MEM, virt_mem_cols),
	COLS_OF(SFL_CTR_VIRT_DISK, virt_disk_cols),
	COLS_OF(SFL_CTR_VIRT_NIO, virt_nio_cols),
	COLS_OF(SFL_CTR_MEMCACHE_OLD, memcache_old_cols),
	COLS_OF(SFL_CTR_HTTP, http_cols),
	COLS_OF(SFL_CTR_APP_RESOURCES, app_resources_cols),
	COLS_OF(SFL_CTR_MEMCACHE, memcache_cols),
	COLS_OF(SFL_CTR_VDI, vdi_cols),
	COLS_OF(SFL_CTR_APP_WORKERS, app_workers_cols),
	COLS_OF(SFL_CTR_OVS_DP, ovs_dp_cols),
	COLS_OF(SFL_CTR_NVML_GPU, nvml_gpu_cols),
	COLS_OF(SFL_CTR_BCM_TABLES, bcm_tables_cols),
};
static const size_t counters_cols_count = sizeof(counters_cols_table) / sizeof(counters_cols_table[0]);

const struct counters_cols *counters_cols_find(uint32_t tag)
{
	for (size_t i = 0; i < counters_cols_count; i++)
		if (counters_cols_table[i].tag == tag)
			return &counters_cols_table[i];
	return NULL;
}
