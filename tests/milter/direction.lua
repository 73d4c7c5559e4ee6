-- Direction from the client address, authentication and recipients.
-- The daemon runs with Domains binhdinh.gov.vn and InternalHosts 10.0.0.0/8.
dofile(lib)
local cases = {
	{ip = "203.0.113.5", from = "a@sonoi.gov.vn", rcpts = {"vanthu@binhdinh.gov.vn"},
	 want = "direction=inbound official=yes", what = "mail from outside to us is inbound"},
	{ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"x@example.com"},
	 want = "direction=outbound official=yes", what = "mail from an internal host to outside is outbound"},
	{ip = "203.0.113.5", auth = "staff", from = "staff@binhdinh.gov.vn", rcpts = {"x@example.com"},
	 want = "direction=outbound official=yes", what = "mail from an authenticated client to outside is outbound"},
	{ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"boss@binhdinh.gov.vn"},
	 want = "direction=internal official=yes", what = "mail between our own users is internal"},
	{ip = "203.0.113.5", from = "x@example.com", rcpts = {"y@example.org"},
	 want = "direction=transit official=no", what = "mail from outside to outside is transit"},
	{ip = "203.0.113.5", from = "a@chinhphu.vn", rcpts = {"vanthu@binhdinh.gov.vn"},
	 want = "direction=inbound official=yes", what = "a domain added to OfficialDomains is official"},
	{ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"spy%gmail.com@binhdinh.gov.vn"},
	 want = "direction=outbound official=yes", what = "a recipient routed on by the percent hack is outside"},
	{ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"boss@binhdinh.gov.vn", "gmail.com!spy@binhdinh.gov.vn"},
	 want = "direction=outbound official=yes", what = "a recipient routed on by a bang path is outside"},
}
for _, c in ipairs(cases) do
	run(c.what, function()
		local conn = open_message(c)
		send_content(conn, {{"From", c.from}}, "x\r\n")
		mt.eom(conn)
		check(mt.getreply(conn) == SMFIR_ACCEPT and
		      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status", c.want .. " documents=0"), c.what)
		mt.disconnect(conn)
	end)
end

-- The direction is decided on every recipient: with 10,000 of ours
-- first, one more outside makes the message outbound, and one past
-- RCPTS_MAX (10,000) gets it refused rather than judged on a part.
local function many_rcpts(n, last)
	local r = {}
	for i = 1, n - 1 do
		r[i] = "u" .. i .. "@binhdinh.gov.vn"
	end
	r[n] = last
	return r
end
for _, c in ipairs({
	{n = 10000, reply = SMFIR_ACCEPT,
	 what = "10,000 recipients, the last outside, make the message outbound"},
	{n = 10001, reply = SMFIR_REPLYCODE,
	 what = "a message with 10,001 recipients is rejected with 550 5.5.3"}}) do
	run(c.what, function()
		local conn = open_message({ip = "10.1.2.3", from = "staff@binhdinh.gov.vn",
					   rcpts = many_rcpts(c.n, "x@example.com")})
		send_content(conn, {{"From", "staff@binhdinh.gov.vn"}}, "x\r\n")
		mt.eom(conn)
		local r = mt.getreply(conn)
		if c.reply == SMFIR_ACCEPT then
			check(r == SMFIR_ACCEPT and
			      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Status",
					   "direction=outbound official=yes documents=0"), c.what)
		else
			check(r == SMFIR_REPLYCODE and
			      mt.eom_check(conn, MT_SMTPREPLY, "550", "5.5.3",
					   "Too many recipients for the document filter"), c.what)
		end
		mt.disconnect(conn)
	end)
end
