/*
 * Replay of real captures through a store, compared with what
 * tests/integration/analyzer_replay_expect.py computed from sflowtool's
 * decode of the same captures (tests/data/analyzer/<capture>.expected.json,
 * regenerate with that script). Datagrams are ingested at their capture
 * timestamps (ms), as the analyzer's replay does. Every expected
 * /agents/json field and "ds.metric" value must match: numbers within a
 * relative 1e-6 (float32 load averages), strings exactly. Captures are in
 * shared/testdata; a missing one skips its test with a note.
 */
#include <math.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyzer/query.h"
#include "analyzer/store.h"
#include "tests/lib/test.h"

#define TESTDATA "../shared/testdata/sflow-pcaps"
#define EXPECTED "tests/data/analyzer"

/* UDP payload of an Ethernet frame (802.1Q tags, IPv4 or IPv6), or NULL. */
static const uint8_t *udp_payload(const uint8_t *p, size_t n, size_t *len,
				  struct sockaddr_storage *src)
{
	size_t off = 12, ip;
	uint16_t type;

	memset(src, 0, sizeof(*src));
	for (;;) {
		if (off + 2 > n)
			return NULL;
		type = (uint16_t)(p[off] << 8 | p[off + 1]);
		off += 2;
		if (type != 0x8100 && type != 0x88a8)
			break;
		off += 2;
	}
	ip = off;
	if (type == 0x0800 && ip + 20 <= n && p[ip + 9] == 17) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)src;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, p + ip + 12, 4);
		off = ip + (size_t)(p[ip] & 15) * 4;
	} else if (type == 0x86dd && ip + 40 <= n && p[ip + 6] == 17) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)src;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, p + ip + 8, 16);
		off = ip + 40;
	} else {
		return NULL;
	}
	if (off + 8 > n)
		return NULL;
	*len = n - off - 8;
	return p + off + 8;
}

static int replay(struct store *s, const char *pcap)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc = pcap_open_offline(pcap, errbuf);

	if (!pc)
		return -1;
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct sockaddr_storage src;
		size_t len;
		const uint8_t *udp = udp_payload(data, h->caplen, &len, &src);
		uint64_t ms = (uint64_t)h->ts.tv_sec * 1000 + (uint64_t)h->ts.tv_usec / 1000;

		if (udp)
			store_ingest(s, udp, len, &src, ms);
	}
	pcap_close(pc);
	return 0;
}

static cJSON *load_json(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;
	cJSON *j;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = -1;
	fclose(f);
	j = n >= 0 ? cJSON_Parse(buf) : NULL;
	free(buf);
	return j;
}

/* Every member of want must be in got with an equal value. */
static void compare(const char *where, const cJSON *want, const cJSON *got)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, want) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, w->string);
		bool ok;

		if (cJSON_IsNumber(w))
			ok = cJSON_IsNumber(g) && fabs(g->valuedouble - w->valuedouble) <=
							  1e-6 * fabs(w->valuedouble) + 1e-9;
		else
			ok = cJSON_IsString(g) && strcmp(g->valuestring, w->valuestring) == 0;
		if (!ok) {
			char *gs = g ? cJSON_PrintUnformatted(g) : NULL, *ws = cJSON_PrintUnformatted(w);

			printf("  %s %s: want %s, got %s\n", where, w->string, ws, gs ? gs : "nothing");
			free(gs);
			free(ws);
			test_failed_checks++;
		}
	}
}

static void check_capture(const char *name)
{
	char path[512];
	struct store_limits lim = { 1000, 1000, UINT64_MAX / 2, UINT64_MAX / 2 };
	struct store *s = store_new(0, &lim);
	struct store_set ss = { &s, 1 };
	cJSON *want, *agents, *w;

	snprintf(path, sizeof(path), "%s/%s.pcap", TESTDATA, name);
	if (replay(s, path) == -1) {
		printf("  skipped: %s not readable\n", path);
		store_free(s);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.expected.json", EXPECTED, name);
	want = load_json(path);
	CHECK(want != NULL);
	agents = query_agents_json(&ss, NULL, 0, 0);
	CHECK_EQ_U64(cJSON_GetArraySize(agents),
		     cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(want, "agents")));
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(want, "agents"))
		compare(w->string, w, cJSON_GetObjectItemCaseSensitive(agents, w->string));
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(want, "metrics")) {
		cJSON *got = query_agent_metrics_json(&ss, w->string, 0);

		CHECK(got != NULL);
		compare(w->string, w, got);
		cJSON_Delete(got);
	}
	cJSON_Delete(agents);
	cJSON_Delete(want);
	store_free(s);
}

TEST(hsflowd_host_counters)
{
	check_capture("hsflowd__host_counters_and_pcap_samples");
}

TEST(switch_counters_30_pdus)
{
	check_capture("tcpdump__sflow_multiple_counter_30_pdus");
}

TEST(hsflowd_rtmetric)
{
	check_capture("hsflowd__json_app_samples_rtmetric");
}

TEST_MAIN(TEST_ENTRY(hsflowd_host_counters), TEST_ENTRY(switch_counters_30_pdus),
	  TEST_ENTRY(hsflowd_rtmetric))
