/*
 * analyzer/js/duk_config.h: rtflow's duktape configuration: Debian's
 * generated one (duktape-dev's /usr/share/duktape/duk_config.h, the
 * configuration its duktape.c was generated with) plus the execution
 * timeout check, which that one leaves off.
 *
 * The Makefile copies duktape.c and duktape.h next to this file in the
 * build directory, so their #include "duk_config.h" finds it.
 *
 * With DUK_USE_EXEC_TIMEOUT_CHECK duktape calls js_heap_timed_out(udata)
 * every DUK_USE_INTERRUPT_COUNTER bytecode instructions or so; a true
 * answer throws a RangeError out of the running code (analyzer/js/
 * js_heap.c: a deadline per call into a script).
 */
#ifndef RTFLOW_DUK_CONFIG_H
#define RTFLOW_DUK_CONFIG_H

#include "/usr/share/duktape/duk_config.h"

#undef DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_INTERRUPT_COUNTER
#undef DUK_USE_EXEC_TIMEOUT_CHECK
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) js_heap_timed_out(udata)

duk_bool_t js_heap_timed_out(void *udata);

#endif
