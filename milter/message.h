/*
 * message.h - one message, from its first header to its outcome.
 *
 * This is where a message goes.  The milter callbacks (mlfi.c) and the
 * offline mode (offline.c) both feed a struct message and call
 * message_process(), which decides everything: direction, analysis by a
 * worker, what happens on each failure, the headers to add.  The caller
 * only carries the struct outcome out in its own terms (libmilter calls,
 * or printing).
 */
#ifndef VANTHU_MESSAGE_H
#define VANTHU_MESSAGE_H

#include <stddef.h>
#include <time.h>

#include "facts.h"
#include "rules.h"
#include "runtime.h"
#include "spool.h"
#include "store.h"
#include "worker.h"

enum disposition {
	DISP_ACCEPT,
	DISP_TEMPFAIL,
	DISP_REJECT,
	DISP_QUARANTINE,	/* accept into the MTA's hold queue */
	DISP__COUNT
};

extern const char *const disposition_names[DISP__COUNT];

/* A header of ours already in the message, to be removed. */
struct own_header {
	char   *name;
	int     index;		/* 1-based among headers of that name */
};

/*
 * More headers of ours than this and the message is refused rather than
 * cleaned: each removal costs the MTA a walk over the headers (Postfix
 * took 0.9 s to remove 4,000, 4.8 s for 10,000), and no real message
 * carries that many: another site's vanthu adds about two a document,
 * and MaxParts allows 1,000 parts.
 */
#define OWN_HEADERS_MAX	4000

/*
 * The recipients a message may have.  Each is kept: the direction, the
 * rules and the register see them all, so a message with more is refused
 * rather than judged on part of its list.
 */
#define RCPTS_MAX	10000

struct message {
	struct runtime *rt;
	struct msg_info info;
	struct spool_file spool;
	int     spool_error;	/* errno of the first failed write */
	char   *content_type;	/* top-level Content-Type, raw */
	char   *raw_subject;	/* Subject as received; info.subject is decoded */
	struct own_header *own;
	size_t  nown;
	size_t  own_over;	/* headers of ours past OWN_HEADERS_MAX */
	size_t  rcpts_over;	/* recipients past RCPTS_MAX */
	struct timespec start;
};

struct outcome {
	enum disposition disposition;
	char   *smtp_code;	/* "550" */
	char   *smtp_xcode;	/* "5.7.1" */
	char   *smtp_text;
	struct header *add_headers;
	size_t  nadd_headers;
	char  **add_rcpts;
	size_t  nadd_rcpts;
	char   *quarantine_reason;
	char   *new_subject;	/* replaces the Subject header */
	char   *failure;	/* what failed, for the log; NULL when nothing */
	int     analysed;	/* a worker looked at it */
	struct analysis analysis;
	int     ruled;		/* the rules were evaluated */
	struct rule_result rules;
	int     registered;	/* the register was asked */
	int     register_dry;	/* offline: what would be registered */
	struct register_result reg;
};

/* Start a message: takes a runtime reference, opens the spool file.
 * Returns 0, or -1 with errno when the spool cannot be opened. */
int     message_start(struct message *, struct runtime *);
void    message_recipient(struct message *, const char *addr);
void    message_header(struct message *, const char *name, const char *value);
void    message_end_of_headers(struct message *);
void    message_body(struct message *, const void *, size_t);
/* store NULL: nothing is registered (offline mode says what would be). */
void    message_process(struct message *, struct worker_pool *, struct store *,
			struct outcome *);
void    message_log(const struct message *, const struct outcome *);
/* The log line of a message deferred before it was received: its queue
 * id (NULL when unknown), sender, the reply given and why. */
void    message_log_refused(const char *queue_id, const char *from,
			    const char *reply, const char *why);
void    message_clear(struct message *);
void    outcome_clear(struct outcome *);

void    outcome_add_header(struct outcome *, const char *name, const char *value);
/* Replace the outcome's SMTP reply: "550", "5.7.1", text. */
void    outcome_set_reply(struct outcome *, const char *code, const char *xcode,
			  const char *text);

#endif
