/*
 * sflow/records.h: typed layouts of every sFlow v5 flow and counter record.
 *
 * One struct per record format, fields in wire order with the wire names of
 * shared/reference/wire.md §1.4/§1.5. The same struct is what the decoder
 * fills and what the encoder writes, so a record round-trips through one
 * type. Strings, opaque bytes and arrays are zero-copy: after decoding they
 * point into the datagram and are valid only as long as its buffer; when
 * encoding they point into caller memory. Nothing here allocates.
 *
 * The layouts are in records_flow.h and records_counters.h, their building
 * blocks in records_types.h; this header gathers them in union
 * sfl_record_value and struct sfl_record and declares the iterators of
 * nested lists (AS path, adapters, SFP lanes). The codec describes most
 * records by a field table (records_codec.h).
 */
#ifndef SFL_RECORDS_H
#define SFL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/records_counters.h"
#include "sflow/records_flow.h"
#include "sflow/records_types.h"
#include "sflow/sflow.h"

/*
 * A decoded (or to-be-encoded) record: its tag, its raw body, and, when
 * the format is known, the typed value. Unknown formats keep known = false
 * and are handed to the caller as (tag, body) so nothing is lost.
 */
union sfl_record_value {
	struct sfl_flow_header header;
	struct sfl_flow_ethernet ethernet;
	struct sfl_flow_ipv4 ipv4;
	struct sfl_flow_ipv6 ipv6;
	struct sfl_ex_switch ex_switch;
	struct sfl_ex_router router;
	struct sfl_ex_gateway gateway;
	struct sfl_ex_user user;
	struct sfl_ex_url url;
	struct sfl_ex_mpls mpls;
	struct sfl_ex_nat nat;
	struct sfl_ex_mpls_tunnel mpls_tunnel;
	struct sfl_ex_mpls_vc mpls_vc;
	struct sfl_ex_mpls_ftn mpls_ftn;
	struct sfl_ex_mpls_ldp_fec mpls_ldp_fec;
	struct sfl_ex_vlan_tunnel vlan_tunnel;
	struct sfl_ex_80211_payload wifi_payload;
	struct sfl_ex_80211_rx wifi_rx;
	struct sfl_ex_80211_tx wifi_tx;
	struct sfl_ex_nat_port nat_port;
	struct sfl_ex_decap decap;
	struct sfl_ex_vni vni;
	struct sfl_ex_egress_queue egress_queue;
	struct sfl_ex_function function;
	struct sfl_ex_transit_delay transit_delay;
	struct sfl_ex_queue_depth queue_depth;
	struct sfl_ex_hw_trap hw_trap;
	struct sfl_ex_linux_reason linux_reason;
	struct sfl_ex_timestamp timestamp;
	struct sfl_ex_socket4 socket4;
	struct sfl_ex_socket6 socket6;
	struct sfl_flow_memcache memcache_op;
	struct sfl_flow_http_old http_old;
	struct sfl_flow_app app_op;
	struct sfl_flow_app_ctxt app_ctxt;
	struct sfl_flow_app_actor app_actor;
	struct sfl_flow_http http;
	struct sfl_ex_proxy_request proxy_request;
	struct sfl_ex_tcp_info tcp_info;
	struct sfl_ex_entities entities;

	struct sfl_ctr_generic generic;
	struct sfl_ctr_ethernet eth;
	struct sfl_ctr_tokenring tokenring;
	struct sfl_ctr_vg vg;
	struct sfl_ctr_vlan vlan;
	struct sfl_ctr_80211 wifi;
	struct sfl_ctr_lacp lacp;
	struct sfl_ctr_sfp sfp;
	struct sfl_ctr_pfc pfc;
	struct sfl_ctr_processor processor;
	struct sfl_ctr_radio radio;
	struct sfl_ctr_ofport ofport;
	struct sfl_ctr_portname portname;
	struct sfl_ctr_host_descr host_descr;
	struct sfl_ctr_host_adapters host_adapters;
	struct sfl_ctr_host_parent host_parent;
	struct sfl_ctr_host_cpu host_cpu;
	struct sfl_ctr_host_mem host_mem;
	struct sfl_ctr_host_disk host_disk;
	struct sfl_ctr_host_nio host_nio;
	struct sfl_ctr_host_ip host_ip;
	struct sfl_ctr_host_icmp host_icmp;
	struct sfl_ctr_host_tcp host_tcp;
	struct sfl_ctr_host_udp host_udp;
	struct sfl_ctr_virt_node virt_node;
	struct sfl_ctr_virt_cpu virt_cpu;
	struct sfl_ctr_virt_mem virt_mem;
	struct sfl_ctr_virt_disk virt_disk;
	struct sfl_ctr_jvm_runtime jvm_runtime;
	struct sfl_ctr_jvm_stats jvm_stats;
	struct sfl_ctr_memcache_old memcache_old;
	struct sfl_ctr_http http_ctr;
	struct sfl_ctr_app app;
	struct sfl_ctr_app_resources app_resources;
	struct sfl_ctr_memcache memcache;
	struct sfl_ctr_vdi vdi;
	struct sfl_ctr_app_workers app_workers;
	struct sfl_ctr_ovs_dp ovs_dp;
	struct sfl_ctr_nvml_gpu nvml_gpu;
	struct sfl_ctr_bcm_tables bcm_tables;
};

enum sfl_record_kind { SFL_KIND_FLOW, SFL_KIND_COUNTERS };

struct sfl_record {
	uint32_t tag;            /* (enterprise << 12) | format */
	enum sfl_record_kind kind;
	bool known;              /* `v` holds the typed value */
	const uint8_t *body;     /* raw body in the datagram (decoded only) */
	uint32_t len;            /* body bytes */
	union sfl_record_value v;
};

/* Element `i` (< count) of a u32 array, in host order. */
static inline uint32_t sfl_u32_array_get(const struct sfl_u32_array *a, uint32_t i)
{
	if (a->host)
		return a->host[i];
	const uint8_t *p = a->xdr + 4 * (size_t)i;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Iterators over sfl_list elements; return false after the last one. */
void sfl_list_iter_init(struct sfl_list_iter *it, const struct sfl_list *list);
bool sfl_as_path_next(struct sfl_list_iter *it, struct sfl_as_path_segment *seg);
bool sfl_adapter_next(struct sfl_list_iter *it, struct sfl_adapter *ad);
bool sfl_sfp_lane_next(struct sfl_list_iter *it, struct sfl_sfp_lane *lane);

/* MAC `i` of an adapter (6 bytes), in either form. */
const uint8_t *sfl_adapter_mac(const struct sfl_adapter *ad, uint32_t i);

/*
 * Write the body of the typed record `rec` (no tag, no length word) like
 * sfl_record_encode_body() (encode.h), and more: strings and opaque bytes
 * that still point into rec->body[0..rec->len) keep the padding bytes they
 * had on the wire, which some senders (hsflowd) do not zero, so a decoded
 * record re-encodes byte for byte. Returns 0, or -1 for an unknown format
 * or a value that cannot be encoded; running out of room sets w->full.
 */
struct sfl_writer;
int sfl_record_encode(struct sfl_writer *w, const struct sfl_record *rec);

/*
 * Whether the codec knows `tag` for records of `kind`, and the record's
 * name as in the sFlow specifications ("extended_switch"), or NULL.
 */
bool sfl_record_known(enum sfl_record_kind kind, uint32_t tag);
const char *sfl_record_name(enum sfl_record_kind kind, uint32_t tag);

#endif
