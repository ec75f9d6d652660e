/*
 * analyzer/flow_cache.c: forward-decayed Space-Saving (see flow_cache.h).
 *
 * Storage. Entries live in one array (grown by doubling up to cap), each
 * with its key inline up to FLOW_CACHE_INLINE_KEY bytes (longer keys get
 * their own allocation); an open-addressing table maps key hashes to
 * entry indexes, and a binary min-heap of entry indexes orders entries by
 * their stored count, so the smallest is found in O(1) and an update costs
 * O(log k).
 *
 * Forward decay (Cormode, Shkapenyuk, Srivastava, Xu, ICDE 2009): a sample
 * of amount w at time ti is stored as w·exp((ti - L)/t) for a landmark L.
 * At time now every stored count is scaled by the same exp((L - now)/t),
 * so the order of entries never changes as time passes and no entry is
 * touched to age it. When (now - L)/t passes FLOW_CACHE_RENORM the
 * landmark moves to now and every count is rescaled once.
 *
 * Guarantee (Space-Saving, Metwally, Agrawal, El Abbadi 2005, which holds
 * for any non-negative weights and so for forward-decayed ones): with k
 * entries and decayed total D of every amount added, the smallest stored
 * count is at most D/k; every flow whose true decayed count exceeds D/k is
 * in the cache; each entry's count overestimates its flow by at most its
 * err (the count it inherited on eviction) <= D/k. Reported values are
 * count - err: never more than the truth, and less by at most D/k.
 * tests/unit/flow_cache_test.c checks this against exact counts.
 */
#include "analyzer/flow_cache.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLOW_CACHE_INLINE_KEY  48   /* key bytes stored in the entry itself */
#define FLOW_CACHE_RENORM      40.0 /* time constants before the landmark moves */
#define FLOW_CACHE_MIN_ENTRIES 8

struct fc_entry {
	uint64_t hash;
	double count; /* forward-decayed value 0 amounts (eviction order) */
	double err;   /* inherited count (overestimate bound) */
	double total; /* undecayed value 0, for the flow log */
	uint64_t start_ms, last_ms, report_ms;
	uint32_t heap_at; /* position in the heap */
	uint32_t key_len;
	char *key_ext; /* key when longer than the inline part */
	char key[FLOW_CACHE_INLINE_KEY];
	double v[]; /* extra values: decayed sums, or min/max, or a sketch */
};

struct flow_cache {
	struct flow_cache_shape shape;
	size_t esize;           /* bytes per entry */
	unsigned char *entries; /* cap_now entries of esize bytes */
	uint32_t n, cap_now;
	uint32_t *heap;  /* entry indexes, a min-heap by count */
	uint32_t *table; /* entry index + 1, 0 empty; tsize slots */
	uint32_t tsize;
	double landmark_s; /* L, seconds */
	uint64_t g_ms;     /* the time g was computed for */
	double g;          /* exp((g_ms/1000 - L)/t): the samples of a datagram share it */
	bool have_landmark;
	double total; /* forward-decayed total of every amount */
	uint64_t evictions;
	uint64_t created; /* entries started for new keys */
	size_t ext_bytes; /* bytes of keys stored outside entries */
};

static struct fc_entry *ent(const struct flow_cache *c, uint32_t i)
{
	return (struct fc_entry *)(c->entries + (size_t)i * c->esize);
}

static const char *ent_key(const struct fc_entry *e)
{
	return e->key_ext ? e->key_ext : e->key;
}

/* A multiply-xorshift hash over 8-byte words (byte-wise FNV was a third
 * of an add's time for 40-byte keys). */
static uint64_t hash_key(const char *k, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	for (; len >= 8; k += 8, len -= 8) {
		memcpy(&w, k, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (len >= 4) { /* the last 1..7 bytes as two overlapping words */
		uint32_t a, b;

		memcpy(&a, k, 4);
		memcpy(&b, k + len - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = len ? (uint64_t)(uint8_t)k[0] << 16 | (uint64_t)(uint8_t)k[len / 2] << 8 |
				  (uint8_t)k[len - 1] :
			  0;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* Value slots an entry needs, for every value including value 0: one per
 * RATE/MIN/MAX value, two per AVG (decayed sum and decayed weight), and a
 * 64-bit linear-counting bitmap per COUNT. */
static size_t extra_doubles(const struct flow_cache_shape *s)
{
	size_t n = 0;

	for (uint32_t i = 0; i < s->nvalues; i++)
		n += s->agg[i] == FLOW_AGG_AVG ? 2 : 1;
	return n;
}

struct flow_cache *flow_cache_new(const struct flow_cache_shape *shape)
{
	struct flow_cache *c;

	if (!shape || shape->cap == 0 || shape->nvalues == 0 ||
	    shape->nvalues > 1 + FLOW_CACHE_VALUES_MAX || !(shape->t_s > 0)) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->shape = *shape;
	c->esize = sizeof(struct fc_entry) + extra_doubles(shape) * sizeof(double);
	c->esize = (c->esize + 7) & ~(size_t)7;
	return c;
}

void flow_cache_free(struct flow_cache *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->n; i++)
		free(ent(c, i)->key_ext);
	free(c->entries);
	free(c->heap);
	free(c->table);
	free(c);
}

/* Slot of hash h / key in the table: the entry's, or the empty one where
 * it would go. */
/* Key equality without a call for the usual 8..32-byte keys (words,
 * the last one overlapping). */
static inline bool key_eq(const char *a, const char *b, size_t len)
{
	uint64_t x, y;

	if (len < 8 || len > 32)
		return memcmp(a, b, len) == 0;
	for (size_t i = 0; i + 8 < len; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&x, a + len - 8, 8);
	memcpy(&y, b + len - 8, 8);
	return x == y;
}

static uint32_t table_find(const struct flow_cache *c, uint64_t h, const char *key, size_t len)
{
	uint32_t mask = c->tsize - 1, i = (uint32_t)h & mask;

	for (;; i = (i + 1) & mask) {
		const struct fc_entry *e;

		if (c->table[i] == 0)
			return i;
		e = ent(c, c->table[i] - 1);
		if (e->hash == h && e->key_len == len && key_eq(ent_key(e), key, len))
			return i;
	}
}

/* Remove table slot i, moving later entries of its probe run back
 * (backward-shift deletion, so lookups never need tombstones). */
static void table_remove(struct flow_cache *c, uint32_t i)
{
	uint32_t mask = c->tsize - 1, j = i;

	for (;;) {
		uint32_t home;

		j = (j + 1) & mask;
		if (c->table[j] == 0)
			break;
		home = (uint32_t)ent(c, c->table[j] - 1)->hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			c->table[i] = c->table[j];
			i = j;
		}
	}
	c->table[i] = 0;
}

static void table_rebuild(struct flow_cache *c)
{
	memset(c->table, 0, c->tsize * sizeof(*c->table));
	for (uint32_t k = 0; k < c->n; k++) {
		struct fc_entry *e = ent(c, k);

		c->table[table_find(c, e->hash, ent_key(e), e->key_len)] = k + 1;
	}
}

static void heap_swap(struct flow_cache *c, uint32_t a, uint32_t b)
{
	uint32_t t = c->heap[a];

	c->heap[a] = c->heap[b];
	c->heap[b] = t;
	ent(c, c->heap[a])->heap_at = a;
	ent(c, c->heap[b])->heap_at = b;
}

static double heap_count(const struct flow_cache *c, uint32_t at)
{
	return ent(c, c->heap[at])->count;
}

static void sift_up(struct flow_cache *c, uint32_t at)
{
	while (at > 0 && heap_count(c, (at - 1) / 2) > heap_count(c, at)) {
		heap_swap(c, at, (at - 1) / 2);
		at = (at - 1) / 2;
	}
}

static void sift_down(struct flow_cache *c, uint32_t at)
{
	for (;;) {
		uint32_t l = 2 * at + 1, r = l + 1, m = at;

		if (l < c->n && heap_count(c, l) < heap_count(c, m))
			m = l;
		if (r < c->n && heap_count(c, r) < heap_count(c, m))
			m = r;
		if (m == at)
			return;
		heap_swap(c, at, m);
		at = m;
	}
}

/* Room for one more entry, growing by doubling up to cap; false at cap or
 * out of memory. */
static bool grow(struct flow_cache *c)
{
	uint32_t cap = c->cap_now ? 2 * c->cap_now : FLOW_CACHE_MIN_ENTRIES, ts = 16;
	unsigned char *ne;
	uint32_t *nh, *nt;

	if (c->cap_now >= c->shape.cap)
		return false;
	cap = cap > c->shape.cap ? c->shape.cap : cap;
	while (ts < 2 * cap)
		ts *= 2;
	ne = realloc(c->entries, (size_t)cap * c->esize);
	if (ne)
		c->entries = ne;
	nh = ne ? realloc(c->heap, (size_t)cap * sizeof(*nh)) : NULL;
	if (nh)
		c->heap = nh;
	nt = nh ? calloc(ts, sizeof(*nt)) : NULL;
	if (!nt)
		return false;
	free(c->table);
	c->table = nt;
	c->tsize = ts;
	c->cap_now = cap;
	table_rebuild(c);
	return true;
}

/* Move the landmark to now_s, rescaling every decayed quantity. */
static void renormalize(struct flow_cache *c, double now_s)
{
	double f = exp((c->landmark_s - now_s) / c->shape.t_s);

	for (uint32_t k = 0; k < c->n; k++) {
		struct fc_entry *e = ent(c, k);
		size_t d = 0;

		e->count *= f;
		e->err *= f;
		for (uint32_t i = 0; i < c->shape.nvalues; i++) {
			enum flow_agg a = c->shape.agg[i];

			if (a == FLOW_AGG_RATE)
				e->v[d] *= f;
			else if (a == FLOW_AGG_AVG)
				e->v[d] *= f, e->v[d + 1] *= f;
			d += a == FLOW_AGG_AVG ? 2 : 1;
		}
	}
	c->total *= f;
	c->landmark_s = now_s;
}

static bool key_set(struct flow_cache *c, struct fc_entry *e, const char *key, size_t len,
		    uint64_t h)
{
	c->ext_bytes -= e->key_ext ? e->key_len : 0;
	free(e->key_ext);
	e->key_ext = NULL;
	if (len > FLOW_CACHE_INLINE_KEY) {
		e->key_ext = malloc(len);
		if (!e->key_ext)
			return false;
		memcpy(e->key_ext, key, len);
		c->ext_bytes += len;
	} else {
		memcpy(e->key, key, len);
	}
	e->key_len = (uint32_t)len;
	e->hash = h;
	return true;
}

static void values_init(const struct flow_cache *c, struct fc_entry *e)
{
	size_t d = 0;

	for (uint32_t i = 0; i < c->shape.nvalues; i++) {
		enum flow_agg a = c->shape.agg[i];

		e->v[d] = a == FLOW_AGG_MIN ? INFINITY : a == FLOW_AGG_MAX ? -INFINITY : 0;
		if (a == FLOW_AGG_AVG)
			e->v[d + 1] = 0;
		d += a == FLOW_AGG_AVG ? 2 : 1;
	}
}

/* Drop e's table slot, if it has one (an entry whose key could not be
 * stored has none). */
static void table_forget(struct flow_cache *c, const struct fc_entry *e)
{
	uint32_t slot = table_find(c, e->hash, ent_key(e), e->key_len);

	if (c->table[slot])
		table_remove(c, slot);
}

/* A new entry for key: a free one, or the smallest, evicted (its count
 * becomes the newcomer's err). NULL when out of memory. */
static struct fc_entry *entry_take(struct flow_cache *c, const char *key, size_t len, uint64_t h,
				   uint64_t now_ms)
{
	struct fc_entry *e;
	double inherit = 0;
	uint32_t k;

	if (c->n < c->cap_now || grow(c)) {
		k = c->n++;
		e = ent(c, k);
		e->key_ext = NULL;
		c->heap[k] = k;
		e->heap_at = k;
	} else {
		k = c->heap[0];
		e = ent(c, k);
		table_forget(c, e);
		inherit = e->count;
		c->evictions++;
	}
	if (!key_set(c, e, key, len, h)) {
		/* keep the heap consistent; the entry has no key and no table
		 * slot, and goes at the next eviction or sweep */
		e->count = inherit;
		e->key_len = 0;
		e->hash = 0;
		return NULL;
	}
	c->created++;
	e->count = e->err = inherit;
	e->total = 0;
	e->start_ms = e->last_ms = e->report_ms = now_ms;
	values_init(c, e);
	c->table[table_find(c, h, key, len)] = k + 1;
	sift_up(c, e->heap_at);
	return e;
}

static void values_add(const struct flow_cache *c, struct fc_entry *e,
		       const struct flow_cache_contrib *x, double g)
{
	size_t d = 0;

	for (uint32_t i = 0; i < c->shape.nvalues; i++) {
		enum flow_agg a = c->shape.agg[i];
		double v = x->v[i];
		uint64_t bits;

		switch (a) {
		case FLOW_AGG_RATE:
			e->v[d] += v * x->weight * g;
			break;
		case FLOW_AGG_AVG:
			e->v[d] += v * x->weight * g;
			e->v[d + 1] += x->weight * g;
			break;
		case FLOW_AGG_MIN:
			e->v[d] = v < e->v[d] ? v : e->v[d];
			break;
		case FLOW_AGG_MAX:
			e->v[d] = v > e->v[d] ? v : e->v[d];
			break;
		case FLOW_AGG_COUNT:
			memcpy(&bits, &e->v[d], sizeof(bits));
			bits |= 1ull << (x->hash[i] % 64);
			memcpy(&e->v[d], &bits, sizeof(bits));
			break;
		}
		d += a == FLOW_AGG_AVG ? 2 : 1;
	}
}

/* The ranking amount of one sample: value 0's amount for a RATE value 0,
 * else the sample's weight (packets), so eviction follows traffic. */
static double rank_amount(const struct flow_cache *c, const struct flow_cache_contrib *x)
{
	return c->shape.agg[0] == FLOW_AGG_RATE ? x->v[0] * x->weight : x->weight;
}

static bool contrib_ok(const struct flow_cache *c, const struct flow_cache_contrib *x)
{
	if (!(x->weight > 0) || !isfinite(x->weight))
		return false;
	for (uint32_t i = 0; i < c->shape.nvalues; i++)
		if (!isfinite(x->v[i]) || (c->shape.agg[i] == FLOW_AGG_RATE && x->v[i] < 0))
			return false;
	return true;
}

/* exp((now - L)/t): the forward-decay weight of an amount added at
 * now_ms, computed once per distinct time (a datagram's samples share
 * one), moving the landmark first when it has fallen far behind. */
static double decay_weight(struct flow_cache *c, uint64_t now_ms)
{
	double now_s;

	if (c->have_landmark && c->g_ms == now_ms && c->g != 0)
		return c->g;
	now_s = (double)now_ms / 1000.0; /* after the fast path: a division is slow */
	if (!c->have_landmark) {
		c->landmark_s = now_s;
		c->have_landmark = true;
	}
	now_s = now_s < c->landmark_s ? c->landmark_s : now_s;
	if ((now_s - c->landmark_s) / c->shape.t_s > FLOW_CACHE_RENORM)
		renormalize(c, now_s);
	c->g = exp((now_s - c->landmark_s) / c->shape.t_s);
	c->g_ms = now_ms;
	return c->g;
}

bool flow_cache_add(struct flow_cache *c, const void *key, size_t len,
		    const struct flow_cache_contrib *x, uint64_t now_ms)
{
	double g, amount;
	struct fc_entry *e;
	uint32_t slot;
	uint64_t h;

	if (!contrib_ok(c, x))
		return true; /* nothing to count */
	len = len > FLOW_CACHE_KEY_MAX ? FLOW_CACHE_KEY_MAX : len;
	g = decay_weight(c, now_ms);
	amount = rank_amount(c, x);
	c->total += amount * g;
	h = hash_key(key, len);
	slot = c->tsize ? table_find(c, h, key, len) : 0;
	e = c->tsize && c->table[slot] ? ent(c, c->table[slot] - 1) :
					 entry_take(c, key, len, h, now_ms);
	if (!e)
		return false;
	e->count += amount * g;
	e->total += amount;
	e->last_ms = now_ms > e->last_ms ? now_ms : e->last_ms;
	values_add(c, e, x, g);
	sift_down(c, e->heap_at);
	return true;
}

/* Value i of e at now (per second for RATE). */
static void entry_values(const struct flow_cache *c, const struct fc_entry *e, double now_s,
			 double *out)
{
	double f = exp((c->landmark_s - now_s) / c->shape.t_s) / c->shape.t_s;
	size_t d = 0;

	for (uint32_t i = 0; i < c->shape.nvalues; i++) {
		enum flow_agg a = c->shape.agg[i];
		uint64_t bits;
		int zeros;

		switch (a) {
		case FLOW_AGG_RATE:
			out[i] = e->v[d] * f;
			break;
		case FLOW_AGG_AVG:
			out[i] = e->v[d + 1] > 0 ? e->v[d] / e->v[d + 1] : 0;
			break;
		case FLOW_AGG_MIN:
		case FLOW_AGG_MAX:
			out[i] = isfinite(e->v[d]) ? e->v[d] : 0;
			break;
		case FLOW_AGG_COUNT:
			memcpy(&bits, &e->v[d], sizeof(bits));
			zeros = 64 - __builtin_popcountll(bits);
			/* linear counting over 64 bits; saturates near 266 */
			out[i] = zeros == 0 ? 64 * log(64.0) : -64 * log(zeros / 64.0);
			break;
		}
		d += a == FLOW_AGG_AVG ? 2 : 1;
	}
}

static void item_of(const struct flow_cache *c, const struct fc_entry *e, double now_s,
		    struct flow_cache_item *it)
{
	it->key = ent_key(e);
	it->key_len = e->key_len;
	entry_values(c, e, now_s, it->value);
	it->start_ms = e->start_ms;
	it->last_ms = e->last_ms;
	it->total = e->total;
}

struct rank {
	double v;
	uint32_t k;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	return a->v > b->v ? -1 : a->v < b->v ? 1 : (a->k > b->k) - (a->k < b->k);
}

size_t flow_cache_top(const struct flow_cache *c, uint64_t now_ms, struct flow_cache_item *out,
		      size_t n)
{
	double now_s = (double)now_ms / 1000.0, vals[1 + FLOW_CACHE_VALUES_MAX];
	struct rank *r;
	size_t m = 0;

	if (c->n == 0 || n == 0)
		return 0;
	r = malloc(c->n * sizeof(*r));
	if (!r)
		return 0;
	for (uint32_t k = 0; k < c->n; k++) {
		const struct fc_entry *e = ent(c, k);

		if (e->key_len == 0 && e->hash == 0 && e->count == e->err)
			continue; /* a keyless orphan (see entry_take) */
		entry_values(c, e, now_s, vals);
		r[m++] = (struct rank){ vals[0], k };
	}
	qsort(r, m, sizeof(*r), rank_cmp);
	m = m < n ? m : n;
	for (size_t i = 0; i < m; i++)
		item_of(c, ent(c, r[i].k), now_s, &out[i]);
	free(r);
	return m;
}

bool flow_cache_get(const struct flow_cache *c, const void *key, size_t len, uint64_t now_ms,
		    struct flow_cache_item *out)
{
	uint32_t slot;

	len = len > FLOW_CACHE_KEY_MAX ? FLOW_CACHE_KEY_MAX : len;
	if (!c->tsize)
		return false;
	slot = table_find(c, hash_key(key, len), key, len);
	if (!c->table[slot])
		return false;
	item_of(c, ent(c, c->table[slot] - 1), (double)now_ms / 1000.0, out);
	return true;
}

double flow_cache_total(const struct flow_cache *c, uint64_t now_ms)
{
	double now_s = (double)now_ms / 1000.0;

	if (!c->have_landmark)
		return 0;
	return c->total * exp((c->landmark_s - now_s) / c->shape.t_s) / c->shape.t_s;
}

/* Remove entry k (table, heap, storage); the last entry moves into k. */
static void entry_remove(struct flow_cache *c, uint32_t k)
{
	struct fc_entry *e = ent(c, k);
	uint32_t at = e->heap_at, last = c->n - 1;

	table_forget(c, e);
	c->ext_bytes -= e->key_ext ? e->key_len : 0;
	free(e->key_ext);
	if (at != last) /* the heap's last element fills the hole */
		heap_swap(c, at, last);
	c->n--; /* the heap and the entries shrink together */
	if (at < c->n) {
		sift_up(c, at);
		sift_down(c, at);
	}
	if (k != last) {
		struct fc_entry *m = ent(c, last);
		uint32_t slot = table_find(c, m->hash, ent_key(m), m->key_len);

		memcpy(e, m, c->esize);
		c->heap[e->heap_at] = k;
		if (c->table[slot])
			c->table[slot] = k + 1;
	}
}

void flow_cache_sweep(struct flow_cache *c, uint64_t now_ms, uint64_t idle_ms, uint64_t active_ms,
		      flow_cache_end_cb *cb, void *arg)
{
	double now_s = (double)now_ms / 1000.0;
	struct flow_cache_item it;

	for (uint32_t k = c->n; k-- > 0;) {
		struct fc_entry *e = ent(c, k);
		bool idle = now_ms >= e->last_ms && now_ms - e->last_ms >= idle_ms;

		if (idle || (active_ms && now_ms - e->report_ms >= active_ms)) {
			if (cb && e->key_len > 0 && e->total > 0) {
				item_of(c, e, now_s, &it);
				cb(arg, &it);
			}
			e->report_ms = now_ms;
			e->start_ms = now_ms;
			e->total = 0;
		}
		if (idle)
			entry_remove(c, k);
	}
}

size_t flow_cache_len(const struct flow_cache *c)
{
	return c->n;
}

size_t flow_cache_bytes(const struct flow_cache *c)
{
	return sizeof(*c) + (size_t)c->cap_now * (c->esize + sizeof(*c->heap)) +
	       (size_t)c->tsize * sizeof(*c->table) + c->ext_bytes;
}

uint64_t flow_cache_created(const struct flow_cache *c)
{
	return c->created;
}

uint64_t flow_cache_evictions(const struct flow_cache *c)
{
	return c->evictions;
}
