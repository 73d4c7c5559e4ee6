/*
 * mime_fuzz.c - libFuzzer target for the MIME walk and name decoding.
 *
 * The input is a whole message for aw_mime_extract() with the default
 * limits, whose documents then go through the pairing of detached
 * signature files (aw_detached.c, an empty trust store); the same bytes
 * also go through the RFC 2047 decoder, and, split
 * at the first two NUL bytes, through RFC 2231 parameter decoding with a
 * charset taken from the input.  Every result must be valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aw_detached.h"
#include "aw_mime.h"
#include "aw_names.h"
#include "facts.h"
#include "lsan_suppress.h"
#include "sig_trust.h"
#include "textnorm.h"
#include "xmalloc.h"

static struct aw_type *types;
static struct sig_trust *trust;

static void
check_utf8(const char *s)
{
	if (s != NULL && !text_utf8_valid(s, strlen(s)))
		abort();
}

static void
names(const uint8_t *data, size_t size)
{
	char   *copy = xmalloc(size + 1), *a, *b, *c, *r;
	struct aw_param pa[4];

	memcpy(copy, data, size);
	copy[size] = 0;
	r = aw_name_decode_words((const char *) data, size);
	check_utf8(r);
	free(r);
	/* copy = name0 NUL value0 NUL value1 ... (strlen stops at NULs) */
	a = copy;
	b = a + strlen(a) + (strlen(a) < size ? 1 : 0);
	c = b + ((size_t) (b - copy) < size ? strlen(b) + 1 : 0);
	if ((size_t) (c - copy) > size)
		c = copy + size;
	pa[0].name = "filename*0*";
	pa[0].value = a;
	pa[1].name = "filename*1";
	pa[1].value = b;
	pa[2].name = "name*";
	pa[2].value = c;
	pa[3].name = "name";
	pa[3].value = b;
	r = aw_name_from_params(pa, 4, "filename");
	check_utf8(r);
	free(r);
	r = aw_name_from_params(pa, 4, "name");
	check_utf8(r);
	{
		char   *s = aw_name_safe(r);

		check_utf8(s);
		if (s != NULL && (strchr(s, '/') || strlen(s) > AW_NAME_MAX))
			abort();
		free(s);
	}
	free(r);
	r = aw_name_convert(a, b, strlen(b));
	check_utf8(r);
	free(r);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_limits lim;
	struct analysis an;
	char    err[256];

	if (types == NULL && (types = aw_type_open(err, sizeof(err))) == NULL)
		abort();
	memset(&an, 0, sizeof(an));
	mime_limits_default(&lim, size);
	if (trust == NULL &&
	    (trust = sig_trust_load_paths(NULL, 0, NULL, 0, NULL, 0, 0,
					  NULL)) == NULL)
		abort();
	if (aw_mime_extract((const char *) data, size, &lim, types, &an) != 0)
		abort();
	aw_detached_pair(trust, &an);
	for (size_t i = 0; i < an.nsigfiles; i++)
		if (an.sigfiles[i].signs >= an.ndocs)
			abort();
	for (size_t i = 0; i < an.ndocs; i++)
		for (size_t k = 0; k < an.docs[i].nsigs; k++)
			if (an.docs[i].sigs[k].detached &&
			    (an.docs[i].sigs[k].file >= an.nsigfiles ||
			     an.sigfiles[an.docs[i].sigs[k].file].signs != i))
				abort();
	for (size_t i = 0; i < an.ndocs; i++) {
		check_utf8(an.docs[i].name);
		check_utf8(an.docs[i].origin_detail);
		if (an.docs[i].size != an.docs[i].len)
			abort();
	}
	for (size_t i = 0; i < an.nskipped; i++)
		check_utf8(an.skipped[i].name);
	analysis_clear(&an);
	if (size < 4096)
		names(data, size);
	return 0;
}
