/*
 * analyzer/jsonw.h: a JSON text writer for large answers (a /dump of
 * every metric, long flow lists): appends to one growing buffer instead
 * of building a cJSON tree of millions of nodes and printing it.
 *
 * Numbers print as cJSON prints them (integral values within int range as
 * integers, others with the shortest of %.15g / %.17g that reads back
 * exactly, non-finite as null), so an answer is the same text whichever
 * way it was made. The buffer stops growing at max_bytes: the writer then
 * fails (jsonw_take returns NULL) instead of allocating without bound.
 * One writer belongs to one thread.
 */
#ifndef RTFLOW_ANALYZER_JSONW_H
#define RTFLOW_ANALYZER_JSONW_H

#include <stdbool.h>
#include <stddef.h>

struct jsonw {
	char *buf;
	size_t len, cap, max;
	bool failed; /* over max, or out of memory */
	bool comma;  /* a value was written at this nesting level */
};

void jsonw_init(struct jsonw *w, size_t max_bytes);
void jsonw_free(struct jsonw *w);

/* '[' '{' and their ends. */
void jsonw_open(struct jsonw *w, char c);
void jsonw_close(struct jsonw *w, char c);

/* "key": — the value follows with one of the calls below. */
void jsonw_key(struct jsonw *w, const char *key);

void jsonw_str(struct jsonw *w, const char *s);
void jsonw_num(struct jsonw *w, double v);

/* The text (NUL-terminated, malloc'd, the caller frees) and its length;
 * NULL when the writer failed. The writer is empty afterwards. */
char *jsonw_take(struct jsonw *w, size_t *len);

#endif
