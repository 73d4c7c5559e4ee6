-- A message over MaxMessageSize gets the OnOversize action.
-- -D want=reject|accept selects what the daemon was configured with.
dofile(lib)
run("an oversize message gets the configured action", function()
	local conn = open_message({})
	mt.header(conn, "From", "vanthu@binhdinh.gov.vn")
	expect(conn, SMFIR_CONTINUE, "header")
	mt.eoh(conn)
	expect(conn, SMFIR_CONTINUE, "eoh")
	local chunk = string.rep("x", 65000)
	for i = 1, 40 do
		mt.bodystring(conn, chunk)
		expect(conn, SMFIR_CONTINUE, "body")
	end
	mt.eom(conn)
	local r = mt.getreply(conn)
	if want == "reject" then
		check(r == SMFIR_REPLYCODE and
		      mt.eom_check(conn, MT_SMTPREPLY, "552", "5.3.4",
				   "Message too large for document analysis"),
		      "an oversize message is rejected with 552 5.3.4 when OnOversize is reject")
	else
		check(r == SMFIR_ACCEPT and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
				   "direction=inbound official=yes unexamined=oversize"),
		      "an oversize message is accepted unexamined when OnOversize is accept")
	end
	mt.disconnect(conn)
end)
