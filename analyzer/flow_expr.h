/*
 * analyzer/flow_expr.h: one key of a flow definition or the left side of
 * a filter comparison: a flow key, a literal, or a key function over
 * nested expressions (reference/sflow-rt-api.md §2.2). Shared by
 * flow_spec.c and flow_filter.c; not a public interface.
 */
#ifndef RTFLOW_ANALYZER_FLOW_EXPR_H
#define RTFLOW_ANALYZER_FLOW_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/flow_spec.h"

#define FLOW_EXPR_ARGS_MAX  16
#define FLOW_EXPR_DEPTH_MAX 8

struct flow_expr;

/*
 * Parse s[0..len) ("ipsource", "group:ipsource:lan",
 * "if:[first:stack:.:ip:ip6]:ip:[country:ipsource]:[country:ip6source]").
 * NULL with a reason in err.
 */
struct flow_expr *flow_expr_parse(const char *s, size_t len, char *err, size_t errlen);
void flow_expr_free(struct flow_expr *x);

/* The value of x for fs, or NULL for null: fs's own value of a key, or
 * one written to *tmp. Text a function builds lives in fs's function text
 * until flow_sample_fn_reset. */
const struct flow_val *flow_expr_get(const struct flow_expr *x, const struct flow_env *env,
				     struct flow_sample *fs, struct flow_val *tmp);

/* x's key when x is a plain key (no function, no literal), else NULL:
 * callers look such keys up directly. */
const struct flow_key_ref *flow_expr_key(const struct flow_expr *x);

/* The value printed into buf[0..cap) NUL-terminated: its length, or -1 for
 * null. */
int flow_expr_eval(const struct flow_expr *x, const struct flow_env *env, struct flow_sample *fs,
		   char *buf, size_t cap);

#endif
