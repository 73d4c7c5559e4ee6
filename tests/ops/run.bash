#!/bin/bash
# run.bash - what an admin relies on when running vanthu-milter.
#
# Every socket form (unix: with a stale socket left behind and not taken
# from a running daemon, SocketMode and SocketGroup; local:; inet:;
# inet6: on ::1) with a miltertest round
# trip; the refusal of a spool or register directory others can write;
# the hint when the embedded defaults are used away from the source tree;
# standard input for -c (with -n or -t only) and -t;
# UserID dropping root after the spool is ready; the loud warning when
# root keeps root; the StatsFile; a reload's warning for each setting
# used only at start; the PidFile; a prompt stop on every socket form.
# Stops what it started, by pid.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup ops
pid=

stop() {
	daemon_stop "$pid"
	pid=
}

cleanup() {
	stop
	rm -rf "$tmp"
}
trap cleanup EXIT

conf() {	# conf NAME SOCKET [lines...]: writes $tmp/NAME.conf
	local name=$1 sock=$2
	shift 2
	{
		echo "Socket $sock"
		echo "Syslog no"
		echo "Spool $tmp/spool"
		echo "Database $tmp/reg/register.sqlite"
		echo "Domains binhdinh.gov.vn"
		echo "InternalHosts 10.0.0.0/8"
		echo "AnalysisWorkers 1"
		for l in "$@"; do echo "$l"; done
	} >"$tmp/$name.conf"
}

start() {	# start NAME: runs the daemon on $tmp/NAME.conf until it listens
	daemon_start "$tmp/$1.log" "$tmp/$1.conf"
	local st=$?
	pid=$daemon_pid
	return $st
}

# With nothing in flight SIGTERM stops the daemon at once, not after the
# five seconds libmilter's listener would otherwise sleep.
stop_timed() {	# stop_timed FORM: prints one TAP line
	daemon_stop "$pid"
	pid=
	[ "$stop_status" = 0 ] && [ "$stop_ms" -lt 2000 ]
	tap $? "SIGTERM stops the daemon on $1 with status 0 in under 2 s (took $stop_ms ms)"
}

roundtrip() {	# roundtrip SOCKET FORM: prints one TAP line
	local out
	out=$(miltertest -D sock="$1" -D lib="$top/tests/milter/lib.lua" -D form="$2" \
		-s "$top/tests/ops/roundtrip.lua" 2>&1)
	case $out in
	"ok - "*) tap 0 "${out#ok - }" ;;
	*) tap 1 "a message through the $2 socket is accepted"; echo "$out" | sed 's/^/#   /' ;;
	esac
}

mkdir -p "$tmp/reg"
chmod 0700 "$tmp/reg"

# unix: with a socket left behind by a daemon that died.
python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('$tmp/unix.sock')"
[ -S "$tmp/unix.sock" ]
tap $? "a stale socket file is left at the unix socket's path"
conf unix "unix:$tmp/unix.sock" "SocketMode 0660" "SocketGroup mail" \
	"StatsFile $tmp/stats/vanthu.prom" "StatsInterval 1"
mkdir -p "$tmp/stats"
start unix
tap $? "the daemon starts on unix: over the stale socket"
roundtrip "unix:$tmp/unix.sock" unix:
# A second daemon on the same socket (started by hand beside the
# service) must not take it from the first.
ino=$(stat -c %i "$tmp/unix.sock")
timeout 10 "$milter" -f -c "$tmp/unix.conf" >"$tmp/second.log" 2>&1
st=$?
[ $st -eq 1 ] && grep -qF "Socket unix:$tmp/unix.sock: another process is listening on it (a vanthu-milter already running?); not taking it over" "$tmp/second.log"
tap $? "a second daemon on the same unix socket refuses to start (status $st) and says why"
kill -0 "$pid" && [ "$(stat -c %i "$tmp/unix.sock")" = "$ino" ]
tap $? "the first daemon runs on, its socket where it was"
[ "$(stat -c '%a %G' "$tmp/unix.sock")" = "660 mail" ]
tap $? "SocketMode and SocketGroup are applied to the unix socket (got: $(stat -c '%a %G' "$tmp/unix.sock"))"
out=$(miltertest -D sock="unix:$tmp/unix.sock" -D lib="$top/tests/milter/lib.lua" \
	-s "$top/tests/ops/logline.lua" 2>&1)
[ "$out" = "ok - a message from a sender with spaces and quotes is accepted" ]
tap $? "a message from a sender with spaces and quotes is accepted"
line=$(grep "LOGQID01: " "$tmp/unix.log")
echo "$line" | grep -q 'LOGQID01: direction=inbound from=<?a?b\\?c??@sonoi.gov.vn> rcpts=1 official=yes ' &&
	python3 -c 'import re, sys
line = sys.argv[1].split(": ", 1)[1].split(": ", 1)[1]
pairs = re.findall(r"(\w+)=(\"[^\"]*\"|\S+)", line)
assert " ".join(k + "=" + v for k, v in pairs) == line, line
assert [k for k, v in pairs] == ["direction", "from", "rcpts", "official", "size",
	"documents", "skipped", "outcome", "ms"], pairs' "$line"
tap $? "its log line still parses as key=value, the sender's space and quotes shown as ?"
grep -q "WARNING: running as root because UserID is not set" "$tmp/unix.log"
tap $? "started as root without UserID, the daemon warns that it keeps root"

# The StatsFile, rewritten every second.
ok=1
for _ in $(seq 30); do
	grep -qx 'vanthu_messages_total{direction="inbound",outcome="accept"} 2' \
		"$tmp/stats/vanthu.prom" 2>/dev/null && { ok=0; break; }
	sleep 0.1
done
tap $ok "the StatsFile counts the two inbound messages accepted"
grep -qx '# TYPE vanthu_messages_total counter' "$tmp/stats/vanthu.prom" &&
	grep -qx 'vanthu_worker_restarts_total 0' "$tmp/stats/vanthu.prom" &&
	grep -qx 'vanthu_register_numbers_total 0' "$tmp/stats/vanthu.prom" &&
	[ "$(stat -c %a "$tmp/stats/vanthu.prom")" = 644 ] &&
	[ ! -e "$tmp/stats/vanthu.prom.tmp" ]
tap $? "the StatsFile is Prometheus text, mode 0644, with no temporary file left"
grep -qx 'vanthu_step_seconds_count{step="analysis"} 0' "$tmp/stats/vanthu.prom" &&
	grep -qx 'vanthu_step_seconds_count{step="register"} 0' "$tmp/stats/vanthu.prom"
tap $? "plain mail never went to an analysis worker nor to the register"
"$build/vanthu" -c "$tmp/unix.conf" stats >"$tmp/stats.out" 2>&1 &&
	grep -q '^Daemon counters' "$tmp/stats.out" &&
	grep -qE '^  vanthu_messages_total\{direction="inbound",outcome="accept"\} +2$' "$tmp/stats.out"
tap $? "vanthu stats shows the daemon's counters from the StatsFile"
# One official document: each step of its message timed once.
python3 - "$tmp/doc.eml" <<'PY'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
m["To"] = "vanthu@binhdinh.gov.vn"
m["Subject"] = "Cong van"
m.set_content("Kinh gui.")
pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")
m.add_attachment(pdf, maintype="application", subtype="pdf", filename="cv.pdf")
open(sys.argv[1], "wb").write(bytes(m).replace(b"\n", b"\r\n"))
PY
echo "$tmp/doc.eml" >"$tmp/doc.list"
miltertest -D sock="unix:$tmp/unix.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/doc.list" -s "$top/tests/hostile/sendfiles.lua" 2>&1 |
	grep -q '^ok - .*(accept)'
tap $? "a message with one PDF is accepted"
ok=1
for _ in $(seq 30); do
	grep -qx 'vanthu_register_numbers_total 1' "$tmp/stats/vanthu.prom" && { ok=0; break; }
	sleep 0.1
done
for step in analysis:1 rules:3 document_store:1 register:1; do
	grep -qx "vanthu_step_seconds_count{step=\"${step%:*}\"} ${step#*:}" \
		"$tmp/stats/vanthu.prom" || ok=1
	grep -qE "^vanthu_step_seconds_sum\{step=\"${step%:*}\"\} 0\.[0-9]{6}\$" \
		"$tmp/stats/vanthu.prom" || ok=1
done
tap $ok "the StatsFile times the document's analysis, document store and register, and the rules of all three messages, under a second"
stop_timed unix:

# local: is the same socket under its other name.
conf local "local:$tmp/local.sock" "SocketMode 0600"
start local
tap $? "the daemon starts on local:"
roundtrip "local:$tmp/local.sock" local:
# SIGUSR2 is the daemon's own (it wakes libmilter's listener at a stop):
# sent from outside it changes nothing.
kill -USR2 "$pid"
sleep 0.2
if kill -0 "$pid" 2>/dev/null; then
	roundtrip "local:$tmp/local.sock" "local: (after SIGUSR2)"
else
	tap 1 "the daemon outlives a SIGUSR2 sent from outside"
fi
[ "$(stat -c '%a' "$tmp/local.sock")" = 600 ]
tap $? "SocketMode 0600 is applied to the local: socket"
stop_timed local:

port=$(free_port 4)
conf inet "inet:$port@127.0.0.1"
start inet
tap $? "the daemon starts on inet:$port@127.0.0.1"
roundtrip "inet:$port@127.0.0.1" inet:
stop_timed "inet: on 127.0.0.1"

# Bound to every address, the listener is woken on the loopback one.
port=$(free_port 4)
conf inetany "inet:$port"
start inetany
tap $? "the daemon starts on inet:$port (every IPv4 address)"
stop_timed "inet: on every address"
port=$(free_port 6)
conf inet6any "inet6:$port"
start inet6any
tap $? "the daemon starts on inet6:$port (every IPv6 address)"
stop_timed "inet6: on every address"

port=$(free_port 6)
conf inet6 "inet6:$port@::1"
start inet6
tap $? "the daemon starts on inet6: on ::1"
# miltertest cannot connect to inet6: itself; relay6.py carries the
# conversation from 127.0.0.1 to the daemon's [::1] listener.
python3 "$top/tests/ops/relay6.py" "$port" >"$tmp/relay.port" 2>"$tmp/relay.log" &
relay=$!
for _ in $(seq 50); do [ -s "$tmp/relay.port" ] && break; sleep 0.1; done
roundtrip "inet:$(cat "$tmp/relay.port")@127.0.0.1" inet6:
kill "$relay" 2>/dev/null
wait "$relay" 2>/dev/null
python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null
[ $? -ne 0 ]
tap $? "the inet6: socket on ::1 does not answer on 127.0.0.1"
stop_timed "inet6: on ::1"

# A first SIGTERM waits for the message in flight (tests/milter); a
# second one stops at once and says what it cut short.
conf twice "unix:$tmp/twice.sock"
start twice
# The signals that stop the daemon may reach its workers too (systemd's
# stop of the whole group, ^C in a terminal): the workers carry on, and
# end when the daemon is done with them.
workers=$(pgrep -P "$pid" | sort)
for sig in TERM INT HUP USR1 USR2; do pkill "-$sig" -P "$pid"; done
sleep 0.3
# A dead worker stays a zombie until the daemon next looks at it.
[ -n "$workers" ] && [ "$(pgrep -P "$pid" -r R,S,D | sort)" = "$workers" ]
tap $? "the analysis workers carry on through SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGUSR2"
run_lua "unix:$tmp/twice.sock" "$top/tests/ops/twice.lua" -D pid="$pid"
daemon_wait "$pid"
pid=
[ "$stop_status" -eq 0 ] && [ "$stop_ms" -lt 2000 ] &&
	grep -q "received SIGTERM: stopping once the 1 message in flight has ended$" "$tmp/twice.log" &&
	grep -q "received SIGTERM again: stopping now, 1 message in flight cut short$" "$tmp/twice.log" &&
	grep -q "stopped with 1 message still in flight: the MTA applies its milter default action to it$" "$tmp/twice.log"
tap $? "a second SIGTERM stops the daemon with the message still in flight, and the log says so" ||
	sed 's/^/# /' "$tmp/twice.log"

# Directories others can write into are refused, at start and by -n.
mkdir -p "$tmp/spool"
chmod 0770 "$tmp/spool"
conf perms "unix:$tmp/perms.sock"
"$milter" -n -c "$tmp/perms.conf" >"$tmp/perms.out" 2>&1
st=$?
[ $st -eq 78 ] && grep -qx "Spool $tmp/spool is writable by its group (mode 0770); refusing to start: make it writable by its owner only (chmod go-w $tmp/spool)" "$tmp/perms.out"
tap $? "-n refuses a spool writable by its group, and says why (status $st)"
"$milter" -f -c "$tmp/perms.conf" >"$tmp/perms.log" 2>&1
st=$?
[ $st -eq 78 ] && grep -q "Spool $tmp/spool is writable by its group" "$tmp/perms.log" &&
	[ ! -e "$tmp/perms.sock" ]
tap $? "the daemon refuses to start on it, before opening its socket (status $st)"
chmod 0700 "$tmp/spool"
chmod 1777 "$tmp/reg"
"$milter" -n -c "$tmp/perms.conf" >"$tmp/perms.out" 2>&1
st=$?
[ $st -eq 78 ] && grep -qx "The register's directory $tmp/reg is writable by other users (mode 1777); refusing to start: make it writable by its owner only (chmod go-w $tmp/reg)" "$tmp/perms.out"
tap $? "-n refuses a register directory writable by other users (status $st)"
chmod 0700 "$tmp/reg"
"$milter" -n -c "$tmp/perms.conf" >"$tmp/perms.out" 2>&1
tap $? "-n accepts them once they are private"

# SQLite makes the register's file, not its directory: a Database in a
# directory that does not exist is refused by -n and at start, by name.
conf nodb "unix:$tmp/nodb.sock"
sed -i "s|^Database .*|Database $tmp/nonexistent/dir/register.sqlite|" "$tmp/nodb.conf"
want="Database $tmp/nonexistent/dir/register.sqlite: its directory $tmp/nonexistent/dir does not exist; create it, or name another in Database"
"$milter" -n -c "$tmp/nodb.conf" >"$tmp/nodb.out" 2>&1
st=$?
[ $st -eq 78 ] && grep -qxF "$want" "$tmp/nodb.out"
tap $? "-n refuses a Database whose directory does not exist, naming it (status $st)"
timeout 20 "$milter" -f -c "$tmp/nodb.conf" >"$tmp/nodb.log" 2>&1
st=$?
[ $st -eq 78 ] && grep -qF "]: $want" "$tmp/nodb.log" && [ ! -e "$tmp/nonexistent" ] &&
	[ ! -e "$tmp/nodb.sock" ]
tap $? "the daemon refuses to start on it, before opening its socket (status $st)"
# The directory the spool is made in may hold the register (the
# embedded defaults' ./var): it need not exist before the first start.
conf fresh "unix:$tmp/fresh.sock"
sed -i "s|^Database .*|Database $tmp/fresh/register.sqlite|; s|^Spool .*|Spool $tmp/fresh/spool|" "$tmp/fresh.conf"
"$milter" -n -c "$tmp/fresh.conf" >"$tmp/fresh.out" 2>&1
tap $? "-n accepts a register in the directory a new Spool will be made in"
start fresh && [ -f "$tmp/fresh/register.sqlite" ]
tap $? "the daemon starts with both in a directory it makes, and creates the register"
stop

# The embedded defaults' paths are relative: out of the source tree they
# are not found, and the daemon says what to do.
if [ -e /etc/vanthu/vanthu.conf ]; then
	skip "-n away from the source tree explains the embedded defaults" \
		"/etc/vanthu/vanthu.conf exists"
else
	(cd "$tmp" && "$milter" -n) >"$tmp/embedded.out" 2>&1
	st=$?
	[ $st -eq 78 ] && grep -qx "vanthu-milter: with no configuration file the embedded defaults apply, and their paths (./rules, ./var/spool) are relative to the source tree: run from there, or give -c FILE" "$tmp/embedded.out"
	tap $? "-n away from the source tree explains the embedded defaults (status $st)"
	(cd "$top" && "$milter" -n) >"$tmp/embedded.out" 2>&1
	tap $? "-n in the source tree accepts the embedded defaults"
fi

# "-" is standard input for -c (with -n or -t only) and for -t.
conf stdin "unix:$tmp/stdin.sock"
"$milter" -f -c - <"$tmp/stdin.conf" >"$tmp/stdin.out" 2>&1
st=$?
[ $st -eq 64 ] && grep -qx "vanthu-milter: -c - (standard input) serves -n and -t only: the daemon reads its configuration again on SIGUSR1" "$tmp/stdin.out" &&
	[ ! -e "$tmp/stdin.sock" ]
tap $? "the daemon refuses -c - (it could not read it again on SIGUSR1) (status $st)"
"$milter" -n -c - <"$tmp/stdin.conf" >"$tmp/stdin.out" 2>&1 &&
	grep -q "^-: configuration OK, " "$tmp/stdin.out"
tap $? "-n -c - checks a configuration from standard input"
printf 'From: a@bnv.gov.vn\nTo: b@binhdinh.gov.vn\nSubject: x\n\nhello\n' >"$tmp/stdin.eml"
"$milter" -c "$tmp/stdin.conf" -t "$tmp/stdin.eml" --json >"$tmp/stdin.file.json" 2>/dev/null &&
	"$milter" -c "$tmp/stdin.conf" -t - --json <"$tmp/stdin.eml" >"$tmp/stdin.json" 2>/dev/null &&
	grep -q '"direction":"inbound"' "$tmp/stdin.json" &&
	cmp -s "$tmp/stdin.json" "$tmp/stdin.file.json"
tap $? "-t - reads the message from standard input, as -t FILE"

# UserID: root opens the socket and the spool, then becomes nobody.
if [ "$(id -u)" -eq 0 ]; then
	rm -rf "$tmp/spool"
	conf user "unix:$tmp/user.sock" "UserID nobody" "SocketMode 0666"
	start user
	tap $? "the daemon starts as root with UserID nobody"
	uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$pid/status")
	[ "$uid" = "$(id -u nobody)$(id -u nobody)$(id -u nobody)$(id -u nobody)" ] &&
		grep -q "running as nobody" "$tmp/user.log"
	tap $? "after start-up every user id of the daemon is nobody's"
	[ "$(stat -c %U "$tmp/spool") $(stat -c %U "$tmp/spool/tmp")" = "nobody nobody" ] &&
		[ "$(stat -c %a "$tmp/spool")" = 700 ]
	tap $? "the spool it created belongs to nobody, mode 0700"
	roundtrip "unix:$tmp/user.sock" "unix: (as nobody)"
	stop
	# A Spool whose parent directories do not exist yet: root creates
	# them, and UserID must still get through them to its spool.
	conf deep "unix:$tmp/deep.sock" "UserID nobody" "SocketMode 0666"
	sed -i "s|^Spool .*|Spool $tmp/new/parent/spool|" "$tmp/deep.conf"
	start deep
	tap $? "the daemon starts as root with a Spool below directories it creates"
	[ "$(stat -c '%a %U' "$tmp/new" "$tmp/new/parent" "$tmp/new/parent/spool" | tr '\n' ' ')" = \
		"755 root 755 root 700 nobody " ]
	tap $? "the parents it created are 0755, the spool 0700 and nobody's"
	roundtrip "unix:$tmp/deep.sock" "unix: (spool below new directories)"
	stop
	# refused NAME DIR OWNER TEXT: the daemon on NAME.conf exits 1 with
	# TEXT in its log, DIR still OWNER's; its status in $st.
	refused() {
		timeout 20 "$milter" -f -c "$tmp/$1.conf" >"$tmp/$1.log" 2>&1
		st=$?
		[ $st -eq 1 ] && [ "$(stat -c %U "$2")" = "$3" ] &&
			grep -qF "$4" "$tmp/$1.log"
	}
	# A spool or register directory of another user (left by an earlier
	# run as someone else): UserID could not write there, and every
	# message would be deferred; the daemon says so and does not start.
	mkdir -p "$tmp/other/tmp"
	chown -R daemon "$tmp/other"
	conf other "unix:$tmp/other.sock" "UserID nobody"
	sed -i "s|^Spool .*|Spool $tmp/other|" "$tmp/other.conf"
	refused other "$tmp/other" daemon "Spool $tmp/other: the daemon's user nobody cannot write it: Permission denied"
	tap $? "a Spool nobody cannot write is refused at start, and the log says why (status $st)"
	mkdir -p "$tmp/otherdb"
	chown daemon "$tmp/otherdb"
	conf otherdb "unix:$tmp/otherdb.sock" "UserID nobody"
	sed -i "s|^Database .*|Database $tmp/otherdb/register.sqlite|" "$tmp/otherdb.conf"
	refused otherdb "$tmp/otherdb" daemon "Database $tmp/otherdb/register.sqlite: the daemon's user nobody cannot write its directory: Permission denied"
	tap $? "a register directory nobody cannot write is refused at start, and the log says why (status $st)"
	# Root gives the register's directory to UserID only when it is the
	# register's own: "Database /var/lib/register.sqlite" must not hand
	# /var/lib over.  The default layout, ./var/register.sqlite beside
	# ./var/spool, is the register's own.
	mkdir -p "$tmp/shared"
	echo "not the register's" >"$tmp/shared/other.txt"
	conf shared "unix:$tmp/shared.sock" "UserID nobody"
	sed -i "s|^Database .*|Database $tmp/shared/register.sqlite|" "$tmp/shared.conf"
	refused shared "$tmp/shared" root "Database directory $tmp/shared belongs to root and holds other.txt, which is not the register's: it is not given to nobody; keep the register in a directory of its own"
	tap $? "a register's directory holding other files stays root's, and the start is refused (status $st)"
	mkdir -p "$tmp/sharedspool"
	touch "$tmp/sharedspool/notes.txt"
	conf sharedspool "unix:$tmp/sharedspool.sock" "UserID nobody"
	sed -i "s|^Spool .*|Spool $tmp/sharedspool|" "$tmp/sharedspool.conf"
	refused sharedspool "$tmp/sharedspool" root "Spool $tmp/sharedspool belongs to root and holds notes.txt, which is not the spool's: it is not given to nobody; name a directory of its own"
	tap $? "a Spool holding other files stays root's, and the start is refused (status $st)"
	mkdir -p "$tmp/var"
	conf var "unix:$tmp/var.sock" "UserID nobody" "SocketMode 0666"
	sed -i "s|^Database .*|Database $tmp/var/register.sqlite|; s|^Spool .*|Spool $tmp/var/spool|" "$tmp/var.conf"
	start var
	tap $? "the daemon starts with the register and the spool in one directory of their own"
	[ "$(stat -c %U "$tmp/var" "$tmp/var/spool" "$tmp/var/register.sqlite" | tr '\n' ' ')" = "nobody nobody nobody " ]
	tap $? "that directory, the spool and the register are given to nobody"
	roundtrip "unix:$tmp/var.sock" "unix: (register beside its spool)"
	stop
	# UserID is used only at start: a daemon started as root without it
	# goes on starting its workers as nobody after a reload names a user.
	conf ruser "unix:$tmp/ruser.sock"
	start ruser
	tap $? "the daemon starts as root without UserID"
	echo "UserID daemon" >>"$tmp/ruser.conf"
	kill -USR1 "$pid"
	for _ in $(seq 50); do grep -q "reload: done" "$tmp/ruser.log" && break; sleep 0.1; done
	grep -qE 'vanthu-milter\[[0-9]+\]: reload: UserID changed \(none -> daemon\): takes effect at the next start$' \
		"$tmp/ruser.log"
	tap $? "the reload warns that UserID changed (none -> daemon) and takes effect at the next start"
	cp "$tmp/doc.eml" "$tmp/ruser.eml"
	echo "$tmp/ruser.eml" >"$tmp/ruser.list"
	miltertest -D sock="unix:$tmp/ruser.sock" -D lib="$top/tests/milter/lib.lua" \
		-D list="$tmp/ruser.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
	uids=
	for w in $(pgrep -P "$pid"); do
		uids="$uids $(awk '/^Uid:/ { print $2 }' "/proc/$w/status")"
	done
	grep -q "ruser.eml: direction=inbound .* documents=1 .* outcome=accept " "$tmp/ruser.log" &&
		[ "$uids" = " $(id -u nobody)" ]
	tap $? "the worker that analysed the next message runs as nobody (uids:${uids:- none})"
	stop
	# The PidFile is written as root, before the drop: the daemon, by
	# then nobody, removes it only from a directory nobody can write.
	mkdir -p "$tmp/run/vanthu"
	chown nobody "$tmp/run/vanthu"
	conf runpid "unix:$tmp/runpid.sock" "UserID nobody" "PidFile $tmp/run/vanthu/milter.pid"
	start runpid
	[ "$(cat "$tmp/run/vanthu/milter.pid")" = "$pid" ]
	tap $? "started as root with UserID nobody, the daemon writes its PidFile"
	stop
	[ ! -e "$tmp/run/vanthu/milter.pid" ]
	tap $? "and removes it at SIGTERM from a directory of nobody's"
	conf rootpid "unix:$tmp/rootpid.sock" "UserID nobody" "PidFile $tmp/run/milter.pid"
	start rootpid
	stop
	[ -e "$tmp/run/milter.pid" ] &&
		grep -qF "PidFile $tmp/run/milter.pid: cannot remove it: Permission denied" "$tmp/rootpid.log"
	tap $? "a PidFile in a directory of root's is left behind, and the log says why"
else
	tap 0 "# SKIP UserID needs root"
fi

# An upgrade replaces the program while the daemon runs: workers started
# afterwards are still the daemon's own version, not whatever the path
# now holds (here a script that fails at once).
mkdir -p "$tmp/bin"
cp "$milter" "$tmp/bin/vanthu-milter"
conf upgrade "unix:$tmp/upgrade.sock"
saved=$milter
milter=$tmp/bin/vanthu-milter
start upgrade
tap $? "the daemon starts from a copy of the program"
milter=$saved
printf '#!/bin/sh\nexit 3\n' >"$tmp/bin/new"
chmod 0755 "$tmp/bin/new"
mv -f "$tmp/bin/new" "$tmp/bin/vanthu-milter"
pkill -KILL -P "$pid"
sleep 0.2
run_lua "unix:$tmp/upgrade.sock" "$top/tests/milter/attachment.lua"
! grep -q "exit status 3" "$tmp/upgrade.log"
tap $? "workers started after the program was replaced are the running version"
stop

# A reload applies what it reads: LogLevel at once.  Started at warning,
# the daemon logs no line per message (nor "listening on": wait for the
# socket); reloaded at info, it does.  AnalysisWorkers, changed by the
# same reload, is used only at start: one warning says so, and the
# socket -p gave is not taken for a change of Socket.
conf reload "unix:$tmp/reload-file.sock" "LogLevel warning"
"$milter" -f -c "$tmp/reload.conf" -p "unix:$tmp/reload.sock" >"$tmp/reload.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S "$tmp/reload.sock" ] && break; sleep 0.1; done
cp "$tmp/doc.eml" "$tmp/quiet.eml"
echo "$tmp/quiet.eml" >"$tmp/quiet.list"
miltertest -D sock="unix:$tmp/reload.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/quiet.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
! grep -q "quiet.eml: direction=" "$tmp/reload.log"
tap $? "at LogLevel warning a message leaves no line"
sed -i 's/^LogLevel warning$/LogLevel info/; s/^AnalysisWorkers 1$/AnalysisWorkers 2/' \
	"$tmp/reload.conf"
kill -USR1 "$pid"
for _ in $(seq 50); do grep -q "reload: done" "$tmp/reload.log" && break; sleep 0.1; done
cp "$tmp/doc.eml" "$tmp/loud.eml"
echo "$tmp/loud.eml" >"$tmp/loud.list"
miltertest -D sock="unix:$tmp/reload.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/loud.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
grep -q "reload: done" "$tmp/reload.log" &&
	grep -q "loud.eml: direction=inbound .* outcome=accept " "$tmp/reload.log"
tap $? "reloaded at LogLevel info, the daemon logs the reload and the next message"
[ "$(grep -c 'takes effect at the next start' "$tmp/reload.log")" -eq 1 ] &&
	grep -qE 'vanthu-milter\[[0-9]+\]: reload: AnalysisWorkers changed \(1 -> 2\): takes effect at the next start$' \
		"$tmp/reload.log"
tap $? "the reload warns once, that AnalysisWorkers changed (1 -> 2) and takes effect at the next start"
ok=1
for _ in $(seq 30); do
	[ "$(pgrep -c -P "$pid")" -eq 1 ] && { ok=0; break; }
	sleep 0.1
done
tap $ok "the daemon runs on with its one analysis worker"
stop

# AnalysisTimeout too: raised from 2s to 6s by a reload, the daemon waits
# 6s for a worker that does not answer (stopped here), not 2s.
conf timeout "unix:$tmp/timeout.sock" "AnalysisTimeout 2s"
start timeout
tap $? "the daemon starts with AnalysisTimeout 2s"
sed -i 's/^AnalysisTimeout 2s$/AnalysisTimeout 6s/' "$tmp/timeout.conf"
kill -USR1 "$pid"
for _ in $(seq 50); do grep -q "reload: done" "$tmp/timeout.log" && break; sleep 0.1; done
# A first message has the recycled worker replaced; the second meets it
# stopped.
cp "$tmp/doc.eml" "$tmp/fresh.eml"
cp "$tmp/doc.eml" "$tmp/stuck.eml"
echo "$tmp/fresh.eml" >"$tmp/fresh.list"
echo "$tmp/stuck.eml" >"$tmp/stuck.list"
miltertest -D sock="unix:$tmp/timeout.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/fresh.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
pkill -STOP -P "$pid"
miltertest -D sock="unix:$tmp/timeout.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/stuck.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
ms=$(sed -n 's/.*stuck\.eml: direction=.* failure="analysis: analysis worker timed out" ms=\([0-9]*\)$/\1/p' "$tmp/timeout.log")
[ -n "$ms" ] && [ "$ms" -ge 5900 ] && [ "$ms" -lt 9000 ]
tap $? "after the reload a worker that does not answer is given 6s (took ${ms:-?} ms)"
stop

# A reload that names a trust file that cannot be read is refused, as at
# start: accepted, every worker started after it would fail, and every
# message with a document get OnAnalysisError.
conf trust "unix:$tmp/trust.sock"
start trust
tap $? "the daemon starts without TrustAnchors"
echo "TrustAnchors $tmp/no-such-root.pem" >>"$tmp/trust.conf"
kill -USR1 "$pid"
for _ in $(seq 50); do grep -q "reload: done\|keeping the old" "$tmp/trust.log" && break; sleep 0.1; done
grep -q "reload: .*no-such-root.pem" "$tmp/trust.log" &&
	grep -q "keeping the old configuration" "$tmp/trust.log" &&
	! grep -q "reload: done" "$tmp/trust.log"
tap $? "a reload naming a missing trust anchor file is refused and says which file"
cp "$tmp/doc.eml" "$tmp/trusted.eml"
echo "$tmp/trusted.eml" >"$tmp/trusted.list"
miltertest -D sock="unix:$tmp/trust.sock" -D lib="$top/tests/milter/lib.lua" \
	-D list="$tmp/trusted.list" -s "$top/tests/hostile/sendfiles.lua" >/dev/null 2>&1
grep -q "trusted.eml: direction=inbound .* documents=1 skipped=0 outcome=accept ms=" "$tmp/trust.log"
tap $? "and a message with a document is still analysed and accepted"
stop

# Without -f the daemon detaches; the command's exit status still says
# whether it started.  A pid file that cannot be written is found after
# the detach.
conf detach "unix:$tmp/detach.sock" "PidFile $tmp/no-such-dir/milter.pid"
timeout 20 "$milter" -c "$tmp/detach.conf" >"$tmp/detach.out" 2>&1
st=$?
[ $st -eq 1 ]
tap $? "without -f, a daemon that fails after detaching makes the command exit 1 (status $st)"
# With Syslog no the log is standard error, which the detached daemon
# keeps: the reason for the failure, then the running daemon's lines.
grep -qF "PidFile $tmp/no-such-dir/milter.pid" "$tmp/detach.out"
tap $? "with Syslog no, the detached daemon's reason for failing is in its standard error"
conf detach "unix:$tmp/detach.sock" "PidFile $tmp/detach.pid"
timeout 20 "$milter" -c "$tmp/detach.conf" >"$tmp/detach.out" 2>&1
st=$?
pid=$(cat "$tmp/detach.pid" 2>/dev/null)
[ $st -eq 0 ] && [ -n "$pid" ] && kill -0 "$pid" && [ -S "$tmp/detach.sock" ]
tap $? "without -f, a daemon that starts makes the command exit 0 and runs on (status $st)"
grep -qE "^[0-9T:.-]+ vanthu-milter\[$pid\]: vanthu-milter [^ ]+ listening on unix:$tmp/detach.sock " "$tmp/detach.out"
tap $? "with Syslog no, the detached daemon logs to the standard error it was started with"
detached=$pid
stop
grep -qE "^[0-9T:.-]+ vanthu-milter\[$detached\]: stopping$" "$tmp/detach.out"
tap $? "and logs its stop there"

# PidFile: the daemon's own pid, removed when it stops, never written
# through a symbolic link.
conf pidfile "unix:$tmp/pidfile.sock" "PidFile $tmp/milter.pid"
start pidfile
tap $? "the daemon starts with a PidFile"
[ "$(cat "$tmp/milter.pid")" = "$pid" ] && [ "$(stat -c %a "$tmp/milter.pid")" = 644 ]
tap $? "the PidFile holds the daemon's pid, mode 0644"
stopped=$pid
stop
[ ! -e "$tmp/milter.pid" ] && ! kill -0 "$stopped" 2>/dev/null
tap $? "after SIGTERM the daemon is gone and so is its PidFile"
start pidfile
echo 999999 >"$tmp/milter.pid"
stop
[ "$(cat "$tmp/milter.pid")" = 999999 ] &&
	grep -qF "PidFile $tmp/milter.pid holds another pid; not removed" "$tmp/pidfile.log"
tap $? "a PidFile that holds another pid by then is left in place"
echo "not a pid file" >"$tmp/precious"
ln -s "$tmp/precious" "$tmp/link.pid"
ln -s "$tmp/nowhere" "$tmp/dangling.pid"
for link in link dangling; do
	conf "$link" "unix:$tmp/$link.sock" "PidFile $tmp/$link.pid"
	timeout 20 "$milter" -f -c "$tmp/$link.conf" >"$tmp/$link.log" 2>&1
	st=$?
	[ $st -eq 1 ] &&
		grep -qF "PidFile $tmp/$link.pid is a symbolic link; refusing to start: name the file itself" "$tmp/$link.log" &&
		[ "$(cat "$tmp/precious")" = "not a pid file" ] && [ ! -e "$tmp/nowhere" ]
	tap $? "a PidFile that is a symbolic link ($link) stops the start, and what it points to is untouched (status $st)"
done
