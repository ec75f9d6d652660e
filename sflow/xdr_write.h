/*
 * sflow/xdr_write.h: bounded XDR writer into caller memory.
 *
 * Writes never run past the end of the buffer. A write that does not fit
 * sets the sticky flag `full` and writes nothing, so an encoder can emit a
 * whole structure and test `full` once. sfl_writer_mark()/_rewind() let the
 * caller drop a partly written sample when the datagram fills up, and
 * length words are reserved with _reserve() and patched with _put_u32_at().
 */
#ifndef SFL_XDR_WRITE_H
#define SFL_XDR_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sfl_writer {
	uint8_t *buf; /* start of the output */
	uint8_t *p;   /* next byte to write */
	uint8_t *end; /* one past the last writable byte */
	bool full;    /* sticky: a write did not fit */
};

static inline void sfl_writer_init(struct sfl_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->p = buf;
	w->end = buf + cap;
	w->full = false;
}

static inline size_t sfl_writer_len(const struct sfl_writer *w)
{
	return (size_t)(w->p - w->buf);
}

static inline bool sfl_writer_room(struct sfl_writer *w, size_t n)
{
	if (w->full || (size_t)(w->end - w->p) < n) {
		w->full = true;
		return false;
	}
	return true;
}

static inline void sfl_store_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void sfl_write_u32(struct sfl_writer *w, uint32_t v)
{
	if (!sfl_writer_room(w, 4))
		return;
	sfl_store_u32(w->p, v);
	w->p += 4;
}

static inline void sfl_write_u64(struct sfl_writer *w, uint64_t v)
{
	if (!sfl_writer_room(w, 8))
		return;
	sfl_store_u32(w->p, (uint32_t)(v >> 32));
	sfl_store_u32(w->p + 4, (uint32_t)v);
	w->p += 8;
}

/*
 * `n` words from host memory, with one bounds check for the run. The
 * cursor is kept in a local: stores through a byte pointer may alias the
 * writer, so writing via w->p would reload it after every word.
 */
static inline void sfl_write_u32s(struct sfl_writer *w, const uint32_t *v, size_t n)
{
	uint8_t *p = w->p;

	if (!sfl_writer_room(w, 4 * n))
		return;
	for (size_t i = 0; i < n; i++)
		sfl_store_u32(p + 4 * i, v[i]);
	w->p = p + 4 * n;
}

static inline void sfl_write_float(struct sfl_writer *w, float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	sfl_write_u32(w, bits);
}

/*
 * Fixed opaque: n bytes of `v` then zero padding to a multiple of 4. The
 * padding is made by zeroing the last word before the bytes are copied
 * over its start: one store instead of a call to memset.
 */
static inline void sfl_write_fixed(struct sfl_writer *w, const void *v, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;
	uint8_t *p = w->p;

	if (!sfl_writer_room(w, padded))
		return;
	if (padded != n)
		memset(p + padded - 4, 0, 4);
	if (n)
		memcpy(p, v, n);
	w->p = p + padded;
}

/* Variable opaque or string: a length word, the bytes, zero padding. */
static inline void sfl_write_opaque(struct sfl_writer *w, const void *v, uint32_t n)
{
	if (!sfl_writer_room(w, 4 + (((size_t)n + 3) & ~(size_t)3)))
		return;
	sfl_write_u32(w, n);
	sfl_write_fixed(w, v, n);
}

/* Reserve a 4-byte word (e.g. a length) to patch later; returns its offset. */
static inline size_t sfl_writer_reserve(struct sfl_writer *w)
{
	size_t at = sfl_writer_len(w);

	sfl_write_u32(w, 0);
	return at;
}

static inline void sfl_writer_put_u32_at(struct sfl_writer *w, size_t at, uint32_t v)
{
	if (at + 4 <= (size_t)(w->end - w->buf))
		sfl_store_u32(w->buf + at, v);
}

static inline size_t sfl_writer_mark(const struct sfl_writer *w)
{
	return sfl_writer_len(w);
}

/* Drop everything written after `mark` and clear `full`. */
static inline void sfl_writer_rewind(struct sfl_writer *w, size_t mark)
{
	w->p = w->buf + mark;
	w->full = false;
}

#endif
