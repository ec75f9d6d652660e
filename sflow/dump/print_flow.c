/*
 * sflow/dump/print_flow.c: flow record printers (see print_flow.h).
 *
 * One function per record layout, found through a table sorted by tag.
 * Records that share a layout (the tunnel forms of sampled_ethernet/ipv4/
 * ipv6, the in/out forms of decap and VNI) share a function and differ by
 * field prefix. String fields are cut to the size of the buffer sflowtool
 * reads them into; most are printed only when the wire string is not
 * empty, as sflowtool does. Application, HTTP and socket records are in
 * print_app.c.
 */
#include "sflow/dump/print_flow.h"

#include <stdio.h>
#include <string.h>

#include "sflow/dump/fmt.h"
#include "sflow/dump/header.h"
#include "sflow/dump/print_app.h"

/* A composite value built like sflowtool's 2048-byte scratch string. */
struct scratch {
	char buf[PRINT_MAX_VALUE + 1];
	size_t len;
};

static void scratch_add(struct scratch *sc, const char *s)
{
	size_t n = strlen(s);

	if (n > PRINT_MAX_VALUE - sc->len)
		n = PRINT_MAX_VALUE - sc->len;
	memcpy(sc->buf + sc->len, s, n);
	sc->len += n;
	sc->buf[sc->len] = '\0';
}

/* Append one number with a separator before it unless first; false (and
 * nothing appended) when it does not fit, which ends sflowtool's list. */
static bool scratch_num(struct scratch *sc, uint32_t v, char sep, bool first)
{
	char num[12];
	int n = snprintf(num, sizeof(num), "%u", v);

	if (sc->len + 1 + (size_t)n >= sizeof(sc->buf))
		return false;
	if (!first)
		sc->buf[sc->len++] = sep;
	memcpy(sc->buf + sc->len, num, (size_t)n);
	sc->len += (size_t)n;
	sc->buf[sc->len] = '\0';
	return true;
}

static void scratch_array(struct scratch *sc, const struct sfl_u32_array *a, char sep)
{
	for (uint32_t i = 0; i < a->count; i++)
		if (!scratch_num(sc, sfl_u32_array_get(a, i), sep, i == 0))
			return;
}

static void print_type(struct print *p, const char *name, const char *prefix, const char *type)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s%s", prefix, type);
	print_field(p, name, buf);
}

static void print_header(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const struct sfl_flow_header *h = rec->tag == SFL_FLOW_EX_80211_PAYLOAD ?
		&rec->v.wifi_payload.header : &rec->v.header;
	char hex[PRINT_MAX_VALUE + 1];

	print_field(p, "flowSampleType", "HEADER");
	print_u32(p, "headerProtocol", h->protocol);
	print_u32(p, "sampledPacketSize", h->frame_bytes);
	print_u32(p, "strippedBytes", h->stripped);
	print_u32(p, "headerLen", h->header.len);
	if (p->fields_on)
		print_field_mem(p, "headerBytes", hex,
				fmt_hex(hex, sizeof(hex), h->header.ptr, h->header.len, true, '-'));
	s->header_protocol = h->protocol;
	s->packet_bytes = h->frame_bytes;
	s->stripped = h->stripped;
	s->header = h->header.ptr;
	s->header_len = h->header.len;
	s->header_avail = (uint32_t)(s->datagram_end - h->header.ptr);
	header_decode(p, s);
}

static void print_ethernet(struct print *p, struct dump_sample *s,
			   const struct sfl_flow_ethernet *e, const char *prefix)
{
	print_type(p, "flowSampleType", prefix, "ETHERNET");
	memcpy(s->eth_src, e->src_mac, 6);
	memcpy(s->eth_dst, e->dst_mac, 6);
	s->eth_type = e->eth_type;
	print_push_prefix(p, prefix);
	print_u32(p, "ethernet_type", e->eth_type);
	print_u32(p, "ethernet_len", e->frame_bytes);
	print_mac(p, "ethernet_src", e->src_mac);
	print_mac(p, "ethernet_dst", e->dst_mac);
	print_pop_prefix(p);
}

/* Ports of sampled_ipv4/ipv6, by protocol; ICMP's type is the dst port. */
static void print_ports(struct print *p, struct dump_sample *s, uint32_t proto,
			uint32_t tcp_flags)
{
	if (proto == 1) {
		print_u32(p, "ICMPType", s->dport);
	} else if (proto == 6) {
		print_u32(p, "TCPSrcPort", s->sport);
		print_u32(p, "TCPDstPort", s->dport);
		s->tcp_flags = tcp_flags;
		print_u32(p, "TCPFlags", tcp_flags);
	} else if (proto == 17) {
		print_u32(p, "UDPSrcPort", s->sport);
		print_u32(p, "UDPDstPort", s->dport);
	}
}

/* sampled_ipv4/ipv6 stand in for the header in -t, as in sflowtool. */
static void set_struct_header(struct dump_sample *s, const struct sfl_record *rec)
{
	s->header = rec->body;
	s->header_len = rec->len;
}

static void set_ip(struct sfl_address *a, uint32_t type, const uint8_t *ip)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	memcpy(a->addr, ip, type == SFL_ADDR_IP4 ? 4 : 16);
}

static void print_ipv4(struct print *p, struct dump_sample *s, const struct sfl_record *rec,
		       const char *prefix)
{
	const struct sfl_flow_ipv4 *v = &rec->v.ipv4;

	print_type(p, "flowSampleType", prefix, "IPV4");
	set_struct_header(s, rec);
	print_push_prefix(p, prefix);
	s->packet_bytes = v->length;
	print_u32(p, "sampledPacketSize", v->length);
	print_u32(p, "IPSize", v->length);
	set_ip(&s->ip_src, SFL_ADDR_IP4, v->src_ip);
	set_ip(&s->ip_dst, SFL_ADDR_IP4, v->dst_ip);
	s->ip_proto = v->protocol;
	s->ip_tos = v->tos;
	print_address(p, "srcIP", &s->ip_src);
	print_address(p, "dstIP", &s->ip_dst);
	print_u32(p, "IPProtocol", v->protocol);
	print_u32(p, "IPTOS", v->tos);
	s->sport = v->src_port;
	s->dport = v->dst_port;
	print_ports(p, s, v->protocol, v->tcp_flags);
	print_pop_prefix(p);
}

static void print_ipv6(struct print *p, struct dump_sample *s, const struct sfl_record *rec,
		       const char *prefix)
{
	const struct sfl_flow_ipv6 *v = &rec->v.ipv6;

	print_type(p, "flowSampleType", prefix, "IPV6");
	set_struct_header(s, rec);
	print_push_prefix(p, prefix);
	s->packet_bytes = v->length;
	print_u32(p, "sampledPacketSize", v->length);
	print_u32(p, "IPSize", v->length);
	set_ip(&s->ip_src, SFL_ADDR_IP6, v->src_ip);
	set_ip(&s->ip_dst, SFL_ADDR_IP6, v->dst_ip);
	s->ip_proto = v->protocol;
	print_address(p, "srcIP6", &s->ip_src);
	print_address(p, "dstIP6", &s->ip_dst);
	print_u32(p, "IPProtocol", v->protocol);
	print_u32(p, "priority", v->priority);
	s->sport = v->src_port;
	s->dport = v->dst_port;
	print_ports(p, s, v->protocol, v->tcp_flags);
	print_pop_prefix(p);
}

static void print_switch(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const struct sfl_ex_switch *v = &rec->v.ex_switch;

	print_field(p, "extendedType", "SWITCH");
	s->in_vlan = v->src_vlan;
	s->out_vlan = v->dst_vlan;
	print_u32(p, "in_vlan", v->src_vlan);
	print_u32(p, "in_priority", v->src_priority);
	print_u32(p, "out_vlan", v->dst_vlan);
	print_u32(p, "out_priority", v->dst_priority);
}

static void print_router(struct print *p, const struct sfl_ex_router *v)
{
	print_field(p, "extendedType", "ROUTER");
	print_address(p, "nextHop", &v->nexthop);
	print_u32(p, "srcSubnetMask", v->src_mask_len);
	print_u32(p, "dstSubnetMask", v->dst_mask_len);
}

/*
 * The AS path as sflowtool writes it: segments concatenated without a
 * separator, ASNs joined by '-', AS sets in parentheses. dst_peer_as is
 * the first ASN of the first segment, dst_as the last of the last one.
 */
static void print_as_path(struct print *p, const struct sfl_ex_gateway *g)
{
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	struct scratch sc = { .len = 0 };
	uint32_t dst_as = 0, dst_peer_as = 0, i = 0;

	sc.buf[0] = '\0';
	sfl_list_iter_init(&it, &g->as_path);
	for (; sfl_as_path_next(&it, &seg); i++) {
		uint32_t n = seg.asns.count;

		if (n == 0)
			continue;
		if (i == 0)
			dst_peer_as = sfl_u32_array_get(&seg.asns, 0);
		if (seg.type == SFL_AS_SET)
			scratch_add(&sc, "(");
		scratch_array(&sc, &seg.asns, '-');
		if (seg.type == SFL_AS_SET)
			scratch_add(&sc, ")");
		if (i == g->as_path.count - 1)
			dst_as = sfl_u32_array_get(&seg.asns, n - 1);
	}
	if (g->as_path.count > 0)
		print_field_mem(p, "dst_as_path", sc.buf, sc.len);
	print_u32(p, "dst_as", dst_as);
	print_u32(p, "dst_peer_as", dst_peer_as);
}

static void print_gateway(struct print *p, const struct sfl_ex_gateway *g)
{
	print_field(p, "extendedType", "GATEWAY");
	print_address(p, "bgp_nexthop", &g->nexthop);
	print_u32(p, "my_as", g->as);
	print_u32(p, "src_as", g->src_as);
	print_u32(p, "src_peer_as", g->src_peer_as);
	if (p->fields_on)
		print_as_path(p, g);
	if (g->communities.count > 0 && p->fields_on) {
		struct scratch sc = { .len = 0 };

		sc.buf[0] = '\0';
		scratch_array(&sc, &g->communities, '-');
		print_field_mem(p, "BGP_communities", sc.buf, sc.len);
	}
	print_u32(p, "BGP_localpref", g->local_pref);
}

static void print_user(struct print *p, const struct sfl_ex_user *v)
{
	print_field(p, "extendedType", "USER");
	print_u32(p, "src_user_charset", v->src_charset);
	print_u32(p, "dst_user_charset", v->dst_charset);
	print_str(p, "src_user", v->src_user.ptr, v->src_user.len, 199);
	print_str(p, "dst_user", v->dst_user.ptr, v->dst_user.len, 199);
}

static void print_url(struct print *p, const struct sfl_ex_url *v)
{
	print_field(p, "extendedType", "URL");
	print_u32(p, "url_direction", v->direction);
	print_str(p, "url", v->url.ptr, v->url.len, 199);
	print_str(p, "host", v->host.ptr, v->host.len, 199);
}

/* MPLS label stack entries as "label.exp.bos.ttl", joined by '-'. */
static void print_label_stack(struct print *p, const char *name, const struct sfl_u32_array *a)
{
	struct scratch sc = { .len = 0 };

	if (a->count == 0 || !p->fields_on)
		return;
	sc.buf[0] = '\0';
	for (uint32_t i = 0; i < a->count; i++) {
		uint32_t lab = sfl_u32_array_get(a, i);

		if (i > 0)
			scratch_add(&sc, "-");
		if (scratch_num(&sc, lab >> 12, '.', true) &&
		    scratch_num(&sc, (lab >> 9) & 7, '.', false) &&
		    scratch_num(&sc, (lab >> 8) & 1, '.', false))
			scratch_num(&sc, lab & 255, '.', false);
	}
	print_field_mem(p, name, sc.buf, sc.len);
}

static void print_mpls(struct print *p, const struct sfl_ex_mpls *v)
{
	print_field(p, "extendedType", "MPLS");
	print_address(p, "mpls_nexthop", &v->nexthop);
	print_label_stack(p, "mpls_input_stack", &v->in_stack);
	print_label_stack(p, "mpls_output_stack", &v->out_stack);
}

static void print_nat(struct print *p, const struct sfl_ex_nat *v)
{
	print_field(p, "extendedType", "NAT");
	print_address(p, "nat_src", &v->src);
	print_address(p, "nat_dst", &v->dst);
}

/* 1008 and 1009 share a layout and differ by field names only. */
static void print_mpls_named(struct print *p, const struct sfl_str *name, uint32_t id,
			     uint32_t cos, const char *const names[3])
{
	if (name->len > 0)
		print_str(p, names[0], name->ptr, name->len, 99);
	print_u32(p, names[1], id);
	print_u32(p, names[2], cos);
}

/* 802.1Q stack entries: "0x" TPID in hex, then "pri.cfi.vlan" right after it. */
static void print_vlan_tunnel(struct print *p, const struct sfl_ex_vlan_tunnel *v)
{
	struct scratch sc = { .len = 0 };

	if (v->stack.count == 0 || !p->fields_on)
		return;
	sc.buf[0] = '\0';
	for (uint32_t i = 0; i < v->stack.count; i++) {
		uint32_t lab = sfl_u32_array_get(&v->stack, i);
		char tpid[8];

		if (i > 0)
			scratch_add(&sc, "-");
		snprintf(tpid, sizeof(tpid), "0x%04x", lab >> 16);
		scratch_add(&sc, tpid);
		if (scratch_num(&sc, (lab >> 13) & 7, '.', true) &&
		    scratch_num(&sc, (lab >> 12) & 1, '.', false))
			scratch_num(&sc, lab & 4095, '.', false);
	}
	print_field_mem(p, "vlan_tunnel", sc.buf, sc.len);
}

static void print_wifi_rx(struct print *p, const struct sfl_ex_80211_rx *v)
{
	if (v->ssid.len > 0)
		print_str(p, "rx_SSID", v->ssid.ptr, v->ssid.len, 255);
	print_mac(p, "rx_BSSID", v->bssid);
	print_u32(p, "rx_version", v->version);
	print_u32(p, "rx_channel", v->channel);
	print_u64(p, "rx_speed", v->speed);
	print_u32(p, "rx_rsni", v->rsni);
	print_u32(p, "rx_rcpi", v->rcpi);
	print_u32(p, "rx_packet_uS", v->packet_duration_us);
}

static void print_wifi_tx(struct print *p, const struct sfl_ex_80211_tx *v)
{
	if (v->ssid.len > 0)
		print_str(p, "tx_SSID", v->ssid.ptr, v->ssid.len, 255);
	print_mac(p, "tx_BSSID", v->bssid);
	print_u32(p, "tx_version", v->version);
	print_u32(p, "tx_transmissions", v->transmissions);
	print_u32(p, "tx_packet_uS", v->packet_duration_us);
	print_u32(p, "tx_retrans_uS", v->retrans_duration_us);
	print_u32(p, "tx_channel", v->channel);
	print_u64(p, "tx_speed", v->speed);
	print_u32(p, "tx_power_mW", v->power_mw);
}

/* extended_decapsulate and extended_vni: one number under an in/out prefix. */
static void print_in_out(struct print *p, const char *prefix, const char *type,
			 const char *name, uint32_t v)
{
	print_type(p, "extendedType", prefix, type);
	print_u32_prefixed(p, prefix, name, v);
}

static const char *const tunnel_names[][3] = {
	{ "mpls_tunnel_lsp_name", "mpls_tunnel_id", "mpls_tunnel_cos" },
	{ "mpls_vc_name", "mpls_vll_vc_id", "mpls_vc_cos" },
};

/* Records 1..1030: the packet and network-path structures. */
static bool print_core(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const union sfl_record_value *v = &rec->v;

	switch (rec->tag) {
	case SFL_FLOW_HEADER: print_header(p, s, rec); break;
	case SFL_FLOW_ETHERNET: print_ethernet(p, s, &v->ethernet, ""); break;
	case SFL_FLOW_IPV4: print_ipv4(p, s, rec, ""); break;
	case SFL_FLOW_IPV6: print_ipv6(p, s, rec, ""); break;
	case SFL_FLOW_EX_SWITCH: print_switch(p, s, rec); break;
	case SFL_FLOW_EX_ROUTER: print_router(p, &v->router); break;
	case SFL_FLOW_EX_GATEWAY: print_gateway(p, &v->gateway); break;
	case SFL_FLOW_EX_USER: print_user(p, &v->user); break;
	case SFL_FLOW_EX_URL: print_url(p, &v->url); break;
	case SFL_FLOW_EX_MPLS: print_mpls(p, &v->mpls); break;
	case SFL_FLOW_EX_NAT: print_nat(p, &v->nat); break;
	case SFL_FLOW_EX_MPLS_TUNNEL:
		print_mpls_named(p, &v->mpls_tunnel.name, v->mpls_tunnel.id, v->mpls_tunnel.cos,
				 tunnel_names[0]);
		break;
	case SFL_FLOW_EX_MPLS_VC:
		print_mpls_named(p, &v->mpls_vc.name, v->mpls_vc.id, v->mpls_vc.cos,
				 tunnel_names[1]);
		break;
	case SFL_FLOW_EX_MPLS_FTN:
		if (v->mpls_ftn.descr.len > 0)
			print_str(p, "mpls_ftn_descr", v->mpls_ftn.descr.ptr, v->mpls_ftn.descr.len, 99);
		print_u32(p, "mpls_ftn_mask", v->mpls_ftn.mask);
		break;
	case SFL_FLOW_EX_MPLS_LDP_FEC:
		print_u32(p, "mpls_fec_addr_prefix_len", v->mpls_ldp_fec.prefix_len);
		break;
	case SFL_FLOW_EX_VLAN_TUNNEL: print_vlan_tunnel(p, &v->vlan_tunnel); break;
	case SFL_FLOW_EX_80211_PAYLOAD:
		print_u32(p, "cipher_suite", v->wifi_payload.cipher_suite);
		print_header(p, s, rec);
		break;
	case SFL_FLOW_EX_80211_RX: print_wifi_rx(p, &v->wifi_rx); break;
	case SFL_FLOW_EX_80211_TX: print_wifi_tx(p, &v->wifi_tx); break;
	case SFL_FLOW_EX_NAT_PORT:
		print_field(p, "extendedType", "NAT PORT");
		print_u32(p, "nat_src_port", v->nat_port.src_port);
		print_u32(p, "nat_dst_port", v->nat_port.dst_port);
		break;
	case SFL_FLOW_EX_L2_TUNNEL_OUT: print_ethernet(p, s, &v->ethernet, "tunnel_l2_out_"); break;
	case SFL_FLOW_EX_L2_TUNNEL_IN: print_ethernet(p, s, &v->ethernet, "tunnel_l2_in_"); break;
	case SFL_FLOW_EX_IPV4_TUNNEL_OUT: print_ipv4(p, s, rec, "tunnel_ipv4_out_"); break;
	case SFL_FLOW_EX_IPV4_TUNNEL_IN: print_ipv4(p, s, rec, "tunnel_ipv4_in_"); break;
	case SFL_FLOW_EX_IPV6_TUNNEL_OUT: print_ipv6(p, s, rec, "tunnel_ipv6_out_"); break;
	case SFL_FLOW_EX_IPV6_TUNNEL_IN: print_ipv6(p, s, rec, "tunnel_ipv6_in_"); break;
	case SFL_FLOW_EX_DECAP_OUT:
		print_in_out(p, "out_", "decap", "decap_inner_header_offset",
			     v->decap.inner_header_offset);
		break;
	case SFL_FLOW_EX_DECAP_IN:
		print_in_out(p, "in_", "decap", "decap_inner_header_offset",
			     v->decap.inner_header_offset);
		break;
	case SFL_FLOW_EX_VNI_OUT: print_in_out(p, "out_", "VNI", "VNI", v->vni.vni); break;
	case SFL_FLOW_EX_VNI_IN: print_in_out(p, "in_", "VNI", "VNI", v->vni.vni); break;
	default:
		return false;
	}
	return true;
}

void print_flow_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	bool done = false;

	p->ctx.record_tag = rec->tag;
	print_json_open(p, NULL, '{');
	print_tag(p, "flowBlock_tag", rec->tag);
	if (rec->known)
		done = rec->tag < SFL_FLOW_EX_EGRESS_QUEUE ? print_core(p, s, rec) :
							      print_app_record(p, s, rec);
	if (!done) {
		char tag[24];

		fmt_tag(tag, rec->tag);
		print_log(p, "skipping unknown %s: %s len=%u\n", "flow_sample_element", tag,
			  rec->len);
	}
	print_json_close(p, '}');
}
