-- slow.lua - one message whose analysis cannot finish in time.
-- -D file=EML; -D want=tempfail (OnAnalysisError tempfail) or accept.
dofile(lib)
run("a message whose analysis times out gets OnAnalysisError", function()
	local msg = read_file(file)
	local conn = open_message({qid = "SLOW"})
	send_content(conn, {{"From", "vanthu@sonoi.gov.vn"},
			    {"MIME-Version", "1.0"},
			    {"Content-Type", "multipart/mixed; boundary=\"s\""}}, msg)
	mt.eom(conn)
	local r = mt.getreply(conn)
	if want == "tempfail" then
		check(r == SMFIR_REPLYCODE and
		      mt.eom_check(conn, MT_SMTPREPLY, "451", "4.3.0",
				   "Document analysis temporarily unavailable, please try again later"),
		      "a document that stalls the analysis gets 451 4.3.0 when OnAnalysisError is tempfail")
	else
		check(r == SMFIR_ACCEPT and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
				   "direction=inbound official=yes unexamined=analysis"),
		      "a document that stalls the analysis passes unexamined when OnAnalysisError is accept")
	end
	mt.disconnect(conn)
end)
