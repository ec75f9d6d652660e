/*
 * analyzer/config.c: sFlow-RT style system properties (see config.h).
 *
 * One table lists every known property with its type and, when it has a
 * typed field in struct analyzer_config, that field's offset. Lines are
 * `name=value` (Java properties also allow `name: value` and `name value`;
 * all three are accepted), '#' or '!' comments. Every pair, known or not,
 * is kept in props[] in order; typed fields take the last value set. The
 * first error stops the load: the reason names the file and line, or the
 * -D argument. Input is capped (file size, line length, pair count) so a
 * hostile file costs bounded memory.
 */
#include "analyzer/config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONFIG_MAX_FILE_BYTES (1u << 20)
#define CONFIG_MAX_LINE 4096
#define CONFIG_NO_FIELD ((size_t)-1)

enum config_type {
	CT_STR,      /* any non-empty text */
	CT_BOOL,     /* yes/no/true/false/on/off/1/0 */
	CT_PORT,     /* 1..65535 */
	CT_U32,      /* 0..UINT32_MAX */
	CT_SECS,     /* whole seconds 1..10^7, stored as ms */
	CT_SPEED,    /* finite double >= 0 */
	CT_RCVPKTS,  /* packets 1..10^6, stored as bytes (x 2048) */
	CT_WORKERS,  /* 0 (= cores) .. 256 */
	CT_INDENT,   /* bool, or indent 0..16 */
	CT_PROMNAME, /* Prometheus metric name prefix: [A-Za-z_:][A-Za-z0-9_:]* */
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t off;         /* field in struct analyzer_config, or CONFIG_NO_FIELD */
};

#define F(field) offsetof(struct analyzer_config, field)

static const struct config_key config_keys[] = {
	{ "http.port", CT_PORT, F(http_port) },
	{ "http.hostname", CT_STR, F(http_hostname) },
	{ "http.readonly", CT_BOOL, F(http_readonly) },
	{ "http.log", CT_BOOL, CONFIG_NO_FIELD },
	{ "http.html", CT_BOOL, CONFIG_NO_FIELD },
	{ "http.html.redirect", CT_STR, CONFIG_NO_FIELD },
	{ "http.rest", CT_BOOL, CONFIG_NO_FIELD },
	{ "http.json.indent", CT_INDENT, CONFIG_NO_FIELD },
	{ "sflow.port", CT_PORT, F(sflow_port) },
	{ "sflow.hostname", CT_STR, F(sflow_hostname) },
	{ "sflow.file", CT_STR, F(sflow_file) },
	{ "sflow.file.speed", CT_SPEED, F(sflow_file_speed) },
	{ "sflow.rcvpktsbuffer", CT_RCVPKTS, F(sflow_rcvbuf_bytes) },
	{ "workers.number", CT_WORKERS, F(workers) },
	{ "workers.maxqueue", CT_U32, CONFIG_NO_FIELD },
	{ "agents.timeout", CT_SECS, F(agents_timeout_ms) },
	{ "datasources.timeout", CT_SECS, F(datasources_timeout_ms) },
	{ "agents.max", CT_U32, F(agents_max) },
	{ "datasources.max", CT_U32, F(datasources_max) },
	{ "script.store", CT_STR, F(script_store) },
	{ "script.file", CT_STR, CONFIG_NO_FIELD },
	{ "script.memory", CT_U32, CONFIG_NO_FIELD },
	{ "script.timeout", CT_U32, CONFIG_NO_FIELD },
	{ "app.dir", CT_STR, CONFIG_NO_FIELD },
	{ "bgp.start", CT_BOOL, CONFIG_NO_FIELD },
	{ "bgp.port", CT_PORT, CONFIG_NO_FIELD },
	{ "geo.country", CT_STR, CONFIG_NO_FIELD },
	{ "geo.asn", CT_STR, CONFIG_NO_FIELD },
	{ "oui.names", CT_STR, CONFIG_NO_FIELD },
	{ "dns.servers", CT_STR, CONFIG_NO_FIELD },
	{ "events.max", CT_U32, CONFIG_NO_FIELD },
	{ "flows.max", CT_U32, CONFIG_NO_FIELD },
	{ "flow.cache.max", CT_U32, CONFIG_NO_FIELD },
	{ "prometheus.metric.prefix", CT_PROMNAME, CONFIG_NO_FIELD },
	{ "prometheus.type", CT_BOOL, CONFIG_NO_FIELD },
};

#define CONFIG_NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

/* Where a pair came from, for messages: "file:line" or "-Dname". */
struct config_src {
	const char *file;
	unsigned line;         /* 0: a -D argument */
};

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs("analyzer/config: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *fmt_err(const struct config_src *src, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "file:line: reason" or "-Dname: reason"; caller frees. */
static char *fmt_err(const struct config_src *src, const char *name, const char *fmt, ...)
{
	char why[512], *out = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if ((src->line ? asprintf(&out, "%s:%u: %s", src->file, src->line, why)
		       : asprintf(&out, "-D%s: %s", name ? name : "", why)) == -1)
		abort();
	return out;
}

static const struct config_key *find_key(const char *name)
{
	for (size_t i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/* Levenshtein distance of two short strings, capped at 3. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64], prev_diag, tmp;

	if (la >= 63 || lb >= 63)
		return 3;
	if ((la > lb ? la - lb : lb - la) > 2)
		return 3;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		prev_diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev_diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev_diag = tmp;
		}
	}
	return row[lb] > 3 ? 3 : row[lb];
}

/* A known name within edit distance 2 of an unknown `name`, or NULL. */
static const char *near_key(const char *name)
{
	for (size_t i = 0; i < CONFIG_NKEYS; i++)
		if (edit_distance(name, config_keys[i].name) <= 2)
			return config_keys[i].name;
	return NULL;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Decimal unsigned in [lo, hi]; no sign, no trailing junk. */
static int parse_ulong(const char *v, unsigned long long lo, unsigned long long hi,
		       unsigned long long *out)
{
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

static bool valid_prom_prefix(const char *v)
{
	for (size_t i = 0; v[i]; i++) {
		char c = v[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
			  (i > 0 && c >= '0' && c <= '9');

		if (!ok)
			return false;
	}
	return true;
}

/* A parsed value, before it is stored. */
struct config_val {
	unsigned long long u;
	double d;
	bool b;
};

static int parse_speed(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	return !*v || *end || errno || !isfinite(*out) || *out < 0 || *out > 1e6 ? -1 : 0;
}

/* Check v against type t into *out. 0, or -1 with *why set to a static
 * reason. */
static int parse_value(enum config_type t, const char *v, struct config_val *out,
		       const char **why)
{
	switch (t) {
	case CT_STR:
		*why = "expected a value";
		return *v ? 0 : -1;
	case CT_BOOL:
		*why = "expected yes, no, true or false";
		return parse_bool(v, &out->b);
	case CT_PORT:
		*why = "expected a port number 1..65535";
		return parse_ulong(v, 1, 65535, &out->u);
	case CT_U32:
		*why = "expected a whole number 0..4294967295";
		return parse_ulong(v, 0, UINT32_MAX, &out->u);
	case CT_SECS:
		*why = "expected seconds 1..10000000";
		return parse_ulong(v, 1, 10000000, &out->u);
	case CT_SPEED:
		*why = "expected a number >= 0 (1 = recorded pace, 0 = as fast as possible)";
		return parse_speed(v, &out->d);
	case CT_RCVPKTS:
		*why = "expected packets 1..1000000";
		return parse_ulong(v, 1, 1000000, &out->u);
	case CT_WORKERS:
		*why = "expected 0 (one per core) .. 256";
		return parse_ulong(v, 0, 256, &out->u);
	case CT_INDENT:
		*why = "expected yes, no or an indent 0..16";
		return parse_bool(v, &out->b) == 0 || parse_ulong(v, 0, 16, &out->u) == 0 ? 0 : -1;
	case CT_PROMNAME:
		*why = "expected a Prometheus name prefix ([A-Za-z_:][A-Za-z0-9_:]*)";
		return valid_prom_prefix(v) ? 0 : -1;
	}
	*why = "unknown type";
	return -1;
}

/* Store a checked value in k's field of c (k has one). */
static void store_value(struct analyzer_config *c, const struct config_key *k, const char *v,
			const struct config_val *val)
{
	char *field = (char *)c + k->off;

	switch (k->type) {
	case CT_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		break;
	case CT_BOOL: *(bool *)field = val->b; break;
	case CT_PORT: *(uint16_t *)field = (uint16_t)val->u; break;
	case CT_U32: *(uint32_t *)field = (uint32_t)val->u; break;
	case CT_SECS: *(uint64_t *)field = val->u * 1000; break;
	case CT_SPEED: memcpy(field, &val->d, sizeof(val->d)); break;
	case CT_RCVPKTS: *(uint32_t *)field = (uint32_t)(val->u * 2048); break;
	case CT_WORKERS: *(unsigned *)field = (unsigned)val->u; break;
	case CT_INDENT:
	case CT_PROMNAME:
		break;
	}
}

/* Check v against k's type and store it in c when k has a field. 0 or -1
 * with *why set to a static reason. */
static int apply_value(struct analyzer_config *c, const struct config_key *k, const char *v,
		       const char **why)
{
	struct config_val val = { 0 };

	if (parse_value(k->type, v, &val, why) == -1)
		return -1;
	if (k->off != CONFIG_NO_FIELD)
		store_value(c, k, v, &val);
	return 0;
}

static void add_warning(struct analyzer_config *c, char *w)
{
	if (c->warning_count < ANALYZER_CONFIG_MAX_WARNINGS)
		c->warnings[c->warning_count++] = w;
	else
		free(w);
}

/* Record one pair: validate, store, keep. NULL, or the error (caller frees). */
static char *config_set(struct analyzer_config *c, const struct config_src *src,
			const char *name, const char *value)
{
	const struct config_key *k = find_key(name);
	const char *why = NULL, *near;

	if (!*name)
		return fmt_err(src, name, "expected name=value");
	if (c->prop_count >= ANALYZER_CONFIG_MAX_PROPS)
		return fmt_err(src, name, "more than %d properties", ANALYZER_CONFIG_MAX_PROPS);
	if (k && apply_value(c, k, value, &why) == -1)
		return fmt_err(src, name, "%s: bad value \"%.64s\": %s", name, value, why);
	if (!k && (near = near_key(name)) != NULL)
		add_warning(c, fmt_err(src, name, "warning: unknown property %s (did you mean %s?)",
				       name, near));
	c->props[c->prop_count].name = xstrdup(name);
	c->props[c->prop_count].value = xstrdup(value);
	c->prop_count++;
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* One file line (NUL-terminated, modified in place). NULL or the error. */
static char *config_line(struct analyzer_config *c, const struct config_src *src, char *line)
{
	char *s = trim(line), *sep, *name, *value;

	if (!*s || *s == '#' || *s == '!')
		return NULL;
	sep = strpbrk(s, "=: \t");
	if (!sep)
		return fmt_err(src, NULL, "expected name=value, got \"%.64s\"", s);
	if (*sep == ' ' || *sep == '\t') {
		char *after = sep + strspn(sep, " \t");

		if (*after == '=' || *after == ':')
			*sep = '\0', sep = after;
	}
	*sep = '\0';
	name = trim(s);
	value = trim(sep + 1);
	if (!*name)
		return fmt_err(src, NULL, "expected name=value, got an empty name");
	return config_set(c, src, name, value);
}

/* Walk text (len bytes) line by line. NULL or the first error. */
static char *config_text(struct analyzer_config *c, const char *file, const char *text, size_t len)
{
	struct config_src src = { file, 0 };
	char line[CONFIG_MAX_LINE + 1];
	size_t i = 0;

	while (i < len) {
		size_t start = i, n;
		char *err;

		while (i < len && text[i] != '\n')
			i++;
		n = i - start;
		i++;
		src.line++;
		if (n > CONFIG_MAX_LINE)
			return fmt_err(&src, NULL, "line longer than %d bytes", CONFIG_MAX_LINE);
		memcpy(line, text + start, n);
		line[n] = '\0';
		if (strlen(line) != n)
			return fmt_err(&src, NULL, "NUL byte in line");
		err = config_line(c, &src, line);
		if (err)
			return err;
	}
	return NULL;
}

/* Read `path` whole. NULL or the error ("path: reason"); *text caller frees. */
static char *read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf, *err = NULL;

	*text = NULL;
	if (!f)
		return asprintf(&err, "%s: %s", path, strerror(errno)) == -1 ? NULL : err;
	buf = malloc(CONFIG_MAX_FILE_BYTES + 1);
	if (!buf)
		abort();
	*len = fread(buf, 1, CONFIG_MAX_FILE_BYTES + 1, f);
	if (ferror(f) || *len > CONFIG_MAX_FILE_BYTES) {
		if (asprintf(&err, "%s: %s", path, ferror(f) ? "read error" : "file larger than 1 MB") ==
		    -1)
			err = NULL;
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*text = buf;
	return err;
}

static void config_defaults(struct analyzer_config *c)
{
	c->http_port = 8008;
	c->sflow_port = 6343;
	c->sflow_file_speed = 1;
	c->sflow_rcvbuf_bytes = 1000 * 2048;
	c->agents_timeout_ms = 3600 * 1000ull;
	c->datasources_timeout_ms = 300 * 1000ull;
	c->agents_max = 100000;
	c->datasources_max = 10000;
	c->script_store = xstrdup("store");
}

/* The -D arguments, in order. NULL or the first error. */
static char *config_defs(struct analyzer_config *c, const char *const *defs, size_t n)
{
	struct config_src src = { "-D", 0 };

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(defs[i], '=');
		char name[256];
		char *err;

		if (!eq || eq == defs[i] || (size_t)(eq - defs[i]) >= sizeof(name))
			return fmt_err(&src, defs[i], "expected -Dname=value");
		memcpy(name, defs[i], (size_t)(eq - defs[i]));
		name[eq - defs[i]] = '\0';
		err = config_set(c, &src, name, eq + 1);
		if (err)
			return err;
	}
	return NULL;
}

struct analyzer_config *analyzer_config_load(const char *file, const char *const *defs,
					     size_t def_count, char **err)
{
	struct analyzer_config *c = calloc(1, sizeof(*c));
	const char *path = file ? file : ANALYZER_CONFIG_DEFAULT_FILE;
	char *text = NULL, *e = NULL;
	size_t len = 0;

	if (!c || !(c->props = calloc(ANALYZER_CONFIG_MAX_PROPS, sizeof(*c->props))))
		abort();
	config_defaults(c);
	if (file || access(path, F_OK) == 0) {
		e = read_file(path, &text, &len);
		if (!e && text)
			e = config_text(c, path, text, len);
		free(text);
	}
	if (!e)
		e = config_defs(c, defs, def_count);
	if (!e && c->workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c->workers = n > 0 ? (unsigned)(n > 256 ? 256 : n) : 1;
	}
	if (e) {
		analyzer_config_free(c);
		if (err)
			*err = e;
		else
			free(e);
		return NULL;
	}
	return c;
}

void analyzer_config_free(struct analyzer_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->prop_count; i++) {
		free(c->props[i].name);
		free(c->props[i].value);
	}
	free(c->props);
	for (size_t i = 0; i < c->warning_count; i++)
		free(c->warnings[i]);
	free(c->http_hostname);
	free(c->sflow_hostname);
	free(c->sflow_file);
	free(c->script_store);
	free(c);
}

const char *analyzer_config_get(const struct analyzer_config *c, const char *name)
{
	for (size_t i = c->prop_count; i-- > 0;)
		if (strcmp(c->props[i].name, name) == 0)
			return c->props[i].value;
	return NULL;
}
