/*
 * hdrenc_test.c - RFC 2047 encoding of the header text vanthu adds.
 * Expected words computed with Python's base64 module and checked with
 * email.header.decode_header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hdrenc.h"

static void
check(const char *got_owned, const char *want)
{
	char   *got = (char *) got_owned;

	assert_string_equal(got, want);
	free(got);
}

static void
ascii_stays(void **state)
{
	(void) state;
	check(hdr_encode("Quyet dinh / Decision"), "Quyet dinh / Decision");
	check(hdr_encode(""), "");
}

static void
utf8_is_encoded(void **state)
{
	(void) state;
	check(hdr_encode("Quyết định"), "=?UTF-8?B?UXV54bq/dCDEkeG7i25o?=");
	/* A tab is not printable ASCII: encoded too, so nothing breaks a line. */
	check(hdr_encode("a\tb"), "=?UTF-8?B?YQli?=");
}

static void
long_values_split_between_characters(void **state)
{
	(void) state;
	/* 79 bytes: 45 in the first word (72 characters), 34 in the second. */
	check(hdr_encode("Sổ văn bản đến của Ủy ban nhân dân tỉnh Bình Định năm 2026"),
	      "=?UTF-8?B?U+G7lSB2xINuIGLhuqNuIMSR4bq/biBj4bunYSDhu6Z5IGJhbiBuaMOibiBk?= "
	      "=?UTF-8?B?w6JuIHThu4luaCBCw6xuaCDEkOG7i25oIG7Eg20gMjAyNg==?=");
}

static void
truncated_sequence_at_the_end(void **state)
{
	(void) state;
	/* The first byte of a 3-byte sequence, then nothing: kept, not overrun. */
	check(hdr_encode("a\xe1"), "=?UTF-8?B?YeE=?=");
}

static void
subject_prefix(void **state)
{
	(void) state;
	check(hdr_prefix_subject("[KHAN] ", "Cong van 15"), "[KHAN] Cong van 15");
	check(hdr_prefix_subject("[KHAN]", NULL), "[KHAN] ");
	/* Before plain text the blank stays outside the word. */
	check(hdr_prefix_subject("[HỎA TỐC] ", "Cong van"),
	      "=?UTF-8?B?W0jhu45BIFThu5BDXQ==?= Cong van");
	/* Before an encoded word it goes inside: decoders drop blanks
	 * between two encoded words. */
	check(hdr_prefix_subject("[HỎA TỐC]", "=?utf-8?b?Q8O0bmcgdsSDbg==?="),
	      "=?UTF-8?B?W0jhu45BIFThu5BDXSA=?= =?utf-8?b?Q8O0bmcgdsSDbg==?=");
	/* A raw UTF-8 subject (sent with SMTPUTF8) stays as it came. */
	check(hdr_prefix_subject("[KHẨN]", "Công văn"),
	      "=?UTF-8?B?W0tI4bqoTl0=?= Công văn");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_stays),
		cmocka_unit_test(utf8_is_encoded),
		cmocka_unit_test(long_values_split_between_characters),
		cmocka_unit_test(truncated_sequence_at_the_end),
		cmocka_unit_test(subject_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
