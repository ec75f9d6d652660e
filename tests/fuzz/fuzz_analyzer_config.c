/*
 * tests/fuzz/fuzz_analyzer_config.c: fuzz target for analyzer/config.c.
 * The bytes are a properties file; its last line is also passed as a
 * -Dname=value argument. Load, read back a few properties, free (leaks
 * show under ASan). The corpus in tests/fuzz/corpus/analyzer_config/ holds
 * good files and broken ones that walk the error paths.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = getenv("TMPDIR");
	char path[256], def[512] = "";
	const char *defs[1] = { def };
	const uint8_t *nl = size ? memrchr(data, '\n', size) : NULL;
	struct analyzer_config *c;
	char *err = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz_analyzer_config.%d", dir ? dir : "/tmp", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (nl) {
		size_t n = size - (size_t)(nl - data) - 1;

		n = n < sizeof(def) - 1 ? n : sizeof(def) - 1;
		memcpy(def, nl + 1, n);
		def[n] = '\0';
	}
	c = analyzer_config_load(path, defs, nl ? 1 : 0, &err);
	unlink(path);
	free(err);
	if (c) {
		(void)analyzer_config_get(c, "http.port");
		(void)analyzer_config_get(c, "prometheus.metric.prefix");
		analyzer_config_free(c);
	}
	return 0;
}
