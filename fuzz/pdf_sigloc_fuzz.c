/*
 * pdf_sigloc_fuzz.c - the PDF signature locator and the revision check on
 * arbitrary bytes: no crash, no leak, no read outside the input, and the
 * byte range rules hold for every signature it calls well-formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pdf_sigloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_sigscan s;

	pdf_sigloc_scan(data, size, &s);
	pdf_revision_check(data, size, &s);
	for (size_t i = 0; i < s.nsigs; i++) {
		const struct pdf_sigdict *d = &s.sigs[i];

		if (d->malformed)
			continue;
		if (d->range[0] != 0 || d->range[1] > d->range[2] ||
		    d->covered_end > size || d->cms == NULL ||
		    d->range[1] != d->contents_off ||
		    d->range[2] != d->contents_end)
			abort();
	}
	pdf_sigscan_clear(&s);
	return 0;
}
