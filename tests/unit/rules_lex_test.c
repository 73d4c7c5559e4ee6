/*
 * rules_lex_test.c - the tokens of the rule language, with positions.
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

struct want {
	enum tok kind;
	const char *text;	/* NULL: not checked */
	uint64_t num;
	int     line, col;
};

struct lex_case {
	const char *src;
	struct want toks[8];	/* ends with T_EOF */
	const char *errors;	/* exact text written to the error stream */
};

static const struct lex_case cases[] = {
	{"rule secret-outbound {", {
		{T_IDENT, "rule", 0, 1, 1},
		{T_IDENT, "secret-outbound", 0, 1, 6},
		{T_LBRACE, NULL, 0, 1, 22},
		{T_EOF, NULL, 0, 1, 23}}, ""},
	{"  \"Số \\\"15\\\"\\t\\\\\" # comment\n;", {
		{T_STRING, "Số \"15\"\t\\", 0, 1, 3},
		{T_SEMI, NULL, 0, 2, 1},
		{T_EOF, NULL, 0, 2, 2}}, ""},
	{"/a\\/b\\d/if x", {
		{T_REGEX, "a/b\\d", 0, 1, 1},
		{T_IDENT, "x", 0, 1, 12},
		{T_EOF, NULL, 0, 1, 13}}, ""},
	{"10 10k 2M 1G", {
		{T_NUMBER, NULL, 10, 1, 1},
		{T_NUMBER, NULL, 10240, 1, 4},
		{T_NUMBER, NULL, 2097152, 1, 8},
		{T_NUMBER, NULL, 1073741824, 1, 11},
		{T_EOF, NULL, 0, 1, 13}}, ""},
	{"2024-02-29 5.7.1 550", {
		{T_DATE, "2024-02-29", 0, 1, 1},
		{T_DOTTED, "5.7.1", 0, 1, 12},
		{T_NUMBER, NULL, 550, 1, 18},
		{T_EOF, NULL, 0, 1, 21}}, ""},
	{"= == != < <= > >= ( ) [ ] ,", {
		{T_EQ, NULL, 0, 1, 1},
		{T_EQ, NULL, 0, 1, 3},
		{T_NE, NULL, 0, 1, 6},
		{T_LT, NULL, 0, 1, 9},
		{T_LE, NULL, 0, 1, 11},
		{T_GT, NULL, 0, 1, 14},
		{T_GE, NULL, 0, 1, 16},
		{T_LPAREN, NULL, 0, 1, 19}}, ""},
	/* Columns count characters, not bytes. */
	{"\"Đà Nẵng\" x", {
		{T_STRING, "Đà Nẵng", 0, 1, 1},
		{T_IDENT, "x", 0, 1, 11},
		{T_EOF, NULL, 0, 1, 12}}, ""},
	{"\"abc\nx", {
		{T_ERROR, NULL, 0, 1, 1},
		{T_IDENT, "x", 0, 2, 1},
		{T_EOF, NULL, 0, 2, 2}}, "t:1:1: unterminated string\n"},
	{"2023-02-29 12x 1.2. $", {
		{T_ERROR, NULL, 0, 1, 1},
		{T_ERROR, NULL, 0, 1, 12},
		{T_ERROR, NULL, 0, 1, 16},
		{T_ERROR, NULL, 0, 1, 21},
		{T_EOF, NULL, 0, 1, 22}},
	 "t:1:1: invalid date '2023-02-29'\n"
	 "t:1:12: malformed number '12x'\n"
	 "t:1:16: malformed code '1.2.'\n"
	 "t:1:21: unexpected character '$'\n"},
	{"// /x/q \"\xff\"", {
		{T_ERROR, NULL, 0, 1, 1},
		{T_ERROR, NULL, 0, 1, 4},
		{T_ERROR, NULL, 0, 1, 9},
		{T_EOF, NULL, 0, 1, 12}},
	 "t:1:1: empty pattern\n"
	 "t:1:7: unknown pattern flag 'q' (known: i, f)\n"
	 "t:1:9: string is not valid UTF-8\n"},
	{"99999999999999999999 20000000000G", {
		{T_ERROR, NULL, 0, 1, 1},
		{T_ERROR, NULL, 0, 1, 22},
		{T_EOF, NULL, 0, 1, 34}},
	 "t:1:1: number '99999999999999999999' is too large\n"
	 "t:1:22: number '20000000000G' is too large\n"},
};

static void
tokens_and_positions(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lex_case *c = &cases[i];
		struct lexer lx;
		struct token t;
		char   *errs = NULL;
		size_t  errlen = 0;
		FILE   *ef = open_memstream(&errs, &errlen);
		int     nerr = 0;

		memset(&t, 0, sizeof(t));
		lex_init(&lx, "t", c->src, strlen(c->src), ef, &nerr);
		for (size_t j = 0; j < 8; j++) {
			const struct want *w = &c->toks[j];

			lex_next(&lx, &t);
			if (t.kind != w->kind || t.line != w->line ||
			    t.col != w->col)
				fail_msg("case %zu token %zu: kind %d at %d:%d, "
					 "want %d at %d:%d", i, j, t.kind,
					 t.line, t.col, w->kind, w->line,
					 w->col);
			if (w->text)
				assert_string_equal(t.text, w->text);
			if (w->kind == T_NUMBER)
				assert_int_equal(t.num, w->num);
			if (w->kind == T_EOF)
				break;
		}
		free(t.text);
		fclose(ef);
		assert_string_equal(errs, c->errors);
		free(errs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens_and_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
