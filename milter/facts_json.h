/*
 * facts_json.h - a document's facts as the JSON object "facts" of
 * `vanthu-milter -t --json`: every name of fact_names[] (null when
 * unknown) and "sources", fact name -> where it was read.
 */
#ifndef VANTHU_FACTS_JSON_H
#define VANTHU_FACTS_JSON_H

#include <json-c/json.h>

#include "facts.h"

struct json_object *doc_facts_json(const struct doc_facts *df);

#endif
