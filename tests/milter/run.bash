#!/bin/bash
# run.bash - vanthu-milter as a running daemon, driven by miltertest.
#
# Starts the daemon on a private unix socket with its own spool, runs each
# Lua script against it, and checks what a mail admin relies on: health
# probes, aborts, large messages, dead workers, reload and stop.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup milter
here="$top/tests/milter"
pids=()

cleanup() {
	for p in "${pids[@]}"; do daemon_stop "$p"; done
	rm -rf "$tmp"
}
trap cleanup EXIT

write_conf() {	# write_conf FILE SOCKET [extra lines...]
	local f=$1 s=$2
	shift 2
	{
		echo "Socket $s"
		echo "Syslog no"
		echo "LogLevel info"
		echo "Spool $tmp/spool"
		echo "Database $tmp/register.sqlite"
		echo "Domains binhdinh.gov.vn"
		echo "OfficialDomains *.gov.vn chinhphu.vn"
		echo "InternalHosts 127.0.0.1, ::1, 10.0.0.0/8"
		echo "AnalysisWorkers 2"
		for l in "$@"; do echo "$l"; done
	} >"$f"
}

start() {	# start NAME CONF: runs the daemon, waits until it listens
	daemon_start "$tmp/$1.log" "$2"
	local st=$?
	pids+=("$daemon_pid")
	eval "${1}_pid=$daemon_pid"
	return $st
}

sock="unix:$tmp/milter.sock"
write_conf "$tmp/main.conf" "$sock"
start main "$tmp/main.conf" || exit 1

# Registration first, on an empty register: numbers, retries, duplicates.
year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
run_lua "$sock" "$here/register.lua" -D year="$year"

# A PDF with its signature in a .p7s beside it: one number, and the clerk
# gets both files back, which openssl cms -verify accepts as a pair.
printf '%%PDF-1.4\n%%detached\n' >"$tmp/qd.pdf"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=Ky -days 30 \
	-keyout "$tmp/ky.key" -out "$tmp/ky.pem" 2>/dev/null
openssl cms -sign -binary -in "$tmp/qd.pdf" -signer "$tmp/ky.pem" \
	-inkey "$tmp/ky.key" -outform DER -out "$tmp/qd.p7s" 2>/dev/null
# A second PDF is sent alone (den/YEAR/5), then again with its .p7s.
printf '%%PDF-1.4\n%%sent twice\n' >"$tmp/qd2.pdf"
openssl cms -sign -binary -in "$tmp/qd2.pdf" -signer "$tmp/ky.pem" \
	-inkey "$tmp/ky.key" -outform DER -out "$tmp/qd2.p7s" 2>/dev/null
run_lua "$sock" "$here/detached.lua" -D year="$year" -D number=4 \
	-D pdf="$(base64 -w0 "$tmp/qd.pdf")" -D p7s="$(base64 -w0 "$tmp/qd.p7s")" \
	-D number2=5 -D pdf2="$(base64 -w0 "$tmp/qd2.pdf")" \
	-D p7s2="$(base64 -w0 "$tmp/qd2.p7s")"
p7s_sha=$(sha256sum <"$tmp/qd.p7s" | cut -d' ' -f1)
"$build/vanthu" -c "$tmp/main.conf" show "den/$year/4" >"$tmp/show.out" 2>&1
grep -qx "  1. untrusted: Ky, signed .* (claimed), covers the whole file, in the file qd.pdf.p7s (SHA-256 $p7s_sha): no chain to a trust anchor: self-signed certificate" \
	"$tmp/show.out"
tap $? "vanthu show names the signature's file and its SHA-256" ||
	sed 's/^/# /' "$tmp/show.out"
mkdir -p "$tmp/got"
"$build/vanthu" -c "$tmp/main.conf" get "den/$year/4" -o "$tmp/got" >"$tmp/get.out" 2>&1 &&
	[ "$(cat "$tmp/get.out")" = "$(printf '%s\n%s' "$tmp/got/qd.pdf" "$tmp/got/qd.pdf.p7s")" ] &&
	cmp -s "$tmp/got/qd.pdf" "$tmp/qd.pdf" && cmp -s "$tmp/got/qd.pdf.p7s" "$tmp/qd.p7s" &&
	openssl cms -verify -binary -inform DER -in "$tmp/got/qd.pdf.p7s" \
		-content "$tmp/got/qd.pdf" -noverify -out /dev/null 2>/dev/null
tap $? "vanthu get writes the PDF and its .p7s, the same bytes, a pair openssl verifies"
"$build/vanthu" -c "$tmp/main.conf" backup "$tmp/backup" >/dev/null 2>&1 &&
	cmp -s "$tmp/backup/${p7s_sha:0:2}/${p7s_sha:2:2}/$p7s_sha" "$tmp/qd.p7s"
tap $? "vanthu backup copies the .p7s with the document"
"$build/vanthu" -c "$tmp/main.conf" show "den/$year/5" >"$tmp/show5.out" 2>&1
grep -qx "Signature:  *untrusted" "$tmp/show5.out" &&
	grep -qx "Flags: signature-untrusted" "$tmp/show5.out" &&
	grep -q "  1\. untrusted: Ky, .* in the file qd2.pdf.p7s " "$tmp/show5.out" &&
	grep -q " milter signature-added: <d3@sonoi.gov.vn>: signature verdict absent -> untrusted; flags now \"signature-untrusted\"$" "$tmp/show5.out"
tap $? "a .p7s sent after its PDF gives the register's entry the file's verdict and flag, and the audit says so" ||
	sed 's/^/# /' "$tmp/show5.out"

for s in plain attachment forged direction abort large; do
	run_lua "$sock" "$here/$s.lua"
done

# The clerk's tool sees the same register: the two numbered documents of
# the registration test, and no gap over everything registered since.
"$build/vanthu" -c "$tmp/main.conf" list --json >"$tmp/list.json" 2>"$tmp/list.err"
python3 - "$tmp/list.json" "$year" <<'PY'
import json, sys
regs = json.load(open(sys.argv[1]))
mine = sorted(r["id"] for r in regs if r["message_id"] in
              ("<m1@sonoi.gov.vn>", "<m3@sonoi.gov.vn>"))
want = ["den/%s/1" % sys.argv[2], "den/%s/2" % sys.argv[2]]
numbers = sorted(r["number"] for r in regs)
flagged = [r.get("flags") for r in regs if r["message_id"] == "<m1@sonoi.gov.vn>"]
gap_free = numbers == list(range(1, len(numbers) + 1))
sys.exit(0 if mine == want and gap_free and flagged == ["signature-absent"]
         and all(r["status"] == "registered" for r in regs) else 1)
PY
tap $? "vanthu list shows den/$year/1 and den/$year/2 for those messages, the signature flag in its flags, and numbers without a gap"

# The clerk's notes go beside the daemon's flag, never over it.
m1=$(python3 -c 'import json, sys
print([r["id"] for r in json.load(open(sys.argv[1])) if r["message_id"] == "<m1@sonoi.gov.vn>"][0])' "$tmp/list.json")
"$build/vanthu" -c "$tmp/main.conf" assign "$m1" --notes "Chuyển phòng Tổ chức" >/dev/null 2>&1 &&
	"$build/vanthu" -c "$tmp/main.conf" show "$m1" | grep -E '^(Flags|Notes):' >"$tmp/m1.out" &&
	[ "$(cat "$tmp/m1.out")" = "$(printf 'Flags: signature-absent\nNotes: Chuyển phòng Tổ chức')" ]
tap $? "a clerk's notes on $m1 keep the signature-absent flag the rules set" || sed 's/^/# /' "$tmp/m1.out"

# A TCP health probe: connect and close without a word, on an inet socket.
port=$(free_port)
write_conf "$tmp/inet.conf" "inet:$port@127.0.0.1" "MaxMessageSize 1M" "OnOversize reject"
start inet "$tmp/inet.conf" || exit 1
for _ in 1 2 3; do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()"
done
sleep 0.3
kill -0 "$inet_pid" 2>/dev/null
tap $? "three TCP connect-and-close probes leave the daemon running"
run_lua "inet:$port@127.0.0.1" "$here/plain.lua"
run_lua "inet:$port@127.0.0.1" "$here/oversize.lua" -D want=reject
write_conf "$tmp/over.conf" "unix:$tmp/over.sock" "MaxMessageSize 1M"
start over "$tmp/over.conf" || exit 1
run_lua "unix:$tmp/over.sock" "$here/oversize.lua" -D want=accept

# Workers killed while idle are replaced without costing a message.
pkill -KILL -P "$main_pid"
sleep 0.2
run_lua "$sock" "$here/attachment.lua"
grep -q "died while idle; replacing it" "$tmp/main.log"
tap $? "a worker that died while idle is logged and replaced"
kill -0 "$main_pid"
tap $? "the daemon is still running after its workers were killed"

# Reload: a broken file keeps the old configuration, a good one applies.
cp "$tmp/main.conf" "$tmp/main.conf.good"
echo "NoSuchName 1" >>"$tmp/main.conf"
kill -USR1 "$main_pid"
for _ in $(seq 50); do grep -q "keeping the old configuration" "$tmp/main.log" && break; sleep 0.1; done
grep -q "reload: .*main.conf:10: unknown name \"NoSuchName\"" "$tmp/main.log" &&
	grep -q "keeping the old configuration" "$tmp/main.log"
tap $? "a reload with a broken file logs the line and keeps the old configuration"
run_lua "$sock" "$here/plain.lua"
# Workers started while the broken file is there run the daemon's
# configuration, not the file's.
pkill -KILL -P "$main_pid"
sleep 0.2
run_lua "$sock" "$here/attachment.lua"
! grep -q "exit status 78" "$tmp/main.log"
tap $? "workers replaced while the file is broken start from the daemon's configuration"
sed -e 's/^LogLevel .*/LogLevel debug/' "$tmp/main.conf.good" >"$tmp/main.conf"
echo "Domains sonoi.gov.vn" >>"$tmp/main.conf"
kill -USR1 "$main_pid"
for _ in $(seq 50); do grep -q "reload: done" "$tmp/main.log" && break; sleep 0.1; done
grep -q "reload: done" "$tmp/main.log"
tap $? "a reload with a good file is applied"
run_lua "$sock" "$here/attachment.lua"
grep -q "worker: [0-9]* MB mapped when ready" "$tmp/main.log"
tap $? "and the workers that follow run the reloaded configuration (LogLevel debug)"

# SIGTERM with a message in flight (stop.lua sends it): the message
# ends with its number, a new one is deferred, and the daemon then stops,
# at once, with exit status 0.
printf '%%PDF-1.4\n%%in flight at the stop\n' >"$tmp/inflight.pdf"
run_lua "$sock" "$here/stop.lua" -D pid="$main_pid" \
	-D pdf="$(base64 -w0 "$tmp/inflight.pdf")"
daemon_wait "$main_pid"
[ "$stop_status" -eq 0 ] && [ "$stop_ms" -lt 2000 ]
tap $? "once the message in flight has ended, the daemon exits with status 0 in under 2 s (took $stop_ms ms)"
grep -q "received SIGTERM" "$tmp/main.log" && grep -q "stopping" "$tmp/main.log" &&
	grep -q ": stopped$" "$tmp/main.log"
tap $? "the daemon logs the signal, that it stops and that it stopped"
grep -q "LATECOMER: from=<vanthu@sonoi.gov.vn> outcome=tempfail reply=\"451 4.3.2 Document filter is restarting, please try again later\" failure=\"stopping: begun after the signal to stop\"" "$tmp/main.log"
tap $? "the deferred message is logged with its 451 4.3.2 reply"
sha=$(sha256sum <"$tmp/inflight.pdf" | cut -d' ' -f1)
"$build/vanthu" -c "$tmp/main.conf" list --json >"$tmp/stop.json" 2>&1 &&
	python3 - "$tmp/stop.json" "$sha" "$tmp/spool" <<'PY'
import json, os, sys
regs, sha, spool = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
mine = [r for r in regs if r.get("sha256") == sha]
assert len(mine) == 1, mine
assert os.path.exists(os.path.join(spool, sha[:2], sha[2:4], sha)), "not in the spool"
PY
tap $? "the document of the message in flight is registered once, its file in the spool"

# Every message left one log line with its outcome.
grep -q "TESTQID: direction=inbound from=<vanthu@sonoi.gov.vn> rcpts=1 official=yes size=[0-9]* documents=0 skipped=0 outcome=accept ms=" "$tmp/main.log"
tap $? "each message is logged with queue id, direction, sender, documents and outcome"
if [ "$n" -eq 0 ]; then echo "not ok - no test ran"; fi
