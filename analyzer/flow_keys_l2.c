/*
 * analyzer/flow_keys_l2.c: the sample metadata keys (agent, interfaces,
 * direction, bytes, frames, stack ...) and the layer 2 keys (Ethernet,
 * VLAN, extended switch, MPLS, ARP). See flow_keys.h for print forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_keys_internal.h"
#include "sflow/sflow.h"

/* ---- sample metadata ----------------------------------------------------- */

static int k_agent(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	(void)d, (void)arg;
	return out_str(v, fs->agent, strlen(fs->agent));
}

/* inputifindex (arg 0) / outputifindex (arg 1): internal, multiple,
 * discard, or the ifIndex. */
static int k_ifindex(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	uint32_t fmt = arg ? fs->smp->output_format : fs->smp->input_format;
	uint32_t ifx = arg ? fs->smp->output : fs->smp->input;

	(void)d;
	if (fs->rt_valid)
		return -1;
	if (fmt == 1)
		return out_str(v, "discard", 7);
	if (fmt == 2)
		return out_str(v, "multiple", 8);
	if (ifx == 0x3FFFFFFF)
		return out_str(v, "internal", 8);
	return out_u64(v, ifx);
}

/* ingress when the data source is the input interface, egress when it is
 * the output one. */
static int k_direction(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct sfl_sample *s = fs->smp;

	(void)d, (void)arg;
	if (fs->rt_valid)
		return -1;
	if (s->input_format == 0 && s->input == s->ds_index)
		return out_str(v, "ingress", 7);
	if (s->output_format == 0 && s->output == s->ds_index)
		return out_str(v, "egress", 6);
	return -1;
}

static int k_bytes(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	uint32_t n = flow_sample_bytes(fs);

	(void)d, (void)arg;
	return n ? out_u64(v, n) : -1;
}

static int k_frames(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	(void)fs, (void)d, (void)arg;
	return out_u64(v, 1);
}

static int k_stripped(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	(void)d, (void)arg;
	return fs->header ? out_u64(v, fs->header->stripped) : -1;
}

static int k_ip_offset(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_IP4, d);

	(void)arg;
	if (!l)
		l = flow_pkt_find(fs, FLOW_L_IP6, d);
	return l ? out_u64(v, l->off) : -1;
}

static int k_reason(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	(void)d, (void)arg;
	return fs->dropped ? out_u64(v, fs->smp->reason) : -1;
}

/* Stack names, padded to 8 bytes so each is copied as one word. */
struct layer_name {
	char s[8];
	uint8_t len; /* 0: not a layer of the stack */
};

static const struct layer_name layer_names[FLOW_PKT_PROTOS] = {
	[FLOW_L_ETH] = { "eth", 3 },     [FLOW_L_MPLS] = { "mpls", 4 },
	[FLOW_L_ARP] = { "arp", 3 },     [FLOW_L_IP4] = { "ip", 2 },
	[FLOW_L_IP6] = { "ip6", 3 },     [FLOW_L_TCP] = { "tcp", 3 },
	[FLOW_L_UDP] = { "udp", 3 },     [FLOW_L_ICMP] = { "icmp", 4 },
	[FLOW_L_ICMP6] = { "icmp6", 5 }, [FLOW_L_GRE] = { "gre", 3 },
	[FLOW_L_VXLAN] = { "vxlan", 5 }, [FLOW_L_GENEVE] = { "geneve", 6 },
	[FLOW_L_DNS] = { "dns", 3 },
};

/* eth.ip.tcp, eth.ip.udp.vxlan.eth.ip.tcp: the protocol layers in order
 * (VLAN tags, repeated MPLS labels and IPv6 fragment headers are not
 * layers of the stack). */
static int k_stack(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	char t[FLOW_KEY_VALUE_MAX + 8];
	size_t n = 0;
	uint8_t prev = 0;

	(void)d, (void)arg;
	if (!fs->pkt.parsed)
		flow_pkt_parse(fs);
	for (uint8_t i = 0; i < fs->pkt.nlayers; i++) {
		uint8_t p = fs->pkt.l[i].proto;
		const struct layer_name *ln = p < FLOW_PKT_PROTOS ? &layer_names[p] : NULL;

		if (!ln || !ln->len || (p == FLOW_L_MPLS && prev == FLOW_L_MPLS) ||
		    n + ln->len + 1 >= FLOW_KEY_VALUE_MAX)
			continue;
		if (n)
			t[n++] = '.';
		memcpy(t + n, ln->s, 8); /* t has 8 bytes of slack past the value cap */
		n += ln->len;
		prev = p;
	}
	return n ? out_text(fs, v, t, n) : -1;
}

/* ---- Ethernet, VLAN, MPLS, ARP --------------------------------------------- */

/* arg 0 source, 1 destination */
static int k_mac(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_ETH, d, 14);

	if (p)
		return out_mac(v, p + (arg ? 0 : 6));
	if (d == 0 && fs->eth)
		return out_mac(v, arg ? fs->eth->dst_mac : fs->eth->src_mac);
	return -1;
}

static int k_ethertype(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, FLOW_L_ETH, d);
	const uint8_t *h;
	uint16_t type;
	size_t off;

	(void)arg;
	if (!l)
		return d == 0 && fs->eth ? out_u64(v, fs->eth->eth_type) : -1;
	h = fs->header->header.ptr;
	off = l->off + 12u;
	for (type = rd16(h + off); (type == 0x8100 || type == 0x88a8 || type == 0x9100) &&
				   off + 6 <= fs->header->header.len;
	     type = rd16(h + off))
		off += 4;
	return out_u64(v, type);
}

/* isbroadcast (arg 0), ismulticast (1), isunicast (2) of the destination */
static int k_cast(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
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
	return out_bool(v, arg == 0 ? bc : arg == 1 ? mc : !bc && !mc);
}

/* vlan (arg 0) and priority (1) of the outermost tag, else of the
 * extended switch record's incoming side */
static int k_vlan(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_VLAN, d, 2);

	if (p)
		return out_u64(v, arg ? (uint32_t)(p[0] >> 5) : rd16(p) & 0x0fffu);
	if (d == 0 && fs->ex_switch)
		return out_u64(v, arg ? fs->ex_switch->src_priority : fs->ex_switch->src_vlan);
	return -1;
}

/* extended switch: 0 vlansource, 1 vlandestination, 2 prioritysource,
 * 3 prioritydestination */
static int k_switch(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct sfl_ex_switch *s = fs->ex_switch;
	const uint32_t f[4] = { s ? s->src_vlan : 0, s ? s->dst_vlan : 0, s ? s->src_priority : 0,
				s ? s->dst_priority : 0 };

	return s && d == 0 ? out_u64(v, f[arg]) : -1;
}

static int k_mpls(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_MPLS, d, 4);

	(void)arg;
	return p ? out_u64(v, rd32(p) >> 12) : -1;
}

/* arpoperation (0), arpipsender (1), arpiptarget (2) */
static int k_arp(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const uint8_t *p = lay(fs, FLOW_L_ARP, d, 28);

	if (!p)
		return -1;
	if (arg == 0)
		return out_u64(v, rd16(p + 6));
	return out_ip4(v, p + (arg == 1 ? 14 : 24));
}

const struct flow_key_def flow_keys_l2_defs[] = {
	{ "agent", k_agent, 0, false, FLOW_KEY_AGENT },
	{ "inputifindex", k_ifindex, 0, false, FLOW_KEY_PLAIN },
	{ "outputifindex", k_ifindex, 1, false, FLOW_KEY_PLAIN },
	{ "direction", k_direction, 0, false, FLOW_KEY_PLAIN },
	{ "bytes", k_bytes, 0, false, FLOW_KEY_BYTES },
	{ "frames", k_frames, 0, false, FLOW_KEY_FRAMES },
	{ "stripped", k_stripped, 0, false, FLOW_KEY_PLAIN },
	{ "ip_offset", k_ip_offset, 0, true, FLOW_KEY_PLAIN },
	{ "reason", k_reason, 0, false, FLOW_KEY_PLAIN },
	{ "stack", k_stack, 0, false, FLOW_KEY_PLAIN },
	{ "macsource", k_mac, 0, true, FLOW_KEY_PLAIN },
	{ "macdestination", k_mac, 1, true, FLOW_KEY_PLAIN },
	{ "ethernetprotocol", k_ethertype, 0, true, FLOW_KEY_PLAIN },
	{ "isbroadcast", k_cast, 0, true, FLOW_KEY_PLAIN },
	{ "ismulticast", k_cast, 1, true, FLOW_KEY_PLAIN },
	{ "isunicast", k_cast, 2, true, FLOW_KEY_PLAIN },
	{ "vlan", k_vlan, 0, true, FLOW_KEY_PLAIN },
	{ "priority", k_vlan, 1, true, FLOW_KEY_PLAIN },
	{ "vlansource", k_switch, 0, false, FLOW_KEY_PLAIN },
	{ "vlandestination", k_switch, 1, false, FLOW_KEY_PLAIN },
	{ "prioritysource", k_switch, 2, false, FLOW_KEY_PLAIN },
	{ "prioritydestination", k_switch, 3, false, FLOW_KEY_PLAIN },
	{ "mplslabel", k_mpls, 0, true, FLOW_KEY_PLAIN },
	{ "arpoperation", k_arp, 0, true, FLOW_KEY_PLAIN },
	{ "arpipsender", k_arp, 1, true, FLOW_KEY_PLAIN },
	{ "arpiptarget", k_arp, 2, true, FLOW_KEY_PLAIN },
};

const size_t flow_keys_l2_ndefs = sizeof(flow_keys_l2_defs) / sizeof(flow_keys_l2_defs[0]);
