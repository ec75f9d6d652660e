/*
 * analyzer/flow_val.h: a flow key's value as typed data (an address, a
 * number, a MAC, a bit string, a boolean or text), its sFlow-RT print form,
 * and a compact binary encoding that flow caches use as their keys.
 *
 * Key functions produce typed values so that nothing on the per-sample
 * path prints and re-parses text: mask: and group: work on the address
 * bytes, a 5-tuple key is 18 encoded bytes, and a value is printed only
 * when a query reports it (flow_val_format). The encoding is canonical
 * for a given type (equal values encode equally); values of different
 * types never compare equal, even when they print alike.
 *
 * Print forms: IPv4 dotted, IPv6 as inet_ntop, MACs as 12 upper-case hex
 * digits, numbers in decimal, booleans true/false, bit strings as their
 * nbits '0'/'1' characters, doubles as "%.17g".
 *
 * Threads: plain data; a TEXT value points at bytes that must outlive it
 * (a constant, the datagram, or a flow sample's scratch).
 */
#ifndef RTFLOW_ANALYZER_FLOW_VAL_H
#define RTFLOW_ANALYZER_FLOW_VAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FLOW_VAL_TEXT_MAX 255 /* longest text value, bytes */

enum flow_val_type {
	FLOW_V_NULL = 0,
	FLOW_V_TEXT,
	FLOW_V_U64,
	FLOW_V_IP4,
	FLOW_V_IP6,
	FLOW_V_MAC,
	FLOW_V_BOOL,
	FLOW_V_BITS,
	FLOW_V_F64,
};

struct flow_val {
	uint8_t type;  /* enum flow_val_type */
	uint8_t nbits; /* BITS: how many of u's low bits print (<= 32) */
	uint16_t len;  /* TEXT: bytes at s (<= FLOW_VAL_TEXT_MAX) */
	union {
		uint64_t u;    /* U64, BOOL, BITS */
		double d;      /* F64 */
		uint8_t a[16]; /* IP4 (4 bytes), IP6 (16), MAC (6) */
		const char *s; /* TEXT, not NUL-terminated */
	};
};

/* s[0..n) into b[0..cap) NUL-terminated (cut to cap - 1; s may overlap
 * b): the length written, or -1 when cap is 0. */
static inline int flow_text_put(char *b, size_t cap, const char *s, size_t n)
{
	if (cap == 0)
		return -1;
	n = n < cap - 1 ? n : cap - 1;
	memmove(b, s, n);
	b[n] = '\0';
	return (int)n;
}

/* Decimal digits of u at b (room for 20, no NUL): how many. */
static inline size_t flow_u64_digits(char *b, uint64_t u)
{
	char t[24];
	size_t n = 0;

	do {
		t[sizeof(t) - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	memcpy(b, t + sizeof(t) - n, n);
	return n;
}

/* The print form into buf[0..cap) NUL-terminated: its length (cut to
 * cap - 1), or -1 for NULL values and cap 0. */
int flow_val_format(const struct flow_val *v, char *buf, size_t cap);

/* The encoding of v appended at out[0..cap): bytes written, 0 when it does
 * not fit (or v is NULL). At most 3 + FLOW_VAL_TEXT_MAX bytes. */
size_t flow_val_encode_any(const struct flow_val *v, uint8_t *out, size_t cap);

static inline size_t flow_val_encode(const struct flow_val *v, uint8_t *out, size_t cap)
{
	if (v->type == FLOW_V_IP4 && cap >= 5) { /* the common cases inline */
		out[0] = FLOW_V_IP4;
		memcpy(out + 1, v->a, 4);
		return 5;
	}
	if (v->type == FLOW_V_U64 && v->u < 0x10000 && cap >= 3) {
		out[0] = (uint8_t)(FLOW_V_U64 | (v->u == 0 ? 0 : v->u < 0x100 ? 0x10 : 0x20));
		out[1] = (uint8_t)(v->u > 0xff ? v->u >> 8 : v->u);
		out[2] = (uint8_t)v->u;
		return v->u == 0 ? 1 : v->u < 0x100 ? 2 : 3;
	}
	if (v->type == FLOW_V_TEXT && cap >= 2u + v->len && v->len <= FLOW_VAL_TEXT_MAX) {
		out[0] = FLOW_V_TEXT;
		out[1] = (uint8_t)v->len;
		memcpy(out + 2, v->s, v->len);
		return 2u + v->len;
	}
	if (v->type == FLOW_V_MAC && cap >= 7) {
		out[0] = FLOW_V_MAC;
		memcpy(out + 1, v->a, 6);
		return 7;
	}
	return flow_val_encode_any(v, out, cap);
}

/* The value encoded at p[0..len) into *v (a TEXT value points into p):
 * bytes read, 0 when p does not hold a whole encoded value. */
size_t flow_val_decode(const uint8_t *p, size_t len, struct flow_val *v);

/*
 * Print the values encoded in enc[0..len), joined by sep, into
 * out[0..cap) NUL-terminated (cut to cap - 1). Returns the length, or -1
 * when enc is malformed.
 */
int flow_val_format_joined(const uint8_t *enc, size_t len, const char *sep, char *out,
			   size_t cap);

/* The value as a number: U64 and F64 as they are, TEXT and BITS read as a
 * decimal number ("6", "1.5"); false for anything else. */
bool flow_val_number(const struct flow_val *v, double *out);

#endif
