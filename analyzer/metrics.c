/*
 * analyzer/metrics.c: reading one table field out of a typed counter
 * record, and counter rates (the table itself is metrics_table.c).
 */
#include "analyzer/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *metrics_slot_name(const struct metrics_record *rec, uint32_t i)
{
	if (i < rec->nfields)
		return rec->fields[i].name;
	if (i - rec->nfields < rec->nderived)
		return rec->derived[i - rec->nfields];
	return NULL;
}

/* Length of the valid UTF-8 sequence at p[0..n), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (p[0] < 0x80)
		return p[0] >= 0x20 && p[0] != 0x7f ? 1 : 0;
	if (len == 0 || len > n)
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void metrics_copy_str(char *buf, size_t buflen, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (buflen == 0)
		return;
	for (size_t i = 0; i < n && p[i] && o + 1 < buflen;) {
		size_t k = utf8_len(p + i, n - i);

		if (k == 0 || o + k >= buflen) {
			buf[o++] = '?';
			i++;
			continue;
		}
		memcpy(buf + o, p + i, k);
		o += k;
		i += k;
	}
	buf[o] = '\0';
}

static void put_str(struct metrics_value *out, char *buf, size_t buflen, const char *s,
		    size_t n)
{
	if (buflen == 0)
		return;
	metrics_copy_str(buf, buflen, s, n);
	out->valid = true;
	out->is_string = true;
	out->str = buf;
}

/* n bytes of p as lower-case hex into out (2n + 1 bytes with the NUL);
 * a dash before the bytes whose index is in dash_mask. No printf: this
 * runs for every counter record that carries a MAC or a UUID. */
static size_t hex_bytes(char *out, const uint8_t *p, size_t n, uint32_t dash_mask)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (dash_mask & (1u << i))
			out[o++] = '-';
		out[o++] = digits[p[i] >> 4];
		out[o++] = digits[p[i] & 15];
	}
	out[o] = '\0';
	return o;
}

static void read_string(const struct metrics_field *f, const uint8_t *p, struct metrics_value *out,
			char *buf, size_t buflen)
{
	/* a UUID's dashes go before bytes 4, 6, 8 and 10 */
	const uint32_t uuid_dashes = 1u << 4 | 1u << 6 | 1u << 8 | 1u << 10;
	const char *name;
	uint8_t be[8];
	char tmp[48];
	uint32_t u32;
	uint64_t u64;

	switch (f->type) {
	case METRICS_STR: {
		struct sfl_str s;

		memcpy(&s, p, sizeof(s));
		put_str(out, buf, buflen, s.ptr ? s.ptr : "", s.ptr ? s.len : 0);
		return;
	}
	case METRICS_MAC:
		put_str(out, buf, buflen, tmp, hex_bytes(tmp, p, 6, 0));
		return;
	case METRICS_UUID:
		put_str(out, buf, buflen, tmp, hex_bytes(tmp, p, 16, uuid_dashes));
		return;
	case METRICS_U64:
		memcpy(&u64, p, sizeof(u64));
		for (int i = 0; i < 8; i++)
			be[i] = (uint8_t)(u64 >> (56 - 8 * i));
		put_str(out, buf, buflen, tmp, hex_bytes(tmp, be, 8, 0));
		return;
	case METRICS_ADMIN:
	case METRICS_OPER:
		memcpy(&u32, p, sizeof(u32));
		name = (u32 & (f->type == METRICS_ADMIN ? 1u : 2u)) ? "up" : "down";
		break;
	default: /* METRICS_ENUM */
		memcpy(&u32, p, sizeof(u32));
		name = u32 < f->names_n ? f->names[u32] : NULL;
		if (!name) {
			snprintf(tmp, sizeof(tmp), "%u", u32);
			name = tmp;
		}
		break;
	}
	put_str(out, buf, buflen, name, strlen(name));
}

/*
 * The double nearest the shortest decimal that reads back as fl: load_one
 * 0.29f is 0.28999999165534973 as a double, and REST clients expect 0.29
 * (the JVM's Float.toString gives that). 9 significant digits always round
 * trip a float; try fewer first. Host CPU records only, so the printf cost
 * does not matter.
 */
static double float_as_decimal(float fl)
{
	char buf[32];

	for (int digits = 6; digits <= 9; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, (double)fl);
		if (strtof(buf, NULL) == fl)
			return strtod(buf, NULL);
	}
	return fl;
}

static void read_number(const struct metrics_field *f, const uint8_t *p, struct metrics_value *out,
			uint64_t *u)
{
	uint32_t u32;
	int32_t i32;
	float fl;

	out->valid = true;
	out->is_string = false;
	switch (f->type) {
	case METRICS_U64:
		memcpy(u, p, sizeof(*u));
		out->num = (double)*u;
		if (f->kind == METRICS_COUNTER64 && *u == UINT64_MAX)
			out->valid = false;
		return;
	case METRICS_FLOAT:
		memcpy(&fl, p, sizeof(fl));
		out->num = float_as_decimal(fl);
		return;
	case METRICS_I32:
	case METRICS_PCT100:
	case METRICS_MILLI:
		memcpy(&i32, p, sizeof(i32));
		*u = (uint64_t)(int64_t)i32;
		out->num = f->type == METRICS_PCT100 ? i32 / 100.0 :
			   f->type == METRICS_MILLI ? i32 / 1000.0 : i32;
		if (f->type == METRICS_PCT100 && i32 < 0)
			out->valid = false;
		return;
	default: /* METRICS_U32 */
		memcpy(&u32, p, sizeof(u32));
		*u = u32;
		out->num = u32;
		if (f->kind == METRICS_COUNTER32 && u32 == UINT32_MAX)
			out->valid = false;
		return;
	}
}

void metrics_read(const struct metrics_field *f, const union sfl_record_value *v,
		  struct metrics_value *out, uint64_t *u, char *buf, size_t buflen)
{
	const uint8_t *p = (const uint8_t *)v + f->offset;

	memset(out, 0, sizeof(*out));
	*u = 0;
	if (f->kind == METRICS_STRING)
		read_string(f, p, out, buf, buflen);
	else
		read_number(f, p, out, u);
}

bool metrics_rate(enum metrics_kind kind, uint64_t prev, uint64_t cur, uint64_t dt_ms,
		  double *per_s)
{
	uint64_t delta;

	if (dt_ms == 0)
		return false;
	if (kind == METRICS_COUNTER32) {
		delta = (uint32_t)((uint32_t)cur - (uint32_t)prev);
	} else {
		if (cur < prev)
			return false; /* a 64-bit counter does not wrap: reset */
		delta = cur - prev;
	}
	*per_s = (double)delta * 1000.0 / (double)dt_ms;
	return true;
}
