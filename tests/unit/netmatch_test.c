/*
 * netmatch_test.c - domain patterns, CIDR lists and the direction of a
 * message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"
#include "direction.h"
#include "netmatch.h"
#include "xmalloc.h"

static void
domain_patterns(void **state)
{
	static const struct {
		const char *pattern, *domain;
		int     match;
	} cases[] = {
		{"binhdinh.gov.vn", "binhdinh.gov.vn", 1},
		{"binhdinh.gov.vn", "BinhDinh.Gov.VN", 1},
		{"binhdinh.gov.vn", "binhdinh.gov.vn.", 1},
		{"binhdinh.gov.vn", "sub.binhdinh.gov.vn", 0},
		{"*.gov.vn", "binhdinh.gov.vn", 1},
		{"*.gov.vn", "a.b.gov.vn", 1},
		{"*.gov.vn", "gov.vn", 0},
		{"*.gov.vn", "evilgov.vn", 0},
		{"*.gov.vn", "", 0},
		{"chinhphu.vn", "chinhphu.vn", 1},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(domain_match(cases[i].pattern, cases[i].domain),
				 cases[i].match);
	assert_null(domain_match("*.gov.vn", NULL) ? "x" : NULL);
	assert_true(domain_pattern_valid("*.binhdinh.gov.vn"));
	assert_false(domain_pattern_valid("*."));
	assert_false(domain_pattern_valid("a..b/"));
	assert_string_equal(address_domain("a@b.gov.vn"), "b.gov.vn");
	assert_null(address_domain("postmaster"));
	assert_null(address_domain("a@"));
}

static void
cidr_lists(void **state)
{
	struct cidr v[3];
	struct cidr_list l = {v, 3};

	(void) state;
	assert_int_equal(cidr_parse("10.0.0.0/8", &v[0]), 0);
	assert_int_equal(cidr_parse("192.168.1.7", &v[1]), 0);
	assert_int_equal(cidr_parse("2001:db8::/32", &v[2]), 0);
	assert_int_equal(cidr_parse("10.0.0.0/33", &v[0]) < 0, 1);
	assert_int_equal(cidr_parse("10.0.0.0/", &v[0]) < 0, 1);
	assert_int_equal(cidr_parse("example.com", &v[0]) < 0, 1);
	assert_int_equal(cidr_parse("10.0.0.0/8", &v[0]), 0);
	assert_true(cidr_list_match(&l, "10.200.3.4"));
	assert_false(cidr_list_match(&l, "11.0.0.1"));
	assert_true(cidr_list_match(&l, "192.168.1.7"));
	assert_false(cidr_list_match(&l, "192.168.1.8"));
	assert_true(cidr_list_match(&l, "2001:db8:1::5"));
	assert_true(cidr_list_match(&l, "IPv6:2001:db8::1"));
	assert_false(cidr_list_match(&l, "2001:db9::1"));
	assert_true(cidr_list_match(&l, "::ffff:10.1.1.1"));
	assert_false(cidr_list_match(&l, "not an address"));
	assert_false(cidr_list_match(&l, NULL));
}

static void
directions(void **state)
{
	struct config *cfg = conf_defaults();
	struct msg_info m;
	char   *rcpt_ours = "vanthu@binhdinh.gov.vn", *rcpt_out = "x@example.com";
	char   *both[] = {rcpt_ours, rcpt_out};

	(void) state;
	cfg->domains.v = xcalloc(1, sizeof(char *));
	cfg->domains.v[0] = xstrdup("binhdinh.gov.vn");
	cfg->domains.n = 1;

	memset(&m, 0, sizeof(m));
	m.client_addr = "203.0.113.9";
	m.from = "a@sonoi.gov.vn";
	m.rcpts = both;
	m.nrcpts = 2;
	direction_classify(cfg, &m);
	assert_int_equal(m.direction, DIR_INBOUND);
	assert_true(m.official);

	m.client_addr = "127.0.0.1";	/* InternalHosts by default */
	direction_classify(cfg, &m);
	assert_int_equal(m.direction, DIR_OUTBOUND);

	m.client_addr = NULL;		/* submitted locally */
	m.nrcpts = 1;
	direction_classify(cfg, &m);
	assert_int_equal(m.direction, DIR_INTERNAL);

	m.client_addr = "203.0.113.9";
	m.rcpts = both + 1;
	m.from = "";			/* a bounce: the header From decides */
	m.header_from = "\"Văn phòng\" <vp@chinhphu.gov.vn>";
	direction_classify(cfg, &m);
	assert_int_equal(m.direction, DIR_TRANSIT);
	assert_true(m.official);

	m.header_from = "Someone <x@example.com>";
	direction_classify(cfg, &m);
	assert_false(m.official);
	conf_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(domain_patterns),
		cmocka_unit_test(cidr_lists),
		cmocka_unit_test(directions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
