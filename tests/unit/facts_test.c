/*
 * facts_test.c - names and lifetimes of the shared analysis structures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"

static void
fact_names_round_trip(void **state)
{
	(void) state;
	for (int i = 0; i < FACT__COUNT; i++) {
		assert_non_null(fact_names[i]);
		assert_int_equal(fact_by_name(fact_names[i]), i);
	}
	assert_int_equal(fact_by_name("SUMMARY"), FACT_SUMMARY);
	assert_int_equal(fact_by_name("nothing"), -1);
}

static void
weakest_verdict_wins(void **state)
{
	(void) state;
	assert_int_equal(sig_verdict_weakest(SIG_VALID, SIG_INVALID), SIG_INVALID);
	assert_int_equal(sig_verdict_weakest(SIG_MALFORMED, SIG_VALID), SIG_MALFORMED);
	assert_int_equal(sig_verdict_weakest(SIG_VALID, SIG_VALID), SIG_VALID);
	assert_int_equal(sig_verdict_weakest(SIG_VALID, SIG_ABSENT), SIG_ABSENT);
	assert_string_equal(sig_verdict_names[SIG_UNTRUSTED], "untrusted");
	assert_int_equal(sig_verdict_by_name("revoked"), SIG_REVOKED);
}

static void
analysis_owns_its_strings(void **state)
{
	struct analysis a;
	struct document *d;

	(void) state;
	memset(&a, 0, sizeof(a));
	d = analysis_add_document(&a);
	assert_int_equal(d->sig_verdict, SIG_ABSENT);
	fact_set(&d->facts, FACT_REFERENCE, "15/QĐ-BNV", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_REFERENCE, "16/QĐ-BNV", SRC_EDXML, 100);
	assert_string_equal(d->facts.f[FACT_REFERENCE].value, "16/QĐ-BNV");
	assert_int_equal(d->facts.f[FACT_REFERENCE].source, SRC_EDXML);
	fact_set(&d->facts, FACT_REFERENCE, NULL, SRC_TEXT, 90);
	assert_null(d->facts.f[FACT_REFERENCE].value);
	assert_int_equal(d->facts.f[FACT_REFERENCE].source, SRC_NONE);
	analysis_skip(&a, "3", "x.exe", "unsupported: executable");
	assert_int_equal(a.nskipped, 1);
	analysis_clear(&a);
	assert_int_equal(a.ndocs, 0);
	assert_null(a.docs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fact_names_round_trip),
		cmocka_unit_test(weakest_verdict_wins),
		cmocka_unit_test(analysis_owns_its_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
