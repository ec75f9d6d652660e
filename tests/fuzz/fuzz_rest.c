/*
 * tests/fuzz/fuzz_rest.c: fuzz target for the REST layer: router, query
 * string handling and every handler, over two real stores holding a few
 * agents (datagrams built at start-up: host and interface counters, two
 * samples 10 s apart) and a real forward table. Input: line 1 "METHOD /path?query", line 2 the Content-Type
 * (empty: none), the rest the body. The query is split at '&' and '=' as
 * libmicrohttpd would (at most QUERY_MAX_FILTERS pairs). Every response
 * must have a status and, for errors, a JSON body; the body is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/forward.h"
#include "analyzer/http/rest.h"
#include "analyzer/http/router.h"
#include "analyzer/store.h"
#include "tests/unit/store_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct rest_ctx ctx;
static struct store_set stores;

/* Agent 10.0.0.<a>: host 2:1 and interface <a>, two datagrams 10 s apart. */
static void feed(struct store *s, uint8_t a)
{
	union sfl_record_value v;
	struct tdg d;

	for (uint32_t i = 0; i < 2; i++) {
		tdg_begin(&d, a, 0, i + 1, 50000 + 10000 * i);
		memset(&v, 0, sizeof(v));
		v.host_descr.hostname = (struct sfl_str){ "h\"x", 3 };
		tdg_counters(&d, 2, 1, i + 1, SFL_CTR_HOST_DESCR, &v);
		memset(&v, 0, sizeof(v));
		v.host_cpu.load_one = (float)a;
		v.host_cpu.cpu_num = 2;
		tdg_counters(&d, 2, 1, i + 1, SFL_CTR_HOST_CPU, &v);
		v = tdg_generic(a, 1000000000ull * a, 1000 + 500000 * i * a, 10 + i, 99 * i);
		tdg_counters(&d, 0, a, i + 1, SFL_CTR_GENERIC, &v);
		tdg_ingest(s, &d, 1000000 + 10000 * i);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct store *v[2];
	static const struct store_limits lim = { 100, 100, 60000, 60000 };

	(void)argc, (void)argv;
	v[0] = store_new(0, &lim);
	v[1] = store_new(1, &lim);
	stores = (struct store_set){ v, 2 };
	for (uint8_t a = 1; a <= 4; a++)
		feed(v[a % 2], a);
	rest_ctx_init(&ctx, &stores, forward_new(), NULL, NULL);
	return 0;
}

/* Split "a=1&b&c=3" in place into q. */
static void split_query(char *s, struct query_filter *q)
{
	while (s && *s && q->n < QUERY_MAX_FILTERS) {
		char *amp = strchr(s, '&'), *eq;

		if (amp)
			*amp = '\0';
		eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		q->kv[q->n].name = s;
		q->kv[q->n].value = eq ? eq + 1 : "";
		q->n++;
		s = amp ? amp + 1 : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *line2, *body, *sp, *qm, *ct;
	struct http_request req = { .ctx = &ctx };
	struct http_response resp = { 0 };

	if (!ctx.fw)
		LLVMFuzzerInitialize(NULL, NULL);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	line2 = strchr(buf, '\n');
	if (line2)
		*line2++ = '\0';
	body = line2 ? strchr(line2, '\n') : NULL;
	if (body)
		*body++ = '\0';
	sp = strchr(buf, ' ');
	if (sp)
		*sp++ = '\0';
	qm = sp ? strchr(sp, '?') : NULL;
	if (qm) {
		*qm++ = '\0';
		split_query(qm, &req.query);
	}
	ct = line2 && *line2 ? line2 : NULL;
	req.method = buf;
	req.path = sp ? sp : "/";
	req.content_type = ct;
	req.body = body ? body : "";
	req.body_len = body ? size - (size_t)(body - buf) : 0;
	router_dispatch(&req, &resp);
	if (resp.status < 200 || resp.status > 599)
		abort();
	free(resp.body);
	free(buf);
	return 0;
}
