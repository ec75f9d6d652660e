/*
 * analyzer/flow_keys_pkt.c: the sampled header as a list of layers
 * (flow_keys.h struct flow_pkt), parsed once per sample on the first
 * request for a header key.
 *
 * Ethernet with any number of 802.1Q/802.1ad tags, MPLS (to the bottom of
 * the stack, then IPv4 or IPv6 by version nibble), ARP, IPv4 (no layer 4
 * for non-first fragments), IPv6 with hop-by-hop, routing, destination
 * options, AH and fragment headers, TCP, UDP, ICMP, ICMPv6, DNS on port 53,
 * and the tunnels VXLAN (UDP 4789), Geneve (UDP 6081), GRE (Ethernet,
 * IPv4 and IPv6 payloads) and IP-in-IP, whose inner layers get depth + 1.
 * A layer is recorded only when its fixed part is inside the header;
 * everything is bounds-checked against the captured length.
 */
#include <string.h>

#include "analyzer/flow_keys_internal.h"

#define PKT_DEPTH_MAX FLOW_KEY_DEPTH_MAX

struct pkt_walk {
	struct flow_pkt *p;
	const uint8_t *h;
	size_t len;
};

static bool push(struct pkt_walk *w, uint8_t proto, uint8_t depth, size_t off, size_t need)
{
	struct flow_pkt_layer *l;

	if (w->p->nlayers == FLOW_PKT_LAYERS_MAX || off + need > w->len || off > UINT16_MAX)
		return false;
	l = &w->p->l[w->p->nlayers++];
	l->proto = proto;
	l->depth = depth;
	l->off = (uint16_t)off;
	l->len = (uint16_t)(w->len - off > UINT16_MAX ? UINT16_MAX : w->len - off);
	return true;
}

static void parse_eth(struct pkt_walk *w, size_t off, uint8_t depth);
static void parse_ip4(struct pkt_walk *w, size_t off, uint8_t depth);
static void parse_ip6(struct pkt_walk *w, size_t off, uint8_t depth);

/* The payload of ethertype `type` at off. */
static void parse_ethertype(struct pkt_walk *w, uint16_t type, size_t off, uint8_t depth)
{
	switch (type) {
	case 0x0800:
		parse_ip4(w, off, depth);
		break;
	case 0x86dd:
		parse_ip6(w, off, depth);
		break;
	case 0x0806:
		push(w, FLOW_L_ARP, depth, off, 28);
		break;
	case 0x8847:
	case 0x8848:
		while (push(w, FLOW_L_MPLS, depth, off, 4)) {
			bool bottom = w->h[off + 2] & 1;

			off += 4;
			if (bottom) {
				if (off < w->len && w->h[off] >> 4 == 4)
					parse_ip4(w, off, depth);
				else if (off < w->len && w->h[off] >> 4 == 6)
					parse_ip6(w, off, depth);
				return;
			}
		}
		break;
	default:
		break;
	}
}

static void parse_eth(struct pkt_walk *w, size_t off, uint8_t depth)
{
	uint16_t type;

	if (depth > PKT_DEPTH_MAX || !push(w, FLOW_L_ETH, depth, off, 14))
		return;
	type = rd16(w->h + off + 12);
	off += 14;
	/* a tag layer is the TCI and the next type, 4 bytes */
	while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) &&
	       push(w, FLOW_L_VLAN, depth, off, 4)) {
		type = rd16(w->h + off + 2);
		off += 4;
	}
	parse_ethertype(w, type, off, depth);
}

/* UDP payloads: tunnels by destination port, DNS on port 53. */
static void parse_udp(struct pkt_walk *w, size_t off, uint8_t depth)
{
	uint16_t sport, dport;

	if (!push(w, FLOW_L_UDP, depth, off, 8))
		return;
	sport = rd16(w->h + off);
	dport = rd16(w->h + off + 2);
	off += 8;
	if (dport == 4789 && push(w, FLOW_L_VXLAN, depth, off, 8)) {
		parse_eth(w, off + 8, (uint8_t)(depth + 1));
	} else if (dport == 6081 && push(w, FLOW_L_GENEVE, depth, off, 8)) {
		size_t opt = (size_t)(w->h[off] & 0x3f) * 4;

		if (rd16(w->h + off + 2) == 0x6558)
			parse_eth(w, off + 8 + opt, (uint8_t)(depth + 1));
	} else if (sport == 53 || dport == 53) {
		push(w, FLOW_L_DNS, depth, off, 12);
	}
}

static void parse_gre(struct pkt_walk *w, size_t off, uint8_t depth)
{
	uint16_t flags, type;
	size_t hl = 4;

	if (!push(w, FLOW_L_GRE, depth, off, 4))
		return;
	flags = rd16(w->h + off);
	type = rd16(w->h + off + 2);
	hl += (flags & 0x8000) ? 4 : 0; /* checksum */
	hl += (flags & 0x2000) ? 4 : 0; /* key */
	hl += (flags & 0x1000) ? 4 : 0; /* sequence */
	if (type == 0x6558)
		parse_eth(w, off + hl, (uint8_t)(depth + 1));
	else if (depth < PKT_DEPTH_MAX)
		parse_ethertype(w, type, off + hl, (uint8_t)(depth + 1));
}

/* Layer 4 (or a tunnel) of IP protocol `proto` at off. */
static void parse_l4(struct pkt_walk *w, uint8_t proto, size_t off, uint8_t depth)
{
	switch (proto) {
	case 6:
		push(w, FLOW_L_TCP, depth, off, 14);
		break;
	case 17:
		parse_udp(w, off, depth);
		break;
	case 1:
		push(w, FLOW_L_ICMP, depth, off, 4);
		break;
	case 58:
		push(w, FLOW_L_ICMP6, depth, off, 4);
		break;
	case 47:
		parse_gre(w, off, depth);
		break;
	case 4:
		if (depth < PKT_DEPTH_MAX)
			parse_ip4(w, off, (uint8_t)(depth + 1));
		break;
	case 41:
		if (depth < PKT_DEPTH_MAX)
			parse_ip6(w, off, (uint8_t)(depth + 1));
		break;
	default:
		break;
	}
}

static void parse_ip4(struct pkt_walk *w, size_t off, uint8_t depth)
{
	size_t ihl;

	if (!push(w, FLOW_L_IP4, depth, off, 20))
		return;
	ihl = (size_t)(w->h[off] & 0x0f) * 4;
	if (ihl < 20 || (rd16(w->h + off + 6) & 0x1fff) != 0)
		return; /* bad header length, or not the first fragment */
	parse_l4(w, w->h[off + 9], off + ihl, depth);
}

static void parse_ip6(struct pkt_walk *w, size_t off, uint8_t depth)
{
	uint8_t next;

	if (!push(w, FLOW_L_IP6, depth, off, 40))
		return;
	next = w->h[off + 6];
	off += 40;
	for (int i = 0; i < 8; i++) {
		if (next == 0 || next == 43 || next == 60 || next == 51) {
			if (off + 8 > w->len)
				return;
			size_t hl = next == 51 ? ((size_t)w->h[off + 1] + 2) * 4 :
						 ((size_t)w->h[off + 1] + 1) * 8;

			next = w->h[off];
			off += hl;
		} else if (next == 44) {
			if (!push(w, FLOW_L_FRAG6, depth, off, 8))
				return;
			if ((rd16(w->h + off + 2) & 0xfff8) != 0)
				return; /* not the first fragment */
			next = w->h[off];
			off += 8;
		} else {
			break;
		}
	}
	parse_l4(w, next, off, depth);
}

static void index_layers(struct flow_pkt *pkt)
{
	memset(pkt->first, 0, sizeof(pkt->first));
	for (uint8_t i = pkt->nlayers; i-- > 0;) { /* backwards: the first one stays */
		const struct flow_pkt_layer *l = &pkt->l[i];

		if (l->depth <= FLOW_KEY_DEPTH_MAX && l->proto < FLOW_PKT_PROTOS)
			pkt->first[l->depth][l->proto] = (uint8_t)(i + 1);
	}
}

void flow_pkt_parse(struct flow_sample *fs)
{
	struct pkt_walk w = { &fs->pkt, NULL, 0 };

	fs->pkt.parsed = true;
	fs->pkt.nlayers = 0;
	if (!fs->header) {
		index_layers(&fs->pkt);
		return;
	}
	w.h = fs->header->header.ptr;
	w.len = fs->header->header.len;
	switch (fs->header->protocol) {
	case 1:
		parse_eth(&w, 0, 0);
		break; /* Ethernet */
	case 11:
		parse_ip4(&w, 0, 0);
		break; /* IPv4 */
	case 12:
		parse_ip6(&w, 0, 0);
		break; /* IPv6 */
	default:
		break;
	}
	index_layers(&fs->pkt);
}
