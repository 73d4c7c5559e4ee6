/*
 * stats.h - counters of what the daemon did, for admins and monitoring.
 *
 * Every counter is a process-wide atomic that only grows; counting never
 * blocks and never fails.  stats_writer_start() starts a thread that
 * writes all counters to StatsFile every StatsInterval seconds in the
 * Prometheus text format (for node_exporter's textfile collector, and for
 * `vanthu stats`), through a temporary file and rename(2) so a reader
 * never sees half a file.  A write that fails is logged once per failure
 * streak and retried at the next interval; it never stops the daemon.
 *
 * The format, one sample a line (see vanthu-milter(8), STATISTICS):
 *	vanthu_messages_total{direction="inbound",outcome="accept"} 12
 *	vanthu_documents_total{verdict="valid"} 3
 *	vanthu_failures_total{class="analysis"} 0
 *	vanthu_worker_restarts_total 0
 *	vanthu_register_numbers_total 0
 *	vanthu_step_seconds_sum{step="analysis"} 1.234567
 *	vanthu_step_seconds_count{step="analysis"} 12
 *	vanthu_start_time_seconds 1763700000
 *	vanthu_stats_time_seconds 1763700060
 * with # HELP and # TYPE lines before each family.
 */
#ifndef VANTHU_STATS_H
#define VANTHU_STATS_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "facts.h"

struct analysis;

/* One message was decided: direction (enum direction), outcome (enum
 * disposition), and the documents its analysis found, by verdict. */
void    stats_count_message(int direction, int disposition,
			    const struct analysis *);
/* A failure of class enum failure_class went to its configured action. */
void    stats_count_failure(int failure_class);
/* An analysis worker was replaced (crash, timeout, recycling). */
void    stats_count_worker_restart(void);
/* The register issued one number (called by the store). */
void    stats_count_register_number(void);

/*
 * The steps of a message's end, each timed on its own: what the disk
 * (document store, register) and the CPU (analysis) cost a message, so
 * that an admin sees which one bounds the rate.
 */
enum stats_step {
	STEP_ANALYSIS,		/* worker_analyse(): waiting for a worker too */
	STEP_RULES,		/* the rules and what they change */
	STEP_DOCUMENT_STORE,	/* documents made durable in the spool */
	STEP_REGISTER,		/* numbers taken, up to the batch's COMMIT */
	STEP__COUNT
};

/* One step of one message ran from start (CLOCK_MONOTONIC) until now. */
void    stats_time_step(enum stats_step, const struct timespec *start);

/* Print every counter in the text format; returns 0 or -1 (errno). */
int     stats_print(FILE *);
/* Write path atomically (path.tmp, then rename); 0 or -1 with errno. */
int     stats_write(const char *path);

/* Start or stop the writer thread.  Start returns 0, or -1 when the
 * thread cannot start.  Stop writes the file one last time. */
int     stats_writer_start(const char *path, unsigned interval);
void    stats_writer_stop(void);

#endif
