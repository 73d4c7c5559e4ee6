# lib.bash - what the shell test suites share.
#
# A suite's run.bash sources this file and then calls lib_setup:
#
#	. "$(dirname "$0")/../lib.bash"
#	lib_setup AREA		top, build, milter (the daemon's path), a
#				private tmp (mode 0711, so that an MTA's
#				user can reach a socket in it) and n=0
#	tap STATUS SENTENCE	one TAP line, numbered by n, also appended
#				to $tmp/tap; returns STATUS
#	skip SENTENCE REASON	a skipped TAP line
#	free_port [6]		a free TCP port on 127.0.0.1 (on ::1 with 6)
#	free_port_pair		a free port P on 127.0.0.1 with P+1 free
#				too (an MTA and its sink)
#	daemon_start LOG CONF [TEXT]
#				vanthu-milter -f -c CONF, its output
#				appended to LOG, until this run logs
#				"listening on TEXT"; sets daemon_pid.
#				1, with the run's log as # lines, when it
#				dies or does not listen within 10 s
#	daemon_stop PID		SIGTERM, then SIGKILL after 15 s, and reap
#	run_lua SOCKET SCRIPT [miltertest options]
#				a Lua script of miltertest against SOCKET,
#				its "ok - " lines renumbered into this suite
#
# A suite's cleanup stays its own: it knows what it started.

lib_setup() {	# lib_setup AREA
	top=${VANTHU_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
	build=${VANTHU_BUILD:-build}
	case $build in /*) ;; *) build="$top/$build" ;; esac
	milter="$build/vanthu-milter"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-$1.XXXXXX") || exit 1
	chmod 0711 "$tmp"
	n=0
}

tap() {	# tap STATUS SENTENCE; returns STATUS
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi |
		tee -a "$tmp/tap"
	return "$1"
}

skip() {	# skip SENTENCE REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2" | tee -a "$tmp/tap"
}

free_port() {	# free_port [6]
	if [ "${1:-4}" = 6 ]; then
		python3 -c 'import socket
s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])'
	else
		python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
	fi
}

free_port_pair() {
	python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError:
        pass'
}

# Only the lines this run adds to LOG count: a restarted daemon's log
# still holds the last run's "listening on".
daemon_start() {	# daemon_start LOG CONF [TEXT]
	local log=$1 conf=$2 text="listening on${3:+ $3}" from
	touch "$log"
	from=$(($(wc -l <"$log") + 1))
	"$milter" -f -c "$conf" >>"$log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 100); do
		tail -n "+$from" "$log" | grep -qF "$text" && return 0
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "# vanthu-milter -c $conf did not start:"
	tail -n "+$from" "$log" | sed 's/^/#   /'
	return 1
}

# Wait for the daemon to exit, once something has told it to (SIGKILL
# after 15 s).  Sets stop_ms to how long that took and stop_status to
# its exit status.
daemon_wait() {	# daemon_wait PID
	local t0
	stop_ms= stop_status=
	[ -n "$1" ] || return 0
	t0=$(date +%s%N)
	for _ in $(seq 750); do kill -0 "$1" 2>/dev/null || break; sleep 0.02; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	stop_status=$?
	stop_ms=$((($(date +%s%N) - t0) / 1000000))
	return 0
}

daemon_stop() {	# daemon_stop PID: SIGTERM, then daemon_wait
	[ -n "$1" ] && kill -TERM "$1" 2>/dev/null
	daemon_wait "$1"
}

# The loop reads a here-string, not a pipe, so that it runs in this shell
# and tap's count carries on.
run_lua() {	# run_lua SOCKET SCRIPT [miltertest options]
	local sock=$1 script=$2 out line
	shift 2
	out=$(miltertest -D sock="$sock" -D lib="$top/tests/milter/lib.lua" "$@" \
		-s "$script" 2>&1)
	while IFS= read -r line; do
		case $line in
		"ok - "*) tap 0 "${line#ok - }" ;;
		"not ok - "*) tap 1 "${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <<<"$out"
	return 0
}
