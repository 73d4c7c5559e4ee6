/*
 * xmalloc.c - allocation wrappers; see xmalloc.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

static void
out_of_memory(size_t n)
{
	log_error("out of memory allocating %zu bytes", n);
	exit(EXIT_NO_MEMORY);
}

void *
xmalloc(size_t n)
{
	void   *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void   *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(n * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void   *p = realloc(old, n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size)
		log_fatal("allocation of %zu x %zu bytes overflows", n, size);
	return xrealloc(old, n * size);
}

char *
xstrdup(const char *s)
{
	char   *p = strdup(s);

	if (p == NULL)
		out_of_memory(strlen(s) + 1);
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char   *p = strndup(s, n);

	if (p == NULL)
		out_of_memory(n + 1);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char   *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		out_of_memory(strlen(fmt));
	va_end(ap);
	return p;
}
