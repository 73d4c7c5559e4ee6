/*
 * wproto.h - the wire format between the daemon and its analysis workers.
 *
 * This is the only module that knows the format, for both sides.  One
 * request, one reply, over a stream socketpair:
 *
 *	frame   = magic(u32) length(u32) body[length]
 *	request = id(u64) kind(u32) subject(str) header_from(str) limits
 *	          size(u64), then, after the frame, the message's size bytes
 *	reply   = id(u64) status(u32) error(str) analysis
 *	          then, after the frame, each document's bytes in turn
 *	          and each detached signature file's (analysis.sigfiles)
 *
 * Integers are big-endian; a str is a u32 length (0xFFFFFFFF for NULL) and
 * that many bytes.  The analysis carries every field of struct analysis
 * but a document's sha256, which the daemon computes from the bytes; each
 * document's entry ends with the length of its bytes (u64, equal to its
 * size), which follow the frame so that the daemon can write them to a
 * file as they arrive instead of holding a frame of a message's size.
 * The message is copied, not passed as a descriptor: a worker never holds
 * a file of the daemon's, so nothing it keeps open reaches another
 * message (the daemon reuses its spool files, see spool.h).
 * The decoder treats every reply as hostile: enums are range-checked,
 * strings bounded, the total capped, and leftover bytes are an error.
 */
#ifndef VANTHU_WPROTO_H
#define VANTHU_WPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "facts.h"

#define WPROTO_REQ_MAGIC	0x56545731u	/* "VTW1" */
#define WPROTO_REP_MAGIC	0x56545231u	/* "VTR1" */
#define WPROTO_REQ_MAX		(64 * 1024)

enum wreq_kind {
	WREQ_ANALYSE = 1,
};

enum wrep_status {
	WREP_OK = 0,
	WREP_FAILED = 1,	/* the analysis failed; error says why */
};

/* On the wire, the status word also carries wreply.retire. */
#define WREP_RETIRE	0x100

struct analysis_limits {
	uint32_t max_parts;
	uint32_t max_depth;
	uint32_t max_archive_files;
	uint64_t max_archive_size;
	uint32_t max_archive_ratio;
	uint64_t max_doc_size;
};

struct wrequest {
	uint64_t id;
	uint32_t kind;
	char   *subject;
	char   *header_from;
	struct analysis_limits limits;
	uint64_t size;		/* the message's length */
	unsigned char *message;	/* worker side: its bytes, NUL-terminated;
				 * NULL when no memory could hold them */
};

struct wreply {
	uint64_t id;
	uint32_t status;
	int     retire;	/* the worker exits after this reply */
	char   *error;
	struct analysis analysis;
};

/*
 * A deadline is a moment on CLOCK_MONOTONIC; the daemon takes one for a
 * job, ms from now, and sending the request and reading the reply share
 * it.  NULL wherever a deadline is taken means none.
 */
void    wproto_deadline(struct timespec *until, unsigned ms);

/*
 * The daemon sends a request and then q->size bytes of the file msg_fd
 * from its start, all by until on its non-blocking end; 0, -1 with errno
 * set, -2 past the deadline.
 * A worker sends its reply on its blocking end; 0, or -1 with errno.
 */
int     wproto_send_request(int sock, const struct wrequest *, int msg_fd,
			    const struct timespec *until);
int     wproto_send_reply(int sock, const struct wreply *);

/*
 * Read one frame by until and decode it.
 * Returns 0; -1 on a system error or EOF (errno set, 0 for EOF);
 * -2 on a deadline; -3 when the frame is malformed; -4 when a document
 * could not be kept here (errno set): every byte of the reply has still
 * been read, so the stream is in step.  *why says which.
 *
 * A reply's documents go, each as it arrives, into an unnamed file
 * (O_TMPFILE) in doc_dir, whose descriptor is analysis.doc_fds[i]; into
 * document.data when doc_dir is NULL or its file system has no unnamed
 * files.  Each document's sha256 is computed here from the bytes as they
 * arrive; the worker sends none.  max bounds the frame and the documents
 * together.
 */
int     wproto_recv_request(int sock, struct wrequest *, const char **why);
int     wproto_recv_reply(int sock, const struct timespec *until, size_t max,
			  const char *doc_dir, struct wreply *,
			  const char **why);

void    wrequest_clear(struct wrequest *);
void    wreply_clear(struct wreply *);

/* Exposed for the fuzz target and unit tests: the frame alone.  encode
 * fills w (which it initialises; wbuf_free() it) with the header and
 * body that wproto_send_reply() sends, not the documents' bytes that
 * follow them; decode takes the body, the eight header bytes left off. */
struct wbuf;
void    wproto_encode_reply(struct wbuf *w, const struct wreply *);
int     wproto_decode_reply(const unsigned char *, size_t, struct wreply *);

#endif
