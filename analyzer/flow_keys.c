/*
 * analyzer/flow_keys.c: the flow key table (names of
 * reference/sflow-rt-api.md §2.5), name resolution, the sample's records,
 * and the value formatters. Header keys read the layers flow_keys_pkt.c
 * finds; without a sampled header the IPv4/IPv6/Ethernet sampled records
 * (0:3, 0:4, 0:2) give the same keys at depth 0.
 *
 * Print forms: IPv4 dotted, IPv6 as inet_ntop, MACs as 12 upper-case hex
 * digits, numbers in decimal, booleans true/false, tcpflags as the 9 flag
 * bits NS CWR ECE URG ACK PSH RST SYN FIN as '0'/'1' (SYN is "000000010"),
 * ipflags as the 3 bits reserved/DF/MF, BGP paths and communities joined
 * with '-' and ':' as sFlow-RT does (unverified: reference §2.5 names the
 * keys, not their print forms). The tcp_info mapping of tcprttwait (to
 * min_rtt) is unverified too.
 */
#include "analyzer/flow_keys.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_addr.h"
#include "analyzer/flow_keys_internal.h"
#include "sflow/sflow.h"

typedef int key_fn(struct flow_sample *fs, uint8_t depth, int arg, char *b, size_t cap);

struct key_def {
	const char *name;
	key_fn *fn;
	int arg;
	bool layered; /* has values at inner depths (".N") */
};

/* ---- formatters: each returns the length written, -1 for null ---------- */

static int out_str(char *b, size_t cap, const char *s, size_t n)
{
	if (cap == 0)
		return -1;
	n = n < cap - 1 ? n : cap - 1;
	memcpy(b, s, n);
	b[n] = '\0';
	return (int)n;
}

static int out_u64(char *b, size_t cap, uint64_t v)
{
	char t[24];
	size_t n = 0;

	do {
		t[sizeof(t) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return out_str(b, cap, t + sizeof(t) - n, n);
}

static int out_ip4(char *b, size_t cap, const uint8_t *p)
{
	char t[16];

	return out_str(b, cap, t, (size_t)flow_ip4_format(p, t));
}

static int out_ip6(char *b, size_t cap, const uint8_t *p)
{
	char t[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, p, t, sizeof(t)))
		return -1;
	return out_str(b, cap, t, strlen(t));
}

static int out_mac(char *b, size_t cap, const uint8_t *p)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[12];

	for (size_t i = 0; i < 6; i++) {
		t[2 * i] = hex[p[i] >> 4];
		t[2 * i + 1] = hex[p[i] & 15];
	}
	return out_str(b, cap, t, 12);
}

static int out_bool(char *b, size_t cap, bool v)
{
	return v ? out_str(b, cap, "true", 4) : out_str(b, cap, "false", 5);
}

static int out_bits(char *b, size_t cap, uint32_t v, int nbits)
{
	char t[32];

	for (int i = 0; i < nbits; i++)
		t[i] = (v >> (nbits - 1 - i)) & 1 ? '1' : '0';
	return out_str(b, cap, t, (size_t)nbits);
}

static int out_addr(char *b, size_t cap, const struct sfl_address *a)
{
	if (a->type == SFL_ADDR_IP4)
		return out_ip4(b, cap, a->addr);
	if (a->type == SFL_ADDR_IP6)
		return out_ip6(b, cap, a->addr);
	return -1;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The bytes of layer `proto` at depth with at least `need` of them, or NULL. */
static const uint8_t *lay(struct flow_sample *fs, uint8_t proto, uint8_t depth, size_t need)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, proto, depth);

	if (!l || l->len < need)
		return NULL;
	return fs->header->header.ptr + l->off;
}

/* ---- sample metadata ----------------------------------------------------- */

static int k_agent(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	(void)d, (void)arg;
	return out_str(b, cap, fs->agent, strlen(fs->agent));
}

/* inputifindex (arg 0) / outputifindex (arg 1): internal, multiple,
 * discard, or the ifIndex. */
static int k_ifindex(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	uint32_t fmt = arg ? fs->smp->output_format : fs->smp->input_format;
	uint32_t v = arg ? fs->smp->output : fs->smp->input;

	(void)d;
	if (fs->rt_valid)
		return -1;
	if (fmt == 1)
		return out_str(b, cap, "discard", 7);
	if (fmt == 2)
		return out_str(b, cap, "multiple", 8);
	if (v == 0x3FFFFFFF)
		return out_str(b, cap, "internal", 8);
	return out_u64(b, cap, v);
}

/* ingress when the data source is the input interface, egress when it is
 * the output one. */
static int k_direction(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct sfl_sample *s = fs->smp;

	(void)d, (void)arg;
	if (fs->rt_valid)
		return -1;
	if (s->input_format == 0 && s->input == s->ds_index)
		return out_str(b, cap, "ingress", 7);
	if (s->output_format == 0 && s->output == s->ds_index)
		return out_str(b, cap, "egress", 6);
	return -1;
}

static int k_bytes(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	uint32_t n = flow_sample_bytes(fs);

	(void)d, (void)arg;
	return n ? out_u64(b, cap, n) : -1;
}

static int k_frames(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	(void)fs, (void)d, (void)arg;
	return out_str(b, cap, "1", 1);
}

static int k_stripped(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	(void)d, (void)arg;
	return fs->header ? out_u64(b, cap, fs->header->stripped) : -1;
}

static int k_ip_offset(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_IP4, d);

	(void)arg;
	if (!l)
		l = flow_pkt_find(fs, FLOW_L_IP6, d);
	return l ? out_u64(b, cap, l->off) : -1;
}

static int k_reason(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	(void)d, (void)arg;
	return fs->dropped ? out_u64(b, cap, fs->smp->reason) : -1;
}

static const char *layer_name(uint8_t proto)
{
	static const char *const names[] = {
		[FLOW_L_ETH] = "eth", [FLOW_L_MPLS] = "mpls",   [FLOW_L_ARP] = "arp",
		[FLOW_L_IP4] = "ip",  [FLOW_L_IP6] = "ip6",     [FLOW_L_TCP] = "tcp",
		[FLOW_L_UDP] = "udp", [FLOW_L_ICMP] = "icmp",   [FLOW_L_ICMP6] = "icmp6",
		[FLOW_L_GRE] = "gre", [FLOW_L_VXLAN] = "vxlan", [FLOW_L_GENEVE] = "geneve",
		[FLOW_L_DNS] = "dns",
	};

	return proto < sizeof(names) / sizeof(names[0]) ? names[proto] : NULL;
}

/* eth.ip.tcp, eth.ip.udp.vxlan.eth.ip.tcp: the protocol layers in order
 * (VLAN tags, repeated MPLS labels and IPv6 fragment headers are not
 * layers of the stack). */
static int k_stack(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	char t[FLOW_KEY_VALUE_MAX];
	size_t n = 0;
	uint8_t prev = 0;

	(void)d, (void)arg;
	if (!fs->pkt.parsed)
		flow_pkt_parse(fs);
	for (uint8_t i = 0; i < fs->pkt.nlayers; i++) {
		const char *name = layer_name(fs->pkt.l[i].proto);
		size_t len = name ? strlen(name) : 0;

		if (!name || (fs->pkt.l[i].proto == FLOW_L_MPLS && prev == FLOW_L_MPLS) ||
		    n + len + 1 >= sizeof(t))
			continue;
		if (n)
			t[n++] = '.';
		memcpy(t + n, name, len + 1); /* with its NUL: t stays a string */
		n += len;
		prev = fs->pkt.l[i].proto;
	}
	return n ? out_str(b, cap, t, n) : -1;
}

/* ---- Ethernet, VLAN, MPLS, ARP --------------------------------------------- */

/* arg 0 source, 1 destination */
static int k_mac(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_ETH, d, 14);

	if (p)
		return out_mac(b, cap, p + (arg ? 0 : 6));
	if (d == 0 && fs->eth)
		return out_mac(b, cap, arg ? fs->eth->dst_mac : fs->eth->src_mac);
	return -1;
}

static int k_ethertype(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_ETH, d);
	const uint8_t *h;
	uint16_t type;
	size_t off;

	(void)arg;
	if (!l)
		return d == 0 && fs->eth ? out_u64(b, cap, fs->eth->eth_type) : -1;
	h = fs->header->header.ptr;
	off = l->off + 12u;
	for (type = rd16(h + off); (type == 0x8100 || type == 0x88a8 || type == 0x9100) &&
				   off + 6 <= fs->header->header.len;
	     type = rd16(h + off))
		off += 4;
	return out_u64(b, cap, type);
}

/* isbroadcast (arg 0), ismulticast (1), isunicast (2) of the destination */
static int k_cast(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t *p = lay(fs, FLOW_L_ETH, d, 6);
	bool bc, mc;

	if (!p && d == 0 && fs->eth)
		p = fs->eth->dst_mac;
	if (!p)
		return -1;
	bc = memcmp(p, bcast, 6) == 0;
	mc = !bc && (p[0] & 1);
	return out_bool(b, cap, arg == 0 ? bc : arg == 1 ? mc : !bc && !mc);
}

/* vlan (arg 0) and priority (1) of the outermost tag, else of the
 * extended switch record's incoming side */
static int k_vlan(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_VLAN, d, 2);

	if (p)
		return out_u64(b, cap, arg ? (uint32_t)(p[0] >> 5) : rd16(p) & 0x0fffu);
	if (d == 0 && fs->ex_switch)
		return out_u64(b, cap, arg ? fs->ex_switch->src_priority : fs->ex_switch->src_vlan);
	return -1;
}

/* extended switch: 0 vlansource, 1 vlandestination, 2 prioritysource,
 * 3 prioritydestination */
static int k_switch(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct sfl_ex_switch *s = fs->ex_switch;
	const uint32_t v[4] = { s ? s->src_vlan : 0, s ? s->dst_vlan : 0, s ? s->src_priority : 0,
				s ? s->dst_priority : 0 };

	return s && d == 0 ? out_u64(b, cap, v[arg]) : -1;
}

static int k_mpls(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_MPLS, d, 4);

	(void)arg;
	return p ? out_u64(b, cap, rd32(p) >> 12) : -1;
}

/* arpoperation (0), arpipsender (1), arpiptarget (2) */
static int k_arp(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_ARP, d, 28);

	if (!p)
		return -1;
	if (arg == 0)
		return out_u64(b, cap, rd16(p + 6));
	return out_ip4(b, cap, p + (arg == 1 ? 14 : 24));
}

/* ---- IPv4 and IPv6 ----------------------------------------------------------- */

static int out_dscp_name(char *b, size_t cap, uint8_t dscp)
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
			return out_str(b, cap, names[i].name, strlen(names[i].name));
	return out_u64(b, cap, dscp);
}

/* The tos byte's keys: 0 tos, 1 dscp, 2 dscp name, 3 ecn */
static int out_tos(char *b, size_t cap, uint8_t tos, int which)
{
	switch (which) {
	case 0:
		return out_u64(b, cap, tos);
	case 1:
		return out_u64(b, cap, tos >> 2);
	case 2:
		return out_dscp_name(b, cap, (uint8_t)(tos >> 2));
	default:
		return out_u64(b, cap, tos & 3);
	}
}

/* IPv4 keys from the sampled ipv4 record (no header). */
static int ip4_record(const struct sfl_flow_ipv4 *r, int arg, char *b, size_t cap)
{
	switch (arg) {
	case 0:
		return out_ip4(b, cap, r->src_ip);
	case 1:
		return out_ip4(b, cap, r->dst_ip);
	case 2:
		return out_u64(b, cap, r->protocol);
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(b, cap, (uint8_t)r->tos, arg - 3);
	case 7:
		return out_u64(b, cap, r->length);
	default:
		return -1;
	}
}

/* 0 ipsource, 1 ipdestination, 2 ipprotocol, 3 iptos, 4 ipdscp,
 * 5 ipdscpname, 6 ipecn, 7 ipbytes, 8 ipflags, 9 ipfragoffset, 10 ipttl */
static int k_ip4(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_IP4, d, 20);

	if (!p)
		return d == 0 && fs->ipv4 && !fs->header ? ip4_record(fs->ipv4, arg, b, cap) : -1;
	switch (arg) {
	case 0:
		return out_ip4(b, cap, p + 12);
	case 1:
		return out_ip4(b, cap, p + 16);
	case 2:
		return out_u64(b, cap, p[9]);
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(b, cap, p[1], arg - 3);
	case 7:
		return out_u64(b, cap, rd16(p + 2));
	case 8:
		return out_bits(b, cap, (uint32_t)p[6] >> 5, 3);
	case 9:
		return out_u64(b, cap, rd16(p + 6) & 0x1fffu);
	default:
		return out_u64(b, cap, p[8]);
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

static int ip6_record(const struct sfl_flow_ipv6 *r, int arg, char *b, size_t cap)
{
	switch (arg) {
	case 0:
		return out_ip6(b, cap, r->src_ip);
	case 1:
		return out_ip6(b, cap, r->dst_ip);
	case 2:
		return out_u64(b, cap, r->protocol);
	case 7:
		return out_u64(b, cap, r->length);
	default:
		return -1;
	}
}

/* 0 ip6source, 1 ip6destination, 2 ip6nexthdr, 3 ip6tos, 4 ip6dscp,
 * 5 ip6dscpname, 6 ip6ecn, 7 ip6bytes, 8 ip6flowlabel, 9 ip6fragm,
 * 10 ip6fragoffset, 11 ip6ttl */
static int k_ip6(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_IP6, d, 40), *f;
	uint8_t tc;

	if (!p)
		return d == 0 && fs->ipv6 && !fs->header ? ip6_record(fs->ipv6, arg, b, cap) : -1;
	tc = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	switch (arg) {
	case 0:
		return out_ip6(b, cap, p + 8);
	case 1:
		return out_ip6(b, cap, p + 24);
	case 2:
		return out_u64(b, cap, ip6_upper(fs, d, p));
	case 3:
	case 4:
	case 5:
	case 6:
		return out_tos(b, cap, tc, arg - 3);
	case 7:
		return out_u64(b, cap, rd16(p + 4));
	case 8:
		return out_u64(b, cap, rd32(p) & 0xfffffu);
	case 9:
		return out_str(b, cap, flow_pkt_find(fs, FLOW_L_FRAG6, d) ? "yes" : "no",
			       flow_pkt_find(fs, FLOW_L_FRAG6, d) ? 3 : 2);
	case 10:
		f = lay(fs, FLOW_L_FRAG6, d, 8);
		return f ? out_u64(b, cap, rd16(f + 2) >> 3) : -1;
	default:
		return out_u64(b, cap, p[7]);
	}
}

/* ---- TCP, UDP, ICMP, DNS, tunnels --------------------------------------------- */

/* The sampled ipv4/ipv6 record's ports and flags when its protocol is
 * `proto` (no header). */
static int l4_record(const struct flow_sample *fs, uint32_t proto, int arg, char *b, size_t cap)
{
	uint32_t p = fs->ipv4 ? fs->ipv4->protocol : fs->ipv6 ? fs->ipv6->protocol : 0;
	uint32_t sport = fs->ipv4 ? fs->ipv4->src_port : fs->ipv6 ? fs->ipv6->src_port : 0;
	uint32_t dport = fs->ipv4 ? fs->ipv4->dst_port : fs->ipv6 ? fs->ipv6->dst_port : 0;
	uint32_t flags = fs->ipv4 ? fs->ipv4->tcp_flags : fs->ipv6 ? fs->ipv6->tcp_flags : 0;

	if (fs->header || p != proto)
		return -1;
	return arg == 0 ? out_u64(b, cap, sport) :
	       arg == 1 ? out_u64(b, cap, dport) :
			  out_bits(b, cap, flags & 0x1ff, 9);
}

/* 0 tcpsourceport, 1 tcpdestinationport, 2 tcpflags */
static int k_tcp(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_TCP, d, 14);

	if (!p)
		return d == 0 ? l4_record(fs, 6, arg, b, cap) : -1;
	if (arg < 2)
		return out_u64(b, cap, rd16(p + 2 * (size_t)arg));
	return out_bits(b, cap, (uint32_t)(p[12] & 1) << 8 | p[13], 9);
}

/* 0 udpsourceport, 1 udpdestinationport */
static int k_udp(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_UDP, d, 8);

	if (!p)
		return d == 0 ? l4_record(fs, 17, arg, b, cap) : -1;
	return out_u64(b, cap, rd16(p + 2 * (size_t)arg));
}

/* The unreachable keys: 3 net (code 0) and 4 host (code 1): the original
 * destination; 5 protocol (code 2); 6 port (code 3): the original
 * destination port. From the IPv4 header the ICMP message quotes. */
static int icmp_unreach(const uint8_t *p, size_t len, int arg, char *b, size_t cap)
{
	const uint8_t *ip = p + 8;
	size_t ihl;

	if (p[0] != 3 || len < 28 || p[1] != arg - 3)
		return -1;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	switch (arg) {
	case 3:
	case 4:
		return out_ip4(b, cap, ip + 16);
	case 5:
		return out_u64(b, cap, ip[9]);
	default:
		if (ihl < 20 || len < 8 + ihl + 4 || (ip[9] != 6 && ip[9] != 17))
			return -1;
		return out_u64(b, cap, rd16(ip + ihl + 2));
	}
}

/* 0 icmptype, 1 icmpcode, 2 icmpseqno, 3..6 icmpunreachable{net,host,protocol,port} */
static int k_icmp(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_ICMP, d);
	const uint8_t *p;

	if (!l || l->len < 4)
		return -1;
	p = fs->header->header.ptr + l->off;
	if (arg < 2)
		return out_u64(b, cap, p[arg]);
	if (arg == 2)
		return (p[0] == 0 || p[0] == 8) && l->len >= 8 ? out_u64(b, cap, rd16(p + 6)) : -1;
	return icmp_unreach(p, l->len, arg, b, cap);
}

static int k_icmp6(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_ICMP6, d, 4);

	return p ? out_u64(b, cap, p[arg]) : -1;
}

static int out_qtype(char *b, size_t cap, uint16_t t)
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
			return out_str(b, cap, names[i].name, strlen(names[i].name));
	return out_u64(b, cap, t);
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
static int k_dns(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_DNS, d);
	char t[FLOW_KEY_VALUE_MAX];
	const uint8_t *p;
	size_t tn, end;

	if (!l || l->len < 12)
		return -1;
	p = fs->header->header.ptr + l->off;
	if (arg == 2)
		return out_bool(b, cap, p[2] & 0x80);
	if (rd16(p + 4) == 0 || !(end = dns_qname(p, l->len, t, sizeof(t), &tn)))
		return -1;
	if (arg == 0)
		return out_str(b, cap, t, tn);
	return end + 2 <= l->len ? out_qtype(b, cap, rd16(p + end)) : -1;
}

/* vxlanvni (FLOW_L_VXLAN), genevevni (FLOW_L_GENEVE): the 24-bit VNI */
static int k_vni(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, (uint8_t)arg, d, 8);

	return p ? out_u64(b, cap, rd32(p + 4) >> 8) : -1;
}

/* grevsid: the NVGRE virtual subnet id, the top 24 bits of the GRE key */
static int k_grevsid(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const uint8_t *p = lay(fs, FLOW_L_GRE, d, 8);
	size_t at;

	(void)arg;
	if (!p || !(p[0] & 0x20))
		return -1;
	at = p[0] & 0x80 ? 8 : 4;
	if (!lay(fs, FLOW_L_GRE, d, at + 4))
		return -1;
	return out_u64(b, cap, rd32(p + at) >> 8);
}

/* ---- extended records ---------------------------------------------------------- */

/* 0 ipnexthoprouter, 1 ipsourcemaskbits, 2 ipdestinationmaskbits */
static int k_router(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct sfl_ex_router *r = fs->ex_router;

	if (!r || d)
		return -1;
	if (arg == 0)
		return out_addr(b, cap, &r->nexthop);
	return out_u64(b, cap, arg == 1 ? r->src_mask_len : r->dst_mask_len);
}

/* The AS path as '-'-joined numbers (all segments in order); the first
 * (peer) and last (origin) AS through *first and *last. */
static int as_path(const struct sfl_ex_gateway *g, char *b, size_t cap, uint32_t *first,
		   uint32_t *last)
{
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	char t[FLOW_KEY_VALUE_MAX];
	int n = 0;

	*first = *last = 0;
	sfl_list_iter_init(&it, &g->as_path);
	while (sfl_as_path_next(&it, &seg))
		for (uint32_t i = 0; i < seg.asns.count; i++) {
			uint32_t as = sfl_u32_array_get(&seg.asns, i);
			int w = out_u64(t + n + (n ? 1 : 0), sizeof(t) - (size_t)n - 1, as);

			if (w < 0 || (size_t)n + (size_t)w + 2 >= sizeof(t))
				break;
			if (n)
				t[n++] = '-';
			n += w;
			*first = *first ? *first : as;
			*last = as;
		}
	return n ? out_str(b, cap, t, (size_t)n) : -1;
}

/* 0 bgpnexthop, 1 bgpas, 2 bgpsourceas, 3 bgpsourcepeeras,
 * 4 bgpdestinationas, 5 bgpdestinationpeeras, 6 bgpdestinationaspath,
 * 7 bgpcommunities, 8 bgplocalpref */
static int k_gateway(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct sfl_ex_gateway *g = fs->ex_gateway;
	char t[FLOW_KEY_VALUE_MAX];
	uint32_t first, last;
	int n = 0;

	if (!g || d)
		return -1;
	switch (arg) {
	case 0:
		return out_addr(b, cap, &g->nexthop);
	case 1:
		return out_u64(b, cap, g->as);
	case 2:
		return out_u64(b, cap, g->src_as);
	case 3:
		return out_u64(b, cap, g->src_peer_as);
	case 4:
		return as_path(g, t, sizeof(t), &first, &last) < 0 ? -1 : out_u64(b, cap, last);
	case 5:
		return as_path(g, t, sizeof(t), &first, &last) < 0 ? -1 : out_u64(b, cap, first);
	case 6:
		return as_path(g, b, cap, &first, &last);
	case 8:
		return out_u64(b, cap, g->local_pref);
	default:
		break;
	}
	for (uint32_t i = 0; i < g->communities.count && (size_t)n + 24 < sizeof(t); i++) {
		uint32_t c = sfl_u32_array_get(&g->communities, i);

		if (n)
			t[n++] = '-';
		n += out_u64(t + n, sizeof(t) - (size_t)n, c >> 16);
		t[n++] = ':';
		n += out_u64(t + n, sizeof(t) - (size_t)n, c & 0xffff);
	}
	return n ? out_str(b, cap, t, (size_t)n) : -1;
}

/* tcp_info 0:2209: the field at arg (an index into the struct's words) */
static int k_tcpinfo(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	const struct sfl_ex_tcp_info *t = fs->tcp_info;
	uint32_t v[] = { t ? t->rtt_us : 0,    t ? t->unacked : 0,   t ? t->min_rtt_us : 0,
			 t ? t->rttvar_us : 0, t ? t->lost : 0,      t ? t->retrans : 0,
			 t ? t->snd_cwnd : 0,  t ? t->snd_mss : 0,   t ? t->rcv_mss : 0,
			 t ? t->pmtu : 0,      t ? t->reordering : 0 };

	return t && d == 0 ? out_u64(b, cap, v[arg]) : -1;
}

/* http_request 0:2206: 0 httpmethod, 1 httpurl, 2 httphost, 3 httpstatus,
 * 4 duration (µs), 5 requests (1), 6 httpuseragent, 7 httpmimetype */
static int k_http(struct flow_sample *fs, uint8_t d, int arg, char *b, size_t cap)
{
	static const char *const methods[] = { "OTHER", "OPTIONS", "GET",   "HEAD",   "POST",
					       "PUT",   "DELETE",  "TRACE", "CONNECT" };
	const struct sfl_flow_http *h = fs->http;

	if (!h || d)
		return -1;
	switch (arg) {
	case 0: {
		const char *m = h->method < 9 ? methods[h->method] : "OTHER";

		return out_str(b, cap, m, strlen(m));
	}
	case 1:
		return h->uri.ptr ? out_str(b, cap, h->uri.ptr, h->uri.len) : -1;
	case 2:
		return h->host.ptr ? out_str(b, cap, h->host.ptr, h->host.len) : -1;
	case 3:
		return out_u64(b, cap, h->status < 0 ? 0 : (uint64_t)h->status);
	case 4:
		return out_u64(b, cap, h->duration_us);
	case 5:
		return out_str(b, cap, "1", 1);
	case 6:
		return h->useragent.ptr ? out_str(b, cap, h->useragent.ptr, h->useragent.len) : -1;
	default:
		return h->mime_type.ptr ? out_str(b, cap, h->mime_type.ptr, h->mime_type.len) : -1;
	}
}

/* ---- the table ------------------------------------------------------------------ */

static const struct key_def keys[] = {
	{ "agent", k_agent, 0, false },
	{ "inputifindex", k_ifindex, 0, false },
	{ "outputifindex", k_ifindex, 1, false },
	{ "direction", k_direction, 0, false },
	{ "bytes", k_bytes, 0, false },
	{ "frames", k_frames, 0, false },
	{ "stripped", k_stripped, 0, false },
	{ "ip_offset", k_ip_offset, 0, true },
	{ "reason", k_reason, 0, false },
	{ "stack", k_stack, 0, false },
	{ "macsource", k_mac, 0, true },
	{ "macdestination", k_mac, 1, true },
	{ "ethernetprotocol", k_ethertype, 0, true },
	{ "isbroadcast", k_cast, 0, true },
	{ "ismulticast", k_cast, 1, true },
	{ "isunicast", k_cast, 2, true },
	{ "vlan", k_vlan, 0, true },
	{ "priority", k_vlan, 1, true },
	{ "vlansource", k_switch, 0, false },
	{ "vlandestination", k_switch, 1, false },
	{ "prioritysource", k_switch, 2, false },
	{ "prioritydestination", k_switch, 3, false },
	{ "mplslabel", k_mpls, 0, true },
	{ "arpoperation", k_arp, 0, true },
	{ "arpipsender", k_arp, 1, true },
	{ "arpiptarget", k_arp, 2, true },
	{ "ipsource", k_ip4, 0, true },
	{ "ipdestination", k_ip4, 1, true },
	{ "ipprotocol", k_ip4, 2, true },
	{ "iptos", k_ip4, 3, true },
	{ "ipdscp", k_ip4, 4, true },
	{ "ipdscpname", k_ip4, 5, true },
	{ "ipecn", k_ip4, 6, true },
	{ "ipbytes", k_ip4, 7, true },
	{ "ipflags", k_ip4, 8, true },
	{ "ipfragoffset", k_ip4, 9, true },
	{ "ipttl", k_ip4, 10, true },
	{ "ip6source", k_ip6, 0, true },
	{ "ip6destination", k_ip6, 1, true },
	{ "ip6nexthdr", k_ip6, 2, true },
	{ "ip6tos", k_ip6, 3, true },
	{ "ip6dscp", k_ip6, 4, true },
	{ "ip6dscpname", k_ip6, 5, true },
	{ "ip6ecn", k_ip6, 6, true },
	{ "ip6bytes", k_ip6, 7, true },
	{ "ip6flowlabel", k_ip6, 8, true },
	{ "ip6fragm", k_ip6, 9, true },
	{ "ip6fragoffset", k_ip6, 10, true },
	{ "ip6ttl", k_ip6, 11, true },
	{ "tcpsourceport", k_tcp, 0, true },
	{ "tcpdestinationport", k_tcp, 1, true },
	{ "tcpflags", k_tcp, 2, true },
	{ "udpsourceport", k_udp, 0, true },
	{ "udpdestinationport", k_udp, 1, true },
	{ "icmptype", k_icmp, 0, true },
	{ "icmpcode", k_icmp, 1, true },
	{ "icmpseqno", k_icmp, 2, true },
	{ "icmpunreachablenet", k_icmp, 3, true },
	{ "icmpunreachablehost", k_icmp, 4, true },
	{ "icmpunreachableprotocol", k_icmp, 5, true },
	{ "icmpunreachableport", k_icmp, 6, true },
	{ "icmp6type", k_icmp6, 0, true },
	{ "icmp6code", k_icmp6, 1, true },
	{ "dnsqname", k_dns, 0, true },
	{ "dnsqtypename", k_dns, 1, true },
	{ "dnsqr", k_dns, 2, true },
	{ "vxlanvni", k_vni, FLOW_L_VXLAN, true },
	{ "genevevni", k_vni, FLOW_L_GENEVE, true },
	{ "grevsid", k_grevsid, 0, true },
	{ "ipnexthoprouter", k_router, 0, false },
	{ "ipsourcemaskbits", k_router, 1, false },
	{ "ipdestinationmaskbits", k_router, 2, false },
	{ "bgpnexthop", k_gateway, 0, false },
	{ "bgpas", k_gateway, 1, false },
	{ "bgpsourceas", k_gateway, 2, false },
	{ "bgpsourcepeeras", k_gateway, 3, false },
	{ "bgpdestinationas", k_gateway, 4, false },
	{ "bgpdestinationpeeras", k_gateway, 5, false },
	{ "bgpdestinationaspath", k_gateway, 6, false },
	{ "bgpcommunities", k_gateway, 7, false },
	{ "bgplocalpref", k_gateway, 8, false },
	{ "tcprtt", k_tcpinfo, 0, false },
	{ "tcpunacked", k_tcpinfo, 1, false },
	{ "tcprttwait", k_tcpinfo, 2, false },
	{ "tcprttsdev", k_tcpinfo, 3, false },
	{ "tcplost", k_tcpinfo, 4, false },
	{ "tcpretrans", k_tcpinfo, 5, false },
	{ "tcpcwndsnd", k_tcpinfo, 6, false },
	{ "tcpmss", k_tcpinfo, 7, false },
	{ "tcprcvmss", k_tcpinfo, 8, false },
	{ "tcppmtu", k_tcpinfo, 9, false },
	{ "tcpreordering", k_tcpinfo, 10, false },
	{ "httpmethod", k_http, 0, false },
	{ "httpurl", k_http, 1, false },
	{ "httphost", k_http, 2, false },
	{ "httpstatus", k_http, 3, false },
	{ "duration", k_http, 4, false },
	{ "requests", k_http, 5, false },
	{ "httpuseragent", k_http, 6, false },
	{ "httpmimetype", k_http, 7, false },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

int flow_key_resolve(const char *name, struct flow_key_ref *out)
{
	size_t n = name ? strlen(name) : 0, base = n;
	unsigned depth = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= FLOW_KEY_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(name[i] == '_' || name[i] == '.' || name[i] == '-' ||
		      (name[i] >= '0' && name[i] <= '9') ||
		      ((name[i] | 0x20) >= 'a' && (name[i] | 0x20) <= 'z')))
			return -1;
	memcpy(out->name, name, n + 1);
	if (n >= 3 && name[n - 2] == '.' && name[n - 1] >= '1' &&
	    name[n - 1] <= '0' + FLOW_KEY_DEPTH_MAX) {
		depth = (unsigned)(name[n - 1] - '0');
		base = n - 2;
	}
	out->id = FLOW_KEY_DYNAMIC;
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(keys[i].name) == base && memcmp(keys[i].name, name, base) == 0 &&
		    (depth == 0 || keys[i].layered)) {
			out->id = (uint16_t)i;
			out->depth = (uint8_t)depth;
		}
	return 0;
}

/* ---- samples ------------------------------------------------------------------------ */

static void keep_record(struct flow_sample *fs, const struct sfl_record *r)
{
	if (!r->known)
		return;
	switch (r->tag) {
	case SFL_FLOW_HEADER:
		fs->v_header = r->v.header, fs->header = &fs->v_header;
		break;
	case SFL_FLOW_ETHERNET:
		fs->v_eth = r->v.ethernet, fs->eth = &fs->v_eth;
		break;
	case SFL_FLOW_IPV4:
		fs->v_ipv4 = r->v.ipv4, fs->ipv4 = &fs->v_ipv4;
		break;
	case SFL_FLOW_IPV6:
		fs->v_ipv6 = r->v.ipv6, fs->ipv6 = &fs->v_ipv6;
		break;
	case SFL_FLOW_EX_SWITCH:
		fs->v_switch = r->v.ex_switch, fs->ex_switch = &fs->v_switch;
		break;
	case SFL_FLOW_EX_ROUTER:
		fs->v_router = r->v.router, fs->ex_router = &fs->v_router;
		break;
	case SFL_FLOW_EX_GATEWAY:
		fs->v_gateway = r->v.gateway, fs->ex_gateway = &fs->v_gateway;
		break;
	case SFL_FLOW_EX_TCP_INFO:
		fs->v_tcp_info = r->v.tcp_info, fs->tcp_info = &fs->v_tcp_info;
		break;
	case SFL_FLOW_HTTP:
		fs->v_http = r->v.http, fs->http = &fs->v_http;
		break;
	case SFL_FLOW_EX_SOCKET4:
		fs->v_socket4 = r->v.socket4, fs->socket4 = &fs->v_socket4;
		break;
	case SFL_FLOW_EX_SOCKET6:
		fs->v_socket6 = r->v.socket6, fs->socket6 = &fs->v_socket6;
		break;
	default:
		break;
	}
}

static void sample_reset(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	fs->smp = smp;
	fs->agent = agent;
	fs->dropped = smp->tag == SFL_SAMPLE_DISCARD;
	fs->header = NULL;
	fs->eth = NULL;
	fs->ipv4 = NULL;
	fs->ipv6 = NULL;
	fs->ex_switch = NULL;
	fs->ex_router = NULL;
	fs->ex_gateway = NULL;
	fs->tcp_info = NULL;
	fs->http = NULL;
	fs->socket4 = NULL;
	fs->socket6 = NULL;
	fs->rt_valid = false;
	fs->nmemo = 0;
	fs->memo_used = 0;
	fs->pkt.parsed = false;
	fs->pkt.nlayers = 0;
}

void flow_sample_init(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	struct sfl_sample walk = *smp; /* the caller's cursor stays where it is */
	struct sfl_error err = { 0 };
	struct sfl_record r;

	sample_reset(fs, smp, agent);
	walk.err = &err;
	while (sfl_sample_next_record(&walk, &r))
		keep_record(fs, &r);
}

void flow_sample_init_rt(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	sample_reset(fs, smp, agent);
	fs->rt_valid = sfl_rt_open(smp, &fs->rt) == 0;
}

uint32_t flow_sample_bytes(const struct flow_sample *fs)
{
	if (fs->header)
		return fs->header->frame_bytes;
	if (fs->ipv4)
		return fs->ipv4->length;
	if (fs->ipv6)
		return fs->ipv6->length;
	if (fs->eth)
		return fs->eth->frame_bytes;
	return 0;
}

/* A custom key: the rtflow entry named k->name. */
static int rt_value(const struct flow_sample *fs, const char *name, char *b, size_t cap)
{
	struct sfl_rt_sample rt = fs->rt;
	struct sfl_error err = { 0 };
	struct sfl_rt_entry e;
	size_t n = strlen(name);

	rt.err = &err;
	while (sfl_rt_next(&rt, &e)) {
		if (e.name.len != n || memcmp(e.name.ptr, name, n) != 0)
			continue;
		switch (e.type) {
		case SFL_RTF_STRING:
			return out_str(b, cap, e.str.ptr ? e.str.ptr : "", e.str.len);
		case SFL_RTF_MAC:
			return out_mac(b, cap, e.raw);
		case SFL_RTF_IP:
			return out_ip4(b, cap, e.raw);
		case SFL_RTF_IP6:
			return out_ip6(b, cap, e.raw);
		case SFL_RTF_FLOAT:
		case SFL_RTF_DOUBLE: {
			char t[32];
			int w = snprintf(t, sizeof(t), "%.17g", e.dbl);

			return out_str(b, cap, t, (size_t)w);
		}
		default:
			return out_u64(b, cap, e.u64);
		}
	}
	return -1;
}

/* The built-in key k of fs, from the sample's memo or computed and kept. */
static int memo_value(struct flow_sample *fs, const struct flow_key_ref *k, char *buf, size_t cap)
{
	struct flow_memo *m;
	int n;

	for (uint8_t i = 0; i < fs->nmemo; i++) {
		m = &fs->memo[i];
		if (m->id != k->id || m->depth != k->depth)
			continue;
		if (m->len < 0 || cap == 0)
			return -1;
		n = (size_t)m->len < cap - 1 ? m->len : (int)cap - 1;
		memcpy(buf, fs->memo_buf + m->off, (size_t)n);
		buf[n] = '\0';
		return n;
	}
	n = keys[k->id].fn(fs, k->depth, keys[k->id].arg, buf, cap);
	if (fs->nmemo == FLOW_MEMO_KEYS ||
	    (n >= 0 && ((size_t)n + 1 >= cap || fs->memo_used + (size_t)n > FLOW_MEMO_BYTES)))
		return n; /* no room, or cut short by cap: not kept */
	m = &fs->memo[fs->nmemo++];
	m->id = k->id;
	m->depth = k->depth;
	m->len = (int16_t)n;
	m->off = fs->memo_used;
	if (n > 0) {
		memcpy(fs->memo_buf + fs->memo_used, buf, (size_t)n);
		fs->memo_used = (uint16_t)(fs->memo_used + n);
	}
	return n;
}

int flow_key_value(struct flow_sample *fs, const struct flow_key_ref *k, char *buf, size_t cap)
{
	if (k->id == FLOW_KEY_DYNAMIC)
		return fs->rt_valid ? rt_value(fs, k->name, buf, cap) : -1;
	if (k->id >= NKEYS)
		return -1;
	if (fs->rt_valid) { /* an rtflow sample's keys are its entries */
		int n = rt_value(fs, k->name, buf, cap);

		return n >= 0 || keys[k->id].fn != k_agent ? n : k_agent(fs, 0, 0, buf, cap);
	}
	return memo_value(fs, k, buf, cap);
}

bool flow_key_number(struct flow_sample *fs, const struct flow_key_ref *k, double *out)
{
	char b[FLOW_KEY_VALUE_MAX], *end;
	int n;

	if (k->id < NKEYS && keys[k->id].fn == k_bytes && !fs->rt_valid) {
		*out = flow_sample_bytes(fs);
		return *out > 0;
	}
	if (k->id < NKEYS && keys[k->id].fn == k_frames && !fs->rt_valid) {
		*out = 1;
		return true;
	}
	n = flow_key_value(fs, k, b, sizeof(b));
	if (n <= 0)
		return false;
	*out = strtod(b, &end);
	return *end == '\0';
}

void flow_sample_each_key(struct flow_sample *fs, flow_key_present_cb *cb, void *arg)
{
	char b[FLOW_KEY_VALUE_MAX], name[FLOW_KEY_NAME_MAX + 4];
	uint8_t maxdepth = 0;

	if (fs->rt_valid) {
		struct sfl_rt_sample rt = fs->rt;
		struct sfl_error err = { 0 };
		struct sfl_rt_entry e;

		rt.err = &err;
		while (sfl_rt_next(&rt, &e))
			if (e.name.len > 0 && e.name.len < FLOW_KEY_NAME_MAX) {
				memcpy(name, e.name.ptr, e.name.len);
				name[e.name.len] = '\0';
				cb(arg, name);
			}
		return;
	}
	if (!fs->pkt.parsed)
		flow_pkt_parse(fs);
	for (uint8_t i = 0; i < fs->pkt.nlayers; i++)
		maxdepth = fs->pkt.l[i].depth > maxdepth ? fs->pkt.l[i].depth : maxdepth;
	for (uint8_t d = 0; d <= maxdepth; d++)
		for (size_t i = 0; i < NKEYS; i++) {
			if (d > 0 && !keys[i].layered)
				continue;
			if (keys[i].fn(fs, d, keys[i].arg, b, sizeof(b)) < 0)
				continue;
			if (d == 0)
				cb(arg, keys[i].name);
			else {
				snprintf(name, sizeof(name), "%s.%u", keys[i].name, d);
				cb(arg, name);
			}
		}
}
