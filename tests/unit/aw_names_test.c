/*
 * aw_names_test.c - file names from RFC 2231, RFC 2047, charsets, NFC, and
 * what makes a name safe.  Expected values written by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libetpan/libetpan.h>

#include "aw_names.h"

#define FFFD	"\xEF\xBF\xBD"

struct pcase {
	struct aw_param p[4];
	const char *want;	/* NULL: no name */
};

static void
rfc2231_and_plain_params(void **state)
{
	static const struct pcase cases[] = {
		/* extended value, utf-8 */
		{{{"filename*", "utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf"}},
		 "Quyết định.pdf"},
		/* continuations, the last one not extended */
		{{{"filename*0*", "utf-8''C%C3%B4ng"}, {"filename*1*", "%20v%C4%83n"},
		  {"filename*2", ".pdf"}}, "Công văn.pdf"},
		/* continuations out of order */
		{{{"filename*1*", "%20v%C4%83n"}, {"filename*0*", "utf-8''C%C3%B4ng"}},
		 "Công văn"},
		/* a gap ends the name */
		{{{"filename*0", "a"}, {"filename*2", "c"}}, "a"},
		/* RFC 2231 wins over the plain value; names ignore case */
		{{{"filename", "x.pdf"}, {"FILENAME*", "UTF-8''y.pdf"}}, "y.pdf"},
		/* the plain value with RFC 2047 words */
		{{{"filename", "=?utf-8?Q?T=E1=BB=9D_tr=C3=ACnh.pdf?="}},
		 "Tờ trình.pdf"},
		{{{"filename", "=?UTF-8?B?QsOhbyBjw6Fv?="}}, "Báo cáo"},
		/* windows-1258 keeps its last character, a tone mark */
		{{{"filename*", "windows-1258'vi'H%E0"}}, "Hà"},
		{{{"filename*", "windows-1258''Vi%EA%F2t"}}, "Việt"},
		{{{"filename*", "windows-1258''%F0%F4%CC"}}, "đồ"},
		/* iso-8859-1 */
		{{{"filename*", "iso-8859-1''R%E9sum%E9.pdf"}}, "Résumé.pdf"},
		/* invalid UTF-8 and NUL show as U+FFFD */
		{{{"filename*", "utf-8''a%FFb%00c"}}, "a" FFFD "b" FFFD "c"},
		/* an unknown or hostile charset is read as UTF-8 */
		{{{"filename*", "x-bogus''%C4%91"}}, "đ"},
		{{{"filename*", "../../lib/x''%C4%91"}}, "đ"},
		/* no quotes: the whole value is text */
		{{{"filename*", "plain%20name"}}, "plain name"},
		/* absent */
		{{{"name", "other"}}, NULL},
		{{{0}}, NULL},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t  n = 0;
		char   *r;

		while (n < 4 && cases[i].p[n].name)
			n++;
		r = aw_name_from_params(cases[i].p, n, "filename");
		if (cases[i].want == NULL) {
			assert_null(r);
		} else {
			assert_non_null(r);
			assert_string_equal(r, cases[i].want);
		}
		free(r);
	}
}

static void
rfc2047_words(void **state)
{
	static const char *const cases[][2] = {
		{"=?utf-8?Q?a?= b =?utf-8?Q?c?=", "a b c"},
		{"=?utf-8?Q?a?=  \t =?utf-8?Q?c?=", "ac"},
		/* a character split across two words */
		{"=?utf-8?Q?=E1=BA?= =?utf-8?Q?=BF?=", "ế"},
		/* two charsets side by side */
		{"=?iso-8859-1?Q?=E9?= =?utf-8?Q?=C3=A9?=", "éé"},
		/* RFC 2231 language suffix */
		{"=?utf-8*vi?Q?Vi=E1=BB=87t?=", "Việt"},
		{"=?windows-1258?Q?H=E0?=", "Hà"},
		/* not words: kept as they are */
		{"=?utf-8?X?abc?=", "=?utf-8?X?abc?="},
		{"=?utf-8?Q?abc", "=?utf-8?Q?abc"},
		{"=??Q?abc?=", "=??Q?abc?="},
		{"a=?b", "a=?b"},
		/* raw NFD text comes out in NFC */
		{"Quye\xCC\x82\xCC\x81t", "Quyết"},
		{"", ""},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *r = aw_name_decode_words(cases[i][0],
						 strlen(cases[i][0]));

		assert_string_equal(r, cases[i][1]);
		free(r);
	}
}

static void
charset_conversion(void **state)
{
	char   *r;

	(void) state;
	/* "Hà Nội" in windows-1258, decomposed tone marks. */
	r = aw_name_convert("windows-1258", "Ha\xCC N\xF4\xF2i", 8);
	assert_string_equal(r, "Hà Nội");
	free(r);
	r = aw_name_convert("WINDOWS-1258", "\xD0" "a\xCC", 3);
	assert_string_equal(r, "Đà");
	free(r);
	r = aw_name_convert("iso-8859-1", "caf\xE9", 4);
	assert_string_equal(r, "café");
	free(r);
	/* A truncated UTF-8 sequence at the end. */
	r = aw_name_convert("utf-8", "ab\xE1\xBA", 4);
	assert_string_equal(r, "ab" FFFD FFFD);
	free(r);
	/* A byte Shift_JIS cannot read, in a charset iconv knows. */
	r = aw_name_convert("shift_jis", "a\x80" "b", 3);
	assert_string_equal(r, "a" FFFD "b");
	free(r);
}

/* fn on each cases[i][0] gives cases[i][1] (NULL: nothing), and on
 * NULL gives NULL. */
static void
check_names(char *(*fn)(const char *), const char *const cases[][2],
	    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char   *r = fn(cases[i][0]);

		if (cases[i][1] == NULL) {
			assert_null(r);
		} else {
			assert_non_null(r);
			assert_string_equal(r, cases[i][1]);
		}
		free(r);
	}
	assert_null(fn(NULL));
}

static void
safe_names(void **state)
{
	static const char *const cases[][2] = {
		{"../../etc/passwd", "passwd"},
		{"C:\\Users\\vt\\qd.pdf", "qd.pdf"},
		{"/abs/path/x.pdf", "x.pdf"},
		{"..", NULL},
		{".", NULL},
		{"dir/", NULL},
		{"", NULL},
		{"   ", NULL},
		{"  a.pdf  ", "a.pdf"},
		{"a\tb.pdf", "a" FFFD "b.pdf"},
		{"a\x7f" "b", "a" FFFD "b"},
		{"\xE2\x80\xAE" "fdp.exe", FFFD "fdp.exe"},
		{".hidden", ".hidden"},
		{"Quyết định số 15.pdf", "Quyết định số 15.pdf"},
	};

	(void) state;
	check_names(aw_name_safe, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
uncompressed_names(void **state)
{
	static const char *const cases[][2] = {
		{"qd.pdf.gz", "qd.pdf"},
		{"QD.PDF.GZ", "QD.PDF"},
		{"cv.pdf.bz2", "cv.pdf"},
		{"cv.pdf.xz", "cv.pdf"},
		{"cv.pdf.zst", "cv.pdf"},
		{"a.pdf.gz.gz", "a.pdf.gz"},
		{".gz", NULL},
		{"...gz", NULL},
		{"  .gz", NULL},
		{"vanban", NULL},
		{"vanban.tgz", NULL},
		{"gz", NULL},
	};

	(void) state;
	check_names(aw_name_uncompressed, cases,
		    sizeof(cases) / sizeof(cases[0]));
}

static void
long_names_are_cut_at_a_character(void **state)
{
	char    in[3 * 300 + 1], *r;

	(void) state;
	for (int i = 0; i < 300; i++)
		memcpy(in + 3 * i, "ế", 3);
	in[900] = 0;
	r = aw_name_safe(in);
	assert_int_equal(strlen(r), 255);	/* 85 whole characters */
	assert_memory_equal(r, in, 255);
	free(r);
	memset(in, 'a', 300);
	in[300] = 0;
	r = aw_name_safe(in);
	assert_int_equal(strlen(r), AW_NAME_MAX);
	free(r);
}

static void
libetpan_keeps_the_last_windows_1258_character(void **state)
{
	const char *v = "=?windows-1258?Q?H=E0_N=F4=F2i?=";
	size_t  idx = 0;
	char   *r = NULL;

	(void) state;
	aw_names_charconv_install();
	assert_int_equal(mailmime_encoded_phrase_parse("utf-8", v, strlen(v),
						       &idx, "utf-8", &r), 0);
	assert_string_equal(r, "Hà Nội");	/* libetpan alone: "Hà Nộ" */
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2231_and_plain_params),
		cmocka_unit_test(rfc2047_words),
		cmocka_unit_test(charset_conversion),
		cmocka_unit_test(safe_names),
		cmocka_unit_test(uncompressed_names),
		cmocka_unit_test(long_names_are_cut_at_a_character),
		cmocka_unit_test(libetpan_keeps_the_last_windows_1258_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
