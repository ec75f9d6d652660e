/*
 * tests/unit/flow_geo_test.c: the country:, asn: and oui: lookups
 * (analyzer/flow_lookup.c) against data this test writes: tiny MaxMind DB
 * files built from CSV lines with tests/data/geo/mkmmdb.pl (perl
 * MaxMind::DB::Writer, Debian libmaxmind-db-writer-perl), in both country
 * layouts (ip-location-db's country_code and MaxMind's country.iso_code),
 * and an OUI file in IEEE and Wireshark forms. Expected values are the
 * lines written; addresses outside every range have no value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/flow_group.h"
#include "tests/lib/test.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Build dir/out from dir/csv with mkmmdb.pl; false when it fails. */
static bool mkmmdb(const char *out, const char *kind, const char *csv)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "perl tests/data/geo/mkmmdb.pl %s/%s %s %s/%s", dir, out, kind,
		 dir, csv);
	return system(cmd) == 0;
}

TEST(country_and_asn)
{
	char cc[128], iso[128], asn[128], buf[128], err[256];
	struct flow_geo *g, *g2;

	write_file("cc.csv", "8.8.8.0,8.8.8.255,US,cc\n1.1.1.0,1.1.1.255,AU,cc\n"
			     "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,US,cc\n");
	write_file("iso.csv", "9.9.9.0,9.9.9.255,CH,iso\n");
	write_file("asn.csv", "8.8.8.0,8.8.8.255,15169,Google LLC\n");
	CHECK(mkmmdb("cc.mmdb", "country", "cc.csv"));
	CHECK(mkmmdb("iso.mmdb", "country", "iso.csv"));
	CHECK(mkmmdb("asn.mmdb", "asn", "asn.csv"));
	snprintf(cc, sizeof(cc), "%s/cc.mmdb", dir);
	snprintf(iso, sizeof(iso), "%s/iso.mmdb", dir);
	snprintf(asn, sizeof(asn), "%s/asn.mmdb", dir);
	g = flow_geo_open(cc, asn, err, sizeof(err));
	CHECK(g != NULL);
	if (g) {
		CHECK(flow_geo_country(g, "8.8.8.8", buf, sizeof(buf)) == 2 && !strcmp(buf, "US"));
		CHECK(flow_geo_country(g, "1.1.1.1", buf, sizeof(buf)) == 2 && !strcmp(buf, "AU"));
		CHECK(flow_geo_country(g, "2001:4860:4860::8888", buf, sizeof(buf)) == 2 &&
		      !strcmp(buf, "US"));
		CHECK(flow_geo_country(g, "10.0.0.1", buf, sizeof(buf)) == -1);
		CHECK(flow_geo_country(g, "not an address", buf, sizeof(buf)) == -1);
		CHECK(flow_geo_asn(g, "8.8.8.8", 0, buf, sizeof(buf)) > 0 && !strcmp(buf, "15169"));
		CHECK(flow_geo_asn(g, "8.8.8.8", 1, buf, sizeof(buf)) > 0 &&
		      !strcmp(buf, "Google LLC"));
		CHECK(flow_geo_asn(g, "8.8.8.8", 2, buf, sizeof(buf)) > 0 &&
		      !strcmp(buf, "15169 Google LLC"));
		CHECK(flow_geo_asn(g, "1.1.1.1", 0, buf, sizeof(buf)) == -1);
		flow_geo_close(g);
	}
	g2 = flow_geo_open(iso, NULL, err, sizeof(err));
	CHECK(g2 && flow_geo_country(g2, "9.9.9.9", buf, sizeof(buf)) == 2 && !strcmp(buf, "CH"));
	CHECK(g2 && flow_geo_asn(g2, "9.9.9.9", 0, buf, sizeof(buf)) == -1); /* no ASN database */
	flow_geo_close(g2);
	CHECK(flow_geo_open("/nonexistent.mmdb", NULL, err, sizeof(err)) == NULL &&
	      strstr(err, "geo.country"));
}

TEST(oui_names)
{
	char path[128], err[256];
	struct flow_oui *o;

	write_file("oui.txt",
		   "OUI/MA-L                                                    Organization\n"
		   "00-00-0C   (hex)\t\tCisco Systems, Inc\n"
		   "00000C     (base 16)\t\tCisco Systems, Inc\n"
		   "\t\t\t\t170 WEST TASMAN DRIVE\n"
		   "00:50:56\tVMware, Inc.\n"
		   "3C22FB Apple, Inc.\n"
		   "# a comment\n");
	snprintf(path, sizeof(path), "%s/oui.txt", dir);
	o = flow_oui_load(path, err, sizeof(err));
	CHECK(o != NULL);
	CHECK(o && !strcmp(flow_oui_name(o, "00000C123456"), "Cisco Systems, Inc"));
	CHECK(o && !strcmp(flow_oui_name(o, "005056ABCDEF"), "VMware, Inc."));
	CHECK(o && !strcmp(flow_oui_name(o, "3c22fb000001"), "Apple, Inc."));
	CHECK(o && flow_oui_name(o, "112233445566") == NULL);
	CHECK(o && flow_oui_name(o, "zz") == NULL);
	flow_oui_free(o);
	CHECK(flow_oui_load("/nonexistent/oui.txt", err, sizeof(err)) == NULL &&
	      strstr(err, "oui.names"));
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = { TEST_ENTRY(country_and_asn),
						  TEST_ENTRY(oui_names) };
	char cmd[96];
	int rc;

	(void)argc;
	snprintf(dir, sizeof(dir), "/tmp/flow_geo_test.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	rc = test_run_all(argv[0], cases, sizeof(cases) / sizeof(cases[0]));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
