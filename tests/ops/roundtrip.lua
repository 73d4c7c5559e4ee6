-- roundtrip.lua - one plain message through the milter at sock: accepted,
-- with the status header.  Run with -D sock=SPEC -D lib=PATH -D form=NAME.
dofile(lib)
run("a message goes through the " .. form .. " socket", function()
	local conn = open_message({})
	send_content(conn, {{"From", "Van thu <vanthu@sonoi.gov.vn>"},
			    {"To", "vanthu@binhdinh.gov.vn"},
			    {"Subject", "Hello"}}, "Just text.\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
			   "direction=inbound official=yes documents=0"),
	      "a message through the " .. form .. " socket is accepted with the status header")
	mt.disconnect(conn)
end)
