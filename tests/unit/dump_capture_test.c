/*
 * Frame-to-payload extraction (common/capture.c) over hand-built
 * frames of every supported link type, and the datagram driver
 * (sflow/dump/dump.c) on the annotated datagram of
 * shared/reference/wire.md §1.2, whose -l, -L and -t outputs are worked
 * out by hand from that annotation.
 */
#include "common/capture.h"
#include "sflow/dump/dump.h"
#include "tests/lib/test.h"
#include "tests/lib/wire_example.h"

#include <pcap/pcap.h>
#include <stdlib.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define MACS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
/* IPv4 header, 20 bytes, protocol p, total length tl */
#define IP4(p, tl) 0x45, 0, 0, (tl), 0, 1, 0x40, 0, 64, (p), 0, 0, 10, 0, 0, 1, 10, 0, 0, 2
/* UDP header with length ul, then the 4-byte payload "sflo" */
#define UDP(ul) 0x15, 0xb3, 0x18, 0xc7, 0, (ul), 0, 0
#define PAYLOAD 's', 'f', 'l', 'o'

struct frame_case {
	const char *name;
	int linktype;
	uint8_t bytes[96];
	uint32_t len;
	enum capture_status status;
	uint32_t off;        /* payload offset, for CAPTURE_DATAGRAM */
	uint32_t payload_len;
};

static const struct frame_case frames[] = {
	{ "ethernet ipv4 udp", DLT_EN10MB,
	  { MACS, 0x08, 0x00, IP4(17, 32), UDP(12), PAYLOAD }, 46, CAPTURE_DATAGRAM, 42, 4 },
	{ "802.1Q", DLT_EN10MB,
	  { MACS, 0x81, 0x00, 0, 5, 0x08, 0x00, IP4(17, 32), UDP(12), PAYLOAD }, 50,
	  CAPTURE_DATAGRAM, 46, 4 },
	{ "ipv4 options", DLT_EN10MB,
	  { MACS, 0x08, 0x00, 0x46, 0, 0, 36, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	    1, 1, 1, 0, UDP(12), PAYLOAD }, 50, CAPTURE_DATAGRAM, 46, 4 },
	{ "802.2 snap", DLT_EN10MB,
	  { MACS, 0x00, 0x28, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, IP4(17, 32), UDP(12), PAYLOAD },
	  54, CAPTURE_DATAGRAM, 50, 4 },
	{ "ethernet padding", DLT_EN10MB,
	  { MACS, 0x08, 0x00, IP4(17, 32), UDP(12), PAYLOAD, 0, 0, 0, 0, 0, 0 }, 52,
	  CAPTURE_DATAGRAM, 42, 4 },
	{ "tcp", DLT_EN10MB, { MACS, 0x08, 0x00, IP4(6, 32), UDP(12), PAYLOAD }, 46, CAPTURE_SKIP, 0, 0 },
	{ "later fragment", DLT_EN10MB,
	  { MACS, 0x08, 0x00, 0x45, 0, 0, 32, 0, 1, 0x00, 0x10, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0,
	    0, 2, UDP(12), PAYLOAD }, 46, CAPTURE_SKIP, 0, 0 },
	{ "arp", DLT_EN10MB, { MACS, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1 }, 22, CAPTURE_SKIP, 0, 0 },
	{ "runt", DLT_EN10MB, { MACS }, 10, CAPTURE_SKIP, 0, 0 },
	{ "cut by the snap length", DLT_EN10MB,
	  { MACS, 0x08, 0x00, IP4(17, 32), UDP(12), 's', 'f' }, 44, CAPTURE_TRUNCATED, 0, 0 },
	{ "linux cooked", DLT_LINUX_SLL,
	  { 0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, 0x08, 0x00, IP4(17, 32), UDP(12), PAYLOAD },
	  48,
	  CAPTURE_DATAGRAM, 44, 4 },
	{ "linux cooked v2", DLT_LINUX_SLL2,
	  { 0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, IP4(17, 32), UDP(12),
	    PAYLOAD }, 52, CAPTURE_DATAGRAM, 48, 4 },
	{ "raw ipv4", DLT_RAW, { IP4(17, 32), UDP(12), PAYLOAD }, 32, CAPTURE_DATAGRAM, 28, 4 },
	{ "raw ipv6 hop-by-hop", DLT_RAW,
	  { 0x60, 0, 0, 0, 0, 20, 0, 64, [8] = 0x20, 0x01, [23] = 1, [24] = 0x20, 0x01, [39] = 2,
	    17, 0, 1, 4, 0, 0, 0, 0, UDP(12), PAYLOAD }, 60, CAPTURE_DATAGRAM, 56, 4 },
	{ "null, AF_INET in host order", DLT_NULL,
	  { 2, 0, 0, 0, IP4(17, 32), UDP(12), PAYLOAD }, 36, CAPTURE_DATAGRAM, 32, 4 },
	{ "loop, AF_INET6 (30) in network order", DLT_LOOP,
	  { 0, 0, 0, 30, 0x60, 0, 0, 0, 0, 12, 17, 64, [44] = UDP(12), PAYLOAD }, 56,
	  CAPTURE_DATAGRAM, 52, 4 },
};

TEST(udp_payload_of_frames)
{
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		const struct frame_case *f = &frames[i];
		size_t off = 0, len = 0;
		enum capture_status st = capture_udp_payload(f->linktype, f->bytes, f->len, &off, &len);

		if (st != f->status)
			printf("  case \"%s\"\n", f->name);
		CHECK_EQ_U64(st, f->status);
		if (st != CAPTURE_DATAGRAM || f->status != CAPTURE_DATAGRAM)
			continue;
		CHECK_EQ_U64(off, f->off);
		CHECK_EQ_U64(len, f->payload_len);
		CHECK_MEM(f->bytes + off, "sflo", 4);
	}
}

/* shared/reference/wire.md §1.2, see tests/lib/wire_example.h */
#define EXAMPLE_LEN WIRE_EXAMPLE_LEN

struct captured {
	char *out, *err;
	size_t out_len, err_len;
	FILE *fout, *ferr;
};

/* Run one datagram through a dump of `format`; returns dump_datagram(). */
static int dump_one(struct captured *c, enum print_format format, const char *fields,
		    const uint8_t *buf, size_t len)
{
	struct dump d;
	struct dump_meta m = { .pcap_sec = 1700000000, .pcap_usec = 250000, .frame = 1 };
	int rc;

	memset(c, 0, sizeof(*c));
	c->fout = open_memstream(&c->out, &c->out_len);
	c->ferr = open_memstream(&c->err, &c->err_len);
	dump_init(&d, format, false, c->fout, c->ferr);
	if (fields)
		print_custom_parse(&d.print, fields);
	rc = dump_datagram(&d, buf, len, &m);
	dump_flush(&d);
	dump_fini(&d);
	fclose(c->fout);
	fclose(c->ferr);
	return rc;
}

static void captured_free(struct captured *c)
{
	free(c->out);
	free(c->err);
}

TEST(flow_line)
{
	struct captured c;

	CHECK(dump_one(&c, PRINT_LINE, NULL, wire_example, EXAMPLE_LEN) == 0);
	CHECK_EQ_STR(c.out, "FLOW,1.1.1.1,0,0,000000000000,000000000000,0x0000,0,0,3.3.3.3,4.4.4.4,"
			    "6,0x70,0,53032,25562,0x10,40,40,1000\n");
	CHECK_EQ_U64(c.err_len, 0);
	captured_free(&c);
}

TEST(custom_line)
{
	struct captured c;

	CHECK(dump_one(&c, PRINT_CUSTOM, "agent,sampleSequenceNo,srcIP,TCPDstPort,IPTOS",
		       wire_example, EXAMPLE_LEN) == 0);
	CHECK_EQ_STR(c.out, "1.1.1.1,264476700,3.3.3.3,25562,112\n");
	captured_free(&c);
}

TEST(pcap_record)
{
	struct captured c;
	uint32_t words[4];

	CHECK(dump_one(&c, PRINT_PCAP, NULL, wire_example, EXAMPLE_LEN) == 0);
	CHECK_EQ_U64(c.out_len, 24 + 16 + 32);
	if (c.out_len == 24 + 16 + 32) {
		memcpy(words, c.out, 4);
		CHECK_EQ_U64(words[0], 0xa1b2c3d4); /* native order, microseconds */
		memcpy(words, c.out + 24, 16);
		CHECK_EQ_U64(words[0], 1700000000);
		CHECK_EQ_U64(words[1], 250000);
		CHECK_EQ_U64(words[2], 32); /* the sampled_ipv4 body stands in */
		CHECK_EQ_U64(words[3], 40);
		CHECK_MEM(c.out + 40, wire_example + 76, 32);
	}
	captured_free(&c);
}

TEST(rejected_datagram)
{
	uint8_t bad[EXAMPLE_LEN];
	struct captured c;

	memcpy(bad, wire_example, EXAMPLE_LEN);
	bad[3] = 4; /* version 4 */
	CHECK(dump_one(&c, PRINT_JSON, NULL, bad, EXAMPLE_LEN) == -1);
	CHECK(strstr(c.out, "\"datagramVersion\":\"4\",\"decodeError\":") != NULL);
	CHECK_EQ_STR(c.err, "rtflow-dump: frame 1: unsupported sFlow version 4\n");
	captured_free(&c);

	CHECK(dump_one(&c, PRINT_TEXT, NULL, wire_example, 20) == -1); /* header cut */
	CHECK(strstr(c.out, "decodeError ") != NULL);
	CHECK(strstr(c.err, "frame 1: ") != NULL);
	captured_free(&c);
}

TEST(trailing_bytes_are_ignored)
{
	struct captured c;

	CHECK(dump_one(&c, PRINT_LINE, NULL, wire_example, sizeof(wire_example)) == 0);
	CHECK(strncmp(c.out, "FLOW,1.1.1.1,", 13) == 0);
	CHECK_EQ_STR(c.err, "rtflow-dump: frame 1: 4 bytes after the last sample ignored\n");
	captured_free(&c);
}

TEST_MAIN(TEST_ENTRY(udp_payload_of_frames), TEST_ENTRY(flow_line), TEST_ENTRY(custom_line),
	  TEST_ENTRY(pcap_record), TEST_ENTRY(rejected_datagram),
	  TEST_ENTRY(trailing_bytes_are_ignored))
