#!/bin/sh
# facts_bench.sh - make the benchmark's PDFs and run build/bench/facts_bench.
#
#	make bench && sh tests/bench/facts_bench.sh
#
# The typical document is the 2-page plan of the facts corpus (s05),
# signed twice with podofosign (person, then agency, as in practice) with
# a throw-away key; the hostile ones stay under the input limit: a page of
# 200 000 tiny text runs, 3 000 pages, and 24 levels of nested forms each
# drawing the next twice (2^24 draws: the worker's CPU limit ends it).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${VANTHU_BUILD:-build}
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

$PY "$top/tests/facts/corpus.py" "$tmp/c" >/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Nguyen Van A/O=Bo Noi vu" \
	-keyout "$tmp/k.pem" -out "$tmp/c.pem" 2>/dev/null
podofosign -in "$tmp/c/s05.pdf" -out "$tmp/s1.pdf" -cert "$tmp/c.pem" -pkey "$tmp/k.pem" \
	-digest SHA256 >/dev/null
podofosign -in "$tmp/s1.pdf" -out "$tmp/typical.pdf" -cert "$tmp/c.pem" -pkey "$tmp/k.pem" \
	-digest SHA256 >/dev/null
$PY "$top/tests/bench/hostile_pdf.py" "$tmp"
"$build/bench/facts_bench" "$tmp/typical.pdf" "$tmp/runs.pdf" "$tmp/pages.pdf" "$tmp/forms.pdf"
