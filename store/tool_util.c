/*
 * tool_util.c - complaints and argument checks shared by `vanthu`'s
 * commands.  Messages read "vanthu: command: reason" on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void
tool_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vanthu: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
tool_year(const char *cmd, const char *s)
{
	if (s == NULL || strlen(s) != 4 || strspn(s, "0123456789") != 4 ||
	    atoi(s) < 1900) {
		tool_fail(cmd, "bad year '%s': expected four digits such as 2026",
			  s != NULL ? s : "");
		return -1;
	}
	return atoi(s);
}

int
tool_id(const char *cmd, const char *id)
{
	char	book[32], sym[STORE_ID_MAX];
	int64_t	number;
	int	year;

	if (store_id_parse(id, book, &year, &number, sym, sizeof(sym)) != 0) {
		tool_fail(cmd, "bad registration id '%s': expected "
			  "book/year/number such as den/2026/123", id);
		return -1;
	}
	return 0;
}

/*
 * A reader that went away early ("vanthu list | head -1" where SIGPIPE
 * is ignored, so that the write fails with EPIPE rather than ending the
 * process) had what it wanted: no failure, and nothing more is written.
 * Any other error (a full disk under "vanthu list --json > file") is a
 * failure, said once.
 */
int
tool_output_failed(const char *cmd, int err)
{
	clearerr(stdout);
	if (err == EPIPE)
		return 0;
	tool_fail(cmd, "writing standard output: %s",
		  err != 0 ? strerror(err) : "write error");
	return 1;
}

int
tool_flush_stdout(const char *cmd)
{
	if (fflush(stdout) != 0)
		return tool_output_failed(cmd, errno);
	if (ferror(stdout))
		return tool_output_failed(cmd, 0);
	return 0;
}
