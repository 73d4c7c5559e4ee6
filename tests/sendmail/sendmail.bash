# sendmail.bash - a private Sendmail 8.17 for end-to-end tests.
#
# Debian's sendmail packages conflict with Postfix, so nothing is
# installed: sm_fetch downloads sendmail-bin, sendmail-base, sendmail-cf
# and libwrap0 with `apt-get download` into a cache directory (kept across
# runs) and unpacks them with `dpkg-deb -x` into a private root.
#
# sm_start DIR ROOT PORT MILTER builds DIR/etc/sendmail.cf from an .mc
# with m4 and the unpacked cf.m4, and runs the daemon on 127.0.0.1:PORT
# with its own queue, pid, alias, hosts and service-switch files under DIR,
# filtering through the milter at MILTER (a Sendmail socket: local:/path or
# inet:port@host) as contrib/sendmail/vanthu.mc says (F=T), and relaying every message to an smtp-sink on
# PORT+1 that writes each one to DIR/sink/.  sm_stop DIR stops that
# daemon and sink by their pids, and nothing else.
#
# Pitfalls of Debian 12 that these functions avoid:
#  - the binary is setgid smmsp, so the loader ignores LD_LIBRARY_PATH
#    (needed for the unpacked libwrap0): run a private copy without g+s;
#  - when the host name has no dot and does not resolve, every start
#    waits 60 s for it: run under `unshare --uts` with a dotted name;
#  - an alias file under a world-writable (sticky) directory is refused
#    unless DontBlameSendmail=TrustStickyBit;
#  - bare LF in SMTP data is refused: send CRLF (send.py does).

SM_PKGS="sendmail-bin sendmail-base sendmail-cf libwrap0"

sm_fetch() {	# sm_fetch CACHE ROOT: 0, or 1 when the packages cannot be had
	local cache=$1 root=$2 p have
	mkdir -p "$cache" "$root"
	for p in $SM_PKGS; do
		have=$(ls "$cache/${p}_"*.deb 2>/dev/null | head -1)
		if [ -z "$have" ]; then
			# A machine whose package lists were cleaned knows no
			# package: refresh them once.
			(cd "$cache" && apt-get download -q "$p" >>"$cache/fetch.log" 2>&1) ||
			{ apt-get update -q >>"$cache/fetch.log" 2>&1 &&
			  (cd "$cache" && apt-get download -q "$p" >>"$cache/fetch.log" 2>&1); } ||
				return 1
			have=$(ls "$cache/${p}_"*.deb 2>/dev/null | head -1)
			[ -n "$have" ] || return 1
		fi
		dpkg-deb -x "$have" "$root" || return 1
		[ "$p" = sendmail-bin ] && dpkg-deb -f "$have" Version >"$root/VERSION"
	done
	[ -x "$root/usr/libexec/sendmail/sendmail" ] &&
		[ -f "$root/usr/share/sendmail/cf/m4/cf.m4" ]
}

sm_mc() {	# sm_mc DIR ROOT PORT MILTER: the .mc on stdout
	local dir=$1 root=$2 port=$3 milter=$4 sink=$(($3 + 1))
	cat <<MC
divert(-1)
# A private Sendmail for the vanthu tests: everything under $dir.
divert(0)dnl
include(\`$root/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(\`vanthu test')dnl
OSTYPE(\`linux')dnl
define(\`confCF_VERSION', \`vanthu')dnl
define(\`QUEUE_DIR', \`$dir/queue')dnl
define(\`STATUS_FILE', \`$dir/statistics')dnl
define(\`ALIAS_FILE', \`$dir/etc/aliases')dnl
define(\`confPID_FILE', \`$dir/sendmail.pid')dnl
define(\`confCW_FILE', \`-o $dir/etc/local-host-names')dnl
define(\`confCT_FILE', \`-o $dir/etc/trusted-users')dnl
define(\`HELP_FILE', \`$dir/etc/helpfile')dnl
define(\`confSERVICE_SWITCH_FILE', \`$dir/etc/service.switch')dnl
define(\`confHOSTS_FILE', \`$dir/etc/hosts')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`confBIND_OPTS', \`-DNSRCH -DEFNAMES')dnl
define(\`confTO_CONNECT', \`5s')dnl
define(\`confDELIVERY_MODE', \`background')dnl
define(\`SMART_HOST', \`[127.0.0.1]')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $sink')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $sink')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`accept_unresolvable_domains')dnl
DAEMON_OPTIONS(\`Port=$port, Addr=127.0.0.1, Name=MTA')dnl
MC
	# The snippet admins copy, with the test's socket.
	sed "s|S=inet:8891@127.0.0.1|S=$milter|" "$top/contrib/sendmail/vanthu.mc"
	cat <<MC
MAILER(\`smtp')dnl
MC
}

sm_start() {	# sm_start DIR ROOT PORT MILTER
	local dir=$1 root=$2 port=$3 milter=$4 sink=$(($3 + 1)) uid
	mkdir -p "$dir/etc" "$dir/queue" "$dir/sink"
	chmod 0700 "$dir/queue"
	chown nobody "$dir/sink"
	: >"$dir/etc/local-host-names"
	: >"$dir/etc/trusted-users"
	: >"$dir/etc/helpfile"
	: >"$dir/statistics"
	printf 'hosts files\naliases files\n' >"$dir/etc/service.switch"
	printf '127.0.0.1 localhost mx.binhdinh.gov.vn\n' >"$dir/etc/hosts"
	printf 'postmaster: root\n' >"$dir/etc/aliases"
	sm_mc "$dir" "$root" "$port" "$milter" >"$dir/etc/sendmail.mc"
	m4 "$dir/etc/sendmail.mc" >"$dir/etc/sendmail.cf" 2>"$dir/m4.log" || return 1
	cp "$root/usr/libexec/sendmail/sendmail" "$dir/sendmail"
	chmod g-s "$dir/sendmail"

	# exec, so that the pid recorded is smtp-sink's (setsid would fork).
	(cd "$dir/sink" && exec smtp-sink -u nobody -d "%H%M%S." -c "127.0.0.1:$sink" 100) \
		>"$dir/sink.log" 2>&1 </dev/null &
	echo $! >"$dir/sink.pid"
	LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" \
	unshare --uts sh -c 'hostname mx.binhdinh.gov.vn &&
		"$1/sendmail" -C "$1/etc/sendmail.cf" -bi &&
		exec "$1/sendmail" -C "$1/etc/sendmail.cf" -bd -q5s -L vanthu-test-sendmail' \
		sm "$dir" >"$dir/start.log" 2>&1 || return 1
	for _ in $(seq 100); do
		[ -s "$dir/sendmail.pid" ] &&
			python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	return 1
}

sm_stop() {	# sm_stop DIR
	local dir=$1 pid
	if [ -s "$dir/sendmail.pid" ]; then
		pid=$(head -1 "$dir/sendmail.pid")
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	fi
	[ -s "$dir/sink.pid" ] && kill -TERM "$(cat "$dir/sink.pid")" 2>/dev/null
	return 0
}
