-- spool.lua - one inbound message from an official sender with one PDF
-- named -D name under the Subject -D subject; -D held=1 when the rules
-- must hold it (a secret document), else it is accepted.  run.bash then
-- looks for the subject in the daemon's spool files.
dofile(rl)
local sentence = "spool: " .. name .. (held == "1" and " is held" or " is accepted")
run(sentence, function()
	local conn = message({subject = subject,
			      docs = {{name = name, data = "%PDF-1.4\n%%EOF\n"}}})
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_QUARANTINE) == (held == "1"), sentence)
	mt.disconnect(conn)
end)
