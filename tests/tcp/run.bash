#!/bin/bash
# run.bash - vanthu-milter over a TCP socket answers at end of message
# without the 40 ms that Nagle's algorithm and a delayed ACK would add
# (see milter/tcpopt.h).  Starts the daemon on a free loopback port with a
# private spool, sends messages that it answers with a header change and
# an accept, and checks the median end-of-message latency.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup tcp
pid=

cleanup() {
	daemon_stop "$pid"
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port)
cat >"$tmp/vanthu.conf" <<CONF
Socket inet:$port@127.0.0.1
Syslog no
LogLevel info
Spool $tmp/spool
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
CONF
daemon_start "$tmp/log" "$tmp/vanthu.conf"
tap $? "the daemon starts on a loopback TCP port"
pid=$daemon_pid

python3 "$top/tests/tcp/eom_latency.py" 127.0.0.1 "$port" 9 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^a 1 ' "$tmp/out")" -eq 9 ]
tap $? "nine messages over TCP are accepted, each with one header added" ||
	sed 's/^/# /' "$tmp/out" "$tmp/log"
median=$(cut -d' ' -f3 "$tmp/out" | sort -g | sed -n 5p)
[ -n "$median" ] && awk -v m="$median" 'BEGIN {exit !(m < 20)}'
tap $? "the median end-of-message latency over TCP is under 20 ms (no Nagle stall)" ||
	echo "# latencies: $(cut -d' ' -f3 "$tmp/out" | tr '\n' ' ')"
! grep -q "cannot set TCP_NODELAY" "$tmp/log"
tap $? "the daemon sets TCP_NODELAY on its listening socket without a warning"
