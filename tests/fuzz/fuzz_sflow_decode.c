/*
 * tests/fuzz/fuzz_sflow_decode.c: fuzz target for the sFlow v5 decoder and
 * the encoder's round trip of what it decodes.
 *
 * The input is one datagram. Pass 1 walks it with the full public API
 * (every sample, every record typed, rtmetric/rtflow entries, every list
 * iterator of records.h) and folds every decoded value into a volatile sink,
 * so the sanitizers see any pointer that leaves the input; every pointer is
 * also checked to lie inside the input (decoding is zero-copy). Records are
 * poisoned before each decode so a field the decoder forgets to set is not
 * silently zero. When the datagram decodes cleanly it is re-encoded from its
 * typed view (pass 2, using the raw iterator plus sfl_record_decode()); the
 * result must decode cleanly to the same samples, records and sample fields,
 * and re-encoding that must reproduce it byte for byte (the encoder's output
 * is a fixed point). Any broken invariant prints why and calls abort(), so
 * libFuzzer and the corpus replay (tests/fuzz/replay.c) report it.
 * Plain C11 with no libFuzzer dependency.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sflow/decode.h"
#include "sflow/encode.h"

#define FUZZ_OUT_BYTES 65536 /* re-encode buffer: the largest UDP payload and more */
#define FUZZ_POISON 0xa5     /* fills records before each decode */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t fuzz_sink;

/* The input being decoded: every decoded pointer must fall inside it. */
static const uint8_t *in_lo, *in_hi;

static void fail(const char *why, uint32_t a, uint32_t b)
{
	fprintf(stderr, "fuzz_sflow_decode: invariant broken: %s (%u, %u)\n", why, a, b);
	abort();
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint64_t mix_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = mix(h, b[i]);
	return h;
}

/* Fold n bytes at p, which must lie inside the input (when n > 0). */
static uint64_t mix_in(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (n == 0)
		return mix(h, 0);
	if (!b)
		fail("decoded pointer is NULL", (uint32_t)n, 0);
	if (b < in_lo || b > in_hi || (size_t)(in_hi - b) < n)
		fail("decoded pointer outside the input", (uint32_t)n, (uint32_t)(b - in_lo));
	return mix_bytes(h, b, n);
}

static uint64_t mix_str(uint64_t h, const struct sfl_str *s)
{
	return mix_in(mix(h, s->len), s->ptr, s->len);
}

static uint64_t mix_u32s(uint64_t h, const struct sfl_u32_array *a)
{
	h = mix(h, a->count);
	if (a->count)
		h = mix_in(h, a->xdr, 4 * (size_t)a->count);
	for (uint32_t i = 0; i < a->count; i++)
		h = mix(h, sfl_u32_array_get(a, i));
	return h;
}

/*
 * String members of each record format, by offset in the value union. The
 * records with byte strings, arrays or lists are walked in mix_lists().
 */
struct fuzz_strs {
	enum sfl_record_kind kind;
	uint32_t tag;
	size_t off[7];
	unsigned n;
};

#define V(member) offsetof(union sfl_record_value, member)
#define F SFL_KIND_FLOW
#define C SFL_KIND_COUNTERS
static const struct fuzz_strs fuzz_strs[] = {
	{ F, SFL_FLOW_EX_USER, { V(user.src_user), V(user.dst_user) }, 2 },
	{ F, SFL_FLOW_EX_URL, { V(url.url), V(url.host) }, 2 },
	{ F, SFL_FLOW_EX_MPLS_TUNNEL, { V(mpls_tunnel.name) }, 1 },
	{ F, SFL_FLOW_EX_MPLS_VC, { V(mpls_vc.name) }, 1 },
	{ F, SFL_FLOW_EX_MPLS_FTN, { V(mpls_ftn.descr) }, 1 },
	{ F, SFL_FLOW_EX_80211_RX, { V(wifi_rx.ssid) }, 1 },
	{ F, SFL_FLOW_EX_80211_TX, { V(wifi_tx.ssid) }, 1 },
	{ F, SFL_FLOW_EX_FUNCTION, { V(function.symbol) }, 1 },
	{ F, SFL_FLOW_EX_HW_TRAP, { V(hw_trap.group), V(hw_trap.trap) }, 2 },
	{ F, SFL_FLOW_EX_LINUX_REASON, { V(linux_reason.reason) }, 1 },
	{ F, SFL_FLOW_MEMCACHE, { V(memcache_op.key) }, 1 },
	{ F, SFL_FLOW_HTTP_OLD, { V(http_old.uri), V(http_old.host), V(http_old.referer),
				  V(http_old.useragent), V(http_old.authuser),
				  V(http_old.mime_type) }, 6 },
	{ F, SFL_FLOW_APP, { V(app_op.application), V(app_op.operation), V(app_op.attributes),
			     V(app_op.status_descr) }, 4 },
	{ F, SFL_FLOW_APP_CTXT, { V(app_ctxt.application), V(app_ctxt.operation),
				  V(app_ctxt.attributes) }, 3 },
	{ F, SFL_FLOW_APP_ACTOR_INIT, { V(app_actor.actor) }, 1 },
	{ F, SFL_FLOW_APP_ACTOR_TGT, { V(app_actor.actor) }, 1 },
	{ F, SFL_FLOW_HTTP, { V(http.uri), V(http.host), V(http.referer), V(http.useragent),
			      V(http.xff), V(http.authuser), V(http.mime_type) }, 7 },
	{ F, SFL_FLOW_EX_PROXY_REQUEST, { V(proxy_request.uri), V(proxy_request.host) }, 2 },
	{ C, SFL_CTR_PORTNAME, { V(portname.name) }, 1 },
	{ C, SFL_CTR_HOST_DESCR, { V(host_descr.hostname), V(host_descr.os_release) }, 2 },
	{ C, SFL_CTR_JVM_RUNTIME, { V(jvm_runtime.vm_name), V(jvm_runtime.vm_vendor),
				    V(jvm_runtime.vm_version) }, 3 },
	{ C, SFL_CTR_APP, { V(app.application) }, 1 },
};
#undef V
#undef F
#undef C

static uint64_t mix_strings(uint64_t h, const struct sfl_record *rec)
{
	const uint8_t *base = (const uint8_t *)&rec->v;

	for (size_t i = 0; i < sizeof(fuzz_strs) / sizeof(fuzz_strs[0]); i++) {
		const struct fuzz_strs *t = &fuzz_strs[i];

		if (t->kind != rec->kind || t->tag != rec->tag)
			continue;
		for (unsigned j = 0; j < t->n; j++) {
			struct sfl_str s;

			memcpy(&s, base + t->off[j], sizeof(s));
			h = mix_str(h, &s);
		}
	}
	return h;
}

static uint64_t mix_as_path(uint64_t h, const struct sfl_ex_gateway *g)
{
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	uint32_t n = 0;

	sfl_list_iter_init(&it, &g->as_path);
	while (sfl_as_path_next(&it, &seg)) {
		h = mix_u32s(mix(h, seg.type), &seg.asns);
		n++;
	}
	if (n != g->as_path.count)
		fail("as_path segments walked != count", n, g->as_path.count);
	return mix_u32s(h, &g->communities);
}

static uint64_t mix_adapters(uint64_t h, const struct sfl_ctr_host_adapters *ha)
{
	struct sfl_list_iter it;
	struct sfl_adapter ad;
	uint32_t n = 0;

	sfl_list_iter_init(&it, &ha->adapters);
	while (sfl_adapter_next(&it, &ad)) {
		h = mix(mix(h, ad.ifindex), ad.num_macs);
		for (uint32_t i = 0; i < ad.num_macs; i++)
			h = mix_in(h, sfl_adapter_mac(&ad, i), 6);
		n++;
	}
	if (n != ha->adapters.count)
		fail("adapters walked != count", n, ha->adapters.count);
	return h;
}

static uint64_t mix_sfp(uint64_t h, const struct sfl_ctr_sfp *sfp)
{
	struct sfl_list_iter it;
	struct sfl_sfp_lane lane;
	uint32_t n = 0;

	sfl_list_iter_init(&it, &sfp->lanes);
	while (sfl_sfp_lane_next(&it, &lane)) {
		h = mix_bytes(h, &lane, sizeof(lane));
		n++;
	}
	if (n != sfp->lanes.count)
		fail("sfp lanes walked != count", n, sfp->lanes.count);
	return h;
}

/* Byte strings, u32 arrays and nested lists of the records that have them. */
static uint64_t mix_lists(uint64_t h, const struct sfl_record *rec)
{
	const union sfl_record_value *v = &rec->v;

	if (rec->kind == SFL_KIND_FLOW) {
		switch (rec->tag) {
		case SFL_FLOW_HEADER:
			return mix_in(h, v->header.header.ptr, v->header.header.len);
		case SFL_FLOW_EX_80211_PAYLOAD:
			return mix_in(h, v->wifi_payload.header.header.ptr,
				      v->wifi_payload.header.header.len);
		case SFL_FLOW_EX_GATEWAY:
			return mix_as_path(h, &v->gateway);
		case SFL_FLOW_EX_MPLS:
			return mix_u32s(mix_u32s(h, &v->mpls.in_stack), &v->mpls.out_stack);
		case SFL_FLOW_EX_VLAN_TUNNEL:
			return mix_u32s(h, &v->vlan_tunnel.stack);
		}
		return h;
	}
	if (rec->tag == SFL_CTR_HOST_ADAPTERS)
		return mix_adapters(h, &v->host_adapters);
	if (rec->tag == SFL_CTR_SFP)
		return mix_sfp(h, &v->sfp);
	return h;
}

/* Fold one record: raw body, typed scalars (the whole union), pointers. */
static uint64_t touch_record(uint64_t h, const struct sfl_sample *s, const struct sfl_record *rec)
{
	const char *name = sfl_record_name(rec->kind, rec->tag);

	if (rec->kind != s->kind)
		fail("record kind differs from its sample's", rec->kind, s->kind);
	if (rec->known != sfl_record_known(rec->kind, rec->tag))
		fail("record typed state disagrees with sfl_record_known()", rec->known, rec->tag);
	if (rec->known && !name)
		fail("typed record has no name", rec->tag, 0);
	h = mix(mix(h, rec->tag), name ? strlen(name) : 0);
	h = mix_in(h, rec->body, rec->len);
	if (!rec->known)
		return h;
	h = mix_bytes(h, &rec->v, sizeof(rec->v));
	h = mix_strings(h, rec);
	return mix_lists(h, rec);
}

static uint64_t touch_rt(uint64_t h, const struct sfl_sample *s)
{
	struct sfl_rt_sample rt;
	struct sfl_rt_entry e;

	if (sfl_rt_open(s, &rt) == -1)
		return h;
	h = mix_str(h, &rt.datasource);
	h = mix(mix(mix(h, rt.sampling_rate), rt.sample_pool), rt.num_entries);
	while (sfl_rt_next(&rt, &e)) {
		h = mix_str(mix(h, e.type), &e.name);
		h = mix_bytes(mix(h, e.u64), &e.dbl, sizeof(e.dbl)); /* NaN-safe */
		if (e.type == SFL_RTF_STRING)
			h = mix_str(h, &e.str);
		else if (rt.is_flow && e.type == SFL_RTF_MAC)
			h = mix_in(h, e.raw, 6);
		else if (rt.is_flow && e.type == SFL_RTF_IP)
			h = mix_in(h, e.raw, 4);
		else if (rt.is_flow && e.type == SFL_RTF_IP6)
			h = mix_in(h, e.raw, 16);
	}
	return h;
}

static uint64_t touch_sample(uint64_t h, struct sfl_sample *s)
{
	struct sfl_record rec;

	h = mix_in(mix(h, s->tag), s->body, s->len);
	h = mix_bytes(h, &s->seq, offsetof(struct sfl_sample, num_records) -
				       offsetof(struct sfl_sample, seq));
	if (s->tag == SFL_SAMPLE_RTMETRIC || s->tag == SFL_SAMPLE_RTFLOW)
		return touch_rt(h, s);
	for (;;) {
		memset(&rec, FUZZ_POISON, sizeof(rec));
		if (!sfl_sample_next_record(s, &rec))
			break;
		h = touch_record(h, s, &rec);
	}
	return h;
}

/* Pass 1: decode and touch everything. Returns true if the datagram is clean. */
static bool touch_datagram(const uint8_t *data, size_t size)
{
	struct sfl_datagram dg;
	struct sfl_sample s;
	uint64_t h = 0xcbf29ce484222325ull;
	char msg[160];

	in_lo = data;
	in_hi = data + size;
	if (sfl_datagram_init(&dg, data, size) == 0) {
		h = mix_bytes(h, &dg.agent, sizeof(dg.agent));
		h = mix(mix(mix(h, dg.sub_agent_id), dg.seq), dg.uptime_ms);
		while (sfl_datagram_next_sample(&dg, &s))
			h = touch_sample(h, &s);
	}
	if (dg.err.code != SFL_ERR_NONE && dg.err.offset > size)
		fail("error offset past the datagram", dg.err.offset, (uint32_t)size);
	h = mix(h, strlen(sfl_error_format(&dg.err, msg, sizeof(msg))));
	h = mix(h, strlen(sfl_error_name(dg.err.code)));
	fuzz_sink = h;
	return dg.err.code == SFL_ERR_NONE;
}

enum fuzz_reenc {
	REENC_OK,
	REENC_UNCLEAN, /* the input did not decode cleanly */
	REENC_SKIP,    /* not re-encodable as is (see reencode_sample) */
};

/* Sample fields that must survive a round trip, folded for comparison. */
static uint64_t shape_sample(uint64_t h, const struct sfl_sample *s)
{
	h = mix(mix(mix(h, s->tag), s->known), s->num_records);
	switch (s->tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED:
		h = mix(mix(mix(h, s->sampling_rate), s->sample_pool), s->drops);
		h = mix(mix(mix(mix(h, s->input_format), s->input), s->output_format), s->output);
		/* fall through */
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		return mix(mix(mix(h, s->seq), s->ds_class), s->ds_index);
	case SFL_SAMPLE_DISCARD:
		h = mix(mix(mix(mix(h, s->drops), s->input), s->output), s->reason);
		return mix(mix(mix(h, s->seq), s->ds_class), s->ds_index);
	}
	return mix_bytes(mix(h, s->len), s->body, s->len); /* raw samples stay verbatim */
}

static enum fuzz_reenc reencode_sample(struct sfl_encoder *e, struct sfl_sample *s, uint64_t *shape)
{
	struct sfl_record rec;

	*shape = shape_sample(*shape, s);
	if (sfl_encode_sample_begin(e, s) == -1)
		fail("sample_begin refused a decoded sample", s->tag, s->offset);
	if (!s->known || s->tag == SFL_SAMPLE_RTMETRIC || s->tag == SFL_SAMPLE_RTFLOW) {
		/* a raw sample's body is copied as is; XDR bodies are whole words */
		if (s->len % 4 != 0)
			return REENC_SKIP;
		if (sfl_encode_raw(e, s->body, s->len) == 0)
			return REENC_OK;
		if (!e->w.full)
			fail("encode_raw refused a decoded raw sample", s->tag, s->len);
		return REENC_SKIP;
	}
	for (;;) {
		memset(&rec, FUZZ_POISON, sizeof(rec));
		if (!sfl_sample_next_record_raw(s, &rec))
			break;
		if (sfl_record_decode(&rec, (uint32_t)(rec.body - in_lo), s->err) == -1)
			return REENC_UNCLEAN;
		/* unknown bodies are padded to whole words when re-encoded */
		*shape = mix(mix(mix(*shape, rec.tag), rec.known), rec.known ? 0 : sfl_pad4(rec.len));
		if (sfl_encode_record(e, &rec) == -1) {
			if (e->w.full)
				return REENC_SKIP;
			fail("encode_record refused a decoded record", rec.tag, rec.len);
		}
	}
	return s->err->code == SFL_ERR_NONE ? REENC_OK : REENC_UNCLEAN;
}

/*
 * Decode in[0..len) with the raw iterator + sfl_record_decode() and encode
 * it again into out (FUZZ_OUT_BYTES). *shape folds what must be preserved.
 */
static enum fuzz_reenc reencode(const uint8_t *in, size_t len, uint8_t *out, size_t *out_len,
				uint64_t *shape)
{
	struct sfl_datagram dg;
	struct sfl_datagram_hdr hdr;
	struct sfl_encoder e;
	struct sfl_sample s;
	enum fuzz_reenc rc = REENC_OK;

	in_lo = in;
	in_hi = in + len;
	if (sfl_datagram_init(&dg, in, len) == -1)
		return REENC_UNCLEAN;
	hdr.agent = dg.agent;
	hdr.sub_agent_id = dg.sub_agent_id;
	hdr.seq = dg.seq;
	hdr.uptime_ms = dg.uptime_ms;
	*shape = mix_bytes(mix(0, dg.num_samples), &hdr, sizeof(hdr));
	if (sfl_encode_begin(&e, out, FUZZ_OUT_BYTES, &hdr) == -1)
		fail("encode_begin refused a decoded header", dg.agent.type, 0);
	while (rc == REENC_OK && sfl_datagram_next_sample(&dg, &s)) {
		rc = reencode_sample(&e, &s, shape);
		if (rc == REENC_OK && sfl_encode_sample_end(&e) == -1) {
			if (!e.full)
				fail("encode_sample_end failed without running out of room", s.tag,
				     s.offset);
			rc = REENC_SKIP;
		}
	}
	if (rc == REENC_OK && dg.err.code != SFL_ERR_NONE)
		rc = REENC_UNCLEAN;
	*out_len = sfl_encode_end(&e);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out1[FUZZ_OUT_BYTES], out2[FUZZ_OUT_BYTES];
	size_t len1, len2;
	uint64_t shape1, shape2;
	enum fuzz_reenc rc;

	if (!touch_datagram(data, size))
		return 0;
	rc = reencode(data, size, out1, &len1, &shape1);
	if (rc == REENC_UNCLEAN)
		fail("raw iteration + sfl_record_decode() disagrees with the typed walk", 0, 0);
	if (rc == REENC_SKIP)
		return 0;
	/* the re-encoded datagram is itself a clean input */
	if (!touch_datagram(out1, len1))
		fail("re-encoded datagram does not decode cleanly", (uint32_t)len1, 0);
	rc = reencode(out1, len1, out2, &len2, &shape2);
	if (rc != REENC_OK)
		fail("re-encoded datagram cannot be re-encoded", rc, (uint32_t)len1);
	if (shape1 != shape2)
		fail("samples, records or sample fields changed in the round trip", 0, 0);
	if (len1 != len2 || memcmp(out1, out2, len1) != 0)
		fail("encode(decode(x)) is not a fixed point", (uint32_t)len1, (uint32_t)len2);
	return 0;
}
