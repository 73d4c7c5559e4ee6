-- Documents are registered with gap-free numbers; a retry of the same
-- message and a second copy of the same document get no new number; a
-- logo the HTML body shows gets none at all.
-- -D year=YYYY: the current year in Asia/Ho_Chi_Minh.
dofile(lib)

local function pdf_message(msgid, pdf_b64)
	local conn = open_message({qid = msgid})
	send_files(conn, msgid, "Cong van", {{"cv.pdf", "application/pdf", pdf_b64}})
	mt.eom(conn)
	return conn
end

-- "%PDF-1.4\n%one\n" and "%PDF-1.4\n%two\n"
local one, two = "JVBERi0xLjQKJW9uZQo=", "JVBERi0xLjQKJXR3bwo="

run("a new document gets the next number", function()
	local conn = pdf_message("m1", one)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", "den/" .. year .. "/1"),
	      "the first document is registered as den/" .. year .. "/1")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Document"),
	      "the registered document's facts header is added")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "2 cv.pdf: signature-absent"),
	      "an unsigned official document is flagged signature-absent (policy 2)")
	mt.disconnect(conn)
end)
run("a retried message keeps its number", function()
	local conn = pdf_message("m1", one)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", "den/" .. year .. "/1"),
	      "the same message again names den/" .. year .. "/1, no new number")
	mt.disconnect(conn)
end)
run("a second copy of a document is a duplicate", function()
	local conn = pdf_message("m2", one)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register",
			   "den/" .. year .. "/1 (duplicate)"),
	      "the same document in another message is marked a duplicate of den/" .. year .. "/1")
	mt.disconnect(conn)
end)
run("another document gets the number after", function()
	local conn = pdf_message("m3", two)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", "den/" .. year .. "/2"),
	      "the next document is registered as den/" .. year .. "/2")
	mt.disconnect(conn)
end)
run("a logo the HTML body shows is no document", function()
	local conn = open_message({qid = "m4"})
	local png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4" ..
		"z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
	local body = "--b1\r\nContent-Type: multipart/related; boundary=\"r1\"\r\n\r\n" ..
		"--r1\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:image001.png@01DA\">\r\n" ..
		"--r1\r\nContent-Type: image/png; name=\"image001.png\"\r\n" ..
		"Content-Disposition: inline; filename=\"image001.png\"\r\n" ..
		"Content-ID: <image001.png@01DA>\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\n" .. png .. "\r\n--r1--\r\n" ..
		"--b1\r\nContent-Type: application/pdf; name=\"cv3.pdf\"\r\n" ..
		"Content-Disposition: attachment; filename=\"cv3.pdf\"\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\n" ..
		"JVBERi0xLjQKJXRocmVlCg==\r\n--b1--\r\n"
	send_content(conn, {{"From", "vanthu@sonoi.gov.vn"},
			    {"Message-ID", "<m4@sonoi.gov.vn>"},
			    {"Subject", "Cong van"},
			    {"MIME-Version", "1.0"},
			    {"Content-Type", "multipart/mixed; boundary=\"b1\""}}, body)
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", "den/" .. year .. "/3") and
	      not mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", "den/" .. year .. "/4") and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "2 cv3.pdf: signature-absent") and
	      not mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag",
			       "1.2 image001.png: signature-absent"),
	      "the PDF is den/" .. year .. "/3, the logo gets neither a number nor a flag")
	mt.disconnect(conn)
end)
