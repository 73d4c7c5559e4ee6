#!/bin/bash
# run.bash - the spool and a backup on a file system without unnamed files.
#
# NFS cannot hold unnamed files (O_TMPFILE); a FUSE mount cannot either
# and needs no server: bindfs, from Debian, shows a local directory
# through FUSE.  With its Spool on such a mount the daemon takes the
# registration script of tests/milter and the benchmark's three-document
# message (a PDF, a DOCX and an ODT, each over 64 KB); every registered
# document must then be in the spool under its SHA-256, nothing else
# left beside them.  `vanthu backup` into the mount must copy what it
# copies to a local disk, and leave no temporary file when a document
# is damaged.  Needs root and /dev/fuse; skipped without them.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup fuse
pid=
mnt=$tmp/mnt
disk=$tmp/disk

cleanup() {
	daemon_stop "$pid"
	if mountpoint -q "$mnt" 2>/dev/null; then
		umount "$mnt" 2>/dev/null || fusermount -u "$mnt" 2>/dev/null
	fi
	mountpoint -q "$mnt" 2>/dev/null || rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ] || ! command -v bindfs >/dev/null; then
	skip "a spool and a backup on a file system without unnamed files" \
		"needs root, /dev/fuse and bindfs"
	echo "1..$n"
	exit 0
fi

# registered DIR: the SHA-256 of every file under DIR/ab/cd/ that hashes
# to its own name and sits where its name says, one a line, sorted.
registered() {
	(cd "$1" && find . -type f -path './??/??/*' | while read -r f; do
		h=${f##*/}
		[ "$(sha256sum <"$f" | cut -c1-64)" = "$h" ] &&
			[ "${f#./}" = "$(echo "$h" | cut -c1-2)/$(echo "$h" | cut -c3-4)/$h" ] &&
			echo "$h"
	done | sort)
}

mkdir -p "$disk" "$mnt"
bindfs "$disk" "$mnt"
tap $? "bindfs shows $disk at $mnt through FUSE" || exit 1
python3 - "$mnt" <<'PY'
import errno, os, sys
try:
    os.close(os.open(sys.argv[1], os.O_TMPFILE | os.O_RDWR, 0o600))
except OSError as e:
    sys.exit(0 if e.errno == errno.EOPNOTSUPP else 1)
sys.exit(1)
PY
tap $? "the mount refuses unnamed files (O_TMPFILE: EOPNOTSUPP), as NFS does"

cat >"$tmp/vanthu.conf" <<EOF
Socket unix:$tmp/milter.sock
Syslog no
LogLevel info
Spool $mnt/spool
Database $tmp/register.sqlite
Domains binhdinh.gov.vn
OfficialDomains *.gov.vn
InternalHosts 10.0.0.0/8
AnalysisWorkers 1
EOF
daemon_start "$tmp/milter.log" "$tmp/vanthu.conf"
tap $? "the daemon starts with its spool on the mount" || exit 1
pid=$daemon_pid

year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
run_lua "unix:$tmp/milter.sock" "$top/tests/milter/register.lua" -D year="$year"
python3 "$top/tests/bench/make_messages.py" "$tmp/msg" >/dev/null &&
	echo "$tmp/msg/docs3.eml" >"$tmp/list"
run_lua "unix:$tmp/milter.sock" "$top/tests/hostile/sendfiles.lua" -D list="$tmp/list"
daemon_stop "$pid"
pid=

V() { "$build/vanthu" -c "$tmp/vanthu.conf" "$@"; }
V list --json | python3 -c 'import json, sys
print("\n".join(sorted({e["sha256"] for e in json.load(sys.stdin)})))' >"$tmp/exp"
registered "$disk/spool" >"$tmp/act"
[ "$(wc -l <"$tmp/exp")" -eq 6 ] && cmp -s "$tmp/exp" "$tmp/act"
tap $? "the six registered documents are in the spool under their SHA-256, bytes hashing to the name, and no other"
left=$(cd "$disk/spool" && find . -type f ! -path './??/??/*')
[ -z "$left" ]
tap $? "nothing else is left in the spool once the daemon stopped${left:+: $left}"

V backup "$mnt/bk" >"$tmp/out" 2>&1
echo "rc=$?" >>"$tmp/out"
printf '%s/bk/register.sqlite: the register; 6 documents: 6 copied, 0 there already\nrc=0\n' \
	"$mnt" | cmp -s - "$tmp/out"
tap $? "vanthu backup into the mount copies the register and the six documents" ||
	sed 's/^/#   /' "$tmp/out"
sqlite3 "$tmp/register.sqlite" .dump >"$tmp/dump.exp"
sqlite3 "$disk/bk/register.sqlite" .dump >"$tmp/dump.act"
cmp -s "$tmp/dump.exp" "$tmp/dump.act"
tap $? "the copied register holds what the register holds (sqlite3 .dump of both)"
registered "$disk/bk" >"$tmp/act"
left=$(cd "$disk/bk" && find . -type f ! -path './??/??/*' ! -name register.sqlite)
cmp -s "$tmp/exp" "$tmp/act" && [ -z "$left" ]
tap $? "each document is in the backup under its SHA-256, and no temporary file beside them${left:+: $left}"
V backup "$mnt/bk" >"$tmp/out" 2>&1
printf '%s/bk/register.sqlite: the register; 6 documents: 0 copied, 6 there already\n' "$mnt" |
	cmp -s - "$tmp/out"
tap $? "a second backup into the mount copies nothing"

dmg=$(head -1 "$tmp/exp")
dmgf=$disk/spool/$(echo "$dmg" | cut -c1-2)/$(echo "$dmg" | cut -c3-4)/$dmg
printf 'X' | dd of="$dmgf" bs=1 seek=10 conv=notrunc 2>/dev/null
got=$(sha256sum <"$dmgf" | cut -c1-64)
V backup "$mnt/bk2" >"$tmp/out" 2>&1
echo "rc=$?" >>"$tmp/out"
{
	echo "vanthu: backup: $mnt/spool/$(echo "$dmg" | cut -c1-2)/$(echo "$dmg" | cut -c3-4)/$dmg: damaged in the spool (SHA-256 $got, registered $dmg)"
	echo "$mnt/bk2/register.sqlite: the register; 6 documents: 5 copied, 0 there already, 1 not copied"
	echo "rc=1"
} | cmp -s - "$tmp/out"
tap $? "a damaged document is reported and not copied" || sed 's/^/#   /' "$tmp/out"
left=$(cd "$disk/bk2" && find . -type f ! -path './??/??/*' ! -name register.sqlite)
[ "$(find "$disk/bk2" -type f -path '*/??/??/*' | wc -l)" -eq 5 ] && [ -z "$left" ]
tap $? "its temporary file is removed: five documents and the register, nothing else${left:+: $left}"

echo "1..$n"
