# common.bash - what the Postfix and the Sendmail end-to-end tests share.
#
# The caller runs lib_setup (tests/lib.bash), sources this file, and
# defines two functions for its MTA:
#	mta_port			the SMTP port the MTA listens on
#	mta_mail_for USER SUBJECT	print the file holding the copy of the
#					message SUBJECT delivered to
#					USER@binhdinh.gov.vn; wait up to
#					E2E_WAIT tenths of a second (100),
#					return 1 when none came
# Then e2e_messages writes the test messages, e2e_rules the rules
# directory, start_milter runs vanthu-milter, and e2e_shared_tests runs
# the assertions every MTA must pass, by the same sentences.

milter_pid=

# The rules: the built-in policies and the two rules of the tests.
e2e_rules() {
	mkdir -p "$tmp/rules"
	cp "$top/rules/default.rules" "$tmp/rules/00-default.rules"
	cp "$top/tests/e2e/rules/50-e2e.rules" "$tmp/rules/50-e2e.rules"
}

start_milter() {	# start_milter SOCKET [extra configuration lines...]
	local sock=$1
	shift
	{
		echo "Socket $sock"
		echo "SocketMode 0660"
		getent group postfix >/dev/null && echo "SocketGroup postfix"
		echo "Syslog no"
		echo "Spool $tmp/spool"
		echo "Database $tmp/register.sqlite"
		echo "Rules $tmp/rules"
		echo "Domains binhdinh.gov.vn"
		echo "InternalHosts 10.0.0.0/8"
		echo "AnalysisWorkers 2"
		for l in "$@"; do echo "$l"; done
	} >"$tmp/vanthu.conf"
	daemon_start "$tmp/milter.log" "$tmp/vanthu.conf" "$sock"
	local st=$?
	milter_pid=$daemon_pid
	return $st
}

stop_milter() {
	daemon_stop "$milter_pid"
	milter_pid=
}

# The messages, written by Python's email package (CRLF, as SMTP wants).
e2e_messages() {
	python3 - "$tmp" <<'PY'
import sys
from email.message import EmailMessage
from email.policy import SMTP
d = sys.argv[1]
def msg(subject, forged=False, pdf=False):
    m = EmailMessage(policy=SMTP)
    m["From"] = "Van thu <vanthu@sonoi.gov.vn>"
    m["To"] = "vanthu@binhdinh.gov.vn"
    m["Subject"] = subject
    if forged:
        # Two of one name: Postfix renumbers those left after a removal.
        m["X-Vanthu-Status"] = "direction=inbound official=yes documents=7"
        m["x-vanthu-status"] = "direction=inbound official=yes documents=8"
    m.set_content("Kinh gui.\n")
    if pdf:
        m.add_attachment(b"%PDF-1.4\n%test\n", maintype="application",
                         subtype="pdf", filename="cv15.pdf")
    return bytes(m)
open(d + "/plain.eml", "wb").write(msg("Plain", forged=True))
open(d + "/pdf.eml", "wb").write(msg("Cong van", pdf=True))
open(d + "/reject.eml", "wb").write(msg("Cong van REJECT-ME"))
open(d + "/route.eml", "wb").write(msg("Cong van ROUTE-ME"))
PY
}

send() {	# send EML OUT: SMTP to the MTA, the final reply into OUT
	"$top/tests/e2e/send.py" "$(mta_port)" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/$1" >"$tmp/$2"
}

# The assertions every MTA passes with vanthu-milter running; NAME is the
# MTA's name for the sentences.
e2e_shared_tests() {
	local name=$1 f

	send plain.eml r.plain
	tap $? "$name accepts a plain message through the milter"
	f=$(mta_mail_for vanthu "Plain")
	[ -n "$f" ] && [ "$(grep -ci '^X-Vanthu-Status:' "$f")" -eq 1 ] &&
		grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=0$' "$f"
	tap $? "$name delivers it with one status header, ours, and neither forged one"

	send pdf.eml r.pdf
	tap $? "$name accepts a message with a PDF attachment"
	f=$(mta_mail_for vanthu "Cong van")
	[ -n "$f" ] && grep -q '^X-Vanthu-Status: direction=inbound official=yes documents=1$' "$f"
	tap $? "$name delivers it with a status header that counts one document"

	send reject.eml r.reject
	[ $? -eq 1 ] && [ "$(cat "$tmp/r.reject")" = "550 5.7.1 Refused by the vanthu test rule" ]
	tap $? "a rule's reject reaches the $name client with its code and text (got: $(head -c 60 "$tmp/r.reject"))"
	send route.eml r.route
	tap $? "$name accepts a message a rule routes"
	f=$(mta_mail_for lead "Cong van ROUTE-ME")
	[ -n "$f" ]
	tap $? "$name delivers the routed message to the recipient the rule added"
	f=$(mta_mail_for vanthu "Cong van ROUTE-ME")
	[ -n "$f" ]
	tap $? "$name still delivers the routed message to its first recipient"
	# Later messages have arrived: the rejected one would have by now.
	! E2E_WAIT=1 mta_mail_for vanthu "Cong van REJECT-ME" >/dev/null
	tap $? "$name delivers nothing of the rejected message"

	grep -qE "^[0-9T:.-]+ vanthu-milter\[[0-9]+\]: [0-9A-Za-z]{6,}: direction=inbound from=<vanthu@sonoi.gov.vn> rcpts=1 official=yes .* documents=1 skipped=0 outcome=accept" "$tmp/milter.log"
	tap $? "the milter logs each message under the $name queue id, key=value"
	grep -qE ": [0-9A-Za-z]{6,}: direction=inbound .* outcome=reject reply=\"550 5.7.1 Refused by the vanthu test rule\"" "$tmp/milter.log"
	tap $? "the milter logs the reject with its reply"
}
