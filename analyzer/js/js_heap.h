/*
 * analyzer/js/js_heap.h: one duktape heap with a memory cap and a time
 * limit on every call into it.
 *
 * Memory: every allocation of the heap is counted; past mem_max bytes an
 * allocation fails, which duktape turns into a RangeError the script can
 * see (or that ends the call), never a crash of the analyzer.
 * Time: js_heap_eval and js_heap_call set a deadline; duktape's execution
 * timeout check (analyzer/js/duk_config.h) throws a RangeError once it
 * passes, so a script that loops forever is interrupted.
 * Errors come back as "file:line: message" (the error's own fileName and
 * lineNumber), or as the message alone when the error has no position.
 *
 * Threads: a heap belongs to the thread that created it; nothing here
 * locks. The duktape context type is left opaque to keep duktape.h out of
 * this header (it is struct duk_hthread, what duk_context names).
 */
#ifndef RTFLOW_ANALYZER_JS_JS_HEAP_H
#define RTFLOW_ANALYZER_JS_JS_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct duk_hthread;
struct js_heap;

/* A new heap, or NULL (no memory). `owner` is what js_heap_owner gives
 * back (the API functions find their script through it). */
struct js_heap *js_heap_new(size_t mem_max, void *owner);
void js_heap_free(struct js_heap *h);

struct duk_hthread *js_heap_ctx(struct js_heap *h);

/* The owner of the heap ctx belongs to. */
void *js_heap_owner(struct duk_hthread *ctx);

/* Bytes allocated now. */
size_t js_heap_bytes(const struct js_heap *h);

/*
 * Compile src[0..len) as program file `name` and run it, at most
 * timeout_ms. 0, or -1 with the error in err. The stack is as before.
 */
int js_heap_eval(struct js_heap *h, const char *name, const char *src, size_t len,
		 unsigned timeout_ms, char *err, size_t errlen);

/*
 * Call the function below nargs arguments on the stack, at most
 * timeout_ms. Leaves the result (or the error) in its place: 0, or -1
 * with the error in err.
 */
int js_heap_call(struct js_heap *h, int nargs, unsigned timeout_ms, char *err, size_t errlen);

/* From any thread: the running call, and every later one, ends at once
 * with a timeout (the runtime stopping). */
void js_heap_interrupt(struct js_heap *h);

#endif
