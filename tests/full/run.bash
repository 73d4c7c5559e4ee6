#!/bin/bash
# run.bash - the daemon when the spool's or the register's file system
# is full, another process holds the register, or its file is replaced.
#
# Two small tmpfs mounts: the Spool on 5 MB, the register on 2 MB.  A
# 6 MB message cannot be spooled, a 3.4 MB one can but its 2.5 MB
# document cannot be kept, and a register with no room cannot commit:
# each gets the outcome configured for it (451 by default, OnInternalError
# accept marks the message instead) and a log line naming the cause; so
# does a register whose write lock another process holds too long, or
# whose file was replaced while the daemon had it open.
# After each, the next message must be registered: what a failed
# message held in the spool is given back, the analysis worker that
# sent a document the daemon could not keep is still the same process,
# and the number a failed commit would have taken is the next one given,
# so the register has no gap.  Needs root (mount); skipped otherwise.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup full
pid=
mounts=()
holder=

cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	daemon_stop "$pid"
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	skip "the daemon with a full spool and a full register" "needs root to mount tmpfs"
	echo "1..$n"
	exit 0
fi

mkdir -p "$tmp/spoolfs" "$tmp/regfs"
mount -t tmpfs -o size=5m,mode=0755 tmpfs "$tmp/spoolfs" && mounts+=("$tmp/spoolfs") &&
	mount -t tmpfs -o size=2m,mode=0755 tmpfs "$tmp/regfs" && mounts+=("$tmp/regfs")
tap $? "a 5 MB spool and a 2 MB register file system are mounted" || exit 1
mkdir -m 0700 "$tmp/regfs/reg"
python3 "$top/tests/full/mkmsg.py" "$tmp/msg"
tap $? "the messages are written" || exit 1

conf() {	# conf [lines...]: writes $tmp/vanthu.conf
	{
		echo "Socket unix:$tmp/milter.sock"
		echo "Syslog no"
		echo "LogLevel info"
		echo "Spool $tmp/spoolfs/spool"
		echo "Database $tmp/regfs/reg/register.sqlite"
		echo "Domains binhdinh.gov.vn"
		echo "InternalHosts 10.0.0.0/8"
		echo "AnalysisWorkers 1"
		for l in "$@"; do echo "$l"; done
	} >"$tmp/vanthu.conf"
}
start() {
	daemon_start "$tmp/milter.log" "$tmp/vanthu.conf"
	tap $? "the daemon starts${1:+ $1}" || exit 1
	pid=$daemon_pid
}
send() {	# send FILE WANT SENTENCE
	run_lua "unix:$tmp/milter.sock" "$top/tests/milter/send.lua" -D file="$tmp/msg/$1" \
		-D qid="${1%.eml}" -D want="$2" -D say="$3"
}
logged() {	# logged TEXT: the daemon's log has a line with TEXT
	grep -qF -- "$1" "$tmp/milter.log"
}

year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
conf
start

send huge.eml internal "a 6 MB message on a 5 MB spool gets OnInternalError: 451 4.3.0"
logged 'failure="internal: cannot spool the message: No space left on device"'
tap $? "the log says the message could not be spooled, and why"
send small-1.eml "den/$year/1" "the next message is registered as den/$year/1: the failed one's spool file gave its space back"

worker=$(pgrep -P "$pid")
send big.eml internal "a 3.4 MB message whose 2.5 MB document does not fit gets OnInternalError: 451 4.3.0"
logged "failure=\"internal: cannot keep the documents: cannot write a document's file: No space left on device\""
tap $? "the log says the document could not be kept, and why"
[ -n "$worker" ] && [ "$(pgrep -P "$pid")" = "$worker" ] && ! logged "worker: pid $worker"
tap $? "the worker that sent that document is still the same process (pid ${worker:-none}): the daemon read its reply to the end"
send small-2.eml "den/$year/2" "the next message is registered as den/$year/2"

avail=$(df -k --output=avail "$tmp/regfs" | tail -1)
dd if=/dev/zero of="$tmp/regfs/filler" bs=1k count=$((avail - 4)) 2>/dev/null
send small-3.eml store "with the register's file system full, a message gets OnStoreError: 451 4.3.0"
logged 'failure="store: database or disk is full"'
tap $? "the log says the register could not record it, and why"
rm -f "$tmp/regfs/filler"
send small-3.eml "den/$year/3" "the same message retried once there is room is registered as den/$year/3, no number lost"

# A clerk's tool (or anything) holding the register's write lock past
# the busy timeout (10 s) is a store failure too, and costs no number.
python3 - "$tmp/regfs/reg/register.sqlite" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(12)
c.execute("ROLLBACK")
PY
holder=$!
sleep 0.5
send small-4.eml store "with the register's write lock held by another process past 10 s, a message gets OnStoreError: 451 4.3.0"
logged 'failure="store: database is locked by another process (waited 10.0 s)"'
tap $? "the log says who holds the register, and for how long it waited"
wait $holder
send small-4.eml "den/$year/4" "the same message retried once the lock is gone is registered as den/$year/4"

daemon_stop "$pid"
pid=
conf "OnInternalError accept"
start "with OnInternalError accept"
send huge.eml unexamined=internal "with OnInternalError accept, the message that cannot be spooled passes, marked unexamined=internal"
send small-5.eml "den/$year/5" "and the next one is registered as den/$year/5"
daemon_stop "$pid"
pid=

"$build/vanthu" -c "$tmp/vanthu.conf" list --json >"$tmp/list.json" 2>"$tmp/list.err"
python3 - "$tmp/list.json" "$year" "$tmp/spoolfs/spool" <<'PY'
import hashlib, json, os, sys
regs = json.load(open(sys.argv[1]))
got = sorted((r["number"], r["name"]) for r in regs)
want = [(i, "small-%d.pdf" % i) for i in (1, 2, 3, 4, 5)]
files = all(hashlib.sha256(open(os.path.join(sys.argv[3], r["sha256"][:2],
            r["sha256"][2:4], r["sha256"]), "rb").read()).hexdigest() == r["sha256"]
            for r in regs)
sys.exit(0 if got == want and files else 1)
PY
tap $? "the register holds den/$year/1 to 5, the five small documents, each file in the spool hashing to its name"

# A register file replaced under the running daemon (a backup restored
# without stopping it) takes no write: the old file is no longer read by
# anyone, and a restart would give its numbers out again.
start "to have its register replaced"
sqlite3 "$tmp/regfs/reg/register.sqlite" ".backup '$tmp/regfs/reg/restored.sqlite'" &&
	mv "$tmp/regfs/reg/restored.sqlite" "$tmp/regfs/reg/register.sqlite"
send small-6.eml store "with its register file replaced while open, a message gets OnStoreError: 451 4.3.0"
logged "failure=\"store: the register file $tmp/regfs/reg/register.sqlite was moved, replaced or deleted while open"
tap $? "the log says the register file was replaced and what to do"
daemon_stop "$pid"
pid=
start "again"
send small-6.eml "den/$year/6" "after a restart the message is registered in the restored file as den/$year/6, no number given twice"
daemon_stop "$pid"
pid=

echo "1..$n"
