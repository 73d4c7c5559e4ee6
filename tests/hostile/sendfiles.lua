-- sendfiles.lua - send every message named in a list file through the
-- daemon, each on its own connection, and check that each gets an
-- answer.  -D list=FILE (one .eml path a line), -D sock=, -D lib=.
dofile(lib)

local answers = {[SMFIR_ACCEPT] = "accept", [SMFIR_TEMPFAIL] = "tempfail",
		 [SMFIR_REJECT] = "reject", [SMFIR_REPLYCODE] = "reply",
		 [SMFIR_DISCARD] = "discard"}

for path in io.lines(list) do
	local name = string.match(path, "([^/]+)$")
	run("the daemon answers " .. name, function()
		local conn = open_message({qid = name})
		send_file(conn, path)
		mt.eom(conn)
		local r = mt.getreply(conn)
		check(answers[r] ~= nil and answers[r] ~= "discard",
		      "the daemon answers " .. name .. " (" .. tostring(answers[r]) .. ")")
		mt.disconnect(conn)
	end)
end
