-- lib.lua - helpers shared by the miltertest scripts.
--
-- Each script runs under miltertest with -D sock=SPEC -D lib=PATH and
-- prints TAP lines "ok - sentence" or "not ok - sentence".  Lua errors
-- only show under pcall in miltertest, so run() catches them and turns
-- them into a failing line.

function check(cond, sentence)
	if cond then
		print("ok - " .. sentence)
	else
		print("not ok - " .. sentence)
	end
	return cond
end

function run(sentence, fn)
	local ok, err = pcall(fn)
	if not ok then
		print("not ok - " .. sentence .. ": " .. tostring(err))
	end
end

function expect(conn, reply, what)
	local got = mt.getreply(conn)
	if got ~= reply then
		error(what .. ": reply " .. tostring(got) .. ", expected " .. tostring(reply))
	end
end

-- Connect, then send conninfo, helo, MAIL and RCPT, all expected to
-- continue.  opts: ip, from, rcpts (table), auth, actions (the SMFIF_*
-- the MTA offers; default all).
function open_message(opts)
	local conn = mt.connect(sock, 10, 0.2)
	if conn == nil then error("cannot connect to " .. sock) end
	if opts.actions then
		local err = mt.negotiate(conn, 6, opts.actions, 0)
		if err ~= nil then error("negotiate: " .. tostring(err)) end
	end
	mt.conninfo(conn, "client.example", opts.ip or "203.0.113.5")
	expect(conn, SMFIR_CONTINUE, "connect")
	mt.helo(conn, "client.example")
	expect(conn, SMFIR_CONTINUE, "helo")
	if opts.auth then
		mt.macro(conn, SMFIC_MAIL, "i", opts.qid or "TESTQID", "{auth_authen}", opts.auth)
	else
		mt.macro(conn, SMFIC_MAIL, "i", opts.qid or "TESTQID")
	end
	mt.mailfrom(conn, "<" .. (opts.from or "vanthu@sonoi.gov.vn") .. ">")
	expect(conn, SMFIR_CONTINUE, "mail from")
	for _, r in ipairs(opts.rcpts or {"vanthu@binhdinh.gov.vn"}) do
		mt.rcptto(conn, "<" .. r .. ">")
		expect(conn, SMFIR_CONTINUE, "rcpt to")
	end
	return conn
end

-- Send headers (a list of {name, value}) and a body in chunks of at most
-- 65,535 bytes (miltertest's Debian build drops the link on 65,536).
function send_content(conn, headers, body)
	for _, h in ipairs(headers) do
		mt.header(conn, h[1], h[2])
		expect(conn, SMFIR_CONTINUE, "header " .. h[1])
	end
	mt.eoh(conn)
	expect(conn, SMFIR_CONTINUE, "eoh")
	local i = 1
	while i <= #body do
		mt.bodystring(conn, string.sub(body, i, i + 65534))
		expect(conn, SMFIR_CONTINUE, "body")
		i = i + 65535
	end
end

-- An official message from sonoi.gov.vn, Message-ID <ID@sonoi.gov.vn>:
-- a greeting, then these files, each {name, type, base64}.  The end of
-- message is the caller's to send.
function send_files(conn, id, subject, files)
	local body = "--b1\r\nContent-Type: text/plain\r\n\r\nKinh gui.\r\n"
	for _, f in ipairs(files) do
		body = body .. "--b1\r\nContent-Type: " .. f[2] .. "; name=\"" ..
			f[1] .. "\"\r\nContent-Disposition: attachment; filename=\"" ..
			f[1] .. "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" ..
			f[3] .. "\r\n"
	end
	send_content(conn, {{"From", "vanthu@sonoi.gov.vn"},
			    {"Message-ID", "<" .. id .. "@sonoi.gov.vn>"},
			    {"Subject", subject},
			    {"MIME-Version", "1.0"},
			    {"Content-Type", "multipart/mixed; boundary=\"b1\""}},
		     body .. "--b1--\r\n")
end

function read_file(path)
	local f = assert(io.open(path, "rb"))
	local s = f:read("*a")
	f:close()
	return s
end

-- A message file sent the way an MTA hands it to a milter: header fields
-- (continuation lines kept, CRLF between them) up to the first empty
-- line, then the body in chunks of at most 65,535 bytes.
local function split_message(msg)
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

function send_file(conn, path)
	local headers, body = split_message(read_file(path))
	send_content(conn, headers, body)
end
