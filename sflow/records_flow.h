/*
 * sflow/records_flow.h: typed layouts of the sFlow v5 flow records
 * (flow_data: sampled headers, extended router/switch/gateway data, tunnels,
 * drops, sockets, application transactions, tcp_info). Fields are in wire
 * order with the names of shared/reference/wire.md §1.4. Included by
 * records.h, which defines the shared types (sfl_str, sfl_address ...) and
 * the zero-copy rules; include that, not this.
 */
#ifndef SFL_RECORDS_FLOW_H
#define SFL_RECORDS_FLOW_H

#include <stdint.h>

#include "sflow/records_types.h"

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

#endif
