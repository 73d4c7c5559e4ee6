/*
 * rules_eval_test.c - conditions against one known message, pattern
 * limits, diacritic folding, and evaluation from several threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "rint.h"
#include "textnorm.h"
#include "xmalloc.h"

static struct msg_info msg;
static struct analysis an;

static void
build_message(void)
{
	struct document *d;

	memset(&msg, 0, sizeof(msg));
	memset(&an, 0, sizeof(an));
	msg.direction = DIR_INBOUND;
	msg.official = 1;
	msg.from = xstrdup("VanThu@BinhDinh.gov.vn");
	msg.nrcpts = 2;
	msg.rcpts = xcalloc(2, sizeof(char *));
	msg.rcpts[0] = xstrdup("vanthu@sonv.gov.vn");
	msg.rcpts[1] = xstrdup("giamdoc@sonv.gov.vn");
	msg.subject = xstrdup("Quyết định số 15/QĐ-UBND");
	msg.size = 300000;
	msg.nheaders = 2;
	msg.headers = xcalloc(2, sizeof(struct header));
	msg.headers[0].name = xstrdup("Received");
	msg.headers[0].value = xstrdup("from a");
	msg.headers[1].name = xstrdup("x-edxml-organid");
	msg.headers[1].value = xstrdup("000.00.00.G22");

	d = analysis_add_document(&an);
	d->name = xstrdup("QD-15.signed.pdf");
	d->type = xstrdup("application/pdf");
	d->size = 150000;
	d->sig_verdict = SIG_VALID;
	/* NFD on purpose: "Độc lập" decomposed, as PDFs often give it. */
	d->text = xstrdup("\xC4\x90o\xCC\x82\xCC\xA3" "c la\xCC\x82\xCC\xA3p - "
			  "Tu\xCC\x9B"
			  "\xCC\xA3 do\nSố: 15/QĐ-UBND\nTỐI MẬT\n");
	fact_set(&d->facts, FACT_ISSUER, "UBND tỉnh Bình Định", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_NUMBER, "15", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_DATE, "2021-04-28", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_SECRECY, "TỐI MẬT", SRC_TEXT, 90);

	d = analysis_add_document(&an);
	d->name = xstrdup("phu-luc.docx");
	d->type = xstrdup("application/vnd.openxmlformats-officedocument."
			  "wordprocessingml.document");
	d->size = 20000;
	d->sig_verdict = SIG_ABSENT;
}

struct eval_case {
	const char *cond;
	int     want;
};

static const struct eval_case cases[] = {
	{"direction is inbound", 1},
	{"direction is outbound", 0},
	{"direction in [outbound, inbound]", 1},
	{"official", 1},
	{"not official", 0},
	{"sender is \"vanthu@binhdinh.gov.vn\"", 1},
	{"sender contains \"BINHDINH\"", 1},
	{"sender matches /binhdinh/", 0},
	{"sender matches /binhdinh/i", 1},
	{"recipient is \"giamdoc@sonv.gov.vn\"", 1},
	{"recipient is not \"giamdoc@sonv.gov.vn\"", 0},
	{"recipient contains \"@gmail\"", 0},
	{"header \"X-EDXML-OrganId\" is \"000.00.00.g22\"", 1},
	{"header \"received\" exists", 1},
	{"header \"DKIM-Signature\" exists", 0},
	{"subject contains \"QĐ-UBND\"", 1},
	{"subject contains \"qđ-ubnd\"", 1},
	{"subject contains \"QD-UBND\"", 0},
	{"subject contains folded \"QD-UBND\"", 1},
	{"subject matches /quyet dinh/f", 1},
	{"subject matches /QUYẾT ĐỊNH/f", 1},
	{"subject matches /QUYẾT ĐỊNH/", 0},
	{"subject matches /QUYẾT ĐỊNH/i", 1},
	{"message-size > 292k", 1},
	{"message-size > 293k", 0},
	{"documents = 2", 1},
	{"documents != 2", 0},
	{"name matches /\\.signed\\.pdf$/", 1},
	{"type is \"application/pdf\"", 1},
	{"all documents (type is \"application/pdf\")", 0},
	{"any document (type is \"application/pdf\" and signature is valid)", 1},
	{"any document (type is \"application/pdf\" and signature is absent)", 0},
	{"all documents (size < 200k)", 1},
	{"signature is absent", 1},
	{"all documents (signature in [valid, absent])", 1},
	/* NFD text still matches NFC and folded patterns. */
	/* Case folding composes, so NFD text meets NFC literals. */
	{"text contains \"Độc lập\"", 1},
	{"text contains folded \"doc lap\"", 1},
	{"text matches /doc lap/f", 1},
	{"text matches /(?m)^TỐI MẬT$/", 1},
	{"issuer is \"ubnd tỉnh bình định\"", 1},
	{"issuer is \"ubnd tinh binh dinh\"", 0},
	{"issuer is folded \"ubnd tinh binh dinh\"", 1},
	{"number = 15 and number >= 15 and number <= 15", 1},
	{"number > 15 or number < 15", 0},
	{"date > 2021-04-27 and date < 2021-04-29", 1},
	{"date is 2021-04-28", 1},
	{"date >= 2021-04-29", 0},
	{"secrecy in [\"MẬT\", \"TỐI MẬT\", \"TUYỆT MẬT\"]", 1},
	{"secrecy in folded [\"toi mat\"]", 1},
	{"urgency exists", 0},
	{"not urgency exists", 1},
	{"summary contains \"x\"", 0},
	{"not summary contains \"x\"", 1},
	{"(official or direction is outbound) and not (documents > 5)", 1},
	{"official and direction is outbound or documents = 2", 1},
	{"official and (direction is outbound or documents = 3)", 0},
};

static void
conditions_against_a_known_message(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *src = xasprintf("rule t { when %s; log \"x\"; }",
					cases[i].cond);
		struct ruleset *rs = rules_load_buffer("t", src, strlen(src),
						       stderr);
		struct rule_result r;

		if (rs == NULL)
			fail_msg("case %zu does not load: %s", i, src);
		assert_int_equal(rules_eval(rs, &msg, &an, &r), 0);
		if ((int) r.nmatched != cases[i].want)
			fail_msg("case %zu: %s: got %zu, want %d", i,
				 cases[i].cond, r.nmatched, cases[i].want);
		rule_result_clear(&r);
		rules_unref(rs);
		free(src);
	}
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* (a+)+$ over a megabyte: stopped by its limit, quickly, and reported;
 * the refusing rule it leaves undecided holds the message. */
static void
catastrophic_pattern_is_bounded(void **state)
{
	static const char src[] =
		"rule bad { when text matches /(a+)+$/; reject; }\n"
		"rule next { log \"went on\"; }\n";
	struct ruleset *rs = rules_load_buffer("t", src, strlen(src), stderr);
	struct msg_info m;
	struct analysis a;
	struct document *d;
	struct rule_result r;
	size_t  n = 1 << 20;
	double  t0, ms;

	(void) state;
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	d = analysis_add_document(&a);
	d->text = xmalloc(n + 1);
	memset(d->text, 'a', n);
	d->text[n - 1] = '!';
	d->text[n] = 0;

	t0 = now_ms();
	assert_int_equal(rules_eval(rs, &m, &a, &r), 0);
	ms = now_ms() - t0;
	/* A few milliseconds optimised; allow for sanitizer builds. */
	if (ms > 500)
		fail_msg("took %.1f ms", ms);
	assert_int_equal(r.disposition, RD_QUARANTINE);
	assert_string_equal(r.quarantine_reason,
			    "rule bad undecided: a pattern gave up");
	assert_int_equal(r.nlimits, 1);
	assert_string_equal(r.limits[0].rule, "bad");
	assert_string_equal(r.limits[0].what, "match limit");
	assert_int_equal(r.limits[0].doc, 0);
	assert_int_equal(r.nmatched, 1);
	assert_string_equal(r.matched[0], "next");
	rule_result_clear(&r);
	analysis_clear(&a);
	rules_unref(rs);
}

/* Folding applies to non-ASCII literals of a pattern, not its syntax. */
static void
folded_pattern_keeps_its_syntax(void **state)
{
	static const struct {
		const char *pat, *subject;
		int     want;
	} t[] = {
		{"\\D+ĐỊNH", "Quyết định", 1},
		{"^[A-Z]+ Đ", "Quyết định", 1},
		{"(?<Số>\\d+)/QĐ", "số 15/qđ", 1},
		{"\\bMẬT\\b", "tài liệu mật", 1},
		{"\\bMẬT\\b", "mặt trận", 1},	/* folded: mat = mat */
		{"\\bMẬT\\b", "mật khẩu", 1},
		{"Hỏa\\s+tốc", "HOA   TOC", 1},
		{"\\S+ tốc", "hỏa tốc", 1},
		{"\\S+ tốc", " tốc", 0},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char    msg_[256];
		size_t  off;
		struct regex *rx = regex_compile(t[i].pat, RX_FOLD, &off,
						 msg_, sizeof(msg_));
		char   *f = text_fold(t[i].subject);
		const char *what = NULL;

		assert_non_null(rx);
		if (regex_match(rx, f, strlen(f), &what) != t[i].want)
			fail_msg("case %zu: /%s/f on \"%s\"", i, t[i].pat,
				 t[i].subject);
		free(f);
		regex_free(rx);
	}
}

/* Damaged UTF-8 in a header never makes matching fail. */
static void
invalid_utf8_is_matched_safely(void **state)
{
	char    msg_[256];
	size_t  off;
	struct regex *rx = regex_compile("b.d", 0, &off, msg_, sizeof(msg_));
	const char *what = NULL;
	char   *cf;

	(void) state;
	assert_int_equal(regex_match(rx, "a\xff" "b\xc3" "d", 6, &what), 0);
	assert_int_equal(regex_match(rx, "a\xff" "bcd", 5, &what), 1);
	regex_free(rx);
	cf = str_casefold("AB\xff");
	assert_string_equal(cf, "ab\xEF\xBF\xBD");
	free(cf);
}

struct thread_arg {
	const struct ruleset *rs;
	int     ok;
};

static void *
eval_many(void *p)
{
	struct thread_arg *ta = p;

	ta->ok = 1;
	for (int i = 0; i < 200; i++) {
		struct rule_result r;

		if (rules_eval(ta->rs, &msg, &an, &r) != 0 || r.nmatched != 2 ||
		    r.disposition != RD_QUARANTINE)
			ta->ok = 0;
		rule_result_clear(&r);
	}
	return NULL;
}

static void
threads_share_one_ruleset(void **state)
{
	static const char src[] =
		"rule a { when text matches /tối mật/i and subject matches "
		"/quyet/f; quarantine \"secret\"; }\n"
		"rule b for each document { when signature is absent; "
		"flag \"unsigned\"; }\n";
	struct ruleset *rs = rules_load_buffer("t", src, strlen(src), stderr);
	pthread_t th[4];
	struct thread_arg ta[4];

	(void) state;
	for (int i = 0; i < 4; i++) {
		ta[i].rs = rules_ref(rs);
		pthread_create(&th[i], NULL, eval_many, &ta[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_true(ta[i].ok);
		rules_unref(rs);
	}
	rules_unref(rs);
}

static void
bad_arguments_give_an_error(void **state)
{
	static const char src[] = "rule a { log \"x\"; }";
	struct ruleset *rs = rules_load_buffer("t", src, strlen(src), stderr);
	struct rule_result r;
	struct msg_info m;

	(void) state;
	assert_int_equal(rules_eval(NULL, &msg, &an, &r), -1);
	assert_string_equal(r.error, "no ruleset or no message");
	rule_result_clear(&r);
	memset(&m, 0, sizeof(m));
	m.direction = (enum direction) 42;
	assert_int_equal(rules_eval(rs, &m, NULL, &r), -1);
	assert_non_null(r.error);
	rule_result_clear(&r);
	m.direction = DIR_INBOUND;
	assert_int_equal(rules_eval(rs, &m, NULL, &r), 0);
	assert_int_equal(r.nmatched, 1);
	rule_result_clear(&r);
	rules_unref(rs);
}

static int
setup(void **state)
{
	(void) state;
	build_message();
	return 0;
}

static int
teardown(void **state)
{
	(void) state;
	msg_info_clear(&msg);
	analysis_clear(&an);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conditions_against_a_known_message),
		cmocka_unit_test(catastrophic_pattern_is_bounded),
		cmocka_unit_test(folded_pattern_keeps_its_syntax),
		cmocka_unit_test(invalid_utf8_is_matched_safely),
		cmocka_unit_test(threads_share_one_ruleset),
		cmocka_unit_test(bad_arguments_give_an_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
