/*
 * rules_fuzz.c - the rule lexer and parser on arbitrary bytes.
 *
 * Loads the input as a rules file (errors to a null stream) and, when it
 * loads, evaluates it once against a small message so that compiled
 * patterns and lists are exercised too.  Must never crash, leak or hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "facts.h"
#include "rules.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct ruleset *rs;
	struct msg_info m;
	struct analysis a;
	struct document d;
	struct rule_result r;
	char   *rcpts[] = {"a@b.gov.vn"};

	if (null == NULL)
		null = fopen("/dev/null", "w");
	rs = rules_load_buffer("fuzz", (const char *) data, size, null);
	if (rs == NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	memset(&d, 0, sizeof(d));
	m.subject = "Quyết định số 15/QĐ-UBND";
	m.from = "vanthu@binhdinh.gov.vn";
	m.rcpts = rcpts;
	m.nrcpts = 1;
	d.name = "QD-15.pdf";
	d.type = "application/pdf";
	d.text = "TỐI MẬT\nSố: 15/QĐ-UBND";
	d.sig_verdict = SIG_ABSENT;
	a.docs = &d;
	a.ndocs = 1;
	rules_eval(rs, &m, &a, &r);
	rule_result_clear(&r);
	rules_unref(rs);
	return 0;
}
