/*
 * Record printers that the shared captures do not reach: discard samples,
 * tunnel and drop records, LACP, SFP, adapters, OpenFlow, JVM, BGP paths,
 * MPLS and VLAN stacks, HTTP, memcache, TCP info, sockets, rtflow. Each
 * sample is built with libsflow's encoder and printed by rtflow-dump's
 * text format; the expected lines are written by hand from the values
 * put in and sflowtool's naming and formatting rules (field prefixes,
 * "a.b.c" stack entries, "%.2f" percentages, "%u" literal in SFP names,
 * URL-encoded memcache keys with swapped hex digits ...).
 */
#include "sflow/dump/dump.h"
#include "sflow/encode.h"
#include "tests/lib/test.h"

#include <stdlib.h>

struct built {
	struct sfl_encoder e;
	uint8_t buf[4096];
	size_t len;
};

static void begin(struct built *b, const struct sfl_sample *s)
{
	struct sfl_datagram_hdr h = {
		.agent = { .type = SFL_ADDR_IP4, .addr = { 10, 0, 0, 1 } },
		.sub_agent_id = 0, .seq = 1, .uptime_ms = 1000,
	};

	memset(b, 0, sizeof(*b));
	CHECK(sfl_encode_begin(&b->e, b->buf, sizeof(b->buf), &h) == 0);
	CHECK(sfl_encode_sample_begin(&b->e, s) == 0);
}

static void add(struct built *b, enum sfl_record_kind kind, uint32_t tag,
		const union sfl_record_value *v)
{
	struct sfl_record r;

	memset(&r, 0, sizeof(r));
	r.tag = tag;
	r.kind = kind;
	r.known = true;
	r.v = *v;
	CHECK(sfl_encode_record(&b->e, &r) == 0);
}

static void end(struct built *b)
{
	CHECK(sfl_encode_sample_end(&b->e) == 0);
	b->len = sfl_encode_end(&b->e);
}

/* The lines of the one sample, between startSample and endSample. */
static char *sample_text(const struct built *b, enum print_format format)
{
	struct dump d;
	struct dump_meta m = { .frame = 1 };
	char *out = NULL, *from, *to;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	dump_init(&d, format, false, f, stderr);
	CHECK(dump_datagram(&d, b->buf, b->len, &m) == 0);
	dump_flush(&d);
	dump_fini(&d);
	fclose(f);
	if (format != PRINT_TEXT)
		return out;
	from = strstr(out, "startSample ----------------------\n");
	to = from ? strstr(from, "endSample") : NULL;
	if (!from || !to)
		return out;
	*to = '\0';
	memmove(out, from + 35, strlen(from + 35) + 1);
	return out;
}

static void expect(const struct built *b, const char *want)
{
	char *got = sample_text(b, PRINT_TEXT);

	CHECK_EQ_STR(got, want);
	free(got);
}

TEST(discard_sample)
{
	struct sfl_sample s = { .tag = SFL_SAMPLE_DISCARD, .seq = 7, .ds_class = 0, .ds_index = 3,
				.drops = 2, .input = 5, .output = 0, .reason = 258 };
	union sfl_record_value v;
	struct built b;

	begin(&b, &s);
	memset(&v, 0, sizeof(v));
	v.ipv4 = (struct sfl_flow_ipv4){ .length = 60, .protocol = 17, .src_ip = { 10, 1, 1, 1 },
					 .dst_ip = { 10, 2, 2, 2 }, .src_port = 4789,
					 .dst_port = 4789 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_IPV4_TUNNEL_IN, &v);
	v.vni.vni = 42;
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_VNI_IN, &v);
	v.decap.inner_header_offset = 14;
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_DECAP_IN, &v);
	v.function.symbol = (struct sfl_str){ "kfree_skb", 9 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_FUNCTION, &v);
	v.hw_trap = (struct sfl_ex_hw_trap){ { "l3_drops", 8 }, { "blackhole_route", 15 } };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_HW_TRAP, &v);
	v.linux_reason.reason = (struct sfl_str){ "NOT_SPECIFIED", 13 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_LINUX_REASON, &v);
	v.egress_queue.queue = 3;
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_EGRESS_QUEUE, &v);
	end(&b);
	expect(&b, "sampleType_tag 0:5\nsampleType DISCARD\nsampleSequenceNo 7\nsourceId 0:3\n"
		   "dropEvents 2\ninputPort 5\noutputPort 0\ndiscardCode 258\ndiscardReason acl\n"
		   "discarded_flowBlock_tag 0:1024\n"
		   "discarded_flowSampleType tunnel_ipv4_in_IPV4\n"
		   "discarded_tunnel_ipv4_in_sampledPacketSize 60\n"
		   "discarded_tunnel_ipv4_in_IPSize 60\n"
		   "discarded_tunnel_ipv4_in_srcIP 10.1.1.1\n"
		   "discarded_tunnel_ipv4_in_dstIP 10.2.2.2\n"
		   "discarded_tunnel_ipv4_in_IPProtocol 17\n"
		   "discarded_tunnel_ipv4_in_IPTOS 0\n"
		   "discarded_tunnel_ipv4_in_UDPSrcPort 4789\n"
		   "discarded_tunnel_ipv4_in_UDPDstPort 4789\n"
		   "discarded_flowBlock_tag 0:1030\ndiscarded_extendedType in_VNI\ndiscarded_in_VNI 42\n"
		   "discarded_flowBlock_tag 0:1028\ndiscarded_extendedType in_decap\n"
		   "discarded_in_decap_inner_header_offset 14\n"
		   "discarded_flowBlock_tag 0:1038\ndiscarded_extendedType function\n"
		   "discarded_symbol kfree_skb\n"
		   "discarded_flowBlock_tag 0:1041\ndiscarded_extendedType hw_trap\n"
		   "discarded_hw_trap_group l3_drops\ndiscarded_hw_trap_name blackhole_route\n"
		   "discarded_flowBlock_tag 0:1042\ndiscarded_extendedType linux_reason\n"
		   "discarded_linux_drop_reason NOT_SPECIFIED\n"
		   "discarded_flowBlock_tag 0:1036\ndiscarded_extendedType egress_queue\n"
		   "discarded_egress_queue_id 3\n");
}

static const struct sfl_sfp_lane one_lane[] = { { 1, 5000, 600, 500, 700, 1310, 400, 300, 800,
						  1311 } };
static const uint8_t macs[] = { 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 3 };
static const struct sfl_adapter adapters[] = {
	{ .ifindex = 1, .num_macs = 1, .macs = macs },
	{ .ifindex = 2, .num_macs = 2, .macs = macs + 6 },
};

static void build_counters(struct built *b)
{
	struct sfl_sample s = { .tag = SFL_SAMPLE_COUNTERS, .seq = 9, .ds_class = 0, .ds_index = 5 };
	union sfl_record_value v;

	begin(b, &s);
	memset(&v, 0, sizeof(v));
	v.lacp = (struct sfl_ctr_lacp){ { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff },
					{ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 }, 9, 0x01020304,
					10, 11, 12, 13, 14, 15, 16, 17 };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_LACP, &v);
	v.sfp = (struct sfl_ctr_sfp){ 1, 4, 3300, 25000,
				      { .host = one_lane, .count = 1 } };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_SFP, &v);
	v.processor = (struct sfl_ctr_processor){ 1234, -1, 0, 1000, 500 };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_PROCESSOR, &v);
	v.ofport = (struct sfl_ctr_ofport){ 0x123456789abcull, 7 };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_OFPORT, &v);
	v.host_adapters.adapters = (struct sfl_list){ .host = adapters, .count = 2 };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_HOST_ADAPTERS, &v);
	v.jvm_runtime = (struct sfl_ctr_jvm_runtime){ { "OpenJDK", 7 }, { "", 0 }, { "17", 2 } };
	add(b, SFL_KIND_COUNTERS, SFL_CTR_JVM_RUNTIME, &v);
	end(b);
}

TEST(counter_records)
{
	struct built b;

	build_counters(&b);
	expect(&b, "sampleType_tag 0:2\nsampleType COUNTERSSAMPLE\nsampleSequenceNo 9\n"
		   "sourceId 0:5\n"
		   "counterBlock_tag 0:7\nactorSystemID aabbccddeeff\npartnerSystemID 112233445566\n"
		   "attachedAggID 9\nactorAdminPortState 1\nactorOperPortState 2\n"
		   "partnerAdminPortState 3\npartnerOperPortState 4\nLACPDUsRx 10\n"
		   "markerPDUsRx 11\nmarkerResponsePDUsRx 12\nunknownRx 13\nillegalRx 14\n"
		   "LACPDUsTx 15\nmarkerPDUsTx 16\nmarkerResponsePDUsTx 17\n"
		   "counterBlock_tag 0:10\nsfp_module_id 1\nsfp_module_total_lanes 4\n"
		   "sfp_module_supply_voltage 3300\nsfp_module_temperature 25000\n"
		   "sfp_module_active_lanes 1\nsfp_lane_index.0 1\n"
		   "sfp_lane_tx_bias_current_uA.0 5000\nsfp_lane_tx_power_uW.%u.0 600\n"
		   "sfp_lane_tx_power_min_uW.%u.0 500\nsfp_lane_tx_power_max_uW.%u.0 700\n"
		   "sfp_lane_tx_wavelength_nM.%u.0 1310\nsfp_lane_rx_power_uW.%u.0 400\n"
		   "sfp_lane_rx_power_min_uW.%u.0 300\nsfp_lane_rx_power_max_uW.%u.0 800\n"
		   "sfp_lane_rx_wavelength_nM.%u.0 1311\n"
		   "counterBlock_tag 0:1001\n5s_cpu 12.34\n1m_cpu unknown\n5m_cpu 0.00\n"
		   "total_memory_bytes 1000\nfree_memory_bytes 500\n"
		   "counterBlock_tag 0:1004\nopenflow_datapath_id 0000123456789abc\n"
		   "openflow_port 7\n"
		   "counterBlock_tag 0:2001\nadaptor_0_ifIndex 1\nadaptor_0_MACs 1\n"
		   "adaptor_0_MAC_0 020000000001\nadaptor_1_ifIndex 2\nadaptor_1_MACs 2\n"
		   "adaptor_1_MAC_0 020000000002\nadaptor_1_MAC_1 020000000003\n"
		   "counterBlock_tag 0:2105\njvm_name OpenJDK\njvm_version 17\n");
}

/* JSON nests the adapters and SFP lanes (and, unlike sflowtool, always
 * closes the lane list). */
TEST(counter_records_json)
{
	struct built b;
	char *out;

	build_counters(&b);
	out = sample_text(&b, PRINT_JSON);
	CHECK(strstr(out, "\"sfp_module_active_lanes\":\"1\",\"sfp_lanes\":[{\"index\":\"1\","
			  "\"sfp_lane_index.0\":\"1\",\"tx_bias_current_uA\":\"5000\","
			  "\"sfp_lane_tx_bias_current_uA.0\":\"5000\",\"tx_power_uW.%u\":\"600\",") != NULL);
	CHECK(strstr(out, "\"sfp_lane_rx_wavelength_nM.%u.0\":\"1311\"}]}") != NULL);
	CHECK(strstr(out, "{\"counterBlock_tag\":\"0:2001\",\"adaptor_list\":[{\"ifIndex\":\"1\","
			  "\"MACs\":\"1\",\"mac_list\":[\"020000000001\" ]},{\"ifIndex\":\"2\","
			  "\"MACs\":\"2\",\"mac_list\":[\"020000000002\" ,\"020000000003\" ]}]}") != NULL);
	free(out);
}

static const struct sfl_as_path_segment path[] = {
	{ SFL_AS_SEQUENCE, { .host = (const uint32_t[]){ 65010, 65020 }, .count = 2 } },
	{ SFL_AS_SET, { .host = (const uint32_t[]){ 65030, 65040 }, .count = 2 } },
};

TEST(network_records)
{
	struct sfl_sample s = { .tag = SFL_SAMPLE_FLOW, .seq = 1, .ds_index = 4,
				.sampling_rate = 100, .sample_pool = 1000, .input = 1,
				.output_format = 2, .output = 3 };
	union sfl_record_value v;
	struct built b;

	begin(&b, &s);
	memset(&v, 0, sizeof(v));
	v.gateway = (struct sfl_ex_gateway){
		.nexthop = { SFL_ADDR_IP4, { 10, 0, 0, 254 } }, .as = 65000, .src_as = 65001,
		.src_peer_as = 65002, .as_path = { .host = path, .count = 2 },
		.communities = { .host = (const uint32_t[]){ 1, 2 }, .count = 2 }, .local_pref = 100,
	};
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_GATEWAY, &v);
	/* label 100 exp 1 bos 1 ttl 64; label 200 ttl 255; label 300 exp 7 bos 1 ttl 1 */
	v.mpls = (struct sfl_ex_mpls){ { SFL_ADDR_IP4, { 10, 0, 0, 1 } },
				       { .host = (const uint32_t[]){ 100u << 12 | 1 << 9 | 1 << 8 | 64 },
					 .count = 1 },
				       { .host = (const uint32_t[]){ 200u << 12 | 255,
								     300u << 12 | 7 << 9 | 1 << 8 | 1 },
					 .count = 2 } };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_MPLS, &v);
	v.vlan_tunnel.stack = (struct sfl_u32_array){
		.host = (const uint32_t[]){ 0x81000064, 0x88a8a00a }, .count = 2 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_VLAN_TUNNEL, &v);
	v.user = (struct sfl_ex_user){ 106, { "alice", 5 }, 106, { "bob", 3 } };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_USER, &v);
	v.nat = (struct sfl_ex_nat){ { SFL_ADDR_IP4, { 192, 168, 1, 1 } },
				     { SFL_ADDR_IP4, { 203, 0, 113, 5 } } };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_NAT, &v);
	end(&b);
	expect(&b, "sampleType_tag 0:1\nsampleType FLOWSAMPLE\nsampleSequenceNo 1\nsourceId 0:4\n"
		   "meanSkipCount 100\nsamplePool 1000\ndropEvents 0\ninputPort 1\n"
		   "outputPort multiple 3\n"
		   "flowBlock_tag 0:1003\nextendedType GATEWAY\nbgp_nexthop 10.0.0.254\n"
		   "my_as 65000\nsrc_as 65001\nsrc_peer_as 65002\n"
		   "dst_as_path 65010-65020(65030-65040)\ndst_as 65040\ndst_peer_as 65010\n"
		   "BGP_communities 1-2\nBGP_localpref 100\n"
		   "flowBlock_tag 0:1006\nextendedType MPLS\nmpls_nexthop 10.0.0.1\n"
		   "mpls_input_stack 100.1.1.64\nmpls_output_stack 200.0.0.255-300.7.1.1\n"
		   "flowBlock_tag 0:1012\nvlan_tunnel 0x81000.0.100-0x88a85.0.10\n"
		   "flowBlock_tag 0:1004\nextendedType USER\nsrc_user_charset 106\n"
		   "dst_user_charset 106\nsrc_user alice\ndst_user bob\n"
		   "flowBlock_tag 0:1007\nextendedType NAT\nnat_src 192.168.1.1\n"
		   "nat_dst 203.0.113.5\n");
}

TEST(application_records)
{
	struct sfl_sample s = { .tag = SFL_SAMPLE_FLOW_EXPANDED, .seq = 2, .ds_class = 3,
				.ds_index = 150000, .sampling_rate = 1, .sample_pool = 1,
				.output = SFL_IF_INTERNAL, .expanded = true };
	union sfl_record_value v;
	struct built b;

	begin(&b, &s);
	memset(&v, 0, sizeof(v));
	v.http = (struct sfl_flow_http){ .method = 2, .protocol = 1001, .uri = { "/a b", 4 },
					 .host = { "h", 1 }, .useragent = { "curl", 4 },
					 .mime_type = { "text/html", 9 }, .req_bytes = 10,
					 .resp_bytes = 20, .duration_us = 30, .status = 200 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_HTTP, &v);
	memset(&v, 0, sizeof(v));
	v.memcache_op = (struct sfl_flow_memcache){ 1, 2, { "a b/c", 5 }, 1, 10, 5, 1 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_MEMCACHE, &v);
	v.tcp_info = (struct sfl_ex_tcp_info){ 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_TCP_INFO, &v);
	v.entities = (struct sfl_ex_entities){ 3, 150000, 3, 150001 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_ENTITIES, &v);
	v.socket6 = (struct sfl_ex_socket6){ 6, { [15] = 1 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
					     443, 55555 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_EX_SOCKET6, &v);
	memset(&v, 0, sizeof(v));
	v.app_op = (struct sfl_flow_app){ .application = { "shop", 4 }, .status = 11 };
	add(&b, SFL_KIND_FLOW, SFL_FLOW_APP, &v);
	end(&b);
	expect(&b, "sampleType_tag 0:3\nsampleType FLOWSAMPLE\nsampleSequenceNo 2\n"
		   "sourceId 3:150000\nmeanSkipCount 1\nsamplePool 1\ndropEvents 0\ninputPort 0\n"
		   "outputPort 1073741823\n"
		   "flowBlock_tag 0:2206\nflowSampleType http\nhttp_method 2\nhttp_protocol 1001\n"
		   "http_uri /a b\nhttp_host h\nhttp_useragent curl\nhttp_mimetype text/html\n"
		   "http_request_bytes 10\nhttp_bytes 20\nhttp_duration_uS 30\nhttp_status 200\n"
		   "flowBlock_tag 0:2200\nflowSampleType memcache\nmemcache_op_protocol 1\n"
		   "memcache_op_cmd 2\nmemcache_op_key a+b%F2c\nmemcache_op_nkeys 1\n"
		   "memcache_op_value_bytes 10\nmemcache_op_duration_uS 5\nmemcache_op_status 1\n"
		   "flowBlock_tag 0:2209\ntcpinfo_direction sent\ntcpinfo_send_mss 1\n"
		   "tcpinfo_receive_mss 2\ntcpinfo_unacked_pkts 3\ntcpinfo_lost_pkts 4\n"
		   "tcpinfo_retrans_pkts 5\ntcpinfo_path_mtu 6\ntcpinfo_rtt_uS 7\n"
		   "tcpinfo_rtt_uS_var 8\ntcpinfo_send_congestion_win 9\ntcpinfo_reordering 10\n"
		   "tcpinfo_rtt_uS_min 11\n"
		   "flowBlock_tag 0:2210\nextendedType entities\nentities_src_class 3\n"
		   "entities_src_index 150000\nentities_dst_class 3\nentities_dst_index 150001\n"
		   "flowBlock_tag 0:2101\nextendedType socket6\nsocket6_ip_protocol 6\n"
		   "socket6_local_ip 0000:0000:0000:0000:0000:0000:0000:0001\n"
		   "socket6_remote_ip 2001:0db8:0000:0000:0000:0000:0000:0002\n"
		   "socket6_local_port 443\nsocket6_remote_port 55555\n"
		   "flowBlock_tag 0:2202\nflowSampleType applicationOperation\napplication shop\n"
		   "request_bytes 0\nresponse_bytes 0\nduration_uS 0\nstatus <out-of-range=11>\n");
}

/* XDR helpers for the raw rtflow body */
static size_t put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 4;
}

static size_t putstr(uint8_t *p, const char *s)
{
	size_t n = strlen(s), padded = (n + 3) & ~(size_t)3;

	put32(p, (uint32_t)n);
	memset(p + 4, 0, padded);
	for (size_t i = 0; i < n; i++) /* XDR strings carry no NUL */
		p[4 + i] = (uint8_t)s[i];
	return 4 + padded;
}

TEST(rtflow_sample)
{
	static const uint8_t mac_slot[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0 };
	static const uint8_t ip4[4] = { 10, 0, 0, 1 };
	struct sfl_sample s = { .tag = SFL_SAMPLE_RTFLOW };
	uint8_t body[512];
	size_t n = 0;
	struct built b;
	float f = 1.5f;
	double d = 2.25;
	uint32_t fbits;
	uint64_t dbits;

	memcpy(&fbits, &f, 4);
	memcpy(&dbits, &d, 8);
	n += putstr(body + n, "web");
	n += put32(body + n, 10);
	n += put32(body + n, 100);
	n += put32(body + n, 8);
	n += putstr(body + n, "host"), n += put32(body + n, 0), n += putstr(body + n, "h1");
	n += putstr(body + n, "src"), n += put32(body + n, 1);
	memcpy(body + n, mac_slot, sizeof(mac_slot)), n += sizeof(mac_slot);
	n += putstr(body + n, "ip"), n += put32(body + n, 2);
	memcpy(body + n, ip4, sizeof(ip4)), n += sizeof(ip4);
	n += putstr(body + n, "ip6"), n += put32(body + n, 3);
	memset(body + n, 0, 16), body[n + 15] = 1, n += 16;
	n += putstr(body + n, "n"), n += put32(body + n, 4), n += put32(body + n, 7);
	n += putstr(body + n, "m"), n += put32(body + n, 5), n += put32(body + n, 0),
		n += put32(body + n, 8);
	n += putstr(body + n, "f"), n += put32(body + n, 6), n += put32(body + n, fbits);
	n += putstr(body + n, "d"), n += put32(body + n, 7), n += put32(body + n, (uint32_t)(dbits >> 32)),
		n += put32(body + n, (uint32_t)dbits);
	begin(&b, &s);
	CHECK(sfl_encode_raw(&b.e, body, n) == 0);
	end(&b);
	expect(&b, "sampleType_tag 4300:1003\nsampleType RTFLOW\nrtflow_datasource_name web\n"
		   "rtflow_sampling_rate 10\nrtflow_sample_pool 100\nrtflow_string_host h1\n"
		   "rtflow_mac_src 001122334455\nrtflow_ip_ip 10.0.0.1\n"
		   "rtflow_ip6_ip6 0000:0000:0000:0000:0000:0000:0000:0001\nrtflow_int32_n 7\n"
		   "rtflow_int64_m 8\nrtflow_float_f 1.500\nrtflow_double_d 2.250\n");
}

TEST_MAIN(TEST_ENTRY(discard_sample), TEST_ENTRY(counter_records),
	  TEST_ENTRY(counter_records_json), TEST_ENTRY(network_records),
	  TEST_ENTRY(application_records), TEST_ENTRY(rtflow_sample))
