/*
 * analyzer/flow_hook.c: the flow engine inside a collector shard. The
 * store calls these hooks on its owner thread with its lock held:
 * hook_sample for every flow, discard and rtflow sample, hook_tick about
 * once a second, hook_ds_free when a data source goes.
 *
 * Per sample: switch to the newest snapshot if one was published (a
 * pointer compare, normally), decode the sample's keys lazily
 * (flow_keys.h), and for each definition whose filter passes add the
 * sample to the data source's cache of that definition. Nothing is
 * allocated unless a cache is created or grows.
 */
#include "analyzer/flow_engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/clock.h"
#include "analyzer/flow_log.h"

/* A flow ended when it has been idle this many time constants: its
 * smoothed value is below e^-5 (0.7 %) of what it was. Bounded so a log
 * record never waits long, nor comes before a slow flow's next sample. */
#define FLOW_IDLE_T      5
#define FLOW_IDLE_MIN_MS 2000
#define FLOW_IDLE_MAX_MS 60000

static void store_switch(struct flow_store *fst)
{
	struct flow_snap *old = fst->snap;

	fst->snap = flow_snap_get(fst->e);
	flow_snap_put(old);
}

/* The cache of definition i on the data source whose slot is *flow,
 * created (or reset, when it belonged to another version) on demand. */
static struct flow_cache *ds_cache(struct flow_store *fst, void **flow, uint32_t i)
{
	const struct flow_def *d = &fst->snap->defs[i];
	struct flow_ds *fd = *flow;

	if (!fd || fd->n <= i) {
		uint32_t n = fst->snap->ndefs, had = fd ? fd->n : 0;
		struct flow_ds *nd = realloc(fd, sizeof(*nd) + n * sizeof(nd->slot[0]));

		if (!nd)
			return NULL;
		memset(&nd->slot[had], 0, (n - had) * sizeof(nd->slot[0]));
		nd->n = n;
		*flow = fd = nd;
	}
	if (fd->slot[i].cache && fd->slot[i].id == d->id)
		return fd->slot[i].cache;
	flow_cache_free(fd->slot[i].cache);
	fd->slot[i].cache = flow_cache_new(&d->shape);
	fd->slot[i].id = d->id;
	return fd->slot[i].cache;
}

static void note_key(void *arg, const char *name)
{
	struct flow_store *fst = arg;
	uint64_t now_ms = fst->next_keys_ms;

	for (uint32_t i = 0; i < fst->nseen; i++)
		if (strcmp(fst->seen[i].name, name) == 0) {
			fst->seen[i].last_ms = now_ms;
			return;
		}
	if (fst->nseen == FLOW_KEYS_SEEN_MAX)
		return;
	snprintf(fst->seen[fst->nseen].name, sizeof(fst->seen[0].name), "%s", name);
	fst->seen[fst->nseen++].last_ms = now_ms;
}

/* flowStart: a flow of a log:true definition is logged when its cache
 * entry starts, with the first sample's amount; not again at its end. */
static void log_started(struct flow_store *fst, const struct flow_def *d, const uint8_t *key,
			size_t len, const struct flow_cache_contrib *x, uint64_t now_ms,
			const char *agent, const char *ds_name)
{
	char text[FLOW_KEY_TEXT_MAX];

	if (flow_spec_key_format(d->spec, key, len, text, sizeof(text)) < 0)
		return;
	flow_log_push(fst->e->cfg.log, d->name, text,
		      d->shape.agg[0] == FLOW_AGG_RATE ? x->v[0] * x->weight : x->weight, now_ms,
		      now_ms, agent, ds_name);
}

static void hook_sample(void *arg, void **flow, const struct sfl_sample *smp, const char *agent,
			const char *ds_name, uint64_t now_ms)
{
	struct flow_store *fst = arg;
	const struct flow_snap *sn;
	struct flow_sample fs;
	struct flow_cache_contrib x;
	uint8_t key[FLOW_CACHE_KEY_MAX];
	bool keys_due = now_ms >= fst->next_keys_ms;
	size_t len;

	if (atomic_load_explicit(&fst->e->cur, memory_order_acquire) != fst->snap)
		store_switch(fst);
	sn = fst->snap;
	fst->samples++;
	if (sn->ndefs == 0 && !keys_due)
		return;
	if (smp->tag == SFL_SAMPLE_RTFLOW)
		flow_sample_init_rt(&fs, smp, agent);
	else
		flow_sample_init(&fs, smp, agent);
	if (keys_due) {
		fst->next_keys_ms = now_ms;
		flow_sample_each_key(&fs, note_key, fst);
		fst->next_keys_ms = now_ms + FLOW_KEYS_EVERY_MS;
	}
	for (uint32_t i = 0; i < sn->ndefs; i++) {
		const struct flow_def *d = &sn->defs[i];
		struct flow_cache *c;
		uint64_t made;

		if (d->dropped != fs.dropped ||
		    !flow_spec_eval(d->spec, &sn->env, &fs, key, sizeof(key), &len, &x))
			continue;
		c = ds_cache(fst, flow, i);
		made = c && d->log_start ? flow_cache_created(c) : 0; /* only flowStart asks */
		if (!c || !flow_cache_add(c, key, len, &x, now_ms)) {
			fst->cache_failures++;
			continue;
		}
		fst->matched++;
		if (d->log_start && flow_cache_created(c) != made)
			log_started(fst, d, key, len, &x, now_ms, agent, ds_name);
	}
}

static void hook_ds_free(void *arg, void *flow)
{
	struct flow_ds *fd = flow;

	(void)arg;
	for (uint32_t i = 0; fd && i < fd->n; i++)
		flow_cache_free(fd->slot[i].cache);
	free(fd);
}

struct sweep_ctx {
	struct flow_store *fst;
	const struct flow_def *def;
	const struct store_agent *a;
	const struct store_ds *d;
};

static void log_ended(void *arg, const struct flow_cache_item *it)
{
	struct sweep_ctx *c = arg;
	char key[FLOW_KEY_TEXT_MAX];

	if (flow_spec_key_format(c->def->spec, it->key, it->key_len, key, sizeof(key)) < 0)
		return;
	flow_log_push(c->fst->e->cfg.log, c->def->name, key, it->total, it->start_ms, it->last_ms,
		      c->a->name, c->d->name);
}

static void sweep_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct sweep_ctx c = { .fst = arg, .a = a, .d = d };
	const struct flow_snap *sn = c.fst->snap;
	struct flow_ds *fd = d->flow;
	uint64_t now_ms = c.fst->tick_ms;

	for (uint32_t i = 0; fd && i < fd->n; i++) {
		struct flow_ds_slot *sl = &fd->slot[i];
		uint64_t idle_ms, active_ms;

		if (!sl->cache)
			continue;
		if (i >= sn->ndefs || sn->defs[i].id != sl->id) { /* redefined or deleted */
			flow_cache_free(sl->cache);
			sl->cache = NULL;
			continue;
		}
		c.def = &sn->defs[i];
		idle_ms = (uint64_t)(FLOW_IDLE_T * 1000 * c.def->shape.t_s);
		idle_ms = idle_ms < FLOW_IDLE_MIN_MS ? FLOW_IDLE_MIN_MS :
			  idle_ms > FLOW_IDLE_MAX_MS ? FLOW_IDLE_MAX_MS :
						       idle_ms;
		active_ms = (uint64_t)flow_spec_active_timeout_s(c.def->spec) * 1000;
		flow_cache_sweep(sl->cache, now_ms, idle_ms, active_ms,
				 flow_spec_log(c.def->spec) && !flow_spec_flow_start(c.def->spec) &&
						 c.fst->e->cfg.log ?
					 log_ended :
					 NULL,
				 &c);
	}
}

static void sweep_agent(void *arg, const struct store_agent *a)
{
	store_each_ds(a, sweep_ds, arg);
}

static void hook_tick(void *arg, struct store *s, uint64_t now_ms)
{
	struct flow_store *fst = arg;

	if (atomic_load_explicit(&fst->e->cur, memory_order_acquire) != fst->snap)
		store_switch(fst);
	fst->tick_ms = now_ms;
	store_each_agent(s, sweep_agent, fst);
}

/* A definition as a metric of a data source: its largest flow's value
 * (a keyless definition's one flow is its total). */
static bool hook_value(void *arg, const void *flow, const char *name, double *out)
{
	const struct flow_store *fst = arg;
	const struct flow_ds *fd = flow;
	int i = flow_snap_find(fst->snap, name);
	struct flow_cache_item it;
	const struct flow_cache *c;

	if (i < 0 || !fd || (uint32_t)i >= fd->n || !fd->slot[i].cache ||
	    fd->slot[i].id != fst->snap->defs[i].id)
		return false;
	c = fd->slot[i].cache;
	*out = flow_cache_top(c, clock_now_ms(), &it, 1) ? it.value[0] : 0;
	return true;
}

void flow_engine_attach(struct flow_engine *e, struct store *s)
{
	struct flow_store *fst;
	struct store_flow_hook h = { hook_sample, hook_ds_free, hook_tick, hook_value, NULL };

	if (e->nstores == FLOW_STORES_MAX || !(fst = calloc(1, sizeof(*fst))))
		abort(); /* one per shard, shards are few */
	fst->e = e;
	fst->s = s;
	fst->snap = flow_snap_get(e);
	e->stores[e->nstores++] = fst;
	h.arg = fst;
	store_set_flow_hook(s, &h);
}
