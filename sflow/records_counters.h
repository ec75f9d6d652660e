/*
 * sflow/records_counters.h: typed layouts of the sFlow v5 counter records
 * (counter_data: interfaces, host, virtual, application, JVM, memcache,
 * optics, GPU, ASIC tables). Fields are in wire order with the names of
 * shared/reference/wire.md §1.5. Included by records.h; include that.
 */
#ifndef SFL_RECORDS_COUNTERS_H
#define SFL_RECORDS_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "sflow/records_types.h"

struct sfl_ctr_generic { /* 0:1 if_counters */
	uint32_t ifindex;
	uint32_t iftype;
	uint64_t ifspeed;
	uint32_t ifdirection; /* 0 unknown, 1 full, 2 half, 3 in, 4 out */
	uint32_t ifstatus;    /* bit 0 admin up, bit 1 oper up */
	uint64_t in_octets;
	uint32_t in_ucast_pkts;
	uint32_t in_multicast_pkts;
	uint32_t in_broadcast_pkts;
	uint32_t in_discards;
	uint32_t in_errors;
	uint32_t in_unknown_protos;
	uint64_t out_octets;
	uint32_t out_ucast_pkts;
	uint32_t out_multicast_pkts;
	uint32_t out_broadcast_pkts;
	uint32_t out_discards;
	uint32_t out_errors;
	uint32_t promiscuous_mode;
};

struct sfl_ctr_ethernet { /* 0:2 dot3Stats */
	uint32_t alignment_errors;
	uint32_t fcs_errors;
	uint32_t single_collision_frames;
	uint32_t multiple_collision_frames;
	uint32_t sqe_test_errors;
	uint32_t deferred_transmissions;
	uint32_t late_collisions;
	uint32_t excessive_collisions;
	uint32_t internal_mac_transmit_errors;
	uint32_t carrier_sense_errors;
	uint32_t frame_too_longs;
	uint32_t internal_mac_receive_errors;
	uint32_t symbol_errors;
};

struct sfl_ctr_tokenring { /* 0:3 dot5Stats */
	uint32_t line_errors;
	uint32_t burst_errors;
	uint32_t ac_errors;
	uint32_t abort_trans_errors;
	uint32_t internal_errors;
	uint32_t lost_frame_errors;
	uint32_t receive_congestions;
	uint32_t frame_copied_errors;
	uint32_t token_errors;
	uint32_t soft_errors;
	uint32_t hard_errors;
	uint32_t signal_loss;
	uint32_t transmit_beacons;
	uint32_t recoverys;
	uint32_t lobe_wires;
	uint32_t removes;
	uint32_t singles;
	uint32_t freq_errors;
};

struct sfl_ctr_vg { /* 0:4 dot12 (100BaseVG) */
	uint32_t in_high_priority_frames;
	uint64_t in_high_priority_octets;
	uint32_t in_norm_priority_frames;
	uint64_t in_norm_priority_octets;
	uint32_t in_ipm_errors;
	uint32_t in_oversize_frame_errors;
	uint32_t in_data_errors;
	uint32_t in_null_addressed_frames;
	uint32_t out_high_priority_frames;
	uint64_t out_high_priority_octets;
	uint32_t transition_into_trainings;
	uint64_t hc_in_high_priority_octets;
	uint64_t hc_in_norm_priority_octets;
	uint64_t hc_out_high_priority_octets;
};

struct sfl_ctr_vlan { /* 0:5 */
	uint32_t vlan_id;
	uint64_t octets;
	uint32_t ucast_pkts;
	uint32_t multicast_pkts;
	uint32_t broadcast_pkts;
	uint32_t discards;
};

struct sfl_ctr_80211 { /* 0:6 dot11 counters */
	uint32_t transmitted_fragment_count;
	uint32_t multicast_transmitted_frame_count;
	uint32_t failed_count;
	uint32_t retry_count;
	uint32_t multiple_retry_count;
	uint32_t frame_duplicate_count;
	uint32_t rts_success_count;
	uint32_t rts_failure_count;
	uint32_t ack_failure_count;
	uint32_t received_fragment_count;
	uint32_t multicast_received_frame_count;
	uint32_t fcs_error_count;
	uint32_t transmitted_frame_count;
	uint32_t wep_undecryptable_count;
	uint32_t qos_discarded_fragment_count;
	uint32_t associated_station_count;
	uint32_t qos_cf_polls_received_count;
	uint32_t qos_cf_polls_unused_count;
	uint32_t qos_cf_polls_unusable_count;
	uint32_t qos_cf_polls_lost_count;
};

struct sfl_ctr_lacp { /* 0:7 */
	uint8_t actor_system_id[6];
	uint8_t partner_system_id[6];
	uint32_t attached_agg_id;
	uint32_t port_state; /* actorAdmin, actorOper, partnerAdmin, partnerOper bytes */
	uint32_t lacpdus_rx;
	uint32_t marker_pdus_rx;
	uint32_t marker_response_pdus_rx;
	uint32_t unknown_rx;
	uint32_t illegal_rx;
	uint32_t lacpdus_tx;
	uint32_t marker_pdus_tx;
	uint32_t marker_response_pdus_tx;
};

struct sfl_sfp_lane { /* element of sfl_ctr_sfp.lanes */
	uint32_t index; /* from 1 */
	uint32_t tx_bias_current_ua;
	uint32_t tx_power_uw;
	uint32_t tx_power_min_uw;
	uint32_t tx_power_max_uw;
	uint32_t tx_wavelength_nm;
	uint32_t rx_power_uw;
	uint32_t rx_power_min_uw;
	uint32_t rx_power_max_uw;
	uint32_t rx_wavelength_nm;
};

struct sfl_ctr_sfp { /* 0:10 */
	uint32_t module_id;
	uint32_t module_total_lanes;
	uint32_t module_supply_voltage_mv;
	int32_t module_temperature_mc; /* thousandths of a degree C */
	struct sfl_list lanes;         /* of struct sfl_sfp_lane */
};

struct sfl_ctr_pfc { /* 0:11 */
	uint32_t requests;
	uint32_t indications;
	uint32_t pause_duration_us;
	uint32_t storm_detected;
	uint32_t storm_restored;
};

struct sfl_ctr_processor { /* 0:1001 */
	int32_t cpu_5s;  /* hundredths of a percent, -1 unknown */
	int32_t cpu_1m;
	int32_t cpu_5m;
	uint64_t total_memory;
	uint64_t free_memory;
};

struct sfl_ctr_radio { /* 0:1002 */
	uint32_t elapsed_time_ms;
	uint32_t on_channel_time_ms;
	uint32_t on_channel_busy_time_ms;
};

struct sfl_ctr_ofport { /* 0:1004 */
	uint64_t datapath_id;
	uint32_t port_no;
};

struct sfl_ctr_portname { /* 0:1005 */
	struct sfl_str name;
};

struct sfl_ctr_host_descr { /* 0:2000 */
	struct sfl_str hostname;
	uint8_t uuid[16]; /* raw, no length word on the wire */
	uint32_t machine_type; /* 3 x86_64, 10 arm ... */
	uint32_t os_name;      /* 2 linux ... */
	struct sfl_str os_release;
};

struct sfl_adapter { /* element of sfl_ctr_host_adapters.adapters */
	uint32_t ifindex;
	uint32_t num_macs;
	const uint8_t *macs; /* num_macs MACs: 8-byte wire slots when decoded,
			      * packed 6 bytes apart when built for encoding */
	bool macs_xdr;       /* true when `macs` points at wire slots */
};

struct sfl_ctr_host_adapters { /* 0:2001 */
	struct sfl_list adapters; /* of struct sfl_adapter */
};

struct sfl_ctr_host_parent { /* 0:2002 */
	uint32_t container_type;
	uint32_t container_index;
};

struct sfl_ctr_host_cpu { /* 0:2003; 68 bytes before steal/guest, 80 after */
	float load_one;
	float load_five;
	float load_fifteen;
	uint32_t proc_run;
	uint32_t proc_total;
	uint32_t cpu_num;
	uint32_t cpu_speed_mhz;
	uint32_t uptime_s;
	uint32_t cpu_user_ms;
	uint32_t cpu_nice_ms;
	uint32_t cpu_system_ms;
	uint32_t cpu_idle_ms;
	uint32_t cpu_wio_ms;
	uint32_t cpu_intr_ms;
	uint32_t cpu_sintr_ms;
	uint32_t interrupts;
	uint32_t contexts;
	uint32_t cpu_steal_ms;
	uint32_t cpu_guest_ms;
	uint32_t cpu_guest_nice_ms;
	bool has_steal; /* decoded: the 80-byte form was present */
};

struct sfl_ctr_host_mem { /* 0:2004 */
	uint64_t mem_total;
	uint64_t mem_free;
	uint64_t mem_shared;
	uint64_t mem_buffers;
	uint64_t mem_cached;
	uint64_t swap_total;
	uint64_t swap_free;
	uint32_t page_in;
	uint32_t page_out;
	uint32_t swap_in;
	uint32_t swap_out;
};

struct sfl_ctr_host_disk { /* 0:2005 */
	uint64_t disk_total;
	uint64_t disk_free;
	int32_t part_max_used; /* hundredths of a percent, -1 unknown */
	uint32_t reads;
	uint64_t bytes_read;
	uint32_t read_time_ms;
	uint32_t writes;
	uint64_t bytes_written;
	uint32_t write_time_ms;
};

struct sfl_ctr_host_nio { /* 0:2006, and 0:2104 virt_net_io */
	uint64_t bytes_in;
	uint32_t pkts_in;
	uint32_t errs_in;
	uint32_t drops_in;
	uint64_t bytes_out;
	uint32_t pkts_out;
	uint32_t errs_out;
	uint32_t drops_out;
};

struct sfl_ctr_host_ip { /* 0:2007 mib2 ip group */
	uint32_t forwarding;
	uint32_t default_ttl;
	uint32_t in_receives;
	uint32_t in_hdr_errors;
	uint32_t in_addr_errors;
	uint32_t forw_datagrams;
	uint32_t in_unknown_protos;
	uint32_t in_discards;
	uint32_t in_delivers;
	uint32_t out_requests;
	uint32_t out_discards;
	uint32_t out_no_routes;
	uint32_t reasm_timeout;
	uint32_t reasm_reqds;
	uint32_t reasm_oks;
	uint32_t reasm_fails;
	uint32_t frag_oks;
	uint32_t frag_fails;
	uint32_t frag_creates;
};

struct sfl_ctr_host_icmp { /* 0:2008 mib2 icmp group */
	uint32_t in_msgs;
	uint32_t in_errors;
	uint32_t in_dest_unreachs;
	uint32_t in_time_excds;
	uint32_t in_parm_probs;
	uint32_t in_src_quenchs;
	uint32_t in_redirects;
	uint32_t in_echos;
	uint32_t in_echo_reps;
	uint32_t in_timestamps;
	uint32_t in_addr_masks;
	uint32_t in_addr_mask_reps;
	uint32_t out_msgs;
	uint32_t out_errors;
	uint32_t out_dest_unreachs;
	uint32_t out_time_excds;
	uint32_t out_parm_probs;
	uint32_t out_src_quenchs;
	uint32_t out_redirects;
	uint32_t out_echos;
	uint32_t out_echo_reps;
	uint32_t out_timestamps;
	uint32_t out_timestamp_reps;
	uint32_t out_addr_masks;
	uint32_t out_addr_mask_reps;
};

struct sfl_ctr_host_tcp { /* 0:2009 mib2 tcp group */
	uint32_t rto_algorithm;
	uint32_t rto_min;
	uint32_t rto_max;
	uint32_t max_conn;
	uint32_t active_opens;
	uint32_t passive_opens;
	uint32_t attempt_fails;
	uint32_t estab_resets;
	uint32_t curr_estab;
	uint32_t in_segs;
	uint32_t out_segs;
	uint32_t retrans_segs;
	uint32_t in_errs;
	uint32_t out_rsts;
	uint32_t in_csum_errs;
};

struct sfl_ctr_host_udp { /* 0:2010 mib2 udp group */
	uint32_t in_datagrams;
	uint32_t no_ports;
	uint32_t in_errors;
	uint32_t out_datagrams;
	uint32_t rcvbuf_errors;
	uint32_t sndbuf_errors;
	uint32_t in_csum_errors;
};

struct sfl_ctr_virt_node { /* 0:2100 */
	uint32_t mhz;
	uint32_t cpus;
	uint64_t memory;
	uint64_t memory_free;
	uint32_t num_domains;
};

struct sfl_ctr_virt_cpu { /* 0:2101 */
	uint32_t state;
	uint32_t cpu_time_ms;
	uint32_t nr_virt_cpu;
};

struct sfl_ctr_virt_mem { /* 0:2102 */
	uint64_t memory;
	uint64_t max_memory;
};

struct sfl_ctr_virt_disk { /* 0:2103 */
	uint64_t capacity;
	uint64_t allocation;
	uint64_t available;
	uint32_t rd_req;
	uint64_t rd_bytes;
	uint32_t wr_req;
	uint64_t wr_bytes;
	uint32_t errs;
};

struct sfl_ctr_jvm_runtime { /* 0:2105 */
	struct sfl_str vm_name;
	struct sfl_str vm_vendor;
	struct sfl_str vm_version;
};

struct sfl_ctr_jvm_stats { /* 0:2106; 100 bytes without the fd counts */
	uint64_t heap_initial;
	uint64_t heap_used;
	uint64_t heap_committed;
	uint64_t heap_max;
	uint64_t non_heap_initial;
	uint64_t non_heap_used;
	uint64_t non_heap_committed;
	uint64_t non_heap_max;
	uint32_t gc_count;
	uint32_t gc_time_ms;
	uint32_t classes_loaded;
	uint32_t classes_total;
	uint32_t classes_unloaded;
	uint32_t compilation_time_ms;
	uint32_t thread_num_live;
	uint32_t thread_num_daemon;
	uint32_t thread_num_started;
	uint32_t fd_open_count;
	uint32_t fd_max_count;
	bool has_fds; /* decoded: the 108-byte form was present */
};

struct sfl_ctr_memcache_old { /* 0:2200 (deprecated) */
	uint32_t uptime;
	uint32_t rusage_user;
	uint32_t rusage_system;
	uint32_t curr_connections;
	uint32_t total_connections;
	uint32_t connection_structures;
	uint32_t cmd_get;
	uint32_t cmd_set;
	uint32_t cmd_flush;
	uint32_t get_hits;
	uint32_t get_misses;
	uint32_t delete_misses;
	uint32_t delete_hits;
	uint32_t incr_misses;
	uint32_t incr_hits;
	uint32_t decr_misses;
	uint32_t decr_hits;
	uint32_t cas_misses;
	uint32_t cas_hits;
	uint32_t cas_badval;
	uint32_t auth_cmds;
	uint32_t auth_errors;
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint32_t limit_maxbytes;
	uint32_t accepting_conns;
	uint32_t listen_disabled_num;
	uint32_t threads;
	uint32_t conn_yields;
	uint64_t bytes;
	uint32_t curr_items;
	uint32_t total_items;
	uint32_t evictions;
};

struct sfl_ctr_http { /* 0:2201 */
	uint32_t method_option;
	uint32_t method_get;
	uint32_t method_head;
	uint32_t method_post;
	uint32_t method_put;
	uint32_t method_delete;
	uint32_t method_trace;
	uint32_t method_connect;
	uint32_t method_other;
	uint32_t status_1xx;
	uint32_t status_2xx;
	uint32_t status_3xx;
	uint32_t status_4xx;
	uint32_t status_5xx;
	uint32_t status_other;
};

struct sfl_ctr_app { /* 0:2202 app_operations */
	struct sfl_str application;
	uint32_t status_ok;
	uint32_t errors_other;
	uint32_t errors_timeout;
	uint32_t errors_internal_error;
	uint32_t errors_bad_request;
	uint32_t errors_forbidden;
	uint32_t errors_too_large;
	uint32_t errors_not_implemented;
	uint32_t errors_not_found;
	uint32_t errors_unavailable;
	uint32_t errors_unauthorized;
};

struct sfl_ctr_app_resources { /* 0:2203 */
	uint32_t user_time_ms;
	uint32_t system_time_ms;
	uint64_t mem_used;
	uint64_t mem_max;
	uint32_t fd_open;
	uint32_t fd_max;
	uint32_t conn_open;
	uint32_t conn_max;
};

struct sfl_ctr_memcache { /* 0:2204 */
	uint32_t cmd_set;
	uint32_t cmd_touch;
	uint32_t cmd_flush;
	uint32_t get_hits;
	uint32_t get_misses;
	uint32_t delete_hits;
	uint32_t delete_misses;
	uint32_t incr_hits;
	uint32_t incr_misses;
	uint32_t decr_hits;
	uint32_t decr_misses;
	uint32_t cas_hits;
	uint32_t cas_misses;
	uint32_t cas_badval;
	uint32_t auth_cmds;
	uint32_t auth_errors;
	uint32_t threads;
	uint32_t conn_yields;
	uint32_t listen_disabled_num;
	uint32_t curr_connections;
	uint32_t rejected_connections;
	uint32_t total_connections;
	uint32_t connection_structures;
	uint32_t evictions;
	uint32_t reclaimed;
	uint32_t curr_items;
	uint32_t total_items;
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint64_t bytes;
	uint64_t limit_maxbytes;
};

struct sfl_ctr_vdi { /* 0:2205 */
	uint32_t sessions_current;
	uint32_t sessions_total;
	uint32_t sessions_duration_s;
	uint32_t rx_bytes;
	uint32_t tx_bytes;
	uint32_t rx_packets;
	uint32_t tx_packets;
	uint32_t rx_packets_lost;
	uint32_t tx_packets_lost;
	uint32_t rtt_min_ms;
	uint32_t rtt_max_ms;
	uint32_t rtt_avg_ms;
	uint32_t audio_rx_bytes;
	uint32_t audio_tx_bytes;
	uint32_t audio_tx_limit_bps;
	uint32_t img_rx_bytes;
	uint32_t img_tx_bytes;
	uint32_t img_frames;
	uint32_t img_qual_min;
	uint32_t img_qual_max;
	uint32_t img_qual_avg;
	uint32_t usb_rx_bytes;
	uint32_t usb_tx_bytes;
};

struct sfl_ctr_app_workers { /* 0:2206 */
	uint32_t workers_active;
	uint32_t workers_idle;
	uint32_t workers_max;
	uint32_t req_delayed;
	uint32_t req_dropped;
};

struct sfl_ctr_ovs_dp { /* 0:2207 */
	uint32_t n_hit;
	uint32_t n_missed;
	uint32_t n_lost;
	uint32_t n_mask_hit;
	uint32_t n_flows;
	uint32_t n_masks;
};

struct sfl_ctr_nvml_gpu { /* 5703:1 */
	uint32_t device_count;
	uint32_t processes;
	uint32_t gpu_time_ms;
	uint32_t mem_time_ms;
	uint64_t mem_total;
	uint64_t mem_free;
	uint32_t ecc_errors;
	uint32_t energy_mj;
	uint32_t temperature_c;
	uint32_t fan_speed_pct;
};

struct sfl_ctr_bcm_tables { /* 4413:3: 36 words, current then max pairs */
	uint32_t v[36];
};

#endif
