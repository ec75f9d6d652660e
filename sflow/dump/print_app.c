/*
 * sflow/dump/print_app.c: flow records from 1036 up (see print_app.h).
 *
 * The socket records also set the sample's IP addresses (sflowtool's -l
 * line shows them when no header was sampled). String limits are the
 * sizes of sflowtool's read buffers minus one; memcache keys are URL
 * encoded as sflowtool does; application status codes print as names.
 */
#include "sflow/dump/print_app.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sflow/dump/fmt.h"

#define COLS(t) (t), sizeof(t) / sizeof((t)[0])

static const char *const app_status_names[] = {
	"SUCCESS", "OTHER", "TIMEOUT", "INTERNAL_ERROR", "BAD_REQUEST", "FORBIDDEN",
	"TOO_LARGE", "NOT_IMPLEMENTED", "NOT_FOUND", "UNAVAILABLE",
	"UNATHORIZED", /* sic: sflowtool's spelling */
};

static const struct print_col tcp_info_cols[] = {
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, snd_mss, "tcpinfo_send_mss"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, rcv_mss, "tcpinfo_receive_mss"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, unacked, "tcpinfo_unacked_pkts"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, lost, "tcpinfo_lost_pkts"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, retrans, "tcpinfo_retrans_pkts"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, pmtu, "tcpinfo_path_mtu"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, rtt_us, "tcpinfo_rtt_uS"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, rttvar_us, "tcpinfo_rtt_uS_var"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, snd_cwnd, "tcpinfo_send_congestion_win"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, reordering, "tcpinfo_reordering"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_tcp_info, min_rtt_us, "tcpinfo_rtt_uS_min"),
};

static const struct print_col entities_cols[] = {
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_entities, src_ds_class, "entities_src_class"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_entities, src_ds_index, "entities_src_index"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_entities, dst_ds_class, "entities_dst_class"),
	PRINT_COL(PRINT_COL_U32, struct sfl_ex_entities, dst_ds_index, "entities_dst_index"),
};

/* A string printed only when its wire length is not zero. */
static void print_opt(struct print *p, const char *name, const struct sfl_str *v, size_t max)
{
	if (v->len > 0)
		print_str(p, name, v->ptr, v->len, max);
}

static void set_ip(struct sfl_address *a, uint32_t type, const uint8_t *ip)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	memcpy(a->addr, ip, type == SFL_ADDR_IP4 ? 4 : 16);
}

/*
 * extended_socket_ipv4/ipv6 and their proxy forms. `name` is the record
 * name and the field prefix ("socket4", "proxy_socket6"); only the
 * non-proxy forms update the sample's addresses.
 */
static void print_socket(struct print *p, struct dump_sample *s, const char *name,
			 uint32_t ip_type, uint32_t proto, const uint8_t *local,
			 const uint8_t *remote, uint32_t lport, uint32_t rport, bool proxy)
{
	struct sfl_address lo, re;
	char field[48];

	print_field(p, "extendedType", name);
	snprintf(field, sizeof(field), "%s_ip_protocol", name);
	print_u32(p, field, proto);
	set_ip(&lo, ip_type, local);
	set_ip(&re, ip_type, remote);
	if (!proxy) {
		s->ip_src = lo;
		s->ip_dst = re;
	}
	snprintf(field, sizeof(field), "%s_local_ip", name);
	print_address(p, field, &lo);
	snprintf(field, sizeof(field), "%s_remote_ip", name);
	print_address(p, field, &re);
	snprintf(field, sizeof(field), "%s_local_port", name);
	print_u32(p, field, lport);
	snprintf(field, sizeof(field), "%s_remote_port", name);
	print_u32(p, field, rport);
}

static void print_sockets(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const struct sfl_ex_socket4 *v4 = &rec->v.socket4;
	const struct sfl_ex_socket6 *v6 = &rec->v.socket6;

	switch (rec->tag) {
	case SFL_FLOW_EX_SOCKET4:
		print_socket(p, s, "socket4", SFL_ADDR_IP4, v4->protocol, v4->local_ip,
			     v4->remote_ip, v4->local_port, v4->remote_port, false);
		break;
	case SFL_FLOW_EX_PROXY_SOCKET4:
		print_socket(p, s, "proxy_socket4", SFL_ADDR_IP4, v4->protocol, v4->local_ip,
			     v4->remote_ip, v4->local_port, v4->remote_port, true);
		break;
	case SFL_FLOW_EX_SOCKET6:
		print_socket(p, s, "socket6", SFL_ADDR_IP6, v6->protocol, v6->local_ip,
			     v6->remote_ip, v6->local_port, v6->remote_port, false);
		break;
	default:
		print_socket(p, s, "proxy_socket6", SFL_ADDR_IP6, v6->protocol, v6->local_ip,
			     v6->remote_ip, v6->local_port, v6->remote_port, true);
		break;
	}
}

static void print_memcache(struct print *p, const struct sfl_flow_memcache *v)
{
	print_field(p, "flowSampleType", "memcache");
	print_u32(p, "memcache_op_protocol", v->protocol);
	print_u32(p, "memcache_op_cmd", v->cmd);
	if (v->key.len > 0 && p->fields_on) {
		char enc[3 * 254 + 1];
		size_t n = fmt_cstr_len(v->key.ptr, v->key.len, 254);

		print_field_mem(p, "memcache_op_key", enc,
				fmt_urlencode(enc, sizeof(enc), v->key.ptr, n));
	}
	print_u32(p, "memcache_op_nkeys", v->nkeys);
	print_u32(p, "memcache_op_value_bytes", v->value_bytes);
	print_u32(p, "memcache_op_duration_uS", v->duration_us);
	print_u32(p, "memcache_op_status", v->status);
}

/* http_request, old (2201: no xff, no request bytes) and current (2206). */
static void print_http(struct print *p, const struct sfl_flow_http *v, bool current)
{
	print_field(p, "flowSampleType", "http");
	print_u32(p, "http_method", v->method);
	print_u32(p, "http_protocol", v->protocol);
	print_opt(p, "http_uri", &v->uri, 254);
	print_opt(p, "http_host", &v->host, 63);
	print_opt(p, "http_referrer", &v->referer, 254);
	print_opt(p, "http_useragent", &v->useragent, 127);
	if (current)
		print_opt(p, "http_xff", &v->xff, 63);
	print_opt(p, "http_authuser", &v->authuser, 31);
	print_opt(p, "http_mimetype", &v->mime_type, 63);
	if (current)
		print_u64(p, "http_request_bytes", v->req_bytes);
	print_u64(p, "http_bytes", v->resp_bytes);
	print_u32(p, "http_duration_uS", v->duration_us);
	print_u32(p, "http_status", (uint32_t)v->status);
}

static void print_http_old(struct print *p, const struct sfl_flow_http_old *o)
{
	struct sfl_flow_http v;

	memset(&v, 0, sizeof(v));
	v.method = o->method;
	v.protocol = o->protocol;
	v.uri = o->uri;
	v.host = o->host;
	v.referer = o->referer;
	v.useragent = o->useragent;
	v.authuser = o->authuser;
	v.mime_type = o->mime_type;
	v.resp_bytes = o->resp_bytes;
	v.duration_us = o->duration_us;
	v.status = (int32_t)o->status;
	print_http(p, &v, false);
}

static void print_app(struct print *p, const struct sfl_flow_app *v)
{
	print_field(p, "flowSampleType", "applicationOperation");
	print_opt(p, "application", &v->application, 31);
	print_opt(p, "operation", &v->operation, 31);
	print_opt(p, "attributes", &v->attributes, 254);
	print_opt(p, "status_descr", &v->status_descr, 31);
	print_u64(p, "request_bytes", v->req_bytes);
	print_u64(p, "response_bytes", v->resp_bytes);
	print_u32(p, "duration_uS", v->duration_us);
	if (v->status < sizeof(app_status_names) / sizeof(app_status_names[0]))
		print_field(p, "status", app_status_names[v->status]);
	else
		print_fieldf(p, "status", "<out-of-range=%u>", v->status);
}

static void print_tcp_info(struct print *p, const struct sfl_ex_tcp_info *v)
{
	static const char *const dirs[] = { "unknown", "received", "sent" };

	print_field(p, "tcpinfo_direction", v->dir < 3 ? dirs[v->dir] : "<bad value>");
	print_cols(p, v, COLS(tcp_info_cols));
}

/* Drop annotations, transit measurements and the timestamp. */
static bool print_annotation(struct print *p, const struct sfl_record *rec)
{
	const union sfl_record_value *v = &rec->v;

	switch (rec->tag) {
	case SFL_FLOW_EX_EGRESS_QUEUE:
		print_field(p, "extendedType", "egress_queue");
		print_u32(p, "egress_queue_id", v->egress_queue.queue);
		break;
	case SFL_FLOW_EX_FUNCTION:
		print_field(p, "extendedType", "function");
		print_opt(p, "symbol", &v->function.symbol, 63);
		break;
	case SFL_FLOW_EX_TRANSIT_DELAY:
		print_field(p, "extendedType", "transit_delay");
		print_u32(p, "transit_delay_nS", v->transit_delay.delay_ns);
		break;
	case SFL_FLOW_EX_QUEUE_DEPTH:
		print_field(p, "extendedType", "queue_depth");
		print_u32(p, "queue_depth_bytes", v->queue_depth.depth_bytes);
		break;
	case SFL_FLOW_EX_HW_TRAP:
		print_field(p, "extendedType", "hw_trap");
		print_opt(p, "hw_trap_group", &v->hw_trap.group, 63);
		print_opt(p, "hw_trap_name", &v->hw_trap.trap, 63);
		break;
	case SFL_FLOW_EX_LINUX_REASON:
		print_field(p, "extendedType", "linux_reason");
		print_opt(p, "linux_drop_reason", &v->linux_reason.reason, 63);
		break;
	case SFL_FLOW_EX_TIMESTAMP:
		print_field(p, "extendedType", "timestamp");
		print_u64(p, "timestamp_nS", v->timestamp.ts_ns);
		break;
	default:
		return false;
	}
	return true;
}

bool print_app_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const union sfl_record_value *v = &rec->v;

	switch (rec->tag) {
	case SFL_FLOW_EX_SOCKET4:
	case SFL_FLOW_EX_SOCKET6:
	case SFL_FLOW_EX_PROXY_SOCKET4:
	case SFL_FLOW_EX_PROXY_SOCKET6:
		print_sockets(p, s, rec);
		break;
	case SFL_FLOW_MEMCACHE: print_memcache(p, &v->memcache_op); break;
	case SFL_FLOW_HTTP_OLD: print_http_old(p, &v->http_old); break;
	case SFL_FLOW_HTTP: print_http(p, &v->http, true); break;
	case SFL_FLOW_APP: print_app(p, &v->app_op); break;
	case SFL_FLOW_APP_CTXT:
		print_opt(p, "server_context_application", &v->app_ctxt.application, 31);
		print_opt(p, "server_context_operation", &v->app_ctxt.operation, 31);
		print_opt(p, "server_context_attributes", &v->app_ctxt.attributes, 254);
		break;
	case SFL_FLOW_APP_ACTOR_INIT:
		print_opt(p, "actor_initiator", &v->app_actor.actor, 63);
		break;
	case SFL_FLOW_APP_ACTOR_TGT:
		print_opt(p, "actor_target", &v->app_actor.actor, 63);
		break;
	case SFL_FLOW_EX_TCP_INFO: print_tcp_info(p, &v->tcp_info); break;
	case SFL_FLOW_EX_ENTITIES:
		print_field(p, "extendedType", "entities");
		print_cols(p, &v->entities, COLS(entities_cols));
		break;
	default:
		return print_annotation(p, rec);
	}
	return true;
}
