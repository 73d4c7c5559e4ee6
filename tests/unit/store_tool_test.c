/*
 * store_tool_test.c - the pieces of `vanthu` that judge input: safe file
 * names for `get`, the words of a search, the configuration it reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sqlite_int.h"
#include "tool.h"

static void
file_names_stay_in_their_directory(void **state)
{
	static const char *const cases[][2] = {
		{"Quyết định 15.pdf", "Quyết định 15.pdf"},
		{"../../etc/passwd", "_.._etc_passwd"},
		{"/etc/passwd", "_etc_passwd"},
		{"..", "FALLBACK"},
		{"...hidden", "hidden"},
		{"  .x", "x"},
		{"a\\b", "a_b"},
		{"tab\there\n", "tab_here_"},
		{"trailing. . ", "trailing"},
		{"", "FALLBACK"},
		{"bad\xff" "byte", "bad\xff" "byte"},
		{"csi\xc2\x9b" "2J\xc2\x85.pdf", "csi_2J_.pdf"},
		{"\xc2\xa0nbsp\xc2\xa0", "\xc2\xa0nbsp\xc2\xa0"},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *s = tool_safe_name(cases[i][0], "FALLBACK");

		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	{
		char   *s = tool_safe_name(NULL, "x");

		assert_string_equal(s, "x");
		free(s);
	}
}

static void
long_names_are_cut_between_characters(void **state)
{
	char	name[1000] = "";
	char   *s;

	(void) state;
	for (int i = 0; i < 150; i++)
		strcat(name, "ệ");	/* three bytes each */
	s = tool_safe_name(name, "x");
	assert_int_equal(strlen(s), 198);
	assert_memory_equal(s, name, 198);
	free(s);
}

/* A document's name often holds its whole summary: cut, it keeps its
 * extension, or the file would not open and its .p7s would take the
 * same name. */
static void
long_names_keep_their_extension(void **state)
{
	char	name[1000] = "", want[400] = "";
	char   *s;

	(void) state;
	for (int i = 0; i < 100; i++)
		strcat(name, "ệ");
	strcpy(want, name);
	want[195] = 0;		/* 65 letters, then ".pdf" */
	strcat(want, ".pdf");
	strcat(name, ".pdf");
	s = tool_safe_name(name, "x");
	assert_string_equal(s, want);
	free(s);
	strcat(name, ".p7s");
	want[195] = 0;
	strcat(want, ".p7s");
	s = tool_safe_name(name, "x");
	assert_string_equal(s, want);
	free(s);
}

static void
search_words_are_folded_and_quoted(void **state)
{
	static const char *const cases[][2] = {
		{"Quyết định", "\"quyet\" \"dinh\""},
		{"QUYẾT   ĐỊNH", "\"quyet\" \"dinh\""},
		{"15/QĐ-BNV", "\"15\" \"qd\" \"bnv\""},
		{"a\" OR b*", "\"a\" \"or\" \"b\""},
		{"NEAR(x y)", "\"near\" \"x\" \"y\""},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *s = search_match_expr(cases[i][0]);

		assert_non_null(s);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	assert_null(search_match_expr("\"*( -"));
	assert_null(search_match_expr(""));
	assert_null(search_match_expr(NULL));
}

static void
configuration_gives_database_spool_and_zone(void **state)
{
	char	path[] = "/tmp/vanthu-conf.XXXXXX", err[256];
	struct tool_conf c = {0};
	int	fd = mkstemp(path);
	FILE   *f = fdopen(fd, "w");

	(void) state;
	fputs("# comment\nSocket inet:1234@localhost\n"
	      "database   /var/lib/vanthu/register.sqlite  # the register\n"
	      "SPOOL /var/spool/vanthu\n\nTimezone Asia/Bangkok\n", f);
	fclose(f);
	assert_int_equal(tool_conf_read(path, &c, err, sizeof(err)), 0);
	assert_string_equal(c.database, "/var/lib/vanthu/register.sqlite");
	assert_string_equal(c.spool, "/var/spool/vanthu");
	assert_string_equal(c.timezone, "Asia/Bangkok");
	tool_conf_clear(&c);
	f = fopen(path, "w");
	fputs("Database\n", f);
	fclose(f);
	assert_int_equal(tool_conf_read(path, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: Database needs a value"));
	tool_conf_clear(&c);
	unlink(path);
	assert_int_equal(tool_conf_read(NULL, &c, err, sizeof(err)), 0);
	assert_string_equal(c.database, "./var/register.sqlite");
	assert_string_equal(c.timezone, "Asia/Ho_Chi_Minh");
	tool_conf_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_names_stay_in_their_directory),
		cmocka_unit_test(long_names_are_cut_between_characters),
		cmocka_unit_test(long_names_keep_their_extension),
		cmocka_unit_test(search_words_are_folded_and_quoted),
		cmocka_unit_test(configuration_gives_database_spool_and_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
