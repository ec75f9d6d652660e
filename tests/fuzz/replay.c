/*
 * tests/fuzz/replay.c: runs a libFuzzer target over files, without libFuzzer.
 *
 * `make test` links every tests/fuzz/fuzz_<name>.c with this main() and
 * runs it over tests/fuzz/corpus/<name>/, so the seeds and every crash ever
 * found are replayed by gcc debug and asan builds. Arguments are files or
 * directories; a directory contributes its regular files in byte order of
 * their names (alphasort is locale-dependent), so runs repeat exactly. Each
 * file is read whole into a buffer of exactly its size (at most
 * REPLAY_MAX_BYTES), so an over-read is visible to ASan, and handed to
 * LLVMFuzzerTestOneInput(). LLVMFuzzerInitialize() runs first if the target
 * defines it. A crash is a crash: the runner counts a missing summary line
 * as a failure. The closing line is "summary replay_<target> <files> <errors>",
 * errors being files that could not be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_BYTES (1u << 20) /* longer files are cut, as -max_len would */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

struct replay_stats {
	unsigned files_run;
	unsigned errors;
};

/* Run the target over one file. Counts the run or the error in *st. */
static void replay_file(const char *path, struct replay_stats *st)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		st->errors++;
		return;
	}
	buf = malloc(REPLAY_MAX_BYTES);
	if (!buf) {
		fprintf(stderr, "replay: out of memory\n");
		abort();
	}
	n = fread(buf, 1, REPLAY_MAX_BYTES, f);
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(buf);
		st->errors++;
		return;
	}
	fclose(f);
	/* Shrink to the exact size so one byte past the input is a redzone;
	 * keep at least one byte so an empty input still has a valid pointer. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	st->files_run++;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of `dir`, sorted by name. */
static void replay_dir(const char *dir, struct replay_stats *st)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t count = 0, cap = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		st->errors++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* ".", "..", and editor or VCS droppings */
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[count] = strdup(de->d_name);
		if (!names[count])
			abort();
		count++;
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), name_cmp);
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);
		struct stat sb;

		if (!path)
			abort();
		snprintf(path, len, "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			replay_file(path, st);
		free(path);
		free(names[i]);
	}
	free(names);
}

/* "build/debug/tests/replay_sflow_decode" -> "sflow_decode". */
static const char *target_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	if (strncmp(base, "replay_", 7) == 0)
		base += 7;
	return base;
}

int main(int argc, char **argv)
{
	struct replay_stats st = { 0, 0 };
	const char *target = target_name(argv[0]);

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		printf("summary replay_%s 0 1\n", target);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			replay_dir(argv[i], &st);
		else if (stat(argv[i], &sb) == 0)
			replay_file(argv[i], &st);
		else {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			st.errors++;
		}
	}
	printf("summary replay_%s %u %u\n", target, st.files_run, st.errors);
	return st.errors ? 1 : 0;
}
