#!/bin/sh
# run.sh - run every test suite and count the results.
#
# A suite is a unit-test binary under $VANTHU_BUILD/tests/unit/ (cmocka,
# made to speak TAP) or a script tests/<area>/run.sh.  Every suite prints
# TAP lines, "ok N - sentence" or "not ok N - sentence"; a suite that exits
# non-zero without a failing line counts as one failure of its own.
# TESTS="unit rules" runs only the named areas.
#
# The last line is "N passed, N failed" and the exit code is 0 only when
# nothing failed.

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
VANTHU_BUILD=${VANTHU_BUILD:-build}
export VANTHU_BUILD VANTHU_TOP="$top"
export CMOCKA_MESSAGE_OUTPUT=TAP
log=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-tests.XXXXXX")
passed=0
failed=0
failures=""

wanted() {
	[ -z "${TESTS:-}" ] && return 0
	for t in $TESTS; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}

run_suite() {
	name=$1
	shift
	out="$log/$(echo "$name" | tr '/' '_').out"
	start=$(date +%s)
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$out"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "# $name: $p passed, $f failed ($(( $(date +%s) - start ))s)"
	if [ "$f" -ne 0 ]; then
		failures="$failures $name"
		grep -E '^not ok |^#' "$out" | head -40 | sed 's/^/#   /'
		echo "#   full output: $out"
	fi
}

if wanted unit; then
	for t in "$VANTHU_BUILD"/tests/unit/*_test; do
		[ -x "$t" ] || continue
		run_suite "unit/$(basename "$t")" "$t"
	done
fi
for s in tests/*/run.sh; do
	[ -f "$s" ] || continue
	area=$(basename "$(dirname "$s")")
	wanted "$area" || continue
	run_suite "$area" sh "$s"
done

[ -n "$failures" ] && echo "# failing suites:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
