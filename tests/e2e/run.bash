#!/bin/bash
# run.bash - vanthu-milter behind a real Postfix.
#
# Starts a private Postfix (tests/e2e/postfix.bash) and the daemon, sends
# real mail over SMTP with Python's smtplib and asserts on what Postfix
# delivered into the Maildir, or on the reply the client got.  The
# assertions every MTA must pass are in common.bash (the Sendmail test,
# tests/sendmail/, runs them too).  Stops what it started, by pid.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup e2e
here="$top/tests/e2e"
. "$here/postfix.bash"
. "$here/common.bash"

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

mta_port() { echo "$port"; }
mta_mail_for() {	# Maildir of USER
	local f
	for _ in $(seq "${E2E_WAIT:-100}"); do
		f=$(grep -l "^Subject: $2\$" "$tmp/pf/mail/$1/new/"* 2>/dev/null | head -1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.1
	done
	return 1
}

e2e_messages
e2e_rules
port=$(free_port_pair)
sock="unix:$tmp/milter.sock"
start_milter "$sock"
tap $? "the milter starts on a unix socket Postfix can reach"
pf_start "$tmp/pf" "$port" "$sock"
tap $? "a private Postfix starts on 127.0.0.1:$port"

e2e_shared_tests Postfix

grep -qE "^[0-9T:.-]+ vanthu-milter\[[0-9]+\]: [0-9A-F]{6,}: direction=inbound" "$tmp/milter.log"
tap $? "the log line starts with the Postfix queue id"

# A restart while a message is at its end: the workers are stopped
# (SIGSTOP), so the message waits in the daemon for its analysis; then
# SIGTERM.  A message sent meanwhile is deferred at MAIL FROM, with the
# reply Postfix passes on; the held one is finished and delivered with
# its register number; then the daemon exits 0.
sed 's/^Subject: Cong van\r$/Subject: Held at the stop\r/' "$tmp/pdf.eml" >"$tmp/held.eml"
pkill -STOP -P "$milter_pid"
send held.eml r.held &
held=$!
sleep 1
kill -TERM "$milter_pid"
sleep 0.3
send plain.eml r.late
late=$?
pkill -CONT -P "$milter_pid"
wait "$held"
held=$?
daemon_wait "$milter_pid"
st=$stop_status
milter_pid=
[ "$late" -ne 0 ] &&
	[ "$(cat "$tmp/r.late")" = "451 4.3.2 Document filter is restarting, please try again later" ]
tap $? "a message sent while the milter stops is deferred at MAIL FROM (got: $(head -c 70 "$tmp/r.late"))"
f=$(mta_mail_for vanthu "Held at the stop")
[ "$held" -eq 0 ] && [ -n "$f" ] && grep -qE '^X-Vanthu-Register: den/[0-9]{4}/[0-9]+' "$f"
tap $? "the message held at its end when SIGTERM came is accepted and delivered with its register number ($(head -c 40 "$tmp/r.held"))"
[ "$st" -eq 0 ] && grep -q "received SIGTERM: stopping once the 1 message in flight has ended$" "$tmp/milter.log"
tap $? "then the milter exits 0 (status $st), having waited for that one message"
start_milter "$sock"
tap $? "the milter starts again on the same socket"

# With the milter down, milter_default_action = tempfail answers 451.
stop_milter
send plain.eml r.down
st=$?
[ "$st" -ne 0 ] && grep -q '^451 4.7.1' "$tmp/r.down"
tap $? "with the milter down, Postfix answers 451 4.7.1 (got: $(head -c 60 "$tmp/r.down"))"

# The same daemon on a TCP socket works the same way.
pf_stop "$tmp/pf"
mport=$(free_port_pair)
start_milter "inet:$mport@127.0.0.1"
tap $? "the milter starts on a TCP socket"
port=$(free_port_pair)
rm -rf "$tmp/pf"
pf_start "$tmp/pf" "$port" "inet:127.0.0.1:$mport"
tap $? "Postfix starts with the milter on TCP"
send pdf.eml r.tcp
f=$(mta_mail_for vanthu "Cong van")
[ -n "$f" ] && grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=1$' "$f"
tap $? "over TCP the delivered message carries the status header"

# The README's unix socket for Debian's chrooted smtpd and cleanup: the
# socket inside the queue directory (group postfix), named in main.cf
# relative to it.  Mail from the host itself goes through cleanup.
pf_stop "$tmp/pf"
stop_milter
rm -rf "$tmp/pf"
mkdir -p "$tmp/pf/queue/vanthu"
chown root:postfix "$tmp/pf/queue/vanthu" && chmod 0750 "$tmp/pf/queue/vanthu"
start_milter "unix:$tmp/pf/queue/vanthu/milter.sock"
tap $? "the milter starts on a unix socket inside the queue directory"
port=$(free_port_pair)
PF_CHROOT=y pf_start "$tmp/pf" "$port" "unix:vanthu/milter.sock"
tap $? "Postfix starts with smtpd and cleanup chrooted, the milter at unix:vanthu/milter.sock"
send pdf.eml r.chroot
f=$(mta_mail_for vanthu "Cong van")
[ -n "$f" ] && grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=1$' "$f"
tap $? "through the chrooted smtpd the delivered message carries the status header"
sendmail -C "$tmp/pf/etc" -f vanthu@sonoi.gov.vn vanthu@binhdinh.gov.vn <"$tmp/plain.eml"
tap $? "sendmail(1) takes a message into the queue"
f=$(mta_mail_for vanthu "Plain")
[ -n "$f" ] && [ "$(grep -i '^X-Vanthu-Status:' "$f")" = "X-Vanthu-Status: direction=inbound official=yes documents=0" ]
tap $? "through the chrooted cleanup it carries the milter's status header and neither forged one"
