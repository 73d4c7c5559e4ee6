/*
 * archive_fuzz.c - one level of an archive: ZIP, RAR, 7z, tar, compressed
 * files (libarchive) and winmail.dat (libytnef).  The first byte picks
 * the type libmagic would have named; the rest is the archive.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aw_archive.h"
#include "aw_mime.h"
#include "lsan_suppress.h"

static const char *const types[] = {
	"application/zip", "application/x-rar", "application/x-7z-compressed",
	"application/x-tar", "application/gzip", "application/x-bzip2",
	"application/x-xz", "application/zstd", "application/vnd.ms-tnef",
	"application/x-lzma", "application/x-lzip", "application/x-lz4",
	"application/x-compress",
};

static int
entry(void *ctx, const char *path, const unsigned char *data, size_t len,
      const char *reason)
{
	unsigned *sum = ctx;

	/* Touch every byte and the name, so ASan sees a bad length. */
	for (size_t i = 0; data != NULL && i < len; i++)
		*sum += data[i];
	if (path != NULL)
		*sum += (unsigned) strlen(path);
	if (reason != NULL)
		*sum += (unsigned) strlen(reason);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int     fd = open("/dev/null", O_WRONLY);

	(void) argc;
	(void) argv;
	/* libytnef's complaints go to standard output. */
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mime_limits lim;
	char    buf[256];
	unsigned sum = 0;

	if (len < 1)
		return 0;
	mime_limits_default(&lim, len);
	lim.max_archive_size = 16 << 20;
	(void) aw_archive_each(types[data[0] % (sizeof(types) / sizeof(types[0]))],
			       data + 1, len - 1, &lim, entry, &sum, buf,
			       sizeof(buf));
	return 0;
}
