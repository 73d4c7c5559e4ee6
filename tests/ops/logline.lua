-- logline.lua - a sender with spaces and quotes must not break the log
-- line's key=value form.  Run with -D sock=SPEC -D lib=PATH.
dofile(lib)
run("a hostile sender goes through", function()
	local conn = open_message({from = '"a b\\"c>"@sonoi.gov.vn', qid = "LOGQID01"})
	send_content(conn, {{"From", "x@sonoi.gov.vn"}, {"Subject", "Hello"}},
		     "Just text.\r\n")
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT, "a message from a sender with spaces and quotes is accepted")
	mt.disconnect(conn)
end)
