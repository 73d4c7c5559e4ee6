/*
 * aw_pipeline.h - what a worker does with one message.
 *
 * aw_context_open() loads, before the worker confines itself, whatever the
 * analysis needs from the file system (file-type database, trust anchors).
 * aw_analyse() then turns the message's bytes into a struct analysis:
 * extraction of every document, its real type, text, facts and
 * signatures.  Returns 0, or -1 with analysis->error set.
 */
#ifndef VANTHU_AW_PIPELINE_H
#define VANTHU_AW_PIPELINE_H

#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "facts.h"
#include "wproto.h"

struct aw_context;

struct aw_context *aw_context_open(const struct config *, FILE *errors);
struct aw_context *aw_context_close(struct aw_context *);
int     aw_analyse(struct aw_context *, const char *msg, size_t len,
		   const struct wrequest *, struct analysis *);

#endif
