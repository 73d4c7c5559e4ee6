/*
 * facts_json.c - struct doc_facts to JSON; see facts_json.h.
 */
#include "facts_json.h"

struct json_object *
doc_facts_json(const struct doc_facts *df)
{
	struct json_object *o = json_object_new_object();
	struct json_object *src = json_object_new_object();

	for (int i = 0; i < FACT__COUNT; i++) {
		const struct fact *f = &df->f[i];

		json_object_object_add(o, fact_names[i], f->value ?
		    json_object_new_string(f->value) : NULL);
		if (f->value)
			json_object_object_add(src, fact_names[i],
			    json_object_new_string(fact_source_names[f->source]));
	}
	json_object_object_add(o, "sources", src);
	return o;
}
