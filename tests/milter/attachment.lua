-- A message with two attachments: the worker counts them.
dofile(lib)
run("attachments are counted by the analysis worker", function()
	local conn = open_message({from = "someone@example.com"})
	local body = "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" ..
		"--b1\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n" ..
		"Content-Disposition: attachment; filename=\"a.pdf\"\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJeLjz9MK\r\n" ..
		"--b1\r\nContent-Type: application/octet-stream; name=\"b.bin\"\r\n" ..
		"Content-Transfer-Encoding: base64\r\n\r\n" ..
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\r\n" ..
		"--b1--\r\n"
	send_content(conn, {{"From", "someone@example.com"},
			    {"Subject", "Two files"},
			    {"MIME-Version", "1.0"},
			    {"Content-Type", "multipart/mixed; boundary=\"b1\""}}, body)
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT, "a message with attachments is accepted")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			   "direction=inbound official=no documents=2"),
	      "the status header counts two documents from an unofficial sender")
	mt.disconnect(conn)
end)
