/*
 * aw_cid_test.c - which Content-IDs an HTML body names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aw_cid.h"

static void
references(void **state)
{
	static const struct {
		const char *html, *cid;
		int     named;
	} cases[] = {
		{"<img src=\"cid:image001.png@01DA\">", "image001.png@01DA", 1},
		{"<img src=cid:logo>", "logo", 1},
		{"<img src='CID:Logo'>", "LOGO", 1},
		{"url(cid:a%40b.vn)", "a@b.vn", 1},
		{"url(&quot;cid:a@b.vn&quot;)", "a@b.vn", 1},
		{"<img src=\"cid:a@b.vn\">", "a@b.vn.x", 0},
		{"<img src=\"cid:a@b.vn.x\">", "a@b.vn", 0},
		{"<img src=\"cid:\">", "", 0},
		{"cid:", "x", 0},
		{"<p>logo</p>", "logo", 0},
		/* %00 stays as written: no NUL cuts an ID short. */
		{"cid:a%00b", "a", 0},
		{"cid:a%00b", "a%00b", 1},
		/* A Content-ID is not a URL: no percent-decoding there. */
		{"cid:a%2541", "a%41", 1},
		{"cid:a%2541", "aA", 0},
		{"a:b cid:x c:d", "x", 1},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cid_refs r = {0};

		aw_cid_want(&r, cases[i].cid);
		aw_cid_html(&r, (unsigned char *) strdup(cases[i].html),
			    strlen(cases[i].html));
		if (aw_cid_named(&r, cases[i].cid) != cases[i].named)
			fail_msg("%s against %s: want %d", cases[i].html,
				 cases[i].cid, cases[i].named);
		aw_cid_free(&r);
	}
}

static void
html(struct cid_refs *r, const char *s)
{
	aw_cid_html(r, (unsigned char *) strdup(s), strlen(s));
}

/* Bodies before and after the wants, repeats, a body with nothing
 * wanted, NULLs. */
static void
several_bodies(void **state)
{
	struct cid_refs r = {0};
	char    body[64], id[16];

	(void) state;
	assert_int_equal(aw_cid_named(NULL, "x"), 0);
	assert_int_equal(aw_cid_named(&r, "x"), 0);
	html(&r, "cid:x");		/* nothing wanted: read for nothing */
	assert_int_equal(aw_cid_named(&r, "x"), 0);
	assert_int_equal(r.nhtml, 0);
	for (int i = 0; i < 100; i += 2) {
		snprintf(body, sizeof(body), "<img src=cid:p%d>", i);
		html(&r, body);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "P%d", i);
		aw_cid_want(&r, id);
	}
	aw_cid_want(&r, "p7");
	aw_cid_want(&r, "P98");
	aw_cid_want(&r, NULL);
	aw_cid_want(&r, "");
	html(&r, "cid:p7");
	assert_int_equal(aw_cid_named(&r, "p0"), 1);
	assert_int_equal(r.n, 100);
	assert_int_equal(r.nhtml, 0);
	assert_int_equal(aw_cid_named(&r, "p1"), 0);
	assert_int_equal(aw_cid_named(&r, "P7"), 1);
	assert_int_equal(aw_cid_named(&r, "p98"), 1);
	assert_int_equal(aw_cid_named(&r, "p99"), 0);
	assert_int_equal(aw_cid_named(&r, "p100"), 0);
	assert_int_equal(aw_cid_named(&r, NULL), 0);
	html(&r, "cid:p99");		/* freed unread by aw_cid_free() */
	aw_cid_free(&r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.nhtml, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references),
		cmocka_unit_test(several_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
