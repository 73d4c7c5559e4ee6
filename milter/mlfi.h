/*
 * mlfi.h - the libmilter callbacks.
 */
#ifndef VANTHU_MLFI_H
#define VANTHU_MLFI_H

#include <libmilter/mfapi.h>

#include "worker.h"

extern struct smfiDesc mlfi_desc;

/* The pool every message's analysis goes to. */
void    mlfi_set_pool(struct worker_pool *);

#endif
