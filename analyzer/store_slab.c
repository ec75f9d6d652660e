/*
 * analyzer/store_slab.c: value blocks of one counter record table,
 * allocated in chunks that never move.
 *
 * A /metric query over every agent reads one slot of thousands of blocks.
 * Reached through agents → data sources → block lists, each of those
 * reads was a cache miss at an unpredictable address, and the misses were
 * most of the request's time. Blocks of one record table (so of one size)
 * live side by side in chunks here, and store_slab_each walks them in
 * address order: a constant stride the hardware prefetcher follows.
 *
 * Owned like the rest of the store: changed by the owner thread with s->mu
 * held, read by queries holding s->mu.
 */
#include "analyzer/store_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define STORE_SLAB_CHUNK    64 /* blocks per chunk */
#define STORE_SLAB_PREFETCH 4  /* blocks ahead whose slot a walk prefetches */

struct store_slab_chunk {
	struct store_slab_chunk *next;
	uint32_t used; /* blocks handed out from mem, ever */
	/* STORE_SLAB_CHUNK blocks of bsize bytes (a multiple of 64), aligned
	 * for struct store_block */
	_Alignas(64) unsigned char mem[];
};

static size_t block_size(const struct metrics_record *rec)
{
	size_t n = rec->nfields + rec->nderived;
	size_t sz = sizeof(struct store_block) + n * sizeof(struct store_val);

	return (sz + 63) & ~(size_t)63; /* whole cache lines */
}

struct store_block *store_slab_alloc(struct store *s, const struct metrics_record *rec)
{
	struct store_slab *sl = &s->slabs[metrics_record_id(rec)];
	struct store_slab_chunk *c = sl->chunks;
	struct store_block *b;

	if (!sl->bsize)
		sl->bsize = block_size(rec);
	if (sl->free) {
		b = sl->free;
		sl->free = b->next;
	} else {
		if (!c || c->used == STORE_SLAB_CHUNK) {
			c = store_zalloc(sizeof(*c) + STORE_SLAB_CHUNK * sl->bsize);
			c->next = sl->chunks;
			sl->chunks = c;
		}
		b = (struct store_block *)(c->mem + c->used++ * sl->bsize);
	}
	memset(b, 0, sl->bsize);
	b->rec = rec;
	b->n = rec->nfields + rec->nderived;
	sl->live++;
	return b;
}

void store_slab_release(struct store *s, struct store_block *b)
{
	struct store_slab *sl = &s->slabs[metrics_record_id(b->rec)];

	for (uint32_t i = 0; i < b->n; i++) {
		free(b->v[i].str);
		b->v[i].str = NULL;
	}
	b->rec = NULL; /* dead: store_slab_each skips it */
	b->ds = NULL;
	b->next = sl->free;
	sl->free = b;
	sl->live--;
}

void store_slab_each(const struct store *s, uint32_t rec_id, uint32_t slot, store_block_cb *cb,
		     void *arg)
{
	const struct store_slab *sl = &s->slabs[rec_id];
	size_t off = offsetof(struct store_block, v) + slot * sizeof(struct store_val);

	for (const struct store_slab_chunk *c = sl->chunks; c; c = c->next)
		for (uint32_t i = 0; i < c->used; i++) {
			const struct store_block *b =
				(const struct store_block *)(c->mem + i * sl->bsize);

			if (i + STORE_SLAB_PREFETCH < c->used)
				__builtin_prefetch(c->mem + (i + STORE_SLAB_PREFETCH) * sl->bsize +
						   off);
			if (b->rec)
				cb(arg, b);
		}
}

void store_slab_free_all(struct store *s)
{
	for (uint32_t r = 0; r < METRICS_RECORDS_MAX; r++) {
		struct store_slab_chunk *c = s->slabs[r].chunks, *nc;

		for (; c; c = nc) {
			nc = c->next;
			free(c);
		}
		memset(&s->slabs[r], 0, sizeof(s->slabs[r]));
	}
}
