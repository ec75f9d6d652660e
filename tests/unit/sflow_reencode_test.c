/*
 * Round trip over real traffic: every datagram of the testdata captures
 * that decodes cleanly is re-encoded from its typed view (header, sample
 * fields, typed records) and must reproduce the original bytes exactly,
 * except where the input had non-zero XDR padding (canonical XDR pads with
 * zeros, which is what the encoder writes).
 * The captures come from switches, routers and hsflowd, so the expected
 * bytes are other implementations' encodings, not ours.
 */
#include <dirent.h>
#include <stdlib.h>

#include "sflow/decode.h"
#include "sflow/encode.h"
#include "tests/lib/payloads.h"
#include "tests/lib/test.h"

#define TESTDATA "../shared/testdata/sflow-pcaps"

struct tally {
	size_t clean;     /* datagrams that decoded without error */
	size_t identical; /* ... and re-encoded byte for byte */
	size_t typed;     /* typed records re-encoded */
	size_t padded;    /* ... identical but for non-zero padding in the input */
	int shown;        /* differences reported so far */
};

static int reencode_sample(struct sfl_encoder *e, struct sfl_sample *s, struct tally *t)
{
	struct sfl_record rec;

	if (sfl_encode_sample_begin(e, s) == -1)
		return -1;
	if (!s->known || s->tag == SFL_SAMPLE_RTMETRIC || s->tag == SFL_SAMPLE_RTFLOW)
		return sfl_encode_raw(e, s->body, s->len);
	while (sfl_sample_next_record(s, &rec)) {
		t->typed += rec.known;
		if (sfl_encode_record(e, &rec) == -1)
			return -1;
	}
	return s->err->code == SFL_ERR_NONE ? 0 : -1;
}

/*
 * Whether `out` differs from the original `in` only where `in` has
 * non-zero XDR padding: such bytes are never the first of their 4-byte
 * word and the canonical encoding writes them as zero. (hsflowd leaves
 * stale bytes in the padding of sampled headers and strings.)
 */
static bool differs_only_in_padding(const uint8_t *in, const uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (in[i] != out[i] && (out[i] != 0 || i % 4 == 0))
			return false;
	return true;
}

/* 2 identical, 1 identical up to padding, 0 different, -1 did not decode. */
static int reencode(const uint8_t *buf, size_t len, struct tally *t)
{
	static uint8_t out[SFL_MAX_DATAGRAM_BYTES];
	struct sfl_datagram dg;
	struct sfl_datagram_hdr hdr;
	struct sfl_encoder e;
	struct sfl_sample s;
	size_t len_out;
	int rc = 0;

	if (sfl_datagram_init(&dg, buf, len) == -1)
		return -1;
	hdr.agent = dg.agent;
	hdr.sub_agent_id = dg.sub_agent_id;
	hdr.seq = dg.seq;
	hdr.uptime_ms = dg.uptime_ms;
	sfl_encode_begin(&e, out, sizeof(out), &hdr);
	while (sfl_datagram_next_sample(&dg, &s)) {
		if (reencode_sample(&e, &s, t) == -1)
			rc = -1;
		sfl_encode_sample_end(&e);
	}
	if (dg.err.code != SFL_ERR_NONE)
		return -1;
	t->clean++;
	len_out = sfl_encode_end(&e);
	len -= dg.trailing_bytes; /* not part of any sample: not re-encoded */
	if (rc != 0 || len_out != len)
		return 0;
	if (memcmp(out, buf, len) == 0)
		return 2;
	return differs_only_in_padding(buf, out, len) ? 1 : 0;
}

static void run_capture(const char *name, struct tally *t)
{
	char path[512];
	struct payloads p;

	snprintf(path, sizeof(path), "%s/%s", TESTDATA, name);
	if (payloads_load(&p, path) == -1) {
		printf("  cannot read %s\n", path);
		test_failed_checks++;
		return;
	}
	for (size_t i = 0; i < p.count; i++) {
		int rc = reencode(p.data + p.offset[i], p.len[i], t);

		if (rc == 0 && t->shown++ < 5)
			printf("  %s datagram %zu re-encodes differently\n", name, i + 1);
		t->identical += rc == 2;
		t->padded += rc == 1;
	}
	payloads_free(&p);
}

TEST(every_clean_datagram_of_the_captures_reencodes_identically)
{
	struct tally t = { 0, 0, 0, 0, 0 };
	DIR *d = opendir(TESTDATA);
	struct dirent *de;
	int captures = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n > 5 && strcmp(de->d_name + n - 5, ".pcap") == 0) {
			run_capture(de->d_name, &t);
			captures++;
		}
	}
	closedir(d);
	printf("  %d captures, %zu clean datagrams: %zu identical, %zu identical but for input "
	       "padding; %zu typed records\n", captures, t.clean, t.identical, t.padded, t.typed);
	CHECK_EQ_U64(captures, 19);
	/* 1000 overflowd + 336 + 12 hsflowd + 25 + 25 tcpdump + 11 akvorado + 9 + 1 */
	CHECK(t.clean >= 1400);
	CHECK_EQ_U64(t.identical + t.padded, t.clean);
	/* the switch and router captures are canonical: most must match exactly */
	CHECK(t.identical >= 1000);
}

TEST_MAIN(TEST_ENTRY(every_clean_datagram_of_the_captures_reencodes_identically))
