#!/bin/sh
# seeds.sh OUT - seed inputs for the fuzz targets, made by the tests' own
# generators, in OUT/<target> for every target but wproto_fuzz.
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
# mode byte that target reads first.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: seeds.sh OUT}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out/mime" "$out/pdf_sigloc" "$out/cms"

VANTHU_TOP=$top "$PY" "$top/tests/mime/gen.py" "$tmp/mime" >/dev/null
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
