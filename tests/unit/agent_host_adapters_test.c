/*
 * host_adapters (agent/host/adapters.c) over tests/data/proc/case1's
 * sys/class/net, whose interfaces each exercise one rule of adapters.h,
 * and over a generated tree of 40 interfaces for the 32-entry cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/host/adapters.h"
#include "tests/lib/test.h"

TEST(adapters_case1_rules)
{
	struct host_adapters a;
	const struct sfl_adapter *l;

	CHECK_EQ_U64(host_adapters_read("tests/data/proc/case1", &a), 0);
	/* kept: eth0 2, eth1 3, br0 5, bond0 7 (ifIndex order, not name order).
	 * left out: lo and lo9 (loopback), wlan0 (flags 0x1002: down), veth1a2b
	 * (iflink 8 != 9), eth0.100 (iflink 2 != 11), eth2 (zero MAC), tun0
	 * (type 65534), dummy0 (five-byte MAC), ib0 (ifindex "notanumber") */
	CHECK_EQ_U64(a.rec.adapters.count, 4);
	CHECK(a.rec.adapters.host == a.list);
	l = a.list;
	CHECK_EQ_U64(l[0].ifindex, 2);
	CHECK_MEM(l[0].macs, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK_EQ_U64(l[1].ifindex, 3);
	CHECK_MEM(l[1].macs, "\x52\x54\x00\xab\xcd\xef", 6); /* "52:54:00:AB:CD:EF" */
	CHECK_EQ_U64(l[2].ifindex, 5);
	CHECK_MEM(l[2].macs, "\xaa\xbb\xcc\xdd\xee\x05", 6);
	CHECK_EQ_U64(l[3].ifindex, 7);
	CHECK_MEM(l[3].macs, "\x02\x00\x00\x00\x00\x07", 6);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ_U64(l[i].num_macs, 1);
		CHECK(!l[i].macs_xdr);
	}
}

static void put(const char *dir, const char *file, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* 40 qualifying interfaces with ifIndex 41 down to 2: the 32 lowest stay. */
TEST(adapters_cap_keeps_lowest_ifindex)
{
	char root[] = "/tmp/rtflow_adapters_XXXXXX", dir[128], num[32], mac[32];
	struct host_adapters a;

	CHECK(mkdtemp(root) != NULL);
	snprintf(dir, sizeof(dir), "%s/sys", root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/sys/class", root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/sys/class/net", root);
	mkdir(dir, 0700);
	for (int i = 0; i < 40; i++) {
		snprintf(dir, sizeof(dir), "%s/sys/class/net/eth%d", root, i);
		mkdir(dir, 0700);
		snprintf(num, sizeof(num), "%d\n", 41 - i);
		snprintf(mac, sizeof(mac), "02:00:00:00:00:%02x\n", 41 - i);
		put(dir, "ifindex", num);
		put(dir, "iflink", num);
		put(dir, "type", "1\n");
		put(dir, "flags", "0x1003\n");
		put(dir, "address", mac);
	}
	CHECK_EQ_U64(host_adapters_read(root, &a), 0);
	CHECK_EQ_U64(a.rec.adapters.count, 32);
	for (uint32_t i = 0; i < 32; i++) {
		CHECK_EQ_U64(a.list[i].ifindex, 2 + i); /* 2..33 ascending */
		CHECK_EQ_U64(a.list[i].macs[5], 2 + i);
	}
	for (int i = 0; i < 40; i++) {
		static const char *const files[] = { "ifindex", "iflink", "type", "flags", "address" };

		for (int k = 0; k < 5; k++) {
			snprintf(dir, sizeof(dir), "%s/sys/class/net/eth%d/%s", root, i, files[k]);
			unlink(dir);
		}
		snprintf(dir, sizeof(dir), "%s/sys/class/net/eth%d", root, i);
		rmdir(dir);
	}
	snprintf(dir, sizeof(dir), "%s/sys/class/net", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/sys/class", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/sys", root);
	rmdir(dir);
	rmdir(root);
}

TEST(adapters_missing_and_live)
{
	struct host_adapters a;

	CHECK_EQ_U64(host_adapters_read("tests/data/proc/missing", &a), (uint64_t)-1);
	CHECK_EQ_U64(a.rec.adapters.count, 0);
	CHECK_EQ_U64(host_adapters_read("/", &a), 0);
	CHECK(a.rec.adapters.count <= HOST_ADAPTERS_MAX);
	for (uint32_t i = 1; i < a.rec.adapters.count; i++)
		CHECK(a.list[i - 1].ifindex < a.list[i].ifindex);
}

TEST_MAIN(TEST_ENTRY(adapters_case1_rules), TEST_ENTRY(adapters_cap_keeps_lowest_ifindex),
	  TEST_ENTRY(adapters_missing_and_live))
