/*
 * analyzer/flow_keys_l3.c: the IPv4, IPv6, TCP, UDP, ICMP, ICMPv6 and DNS
 * keys, and the tunnel ids (VXLAN, Geneve, NVGRE); without a sampled header
 * the sampled ipv4/ipv6 records give the same keys at depth 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_keys_internal.h"
#include "sflow/sflow.h"

/* ---- IPv4 and IPv6 ----------------------------------------------------------- */

static int out_dscp_name(struct flow_val *v, uint8_t dscp)
{
	static const struct {
		uint8_t v;
		const char *name;
	} names[] = { { 0, "CS0" },   { 8, "CS1" },   { 16, "CS2" },  { 24, "CS3" },
		      { 32, "CS4" },  { 40, "CS5" },  { 48, "CS6" },  { 56, "CS7" },
		      { 10, "AF11" }, { 12, "AF12" }, { 14, "AF13" }, { 18, "AF21" },
		      { 20, "AF22" }, { 22, "AF23" }, { 26, "AF31" }, { 28, "AF32" },
		      { 30, "AF33" }, { 34, "AF41" }, { 36, "AF42" }, { 38, "AF43" },
		      { 46, "EF" },   { 44, "VA" },   { 1, "LE" } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].v == dscp)
			return out_str(v, names[i].name, strlen(names[i].name));
	return out_u64(v, dscp);
}

/* The tos byte's keys: 0 tos, 1 dscp, 2 dscp name, 3 ecn */
static int out_tos(struct flow_val *v, uint8_t tos, int which)
{
	switch (which) {
	case 0:
		return out_u64(v, tos);
	case 1:
		return out_u64(v, tos >> 2);
	case 2:
		return out_dscp_name(v, (uint8_t)(tos >> 2));
	default:
		return out_u64(v, tos & 3);
	}
}

/* IPv4 keys from the sampled ipv4 record (no header). */
static int ip4_record(const struct sfl_flow_ipv4 *r, int arg, struct flow_val *v)
{
	switch (arg) {
	case 0:
		return out_ip4(v, r->src_ip);
	case 1:
		return out_ip4(v, r->dst_ip);
	case 2:
		return out_u64(v, r->protocol);
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(v, (uint8_t)r->tos, arg - 3);
	case 7:
		return out_u64(v, r->length);
	default:
		return -1;
	}
}

/* 0 ipsource, 1 ipdestination, 2 ipprotocol, 3 iptos, 4 ipdscp,
 * 5 ipdscpname, 6 ipecn, 7 ipbytes, 8 ipflags, 9 ipfragoffset, 10 ipttl */
static int k_ip4(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_IP4, d, 20);

	if (!p)
		return d == 0 && fs->ipv4 && !fs->header ? ip4_record(fs->ipv4, arg, v) : -1;
	switch (arg) {
	case 0:
		return out_ip4(v, p + 12);
	case 1:
		return out_ip4(v, p + 16);
	case 2:
		return out_u64(v, p[9]);
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(v, p[1], arg - 3);
	case 7:
		return out_u64(v, rd16(p + 2));
	case 8:
		return out_bits(v, (uint32_t)p[6] >> 5, 3);
	case 9:
		return out_u64(v, rd16(p + 6) & 0x1fffu);
	default:
		return out_u64(v, p[8]);
	}
}

/* The transport protocol after the IPv6 layer at depth d (past extension
 * headers), or the header's own next header field. */
static uint8_t ip6_upper(struct flow_sample *fs, uint8_t d, const uint8_t *p)
{
	static const struct {
		uint8_t layer, proto;
		bool inner;
	} map[] = { { FLOW_L_TCP, 6, false },    { FLOW_L_UDP, 17, false },
		    { FLOW_L_ICMP6, 58, false }, { FLOW_L_GRE, 47, false },
		    { FLOW_L_IP4, 4, true },     { FLOW_L_IP6, 41, true } };

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flow_pkt_find(fs, map[i].layer, (uint8_t)(d + map[i].inner)))
			return map[i].proto;
	return p[6];
}

static int ip6_record(const struct sfl_flow_ipv6 *r, int arg, struct flow_val *v)
{
	switch (arg) {
	case 0:
		return out_ip6(v, r->src_ip);
	case 1:
		return out_ip6(v, r->dst_ip);
	case 2:
		return out_u64(v, r->protocol);
	case 7:
		return out_u64(v, r->length);
	default:
		return -1;
	}
}

/* 0 ip6source, 1 ip6destination, 2 ip6nexthdr, 3 ip6tos, 4 ip6dscp,
 * 5 ip6dscpname, 6 ip6ecn, 7 ip6bytes, 8 ip6flowlabel, 9 ip6fragm,
 * 10 ip6fragoffset, 11 ip6ttl */
static int k_ip6(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_IP6, d, 40), *f;
	uint8_t tc;

	if (!p)
		return d == 0 && fs->ipv6 && !fs->header ? ip6_record(fs->ipv6, arg, v) : -1;
	tc = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	switch (arg) {
	case 0:
		return out_ip6(v, p + 8);
	case 1:
		return out_ip6(v, p + 24);
	case 2:
		return out_u64(v, ip6_upper(fs, d, p));
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(v, tc, arg - 3);
	case 7:
		return out_u64(v, rd16(p + 4));
	case 8:
		return out_u64(v, rd32(p) & 0xfffffu);
	case 9:
		return out_str(v, flow_pkt_find(fs, FLOW_L_FRAG6, d) ? "yes" : "no",
			       flow_pkt_find(fs, FLOW_L_FRAG6, d) ? 3 : 2);
	case 10:
		f = lay(fs, FLOW_L_FRAG6, d, 8);
		return f ? out_u64(v, rd16(f + 2) >> 3) : -1;
	default:
		return out_u64(v, p[7]);
	}
}

/* ---- TCP, UDP, ICMP, DNS, tunnels --------------------------------------------- */

/* The sampled ipv4/ipv6 record's ports and flags when its protocol is
 * `proto` (no header). */
static int l4_record(const struct flow_sample *fs, uint32_t proto, int arg, struct flow_val *v)
{
	uint32_t p = fs->ipv4 ? fs->ipv4->protocol : fs->ipv6 ? fs->ipv6->protocol : 0;
	uint32_t sport = fs->ipv4 ? fs->ipv4->src_port : fs->ipv6 ? fs->ipv6->src_port : 0;
	uint32_t dport = fs->ipv4 ? fs->ipv4->dst_port : fs->ipv6 ? fs->ipv6->dst_port : 0;
	uint32_t flags = fs->ipv4 ? fs->ipv4->tcp_flags : fs->ipv6 ? fs->ipv6->tcp_flags : 0;

	if (fs->header || p != proto)
		return -1;
	return arg == 0 ? out_u64(v, sport) :
	       arg == 1 ? out_u64(v, dport) :
			  out_bits(v, flags & 0x1ff, 9);
}

/* 0 tcpsourceport, 1 tcpdestinationport, 2 tcpflags */
static int k_tcp(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_TCP, d, 14);

	if (!p)
		return d == 0 ? l4_record(fs, 6, arg, v) : -1;
	if (arg < 2)
		return out_u64(v, rd16(p + 2 * (size_t)arg));
	return out_bits(v, (uint32_t)(p[12] & 1) << 8 | p[13], 9);
}

/* 0 udpsourceport, 1 udpdestinationport */
static int k_udp(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_UDP, d, 8);

	if (!p)
		return d == 0 ? l4_record(fs, 17, arg, v) : -1;
	return out_u64(v, rd16(p + 2 * (size_t)arg));
}

/* The unreachable keys: 3 net (code 0) and 4 host (code 1): the original
 * destination; 5 protocol (code 2); 6 port (code 3): the original
 * destination port. From the IPv4 header the ICMP message quotes. */
static int icmp_unreach(const uint8_t *p, size_t len, int arg, struct flow_val *v)
{
	const uint8_t *ip = p + 8;
	size_t ihl;

	if (p[0] != 3 || len < 28 || p[1] != arg - 3)
		return -1;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	switch (arg) {
	case 3:
	case 4:
		return out_ip4(v, ip + 16);
	case 5:
		return out_u64(v, ip[9]);
	default:
		if (ihl < 20 || len < 8 + ihl + 4 || (ip[9] != 6 && ip[9] != 17))
			return -1;
		return out_u64(v, rd16(ip + ihl + 2));
	}
}

/* 0 icmptype, 1 icmpcode, 2 icmpseqno, 3..6 icmpunreachable{net,host,protocol,port} */
static int k_icmp(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_ICMP, d);
	const uint8_t *p;

	if (!l || l->len < 4)
		return -1;
	p = fs->header->header.ptr + l->off;
	if (arg < 2)
		return out_u64(v, p[arg]);
	if (arg == 2)
		return (p[0] == 0 || p[0] == 8) && l->len >= 8 ? out_u64(v, rd16(p + 6)) : -1;
	return icmp_unreach(p, l->len, arg, v);
}

static int k_icmp6(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_ICMP6, d, 4);

	return p ? out_u64(v, p[arg]) : -1;
}

static int out_qtype(struct flow_val *v, uint16_t t)
{
	static const struct {
		uint16_t v;
		const char *name;
	} names[] = { { 1, "A" },       { 2, "NS" },     { 5, "CNAME" },  { 6, "SOA" },
		      { 12, "PTR" },    { 15, "MX" },    { 16, "TXT" },   { 28, "AAAA" },
		      { 33, "SRV" },    { 35, "NAPTR" }, { 43, "DS" },    { 46, "RRSIG" },
		      { 48, "DNSKEY" }, { 64, "SVCB" },  { 65, "HTTPS" }, { 255, "ANY" } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].v == t)
			return out_str(v, names[i].name, strlen(names[i].name));
	return out_u64(v, t);
}

/* The question name of the DNS message at p[0..len) into t (dotted);
 * its end offset in p, or 0 when it is cut or malformed. */
static size_t dns_qname(const uint8_t *p, size_t len, char *t, size_t tcap, size_t *tn)
{
	size_t off = 12;

	*tn = 0;
	while (off < len && p[off] != 0) {
		size_t l = p[off];

		if (l > 63 || off + 1 + l > len || *tn + l + 1 >= tcap)
			return 0; /* compression pointers do not occur in a question */
		if (*tn)
			t[(*tn)++] = '.';
		memcpy(t + *tn, p + off + 1, l);
		*tn += l;
		off += 1 + l;
	}
	return off < len ? off + 1 : 0;
}

/* 0 dnsqname, 1 dnsqtypename, 2 dnsqr */
static int k_dns(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_DNS, d);
	char t[FLOW_KEY_VALUE_MAX];
	const uint8_t *p;
	size_t tn, end;

	if (!l || l->len < 12)
		return -1;
	p = fs->header->header.ptr + l->off;
	if (arg == 2)
		return out_bool(v, p[2] & 0x80);
	if (rd16(p + 4) == 0 || !(end = dns_qname(p, l->len, t, sizeof(t), &tn)))
		return -1;
	if (arg == 0)
		return out_text(fs, v, t, tn);
	return end + 2 <= l->len ? out_qtype(v, rd16(p + end)) : -1;
}

/* vxlanvni (FLOW_L_VXLAN), genevevni (FLOW_L_GENEVE): the 24-bit VNI */
static int k_vni(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, (uint8_t)arg, d, 8);

	return p ? out_u64(v, rd32(p + 4) >> 8) : -1;
}

/* grevsid: the NVGRE virtual subnet id, the top 24 bits of the GRE key */
static int k_grevsid(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_GRE, d, 8);
	size_t at;

	(void)arg;
	if (!p || !(p[0] & 0x20))
		return -1;
	at = p[0] & 0x80 ? 8 : 4;
	if (!lay(fs, FLOW_L_GRE, d, at + 4))
		return -1;
	return out_u64(v, rd32(p + at) >> 8);
}

const struct flow_key_def flow_keys_l3_defs[] = {
	{ "ipsource", k_ip4, 0, true, FLOW_KEY_PLAIN },
	{ "ipdestination", k_ip4, 1, true, FLOW_KEY_PLAIN },
	{ "ipprotocol", k_ip4, 2, true, FLOW_KEY_PLAIN },
	{ "iptos", k_ip4, 3, true, FLOW_KEY_PLAIN },
	{ "ipdscp", k_ip4, 4, true, FLOW_KEY_PLAIN },
	{ "ipdscpname", k_ip4, 5, true, FLOW_KEY_PLAIN },
	{ "ipecn", k_ip4, 6, true, FLOW_KEY_PLAIN },
	{ "ipbytes", k_ip4, 7, true, FLOW_KEY_PLAIN },
	{ "ipflags", k_ip4, 8, true, FLOW_KEY_PLAIN },
	{ "ipfragoffset", k_ip4, 9, true, FLOW_KEY_PLAIN },
	{ "ipttl", k_ip4, 10, true, FLOW_KEY_PLAIN },
	{ "ip6source", k_ip6, 0, true, FLOW_KEY_PLAIN },
	{ "ip6destination", k_ip6, 1, true, FLOW_KEY_PLAIN },
	{ "ip6nexthdr", k_ip6, 2, true, FLOW_KEY_PLAIN },
	{ "ip6tos", k_ip6, 3, true, FLOW_KEY_PLAIN },
	{ "ip6dscp", k_ip6, 4, true, FLOW_KEY_PLAIN },
	{ "ip6dscpname", k_ip6, 5, true, FLOW_KEY_PLAIN },
	{ "ip6ecn", k_ip6, 6, true, FLOW_KEY_PLAIN },
	{ "ip6bytes", k_ip6, 7, true, FLOW_KEY_PLAIN },
	{ "ip6flowlabel", k_ip6, 8, true, FLOW_KEY_PLAIN },
	{ "ip6fragm", k_ip6, 9, true, FLOW_KEY_PLAIN },
	{ "ip6fragoffset", k_ip6, 10, true, FLOW_KEY_PLAIN },
	{ "ip6ttl", k_ip6, 11, true, FLOW_KEY_PLAIN },
	{ "tcpsourceport", k_tcp, 0, true, FLOW_KEY_PLAIN },
	{ "tcpdestinationport", k_tcp, 1, true, FLOW_KEY_PLAIN },
	{ "tcpflags", k_tcp, 2, true, FLOW_KEY_PLAIN },
	{ "udpsourceport", k_udp, 0, true, FLOW_KEY_PLAIN },
	{ "udpdestinationport", k_udp, 1, true, FLOW_KEY_PLAIN },
	{ "icmptype", k_icmp, 0, true, FLOW_KEY_PLAIN },
	{ "icmpcode", k_icmp, 1, true, FLOW_KEY_PLAIN },
	{ "icmpseqno", k_icmp, 2, true, FLOW_KEY_PLAIN },
	{ "icmpunreachablenet", k_icmp, 3, true, FLOW_KEY_PLAIN },
	{ "icmpunreachablehost", k_icmp, 4, true, FLOW_KEY_PLAIN },
	{ "icmpunreachableprotocol", k_icmp, 5, true, FLOW_KEY_PLAIN },
	{ "icmpunreachableport", k_icmp, 6, true, FLOW_KEY_PLAIN },
	{ "icmp6type", k_icmp6, 0, true, FLOW_KEY_PLAIN },
	{ "icmp6code", k_icmp6, 1, true, FLOW_KEY_PLAIN },
	{ "dnsqname", k_dns, 0, true, FLOW_KEY_PLAIN },
	{ "dnsqtypename", k_dns, 1, true, FLOW_KEY_PLAIN },
	{ "dnsqr", k_dns, 2, true, FLOW_KEY_PLAIN },
	{ "vxlanvni", k_vni, FLOW_L_VXLAN, true, FLOW_KEY_PLAIN },
	{ "genevevni", k_vni, FLOW_L_GENEVE, true, FLOW_KEY_PLAIN },
	{ "grevsid", k_grevsid, 0, true, FLOW_KEY_PLAIN },
};

const size_t flow_keys_l3_ndefs = sizeof(flow_keys_l3_defs) / sizeof(flow_keys_l3_defs[0]);
