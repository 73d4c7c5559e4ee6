-- sendfiles.lua - send every message named in a list file through the
-- daemon, each on its own connection, and check that each gets an
-- answer.  -D list=FILE (one .eml path a line), -D sock=, -D lib=.
--
-- A message is split the way an MTA hands it to a milter: header fields
-- (continuation lines kept, CRLF between them) up to the first empty line,
-- then the body in chunks of at most 65,535 bytes.
dofile(lib)

local function split(msg)
	local headers, pos = {}, 1
	while pos <= #msg do
		local eol = string.find(msg, "\n", pos, true) or #msg + 1
		local line = string.sub(msg, pos, eol - 1):gsub("\r$", "")
		if line == "" then
			pos = eol + 1
			break
		end
		local c = string.sub(line, 1, 1)
		if (c == " " or c == "\t") and #headers > 0 then
			headers[#headers][2] = headers[#headers][2] .. "\r\n" .. line
		else
			local name, value = string.match(line, "^([^:]+):[ \t]*(.*)$")
			if name == nil then
				break	-- not a header: the body starts here
			end
			headers[#headers + 1] = {name, value}
		end
		pos = eol + 1
	end
	return headers, string.sub(msg, pos)
end

local answers = {[SMFIR_ACCEPT] = "accept", [SMFIR_TEMPFAIL] = "tempfail",
		 [SMFIR_REJECT] = "reject", [SMFIR_REPLYCODE] = "reply",
		 [SMFIR_DISCARD] = "discard"}

for path in io.lines(list) do
	local name = string.match(path, "([^/]+)$")
	run("the daemon answers " .. name, function()
		local headers, body = split(read_file(path))
		local conn = open_message({qid = name})
		send_content(conn, headers, body)
		mt.eom(conn)
		local r = mt.getreply(conn)
		check(answers[r] ~= nil and answers[r] ~= "discard",
		      "the daemon answers " .. name .. " (" .. tostring(answers[r]) .. ")")
		mt.disconnect(conn)
	end)
end
