/*
 * analyzer/metrics tests: the pure functions of the counter record →
 * metric table: rates (wrap, reset), field reading (strings, enums,
 * percentages, unknown values), and the derive functions, with values
 * computed by hand.
 */
#include <math.h>
#include <stdio.h>

#include "analyzer/metrics.h"
#include "tests/lib/test.h"

#define CHECK_NEAR(a, b)                                                                   \
	do {                                                                               \
		double a_ = (a), b_ = (b);                                                 \
		if (!(fabs(a_ - b_) <= 1e-9 * (fabs(b_) + 1))) {                           \
			printf("  %s:%d: %s == %s: %.12g != %.12g\n", __FILE__, __LINE__, #a, \
			       #b, a_, b_);                                                \
			test_failed_checks++;                                              \
		}                                                                          \
	} while (0)

struct rate_case {
	enum metrics_kind kind;
	uint64_t prev, cur, dt_ms;
	bool ok;
	double per_s;
};

TEST(rates)
{
	static const struct rate_case cases[] = {
		{ METRICS_COUNTER32, 100, 1100, 1000, true, 1000 },
		{ METRICS_COUNTER32, 100, 1100, 4000, true, 250 },
		{ METRICS_COUNTER32, 0xfffffff0u, 0x10, 1000, true, 32 },   /* wrap */
		{ METRICS_COUNTER32, 5, 5, 1000, true, 0 },
		{ METRICS_COUNTER64, 1000, 3000, 500, true, 4000 },
		{ METRICS_COUNTER64, 3000, 1000, 1000, false, 0 },          /* reset */
		{ METRICS_COUNTER64, 1ull << 40, (1ull << 40) + 10, 10000, true, 1 },
		{ METRICS_COUNTER32, 1, 2, 0, false, 0 },                   /* no interval */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double r = -1;
		bool ok = metrics_rate(cases[i].kind, cases[i].prev, cases[i].cur, cases[i].dt_ms, &r);

		CHECK_EQ_U64(ok, cases[i].ok);
		if (cases[i].ok)
			CHECK_NEAR(r, cases[i].per_s);
	}
}

/* Slot index of `name` in rec, or -1. */
static int slot(const struct metrics_record *rec, const char *name)
{
	for (uint32_t i = 0; i < rec->nfields + rec->nderived; i++)
		if (strcmp(metrics_slot_name(rec, i), name) == 0)
			return (int)i;
	return -1;
}

static struct metrics_value read_one(uint32_t tag, uint32_t cls, const char *name,
				     const union sfl_record_value *v, uint64_t *u, char *buf)
{
	const struct metrics_record *rec = metrics_lookup(tag, cls);
	struct metrics_value out = { 0 };
	int i = rec ? slot(rec, name) : -1;

	CHECK(i >= 0 && (uint32_t)i < rec->nfields);
	if (i >= 0)
		metrics_read(&rec->fields[i], v, &out, u, buf, METRICS_STR_MAX);
	return out;
}

TEST(reading_fields)
{
	union sfl_record_value v;
	char buf[METRICS_STR_MAX];
	uint64_t u;
	struct metrics_value x;

	memset(&v, 0, sizeof(v));
	v.generic.ifstatus = 1; /* admin up, oper down */
	v.generic.iftype = 6;
	v.generic.ifdirection = 2;
	v.generic.in_errors = UINT32_MAX;
	x = read_one(SFL_CTR_GENERIC, 0, "ifadminstatus", &v, &u, buf);
	CHECK_EQ_STR(x.str, "up");
	x = read_one(SFL_CTR_GENERIC, 0, "ifoperstatus", &v, &u, buf);
	CHECK_EQ_STR(x.str, "down");
	x = read_one(SFL_CTR_GENERIC, 0, "iftype", &v, &u, buf);
	CHECK_EQ_STR(x.str, "ethernetCsmacd");
	v.generic.iftype = 9999;
	x = read_one(SFL_CTR_GENERIC, 0, "iftype", &v, &u, buf);
	CHECK_EQ_STR(x.str, "9999");
	x = read_one(SFL_CTR_GENERIC, 0, "ifdirection", &v, &u, buf);
	CHECK_EQ_STR(x.str, "half-duplex");
	x = read_one(SFL_CTR_GENERIC, 0, "ifinerrors", &v, &u, buf);
	CHECK(!x.valid); /* all ones: unknown */

	memset(&v, 0, sizeof(v));
	v.processor.cpu_5s = 1234;
	v.processor.cpu_1m = -1;
	x = read_one(SFL_CTR_PROCESSOR, 0, "cpu_5sec", &v, &u, buf);
	CHECK(x.valid);
	CHECK_NEAR(x.num, 12.34);
	x = read_one(SFL_CTR_PROCESSOR, 0, "cpu_1min", &v, &u, buf);
	CHECK(!x.valid);

	memset(&v, 0, sizeof(v));
	memcpy(v.lacp.actor_system_id, "\x00\x11\x22\xaa\xbb\xcc", 6);
	x = read_one(SFL_CTR_LACP, 0, "agg_actorsystemid", &v, &u, buf);
	CHECK_EQ_STR(x.str, "001122aabbcc");

	memset(&v, 0, sizeof(v));
	for (int i = 0; i < 16; i++)
		v.host_descr.uuid[i] = (uint8_t)i;
	v.host_descr.hostname.ptr = "abc\0def";
	v.host_descr.hostname.len = 3;
	x = read_one(SFL_CTR_HOST_DESCR, 2, "uuid", &v, &u, buf);
	CHECK_EQ_STR(x.str, "00010203-0405-0607-0809-0a0b0c0d0e0f");
	x = read_one(SFL_CTR_HOST_DESCR, 2, "host_name", &v, &u, buf);
	CHECK_EQ_STR(x.str, "abc");
	x = read_one(SFL_CTR_HOST_DESCR, 3, "vir_host_name", &v, &u, buf);
	CHECK_EQ_STR(x.str, "abc");

	memset(&v, 0, sizeof(v));
	v.sfp.module_temperature_mc = -2500;
	x = read_one(SFL_CTR_SFP, 0, "opt_module_temperature", &v, &u, buf);
	CHECK_NEAR(x.num, -2.5);
	v.ofport.datapath_id = 0x1234;
	x = read_one(SFL_CTR_OFPORT, 0, "of_dpid", &v, &u, buf);
	CHECK_EQ_STR(x.str, "0000000000001234");

	/* a float gauge is its shortest decimal: 0.29f is 0.28999999165534973
	 * as a double, 0.29 here; 1/3 keeps the float's 7-8 digits */
	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = 0.29f;
	v.host_cpu.load_five = 1.0f / 3.0f;
	x = read_one(SFL_CTR_HOST_CPU, 2, "load_one", &v, &u, buf);
	CHECK(x.num == 0.29);
	x = read_one(SFL_CTR_HOST_CPU, 2, "load_five", &v, &u, buf);
	CHECK(x.num == 0.33333334);
}

static void set_vals(struct metrics_value *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		x[i].valid = true;
		x[i].num = 0;
	}
}

TEST(derive_generic)
{
	const struct metrics_record *rec = metrics_lookup(SFL_CTR_GENERIC, 0);
	struct metrics_value x[64];
	union sfl_record_value v;

	memset(x, 0, sizeof(x));
	memset(&v, 0, sizeof(v));
	v.generic.ifspeed = 10000000; /* 10 Mb/s */
	set_vals(x, rec->nfields);
	x[slot(rec, "ifinoctets")].num = 250000;   /* 2 Mb/s: 20 % */
	x[slot(rec, "ifoutoctets")].num = 125000;  /* 10 % */
	x[slot(rec, "ifinucastpkts")].num = 10;
	x[slot(rec, "ifinmulticastpkts")].num = 2;
	x[slot(rec, "ifinbroadcastpkts")].num = 1;
	x[slot(rec, "ifoutbroadcastpkts")].valid = false;
	rec->derive(&v, x);
	CHECK_NEAR(x[slot(rec, "ifinutilization")].num, 20);
	CHECK_NEAR(x[slot(rec, "ifoututilization")].num, 10);
	CHECK_NEAR(x[slot(rec, "ifinpkts")].num, 13);
	CHECK(x[slot(rec, "ifoutpkts")].valid); /* the known parts: ucast 0 + mcast 0 */
	CHECK_NEAR(x[slot(rec, "ifoutpkts")].num, 0);
	x[slot(rec, "ifoutucastpkts")].valid = false;
	x[slot(rec, "ifoutmulticastpkts")].valid = false;
	x[slot(rec, "ifoutpkts")].valid = false;
	rec->derive(&v, x);
	CHECK(!x[slot(rec, "ifoutpkts")].valid); /* no part known */
	v.generic.ifspeed = 0;
	memset(&x[rec->nfields], 0, sizeof(x[0]) * rec->nderived);
	rec->derive(&v, x);
	CHECK(!x[slot(rec, "ifinutilization")].valid);
}

TEST(derive_host_cpu_with_steal)
{
	const struct metrics_record *rec = metrics_lookup(SFL_CTR_HOST_CPU, 2);
	struct metrics_value x[64];
	union sfl_record_value v;

	memset(x, 0, sizeof(x));
	memset(&v, 0, sizeof(v));
	v.host_cpu.has_steal = true;
	set_vals(x, rec->nfields);
	/* ms/s over 2 CPUs: user 500 system 300 idle 1000 wio 100 steal 100: total 2000 */
	x[slot(rec, "cpu_user")].num = 500;
	x[slot(rec, "cpu_system")].num = 300;
	x[slot(rec, "cpu_idle")].num = 1000;
	x[slot(rec, "cpu_wio")].num = 100;
	x[slot(rec, "cpu_steal")].num = 100;
	x[slot(rec, "cpu_guest")].num = 200;   /* inside user: not in the total */
	x[slot(rec, "interrupts")].num = 7777; /* not a CPU time */
	x[slot(rec, "load_one")].num = 3;
	x[slot(rec, "cpu_num")].num = 2;
	rec->derive(&v, x);
	CHECK_NEAR(x[slot(rec, "cpu_user")].num, 25);
	CHECK_NEAR(x[slot(rec, "cpu_system")].num, 15);
	CHECK_NEAR(x[slot(rec, "cpu_idle")].num, 50);
	CHECK_NEAR(x[slot(rec, "cpu_steal")].num, 5);
	CHECK_NEAR(x[slot(rec, "cpu_guest")].num, 10);
	CHECK_NEAR(x[slot(rec, "interrupts")].num, 7777);
	CHECK_NEAR(x[slot(rec, "cpu_utilization")].num, 45); /* 100 - 50 - 5 */
	CHECK_NEAR(x[slot(rec, "load_one_per_cpu")].num, 1.5);
}

TEST(derive_bcm_ovs_processor_vcpu)
{
	const struct metrics_record *bcm = metrics_lookup(SFL_CTR_BCM_TABLES, 0);
	const struct metrics_record *ovs = metrics_lookup(SFL_CTR_OVS_DP, 0);
	const struct metrics_record *proc = metrics_lookup(SFL_CTR_PROCESSOR, 0);
	const struct metrics_record *vcpu = metrics_lookup(SFL_CTR_VIRT_CPU, 3);
	struct metrics_value x[64];
	union sfl_record_value v;

	memset(x, 0, sizeof(x));
	memset(&v, 0, sizeof(v));
	v.bcm_tables.v[14] = 300; /* mac entries */
	v.bcm_tables.v[15] = 1200;
	bcm->derive(&v, x);
	CHECK_NEAR(x[slot(bcm, "bcm_mac_utilization")].num, 25);
	CHECK(!x[slot(bcm, "bcm_host_utilization")].valid); /* max 0 */

	memset(x, 0, sizeof(x));
	set_vals(x, ovs->nfields);
	x[slot(ovs, "ovs_dp_hits")].num = 90;
	x[slot(ovs, "ovs_dp_misses")].num = 10;
	ovs->derive(&v, x);
	CHECK_NEAR(x[slot(ovs, "ovs_dp_missrate")].num, 10);

	memset(x, 0, sizeof(x));
	set_vals(x, proc->nfields);
	x[slot(proc, "mem_total")].num = 800;
	x[slot(proc, "mem_free")].num = 200;
	proc->derive(&v, x);
	CHECK_NEAR(x[slot(proc, "mem_utilization")].num, 75);

	memset(x, 0, sizeof(x));
	set_vals(x, vcpu->nfields);
	x[slot(vcpu, "vir_cpu_time")].num = 1000; /* 1000 ms/s on 4 vCPUs: 25 % */
	x[slot(vcpu, "vir_nr_virt_cpu")].num = 4;
	vcpu->derive(&v, x);
	CHECK_NEAR(x[slot(vcpu, "vir_cpu_utilization")].num, 25);
}

TEST(table_is_well_formed)
{
	size_t n;
	const struct metrics_record *t = metrics_table(&n);

	CHECK(n >= 30);
	for (size_t i = 0; i < n; i++) {
		CHECK(t[i].nfields + t[i].nderived <= 64);
		CHECK((t[i].nderived == 0) == (t[i].derive == NULL));
		for (uint32_t j = 0; j < t[i].nfields; j++)
			CHECK((size_t)t[i].fields[j].offset + 4 <= sizeof(union sfl_record_value));
		/* names are unique within a record */
		for (uint32_t a = 0; a < t[i].nfields + t[i].nderived; a++)
			for (uint32_t b = a + 1; b < t[i].nfields + t[i].nderived; b++)
				CHECK(strcmp(metrics_slot_name(&t[i], a), metrics_slot_name(&t[i], b)));
	}
	CHECK(metrics_lookup(SFL_CTR_HOST_ADAPTERS, 2) == NULL);
}

struct str_case {
	const char *in;
	size_t n, cap;
	const char *out;
};

TEST(strings_become_valid_json_text)
{
	static const struct str_case cases[] = {
		{ "web1", 4, 64, "web1" },
		{ "a\x01" "b\xff", 4, 64, "a?b?" },
		{ "caf\xc3\xa9", 5, 64, "caf\xc3\xa9" },       /* UTF-8 é kept */
		{ "\xc3", 1, 64, "?" },                        /* cut sequence */
		{ "\xe0\x80\x80", 3, 64, "???" },              /* overlong */
		{ "\xed\xa0\x80", 3, 64, "???" },              /* surrogate */
		{ "abcdef", 6, 4, "abc" },                      /* capped */
		{ "ab\0cd", 5, 64, "ab" },                      /* ends at NUL */
		{ "x\xc3\xa9", 3, 3, "x?" },                    /* no room for é */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];

		metrics_copy_str(buf, cases[i].cap, cases[i].in, cases[i].n);
		CHECK_EQ_STR(buf, cases[i].out);
	}
}

TEST_MAIN(TEST_ENTRY(rates), TEST_ENTRY(strings_become_valid_json_text), TEST_ENTRY(reading_fields),
	  TEST_ENTRY(derive_generic),
	  TEST_ENTRY(derive_host_cpu_with_steal), TEST_ENTRY(derive_bcm_ovs_processor_vcpu),
	  TEST_ENTRY(table_is_well_formed))
