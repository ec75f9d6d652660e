#!/bin/bash
# tests/checksrc.sh FILE...: the source rules `make lint` enforces beyond the
# compilers (shared/STYLE.md B10, B12, B14). Prints one "file:line: reason"
# per finding and exits 1 if there is any, 0 otherwise, 2 on bad usage.
#
# Every file: no trailing whitespace, no line wider than 110 columns (a tab
# counts to the next multiple of 8). C files (.c, .h) also: no line indented
# with spaces (a space before the first tab, or a space-only indent outside a
# block comment; tabs then spaces for alignment are fine), no banned calls
# (sprintf, vsprintf, strcpy, strcat, atoi, gets), no function body longer
# than 200 lines (kernel style: a body opens with "{" and closes with "}" in
# column 1), and no malloc/calloc/realloc in the library proper (sflow/*.c,
# not sflow/dump/), which must never allocate. Calls are looked for with
# comments, string and character literals blanked out, so prose that names a
# function is not a finding.
set -u

if [ $# -eq 0 ]; then
	echo "usage: $0 FILE..." >&2
	exit 2
fi

status=0
for f in "$@"; do
	if [ ! -f "$f" ]; then
		echo "$f:0: no such file"
		status=1
		continue
	fi
	case "$f" in
	*.c | *.h) is_c=1 ;;
	*) is_c=0 ;;
	esac
	case "$f" in
	sflow/*/* | */sflow/*/*) no_alloc=0 ;;
	sflow/*.c | */sflow/*.c) no_alloc=1 ;;
	*) no_alloc=0 ;;
	esac
	# shellcheck disable=SC2016 # the awk program is single-quoted on purpose
	awk -v file="$f" -v is_c="$is_c" -v no_alloc="$no_alloc" '
	function report(line, why) { printf "%s:%d: %s\n", file, line, why; found = 1 }
	function width(s,    i, c, w) {
		w = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			w = (c == "\t") ? w + 8 - w % 8 : w + 1
		}
		return w
	}
	# Blank comments and literals of one line; in_comment carries over.
	function code_of(s,    out, i, c, d, q) {
		out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1); d = substr(s, i, 2)
			if (in_comment) {
				if (d == "*/") { in_comment = 0; i++ }
				out = out " "
				continue
			}
			if (d == "/*") { in_comment = 1; i++; out = out "  "; continue }
			if (d == "//") break
			if (c == "\"" || c == "\047") {
				q = c; out = out " "
				for (i++; i <= length(s); i++) {
					c = substr(s, i, 1)
					if (c == "\\") { i++; continue }
					if (c == q) break
				}
				continue
			}
			out = out c
		}
		return out
	}
	BEGIN {
		found = 0; in_comment = 0; body_start = 0
		banned = "(^|[^A-Za-z0-9_])(v?sprintf|strcpy|strcat|atoi|gets)[ \t]*\\("
		alloc = "(^|[^A-Za-z0-9_.>])(malloc|calloc|realloc)[ \t]*\\("
	}
	{
		sub(/\r$/, "")
		if ($0 ~ /[ \t]$/)
			report(NR, "trailing whitespace")
		if (width($0) > 110)
			report(NR, "line is " width($0) " columns (max 110)")
		if (!is_c)
			next
		was_comment = in_comment
		code = code_of($0)
		if ($0 ~ /^\t* +\t/)
			report(NR, "space before tab in indent")
		else if ($0 ~ /^ +[^ *]/ && !was_comment)
			report(NR, "indented with spaces (use tabs)")
		if (match(code, banned)) {
			name = substr(code, RSTART, RLENGTH); gsub(/[^A-Za-z_]/, "", name)
			report(NR, "banned function " name "()")
		}
		if (no_alloc && match(code, alloc)) {
			name = substr(code, RSTART, RLENGTH); gsub(/[^A-Za-z_]/, "", name)
			report(NR, name "() in the library (sflow/ must not allocate)")
		}
		if ($0 ~ /^\{/ && !was_comment)
			body_start = NR
		else if ($0 ~ /^\}/ && body_start) {
			if (NR - body_start - 1 > 200)
				report(body_start, "function body is " NR - body_start - 1 \
				       " lines (max 200)")
			body_start = 0
		}
	}
	END { exit found }
	' "$f" || status=1
done
exit $status
