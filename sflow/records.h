/*
 * sflow/records.h: typed layouts of every sFlow v5 flow and counter record.
 *
 * One struct per record format, fields in wire order with the wire names of
 * shared/reference/wire.md §1.4/§1.5. The same struct is what the decoder
 * fills and what the encoder writes, so a record round-trips through one
 * type. Strings, opaque bytes and arrays are zero-copy: after decoding they
 * point into the datagram and are valid only as long as its buffer; when
 * encoding they point into caller memory. Nothing here allocates.
 *
 * Most records are described to the codec by a field table (records.c);
 * the few with nested variable lists (AS path, adapters, SFP lanes) keep
 * the list as an sfl_list that is walked with its own iterator.
 */
#ifndef SFL_RECORDS_H
#define SFL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/sflow.h"

/* XDR string or opaque: `len` bytes at `ptr`, not NUL-terminated. */
struct sfl_str {
	const char *ptr;
	uint32_t len;
};

struct sfl_bytes {
	const uint8_t *ptr;
	uint32_t len;
};

/* XDR address union; `type` is enum sfl_address_type. */
struct sfl_address {
	uint32_t type;
	uint8_t addr[16]; /* 4 bytes used for IPv4, none for UNKNOWN */
};

/*
 * An array of 32-bit words. A decoded array points at its big-endian words
 * in the datagram (`xdr`); an array built for encoding may instead point at
 * host-order words (`host`). Read elements with sfl_u32_array_get().
 */
struct sfl_u32_array {
	const uint8_t *xdr;
	const uint32_t *host;
	uint32_t count;
};

/*
 * A list of structured elements (AS-path segments, adapters, SFP lanes).
 * Decoded: `xdr` is the first element in the datagram, already validated.
 * For encoding: `host` is an array of the element struct. Walk either form
 * with the element's *_next() iterator.
 */
struct sfl_list {
	const uint8_t *xdr;
	size_t xdr_len; /* bytes of all elements, decoded form only */
	const void *host;
	uint32_t count;
};

struct sfl_list_iter {
	const struct sfl_list *list;
	uint32_t index;
	size_t offset; /* into list->xdr */
};

/* ---- flow records ---- */

struct sfl_flow_header { /* 0:1 sampled_header */
	uint32_t protocol;      /* enum sfl_header_protocol */
	uint32_t frame_bytes;   /* original frame length incl. FCS */
	uint32_t stripped;      /* bytes removed (FCS, encapsulation) */
	struct sfl_bytes header; /* the sampled bytes */
};

struct sfl_flow_ethernet { /* 0:2, also 1021/1022 tunnel forms */
	uint32_t frame_bytes;
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t eth_type;
};

struct sfl_flow_ipv4 { /* 0:3, also 1023/1024 tunnel forms */
	uint32_t length;
	uint32_t protocol;
	uint8_t src_ip[4];
	uint8_t dst_ip[4];
	uint32_t src_port;
	uint32_t dst_port;
	uint32_t tcp_flags;
	uint32_t tos;
};

struct sfl_flow_ipv6 { /* 0:4, also 1025/1026 tunnel forms */
	uint32_t length;
	uint32_t protocol;
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	uint32_t src_port;
	uint32_t dst_port;
	uint32_t tcp_flags;
	uint32_t priority;
};

struct sfl_ex_switch { /* 0:1001 */
	uint32_t src_vlan;
	uint32_t src_priority;
	uint32_t dst_vlan;
	uint32_t dst_priority;
};

struct sfl_ex_router { /* 0:1002 */
	struct sfl_address nexthop;
	uint32_t src_mask_len;
	uint32_t dst_mask_len;
};

enum sfl_as_path_type { SFL_AS_SET = 1, SFL_AS_SEQUENCE = 2 };

struct sfl_as_path_segment { /* element of sfl_ex_gateway.as_path */
	uint32_t type;            /* enum sfl_as_path_type */
	struct sfl_u32_array asns;
};

struct sfl_ex_gateway { /* 0:1003 */
	struct sfl_address nexthop;
	uint32_t as;
	uint32_t src_as;
	uint32_t src_peer_as;
	struct sfl_list as_path; /* of struct sfl_as_path_segment */
	struct sfl_u32_array communities;
	uint32_t local_pref;
};

struct sfl_ex_user { /* 0:1004 */
	uint32_t src_charset;
	struct sfl_str src_user;
	uint32_t dst_charset;
	struct sfl_str dst_user;
};

struct sfl_ex_url { /* 0:1005 (deprecated) */
	uint32_t direction; /* 1 src, 2 dst */
	struct sfl_str url;
	struct sfl_str host;
};

struct sfl_ex_mpls { /* 0:1006 */
	struct sfl_address nexthop;
	struct sfl_u32_array in_stack;
	struct sfl_u32_array out_stack;
};

struct sfl_ex_nat { /* 0:1007 */
	struct sfl_address src;
	struct sfl_address dst;
};

struct sfl_ex_mpls_tunnel { /* 0:1008 */
	struct sfl_str name;
	uint32_t id;
	uint32_t cos;
};

struct sfl_ex_mpls_vc { /* 0:1009 */
	struct sfl_str name;
	uint32_t id;
	uint32_t cos;
};

struct sfl_ex_mpls_ftn { /* 0:1010 */
	struct sfl_str descr;
	uint32_t mask;
};

struct sfl_ex_mpls_ldp_fec { /* 0:1011 */
	uint32_t prefix_len;
};

struct sfl_ex_vlan_tunnel { /* 0:1012 */
	struct sfl_u32_array stack; /* TPID << 16 | TCI, outermost first */
};

struct sfl_ex_80211_payload { /* 0:1013 */
	uint32_t cipher_suite;
	struct sfl_flow_header header;
};

struct sfl_ex_80211_rx { /* 0:1014 */
	struct sfl_str ssid;
	uint8_t bssid[6];
	uint32_t version;
	uint32_t channel;
	uint64_t speed;
	uint32_t rsni;
	uint32_t rcpi;
	uint32_t packet_duration_us;
};

struct sfl_ex_80211_tx { /* 0:1015 */
	struct sfl_str ssid;
	uint8_t bssid[6];
	uint32_t version;
	uint32_t transmissions;
	uint32_t packet_duration_us;
	uint32_t retrans_duration_us;
	uint32_t channel;
	uint64_t speed;
	uint32_t power_mw;
};

struct sfl_ex_nat_port { /* 0:1020 */
	uint32_t src_port;
	uint32_t dst_port;
};

struct sfl_ex_decap { /* 0:1027 / 0:1028 */
	uint32_t inner_header_offset;
};

struct sfl_ex_vni { /* 0:1029 / 0:1030 */
	uint32_t vni;
};

struct sfl_ex_egress_queue { /* 0:1036 */
	uint32_t queue;
};

struct sfl_ex_function { /* 0:1038 */
	struct sfl_str symbol;
};

struct sfl_ex_transit_delay { /* 0:1039 */
	uint32_t delay_ns;
};

struct sfl_ex_queue_depth { /* 0:1040 */
	uint32_t depth_bytes;
};

struct sfl_ex_hw_trap { /* 0:1041 */
	struct sfl_str group;
	struct sfl_str trap;
};

struct sfl_ex_linux_reason { /* 0:1042 */
	struct sfl_str reason;
};

struct sfl_ex_timestamp { /* 0:1043 */
	uint64_t ts_ns; /* since the Unix epoch */
};

struct sfl_ex_socket4 { /* 0:2100, 0:2102 proxy */
	uint32_t protocol;
	uint8_t local_ip[4];
	uint8_t remote_ip[4];
	uint32_t local_port;
	uint32_t remote_port;
};

struct sfl_ex_socket6 { /* 0:2101, 0:2103 proxy */
	uint32_t protocol;
	uint8_t local_ip[16];
	uint8_t remote_ip[16];
	uint32_t local_port;
	uint32_t remote_port;
};

struct sfl_flow_memcache { /* 0:2200 memcache_operation */
	uint32_t protocol; /* 0 other, 1 ascii, 2 binary */
	uint32_t cmd;
	struct sfl_str key;
	uint32_t nkeys;
	uint32_t value_bytes;
	uint32_t duration_us;
	uint32_t status;
};

struct sfl_flow_http_old { /* 0:2201, the superseded http_request */
	uint32_t method;
	uint32_t protocol;
	struct sfl_str uri;
	struct sfl_str host;
	struct sfl_str referer;
	struct sfl_str useragent;
	struct sfl_str authuser;
	struct sfl_str mime_type;
	uint64_t resp_bytes;
	uint32_t duration_us;
	uint32_t status;
};

struct sfl_flow_app { /* 0:2202 app_operation */
	struct sfl_str application;
	struct sfl_str operation;
	struct sfl_str attributes;
	struct sfl_str status_descr;
	uint64_t req_bytes;
	uint64_t resp_bytes;
	uint32_t duration_us;
	uint32_t status; /* 0 SUCCESS .. 10 UNAUTHORIZED */
};

struct sfl_flow_app_ctxt { /* 0:2203 app_parent_context */
	struct sfl_str application;
	struct sfl_str operation;
	struct sfl_str attributes;
};

struct sfl_flow_app_actor { /* 0:2204 initiator, 0:2205 target */
	struct sfl_str actor;
};

struct sfl_flow_http { /* 0:2206 http_request */
	uint32_t method; /* 0 OTHER, 1 OPTIONS, 2 GET ... 8 CONNECT */
	uint32_t protocol; /* major * 1000 + minor */
	struct sfl_str uri;
	struct sfl_str host;
	struct sfl_str referer;
	struct sfl_str useragent;
	struct sfl_str xff;
	struct sfl_str authuser;
	struct sfl_str mime_type;
	uint64_t req_bytes;
	uint64_t resp_bytes;
	uint32_t duration_us;
	int32_t status;
};

struct sfl_ex_proxy_request { /* 0:2207 */
	struct sfl_str uri;
	struct sfl_str host;
};

struct sfl_ex_tcp_info { /* 0:2209 */
	uint32_t dir; /* 0 unknown, 1 received, 2 sent */
	uint32_t snd_mss;
	uint32_t rcv_mss;
	uint32_t unacked;
	uint32_t lost;
	uint32_t retrans;
	uint32_t pmtu;
	uint32_t rtt_us;
	uint32_t rttvar_us;
	uint32_t snd_cwnd;
	uint32_t reordering;
	uint32_t min_rtt_us;
};

struct sfl_ex_entities { /* 0:2210 */
	uint32_t src_ds_class;
	uint32_t src_ds_index;
	uint32_t dst_ds_class;
	uint32_t dst_ds_index;
};

/* ---- counter records ---- */

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

/*
 * A decoded (or to-be-encoded) record: its tag, its raw body, and, when
 * the format is known, the typed value. Unknown formats keep known = false
 * and are handed to the caller as (tag, body) so nothing is lost.
 */
union sfl_record_value {
	struct sfl_flow_header header;
	struct sfl_flow_ethernet ethernet;
	struct sfl_flow_ipv4 ipv4;
	struct sfl_flow_ipv6 ipv6;
	struct sfl_ex_switch ex_switch;
	struct sfl_ex_router router;
	struct sfl_ex_gateway gateway;
	struct sfl_ex_user user;
	struct sfl_ex_url url;
	struct sfl_ex_mpls mpls;
	struct sfl_ex_nat nat;
	struct sfl_ex_mpls_tunnel mpls_tunnel;
	struct sfl_ex_mpls_vc mpls_vc;
	struct sfl_ex_mpls_ftn mpls_ftn;
	struct sfl_ex_mpls_ldp_fec mpls_ldp_fec;
	struct sfl_ex_vlan_tunnel vlan_tunnel;
	struct sfl_ex_80211_payload wifi_payload;
	struct sfl_ex_80211_rx wifi_rx;
	struct sfl_ex_80211_tx wifi_tx;
	struct sfl_ex_nat_port nat_port;
	struct sfl_ex_decap decap;
	struct sfl_ex_vni vni;
	struct sfl_ex_egress_queue egress_queue;
	struct sfl_ex_function function;
	struct sfl_ex_transit_delay transit_delay;
	struct sfl_ex_queue_depth queue_depth;
	struct sfl_ex_hw_trap hw_trap;
	struct sfl_ex_linux_reason linux_reason;
	struct sfl_ex_timestamp timestamp;
	struct sfl_ex_socket4 socket4;
	struct sfl_ex_socket6 socket6;
	struct sfl_flow_memcache memcache_op;
	struct sfl_flow_http_old http_old;
	struct sfl_flow_app app_op;
	struct sfl_flow_app_ctxt app_ctxt;
	struct sfl_flow_app_actor app_actor;
	struct sfl_flow_http http;
	struct sfl_ex_proxy_request proxy_request;
	struct sfl_ex_tcp_info tcp_info;
	struct sfl_ex_entities entities;

	struct sfl_ctr_generic generic;
	struct sfl_ctr_ethernet eth;
	struct sfl_ctr_tokenring tokenring;
	struct sfl_ctr_vg vg;
	struct sfl_ctr_vlan vlan;
	struct sfl_ctr_80211 wifi;
	struct sfl_ctr_lacp lacp;
	struct sfl_ctr_sfp sfp;
	struct sfl_ctr_pfc pfc;
	struct sfl_ctr_processor processor;
	struct sfl_ctr_radio radio;
	struct sfl_ctr_ofport ofport;
	struct sfl_ctr_portname portname;
	struct sfl_ctr_host_descr host_descr;
	struct sfl_ctr_host_adapters host_adapters;
	struct sfl_ctr_host_parent host_parent;
	struct sfl_ctr_host_cpu host_cpu;
	struct sfl_ctr_host_mem host_mem;
	struct sfl_ctr_host_disk host_disk;
	struct sfl_ctr_host_nio host_nio;
	struct sfl_ctr_host_ip host_ip;
	struct sfl_ctr_host_icmp host_icmp;
	struct sfl_ctr_host_tcp host_tcp;
	struct sfl_ctr_host_udp host_udp;
	struct sfl_ctr_virt_node virt_node;
	struct sfl_ctr_virt_cpu virt_cpu;
	struct sfl_ctr_virt_mem virt_mem;
	struct sfl_ctr_virt_disk virt_disk;
	struct sfl_ctr_jvm_runtime jvm_runtime;
	struct sfl_ctr_jvm_stats jvm_stats;
	struct sfl_ctr_memcache_old memcache_old;
	struct sfl_ctr_http http_ctr;
	struct sfl_ctr_app app;
	struct sfl_ctr_app_resources app_resources;
	struct sfl_ctr_memcache memcache;
	struct sfl_ctr_vdi vdi;
	struct sfl_ctr_app_workers app_workers;
	struct sfl_ctr_ovs_dp ovs_dp;
	struct sfl_ctr_nvml_gpu nvml_gpu;
	struct sfl_ctr_bcm_tables bcm_tables;
};

enum sfl_record_kind { SFL_KIND_FLOW, SFL_KIND_COUNTERS };

struct sfl_record {
	uint32_t tag;            /* (enterprise << 12) | format */
	enum sfl_record_kind kind;
	bool known;              /* `v` holds the typed value */
	const uint8_t *body;     /* raw body in the datagram (decoded only) */
	uint32_t len;            /* body bytes */
	union sfl_record_value v;
};

/* Element `i` (< count) of a u32 array, in host order. */
static inline uint32_t sfl_u32_array_get(const struct sfl_u32_array *a, uint32_t i)
{
	if (a->host)
		return a->host[i];
	const uint8_t *p = a->xdr + 4 * (size_t)i;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Iterators over sfl_list elements; return false after the last one. */
void sfl_list_iter_init(struct sfl_list_iter *it, const struct sfl_list *list);
bool sfl_as_path_next(struct sfl_list_iter *it, struct sfl_as_path_segment *seg);
bool sfl_adapter_next(struct sfl_list_iter *it, struct sfl_adapter *ad);
bool sfl_sfp_lane_next(struct sfl_list_iter *it, struct sfl_sfp_lane *lane);

/* MAC `i` of an adapter (6 bytes), in either form. */
const uint8_t *sfl_adapter_mac(const struct sfl_adapter *ad, uint32_t i);

/*
 * Write the body of the typed record `rec` (no tag, no length word) like
 * sfl_record_encode_body() (encode.h), and more: strings and opaque bytes
 * that still point into rec->body[0..rec->len) keep the padding bytes they
 * had on the wire, which some senders (hsflowd) do not zero, so a decoded
 * record re-encodes byte for byte. Returns 0, or -1 for an unknown format
 * or a value that cannot be encoded; running out of room sets w->full.
 */
struct sfl_writer;
int sfl_record_encode(struct sfl_writer *w, const struct sfl_record *rec);

/*
 * Whether the codec knows `tag` for records of `kind`, and the record's
 * name as in the sFlow specifications ("extended_switch"), or NULL.
 */
bool sfl_record_known(enum sfl_record_kind kind, uint32_t tag);
const char *sfl_record_name(enum sfl_record_kind kind, uint32_t tag);

#endif
