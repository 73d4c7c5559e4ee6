/*
 * facts_fuzz.c - the facts parser, the subject parser and the legacy
 * encoding detector on any bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aw_facts.h"
#include "aw_text.h"
#include "textnorm.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct doc_facts df = {0};
	char   *s, *conv;

	aw_facts_text(&df, (const char *) data, len);
	doc_facts_clear(&df);

	s = text_nfc((const char *) data, len);
	aw_facts_subject(&df, s, SRC_SUBJECT);
	doc_facts_clear(&df);
	conv = aw_legacy_convert(s);
	free(conv);
	free(s);
	return 0;
}
