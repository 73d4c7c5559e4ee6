-- Every condition of vanthu.rules(5), through the running daemon: each
-- case sends a message that satisfies the condition and one that does
-- not, and compares the X-Hit headers added (lang.rules).
-- -D types=1, text=1, facts=1: the analysis reads real types, text, facts;
-- -D docx=FILE: a DOCX whose text is a KẾ HOẠCH stamped MẬT (mkdocx.py).
dofile(rl)
local pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
local out = {ip = "10.1.2.3", from = "staff@binhdinh.gov.vn", rcpts = {"x@example.com"}}

expect_hits({case = "direction"}, {"c-inbound"},
	    "direction is inbound: a client outside to our domain")
expect_hits({case = "direction", ip = out.ip, from = out.from, rcpts = out.rcpts},
	    {"c-outbound"}, "direction is outbound: an internal host to a domain outside")
expect_hits({case = "direction", ip = "203.0.113.9", auth = "staff", from = out.from,
	     rcpts = {"boss@binhdinh.gov.vn", "x@example.com"}},
	    {"c-outbound"}, "direction is outbound: an authenticated client, one recipient outside")
expect_hits({case = "direction", ip = out.ip, from = out.from, rcpts = {"boss@binhdinh.gov.vn"}},
	    {"c-internal"}, "direction is internal: an internal host to our own domain")
expect_hits({case = "direction", from = "a@example.com", rcpts = {"b@example.org"}},
	    {"c-transit"}, "direction is transit: outside to outside")

expect_hits({case = "official"}, {"c-official"}, "official: a sender in OfficialDomains")
expect_hits({case = "official", from = "a@example.com"}, {},
	    "official: a sender outside OfficialDomains is not")
expect_hits({case = "official", from = "a@chinhphu.vn"}, {"c-official"},
	    "official: a second OfficialDomains entry counts too")

expect_hits({case = "sender", from = "VanThu@SoNoi.gov.vn"}, {"c-sender"},
	    "sender is: the envelope sender, in any case")
expect_hits({case = "sender", from = "vanthu2@sonoi.gov.vn"}, {},
	    "sender is: another sender does not match")

expect_hits({case = "recipient", rcpts = {"vanthu@binhdinh.gov.vn", "lanhdao@binhdinh.gov.vn"}},
	    {"c-recipient"}, "recipient: one of two recipients is enough")
expect_hits({case = "recipient"}, {}, "recipient: no recipient matching gives no hit")

expect_hits({case = "header", headers = {{"X-Priority", "1"}}}, {"c-header"},
	    "header \"Name\": a header of that name and value")
expect_hits({case = "header", headers = {{"X-Priority", "3"}}}, {},
	    "header \"Name\": another value does not match")

expect_hits({case = "subject", subject = "=?utf-8?b?Q8O0bmcgdsSDbiBz4buRIDE1?="}, {"c-subject"},
	    "subject: an RFC 2047 encoded subject is decoded before matching")
expect_hits({case = "subject", subject = "=?utf-8?q?C=C3=B4ng_v?=\n =?utf-8?q?=C4=83n_s=E1=BB=91_15?="},
	    {"c-subject"}, "subject: a folded subject of two encoded words is joined before matching")
expect_hits({case = "subject", subject = "CÔNG VĂN số 15"}, {"c-subject"},
	    "subject: a raw UTF-8 subject, in capitals")
expect_hits({case = "subject", subject = "Cong van so 15"}, {},
	    "subject: without diacritics it does not contain the marked words")

expect_hits({case = "message-size", text = string.rep("Kinh gui. ", 2000)}, {"c-message-size"},
	    "message-size: a 20 kB message is over 10k")
expect_hits({case = "message-size"}, {}, "message-size: a short message is not")

expect_hits({case = "documents", docs = {{name = "a.pdf", data = pdf}, {name = "b.pdf", data = pdf}}},
	    {"c-documents"}, "documents: two attachments make two documents")
expect_hits({case = "documents", docs = {{name = "a.pdf", data = pdf}}}, {},
	    "documents: one attachment is not two")

expect_hits({case = "name", docs = {{name = "Tờ trình 12.DOCX", data = pdf}}}, {"d-name"},
	    "name: the attachment's file name, a pattern with /i")
expect_hits({case = "name", docs = {{name = "to-trinh.docx.pdf", data = pdf}}}, {},
	    "name: another extension does not match")

expect_hits({case = "size", docs = {{name = "a.pdf", data = pdf .. string.rep("x", 1100)}}},
	    {"d-size"}, "size: a document of 1,176 bytes is at least 1k")
expect_hits({case = "size", docs = {{name = "a.pdf", data = pdf}}}, {},
	    "size: a document of 76 bytes is not")

expect_hits({case = "signature", docs = {{name = "cv.pdf", data = pdf}}}, {"d-signature-absent"},
	    "signature is absent: an unsigned document")
if signed ~= nil and signed ~= "" then
	expect_hits({case = "signature", docs = {{name = "qd.pdf", data = read_file(signed)}}},
		    {"d-signature-valid"},
		    "signature is valid: a PDF signed twice under the configured test anchor")
else
	skip("signature is valid: a document signed under a configured anchor",
	     "the test PKI or podofosign could not be made")
end

if types == "1" then
	expect_hits({case = "type", docs = {{name = "scan.bin", data = pdf}}}, {"d-type"},
		    "type: the real type of a PDF sent as scan.bin")
	expect_hits({case = "type", docs = {{name = "a.pdf", data = read_file(docx), type = "application/pdf"}}},
		    {}, "type: a DOCX declared as application/pdf is not a PDF")
else
	skip("type: the real type of a PDF sent as scan.bin", "the analysis does not read real types yet")
	skip("type: a DOCX declared as application/pdf is not a PDF", "the analysis does not read real types yet")
end
local docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
if text == "1" then
	expect_hits({case = "text", docs = {{name = "kh.docx", type = docx_type, data = read_file(docx)}}},
		    {"d-text"}, "text: the extracted text of a document")
else
	skip("text: the extracted text of a document", "the analysis does not extract text yet")
end
if facts == "1" then
	expect_hits({case = "facts", docs = {{name = "kh.docx", type = docx_type, data = read_file(docx)}}},
		    {"d-secrecy", "d-type-code", "d-number"},
		    "facts: secrecy, type_code and number read from the document")
else
	skip("facts: secrecy, type_code and number read from the document",
	     "the analysis does not read document facts yet")
end

local two = {{name = "a.pdf", data = pdf}, {name = "b.docx", data = pdf}}
expect_hits({case = "quantifier", docs = two}, {"d-any"},
	    "any document: one PDF of two is enough, all documents is not satisfied")
expect_hits({case = "quantifier", docs = {{name = "a.pdf", data = pdf}, {name = "b.pdf", data = pdf}}},
	    {"d-any", "d-all"}, "all documents: every document is a PDF")
expect_hits({case = "quantifier"}, {}, "any and all documents: mail without documents matches neither")
expect_hits({case = "each", docs = {{name = "to-trinh-1.pdf", data = pdf}, {name = "cv.pdf", data = pdf},
				    {name = "to-trinh-2.pdf", data = pdf}}},
	    {"d-each", "d-each"}, "for each document: the rule acts once per matching document")

expect_hits({case = "logic", subject = "a b"}, {"l-and", "l-or", "l-precedence"},
	    "and, or: both words satisfy and, or, and the precedence case")
expect_hits({case = "logic", subject = "b"}, {"l-or", "l-not"},
	    "or, not: one word satisfies or, and not of the other")
expect_hits({case = "logic", subject = "b c"}, {"l-or", "l-not", "l-precedence"},
	    "and binds tighter than or: b and c satisfy a or (b and c)")
expect_hits({case = "logic", subject = "x"}, {"l-not"}, "not: neither word, only not matches")
