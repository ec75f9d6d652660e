/*
 * sflow/records_flow.c: field tables of the flow record formats.
 *
 * One table per record struct of records.h, fields in wire order as in
 * sflow_version_5.txt and its extensions (see shared/reference/wire.md
 * §1.4; where the texts are vague, the order is the one sflowtool reads).
 * Tunnel forms (1021..1026) reuse the sampled_ethernet/ipv4/ipv6 tables.
 * String maxima are the <max> of the specifications; the encoder truncates
 * to them, the decoder accepts any length that fits in the record.
 * sfl_rec_flow_descs is indexed by SFL_REC_SLOT(tag) (records_codec.h).
 */
#include "sflow/records_codec.h"

#define RUN(st, first, last) SFL_RF_RUN(st, first, last)
#define U32(st, m) SFL_RF(SFL_RF_U32, st, m, 1)
#define U64(st, m) SFL_RF(SFL_RF_U64, st, m, 1)
#define IP4(st, m) SFL_RF(SFL_RF_IP4, st, m, 0)
#define IP6(st, m) SFL_RF(SFL_RF_IP6, st, m, 0)
#define MAC(st, m) SFL_RF(SFL_RF_MAC, st, m, 0)
#define ADDR(st, m) SFL_RF(SFL_RF_ADDRESS, st, m, 0)
#define STR(st, m, max) SFL_RF(SFL_RF_STR, st, m, max)
#define ANYSTR(st, m) SFL_RF(SFL_RF_STR, st, m, SFL_RF_NO_MAX)
#define BYTES(st, m) SFL_RF(SFL_RF_BYTES, st, m, 0)
#define U32S(st, m) SFL_RF(SFL_RF_U32_ARRAY, st, m, 0)

static const struct sfl_rec_field f_header[] = {
	RUN(struct sfl_flow_header, protocol, stripped),
	BYTES(struct sfl_flow_header, header),
};

static const struct sfl_rec_field f_ethernet[] = {
	U32(struct sfl_flow_ethernet, frame_bytes),
	MAC(struct sfl_flow_ethernet, src_mac),
	MAC(struct sfl_flow_ethernet, dst_mac),
	U32(struct sfl_flow_ethernet, eth_type),
};

static const struct sfl_rec_field f_ipv4[] = {
	RUN(struct sfl_flow_ipv4, length, protocol),
	IP4(struct sfl_flow_ipv4, src_ip),
	IP4(struct sfl_flow_ipv4, dst_ip),
	RUN(struct sfl_flow_ipv4, src_port, tos),
};

static const struct sfl_rec_field f_ipv6[] = {
	RUN(struct sfl_flow_ipv6, length, protocol),
	IP6(struct sfl_flow_ipv6, src_ip),
	IP6(struct sfl_flow_ipv6, dst_ip),
	RUN(struct sfl_flow_ipv6, src_port, priority),
};

static const struct sfl_rec_field f_switch[] = {
	RUN(struct sfl_ex_switch, src_vlan, dst_priority),
};

static const struct sfl_rec_field f_router[] = {
	ADDR(struct sfl_ex_router, nexthop),
	RUN(struct sfl_ex_router, src_mask_len, dst_mask_len),
};

static const struct sfl_rec_field f_gateway[] = {
	ADDR(struct sfl_ex_gateway, nexthop),
	RUN(struct sfl_ex_gateway, as, src_peer_as),
	SFL_RF(SFL_RF_AS_PATH, struct sfl_ex_gateway, as_path, 0),
	U32S(struct sfl_ex_gateway, communities),
	U32(struct sfl_ex_gateway, local_pref),
};

static const struct sfl_rec_field f_user[] = {
	U32(struct sfl_ex_user, src_charset),
	ANYSTR(struct sfl_ex_user, src_user),
	U32(struct sfl_ex_user, dst_charset),
	ANYSTR(struct sfl_ex_user, dst_user),
};

static const struct sfl_rec_field f_url[] = {
	U32(struct sfl_ex_url, direction),
	ANYSTR(struct sfl_ex_url, url),
	ANYSTR(struct sfl_ex_url, host),
};

static const struct sfl_rec_field f_mpls[] = {
	ADDR(struct sfl_ex_mpls, nexthop),
	U32S(struct sfl_ex_mpls, in_stack),
	U32S(struct sfl_ex_mpls, out_stack),
};

static const struct sfl_rec_field f_nat[] = {
	ADDR(struct sfl_ex_nat, src),
	ADDR(struct sfl_ex_nat, dst),
};

static const struct sfl_rec_field f_mpls_tunnel[] = {
	ANYSTR(struct sfl_ex_mpls_tunnel, name),
	RUN(struct sfl_ex_mpls_tunnel, id, cos),
};

static const struct sfl_rec_field f_mpls_vc[] = {
	ANYSTR(struct sfl_ex_mpls_vc, name),
	RUN(struct sfl_ex_mpls_vc, id, cos),
};

static const struct sfl_rec_field f_mpls_ftn[] = {
	ANYSTR(struct sfl_ex_mpls_ftn, descr),
	U32(struct sfl_ex_mpls_ftn, mask),
};

static const struct sfl_rec_field f_mpls_ldp_fec[] = {
	U32(struct sfl_ex_mpls_ldp_fec, prefix_len),
};

static const struct sfl_rec_field f_vlan_tunnel[] = {
	U32S(struct sfl_ex_vlan_tunnel, stack),
};

/* sflowtool reads the payload as a cipher suite and a sampled_header. */
static const struct sfl_rec_field f_80211_payload[] = {
	U32(struct sfl_ex_80211_payload, cipher_suite),
	RUN(struct sfl_ex_80211_payload, header.protocol, header.stripped),
	BYTES(struct sfl_ex_80211_payload, header.header),
};

static const struct sfl_rec_field f_80211_rx[] = {
	ANYSTR(struct sfl_ex_80211_rx, ssid),
	MAC(struct sfl_ex_80211_rx, bssid),
	RUN(struct sfl_ex_80211_rx, version, channel),
	U64(struct sfl_ex_80211_rx, speed),
	RUN(struct sfl_ex_80211_rx, rsni, packet_duration_us),
};

static const struct sfl_rec_field f_80211_tx[] = {
	ANYSTR(struct sfl_ex_80211_tx, ssid),
	MAC(struct sfl_ex_80211_tx, bssid),
	RUN(struct sfl_ex_80211_tx, version, channel),
	U64(struct sfl_ex_80211_tx, speed),
	U32(struct sfl_ex_80211_tx, power_mw),
};

static const struct sfl_rec_field f_nat_port[] = {
	RUN(struct sfl_ex_nat_port, src_port, dst_port),
};

static const struct sfl_rec_field f_decap[] = {
	U32(struct sfl_ex_decap, inner_header_offset),
};

static const struct sfl_rec_field f_vni[] = {
	U32(struct sfl_ex_vni, vni),
};

static const struct sfl_rec_field f_egress_queue[] = {
	U32(struct sfl_ex_egress_queue, queue),
};

static const struct sfl_rec_field f_function[] = {
	ANYSTR(struct sfl_ex_function, symbol),
};

static const struct sfl_rec_field f_transit_delay[] = {
	U32(struct sfl_ex_transit_delay, delay_ns),
};

static const struct sfl_rec_field f_queue_depth[] = {
	U32(struct sfl_ex_queue_depth, depth_bytes),
};

static const struct sfl_rec_field f_hw_trap[] = {
	ANYSTR(struct sfl_ex_hw_trap, group),
	ANYSTR(struct sfl_ex_hw_trap, trap),
};

static const struct sfl_rec_field f_linux_reason[] = {
	ANYSTR(struct sfl_ex_linux_reason, reason),
};

static const struct sfl_rec_field f_timestamp[] = {
	U64(struct sfl_ex_timestamp, ts_ns),
};

static const struct sfl_rec_field f_socket4[] = {
	U32(struct sfl_ex_socket4, protocol),
	IP4(struct sfl_ex_socket4, local_ip),
	IP4(struct sfl_ex_socket4, remote_ip),
	RUN(struct sfl_ex_socket4, local_port, remote_port),
};

static const struct sfl_rec_field f_socket6[] = {
	U32(struct sfl_ex_socket6, protocol),
	IP6(struct sfl_ex_socket6, local_ip),
	IP6(struct sfl_ex_socket6, remote_ip),
	RUN(struct sfl_ex_socket6, local_port, remote_port),
};

static const struct sfl_rec_field f_memcache_op[] = {
	RUN(struct sfl_flow_memcache, protocol, cmd),
	STR(struct sfl_flow_memcache, key, 255),
	RUN(struct sfl_flow_memcache, nkeys, status),
};

static const struct sfl_rec_field f_http_old[] = {
	RUN(struct sfl_flow_http_old, method, protocol),
	STR(struct sfl_flow_http_old, uri, 255),
	STR(struct sfl_flow_http_old, host, 64),
	STR(struct sfl_flow_http_old, referer, 255),
	STR(struct sfl_flow_http_old, useragent, 128),
	STR(struct sfl_flow_http_old, authuser, 32),
	STR(struct sfl_flow_http_old, mime_type, 64),
	U64(struct sfl_flow_http_old, resp_bytes),
	RUN(struct sfl_flow_http_old, duration_us, status),
};

static const struct sfl_rec_field f_app[] = {
	STR(struct sfl_flow_app, application, 32),
	STR(struct sfl_flow_app, operation, 32),
	STR(struct sfl_flow_app, attributes, 255),
	STR(struct sfl_flow_app, status_descr, 32),
	U64(struct sfl_flow_app, req_bytes),
	U64(struct sfl_flow_app, resp_bytes),
	RUN(struct sfl_flow_app, duration_us, status),
};

static const struct sfl_rec_field f_app_ctxt[] = {
	STR(struct sfl_flow_app_ctxt, application, 32),
	STR(struct sfl_flow_app_ctxt, operation, 32),
	STR(struct sfl_flow_app_ctxt, attributes, 255),
};

static const struct sfl_rec_field f_app_actor[] = {
	STR(struct sfl_flow_app_actor, actor, 64),
};

static const struct sfl_rec_field f_http[] = {
	RUN(struct sfl_flow_http, method, protocol),
	STR(struct sfl_flow_http, uri, 255),
	STR(struct sfl_flow_http, host, 64),
	STR(struct sfl_flow_http, referer, 255),
	STR(struct sfl_flow_http, useragent, 128),
	STR(struct sfl_flow_http, xff, 64),
	STR(struct sfl_flow_http, authuser, 32),
	STR(struct sfl_flow_http, mime_type, 64),
	U64(struct sfl_flow_http, req_bytes),
	U64(struct sfl_flow_http, resp_bytes),
	RUN(struct sfl_flow_http, duration_us, status),
};

static const struct sfl_rec_field f_proxy_request[] = {
	STR(struct sfl_ex_proxy_request, uri, 255),
	STR(struct sfl_ex_proxy_request, host, 64),
};

static const struct sfl_rec_field f_tcp_info[] = {
	RUN(struct sfl_ex_tcp_info, dir, min_rtt_us),
};

static const struct sfl_rec_field f_entities[] = {
	RUN(struct sfl_ex_entities, src_ds_class, dst_ds_index),
};

const struct sfl_rec_desc sfl_rec_flow_descs[SFL_REC_SLOTS] = {
	SFL_REC(SFL_FLOW_HEADER, "sampled_header", f_header),
	SFL_REC(SFL_FLOW_ETHERNET, "sampled_ethernet", f_ethernet),
	SFL_REC(SFL_FLOW_IPV4, "sampled_ipv4", f_ipv4),
	SFL_REC(SFL_FLOW_IPV6, "sampled_ipv6", f_ipv6),
	SFL_REC(SFL_FLOW_EX_SWITCH, "extended_switch", f_switch),
	SFL_REC(SFL_FLOW_EX_ROUTER, "extended_router", f_router),
	SFL_REC(SFL_FLOW_EX_GATEWAY, "extended_gateway", f_gateway),
	SFL_REC(SFL_FLOW_EX_USER, "extended_user", f_user),
	SFL_REC(SFL_FLOW_EX_URL, "extended_url", f_url),
	SFL_REC(SFL_FLOW_EX_MPLS, "extended_mpls", f_mpls),
	SFL_REC(SFL_FLOW_EX_NAT, "extended_nat", f_nat),
	SFL_REC(SFL_FLOW_EX_MPLS_TUNNEL, "extended_mpls_tunnel", f_mpls_tunnel),
	SFL_REC(SFL_FLOW_EX_MPLS_VC, "extended_mpls_vc", f_mpls_vc),
	SFL_REC(SFL_FLOW_EX_MPLS_FTN, "extended_mpls_FTN", f_mpls_ftn),
	SFL_REC(SFL_FLOW_EX_MPLS_LDP_FEC, "extended_mpls_LDP_FEC", f_mpls_ldp_fec),
	SFL_REC(SFL_FLOW_EX_VLAN_TUNNEL, "extended_vlantunnel", f_vlan_tunnel),
	SFL_REC(SFL_FLOW_EX_80211_PAYLOAD, "extended_80211_payload", f_80211_payload),
	SFL_REC(SFL_FLOW_EX_80211_RX, "extended_80211_rx", f_80211_rx),
	SFL_REC(SFL_FLOW_EX_80211_TX, "extended_80211_tx", f_80211_tx),
	SFL_REC(SFL_FLOW_EX_NAT_PORT, "extended_nat_port", f_nat_port),
	SFL_REC(SFL_FLOW_EX_L2_TUNNEL_OUT, "extended_L2_tunnel_egress", f_ethernet),
	SFL_REC(SFL_FLOW_EX_L2_TUNNEL_IN, "extended_L2_tunnel_ingress", f_ethernet),
	SFL_REC(SFL_FLOW_EX_IPV4_TUNNEL_OUT, "extended_ipv4_tunnel_egress", f_ipv4),
	SFL_REC(SFL_FLOW_EX_IPV4_TUNNEL_IN, "extended_ipv4_tunnel_ingress", f_ipv4),
	SFL_REC(SFL_FLOW_EX_IPV6_TUNNEL_OUT, "extended_ipv6_tunnel_egress", f_ipv6),
	SFL_REC(SFL_FLOW_EX_IPV6_TUNNEL_IN, "extended_ipv6_tunnel_ingress", f_ipv6),
	SFL_REC(SFL_FLOW_EX_DECAP_OUT, "extended_decapsulate_egress", f_decap),
	SFL_REC(SFL_FLOW_EX_DECAP_IN, "extended_decapsulate_ingress", f_decap),
	SFL_REC(SFL_FLOW_EX_VNI_OUT, "extended_vni_egress", f_vni),
	SFL_REC(SFL_FLOW_EX_VNI_IN, "extended_vni_ingress", f_vni),
	SFL_REC(SFL_FLOW_EX_EGRESS_QUEUE, "extended_egress_queue", f_egress_queue),
	SFL_REC(SFL_FLOW_EX_FUNCTION, "extended_function", f_function),
	SFL_REC(SFL_FLOW_EX_TRANSIT_DELAY, "extended_transit", f_transit_delay),
	SFL_REC(SFL_FLOW_EX_QUEUE_DEPTH, "extended_queue", f_queue_depth),
	SFL_REC(SFL_FLOW_EX_HW_TRAP, "extended_hw_trap", f_hw_trap),
	SFL_REC(SFL_FLOW_EX_LINUX_REASON, "extended_linux_drop_reason", f_linux_reason),
	SFL_REC(SFL_FLOW_EX_TIMESTAMP, "extended_timestamp", f_timestamp),
	SFL_REC(SFL_FLOW_EX_SOCKET4, "extended_socket_ipv4", f_socket4),
	SFL_REC(SFL_FLOW_EX_SOCKET6, "extended_socket_ipv6", f_socket6),
	SFL_REC(SFL_FLOW_EX_PROXY_SOCKET4, "extended_proxy_socket_ipv4", f_socket4),
	SFL_REC(SFL_FLOW_EX_PROXY_SOCKET6, "extended_proxy_socket_ipv6", f_socket6),
	SFL_REC(SFL_FLOW_MEMCACHE, "memcache_operation", f_memcache_op),
	SFL_REC(SFL_FLOW_HTTP_OLD, "http_request_deprecated", f_http_old),
	SFL_REC(SFL_FLOW_APP, "app_operation", f_app),
	SFL_REC(SFL_FLOW_APP_CTXT, "app_parent_context", f_app_ctxt),
	SFL_REC(SFL_FLOW_APP_ACTOR_INIT, "app_initiator", f_app_actor),
	SFL_REC(SFL_FLOW_APP_ACTOR_TGT, "app_target", f_app_actor),
	SFL_REC(SFL_FLOW_HTTP, "http_request", f_http),
	SFL_REC(SFL_FLOW_EX_PROXY_REQUEST, "extended_proxy_request", f_proxy_request),
	SFL_REC(SFL_FLOW_EX_TCP_INFO, "extended_tcp_info", f_tcp_info),
	SFL_REC(SFL_FLOW_EX_ENTITIES, "extended_entities", f_entities),
};

