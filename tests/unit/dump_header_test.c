/*
 * Sampled-header decoding (sflow/dump/header.c). Each case is a header
 * built by hand byte by byte; the expected text is what sflowtool's
 * decoder prints for it, worked out by hand from the header fields (IPID
 * as sflowtool shows it: the two identification bytes read little-endian).
 */
#include "sflow/dump/header.h"
#include "tests/lib/test.h"

#include <stdlib.h>

struct header_case {
	const char *name;
	uint32_t protocol;
	uint32_t packet_bytes;
	uint32_t stripped;
	uint8_t bytes[160];
	uint32_t len;       /* header length */
	uint32_t avail;     /* readable bytes from the header on (>= len) */
	const char *text;   /* expected output, text format */
};

#define ETH_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define ETH_SRC 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb
/* IPv4, 20 bytes: tos 0, total 40, id 0x1234, DF, ttl 64, proto p, 10.0.0.1 > 10.0.0.2 */
#define IP4(p) 0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, (p), 0x00, 0x00, \
	10, 0, 0, 1, 10, 0, 0, 2
#define ETH_IP4_TEXT(size)                                                         \
	"dstMAC 001122334455\nsrcMAC 66778899aabb\nethernet_type 2048\nIPSize " size \
	"\nip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n"
/* 0x3412: "12 34" read little-endian */
#define IP4_TAIL_TEXT(p) "IPProtocol " p "\nIPTOS 0\nIPTTL 64\nIPID 13330\n"

static const struct header_case cases[] = {
	{
		"ethernet ipv4 tcp", SFL_HEADER_ETHERNET, 58, 4,
		{ ETH_DST, ETH_SRC, 0x08, 0x00, IP4(6),
		  0x1f, 0x90, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0xff, 0xff,
		  0, 0, 0, 0 },
		54, 54,
		ETH_IP4_TEXT("40") IP4_TAIL_TEXT("6")
		"TCPSrcPort 8080\nTCPDstPort 80\nTCPFlags 18\n",
	},
	{
		"802.1Q ipv4 udp", SFL_HEADER_ETHERNET, 62, 4,
		{ ETH_DST, ETH_SRC, 0x81, 0x00, 0xa0, 0x64, 0x08, 0x00, IP4(17),
		  0x15, 0xb3, 0x18, 0xc7, 0x00, 0x14, 0x00, 0x00 },
		46, 46,
		"dstMAC 001122334455\nsrcMAC 66778899aabb\ndecodedVLAN 100\ndecodedPriority 5\n"
		"ethernet_type 2048\nIPSize 40\nip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n"
		IP4_TAIL_TEXT("17") "UDPSrcPort 5555\nUDPDstPort 6343\nUDPBytes 20\n",
	},
	{
		"qinq then arp", SFL_HEADER_ETHERNET, 60, 4,
		{ ETH_DST, ETH_SRC, 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x20, 0x14, 0x08, 0x06,
		  0, 1, 8, 0, 6, 4, 0, 1 },
		30, 30,
		"dstMAC 001122334455\nsrcMAC 66778899aabb\ndecodedVLAN 10\ndecodedPriority 0\n"
		"decodedVLAN.1 20\ndecodedPriority.1 1\nethernet_type 2054\n",
	},
	{
		"ipv4 fragment", SFL_HEADER_IPV4, 40, 0,
		{ 0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0xb9, 0x40, 17, 0, 0,
		  10, 0, 0, 1, 10, 0, 0, 2 },
		20, 20,
		"IPSize 40\nip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n"
		IP4_TAIL_TEXT("17") "IPFragmentOffset 185\n",
	},
	{
		"raw ipv4 icmp", SFL_HEADER_IPV4, 28, 0,
		{ IP4(1), 8, 0, 0xf7, 0xff, 0, 0, 0, 0 },
		28, 28,
		"IPSize 28\nip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n"
		IP4_TAIL_TEXT("1") "ICMPType 8\nICMPCode 0\n",
	},
	{
		/* tc 0xb8, flow label 0x12345, payload 16, hop-by-hop (8 bytes), UDP */
		"raw ipv6 hop-by-hop udp", SFL_HEADER_IPV6, 64, 0,
		{ 0x6b, 0x81, 0x23, 0x45, 0x00, 0x10, 0x00, 0x40,
		  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		  0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		  17, 0, 1, 4, 0, 0, 0, 0,
		  0x00, 0x35, 0xc0, 0x00, 0x00, 0x08, 0, 0 },
		56, 56,
		"IPSize 64\nIPTOS 184\nIP6_label 0x12345\nIPV6_payloadLen 16\nIPTTL 64\n"
		"srcIP6 2001:0db8:0000:0000:0000:0000:0000:0001\n"
		"dstIP6 fe80:0000:0000:0000:0000:0000:0000:0002\n"
		"IP6HeaderExtension 0\nIPProtocol 17\n"
		"UDPSrcPort 53\nUDPDstPort 49152\nUDPBytes 8\n",
	},
	{
		/* 802.3 length field, SNAP with OUI 0: the ethertype follows */
		"802.2 snap ipv4 udp", SFL_HEADER_ETHERNET, 70, 4,
		{ ETH_DST, ETH_SRC, 0x00, 0x30, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, IP4(17),
		  0x15, 0xb3, 0x18, 0xc7, 0x00, 0x14, 0x00, 0x00 },
		50, 50,
		"dstMAC 001122334455\nsrcMAC 66778899aabb\nethernet_type 2048\nIPSize 44\n"
		"ip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n" IP4_TAIL_TEXT("17")
		"UDPSrcPort 5555\nUDPDstPort 6343\nUDPBytes 20\n",
	},
	{
		"802.2 snap vendor oui", SFL_HEADER_ETHERNET, 64, 4,
		{ ETH_DST, ETH_SRC, 0x00, 0x30, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00,
		  0, 0, 0, 0, 0, 0 },
		28, 28,
		"dstMAC 001122334455\nsrcMAC 66778899aabb\nVSNAP_OUI 00-00-0C\n",
	},
	{
		"ethernet too short", SFL_HEADER_ETHERNET, 64, 4,
		{ ETH_DST, ETH_SRC, 0x08 },
		13, 13,
		"",
	},
	{
		/* TCP cut after 8 bytes: sflowtool reads offset and flags from the
		 * bytes after the header (here 0x50, 0x02); past those, zero */
		"tcp flags beyond the header", SFL_HEADER_IPV4, 60, 0,
		{ IP4(6), 0x00, 0x16, 0x00, 0x17, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02 },
		28, 34,
		"IPSize 60\nip.tot_len 40\nsrcIP 10.0.0.1\ndstIP 10.0.0.2\n" IP4_TAIL_TEXT("6")
		"TCPSrcPort 22\nTCPDstPort 23\nTCPFlags 2\n",
	},
	{
		"mpls is not decoded", SFL_HEADER_MPLS, 64, 4, { 0 }, 4, 4,
		"NO_DECODE headerProtocol=13\n",
	},
	{
		"unknown protocol", 99, 64, 4, { 0 }, 4, 4,
		"UNKNOWN headerProtocol=99\n",
	},
	{
		/* data frame from the DS: addr1 = DA, addr2 = BSSID, addr3 = SA */
		"802.11 data from ds", SFL_HEADER_IEEE80211_MAC, 64, 4,
		{ 0x08, 0x02, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 0, 0 },
		24, 24,
		"srcMAC 030303030303\ndstMAC 010101010101\ntxMAC 020202020202\nrxMAC 010101010101\n",
	},
};

static void run_case(const struct header_case *c, struct dump_sample *s, struct print *p)
{
	memset(s, 0, sizeof(*s));
	print_init(p, PRINT_TEXT, false);
	s->header_protocol = c->protocol;
	s->packet_bytes = c->packet_bytes;
	s->stripped = c->stripped;
	s->header = c->bytes;
	s->header_len = c->len;
	s->header_avail = c->avail;
	header_decode(p, s);
	print_raw(p, "", 1); /* NUL-terminate the buffer */
}

TEST(header_cases)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dump_sample s;
		struct print p;

		run_case(&cases[i], &s, &p);
		if (strcmp(p.buf, cases[i].text) != 0)
			printf("  case \"%s\"\n", cases[i].name);
		CHECK_EQ_STR(p.buf, cases[i].text);
		print_fini(&p);
	}
}

/* What the -l line takes from a decoded header. */
TEST(header_state)
{
	struct dump_sample s;
	struct print p;

	run_case(&cases[1], &s, &p); /* 802.1Q ipv4 udp */
	CHECK(s.got_ipv4);
	CHECK_EQ_U64(s.ipv4_offset, 18);
	CHECK_EQ_U64(s.in_vlan, 100);
	CHECK_EQ_U64(s.eth_type, 0x0800);
	CHECK_EQ_U64(s.ip_proto, 17);
	CHECK_EQ_U64(s.ip_ttl, 64);
	CHECK_EQ_U64(s.sport, 5555);
	CHECK_EQ_U64(s.dport, 6343);
	CHECK_EQ_U64(s.payload_offset, 18 + 20 + 8);
	CHECK_EQ_U64(s.ip_src.type, SFL_ADDR_IP4);
	CHECK_MEM(s.ip_dst.addr, "\x0a\x00\x00\x02", 4);
	CHECK_MEM(s.eth_src, "\x66\x77\x88\x99\xaa\xbb", 6);
	print_fini(&p);

	run_case(&cases[2], &s, &p); /* qinq: the innermost tag wins */
	CHECK_EQ_U64(s.in_vlan, 20);
	CHECK(!s.got_ipv4 && !s.got_ipv6);
	print_fini(&p);

	run_case(&cases[12], &s, &p); /* 802.11: sflowtool keeps SA as both MACs */
	CHECK_MEM(s.eth_src, "\x03\x03\x03\x03\x03\x03", 6);
	CHECK_MEM(s.eth_dst, "\x03\x03\x03\x03\x03\x03", 6);
	print_fini(&p);
}

/* No field is printed by the JSON-less formats, yet the state is filled. */
TEST(header_line_format_is_silent)
{
	struct dump_sample s;
	struct print p;

	memset(&s, 0, sizeof(s));
	print_init(&p, PRINT_LINE, false);
	s.header_protocol = cases[0].protocol;
	s.packet_bytes = cases[0].packet_bytes;
	s.stripped = cases[0].stripped;
	s.header = cases[0].bytes;
	s.header_len = s.header_avail = cases[0].len;
	header_decode(&p, &s);
	CHECK_EQ_U64(p.len, 0);
	CHECK_EQ_U64(s.tcp_flags, 0x12);
	print_fini(&p);
}

TEST_MAIN(TEST_ENTRY(header_cases), TEST_ENTRY(header_state),
	  TEST_ENTRY(header_line_format_is_silent))
