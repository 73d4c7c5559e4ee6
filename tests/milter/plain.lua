-- A plain text message gets the status header and is accepted.
dofile(lib)
run("a plain inbound message is accepted with a status header", function()
	local conn = open_message({})
	send_content(conn, {{"From", "Van thu <vanthu@binhdinh.gov.vn>"},
			    {"To", "vanthu@sonoi.gov.vn"},
			    {"Subject", "Hello"}}, "Just text.\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT, "a plain message is accepted")
	check(mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			   "direction=inbound official=yes documents=0"),
	      "the status header says inbound, official, no documents")
	mt.disconnect(conn)
end)
