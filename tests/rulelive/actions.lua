-- Every action of vanthu.rules(5) that the mail server carries out,
-- through the running daemon: the exact SMTP reply, added recipients and
-- headers, the new subject and the quarantine reason.
dofile(rl)
local pdf = "%PDF-1.4\n%%EOF\n"
local function status(conn, docs)
	return mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			    "direction=inbound official=yes documents=" .. docs)
end

run("header adds the header, a UTF-8 value RFC 2047 encoded", function()
	local conn = message({case = "a-header"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Category", "=?UTF-8?B?UXV54bq/dCDEkeG7i25o?=") and
	      list_string(hits(conn)) == "[a-header]" and status(conn, 0),
	      "header adds the header, a UTF-8 value RFC 2047 encoded")
	mt.disconnect(conn)
end)

run("route adds the lead and the co-operating units as recipients, each once", function()
	local conn = message({case = "a-route"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_RCPTADD, "lead@binhdinh.gov.vn") and
	      mt.eom_check(conn, MT_RCPTADD, "coop@binhdinh.gov.vn") and
	      mt.eom_check(conn, MT_RCPTADD, "vanphong@binhdinh.gov.vn") and
	      not mt.eom_check(conn, MT_RCPTADD, "Coop@binhdinh.gov.vn") and
	      not mt.eom_check(conn, MT_RCPTADD, "vanthu@binhdinh.gov.vn"),
	      "route adds the lead and the co-operating units as recipients, each once")
	mt.disconnect(conn)
end)

run("prefix-subject rewrites the Subject header, the prefix encoded", function()
	local conn = message({case = "a-prefix", subject = "Cong van so 15"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRCHANGE, "Subject", "=?UTF-8?B?W0tI4bqoTl0=?= Cong van so 15"),
	      "prefix-subject rewrites the Subject header, the prefix encoded")
	mt.disconnect(conn)
end)

run("prefix-subject keeps an encoded subject as it came, the blank inside the prefix", function()
	local conn = message({case = "a-prefix", subject = "=?utf-8?b?Q8O0bmcgdsSDbg==?="})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRCHANGE, "Subject",
			   "=?UTF-8?B?W0tI4bqoTl0g?= =?utf-8?b?Q8O0bmcgdsSDbg==?="),
	      "prefix-subject keeps an encoded subject as it came, the blank inside the prefix")
	mt.disconnect(conn)
end)

local replies = {
	{"a-reject", "550", "5.7.1", "Thu bi tu choi theo quy dinh / Message rejected by policy",
	 "reject without arguments answers 550 5.7.1 with the default text"},
	{"a-reject-text", "554", "5.7.0", "Khong nhan thu nay / Not accepted here",
	 "reject with code, enhanced code and text answers exactly that"},
	{"a-tempfail", "451", "4.7.1", "Tam thoi chua nhan thu, vui long gui lai sau / Try again later",
	 "tempfail without arguments answers 451 4.7.1 with the default text"},
	{"a-tempfail-text", "452", "4.3.1", "He thong ban / System busy",
	 "tempfail with code, enhanced code and text answers exactly that"},
	{"strongest", "550", "5.7.1", "Reject wins",
	 "reject wins over tempfail and quarantine, and the first reject's reply stays"},
}
for _, c in ipairs(replies) do
	run(c[5], function()
		local conn = message({case = c[1]})
		expect_reply(conn, c[2], c[3], c[4], c[1])
		check(not mt.eom_check(conn, MT_HDRADD) and not mt.eom_check(conn, MT_QUARANTINE), c[5])
		mt.disconnect(conn)
	end)
end

run("quarantine holds the message with its reason and still adds the headers", function()
	local conn = message({case = "a-quarantine"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_QUARANTINE, "cho can bo bao mat xem") and
	      list_string(hits(conn)) == "[a-quarantine]" and status(conn, 0),
	      "quarantine holds the message with its reason and still adds the headers")
	mt.disconnect(conn)
end)

run("quarantine without a reason holds the message as quarantined by rule", function()
	local conn = message({case = "a-quarantine-bare"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_QUARANTINE, "quarantined by rule"),
	      "quarantine without a reason holds the message as quarantined by rule")
	mt.disconnect(conn)
end)

run("of two quarantines the first reason stays", function()
	local conn = message({case = "two-holds"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_QUARANTINE, "first reason"),
	      "of two quarantines the first reason stays")
	mt.disconnect(conn)
end)

run("require-signature otherwise reject names the unsigned document and its verdict", function()
	local conn = message({case = "a-sig-reject", docs = {{name = "Tờ trình 12.pdf", data = pdf}}})
	expect_reply(conn, "550", "5.7.1",
		     "Van ban To_trinh_12.pdf khong co chu ky so hop le (absent) / " ..
		     "Document To_trinh_12.pdf has no valid digital signature (absent)", "a-sig-reject")
	check(true, "require-signature otherwise reject names the unsigned document and its verdict")
	mt.disconnect(conn)
end)

run("require-signature otherwise reject with a reply of its own", function()
	local conn = message({case = "a-sig-reject-text", docs = {{name = "a.pdf", data = pdf}}})
	expect_reply(conn, "553", "5.7.2", "Can chu ky so / Signature needed", "a-sig-reject-text")
	check(true, "require-signature otherwise reject with a reply of its own")
	mt.disconnect(conn)
end)

run("require-signature otherwise quarantine holds the message naming the document", function()
	local conn = message({case = "a-sig-quarantine", docs = {{name = "Quyết định 5.pdf", data = pdf}}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_QUARANTINE, "document Quyết định 5.pdf: signature absent") and
	      status(conn, 1),
	      "require-signature otherwise quarantine holds the message naming the document")
	mt.disconnect(conn)
end)

run("require-signature otherwise quarantine with a reason of its own", function()
	local conn = message({case = "a-sig-quarantine-text", docs = {{name = "a.pdf", data = pdf}}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and mt.eom_check(conn, MT_QUARANTINE, "thieu chu ky"),
	      "require-signature otherwise quarantine with a reason of its own")
	mt.disconnect(conn)
end)

run("require-signature otherwise tag lets the message through unchanged", function()
	local conn = message({case = "a-sig-tag", docs = {{name = "a.pdf", data = pdf}}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and not mt.eom_check(conn, MT_QUARANTINE) and
	      not mt.eom_check(conn, MT_HDRCHANGE, "Subject") and
	      list_string(hits(conn)) == "[a-sig-tag]" and status(conn, 1),
	      "require-signature otherwise tag lets the message through unchanged")
	mt.disconnect(conn)
end)

run("require-signature is satisfied by a message without documents", function()
	local conn = message({case = "a-sig-reject"})
	check(mt.getreply(conn) == SMFIR_ACCEPT and status(conn, 0),
	      "require-signature is satisfied by a message without documents")
	mt.disconnect(conn)
end)

run("log, book, category, department, flag, secret and skip-registration leave the mail unchanged", function()
	local ok = true
	for _, c in ipairs({{"a-log", "LOGQID"}, {"a-register", "REGQID"}}) do
		local conn = message({case = c[1], qid = c[2]})
		ok = ok and mt.getreply(conn) == SMFIR_ACCEPT and
		    not mt.eom_check(conn, MT_QUARANTINE) and
		    not mt.eom_check(conn, MT_HDRCHANGE, "Subject") and list_string(hits(conn)) == "[]" and
		    status(conn, 0)
		mt.disconnect(conn)
	end
	check(ok, "log, book, category, department, flag, secret and skip-registration leave the mail unchanged")
end)

expect_hits({case = "stop"}, {"s-first"}, "stop: no rule after it runs")
