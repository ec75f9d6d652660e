/*
 * tests/unit/jsonw_test.c: analyzer/jsonw against cJSON, the independent
 * printer it must match byte for byte: numbers (integers, int range
 * edges, fractions that need 15 or 17 digits, huge, tiny, negative zero,
 * non-finite), strings with every escape class and UTF-8, nesting and
 * separators, and the size cap.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/jsonw.h"
#include "tests/lib/test.h"

/* [v] printed by jsonw and by cJSON must be the same text. */
static void check_num(double v)
{
	struct jsonw w;
	cJSON *a = cJSON_CreateArray();
	char *mine, *ref;
	size_t len;

	jsonw_init(&w, 1024);
	jsonw_open(&w, '[');
	jsonw_num(&w, v);
	jsonw_close(&w, ']');
	mine = jsonw_take(&w, &len);
	cJSON_AddItemToArray(a, cJSON_CreateNumber(v));
	ref = cJSON_PrintUnformatted(a);
	CHECK(mine != NULL);
	if (mine) {
		CHECK_EQ_STR(mine, ref);
		CHECK_EQ_U64(len, strlen(ref));
	}
	free(mine);
	free(ref);
	cJSON_Delete(a);
}

TEST(numbers)
{
	static const double v[] = {
		0,
		1,
		-1,
		42,
		2147483647.0,
		-2147483648.0,
		2147483648.0,
		-2147483649.0,
		1e10,
		12345678901234.0,
		0.1,
		0.2,
		1.0 / 3,
		2.0 / 3,
		12723897.435897436,
		1.795,
		1e-300,
		1e300,
		4.9e-324,
		1.7976931348623157e308,
		123456789.123456789,
		0.30000000000000004,
		100.5,
		-0.0,
		9007199254740993.0,
		3.14159265358979,
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check_num(v[i]);
	check_num(NAN);
	check_num(INFINITY);
	check_num(-INFINITY);
	/* a fixed-seed sweep of rates as the store makes them */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_num((double)(x % 100000000) / (double)(1 + (x >> 40) % 997));
	}
}

TEST(strings_and_nesting)
{
	static const char *s[] = { "",
				   "plain",
				   "q\"uote",
				   "back\\slash",
				   "nl\ncr\rtab\t",
				   "\b\f\x01\x1f",
				   "caf\xc3\xa9 \xe2\x82\xac",
				   "/slash" };
	struct jsonw w;
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "list");
	char *mine, *ref;
	size_t len;

	jsonw_init(&w, 1 << 16);
	jsonw_open(&w, '{');
	jsonw_key(&w, "list");
	jsonw_open(&w, '[');
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		jsonw_str(&w, s[i]);
		cJSON_AddItemToArray(arr, cJSON_CreateString(s[i]));
	}
	jsonw_open(&w, '{');
	jsonw_key(&w, "k\"ey");
	jsonw_num(&w, 1.5);
	jsonw_key(&w, "e");
	jsonw_open(&w, '[');
	jsonw_close(&w, ']');
	jsonw_close(&w, '}');
	jsonw_close(&w, ']');
	jsonw_key(&w, "n");
	jsonw_num(&w, 7);
	jsonw_close(&w, '}');
	{
		cJSON *inner = cJSON_CreateObject();

		cJSON_AddNumberToObject(inner, "k\"ey", 1.5);
		cJSON_AddArrayToObject(inner, "e");
		cJSON_AddItemToArray(arr, inner);
	}
	cJSON_AddNumberToObject(o, "n", 7);
	mine = jsonw_take(&w, &len);
	ref = cJSON_PrintUnformatted(o);
	CHECK(mine != NULL);
	if (mine)
		CHECK_EQ_STR(mine, ref);
	free(mine);
	free(ref);
	cJSON_Delete(o);
}

TEST(cap)
{
	struct jsonw w;
	size_t len = 0;

	jsonw_init(&w, 64);
	jsonw_open(&w, '[');
	for (int i = 0; i < 100; i++)
		jsonw_num(&w, i);
	jsonw_close(&w, ']');
	CHECK(w.failed);
	CHECK(w.cap <= 64);
	CHECK(jsonw_take(&w, &len) == NULL);
	jsonw_init(&w, 64);
	jsonw_str(&w, "fits");
	char *t = jsonw_take(&w, &len);
	CHECK(t && strcmp(t, "\"fits\"") == 0 && len == 6);
	free(t);
}

TEST_MAIN(TEST_ENTRY(numbers), TEST_ENTRY(strings_and_nesting), TEST_ENTRY(cap))
