/*
 * analyzer/store_internal.h: the store's data model, shared by store*.c
 * and query*.c only (not a public interface).
 *
 * store → hash of agents keyed by (agent address, sub-agent id) → per agent
 * a hash of data sources keyed by (class, index), or by name for rtmetric
 * data sources → per data source one block of value slots per counter
 * record format seen (slot order = metrics_record field order, then the
 * derived names) plus a bounded list of custom (rtmetric) metrics.
 *
 * Everything below is owned by the store and changed only by its owner
 * thread with s->mu held; readers (queries) hold s->mu while they look.
 */
#ifndef RTFLOW_ANALYZER_STORE_INTERNAL_H
#define RTFLOW_ANALYZER_STORE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/metrics.h"
#include "analyzer/store.h"
#include "sflow/decode.h"

#define STORE_SOURCES_MAX 8      /* sFlowDatagramSource addresses kept per agent */
#define STORE_CUSTOM_MAX 256     /* custom metrics per rtmetric data source */
#define STORE_DS_NAME_MAX 64     /* data source name bytes, with NUL */
#define STORE_ADDR_MAX 48        /* printed address, with NUL */
#define STORE_SLOTS_MAX 64       /* fields + derived of the largest record */
#define STORE_CLASS_CUSTOM UINT32_MAX /* ds_class of an rtmetric data source */

struct store_val {
	double num;           /* rate (counters), value (gauges) */
	uint64_t raw;         /* last counter reading, for the next rate */
	uint64_t updated_ms;  /* when the value was last set */
	char *str;            /* string value (owned), NULL for numbers */
	bool valid;           /* num or str holds a value */
	bool has_raw;         /* raw is a usable previous reading */
};

struct store_block {
	struct store_block *next;   /* the data source's blocks; the slab's free list */
	const struct metrics_record *rec; /* NULL: a free block of the slab */
	const struct store_ds *ds;  /* the data source it belongs to */
	uint32_t n;                 /* nfields + nderived */
	struct store_val v[];
};

struct store_custom {
	char *name;
	uint32_t type;              /* enum sfl_rtmetric_type */
	struct store_val v;
};

/* Sequence accounting of one stream (datagrams, or a data source's samples). */
struct store_seq {
	uint32_t last;
	bool have;
	uint64_t received, lost, duplicates, out_of_order;
};

enum store_seq_verdict { STORE_SEQ_FIRST, STORE_SEQ_NEXT, STORE_SEQ_DUP, STORE_SEQ_OOO,
			 STORE_SEQ_RESTART };

struct store_ds {
	struct store_ds *next;      /* hash chain */
	const struct store_agent *agent; /* the agent it belongs to */
	uint32_t ds_class, ds_index;
	char name[STORE_DS_NAME_MAX]; /* "3", "2.1", or the rtmetric data source */
	uint32_t epoch;             /* agent epoch the sequence state belongs to */
	struct store_seq cseq, fseq;  /* counter and flow sample streams */
	uint32_t flow_drops;        /* last drops field of its flow samples */
	uint32_t sampling_rate;     /* of its latest flow sample */
	uint32_t pool_last;         /* sample_pool of that sample */
	uint64_t pool_sum;          /* sample_pool growth between flow samples */
	uint64_t pool_steps;        /* how many such steps (datasourceInfo) */
	uint64_t last_ms;           /* last sample of any kind */
	uint64_t counter_ms;        /* last counter sample: rate interval start */
	uint64_t counter_dgram;     /* agent datagram count at that sample */
	uint64_t counter_dt_ms;     /* and the rate interval it used */
	uint32_t counter_uptime_ms; /* the agent's uptime at that sample */
	bool have_counter_uptime;
	struct store_block *blocks;
	struct store_custom *custom;
	uint32_t ncustom;
	void *flow;                 /* the flow hook's state (flow caches) */
};

struct store_agent {
	struct store_agent *next;   /* hash chain */
	const struct store *store;  /* the store that holds it */
	struct sfl_address addr;
	uint32_t sub_agent;
	char name[STORE_ADDR_MAX];  /* printed agent address */
	uint32_t epoch;             /* bumped at every detected agent restart */
	struct store_seq dseq;      /* datagram sequence stream */
	uint32_t uptime_ms;
	bool have_uptime;
	uint32_t dg_uptime_ms;      /* uptime of the datagram being ingested */
	uint64_t first_ms, last_ms;
	char sources[STORE_SOURCES_MAX][STORE_ADDR_MAX];
	uint32_t nsources;
	uint8_t src_last[17]; /* family byte + address of the latest datagram's source */
	struct store_ds **ds_buckets;
	uint32_t ds_nbuckets, nds;
};

/* Blocks of one record table (store_slab.c). */
struct store_slab_chunk;
struct store_slab {
	size_t bsize;               /* bytes per block, 0 until first use */
	struct store_slab_chunk *chunks;
	struct store_block *free;   /* released blocks, linked by next */
	uint32_t live;
};

struct store {
	unsigned index;
	pthread_mutex_t mu;
	struct store_limits lim;
	struct store_stats st;
	struct store_agent **buckets;
	uint32_t nbuckets, nagents;
	uint64_t nds;               /* data sources over all agents */
	uint64_t ncustom;           /* custom (rtmetric) metrics over all of them */
	struct store_slab slabs[METRICS_RECORDS_MAX]; /* by metrics_record_id */
	struct store_flow_hook hook;  /* hook.sample NULL: none */
};

/* calloc that aborts with a message on out of memory (sizes are capped). */
void *store_zalloc(size_t n);

/* Agent / data source lookup-or-create for ingest (owner thread, s->mu
 * held); NULL when a cap is reached (counted in s->st). */
struct store_agent *store_agent_get(struct store *s, const struct sfl_address *addr,
				    uint32_t sub_agent, uint64_t now_ms);
struct store_ds *store_ds_get(struct store *s, struct store_agent *a, uint32_t ds_class,
			      uint32_t ds_index, const char *name);

/* Sequence check of one stream; pure, exported for tests. */
enum store_seq_verdict store_seq_check(struct store_seq *q, uint32_t seq);

/* Visit every agent / data source (caller holds s->mu). */
typedef void store_agent_cb(void *arg, const struct store_agent *a);
typedef void store_ds_cb(void *arg, const struct store_agent *a, const struct store_ds *d);
void store_each_agent(const struct store *s, store_agent_cb *cb, void *arg);
void store_each_ds(const struct store_agent *a, store_ds_cb *cb, void *arg);

/* Every metric slot of d that holds a value, with its name. */
typedef void store_metric_cb(void *arg, const char *name, const struct store_val *v);
void store_ds_each_metric(const struct store_ds *d, store_metric_cb *cb, void *arg);

/* The slot named `name` of d holding a value, or NULL. */
const struct store_val *store_ds_find(const struct store_ds *d, const char *name);

/* store_ds_find with the name's slots resolved by metrics_name_slots. */
const struct store_val *store_ds_find_slots(const struct store_ds *d, const char *name,
					    const int16_t slots[METRICS_RECORDS_MAX]);

/* A zeroed block for record table rec from its slab; give it back with
 * store_slab_release (frees its strings). store_slab_free_all frees the
 * chunks (store_free). */
struct store_block *store_slab_alloc(struct store *s, const struct metrics_record *rec);
void store_slab_release(struct store *s, struct store_block *b);
void store_slab_free_all(struct store *s);

/* Every live block of record table rec_id, in address order, prefetching
 * value slot `slot` of the blocks ahead (caller holds s->mu). */
typedef void store_block_cb(void *arg, const struct store_block *b);
void store_slab_each(const struct store *s, uint32_t rec_id, uint32_t slot, store_block_cb *cb,
		     void *arg);

/* Data source "2.1" of agent a, or NULL. */
const struct store_ds *store_agent_find_ds(const struct store_agent *a, uint32_t ds_class,
					   uint32_t ds_index);

#endif
