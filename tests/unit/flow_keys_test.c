/*
 * tests/unit/flow_keys_test.c: analyzer/flow_keys against independent
 * decodes.
 * - golden: every flow sample of every testdata capture is paired, in
 *   order, with sflowtool's decode of it (testdata golden *.jsonl), and
 *   each field sflowtool printed must equal the flow key it corresponds
 *   to (srcMAC → macsource, srcIP → ipsource, srcIP6 → ip6source,
 *   IPProtocol → ipprotocol/ip6nexthdr, IPTTL, IPTOS, TCP/UDP ports,
 *   TCPFlags, ethernet_type, sampledPacketSize → bytes, in_vlan/out_vlan,
 *   IP6_label);
 * - hand-built packets with the expected keys worked out by hand in the
 *   comments: QinQ, ARP, ICMP unreachable, DNS query and response, VXLAN
 *   and GRE inner keys (".1"), IP-in-IP, IPv6 extension headers and
 *   fragments, MPLS, DSCP names, tcpflags strings, truncated headers;
 * - key name resolution.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "analyzer/flow_keys.h"
#include "common/capture.h"
#include "sflow/encode.h"
#include "sflow/sflow.h"
#include "tests/lib/test.h"

#define TESTDATA "../shared/testdata/sflow-pcaps/"

static int key(struct flow_sample *fs, const char *name, char *buf, size_t cap)
{
	struct flow_key_ref k;

	if (flow_key_resolve(name, &k) == -1)
		return -2;
	return flow_key_value(fs, &k, buf, cap);
}

/* sflowtool field → our key (and the transform to compare). */
struct field_map {
	const char *golden, *v4key, *v6key;
	int kind; /* 0 as is, 1 case-insensitive, 2 tcp flags byte, 3 IPv6
		   * address (sflowtool does not compress), 4 number (0x...) */
};

static const struct field_map fields[] = {
	{ "srcMAC", "macsource", "macsource", 1 },
	{ "dstMAC", "macdestination", "macdestination", 1 },
	{ "srcIP", "ipsource", NULL, 0 },
	{ "dstIP", "ipdestination", NULL, 0 },
	{ "srcIP6", NULL, "ip6source", 3 },
	{ "dstIP6", NULL, "ip6destination", 3 },
	{ "IPProtocol", "ipprotocol", "ip6nexthdr", 0 },
	{ "IPTTL", "ipttl", "ip6ttl", 0 },
	{ "IPTOS", "iptos", "ip6tos", 0 },
	{ "TCPSrcPort", "tcpsourceport", "tcpsourceport", 0 },
	{ "TCPDstPort", "tcpdestinationport", "tcpdestinationport", 0 },
	{ "UDPSrcPort", "udpsourceport", "udpsourceport", 0 },
	{ "UDPDstPort", "udpdestinationport", "udpdestinationport", 0 },
	{ "TCPFlags", "tcpflags", "tcpflags", 2 },
	{ "ethernet_type", "ethernetprotocol", "ethernetprotocol", 0 },
	{ "sampledPacketSize", "bytes", "bytes", 0 },
	{ "in_vlan", "vlansource", "vlansource", 0 },
	{ "out_vlan", "vlandestination", "vlandestination", 0 },
	{ "IP6_label", NULL, "ip6flowlabel", 4 },
};

static unsigned compared;

static bool same(int kind, const char *got, const char *want)
{
	uint8_t a[16], b[16];

	switch (kind) {
	case 1:
		return strcasecmp(got, want) == 0;
	case 3:
		return inet_pton(AF_INET6, got, a) == 1 && inet_pton(AF_INET6, want, b) == 1 &&
		       memcmp(a, b, 16) == 0;
	case 4:
		return strtoul(got, NULL, 0) == strtoul(want, NULL, 0);
	default:
		return strcmp(got, want) == 0;
	}
}

static void check_field(struct flow_sample *fs, const struct field_map *f, const char *want,
			bool v6, const char *where)
{
	const char *name = v6 ? f->v6key : f->v4key;
	char got[FLOW_KEY_VALUE_MAX], exp[16];
	int n;

	if (!name)
		return;
	n = key(fs, name, got, sizeof(got));
	if (f->kind == 2) { /* sflowtool prints the flags byte in decimal */
		unsigned b = (unsigned)strtoul(want, NULL, 10);

		for (int i = 0; i < 8; i++)
			exp[i] = (b >> (7 - i)) & 1 ? '1' : '0';
		exp[8] = '\0';
		want = exp;
		if (n == 9)
			memmove(got, got + 1, 9); /* the NS bit sflowtool leaves out */
	}
	compared++;
	if (n < 0 || !same(f->kind, got, want)) {
		printf("  %s: %s: %s = %s, sflowtool %s = %s\n", where, f->golden, name,
		       n < 0 ? "(null)" : got, f->golden, want);
		test_failed_checks++;
	}
}

/* Every field of the golden sample's elements, merged into one object. */
static cJSON *merged_fields(const cJSON *gs)
{
	cJSON *m = cJSON_CreateObject(), *e, *f;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(gs, "elements"))
	{
		const cJSON *type = cJSON_GetObjectItem(e, "flowSampleType");
		bool header = cJSON_IsString(type) && !strcmp(type->valuestring, "HEADER");

		cJSON_ArrayForEach(f, e)
		{
			/* a sampled IPv4/IPv6 record prints its own length as
			 * sampledPacketSize; the bytes key is the header's frame */
			if (!header && !strcmp(f->string, "sampledPacketSize"))
				continue;
			cJSON_DeleteItemFromObject(m, f->string);
			cJSON_AddItemToObject(m, f->string, cJSON_Duplicate(f, true));
		}
	}
	return m;
}

static void check_sample(const struct sfl_sample *smp, const cJSON *gs, const char *where)
{
	struct flow_sample fs;
	cJSON *m = merged_fields(gs);
	bool v6 = cJSON_GetObjectItem(m, "srcIP6") != NULL;

	flow_sample_init(&fs, smp, "192.0.2.1");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const cJSON *g = cJSON_GetObjectItem(m, fields[i].golden);

		if (cJSON_IsString(g))
			check_field(&fs, &fields[i], g->valuestring, v6, where);
	}
	cJSON_Delete(m);
}

/* The golden line of the datagram with this agent and sequence number. */
static cJSON *golden_for(FILE *g, const struct sfl_datagram *dg, char *agent)
{
	static char line[1 << 20];
	char seq[16];

	snprintf(seq, sizeof(seq), "%u", dg->seq);
	while (fgets(line, sizeof(line), g)) {
		cJSON *j = cJSON_Parse(line);
		const cJSON *a = cJSON_GetObjectItem(j, "agent"),
			    *s = cJSON_GetObjectItem(j, "packetSequenceNo");

		if (cJSON_IsString(a) && cJSON_IsString(s) && !strcmp(a->valuestring, agent) &&
		    !strcmp(s->valuestring, seq))
			return j;
		cJSON_Delete(j);
	}
	return NULL;
}

static void golden_capture(const char *name)
{
	char path[512], err[256], agent[64];
	struct capture *c;
	const uint8_t *p;
	size_t len;
	struct capture_meta m;
	enum capture_status st;
	bool piped = false;
	FILE *g;

	snprintf(path, sizeof(path), TESTDATA "golden/%s.sflowtool.jsonl", name);
	g = fopen(path, "r");
	if (!g) { /* the large ones are compressed */
		snprintf(path, sizeof(path), "gzip -dc " TESTDATA "golden/%s.sflowtool.jsonl.gz",
			 name);
		g = popen(path, "r");
		piped = g != NULL;
	}
	snprintf(path, sizeof(path), TESTDATA "%s.pcap", name);
	c = capture_open(path, err, sizeof(err));
	if (!g || !c) {
		printf("  %s: cannot open the capture or its golden decode\n", name);
		test_failed_checks++;
		goto out;
	}
	while ((st = capture_next(c, &p, &len, &m)) != CAPTURE_END && st != CAPTURE_ERROR) {
		struct sfl_datagram dg;
		struct sfl_sample s;
		cJSON *gj, *gs;
		int i = 0;

		if (st != CAPTURE_DATAGRAM || sfl_datagram_init(&dg, p, len) == -1)
			continue;
		inet_ntop(dg.agent.type == SFL_ADDR_IP4 ? AF_INET : AF_INET6, dg.agent.addr, agent,
			  sizeof(agent));
		if (!(gj = golden_for(g, &dg, agent)))
			break;
		while (sfl_datagram_next_sample(&dg, &s)) {
			gs = cJSON_GetArrayItem(cJSON_GetObjectItem(gj, "samples"), i++);
			if (gs && (s.tag == SFL_SAMPLE_FLOW || s.tag == SFL_SAMPLE_FLOW_EXPANDED)) {
				char where[128];

				snprintf(where, sizeof(where), "%s frame %llu sample %d", name,
					 (unsigned long long)m.frame, i);
				check_sample(&s, gs, where);
			}
		}
		cJSON_Delete(gj);
	}
out:
	if (g && piped)
		pclose(g);
	else if (g)
		fclose(g);
	if (c)
		capture_close(c);
}

TEST(golden_sflowtool_fields)
{
	static const char *const caps[] = {
		"akvorado__data-1140",
		"akvorado__data-discard-interface",
		"akvorado__data-encap-vxlan",
		"akvorado__data-icmpv4",
		"akvorado__data-icmpv6",
		"akvorado__data-local-interface",
		"akvorado__data-multiple-interfaces",
		"akvorado__data-qinq",
		"akvorado__data-sflow-expanded-sample",
		"akvorado__data-sflow-ipv4-data",
		"akvorado__data-sflow-raw-ipv4",
		"hsflowd__host_counters_and_pcap_samples",
		"loghub__sflow",
		"nxthdr__sflow",
		"overflowd__sflow",
		"tcpdump__sflow-print-v6",
	};

	compared = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		golden_capture(caps[i]);
	printf("  %u fields compared with sflowtool\n", compared);
	CHECK(compared > 50000);
}

/* ---- hand-built packets -------------------------------------------------- */

static uint8_t dgram[2048];
static struct sfl_datagram hand_dg;
static struct sfl_sample hand_smp;

/* fs over a flow sample (1 in 100, input 3 = the data source) whose
 * sampled header is h[0..len) of protocol proto (1 Ethernet). */
static void sample_of(const uint8_t *h, size_t len, struct flow_sample *fs)
{
	struct sfl_encoder e;
	struct sfl_datagram_hdr hdr = { .seq = 1, .uptime_ms = 1 };
	struct sfl_sample s = {
		.tag = SFL_SAMPLE_FLOW, .ds_index = 3, .sampling_rate = 100, .input = 3, .output = 7
	};
	struct sfl_record r = { .tag = SFL_FLOW_HEADER, .kind = SFL_KIND_FLOW, .known = true };

	hdr.agent.type = SFL_ADDR_IP4;
	r.v.header.protocol = 1;
	r.v.header.frame_bytes = 1000;
	r.v.header.header.ptr = h;
	r.v.header.header.len = (uint32_t)len;
	sfl_encode_begin(&e, dgram, sizeof(dgram), &hdr);
	sfl_encode_sample_begin(&e, &s);
	sfl_encode_record(&e, &r);
	sfl_encode_sample_end(&e);
	CHECK(sfl_datagram_init(&hand_dg, dgram, sfl_encode_end(&e)) == 0);
	CHECK(sfl_datagram_next_sample(&hand_dg, &hand_smp));
	flow_sample_init(fs, &hand_smp, "192.0.2.1");
}

struct want {
	const char *key, *value; /* value NULL: the key must be absent */
};

static void check_keys(struct flow_sample *fs, const struct want *w, size_t n, const char *what)
{
	char got[FLOW_KEY_VALUE_MAX];

	for (size_t i = 0; i < n; i++) {
		int len = key(fs, w[i].key, got, sizeof(got));

		if (w[i].value ? (len < 0 || strcmp(got, w[i].value) != 0) : len >= 0) {
			printf("  %s: %s = %s, expected %s\n", what, w[i].key,
			       len < 0 ? "(null)" : got, w[i].value ? w[i].value : "(null)");
			test_failed_checks++;
		}
	}
}

#define ETH(type) 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, type
/* IPv4 header: tos, total length 40, ttl, protocol, 10.0.0.1 -> 10.0.0.2 */
#define IP4(tos, ttl, proto) \
	0x45, tos, 0x00, 0x28, 0, 0, 0x40, 0x00, ttl, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2

TEST(qinq_dscp_tcpflags)
{
	/* 802.1ad tag vlan 100 prio 0, 802.1Q tag vlan 200 prio 1, IPv4 TOS
	 * 0xb8 = DSCP 46 (EF) ECN 0, DF set, TCP 1234 -> 80 SYN */
	static const uint8_t h[] = {
		ETH(0x88), 0xa8, 0x00, 0x64, 0x81, 0x00, 0x20, 0xc8, 0x08, 0x00, IP4(0xb8, 63, 6),
		0x04,      0xd2, 0x00, 0x50, 0,    0,    0,    0,    0,    0,    0,
		0,         0x50, 0x02, 0xff, 0xff, 0,    0,    0,    0
	};
	static const struct want w[] = {
		{ "macsource", "001122334455" },
		{ "macdestination", "FFFFFFFFFFFF" },
		{ "isbroadcast", "true" },
		{ "isunicast", "false" },
		{ "vlan", "100" },
		{ "priority", "0" },
		{ "ethernetprotocol", "2048" },
		{ "ipsource", "10.0.0.1" },
		{ "ipdestination", "10.0.0.2" },
		{ "ipprotocol", "6" },
		{ "iptos", "184" },
		{ "ipdscp", "46" },
		{ "ipdscpname", "EF" },
		{ "ipecn", "0" },
		{ "ipttl", "63" },
		{ "ipflags", "010" },
		{ "ipbytes", "40" },
		{ "tcpsourceport", "1234" },
		{ "tcpdestinationport", "80" },
		{ "tcpflags", "000000010" },
		{ "stack", "eth.ip.tcp" },
		{ "udpsourceport", NULL },
		{ "direction", "ingress" },
		{ "inputifindex", "3" },
		{ "outputifindex", "7" },
		{ "bytes", "1000" },
		{ "frames", "1" },
		{ "ip_offset", "22" },
		{ "ipsource.1", NULL },
		{ "agent", "192.0.2.1" },
	};
	struct flow_sample fs;

	sample_of(h, sizeof(h), &fs);
	check_keys(&fs, w, sizeof(w) / sizeof(w[0]), "qinq");
}

TEST(arp_and_truncated)
{
	/* ARP request 10.0.0.1 asks for 10.0.0.254 */
	static const uint8_t arp[] = { ETH(0x08), 0x06, 0x00, 0x01, 0x08, 0x00, 6,  4, 0x00, 0x01,
				       0x00,      0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0,    1,
				       0,         0,    0,    0,    0,    0,    10, 0, 0,    254 };
	static const struct want wa[] = { { "arpoperation", "1" },
					  { "arpipsender", "10.0.0.1" },
					  { "arpiptarget", "10.0.0.254" },
					  { "stack", "eth.arp" },
					  { "ipsource", NULL } };
	/* cut 6 bytes into the IPv4 header: Ethernet keys only */
	static const uint8_t cut[] = { ETH(0x08), 0x00, 0x45, 0x00, 0x00, 0x28, 0, 0 };
	static const struct want wc[] = { { "macsource", "001122334455" },
					  { "ipsource", NULL },
					  { "ipprotocol", NULL },
					  { "tcpflags", NULL },
					  { "stack", "eth" } };
	struct flow_sample fs;

	sample_of(arp, sizeof(arp), &fs);
	check_keys(&fs, wa, sizeof(wa) / sizeof(wa[0]), "arp");
	sample_of(cut, sizeof(cut), &fs);
	check_keys(&fs, wc, sizeof(wc) / sizeof(wc[0]), "truncated");
}

TEST(icmp_unreachable_and_dns)
{
	/* ICMP port unreachable quoting UDP 10.0.0.2:5353 -> 192.0.2.9:53 */
	static const uint8_t icmp[] = { ETH(0x08), 0x00, IP4(0, 64, 1),
					3,         3,    0,
					0,         0,    0,
					0,         0,    0x45,
					0,         0,    0x30,
					0,         0,    0,
					0,         64,   17,
					0,         0,    10,
					0,         0,    2,
					192,       0,    2,
					9,         0x14, 0xe9,
					0x00,      0x35, 0,
					0x1c,      0,    0 };
	static const struct want wi[] = { { "icmptype", "3" },
					  { "icmpcode", "3" },
					  { "icmpunreachableport", "53" },
					  { "icmpunreachablehost", NULL },
					  { "stack", "eth.ip.icmp" } };
	/* DNS query AAAA www.example.com, then the same as a response */
	uint8_t dns[] = { ETH(0x08), 0x00, IP4(0, 64, 17),
			  0xc3,      0x50, 0x00,
			  0x35,      0,    41,
			  0,         0,    0x12,
			  0x34,      0x01, 0x00,
			  0,         1,    0,
			  0,         0,    0,
			  0,         0,    3,
			  'w',       'w',  'w',
			  7,         'e',  'x',
			  'a',       'm',  'p',
			  'l',       'e',  3,
			  'c',       'o',  'm',
			  0,         0,    28,
			  0,         1 };
	static const struct want wq[] = { { "dnsqname", "www.example.com" },
					  { "dnsqtypename", "AAAA" },
					  { "dnsqr", "false" },
					  { "udpdestinationport", "53" },
					  { "stack", "eth.ip.udp.dns" } };
	struct flow_sample fs;

	sample_of(icmp, sizeof(icmp), &fs);
	check_keys(&fs, wi, sizeof(wi) / sizeof(wi[0]), "icmp");
	sample_of(dns, sizeof(dns), &fs);
	check_keys(&fs, wq, sizeof(wq) / sizeof(wq[0]), "dns query");
	dns[14 + 20 + 8 + 2] = 0x81; /* QR */
	sample_of(dns, sizeof(dns), &fs);
	check_keys(&fs, &(struct want){ "dnsqr", "true" }, 1, "dns response");
}

TEST(tunnels)
{
	/* VXLAN VNI 5000 (0x001388) carrying 02:00:00:00:00:aa ->
	 * 02:00:00:00:00:bb, 172.16.0.1 -> 172.16.0.2 TCP 40000 -> 443 */
	static const uint8_t vx[] = { ETH(0x08), 0x00, IP4(0, 64, 17),
				      0xc0,      0x00, 0x12,
				      0xb5,      0,    70,
				      0,         0,    0x08,
				      0,         0,    0,
				      0x00,      0x13, 0x88,
				      0x00,      0x02, 0,
				      0,         0,    0,
				      0xbb,      0x02, 0,
				      0,         0,    0,
				      0xaa,      0x08, 0x00,
				      0x45,      0,    0,
				      40,        0,    0,
				      0,         0,    64,
				      6,         0,    0,
				      172,       16,   0,
				      1,         172,  16,
				      0,         2,    0x9c,
				      0x40,      0x01, 0xbb,
				      0,         0,    0,
				      0,         0,    0,
				      0,         0,    0x50,
				      0x12,      0,    0,
				      0,         0,    0,
				      0 };
	static const struct want wv[] = { { "vxlanvni", "5000" },
					  { "ipsource", "10.0.0.1" },
					  { "ipsource.1", "172.16.0.1" },
					  { "ipdestination.1", "172.16.0.2" },
					  { "macsource.1", "0200000000AA" },
					  { "tcpdestinationport.1", "443" },
					  { "tcpflags.1", "000010010" },
					  { "udpdestinationport", "4789" },
					  { "stack", "eth.ip.udp.vxlan.eth.ip.tcp" },
					  { "ipsource.2", NULL } };
	/* NVGRE: GRE with key 0x00123401 (VSID 0x1234 = 4660), Ethernet inside */
	static const uint8_t gre[] = { ETH(0x08), 0x00, IP4(0, 64, 47),
				       0x20,      0x00, 0x65,
				       0x58,      0x00, 0x12,
				       0x34,      0x01, 0x02,
				       0,         0,    0,
				       0,         0xbb, 0x02,
				       0,         0,    0,
				       0,         0xaa, 0x08,
				       0x00,      0x45, 0,
				       0,         28,   0,
				       0,         0,    0,
				       64,        17,   0,
				       0,         172,  16,
				       0,         9,    172,
				       16,        0,    10,
				       0x00,      0x44, 0x00,
				       0x43,      0,    8,
				       0,         0 };
	static const struct want wg[] = { { "grevsid", "4660" },
					  { "ipsource.1", "172.16.0.9" },
					  { "udpdestinationport.1", "67" },
					  { "stack", "eth.ip.gre.eth.ip.udp" } };
	/* IPv4 in IPv4, then MPLS label 1000 (bottom of stack) over IPv4 */
	static const uint8_t ipip[] = {
		ETH(0x08), 0x00, IP4(0, 64, 4), 0x45, 0,   0, 20,  0,  0,   0, 0, 9, 1,
		0,         0,    198,           51,   100, 1, 198, 51, 100, 2
	};
	static const uint8_t mpls[] = { ETH(0x88), 0x47, 0x00, 0x3e, 0x81, 0x40, IP4(0, 64, 17),
					0,         1,    0,    2,    0,    8,    0,
					0 };
	struct flow_sample fs;

	sample_of(vx, sizeof(vx), &fs);
	check_keys(&fs, wv, sizeof(wv) / sizeof(wv[0]), "vxlan");
	sample_of(gre, sizeof(gre), &fs);
	check_keys(&fs, wg, sizeof(wg) / sizeof(wg[0]), "nvgre");
	sample_of(ipip, sizeof(ipip), &fs);
	check_keys(&fs,
		   (struct want[]){ { "ipsource.1", "198.51.100.1" },
				    { "ipttl.1", "9" },
				    { "stack", "eth.ip.ip" } },
		   3, "ipip");
	sample_of(mpls, sizeof(mpls), &fs);
	check_keys(&fs,
		   (struct want[]){ { "mplslabel", "1000" },
				    { "ipsource", "10.0.0.1" },
				    { "udpdestinationport", "2" },
				    { "stack", "eth.mpls.ip.udp" } },
		   4, "mpls");
}

TEST(ipv6_extension_headers)
{
	/* IPv6 TC 0x28 (DSCP 10 = AF11), flow label 0x12345, hop limit 7,
	 * hop-by-hop (next 44) then a fragment header (offset 0, M set, next
	 * 17), then UDP 1000 -> 2000 */
	static const uint8_t h[] = {
		ETH(0x86), 0xdd, 0x62, 0x81, 0x23, 0x45, 0, 32, 0,  7, 0x20, 0x01, 0x0d, 0xb8,
		0,         0,    0,    0,    0,    0,    0, 0,  0,  0, 0,    1,    0x20, 0x01,
		0x0d,      0xb8, 0,    0,    0,    0,    0, 0,  0,  0, 0,    0,    0,    2,
		44,        0,    0,    0,    0,    0,    0, 0,  17, 0, 0x00, 0x01, 0,    0,
		0,         9,    0x03, 0xe8, 0x07, 0xd0, 0, 8,  0,  0
	};
	static const struct want w[] = { { "ip6source", "2001:db8::1" },
					 { "ip6destination", "2001:db8::2" },
					 { "ip6nexthdr", "17" },
					 { "ip6tos", "40" },
					 { "ip6dscp", "10" },
					 { "ip6dscpname", "AF11" },
					 { "ip6flowlabel", "74565" },
					 { "ip6ttl", "7" },
					 { "ip6fragm", "yes" },
					 { "ip6fragoffset", "0" },
					 { "udpsourceport", "1000" },
					 { "udpdestinationport", "2000" },
					 { "ipsource", NULL },
					 { "stack", "eth.ip6.udp" } };
	struct flow_sample fs;

	sample_of(h, sizeof(h), &fs);
	check_keys(&fs, w, sizeof(w) / sizeof(w[0]), "ipv6");
}

TEST(resolve_names)
{
	static const struct {
		const char *name;
		int rc;
		bool dynamic;
		unsigned depth;
	} cases[] = {
		{ "ipsource", 0, false, 0 },
		{ "ipsource.1", 0, false, 1 },
		{ "ipsource.3", 0, false, 3 },
		{ "ipsource.4", 0, true, 0 },
		{ "agent.1", 0, true, 0 },
		{ "my_app-key", 0, true, 0 },
		{ "", -1, false, 0 },
		{ "bad name", -1, false, 0 },
		{ "a:b", -1, false, 0 },
		{ "0123456789012345678901234567890123456789012345678901234567890123", -1, false,
		  0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct flow_key_ref k;
		int rc = flow_key_resolve(cases[i].name, &k);

		CHECK_EQ_U64(rc, cases[i].rc);
		if (rc == 0) {
			CHECK_EQ_U64(k.id == FLOW_KEY_DYNAMIC, cases[i].dynamic);
			CHECK_EQ_U64(k.depth, cases[i].depth);
		}
	}
}

TEST_MAIN(TEST_ENTRY(golden_sflowtool_fields), TEST_ENTRY(qinq_dscp_tcpflags),
	  TEST_ENTRY(arp_and_truncated), TEST_ENTRY(icmp_unreachable_and_dns), TEST_ENTRY(tunnels),
	  TEST_ENTRY(ipv6_extension_headers), TEST_ENTRY(resolve_names))
