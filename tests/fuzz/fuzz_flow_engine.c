/*
 * tests/fuzz/fuzz_flow_engine.c: fuzz target for the flow engine's path
 * through a collector shard: the input is one datagram, ingested into a
 * store with an engine holding definitions that ask for every kind of key
 * (header layers at every tunnel depth, extended records, rtflow entries),
 * key function, filter operator and value function, then every query runs
 * (activeflows both modes, flowkeys, the per-flow walk, engine counters)
 * and the caches are swept. Plain C11, no libFuzzer dependency
 * (tests/fuzz/replay.c runs it over the corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_engine.h"
#include "analyzer/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

static const char *const defs[] = {
	"{\"keys\":\"ipsource,ipdestination,ipprotocol,or:tcpsourceport:udpsourceport,stack,"
	"ipsource.1,macsource.2,vxlanvni,genevevni,grevsid,mplslabel,dnsqname,dnsqtypename,dnsqr\"}",
	"{\"keys\":\"ip6source,ip6nexthdr,ip6fragm,ip6flowlabel,icmptype,icmpunreachableport,"
	"icmp6type,arpiptarget,vlan,priority,tcpflags,ipflags,ipdscpname,ip6dscpname\","
	"\"value\":\"frames\",\"values\":\"avg:ipttl,count:ipsource,min:bytes,max:bytes\"}",
	"{\"keys\":\"agent,inputifindex,outputifindex,direction,reason,bgpdestinationaspath,"
	"bgpcommunities,ipnexthoprouter,tcprtt,httpurl,httpmethod,custom_key\",\"dropped\":false}",
	"{\"keys\":\"group:ipsource:g,mask:ip6source:48,prefix:stack:.:2,suffix:dnsqname:.:2,"
	"first:stack:.:ip:ip6,null:vlan:none,if:[first:stack:.:ip:ip6]:ip:[mask:ipsource:24]:x,"
	"map:tcpdestinationport:m,concat:-:ipsource:ipdestination,uri:[null:httpurl:/a/b.c]:file\","
	"\"filter\":\"(ipprotocol=6,17|vxlanvni!=null)&tcpflags!~....1..1.&ipsource~.*\"}",
	"{\"keys\":\"reason,ipsource\",\"dropped\":true,\"log\":true}",
	"{\"value\":\"bytes\",\"t\":0.2}",
};

static void flow_cb(void *arg, const struct flow_engine_flow *f)
{
	(void)arg;
	fuzz_sink += strlen(f->agent) + strlen(f->datasource) + strlen(f->key);
}

static void consume(cJSON *j)
{
	char *s = j ? cJSON_PrintUnformatted(j) : NULL;

	if (s)
		fuzz_sink += strlen(s);
	free(s);
	cJSON_Delete(j);
}

static void setup(struct flow_engine *e)
{
	char err[256];
	cJSON *g = cJSON_Parse("{\"a\":[\"10.0.0.0/8\"],\"b\":[\"::/0\",\"0.0.0.0/0\"]}");
	cJSON *m = cJSON_Parse("{\"web\":[\"80\",\"443\"]}");

	if (flow_engine_set_group(e, "g", g, err, sizeof(err)) == -1 ||
	    flow_engine_set_map(e, "m", m, err, sizeof(err)) == -1)
		abort();
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		cJSON *d = cJSON_Parse(defs[i]);
		char name[8];

		snprintf(name, sizeof(name), "d%zu", i);
		if (flow_engine_set(e, name, d, err, sizeof(err)) == -1) {
			fprintf(stderr, "fuzz_flow_engine: %s: %s\n", name, err);
			abort();
		}
		cJSON_Delete(d);
	}
	cJSON_Delete(g);
	cJSON_Delete(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_limits lim = { 4, 8, 60000, 60000 };
	struct flow_engine_config cfg = { .cache_max = 16 };
	struct sockaddr_storage src = { .ss_family = AF_INET };
	struct flow_active_query q = { .max_flows = 10 };
	char err[256];
	struct store *s = store_new(0, &lim);
	struct store_set ss = { &s, 1 };
	struct flow_engine *e = flow_engine_new(&cfg, err, sizeof(err));
	cJSON *out = NULL, *st = cJSON_CreateObject();

	if (!s || !e)
		abort();
	setup(e);
	flow_engine_attach(e, s);
	store_ingest(s, data, size, &src, 1000000);
	store_ingest(s, data, size, &src, 1000500);
	for (int agg = 0; agg < 2; agg++) {
		q.agg_sum = agg;
		for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
			char name[8];

			snprintf(name, sizeof(name), "d%zu", i);
			if (flow_engine_activeflows(e, &ss, "ALL", name, &q, 1001000, &out, err,
						    sizeof(err)) == 0)
				consume(out);
			flow_engine_each_flow(e, &ss, name, 1001000, flow_cb, NULL);
		}
	}
	consume(flow_engine_flowkeys_json(e, &ss, 1001000));
	flow_engine_stats_json(e, &ss, st);
	consume(st);
	store_tick(s, 1200000); /* sweeps every cache */
	store_free(s);
	flow_engine_free(e);
	return 0;
}
