/*
 * tests/lib/test.h: the unit-test harness (header only).
 *
 * A test file defines functions with TEST(name) and lists them in
 * TEST_MAIN(...). Checks never abort the test: each failing CHECK prints
 * file:line with the values and marks the test failed. Every test prints
 * "ok <name>" or "FAIL <name>"; the binary ends with
 * "summary <binary> <passed> <failed>", which tests/run.sh adds up into the
 * one closing "N passed, N failed" line of `make test`.
 */
#ifndef RTFLOW_TEST_H
#define RTFLOW_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int test_failed_checks;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                \
	do {                                                                       \
		if (!(cond)) {                                                     \
			printf("  %s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
			test_failed_checks++;                                      \
		}                                                                  \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                           \
	do {                                                                         \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                     \
		if (a_ != b_) {                                                      \
			printf("  %s:%d: %s == %s: %" PRIu64 " != %" PRIu64 "\n", __FILE__, \
			       __LINE__, #a, #b, a_, b_);                            \
			test_failed_checks++;                                        \
		}                                                                    \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                            \
	do {                                                                          \
		const char *a_ = (a), *b_ = (b);                                      \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                              \
			printf("  %s:%d: %s == %s: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
			       #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");       \
			test_failed_checks++;                                         \
		}                                                                     \
	} while (0)

#define CHECK_MEM(a, b, n)                                                               \
	do {                                                                             \
		if (memcmp((a), (b), (n)) != 0) {                                        \
			printf("  %s:%d: %s and %s differ in %zu bytes\n", __FILE__,     \
			       __LINE__, #a, #b, (size_t)(n));                           \
			test_failed_checks++;                                            \
		}                                                                        \
	} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_ENTRY(fn) { #fn, fn }

static inline int test_run_all(const char *prog, const struct test_case *tc, size_t n)
{
	int passed = 0, failed = 0;

	for (size_t i = 0; i < n; i++) {
		int before = test_failed_checks;

		tc[i].fn();
		if (test_failed_checks == before) {
			printf("ok %s\n", tc[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", tc[i].name);
			failed++;
		}
	}
	printf("summary %s %d %d\n", prog, passed, failed);
	return failed ? 1 : 0;
}

#define TEST_MAIN(...)                                                              \
	int main(int argc, char **argv)                                             \
	{                                                                           \
		static const struct test_case cases_[] = { __VA_ARGS__ };           \
		(void)argc;                                                         \
		return test_run_all(argv[0], cases_, sizeof(cases_) / sizeof(cases_[0])); \
	}

#endif
