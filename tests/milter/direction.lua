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
