/*
 * policy.h - every failure to its configured outcome.
 *
 * Whatever goes wrong while a message is handled falls in one class, and
 * each class has one setting (accept, tempfail or reject).  This is the
 * only place that turns a failure into an SMTP reply, so that the admin's
 * On*Error settings are honoured the same way everywhere.  The reply text
 * says what kind of problem it was, never internal details; the log line
 * carries those.
 */
#ifndef VANTHU_POLICY_H
#define VANTHU_POLICY_H

#include "conf.h"
#include "message.h"

enum failure_class {
	FAILURE_INTERNAL,
	FAILURE_ANALYSIS,
	FAILURE_STORE,
	FAILURE_OVERSIZE,
	FAILURE__COUNT
};

extern const char *const failure_class_names[FAILURE__COUNT];

/* Record the failure in the outcome and set its disposition and reply. */
void    policy_failure(const struct config *, enum failure_class,
		       const char *why, struct outcome *);

#endif
