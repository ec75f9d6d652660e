/*
 * tests/fuzz/fuzz_agent_flow_sample.c: fuzz target for agent/flow_sample.c,
 * the one agent unit that reads packet bytes from the wire. Input: byte 0
 * picks the link type (mod 3), bytes 1-2 the header cap (64..319), bytes
 * 3-4 how much wire length exceeds the captured bytes, the rest is the
 * captured packet. The sample is built against a MAC table holding the
 * packet's own source MAC when byte 0 is odd, encoded into a datagram and
 * decoded back. Invariants: a built sample's header points into the packet
 * and is at most the cap, frame_bytes >= the header, the datagram decodes
 * without error to the same sample, and input/output are 0, the ifIndex or
 * 0x3FFFFFFF. A broken invariant aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/flow_sample.h"
#include "sflow/encode.h"
#include "sflow/sflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IFX 0x01000005u /* > 2^24: the expanded form */

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_agent_flow_sample: invariant broken: %s\n", why);
	abort();
}

static bool port_ok(uint32_t v)
{
	return v == 0 || v == IFX || v == SFL_IF_INTERNAL;
}

static void round_trip(const struct flow_sample *fs)
{
	static uint8_t dg[2048];
	struct sfl_datagram_hdr h = { .agent = { .type = SFL_ADDR_IP4, .addr = { 192, 0, 2, 1 } } };
	struct sfl_encoder e;
	struct sfl_datagram d;
	struct sfl_sample s;
	struct sfl_record r;
	unsigned n = 0;

	if (sfl_encode_begin(&e, dg, sizeof(dg), &h) == -1 ||
	    sfl_encode_sample_begin(&e, &fs->hdr) == -1)
		fail("encode begin");
	for (size_t i = 0; i < fs->rec_count; i++)
		sfl_encode_record(&e, &fs->recs[i]);
	if (sfl_encode_sample_end(&e) == -1 || sfl_datagram_init(&d, dg, sfl_encode_end(&e)) == -1 ||
	    !sfl_datagram_next_sample(&d, &s))
		fail("encode");
	while (sfl_sample_next_record(&s, &r))
		n++;
	if (d.err.code != SFL_ERR_NONE || n != fs->rec_count || s.ds_index != IFX ||
	    s.input != fs->hdr.input || s.output != fs->hdr.output)
		fail("round trip");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct flow_sample_macs macs;
	struct flow_sample_source src = { .ifindex = IFX, .seq = 1, .sampling_rate = 100 };
	struct flow_sample_packet pkt = { 0 };
	struct flow_sample fs;
	const struct sfl_flow_header *h;

	if (size < 5)
		return 0;
	pkt.link = (enum flow_sample_link)(data[0] % 3);
	src.header_bytes = 64u + (((uint32_t)data[1] << 8 | data[2]) % 256u);
	pkt.data = data + 5;
	pkt.cap_bytes = (uint32_t)(size - 5);
	pkt.wire_bytes = pkt.cap_bytes + ((uint32_t)data[3] << 8 | data[4]);
	macs.count = 0;
	if ((data[0] & 1) && pkt.cap_bytes >= 12)
		flow_sample_macs_add(&macs, pkt.data + 6);
	if (flow_sample_build(&fs, &src, &macs, &pkt) == -1)
		return 0;
	h = &fs.recs[0].v.header;
	if (h->header.ptr < pkt.data || h->header.ptr + h->header.len > pkt.data + pkt.cap_bytes ||
	    h->header.len > src.header_bytes || h->frame_bytes < h->header.len ||
	    !port_ok(fs.hdr.input) || !port_ok(fs.hdr.output))
		fail("sample fields");
	round_trip(&fs);
	return 0;
}
