/*
 * sflow/xdr_read.h: bounded XDR reader over one buffer (zero-copy).
 *
 * Every read checks the bounds before touching memory. A read past the end
 * returns zero, sets the sticky flag `bad` and leaves the cursor where it
 * was, so a structure decoder can chain reads and test `bad` once at its
 * end. Values are big-endian on the wire; opaque data is padded to 4 bytes.
 * The reader never allocates and never owns the buffer.
 */
#ifndef SFL_XDR_READ_H
#define SFL_XDR_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sfl_reader {
	const uint8_t *base; /* start of the datagram, for error offsets */
	const uint8_t *p;    /* next byte to read */
	const uint8_t *end;  /* one past the last readable byte */
	bool bad;            /* sticky: a read ran past `end` */
};

/* Initialise `r` over buf[0..len); `base` is where offsets count from. */
static inline void sfl_reader_init(struct sfl_reader *r, const uint8_t *base,
				   const uint8_t *buf, size_t len)
{
	r->base = base;
	r->p = buf;
	r->end = buf + len;
	r->bad = false;
}

static inline size_t sfl_reader_left(const struct sfl_reader *r)
{
	return (size_t)(r->end - r->p);
}

static inline uint32_t sfl_reader_offset(const struct sfl_reader *r)
{
	return (uint32_t)(r->p - r->base);
}

/* Bytes `n` rounded up to the XDR unit of 4. */
static inline size_t sfl_pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static inline bool sfl_reader_need(struct sfl_reader *r, size_t n)
{
	if (r->bad || sfl_reader_left(r) < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static inline uint32_t sfl_load_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t sfl_read_u32(struct sfl_reader *r)
{
	if (!sfl_reader_need(r, 4))
		return 0;
	uint32_t v = sfl_load_u32(r->p);
	r->p += 4;
	return v;
}

static inline uint64_t sfl_read_u64(struct sfl_reader *r)
{
	if (!sfl_reader_need(r, 8))
		return 0;
	uint64_t v = (uint64_t)sfl_load_u32(r->p) << 32 | sfl_load_u32(r->p + 4);
	r->p += 8;
	return v;
}

static inline float sfl_read_float(struct sfl_reader *r)
{
	uint32_t bits = sfl_read_u32(r);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/*
 * Fixed opaque of `n` bytes, padded: returns a pointer into the buffer, or
 * NULL (and sets bad) when the padded length is not there.
 */
static inline const uint8_t *sfl_read_fixed(struct sfl_reader *r, size_t n)
{
	size_t padded = sfl_pad4(n);

	if (!sfl_reader_need(r, padded))
		return NULL;
	const uint8_t *v = r->p;
	r->p += padded;
	return v;
}

/*
 * Variable opaque or string: a length word then the padded bytes. Lengths
 * over `max_len` set bad (they cannot be honest). Returns a pointer into
 * the buffer and stores the length in *len, or NULL with *len = 0.
 */
static inline const uint8_t *sfl_read_opaque(struct sfl_reader *r, uint32_t max_len,
					     uint32_t *len)
{
	uint32_t n = sfl_read_u32(r);
	const uint8_t *v;

	*len = 0;
	if (r->bad)
		return NULL;
	if (n > max_len) {
		r->bad = true;
		return NULL;
	}
	v = sfl_read_fixed(r, n);
	if (v)
		*len = n;
	return v;
}

/* Skip `n` bytes (not padded). */
static inline void sfl_read_skip(struct sfl_reader *r, size_t n)
{
	if (sfl_reader_need(r, n))
		r->p += n;
}

#endif
