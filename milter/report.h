/*
 * report.h - a message's handling as JSON, for `vanthu-milter -t --json`.
 *
 * The names are an interface admins script against; the README lists
 * them.  Unknown facts are JSON null, never empty strings.
 */
#ifndef VANTHU_REPORT_H
#define VANTHU_REPORT_H

#include <json-c/json.h>

#include "facts.h"
#include "message.h"

/* a, when not NULL, names the files of the document's detached signatures. */
struct json_object *report_document(const struct analysis *a, const struct document *);
struct json_object *report_analysis_into(struct json_object *top, const struct analysis *);
struct json_object *report_message(const struct msg_info *, const struct outcome *);

#endif
