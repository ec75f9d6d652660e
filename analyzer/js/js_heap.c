/*
 * analyzer/js/js_heap.c: duktape heaps with a memory cap and deadlines
 * (see js_heap.h).
 *
 * Allocations carry a 16-byte header holding their size, so realloc and
 * free know what they give back; 16 keeps duktape's alignment. The
 * deadline is read by js_heap_timed_out, which duktape calls from its
 * interrupt counter (duk_config.h); it is a CLOCK_MONOTONIC instant in ns,
 * 0 when no call is running (the timeout never fires between calls).
 */
#include "analyzer/js/js_heap.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duktape.h"

#define JS_HEAP_HDR 16 /* bytes before each block: its size */

struct js_heap {
	duk_context *ctx;
	void *owner;
	size_t mem_max, bytes;
	uint64_t deadline_ns; /* 0: no call running */
	atomic_bool interrupted; /* set by another thread: every call ends now */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

duk_bool_t js_heap_timed_out(void *udata)
{
	struct js_heap *h = udata;

	if (!h || !h->deadline_ns ||
	    (now_ns() < h->deadline_ns && !atomic_load_explicit(&h->interrupted, memory_order_relaxed)))
		return 0;
	return 1;
}

static size_t block_size(const void *p)
{
	size_t n;

	memcpy(&n, (const char *)p - JS_HEAP_HDR, sizeof(n));
	return n;
}

static void *heap_alloc(void *udata, duk_size_t size)
{
	struct js_heap *h = udata;
	char *p;

	if (size > h->mem_max - h->bytes || !(p = malloc(size + JS_HEAP_HDR)))
		return NULL;
	memcpy(p, &size, sizeof(size));
	h->bytes += size;
	return p + JS_HEAP_HDR;
}

static void heap_free(void *udata, void *ptr)
{
	struct js_heap *h = udata;

	if (!ptr)
		return;
	h->bytes -= block_size(ptr);
	free((char *)ptr - JS_HEAP_HDR);
}

static void *heap_realloc(void *udata, void *ptr, duk_size_t size)
{
	struct js_heap *h = udata;
	size_t old;
	char *p;

	if (!ptr)
		return heap_alloc(udata, size);
	if (size == 0) {
		heap_free(udata, ptr);
		return NULL;
	}
	old = block_size(ptr);
	if (size > old && size - old > h->mem_max - h->bytes)
		return NULL;
	p = realloc((char *)ptr - JS_HEAP_HDR, size + JS_HEAP_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	h->bytes = h->bytes - old + size;
	return p + JS_HEAP_HDR;
}

/* Errors outside any protected call: duktape cannot go on. Every entry
 * into a heap here is protected, so this means a duktape bug. */
static void heap_fatal(void *udata, const char *msg)
{
	(void)udata;
	fprintf(stderr, "rtflow-analyzer: duktape fatal error: %s\n", msg ? msg : "?");
	abort();
}

struct js_heap *js_heap_new(size_t mem_max, void *owner)
{
	struct js_heap *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->mem_max = mem_max;
	h->owner = owner;
	h->ctx = duk_create_heap(heap_alloc, heap_realloc, heap_free, h, heap_fatal);
	if (!h->ctx) {
		free(h);
		return NULL;
	}
	return h;
}

void js_heap_free(struct js_heap *h)
{
	if (!h)
		return;
	duk_destroy_heap(h->ctx);
	free(h);
}

struct duk_hthread *js_heap_ctx(struct js_heap *h)
{
	return h->ctx;
}

void *js_heap_owner(struct duk_hthread *ctx)
{
	duk_memory_functions mf;

	duk_get_memory_functions(ctx, &mf);
	return ((struct js_heap *)mf.udata)->owner;
}

size_t js_heap_bytes(const struct js_heap *h)
{
	return h->bytes;
}

void js_heap_interrupt(struct js_heap *h)
{
	atomic_store_explicit(&h->interrupted, true, memory_order_relaxed);
}

/* The error at the top of the stack as "file:line: message". */
static void error_text(duk_context *ctx, char *err, size_t errlen)
{
	const char *file = NULL, *msg;
	int line = 0;

	if (duk_is_error(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "fileName");
		file = duk_get_string(ctx, -1);
		duk_get_prop_string(ctx, -2, "lineNumber");
		line = duk_get_int(ctx, -1);
		duk_pop(ctx);
		msg = duk_safe_to_string(ctx, -2);
		if (file && line > 0)
			snprintf(err, errlen, "%s:%d: %s", file, line, msg);
		else
			snprintf(err, errlen, "%s", msg);
		duk_pop(ctx);
		return;
	}
	snprintf(err, errlen, "%s", duk_safe_to_string(ctx, -1));
}

static void arm(struct js_heap *h, unsigned timeout_ms)
{
	h->deadline_ns = now_ns() + (uint64_t)timeout_ms * 1000000u;
}

int js_heap_eval(struct js_heap *h, const char *name, const char *src, size_t len,
		 unsigned timeout_ms, char *err, size_t errlen)
{
	duk_context *ctx = h->ctx;
	int rc;

	duk_push_string(ctx, name);
	arm(h, timeout_ms);
	rc = duk_pcompile_lstring_filename(ctx, DUK_COMPILE_EVAL, src, len);
	if (rc == 0)
		rc = duk_pcall(ctx, 0);
	h->deadline_ns = 0;
	if (rc != 0)
		error_text(ctx, err, errlen);
	duk_pop(ctx);
	return rc == 0 ? 0 : -1;
}

int js_heap_call(struct js_heap *h, int nargs, unsigned timeout_ms, char *err, size_t errlen)
{
	int rc;

	arm(h, timeout_ms);
	rc = duk_pcall(h->ctx, nargs);
	h->deadline_ns = 0;
	if (rc != 0) {
		error_text(h->ctx, err, errlen);
		return -1;
	}
	return 0;
}
