/*
 * spool_test.c - spool files: the size limit, and a closed file rewound
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
	assert_int_equal(spool_flush(&sf), 0);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_size, 10);
	assert_int_equal(st.st_mode & 0777, 0600);
	spool_close(&sf);
	assert_int_equal(sf.fd, -1);
}

static void
a_closed_file_comes_back_rewound(void **state)
{
	struct spool_file one, two, three;
	char    buf[16];
	struct stat st;
	ino_t   first;

	(void) state;
	assert_int_equal(spool_open(&one, dir_a, 1000), 0);
	assert_int_equal(spool_write(&one, "secret message", 14), 0);
	assert_int_equal(spool_flush(&one), 0);
	first = inode(one.fd);
	spool_close(&one);

	/* The next message under the same Spool gets that file, rewound:
	 * its size starts at 0 and it is written from its start, over the
	 * bytes of the last one, which stay past its end. */
	assert_int_equal(spool_open(&two, dir_a, 1000), 0);
	assert_int_equal(inode(two.fd), first);
	assert_true(strncmp(made_in(two.fd), dir_a, strlen(dir_a)) == 0);
	assert_int_equal(two.size, 0);
	assert_int_equal(two.held, 14);
	assert_false(two.oversize);
	assert_int_equal(lseek(two.fd, 0, SEEK_CUR), 0);
	assert_int_equal(spool_write(&two, "hi", 2), 0);
	assert_int_equal(spool_flush(&two), 0);
	assert_int_equal(two.size, 2);
	assert_int_equal(pread(two.fd, buf, sizeof(buf), 0), 14);
	assert_memory_equal(buf, "hicret message", 14);

	/* A message that starts meanwhile gets a file of its own. */
	assert_int_equal(spool_open(&three, dir_a, 1000), 0);
	assert_int_not_equal(inode(three.fd), first);
	assert_int_equal(three.held, 0);
	assert_int_equal(fstat(three.fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	spool_close(&three);
	spool_close(&two);

	/* Another Spool (a reload changed it) never gets them: its file
	 * is in its own directory (an unnamed file's link in /proc names
	 * the directory it was made in). */
	assert_int_equal(spool_open(&one, dir_b, 1000), 0);
	assert_true(strncmp(made_in(one.fd), dir_b, strlen(dir_b)) == 0);
	spool_close(&one);
}

/* The next file opened under dir_a is the one numbered ino, empty. */
static void
comes_back_empty(ino_t ino)
{
	struct spool_file sf;
	struct stat st;

	assert_int_equal(spool_open(&sf, dir_a, 1000), 0);
	assert_int_equal(inode(sf.fd), ino);
	assert_int_equal(sf.held, 0);
	assert_false(sf.forget);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	spool_close(&sf);
}

/* Kept files hold at most SPOOL_HOLD bytes in all: one that would take
 * them past it comes back empty. */
static void
a_file_past_the_hold_comes_back_empty(void **state)
{
	struct spool_file sf;
	ino_t   ino;

	(void) state;
	assert_int_equal(spool_open(&sf, dir_a, 1000), 0);
	ino = inode(sf.fd);
	/* As if a message of more than SPOOL_HOLD bytes had passed (a hole
	 * costs no disk). */
	assert_int_equal(ftruncate(sf.fd, (off_t) SPOOL_HOLD + 1), 0);
	sf.held = SPOOL_HOLD + 1;
	spool_close(&sf);
	comes_back_empty(ino);
}

/* A file that held a secret document comes back empty. */
static void
a_forgotten_file_comes_back_empty(void **state)
{
	struct spool_file sf;
	ino_t   ino;

	(void) state;
	assert_int_equal(spool_open(&sf, dir_a, 1000), 0);
	ino = inode(sf.fd);
	assert_int_equal(spool_write(&sf, "Subject: MAT\r\n", 14), 0);
	assert_int_equal(spool_flush(&sf), 0);
	sf.forget = 1;
	spool_close(&sf);
	comes_back_empty(ino);
}

/* Small pieces wait in the buffer; a large one goes straight through
 * after them; the file holds every byte in order. */
static void
pieces_arrive_in_order(void **state)
{
	struct spool_file sf;
	static unsigned char big[3 * SPOOL_BUFFER], back[3 * SPOOL_BUFFER + 64];
	struct stat st;
	size_t  at = 0;

	(void) state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char) (i * 7);
	assert_int_equal(spool_open(&sf, dir_a, 1 << 20), 0);
	assert_int_equal(ftruncate(sf.fd, 0), 0);	/* a kept file's bytes */
	assert_int_equal(spool_write(&sf, "Subject", 7), 0);
	assert_int_equal(spool_write(&sf, ": x\r\n", 5), 0);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_size, 0);	/* still buffered */
	assert_int_equal(spool_write(&sf, big, sizeof(big)), 0);
	for (int i = 0; i < 40; i++)		/* fills and spills the buffer */
		assert_int_equal(spool_write(&sf, "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef"
					     "0123456789abcdef0123456789abcdef", 256), 0);
	assert_int_equal(spool_flush(&sf), 0);
	assert_int_equal(sf.size, 12 + sizeof(big) + 40 * 256);
	assert_int_equal(fstat(sf.fd, &st), 0);
	assert_int_equal(st.st_size, sf.size);
	assert_int_equal(pread(sf.fd, back, 12, 0), 12);
	assert_memory_equal(back, "Subject: x\r\n", 12);
	at = 12;
	assert_int_equal(pread(sf.fd, back, sizeof(big), (off_t) at), (ssize_t) sizeof(big));
	assert_memory_equal(back, big, sizeof(big));
	at += sizeof(big);
	for (int i = 0; i < 40; i++, at += 256) {
		assert_int_equal(pread(sf.fd, back, 16, (off_t) at), 16);
		assert_memory_equal(back, "0123456789abcdef", 16);
	}
	spool_close(&sf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(past_the_limit_bytes_are_counted_not_written),
		cmocka_unit_test(a_closed_file_comes_back_rewound),
		cmocka_unit_test(a_file_past_the_hold_comes_back_empty),
		cmocka_unit_test(a_forgotten_file_comes_back_empty),
		cmocka_unit_test(pieces_arrive_in_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
