-- send.lua - one message file through the daemon, and its exact answer.
-- -D file=EML -D qid=ID -D want=WHAT -D say=SENTENCE, where WHAT is
--   internal	451 4.3.0, OnInternalError tempfail
--   analysis	451 4.3.0, OnAnalysisError tempfail
--   store	451 4.3.0, OnStoreError tempfail
--   unexamined=internal
--		accepted, marked so (OnInternalError accept)
--   den/YYYY/N	accepted and registered under that number
dofile(lib)
-- A locked register is waited for 10 s before the answer.
mt.set_timeout(30)

local texts = {
	internal = "Temporary local problem in the document filter, please try again later",
	analysis = "Document analysis temporarily unavailable, please try again later",
	store = "Document register temporarily unavailable, please try again later",
}

run(say, function()
	local conn = open_message({qid = qid})
	send_file(conn, file)
	mt.eom(conn)
	local r = mt.getreply(conn)
	if texts[want] then
		check(r == SMFIR_REPLYCODE and
		      mt.eom_check(conn, MT_SMTPREPLY, "451", "4.3.0", texts[want]), say)
	elseif string.find(want, "^unexamined=") then
		check(r == SMFIR_ACCEPT and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
				   "direction=inbound official=yes " .. want), say)
	else
		check(r == SMFIR_ACCEPT and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register", want), say)
	end
	mt.disconnect(conn)
end)
