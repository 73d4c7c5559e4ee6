/*
 * xmalloc.h - allocation that cannot fail quietly.
 *
 * Running out of memory is a local fault the daemon cannot recover from
 * sensibly in the middle of a callback, so these log and abort instead of
 * returning NULL.  Code that must survive a huge allocation request from
 * hostile input checks the size against its limit first.  The process
 * exits with EXIT_NO_MEMORY, so that the daemon can tell an analysis
 * worker that reached AnalysisMemory from one that crashed.
 */
#ifndef VANTHU_XMALLOC_H
#define VANTHU_XMALLOC_H

#include <stddef.h>

#define EXIT_NO_MEMORY	71	/* sysexits.h's EX_OSERR */

void   *xmalloc(size_t);
void   *xcalloc(size_t, size_t);
void   *xrealloc(void *, size_t);
void   *xreallocarray(void *, size_t, size_t);
char   *xstrdup(const char *);
char   *xstrndup(const char *, size_t);
char   *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
