#!/bin/sh
# seeds.sh OUT - seed inputs for the fuzz targets, made by the tests' own
# generators, in OUT/<target>, one directory for every target.
#
#	make tests fuzz && sh fuzz/seeds.sh /tmp/seeds
#	mkdir -p /tmp/corpus/docx
#	build-fuzz/docx_fuzz -max_total_time=600 /tmp/corpus/docx /tmp/seeds/docx
#
# A fuzzer that starts from nothing seldom builds a valid zip, signed PDF
# or edXML packet by chance, and then only tries the first checks of its
# parser: docx_fuzz stayed at 33 edges in five minutes without seeds and
# reached 525 with them.  mime: the MIME corpus (tests/mime/gen.py, which
# needs build/tests/tools/mk7z); docx, edxml, archive, facts, hdrenc,
# rules: fuzz/seeds.py; pdf_sigloc: a PDF signed once, twice and then
# changed (tests/sig's PKI, mkpdf.py and podofosign); cms: signatures of
# the bytes cms_fuzz checks against, made with openssl cms, behind the
# mode byte that target reads first; wproto: the replies a worker sends
# for all of these sent as mail (fuzz/wproto_seeds.c).  The programs it
# runs are those of $VANTHU_BUILD (default build/), which `make tests`
# makes; tests/fuzz/ runs it on every `make check`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
out=${1:?usage: seeds.sh OUT}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out/mime" "$out/pdf_sigloc" "$out/cms"

VANTHU_TOP=$top VANTHU_BUILD=$build "$PY" "$top/tests/mime/gen.py" "$tmp/mime" >/dev/null
cp "$tmp"/mime/*.eml "$out/mime/"
"$PY" "$top/fuzz/seeds.py" "$out"

sh "$top/tests/sig/pki.sh" "$tmp/K" >/dev/null 2>&1
K=$tmp/K
"$PY" "$top/tests/sig/mkpdf.py" base "$out/pdf_sigloc/base.pdf"
podofosign -in "$out/pdf_sigloc/base.pdf" -out "$out/pdf_sigloc/one.pdf" \
	-cert "$K/person.pem" -pkey "$K/person.key" -digest SHA256 >/dev/null
podofosign -in "$out/pdf_sigloc/one.pdf" -out "$out/pdf_sigloc/two.pdf" \
	-cert "$K/agency.pem" -pkey "$K/agency.key" -digest SHA256 >/dev/null
"$PY" "$top/tests/sig/mkpdf.py" modify "$out/pdf_sigloc/two.pdf" \
	"$out/pdf_sigloc/changed.pdf" >/dev/null

# cms_fuzz.c: byte 0 is mode (0 detached, 1 adbe.pkcs7.sha1, 2 content
# inside) + 4 CAdES + 8 e-mail purpose + 16 a claimed time; the
# signature must cover "%PDF-1.7 signed bytes".
printf '%%PDF-1.7 signed bytes' >"$tmp/content"
openssl dgst -sha1 -binary "$tmp/content" >"$tmp/sha1"
# sign NAME MODEBYTE SIGNER INPUT [OPTIONS...]
sign() {
	name=$1 byte=$2 who=$3 in=$4
	shift 4
	openssl cms -sign -binary -in "$in" -signer "$K/$who.pem" -inkey "$K/$who.key" \
		-certfile "$K/chain.pem" -outform DER -out "$tmp/sig" "$@"
	{ printf "\\$(printf %o "$byte")"; cat "$tmp/sig"; } >"$out/cms/$name"
}
sign detached 0 person "$tmp/content"
sign detached-noattr 0 person "$tmp/content" -noattr
sign detached-cades 4 agency "$tmp/content" -cades
sign detached-claimed 16 person "$tmp/content" -md sha1
sign sha1 1 person "$tmp/sha1" -nodetach
sign inside 2 person "$tmp/content" -nodetach
sign mail 10 mail "$tmp/content" -nodetach
sign stranger 0 stranger "$tmp/content"

# wproto_fuzz: the frames a real worker sends back (fuzz/wproto_seeds.c,
# which `make tests` builds) for the MIME corpus, the benchmark's messages
# and the signed PDFs of pdf_sigloc sent as mail (tests/rulelive/mkmail.py),
# with the test PKI's root trusted so that verdicts, signers and
# certificate fields are filled in.  libytnef says "Checksum mismatch" on
# stderr for the truncated winmail.dat of the corpus.
seeder=$build/tests/fuzz/wproto_seeds
[ -x "$seeder" ] || { echo "seeds.sh: $seeder is missing: run make tests" >&2; exit 1; }
mkdir -p "$out/wproto" "$tmp/mail"
"$PY" "$top/tests/bench/make_messages.py" "$tmp/mail" >/dev/null
rm -f "$tmp/mail/big.eml"
for pdf in one two changed; do
	"$PY" "$top/tests/rulelive/mkmail.py" "$tmp/mail/signed-$pdf.eml" \
		vanphong@stttt.binhdinh.gov.vn vanthu@binhdinh.gov.vn \
		"Công văn số 15/STTTT-VP" \
		"$out/pdf_sigloc/$pdf.pdf|application/pdf|15-STTTT-VP.pdf"
done
printf 'TrustAnchors %s\nIntermediates %s\n' "$K/root.pem" "$K/chain.pem" >"$tmp/seeds.conf"
"$seeder" -c "$tmp/seeds.conf" "$out/wproto" "$out"/mime/*.eml "$tmp"/mail/*.eml
# A seed sets libFuzzer's input size limit: the 200 KB frame of the
# 5,000-part message slowed wproto_fuzz from 95,000 runs a second to
# 800.  Frames over 16 KB are left out.
find "$out/wproto" -type f -size +16k -exec rm -f {} +
