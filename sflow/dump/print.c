/*
 * sflow/dump/print.c: the output sink (see print.h).
 *
 * Every append goes through reserve(), the one place that grows the
 * buffer and enforces PRINT_MAX_BYTES. Field names are written as the
 * pushed prefixes followed by the name, exactly as sflowtool concatenates
 * them. JSON layout follows sflowtool byte for byte: no space after ':',
 * list items separated by ',' and, with -J, a newline and one space per
 * nesting level before every item except the first of a list. Values are
 * escaped in JSON (sflowtool prints them raw, which breaks on '"').
 */
#include "sflow/dump/print.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sflow/dump/fmt.h"

#define PRINT_MIN_CAP 65536

void print_init(struct print *p, enum print_format format, bool pretty)
{
	memset(p, 0, sizeof(*p));
	p->format = format;
	p->pretty = pretty && format == PRINT_JSON;
	p->fields_on = format == PRINT_TEXT || format == PRINT_GREP || format == PRINT_JSON ||
		       format == PRINT_CUSTOM;
	p->scope = PRINT_SCOPE_DATAGRAM;
	p->ctx.agent[0] = '-';
}

void print_fini(struct print *p)
{
	for (size_t i = 0; i < p->custom.n; i++)
		free(p->custom.names[i]);
	free(p->custom.names);
	free(p->custom.values);
	free(p->custom.scope);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/* Make room for `n` more bytes; false (and overflow set) past the cap. */
static bool reserve(struct print *p, size_t n)
{
	size_t want = p->len + n, cap;
	char *nb;

	if (p->overflow)
		return false;
	if (want <= p->cap)
		return true;
	if (want > PRINT_MAX_BYTES) {
		p->overflow = true;
		return false;
	}
	cap = p->cap ? p->cap : PRINT_MIN_CAP;
	while (cap < want)
		cap *= 2;
	if (cap > PRINT_MAX_BYTES)
		cap = PRINT_MAX_BYTES;
	nb = realloc(p->buf, cap);
	if (!nb) {
		fputs("rtflow-dump: out of memory\n", stderr);
		abort();
	}
	p->buf = nb;
	p->cap = cap;
	return true;
}

void print_raw(struct print *p, const void *data, size_t n)
{
	if (n && reserve(p, n)) {
		memcpy(p->buf + p->len, data, n);
		p->len += n;
	}
}

static void put_char(struct print *p, char c)
{
	if (reserve(p, 1))
		p->buf[p->len++] = c;
}

static void put_str(struct print *p, const char *s)
{
	print_raw(p, s, strlen(s));
}

/*
 * printf into the buffer: the length is measured first so the text is
 * formatted in place, never cut. The argument list is walked twice.
 */
#define APPEND_FORMATTED(p, fmt)                                              \
	do {                                                                  \
		va_list ap_;                                                  \
		int n_;                                                       \
		va_start(ap_, fmt);                                           \
		n_ = vsnprintf(NULL, 0, fmt, ap_);                            \
		va_end(ap_);                                                  \
		if (n_ > 0 && reserve(p, (size_t)n_ + 1)) {                   \
			va_start(ap_, fmt);                                   \
			vsnprintf((p)->buf + (p)->len, (size_t)n_ + 1, fmt, ap_); \
			va_end(ap_);                                          \
			(p)->len += (size_t)n_;                               \
		}                                                             \
	} while (0)

/*
 * NOLINT below: clang-tidy 14's valist checker reports va_start'ed lists as
 * uninitialized when it analyzes several files in one run (`make lint`);
 * each file alone is clean.
 */
void print_fmt(struct print *p, const char *fmt, ...)
{
	APPEND_FORMATTED(p, fmt); // NOLINT(clang-analyzer-valist.Uninitialized)
}

/* Bytes that JSON strings cannot hold as they are: '"', '\\', controls. */
static bool json_needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* JSON string body; scans ahead for the (rare) bytes to escape and copies
 * the runs between them whole, as most values are plain. */
static void put_json_escaped(struct print *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	while (i < n) {
		size_t run = i;

		while (run < n && !json_needs_escape((unsigned char)s[run]))
			run++;
		print_raw(p, s + i, run - i);
		if (run == n)
			return;
		unsigned char c = (unsigned char)s[run];
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };

			print_raw(p, esc, 2);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			print_raw(p, esc, 6);
		}
		i = run + 1;
	}
}

/* Decimal digits of v at the end of a 24-byte buffer; returns the first. */
static char *utoa64(uint64_t v, char *end)
{
	char *s = end;

	do {
		*--s = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return s;
}

/* Append v in decimal and `sep` to out[*n]; out has room to spare. */
static void add_num(char *out, size_t *n, uint64_t v, char sep)
{
	char buf[24];
	char *s = utoa64(v, buf + sizeof(buf));
	size_t len = (size_t)(buf + sizeof(buf) - s);

	memcpy(out + *n, s, len);
	*n += len;
	out[(*n)++] = sep;
}

static void add_str(char *out, size_t *n, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	memcpy(out + *n, s, len);
	*n += len;
	out[(*n)++] = ' ';
}

/* -g: sflowtool's "%s %s %u %u %u:%u %s %s " before every line, built on
 * the stack and appended at once (it precedes every field). */
static void put_context(struct print *p)
{
	const struct print_context *c = &p->ctx;
	char line[sizeof(c->when) + sizeof(c->agent) + (size_t)8 * 24];
	size_t n = 0;

	add_str(line, &n, c->when, sizeof(c->when));
	add_str(line, &n, c->agent, sizeof(c->agent));
	add_num(line, &n, c->sub_agent_id, ' ');
	add_num(line, &n, c->seq, ' ');
	add_num(line, &n, c->ds_class, ':');
	add_num(line, &n, c->ds_index, ' ');
	add_num(line, &n, c->sample_tag >> 12, ':');
	add_num(line, &n, c->sample_tag & 0xfffu, ' ');
	add_num(line, &n, c->record_tag >> 12, ':');
	add_num(line, &n, c->record_tag & 0xfffu, ' ');
	print_raw(p, line, n);
}

static void json_indent(struct print *p)
{
	if (!p->pretty)
		return;
	put_char(p, '\n');
	for (unsigned i = 0; i < p->depth; i++)
		put_char(p, ' ');
}

/* Prefixes + name into `key` (for -L); returns its length. */
static size_t build_key(const struct print *p, const char *name, char *key, size_t cap)
{
	size_t n = 0;

	for (unsigned i = 0; i <= p->nprefix; i++) {
		const char *s = i < p->nprefix ? p->prefix[i] : name;
		size_t l = s ? strlen(s) : 0;

		if (l > cap - 1 - n)
			l = cap - 1 - n;
		if (l)
			memcpy(key + n, s, l);
		n += l;
	}
	key[n] = '\0';
	return n;
}

static void custom_store(struct print *p, const char *name, const char *value, size_t len)
{
	struct print_custom *c = &p->custom;
	char key[PRINT_MAX_VALUE + 1];

	build_key(p, name, key, sizeof(key));
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->names[i], key) != 0)
			continue;
		char *slot = c->values + i * (PRINT_MAX_VALUE + 1);

		if (len > PRINT_MAX_VALUE)
			len = PRINT_MAX_VALUE;
		memcpy(slot, value, len);
		slot[len] = '\0';
		c->scope[i] = (uint8_t)p->scope;
		if (p->scope == PRINT_SCOPE_SAMPLE)
			c->sample_fields++;
		return;
	}
}

static void put_name(struct print *p, const char *name, bool json)
{
	for (unsigned i = 0; i < p->nprefix; i++) {
		if (!p->prefix[i])
			continue;
		if (json)
			put_json_escaped(p, p->prefix[i], strlen(p->prefix[i]));
		else
			put_str(p, p->prefix[i]);
	}
	if (json)
		put_json_escaped(p, name, strlen(name));
	else
		put_str(p, name);
}

void print_field_mem(struct print *p, const char *name, const char *value, size_t len)
{
	switch (p->format) {
	case PRINT_GREP:
		put_context(p);
		/* fall through */
	case PRINT_TEXT:
		put_name(p, name, false);
		put_char(p, ' ');
		print_raw(p, value, len);
		put_char(p, '\n');
		break;
	case PRINT_JSON:
		if (!p->list_start)
			put_char(p, ',');
		p->list_start = false;
		json_indent(p);
		put_char(p, '"');
		put_name(p, name, true);
		print_raw(p, "\":\"", 3);
		put_json_escaped(p, value, len);
		put_char(p, '"');
		break;
	case PRINT_CUSTOM:
		custom_store(p, name, value, len);
		break;
	default:
		break;
	}
}

void print_field(struct print *p, const char *name, const char *value)
{
	if (p->fields_on)
		print_field_mem(p, name, value, strlen(value));
}

void print_u64(struct print *p, const char *name, uint64_t v)
{
	char buf[24];
	char *s;

	if (!p->fields_on)
		return;
	s = utoa64(v, buf + sizeof(buf));
	print_field_mem(p, name, s, (size_t)(buf + sizeof(buf) - s));
}

void print_u32(struct print *p, const char *name, uint32_t v)
{
	print_u64(p, name, v);
}

void print_fieldf(struct print *p, const char *name, const char *fmt, ...)
{
	char buf[PRINT_MAX_VALUE + 1];
	va_list ap;
	int n;

	if (!p->fields_on)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	print_field_mem(p, name, buf, (size_t)n);
}

void print_str(struct print *p, const char *name, const char *s, size_t len, size_t max)
{
	if (p->fields_on)
		print_field_mem(p, name, s, s ? fmt_cstr_len(s, len, max) : 0);
}

void print_mac(struct print *p, const char *name, const uint8_t *mac)
{
	char str[13];

	if (p->fields_on)
		print_field_mem(p, name, str, fmt_mac(str, mac));
}

void print_address(struct print *p, const char *name, const struct sfl_address *a)
{
	char str[FMT_ADDRESS_LEN];

	if (p->fields_on)
		print_field_mem(p, name, str, fmt_address(str, a));
}

void print_tag(struct print *p, const char *name, uint32_t tag)
{
	char str[24];

	if (p->fields_on)
		print_field_mem(p, name, str, fmt_tag(str, tag));
}

void print_cols(struct print *p, const void *base, const struct print_col *cols, size_t n)
{
	const char *b = base;

	if (!p->fields_on)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *m = b + cols[i].offset;
		uint32_t u32;
		uint64_t u64;
		float f;

		switch (cols[i].type) {
		case PRINT_COL_U64:
			memcpy(&u64, m, sizeof(u64));
			print_u64(p, cols[i].name, u64);
			break;
		case PRINT_COL_PCT:
			memcpy(&u32, m, sizeof(u32));
			if (u32 == UINT32_MAX)
				print_field(p, cols[i].name, "unknown");
			else
				print_fieldf(p, cols[i].name, "%.2f", (double)((float)u32 / 100.0f));
			break;
		case PRINT_COL_FLOAT:
			memcpy(&f, m, sizeof(f));
			print_fieldf(p, cols[i].name, "%.3f", (double)f);
			break;
		default:
			memcpy(&u32, m, sizeof(u32));
			print_u32(p, cols[i].name, u32);
			break;
		}
	}
}

void print_u32_prefixed(struct print *p, const char *prefix, const char *name, uint32_t v)
{
	print_push_prefix(p, prefix);
	print_u32(p, name, v);
	print_pop_prefix(p);
}

void print_log(struct print *p, const char *fmt, ...)
{
	if (p->format != PRINT_TEXT && p->format != PRINT_GREP)
		return;
	if (p->format == PRINT_GREP)
		put_context(p);
	APPEND_FORMATTED(p, fmt); // NOLINT(clang-analyzer-valist.Uninitialized)
}

void print_push_prefix(struct print *p, const char *prefix)
{
	if (p->nprefix < PRINT_MAX_PREFIX)
		p->prefix[p->nprefix++] = prefix;
}

void print_pop_prefix(struct print *p)
{
	if (p->nprefix > 0)
		p->nprefix--;
}

void print_json_open(struct print *p, const char *name, char bracket)
{
	if (p->format != PRINT_JSON)
		return;
	if (p->json_begin)
		p->json_begin = false;
	else if (!p->list_start) {
		put_char(p, ',');
		json_indent(p);
	}
	if (name) {
		put_char(p, '"');
		put_json_escaped(p, name, strlen(name));
		print_raw(p, "\":", 2);
	}
	put_char(p, bracket);
	if (p->depth < PRINT_MAX_DEPTH)
		p->json_close[p->depth] = (char)(bracket == '{' ? '}' : ']');
	p->depth++;
	p->list_start = true;
}

void print_json_close(struct print *p, char bracket)
{
	if (p->format != PRINT_JSON || p->depth == 0)
		return;
	p->depth--;
	json_indent(p);
	put_char(p, bracket);
	p->list_start = false;
}

void print_json_item(struct print *p, const char *value, bool first)
{
	if (p->format != PRINT_JSON)
		return;
	if (!first)
		put_char(p, ',');
	json_indent(p);
	put_char(p, '"');
	put_json_escaped(p, value, strlen(value));
	print_raw(p, "\" ", 2); /* sflowtool's trailing space, kept for byte equality */
}

void print_json_unwind(struct print *p, unsigned depth)
{
	while (p->format == PRINT_JSON && p->depth > depth) {
		char bracket = '}';

		if (p->depth <= PRINT_MAX_DEPTH)
			bracket = p->json_close[p->depth - 1];
		print_json_close(p, bracket);
	}
}

void print_datagram_begin(struct print *p)
{
	p->nprefix = 0;
	p->scope = PRINT_SCOPE_DATAGRAM;
	if (p->format == PRINT_JSON) {
		p->depth = 0;
		p->json_begin = true;
		print_json_open(p, NULL, '{');
	} else {
		print_log(p, "startDatagram =================================\n");
	}
}

void print_datagram_end(struct print *p)
{
	if (p->format == PRINT_JSON) {
		print_json_unwind(p, 0);
		put_char(p, '\n');
		if (p->pretty)
			put_char(p, '\n');
	} else {
		print_log(p, "endDatagram   =================================\n");
	}
	if (p->format == PRINT_CUSTOM)
		print_custom_clear(p, PRINT_SCOPE_DATAGRAM);
}

void print_reset(struct print *p)
{
	p->len = 0;
	p->overflow = false;
	p->nprefix = 0;
	p->depth = 0;
}

int print_custom_parse(struct print *p, const char *list)
{
	struct print_custom *c = &p->custom;
	const char *s = list;

	while (*s) {
		size_t len;

		s += strspn(s, " ,");
		len = strcspn(s, " ,");
		if (len == 0)
			break;
		c->names = realloc(c->names, (c->n + 1) * sizeof(*c->names));
		if (!c->names || !(c->names[c->n] = strndup(s, len))) {
			fputs("rtflow-dump: out of memory\n", stderr);
			abort();
		}
		c->n++;
		s += len;
	}
	if (c->n == 0)
		return -1;
	c->values = calloc(c->n, PRINT_MAX_VALUE + 1);
	c->scope = calloc(c->n, 1);
	if (!c->values || !c->scope) {
		fputs("rtflow-dump: out of memory\n", stderr);
		abort();
	}
	return 0;
}

void print_custom_line(struct print *p)
{
	struct print_custom *c = &p->custom;

	if (p->format != PRINT_CUSTOM || c->sample_fields == 0)
		return;
	for (size_t i = 0; i < c->n; i++) {
		if (i > 0)
			put_char(p, ',');
		put_str(p, c->values + i * (PRINT_MAX_VALUE + 1));
	}
	put_char(p, '\n');
	c->sample_fields = 0;
}

void print_custom_clear(struct print *p, enum print_scope scope)
{
	struct print_custom *c = &p->custom;

	for (size_t i = 0; i < c->n; i++) {
		if (c->scope[i] == scope) {
			c->values[i * (PRINT_MAX_VALUE + 1)] = '\0';
			c->scope[i] = 0;
		}
	}
	c->sample_fields = 0;
}
