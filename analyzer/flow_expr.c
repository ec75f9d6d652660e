/*
 * analyzer/flow_expr.c: key expressions (see flow_expr.h).
 *
 * Text form: a key name, or fn:arg:arg... where an argument is a nested
 * expression in [...], a key name, or a literal (which arguments are
 * expressions depends on the function, see fns[]); "\:" is a ':' inside
 * an argument. Evaluation writes into the caller's buffer and nested
 * calls use buffers on the stack (depth <= FLOW_EXPR_DEPTH_MAX).
 */
#include "analyzer/flow_expr.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_addr.h"
#include "analyzer/flow_dns.h"
#include "analyzer/flow_group.h"

enum fx_kind { FX_KEY, FX_LIT, FX_FN };

enum fx_fn {
	FN_GROUP,
	FN_COUNTRY,
	FN_ASN,
	FN_OUI,
	FN_DNS,
	FN_PREFIX,
	FN_SUFFIX,
	FN_FIRST,
	FN_MASK,
	FN_BITS,
	FN_NULL,
	FN_OR,
	FN_EQ,
	FN_RANGE,
	FN_IF,
	FN_MAP,
	FN_LINK,
	FN_CONCAT,
	FN_URI,
};

#define ALL_REST 0x80000000u /* expr_args bit: every argument from here on */

struct fn_def {
	const char *name;
	enum fx_fn fn;
	uint8_t min, max;   /* argument counts */
	uint32_t expr_args; /* bit i: argument i is an expression */
};

static const struct fn_def fns[] = {
	{ "group", FN_GROUP, 2, FLOW_EXPR_ARGS_MAX, 1 },
	{ "country", FN_COUNTRY, 1, 2, 1 },
	{ "asn", FN_ASN, 1, 2, 1 },
	{ "oui", FN_OUI, 1, 2, 1 },
	{ "dns", FN_DNS, 1, 1, 1 },
	{ "prefix", FN_PREFIX, 3, 3, 1 },
	{ "suffix", FN_SUFFIX, 3, 3, 1 },
	{ "first", FN_FIRST, 3, FLOW_EXPR_ARGS_MAX, 1 },
	{ "mask", FN_MASK, 2, 2, 1 },
	{ "bits", FN_BITS, 2, 2, 1 },
	{ "null", FN_NULL, 1, 2, 1 },
	{ "or", FN_OR, 2, FLOW_EXPR_ARGS_MAX, 1 | ALL_REST },
	{ "eq", FN_EQ, 2, 2, 3 },
	{ "range", FN_RANGE, 2, 3, 1 },
	{ "if", FN_IF, 4, 4, 1 | 4 | 8 },
	{ "map", FN_MAP, 2, 2, 1 },
	{ "link", FN_LINK, 1, 1, 1 },
	{ "concat", FN_CONCAT, 2, FLOW_EXPR_ARGS_MAX, 2 | ALL_REST },
	{ "uri", FN_URI, 2, 2, 1 },
};

struct flow_expr {
	enum fx_kind kind;
	struct flow_key_ref key; /* FX_KEY */
	char *lit;               /* FX_LIT */
	uint16_t lit_len;        /* its length, cut to FLOW_VAL_TEXT_MAX */
	long long num;           /* FX_LIT read as a number (strtoll, base 0) */
	const struct fn_def *fn; /* FX_FN */
	struct flow_expr *arg[FLOW_EXPR_ARGS_MAX];
	uint8_t nargs;
};

void flow_expr_free(struct flow_expr *x)
{
	if (!x)
		return;
	for (uint8_t i = 0; i < x->nargs; i++)
		flow_expr_free(x->arg[i]);
	free(x->lit);
	free(x);
}

/* Split s[0..len) at top-level ':' (outside [...], not escaped): the
 * tokens' starts and lengths; their count, or -1. */
static int split(const char *s, size_t len, const char **tok, size_t *tlen, int max)
{
	int n = 0, depth = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (i < len && s[i] == '[')
			depth++;
		else if (i < len && s[i] == ']' && --depth < 0)
			return -1;
		if (i == len || (s[i] == ':' && depth == 0)) {
			if (n == max)
				return -1;
			tok[n] = s + start;
			tlen[n++] = i - start;
			start = i + 1;
		}
	}
	return depth == 0 ? n : -1;
}

static struct flow_expr *expr_new(enum fx_kind kind)
{
	struct flow_expr *x = calloc(1, sizeof(*x));

	if (x)
		x->kind = kind;
	return x;
}

/* A literal argument with "\:" (and any "\c") unescaped. */
static struct flow_expr *literal(const char *s, size_t len)
{
	struct flow_expr *x = expr_new(FX_LIT);
	size_t n = 0;

	if (!x || !(x->lit = malloc(len + 1))) {
		free(x);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		x->lit[n++] = s[i];
	}
	x->lit[n] = '\0';
	x->lit_len = (uint16_t)(n < FLOW_VAL_TEXT_MAX ? n : FLOW_VAL_TEXT_MAX);
	x->num = strtoll(x->lit, NULL, 0);
	return x;
}

static struct flow_expr *parse_depth(const char *s, size_t len, int depth, char *err,
				     size_t errlen);

/* A key name, or a nested [expression]. */
static struct flow_expr *expr_arg(const char *s, size_t len, int depth, char *err, size_t errlen)
{
	char name[FLOW_KEY_NAME_MAX];
	struct flow_expr *x;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']')
		return parse_depth(s + 1, len - 2, depth + 1, err, errlen);
	if (len == 0 || len >= sizeof(name)) {
		snprintf(err, errlen, "bad key name '%.*s'", (int)(len > 64 ? 64 : len), s);
		return NULL;
	}
	memcpy(name, s, len);
	name[len] = '\0';
	x = expr_new(FX_KEY);
	if (x && flow_key_resolve(name, &x->key) == -1) {
		snprintf(err, errlen, "bad key name '%s'", name);
		free(x);
		return NULL;
	}
	return x;
}

static const struct fn_def *fn_find(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (strlen(fns[i].name) == len && memcmp(fns[i].name, s, len) == 0)
			return &fns[i];
	return NULL;
}

static bool is_expr_arg(const struct fn_def *f, int i)
{
	if (f->expr_args & (1u << i))
		return true;
	for (int j = i; j >= 0; j--)
		if ((f->expr_args & ALL_REST) && (f->expr_args & (1u << j)))
			return true;
	return false;
}

static struct flow_expr *parse_depth(const char *s, size_t len, int depth, char *err, size_t errlen)
{
	const char *tok[FLOW_EXPR_ARGS_MAX + 1];
	size_t tlen[FLOW_EXPR_ARGS_MAX + 1];
	const struct fn_def *f;
	struct flow_expr *x;
	int n;

	if (depth > FLOW_EXPR_DEPTH_MAX) {
		snprintf(err, errlen, "key functions nested deeper than %d", FLOW_EXPR_DEPTH_MAX);
		return NULL;
	}
	n = split(s, len, tok, tlen, FLOW_EXPR_ARGS_MAX + 1);
	if (n < 0) {
		snprintf(err, errlen, "unbalanced [ ] or too many arguments in '%.*s'",
			 (int)(len > 64 ? 64 : len), s);
		return NULL;
	}
	if (n == 1)
		return expr_arg(s, len, depth, err, errlen);
	f = fn_find(tok[0], tlen[0]);
	if (!f) {
		snprintf(err, errlen, "unknown function '%.*s'", (int)(tlen[0] > 32 ? 32 : tlen[0]),
			 tok[0]);
		return NULL;
	}
	if (n - 1 < f->min || n - 1 > f->max) {
		snprintf(err, errlen, "%s: expected %u to %u arguments, got %d", f->name, f->min,
			 f->max, n - 1);
		return NULL;
	}
	x = expr_new(FX_FN);
	if (!x)
		return NULL;
	x->fn = f;
	for (int i = 1; i < n; i++) {
		x->arg[x->nargs] = is_expr_arg(f, i - 1) ?
					   expr_arg(tok[i], tlen[i], depth, err, errlen) :
					   literal(tok[i], tlen[i]);
		if (!x->arg[x->nargs]) {
			flow_expr_free(x);
			return NULL;
		}
		x->nargs++;
	}
	return x;
}

struct flow_expr *flow_expr_parse(const char *s, size_t len, char *err, size_t errlen)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return parse_depth(s, len, 0, err, errlen);
}

/* ---- evaluation ------------------------------------------------------------ */


static int put_str(char *b, size_t cap, const char *s)
{
	return s ? flow_text_put(b, cap, s, strlen(s)) : -1;
}

#define EVAL_ARG(i, buf) flow_expr_eval(x->arg[i], env, fs, buf, sizeof(buf))

/* prefix (first n tokens) and suffix (last n) of v split by delim */
static int fn_affix(char *v, int vn, const char *delim, long n, bool prefix, char *b, size_t cap)
{
	size_t dl = strlen(delim);
	int count = 0, start = 0, end = vn;

	if (dl == 0 || n <= 0)
		return -1;
	if (prefix) {
		for (int i = 0; i + (int)dl <= vn; i++)
			if (memcmp(v + i, delim, dl) == 0 && ++count == n) {
				end = i;
				break;
			}
	} else {
		for (int i = vn - (int)dl; i >= 0; i--)
			if (memcmp(v + i, delim, dl) == 0 && ++count == n) {
				start = i + (int)dl;
				break;
			}
	}
	return flow_text_put(b, cap, v + start, (size_t)(end - start));
}

/* the first token of v (split by delim) that is one of the listed ones */
static int fn_first(const struct flow_expr *x, char *v, char *b, size_t cap)
{
	const char *delim = x->arg[1]->lit;
	char *save = NULL;

	if (!delim[0])
		return -1;
	for (char *t = strtok_r(v, delim, &save); t; t = strtok_r(NULL, delim, &save))
		for (uint8_t i = 2; i < x->nargs; i++)
			if (strcmp(t, x->arg[i]->lit) == 0)
				return put_str(b, cap, t);
	return -1;
}

/* The first `bits` (0..64) of a 64-bit big-endian word as a mask in
 * memory order. */
static uint64_t mask_word(long long bits)
{
	uint64_t m = bits <= 0 ? 0 : bits >= 64 ? ~0ull : ~0ull << (64 - bits);

	return htobe64(m);
}

/* mask:<addr>:<bits>: v with only its first bits kept, into *out (which
 * may be v). Word loads and stores of the address, no whole-struct copy:
 * v was usually written a moment ago and a wide reload would stall. */
static const struct flow_val *fn_mask(const struct flow_val *v, long long bits,
				      struct flow_val *out)
{
	char t[INET6_ADDRSTRLEN];
	uint8_t a[16];
	uint64_t w[2];
	uint32_t w4;
	uint8_t type = v->type;

	if (type == FLOW_V_TEXT) { /* an address from a map, an rtflow string ... */
		if (flow_val_format(v, t, sizeof(t)) < 0)
			return NULL;
		type = flow_ip4_parse(t, a) ? FLOW_V_IP4 :
		       inet_pton(AF_INET6, t, a) == 1 ? FLOW_V_IP6 :
							FLOW_V_NULL;
	} else if (type == FLOW_V_IP4 || type == FLOW_V_IP6) {
		memcpy(a, v->a, type == FLOW_V_IP4 ? 4 : 16);
	}
	if ((type != FLOW_V_IP4 && type != FLOW_V_IP6) || bits < 0 ||
	    bits > (type == FLOW_V_IP4 ? 32 : 128))
		return NULL;
	out->type = type;
	if (type == FLOW_V_IP4) {
		memcpy(&w4, a, 4);
		w4 &= htonl(bits == 0 ? 0 : ~0u << (32 - bits));
		memcpy(out->a, &w4, 4);
		return out;
	}
	memcpy(w, a, 16);
	w[0] &= mask_word(bits);
	w[1] &= mask_word(bits - 64);
	memcpy(out->a, w, 16);
	return out;
}

static int fn_num(char *b, size_t cap, unsigned long long v)
{
	char t[24];

	return flow_text_put(b, cap, t, (size_t)snprintf(t, sizeof(t), "%llu", v));
}

static int fn_range(const char *v, const struct flow_expr *x, char *b, size_t cap)
{
	char *end;
	double d = strtod(v, &end), lo, hi;

	if (end == v || *end)
		return -1;
	lo = strtod(x->arg[1]->lit, NULL);
	hi = x->nargs > 2 ? strtod(x->arg[2]->lit, NULL) : d;
	return put_str(b, cap, d >= lo && d <= hi ? "true" : "false");
}

struct uri_parts {
	const char *scheme, *host, *port, *path, *query, *frag;
	size_t scheme_len, host_len, port_len, path_len, query_len, frag_len;
};

/* scheme://host:port/path?query#fragment, any part but the path optional */
static void uri_split(const char *v, struct uri_parts *u)
{
	const char *se = strstr(v, "://"), *p = v, *colon;

	memset(u, 0, sizeof(*u));
	if (se) {
		u->scheme = v;
		u->scheme_len = (size_t)(se - v);
		u->host = se + 3;
		u->host_len = strcspn(u->host, "/?#");
		p = u->host + u->host_len;
		colon = memchr(u->host, ':', u->host_len);
		if (colon) {
			u->port = colon + 1;
			u->port_len = u->host_len - (size_t)(colon + 1 - u->host);
			u->host_len = (size_t)(colon - u->host);
		}
	}
	u->path = p;
	u->path_len = strcspn(p, "?#");
	if (p[u->path_len] == '?') {
		u->query = p + u->path_len + 1;
		u->query_len = strcspn(u->query, "#");
	}
	u->frag = strchr(p, '#');
	if (u->frag)
		u->frag_len = strlen(++u->frag);
}

/* The last path segment (file), or what follows its last '.' (extension). */
static int uri_file(const struct uri_parts *u, bool ext, char *b, size_t cap)
{
	const char *end = u->path + u->path_len, *file = u->path, *dot = NULL;

	for (const char *s = u->path; s < end; s++)
		if (*s == '/')
			file = s + 1;
	for (const char *s = file; s < end; s++)
		if (*s == '.')
			dot = s;
	if (!ext)
		return file < end ? flow_text_put(b, cap, file, (size_t)(end - file)) : -1;
	return dot ? flow_text_put(b, cap, dot + 1, (size_t)(end - dot - 1)) : -1;
}

/* uri:<key>:<part> with part scheme (or protocol), host, port, path, file,
 * extension, query or fragment of an absolute or relative URL */
static int uri_part(const struct uri_parts *u, const char *part, char *b, size_t cap)
{
	const struct {
		const char *name, *s;
		size_t n;
	} parts[] = {
		{ "scheme", u->scheme, u->scheme_len }, { "protocol", u->scheme, u->scheme_len },
		{ "host", u->host, u->host_len },       { "port", u->port, u->port_len },
		{ "path", u->path, u->path_len },       { "query", u->query, u->query_len },
		{ "fragment", u->frag, u->frag_len }
	};

	if (!strcmp(part, "file") || !strcmp(part, "extension"))
		return uri_file(u, part[0] == 'e', b, cap);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!strcmp(part, parts[i].name))
			return parts[i].s ? flow_text_put(b, cap, parts[i].s, parts[i].n) : -1;
	return -1;
}

static int fn_uri(const char *v, const char *part, char *b, size_t cap)
{
	struct uri_parts u;

	uri_split(v, &u);
	return uri_part(&u, part, b, cap);
}

static int fn_lookup(const struct flow_expr *x, const struct flow_env *env, const char *v, char *b,
		     size_t cap)
{
	const char *what = x->nargs > 1 ? x->arg[1]->lit : "";

	switch (x->fn->fn) {
	case FN_COUNTRY:
		return flow_geo_country(env->geo, v, b, cap);
	case FN_ASN:
		return flow_geo_asn(env->geo, v,
				    !strcmp(what, "descr") ? 1 :
				    !strcmp(what, "both")  ? 2 :
							     0,
				    b, cap);
	case FN_OUI:
		if (!strcmp(what, "number"))
			return strlen(v) >= 6 ? flow_text_put(b, cap, v, 6) : -1;
		return put_str(b, cap, flow_oui_name(env->oui, v));
	case FN_DNS:
		return env->dns ? flow_dns_name(env->dns, v, b, cap) : put_str(b, cap, v);
	case FN_MAP:
		return put_str(b, cap, flow_maps_match(env->maps, x->arg[1]->lit, v));
	default:
		return -1;
	}
}

/* group:<addr>:<group>...: the label of the first group holding v, into
 * *out (which may be v) */
static const struct flow_val *fn_group(const struct flow_expr *x, const struct flow_env *env,
				       const struct flow_val *v, struct flow_val *out)
{
	char t[FLOW_KEY_VALUE_MAX];
	bool text = v->type != FLOW_V_IP4 && v->type != FLOW_V_IP6;
	const char *label = NULL;
	size_t len = 0;

	if (text && flow_val_format(v, t, sizeof(t)) < 0)
		return NULL;
	for (uint8_t i = 1; i < x->nargs && !label; i++)
		label = text ? flow_groups_match(env->groups, x->arg[i]->lit, t) :
			       flow_groups_match_addr(env->groups, x->arg[i]->lit, v->a,
						      v->type == FLOW_V_IP6, &len);
	if (!label)
		return NULL;
	out->type = FLOW_V_TEXT;
	out->s = label; /* lives as long as the groups */
	out->len = (uint16_t)(text ? strnlen(label, FLOW_VAL_TEXT_MAX) :
				     len < FLOW_VAL_TEXT_MAX ? len : FLOW_VAL_TEXT_MAX);
	return out;
}

/* Text functions over several expressions: eq, concat. */
static int fn_multi(const struct flow_expr *x, const struct flow_env *env, struct flow_sample *fs,
		    char *b, size_t cap)
{
	char t[FLOW_KEY_VALUE_MAX], u[FLOW_KEY_VALUE_MAX];
	int n = 0;

	switch (x->fn->fn) {
	case FN_EQ:
		if (EVAL_ARG(0, t) < 0 || EVAL_ARG(1, u) < 0)
			return -1;
		return put_str(b, cap, strcmp(t, u) == 0 ? "true" : "false");
	default: /* concat */
		for (uint8_t i = 1; i < x->nargs; i++) {
			if (EVAL_ARG(i, u) < 0)
				return -1;
			if (i > 1)
				n += snprintf(t + n, sizeof(t) - (size_t)n, "%s", x->arg[0]->lit);
			n += snprintf(t + n, sizeof(t) - (size_t)n, "%s", u);
			if ((size_t)n >= sizeof(t))
				n = (int)sizeof(t) - 1;
		}
		return flow_text_put(b, cap, t, (size_t)n);
	}
}

/* The functions that work on text: their value into b[0..cap). */
static int fn_eval(const struct flow_expr *x, const struct flow_env *env, struct flow_sample *fs,
		   char *b, size_t cap)
{
	char v[FLOW_KEY_VALUE_MAX];
	int vn;

	if (x->fn->fn == FN_EQ || x->fn->fn == FN_CONCAT)
		return fn_multi(x, env, fs, b, cap);
	if ((vn = EVAL_ARG(0, v)) < 0)
		return -1;
	switch (x->fn->fn) {
	case FN_PREFIX:
	case FN_SUFFIX:
		return fn_affix(v, vn, x->arg[1]->lit, (long)x->arg[2]->num, x->fn->fn == FN_PREFIX,
				b, cap);
	case FN_FIRST:
		return fn_first(x, v, b, cap);
	case FN_BITS:
		return fn_num(b, cap, strtoull(v, NULL, 10) & (unsigned long long)x->arg[1]->num);
	case FN_RANGE:
		return fn_range(v, x, b, cap);
	case FN_URI:
		return fn_uri(v, x->arg[1]->lit, b, cap);
	default:
		return fn_lookup(x, env, v, b, cap);
	}
}

static const struct flow_val *lit_val(const char *lit, uint16_t len, struct flow_val *out)
{
	out->type = FLOW_V_TEXT;
	out->s = lit;
	out->len = len;
	return out;
}

/* Functions that pass typed values through or work on addresses. */
static const struct flow_val *fn_get(const struct flow_expr *x, const struct flow_env *env,
				     struct flow_sample *fs, struct flow_val *tmp)
{
	char t[FLOW_KEY_VALUE_MAX];
	const struct flow_val *v;

	switch (x->fn->fn) {
	case FN_OR:
		for (uint8_t i = 0; i < x->nargs; i++)
			if ((v = flow_expr_get(x->arg[i], env, fs, tmp)))
				return v;
		return NULL;
	case FN_NULL:
		v = flow_expr_get(x->arg[0], env, fs, tmp);
		return v ? v : x->nargs > 1 ? lit_val(x->arg[1]->lit, x->arg[1]->lit_len, tmp) :
					       lit_val("null", 4, tmp);
	case FN_IF:
		if (EVAL_ARG(0, t) >= 0 && strcmp(t, x->arg[1]->lit) == 0)
			return flow_expr_get(x->arg[2], env, fs, tmp);
		return flow_expr_get(x->arg[3], env, fs, tmp);
	case FN_MASK:
		v = flow_expr_get(x->arg[0], env, fs, tmp);
		return v ? fn_mask(v, x->arg[1]->num, tmp) : NULL;
	default: /* FN_GROUP */
		v = flow_expr_get(x->arg[0], env, fs, tmp);
		return v ? fn_group(x, env, v, tmp) : NULL;
	}
}

const struct flow_val *flow_expr_get(const struct flow_expr *x, const struct flow_env *env,
				     struct flow_sample *fs, struct flow_val *tmp)
{
	char b[FLOW_KEY_VALUE_MAX];
	int n;

	switch (x->kind) {
	case FX_KEY:
		return flow_key_get(fs, &x->key, tmp);
	case FX_LIT:
		return lit_val(x->lit, x->lit_len, tmp);
	default:
		break;
	}
	switch (x->fn->fn) {
	case FN_OR:
	case FN_NULL:
	case FN_IF:
	case FN_MASK:
	case FN_GROUP:
		return fn_get(x, env, fs, tmp);
	case FN_LINK:
		return NULL; /* no topology yet: every link is null */
	default:
		n = fn_eval(x, env, fs, b, sizeof(b));
		return n >= 0 && flow_sample_text(fs, true, b, (size_t)n, tmp) ? tmp : NULL;
	}
}

const struct flow_key_ref *flow_expr_key(const struct flow_expr *x)
{
	return x->kind == FX_KEY ? &x->key : NULL;
}

int flow_expr_eval(const struct flow_expr *x, const struct flow_env *env, struct flow_sample *fs,
		   char *buf, size_t cap)
{
	uint16_t mark = fs->fn_text_used;
	struct flow_val tmp;
	const struct flow_val *v = flow_expr_get(x, env, fs, &tmp);
	int n = -1;

	if (v)
		n = flow_val_format(v, buf, cap);
	else if (cap)
		buf[0] = '\0';
	fs->fn_text_used = mark; /* the text is in buf now */
	return n;
}
