/*
 * tests/fuzz/fuzz_threshold.c: fuzz target for threshold bodies (PUT
 * /threshold/{name}/json): the input is parsed as JSON and set, listed,
 * checked once against an empty store set and deleted. Plain C11, no
 * libFuzzer dependency (tests/fuzz/replay.c runs it over the corpus).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/events.h"
#include "analyzer/threshold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_set ss = { NULL, 0 };
	struct events *ev = events_new(4);
	struct thresholds *t = thresholds_new(&ss, NULL, ev);
	cJSON *j = cJSON_ParseWithLength((const char *)data, size), *l;
	char err[256], *s;

	if (!ev || !t)
		abort();
	if (thresholds_set(t, "f", j, err, sizeof(err)) == 0) {
		l = thresholds_list_json(t);
		s = cJSON_PrintUnformatted(l);
		fuzz_sink += s ? strlen(s) : 0;
		free(s);
		cJSON_Delete(l);
		thresholds_tick(t, 1000);
		if (thresholds_delete(t, "f") != 0)
			abort();
	} else {
		fuzz_sink += strlen(err);
	}
	cJSON_Delete(j);
	thresholds_free(t);
	events_free(ev);
	return 0;
}
