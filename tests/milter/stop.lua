-- A stop while a message is in flight: the daemon is sent SIGTERM after
-- the message's body and before its end; the message still ends with its
-- register number, and a message begun after the signal, on a connection
-- opened before it, is deferred.  -D pid=PID -D year=YYYY -D pdf=BASE64.
dofile(lib)
run("a message in flight at a stop is finished", function()
	local conn = open_message({qid = "INFLIGHT"})
	send_files(conn, "inflight", "Cong van", {{"dung.pdf", "application/pdf", pdf}})
	local idle = mt.connect(sock, 10, 0.2)
	if idle == nil then error("cannot connect to " .. sock) end
	mt.conninfo(idle, "client.example", "203.0.113.5")
	expect(idle, SMFIR_CONTINUE, "connect")
	mt.helo(idle, "client.example")
	expect(idle, SMFIR_CONTINUE, "helo")
	os.execute("kill -TERM " .. pid .. "; sleep 0.5")
	mt.macro(idle, SMFIC_MAIL, "i", "LATECOMER")
	mt.mailfrom(idle, "<vanthu@sonoi.gov.vn>")
	check(mt.getreply(idle) == SMFIR_REPLYCODE,
	      "a message begun after SIGTERM is deferred")
	mt.disconnect(idle)
	mt.eom(conn)
	check(mt.getreply(conn) == SMFIR_ACCEPT and
	      mt.eom_check(conn, MT_HDRADD, "X-Vanthu-Register"),
	      "the message in flight at SIGTERM is accepted with its register number")
	mt.disconnect(conn)
end)
