# mta.bash - part 2 of tests/rulelive: the rules through a real Postfix.
#
# Sourced by run.bash (its tap, write_conf, start, rules_dir and $tmp).
# A private Postfix (tests/e2e/postfix.bash) hands its mail to a daemon
# running the shipped default.rules and a local routing rule, on a unix
# socket Postfix can reach.  InternalHosts is 127.0.0.1 alone, so a client
# on 127.0.0.1 is the agency sending out, and a client on 127.0.0.2 (the
# whole of 127/8 is local on Linux) is the Internet sending in.
#
# How a refusal becomes a bounce: a message refused while the client is
# still in the SMTP dialogue gets the 550 reply, not a bounce; that is the
# first test.  The sender's bounce is shown with local submission: the
# sender hands the message to Postfix's own sendmail(1), which queues it
# through pickup(8) and cleanup(8); cleanup asks the milter
# (non_smtpd_milters), and a refusal there can no longer be answered to
# anybody but the sender, so Postfix returns the message to them as a
# non-delivery report, which lands in the sender's own mailbox here.

mta_cleanup() {
	[ -n "${mta_dir:-}" ] && pf_stop "$mta_dir"
	if [ -n "${mta_dir:-}" ] && [ "${mta_failed:-0}" -ne 0 ]; then
		echo "# postfix log:"; tail -40 "$mta_dir/maillog" 2>/dev/null | sed 's/^/#   /'
		echo "# milter log:"; tail -20 "$tmp/mta.log" 2>/dev/null | sed 's/^/#   /'
	fi
}

mta_tap() {	# tap, remembering a failure for the logs at the end
	[ "$1" -eq 0 ] || mta_failed=1
	tap "$@"
}

# mta_mail USER N: wait until USER's Maildir holds N messages; print the
# newest file.
mta_mail() {
	pf_wait_mail "$mta_dir" "$1" "$2" || return 1
	ls -t "$mta_dir/mail/$1/new/"* | head -1
}

mta_messages() {
	python3 - "$tmp" <<'EOPY'
import sys
from email.message import EmailMessage
d = sys.argv[1]
pdf = b"%PDF-1.4\n%%EOF\n"

def msg(frm, to, subject, name):
    m = EmailMessage()
    m["From"] = frm
    m["To"] = to
    m["Subject"] = subject
    m.set_content("Kinh gui.\n")
    if name:
        m.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
        # Python writes a non-ASCII name as RFC 2231; send it as raw
        # UTF-8, as many clients do (RFC 2231 names are the MIME part's
        # business, not the rules').
        part = m.get_payload()[1]
        del part["Content-Disposition"]
        part["Content-Disposition"] = 'attachment; filename="%s"' % name
    return m

def save(name, m, utf8=True):
    open(d + "/" + name + ".eml", "wb").write(m.as_bytes(policy=m.policy.clone(utf8=utf8)))

save("out-secret", msg("Phong TH <staff@binhdinh.gov.vn>", "x@example.com",
                       "Bao cao", "Báo cáo MẬT.pdf"))
save("out-plain", msg("Phong TH <staff@binhdinh.gov.vn>", "x@example.com",
                      "Bao cao", "Báo cáo năm.pdf"))
save("in-secret", msg("Van thu <vanthu@sonoi.gov.vn>", "vanthu@binhdinh.gov.vn",
                      "Cong van", "Công văn TỐI MẬT 5.pdf"))
m = msg("Nguoi la <a@example.com>", "vanthu@binhdinh.gov.vn", "Bao cao", None)
m.add_attachment(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" +
                 b"\x00" * 40, maintype="application", subtype="pdf", filename="bao-cao.pdf")
save("in-program", m)
m = msg("Van thu <vanthu@sonoi.gov.vn>", "vanthu@binhdinh.gov.vn", "Cong van 16", None)
m["X-Maintenance"] = "yes"
save("in-later", m)
save("in-unsigned", msg("Van thu <vanthu@sonoi.gov.vn>", "vanthu@binhdinh.gov.vn",
                        "Cong van 15", "cv15.pdf"))
save("in-decision", msg("Van thu <vanthu@sonoi.gov.vn>", "vanthu@binhdinh.gov.vn",
                        "Quyết định số 15/QĐ-UBND về việc phê duyệt kế hoạch phòng chống "
                        "thiên tai năm 2026", "qd15.pdf"), utf8=False)
EOPY
}

mta_tests() {
	local port sock d f qid
	if [ "$(id -u)" -ne 0 ]; then
		skip "Postfix: the rules through a real Postfix" "a private Postfix needs root"
		return 0
	fi
	. "$top/tests/e2e/postfix.bash"
	mta_dir="$tmp/pf"
	mta_messages
	d=$(rules_dir mta "$top/rules/default.rules")
	mv "$d/default.rules" "$d/00-default.rules"
	cat >"$d/50-route.rules" <<'RULES'
rule route-decisions {
	when direction is inbound and subject contains folded "quyet dinh";
	route "lead@binhdinh.gov.vn" with "coop@binhdinh.gov.vn";
	header "X-Vanthu-Route" "lead@binhdinh.gov.vn";
	header "X-Vanthu-Category" "Quyết định";
	prefix-subject "[QUYẾT ĐỊNH] ";
}
rule maintenance {
	when header "X-Maintenance" exists;
	tempfail 451 4.3.2 "He thong dang bao tri / Under maintenance, try again later";
}
RULES
	sock="unix:$tmp/mta.sock"
	write_conf "$tmp/mta.conf" "$sock" "$d" "SocketMode 0660" "SocketGroup postfix"
	sed -i 's/^InternalHosts .*/InternalHosts 127.0.0.1/' "$tmp/mta.conf"
	start mta "$tmp/mta.conf" || { mta_tap 1 "Postfix: the milter starts"; return 1; }
	port=$(free_port_pair)
	pf_start "$mta_dir" "$port" "$sock" staff
	mta_tap $? "Postfix: a private instance starts with the milter"

	# Outbound secret over SMTP: the client is told, at once.
	"$top/tests/e2e/send.py" "$port" staff@binhdinh.gov.vn x@example.com \
		"$tmp/out-secret.eml" >"$tmp/r-out-secret"
	[ $? -eq 1 ] && grep -qx "550 5.7.1 Van ban mat khong duoc gui qua Internet / Secret document may not be sent over Internet mail" "$tmp/r-out-secret"
	mta_tap $? "Postfix: an SMTP client sending a secret document outside gets 550 5.7.1 (got: $(head -c 80 "$tmp/r-out-secret"))"
	"$top/tests/e2e/send.py" "$port" staff@binhdinh.gov.vn x@example.com \
		"$tmp/out-plain.eml" >"$tmp/r-out-plain"
	mta_tap $? "Postfix: the same message without the secret mark is accepted for the outside"
	for _ in $(seq 100); do
		grep -rlq '^X-Vanthu-Status: direction=outbound official=yes documents=1' "$mta_dir/sink" 2>/dev/null && break
		sleep 0.1
	done
	grep -rlq '^X-Vanthu-Status: direction=outbound official=yes documents=1' "$mta_dir/sink"
	mta_tap $? "Postfix: it reaches the outside relay, marked outbound by the milter"

	# Outbound secret by local submission: the sender gets a bounce.
	sendmail -C "$mta_dir/etc" -f staff@binhdinh.gov.vn x@example.com <"$tmp/out-secret.eml"
	mta_tap $? "Postfix: sendmail(1) takes a secret document for the outside into the queue"
	f=$(mta_mail staff 1)
	[ -n "$f" ] && python3 - "$f" <<'EOPY2'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r"\n[ \t]+", " ", t)	# unfold
want = [
    "From: Mail Delivery System <MAILER-DAEMON@binhdinh.gov.vn>",
    "To: staff@binhdinh.gov.vn",
    "Subject: Undelivered Mail Returned to Sender",
    "Final-Recipient: rfc822; x@example.com",
    "Action: failed",
    "Status: 5.7.1",
    "Diagnostic-Code: X-Postfix; Van ban mat khong duoc gui qua Internet / "
    "Secret document may not be sent over Internet mail",
]
lines = t.split("\n")
sys.exit(0 if all(w in lines for w in want) else 1)
EOPY2
	mta_tap $? "Postfix: the sender finds a bounce in their mailbox, status 5.7.1 with the milter's reason"
	[ -n "$f" ] && grep -q '^Content-Type: message/global-headers' "$f" &&
		! grep -q 'Content-Disposition: attachment' "$f" && ! grep -q 'MẬT' "$f"
	mta_tap $? "Postfix: the bounce returns the headers only, never the secret document"
	grep -q "milter-reject: END-OF-MESSAGE from localhost\[127.0.0.1\]: 5.7.1 Van ban mat khong duoc gui qua Internet / Secret document may not be sent over Internet mail; from=<staff@binhdinh.gov.vn> to=<x@example.com>$" "$mta_dir/maillog" &&
		grep -q "to=<x@example.com>, relay=none, .* dsn=5.7.1, status=bounced (Van ban mat khong duoc gui qua Internet / Secret document may not be sent over Internet mail)" "$mta_dir/maillog"
	mta_tap $? "Postfix: its log shows the milter's refusal and the bounce"
	[ "$(grep -rl '^Subject: Bao cao' "$mta_dir/sink" | wc -l)" -eq 1 ]
	mta_tap $? "Postfix: of the three messages for the outside only the one without the mark left"

	# Inbound secret: accepted, then held in Postfix's hold queue.
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-secret.eml" >"$tmp/r-in-secret"
	mta_tap $? "Postfix: a secret document from outside is accepted over SMTP (got: $(head -c 60 "$tmp/r-in-secret"))"
	qid=
	for _ in $(seq 50); do
		qid=$(postqueue -c "$mta_dir/etc" -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    if j["queue_name"] == "hold" and j["sender"] == "vanthu@sonoi.gov.vn":
        print(j["queue_id"])')
		[ -n "$qid" ] && break
		sleep 0.1
	done
	[ -n "$qid" ]
	mta_tap $? "Postfix: postqueue -j lists it in the hold queue"
	postcat -c "$mta_dir/etc" -hq "$qid" >"$tmp/held" 2>&1
	grep -qx 'X-Vanthu-Status: direction=inbound official=yes documents=1' "$tmp/held" &&
		grep -qx 'Subject: Cong van' "$tmp/held"
	mta_tap $? "Postfix: postcat shows the held message with the milter's status header"
	postcat -c "$mta_dir/etc" -bq "$qid" 2>/dev/null | grep -q 'filename="Công văn TỐI MẬT 5.pdf"'
	mta_tap $? "Postfix: postcat shows the held document in the body"
	# Postfix does not log the reason a milter gives for a hold; the
	# milter's own line for the message does.
	grep -q "$qid: milter-hold: END-OF-MESSAGE from unknown\[127.0.0.2\]: milter triggers HOLD action; from=<vanthu@sonoi.gov.vn> to=<vanthu@binhdinh.gov.vn>" "$mta_dir/maillog"
	mta_tap $? "Postfix: its log shows the milter's hold"
	grep -q "rules: $qid: alert: secret document received by Internet mail: quarantined" "$tmp/mta.log" &&
		grep -q "$qid: direction=inbound from=<vanthu@sonoi.gov.vn> rcpts=1 official=yes .* outcome=quarantine quarantine=\"secret document received by Internet mail\" ms=" "$tmp/mta.log"
	mta_tap $? "Postfix: the milter logs an alert and the hold reason under the same queue id"

	# Routing: the lead handler and the co-operating unit get a copy.
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-decision.eml" >"$tmp/r-in-decision"
	mta_tap $? "Postfix: a decision from outside is accepted"
	local ok=0 u
	for u in vanthu lead coop; do
		f=$(mta_mail "$u" 1)
		[ -n "$f" ] && grep -qx "Delivered-To: $u@binhdinh.gov.vn" "$f" &&
			grep -qx 'X-Vanthu-Route: lead@binhdinh.gov.vn' "$f" &&
			grep -q '^Subject: =?UTF-8?B?' "$f" &&
			grep -q 'filename="qd15.pdf"' "$f" || ok=1
	done
	mta_tap $ok "Postfix: the addressee, the routed lead and the co-operating unit each get the document"
	f=$(mta_mail lead 1)
	[ -n "$f" ] && python3 - "$f" <<'EOPY2'
import email, email.header, email.policy, sys
raw = open(sys.argv[1], "rb").read()
head = raw.split(b"\n\n", 1)[0]
m = email.message_from_bytes(raw, policy=email.policy.default)
ok = (all(b < 0x80 for b in head) and
      str(m["Subject"]) == "[QUYẾT ĐỊNH] Quyết định số 15/QĐ-UBND về việc phê duyệt kế "
                           "hoạch phòng chống thiên tai năm 2026" and
      str(m["X-Vanthu-Category"]) == "Quyết định")
sys.exit(0 if ok else 1)
EOPY2
	mta_tap $? "Postfix: the new subject (of a folded one) and the added header reach the mailbox in ASCII and decode to the Vietnamese text"
	[ ! -e "$mta_dir/mail/vanthu/new" ] || [ "$(ls "$mta_dir/mail/vanthu/new" | wc -l)" -eq 1 ]
	mta_tap $? "Postfix: the held secret document was not delivered"

	# Policy 3: a program named as a PDF.
	if [ "$programs" -eq 1 ]; then
		SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" a@example.com \
			vanthu@binhdinh.gov.vn "$tmp/in-program.eml" >"$tmp/r-program"
		[ $? -eq 1 ] && grep -qx "550 5.7.1 Tep dinh kem la chuong trinh hoac ma kich ban, khong duoc chap nhan / Attachment is an executable or script and is not accepted" "$tmp/r-program"
		mta_tap $? "Postfix: a program sent as bao-cao.pdf is refused with 550 5.7.1 (got: $(head -c 60 "$tmp/r-program"))"
	else
		skip "Postfix: a program sent as bao-cao.pdf is refused with 550 5.7.1" "$programs_why"
	fi

	# A tempfail: the client is told to come back; Postfix keeps nothing.
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-later.eml" >"$tmp/r-later"
	[ $? -eq 1 ] && grep -qx "451 4.3.2 He thong dang bao tri / Under maintenance, try again later" "$tmp/r-later" &&
		grep -q "milter-reject: END-OF-MESSAGE from unknown\[127.0.0.2\]: 4.3.2 He thong dang bao tri / Under maintenance, try again later;" "$mta_dir/maillog" &&
		[ -z "$(postqueue -c "$mta_dir/etc" -j 2>/dev/null | grep '"Cong van 16"\|vanthu@sonoi' | grep -v '"hold"')" ]
	mta_tap $? "Postfix: a tempfail rule gives the SMTP client 451 4.3.2 and nothing stays queued (got: $(head -c 60 "$tmp/r-later"))"

	mta_policy2 "$port" "$d"
}

mta_reload() {	# mta_reload N: SIGUSR1, wait for the Nth "reload:" verdict
	kill -USR1 "$mta_pid"
	for _ in $(seq 100); do
		[ "$(grep -cE 'reload: (done|rules in .* have errors)' "$tmp/mta.log")" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# Policy 2 as shipped, then switched to reject by a reload.
mta_policy2() {
	local port=$1 d=$2 f
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-unsigned.eml" >"$tmp/r-unsigned1"
	pf_wait_mail "$mta_dir" vanthu 2 &&
		grep -lqx 'Subject: Cong van 15' "$mta_dir/mail/vanthu/new/"*
	mta_tap $? "Postfix: as shipped, an unsigned document from an official sender is delivered"

	printf 'disable unsigned-official-flag;\nenable unsigned-official-reject;\n' >"$d/50-local.rules"
	mta_reload 1 && grep -q "reload: done" "$tmp/mta.log"
	mta_tap $? "Postfix: the milter reloads its rules on SIGUSR1"
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-unsigned.eml" >"$tmp/r-unsigned2"
	[ $? -eq 1 ] && grep -qx "550 5.7.1 Van ban cv15.pdf khong co chu ky so hop le (absent) / Document cv15.pdf has no valid digital signature (absent)" "$tmp/r-unsigned2"
	mta_tap $? "Postfix: with policy 2 switched to reject the sender is told which document and why (got: $(head -c 60 "$tmp/r-unsigned2"))"

	printf 'rule broken {\n\twhen subject is;\n}\n' >"$d/60-broken.rules"
	mta_reload 2 && grep -q "reload: .*60-broken.rules:2:" "$tmp/mta.log" &&
		grep -q "reload: rules in .* have errors; keeping the old configuration and rules" "$tmp/mta.log"
	mta_tap $? "Postfix: a reload with a broken rules file logs file and line and keeps the old rules"
	SEND_SOURCE=127.0.0.2 "$top/tests/e2e/send.py" "$port" vanthu@sonoi.gov.vn \
		vanthu@binhdinh.gov.vn "$tmp/in-unsigned.eml" >"$tmp/r-unsigned3"
	[ $? -eq 1 ] && grep -q "^550 5.7.1 Van ban cv15.pdf" "$tmp/r-unsigned3"
	mta_tap $? "Postfix: after the failed reload the old rules still refuse the unsigned document"
}
