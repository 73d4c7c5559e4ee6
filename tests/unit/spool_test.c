/*
 * spool_test.c - spool files: the size limit, and a closed file emptied
 * and kept for the next message under the same Spool only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "spool.h"

static char dir_a[] = "/tmp/spool_test_a.XXXXXX";
static char dir_b[] = "/tmp/spool_test_b.XXXXXX";

static int
setup(void **state)
{
	(void) state;
	if (mkdtemp(dir_a) == NULL || mkdtemp(dir_b) == NULL ||
	    spool_prepare(dir_a) < 0 || spool_prepare(dir_b) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char    path[64];

	(void) state;
	snprintf(path, sizeof(path), "%s/tmp", dir_a);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/tmp", dir_b);
	rmdir(path);
	rmdir(dir_a);
	rmdir(dir_b);
	return 0;
}

static ino_t
inode(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static const char *
made_in(int fd)
{
	static char target[256];
	char    link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = 0;
	return target;
}

static void
past_the_limit_bytes_are_counted_not_written(void **state)
{
	struct spool_file sf;
	struct stat st;

	(void) state;
	assert_int_equal(spool_open(&sf, dir_a, 10), 0);
	assert_int_equal(spool_write(&sf, "0123456789", 10), 0);
	assert_false(sf.oversize);
	assert_int_equal(spool_write(&sf, "abc", 3), 0);
	assert_true(sf.oversize);
	assert_int_equal(sf.size, 13);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_size, 10);
	assert_int_equal(st.st_mode & 0777, 0600);
	spool_close(&sf);
	assert_int_equal(sf.fd, -1);
}

static void
a_closed_file_comes_back_empty(void **state)
{
	struct spool_file one, two, three;
	char    buf[16];
	struct stat st;
	ino_t   first;

	(void) state;
	assert_int_equal(spool_open(&one, dir_a, 1000), 0);
	assert_int_equal(spool_write(&one, "secret message", 14), 0);
	first = inode(one.fd);
	spool_close(&one);

	/* The next message under the same Spool gets that file, empty,
	 * written from its start. */
	assert_int_equal(spool_open(&two, dir_a, 1000), 0);
	assert_int_equal(inode(two.fd), first);
	assert_true(strncmp(made_in(two.fd), dir_a, strlen(dir_a)) == 0);
	assert_int_equal(two.size, 0);
	assert_false(two.oversize);
	assert_int_equal(fstat(two.fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(spool_write(&two, "hi", 2), 0);
	assert_int_equal(pread(two.fd, buf, sizeof(buf), 0), 2);
	assert_memory_equal(buf, "hi", 2);

	/* A message that starts meanwhile gets a file of its own. */
	assert_int_equal(spool_open(&three, dir_a, 1000), 0);
	assert_int_not_equal(inode(three.fd), first);
	spool_close(&three);
	spool_close(&two);

	/* Another Spool (a reload changed it) never gets them: its file
	 * is in its own directory (an unnamed file's link in /proc names
	 * the directory it was made in). */
	assert_int_equal(spool_open(&one, dir_b, 1000), 0);
	assert_true(strncmp(made_in(one.fd), dir_b, strlen(dir_b)) == 0);
	spool_close(&one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(past_the_limit_bytes_are_counted_not_written),
		cmocka_unit_test(a_closed_file_comes_back_empty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
