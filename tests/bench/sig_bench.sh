#!/bin/sh
# sig_bench.sh - make a 2-signature PDF (person, agency; chain of three,
# RSA-2048, as in tests/sig) and time its verification:
#	make bench tests && sh tests/bench/sig_bench.sh [ROUNDS]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${VANTHU_BUILD:-$top/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-sigbench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T"
sh "$top/tests/sig/pki.sh" K >/dev/null 2>&1
M="python3 $top/tests/sig/mkpdf.py"
$M base base.pdf
r=$($M prepare base.pdf one.pdf ETSI.CAdES.detached Sig1 0)
"$build/tests/tools/cades_sign" one.pdf $r K/person.key K/person.pem
r=$($M prepare one.pdf two.pdf ETSI.CAdES.detached Sig2 0)
"$build/tests/tools/cades_sign" two.pdf $r K/agency.key K/agency.pem
"$build/bench/sig_bench" two.pdf K/root.pem K/inter.pem "${1:-2000}"
