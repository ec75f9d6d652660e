/*
 * tests/fuzz/fuzz_flow_spec.c: fuzz target for the parsers of flow
 * definitions, filters, key expressions, groups and maps (REST bodies
 * and script arguments). The input is tried as each: a JSON definition
 * (compiled, printed back, evaluated over a fixed hand-built sample), a
 * filter, a key expression (evaluated too), and a JSON group and map
 * document (then looked up). Plain C11, no libFuzzer dependency
 * (tests/fuzz/replay.c runs it over the corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_expr.h"
#include "analyzer/flow_group.h"
#include "analyzer/flow_spec.h"
#include "sflow/encode.h"
#include "sflow/sflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

/* A VXLAN-in-IPv4 TCP sample, so tunnel keys have values. */
static void sample(struct flow_sample *fs, struct sfl_sample *smp, uint8_t *dg, size_t cap)
{
	static const uint8_t h[] = {
		0,    1,    2,   3,    4,  5,    6,    7,    8,    9,    10,   11,   0x08,
		0x00, 0x45, 0,   0,    90, 0,    0,    0,    0,    64,   17,   0,    0,
		10,   0,    0,   1,    10, 0,    0,    2,    0xc0, 0x00, 0x12, 0xb5, 0,
		70,   0,    0,   0x08, 0,  0,    0,    0x00, 0x13, 0x88, 0x00, 2,    0,
		0,    0,    0,   0xbb, 2,  0,    0,    0,    0,    0xaa, 0x08, 0x00, 0x45,
		0,    0,    40,  0,    0,  0,    0,    64,   6,    0,    0,    172,  16,
		0,    1,    172, 16,   0,  2,    0x9c, 0x40, 0x01, 0xbb, 0,    0,    0,
		0,    0,    0,   0,    0,  0x50, 0x12, 0,    0,    0,    0,    0,    0
	};
	struct sfl_encoder e;
	struct sfl_datagram_hdr hdr = { .seq = 1, .uptime_ms = 1 };
	struct sfl_sample s = {
		.tag = SFL_SAMPLE_FLOW, .ds_index = 3, .sampling_rate = 10, .input = 3
	};
	struct sfl_record r = { .tag = SFL_FLOW_HEADER, .kind = SFL_KIND_FLOW, .known = true };
	static struct sfl_datagram d;

	hdr.agent.type = SFL_ADDR_IP4;
	r.v.header.protocol = 1;
	r.v.header.frame_bytes = 128;
	r.v.header.header.ptr = h;
	r.v.header.header.len = sizeof(h);
	sfl_encode_begin(&e, dg, cap, &hdr);
	sfl_encode_sample_begin(&e, &s);
	sfl_encode_record(&e, &r);
	sfl_encode_sample_end(&e);
	if (sfl_datagram_init(&d, dg, sfl_encode_end(&e)) == -1 ||
	    !sfl_datagram_next_sample(&d, smp))
		abort();
	flow_sample_init(fs, smp, "192.0.2.1");
}

static void try_spec(const char *text, const struct flow_env *env, struct flow_sample *fs)
{
	char err[256], printed[FLOW_KEY_TEXT_MAX];
	uint8_t key[FLOW_CACHE_KEY_MAX];
	cJSON *j = cJSON_Parse(text), *back;
	struct flow_spec *sp = j ? flow_spec_parse(j, err, sizeof(err)) : NULL;
	struct flow_cache_contrib x;
	size_t len;

	if (sp) {
		back = flow_spec_json(sp);
		char *t = cJSON_PrintUnformatted(back);

		fuzz_sink += t ? strlen(t) : 0;
		free(t);
		cJSON_Delete(back);
		if (flow_spec_eval(sp, env, fs, key, sizeof(key), &len, &x)) {
			fuzz_sink += len;
			/* every key the definition makes prints */
			if (flow_spec_key_format(sp, key, len, printed, sizeof(printed)) < 0)
				abort();
		}
	}
	flow_spec_free(sp);
	cJSON_Delete(j);
}

static void try_text(const char *text, size_t size, const struct flow_env *env,
		     struct flow_sample *fs)
{
	char err[256], v[FLOW_KEY_VALUE_MAX];
	struct flow_filter *f = flow_filter_parse(text, err, sizeof(err));
	struct flow_expr *x = flow_expr_parse(text, size, err, sizeof(err));

	if (f)
		fuzz_sink += flow_filter_match(f, env, fs);
	if (x && flow_expr_eval(x, env, fs, v, sizeof(v)) >= 0)
		fuzz_sink += strlen(v);
	flow_filter_free(f);
	flow_expr_free(x);
}

static void try_tables(const char *text)
{
	char err[256];
	cJSON *j = cJSON_Parse(text);
	struct flow_groups *g = flow_groups_build(j, err, sizeof(err));
	struct flow_maps *m = flow_maps_build(j, err, sizeof(err));
	const cJSON *e;

	cJSON_ArrayForEach(e, j)
	{
		const char *l = flow_groups_match(g, e->string ? e->string : "", "10.1.2.3");
		const char *l6 = flow_groups_match(g, e->string ? e->string : "", "2001:db8::1");
		const char *lm = flow_maps_match(m, e->string ? e->string : "", "80");

		fuzz_sink += (l ? strlen(l) : 0) + (l6 ? strlen(l6) : 0) + (lm ? strlen(lm) : 0);
	}
	flow_groups_free(g);
	flow_maps_free(m);
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t dg[1024];
	struct sfl_sample smp;
	struct flow_sample fs;
	struct flow_env env = { 0 };
	char err[256];
	cJSON *g = cJSON_Parse("{\"lan\":{\"in\":[\"10.0.0.0/8\"]}}");
	char *text = malloc(size + 1);

	if (!text || size > 8192) {
		free(text);
		cJSON_Delete(g);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	sample(&fs, &smp, dg, sizeof(dg));
	env.groups = flow_groups_build(g, err, sizeof(err));
	try_spec(text, &env, &fs);
	try_text(text, strlen(text), &env, &fs);
	try_tables(text);
	flow_groups_free((struct flow_groups *)env.groups);
	cJSON_Delete(g);
	free(text);
	return 0;
}
