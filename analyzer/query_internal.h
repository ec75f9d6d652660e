/*
 * analyzer/query_internal.h: what query.c and query_table.c share: the
 * parsed forms of the agents and metrics path segments, the filter test
 * and the walk over every selected data source of a store_set (each store
 * locked in turn while its part is visited). Not a public interface.
 */
#ifndef RTFLOW_ANALYZER_QUERY_INTERNAL_H
#define RTFLOW_ANALYZER_QUERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/query.h"
#include "analyzer/stats.h"
#include "analyzer/store_internal.h"

#define QUERY_MAX_AGENTS 256      /* agent tokens in one path segment */
#define QUERY_MAX_METRICS 64      /* metric tokens in one path segment */
#define QUERY_TOKEN_MAX 160       /* bytes of one metric token, with NUL */
#define QUERY_ITEMS_MAX (1u << 18) /* values one Statistic aggregates */
#define QUERY_ROWS_MAX (1u << 18) /* rows one table builds before sorting */
#define QUERY_DUMP_MAX (1u << 20) /* Metric objects in one /dump answer */

struct query_agents {
	bool all;
	size_t n;
	char name[QUERY_MAX_AGENTS][STORE_ADDR_MAX];
};

enum query_mode { QUERY_MODE_METRIC, QUERY_MODE_DUMP, QUERY_MODE_TABLE };

struct query_metric {
	char text[QUERY_TOKEN_MAX];   /* the token as given: the metricName echo */
	char ds[STORE_DS_NAME_MAX];   /* "" = every data source */
	char name[QUERY_TOKEN_MAX];   /* metric name, "" with all */
	enum stats_agg agg;
	bool all;                     /* ALL (dump) */
	bool sort;                    /* table sort:m:±N column */
	bool sort_desc;
	long sort_n;                  /* rows kept, 0 = all */
	bool nullable;                /* table null:m column */
	int16_t slots[METRICS_RECORDS_MAX]; /* name's slot per record table */
};

struct query_metrics {
	size_t n;
	struct query_metric m[QUERY_MAX_METRICS];
};

/* Parse a segment. 0, or -1 with a one-line reason in err. */
int query_parse_agents(const char *s, struct query_agents *out, char *err, size_t errlen);
int query_parse_metrics(const char *s, enum query_mode mode, struct query_metrics *out,
			char *err, size_t errlen);

/* '*' matches any run of characters; everything else itself. */
bool query_glob(const char *pattern, const char *s);

/* Whether data source d passes filter f (NULL passes). */
bool query_filter_ok(const struct query_filter *f, const struct store_ds *d);

/* The value slot of metric m in d (its ds part must match d), or NULL.
 * A flow definition's value is returned in a per-thread slot that the
 * next call overwrites. */
const struct store_val *query_metric_find(const struct query_metric *m,
					  const struct store_ds *d);

/* Call fn for every data source of the selected agents that passes f. */
typedef void query_ds_fn(void *arg, const struct store_agent *a, const struct store_ds *d);
void query_walk(const struct store_set *ss, const struct query_agents *ag,
		const struct query_filter *f, query_ds_fn *fn, void *arg);

/* The same over one store whose lock the caller holds. */
void query_walk_store(const struct store *s, const struct query_agents *ag,
		      const struct query_filter *f, query_ds_fn *fn, void *arg);

/* ms since t, 0 when t is in the future */
static inline uint64_t query_age(uint64_t now_ms, uint64_t t)
{
	return now_ms > t ? now_ms - t : 0;
}

/* A Metric object {agent, dataSource, metricName, metricValue, lastUpdate}. */
cJSON *query_metric_object(const struct store_agent *a, const struct store_ds *d,
			   const char *name, const struct store_val *v, uint64_t now_ms);

#endif
