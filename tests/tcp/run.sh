#!/bin/sh
# run.sh - vanthu-milter over a TCP socket answers at end of message
# without the 40 ms that Nagle's algorithm and a delayed ACK would add
# (see milter/tcpopt.h).  Starts the daemon on a free loopback port with a
# private spool, sends messages that it answers with a header change and
# an accept, and checks the median end-of-message latency.
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-tcp.XXXXXX")
pid=

cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/vanthu.conf" <<CONF
Socket inet:$port@127.0.0.1
Syslog no
LogLevel info
Spool $tmp/spool
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
CONF
"$build/vanthu-milter" -f -c "$tmp/vanthu.conf" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$tmp/log" && break
	sleep 0.1
done

python3 "$top/tests/tcp/eom_latency.py" 127.0.0.1 "$port" 9 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^a 1 ' "$tmp/out")" -eq 9 ]
if [ $? -eq 0 ]; then
	echo "ok 1 - nine messages over TCP are accepted, each with one header added"
else
	echo "not ok 1 - nine messages over TCP are accepted, each with one header added"
	sed 's/^/# /' "$tmp/out" "$tmp/log"
fi
median=$(cut -d' ' -f3 "$tmp/out" | sort -g | sed -n 5p)
if [ -n "$median" ] && awk -v m="$median" 'BEGIN {exit !(m < 20)}'; then
	echo "ok 2 - the median end-of-message latency over TCP is under 20 ms (no Nagle stall)"
else
	echo "not ok 2 - the median end-of-message latency over TCP is under 20 ms (no Nagle stall)"
	echo "# latencies: $(cut -d' ' -f3 "$tmp/out" | tr '\n' ' ')"
fi
grep -q "cannot set TCP_NODELAY" "$tmp/log"
if [ $? -ne 0 ]; then
	echo "ok 3 - the daemon sets TCP_NODELAY on its listening socket without a warning"
else
	echo "not ok 3 - the daemon sets TCP_NODELAY on its listening socket without a warning"
fi
