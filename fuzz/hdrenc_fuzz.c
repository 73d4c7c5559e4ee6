/*
 * hdrenc_fuzz.c - hdr_encode() and hdr_prefix_subject() on any bytes.
 *
 * The input, cut at its first NUL, is the value (and the subject, after
 * a 0x01 byte when there is one).  Whatever it holds, the result must
 * be printable ASCII, and an encoded word may not exceed 75 characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrenc.h"

static void
check_ascii(const char *s, int encoded)
{
	size_t  word = 0;

	for (; *s; s++) {
		if ((unsigned char) *s < 0x20 || (unsigned char) *s > 0x7e)
			abort();
		word = *s == ' ' ? 0 : word + 1;
		if (encoded && word > 75)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *in = malloc(size + 1), *subject, *out;

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	if ((subject = strchr(in, 0x01)) != NULL)
		*subject++ = 0;

	out = hdr_encode(in);
	check_ascii(out, strcmp(out, in) != 0);
	free(out);
	out = hdr_prefix_subject(in, subject);
	free(out);
	free(in);
	return 0;
}
