/*
 * tests/fuzz/fuzz_agent_config.c: fuzz target for the hsflowd.conf parser
 * (agent/config.c). The bytes are a config file: parse, and when it parses
 * ask the questions the agent asks (sampling rate for a few devices and
 * speeds) and print the effective settings into memory; then free. Leaks
 * show under ASan's leak checker. The corpus in
 * tests/fuzz/corpus/agent_config/ is seeded with tests/data/conf/ and broken
 * configs that walk the error paths.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const devs[] = { "eth0", "docker0", "en1" };
	static const uint64_t speeds[] = { 0, 100000000ull, 2500000000ull, 10000000000ull };
	char *err = NULL, *out = NULL;
	size_t out_len = 0;
	struct agent_config *c = agent_config_parse((const char *)data, size, "fuzz.conf", &err);
	FILE *f;

	free(err);
	if (!c)
		return 0;
	for (size_t d = 0; d < 3; d++)
		for (size_t s = 0; s < 4; s++)
			(void)agent_config_sampling_for(c, devs[d], speeds[s]);
	f = open_memstream(&out, &out_len);
	if (f) {
		agent_config_print(c, f);
		fclose(f);
	}
	free(out);
	agent_config_free(c);
	return 0;
}
