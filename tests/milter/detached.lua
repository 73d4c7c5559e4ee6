-- A PDF with its signature in a file beside it (qd.pdf.p7s) is one
-- document: one number, flagged by the verdict of that signature; the
-- signature file gets neither number nor flag.
-- -D pdf=BASE64 -D p7s=BASE64 -D year=YYYY -D number=N
dofile(lib)

run("a detached signature file is its document's signature", function()
	local conn = open_message({qid = "d1"})
	local body = "--b1\r\nContent-Type: text/plain\r\n\r\nKinh gui.\r\n" ..
		"--b1\r\nContent-Type: application/pdf; name=\"qd.pdf\"\r\n" ..
		"Content-Disposition: attachment; filename=\"qd.pdf\"\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\n" .. pdf .. "\r\n" ..
		"--b1\r\nContent-Type: application/pkcs7-signature; name=\"qd.pdf.p7s\"\r\n" ..
		"Content-Disposition: attachment; filename=\"qd.pdf.p7s\"\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\n" .. p7s .. "\r\n--b1--\r\n"
	send_content(conn, {{"From", "vanthu@sonoi.gov.vn"},
			    {"Message-ID", "<d1@sonoi.gov.vn>"},
			    {"Subject", "Quyet dinh"},
			    {"MIME-Version", "1.0"},
			    {"Content-Type", "multipart/mixed; boundary=\"b1\""}}, body)
	mt.eom(conn)
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
