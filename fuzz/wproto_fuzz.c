/*
 * wproto_fuzz.c - the daemon's decoder of worker replies, fed anything.
 */
#include <stddef.h>
#include <stdint.h>

#include "wproto.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wreply r;

	if (wproto_decode_reply(data, size, &r) == 0)
		wreply_clear(&r);
	return 0;
}
