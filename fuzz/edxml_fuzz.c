/*
 * edxml_fuzz.c - an edXML packet: header facts and attachments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aw_facts.h"
#include "xmalloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct analysis a = {0};
	struct document *d = analysis_add_document(&a);

	d->data = xmalloc(len + 1);
	memcpy(d->data, data, len);
	d->len = len;
	d->name = xstrdup("packet.edxml");
	(void) aw_edxml_read(&a, 0);
	for (size_t i = 0; i < a.ndocs; i++)
		aw_facts_read(&a.docs[i], NULL);
	analysis_clear(&a);
	return 0;
}
