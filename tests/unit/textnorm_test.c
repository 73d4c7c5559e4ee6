/*
 * textnorm_test.c - NFC and folding of Vietnamese text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "textnorm.h"

static void
nfd_becomes_nfc(void **state)
{
	/* "Quyết" decomposed: e + U+0302 circumflex + U+0301 acute. */
	const char nfd[] = "Quye\xCC\x82\xCC\x81t";
	char   *s = text_nfc(nfd, strlen(nfd));

	(void) state;
	assert_string_equal(s, "Quyết");
	free(s);
}

static void
invalid_bytes_stay_visible(void **state)
{
	const char bad[] = "ab\xFF" "c\0d";
	char   *s = text_nfc(bad, sizeof(bad) - 1);

	(void) state;
	assert_string_equal(s, "ab\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d");
	assert_false(text_utf8_valid(bad, sizeof(bad) - 1));
	assert_true(text_utf8_valid("Đà Nẵng", strlen("Đà Nẵng")));
	free(s);
}

static void
folding_ignores_case_and_marks(void **state)
{
	static const char *const cases[][2] = {
		{"QUYẾT ĐỊNH", "quyet dinh"},
		{"Quyết định", "quyet dinh"},
		{"Số: 15/QĐ-BNV", "so: 15/qd-bnv"},
		{"TUYỆT MẬT", "tuyet mat"},
		{"Hỏa tốc", "hoa toc"},
		{"", ""},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *f = text_fold(cases[i][0]);

		assert_string_equal(f, cases[i][1]);
		free(f);
	}
}

/* What text_put writes for s, in a static buffer. */
static const char *
put(const char *s, int lines)
{
	static char buf[256];
	FILE   *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	text_put(f, s, lines);
	fclose(f);
	return buf;
}

static void
control_characters_never_reach_the_terminal(void **state)
{
	(void) state;
	assert_string_equal(put("C\xC3\xB4ng v\xC4\x83n", 0), "C\xC3\xB4ng v\xC4\x83n");
	assert_string_equal(put("a\x1b[2Jb", 0), "a\xEF\xBF\xBD" "[2Jb");
	assert_string_equal(put("a\x7f\x07" "b", 0), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
	/* C1 controls, as UTF-8: U+009B (CSI) goes, U+00A0 stays. */
	assert_string_equal(put("a\xC2\x9B" "1m\xC2\xA0" "b", 0),
			    "a\xEF\xBF\xBD" "1m\xC2\xA0" "b");
	assert_string_equal(put("a\tb\r\nc", 0), "a b  c");
	assert_string_equal(put("a\tb\r\nc", 1), "a b \nc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfd_becomes_nfc),
		cmocka_unit_test(invalid_bytes_stay_visible),
		cmocka_unit_test(folding_ignores_case_and_marks),
		cmocka_unit_test(control_characters_never_reach_the_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
