/*
 * spool.h - the private file a message is written to while it arrives.
 *
 * Headers and body go to an unnamed file (O_TMPFILE, mode 0600) under
 * <Spool>/tmp, so no message sits whole in memory and nothing is left
 * behind when the daemon dies.  Past the size limit the file stops
 * growing and the message is marked oversize.  The descriptor is what an
 * analysis worker receives.
 */
#ifndef VANTHU_SPOOL_H
#define VANTHU_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool_file {
	int     fd;		/* -1: not open */
	uint64_t size;		/* bytes seen, written or not */
	uint64_t max;
	int     oversize;
};

/* Create <spool>/tmp when missing; 0 or -1 with errno. */
int     spool_prepare(const char *spool_dir);
int     spool_open(struct spool_file *, const char *spool_dir, uint64_t max);
/* 0, or -1 with errno on a write error.  Past max, bytes are counted only. */
int     spool_write(struct spool_file *, const void *, size_t);
void    spool_close(struct spool_file *);

#endif
