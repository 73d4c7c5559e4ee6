#!/bin/bash
# run.bash - what `make install` puts where, and that it runs.
#
# Installs the binaries of $VANTHU_BUILD (nothing is rebuilt) twice:
# into a DESTDIR with PREFIX=/usr, as a package would, to check the
# layout and `make uninstall`; and into a private PREFIX, SYSCONFDIR and
# LOCALSTATEDIR, where the installed daemon runs on the installed sample
# configuration and the unit verifies with systemd-analyze.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup install
pid=

cleanup() {
	daemon_stop "$pid"
	rm -rf "$tmp"
}
trap cleanup EXIT

mk() {	# mk TARGET VAR=VALUE...: make in the source tree, on $build
	make -s -C "$top" BUILD="$build" "$@" >>"$tmp/make.log" 2>&1
}

d=$tmp/dest
mk install DESTDIR="$d" PREFIX=/usr SYSCONFDIR=/etc
tap $? "make install into a DESTDIR succeeds"

missing=
for f in usr/sbin/vanthu-milter usr/bin/vanthu \
	usr/share/man/man8/vanthu-milter.8 usr/share/man/man5/vanthu.conf.5 \
	usr/share/man/man5/vanthu.rules.5 \
	etc/vanthu/vanthu.conf etc/vanthu/vanthu.conf.sample \
	etc/vanthu/rules.d/00-default.rules \
	usr/lib/systemd/system/vanthu-milter.service usr/lib/tmpfiles.d/vanthu.conf \
	usr/share/doc/vanthu/examples/postfix-main.cf \
	usr/share/doc/vanthu/examples/sendmail-vanthu.mc \
	usr/share/doc/vanthu/examples/rules/50-local.rules; do
	[ -f "$d/$f" ] || missing="$missing $f"
done
[ -z "$missing" ]
tap $? "binaries, man pages, sample configuration, rules, unit and examples are in place${missing:+ (missing:$missing)}"
for m in "$top"/contrib/man/*.[158]; do
	s=${m##*.}
	[ -f "$d/usr/share/man/man$s/${m##*/}" ] || missing="$missing ${m##*/}"
done
[ -z "$missing" ]
tap $? "every page of contrib/man is installed in its section${missing:+ (missing:$missing)}"
[ "$(stat -c %a "$d/usr/sbin/vanthu-milter")" = 755 ] &&
	[ "$(stat -c %a "$d/etc/vanthu/vanthu.conf")" = 644 ]
tap $? "the daemon is mode 0755 and the configuration 0644"
grep -qx "ExecStart=/usr/sbin/vanthu-milter -f -c /etc/vanthu/vanthu.conf" \
	"$d/usr/lib/systemd/system/vanthu-milter.service"
tap $? "the unit runs /usr/sbin/vanthu-milter -f on /etc/vanthu/vanthu.conf"

if command -v man >/dev/null; then
	warn=
	for m in "$d"/usr/share/man/man*/*; do
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		[ -n "$out" ] && warn="$warn ${m##*/}: $out"
	done
	[ -z "$warn" ]
	tap $? "the man pages render without warnings${warn:+ ($warn)}"
else
	tap 0 "# SKIP man is not installed"
fi

# Uninstall keeps a vanthu.conf the admin changed, and nothing else.
echo "Domains binhdinh.gov.vn" >>"$d/etc/vanthu/vanthu.conf"
mk uninstall DESTDIR="$d" PREFIX=/usr SYSCONFDIR=/etc
left=$(cd "$d" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./etc/vanthu/vanthu.conf " ]
tap $? "make uninstall removes everything but the edited vanthu.conf (left: $left)"

# A private prefix: the installed files name each other correctly.
p=$tmp/p
mk install PREFIX="$p/usr" SYSCONFDIR="$p/etc" LOCALSTATEDIR="$p/var"
tap $? "make install into a private prefix succeeds"
mkdir -p "$p/var/lib/vanthu"
chmod 0700 "$p/var/lib/vanthu"
"$p/usr/sbin/vanthu-milter" -n -c "$p/etc/vanthu/vanthu.conf" >"$tmp/n.out" 2>&1
st=$?
[ $st -eq 0 ] &&
	grep -qx "$p/etc/vanthu/vanthu.conf: configuration OK, [0-9]* rules from $p/etc/vanthu/rules.d" "$tmp/n.out"
tap $? "the installed daemon finds the installed sample configuration good with -n (status $st)"

"$p/usr/sbin/vanthu-milter" -f -c "$p/etc/vanthu/vanthu.conf" -p "unix:$tmp/milter.sock" \
	>"$tmp/milter.log" 2>&1 &
pid=$!
ok=1
for _ in $(seq 100); do
	grep -q "listening on unix:$tmp/milter.sock" "$tmp/milter.log" && { ok=0; break; }
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
tap $ok "the installed daemon starts on the installed sample configuration"
out=$(miltertest -D sock="unix:$tmp/milter.sock" -D lib="$top/tests/milter/lib.lua" \
	-D form=unix: -s "$top/tests/ops/roundtrip.lua" 2>&1)
[ "${out#ok - }" != "$out" ]
tap $? "it filters a message (${out%%$'\n'*})"
[ "$(stat -c %a "$p/var/spool/vanthu")" = 700 ]
tap $? "it created the installed spool, mode 0700"
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null
tap $? "it stops on SIGTERM"
pid=

# The backup unit's command, as installed, on the register the daemon made.
units=$p/usr/lib/systemd/system
cmd=$(sed -n 's/^ExecStart=//p' "$units/vanthu-backup.service")
mkdir -p "$p/var/backups"
out=$($cmd 2>&1)
st=$?
[ $st -eq 0 ] && [ "$cmd" = "$p/usr/bin/vanthu -c $p/etc/vanthu/vanthu.conf backup $p/var/backups/vanthu" ] &&
	[ "$out" = "$p/var/backups/vanthu/register.sqlite: the register; 0 documents: 0 copied, 0 there already" ] &&
	[ "$(stat -c %a "$p/var/backups/vanthu")" = 700 ]
tap $? "the backup unit's command backs up the installed register into a private directory ($out)"

unit=$units/vanthu-milter.service
if command -v systemd-analyze >/dev/null; then
	MANPATH=$p/usr/share/man systemd-analyze verify "$unit" "$units/vanthu-backup.service" \
		"$units/vanthu-backup.timer" >"$tmp/verify.out" 2>&1
	st=$?
	[ $st -eq 0 ] && [ ! -s "$tmp/verify.out" ]
	tap $? "systemd-analyze verify accepts the installed units, their commands and man pages ($(head -c 100 "$tmp/verify.out"))"
	score=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
		sed -n 's/.*Overall exposure level for vanthu-milter.service: \([0-9.]*\).*/\1/p')
	echo "# systemd-analyze security: exposure $score"
	[ -n "$score" ] && awk "BEGIN { exit !($score < 2.5) }"
	tap $? "systemd-analyze security rates the unit's exposure below 2.5 (got ${score:-nothing})"
else
	tap 0 "# SKIP systemd-analyze is not installed"
fi

# The Postfix snippet, as an admin pastes it, parses without a warning.
if command -v postconf >/dev/null; then
	mkdir -p "$tmp/postfix"
	cp "$p/usr/share/doc/vanthu/examples/postfix-main.cf" "$tmp/postfix/main.cf"
	: >"$tmp/postfix/master.cf"
	sed -n 's/^#\(submission \|  -o \)/\1/p' "$tmp/postfix/main.cf" >>"$tmp/postfix/master.cf"
	out=$(postconf -c "$tmp/postfix" -h smtpd_milters non_smtpd_milters milter_protocol \
		milter_default_action milter_mail_macros milter_end_of_data_macros 2>&1)
	sub=$(postconf -c "$tmp/postfix" -P submission/inet/smtpd_milters 2>&1)
	[ "$out" = "inet:127.0.0.1:8892, { inet:127.0.0.1:8893, default_action = accept }, { inet:127.0.0.1:8891, default_action = tempfail }
{ inet:127.0.0.1:8891, default_action = tempfail }, inet:127.0.0.1:8892
6
tempfail
i {auth_authen} {auth_type} {mail_addr}
i" ] && [ "$sub" = "submission/inet/smtpd_milters = { inet:127.0.0.1:8891, default_action = tempfail }, inet:127.0.0.1:8892" ]
	tap $? "postconf reads the Postfix example: vanthu after the verifiers inbound, before the signer outbound"
else
	tap 0 "# SKIP postconf is not installed"
fi

mk uninstall PREFIX="$p/usr" SYSCONFDIR="$p/etc" LOCALSTATEDIR="$p/var"
# The register the daemon created and its backup are the agency's data:
# uninstall keeps them.
[ -f "$p/var/lib/vanthu/register.sqlite" ] && [ -f "$p/var/backups/vanthu/register.sqlite" ]
tap $? "make uninstall keeps the register the daemon created, and its backup"
left=$(cd "$p" && find . -type f ! -path './var/lib/vanthu/register.sqlite*' \
	! -path './var/backups/vanthu/register.sqlite' | sort | tr '\n' ' ')
[ -z "$left" ]
tap $? "make uninstall of an unchanged installation leaves no other file (left: $left)"
