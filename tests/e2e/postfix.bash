# postfix.bash - a private Postfix instance for end-to-end tests.
#
# pf_start DIR PORT MILTER [USER...] starts a Postfix whose configuration,
# queue, data and mail directories all live under DIR, listening on
# 127.0.0.1:PORT, with smtpd_milters = MILTER and
# milter_default_action = tempfail.  Mail for binhdinh.gov.vn is delivered
# by virtual(8) into DIR/mail/<user>/ (Maildir) for the users vanthu, lead,
# coop and each USER given; anything else goes to an smtp-sink on PORT+1
# that writes each message to DIR/sink/.
# With PF_RELAYHOST=[127.0.0.1]:PORT in the environment the instance is a
# relay instead: it delivers nothing itself, starts no sink and hands all
# mail, binhdinh.gov.vn included, to that host, queueing and retrying
# what it refuses with 4xx (MILTER may then be empty: no milter).
# With PF_CHROOT=y smtpd and cleanup run chrooted in DIR/queue, as
# Debian's master.cf has them.
# pf_stop DIR stops that instance by its master's pid, and nothing else:
# a system Postfix on the same machine is never touched.

pf_start() {
	local dir=$1 port=$2 milter=$3 sinkport=$(($2 + 1)) uid gid u
	local vdomains=binhdinh.gov.vn relay
	shift 3
	uid=$(id -u nobody)
	gid=$(id -g nobody)
	mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/mail" "$dir/sink"
	chown postfix "$dir/data"
	chown nobody:nogroup "$dir/mail" "$dir/sink"
	: >"$dir/maillog"
	relay="[127.0.0.1]:$sinkport"
	if [ -n "${PF_RELAYHOST:-}" ]; then
		relay=$PF_RELAYHOST
		vdomains=
	fi
	cat >"$dir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.binhdinh.gov.vn
mydomain = binhdinh.gov.vn
myorigin = binhdinh.gov.vn
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
virtual_mailbox_domains = $vdomains
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = texthash:$dir/etc/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
relayhost = $relay
smtp_host_lookup = native
disable_dns_lookups = yes
smtpd_milters = $milter
non_smtpd_milters = $milter
milter_protocol = 6
milter_default_action = tempfail
milter_connect_timeout = 10s
milter_command_timeout = 30s
milter_content_timeout = 60s
milter_mail_macros = i {auth_authen} {auth_type} {mail_addr}
milter_end_of_data_macros = i
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
biff = no
CF
	cat >"$dir/etc/vmailbox" <<VM
vanthu@binhdinh.gov.vn vanthu/
lead@binhdinh.gov.vn lead/
coop@binhdinh.gov.vn coop/
VM
	for u in "$@"; do echo "$u@binhdinh.gov.vn $u/"; done >>"$dir/etc/vmailbox"
	cat >"$dir/etc/master.cf" <<MC
127.0.0.1:$port inet n - ${PF_CHROOT:-n} - - smtpd
pickup    unix n - n 60 1 pickup
cleanup   unix n - ${PF_CHROOT:-n} - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
local     unix - n n - - local
virtual   unix - n n - - virtual
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
MC
	# exec, so that the pid recorded is smtp-sink's (setsid forked, and
	# pf_stop then missed the sink).
	if [ -z "${PF_RELAYHOST:-}" ]; then
		(cd "$dir/sink" && exec smtp-sink -u nobody -d "%Y%m%d%H/%M." -c "127.0.0.1:$sinkport" 100) \
			>"$dir/sink.log" 2>&1 </dev/null &
		echo $! >"$dir/sink.pid"
	fi
	postfix -c "$dir/etc" check >>"$dir/start.log" 2>&1 || { script -qc "postfix -c $dir/etc check" /dev/null >>"$dir/start.log"; return 1; }
	postfix -c "$dir/etc" start >>"$dir/start.log" 2>&1 || return 1
	for _ in $(seq 100); do
		[ -s "$dir/queue/pid/master.pid" ] &&
			python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	return 1
}

pf_stop() {
	local dir=$1 pid
	if [ -s "$dir/queue/pid/master.pid" ]; then
		pid=$(tr -d ' ' <"$dir/queue/pid/master.pid")
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	fi
	[ -s "$dir/sink.pid" ] && kill -TERM "$(cat "$dir/sink.pid")" 2>/dev/null
	return 0
}

# pf_wait_mail DIR USER N: wait until USER's Maildir holds N messages.
pf_wait_mail() {
	local dir=$1 user=$2 want=$3
	for _ in $(seq 100); do
		[ "$(ls "$dir/mail/$user/new" 2>/dev/null | wc -l)" -ge "$want" ] && return 0
		sleep 0.1
	done
	return 1
}
