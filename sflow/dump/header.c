/*
 * sflow/dump/header.c: sampled packet header decoding (see header.h).
 *
 * Works on byte offsets into the header rather than pointers, so that the
 * few places where sflowtool runs past the header (or compares a negative
 * remaining length as unsigned) can be reproduced without undefined
 * behaviour: every byte comes from byte_at(), which reads the datagram up
 * to header_avail and yields 0 after it. The order in which fields are
 * printed, and which early returns leave which fields unprinted, follow
 * sflowtool's decodeLinkLayer/decodeIPV4/decodeIPV6 so the output matches
 * it field for field.
 */
#include "sflow/dump/header.h"

#include <stdio.h>
#include <string.h>

#include "sflow/dump/fmt.h"

#define ETH_HEADER_BYTES 14
#define IP4_HEADER_BYTES 20
#define IP6_HEADER_BYTES 40
#define MAX_8023_LEN 1500 /* type/length values up to this are 802.3 lengths */
#define WIFI_HEADER_BYTES 24

static unsigned byte_at(const struct dump_sample *s, size_t off)
{
	return off < s->header_avail ? s->header[off] : 0;
}

static unsigned be16_at(const struct dump_sample *s, size_t off)
{
	return byte_at(s, off) << 8 | byte_at(s, off + 1);
}

static void bytes_at(const struct dump_sample *s, size_t off, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)byte_at(s, off + i);
}

/* sflowtool compares "bytes left" as unsigned: a position past the end
 * passes every "enough bytes?" test. */
static bool too_short(const struct dump_sample *s, size_t off, size_t need)
{
	return off <= s->header_len && s->header_len - off < need;
}

static void print_mac_at(struct print *p, const char *name, const struct dump_sample *s,
			 size_t off, uint8_t *copy)
{
	uint8_t mac[6];

	bytes_at(s, off, mac, 6);
	if (copy)
		memcpy(copy, mac, 6);
	print_mac(p, name, mac);
}

static bool is_vlan_tpid(unsigned type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200 ||
	       type == 0x9300;
}

/* 802.1Q/802.1ad tags; returns false when the header ends inside one. */
static bool decode_vlans(struct print *p, struct dump_sample *s, size_t *off, unsigned *type)
{
	for (unsigned depth = 0; is_vlan_tpid(*type); depth++) {
		unsigned tci, vlan, priority;

		if (s->header_len - *off < 4)
			return false;
		tci = be16_at(s, *off);
		vlan = tci & 0x0fff;
		priority = tci >> 13;
		if (depth == 0) {
			print_u32(p, "decodedVLAN", vlan);
			print_u32(p, "decodedPriority", priority);
		} else {
			char name[40];

			snprintf(name, sizeof(name), "decodedVLAN.%u", depth);
			print_u32(p, name, vlan);
			snprintf(name, sizeof(name), "decodedPriority.%u", depth);
			print_u32(p, name, priority);
		}
		s->in_vlan = vlan;
		*type = be16_at(s, *off + 2);
		*off += 4;
	}
	return true;
}

/* 802.3 length field: IP over 802.2 or SNAP. False when not IP-bearing. */
static bool decode_llc(struct print *p, struct dump_sample *s, size_t *off, unsigned *type)
{
	size_t o = *off;

	if (byte_at(s, o) == 0xaa && byte_at(s, o + 1) == 0xaa && byte_at(s, o + 2) == 0x03) {
		uint8_t oui[3];

		o += 3;
		bytes_at(s, o, oui, 3);
		if (oui[0] || oui[1] || oui[2]) {
			char str[12];

			fmt_hex(str, sizeof(str), oui, 3, true, '-');
			print_field(p, "VSNAP_OUI", str);
			return false;
		}
		*type = be16_at(s, o + 3);
		*off = o + 5;
		return true;
	}
	if (byte_at(s, o) == 0x06 && byte_at(s, o + 1) == 0x06 && (byte_at(s, o + 2) & 1)) {
		*type = 0x0800;
		*off = o + 3;
		return true;
	}
	return false;
}

static bool is_ipx(const struct dump_sample *s, size_t off, unsigned type)
{
	unsigned len;

	if (type != 0x0200 && type != 0x0201 && type != 0x0600)
		return false;
	len = be16_at(s, off + 2);
	return byte_at(s, off) == 0xff && byte_at(s, off + 1) == 0xff && len >= 30 &&
	       len <= 30 + 546;
}

static void decode_ethernet(struct print *p, struct dump_sample *s)
{
	size_t off = ETH_HEADER_BYTES;
	unsigned type, v;

	s->got_ipv4 = s->got_ipv6 = false;
	if (s->header_len < ETH_HEADER_BYTES)
		return;
	print_mac_at(p, "dstMAC", s, 0, s->eth_dst);
	print_mac_at(p, "srcMAC", s, 6, s->eth_src);
	type = be16_at(s, 12);
	if (!decode_vlans(p, s, &off, &type) || s->header_len < IP4_HEADER_BYTES)
		return;
	if (is_ipx(s, off, type))
		return;
	if (type <= MAX_8023_LEN && !decode_llc(p, s, &off, &type))
		return;
	s->eth_type = type;
	print_u32(p, "ethernet_type", type);
	v = byte_at(s, off);
	if (type == 0x0800) {
		if (too_short(s, off, IP4_HEADER_BYTES) || v >> 4 != 4 || (v & 15) < 5)
			return;
		s->got_ipv4 = true;
		s->ipv4_offset = (uint32_t)off;
	}
	if (type == 0x86dd && v >> 4 == 6) {
		s->got_ipv6 = true;
		s->ipv6_offset = (uint32_t)off;
	}
}

/* 802.11 MAC header: addresses of data frames only, no IP decode. */
static void decode_80211(struct print *p, struct dump_sample *s)
{
	unsigned fc, to_ds, from_ds;
	size_t src, dst;

	s->got_ipv4 = s->got_ipv6 = false;
	if (s->header_len < WIFI_HEADER_BYTES)
		return;
	fc = byte_at(s, 0) | byte_at(s, 1) << 8; /* little-endian on the air */
	if (((fc >> 2) & 3) != 2)
		return;
	to_ds = (fc >> 8) & 1;
	from_ds = (fc >> 9) & 1;
	/* address 1 at 4, 2 at 10, 3 at 16, sequence at 22, address 4 at 24 */
	if (to_ds) {
		dst = 16;
		src = from_ds ? 24 : 10;
	} else {
		dst = 4;
		src = from_ds ? 16 : 10;
	}
	print_mac_at(p, "srcMAC", s, src, s->eth_src);
	/* sflowtool stores the source MAC as the destination too (-l shows it) */
	print_mac_at(p, "dstMAC", s, dst, NULL);
	bytes_at(s, src, s->eth_dst, 6);
	print_mac_at(p, "txMAC", s, 10, NULL);
	print_mac_at(p, "rxMAC", s, 4, NULL);
}

static void decode_l4(struct print *p, struct dump_sample *s, size_t off)
{
	if (off + 8 > s->header_len)
		return;
	switch (s->ip_proto) {
	case 1: /* ICMP */
		s->sport = byte_at(s, off);
		s->dport = byte_at(s, off + 1);
		print_u32(p, "ICMPType", s->sport);
		print_u32(p, "ICMPCode", s->dport);
		s->payload_offset = (uint32_t)(off + 2);
		break;
	case 6: /* TCP */
		s->sport = be16_at(s, off);
		s->dport = be16_at(s, off + 2);
		s->tcp_flags = byte_at(s, off + 13);
		print_u32(p, "TCPSrcPort", s->sport);
		print_u32(p, "TCPDstPort", s->dport);
		print_u32(p, "TCPFlags", s->tcp_flags);
		s->payload_offset = (uint32_t)(off + (size_t)(byte_at(s, off + 12) >> 4) * 4);
		break;
	case 17: /* UDP */
		s->sport = be16_at(s, off);
		s->dport = be16_at(s, off + 2);
		print_u32(p, "UDPSrcPort", s->sport);
		print_u32(p, "UDPDstPort", s->dport);
		print_u32(p, "UDPBytes", be16_at(s, off + 4));
		s->payload_offset = (uint32_t)(off + 8);
		break;
	default:
		s->payload_offset = (uint32_t)off;
		break;
	}
}

static void set_address(const struct dump_sample *s, struct sfl_address *a, uint32_t type,
			size_t off)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	bytes_at(s, off, a->addr, type == SFL_ADDR_IP4 ? 4 : 16);
}

static void decode_ipv4(struct print *p, struct dump_sample *s)
{
	size_t off = s->ipv4_offset;
	unsigned ihl_bytes, frag;

	if (too_short(s, off, IP4_HEADER_BYTES))
		return;
	set_address(s, &s->ip_src, SFL_ADDR_IP4, off + 12);
	set_address(s, &s->ip_dst, SFL_ADDR_IP4, off + 16);
	s->ip_proto = byte_at(s, off + 9);
	s->ip_tos = byte_at(s, off + 1);
	s->ip_ttl = byte_at(s, off + 8);
	print_u32(p, "ip.tot_len", be16_at(s, off + 2));
	print_address(p, "srcIP", &s->ip_src);
	print_address(p, "dstIP", &s->ip_dst);
	print_u32(p, "IPProtocol", s->ip_proto);
	print_u32(p, "IPTOS", s->ip_tos);
	print_u32(p, "IPTTL", s->ip_ttl);
	/* sflowtool prints the identification field without byte-swapping it:
	 * the value little-endian hosts show, which the golden files carry */
	print_u32(p, "IPID", byte_at(s, off + 4) | byte_at(s, off + 5) << 8);
	frag = be16_at(s, off + 6) & 0x1fff;
	if (frag > 0) {
		print_u32(p, "IPFragmentOffset", frag);
		return;
	}
	ihl_bytes = (byte_at(s, off) & 15) * 4;
	if (too_short(s, off, ihl_bytes))
		return;
	decode_l4(p, s, off + ihl_bytes);
}

static bool is_ipv6_extension(unsigned next)
{
	/* hop-by-hop, routing, fragment, authentication, destination options */
	return next == 0 || next == 43 || next == 44 || next == 51 || next == 60;
}

static void decode_ipv6(struct print *p, struct dump_sample *s)
{
	size_t off = s->ipv6_offset;
	unsigned v, next, payload;
	char label[16];

	if (too_short(s, off, IP6_HEADER_BYTES))
		return;
	v = byte_at(s, off);
	if (v >> 4 != 6) {
		print_log(p, "header decode error: unexpected IP version: %u\n", v >> 4);
		return;
	}
	s->ip_tos = (v & 15) << 4 | byte_at(s, off + 1) >> 4;
	print_u32(p, "IPTOS", s->ip_tos);
	snprintf(label, sizeof(label), "0x%x",
		 (byte_at(s, off + 1) & 15) << 16 | be16_at(s, off + 2));
	print_field(p, "IP6_label", label);
	payload = be16_at(s, off + 4);
	if (payload == 0)
		print_field(p, "IPV6_payloadLen", "<jumbo>");
	else
		print_u32(p, "IPV6_payloadLen", payload);
	next = byte_at(s, off + 6);
	s->ip_ttl = byte_at(s, off + 7);
	print_u32(p, "IPTTL", s->ip_ttl);
	set_address(s, &s->ip_src, SFL_ADDR_IP6, off + 8);
	set_address(s, &s->ip_dst, SFL_ADDR_IP6, off + 24);
	print_address(p, "srcIP6", &s->ip_src);
	print_address(p, "dstIP6", &s->ip_dst);
	off += IP6_HEADER_BYTES;
	while (is_ipv6_extension(next)) {
		print_u32(p, "IP6HeaderExtension", next);
		next = byte_at(s, off);
		off += 8 * ((size_t)byte_at(s, off + 1) + 1);
		if (off > s->header_len)
			return;
	}
	s->ip_proto = next;
	print_u32(p, "IPProtocol", next);
	decode_l4(p, s, off);
}

void header_decode(struct print *p, struct dump_sample *s)
{
	uint32_t proto = s->header_protocol;

	if (proto == SFL_HEADER_ETHERNET) {
		decode_ethernet(p, s);
	} else if (proto == SFL_HEADER_IPV4) {
		s->got_ipv4 = true;
		s->ipv4_offset = 0;
	} else if (proto == SFL_HEADER_IPV6) {
		s->got_ipv6 = true;
		s->ipv6_offset = 0;
	} else if (proto == SFL_HEADER_IEEE80211_MAC) {
		decode_80211(p, s);
	} else if (proto >= SFL_HEADER_TOKENBUS && proto <= SFL_HEADER_INFINIBAND) {
		print_log(p, "NO_DECODE headerProtocol=%d\n", (int)proto);
	} else {
		print_log(p, "UNKNOWN headerProtocol=%d\n", (int)proto);
	}
	if (s->got_ipv4) {
		print_fieldf(p, "IPSize", "%d",
			     (int)(s->packet_bytes - s->stripped - s->ipv4_offset));
		decode_ipv4(p, s);
	} else if (s->got_ipv6) {
		print_fieldf(p, "IPSize", "%d",
			     (int)(s->packet_bytes - s->stripped - s->ipv6_offset));
		decode_ipv6(p, s);
	}
}
