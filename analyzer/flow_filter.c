/*
 * analyzer/flow_filter.c: the filter grammar of reference/sflow-rt-api.md
 * §2.4, compiled to a tree:
 *
 *	expr := and { '|' and }      and := term { '&' term }
 *	term := '(' expr ')' | lhs op values
 *	op   := '=' | '!=' | '~' | '!~'     values := value { ',' value }
 *
 * lhs is a key or key function (flow_expr.h), optionally in single or
 * double quotes; a value may be quoted too. '=' holds when the key's value
 * is one of the values ("null" matches a missing key), '!=' when it is
 * none of them; '~' when one of the values, a POSIX extended regular
 * expression, matches the whole value (Java's full match), '!~' when none
 * does. A missing key matches only '=null', '!=' without null, and '!~'.
 * '&' binds tighter than '|'. Regexes are compiled once, here.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_addr.h"
#include "analyzer/flow_expr.h"

#define FILTER_VALUES_MAX    256
#define FILTER_RE_MAX        256 /* regex bytes */
#define FILTER_RE_BRACES_MAX 4   /* {n,m} quantifiers in one regex */
#define FILTER_RE_DUP_MAX    100 /* largest n or m of one */
#define FILTER_NODES_MAX     256

enum fnode_kind { FN_AND, FN_OR, FN_CMP };
enum fop { OP_EQ, OP_NE, OP_RE, OP_NRE };

/* A value of '=' or '!=' as the typed values that print as it: a key
 * value equals it when its print form is the same text, so a number only
 * equals a literal in canonical decimal, an address one in canonical
 * dotted form. */
struct flit {
	size_t len;
	bool is_u64, is_ip4;
	uint64_t u;
	uint8_t ip4[4];
};

struct fnode {
	enum fnode_kind kind;
	struct fnode *l, *r;
	struct flow_expr *lhs;
	enum fop op;
	char **vals;
	struct flit *lits; /* parallel to vals */
	regex_t *re;
	size_t nvals;
	bool has_null;
};

struct flow_filter {
	struct fnode *root;
};

struct fparse {
	const char *s;
	size_t pos, len;
	unsigned nodes;
	char *err;
	size_t errlen;
};

static void node_free(struct fnode *n)
{
	if (!n)
		return;
	node_free(n->l);
	node_free(n->r);
	flow_expr_free(n->lhs);
	for (size_t i = 0; i < n->nvals; i++) {
		free(n->vals[i]);
		if (n->re)
			regfree(&n->re[i]);
	}
	free(n->vals);
	free(n->lits);
	free(n->re);
	free(n);
}

static void skip_ws(struct fparse *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static struct fnode *fail(struct fparse *p, const char *what)
{
	if (!p->err[0])
		snprintf(p->err, p->errlen, "%s at %zu", what, p->pos);
	return NULL;
}

/* Length of the token at p->pos that ends at one of `stops` (outside
 * quotes and brackets). */
static size_t token_len(const struct fparse *p, const char *stops)
{
	size_t i = p->pos;
	int depth = 0;
	char quote = 0;

	for (; i < p->len; i++) {
		char c = p->s[i];

		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '\'' || c == '"')
			quote = c;
		else if (c == '[')
			depth++;
		else if (c == ']')
			depth--;
		else if (c == '\\' && i + 1 < p->len)
			i++;
		else if (depth == 0 && strchr(stops, c))
			break;
	}
	return i - p->pos;
}

/* s[0..n) without surrounding blanks and quotes, as a new string. */
static char *unquote(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0])
		s++, n -= 2;
	return strndup(s, n);
}

static void lit_types(const char *s, struct flit *l)
{
	char t[16];
	size_t n = strlen(s);

	memset(l, 0, sizeof(*l));
	l->len = n;
	l->is_u64 = n > 0 && n <= 20 && (s[0] != '0' || n == 1) && strspn(s, "0123456789") == n;
	for (size_t i = 0; l->is_u64 && i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		l->is_u64 = l->u <= (UINT64_MAX - d) / 10;
		l->u = l->u * 10 + d;
	}
	l->is_ip4 = n < sizeof(t) && flow_ip4_parse(s, l->ip4) &&
		    flow_ip4_format(l->ip4, t) == (int)n && memcmp(t, s, n) == 0;
}

static bool add_value(struct fparse *p, struct fnode *n, const char *s, size_t len)
{
	struct flit *l;
	char **v;

	if (n->nvals == FILTER_VALUES_MAX) {
		fail(p, "too many values");
		return false;
	}
	v = realloc(n->vals, (n->nvals + 1) * sizeof(*v));
	if (!v)
		return false;
	n->vals = v;
	v[n->nvals] = unquote(s, len);
	if (!v[n->nvals])
		return false;
	l = realloc(n->lits, (n->nvals + 1) * sizeof(*l));
	if (!l) {
		free(v[n->nvals]);
		return false;
	}
	n->lits = l;
	lit_types(v[n->nvals], &l[n->nvals]);
	n->has_null = n->has_null || strcmp(v[n->nvals], "null") == 0;
	n->nvals++;
	return true;
}

/* glibc's regcomp copies the tree for each {n,m} repetition and for
 * stacked quantifiers, so a short pattern can take gigabytes: refuse
 * long patterns, stacked quantifiers and large or many counts. */
static bool re_tame(const char *re)
{
	int braces = 0;
	bool after_q = false;

	if (strlen(re) > FILTER_RE_MAX)
		return false;
	for (const char *c = re; *c; c++) {
		bool q = *c == '*' || *c == '+' || *c == '?' || *c == '{';

		if (*c == '\\' && c[1]) {
			c++;
			after_q = false;
			continue;
		}
		if (q && after_q)
			return false;
		if (*c == '{') {
			if (++braces > FILTER_RE_BRACES_MAX ||
			    strtol(c + 1, NULL, 10) > FILTER_RE_DUP_MAX)
				return false;
			c += strcspn(c, ",}");
			if (*c == ',' && strtol(c + 1, NULL, 10) > FILTER_RE_DUP_MAX)
				return false;
			c += strcspn(c, "}");
			if (!*c)
				return false;
		}
		after_q = q;
	}
	return true;
}

static bool compile_regexes(struct fparse *p, struct fnode *n)
{
	n->re = calloc(n->nvals, sizeof(*n->re));
	if (!n->re)
		return false;
	for (size_t i = 0; i < n->nvals; i++) {
		size_t len = strlen(n->vals[i]) + 5;
		char *full = malloc(len);
		int rc;

		if (!full)
			return false;
		snprintf(full, len, "^(%s)$", n->vals[i]);
		rc = re_tame(n->vals[i]) ? regcomp(&n->re[i], full, REG_EXTENDED | REG_NOSUB) : -1;
		free(full);
		if (rc != 0) {
			snprintf(p->err, p->errlen, "bad regular expression '%.64s' at %zu",
				 n->vals[i], p->pos);
			/* node_free frees the compiled ones, before i */
			for (size_t j = i; j < n->nvals; j++)
				free(n->vals[j]);
			n->nvals = i;
			return false;
		}
	}
	return true;
}

/* The operator at p->pos (after the lhs). */
static bool parse_op(struct fparse *p, enum fop *op)
{
	const char *s = p->s + p->pos;
	size_t left = p->len - p->pos;

	if (left >= 2 && s[0] == '!' && (s[1] == '=' || s[1] == '~')) {
		*op = s[1] == '=' ? OP_NE : OP_NRE;
		p->pos += 2;
		return true;
	}
	if (left >= 1 && (s[0] == '=' || s[0] == '~')) {
		*op = s[0] == '=' ? OP_EQ : OP_RE;
		p->pos += 1;
		return true;
	}
	return false;
}

static struct fnode *parse_cmp(struct fparse *p)
{
	struct fnode *n = calloc(1, sizeof(*n));
	size_t l = token_len(p, "=!~&|()");
	char *lhs;

	if (!n)
		return NULL;
	n->kind = FN_CMP;
	lhs = unquote(p->s + p->pos, l);
	if (!lhs || !lhs[0]) {
		free(lhs);
		free(n);
		return fail(p, "expected a key");
	}
	n->lhs = flow_expr_parse(lhs, strlen(lhs), p->err, p->errlen);
	free(lhs);
	p->pos += l;
	if (!n->lhs || !parse_op(p, &n->op)) {
		node_free(n);
		return fail(p, "expected =, !=, ~ or !~");
	}
	for (;;) {
		size_t vl = token_len(p, ",&|)");

		if (!add_value(p, n, p->s + p->pos, vl)) {
			node_free(n);
			return fail(p, "out of memory");
		}
		p->pos += vl;
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		break;
	}
	if ((n->op == OP_RE || n->op == OP_NRE) && !compile_regexes(p, n)) {
		node_free(n);
		return fail(p, "bad regular expression");
	}
	return n;
}

static struct fnode *parse_or(struct fparse *p, int depth);

static struct fnode *parse_term(struct fparse *p, int depth)
{
	struct fnode *n;

	skip_ws(p);
	if (++p->nodes > FILTER_NODES_MAX || depth > 32)
		return fail(p, "filter too complex");
	if (p->pos < p->len && p->s[p->pos] == '(') {
		p->pos++;
		n = parse_or(p, depth + 1);
		skip_ws(p);
		if (n && (p->pos >= p->len || p->s[p->pos] != ')')) {
			node_free(n);
			return fail(p, "expected ')'");
		}
		p->pos++;
		return n;
	}
	return parse_cmp(p);
}

static struct fnode *join(enum fnode_kind kind, struct fnode *l, struct fnode *r)
{
	struct fnode *n = calloc(1, sizeof(*n));

	if (!n) {
		node_free(l);
		node_free(r);
		return NULL;
	}
	n->kind = kind;
	n->l = l;
	n->r = r;
	return n;
}

static struct fnode *parse_and(struct fparse *p, int depth)
{
	struct fnode *n = parse_term(p, depth), *r;

	for (;;) {
		skip_ws(p);
		if (!n || p->pos >= p->len || p->s[p->pos] != '&')
			return n;
		p->pos++;
		r = parse_term(p, depth);
		if (!r) {
			node_free(n);
			return NULL;
		}
		n = join(FN_AND, n, r);
	}
}

static struct fnode *parse_or(struct fparse *p, int depth)
{
	struct fnode *n = parse_and(p, depth), *r;

	for (;;) {
		skip_ws(p);
		if (!n || p->pos >= p->len || p->s[p->pos] != '|')
			return n;
		p->pos++;
		r = parse_and(p, depth);
		if (!r) {
			node_free(n);
			return NULL;
		}
		n = join(FN_OR, n, r);
	}
}

struct flow_filter *flow_filter_parse(const char *text, char *err, size_t errlen)
{
	struct fparse p = { text, 0, text ? strlen(text) : 0, 0, err, errlen };
	struct flow_filter *f;
	struct fnode *root;

	err[0] = '\0';
	if (p.len == 0 || p.len > FLOW_SPEC_TEXT_MAX) {
		snprintf(err, errlen, p.len ? "filter longer than %d bytes" : "empty filter",
			 FLOW_SPEC_TEXT_MAX);
		return NULL;
	}
	root = parse_or(&p, 0);
	skip_ws(&p);
	if (root && p.pos < p.len) {
		node_free(root);
		root = fail(&p, "unexpected ')'");
	}
	if (!root || !(f = calloc(1, sizeof(*f)))) {
		node_free(root);
		return NULL;
	}
	f->root = root;
	return f;
}

void flow_filter_free(struct flow_filter *f)
{
	if (f)
		node_free(f->root);
	free(f);
}

/* Whether typed value v prints as literal i of n, without printing it;
 * -1 for the types compared by their print form. */
static int lit_equal(const struct fnode *n, size_t i, const struct flow_val *v)
{
	const struct flit *l = &n->lits[i];

	switch (v->type) {
	case FLOW_V_U64:
		return l->is_u64 && l->u == v->u;
	case FLOW_V_IP4:
		return l->is_ip4 && memcmp(l->ip4, v->a, 4) == 0;
	case FLOW_V_TEXT:
		return l->len == v->len && memcmp(n->vals[i], v->s, v->len) == 0;
	default:
		return -1;
	}
}

static bool values_match(const struct fnode *n, const struct flow_val *v)
{
	char t[FLOW_KEY_VALUE_MAX];
	bool printed = false;

	for (size_t i = 0; i < n->nvals; i++) {
		int eq = n->re ? -1 : lit_equal(n, i, v);

		if (eq >= 0) {
			if (eq)
				return true;
			continue;
		}
		if (!printed && flow_val_format(v, t, sizeof(t)) < 0)
			return false;
		printed = true;
		if (n->re ? regexec(&n->re[i], t, 0, NULL, 0) == 0 : strcmp(t, n->vals[i]) == 0)
			return true;
	}
	return false;
}

static bool cmp_match(const struct fnode *n, const struct flow_env *env, struct flow_sample *fs)
{
	uint16_t mark = fs->fn_text_used;
	struct flow_val tmp;
	const struct flow_val *v = flow_expr_get(n->lhs, env, fs, &tmp);
	bool any;

	if (!v) {
		fs->fn_text_used = mark;
		return n->op == OP_EQ ? n->has_null :
		       n->op == OP_NE ? !n->has_null :
					n->op == OP_NRE;
	}
	any = values_match(n, v);
	fs->fn_text_used = mark; /* what a function wrote is no longer needed */
	return n->op == OP_EQ || n->op == OP_RE ? any : !any;
}

static bool node_match(const struct fnode *n, const struct flow_env *env, struct flow_sample *fs)
{
	switch (n->kind) {
	case FN_AND:
		return node_match(n->l, env, fs) && node_match(n->r, env, fs);
	case FN_OR:
		return node_match(n->l, env, fs) || node_match(n->r, env, fs);
	default:
		return cmp_match(n, env, fs);
	}
}

bool flow_filter_match(const struct flow_filter *f, const struct flow_env *env,
		       struct flow_sample *fs)
{
	return !f || node_match(f->root, env, fs);
}
