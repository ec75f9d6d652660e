/*
 * tests/fuzz/fuzz_rest.c: fuzz target for the REST layer: router, query
 * string handling and every handler, with empty stores and a real forward
 * table. Input: line 1 "METHOD /path?query", line 2 the Content-Type
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct rest_ctx ctx;
static struct store_set stores;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct store *v[2];
	static const struct store_limits lim = { 100, 100, 60000, 60000 };

	(void)argc, (void)argv;
	v[0] = store_new(0, &lim);
	v[1] = store_new(1, &lim);
	stores = (struct store_set){ v, 2 };
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
