/*
 * analyzer/store_ingest.c: one datagram into a store: datagram and sample
 * sequence accounting, agent restart detection, and counter records →
 * metric slots (through the analyzer/metrics.h table) as rates, gauges
 * and strings.
 *
 * Rules. A datagram stream restarts when the agent's uptime goes back
 * (and the datagram is not merely reordered), or its sequence number goes
 * back nearer to 0 than to the last one; a restart bumps the agent's
 * epoch, which resets every data source's sequence and counter state when
 * next seen, so neither loss nor a rate spike comes from it. A duplicate
 * or out-of-order counter sample is counted and otherwise ignored (its
 * counters are older than what we hold), except the same sample number
 * again within one datagram: more records of the same poll. A counter
 * gives a rate only when the previous reading is from the same epoch and
 * sample stream; the first interval after any reset has no value. The
 * rate interval is the agent's uptime step when it is sane (see
 * interval_ms), else the arrival-time step. Parse errors stop the
 * datagram where they occur; what came before stays applied.
 */
#include "analyzer/store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/store_internal.h"

/* a sequence this close below the last is reordering, not a restart */
#define STORE_REORDER_WINDOW 64
/* an uptime step longer than this is not trusted as a rate interval */
#define STORE_UPTIME_STEP_MAX_MS (3600u * 1000u)

enum store_seq_verdict store_seq_check(struct store_seq *q, uint32_t seq)
{
	int32_t d;

	q->received++;
	if (!q->have) {
		q->have = true;
		q->last = seq;
		return STORE_SEQ_FIRST;
	}
	d = (int32_t)(seq - q->last);
	if (d == 0) {
		q->duplicates++;
		return STORE_SEQ_DUP;
	}
	if (d > 0) {
		q->lost += (uint32_t)d - 1;
		q->last = seq;
		return STORE_SEQ_NEXT;
	}
	if ((uint64_t)seq * 2 < q->last) { /* nearer to 0 than to the last: restarted */
		q->last = seq;
		return STORE_SEQ_RESTART;
	}
	q->out_of_order++;
	return STORE_SEQ_OOO;
}

static void add_source(struct store_agent *a, const struct sockaddr_storage *src)
{
	char buf[STORE_ADDR_MAX];
	uint8_t key[17] = { 0 };
	const void *p;

	if (!src)
		return;
	if (src->ss_family == AF_INET)
		p = &((const struct sockaddr_in *)src)->sin_addr;
	else if (src->ss_family == AF_INET6)
		p = &((const struct sockaddr_in6 *)src)->sin6_addr;
	else
		return;
	key[0] = (uint8_t)src->ss_family;
	memcpy(key + 1, p, src->ss_family == AF_INET ? 4 : 16);
	if (memcmp(key, a->src_last, sizeof(key)) == 0)
		return; /* the usual case: the same source as the last datagram */
	memcpy(a->src_last, key, sizeof(key));
	if (!inet_ntop(src->ss_family, p, buf, sizeof(buf)))
		return;
	for (uint32_t i = 0; i < a->nsources; i++)
		if (strcmp(a->sources[i], buf) == 0)
			return;
	if (a->nsources < STORE_SOURCES_MAX)
		memcpy(a->sources[a->nsources++], buf, sizeof(buf));
}

static void agent_datagram(struct store_agent *a, const struct sfl_datagram *dg,
			   const struct sockaddr_storage *src, uint64_t now_ms)
{
	int32_t dseq = (int32_t)(dg->seq - a->dseq.last);
	bool reordered = a->dseq.have && dseq <= 0 && dseq > -STORE_REORDER_WINDOW;
	bool restart = false;
	enum store_seq_verdict v;

	if (a->have_uptime && !reordered && (int32_t)(dg->uptime_ms - a->uptime_ms) < 0) {
		restart = true;
		a->dseq.have = false;
	}
	v = store_seq_check(&a->dseq, dg->seq);
	if (v == STORE_SEQ_RESTART)
		restart = true;
	if (restart)
		a->epoch++;
	a->dg_uptime_ms = dg->uptime_ms;
	if (v != STORE_SEQ_DUP && v != STORE_SEQ_OOO) {
		a->uptime_ms = dg->uptime_ms;
		a->have_uptime = true;
	}
	a->last_ms = now_ms;
	add_source(a, src);
}

static void ds_reset_raw(struct store_ds *d)
{
	for (struct store_block *b = d->blocks; b; b = b->next)
		for (uint32_t i = 0; i < b->n; i++)
			b->v[i].has_raw = false;
	for (uint32_t i = 0; i < d->ncustom; i++)
		d->custom[i].v.has_raw = false;
}

static void ds_sync_epoch(const struct store_agent *a, struct store_ds *d)
{
	if (d->epoch == a->epoch)
		return;
	d->epoch = a->epoch;
	d->cseq.have = false;
	d->fseq.have = false;
	d->have_counter_uptime = false;
	ds_reset_raw(d);
}

static struct store_block *block_get(struct store *s, struct store_ds *d,
				     const struct metrics_record *m)
{
	struct store_block *b;

	for (b = d->blocks; b; b = b->next)
		if (b->rec == m)
			return b;
	b = store_slab_alloc(s, m);
	b->ds = d;
	b->next = d->blocks;
	d->blocks = b;
	return b;
}

/* A string slot: reallocated only when the value changes. */
static void val_set_str(struct store_val *v, const char *s, uint64_t now_ms)
{
	if (!s) {
		v->valid = false;
		return;
	}
	if (!v->str || strcmp(v->str, s) != 0) {
		size_t n = strlen(s) + 1;

		free(v->str);
		v->str = store_zalloc(n);
		memcpy(v->str, s, n);
	}
	v->valid = true;
	v->updated_ms = now_ms;
}

static void val_set_num(struct store_val *v, const struct metrics_value *x, uint64_t now_ms)
{
	v->valid = x->valid;
	if (!x->valid)
		return;
	v->num = x->num;
	v->updated_ms = now_ms;
}

/* Counter field i: the rate since the slot's previous reading, if any. */
static void counter_to_rate(struct store_val *slot, const struct metrics_field *f,
			    struct metrics_value *x, uint64_t u, uint64_t dt_ms)
{
	double r = 0;
	bool ok = x->valid && slot->has_raw &&
		  metrics_rate((enum metrics_kind)f->kind, slot->raw, u, dt_ms, &r);

	slot->raw = u;
	slot->has_raw = x->valid;
	x->valid = ok;
	x->num = r;
}

static void apply_record(struct store *s, struct store_ds *d, const struct sfl_record *rec,
			 uint64_t dt_ms, uint64_t now_ms)
{
	const struct metrics_record *m = metrics_lookup(rec->tag, d->ds_class);
	struct metrics_value x[STORE_SLOTS_MAX];
	char sbuf[METRICS_STR_MAX];
	struct store_block *b;
	uint64_t u;

	if (!m || m->nfields + m->nderived > STORE_SLOTS_MAX)
		return;
	b = block_get(s, d, m);
	memset(x, 0, sizeof(x));
	for (uint32_t i = 0; i < m->nfields; i++) {
		const struct metrics_field *f = &m->fields[i];

		metrics_read(f, &rec->v, &x[i], &u, sbuf, sizeof(sbuf));
		if (f->kind == METRICS_STRING) {
			val_set_str(&b->v[i], x[i].valid ? sbuf : NULL, now_ms);
			x[i].str = NULL;
		} else if (f->kind == METRICS_COUNTER32 || f->kind == METRICS_COUNTER64) {
			counter_to_rate(&b->v[i], f, &x[i], u, dt_ms);
		}
	}
	if (m->derive)
		m->derive(&rec->v, x);
	for (uint32_t i = 0; i < b->n; i++)
		if (i >= m->nfields || m->fields[i].kind != METRICS_STRING)
			val_set_num(&b->v[i], &x[i], now_ms);
}

/*
 * The interval between this counter sample of d and the previous one. The
 * agent's own clock (the datagrams' uptime) is used when both readings
 * carry it and it moved forward by less than STORE_UPTIME_STEP_MAX_MS: a
 * rate then does not depend on network delay, batching or a collector
 * that was busy. Otherwise (first reading after a restart, a jump) the
 * arrival times on the analyzer clock are used. 0: no interval.
 */
static uint64_t interval_ms(const struct store_agent *a, struct store_ds *d, uint64_t now_ms)
{
	uint64_t dt = d->counter_ms && now_ms > d->counter_ms ? now_ms - d->counter_ms : 0;
	uint32_t up_dt = a->dg_uptime_ms - d->counter_uptime_ms;

	if (d->have_counter_uptime && up_dt > 0 && up_dt < STORE_UPTIME_STEP_MAX_MS)
		dt = up_dt;
	d->counter_ms = now_ms;
	d->counter_uptime_ms = a->dg_uptime_ms;
	d->have_counter_uptime = true;
	return dt;
}

static void ingest_counters(struct store *s, struct store_agent *a, struct sfl_sample *smp,
			    uint64_t now_ms)
{
	struct store_ds *d = store_ds_get(s, a, smp->ds_class, smp->ds_index, NULL);
	struct sfl_record rec;
	enum store_seq_verdict v;
	uint64_t dt;

	s->st.counter_samples++;
	if (!d)
		return;
	ds_sync_epoch(a, d);
	d->last_ms = now_ms;
	if (d->cseq.have && smp->seq == d->cseq.last && d->counter_dgram == a->dseq.received) {
		/* the same sample number again in the same datagram: an agent that
		 * splits one poll's records over samples; apply them, same interval */
		d->cseq.received++;
		dt = d->counter_dt_ms;
		goto records;
	}
	v = store_seq_check(&d->cseq, smp->seq);
	if (v == STORE_SEQ_DUP || v == STORE_SEQ_OOO)
		return;
	if (v == STORE_SEQ_RESTART)
		ds_reset_raw(d);
	dt = interval_ms(a, d, now_ms);
	d->counter_dt_ms = dt;
	d->counter_dgram = a->dseq.received;
records:
	while (sfl_sample_next_record(smp, &rec))
		if (rec.known)
			apply_record(s, d, &rec, dt, now_ms);
}

static void copy_name(char *dst, size_t cap, struct sfl_str s);

static void ingest_flow(struct store *s, struct store_agent *a, const struct sfl_sample *smp,
			uint64_t now_ms)
{
	struct store_ds *d = store_ds_get(s, a, smp->ds_class, smp->ds_index, NULL);

	s->st.flow_samples++;
	if (!d)
		return;
	ds_sync_epoch(a, d);
	d->last_ms = now_ms;
	if (d->fseq.have && (int32_t)(smp->seq - d->fseq.last) > 0) { /* a step forward */
		d->pool_sum += (uint32_t)(smp->sample_pool - d->pool_last);
		d->pool_steps += smp->seq - d->fseq.last;
	}
	store_seq_check(&d->fseq, smp->seq);
	d->flow_drops = smp->drops;
	d->sampling_rate = smp->sampling_rate;
	d->pool_last = smp->sample_pool;
	if (s->hook.sample)
		s->hook.sample(s->hook.arg, &d->flow, smp, a->name, d->name, now_ms);
}

/* Discard (0:5) and rtflow (4300:1003) samples: only the flow hook reads
 * them; their data source is kept alive. */
static void ingest_other_flow(struct store *s, struct store_agent *a,
			      const struct sfl_sample *smp, uint64_t now_ms)
{
	struct sfl_rt_sample rt;
	char name[STORE_DS_NAME_MAX];
	struct store_ds *d;

	if (!s->hook.sample)
		return;
	if (smp->tag == SFL_SAMPLE_DISCARD) {
		d = store_ds_get(s, a, smp->ds_class, smp->ds_index, NULL);
	} else {
		if (sfl_rt_open(smp, &rt) == -1)
			return;
		copy_name(name, sizeof(name), rt.datasource);
		d = name[0] ? store_ds_get(s, a, STORE_CLASS_CUSTOM, 0, name) : NULL;
	}
	if (!d)
		return;
	ds_sync_epoch(a, d);
	d->last_ms = now_ms;
	s->hook.sample(s->hook.arg, &d->flow, smp, a->name, d->name, now_ms);
}

/* A wire string as a C string (see metrics_copy_str). */
static void copy_name(char *dst, size_t cap, struct sfl_str s)
{
	metrics_copy_str(dst, cap, s.ptr ? s.ptr : "", s.ptr ? s.len : 0);
}

static struct store_custom *custom_get(struct store *s, struct store_ds *d, const char *name,
				       uint32_t type)
{
	struct store_custom *c;
	uint32_t n = d->ncustom;

	for (uint32_t i = 0; i < n; i++) {
		c = &d->custom[i];
		if (strcmp(c->name, name) == 0) {
			if (c->type != type) /* a retyped metric starts over */
				c->v.has_raw = false;
			c->type = type;
			return c;
		}
	}
	if (n >= STORE_CUSTOM_MAX)
		return NULL;
	if ((n & (n - 1)) == 0) { /* capacity doubles at powers of two */
		struct store_custom *nc = store_zalloc((n ? 2 * n : 1) * sizeof(*nc));

		if (n)
			memcpy(nc, d->custom, n * sizeof(*nc));
		free(d->custom);
		d->custom = nc;
	}
	c = &d->custom[d->ncustom++];
	s->ncustom++;
	c->name = strdup(name);
	if (!c->name)
		abort();
	c->type = type;
	return c;
}

static void custom_apply(struct store *s, struct store_ds *d, const struct sfl_rt_entry *e,
			 uint64_t dt_ms, uint64_t now_ms)
{
	char name[STORE_DS_NAME_MAX], sbuf[METRICS_STR_MAX];
	struct metrics_value x = { .valid = true };
	struct store_custom *c;

	copy_name(name, sizeof(name), e->name);
	if (!name[0] || !(c = custom_get(s, d, name, e->type)))
		return;
	switch (e->type) {
	case SFL_RTM_STRING:
		copy_name(sbuf, sizeof(sbuf), e->str);
		val_set_str(&c->v, sbuf, now_ms);
		return;
	case SFL_RTM_COUNTER32:
	case SFL_RTM_COUNTER64: {
		struct metrics_field f = { .kind = e->type == SFL_RTM_COUNTER32 ?
							   METRICS_COUNTER32 :
							   METRICS_COUNTER64 };

		counter_to_rate(&c->v, &f, &x, e->u64, dt_ms);
		break;
	}
	case SFL_RTM_GAUGE_FLOAT:
	case SFL_RTM_GAUGE_DOUBLE:
		x.num = e->dbl;
		break;
	default:
		x.num = (double)e->u64;
		break;
	}
	val_set_num(&c->v, &x, now_ms);
}

static void ingest_rtmetric(struct store *s, struct store_agent *a, const struct sfl_sample *smp,
			    uint64_t now_ms)
{
	struct sfl_rt_sample rt;
	struct sfl_rt_entry e;
	char name[STORE_DS_NAME_MAX];
	struct store_ds *d;
	uint64_t dt;

	if (sfl_rt_open(smp, &rt) == -1)
		return;
	copy_name(name, sizeof(name), rt.datasource);
	if (!name[0])
		return;
	s->st.counter_samples++;
	d = store_ds_get(s, a, STORE_CLASS_CUSTOM, 0, name);
	if (!d)
		return;
	ds_sync_epoch(a, d);
	d->last_ms = now_ms;
	dt = interval_ms(a, d, now_ms);
	while (sfl_rt_next(&rt, &e))
		custom_apply(s, d, &e, dt, now_ms);
}

static void ingest_sample(struct store *s, struct store_agent *a, struct sfl_sample *smp,
			  uint64_t now_ms)
{
	if (smp->ds_class == STORE_CLASS_CUSTOM)
		return; /* an expanded source id we reserve for rtmetric data sources */
	switch (smp->tag) {
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		ingest_counters(s, a, smp, now_ms);
		break;
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED:
		ingest_flow(s, a, smp, now_ms);
		break;
	case SFL_SAMPLE_RTMETRIC:
		ingest_rtmetric(s, a, smp, now_ms);
		break;
	case SFL_SAMPLE_DISCARD:
	case SFL_SAMPLE_RTFLOW:
		ingest_other_flow(s, a, smp, now_ms);
		break;
	default:
		break;
	}
}

void store_ingest(struct store *s, const uint8_t *buf, size_t len,
		  const struct sockaddr_storage *src, uint64_t now_ms)
{
	struct sfl_datagram dg;
	struct sfl_sample smp;
	struct store_agent *a;

	pthread_mutex_lock(&s->mu);
	s->st.datagrams++;
	s->st.bytes += len;
	if (sfl_datagram_init(&dg, buf, len) == -1) {
		if (dg.err.code == SFL_ERR_VERSION)
			s->st.unsupported_version++;
		else
			s->st.parse_errors++;
		goto out;
	}
	a = store_agent_get(s, &dg.agent, dg.sub_agent_id, now_ms);
	if (!a)
		goto out;
	agent_datagram(a, &dg, src, now_ms);
	while (sfl_datagram_next_sample(&dg, &smp))
		ingest_sample(s, a, &smp, now_ms);
	if (dg.err.code != SFL_ERR_NONE)
		s->st.parse_errors++;
out:
	pthread_mutex_unlock(&s->mu);
}
