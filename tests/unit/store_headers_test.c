/*
 * store_headers_test.c - header values for registered mail.  The expected
 * encodings were checked by decoding them with Python's email.header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store.h"

static void
register_header_names_the_entry(void **state)
{
	struct doc_result r = { .status = REG_NEW };
	char   *v;

	(void) state;
	strcpy(r.id, "den/2026/123");
	v = store_header_register(&r);
	assert_string_equal(v, "den/2026/123");
	free(v);
	r.status = REG_DUPLICATE;
	v = store_header_register(&r);
	assert_string_equal(v, "den/2026/123 (duplicate)");
	free(v);
	strcpy(r.id, "di/2026/15/QĐ-UBND");
	v = store_header_register(&r);
	assert_string_equal(v, "=?UTF-8?B?ZGkvMjAyNi8xNS9RxJAtVUJORA==?= (duplicate)");
	free(v);
	r.status = REG_SKIPPED;
	assert_null(store_header_register(&r));
}

static void
facts_header_is_encoded_and_folded(void **state)
{
	struct analysis an = {0};
	struct document *d = analysis_add_document(&an);
	char   *v;

	(void) state;
	v = store_header_facts(d);
	assert_string_equal(v, "none");
	free(v);
	fact_set(&d->facts, FACT_REFERENCE, "15/QĐ-BNV", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_DATE, "2026-02-27", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_ISSUER, "BỘ NỘI VỤ", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_TYPE_NAME, "Quyết định", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_SUMMARY, "Về việc ban hành Quy chế công tác "
		 "văn thư của Bộ Nội vụ năm 2026 và các năm tiếp theo",
		 SRC_TEXT, 90);
	v = store_header_facts(d);
	assert_string_equal(v,
	    "=?UTF-8?B?cmVmZXJlbmNlPTE1L1HEkC1CTlY7IGRhdGU9MjAyNi0wMi0yNzsgaXNzdWVy?=\n"
	    "\t=?UTF-8?B?PULhu5ggTuG7mEkgVuG7pDsgdHlwZT1RdXnhur90IMSR4buLbmg7IHN1bW1h?=\n"
	    "\t=?UTF-8?B?cnk9VuG7gSB2aeG7h2MgYmFuIGjDoG5oIFF1eSBjaOG6vyBjw7RuZyB0w6Fj?=\n"
	    "\t=?UTF-8?B?IHbEg24gdGjGsCBj4bunYSBC4buZIE7hu5lpIHbhu6UgbsSDbSAyMDI2IHY=?=\n"
	    "\t=?UTF-8?B?w6AgY8OhYyBuxINtIHRp4bq/cCB0aGVv?=");
	free(v);
	analysis_clear(&an);
}

static void
ascii_facts_stay_readable(void **state)
{
	struct analysis an = {0};
	struct document *d = analysis_add_document(&an);
	char   *v;

	(void) state;
	fact_set(&d->facts, FACT_REFERENCE, "15/QD-BNV", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_DATE, "2026-02-27", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_SUMMARY, "a\r\nb", SRC_TEXT, 90);
	v = store_header_facts(d);
	assert_string_equal(v, "reference=15/QD-BNV; date=2026-02-27; summary=a b");
	free(v);
	analysis_clear(&an);
}

static void
ids_parse_strictly(void **state)
{
	static const struct {
		const char *id;
		int	ok;
		const char *book;
		int	year;
		int64_t	number;
		const char *symbol;
	} cases[] = {
		{"den/2026/123", 1, "den", 2026, 123, ""},
		{"di/2026/15/QĐ-UBND", 1, "di", 2026, 15, "QĐ-UBND"},
		{"di/2026/5/2020/NĐ-CP", 1, "di", 2026, 5, "2020/NĐ-CP"},
		{"den/2026/0", 0, NULL, 0, 0, NULL},
		{"den/2026/007", 0, NULL, 0, 0, NULL},
		{"den/26/1", 0, NULL, 0, 0, NULL},
		{"DEN/2026/1", 0, NULL, 0, 0, NULL},
		{"den/2026/1x", 0, NULL, 0, 0, NULL},
		{"den/2026/-1", 0, NULL, 0, 0, NULL},
		{"den/2026/", 0, NULL, 0, 0, NULL},
		{"den/2026/1/", 0, NULL, 0, 0, NULL},
		{"den/2026/99999999999999999999", 0, NULL, 0, 0, NULL},
		{"/2026/1", 0, NULL, 0, 0, NULL},
		{"", 0, NULL, 0, 0, NULL},
	};
	char	book[32], sym[64];
	int	year;
	int64_t	number;

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	rc = store_id_parse(cases[i].id, book, &year, &number,
					    sym, sizeof(sym));

		assert_int_equal(rc, cases[i].ok ? 0 : -1);
		if (!cases[i].ok)
			continue;
		assert_string_equal(book, cases[i].book);
		assert_int_equal(year, cases[i].year);
		assert_int_equal(number, cases[i].number);
		assert_string_equal(sym, cases[i].symbol);
	}
}

static void
dates_are_real_calendar_days(void **state)
{
	(void) state;
	assert_true(store_date_valid("2026-03-02"));
	assert_true(store_date_valid("2024-02-29"));
	assert_true(store_date_valid("2000-02-29"));
	assert_false(store_date_valid("2026-02-29"));
	assert_false(store_date_valid("1900-02-29"));
	assert_false(store_date_valid("2026-13-01"));
	assert_false(store_date_valid("2026-04-31"));
	assert_false(store_date_valid("2026-4-1"));
	assert_false(store_date_valid("02/03/2026"));
	assert_false(store_date_valid("2026-03-02x"));
	assert_false(store_date_valid(""));
	assert_false(store_date_valid(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(register_header_names_the_entry),
		cmocka_unit_test(facts_header_is_encoded_and_folded),
		cmocka_unit_test(ascii_facts_stay_readable),
		cmocka_unit_test(ids_parse_strictly),
		cmocka_unit_test(dates_are_real_calendar_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
