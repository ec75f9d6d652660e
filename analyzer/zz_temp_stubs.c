/*
 * analyzer/zz_temp_stubs.c: throw-away definitions of the collector,
 * forward, store and query functions rtflow-analyzer calls, so the h/http
 * branch links until those branches merge. Removed after the merge.
 */
#include <stdlib.h>

#include "analyzer/collector.h"
#include "analyzer/forward.h"
#include "analyzer/query.h"
#include "analyzer/store.h"

struct store {
	unsigned index;
};

struct store *store_new(unsigned index, const struct store_limits *lim)
{
	struct store *s = calloc(1, sizeof(*s));

	(void)lim;
	if (s)
		s->index = index;
	return s;
}

void store_free(struct store *s)
{
	free(s);
}

void store_set_limits(struct store *s, const struct store_limits *lim)
{
	(void)s, (void)lim;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	(void)s;
	*out = (struct store_stats){ 0 };
}

cJSON *query_agents_json(const struct store_set *ss, const char *const *agents, size_t n,
			 uint64_t now_ms)
{
	(void)ss, (void)agents, (void)n, (void)now_ms;
	return cJSON_CreateObject();
}

cJSON *query_metric_names_json(const struct store_set *ss, uint64_t now_ms)
{
	(void)ss, (void)now_ms;
	return cJSON_CreateObject();
}

cJSON *query_agent_metrics_json(const struct store_set *ss, const char *agent, uint64_t now_ms)
{
	(void)ss, (void)agent, (void)now_ms;
	return NULL;
}

int query_metric_json(const struct store_set *ss, const char *agents, const char *metrics,
		      const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		      size_t errlen)
{
	(void)ss, (void)agents, (void)metrics, (void)f, (void)now_ms, (void)err, (void)errlen;
	*out = cJSON_CreateArray();
	return 0;
}

int query_dump_json(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		    size_t errlen)
{
	(void)ss, (void)agents, (void)metrics, (void)f, (void)now_ms, (void)err, (void)errlen;
	*out = cJSON_CreateArray();
	return 0;
}

int query_table_json(const struct store_set *ss, const char *agents, const char *columns,
		     const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		     size_t errlen)
{
	(void)ss, (void)agents, (void)columns, (void)f, (void)now_ms, (void)err, (void)errlen;
	*out = cJSON_CreateArray();
	return 0;
}

int query_dump_each(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, query_item_cb *cb, void *arg,
		    char *err, size_t errlen)
{
	(void)ss, (void)agents, (void)metrics, (void)f, (void)now_ms, (void)cb, (void)arg;
	(void)err, (void)errlen;
	return 0;
}

struct collector {
	int unused;
};

struct collector *collector_start(const struct collector_opts *o, const struct store_set *ss,
				  struct forward *fw, char *err, size_t errlen)
{
	(void)o, (void)ss, (void)fw, (void)err, (void)errlen;
	return calloc(1, sizeof(struct collector));
}

void collector_stop(struct collector *c)
{
	free(c);
}

void collector_get_stats(struct collector *c, struct collector_stats *out)
{
	(void)c;
	*out = (struct collector_stats){ 0 };
}

struct forward {
	int unused;
};

struct forward *forward_new(void)
{
	return calloc(1, sizeof(struct forward));
}

void forward_free(struct forward *fw)
{
	free(fw);
}

int forward_set(struct forward *fw, const char *name, const cJSON *body, char *err,
		size_t errlen)
{
	(void)fw, (void)name, (void)body, (void)err, (void)errlen;
	return 0;
}

int forward_delete(struct forward *fw, const char *name)
{
	(void)fw, (void)name;
	return -1;
}

cJSON *forward_get_json(struct forward *fw, const char *name)
{
	(void)fw, (void)name;
	return NULL;
}

cJSON *forward_list_json(struct forward *fw)
{
	(void)fw;
	return cJSON_CreateObject();
}

void forward_get_counts(struct forward *fw, uint64_t *sent, uint64_t *errors)
{
	(void)fw;
	*sent = *errors = 0;
}
