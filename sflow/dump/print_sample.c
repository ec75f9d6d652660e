/*
 * sflow/dump/print_sample.c: sample printers (see print_sample.h).
 *
 * The -g context follows sflowtool's reading order: the data source is
 * known from the sequence number line on for flow and discard samples,
 * but only from the sourceId line on for counter samples, whose sequence
 * number sflowtool prints before reading the source. Interface fields
 * print as sflowtool's printInOutPort(): "dropCode N", "multiple N",
 * "format==3 N" or the bare number, and nothing for other formats.
 */
#include "sflow/dump/print_sample.h"

#include <stdio.h>
#include <string.h>

#include "sflow/dump/fmt.h"
#include "sflow/dump/print_counters.h"
#include "sflow/dump/print_flow.h"
#include "sflow/dump/reasons.h"

static void print_port(struct print *p, const char *name, uint32_t format, uint32_t value)
{
	switch (format) {
	case 0: print_u32(p, name, value); break;
	case 1: print_fieldf(p, name, "dropCode %u", value); break;
	case 2: print_fieldf(p, name, "multiple %u", value); break;
	case 3: print_fieldf(p, name, "format==3 %u", value); break;
	default: print_field(p, name, ""); break;
	}
}

static void print_source(struct print *p, const struct sfl_sample *smp)
{
	print_fieldf(p, "sourceId", "%u:%u", smp->ds_class, smp->ds_index);
}

static void set_source(struct print *p, const struct sfl_sample *smp)
{
	p->ctx.ds_class = smp->ds_class;
	p->ctx.ds_index = smp->ds_index;
}

static void print_flow_records(struct print *p, struct dump_sample *st, struct sfl_sample *smp)
{
	struct sfl_record rec;

	print_json_open(p, "elements", '[');
	while (sfl_sample_next_record(smp, &rec))
		print_flow_record(p, st, &rec);
	print_json_close(p, ']');
}

void print_sample_flow(struct print *p, struct dump_sample *st, struct sfl_sample *smp)
{
	print_field(p, "sampleType", "FLOWSAMPLE");
	set_source(p, smp);
	print_u32(p, "sampleSequenceNo", smp->seq);
	print_source(p, smp);
	print_u32(p, "meanSkipCount", smp->sampling_rate);
	print_u32(p, "samplePool", smp->sample_pool);
	print_u32(p, "dropEvents", smp->drops);
	print_port(p, "inputPort", smp->input_format, smp->input);
	print_port(p, "outputPort", smp->output_format, smp->output);
	st->input = smp->input;
	st->output = smp->output;
	st->sampling_rate = smp->sampling_rate;
	print_flow_records(p, st, smp);
}

void print_sample_discard(struct print *p, struct dump_sample *st, struct sfl_sample *smp)
{
	const char *reason = reasons_name(smp->reason);

	print_field(p, "sampleType", "DISCARD");
	set_source(p, smp);
	print_u32(p, "sampleSequenceNo", smp->seq);
	print_source(p, smp);
	print_u32(p, "dropEvents", smp->drops);
	/* discard samples carry plain ifIndex words: no format bits */
	print_u32(p, "inputPort", smp->input);
	print_u32(p, "outputPort", smp->output);
	print_u32(p, "discardCode", smp->reason);
	print_field(p, "discardReason", reason ? reason : "NotFound");
	st->input = smp->input;
	st->output = smp->output;
	print_push_prefix(p, "discarded_");
	print_flow_records(p, st, smp);
	print_pop_prefix(p);
}

void print_sample_counters(struct print *p, struct dump_sample *st, struct sfl_sample *smp)
{
	struct sfl_record rec;

	print_field(p, "sampleType", "COUNTERSSAMPLE");
	print_u32(p, "sampleSequenceNo", smp->seq);
	set_source(p, smp);
	print_source(p, smp);
	print_json_open(p, "elements", '[');
	while (sfl_sample_next_record(smp, &rec))
		print_counters_record(p, st, &rec);
	print_json_close(p, ']');
}

/* One rtmetric or rtflow entry: the value's type picks the field prefix. */
static void print_rt_entry(struct print *p, bool is_flow, const struct sfl_rt_entry *e)
{
	static const char *const metric_prefix[] = {
		"rtmetric_string_", "rtmetric_counter32_", "rtmetric_counter64_",
		"rtmetric_gauge32_", "rtmetric_gauge64_", "rtmetric_gaugeFloat_",
		"rtmetric_gaugeDouble_",
	};
	static const char *const flow_prefix[] = {
		"rtflow_string_", "rtflow_mac_", "rtflow_ip_", "rtflow_ip6_", "rtflow_int32_",
		"rtflow_int64_", "rtflow_float_", "rtflow_double_",
	};
	const char *prefix = is_flow ? flow_prefix[e->type] : metric_prefix[e->type];
	bool is_float = is_flow ? e->type >= SFL_RTF_FLOAT : e->type >= SFL_RTM_GAUGE_FLOAT;
	char name[64], str[FMT_ADDRESS_LEN];
	size_t n = e->name.ptr ? fmt_cstr_len(e->name.ptr, e->name.len, 63) : 0;

	if (n)
		memcpy(name, e->name.ptr, n);
	name[n] = '\0';
	print_push_prefix(p, prefix);
	if (e->type == 0) {
		print_str(p, name, e->str.ptr, e->str.len, 254);
	} else if (is_float) {
		print_fieldf(p, name, "%.3f", e->dbl);
	} else if (is_flow && e->type == SFL_RTF_MAC) {
		print_mac(p, name, e->raw);
	} else if (is_flow && (e->type == SFL_RTF_IP || e->type == SFL_RTF_IP6)) {
		if (e->type == SFL_RTF_IP)
			fmt_ip4(str, e->raw);
		else
			fmt_ip6(str, e->raw);
		print_field(p, name, str);
	} else {
		print_u64(p, name, e->u64);
	}
	print_pop_prefix(p);
}

void print_sample_rt(struct print *p, const struct sfl_sample *smp)
{
	struct sfl_rt_sample rt;
	struct sfl_rt_entry e;
	const char *kind = smp->tag == SFL_SAMPLE_RTFLOW ? "rtflow" : "rtmetric";
	char name[48];

	print_field(p, "sampleType", smp->tag == SFL_SAMPLE_RTFLOW ? "RTFLOW" : "RTMETRIC");
	if (sfl_rt_open(smp, &rt) == -1)
		return;
	if (rt.datasource.len > 0) {
		snprintf(name, sizeof(name), "%s_datasource_name", kind);
		print_str(p, name, rt.datasource.ptr, rt.datasource.len, 63);
	}
	if (rt.is_flow) {
		print_u32(p, "rtflow_sampling_rate", rt.sampling_rate);
		print_u32(p, "rtflow_sample_pool", rt.sample_pool);
	}
	while (sfl_rt_next(&rt, &e))
		print_rt_entry(p, rt.is_flow, &e);
	if (rt.err->code == SFL_ERR_VALUE)
		print_log(p, "%s unknown_type %u\n", kind, rt.err->found);
}
