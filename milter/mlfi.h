/*
 * mlfi.h - the libmilter callbacks.
 */
#ifndef VANTHU_MLFI_H
#define VANTHU_MLFI_H

#include <libmilter/mfapi.h>

#include "store.h"
#include "worker.h"

extern struct smfiDesc mlfi_desc;

/* The pool every message's analysis goes to. */
void    mlfi_set_pool(struct worker_pool *);

/* The register every message's documents go to; shared by all threads. */
void    mlfi_set_store(struct store *);

/*
 * Whether to ask the MTA not to wait for replies that are always
 * "continue" (SMFIP_NR_*) and not to send DATA and unknown commands:
 * yes on a unix socket only.  Over TCP the MTA then writes its next
 * command with the last one unanswered, and Nagle's algorithm holds it
 * until the filter host's delayed ACK: Postfix 3.7 in front of a no-op
 * filter that asked for this passed 88 msg/s over loopback TCP instead
 * of 516 (tests/bench/postfix_tcp.bash).  There every step keeps its
 * reply, which carries the ACK.
 */
void    mlfi_set_skip_replies(int);

#endif
