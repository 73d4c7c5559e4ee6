/*
 * tool_conf.c - the configuration names `vanthu` needs, read with the
 * daemon's own parser (milter/conf.c), so the tool and the daemon agree
 * on every default and refuse the same mistakes.  Errors come back as
 * "file:line: message" lines, joined with "; " into one reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "store_impl.h"
#include "tool.h"
#include "xmalloc.h"

int
tool_conf_read(const char *path, struct tool_conf *tc, char *err,
	       size_t errlen)
{
	struct config *c;
	char   *msgs = NULL;
	size_t	len = 0;
	FILE   *errors;

	if (path == NULL)
		c = conf_defaults();
	else {
		if ((errors = open_memstream(&msgs, &len)) == NULL) {
			store_err(err, errlen, "out of memory");
			return -1;
		}
		c = conf_load(path, errors);
		fclose(errors);
		if (c == NULL) {
			/* one line per error: make them one reason */
			char   *joined = xcalloc(1, 2 * len + 1), *line, *save;

			for (line = strtok_r(msgs, "\n", &save); line != NULL;
			     line = strtok_r(NULL, "\n", &save)) {
				if (joined[0] != 0)
					strcat(joined, "; ");
				strcat(joined, line);
			}
			store_err(err, errlen, "%s", joined[0] != 0 ? joined :
				  "configuration refused");
			free(joined);
			free(msgs);
			return -1;
		}
		free(msgs);
	}
	tc->database = xstrdup(c->database);
	tc->spool = xstrdup(c->spool);
	tc->stats_file = c->stats_file ? xstrdup(c->stats_file) : NULL;
	tc->timezone = xstrdup(c->timezone != NULL ? c->timezone :
			       STORE_DEFAULT_TIMEZONE);
	conf_free(c);
	return 0;
}

void
tool_conf_clear(struct tool_conf *c)
{
	free(c->database);
	free(c->spool);
	free(c->timezone);
	free(c->stats_file);
	memset(c, 0, sizeof(*c));
}
