#!/bin/sh
# run.sh - golden tests of the rule language through rules_try.
#
# cases/NAME.in describes a message (see tests/tools/rules_try.c); its
# first line "# sentence" names the test.  The rules are, in this order of
# preference: the file named by a "#rules FILE" line of NAME.in (relative
# to cases/), cases/NAME.rules, or rules/default.rules followed by
# cases/NAME.local in one rules directory (00-default.rules,
# 50-local.rules), or rules/default.rules alone.  The JSON result must
# equal cases/NAME.ref.
#
# broken/NAME.rules must fail to load with exactly the lines of
# broken/NAME.err.
#
# REGEN=1 rewrites the .ref and .err files from the current output.

top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
try=$build/tests/tools/rules_try
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-rules.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0

report() {	# status sentence
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}

cd "$top/tests/rules/cases" || exit 1
for in in *.in; do
	[ -f "$in" ] || continue
	name=${in%.in}
	title=$(sed -n '1s/^# *//p' "$in")
	[ -n "$title" ] || title="case $name gives the expected result"
	rules=$(sed -n 's/^#rules  *//p' "$in")
	if [ -z "$rules" ]; then
		if [ -f "$name.rules" ]; then
			rules=$name.rules
		elif [ -f "$name.local" ]; then
			rules=$tmp/$name.d
			mkdir -p "$rules"
			cp "$top/rules/default.rules" "$rules/00-default.rules"
			cp "$name.local" "$rules/50-local.rules"
		else
			rules=$top/rules/default.rules
		fi
	fi
	"$try" "$rules" "$in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -n "${REGEN:-}" ]; then
		cp "$tmp/out" "$name.ref"
	fi
	if [ "$rc" -eq 0 ] && diff -u "$name.ref" "$tmp/out" >"$tmp/diff"; then
		report 0 "$title"
	else
		report 1 "$title"
		sed 's/^/# /' "$tmp/err" "$tmp/diff"
	fi
done

cd "$top/tests/rules/broken" || exit 1
: >"$tmp/empty.in"
for r in *.rules; do
	[ -f "$r" ] || continue
	name=${r%.rules}
	title=$(sed -n '1s/^# *//p' "$r")
	[ -n "$title" ] || title="broken file $r is refused"
	"$try" "$r" "$tmp/empty.in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -n "${REGEN:-}" ]; then
		cp "$tmp/out" "$name.err"
	fi
	if [ "$rc" -eq 1 ] && diff -u "$name.err" "$tmp/out" >"$tmp/diff"; then
		report 0 "$title"
	else
		report 1 "$title (exit $rc)"
		sed 's/^/# /' "$tmp/err" "$tmp/diff"
	fi
done
echo "1..$n"
