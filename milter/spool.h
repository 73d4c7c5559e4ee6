/*
 * spool.h - the private file a message is written to while it arrives.
 *
 * Headers and body go to an unnamed file (O_TMPFILE, mode 0600) under
 * <Spool>/tmp, so no message sits whole in memory and nothing is left
 * behind when the daemon dies.  Past the size limit the file stops
 * growing and the message is marked oversize.  An analysis worker gets a
 * copy of the bytes, never the descriptor.
 *
 * A closed spool file is rewound and kept for a later message (up to
 * SPOOL_KEEP of them) rather than deleted: a new inode per message is
 * much of what a small message costs on some file systems (ext4 without
 * a journal looks past every inode freed in the last half minute when
 * it allocates one).  It is not emptied either: the next message
 * overwrites pages the file already has, which costs a quarter of
 * filling new ones (truncating frees them).  The earlier bytes past
 * the new message's end stay in the file but are never read: a file is
 * read by its size, never to its end.  Kept files hold at most
 * SPOOL_HOLD bytes in all; past that a file is emptied before it is
 * kept, and so is a file marked forget (it held a secret document,
 * whose bytes must not wait there for the next message, or a write to
 * it failed, which leaves its length unknown).  spool_release() empties
 * every kept file, for when the Spool's file system is full.  Only the
 * daemon ever holds these files, so no message can reach another's
 * bytes through one.
 */
#ifndef VANTHU_SPOOL_H
#define VANTHU_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define SPOOL_KEEP	64
#define SPOOL_HOLD	((uint64_t) 256 << 20)

#define SPOOL_BUFFER	8192

struct spool_file {
	int     fd;		/* -1: not open */
	const char *dir;	/* the Spool it is under, for spool_close */
	uint64_t size;		/* bytes seen, written or not */
	uint64_t end;		/* bytes in the file (the rest are buffered) */
	uint64_t held;		/* the file's length, earlier messages' bytes too */
	uint64_t max;
	int     oversize;
	int     forget;		/* empty it when closed */
	/* Headers come a few bytes at a time: they are gathered here and
	 * written together, not a system call per piece. */
	size_t  nbuf;
	unsigned char buf[SPOOL_BUFFER];
};

/* Create <spool>/tmp when missing; 0 or -1 with errno. */
int     spool_prepare(const char *spool_dir);
int     spool_open(struct spool_file *, const char *spool_dir, uint64_t max);
/* 0, or -1 with errno on a write error.  Past max, bytes are counted only.
 * Small writes may wait in the buffer until spool_flush. */
int     spool_write(struct spool_file *, const void *, size_t);
/* Everything written so far into the file, before the file is read;
 * 0, or -1 with errno. */
int     spool_flush(struct spool_file *);
/* Done with the message: the file is rewound and kept, or closed. */
void    spool_close(struct spool_file *);
/* Give back the space the kept files hold (they stay kept, empty). */
void    spool_release(void);

#endif
