/*
 * analyzer/jsonw.c: see jsonw.h. Escaping follows RFC 8259 (quote,
 * backslash and control characters; other bytes pass through, as cJSON
 * passes UTF-8 through).
 */
#include "analyzer/jsonw.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init(struct jsonw *w, size_t max_bytes)
{
	memset(w, 0, sizeof(*w));
	w->max = max_bytes;
}

void jsonw_free(struct jsonw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

/* Room for n more bytes (and a NUL); false when the writer failed. */
static bool reserve(struct jsonw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 4096;
	char *nb;

	if (w->failed)
		return false;
	if (w->len + n + 1 <= w->cap)
		return true;
	if (w->len + n + 1 > w->max) {
		w->failed = true;
		return false;
	}
	while (cap < w->len + n + 1)
		cap *= 2;
	cap = cap > w->max ? w->max : cap;
	nb = realloc(w->buf, cap);
	if (!nb) {
		w->failed = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

static void put(struct jsonw *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* The separator before a value (or key) at the current level. */
static void sep(struct jsonw *w)
{
	if (w->comma)
		put(w, ",", 1);
	w->comma = true;
}

void jsonw_open(struct jsonw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	w->comma = false;
}

void jsonw_close(struct jsonw *w, char c)
{
	put(w, &c, 1);
	w->comma = true;
}

void jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_str(w, key);
	put(w, ":", 1);
	w->comma = false;
}

/* The escape of byte c (a quote, a backslash or a control character). */
static void put_escape(struct jsonw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
	const char *named = NULL;

	switch (c) {
	case '"':
		named = "\\\"";
		break;
	case '\\':
		named = "\\\\";
		break;
	case '\n':
		named = "\\n";
		break;
	case '\r':
		named = "\\r";
		break;
	case '\t':
		named = "\\t";
		break;
	case '\b':
		named = "\\b";
		break;
	case '\f':
		named = "\\f";
		break;
	default:
		break;
	}
	if (named)
		put(w, named, 2);
	else
		put(w, esc, 6);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	const char *run = s;

	sep(w);
	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, run, (size_t)(s - run));
		run = s + 1;
		put_escape(w, c);
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* Decimal digits of v (|v| < 2^31) into the end of buf; returns the start. */
static char *itoa_end(char *end, long long v)
{
	unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;

	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--end = '-';
	return end;
}

void jsonw_num(struct jsonw *w, double v)
{
	char buf[32], *p;
	double back;
	int n;

	sep(w);
	if (!isfinite(v)) {
		put(w, "null", 4);
		return;
	}
	if (v >= INT_MIN && v <= INT_MAX && v == (double)(int)v && !(v == 0 && signbit(v))) {
		p = itoa_end(buf + sizeof(buf), (int)v);
		put(w, p, (size_t)(buf + sizeof(buf) - p));
		return;
	}
	/* cJSON's test: %1.15g unless reading it back differs by more than
	 * an ulp-sized relative error */
	n = snprintf(buf, sizeof(buf), "%1.15g", v);
	back = strtod(buf, NULL);
	if (fabs(back - v) > fmax(fabs(back), fabs(v)) * DBL_EPSILON)
		n = snprintf(buf, sizeof(buf), "%1.17g", v);
	put(w, buf, (size_t)n);
}

char *jsonw_take(struct jsonw *w, size_t *len)
{
	char *text = NULL;

	if (!w->failed && reserve(w, 0)) {
		w->buf[w->len] = '\0';
		text = w->buf;
		*len = w->len;
		w->buf = NULL;
	}
	jsonw_free(w);
	return text;
}
