/*
 * tool_conf.c - the few configuration names `vanthu` reads.
 *
 * vanthu.conf(5) holds "Name value" lines, '#' comments, names without
 * regard to case.  The tool needs only Database, Spool and Timezone and
 * ignores every other name, so that it keeps working with any file the
 * daemon accepts; the daemon's own parser (milter/conf.c) checks the rest.
 * An unreadable file or a line without a value is an error with
 * "file:line".  Defaults match the daemon's embedded ones.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_impl.h"
#include "tool.h"
#include "xmalloc.h"

static void
set(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

int
tool_conf_read(const char *path, struct tool_conf *c, char *err,
	       size_t errlen)
{
	FILE   *f;
	char	line[4096];
	unsigned lineno = 0;

	set(&c->database, "./var/register.sqlite");
	set(&c->spool, "./var/spool");
	set(&c->timezone, STORE_DEFAULT_TIMEZONE);
	if (path == NULL)
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		store_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char   *p = line, *name, *value, *e;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			store_err(err, errlen, "%s:%u: line too long", path,
				  lineno);
			fclose(f);
			return -1;
		}
		if ((e = strchr(p, '#')) != NULL)
			*e = 0;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == 0)
			continue;
		name = p;
		while (*p && !isspace((unsigned char) *p))
			p++;
		if (*p)
			*p++ = 0;
		while (isspace((unsigned char) *p))
			p++;
		value = p;
		e = value + strlen(value);
		while (e > value && isspace((unsigned char) e[-1]))
			*--e = 0;
		if (*value == 0) {
			store_err(err, errlen, "%s:%u: %s: missing value", path,
				  lineno, name);
			fclose(f);
			return -1;
		}
		if (strcasecmp(name, "Database") == 0)
			set(&c->database, value);
		else if (strcasecmp(name, "Spool") == 0)
			set(&c->spool, value);
		else if (strcasecmp(name, "Timezone") == 0)
			set(&c->timezone, value);
	}
	fclose(f);
	return 0;
}

void
tool_conf_clear(struct tool_conf *c)
{
	free(c->database);
	free(c->spool);
	free(c->timezone);
	memset(c, 0, sizeof(*c));
}
