/*
 * rules_parse_test.c - what the parser accepts, and what it says when it
 * refuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rint.h"

struct parse_case {
	const char *src;
	size_t  nrules;		/* when errors is "" */
	const char *errors;
};

static const struct parse_case cases[] = {
	{"", 0, ""},
	{"# only a comment\n", 0, ""},
	{"rule a { stop; }", 1, ""},
	{"rule \"quoted-name\" { log \"x\"; }", 1, ""},
	{"rule a for each document disabled { when name exists; flag \"f\"; }",
	 1, ""},
	{"rule a { when not not official and (direction is inbound or "
	 "direction in [outbound, transit]); log \"x\"; }", 1, ""},
	{"rule a { when any document (signature != valid) and all documents "
	 "(size < 10M); log \"x\"; }", 1, ""},
	{"rule a { when header \"X-A\" matches /^b/i; header \"X-B\" \"c\"; "
	 "route \"a@b\" with \"c@d\"; prefix-subject \"[x] \"; "
	 "require-signature otherwise quarantine \"why\"; tempfail 421 4.3.2; "
	 "quarantine; skip-registration; secret; stop; }", 1, ""},
	{"rule a { log \"1\"; } rule b { log \"2\"; } disable a; enable a;",
	 2, ""},
	/* Errors, with their exact text. */
	{"rule a { when official }", 0,
	 "t:1:24: expected ';', found '}'\n"},
	{"rule a { when official; log \"x\" }", 0,
	 "t:1:33: expected ';', found '}'\n"},
	{"rule a { when (official; log \"x\"; }", 0,
	 "t:1:24: expected ')', found ';'\n"},
	{"rule a { when any documents official; log \"x\"; }", 0,
	 "t:1:29: expected '(', found 'official'\n"},
	{"rule a { when direction contains \"x\"; log \"x\"; }", 0,
	 "t:1:25: operator 'contains' does not apply to direction field "
	 "'direction'\n"},
	{"rule a { when official is \"x\"; log \"x\"; }", 0,
	 "t:1:24: expected ';', found 'is'\n"},
	{"rule a { when signature exists; log \"x\"; }", 0,
	 "t:1:25: operator 'exists' does not apply to signature verdict "
	 "field 'signature'\n"},
	{"rule a { when name in []; log \"x\"; }", 0,
	 "t:1:24: expected a string, found ']'\n"},
	{"rule a { when date > 5; log \"x\"; }", 0,
	 "t:1:22: expected a date (YYYY-MM-DD), found number\n"},
	{"rule a { tempfail 550 5.7.1; }", 0,
	 "t:1:19: reply code must be 4XX\n"},
	{"rule a { reject 550 \"x\"; }", 0,
	 "t:1:21: expected an enhanced status code, found string\n"},
	{"rule a { header \"X-A\" \"b\\nc\"; }", 0,
	 "t:1:17: header value may not contain a line break\n"},
	{"rule a { require-signature otherwise drop; }", 0,
	 "t:1:38: expected reject, quarantine or tag, found 'drop'\n"},
	{"rule a { book \"\"; }", 0,
	 "t:1:10: 'book' needs a non-empty string\n"},
	{"rule a for document { log \"x\"; }", 0,
	 "t:1:12: expected 'each document', found 'document'\n"},
	{"rule a { log \"x\"; } enable b;", 0,
	 "t:1:28: enable of unknown rule 'b'\n"},
	{"rule a { when text matches /(?<n>a)\\k<m>/; log \"x\"; }", 0,
	 "t:1:39: bad pattern: reference to non-existent subpattern\n"},
	{"rule a\x01 { }", 0, "t:1:7: unexpected control character 0x01\n"},
};

static void
accepts_and_refuses(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		char   *errs = NULL;
		size_t  errlen = 0;
		FILE   *ef = open_memstream(&errs, &errlen);
		struct ruleset *rs;

		rs = rules_load_buffer("t", c->src, strlen(c->src), ef);
		fclose(ef);
		if (strcmp(errs, c->errors) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, errs,
				 c->errors);
		if (*c->errors) {
			assert_null(rs);
		} else {
			assert_non_null(rs);
			assert_int_equal(rules_count(rs), c->nrules);
		}
		rules_unref(rs);
		free(errs);
	}
}

/* The field names of document facts are those of facts.c. */
static void
facts_cover_every_fact(void **state)
{
	(void) state;
	for (int i = 0; i < FACT__COUNT; i++) {
		const struct field_def *f = field_lookup(fact_names[i]);

		assert_non_null(f);
		assert_int_equal(f->id, F_FACT);
		assert_int_equal(f->fact, i);
	}
	assert_int_equal(field_lookup("signer")->fact, FACT_SIGNER_NAME);
	assert_null(field_lookup("Subject"));
}

static void
enable_disable_last_wins(void **state)
{
	static const char src[] =
		"rule a disabled { log \"a\"; }\n"
		"rule b { log \"b\"; }\n"
		"enable a; disable b; disable a; enable a;\n";
	struct ruleset *rs = rules_load_buffer("t", src, strlen(src), NULL);

	(void) state;
	assert_non_null(rs);
	assert_true(rs->rules[0].enabled);
	assert_false(rs->rules[1].enabled);
	assert_ptr_equal(rules_ref(rs), rs);
	assert_null(rules_unref(rs));
	assert_null(rules_unref(rs));
}

/* A file with more errors than the cap stops reporting at the cap. */
static void
error_flood_is_capped(void **state)
{
	char    src[4096] = "";
	char   *errs = NULL;
	size_t  errlen = 0, lines = 0;
	FILE   *ef = open_memstream(&errs, &errlen);

	(void) state;
	for (int i = 0; i < 200; i++)
		strcat(src, "$\n");
	assert_null(rules_load_buffer("t", src, strlen(src), ef));
	fclose(ef);
	for (char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, RULES_MAX_ERRORS + 1);
	assert_non_null(strstr(errs, "too many errors"));
	free(errs);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char    path[512];
	FILE   *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A directory: *.rules files in name order, others and dot files
 * ignored, toggles applied after every file. */
static void
directory_in_name_order(void **state)
{
	char    dir[] = "/tmp/rules-test.XXXXXX";
	char    cmd[600];
	char   *errs = NULL;
	size_t  errlen = 0;
	FILE   *ef;
	struct ruleset *rs;

	(void) state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "50-local.rules", "disable b;\nrule c { log \"c\"; }\n");
	write_file(dir, "00-default.rules", "rule a { log \"a\"; }\n"
		   "rule b { log \"b\"; }\n");
	write_file(dir, "notes.txt", "not rules at all\n");
	write_file(dir, ".hidden.rules", "garbage\n");
	rs = rules_load(dir, stderr);
	assert_non_null(rs);
	assert_int_equal(rules_count(rs), 3);
	assert_string_equal(rs->rules[0].name, "a");
	assert_string_equal(rs->rules[2].name, "c");
	assert_false(rs->rules[1].enabled);
	rules_unref(rs);

	/* One bad file spoils the set; the error names it. */
	write_file(dir, "60-bad.rules", "rule a { log \"again\"; }\n");
	ef = open_memstream(&errs, &errlen);
	assert_null(rules_load(dir, ef));
	fclose(ef);
	assert_non_null(strstr(errs, "/60-bad.rules:1:1: duplicate rule 'a', "
			       "first defined at "));
	free(errs);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);

	/* A directory that is gone. */
	errs = NULL;
	ef = open_memstream(&errs, &errlen);
	assert_null(rules_load(dir, ef));
	fclose(ef);
	assert_non_null(strstr(errs, ":0:0: cannot read: No such file or "
			       "directory"));
	free(errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_and_refuses),
		cmocka_unit_test(facts_cover_every_fact),
		cmocka_unit_test(enable_disable_last_wins),
		cmocka_unit_test(error_flood_is_capped),
		cmocka_unit_test(directory_in_name_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
