-- A 30 MB message: spooled to disk, analysed, accepted.
dofile(lib)
run("a 30 MB message is accepted and analysed", function()
	local conn = open_message({})
	local line = string.rep("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", 2) .. "\r\n"
	local chunk = string.rep(line, math.floor(65000 / #line))
	mt.header(conn, "From", "vanthu@binhdinh.gov.vn")
	expect(conn, SMFIR_CONTINUE, "header")
	mt.header(conn, "Content-Type", "multipart/mixed; boundary=\"zz\"")
	expect(conn, SMFIR_CONTINUE, "header")
	mt.eoh(conn)
	expect(conn, SMFIR_CONTINUE, "eoh")
	mt.bodystring(conn, "--zz\r\nContent-Type: application/pdf; name=big.pdf\r\n" ..
		      "Content-Transfer-Encoding: base64\r\n\r\n" ..
		      "JVBERi0xLjQKJeLjz9MK\r\n")
	expect(conn, SMFIR_CONTINUE, "body")
	local sent = 0
	while sent < 30 * 1024 * 1024 do
		mt.bodystring(conn, chunk)
		expect(conn, SMFIR_CONTINUE, "body chunk")
		sent = sent + #chunk
	end
	mt.bodystring(conn, "--zz--\r\n")
	expect(conn, SMFIR_CONTINUE, "body end")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT, "a 30 MB message is accepted")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			   "direction=inbound official=yes documents=1"),
	      "its one attachment is found")
	mt.disconnect(conn)
end)
