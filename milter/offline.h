/*
 * offline.h - `vanthu-milter -t FILE.eml`: one message, handled exactly as
 * the daemon would handle it, with the outcome printed instead of sent.
 */
#ifndef VANTHU_OFFLINE_H
#define VANTHU_OFFLINE_H

#include <stddef.h>

#include "conf.h"
#include "rules.h"

struct offline_opts {
	const char *file;
	const char *exe;
	const char *config_path;
	int     json;
	int     foreground;
	const char *from;	/* NULL: the message's From */
	char  **rcpts;		/* none: the message's To and Cc */
	size_t  nrcpts;
	const char *client;	/* NULL: a client from outside */
	const char *auth;
};

/* Returns the exit status: 0 when the message was handled (whatever
 * the outcome), 1 when it could not be read or the workers not started. */
int     offline_run(struct config *, struct ruleset *, const struct offline_opts *);

#endif
