#!/bin/sh
# facts/run.sh - document text and facts against the labelled corpus.
#
# corpus.py writes 50 documents (PDF, DOCX, ODT, edXML, a scanned PDF, a
# TCVN3 PDF and a VNI DOCX) with the facts a clerk would type; score.py
# runs doc_facts on each, prints field-by-field accuracy and fails under
# 95 % exact matches or on any wrong (not empty) value; xcheck.py compares
# the PDF text with pdftotext's; margins.py checks the marks of page
# headers and footers.  Then single checks: the signed revision,
# a scanned PDF, an edXML packet's attachment, hostile inputs.

top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
tool=$build/tests/tools/doc_facts
here=$top/tests/facts
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-facts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0

tap() {		# tap STATUS SENTENCE
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

field() {	# field JSONFILE EXPR: a value of doc_facts' output
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

if ! $PY -c 'import reportlab' 2>/dev/null; then
	echo "not ok 1 - python3-reportlab is installed (make deps)"
	exit 1
fi
$PY "$here/corpus.py" "$tmp/c" >"$tmp/gen.log" 2>&1
tap $? "the corpus is generated"

$PY "$here/score.py" "$tmp/c" "$tool" $((n + 1)) >"$tmp/score"
cat "$tmp/score"
n=$((n + $(grep -c '^ok \|^not ok ' "$tmp/score")))

$PY "$here/xcheck.py" "$tmp/c" "$tool" $((n + 1)) >"$tmp/xcheck"
cat "$tmp/xcheck"
n=$((n + $(grep -c '^ok \|^not ok ' "$tmp/xcheck")))

# Marks in the page headers and footers of DOCX and ODT, and words there
# that are not marks.
$PY "$here/margins.py" "$tmp/m" "$tool" $((n + 1)) >"$tmp/margins"
cat "$tmp/margins"
n=$((n + $(grep -c '^ok \|^not ok ' "$tmp/margins")))
mkdir -p "$tmp/m/rules" "$tmp/m/spool"
printf 'rule note {\n\tlog "seen";\n}\n' >"$tmp/m/rules/00.rules"
printf 'Rules %s/rules\nSpool %s/spool\n' "$tmp/m" "$tmp/m" >"$tmp/m/milter.conf"
"$build/vanthu-milter" -c "$tmp/m/milter.conf" -t "$tmp/m/hdr.eml" --json \
	>"$tmp/hdr.json" 2>/dev/null
[ "$(field "$tmp/hdr.json" 'd["documents"][0]["facts"]["secrecy"]')" = "MẬT" ] &&
[ "$(field "$tmp/hdr.json" 'd["documents"][0]["facts"]["sources"]["secrecy"]')" = "page_header" ]
tap $? "vanthu-milter -t --json reports a page header's MẬT with source page_header"

# A PDF changed after signing: facts come from the signed revision.
len=$($PY "$here/revise.py" "$tmp/c/s33.pdf" "$tmp/upd.pdf" \
	'BO NOI VU' 'So: 999/QD-BNV' 'Ha Noi, ngay 1 thang 1 nam 2025')
"$tool" "$tmp/upd.pdf" >"$tmp/upd.json"
[ "$(field "$tmp/upd.json" 'd["facts"]["reference"]')" = "999/QD-BNV" ]
tap $? "the whole of an updated PDF shows the later revision's number"
"$tool" "$tmp/upd.pdf" --signed-len "$len" >"$tmp/sig.json"
[ "$(field "$tmp/sig.json" 'd["facts"]["reference"]')" = "419/BNV-VP" ] &&
[ "$(field "$tmp/sig.json" 'd["text_from_signed_revision"]')" = "True" ]
tap $? "with the signed length the signed revision's number is read and said so"

# A scanned PDF: needs_ocr, and only the subject speaks.
"$tool" "$tmp/c/s26.pdf" --subject 'Công văn số 44/UBND-VX V/v rà soát hồ sơ' \
	>"$tmp/scan.json"
[ "$(field "$tmp/scan.json" 'd["needs_ocr"]')" = "True" ] &&
[ "$(field "$tmp/scan.json" 'd["facts"]["sources"]["reference"]')" = "subject" ] &&
[ "$(field "$tmp/scan.json" 'd["facts"]["sources"]["summary"]')" = "subject" ]
tap $? "a PDF without text needs OCR and takes its facts from the subject, marked so"
"$tool" "$tmp/c/s01.pdf" --subject 'Công văn số 1/ABC-XY V/v khác' >"$tmp/subj.json"
[ "$(field "$tmp/subj.json" 'd["facts"]["reference"]')" = "15/QĐ-BNV" ]
tap $? "the subject is not used when the document has facts of its own"

# An edXML packet: header facts and the attachment as a document.
"$tool" "$tmp/c/s24.edxml" >"$tmp/ed.json"
want=$($PY -c 'import re,sys,base64,hashlib
x=open(sys.argv[1]).read()
v=re.search(r"<edXML:Value>(.*?)</edXML:Value>", x, re.S).group(1)
print(hashlib.sha256(base64.b64decode(v)).hexdigest())' "$tmp/c/s24.edxml")
[ "$(field "$tmp/ed.json" 'd["documents"][0]["sha256"]')" = "$want" ] &&
[ "$(field "$tmp/ed.json" 'd["documents"][0]["name"]')" = "s24.pdf" ] &&
[ "$(field "$tmp/ed.json" 'd["documents"][0]["facts"]["reference"]')" = "301/QĐ-BNV" ]
tap $? "an edXML attachment becomes a document with its name, digest and facts"
[ "$(field "$tmp/ed.json" 'd["facts"]["sources"]["reference"]')" = "edxml" ]
tap $? "the edXML header's facts are marked as coming from edxml"

# Hostile inputs end in an error value, never a crash.
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n' \
	>"$tmp/bad.pdf"
"$tool" "$tmp/bad.pdf" >"$tmp/bad.json"
[ $? -eq 1 ] && [ -n "$(field "$tmp/bad.json" 'd["error"]')" ]
tap $? "a broken PDF gives an error value"
$PY - "$tmp/bomb.docx" <<'PYEOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('word/document.xml', '<w:document xmlns:w="x">' + ' ' * (40 << 20) + '</w:document>')
PYEOF
"$tool" "$tmp/bomb.docx" >"$tmp/bomb.json"
[ "$(field "$tmp/bomb.json" 'd["error"]')" = "limit: xml size" ]
tap $? "a DOCX that inflates past the limit is refused before inflating"
$PY - "$tmp/hbomb.docx" <<'PYEOF'
import sys, zipfile
W = 'xmlns:w="x" xmlns:r="y"'
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('word/document.xml', '<w:document %s><w:body><w:p><w:r><w:t>'
               'Số: 1/QĐ-X</w:t></w:r></w:p></w:body></w:document>' % W)
    z.writestr('word/_rels/document.xml.rels', '<Relationships xmlns="z">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
               'officeDocument/2006/relationships/header" Target="header1.xml"/>'
               '</Relationships>')
    z.writestr('word/header1.xml', '<w:hdr %s>%s<w:p><w:r><w:t>MẬT</w:t></w:r>'
               '</w:p></w:hdr>' % (W, ' ' * (40 << 20)))
PYEOF
"$tool" "$tmp/hbomb.docx" >"$tmp/hbomb.json"
[ "$(field "$tmp/hbomb.json" '(d["error"], d["facts"]["reference"])')" = "(None, '1/QĐ-X')" ]
tap $? "a DOCX header part past the size limit is passed over and the body still read"
$PY - "$tmp" <<'PYEOF'
import sys, zipfile
def docx(path, dtd, body):
    x = ('<?xml version="1.0"?><!DOCTYPE d [%s]><w:document xmlns:w="x"><w:body>'
         '<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>' % (dtd, body))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('word/document.xml', x)
docx(sys.argv[1] + '/bomb2.docx', '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;'
     '&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">', '&c;&c;Số: 1/QĐ-X')
docx(sys.argv[1] + '/ext.docx', '<!ENTITY x SYSTEM "file:///etc/passwd">',
     '&x;Số: 1/QĐ-X')
PYEOF
"$tool" "$tmp/bomb2.docx" --text >"$tmp/bomb2.json"
[ "$(field "$tmp/bomb2.json" 'd["error"] or ("A" in d["text"])')" = "malformed: xml" ]
tap $? "a DOCX with nested entities is refused, not expanded"
"$tool" "$tmp/ext.docx" --text >"$tmp/ext.json"
[ "$(field "$tmp/ext.json" 'd["text"].strip()')" = "Số: 1/QĐ-X" ]
tap $? "an external entity in a DOCX is not fetched"

# Formats that are identified but not read say so.
printf '{\\rtf1\\ansi S\\u7889?: 1/Q\\u272?-X}' >"$tmp/x.rtf"
printf '\320\317\021\340\241\261\032\341W\000o\000r\000d\000' >"$tmp/x.doc"
"$tool" "$tmp/x.rtf" >"$tmp/rtf.json"
"$tool" "$tmp/x.doc" >"$tmp/doc.json"
[ "$(field "$tmp/rtf.json" 'd["error"]')" = "unsupported: rtf" ] &&
[ "$(field "$tmp/doc.json" 'd["error"]')" = "unsupported: msword" ]
tap $? "RTF and Word 97 files are identified and reported as not read"
