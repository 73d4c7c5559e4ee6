/*
 * docx_fuzz.c - the DOCX and ODT reader (libzip, libxml2) on any bytes,
 * then the facts parser on what it read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aw_facts.h"
#include "aw_text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct text_limits lim;
	const char *why;

	text_limits_default(&lim);
	lim.max_entry = 4u << 20;
	for (int odt = 0; odt < 2; odt++) {
		char   *h, *f;
		char   *t = aw_office_text(data, len, odt, &lim, &h, &f, &why);

		if (t != NULL) {
			struct doc_facts df = {0};

			aw_facts_text(&df, t, strlen(t));
			if (h != NULL)
				aw_facts_marks(&df, h, strlen(h), SRC_PAGE_HEADER);
			if (f != NULL)
				aw_facts_marks(&df, f, strlen(f), SRC_PAGE_FOOTER);
			doc_facts_clear(&df);
		}
		free(t);
		free(h);
		free(f);
	}
	return 0;
}
