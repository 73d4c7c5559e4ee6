/*
 * fdio_test.c - file_read_whole: the bytes with a NUL after them, the
 * limit (a file of limit bytes is refused), a missing file; fsync_path
 * on a file, a directory and a missing path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "fdio.h"

static char path[] = "/tmp/fdio_test.XXXXXX";

static int
setup(void **state)
{
	/* 200,000 bytes: more than the first buffer of 65,536. */
	static unsigned char b[200000];
	int     fd = mkstemp(path);

	(void) state;
	if (fd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char) (i % 253 + 1);
	if (write_full(fd, b, sizeof(b)) < 0)
		return -1;
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	(void) state;
	unlink(path);
	return 0;
}

static void
whole_file_and_a_nul(void **state)
{
	size_t  len = 0;
	unsigned char *b = file_read_whole(path, SIZE_MAX, &len);

	(void) state;
	assert_non_null(b);
	assert_int_equal(len, 200000);
	for (size_t i = 0; i < len; i++)
		if (b[i] != (unsigned char) (i % 253 + 1))
			fail_msg("byte %zu differs", i);
	assert_int_equal(b[len], 0);
	free(b);
}

static void
limit_and_missing_file(void **state)
{
	size_t  len = 7;
	unsigned char *b;

	(void) state;
	b = file_read_whole(path, 200001, &len);
	assert_non_null(b);
	assert_int_equal(len, 200000);
	/* 200,002 bytes asked for, not the next doubling (262,144) */
	assert_true(malloc_usable_size(b) < 262144);
	free(b);
	errno = 0;
	assert_null(file_read_whole(path, 200000, &len));
	assert_int_equal(errno, EFBIG);
	errno = 0;
	assert_null(file_read_whole("/nonexistent/fdio_test", SIZE_MAX, &len));
	assert_int_equal(errno, ENOENT);
}

static void
fsync_by_path(void **state)
{
	(void) state;
	assert_int_equal(fsync_path(path), 0);
	assert_int_equal(fsync_path("/tmp"), 0);
	errno = 0;
	assert_int_equal(fsync_path("/tmp/fdio_test.no-such-file"), -1);
	assert_int_equal(errno, ENOENT);
}

/* A descriptor shared by several readers: each reads it all, from the
 * start, and its offset stays where it was. */
static void
whole_descriptor_by_pread(void **state)
{
	int     fd = memfd_create("fdio_test", MFD_CLOEXEC);
	unsigned char *a, *b;
	size_t  n = 0;

	(void) state;
	assert_true(fd >= 0);
	assert_int_equal(write_full(fd, "Spool /var/spool/vanthu\n", 24), 0);
	a = fd_read_whole(fd, 1024, &n);
	assert_non_null(a);
	assert_int_equal(n, 24);
	assert_string_equal((char *) a, "Spool /var/spool/vanthu\n");
	b = fd_read_whole(fd, 1024, &n);
	assert_non_null(b);
	assert_memory_equal(a, b, 25);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 24);	/* as write left it */
	assert_null(fd_read_whole(fd, 24, &n));
	assert_int_equal(errno, EFBIG);
	assert_null(fd_read_whole(-1, 24, &n));
	assert_int_equal(errno, EBADF);
	free(a);
	free(b);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_file_and_a_nul),
		cmocka_unit_test(limit_and_missing_file),
		cmocka_unit_test(fsync_by_path),
		cmocka_unit_test(whole_descriptor_by_pread),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
