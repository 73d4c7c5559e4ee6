-- twice.lua - a message in flight, then SIGTERM twice: run.bash checks
-- that the second signal stopped the daemon without waiting for the
-- message.  -D pid=PID.
dofile(lib)
run("a message is in flight at two SIGTERMs", function()
	local conn = open_message({qid = "CUTSHORT"})
	mt.header(conn, "From", "vanthu@sonoi.gov.vn")
	expect(conn, SMFIR_CONTINUE, "header")
	os.execute("kill -TERM " .. pid .. "; sleep 0.3; kill -TERM " .. pid)
	check(true, "a message is in flight at two SIGTERMs")
	os.execute("sleep 0.5")
end)
