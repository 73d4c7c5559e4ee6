#!/bin/bash
# run.bash - the register survives kill -9 of the daemon under real mail.
#
# Two private Postfix instances (tests/e2e/postfix.bash): a relay, without
# milter, takes every message from the clients and hands it to the mail
# exchanger, which runs vanthu-milter with milter_default_action =
# tempfail.  While four SMTP clients send VANTHU_CRASH_MESSAGES messages
# (200), each with a PDF of its own and a Message-ID, the daemon is
# killed with SIGKILL: by gdb once between a document's spool file and its
# number, and once right after a registration committed and before
# Postfix had the reply (the retry must name the same number); then
# VANTHU_CRASH_KILLS times (8) at random moments 0.5-2 s apart, and
# restarted after each kill; after every second kill it is also stopped
# with SIGTERM, as a restart stops it, and must exit 0 having finished
# what it had begun (once, first, with messages held at their end by
# stopped workers).  Postfix answers 451 while the milter is down or
# dies mid-message; the relay keeps those messages queued and retries
# them.  When both queues are empty, check.py asserts on the
# Maildir, on `vanthu list --json` and on the database: one delivery and
# one number per message, numbers 1..N without gap or duplicate, every
# number with its rows and its spool file, the header's number the
# register's, and the same number for a retried message.  Stops what it
# started, by pid.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup crash
here="$top/tests/crash"
count=${VANTHU_CRASH_MESSAGES:-200}
kills=${VANTHU_CRASH_KILLS:-8}
. "$top/tests/e2e/postfix.bash"
milter_pid=
load_pid=
incarnation=0

cleanup() {
	[ -n "$load_pid" ] && kill -TERM "$load_pid" 2>/dev/null
	pf_stop "$tmp/relay"
	pf_stop "$tmp/mx"
	if [ -n "$milter_pid" ]; then
		kill -TERM "$milter_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$milter_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$milter_pid" 2>/dev/null
	fi
	if [ "$n" -eq 0 ] || grep -q "^not ok" "$tmp/tap" 2>/dev/null; then
		gather_logs
		echo "# relay log:"; tail -15 "$tmp/relay/maillog" 2>/dev/null | sed 's/^/#   /'
		echo "# mx log:"; tail -15 "$tmp/mx/maillog" 2>/dev/null | sed 's/^/#   /'
		echo "# milter log:"; tail -15 "$tmp/milter.log" 2>/dev/null | sed 's/^/#   /'
		echo "# gdb:"; cat "$tmp"/gdb.*.log 2>/dev/null | grep -v '^\[' | tail -12 | sed 's/^/#   /'
	fi
	# VANTHU_CRASH_KEEP=1 keeps the directory (logs, queues, register).
	if [ -n "${VANTHU_CRASH_KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP a private Postfix needs root"
	exit 0
fi

mkdir -p "$tmp/rules"
cp "$top/rules/default.rules" "$tmp/rules/00-default.rules"
sock="unix:$tmp/milter.sock"
{
	echo "Socket $sock"
	echo "SocketMode 0660"
	getent group postfix >/dev/null && echo "SocketGroup postfix"
	echo "Syslog no"
	echo "Spool $tmp/spool"
	echo "Database $tmp/register.sqlite"
	echo "Rules $tmp/rules"
	echo "Domains binhdinh.gov.vn"
	echo "InternalHosts 10.0.0.0/8"
	echo "AnalysisWorkers 2"
} >"$tmp/vanthu.conf"

# Each run of the daemon logs to its own file (milter.log gathers them),
# so that "listening on" is this run's.
milter_start() {
	local log
	incarnation=$((incarnation + 1))
	log="$tmp/milter.$incarnation.log"
	daemon_start "$log" "$tmp/vanthu.conf" "$sock"
	local st=$?
	milter_pid=$daemon_pid
	return $st
}

milter_term() {	# SIGTERM the daemon; true when it exits 0 having cut nothing short
	daemon_stop "$milter_pid"
	milter_pid=
	[ "$stop_status" -eq 0 ] &&
		! grep -q "cut short\|still in flight" "$tmp/milter.$incarnation.log"
}

milter_kill() {	# SIGKILL the daemon; true when it died of it
	local st
	kill -KILL "$milter_pid" 2>/dev/null
	wait "$milter_pid" 2>/dev/null
	st=$?
	milter_pid=
	[ "$st" -eq 137 ]
}

gather_logs() {	# milter.log: the runs' logs in their order
	local i
	for i in $(seq "$incarnation"); do cat "$tmp/milter.$i.log"; done >"$tmp/milter.log"
}

delivered() { ls "$tmp/mx/mail/vanthu/new" 2>/dev/null | wc -l; }

milter_start
tap $? "the milter starts"
mxport=$(free_port_pair)
pf_start "$tmp/mx" "$mxport" "$sock"
tap $? "the mail exchanger's Postfix starts with the milter on 127.0.0.1:$mxport"
relayport=$(free_port_pair)
PF_RELAYHOST="[127.0.0.1]:$mxport" pf_start "$tmp/relay" "$relayport" ""
tap $? "the relay's Postfix starts on 127.0.0.1:$relayport and relays to it"

start=$(date +%s)
# Four clients, 0.4 s apart each: about twenty seconds of arrivals, so
# that mail is still in flight for every random kill after gdb's two
# (with ten seconds, a slow run under AddressSanitizer delivered all 200
# after three of them).
python3 "$here/load.py" "$relayport" "$count" 4 0.4 >"$tmp/load.out" 2>&1 &
load_pid=$!

# Kills at chosen points, by gdb: it stops the daemon at a breakpoint
# and kills it there (SIGKILL, as kill -9).  gdb_kill FUNCTION [GDB-CMD]
# runs GDB-CMD at the stop and keeps what it printed in gdb_out.
gdb_kill() {
	local st=1
	gdb_out=
	# (bash's "Killed" notice for the daemon is noise: stderr is closed.)
	{ timeout 60 gdb -nx -batch -p "$milter_pid" \
		-iex 'set debuginfod enabled off' \
		-ex 'handle SIGPIPE SIGUSR1 SIGUSR2 SIGCHLD nostop noprint pass' \
		-ex "break $1" -ex continue ${2:+-ex "$2"} -ex kill \
		>"$tmp/gdb.$1.log" 2>&1 </dev/null
	gdb_out=$(sed -n 's/^said //p' "$tmp/gdb.$1.log")
	# Killed at the breakpoint, or (gdb timed out) killed here all the
	# same, so that no daemon is left behind.
	milter_kill &&
		grep -q '^Thread .* hit Breakpoint 1\|^Breakpoint 1, ' "$tmp/gdb.$1.log"
	st=$?; } 2>/dev/null
	milter_start
	return $st
}

# SIGTERM with messages at their end: the workers are stopped (SIGSTOP),
# so what arrives waits in the daemon for its analysis; the stop must
# wait for those messages, and exit 0 once they are answered.
term_in_flight() {
	local log="$tmp/milter.$incarnation.log" pid=$milter_pid
	pkill -STOP -P "$pid"
	sleep 1
	kill -TERM "$pid"
	sleep 0.3
	pkill -CONT -P "$pid"
	daemon_wait "$pid"
	milter_pid=
	term_waited=$(sed -n 's/.*received SIGTERM: stopping once the \([0-9]*\) messages\{0,1\} in flight ha[sv]e\{0,1\} ended$/\1/p' "$log")
	# From the last message's line to "stopped": the listener is woken
	# at once, not after a second's sleep of libmilter's.
	term_gap=$(python3 -c 'import re, sys
from datetime import datetime
t = lambda l: datetime.strptime(l[:23], "%Y-%m-%dT%H:%M:%S.%f")
last = end = None
for l in open(sys.argv[1]):
    if " outcome=" in l: last = t(l)
    if l.rstrip().endswith(": stopped"): end = t(l)
print(int((end - last).total_seconds() * 1000) if last and end else 99999)' "$log")
	milter_start
	[ "$stop_status" -eq 0 ] && [ "${term_waited:-0}" -ge 1 ] && [ "$term_gap" -lt 500 ] &&
		! grep -q "cut short\|still in flight" "$log"
}

for _ in $(seq 300); do [ "$(delivered)" -ge 5 ] && break; sleep 0.1; done
term_in_flight
tap $? "SIGTERM with ${term_waited:-no} messages waiting for their analysis: the daemon finishes them, then exits 0, $term_gap ms after the last"
gdb_id=
if command -v gdb >/dev/null; then
	# Between the spool and the number: the document's file is durable,
	# store_register() has not begun its transaction.
	gdb_kill store_register
	tap $? "the daemon is killed after a document reached the spool and before it was numbered"
	# Between the commit and the reply: the registration is committed and
	# is being turned into its header; Postfix has no answer yet.
	# struct doc_result is two ints, then the id (store.h); x86-64 passes
	# the first argument in rdi.
	show=
	[ "$(uname -m)" = x86_64 ] && show='printf "said %s\n", (char *) $rdi + 8'
	gdb_kill store_header_register "$show"
	st=$?
	gdb_id=$gdb_out
	tap $st "the daemon is killed right after a registration committed (${gdb_id:-number not shown})"
else
	echo "ok $((n += 1)) - # SKIP no gdb to kill the daemon at chosen points"
fi

# Then at random moments, under load: a kill once everything has been
# delivered would prove nothing, so the kills stop there.
under_load=0
good=0
terms=0
clean=0
slowest=0
for i in $(seq "$kills"); do
	sleep "$((RANDOM % 2)).$((RANDOM % 10))"
	sleep 0.5
	[ "$(delivered)" -lt "$count" ] || break
	under_load=$((under_load + 1))
	milter_kill && good=$((good + 1))
	# Down for a moment: Postfix answers 451 to what arrives meanwhile.
	sleep "0.$((RANDOM % 5))"
	milter_start || break
	[ $((i % 2)) -eq 0 ] || continue
	sleep "0.$((3 + RANDOM % 5))"
	[ "$(delivered)" -lt "$count" ] || break
	terms=$((terms + 1))
	milter_term && clean=$((clean + 1))
	[ "$stop_ms" -gt "$slowest" ] && slowest=$stop_ms
	milter_start || break
done
[ "$good" -eq "$under_load" ] && [ "$under_load" -ge $((kills < 5 ? kills : 5)) ] &&
	[ -n "$milter_pid" ]
tap $? "the daemon dies of SIGKILL at $good random moments with mail in flight (of $kills planned) and restarts each time"
[ "$clean" -eq "$terms" ] && [ "$terms" -ge $((kills < 4 ? kills / 2 : 2)) ]
tap $? "the daemon stops on SIGTERM $clean times under load with status 0, cutting nothing short (slowest $slowest ms), and restarts each time"

wait "$load_pid"
tap $? "the clients hand all $count messages to the relay ($(tail -1 "$tmp/load.out"))"
load_pid=

# Postfix's retries: until both queues are empty and everything arrived
# (or the queues have stayed empty for 3 s without it: mail was lost).
# With retries a second apart, qmgr may find a queue file still locked by
# the smtp client that is deferring it ("skipped, still being delivered"):
# it then parks the file in the incoming queue for 60 s and looks again
# only when something wakes it.  When the queues hold mail and nothing has
# arrived for 3 s, postqueue -f wakes it, as an administrator would.
queued() {	# queued DIR: messages in that Postfix's queues, held ones too
	postqueue -c "$1/etc" -j 2>/dev/null | grep -c .
}
empty=0
idle=0
flushes=0
last=-1
for _ in $(seq 900); do
	got=$(delivered)
	if [ "$(queued "$tmp/relay")" -eq 0 ] && [ "$(queued "$tmp/mx")" -eq 0 ]; then
		[ "$got" -ge "$count" ] && break
		empty=$((empty + 1))
		[ $empty -ge 30 ] && break
	else
		empty=0
		if [ "$got" -eq "$last" ]; then idle=$((idle + 1)); else idle=0; fi
		if [ $idle -ge 30 ]; then
			postqueue -c "$tmp/relay/etc" -f
			postqueue -c "$tmp/mx/etc" -f
			flushes=$((flushes + 1))
			idle=0
		fi
	fi
	last=$got
	sleep 0.1
done
secs=$(( $(date +%s) - start ))
rq=$(queued "$tmp/relay")
mq=$(queued "$tmp/mx")
got=$(delivered)
[ "$rq" -eq 0 ] && [ "$mq" -eq 0 ] && [ "$got" -eq "$count" ]
if ! tap $? "both queues drain and all $count messages arrive in the end (${secs}s, $flushes flushes; relay queue $rq, mx queue $mq, delivered $got)"; then
	postqueue -c "$tmp/relay/etc" -j | head -5 | sed 's/^/# relay queue: /'
	postqueue -c "$tmp/mx/etc" -j | head -5 | sed 's/^/# mx queue: /'
	grep -h 'status=bounced\|status=deferred' "$tmp/relay/maillog" "$tmp/mx/maillog" |
		tail -5 | sed 's/^/# /'
	find "$tmp/mx/sink" -type f | head -3 | while read -r f; do
		grep -m3 -i '^Subject:\|^Diagnostic-Code:\|^X-Postfix' "$f" | sed 's/^/# bounce: /'
	done
fi
deferred=$(grep -c 'status=deferred' "$tmp/relay/maillog")
refused=$(grep -c ' 451 4\.7\.1 \| 4\.7\.1 Service unavailable' "$tmp/mx/maillog")
[ "$deferred" -gt 0 ] && [ "$refused" -gt 0 ]
tap $? "the mail exchanger answered 451 while the milter was down ($refused times) and the relay retried ($deferred deferrals)"
# Messages the milter was handling when it died: Postfix logs a 451 at the
# end of the message under the queue id whose message-id cleanup logged.
cut=$(awk '{ q = ""
		for (i = 1; i < NF; i++) if ($i ~ /\[[0-9]+\]:$/) { q = $(i + 1); break }
		sub(/:$/, "", q) }
	/ message-id=</ { m = $0; sub(/.* message-id=/, "", m); mid[q] = m }
	/milter-reject: END-OF-MESSAGE .* 4\.7\.1 / { cut[q] = 1 }
	END { for (c in cut) if (c in mid) print mid[c] }' "$tmp/mx/maillog" | sort -u | wc -l)
[ "$cut" -gt 0 ]
tap $? "kills interrupted $cut messages inside the milter, after their data had arrived"

gather_logs
"$build/vanthu" -c "$tmp/vanthu.conf" list --json >"$tmp/list.json" 2>"$tmp/list.err"
tap $? "vanthu list --json reads the register after the kills"
[ "$(sqlite3 "$tmp/register.sqlite" 'PRAGMA integrity_check')" = ok ]
tap $? "the database passes PRAGMA integrity_check"

python3 "$here/check.py" "$tmp/mx/mail/vanthu" "$tmp/list.json" \
	"$tmp/register.sqlite" "$tmp/spool" "$count" >"$tmp/check.out" 2>&1
while read -r st sentence; do
	case $st in
	0 | 1) tap "$st" "$sentence" ;;
	retried) retried=$sentence ;;
	*) echo "# $st $sentence" ;;
	esac
done <"$tmp/check.out"

# The message gdb interrupted: registered, then retried, same number.
if [ -n "$gdb_id" ]; then
	mid=$(sqlite3 "$tmp/register.sqlite" "SELECT m.message_id || ' ' || m.attempts
		FROM registrations r JOIN messages m ON m.id = r.message_id
		WHERE r.book || '/' || r.year || '/' || r.number = '$gdb_id'")
	f=$(grep -l "^X-Vanthu-Register: $gdb_id\$" "$tmp/mx/mail/vanthu/new/"* 2>/dev/null)
	[ "${mid##* }" -ge 2 ] 2>/dev/null && [ "$(echo "$f" | grep -c .)" -eq 1 ] &&
		grep -qi "^Message-ID: ${mid%% *}\$" "$f"
	tap $? "the message registered just before the kill is retried by Postfix and delivered with the same number $gdb_id (attempts ${mid##* })"
fi
[ "${retried:-0}" -ge 1 ]
tap $? "Postfix retried ${retried:-0} messages whose registration had committed; none got a second number"
gather_logs
! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' "$tmp/milter.log"
tap $? "the daemon's $incarnation runs report no memory or undefined-behaviour error"
echo "1..$n"
