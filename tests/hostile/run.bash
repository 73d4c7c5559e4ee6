#!/bin/bash
# run.bash - the whole hostile MIME corpus through the running daemon.
#
# tests/mime/gen.py writes the corpus (the defects of libetpan 1.9.4,
# truncated base64, missing boundaries, 0-byte and 200 MB declared parts,
# an executable named .pdf, path tricks and NUL bytes in names, invalid
# UTF-8, a zip bomb, 5,000 parts, 50,000 nested messages ...).  Every
# message goes to the daemon over miltertest; each must get an answer, the
# daemon must not die, and a normal message afterwards must be accepted.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup hostile
export VANTHU_BUILD=$build
pid=

cleanup() {
	daemon_stop "$pid"
	rm -rf "$tmp"
}
trap cleanup EXIT

python3 "$top/tests/mime/gen.py" "$tmp/corpus" >"$tmp/gen.log" 2>&1
tap $? "the hostile corpus is generated"
ls "$tmp/corpus"/*.eml >"$tmp/list"
count=$(wc -l <"$tmp/list")

cat >"$tmp/vanthu.conf" <<CONF
Socket unix:$tmp/milter.sock
Syslog no
Spool $tmp/spool
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
InternalHosts 10.0.0.0/8
AnalysisWorkers 2
AnalysisTimeout 20s
MaxMessageSize 300M
CONF
daemon_start "$tmp/milter.log" "$tmp/vanthu.conf"
tap $? "the daemon starts"
pid=$daemon_pid

miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/list" -s "$top/tests/hostile/sendfiles.lua" >"$tmp/out" 2>&1
answered=$(grep -c "^ok - " "$tmp/out")
grep "^not ok - " "$tmp/out" | sed 's/^not ok - /# no answer: /'
[ "$answered" -eq "$count" ]
tap $? "all $count hostile messages got an answer ($answered did)"

kill -0 "$pid" 2>/dev/null
tap $? "the daemon is still running after the hostile corpus"

printf 'From: vanthu@sonoi.gov.vn\r\nSubject: after\r\n\r\nnormal\r\n' >"$tmp/normal.eml"
echo "$tmp/normal.eml" >"$tmp/list2"
miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/list2" -s "$top/tests/hostile/sendfiles.lua" 2>&1 | grep -q "^ok - .*(accept)"
tap $? "a normal message afterwards is accepted"

logged=$(grep -c "outcome=" "$tmp/milter.log")
[ "$logged" -eq $((count + 1)) ]
tap $? "every message left one log line with its outcome ($logged of $((count + 1)))"
! grep -q "crashed\|killed by signal" "$tmp/milter.log"
tap $? "no analysis worker crashed on the corpus"

# libytnef prints its complaints on standard output; in a worker that
# is standard error, so what -t prints stays JSON.
"$build/vanthu-milter" -c "$tmp/vanthu.conf" -t "$tmp/corpus/tnef_truncated.eml" --json \
	>"$tmp/tnef.json" 2>"$tmp/tnef.err"
python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["skipped"])' \
	"$tmp/tnef.json" >"$tmp/tnef.out" 2>&1
[ "$(cat "$tmp/tnef.out")" = "[{'part': '2', 'name': 'winmail.dat', 'reason': 'malformed: TNEF: bad checksum', 'archive': None}]" ] &&
	grep -q "Checksum mismatch" "$tmp/tnef.err"
tap $? "-t --json on a damaged winmail.dat prints only JSON; libytnef's complaint goes to stderr" ||
	sed 's/^/#   /' "$tmp/tnef.out"

# A DOCX whose bytes do not follow the encoding its XML declares: libxml2
# would print "encoding error" lines, naming no message, into the log.
python3 - "$tmp/enc.eml" <<'PY'
import io, sys, zipfile
from email.message import EmailMessage
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", ('<?xml version="1.0" encoding="EUC-JP"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body><w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p>'
        '</w:body></w:document>').encode())
m = EmailMessage()
m["From"] = "vanthu@bnv.gov.vn"
m["To"] = "vanthu@binhdinh.gov.vn"
m["Subject"] = "encoding"
m["Message-ID"] = "<enc@bnv.gov.vn>"
m.set_content("x")
m.add_attachment(b.getvalue(), maintype="application", subtype="octet-stream",
                 filename="cv.docx")
open(sys.argv[1], "wb").write(bytes(m))
PY
"$build/vanthu-milter" -c "$tmp/vanthu.conf" -t "$tmp/enc.eml" --json >"$tmp/enc.json" 2>"$tmp/enc.err"
python3 -c 'import json, sys; print([d["name"] for d in json.load(open(sys.argv[1]))["documents"]])' \
	"$tmp/enc.json" >"$tmp/enc.out" 2>&1
[ "$(cat "$tmp/enc.out")" = "['cv.docx']" ] && [ ! -s "$tmp/enc.err" ]
tap $? "a DOCX whose bytes break the encoding it declares is listed, and libxml2 prints nothing to the log" ||
	sed 's/^/#   /' "$tmp/enc.out" "$tmp/enc.err" | head -5

# A PDF that no reader finishes (nested forms, each drawn twice): the
# worker is stopped at AnalysisTimeout and only that message suffers.
mkdir -p "$tmp/pdf"
python3 "$top/tests/bench/hostile_pdf.py" "$tmp/pdf" >/dev/null 2>&1
python3 - "$tmp/pdf/forms.pdf" "$tmp/slow.body" <<'PY'
import base64, sys
pdf = open(sys.argv[1], "rb").read()
b64 = base64.encodebytes(pdf).decode().replace("\n", "\r\n")
open(sys.argv[2], "w", newline="").write(
    "--s\r\nContent-Type: application/pdf; name=forms.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--s--\r\n")
PY
for want in tempfail accept; do
	daemon_stop "$pid"
	cfg="$tmp/slow-$want.conf"
	sed -e '/^AnalysisTimeout/d' "$tmp/vanthu.conf" >"$cfg"
	echo "AnalysisTimeout 3s" >>"$cfg"
	echo "OnAnalysisError $want" >>"$cfg"
	: >"$tmp/milter.log"
	daemon_start "$tmp/milter.log" "$cfg"
	pid=$daemon_pid
	start=$(date +%s)
	miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
		-D file="$tmp/slow.body" -D want=$want -s "$top/tests/hostile/slow.lua" >"$tmp/slow.out" 2>&1
	took=$(( $(date +%s) - start ))
	grep -q "^ok - " "$tmp/slow.out"
	tap $? "$(sed -n 's/^\(not \)\{0,1\}ok - //p' "$tmp/slow.out" | head -1) (${took}s)"
	grep -q "SLOW: .*failure=\"analysis: analysis worker \(timed out\|crashed\)\"" "$tmp/milter.log"
	tap $? "the log says the analysis worker was stopped ($want)"
	miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
		-D list="$tmp/list2" -s "$top/tests/hostile/sendfiles.lua" 2>&1 | grep -q "^ok - .*(accept)"
	tap $? "the next message is accepted by a fresh worker ($want)"
done

# A message whose analysis needs more than AnalysisMemory (a 30 MB
# document in a 43 MB message, with 64 MB allowed): the worker says so
# and exits, and only that message gets OnAnalysisError.  The limit
# counts on top of what a ready worker has mapped (some 90 MB of
# libraries), so 64 MB leaves room for ordinary mail.  With LogLevel
# debug the workers write to the log file too, which must not kill them.
# An xz stream whose header asks for a 64 MB dictionary cannot be
# opened within that limit: the part is passed over as a limit, not as
# damage.
python3 - "$tmp/mem.eml" "$tmp/doc.eml" "$tmp/xz.eml" <<'PY'
import lzma, os, sys
from email.message import EmailMessage
from email.policy import SMTP
m = EmailMessage(policy=SMTP)
m["From"] = "vanthu@sonoi.gov.vn"
m["To"] = "vanthu@binhdinh.gov.vn"
m["Subject"] = "Ho so nen"
m.set_content("Kinh gui.\n")
m.add_attachment(lzma.compress(b"%PDF-1.4\n%%EOF\n", preset=9),
                 maintype="application", subtype="x-xz", filename="hs.pdf.xz")
open(sys.argv[3], "wb").write(bytes(m))
for path, size in ((sys.argv[1], 30 << 20), (sys.argv[2], 2000)):
    m = EmailMessage(policy=SMTP)
    m["From"] = "vanthu@sonoi.gov.vn"
    m["To"] = "vanthu@binhdinh.gov.vn"
    m["Subject"] = "Ho so %d" % size
    m.set_content("Kinh gui.\n")
    m.add_attachment(b"%PDF-1.4\n%" + os.urandom(size) + b"\n%%EOF\n",
                     maintype="application", subtype="pdf", filename="hs.pdf")
    open(path, "wb").write(bytes(m))
PY
echo "$tmp/doc.eml" >"$tmp/list3"
daemon_stop "$pid"
cfg="$tmp/mem.conf"
{ grep -v '^LogLevel' "$tmp/vanthu.conf"; echo "LogLevel debug"; echo "AnalysisMemory 64M"; } >"$cfg"
: >"$tmp/milter.log"
daemon_start "$tmp/milter.log" "$cfg"
pid=$daemon_pid
miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/list3" -s "$top/tests/hostile/sendfiles.lua" 2>&1 | grep -q "^ok - .*(accept)"
tap $? "with AnalysisMemory 64M and LogLevel debug, a message with a document is analysed and accepted"
if [ -n "${VANTHU_SANITIZED:-}" ]; then
	# AddressSanitizer reserves terabytes: such a build sets no limit.
	for t in "a worker logs what it has mapped and what it may add" \
	    "a message whose analysis needs more than AnalysisMemory gets OnAnalysisError" \
	    "the log says the worker ran out of memory" \
	    "an xz stream that needs more than AnalysisMemory is passed over as a limit"; do
		skip "$t" "no address space limit under AddressSanitizer"
	done
else
	grep -q "worker: [0-9]* MB mapped when ready, 64 MB more allowed" "$tmp/milter.log"
	tap $? "a worker logs what it has mapped and what it may add"
	run_lua "unix:$tmp/milter.sock" "$top/tests/milter/send.lua" -D file="$tmp/mem.eml" -D qid=MEM \
		-D want=analysis -D say="a message whose analysis needs more than AnalysisMemory gets OnAnalysisError: 451 4.3.0"
	grep -q 'MEM: .*failure="analysis: analysis worker ran out of memory (AnalysisMemory)"' "$tmp/milter.log" &&
		grep -q "out of memory allocating" "$tmp/milter.log"
	tap $? "the log says the worker ran out of memory, and the worker what it could not have"
	"$VANTHU_BUILD/vanthu-milter" -c "$cfg" -t "$tmp/xz.eml" --json 2>>"$tmp/t.err" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["skipped"])' >"$tmp/xz.out"
	[ "$(cat "$tmp/xz.out")" = "[{'part': '2', 'name': 'hs.pdf.xz', 'reason': 'limit: archive memory (AnalysisMemory)', 'archive': None}]" ]
	tap $? "an xz stream that needs more than AnalysisMemory is passed over as a limit" || sed 's/^/#   /' "$tmp/xz.out"
fi
miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/list3" -s "$top/tests/hostile/sendfiles.lua" 2>&1 | grep -q "^ok - .*(accept)"
tap $? "the next message is accepted by a fresh worker"

# A worker that read a winmail.dat retires after its reply (libytnef may
# have lost memory to it); the next message gets a new worker, and
# neither message suffers.
lines=$(wc -l <"$tmp/milter.log")
printf '%s\n' "$tmp/corpus/tnef.eml" "$tmp/doc.eml" >"$tmp/list4"
miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/list4" -s "$top/tests/hostile/sendfiles.lua" >"$tmp/tnef.out" 2>&1
tail -n +$((lines + 1)) "$tmp/milter.log" >"$tmp/tnef.log"
[ "$(grep -c '^ok - .*(accept)' "$tmp/tnef.out")" -eq 2 ] &&
	[ "$(grep -c "retiring after a winmail.dat" "$tmp/tnef.log")" -eq 1 ] &&
	[ "$(grep -c "MB mapped when ready" "$tmp/tnef.log")" -eq 1 ] &&
	! grep -q "crashed\|killed by signal\|exit status" "$tmp/tnef.log"
tap $? "a worker retires after a winmail.dat; the next message is analysed by a new one" ||
	sed 's/^/#   /' "$tmp/tnef.out" "$tmp/tnef.log"
