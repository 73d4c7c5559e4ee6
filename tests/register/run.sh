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
# The databases stay on disk, where fsync costs what it costs; the spool
# files only need to survive kill -9, so they go to memory when it can
# (creating and removing tens of thousands of small files on a busy disk
# takes longer than the test itself).
shm=$(mktemp -d /dev/shm/vanthu-register.XXXXXX 2>/dev/null) || shm=$tmp/spool
mkdir -p "$shm"
trap 'rm -rf "$tmp" "$shm"' EXIT INT TERM
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
mkdir -p "$shm/s1"
start=$(date +%s)
"$LOAD" -d "$tmp/load.db" -s "$shm/s1" -t 8 -n $half -p a -T $T0 &
p1=$!
"$LOAD" -d "$tmp/load.db" -s "$shm/s1" -t 8 -n $((docs - half)) -p b -T $T0 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
secs=$(( $(date +%s) - start ))
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] &&
    check "$tmp/load.db" "$shm/s1" "den/2026 count=$docs max=$docs distinct=$docs" "check ok"
ok "8 threads in 2 processes register $docs documents gap-free (${secs}s)" $?
[ "$(sqlite3 "$tmp/load.db" 'SELECT count(*) FROM audit WHERE action = "register"')" -eq $docs ]
ok "every registration has its audit line" $?

# The same messages from two processes at once: one number each.
mkdir -p "$shm/s2"
m=$((docs / 10))
"$LOAD" -d "$tmp/race.db" -s "$shm/s2" -t 8 -n $m -p same -T $T0 &
p1=$!
"$LOAD" -d "$tmp/race.db" -s "$shm/s2" -t 8 -n $m -p same -T $T0 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] &&
    check "$tmp/race.db" "$shm/s2" "den/2026 count=$m max=$m distinct=$m" "check ok" &&
    [ "$(sqlite3 "$tmp/race.db" 'SELECT sum(attempts) FROM messages')" -eq $((2 * m)) ]
ok "the same $m messages racing in from two processes are registered once each" $?

# The year turns at local midnight (Asia/Ho_Chi_Minh), not at UTC's.
mkdir -p "$shm/s4"
"$LOAD" -d "$tmp/year.db" -s "$shm/s4" -t 4 -n 20 -p old -T 1798736399 &&	# 2026-12-31 23:59:59 +07
"$LOAD" -d "$tmp/year.db" -s "$shm/s4" -t 4 -n 30 -p new -T 1798736400 &&	# 2027-01-01 00:00:00 +07
    check "$tmp/year.db" "$shm/s4" "den/2026 count=20 max=20 distinct=20" \
	"den/2027 count=30 max=30 distinct=30" "check ok"
ok "the register year turns at local midnight and numbering restarts at 1" $?

# Crash at each fault point, at increasing depths.
mkdir -p "$shm/s3"
db=$tmp/crash.db
msgs=300
t=0
rounds=0
for point in register.begin register.numbered register.commit register.done; do
	for k in 1 7 40; do
		"$LOAD" -d "$db" -s "$shm/s3" -t 4 -n $msgs -p crash -T $T0 \
		    -k "$point:$k" >/dev/null 2>&1
		rc=$?
		rounds=$((rounds + 1))
		# 137: killed by SIGKILL as asked
		if [ $rc -ne 137 ] || ! check "$db" "$shm/s3" "check ok"; then
			echo "# $point:$k: exit $rc"
			sed 's/^/#   /' "$tmp/check.out"
			t=1
		fi
	done
done 2>/dev/null	# the shell's own "Killed" reports
ok "after kill -9 at every fault point ($rounds kills) the register has no gap, duplicate or orphan" $t

# kill -9 from outside at moments that vary, two writers at once.
t=0
killed=0
# More messages than a writer gets through before the last kill (0.5 s):
# the kill must find it mid-load however fast the register is.
ext=5000
for i in 1 2 3 4 5; do
	"$LOAD" -d "$db" -s "$shm/s3" -t 8 -n $ext -p "ext$i-a" -T $T0 >/dev/null 2>&1 &
	p1=$!
	"$LOAD" -d "$db" -s "$shm/s3" -t 8 -n $ext -p "ext$i-b" -T $T0 >/dev/null 2>&1 &
	p2=$!
	sleep "0.$((i * 3 % 5 + 1))"
	kill -9 $p1 $p2 2>/dev/null
	wait $p1; [ $? -eq 137 ] && killed=$((killed + 1))
	wait $p2; [ $? -eq 137 ] && killed=$((killed + 1))
	if ! check "$db" "$shm/s3" "check ok"; then
		sed 's/^/#   /' "$tmp/check.out"
		t=1
	fi
done 2>/dev/null
[ $killed -ge 5 ] || { echo "# only $killed writers were killed mid-load"; t=1; }
ok "after kill -9 of two writers under load the register is whole ($killed kills)" $t

# The MTA retries everything that was interrupted.
t=0
"$LOAD" -d "$db" -s "$shm/s3" -t 8 -n $msgs -p crash -T $T0 || t=1
for i in 1 2 3 4 5; do
	"$LOAD" -d "$db" -s "$shm/s3" -t 8 -n $ext -p "ext$i-a" -T $T0 || t=1
	"$LOAD" -d "$db" -s "$shm/s3" -t 8 -n $ext -p "ext$i-b" -T $T0 || t=1
done
all=$((msgs + 10 * ext))
[ $t -eq 0 ] &&
    check "$db" "$shm/s3" "den/2026 count=$all max=$all distinct=$all" "check ok" &&
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM messages')" -eq $all ]
ok "retried messages are registered exactly once each" $?

echo "1..$n"
[ $fails -eq 0 ]
