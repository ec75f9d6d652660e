/*
 * tests/unit/records_test.c: round trips of every typed record format.
 *
 * One table row per record format (and per optional form): the struct is
 * filled with a byte pattern (distinct values in every field), pointers,
 * address types and flags are then set by the row's fixup. The test
 * encodes it and checks the body length against the size computed by hand
 * from shared/reference/wire.md §1.4/§1.5; it decodes the bytes and checks
 * that re-encoding gives the same bytes. For flat records the row also
 * carries a layout string written from wire.md, from which the expected
 * bytes are built out of the struct members in declaration order: this
 * checks the field order without using the codec's own tables. Every
 * strict prefix of every encoding must fail as truncated, and one word
 * more must fail as a length error (except the grown forms of host_cpu
 * and jvm_statistics). Hand-made byte vectors for a few records follow.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sflow/decode.h"
#include "sflow/encode.h"
#include "sflow/records.h"
#include "tests/lib/test.h"

#define BUF_BYTES 2048
#define ERR_OFFSET 100 /* record body offset passed to the decoder */

struct rt_case {
	const char *name;
	enum sfl_record_kind kind;
	uint32_t tag;
	void (*fix)(union sfl_record_value *v); /* pointers, types, flags; may be NULL */
	uint32_t len;                          /* body bytes, computed by hand */
	const char *layout;                    /* flat records: see layout_bytes() */
};

/* ---- helpers ---- */

static unsigned int nibble(char c)
{
	return isdigit((unsigned char)c) ? (unsigned int)(c - '0')
					 : (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
}

/* Bytes of a hex string; blanks are ignored, digits come in pairs. */
static size_t hex(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		out[n++] = (uint8_t)(nibble(s[0]) << 4 | nibble(s[1]));
		s++;
	}
	return n;
}

static void fill_pattern(union sfl_record_value *v)
{
	uint8_t *p = (uint8_t *)v;

	for (size_t i = 0; i < sizeof(*v); i++)
		p[i] = (uint8_t)(0x31 + 0x9d * (i + 1) + (i >> 8));
}

static int encode(enum sfl_record_kind kind, uint32_t tag, const union sfl_record_value *v,
		  uint8_t *buf, size_t *len)
{
	struct sfl_writer w;
	int rc;

	sfl_writer_init(&w, buf, BUF_BYTES);
	rc = sfl_record_encode_body(&w, kind, tag, v);
	*len = sfl_writer_len(&w);
	return w.full ? -1 : rc;
}

static int decode(enum sfl_record_kind kind, uint32_t tag, const uint8_t *body, size_t len,
		  struct sfl_record *rec, struct sfl_error *err)
{
	memset(rec, 0, sizeof(*rec));
	memset(err, 0, sizeof(*err));
	rec->kind = kind;
	rec->tag = tag;
	rec->body = body;
	rec->len = (uint32_t)len;
	return sfl_record_decode(rec, ERR_OFFSET, err);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static size_t align_to(size_t off, size_t a)
{
	return (off + a - 1) / a * a;
}

/*
 * Expected wire bytes of a flat struct from a layout written from wire.md:
 * 'w' 32-bit word (also float), 'h' 64-bit hyper, 'm' MAC (6 bytes in the
 * struct, 8 on the wire), 'a' IPv4 (4), 'A' IPv6 (16); a decimal count
 * repeats the next letter. Members are taken in declaration order with
 * their natural alignment. Returns the wire length.
 */
static size_t layout_bytes(const char *layout, const void *st, uint8_t *out)
{
	const uint8_t *s = st;
	size_t off = 0, n = 0;

	while (*layout) {
		unsigned int rep = 0;

		while (isdigit((unsigned char)*layout))
			rep = rep * 10 + (unsigned int)(*layout++ - '0');
		char c = *layout++;

		for (unsigned int i = 0; i < (rep ? rep : 1); i++) {
			uint32_t w32;
			uint64_t w64;

			switch (c) {
			case 'w':
				off = align_to(off, 4);
				memcpy(&w32, s + off, 4);
				put32(out + n, w32);
				off += 4, n += 4;
				break;
			case 'h':
				off = align_to(off, 8);
				memcpy(&w64, s + off, 8);
				put32(out + n, (uint32_t)(w64 >> 32));
				put32(out + n + 4, (uint32_t)w64);
				off += 8, n += 8;
				break;
			case 'm':
				memcpy(out + n, s + off, 6);
				memset(out + n + 6, 0, 2);
				off += 6, n += 8;
				break;
			case 'a':
			case 'A': {
				size_t k = c == 'a' ? 4 : 16;

				memcpy(out + n, s + off, k);
				off += k, n += k;
				break;
			}
			}
		}
	}
	return n;
}

/* ---- fixups: the members the byte pattern cannot fill ---- */

static const uint8_t pkt[6] = { 0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd };

static void set_str(struct sfl_str *s, const char *text)
{
	s->ptr = text;
	s->len = (uint32_t)strlen(text);
}

static void fix_header(union sfl_record_value *v)
{
	v->header.header.ptr = pkt;
	v->header.header.len = 5;
}

static void fix_router6(union sfl_record_value *v)
{
	v->router.nexthop.type = SFL_ADDR_IP6;
}

static void fix_router4(union sfl_record_value *v)
{
	v->router.nexthop.type = SFL_ADDR_IP4;
}

static const uint32_t set_asns[] = { 65001, 65002 };
static const uint32_t seq_asns[] = { 65003, 65004, 65005 };
static const struct sfl_as_path_segment segs[] = {
	{ SFL_AS_SET, { NULL, set_asns, 2 } },
	{ SFL_AS_SEQUENCE, { NULL, seq_asns, 3 } },
};
static const uint32_t communities[] = { 0xfde80001, 0xfde80002 };

static void fix_gateway(union sfl_record_value *v)
{
	v->gateway.nexthop.type = SFL_ADDR_IP4;
	v->gateway.as_path = (struct sfl_list){ .host = segs, .count = 2 };
	v->gateway.communities = (struct sfl_u32_array){ NULL, communities, 2 };
}

static void fix_user(union sfl_record_value *v)
{
	set_str(&v->user.src_user, "alice");
	set_str(&v->user.dst_user, "bob");
}

static void fix_url(union sfl_record_value *v)
{
	set_str(&v->url.url, "http://x/y");
	set_str(&v->url.host, "host");
}

static const uint32_t labels_in[] = { 0x00010140, 0x00020140, 0x00030140 };

static void fix_mpls(union sfl_record_value *v)
{
	v->mpls.nexthop.type = SFL_ADDR_IP4;
	v->mpls.in_stack = (struct sfl_u32_array){ NULL, labels_in, 3 };
	v->mpls.out_stack = (struct sfl_u32_array){ NULL, labels_in + 2, 1 };
}

static void fix_nat(union sfl_record_value *v)
{
	v->nat.src.type = SFL_ADDR_IP4;
	v->nat.dst.type = SFL_ADDR_IP6;
}

static void fix_mpls_tunnel(union sfl_record_value *v)
{
	set_str(&v->mpls_tunnel.name, "lsp1");
}

static void fix_mpls_vc(union sfl_record_value *v)
{
	set_str(&v->mpls_vc.name, "vc-name");
}

static void fix_mpls_ftn(union sfl_record_value *v)
{
	set_str(&v->mpls_ftn.descr, "ftn");
}

static const uint32_t vlan_stack[] = { 0x88a80064, 0x810000c8 };

static void fix_vlan_tunnel(union sfl_record_value *v)
{
	v->vlan_tunnel.stack = (struct sfl_u32_array){ NULL, vlan_stack, 2 };
}

static void fix_80211_payload(union sfl_record_value *v)
{
	v->wifi_payload.header.header.ptr = pkt;
	v->wifi_payload.header.header.len = 6;
}

static void fix_80211_rx(union sfl_record_value *v)
{
	set_str(&v->wifi_rx.ssid, "wlan");
}

static void fix_80211_tx(union sfl_record_value *v)
{
	set_str(&v->wifi_tx.ssid, "wlan");
}

static void fix_function(union sfl_record_value *v)
{
	set_str(&v->function.symbol, "kfree_skb");
}

static void fix_hw_trap(union sfl_record_value *v)
{
	set_str(&v->hw_trap.group, "l2_drops");
	set_str(&v->hw_trap.trap, "ingress_vlan_filter");
}

static void fix_linux_reason(union sfl_record_value *v)
{
	set_str(&v->linux_reason.reason, "NETFILTER_DROP");
}

static void fix_memcache_op(union sfl_record_value *v)
{
	set_str(&v->memcache_op.key, "k1");
}

static void fix_http_old(union sfl_record_value *v)
{
	set_str(&v->http_old.uri, "/index.html");
	set_str(&v->http_old.host, "example.com");
	set_str(&v->http_old.referer, "");
	set_str(&v->http_old.useragent, "curl/8");
	set_str(&v->http_old.authuser, "");
	set_str(&v->http_old.mime_type, "text/html");
}

static void fix_app_op(union sfl_record_value *v)
{
	set_str(&v->app_op.application, "db");
	set_str(&v->app_op.operation, "query");
	set_str(&v->app_op.attributes, "a=1");
	set_str(&v->app_op.status_descr, "OK");
}

static void fix_app_ctxt(union sfl_record_value *v)
{
	set_str(&v->app_ctxt.application, "db");
	set_str(&v->app_ctxt.operation, "query");
	set_str(&v->app_ctxt.attributes, "a=1");
}

static void fix_app_actor(union sfl_record_value *v)
{
	set_str(&v->app_actor.actor, "client");
}

static void fix_http(union sfl_record_value *v)
{
	set_str(&v->http.uri, "/");
	set_str(&v->http.host, "h");
	set_str(&v->http.referer, "");
	set_str(&v->http.useragent, "ua");
	set_str(&v->http.xff, "10.0.0.1");
	set_str(&v->http.authuser, "");
	set_str(&v->http.mime_type, "text/plain");
}

static void fix_proxy_request(union sfl_record_value *v)
{
	set_str(&v->proxy_request.uri, "/a");
	set_str(&v->proxy_request.host, "b");
}

static const struct sfl_sfp_lane lanes[] = {
	{ 1, 6000, 500, 100, 900, 1310, 450, 90, 880, 1311 },
	{ 2, 6100, 510, 110, 910, 1330, 460, 95, 890, 1331 },
};

static void fix_sfp(union sfl_record_value *v)
{
	v->sfp.lanes = (struct sfl_list){ .host = lanes, .count = 2 };
}

static void fix_portname(union sfl_record_value *v)
{
	set_str(&v->portname.name, "eth0");
}

static void fix_host_descr(union sfl_record_value *v)
{
	set_str(&v->host_descr.hostname, "vm");
	set_str(&v->host_descr.os_release, "6.1.0-13-amd64");
}

static const uint8_t macs_a[6] = { 0x02, 0xfc, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t macs_b[12] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01,
				    0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x02 };
static const struct sfl_adapter adapters[] = {
	{ 4, 1, macs_a, false },
	{ 7, 2, macs_b, false },
};

static void fix_host_adapters(union sfl_record_value *v)
{
	v->host_adapters.adapters = (struct sfl_list){ .host = adapters, .count = 2 };
}

static void fix_host_cpu80(union sfl_record_value *v)
{
	v->host_cpu.load_one = 0.25f;
	v->host_cpu.load_five = 1.5f;
	v->host_cpu.load_fifteen = 2.75f;
	v->host_cpu.has_steal = true;
}

static void fix_host_cpu68(union sfl_record_value *v)
{
	fix_host_cpu80(v);
	v->host_cpu.has_steal = false;
}

static void fix_jvm_runtime(union sfl_record_value *v)
{
	set_str(&v->jvm_runtime.vm_name, "OpenJDK 64-Bit Server VM");
	set_str(&v->jvm_runtime.vm_vendor, "Oracle");
	set_str(&v->jvm_runtime.vm_version, "17.0.2");
}

static void fix_jvm108(union sfl_record_value *v)
{
	v->jvm_stats.has_fds = true;
}

static void fix_jvm100(union sfl_record_value *v)
{
	v->jvm_stats.has_fds = false;
}

static void fix_ctr_app(union sfl_record_value *v)
{
	set_str(&v->app.application, "web");
}

#define FLOW SFL_KIND_FLOW
#define CTR SFL_KIND_COUNTERS

static const struct rt_case cases[] = {
	{ "sampled_header", FLOW, SFL_FLOW_HEADER, fix_header, 24, NULL },
	{ "sampled_ethernet", FLOW, SFL_FLOW_ETHERNET, NULL, 24, "w2mw" },
	{ "sampled_ipv4", FLOW, SFL_FLOW_IPV4, NULL, 32, "2w2a4w" },
	{ "sampled_ipv6", FLOW, SFL_FLOW_IPV6, NULL, 56, "2w2A4w" },
	{ "extended_switch", FLOW, SFL_FLOW_EX_SWITCH, NULL, 16, "4w" },
	{ "extended_router ipv6", FLOW, SFL_FLOW_EX_ROUTER, fix_router6, 28, NULL },
	{ "extended_router ipv4", FLOW, SFL_FLOW_EX_ROUTER, fix_router4, 16, NULL },
	{ "extended_gateway", FLOW, SFL_FLOW_EX_GATEWAY, fix_gateway, 76, NULL },
	{ "extended_user", FLOW, SFL_FLOW_EX_USER, fix_user, 28, NULL },
	{ "extended_url", FLOW, SFL_FLOW_EX_URL, fix_url, 28, NULL },
	{ "extended_mpls", FLOW, SFL_FLOW_EX_MPLS, fix_mpls, 32, NULL },
	{ "extended_nat", FLOW, SFL_FLOW_EX_NAT, fix_nat, 28, NULL },
	{ "extended_mpls_tunnel", FLOW, SFL_FLOW_EX_MPLS_TUNNEL, fix_mpls_tunnel, 16, NULL },
	{ "extended_mpls_vc", FLOW, SFL_FLOW_EX_MPLS_VC, fix_mpls_vc, 20, NULL },
	{ "extended_mpls_FTN", FLOW, SFL_FLOW_EX_MPLS_FTN, fix_mpls_ftn, 12, NULL },
	{ "extended_mpls_LDP_FEC", FLOW, SFL_FLOW_EX_MPLS_LDP_FEC, NULL, 4, "w" },
	{ "extended_vlantunnel", FLOW, SFL_FLOW_EX_VLAN_TUNNEL, fix_vlan_tunnel, 12, NULL },
	{ "extended_80211_payload", FLOW, SFL_FLOW_EX_80211_PAYLOAD, fix_80211_payload, 28, NULL },
	{ "extended_80211_rx", FLOW, SFL_FLOW_EX_80211_RX, fix_80211_rx, 44, NULL },
	{ "extended_80211_tx", FLOW, SFL_FLOW_EX_80211_TX, fix_80211_tx, 48, NULL },
	{ "extended_nat_port", FLOW, SFL_FLOW_EX_NAT_PORT, NULL, 8, "2w" },
	{ "extended_L2_tunnel_egress", FLOW, SFL_FLOW_EX_L2_TUNNEL_OUT, NULL, 24, "w2mw" },
	{ "extended_L2_tunnel_ingress", FLOW, SFL_FLOW_EX_L2_TUNNEL_IN, NULL, 24, "w2mw" },
	{ "extended_ipv4_tunnel_egress", FLOW, SFL_FLOW_EX_IPV4_TUNNEL_OUT, NULL, 32, "2w2a4w" },
	{ "extended_ipv4_tunnel_ingress", FLOW, SFL_FLOW_EX_IPV4_TUNNEL_IN, NULL, 32, "2w2a4w" },
	{ "extended_ipv6_tunnel_egress", FLOW, SFL_FLOW_EX_IPV6_TUNNEL_OUT, NULL, 56, "2w2A4w" },
	{ "extended_ipv6_tunnel_ingress", FLOW, SFL_FLOW_EX_IPV6_TUNNEL_IN, NULL, 56, "2w2A4w" },
	{ "extended_decapsulate_egress", FLOW, SFL_FLOW_EX_DECAP_OUT, NULL, 4, "w" },
	{ "extended_decapsulate_ingress", FLOW, SFL_FLOW_EX_DECAP_IN, NULL, 4, "w" },
	{ "extended_vni_egress", FLOW, SFL_FLOW_EX_VNI_OUT, NULL, 4, "w" },
	{ "extended_vni_ingress", FLOW, SFL_FLOW_EX_VNI_IN, NULL, 4, "w" },
	{ "extended_egress_queue", FLOW, SFL_FLOW_EX_EGRESS_QUEUE, NULL, 4, "w" },
	{ "extended_function", FLOW, SFL_FLOW_EX_FUNCTION, fix_function, 16, NULL },
	{ "extended_transit", FLOW, SFL_FLOW_EX_TRANSIT_DELAY, NULL, 4, "w" },
	{ "extended_queue", FLOW, SFL_FLOW_EX_QUEUE_DEPTH, NULL, 4, "w" },
	{ "extended_hw_trap", FLOW, SFL_FLOW_EX_HW_TRAP, fix_hw_trap, 36, NULL },
	{ "extended_linux_drop_reason", FLOW, SFL_FLOW_EX_LINUX_REASON, fix_linux_reason, 20, NULL },
	{ "extended_timestamp", FLOW, SFL_FLOW_EX_TIMESTAMP, NULL, 8, "h" },
	{ "extended_socket_ipv4", FLOW, SFL_FLOW_EX_SOCKET4, NULL, 20, "w2a2w" },
	{ "extended_socket_ipv6", FLOW, SFL_FLOW_EX_SOCKET6, NULL, 44, "w2A2w" },
	{ "extended_proxy_socket_ipv4", FLOW, SFL_FLOW_EX_PROXY_SOCKET4, NULL, 20, "w2a2w" },
	{ "extended_proxy_socket_ipv6", FLOW, SFL_FLOW_EX_PROXY_SOCKET6, NULL, 44, "w2A2w" },
	{ "memcache_operation", FLOW, SFL_FLOW_MEMCACHE, fix_memcache_op, 32, NULL },
	{ "http_request 2201", FLOW, SFL_FLOW_HTTP_OLD, fix_http_old, 92, NULL },
	{ "app_operation", FLOW, SFL_FLOW_APP, fix_app_op, 60, NULL },
	{ "app_parent_context", FLOW, SFL_FLOW_APP_CTXT, fix_app_ctxt, 28, NULL },
	{ "app_initiator", FLOW, SFL_FLOW_APP_ACTOR_INIT, fix_app_actor, 12, NULL },
	{ "app_target", FLOW, SFL_FLOW_APP_ACTOR_TGT, fix_app_actor, 12, NULL },
	{ "http_request", FLOW, SFL_FLOW_HTTP, fix_http, 92, NULL },
	{ "extended_proxy_request", FLOW, SFL_FLOW_EX_PROXY_REQUEST, fix_proxy_request, 16, NULL },
	{ "extended_tcp_info", FLOW, SFL_FLOW_EX_TCP_INFO, NULL, 48, "12w" },
	{ "extended_entities", FLOW, SFL_FLOW_EX_ENTITIES, NULL, 16, "4w" },

	{ "if_counters", CTR, SFL_CTR_GENERIC, NULL, 88, "2wh2wh6wh6w" },
	{ "ethernet_counters", CTR, SFL_CTR_ETHERNET, NULL, 52, "13w" },
	{ "tokenring_counters", CTR, SFL_CTR_TOKENRING, NULL, 72, "18w" },
	{ "vg_counters", CTR, SFL_CTR_VG, NULL, 80, "whwh5whw3h" },
	{ "vlan_counters", CTR, SFL_CTR_VLAN, NULL, 28, "wh4w" },
	{ "ieee80211_counters", CTR, SFL_CTR_80211, NULL, 80, "20w" },
	{ "lag_port_stats", CTR, SFL_CTR_LACP, NULL, 56, "2m10w" },
	{ "sfp", CTR, SFL_CTR_SFP, fix_sfp, 100, NULL },
	{ "pfc", CTR, SFL_CTR_PFC, NULL, 20, "5w" },
	{ "processor", CTR, SFL_CTR_PROCESSOR, NULL, 28, "3w2h" },
	{ "radio_utilization", CTR, SFL_CTR_RADIO, NULL, 12, "3w" },
	{ "of_port", CTR, SFL_CTR_OFPORT, NULL, 12, "hw" },
	{ "port_name", CTR, SFL_CTR_PORTNAME, fix_portname, 8, NULL },
	{ "host_descr", CTR, SFL_CTR_HOST_DESCR, fix_host_descr, 52, NULL },
	{ "host_adapters", CTR, SFL_CTR_HOST_ADAPTERS, fix_host_adapters, 44, NULL },
	{ "host_parent", CTR, SFL_CTR_HOST_PARENT, NULL, 8, "2w" },
	{ "host_cpu 80", CTR, SFL_CTR_HOST_CPU, fix_host_cpu80, 80, "20w" },
	{ "host_cpu 68", CTR, SFL_CTR_HOST_CPU, fix_host_cpu68, 68, "17w" },
	{ "host_memory", CTR, SFL_CTR_HOST_MEM, NULL, 72, "7h4w" },
	{ "host_disk_io", CTR, SFL_CTR_HOST_DISK, NULL, 52, "2h2wh2whw" },
	{ "host_net_io", CTR, SFL_CTR_HOST_NIO, NULL, 40, "h3wh3w" },
	{ "mib2_ip_group", CTR, SFL_CTR_HOST_IP, NULL, 76, "19w" },
	{ "mib2_icmp_group", CTR, SFL_CTR_HOST_ICMP, NULL, 100, "25w" },
	{ "mib2_tcp_group", CTR, SFL_CTR_HOST_TCP, NULL, 60, "15w" },
	{ "mib2_udp_group", CTR, SFL_CTR_HOST_UDP, NULL, 28, "7w" },
	{ "virt_node", CTR, SFL_CTR_VIRT_NODE, NULL, 28, "2w2hw" },
	{ "virt_cpu", CTR, SFL_CTR_VIRT_CPU, NULL, 12, "3w" },
	{ "virt_memory", CTR, SFL_CTR_VIRT_MEM, NULL, 16, "2h" },
	{ "virt_disk_io", CTR, SFL_CTR_VIRT_DISK, NULL, 52, "3hwhwhw" },
	{ "virt_net_io", CTR, SFL_CTR_VIRT_NIO, NULL, 40, "h3wh3w" },
	{ "jvm_runtime", CTR, SFL_CTR_JVM_RUNTIME, fix_jvm_runtime, 52, NULL },
	{ "jvm_statistics 108", CTR, SFL_CTR_JVM_STATS, fix_jvm108, 108, "8h11w" },
	{ "jvm_statistics 100", CTR, SFL_CTR_JVM_STATS, fix_jvm100, 100, "8h9w" },
	{ "memcache_counters 2200", CTR, SFL_CTR_MEMCACHE_OLD, NULL, 144, "22w2h5wh3w" },
	{ "http_counters", CTR, SFL_CTR_HTTP, NULL, 60, "15w" },
	{ "app_operations", CTR, SFL_CTR_APP, fix_ctr_app, 52, NULL },
	{ "app_resources", CTR, SFL_CTR_APP_RESOURCES, NULL, 40, "2w2h4w" },
	{ "memcache_counters", CTR, SFL_CTR_MEMCACHE, NULL, 140, "27w4h" },
	{ "vdi_counters", CTR, SFL_CTR_VDI, NULL, 92, "23w" },
	{ "app_workers", CTR, SFL_CTR_APP_WORKERS, NULL, 20, "5w" },
	{ "ovs_dp_stats", CTR, SFL_CTR_OVS_DP, NULL, 24, "6w" },
	{ "nvml_gpu", CTR, SFL_CTR_NVML_GPU, NULL, 48, "4w2h4w" },
	{ "bcm_tables", CTR, SFL_CTR_BCM_TABLES, NULL, 144, "36w" },
};

#define NUM_CASES (sizeof(cases) / sizeof(cases[0]))

static void build(const struct rt_case *c, union sfl_record_value *v)
{
	fill_pattern(v);
	if (c->fix)
		c->fix(v);
}

/* Grown forms: a shorter prefix that is itself a valid old form. */
static bool old_form(const struct rt_case *c, size_t len)
{
	return c->kind == CTR && ((c->tag == SFL_CTR_HOST_CPU && len == 68) ||
				  (c->tag == SFL_CTR_JVM_STATS && len == 100));
}

/* ---- table-driven tests ---- */

TEST(every_format_has_a_case)
{
	/* Every tag the codec knows appears in the table and vice versa. */
	for (size_t i = 0; i < NUM_CASES; i++)
		CHECK(sfl_record_known(cases[i].kind, cases[i].tag));
	for (uint32_t kind = 0; kind < 2; kind++) {
		for (uint32_t fmt = 0; fmt < 4096; fmt++) {
			bool in_table = false;

			if (!sfl_record_known(kind, fmt))
				continue;
			for (size_t i = 0; i < NUM_CASES; i++)
				in_table |= cases[i].kind == kind && cases[i].tag == fmt;
			if (!in_table)
				printf("  no case for kind %u format %u\n", kind, fmt);
			CHECK(in_table);
		}
	}
}

TEST(round_trip_every_format)
{
	for (size_t i = 0; i < NUM_CASES; i++) {
		const struct rt_case *c = &cases[i];
		union sfl_record_value v;
		uint8_t b1[BUF_BYTES], b2[BUF_BYTES];
		size_t n1 = 0, n2 = 0;
		struct sfl_record rec;
		struct sfl_error err;

		build(c, &v);
		CHECK(encode(c->kind, c->tag, &v, b1, &n1) == 0);
		if (n1 != c->len)
			printf("  %s: encoded %zu bytes, expected %u\n", c->name, n1, c->len);
		CHECK_EQ_U64(n1, c->len);
		if (decode(c->kind, c->tag, b1, n1, &rec, &err) != 0)
			printf("  %s: decode error %d at %u\n", c->name, err.code, err.offset);
		CHECK(rec.known);
		CHECK(encode(c->kind, c->tag, &rec.v, b2, &n2) == 0);
		CHECK_EQ_U64(n2, n1);
		if (n1 != n2 || memcmp(b1, b2, n1) != 0)
			printf("  %s: re-encoded bytes differ\n", c->name);
		CHECK_MEM(b1, b2, n1 < n2 ? n1 : n2);
		/* Same through sfl_record_encode(), which knows the body. */
		struct sfl_writer w;

		sfl_writer_init(&w, b2, sizeof(b2));
		CHECK(sfl_record_encode(&w, &rec) == 0);
		CHECK_EQ_U64(sfl_writer_len(&w), n1);
		CHECK_MEM(b1, b2, n1);
	}
}

TEST(flat_records_follow_wire_order)
{
	for (size_t i = 0; i < NUM_CASES; i++) {
		const struct rt_case *c = &cases[i];
		union sfl_record_value v;
		uint8_t got[BUF_BYTES], want[BUF_BYTES];
		size_t n = 0, m;

		if (!c->layout)
			continue;
		build(c, &v);
		CHECK(encode(c->kind, c->tag, &v, got, &n) == 0);
		m = layout_bytes(c->layout, &v, want);
		CHECK_EQ_U64(m, c->len);
		if (m != n || memcmp(got, want, n) != 0)
			printf("  %s: bytes differ from the wire.md layout\n", c->name);
		CHECK_MEM(got, want, n < m ? n : m);
	}
}

TEST(every_prefix_is_truncated)
{
	for (size_t i = 0; i < NUM_CASES; i++) {
		const struct rt_case *c = &cases[i];
		union sfl_record_value v;
		uint8_t b[BUF_BYTES];
		size_t n = 0;

		build(c, &v);
		CHECK(encode(c->kind, c->tag, &v, b, &n) == 0);
		for (size_t k = 0; k < n; k++) {
			/* An exact-size copy, so ASan sees any read past the end. */
			uint8_t *copy = malloc(k ? k : 1);
			struct sfl_record rec;
			struct sfl_error err;
			int rc;

			memcpy(copy, b, k);
			rc = decode(c->kind, c->tag, copy, k, &rec, &err);
			if (old_form(c, k)) {
				CHECK(rc == 0 && rec.known);
			} else {
				if (rc != -1 || err.code != SFL_ERR_TRUNCATED)
					printf("  %s: prefix %zu gave rc %d code %d\n", c->name,
					       k, rc, err.code);
				CHECK(rc == -1 && err.code == SFL_ERR_TRUNCATED && !rec.known);
				CHECK(err.offset >= ERR_OFFSET && err.offset <= ERR_OFFSET + k);
				CHECK_EQ_STR(err.what, sfl_record_name(c->kind, c->tag));
			}
			free(copy);
		}
	}
}

TEST(one_word_too_many_is_a_length_error)
{
	for (size_t i = 0; i < NUM_CASES; i++) {
		const struct rt_case *c = &cases[i];
		union sfl_record_value v;
		uint8_t b[BUF_BYTES];
		size_t n = 0;
		struct sfl_record rec;
		struct sfl_error err;
		bool grown = c->kind == CTR &&
			     (c->tag == SFL_CTR_HOST_CPU || c->tag == SFL_CTR_JVM_STATS);
		int rc;

		build(c, &v);
		CHECK(encode(c->kind, c->tag, &v, b, &n) == 0);
		memset(b + n, 0, 4);
		rc = decode(c->kind, c->tag, b, n + 4, &rec, &err);
		if (grown && n == c->len && (c->len == 80 || c->len == 108)) {
			CHECK(rc == 0 && rec.known);
			continue;
		}
		if (grown) {
			/* 72 or 104 bytes: the optional tail is cut short. */
			CHECK(rc == -1 && err.code == SFL_ERR_TRUNCATED);
			continue;
		}
		CHECK(rc == -1 && !rec.known);
		CHECK_EQ_U64(err.code, SFL_ERR_LENGTH);
		CHECK_EQ_U64(err.offset, ERR_OFFSET);
		CHECK_EQ_U64(err.expected, n + 4);
		CHECK_EQ_U64(err.found, n);
		CHECK_EQ_STR(err.what, sfl_record_name(c->kind, c->tag));
	}
}

/* ---- hand-made vectors ---- */

TEST(sampled_ipv4_from_wire_md_example)
{
	/* shared/reference/wire.md §1.2, nxthdr__sflow.pcap record 0:3. */
	uint8_t b[64], out[64];
	size_t n = hex("00000028 00000006 03030303 04040404"
		       "0000cf28 000063da 00000010 00000070", b), m = 0;
	struct sfl_record rec;
	struct sfl_error err;
	const struct sfl_flow_ipv4 *ip = &rec.v.ipv4;

	CHECK(decode(FLOW, SFL_FLOW_IPV4, b, n, &rec, &err) == 0);
	CHECK(rec.known);
	CHECK_EQ_U64(ip->length, 40);
	CHECK_EQ_U64(ip->protocol, 6);
	CHECK_MEM(ip->src_ip, "\x03\x03\x03\x03", 4);
	CHECK_MEM(ip->dst_ip, "\x04\x04\x04\x04", 4);
	CHECK_EQ_U64(ip->src_port, 53032);
	CHECK_EQ_U64(ip->dst_port, 25562);
	CHECK_EQ_U64(ip->tcp_flags, 0x10);
	CHECK_EQ_U64(ip->tos, 0x70);
	CHECK(encode(FLOW, SFL_FLOW_IPV4, &rec.v, out, &m) == 0);
	CHECK_EQ_U64(m, 32);
	CHECK_MEM(out, b, 32);
}

TEST(extended_switch_bytes)
{
	union sfl_record_value v = { .ex_switch = { 10, 3, 20, 0xffffffff } };
	uint8_t want[16], got[64];
	size_t n = 0;
	struct sfl_record rec;
	struct sfl_error err;

	hex("0000000a 00000003 00000014 ffffffff", want);
	CHECK(encode(FLOW, SFL_FLOW_EX_SWITCH, &v, got, &n) == 0);
	CHECK_EQ_U64(n, 16);
	CHECK_MEM(got, want, 16);
	CHECK(decode(FLOW, SFL_FLOW_EX_SWITCH, want, 16, &rec, &err) == 0);
	CHECK_EQ_U64(rec.v.ex_switch.src_vlan, 10);
	CHECK_EQ_U64(rec.v.ex_switch.src_priority, 3);
	CHECK_EQ_U64(rec.v.ex_switch.dst_vlan, 20);
	CHECK_EQ_U64(rec.v.ex_switch.dst_priority, 0xffffffff);
}

TEST(host_descr_raw_uuid)
{
	/* wire.md §1.6: hostname "vm" + 15-byte os_release = 8 + 16 + 8 + 20. */
	static const uint8_t uuid[16] = { 0x9f, 0x3c, 0x2a, 0x1e, 0x5b, 0x6d, 0x4e, 0x7f,
					  0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b };
	union sfl_record_value v;
	uint8_t want[64], got[64];
	size_t wn, n = 0;
	struct sfl_record rec;
	struct sfl_error err;
	const struct sfl_ctr_host_descr *h = &rec.v.host_descr;

	memset(&v, 0, sizeof(v));
	set_str(&v.host_descr.hostname, "vm");
	memcpy(v.host_descr.uuid, uuid, 16);
	v.host_descr.machine_type = 3;
	v.host_descr.os_name = 2;
	set_str(&v.host_descr.os_release, "6.18.44-fc-v669");
	wn = hex("00000002 766d0000"
		 "9f3c2a1e 5b6d4e7f 8a9b0c1d 2e3f4a5b"
		 "00000003 00000002"
		 "0000000f 362e3138 2e34342d 66632d76 36363900", want);
	CHECK_EQ_U64(wn, 52);
	CHECK(encode(CTR, SFL_CTR_HOST_DESCR, &v, got, &n) == 0);
	CHECK_EQ_U64(n, 52);
	CHECK_MEM(got, want, 52);
	CHECK(decode(CTR, SFL_CTR_HOST_DESCR, want, wn, &rec, &err) == 0);
	CHECK(h->hostname.len == 2 && memcmp(h->hostname.ptr, "vm", 2) == 0);
	CHECK_MEM(h->uuid, uuid, 16);
	CHECK_EQ_U64(h->machine_type, 3);
	CHECK_EQ_U64(h->os_name, 2);
	CHECK(h->os_release.len == 15 && memcmp(h->os_release.ptr, "6.18.44-fc-v669", 15) == 0);
}

TEST(host_adapters_eight_byte_macs)
{
	union sfl_record_value v;
	uint8_t want[64], got[64];
	size_t wn, n = 0;
	struct sfl_record rec;
	struct sfl_error err;
	struct sfl_list_iter it;
	struct sfl_adapter ad;

	memset(&v, 0, sizeof(v));
	fix_host_adapters(&v);
	wn = hex("00000002"
		 "00000004 00000001 02fc0000 00010000"
		 "00000007 00000002 aabbccdd ee010000 aabbccdd ee020000", want);
	CHECK(encode(CTR, SFL_CTR_HOST_ADAPTERS, &v, got, &n) == 0);
	CHECK_EQ_U64(n, wn);
	CHECK_MEM(got, want, wn);
	CHECK(decode(CTR, SFL_CTR_HOST_ADAPTERS, want, wn, &rec, &err) == 0);
	CHECK_EQ_U64(rec.v.host_adapters.adapters.count, 2);
	sfl_list_iter_init(&it, &rec.v.host_adapters.adapters);
	CHECK(sfl_adapter_next(&it, &ad));
	CHECK_EQ_U64(ad.ifindex, 4);
	CHECK_EQ_U64(ad.num_macs, 1);
	CHECK(ad.macs_xdr);
	CHECK_MEM(sfl_adapter_mac(&ad, 0), macs_a, 6);
	CHECK(sfl_adapter_next(&it, &ad));
	CHECK_EQ_U64(ad.ifindex, 7);
	CHECK_EQ_U64(ad.num_macs, 2);
	CHECK_MEM(sfl_adapter_mac(&ad, 0), macs_b, 6);
	CHECK_MEM(sfl_adapter_mac(&ad, 1), macs_b + 6, 6);
	CHECK(!sfl_adapter_next(&it, &ad));
}

TEST(gateway_as_set_sequence_communities)
{
	union sfl_record_value v;
	uint8_t want[128], got[128];
	size_t wn, n = 0;
	struct sfl_record rec;
	struct sfl_error err;
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	const struct sfl_ex_gateway *g = &rec.v.gateway;

	memset(&v, 0, sizeof(v));
	fix_gateway(&v);
	memcpy(v.gateway.nexthop.addr, "\xc0\x00\x02\x01", 4);
	v.gateway.as = 65000;
	v.gateway.src_as = 65100;
	v.gateway.src_peer_as = 65200;
	v.gateway.local_pref = 100;
	wn = hex("00000001 c0000201 0000fde8 0000fe4c 0000feb0"
		 "00000002"
		 "00000001 00000002 0000fde9 0000fdea"
		 "00000002 00000003 0000fdeb 0000fdec 0000fded"
		 "00000002 fde80001 fde80002"
		 "00000064", want);
	CHECK_EQ_U64(wn, 76);
	CHECK(encode(FLOW, SFL_FLOW_EX_GATEWAY, &v, got, &n) == 0);
	CHECK_EQ_U64(n, wn);
	CHECK_MEM(got, want, wn);

	CHECK(decode(FLOW, SFL_FLOW_EX_GATEWAY, want, wn, &rec, &err) == 0);
	CHECK_EQ_U64(g->nexthop.type, SFL_ADDR_IP4);
	CHECK_MEM(g->nexthop.addr, "\xc0\x00\x02\x01", 4);
	CHECK_EQ_U64(g->src_peer_as, 65200);
	CHECK_EQ_U64(g->as_path.count, 2);
	sfl_list_iter_init(&it, &g->as_path);
	CHECK(sfl_as_path_next(&it, &seg));
	CHECK_EQ_U64(seg.type, SFL_AS_SET);
	CHECK_EQ_U64(seg.asns.count, 2);
	CHECK_EQ_U64(sfl_u32_array_get(&seg.asns, 1), 65002);
	CHECK(sfl_as_path_next(&it, &seg));
	CHECK_EQ_U64(seg.type, SFL_AS_SEQUENCE);
	CHECK_EQ_U64(seg.asns.count, 3);
	CHECK_EQ_U64(sfl_u32_array_get(&seg.asns, 0), 65003);
	CHECK_EQ_U64(sfl_u32_array_get(&seg.asns, 2), 65005);
	CHECK(!sfl_as_path_next(&it, &seg));
	CHECK_EQ_U64(g->communities.count, 2);
	CHECK_EQ_U64(sfl_u32_array_get(&g->communities, 1), 0xfde80002);
	CHECK_EQ_U64(g->local_pref, 100);
}

/* host_cpu body: loads 0.5, 1.0, 2.0 then words 1..14 (+ 15..17). */
static size_t host_cpu_bytes(uint8_t *b, size_t words_after_loads)
{
	size_t n = hex("3f000000 3f800000 40000000", b);

	for (uint32_t i = 1; i <= words_after_loads; i++, n += 4)
		put32(b + n, i);
	return n;
}

TEST(host_cpu_68_and_80)
{
	uint8_t b[128], out[128];
	size_t n, m = 0;
	struct sfl_record rec;
	struct sfl_error err;
	const struct sfl_ctr_host_cpu *c = &rec.v.host_cpu;

	n = host_cpu_bytes(b, 14);
	CHECK_EQ_U64(n, 68);
	CHECK(decode(CTR, SFL_CTR_HOST_CPU, b, n, &rec, &err) == 0);
	CHECK(!c->has_steal);
	CHECK(c->load_one == 0.5f && c->load_five == 1.0f && c->load_fifteen == 2.0f);
	CHECK_EQ_U64(c->proc_run, 1);
	CHECK_EQ_U64(c->cpu_sintr_ms, 12);
	CHECK_EQ_U64(c->contexts, 14);
	CHECK_EQ_U64(c->cpu_steal_ms, 0);
	CHECK_EQ_U64(c->cpu_guest_nice_ms, 0);
	CHECK(encode(CTR, SFL_CTR_HOST_CPU, &rec.v, out, &m) == 0);
	CHECK_EQ_U64(m, 68);
	CHECK_MEM(out, b, 68);

	n = host_cpu_bytes(b, 17);
	CHECK_EQ_U64(n, 80);
	CHECK(decode(CTR, SFL_CTR_HOST_CPU, b, n, &rec, &err) == 0);
	CHECK(c->has_steal);
	CHECK_EQ_U64(c->cpu_steal_ms, 15);
	CHECK_EQ_U64(c->cpu_guest_ms, 16);
	CHECK_EQ_U64(c->cpu_guest_nice_ms, 17);
	CHECK(encode(CTR, SFL_CTR_HOST_CPU, &rec.v, out, &m) == 0);
	CHECK_EQ_U64(m, 80);
	CHECK_MEM(out, b, 80);

	/* Longer than 80: accepted, the tail ignored, re-encoded as 80. */
	n = host_cpu_bytes(b, 19);
	CHECK(decode(CTR, SFL_CTR_HOST_CPU, b, n, &rec, &err) == 0);
	CHECK(c->has_steal);
	CHECK_EQ_U64(c->cpu_guest_nice_ms, 17);
	CHECK(encode(CTR, SFL_CTR_HOST_CPU, &rec.v, out, &m) == 0);
	CHECK_EQ_U64(m, 80);

	/* Between the forms: the tail is cut short. */
	n = host_cpu_bytes(b, 15);
	CHECK(decode(CTR, SFL_CTR_HOST_CPU, b, n, &rec, &err) == -1);
	CHECK_EQ_U64(err.code, SFL_ERR_TRUNCATED);
	CHECK_EQ_U64(err.offset, ERR_OFFSET + 68);
	CHECK_EQ_STR(err.what, "host_cpu");
}

TEST(jvm_statistics_100_108_and_longer)
{
	uint8_t b[128];
	size_t n = 0;
	struct sfl_record rec;
	struct sfl_error err;

	for (uint32_t i = 0; i < 28; i++, n += 4)
		put32(b + n, 0x1000 + i);
	/* 8 hypers (64 bytes) then 9 words = 100 bytes. */
	CHECK(decode(CTR, SFL_CTR_JVM_STATS, b, 100, &rec, &err) == 0);
	CHECK(!rec.v.jvm_stats.has_fds);
	CHECK_EQ_U64(rec.v.jvm_stats.heap_initial, 0x0000100000001001ull);
	CHECK_EQ_U64(rec.v.jvm_stats.thread_num_started, 0x1000 + 24);
	CHECK_EQ_U64(rec.v.jvm_stats.fd_open_count, 0);
	CHECK(decode(CTR, SFL_CTR_JVM_STATS, b, 108, &rec, &err) == 0);
	CHECK(rec.v.jvm_stats.has_fds);
	CHECK_EQ_U64(rec.v.jvm_stats.fd_open_count, 0x1000 + 25);
	CHECK_EQ_U64(rec.v.jvm_stats.fd_max_count, 0x1000 + 26);
	CHECK(decode(CTR, SFL_CTR_JVM_STATS, b, 112, &rec, &err) == 0);
	CHECK(rec.v.jvm_stats.has_fds);
	CHECK(decode(CTR, SFL_CTR_JVM_STATS, b, 104, &rec, &err) == -1);
	CHECK_EQ_U64(err.code, SFL_ERR_TRUNCATED);
	CHECK(decode(CTR, SFL_CTR_JVM_STATS, b, 96, &rec, &err) == -1);
	CHECK_EQ_U64(err.code, SFL_ERR_TRUNCATED);
}

TEST(wire_padding_is_kept_for_decoded_pointers)
{
	/* Garbage in string, opaque and MAC-slot padding, as hsflowd sends. */
	static const struct {
		enum sfl_record_kind kind;
		uint32_t tag;
		const char *body;
	} cases_pad[] = {
		{ CTR, SFL_CTR_PORTNAME, "00000002 6c6f0004" },
		{ FLOW, SFL_FLOW_APP_ACTOR_INIT, "00000005 75736572 30746e01" },
		{ FLOW, SFL_FLOW_HEADER, "0000000b 00000046 00000012 00000005 45000034 816e6e6e" },
		{ CTR, SFL_CTR_HOST_ADAPTERS, "00000001 00000004 00000001 02fc0000 00010001" },
	};

	for (size_t i = 0; i < sizeof(cases_pad) / sizeof(cases_pad[0]); i++) {
		uint8_t b[64], out[64];
		size_t n = hex(cases_pad[i].body, b), m;
		struct sfl_record rec;
		struct sfl_error err;
		struct sfl_writer w;

		CHECK(decode(cases_pad[i].kind, cases_pad[i].tag, b, n, &rec, &err) == 0);
		sfl_writer_init(&w, out, sizeof(out));
		CHECK(sfl_record_encode(&w, &rec) == 0);
		m = sfl_writer_len(&w);
		CHECK_EQ_U64(m, n);
		CHECK_MEM(out, b, n);
		/* Without the body range the padding is zeros (the MAC slot of a
		 * decoded adapter is still copied whole: it is 8 bytes by contract). */
		if (cases_pad[i].tag == SFL_CTR_HOST_ADAPTERS)
			continue;
		CHECK(encode(cases_pad[i].kind, cases_pad[i].tag, &rec.v, out, &m) == 0);
		CHECK_EQ_U64(m, n);
		CHECK_MEM(out, b, n - 4);
		CHECK(memcmp(out + n - 4, b + n - 4, 4) != 0);
	}
}

TEST(pointers_outside_the_body_get_zero_padding)
{
	uint8_t b[16], out[16];
	size_t n = hex("00000002 6c6f0004", b);
	struct sfl_record rec;
	struct sfl_error err;
	struct sfl_writer w;
	char *name = malloc(3); /* exact size: ASan catches any read past it */

	name[0] = 'e';
	name[1] = 't';
	name[2] = 'h';
	CHECK(decode(CTR, SFL_CTR_PORTNAME, b, n, &rec, &err) == 0);
	rec.v.portname.name.ptr = name;
	rec.v.portname.name.len = 3;
	sfl_writer_init(&w, out, sizeof(out));
	CHECK(sfl_record_encode(&w, &rec) == 0);
	CHECK_EQ_U64(sfl_writer_len(&w), 8);
	CHECK_MEM(out, "\x00\x00\x00\x03" "eth\x00", 8);
	free(name);
}

TEST_MAIN(TEST_ENTRY(every_format_has_a_case), TEST_ENTRY(round_trip_every_format),
	  TEST_ENTRY(flat_records_follow_wire_order), TEST_ENTRY(every_prefix_is_truncated),
	  TEST_ENTRY(one_word_too_many_is_a_length_error),
	  TEST_ENTRY(sampled_ipv4_from_wire_md_example), TEST_ENTRY(extended_switch_bytes),
	  TEST_ENTRY(host_descr_raw_uuid), TEST_ENTRY(host_adapters_eight_byte_macs),
	  TEST_ENTRY(gateway_as_set_sequence_communities), TEST_ENTRY(host_cpu_68_and_80),
	  TEST_ENTRY(jvm_statistics_100_108_and_longer),
	  TEST_ENTRY(wire_padding_is_kept_for_decoded_pointers),
	  TEST_ENTRY(pointers_outside_the_body_get_zero_padding))
