#!/bin/bash
# run.bash - vanthu-milter behind a real Sendmail 8.17.
#
# Fetches Sendmail's Debian packages once (cached under build/cache/),
# runs a private Sendmail (sendmail.bash) that relays to an smtp-sink,
# and runs the assertions of tests/e2e/common.bash that the Postfix test
# runs too, then Sendmail's own: F=T answers 451 when vanthu is down.
# Stops what it started, by pid.
set -u
. "$(dirname "$0")/../lib.bash"
lib_setup sendmail
. "$top/tests/sendmail/sendmail.bash"
. "$top/tests/e2e/common.bash"
cache=${VANTHU_SENDMAIL_CACHE:-$top/build/cache/sendmail}

cleanup() {
	sm_stop "$tmp/sm"
	stop_milter
	if [ "$n" -eq 0 ] || grep -q "^not ok" "$tmp/tap" 2>/dev/null; then
		echo "# sendmail start:"; tail -20 "$tmp/sm/start.log" 2>/dev/null | sed 's/^/#   /'
		echo "# sink:"; tail -10 "$tmp/sm/sink.log" 2>/dev/null | sed 's/^/#   /'
		echo "# milter log:"; tail -30 "$tmp/milter.log" 2>/dev/null | sed 's/^/#   /'
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP a private Sendmail needs root (unshare, its queue)"
	exit 0
fi
for t in m4 unshare smtp-sink apt-get dpkg-deb; do
	if ! command -v "$t" >/dev/null; then
		echo "ok 1 - # SKIP $t is not installed"
		exit 0
	fi
done
if ! sm_fetch "$cache" "$tmp/root"; then
	echo "ok 1 - # SKIP the Sendmail packages cannot be downloaded (no network?)"
	exit 0
fi

mta_port() { echo "$port"; }
mta_mail_for() {	# the sink's file for a message to USER with SUBJECT
	local f
	for _ in $(seq "${E2E_WAIT:-100}"); do
		f=$(grep -l "^X-Rcpt-Args: <$1@binhdinh.gov.vn>" "$tmp/sm/sink/"* 2>/dev/null |
			xargs -r grep -l "^Subject: $2\$" | head -1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.1
	done
	return 1
}

e2e_messages
e2e_rules
port=$(free_port_pair)
start_milter "unix:$tmp/milter.sock"
tap $? "the milter starts on a unix socket Sendmail can reach"
started=$(date +%s)
sm_start "$tmp/sm" "$tmp/root" "$port" "local:$tmp/milter.sock"
tap $? "a private Sendmail $(cut -d- -f1 "$tmp/root/VERSION") starts on 127.0.0.1"
[ $(( $(date +%s) - started )) -lt 30 ]
tap $? "Sendmail starts without waiting for a host name lookup"

e2e_shared_tests Sendmail
f=$(mta_mail_for vanthu "Plain")
[ -n "$f" ] && grep -qE "by mx.binhdinh.gov.vn \(8\.17\.[0-9.]+/8\.17\.[0-9.]+/vanthu\)" "$f"
tap $? "the delivered copy was received by Sendmail 8.17 with the test's .cf"

# F=T: with the milter down, Sendmail answers 451 (4.3.2) and keeps nothing.
stop_milter
send plain.eml r.down
st=$?
[ "$st" -ne 0 ] && grep -q '^451 4.3.2' "$tmp/r.down"
tap $? "with the milter down, F=T makes Sendmail answer 451 4.3.2 (got: $(head -c 60 "$tmp/r.down"))"
