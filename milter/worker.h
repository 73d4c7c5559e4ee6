/*
 * worker.h - the pool of analysis workers, parent side.
 *
 * All parsing of untrusted bytes happens in worker processes: the daemon
 * re-executes itself as "vanthu-milter -x worker", each worker holding one
 * end of a socketpair.  worker_analyse() sends a message's bytes from its
 * spool file to an idle worker and has its reply within the analysis
 * timeout, sending included.
 *
 * A worker that crashes, hangs past the timeout or sends a malformed reply
 * is killed and replaced; the call returns -1 with the reason, and only
 * that message is affected.  Workers are recycled after a number of jobs
 * and after a configuration reload.  Safe to call from many threads.
 */
#ifndef VANTHU_WORKER_H
#define VANTHU_WORKER_H

#include <stddef.h>

#include "facts.h"
#include "wproto.h"

struct worker_pool;

struct worker_params {
	const char *exe;		/* this program, absolute */
	const char *config_path;	/* NULL: embedded defaults */
	const char *config_text;	/* the configuration the daemon runs */
	size_t  config_len;
	int     foreground;		/* workers log to stderr */
	int     syslog_facility;	/* else to syslog, there */
	const char *user;		/* UserID; NULL: workers root starts
					 * run as nobody */
	unsigned nworkers;
	unsigned timeout;		/* seconds per message */
	size_t  reply_max;		/* bytes */
	const char *doc_dir;		/* documents' unnamed files; NULL: memory */
	unsigned recycle_after;		/* jobs */
};

struct worker_pool *worker_pool_start(const struct worker_params *);
struct worker_pool *worker_pool_stop(struct worker_pool *);

/* Replace every worker once it is idle (after a reload). */
void    worker_pool_recycle(struct worker_pool *);
/* The configuration workers started from now on are given (after a
 * reload): they never read the file, which may have changed since. */
void    worker_pool_set_config(struct worker_pool *, const char *text,
			       size_t len);
/* AnalysisTimeout and the largest reply, from a reloaded configuration:
 * for the jobs that start from now on. */
void    worker_pool_set_limits(struct worker_pool *, unsigned timeout,
			       size_t reply_max);

/* Counters for statistics. */
unsigned long worker_pool_restarts(const struct worker_pool *);

/*
 * Analyse the message, the first size bytes of spool_fd (read with
 * sendfile, whatever the descriptor's offset).  Returns 0 and fills *out;
 * -1 with a reason in why[] when the analysis failed (worker crashed,
 * timed out, malformed reply, analysis failed: ...); -2 with a reason
 * when the daemon could not keep the documents (its spool is full, say).
 */
int     worker_analyse(struct worker_pool *, int spool_fd, uint64_t size,
		       const char *subject,
		       const char *header_from, const struct analysis_limits *,
		       struct analysis *out, char *why, size_t whylen);

/* The worker's own entry point: "vanthu-milter -x worker". */
int     aw_main(int argc, char **argv);

#endif
