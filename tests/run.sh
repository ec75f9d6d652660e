#!/bin/bash
# tests/run.sh: runs every test of `make test` and prints the one closing
# line "N passed, N failed". Each test program or script prints
# "summary <name> <passed> <failed>"; a program that dies without printing
# its summary counts as one failure. Needs BUILD (e.g. build/debug).
set -u
: "${BUILD:?BUILD must name the build directory}"
export BUILD
cd "$(dirname "$0")/.."
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name, command...
	local name=$1; shift
	"$@" >"$log" 2>&1
	local rc=$?
	grep -v '^summary ' "$log" | grep -v '^ok ' | sed "s|^|[$name] |"
	local sum
	sum=$(grep '^summary ' "$log" | tail -1)
	if [ -z "$sum" ]; then
		echo "[$name] FAIL: exited $rc without a summary"
		failed=$((failed + 1))
		return
	fi
	set -- $sum
	passed=$((passed + $3))
	failed=$((failed + $4))
	if [ "$rc" -ne 0 ] && [ "$4" -eq 0 ]; then
		echo "[$name] FAIL: exited $rc"
		failed=$((failed + 1))
	fi
	echo "$name: $3 passed, $4 failed"
}

for t in "$BUILD"/tests/*_test; do
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for r in "$BUILD"/tests/replay_*; do
	[ -x "$r" ] || continue
	name=${r##*/replay_}
	run_one "replay_$name" "$r" "tests/fuzz/corpus/$name"
done
for s in tests/integration/*.sh; do
	[ -x "$s" ] && run_one "$(basename "$s" .sh)" "$s"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
