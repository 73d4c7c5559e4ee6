-- The built-in policies of rules/default.rules, through the running
-- daemon.  -D variant=default: the rules as shipped; variant=reject or
-- variant=quarantine: 50-local.rules switches policy 2 to that variant.
-- -D programs=1: programs and scripts reach the rules as documents of
-- their real type (policy 3), else -D programs_why says why not;
-- -D text=1, facts=1: the analysis reads text or facts (policy 1 from the
-- document's own stamp, in the DOCX named by -D docx).
-- The daemon runs with Domains binhdinh.gov.vn, InternalHosts 10.0.0.0/8.
dofile(rl)
local pdf = "%PDF-1.4\n%%EOF\n"
local secret_reply = "Van ban mat khong duoc gui qua Internet / " ..
    "Secret document may not be sent over Internet mail"
local exe_reply = "Tep dinh kem la chuong trinh hoac ma kich ban, khong duoc chap nhan / " ..
    "Attachment is an executable or script and is not accepted"
local out = {ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"x@example.com"}}

local function refused(sentence, opts, code, xcode, text)
	run(sentence, function()
		local conn = message(opts)
		expect_reply(conn, code, xcode, text, sentence)
		check(not mt.eom_check(conn, MT_HDRADD), sentence)
		mt.disconnect(conn)
	end)
end

local function accepted(sentence, opts, want_status)
	run(sentence, function()
		local conn = message(opts)
		check(mt.getreply(conn) == SMFIR_ACCEPT and not mt.eom_check(conn, MT_QUARANTINE) and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status", want_status), sentence)
		mt.disconnect(conn)
	end)
end

local function held(sentence, opts, reason, want_status)
	run(sentence, function()
		local conn = message(opts)
		check(mt.getreply(conn) == SMFIR_ACCEPT and mt.eom_check(conn, MT_QUARANTINE, reason) and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status", want_status), sentence)
		mt.disconnect(conn)
	end)
end

local function with(base, more)
	local t = {}
	for k, v in pairs(base) do t[k] = v end
	for k, v in pairs(more) do t[k] = v end
	return t
end

if variant == "default" then
	-- Policy 1, outbound.
	refused("policy 1: a document named MẬT sent from an internal host outside is refused with 550 5.7.1",
		with(out, {qid = "P1OUTQID", docs = {{name = "Báo cáo MẬT.pdf", data = pdf}}}),
		"550", "5.7.1", secret_reply)
	refused("policy 1: a TỐI MẬT subject (RFC 2047) from an authenticated client is refused",
		with(out, {ip = "203.0.113.9", auth = "staff",
			   subject = "=?utf-8?b?QsOhbyBjw6FvIFThu5BJIE3huqxU?=",
			   docs = {{name = "bc.pdf", data = pdf}}}),
		"550", "5.7.1", secret_reply)
	refused("policy 1: TUYỆT_MẬT in a file name, one recipient inside and one outside, is refused",
		with(out, {rcpts = {"boss@binhdinh.gov.vn", "x@example.com"},
			   docs = {{name = "QĐ 12 TUYỆT_MẬT.docx", data = pdf}}}),
		"550", "5.7.1", secret_reply)
	accepted("policy 1: BẢO MẬT in a name is not a secrecy mark",
		 with(out, {docs = {{name = "QUY CHẾ BẢO MẬT.pdf", data = pdf}}}),
		 "direction=outbound official=yes documents=1")
	accepted("policy 1: a secret document between our own users is neither refused nor held",
		 with(out, {rcpts = {"boss@binhdinh.gov.vn"}, docs = {{name = "Báo cáo MẬT.pdf", data = pdf}}}),
		 "direction=internal official=yes documents=1")
	accepted("policy 1: a secret subject on mail without documents is not refused",
		 with(out, {subject = "Hop ve tai lieu MẬT"}),
		 "direction=outbound official=yes documents=0")
	if text == "1" or facts == "1" then
		refused("policy 1: a document stamped MẬT in its own text, innocently named, sent outside is refused",
			with(out, {docs = {{name = "bao-cao-quy-3.docx", data = read_file(docx),
					    type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}}}),
			"550", "5.7.1", secret_reply)
	else
		skip("policy 1: a document stamped MẬT in its own text, innocently named, sent outside is refused",
		     "the analysis does not extract text or facts yet")
	end
	-- Policy 1, inbound.
	held("policy 1: a secret document received from outside is quarantined",
	     {docs = {{name = "Công văn MẬT số 5.pdf", data = pdf}}},
	     "secret document received by Internet mail",
	     "direction=inbound official=yes documents=1")
	run("policy 1: a secret document for an MTA that cannot hold mail is deferred, not delivered",
	    function()
		local conn = message({qid = "P1NOHOLDQID",
				      actions = SMFIF_ADDHDRS + SMFIF_CHGHDRS + SMFIF_ADDRCPT,
				      docs = {{name = "Công văn MẬT số 8.pdf", data = pdf}}})
		expect_reply(conn, "451", "4.3.0",
			     "Message cannot be held for review now, please try again later",
			     "deferred")
		check(not mt.eom_check(conn, MT_QUARANTINE) and not mt.eom_check(conn, MT_HDRADD),
		      "policy 1: a secret document for an MTA that cannot hold mail is deferred, not delivered")
		mt.disconnect(conn)
	end)
	-- Policy 2 as shipped: flagged (see run.bash for the flag), not refused.
	accepted("policy 2: an unsigned document from an official sender is accepted for registration",
		 {docs = {{name = "cv15.pdf", data = pdf}}}, "direction=inbound official=yes documents=1")
	-- Policy 3.
	accepted("policy 3: a PDF named setup.exe is accepted: the name does not decide",
		 {from = "a@example.com", docs = {{name = "setup.exe", data = pdf}}},
		 "direction=inbound official=no documents=1")
	if programs == "1" then
		local elf = "\127ELF\2\1\1\0" .. string.rep("\0", 8) .. "\2\0\62\0\1\0\0\0" ..
		    string.rep("\0", 40)
		refused("policy 3: a program sent as bao-cao.pdf is refused",
			{from = "a@example.com", docs = {{name = "bao-cao.pdf", data = elf,
							  type = "application/pdf"}}},
			"550", "5.7.1", exe_reply)
		refused("policy 3: a shell script sent as ke-hoach.docx is refused, outbound too",
			with(out, {docs = {{name = "ke-hoach.docx", data = "#!/bin/sh\nrm -rf /tmp/x\n"}}}),
			"550", "5.7.1", exe_reply)
	else
		skip("policy 3: a program sent as bao-cao.pdf is refused", programs_why)
		skip("policy 3: a shell script sent as ke-hoach.docx is refused, outbound too", programs_why)
	end
elseif variant == "reject" then
	refused("policy 2 switched to reject: the reply names the unsigned document and why",
		{docs = {{name = "cv15.pdf", data = pdf}}}, "550", "5.7.1",
		"Van ban cv15.pdf khong co chu ky so hop le (absent) / " ..
		"Document cv15.pdf has no valid digital signature (absent)")
	refused("policy 2 switched to reject: of two documents the reply names the first unsigned one",
		{docs = {{name = "Quyết định 7.pdf", data = pdf}, {name = "phu-luc.pdf", data = pdf}}},
		"550", "5.7.1",
		"Van ban Quyet_dinh_7.pdf khong co chu ky so hop le (absent) / " ..
		"Document Quyet_dinh_7.pdf has no valid digital signature (absent)")
	accepted("policy 2 switched to reject: an unofficial sender is not concerned",
		 {from = "a@example.com", docs = {{name = "cv15.pdf", data = pdf}}},
		 "direction=inbound official=no documents=1")
	accepted("policy 2 switched to reject: official mail without documents is accepted",
		 {}, "direction=inbound official=yes documents=0")
elseif variant == "quarantine" then
	held("policy 2 switched to quarantine: the hold reason names the document and its verdict",
	     {docs = {{name = "cv15.pdf", data = pdf}}}, "document cv15.pdf: signature absent",
	     "direction=inbound official=yes documents=1")
	held("policy 2 switched to quarantine: of two unsigned documents the reason names the first",
	     {qid = "P2HOLDQID", docs = {{name = "Tờ trình 16.pdf", data = pdf}, {name = "b.pdf", data = pdf}}},
	     "document Tờ trình 16.pdf: signature absent", "direction=inbound official=yes documents=2")
	accepted("policy 2 switched to quarantine: outbound mail is not concerned",
		 with(out, {docs = {{name = "cv15.pdf", data = pdf}}}),
		 "direction=outbound official=yes documents=1")
end
