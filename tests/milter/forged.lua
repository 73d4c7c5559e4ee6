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

-- Up to OWN_HEADERS_MAX (4,000) of them are removed; past that the
-- message is refused: removing each costs the MTA a walk over them all.
local function own_headers(n)
	local h = {{"From", "vanthu@binhdinh.gov.vn"}}
	for i = 1, n do
		h[#h + 1] = {"X-Vanthu-Register", "den/2026/" .. i}
	end
	return h
end

run("4,000 forged headers are removed", function()
	local conn = open_message({})
	send_content(conn, own_headers(4000), "text\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRDELETE, "X-Vanthu-Register"),
	      "a message with 4,000 forged headers is accepted and they are deleted")
	mt.disconnect(conn)
end)

run("a message with more forged headers is refused", function()
	local conn = open_message({})
	send_content(conn, own_headers(4001), "text\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_REPLYCODE and
	      mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1",
			   "Too many headers reserved for the document filter"),
	      "a message with 4,001 forged headers is rejected with 550 5.7.1")
	mt.disconnect(conn)
end)
