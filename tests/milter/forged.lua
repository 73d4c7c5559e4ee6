-- Headers of ours that arrive with a message are removed.
dofile(lib)
run("forged status headers are removed", function()
	local conn = open_message({})
	send_content(conn, {{"From", "vanthu@binhdinh.gov.vn"},
			    {"X-Vanthu-Status", "direction=inbound official=yes documents=9"},
			    {"X-Vanthu-Register", "den/2026/1"}}, "text\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT, "the message is accepted")
	check(mt.eom_check(conn, MT_HDRDELETE, "X-Vanthu-Status"),
	      "the forged X-Vanthu-Status header is deleted")
	check(mt.eom_check(conn, MT_HDRDELETE, "X-Vanthu-Register"),
	      "the forged X-Vanthu-Register header is deleted")
	mt.disconnect(conn)
end)
