#!/usr/bin/perl
# tests/data/geo/mkmmdb.pl OUT.mmdb KIND CSV: a tiny mmdb for flow_geo_test.
# KIND country: CSV lines "start,end,code,layout" where layout "cc" writes
# {country_code} (ip-location-db) and "iso" writes {country:{iso_code}}
# (MaxMind). KIND asn: lines "start,end,asn,org" (GeoLite2-ASN layout).
use strict; use warnings;
use MaxMind::DB::Writer::Tree;
my ($out, $kind, $csv) = @ARGV;
my %types = (autonomous_system_number => 'uint32', country => 'map');
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 28, database_type => "rtflow-test-$kind",
    languages => ['en'], description => { en => 'rtflow test data' },
    map_key_type_callback => sub { $types{$_[0]} // 'utf8_string' },
    merge_strategy => 'none', alias_ipv6_to_ipv4 => 0, remove_reserved_networks => 0,
);
open my $fh, '<', $csv or die "$csv: $!";
while (my $l = <$fh>) {
    chomp $l;
    my ($s, $e, $v, $w) = split /,/, $l, 4;
    my $rec = $kind eq 'asn' ? { autonomous_system_number => $v + 0, autonomous_system_organization => $w }
            : $w eq 'iso' ? { country => { iso_code => $v } } : { country_code => $v };
    $tree->insert_range($s, $e, $rec);
}
open my $o, '>:raw', $out or die "$out: $!"; $tree->write_tree($o); close $o;
