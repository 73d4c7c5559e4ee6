/*
 * list.c - read a list file for the `in file "..."` operator.
 *
 * One entry a line; blank lines and lines starting with '#' are skipped;
 * leading and trailing blanks are trimmed.  Entries must be valid UTF-8.
 * The file is read once, when the rules load; it must be a regular file
 * of at most 64 MB.  On failure returns -1 and
 * writes the reason (with the line number when a line is bad) to why.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rint.h"
#include "textnorm.h"
#include "xmalloc.h"

int
list_read(const char *path, char ***list, size_t *n, char *why, size_t whylen)
{
	FILE   *fp;
	char   *line = NULL;
	size_t  cap = 0;
	ssize_t len;
	char  **v = NULL;
	size_t  nv = 0;
	int     lineno = 0;
	struct stat st;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	/* Only a regular file of sane size: never a FIFO or /dev/zero. */
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t) st.st_size > RULES_MAX_FILE * 4) {
		snprintf(why, whylen, "%s", S_ISREG(st.st_mode) ?
			 "file too large" : "not a regular file");
		fclose(fp);
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char   *s = line, *e = line + len;

		lineno++;
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' ||
				 e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 0 || *s == '#')
			continue;
		if (!text_utf8_valid(s, (size_t) (e - s))) {
			snprintf(why, whylen, "line %d is not valid UTF-8",
				 lineno);
			goto fail;
		}
		if (nv >= RULES_MAX_LIST) {
			snprintf(why, whylen, "more than %d entries",
				 RULES_MAX_LIST);
			goto fail;
		}
		v = xreallocarray(v, nv + 1, sizeof(*v));
		v[nv++] = xstrdup(s);
	}
	if (ferror(fp)) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	free(line);
	fclose(fp);
	*list = v;
	*n = nv;
	return 0;
fail:
	for (size_t i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	free(line);
	fclose(fp);
	return -1;
}
