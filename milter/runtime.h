/*
 * runtime.h - the configuration (and rules) a message is handled with.
 *
 * A message takes a reference to the current runtime when it starts and
 * keeps it to the end, so a reload (SIGUSR1) never changes the rules under
 * a message in flight.  runtime_install() swaps in a new runtime; the old
 * one is freed when its last message lets go of it.
 */
#ifndef VANTHU_RUNTIME_H
#define VANTHU_RUNTIME_H

#include "conf.h"
#include "rules.h"

struct runtime {
	int     refs;		/* under the runtime lock */
	struct config *cfg;
	struct ruleset *rules;
};

/* Takes cfg and the reference to rules. */
struct runtime *runtime_new(struct config *, struct ruleset *);
struct runtime *runtime_current(void);		/* a new reference */
struct runtime *runtime_release(struct runtime *);
void    runtime_install(struct runtime *);	/* takes the reference */

#endif
