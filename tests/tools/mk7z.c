/*
 * mk7z.c - write a 7z archive with libarchive, for the MIME tests.
 *
 *	mk7z OUT.7z NAME FILE [NAME FILE ...]
 *
 * Stores each FILE's bytes under NAME.  No Debian tool in the test
 * dependencies writes 7z, but libarchive, which vanthu reads 7z with,
 * does.  Exit 0 on success, 1 on any error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include "fdio.h"
#include "xmalloc.h"

int
main(int argc, char **argv)
{
	struct archive *a;
	int     rc = 0;

	if (argc < 4 || argc % 2 != 0) {
		fprintf(stderr, "usage: mk7z OUT.7z NAME FILE [NAME FILE ...]\n");
		return 1;
	}
	a = archive_write_new();
	if (archive_write_set_format_7zip(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, argv[1]) != ARCHIVE_OK) {
		fprintf(stderr, "mk7z: %s\n", archive_error_string(a));
		archive_write_free(a);
		return 1;
	}
	for (int i = 2; i + 1 < argc && rc == 0; i += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t  len;
		unsigned char *data = file_read_whole(argv[i + 1], SIZE_MAX, &len);

		if (data == NULL) {
			perror(argv[i + 1]);
			rc = 1;
		} else {
			archive_entry_set_pathname(e, argv[i]);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t) len);
			if (archive_write_header(a, e) != ARCHIVE_OK ||
			    archive_write_data(a, data, len) != (la_ssize_t) len) {
				fprintf(stderr, "mk7z: %s\n", archive_error_string(a));
				rc = 1;
			}
		}
		free(data);
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = 1;
	archive_write_free(a);
	return rc;
}
