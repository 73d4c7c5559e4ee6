#!/bin/sh
# run.sh - the register under load and under kill -9.
#
# Load: 2 processes of 8 threads each register VANTHU_LOAD_DOCS documents
# (10,000 by default) into one database file; then count = max = distinct
# numbers, with no gap.  The same two processes racing over the same
# messages register each message once.
# Crash: a writer is killed with SIGKILL at each fault point of a
# registration and at random moments under load; after every kill the
# register is checked (integrity, count = max = distinct, every number
# with its document, message and arrival rows and its spool file), and
# at the end the interrupted messages are sent again, as the MTA retries
# them, and each is registered exactly once.
top=${VANTHU_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${VANTHU_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
LOAD=$build/tests/tools/store_load
docs=${VANTHU_LOAD_DOCS:-10000}
half=$((docs / 2))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanthu-register.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
T0=1772416800	# 2026-03-02 09:00 +07
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		fails=$((fails + 1))
	fi
}

check() {	# check DB SPOOL EXPECTED-LINE...: the check tool's report
	db=$1; sp=$2; shift 2
	"$LOAD" -d "$db" -s "$sp" -C >"$tmp/check.out" 2>&1 || return 1
	for want in "$@"; do
		grep -qx "$want" "$tmp/check.out" || return 1
	done
	return 0
}

# Load: two processes, eight threads each, different messages.
mkdir -p "$tmp/s1"
start=$(date +%s)
"$LOAD" -d "$tmp/load.db" -s "$tmp/s1" -t 8 -n $half -p a -T $T0 &
p1=$!
"$LOAD" -d "$tmp/load.db" -s "$tmp/s1" -t 8 -n $((docs - half)) -p b -T $T0 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
secs=$(( $(date +%s) - start ))
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] &&
    check "$tmp/load.db" "$tmp/s1" "den/2026 count=$docs max=$docs distinct=$docs" "check ok"
ok "8 threads in 2 processes register $docs documents gap-free (${secs}s)" $?
[ "$(sqlite3 "$tmp/load.db" 'SELECT count(*) FROM audit WHERE action = "register"')" -eq $docs ]
ok "every registration has its audit line" $?

# The same messages from two processes at once: one number each.
mkdir -p "$tmp/s2"
m=$((docs / 10))
"$LOAD" -d "$tmp/race.db" -s "$tmp/s2" -t 8 -n $m -p same -T $T0 &
p1=$!
"$LOAD" -d "$tmp/race.db" -s "$tmp/s2" -t 8 -n $m -p same -T $T0 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] &&
    check "$tmp/race.db" "$tmp/s2" "den/2026 count=$m max=$m distinct=$m" "check ok" &&
    [ "$(sqlite3 "$tmp/race.db" 'SELECT sum(attempts) FROM messages')" -eq $((2 * m)) ]
ok "the same $m messages racing in from two processes are registered once each" $?

# Crash at each fault point, at increasing depths.
mkdir -p "$tmp/s3"
db=$tmp/crash.db
msgs=300
t=0
rounds=0
for point in register.begin register.numbered register.commit register.done; do
	for k in 1 7 40; do
		"$LOAD" -d "$db" -s "$tmp/s3" -t 4 -n $msgs -p crash -T $T0 \
		    -k "$point:$k" >/dev/null 2>&1
		rc=$?
		rounds=$((rounds + 1))
		# 137: killed by SIGKILL as asked
		if [ $rc -ne 137 ] || ! check "$db" "$tmp/s3" "check ok"; then
			echo "# $point:$k: exit $rc"
			sed 's/^/#   /' "$tmp/check.out"
			t=1
		fi
	done
done
ok "after kill -9 at every fault point ($rounds kills) the register has no gap, duplicate or orphan" $t

# kill -9 from outside at random moments, two writers at once.
t=0
for i in 1 2 3 4 5; do
	"$LOAD" -d "$db" -s "$tmp/s3" -t 8 -n $msgs -p crash -T $T0 >/dev/null 2>&1 &
	p1=$!
	"$LOAD" -d "$db" -s "$tmp/s3" -t 8 -n $msgs -p other -T $T0 >/dev/null 2>&1 &
	p2=$!
	sleep "0.$((i * 7 % 10 + 1))"
	kill -9 $p1 $p2 2>/dev/null
	wait $p1 $p2 2>/dev/null
	if ! check "$db" "$tmp/s3" "check ok"; then
		sed 's/^/#   /' "$tmp/check.out"
		t=1
	fi
done
ok "after kill -9 of two writers under load the register is whole" $t

# The MTA retries everything that was interrupted.
"$LOAD" -d "$db" -s "$tmp/s3" -t 8 -n $msgs -p crash -T $T0 &&
"$LOAD" -d "$db" -s "$tmp/s3" -t 8 -n $msgs -p other -T $T0 &&
    check "$db" "$tmp/s3" "den/2026 count=$((2 * msgs)) max=$((2 * msgs)) distinct=$((2 * msgs))" "check ok" &&
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM messages')" -eq $((2 * msgs)) ]
ok "retried messages are registered exactly once each" $?

echo "1..$n"
[ $fails -eq 0 ]
