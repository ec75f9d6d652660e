/*
 * sflow/dump/reasons.c: names of discard reason codes (sflow_drops.txt).
 *
 * Codes 0-15 are the ICMP unreachable codes, 256-303 the reasons of the
 * sFlow dropped-packet specification (October 2020), 304-371 the later
 * additions of the sflow.org registry (Linux drop reasons), which
 * sflowtool prints too. The names are the registry's, so discardReason
 * reads as in sflowtool; codes outside the table print as "NotFound".
 */
#include "sflow/dump/reasons.h"

#include <stddef.h>

static const char *const icmp_names[] = {
	"net_unreachable",
	"host_unreachable",
	"protocol_unreachable",
	"port_unreachable",
	"frag_needed",
	"src_route_failed",
	"dst_net_unknown",
	"dst_host_unknown",
	"src_host_isolated",
	"dst_net_prohibited",
	"dst_host_prohibited",
	"dst_net_tos_unreachable",
	"dst_host_tos_unreacheable",
	"comm_admin_prohibited",
	"host_precedence_violation",
	"precedence_cutoff",
};

static const char *const drop_names[] = { /* from 256 */
	"unknown", /* 256 */
	"ttl_exceeded", /* 257 */
	"acl", /* 258 */
	"no_buffer_space", /* 259 */
	"red", /* 260 */
	"traffic_shaping", /* 261 */
	"pkt_too_big", /* 262 */
	"src_mac_is_multicast", /* 263 */
	"vlan_tag_mismatch", /* 264 */
	"ingress_vlan_filter", /* 265 */
	"ingress_spanning_tree_filter", /* 266 */
	"port_list_is_empty", /* 267 */
	"port_loopback_filter", /* 268 */
	"blackhole_route", /* 269 */
	"non_ip", /* 270 */
	"uc_dip_over_mc_dmac", /* 271 */
	"dip_is_loopback_address", /* 272 */
	"sip_is_mc", /* 273 */
	"sip_is_loopback_address", /* 274 */
	"ip_header_corrupted", /* 275 */
	"ipv4_sip_is_limited_bc", /* 276 */
	"ipv6_mc_dip_reserved_scope", /* 277 */
	"ipv6_mc_dip_interface_local_scope", /* 278 */
	"unresolved_neigh", /* 279 */
	"mc_reverse_path_forwarding", /* 280 */
	"non_routable_packet", /* 281 */
	"decap_error", /* 282 */
	"overlay_smac_is_mc", /* 283 */
	"unknown_l2", /* 284 */
	"unknown_l3", /* 285 */
	"unknown_l3_exception", /* 286 */
	"unknown_buffer", /* 287 */
	"unknown_tunnel", /* 288 */
	"unknown_l4", /* 289 */
	"sip_is_unspecified", /* 290 */
	"mlag_port_isolation", /* 291 */
	"blackhole_arp_neigh", /* 292 */
	"src_mac_is_dmac", /* 293 */
	"dmac_is_reserved", /* 294 */
	"sip_is_class_e", /* 295 */
	"mc_dmac_mismatch", /* 296 */
	"sip_is_dip", /* 297 */
	"dip_is_local_network", /* 298 */
	"dip_is_link_local", /* 299 */
	"overlay_smac_is_dmac", /* 300 */
	"egress_vlan_filter", /* 301 */
	"uc_reverse_path_forwarding", /* 302 */
	"split_horizon", /* 303 */
	"locked_port", /* 304 */
	"dmac_filter", /* 305 */
	"blackhole_nexthop", /* 306 */
	"vxlan_parsing", /* 307 */
	"llc_snap_parsing", /* 308 */
	"vlan_parsing", /* 309 */
	"pppoe_ppp_parsing", /* 310 */
	"mpls_parsing", /* 311 */
	"arp_parsing", /* 312 */
	"ip_1_parsing", /* 313 */
	"ip_n_parsing", /* 314 */
	"gre_parsing", /* 315 */
	"udp_parsing", /* 316 */
	"tcp_parsing", /* 317 */
	"ipsec_parsing", /* 318 */
	"sctp_parsing", /* 319 */
	"dccp_parsing", /* 320 */
	"gtp_parsing", /* 321 */
	"esp_parsing", /* 322 */
	"unknown_parsing", /* 323 */
	"pkt_too_small", /* 324 */
	"unhandled_proto", /* 325 */
	"ipv6disabled", /* 326 */
	"invalid_proto", /* 327 */
	"ip_noproto", /* 328 */
	"skb_csum", /* 329 */
	"skb_ucopy_fault", /* 330 */
	"dev_ready", /* 331 */
	"dev_hdr", /* 332 */
	"dup_frag", /* 333 */
	"skb_gso_seg", /* 334 */
	"reverse_path_forwarding", /* 335 */
	"icmp_parsing", /* 336 */
	"tcp_md5notfound", /* 337 */
	"tcp_md5unexpected", /* 338 */
	"tcp_md5failure", /* 339 */
	"tcp_flags", /* 340 */
	"tcp_zerowindow", /* 341 */
	"tcp_old_data", /* 342 */
	"tcp_overwindow", /* 343 */
	"tcp_ofomerge", /* 344 */
	"tcp_rfc7323_paws", /* 345 */
	"tcp_invalid_sequence", /* 346 */
	"tcp_reset", /* 347 */
	"tcp_invalid_syn", /* 348 */
	"tcp_close", /* 349 */
	"tcp_fastopen", /* 350 */
	"tcp_old_ack", /* 351 */
	"tcp_too_old_ack", /* 352 */
	"tcp_ack_unsent_data", /* 353 */
	"tcp_ofo_queue_prune", /* 354 */
	"tcp_ofo_drop", /* 355 */
	"tcp_minttl", /* 356 */
	"ipv6_bad_exthdr", /* 357 */
	"ipv6_ndisc_frag", /* 358 */
	"ipv6_ndisc_hop_limit", /* 359 */
	"ipv6_ndisc_bad_code", /* 360 */
	"ipv6_ndisc_bad_options", /* 361 */
	"ipv6_ndisc_ns_otherhost", /* 362 */
	"tap_filter", /* 363 */
	"tap_txfilter", /* 364 */
	"tc_ingress", /* 365 */
	"tc_egress", /* 366 */
	"xdp", /* 367 */
	"cpu_backlog", /* 368 */
	"bpf_cgroup_egress", /* 369 */
	"xfrm_policy", /* 370 */
	"socket_filter", /* 371 */
};

const char *reasons_name(uint32_t code)
{
	if (code < sizeof(icmp_names) / sizeof(icmp_names[0]))
		return icmp_names[code];
	if (code >= 256 && code - 256 < sizeof(drop_names) / sizeof(drop_names[0]))
		return drop_names[code - 256];
	return NULL;
}
