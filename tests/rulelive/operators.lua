-- Every operator of vanthu.rules(5), through the running daemon.  One
-- message satisfies a known set of the o-* rules of lang.rules, a second
-- the complementary set; both lists are written out by hand.
dofile(rl)
local pdf = "%PDF-1.4\n" .. string.rep("%", 200) .. "\n%%EOF\n"

expect_hits({case = "op", subject = "Giấy mời họp", headers = {{"X-Priority", "1"}},
	     docs = {{name = "gm.pdf", data = pdf}}},
	    {"o-is", "o-is-case", "o-eq", "o-is-not", "o-is-folded", "o-contains",
	     "o-not-contains", "o-contains-folded", "o-matches", "o-matches-i", "o-matches-f",
	     "o-in", "o-not-in", "o-in-folded", "o-in-file", "o-in-direction", "o-exists",
	     "o-not-exists", "o-lt", "o-le", "o-gt", "o-ge"},
	    "is, =, is not, folded, contains, matches /i /f, in, in file, exists, < <= > >= (216 >= 216): all that should hold do")
expect_hits({case = "op", subject = "Công văn khẩn", from = "a@example.com",
	     rcpts = {"b@example.org"}, headers = {{"X-Missing", "here"}},
	     text = string.rep("Kinh gui. ", 300),
	     docs = {{name = "a.pdf", data = "%PDF-1.4\n%%EOF\n"}, {name = "b.pdf", data = "%PDF-1.4\n%%EOF\n"}}},
	    {"o-is-not", "o-ne"},
	    "is not and != hold, and every other operator is false for a second message")
expect_hits({case = "op", subject = "GIẤY MỜI HỌP", from = "VanPhong@ChinhPhu.vn",
	     ip = "10.1.2.3", rcpts = {"boss@binhdinh.gov.vn"}},
	    {"o-is", "o-is-case", "o-eq", "o-is-not", "o-ne", "o-is-folded", "o-contains",
	     "o-not-contains", "o-contains-folded", "o-matches-case", "o-matches-i", "o-matches-f",
	     "o-not-in", "o-in-folded", "o-in-file", "o-in-direction", "o-not-exists", "o-lt", "o-le"},
	    "capitals: is ignores case, matches without /i does not, in file trims blanks and ignores case")
