/*
 * log.h - one place that writes log lines.
 *
 * Lines go to syslog, or to stderr when the daemon runs in the foreground
 * or a tool runs offline.  Message-related lines read
 *	component: queue-id: what failed: why
 * log_fatal() is for local problems the process cannot go on with (startup,
 * memory); a message or a peer never reaches it.
 */
#ifndef VANTHU_LOG_H
#define VANTHU_LOG_H

#include <syslog.h>

#define LOG_TO_STDERR	1
#define LOG_TO_SYSLOG	2

void    log_open(const char *ident, int where, int facility);
void    log_set_level(int level);	/* syslog priority, LOG_INFO default */
int     log_level(void);
int     log_facility_by_name(const char *name);	/* -1 when unknown */
const char *log_facility_name(int facility);	/* "?" when unknown */
int     log_level_by_name(const char *name);	/* -1 when unknown */

void    log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void    log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void    log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void    log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void    log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void    log_fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
