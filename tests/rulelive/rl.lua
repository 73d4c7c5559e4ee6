-- rl.lua - helpers of the tests/rulelive scripts, on top of
-- tests/milter/lib.lua (check, run, expect, open_message, send_content).
--
-- message(opts) sends one whole message and returns the connection after
-- end of message.  opts: ip, from, rcpts, auth, qid (as open_message),
-- case (the X-Case header that wakes the rules of lang.rules), subject,
-- headers (more {name, value}), text (the body), docs: a list of
-- {name = "a.pdf", data = "...", type = "application/pdf"} sent as
-- base64 attachments, names as raw UTF-8 in a quoted filename.
dofile(lib)

local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function base64(s)
	local out, line = {}, 0
	for i = 1, #s, 3 do
		local a, b, c = string.byte(s, i, i + 2)
		local n = a * 65536 + (b or 0) * 256 + (c or 0)
		local q = {math.floor(n / 262144) % 64, math.floor(n / 4096) % 64,
			   math.floor(n / 64) % 64, n % 64}
		local chunk = ""
		for k = 1, 4 do
			chunk = chunk .. string.sub(b64, q[k] + 1, q[k] + 1)
		end
		if b == nil then
			chunk = string.sub(chunk, 1, 2) .. "=="
		elseif c == nil then
			chunk = string.sub(chunk, 1, 3) .. "="
		end
		out[#out + 1] = chunk
		line = line + 4
		if line >= 76 then
			out[#out + 1] = "\r\n"
			line = 0
		end
	end
	return table.concat(out)
end

function message(opts)
	local conn = open_message(opts)
	local headers = {{"From", opts.from or "vanthu@sonoi.gov.vn"},
			 {"To", (opts.rcpts or {"vanthu@binhdinh.gov.vn"})[1]},
			 {"Subject", opts.subject or "Thu thu nghiem"},
			 {"MIME-Version", "1.0"}}
	local body
	if opts.case then
		headers[#headers + 1] = {"X-Case", opts.case}
	end
	for _, h in ipairs(opts.headers or {}) do
		headers[#headers + 1] = h
	end
	if opts.docs then
		headers[#headers + 1] = {"Content-Type", "multipart/mixed; boundary=\"rl-b1\""}
		local parts = {"--rl-b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
			       opts.text or "Kinh gui.", "\r\n"}
		for _, d in ipairs(opts.docs) do
			parts[#parts + 1] = "--rl-b1\r\nContent-Type: " ..
			    (d.type or "application/octet-stream") ..
			    "\r\nContent-Disposition: attachment; filename=\"" .. d.name ..
			    "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" ..
			    base64(d.data) .. "\r\n"
		end
		parts[#parts + 1] = "--rl-b1--\r\n"
		body = table.concat(parts)
	else
		headers[#headers + 1] = {"Content-Type", "text/plain; charset=utf-8"}
		body = (opts.text or "Kinh gui.") .. "\r\n"
	end
	send_content(conn, headers, body)
	mt.eom(conn)
	return conn
end

-- The values of the X-Hit headers the filter added, in the order it
-- added them (miltertest lists added headers newest first).
function hits(conn)
	local got, i = {}, 0
	while true do
		local v = mt.getheader(conn, "X-Hit", i)
		if v == nil then break end
		table.insert(got, 1, v)
		i = i + 1
	end
	return got
end

function list_string(l)
	return "[" .. table.concat(l, ", ") .. "]"
end

-- Send a message and check that it is accepted with exactly these hits.
function expect_hits(opts, want, sentence)
	run(sentence, function()
		local conn = message(opts)
		local reply = mt.getreply(conn)
		local got = list_string(hits(conn))
		mt.disconnect(conn)
		if reply ~= SMFIR_ACCEPT then
			error("reply " .. tostring(reply) .. ", expected accept")
		end
		if got ~= list_string(want) then
			error("hits " .. got .. ", expected " .. list_string(want))
		end
		check(true, sentence)
	end)
end

-- Check the milter asked for exactly this SMTP reply.
function expect_reply(conn, code, xcode, text, what)
	local r = mt.getreply(conn)
	if r ~= SMFIR_REPLYCODE then
		error(what .. ": reply " .. tostring(r) .. ", expected a reply code")
	end
	if not mt.eom_check(conn, MT_SMTPREPLY, code, xcode, text) then
		error(what .. ": not the reply " .. code .. " " .. xcode .. " " .. text)
	end
end

function skip(sentence, why)
	print("ok - " .. sentence .. " # SKIP " .. why)
end
