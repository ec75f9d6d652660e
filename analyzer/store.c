/*
 * analyzer/store.c: a store's lifecycle, its agent and data-source hash
 * tables (chained, doubling up to the caps), expiry and the iteration
 * helpers queries use. Datagram ingest is in store_ingest.c.
 */
#include "analyzer/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/store_internal.h"

#define STORE_AGENT_BUCKETS0 64u
#define STORE_DS_BUCKETS0 16u

void *store_zalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		fprintf(stderr, "store: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

struct store *store_new(unsigned index, const struct store_limits *lim)
{
	struct store *s;

	if (!lim) {
		errno = EINVAL;
		return NULL;
	}
	s = store_zalloc(sizeof(*s));
	s->index = index;
	s->lim = *lim;
	s->nbuckets = STORE_AGENT_BUCKETS0;
	s->buckets = store_zalloc(s->nbuckets * sizeof(struct store_agent *));
	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		free(s->buckets);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

static void val_fini(struct store_val *v)
{
	free(v->str);
	v->str = NULL;
}

static void ds_free(struct store *s, struct store_ds *d)
{
	struct store_block *b, *nb;

	for (b = d->blocks; b; b = nb) {
		nb = b->next;
		store_slab_release(s, b);
	}
	for (uint32_t i = 0; i < d->ncustom; i++) {
		free(d->custom[i].name);
		val_fini(&d->custom[i].v);
	}
	if (d->flow && s->hook.ds_free)
		s->hook.ds_free(s->hook.arg, d->flow);
	s->ncustom -= d->ncustom;
	free(d->custom);
	free(d);
}

static void agent_free(struct store *s, struct store_agent *a)
{
	for (uint32_t i = 0; i < a->ds_nbuckets; i++) {
		struct store_ds *d = a->ds_buckets[i], *nd;

		for (; d; d = nd) {
			nd = d->next;
			ds_free(s, d);
		}
	}
	free(a->ds_buckets);
	free(a);
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->nbuckets; i++) {
		struct store_agent *a = s->buckets[i], *na;

		for (; a; a = na) {
			na = a->next;
			agent_free(s, a);
		}
	}
	free(s->buckets);
	store_slab_free_all(s);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void store_set_limits(struct store *s, const struct store_limits *lim)
{
	pthread_mutex_lock(&s->mu);
	s->lim = *lim;
	pthread_mutex_unlock(&s->mu);
}

static bool same_addr(const struct sfl_address *x, const struct sfl_address *y)
{
	size_t n = x->type == SFL_ADDR_IP6 ? 16 : 4;

	return x->type == y->type && memcmp(x->addr, y->addr, n) == 0;
}

/* Distinct agent addresses: an agent counts when no agent before it in
 * its chain (which holds every sub-agent of its address) has its address. */
static uint64_t count_addresses(const struct store *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->nbuckets; i++)
		for (const struct store_agent *a = s->buckets[i]; a; a = a->next) {
			const struct store_agent *b = s->buckets[i];

			while (b != a && !same_addr(&b->addr, &a->addr))
				b = b->next;
			n += b == a;
		}
	return n;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->st;
	out->agents = count_addresses(s);
	out->datasources = s->nds;
	pthread_mutex_unlock(&s->mu);
}

/* FNV-1a */
static uint32_t hash_bytes(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* By address only: the sub-agents of one address share a chain, which
 * keeps counting distinct addresses (store_get_stats) linear. */
static uint32_t agent_hash(const struct sfl_address *addr)
{
	size_t n = addr->type == SFL_ADDR_IP6 ? 16 : 4;

	return hash_bytes(2166136261u, addr->addr, n);
}

static uint32_t ds_hash(uint32_t ds_class, uint32_t ds_index, const char *name)
{
	uint32_t h = 2166136261u;

	if (ds_class == STORE_CLASS_CUSTOM)
		return hash_bytes(h, name, strlen(name));
	h = hash_bytes(h, &ds_class, sizeof(ds_class));
	return hash_bytes(h, &ds_index, sizeof(ds_index));
}

static bool agent_is(const struct store_agent *a, const struct sfl_address *addr,
		     uint32_t sub_agent)
{
	size_t n = addr->type == SFL_ADDR_IP6 ? 16 : 4;

	return a->sub_agent == sub_agent && a->addr.type == addr->type &&
	       memcmp(a->addr.addr, addr->addr, n) == 0;
}

static void agents_grow(struct store *s)
{
	uint32_t n = s->nbuckets * 2;
	struct store_agent **nb = store_zalloc(n * sizeof(struct store_agent *));

	for (uint32_t i = 0; i < s->nbuckets; i++) {
		struct store_agent *a = s->buckets[i], *na;

		for (; a; a = na) {
			uint32_t h = agent_hash(&a->addr) & (n - 1);

			na = a->next;
			a->next = nb[h];
			nb[h] = a;
		}
	}
	free(s->buckets);
	s->buckets = nb;
	s->nbuckets = n;
}

static void format_addr(const struct sfl_address *addr, char *buf, size_t len)
{
	int af = addr->type == SFL_ADDR_IP6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, addr->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

struct store_agent *store_agent_get(struct store *s, const struct sfl_address *addr,
				    uint32_t sub_agent, uint64_t now_ms)
{
	uint32_t h = agent_hash(addr) & (s->nbuckets - 1);
	struct store_agent *a;

	for (a = s->buckets[h]; a; a = a->next)
		if (agent_is(a, addr, sub_agent))
			return a;
	if (s->nagents >= s->lim.agents_max) {
		s->st.agents_cap_hits++;
		return NULL;
	}
	a = store_zalloc(sizeof(*a));
	a->store = s;
	a->addr = *addr;
	a->sub_agent = sub_agent;
	format_addr(addr, a->name, sizeof(a->name));
	a->first_ms = now_ms;
	a->ds_nbuckets = STORE_DS_BUCKETS0;
	a->ds_buckets = store_zalloc(a->ds_nbuckets * sizeof(struct store_ds *));
	a->next = s->buckets[h];
	s->buckets[h] = a;
	if (++s->nagents > s->nbuckets)
		agents_grow(s);
	return a;
}

static void ds_grow(struct store_agent *a)
{
	uint32_t n = a->ds_nbuckets * 2;
	struct store_ds **nb = store_zalloc(n * sizeof(struct store_ds *));

	for (uint32_t i = 0; i < a->ds_nbuckets; i++) {
		struct store_ds *d = a->ds_buckets[i], *nd;

		for (; d; d = nd) {
			uint32_t h = ds_hash(d->ds_class, d->ds_index, d->name) & (n - 1);

			nd = d->next;
			d->next = nb[h];
			nb[h] = d;
		}
	}
	free(a->ds_buckets);
	a->ds_buckets = nb;
	a->ds_nbuckets = n;
}

static bool ds_is(const struct store_ds *d, uint32_t ds_class, uint32_t ds_index,
		  const char *name)
{
	if (d->ds_class != ds_class)
		return false;
	if (ds_class == STORE_CLASS_CUSTOM)
		return strcmp(d->name, name) == 0;
	return d->ds_index == ds_index;
}

static struct store_ds *ds_lookup(const struct store_agent *a, uint32_t ds_class,
				  uint32_t ds_index, const char *name)
{
	uint32_t h = ds_hash(ds_class, ds_index, name) & (a->ds_nbuckets - 1);

	for (struct store_ds *d = a->ds_buckets[h]; d; d = d->next)
		if (ds_is(d, ds_class, ds_index, name))
			return d;
	return NULL;
}

const struct store_ds *store_agent_find_ds(const struct store_agent *a, uint32_t ds_class,
					   uint32_t ds_index)
{
	return ds_lookup(a, ds_class, ds_index, NULL);
}

/*
 * The data source (ds_class, ds_index) of a, or for ds_class
 * STORE_CLASS_CUSTOM the one named `name` (truncated to the name cap);
 * created when new unless the per-agent cap is reached (NULL, counted).
 */
struct store_ds *store_ds_get(struct store *s, struct store_agent *a, uint32_t ds_class,
			      uint32_t ds_index, const char *name)
{
	struct store_ds *d = ds_lookup(a, ds_class, ds_index, name);
	uint32_t h;

	if (d)
		return d;
	if (a->nds >= s->lim.datasources_max) {
		s->st.datasources_cap_hits++;
		return NULL;
	}
	d = store_zalloc(sizeof(*d));
	d->agent = a;
	d->ds_class = ds_class;
	d->ds_index = ds_index;
	d->epoch = a->epoch;
	if (ds_class == STORE_CLASS_CUSTOM)
		snprintf(d->name, sizeof(d->name), "%s", name);
	else if (ds_class == 0)
		snprintf(d->name, sizeof(d->name), "%u", ds_index);
	else
		snprintf(d->name, sizeof(d->name), "%u.%u", ds_class, ds_index);
	h = ds_hash(ds_class, ds_index, d->name) & (a->ds_nbuckets - 1);
	d->next = a->ds_buckets[h];
	a->ds_buckets[h] = d;
	s->nds++;
	if (++a->nds > a->ds_nbuckets)
		ds_grow(a);
	return d;
}

static void expire_ds(struct store *s, struct store_agent *a, uint64_t now_ms)
{
	for (uint32_t i = 0; i < a->ds_nbuckets; i++) {
		struct store_ds **pp = &a->ds_buckets[i];

		while (*pp) {
			struct store_ds *d = *pp;

			if (now_ms > d->last_ms && now_ms - d->last_ms > s->lim.datasources_timeout_ms) {
				*pp = d->next;
				ds_free(s, d);
				a->nds--;
				s->nds--;
			} else {
				pp = &d->next;
			}
		}
	}
}

void store_tick(struct store *s, uint64_t now_ms)
{
	pthread_mutex_lock(&s->mu);
	for (uint32_t i = 0; i < s->nbuckets; i++) {
		struct store_agent **pp = &s->buckets[i];

		while (*pp) {
			struct store_agent *a = *pp;

			if (now_ms > a->last_ms && now_ms - a->last_ms > s->lim.agents_timeout_ms) {
				*pp = a->next;
				s->nds -= a->nds;
				s->nagents--;
				agent_free(s, a);
				continue;
			}
			expire_ds(s, a, now_ms);
			pp = &a->next;
		}
	}
	if (s->hook.tick)
		s->hook.tick(s->hook.arg, s, now_ms);
	pthread_mutex_unlock(&s->mu);
}

void store_each_agent(const struct store *s, store_agent_cb *cb, void *arg)
{
	for (uint32_t i = 0; i < s->nbuckets; i++)
		for (const struct store_agent *a = s->buckets[i]; a; a = a->next)
			cb(arg, a);
}

void store_each_ds(const struct store_agent *a, store_ds_cb *cb, void *arg)
{
	for (uint32_t i = 0; i < a->ds_nbuckets; i++)
		for (const struct store_ds *d = a->ds_buckets[i]; d; d = d->next)
			cb(arg, a, d);
}

void store_ds_each_metric(const struct store_ds *d, store_metric_cb *cb, void *arg)
{
	for (const struct store_block *b = d->blocks; b; b = b->next)
		for (uint32_t i = 0; i < b->n; i++)
			if (b->v[i].valid)
				cb(arg, metrics_slot_name(b->rec, i), &b->v[i]);
	for (uint32_t i = 0; i < d->ncustom; i++)
		if (d->custom[i].v.valid)
			cb(arg, d->custom[i].name, &d->custom[i].v);
}

/* First slot in [from, n) of rec named `name`, or -1. */
static int32_t slot_scan(const struct metrics_record *rec, uint32_t from, uint32_t n,
			 const char *name)
{
	for (uint32_t i = from; i < n; i++)
		if (strcmp(metrics_slot_name(rec, i), name) == 0)
			return (int32_t)i;
	return -1;
}

/*
 * slot_scan(rec, 0, n, name), memoised per thread: a query asks the same
 * few names of thousands of data sources that share a handful of static
 * record tables (metrics_lookup), and the linear strcmp scan of ~50 slot
 * names per data source was most of a /metric/ALL request's CPU. The memo
 * is direct-mapped on (table, name); the tables are static, so a pointer
 * never changes meaning. Names too long for the memo are scanned.
 */
#define STORE_FIND_MEMO 64
#define STORE_FIND_NAME_MAX 48

struct find_memo {
	const struct metrics_record *rec;
	int32_t slot;
	char name[STORE_FIND_NAME_MAX];
};

static _Thread_local struct find_memo find_memo[STORE_FIND_MEMO];

static int32_t slot_index(const struct metrics_record *rec, uint32_t n, const char *name)
{
	uint32_t h = (uint32_t)((uintptr_t)rec >> 4) * 2654435761u;
	struct find_memo *m;
	size_t len = 0;

	for (; len < STORE_FIND_NAME_MAX && name[len]; len++)
		h = (h ^ (uint8_t)name[len]) * 16777619u;
	if (len == STORE_FIND_NAME_MAX)
		return slot_scan(rec, 0, n, name);
	m = &find_memo[h % STORE_FIND_MEMO];
	if (m->rec != rec || memcmp(m->name, name, len + 1) != 0) {
		m->rec = rec;
		memcpy(m->name, name, len + 1);
		m->slot = slot_scan(rec, 0, n, name);
	}
	return m->slot;
}

const struct store_val *store_ds_find(const struct store_ds *d, const char *name)
{
	for (const struct store_block *b = d->blocks; b; b = b->next)
		for (int32_t i = slot_index(b->rec, b->n, name); i >= 0;
		     i = slot_scan(b->rec, (uint32_t)i + 1, b->n, name))
			if (b->v[i].valid)
				return &b->v[i];
	for (uint32_t i = 0; i < d->ncustom; i++)
		if (d->custom[i].v.valid && strcmp(d->custom[i].name, name) == 0)
			return &d->custom[i].v;
	return NULL;
}

const struct store_val *store_ds_find_slots(const struct store_ds *d, const char *name,
					    const int16_t slots[METRICS_RECORDS_MAX])
{
	for (const struct store_block *b = d->blocks; b; b = b->next) {
		int32_t i = slots[metrics_record_id(b->rec)];

		for (; i >= 0; i = slot_scan(b->rec, (uint32_t)i + 1, b->n, name))
			if (b->v[i].valid)
				return &b->v[i];
	}
	for (uint32_t i = 0; i < d->ncustom; i++)
		if (d->custom[i].v.valid && strcmp(d->custom[i].name, name) == 0)
			return &d->custom[i].v;
	return NULL;
}

void store_set_flow_hook(struct store *s, const struct store_flow_hook *h)
{
	pthread_mutex_lock(&s->mu);
	if (h)
		s->hook = *h;
	else
		memset(&s->hook, 0, sizeof(s->hook));
	pthread_mutex_unlock(&s->mu);
}
