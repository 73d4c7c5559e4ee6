#!/bin/bash
# run.bash - vanthu-milter behind a real Postfix.
#
# Starts a private Postfix (tests/e2e/postfix.bash) and the daemon, sends
# real mail over SMTP with Python's smtplib and asserts on what Postfix
# delivered into the Maildir, or on the reply the client got.  Stops what
# it started, by pid.
set -u
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
here="$top/tests/e2e"
. "$here/postfix.bash"
n=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-e2e.XXXXXX")
chmod 0711 "$tmp"
milter_pid=

tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi |
		tee -a "$tmp/tap"
}

cleanup() {
	pf_stop "$tmp/pf"
	[ -n "$milter_pid" ] && kill -TERM "$milter_pid" 2>/dev/null
	sleep 0.2
	[ -n "$milter_pid" ] && kill -KILL "$milter_pid" 2>/dev/null
	if [ "$n" -eq 0 ] || grep -q "^not ok" "$tmp/tap" 2>/dev/null; then
		echo "# postfix log:"; tail -30 "$tmp/pf/maillog" 2>/dev/null | sed 's/^/#   /'
		echo "# milter log:"; tail -30 "$tmp/milter.log" 2>/dev/null | sed 's/^/#   /'
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP a private Postfix needs root"
	exit 0
fi

free_port() {
	python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError:
        pass'
}

start_milter() {	# start_milter SOCKET
	cat >"$tmp/vanthu.conf" <<CONF
Socket $1
SocketMode 0660
SocketGroup postfix
Syslog no
Spool $tmp/spool
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
InternalHosts 10.0.0.0/8
AnalysisWorkers 2
CONF
	"$build/vanthu-milter" -f -c "$tmp/vanthu.conf" >>"$tmp/milter.log" 2>&1 &
	milter_pid=$!
	for _ in $(seq 100); do
		grep -q "listening on $1" "$tmp/milter.log" && return 0
		sleep 0.1
	done
	return 1
}

stop_milter() {
	kill -TERM "$milter_pid"
	for _ in $(seq 150); do kill -0 "$milter_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$milter_pid" 2>/dev/null
	wait "$milter_pid" 2>/dev/null
	milter_pid=
}

# The messages, written by Python's email package.
python3 - "$tmp" <<'PY'
import sys
from email.message import EmailMessage
d = sys.argv[1]
m = EmailMessage()
m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
m["To"] = "vanthu@binhdinh.gov.vn"
m["Subject"] = "Plain"
m["X-Vanthu-Status"] = "direction=inbound official=yes documents=7"
m.set_content("Kinh gui.\n")
open(d + "/plain.eml", "wb").write(bytes(m))
m = EmailMessage()
m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
m["To"] = "vanthu@binhdinh.gov.vn"
m["Subject"] = "Cong van"
m.set_content("Kinh gui cong van.\n")
m.add_attachment(b"%PDF-1.4\n%test\n", maintype="application", subtype="pdf", filename="cv15.pdf")
open(d + "/pdf.eml", "wb").write(bytes(m))
PY

port=$(free_port)
sock="unix:$tmp/milter.sock"
start_milter "$sock"
tap $? "the milter starts on a unix socket Postfix can reach"
pf_start "$tmp/pf" "$port" "$sock"
tap $? "a private Postfix starts on 127.0.0.1:$port"

"$here/send.py" "$port" vanthu@sonoi.gov.vn vanthu@binhdinh.gov.vn "$tmp/plain.eml" >"$tmp/r1"
tap $? "Postfix accepts a plain message through the milter"
pf_wait_mail "$tmp/pf" vanthu 1
f=$(ls "$tmp/pf/mail/vanthu/new/"* 2>/dev/null | head -1)
[ -n "$f" ] && [ "$(grep -c '^X-Vanthu-Status:' "$f")" -eq 1 ] &&
	grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=0$' "$f"
tap $? "the delivered message carries one status header, ours, and not the forged one"

"$here/send.py" "$port" vanthu@sonoi.gov.vn vanthu@binhdinh.gov.vn "$tmp/pdf.eml" >"$tmp/r2"
tap $? "Postfix accepts a message with a PDF attachment"
pf_wait_mail "$tmp/pf" vanthu 2
grep -l '^Subject: Cong van' "$tmp/pf/mail/vanthu/new/"* 2>/dev/null | head -1 >"$tmp/f2"
[ -s "$tmp/f2" ] && grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=1$' "$(cat "$tmp/f2")"
tap $? "the delivered message says it carried one document"

grep -q "direction=inbound from=<vanthu@sonoi.gov.vn> rcpts=1 official=yes .* documents=1 skipped=0 outcome=accept" "$tmp/milter.log"
tap $? "the milter logs the message with its Postfix queue id and outcome"
grep -qE "^[0-9T:.-]+ vanthu-milter\[[0-9]+\]: [0-9A-F]{6,}: direction=inbound" "$tmp/milter.log"
tap $? "the log line starts with the Postfix queue id"

# With the milter down, milter_default_action = tempfail answers 451.
stop_milter
"$here/send.py" "$port" vanthu@sonoi.gov.vn vanthu@binhdinh.gov.vn "$tmp/plain.eml" >"$tmp/r3"
st=$?
[ "$st" -ne 0 ] && grep -q '^451 4.7.1' "$tmp/r3"
tap $? "with the milter down, Postfix answers 451 4.7.1 (got: $(head -c 60 "$tmp/r3"))"

# The same daemon on a TCP socket works the same way.
pf_stop "$tmp/pf"
mport=$(free_port)
start_milter "inet:$mport@127.0.0.1"
tap $? "the milter starts on a TCP socket"
port2=$(free_port)
rm -rf "$tmp/pf"
pf_start "$tmp/pf" "$port2" "inet:127.0.0.1:$mport"
tap $? "Postfix starts with the milter on TCP"
"$here/send.py" "$port2" vanthu@sonoi.gov.vn vanthu@binhdinh.gov.vn "$tmp/pdf.eml" >"$tmp/r4"
pf_wait_mail "$tmp/pf" vanthu 1
f=$(ls "$tmp/pf/mail/vanthu/new/"* 2>/dev/null | head -1)
[ -n "$f" ] && grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=1$' "$f"
tap $? "over TCP the delivered message carries the status header"
