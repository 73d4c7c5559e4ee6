/*
 * rules_bench.c - how long rules_eval() takes.
 *
 *	build/bench/rules_bench [runs]
 *
 * 1. 1,000 generated rules of a typical administrator's mix (sender and
 *    recipient tests, subject and document facts compared with is,
 *    contains and in, a pattern in one rule of ten on the subject or the
 *    name, one of fifty on the document text, a few rules for each
 *    document) against a one-document message with 8 KB of text: median,
 *    p99 and the spread (p90 - p10) of one evaluation.
 * 2. (a+)+$ against 1 MB of 'a' ending in '!': time and outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facts.h"
#include "rules.h"
#include "xmalloc.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double
cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
dcmp(const void *a, const void *b)
{
	double  x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static char *
gen_rules(int n)
{
	size_t  cap = 1 << 20, len = 0;
	char   *s = xmalloc(cap);

	s[0] = 0;
	for (int i = 0; i < n; i++) {
		char    r[1024];

		switch (i % 10) {
		case 0:
			snprintf(r, sizeof(r), "rule r%d { when sender is "
				 "\"vanthu@tinh%d.gov.vn\"; book \"Sổ %d\"; }\n",
				 i, i, i);
			break;
		case 1:
			snprintf(r, sizeof(r), "rule r%d { when direction is "
				 "inbound and issuer contains \"Sở %d\"; "
				 "department \"Phòng %d\"; }\n", i, i, i);
			break;
		case 2:
			snprintf(r, sizeof(r), "rule r%d { when subject matches "
				 "/\\bKH-%d\\b/i; category \"Kế hoạch\"; }\n", i, i);
			break;
		case 3:
			snprintf(r, sizeof(r), "rule r%d { when recipient in "
				 "[\"a%d@sonv.gov.vn\", \"b%d@sonv.gov.vn\"]; "
				 "route \"lead%d@sonv.gov.vn\"; }\n", i, i, i, i);
			break;
		case 4:
			snprintf(r, sizeof(r), "rule r%d { when type_code is "
				 "\"QĐ\" and number = %d; flag \"n%d\"; }\n",
				 i, i, i);
			break;
		case 5:
			snprintf(r, sizeof(r), "rule r%d for each document { "
				 "when signature is not valid and name contains "
				 "\"x%d\"; require-signature; }\n", i, i);
			break;
		case 6:
			snprintf(r, sizeof(r), "rule r%d { when summary contains "
				 "folded \"chuyen doi so %d\"; category \"CĐS\"; "
				 "}\n", i, i);
			break;
		case 7:
			snprintf(r, sizeof(r), "rule r%d { when official and "
				 "urgency in [\"HỎA TỐC\", \"KHẨN\"] and "
				 "date > 2026-01-%02d; prefix-subject \"[KHẨN] \"; "
				 "}\n", i, 1 + i % 28);
			break;
		case 8:
			if (i % 50 == 8)
				snprintf(r, sizeof(r), "rule r%d { when text "
					 "matches /Số:\\s*%d\\/QĐ/; book \"x\"; "
					 "}\n", i, i);
			else
				snprintf(r, sizeof(r), "rule r%d { when name "
					 "matches /^QD-%d\\./i; book \"y\"; }\n",
					 i, i);
			break;
		default:
			snprintf(r, sizeof(r), "rule r%d { when header "
				 "\"X-Mailer\" contains \"client %d\" or "
				 "message-size > %dM; log \"l\"; }\n", i, i,
				 100 + i);
		}
		if (len + strlen(r) + 1 > cap)
			s = xrealloc(s, cap *= 2);
		memcpy(s + len, r, strlen(r) + 1);
		len += strlen(r);
	}
	return s;
}

static void
gen_message(struct msg_info *m, struct analysis *a)
{
	struct document *d;
	size_t  tl = 8192;

	memset(m, 0, sizeof(*m));
	memset(a, 0, sizeof(*a));
	m->direction = DIR_INBOUND;
	m->official = 1;
	m->from = xstrdup("vanthu@binhdinh.gov.vn");
	m->nrcpts = 2;
	m->rcpts = xcalloc(2, sizeof(char *));
	m->rcpts[0] = xstrdup("vanthu@sonv.gov.vn");
	m->rcpts[1] = xstrdup("giamdoc@sonv.gov.vn");
	m->subject = xstrdup("Công văn số 572/UBND-VP V/v triển khai kế "
			     "hoạch chuyển đổi số năm 2026");
	m->size = 250000;
	m->nheaders = 12;
	m->headers = xcalloc(12, sizeof(struct header));
	for (int i = 0; i < 12; i++) {
		m->headers[i].name = xasprintf(i == 5 ? "X-Mailer" :
					       "Received-%d", i);
		m->headers[i].value = xasprintf("header value %d", i);
	}
	d = analysis_add_document(a);
	d->name = xstrdup("CV-572-UBND.signed.pdf");
	d->type = xstrdup("application/pdf");
	d->size = 180000;
	d->sig_verdict = SIG_VALID;
	d->text = xmalloc(tl + 1);
	for (size_t i = 0; i < tl; i++)
		d->text[i] = "Ủy ban nhân dân tỉnh Bình Định. "[i % 32];
	d->text[tl] = 0;
	{
		char   *fixed = xasprintf("Số: 572/UBND-VP\n%s", d->text);

		free(d->text);
		d->text = fixed;
	}
	fact_set(&d->facts, FACT_ISSUER, "Ủy ban nhân dân tỉnh Bình Định",
		 SRC_TEXT, 90);
	fact_set(&d->facts, FACT_NUMBER, "572", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_SYMBOL, "UBND-VP", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_DATE, "2026-03-02", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_SUMMARY, "Triển khai kế hoạch chuyển đổi số "
		 "năm 2026", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_URGENCY, "KHẨN", SRC_TEXT, 90);
}

int
main(int argc, char **argv)
{
	int     runs = argc > 1 ? atoi(argv[1]) : 2000;
	char   *src = gen_rules(1000);
	struct ruleset *rs;
	struct msg_info m;
	struct analysis a;
	double *t, *c, t0, c0;

	if (runs < 10)
		runs = 10;
	t0 = now_us();
	rs = rules_load_buffer("bench", src, strlen(src), stderr);
	if (rs == NULL)
		return 1;
	printf("load: 1000 rules in %.1f ms\n", (now_us() - t0) / 1e3);
	gen_message(&m, &a);
	t = xcalloc((size_t) runs, sizeof(*t));
	c = xcalloc((size_t) runs, sizeof(*c));
	for (int i = 0; i < runs; i++) {
		struct rule_result r;

		t0 = now_us();
		c0 = cpu_us();
		rules_eval(rs, &m, &a, &r);
		c[i] = cpu_us() - c0;
		t[i] = now_us() - t0;
		if (i == 0)
			printf("eval: %zu rules matched, %zu actions\n",
			       r.nmatched, r.nactions);
		rule_result_clear(&r);
	}
	qsort(t, (size_t) runs, sizeof(*t), dcmp);
	printf("eval 1000 rules, 1 document, %d runs: median %.1f us, "
	       "p99 %.1f us, spread p90-p10 %.1f us\n", runs,
	       t[runs / 2], t[runs * 99 / 100], t[runs * 9 / 10] - t[runs / 10]);
	/* Wall time includes being descheduled on a busy machine; the
	 * thread's CPU time does not. */
	qsort(c, (size_t) runs, sizeof(*c), dcmp);
	printf("  same, thread CPU time: median %.1f us, p99 %.1f us\n",
	       c[runs / 2], c[runs * 99 / 100]);
	free(c);
	rules_unref(rs);
	free(src);
	msg_info_clear(&m);
	analysis_clear(&a);

	/* The pathological pattern. */
	static const char bad[] = "rule bad { when text matches /(a+)+$/; "
				  "reject; }\n";
	size_t  n = 1 << 20;
	int     bruns = 20;

	rs = rules_load_buffer("bench", bad, strlen(bad), stderr);
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	analysis_add_document(&a)->text = xmalloc(n + 1);
	memset(a.docs[0].text, 'a', n);
	a.docs[0].text[n - 1] = '!';
	a.docs[0].text[n] = 0;
	for (int i = 0; i < bruns; i++) {
		struct rule_result r;

		t0 = now_us();
		rules_eval(rs, &m, &a, &r);
		t[i] = now_us() - t0;
		if (i == 0)
			printf("(a+)+$ on 1 MB: disposition %s, %zu limit(s): "
			       "%s\n", rule_disposition_names[r.disposition],
			       r.nlimits, r.nlimits ? r.limits[0].what : "-");
		rule_result_clear(&r);
	}
	qsort(t, (size_t) bruns, sizeof(*t), dcmp);
	printf("(a+)+$ on 1 MB, %d runs: median %.2f ms, max %.2f ms\n", bruns,
	       t[bruns / 2] / 1e3, t[bruns - 1] / 1e3);
	rules_unref(rs);
	analysis_clear(&a);
	free(t);
	return 0;
}
