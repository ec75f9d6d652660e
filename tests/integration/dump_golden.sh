#!/bin/bash
# tests/integration/dump_golden.sh: rtflow-dump -j against sflowtool's own
# decodes of the shared test captures (the acceptance test of rtflow-dump).
#
# For every ../shared/testdata/sflow-pcaps/X.pcap, runs
# `TZ=UTC $BUILD/rtflow-dump -r X.pcap -j` and compares with
# golden/X.sflowtool.jsonl[.gz], which sflowtool 6.11 wrote:
# - every golden line that parses as JSON and has "samples" is a datagram
#   sflowtool decoded; ours for it (found by pcapTimestamp, pcapTimestamp_uS,
#   agent, agentSubId and packetSequenceNo, in order) must be the same
#   object: same keys in the same order with the same values, nested lists
#   and objects alike (compared parsed, so only whitespace may differ);
# - every other golden line is a datagram sflowtool rejected (cut-short
#   JSON, or no "samples"); rtflow-dump must reject as many, each with one
#   "rtflow-dump: frame N: ..." line on stderr, and exit with status 2;
#   captures without rejections must exit 0.
# Counts one check per golden datagram plus one per capture for the exit
# status; prints "summary dump_golden <passed> <failed>".
set -u
cd "$(dirname "$0")/../.."
: "${BUILD:=build/debug}"
DATA=../shared/testdata/sflow-pcaps

if [ ! -d "$DATA/golden" ]; then
	echo "dump_golden: test data not found: $DATA (expected beside the repository," \
		"as ../shared/testdata from its root)"
	echo "summary dump_golden 0 1"
	exit 1
fi
if [ ! -x "$BUILD/rtflow-dump" ]; then
	echo "dump_golden: $BUILD/rtflow-dump not built"
	echo "summary dump_golden 0 1"
	exit 1
fi

exec python3 - "$BUILD/rtflow-dump" "$DATA" <<'EOF'
import glob, gzip, json, os, re, subprocess, sys

dump, data = sys.argv[1], sys.argv[2]
passed = failed = 0
env = dict(os.environ, TZ="UTC")

def pairs(obj):
    """A parsed JSON value with every object kept as its ordered key list."""
    return [(k, v) for k, v in obj]

def load(line):
    try:
        return json.loads(line, object_pairs_hook=pairs)
    except ValueError:
        return None

def field(obj, name):
    for k, v in obj:
        if k == name:
            return v
    return None

def key(obj):
    return tuple(field(obj, n) for n in
                 ("pcapTimestamp", "pcapTimestamp_uS", "agent", "agentSubId", "packetSequenceNo"))

def first_difference(a, b, path="$"):
    """Where two parsed values first differ, for the failure message."""
    if type(a) != type(b):
        return "%s: %r vs %r" % (path, a, b)
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if isinstance(x, tuple):
                if x[0] != y[0]:
                    return "%s[%d]: key %r vs %r" % (path, i, x[0], y[0])
                d = first_difference(x[1], y[1], "%s.%s" % (path, x[0]))
            else:
                d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        if len(a) != len(b):
            return "%s: %d items vs %d" % (path, len(a), len(b))
        return None
    return None if a == b else "%s: %r vs %r" % (path, a, b)

def golden_lines(stem):
    plain = os.path.join(data, "golden", stem + ".sflowtool.jsonl")
    if os.path.exists(plain):
        with open(plain, encoding="utf-8", errors="surrogateescape") as f:
            return f.read().splitlines()
    with gzip.open(plain + ".gz", "rt", encoding="utf-8", errors="surrogateescape") as f:
        return f.read().splitlines()

pcaps = sorted(glob.glob(os.path.join(data, "*.pcap")))
if not pcaps:
    print("dump_golden: no captures in %s" % data)
    print("summary dump_golden 0 1")
    sys.exit(1)

for pcap in pcaps:
    stem = os.path.basename(pcap)[:-len(".pcap")]
    gold = [load(l) for l in golden_lines(stem)]
    good = [g for g in gold if g is not None and field(g, "samples") is not None]
    rejected = len(gold) - len(good)
    try:
        run = subprocess.run([dump, "-r", pcap, "-j"], env=env, capture_output=True,
                             timeout=120)
    except subprocess.TimeoutExpired:
        print("FAIL %s: rtflow-dump did not finish in 120 s" % stem)
        failed += len(gold) + 1
        continue
    if run.returncode < 0:
        print("FAIL %s: rtflow-dump killed by signal %d" % (stem, -run.returncode))
        failed += len(gold) + 1
        continue
    ours = {}
    for line in run.stdout.decode("utf-8", "surrogateescape").splitlines():
        o = load(line)
        if o is None:
            print("FAIL %s: rtflow-dump printed a line that is not JSON: %.120s" % (stem, line))
            failed += 1
            continue
        ours.setdefault(key(o), []).append(o)
    bad = 0
    for g in good:
        mine = ours.get(key(g))
        if not mine:
            print("FAIL %s: no output for datagram %r" % (stem, key(g)))
            bad += 1
            continue
        o = mine.pop(0)
        if o != g:
            print("FAIL %s: datagram %r differs: %s" % (stem, key(g), first_difference(g, o)))
            bad += 1
    failed += bad
    passed += len(good) - bad
    errors = [l for l in run.stderr.decode("utf-8", "replace").splitlines()
              if re.match(r"rtflow-dump: frame \d+: ", l) and "ignored" not in l]
    if len(errors) == rejected:
        passed += rejected
    else:
        print("FAIL %s: sflowtool rejected %d datagrams, rtflow-dump reported %d"
              % (stem, rejected, len(errors)))
        for l in errors:
            print("  %s: %s" % (stem, l))
        failed += max(rejected, 1)
    want = 2 if rejected else 0
    if run.returncode == want:
        passed += 1
    else:
        print("FAIL %s: exit status %d, expected %d" % (stem, run.returncode, want))
        failed += 1
    # "ok " lines are kept out of the `make test` log by tests/run.sh
    print("%s %s: %d datagrams compared, %d rejected as sflowtool did%s"
          % ("FAIL" if bad else "ok  ", stem, len(good), rejected,
             "" if not bad else ", %d differ" % bad))

print("summary dump_golden %d %d" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
