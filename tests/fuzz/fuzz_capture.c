/*
 * tests/fuzz/fuzz_capture.c: fuzz target for rtflow-dump's whole input
 * path: the bytes are a capture file, read through the same libpcap path
 * as `rtflow-dump -r` (capture_open_mem: fmemopen + pcap_fopen_offline),
 * every UDP payload is decoded and printed in each output format into
 * memory sinks (nothing reaches stdout or stderr). The corpus in
 * tests/fuzz/corpus/capture/ is seeded with the small shared captures and
 * synthetic ones for the other link types and pcapng.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/capture.h"
#include "sflow/dump/dump.h"

#define FUZZ_MAX_FRAMES 4096 /* bound the work per input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum print_format formats[] = {
	PRINT_TEXT, PRINT_GREP, PRINT_JSON, PRINT_LINE, PRINT_CUSTOM, PRINT_PCAP,
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static struct dump sinks[NFORMATS + 1]; /* the last one: pretty JSON */
static bool ready;

static void setup(void)
{
	for (size_t i = 0; i < NFORMATS; i++)
		dump_init(&sinks[i], formats[i], false, NULL, NULL);
	dump_init(&sinks[NFORMATS], PRINT_JSON, true, NULL, NULL);
	print_custom_parse(&sinks[4].print,
			   "agent,sampleType_tag,srcIP,dstIP,TCPSrcPort,in_vlan,ifInOctets,"
			   "discarded_flowBlock_tag,rtmetric_datasource_name");
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct capture *c;
	struct capture_meta cm;
	struct dump_meta m = { 0 };
	const uint8_t *payload;
	size_t len;
	enum capture_status st;

	if (!ready)
		setup();
	c = capture_open_mem(data, size, err, sizeof(err));
	if (!c)
		return 0;
	for (int n = 0; n < FUZZ_MAX_FRAMES; n++) {
		st = capture_next(c, &payload, &len, &cm);
		if (st == CAPTURE_END || st == CAPTURE_ERROR)
			break;
		if (st != CAPTURE_DATAGRAM)
			continue;
		m.pcap_sec = cm.sec;
		m.pcap_usec = cm.usec;
		m.frame = cm.frame;
		for (size_t i = 0; i <= NFORMATS; i++)
			dump_datagram(&sinks[i], payload, len, &m);
	}
	capture_close(c);
	return 0;
}
