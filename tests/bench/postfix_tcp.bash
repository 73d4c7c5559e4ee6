#!/bin/bash
# postfix_tcp.bash - a real Postfix in front of a milter over unix: and
# inet:, to see what TCP costs (run by hand, as root; never in make check).
#
#	bash tests/bench/postfix_tcp.bash [SESSIONS [MESSAGES]]
#
# Starts a private Postfix (tests/e2e/postfix.bash) that discards what it
# accepts, the no-op filter (build/bench/noop_milter) and vanthu-milter,
# each on a unix and an inet socket, and sends MESSAGES 5 KB messages over
# SESSIONS parallel SMTP sessions with smtp-source for each; the no-op
# filter also runs adding one header, with and without TCP_NODELAY.  Prints
# messages/s per case, then traces one Postfix smtpd talking to the inet
# no-op filter and counts its writes and setsockopt calls on the milter
# socket.  VANTHU_MILTER names another vanthu-milter binary to compare.
set -u
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
sessions=${1:-4}
count=${2:-400}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-pftcp.XXXXXX")
chmod 755 "$tmp"
pids=()
. "$top/tests/e2e/postfix.bash"

cleanup() {
	pf_stop "$tmp/pf"
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] && cp "$tmp/strace.out" "$tmp/pf/maillog" "$KEEP"/ 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_listen() {	# wait_listen LOG
	for _ in $(seq 100); do grep -q "listening on" "$1" && return 0; sleep 0.1; done
	echo "# did not start:"; sed 's/^/#   /' "$1"
	return 1
}

np=$(free_port)
vp=$(free_port)
"$build/bench/noop_milter" -p "unix:$tmp/noop.sock" 2>"$tmp/noop-unix.log" &
pids+=($!)
"$build/bench/noop_milter" -p "inet:$np@127.0.0.1" 2>"$tmp/noop-inet.log" &
pids+=($!)
hp=$(free_port)
dp=$(free_port)
"$build/bench/noop_milter" -H 1 -p "inet:$hp@127.0.0.1" 2>"$tmp/noop-hdr.log" &
pids+=($!)
"$build/bench/noop_milter" -H 1 --nodelay -p "inet:$dp@127.0.0.1" 2>"$tmp/noop-hdr-nd.log" &
pids+=($!)
for t in unix inet; do
	if [ $t = unix ]; then s="unix:$tmp/vanthu.sock"; else s="inet:$vp@127.0.0.1"; fi
	cat >"$tmp/vanthu-$t.conf" <<EOF
Socket $s
SocketMode 0666
Syslog no
LogLevel warning
Spool $tmp/spool-$t
Database $tmp/register-$t.sqlite
Domains binhdinh.gov.vn
OfficialDomains *.gov.vn
InternalHosts 10.0.0.0/8
EOF
	"${VANTHU_MILTER:-$build/vanthu-milter}" -f -c "$tmp/vanthu-$t.conf" 2>"$tmp/vanthu-$t.log" &
	pids+=($!)
done
chmod 666 "$tmp/noop.sock" 2>/dev/null
sleep 1

port=$(free_port)
pf_start "$tmp/pf" "$port" "unix:$tmp/noop.sock" || { echo "# Postfix did not start"; exit 1; }
postconf -c "$tmp/pf/etc" -e "virtual_transport = discard:" "default_transport = discard:" \
	"relay_transport = discard:" "smtpd_client_connection_count_limit = 0" \
	"smtpd_client_message_rate_limit = 0" "smtpd_client_connection_rate_limit = 0"

run_case() {	# run_case LABEL MILTER
	postconf -c "$tmp/pf/etc" -e "smtpd_milters = $2"
	postfix -c "$tmp/pf/etc" reload >/dev/null 2>&1
	sleep 1.5
	local t0 t1
	t0=$(date +%s.%N)
	smtp-source -c -l 5000 -m "$count" -s "$sessions" -f sender@example.net \
		-t vanthu@binhdinh.gov.vn "127.0.0.1:$port" >/dev/null 2>"$tmp/source.err"
	t1=$(date +%s.%N)
	python3 -c "print('%-28s %4d messages, %d sessions: %8.1f msg/s' % ('$1', $count, $sessions, $count / ($t1 - $t0)))"
}

echo "# Postfix $(postconf -c "$tmp/pf/etc" -h mail_version) -> milter, smtp-source -l 5000"
run_case "noop unix" "unix:$tmp/noop.sock"
run_case "noop inet" "inet:127.0.0.1:$np"
run_case "noop+1 header inet" "inet:127.0.0.1:$hp"
run_case "noop+1 header inet nodelay" "inet:127.0.0.1:$dp"
run_case "vanthu unix" "unix:$tmp/vanthu.sock"
run_case "vanthu inet" "inet:127.0.0.1:$vp"
grep -c "milter.*\(reject\|error\|fail\)" "$tmp/pf/maillog" | sed 's/^/# milter errors in the maillog: /'

# One message, traced: what does smtpd write on the milter socket?
postconf -c "$tmp/pf/etc" -e "smtpd_milters = inet:127.0.0.1:$np"
postfix -c "$tmp/pf/etc" reload >/dev/null 2>&1
sleep 1.5
master=$(tr -d ' ' <"$tmp/pf/queue/pid/master.pid")
strace -f -tt -e trace=connect,write,writev,sendto,setsockopt,read \
	-p "$master" -o "$tmp/strace.out" 2>/dev/null &
spid=$!
sleep 1
smtp-source -c -l 5000 -m 2 -s 1 -f sender@example.net -t vanthu@binhdinh.gov.vn \
	"127.0.0.1:$port" >/dev/null 2>&1
sleep 0.5
kill -INT "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
# Every write that starts a milter packet (length 0x000000..), by any
# process: smtpd up to DATA, cleanup from the headers on.
echo "# milter packets written by Postfix for 2 messages (macro 'D' and command together?):"
grep -E '(write|writev|sendto)\([0-9]+, "\\0\\0' "$tmp/strace.out" | cut -c1-120 | sed 's/^/#   /'
grep -q TCP_NODELAY "$tmp/strace.out"
echo "# TCP_NODELAY set by Postfix: $([ $? -eq 0 ] && echo yes || echo no)"
