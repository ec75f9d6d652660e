/*
 * analyzer/js/js_api_util.c: placeholder until the utility functions land.
 */
#include "analyzer/js/js_internal.h"

void js_api_util_register(struct duk_hthread *ctx)
{
	(void)ctx;
}
