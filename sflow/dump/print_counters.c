/*
 * sflow/dump/print_counters.c: counter record printers (see
 * print_counters.h).
 *
 * Records that are plain runs of numbers are printed from the column
 * tables of counters_cols.c; the few with strings, MAC addresses or lists
 * have their own functions here. Two records print differently in JSON
 * than in the line formats, as in sflowtool: host_adapters becomes a
 * nested "adaptor_list" (flat "adaptor_N_..." fields otherwise) and SFP
 * lanes a "sfp_lanes" list whose items carry each value twice, plainly
 * named and as "sfp_lane_<name>.<lane>" (the second form only otherwise).
 */
#include "sflow/dump/print_counters.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sflow/dump/counters_cols.h"
#include "sflow/dump/fmt.h"

static void print_lacp(struct print *p, const struct sfl_ctr_lacp *v)
{
	print_mac(p, "actorSystemID", v->actor_system_id);
	print_mac(p, "partnerSystemID", v->partner_system_id);
	print_u32(p, "attachedAggID", v->attached_agg_id);
	/* port_state carries four one-byte states in wire order */
	print_u32(p, "actorAdminPortState", v->port_state >> 24);
	print_u32(p, "actorOperPortState", (v->port_state >> 16) & 0xff);
	print_u32(p, "partnerAdminPortState", (v->port_state >> 8) & 0xff);
	print_u32(p, "partnerOperPortState", v->port_state & 0xff);
	print_u32(p, "LACPDUsRx", v->lacpdus_rx);
	print_u32(p, "markerPDUsRx", v->marker_pdus_rx);
	print_u32(p, "markerResponsePDUsRx", v->marker_response_pdus_rx);
	print_u32(p, "unknownRx", v->unknown_rx);
	print_u32(p, "illegalRx", v->illegal_rx);
	print_u32(p, "LACPDUsTx", v->lacpdus_tx);
	print_u32(p, "markerPDUsTx", v->marker_pdus_tx);
	print_u32(p, "markerResponsePDUsTx", v->marker_response_pdus_tx);
}

/* One SFP lane value; "%u" in the name is literal, as sflowtool has it. */
static void print_sfp_value(struct print *p, const char *field, uint32_t lane, uint32_t v)
{
	char name[64];

	if (p->format == PRINT_JSON)
		print_u32(p, field, v);
	snprintf(name, sizeof(name), "%s.%u", field, lane);
	print_u32_prefixed(p, "sfp_lane_", name, v);
}

static void print_sfp(struct print *p, const struct sfl_ctr_sfp *v)
{
	static const char *const names[] = {
		"index", "tx_bias_current_uA", "tx_power_uW.%u", "tx_power_min_uW.%u",
		"tx_power_max_uW.%u", "tx_wavelength_nM.%u", "rx_power_uW.%u",
		"rx_power_min_uW.%u", "rx_power_max_uW.%u", "rx_wavelength_nM.%u",
	};
	struct sfl_list_iter it;
	struct sfl_sfp_lane lane;

	print_u32(p, "sfp_module_id", v->module_id);
	print_u32(p, "sfp_module_total_lanes", v->module_total_lanes);
	print_u32(p, "sfp_module_supply_voltage", v->module_supply_voltage_mv);
	print_u32(p, "sfp_module_temperature", (uint32_t)v->module_temperature_mc);
	print_u32(p, "sfp_module_active_lanes", v->lanes.count);
	print_json_open(p, "sfp_lanes", '[');
	sfl_list_iter_init(&it, &v->lanes);
	for (uint32_t i = 0; sfl_sfp_lane_next(&it, &lane); i++) {
		const uint32_t vals[] = {
			lane.index, lane.tx_bias_current_ua, lane.tx_power_uw, lane.tx_power_min_uw,
			lane.tx_power_max_uw, lane.tx_wavelength_nm, lane.rx_power_uw,
			lane.rx_power_min_uw, lane.rx_power_max_uw, lane.rx_wavelength_nm,
		};

		print_json_open(p, NULL, '{');
		for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++)
			print_sfp_value(p, names[k], i, vals[k]);
		print_json_close(p, '}');
	}
	/* sflowtool leaves an empty list unclosed (invalid JSON); we close it */
	print_json_close(p, ']');
}

static void print_host_descr(struct print *p, const struct sfl_ctr_host_descr *v)
{
	char uuid[37];

	if (v->hostname.len > 0)
		print_str(p, "hostname", v->hostname.ptr, v->hostname.len, 63);
	if (p->fields_on)
		print_field_mem(p, "UUID", uuid, fmt_uuid(uuid, v->uuid));
	print_u32(p, "machine_type", v->machine_type);
	print_u32(p, "os_name", v->os_name);
	if (v->os_release.len > 0)
		print_str(p, "os_release", v->os_release.ptr, v->os_release.len, 31);
}

static void print_adapters_json(struct print *p, const struct sfl_ctr_host_adapters *v)
{
	struct sfl_list_iter it;
	struct sfl_adapter ad;

	print_json_open(p, "adaptor_list", '[');
	sfl_list_iter_init(&it, &v->adapters);
	while (sfl_adapter_next(&it, &ad)) {
		print_json_open(p, NULL, '{');
		print_u32(p, "ifIndex", ad.ifindex);
		print_u32(p, "MACs", ad.num_macs);
		print_json_open(p, "mac_list", '[');
		for (uint32_t j = 0; j < ad.num_macs; j++) {
			char mac[13];

			fmt_mac(mac, sfl_adapter_mac(&ad, j));
			print_json_item(p, mac, j == 0);
		}
		print_json_close(p, ']');
		print_json_close(p, '}');
	}
	print_json_close(p, ']');
}

static void print_adapters_flat(struct print *p, const struct sfl_ctr_host_adapters *v)
{
	struct sfl_list_iter it;
	struct sfl_adapter ad;

	sfl_list_iter_init(&it, &v->adapters);
	for (uint32_t i = 0; sfl_adapter_next(&it, &ad); i++) {
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "adaptor_%u_", i);
		print_push_prefix(p, prefix);
		print_u32(p, "ifIndex", ad.ifindex);
		print_u32(p, "MACs", ad.num_macs);
		for (uint32_t j = 0; j < ad.num_macs; j++) {
			char name[24];

			snprintf(name, sizeof(name), "MAC_%u", j);
			print_mac(p, name, sfl_adapter_mac(&ad, j));
		}
		print_pop_prefix(p);
	}
}

static void print_jvm_runtime(struct print *p, const struct sfl_ctr_jvm_runtime *v)
{
	if (v->vm_name.len > 0)
		print_str(p, "jvm_name", v->vm_name.ptr, v->vm_name.len, 63);
	if (v->vm_vendor.len > 0)
		print_str(p, "jvm_vendor", v->vm_vendor.ptr, v->vm_vendor.len, 31);
	if (v->vm_version.len > 0)
		print_str(p, "jvm_version", v->vm_version.ptr, v->vm_version.len, 31);
}

/* Records that need code; false when sflowtool has no printer for it. */
static bool print_special(struct print *p, const struct sfl_record *rec)
{
	const union sfl_record_value *v = &rec->v;

	switch (rec->tag) {
	case SFL_CTR_LACP: print_lacp(p, &v->lacp); break;
	case SFL_CTR_SFP: print_sfp(p, &v->sfp); break;
	case SFL_CTR_OFPORT:
		print_fieldf(p, "openflow_datapath_id", "%016" PRIx64, v->ofport.datapath_id);
		print_u32(p, "openflow_port", v->ofport.port_no);
		break;
	case SFL_CTR_PORTNAME:
		if (v->portname.name.len > 0)
			print_str(p, "ifName", v->portname.name.ptr, v->portname.name.len, 254);
		break;
	case SFL_CTR_HOST_DESCR: print_host_descr(p, &v->host_descr); break;
	case SFL_CTR_HOST_ADAPTERS:
		if (p->format == PRINT_JSON)
			print_adapters_json(p, &v->host_adapters);
		else
			print_adapters_flat(p, &v->host_adapters);
		break;
	case SFL_CTR_HOST_CPU:
		print_cols(p, &v->host_cpu, counters_host_cpu_cols,
			   v->host_cpu.has_steal ? counters_host_cpu_long : counters_host_cpu_short);
		break;
	case SFL_CTR_JVM_RUNTIME: print_jvm_runtime(p, &v->jvm_runtime); break;
	case SFL_CTR_JVM_STATS:
		print_cols(p, &v->jvm_stats, counters_jvm_stats_cols,
			   v->jvm_stats.has_fds ? counters_jvm_stats_long : counters_jvm_stats_short);
		break;
	case SFL_CTR_APP:
		if (v->app.application.len > 0)
			print_str(p, "application", v->app.application.ptr,
				  v->app.application.len, 31);
		print_cols(p, &v->app, counters_app_cols, counters_app_ncols);
		break;
	default:
		return false;
	}
	return true;
}

void print_counters_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec)
{
	const struct counters_cols *cols = NULL;
	bool done = false;

	p->ctx.record_tag = rec->tag;
	print_json_open(p, NULL, '{');
	print_tag(p, "counterBlock_tag", rec->tag);
	if (rec->known) {
		cols = counters_cols_find(rec->tag);
		if (cols) {
			print_cols(p, &rec->v, cols->cols, cols->n);
			done = true;
		} else {
			done = print_special(p, rec);
		}
	}
	if (done && rec->tag == SFL_CTR_GENERIC)
		s->ifc = rec->v.generic;
	if (done && rec->tag == SFL_CTR_VLAN)
		s->in_vlan = rec->v.vlan.vlan_id;
	if (!done) {
		char tag[24];

		fmt_tag(tag, rec->tag);
		print_log(p, "skipping unknown %s: %s len=%u\n", "counters_sample_element", tag,
			  rec->len);
	}
	print_json_close(p, '}');
}
