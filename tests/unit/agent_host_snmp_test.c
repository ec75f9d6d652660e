/*
 * mib2 groups from /proc/net/snmp (agent/host/snmp.c) and host_descr
 * (agent/host/descr.c) over the fixture trees of tests/data/proc/. The
 * "reordered" tree shuffles every column and adds unknown ones, so a
 * positional parse would fail every field. Expected values are read off the
 * fixture text by hand; HOST_SNMP_UNKNOWN (2^32 - 1) marks absent columns.
 */
#include <string.h>

#include "agent/host/descr.h"
#include "agent/host/snmp.h"
#include "tests/lib/test.h"

#define CASE1 "tests/data/proc/case1"
#define CASE2 "tests/data/proc/case2"
#define REORDERED "tests/data/proc/reordered"
#define GARBAGE "tests/data/proc/garbage"
#define MISSING "tests/data/proc/missing"
#define UNK HOST_SNMP_UNKNOWN

/* Expected values of one group, in the field order of its sFlow struct. */
static void check_u32s(const void *rec, const uint32_t *want, size_t n, const char *what)
{
	uint32_t got[32];

	memcpy(got, rec, n * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i])
			printf("  %s field %zu: %u != %u\n", what, i, got[i], want[i]);
		CHECK_EQ_U64(got[i], want[i]);
	}
}

#define CHECK_GROUP(rec, ...)                                                          \
	do {                                                                           \
		static const uint32_t want_[] = { __VA_ARGS__ };                       \
		_Static_assert(sizeof(want_) == sizeof(rec), "one value per field"); \
		check_u32s(&(rec), want_, sizeof(want_) / sizeof(want_[0]), #rec);   \
	} while (0)

TEST(snmp_case1_kernel_6_icmp_is_not_shifted)
{
	struct host_snmp s;

	CHECK_EQ_U64(host_snmp_read(CASE1, &s), 0);
	CHECK(s.has_ip && s.has_icmp && s.has_tcp && s.has_udp);
	/* Ip: 2 64 3001..3008 but InDelivers 4294967396 (- 2^32 = 100); OutTransmits 3018 unused */
	CHECK_GROUP(s.ip, 2, 64, 3001, 3002, 3003, 3004, 3005, 3006, 100, 3008, 3009, 3010, 3011,
		    3012, 3013, 3014, 3015, 3016, 3017);
	/* Icmp 101..129 in kernel order; 103 InCsumErrors, 112 InTimestampReps,
	 * 117/118 OutRateLimit* have no sFlow field */
	CHECK_GROUP(s.icmp, 101, 102, 104, 105, 106, 107, 108, 109, 110, 111, 113, 114, 115, 116,
		    119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129);
	/* Tcp: 1 200 120000 -1 12 2 3 4 5 657 500 6 7 8 9; MaxConn -1 is 2^32 - 1 */
	CHECK_GROUP(s.tcp, 1, 200, 120000, 0xffffffffu, 12, 2, 3, 4, 5, 657, 500, 6, 7, 8, 9);
	/* Udp: 1582 25 1 1608 2 3 4 (IgnoredMulti 5, MemErrors 6 unused); not UdpLite 901.. */
	CHECK_GROUP(s.udp, 1582, 25, 1, 1608, 2, 3, 4);
}

TEST(snmp_case2_old_kernel_missing_columns_are_unknown)
{
	struct host_snmp s;

	CHECK_EQ_U64(host_snmp_read(CASE2, &s), 0);
	CHECK(s.has_ip && s.has_icmp && s.has_tcp && s.has_udp);
	CHECK_GROUP(s.ip, 1, 255, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
	/* 201..226 in order; 211 is InTimestampReps, which has no field */
	CHECK_GROUP(s.icmp, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215,
		    216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226);
	/* no InCsumErrors column before kernel 3.10 */
	CHECK_GROUP(s.tcp, 1, 200, 120000, 0xffffffffu, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, UNK);
	CHECK_GROUP(s.udp, 41, 42, 43, 44, 45, 46, UNK);
}

TEST(snmp_reordered_columns_map_by_name)
{
	struct host_snmp s;

	CHECK_EQ_U64(host_snmp_read(REORDERED, &s), 0);
	CHECK(s.has_ip && s.has_icmp && s.has_tcp && s.has_udp);
	/* each fixture value encodes its field: Ip 403..419 after 2 64; OutTransmits 888 unused */
	CHECK_GROUP(s.ip, 2, 64, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415,
		    416, 417, 418, 419);
	/* Icmp 301..325; 396..399 are the columns with no field */
	CHECK_GROUP(s.icmp, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314,
		    315, 316, 317, 318, 319, 320, 321, 322, 323, 324, 325);
	/* Tcp 61..75, MaxConn -7 = 2^32 - 7; "Brand-New" 60 unused */
	CHECK_GROUP(s.tcp, 61, 62, 63, 4294967289u, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75);
	/* Udp 51..57; FutureCounter 99999 unused */
	CHECK_GROUP(s.udp, 51, 52, 53, 54, 55, 56, 57);
}

TEST(snmp_garbage_keeps_what_is_well_formed)
{
	struct host_snmp s;

	CHECK_EQ_U64(host_snmp_read(GARBAGE, &s), 0);
	/* "Tcp: RtoAlgorithm RtoMin MaxConn" / "Tcp: 1 x 7": x is no number */
	CHECK(s.has_tcp);
	CHECK_EQ_U64(s.tcp.rto_algorithm, 1);
	CHECK_EQ_U64(s.tcp.rto_min, UNK);
	CHECK_EQ_U64(s.tcp.max_conn, 7);
	CHECK_EQ_U64(s.tcp.rto_max, UNK);
	CHECK_EQ_U64(s.tcp.in_csum_errs, UNK);
	/* the Udp header is followed by an Ip line, so neither pairs up; the
	 * second Icmp line is a header again, not values */
	CHECK(!s.has_udp);
	CHECK(!s.has_ip);
	CHECK(!s.has_icmp);
	CHECK_EQ_U64(host_snmp_read(MISSING, &s), (uint64_t)-1);
}

/* machine-id 0123456789abcdeffedcba9876543210 folded by hand (python,
 * hsflowd's chooseUUID() steps): FNV-1a of bytes 0-7 = 0x0006ab85, of
 * bytes 8-15 = 0xfc597855; h1 h2 h1 h2 little-endian, then byte 6 0x59 ->
 * 0x59 (version 5) and byte 8 0x85 -> 0x85 (variant 10). */
TEST(descr_case1_machine_id_uuid)
{
	static const uint8_t want[16] = { 0x85, 0xab, 0x06, 0x00, 0x55, 0x78, 0x59, 0xfc,
					  0x85, 0xab, 0x06, 0x00, 0x55, 0x78, 0x49, 0xfc };
	struct host_descr d;

	CHECK_EQ_U64(host_descr_read(CASE1, NULL, &d), 0);
	CHECK_EQ_U64(d.rec.hostname.len, 18);
	CHECK_MEM(d.rec.hostname.ptr, "web-01.example.net", 18);
	CHECK_EQ_U64(d.rec.os_release.len, 14);
	CHECK_MEM(d.rec.os_release.ptr, "6.1.0-13-amd64", 14);
	CHECK_EQ_U64(d.rec.machine_type, 3); /* x86_64 */
	CHECK_EQ_U64(d.rec.os_name, 2);
	CHECK_EQ_U64(d.uuid_src, HOST_UUID_MACHINE_ID); /* no DMI in case1 */
	CHECK_MEM(d.rec.uuid, want, 16);
}

TEST(descr_case2_dmi_wins_and_release_is_cut)
{
	static const uint8_t want[16] = { 0x4c, 0x4c, 0x45, 0x44, 0x00, 0x42, 0x35, 0x10,
					  0x80, 0x52, 0xb4, 0xc0, 0x4f, 0x4b, 0x4e, 0x32 };
	static const uint8_t conf[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct host_descr d;

	CHECK_EQ_U64(host_descr_read(CASE2, NULL, &d), 0);
	CHECK_MEM(d.rec.hostname.ptr, "pi-cluster-7", 12);
	CHECK_EQ_U64(d.rec.hostname.len, 12);
	/* "5.10.103-v8+rpi-custom-build-2023-longname" is 42 bytes: the first 32 */
	CHECK_EQ_U64(d.rec.os_release.len, 32);
	CHECK_MEM(d.rec.os_release.ptr, "5.10.103-v8+rpi-custom-build-202", 32);
	CHECK_EQ_U64(d.rec.machine_type, 10); /* aarch64 */
	CHECK_EQ_U64(d.uuid_src, HOST_UUID_DMI);
	CHECK_MEM(d.rec.uuid, want, 16); /* 4C4C4544-0042-3510-8052-B4C04F4B4E32 */

	CHECK_EQ_U64(host_descr_read(CASE2, conf, &d), 0);
	CHECK_EQ_U64(d.uuid_src, HOST_UUID_CONFIG);
	CHECK_MEM(d.rec.uuid, conf, 16);
}

/* machine-id fedcba98765432100123456789abcdef folded by hand as above:
 * h1 = 0xfc497855, h2 = 0x0006ab85; byte 6 0x06 -> 0x56, byte 8 0x55 -> 0x95. */
TEST(descr_placeholder_dmi_falls_back_to_machine_id)
{
	static const uint8_t want[16] = { 0x55, 0x78, 0x49, 0xfc, 0x85, 0xab, 0x56, 0x00,
					  0x95, 0x78, 0x49, 0xfc, 0x85, 0xab, 0x06, 0x00 };
	struct host_descr d;

	CHECK_EQ_U64(host_descr_read(REORDERED, NULL, &d), 0);
	CHECK_EQ_U64(d.uuid_src, HOST_UUID_MACHINE_ID); /* DMI is all zero */
	CHECK_MEM(d.rec.uuid, want, 16);
	CHECK_EQ_U64(d.rec.os_release.len, 0);  /* no osrelease file */
	CHECK_EQ_U64(d.rec.machine_type, 0);    /* no arch file: unknown */
}

TEST(descr_garbage_and_missing)
{
	static const uint8_t zero[16] = { 0 };
	struct host_descr d;

	/* hostname file holds two lines */
	CHECK_EQ_U64(host_descr_read(GARBAGE, NULL, &d), (uint64_t)-1);
	CHECK_EQ_U64(host_descr_read(MISSING, NULL, &d), (uint64_t)-1);
	CHECK_MEM(d.rec.uuid, zero, 16);
}

TEST(descr_machine_type_table)
{
	static const struct {
		const char *machine;
		uint32_t type;
	} cases[] = {
		{ "x86_64", 3 }, { "i686", 2 }, { "i386", 2 }, { "aarch64", 10 }, { "armv7l", 10 },
		{ "ia64", 4 }, { "sparc64", 5 }, { "alpha", 6 }, { "ppc64le", 7 }, { "m68k", 8 },
		{ "mips64", 9 }, { "parisc64", 11 }, { "s390x", 12 }, { "riscv64", 1 }, { "", 0 },
		{ NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ_U64(host_descr_machine_type(cases[i].machine), cases[i].type);
}

TEST(descr_uuid_text_forms)
{
	static const uint8_t want[16] = { 0x4c, 0x4c, 0x45, 0x44, 0x00, 0x42, 0x35, 0x10,
					  0x80, 0x52, 0xb4, 0xc0, 0x4f, 0x4b, 0x4e, 0x32 };
	static const struct {
		const char *text;
		int rc;
	} cases[] = {
		{ "4c4c4544-0042-3510-8052-b4c04f4b4e32", 0 },
		{ " 4C4C4544-0042-3510-8052-B4C04F4B4E32\n", 0 },
		{ "4c4c454400423510 8052b4c04f4b4e32", -1 },
		{ "4c4c454400423510" "8052b4c04f4b4e32", 0 },
		{ "4c4c4544-00423510-8052-b4c04f4b4e32", -1 },  /* a dash missing */
		{ "4c4c4544-0042-3510-8052-b4c04f4b4e3", -1 },  /* 31 digits */
		{ "4c4c4544-0042-3510-8052-b4c04f4b4e32a", -1 }, /* 33 digits */
		{ "4c4c4544-0042-3510-8052-b4c04f4b4e3g", -1 },
		{ "", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t u[16] = { 0 };

		CHECK_EQ_U64(host_descr_parse_uuid(cases[i].text, u), (uint64_t)(int64_t)cases[i].rc);
		if (cases[i].rc == 0)
			CHECK_MEM(u, want, 16);
	}
}

TEST(live_root_descr_and_snmp_are_sane)
{
	struct host_descr d;
	struct host_snmp s;

	CHECK_EQ_U64(host_descr_read("/", NULL, &d), 0);
	CHECK(d.rec.hostname.len > 0 && d.rec.hostname.len <= 64);
	CHECK(d.rec.os_release.len > 0);
	CHECK(d.rec.machine_type != 0);
	CHECK_EQ_U64(host_snmp_read("/", &s), 0);
	CHECK(s.has_ip && s.has_icmp && s.has_tcp && s.has_udp);
	CHECK(s.ip.default_ttl > 0 && s.ip.default_ttl <= 255);
}

TEST_MAIN(TEST_ENTRY(snmp_case1_kernel_6_icmp_is_not_shifted),
	  TEST_ENTRY(snmp_case2_old_kernel_missing_columns_are_unknown),
	  TEST_ENTRY(snmp_reordered_columns_map_by_name), TEST_ENTRY(snmp_garbage_keeps_what_is_well_formed),
	  TEST_ENTRY(descr_case1_machine_id_uuid), TEST_ENTRY(descr_case2_dmi_wins_and_release_is_cut),
	  TEST_ENTRY(descr_placeholder_dmi_falls_back_to_machine_id), TEST_ENTRY(descr_garbage_and_missing),
	  TEST_ENTRY(descr_machine_type_table), TEST_ENTRY(descr_uuid_text_forms),
	  TEST_ENTRY(live_root_descr_and_snmp_are_sane))
