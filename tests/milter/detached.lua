-- A PDF with its signature in a file beside it (qd.pdf.p7s) is one
-- document: one number, flagged by the verdict of that signature; the
-- signature file gets neither number nor flag.  A PDF first sent alone and
-- then again with its .p7s keeps its number.
-- -D pdf=BASE64 -D p7s=BASE64 -D year=YYYY -D number=N
-- -D pdf2=BASE64 -D p7s2=BASE64 -D number2=N
dofile(lib)

-- One official message carrying these files, each {name, type, base64};
-- the connection, its end of message sent.
local function send_decision(qid, files)
	local conn = open_message({qid = qid})
	send_files(conn, qid, "Quyet dinh", files)
	mt.eom(conn)
	return conn
end

run("a detached signature file is its document's signature", function()
	local conn = send_decision("d1", {{"qd.pdf", "application/pdf", pdf},
		{"qd.pdf.p7s", "application/pkcs7-signature", p7s}})
	local reg = "den/" .. year .. "/" .. number
	local next = "den/" .. year .. "/" .. (number + 1)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", reg) and
	      not mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", next),
	      "the PDF is " .. reg .. " and the signature file has no number")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "2 qd.pdf: signature-untrusted") and
	      not mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "3 qd.pdf.p7s: signature-absent"),
	      "the PDF is flagged by its file's signature (untrusted), the file is not flagged")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			   "direction=inbound official=yes documents=1"),
	      "the status header counts one document")
	mt.disconnect(conn)
end)

run("a signature file sent after its document", function()
	local reg = "den/" .. year .. "/" .. number2
	local conn = send_decision("d2", {{"qd2.pdf", "application/pdf", pdf2}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", reg) and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "2 qd2.pdf: signature-absent"),
	      "the PDF alone is " .. reg .. ", flagged unsigned")
	mt.disconnect(conn)
	conn = send_decision("d3", {{"qd2.pdf", "application/pdf", pdf2},
		{"qd2.pdf.p7s", "application/pkcs7-signature", p7s2}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", reg .. " (duplicate)") and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Flag", "2 qd2.pdf: signature-untrusted"),
	      "sent again with its .p7s, it is a duplicate of " .. reg ..
	      ", flagged by the file's signature")
	mt.disconnect(conn)
end)
