#!/bin/sh
# run.sh - the MIME extraction suite: generate the corpus (gen.py) into a
# private temp dir, run mime_walk on every message and compare (check.py).
# Prints TAP; see tests/run.sh.
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
VANTHU_BUILD=${VANTHU_BUILD:-build}
export VANTHU_BUILD VANTHU_TOP="$top"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-mime.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! python3 tests/mime/gen.py "$tmp" >"$tmp/gen.log" 2>&1; then
	echo "not ok 1 - the MIME corpus is generated"
	sed 's/^/#   /' "$tmp/gen.log" | tail -20
	exit 1
fi
python3 tests/mime/check.py "$tmp"
