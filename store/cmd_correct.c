/*
 * cmd_correct.c - `vanthu correct`: the clerk sets right what the daemon
 * read wrong in an entry (its reference, issuer, date, type, summary,
 * urgency or signer), with a reason.  The number stays; the old values
 * are kept and `vanthu show` prints them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "tool.h"

#define USAGE	"usage: vanthu correct ID [--reference REF] [--issuer NAME]" \
		" [--date DATE] [--type T] [--summary TEXT] [--urgency U]" \
		" [--signer NAME] --reason TEXT"

int
cmd_correct(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reference", required_argument, NULL, 'R'},
		{"issuer", required_argument, NULL, 'i'},
		{"date", required_argument, NULL, 'd'},
		{"type", required_argument, NULL, 't'},
		{"summary", required_argument, NULL, 's'},
		{"urgency", required_argument, NULL, 'u'},
		{"signer", required_argument, NULL, 'S'},
		{"reason", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	struct reg_correct c = {0};
	char	err[512], other[STORE_ID_MAX];
	int	ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			c.reference = optarg;
			break;
		case 'i':
			c.issuer = optarg;
			break;
		case 'd':
			c.date = optarg;
			break;
		case 't':
			c.type = optarg;
			break;
		case 's':
			c.summary = optarg;
			break;
		case 'u':
			c.urgency = optarg;
			break;
		case 'S':
			c.signer = optarg;
			break;
		case 'r':
			c.reason = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || c.reason == NULL || c.reason[0] == 0 ||
	    (c.reference == NULL && c.issuer == NULL && c.date == NULL &&
	     c.type == NULL && c.summary == NULL && c.urgency == NULL &&
	     c.signer == NULL)) {
		tool_fail("correct", "%s", USAGE);
		return EXIT_USAGE;
	}
	if (tool_id("correct", argv[optind]) != 0)
		return EXIT_USAGE;
	if (c.date != NULL && c.date[0] != 0 && !store_date_valid(c.date)) {
		tool_fail("correct", "bad date '%s': expected YYYY-MM-DD",
			  c.date);
		return EXIT_USAGE;
	}
	if (store_correct(t->st, argv[optind], &c, t->actor, t->command, other,
			  err, sizeof(err)) != 0) {
		tool_fail("correct", "%s", err);
		return 1;
	}
	printf("%s corrected\n", argv[optind]);
	if (other[0] != 0) {
		fflush(stdout);		/* the line the warning is about first */
		fprintf(stderr, "vanthu: correct: warning: %s has the same "
			"number, symbol and issuer\n", other);
	}
	return 0;
}
