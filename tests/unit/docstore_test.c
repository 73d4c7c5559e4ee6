/*
 * docstore_test.c - the content-addressed spool: layout, modes, hash check,
 * a document stored once, and the named temporary file of file systems
 * without unnamed ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "docstore.h"

/* A document, and the SHA-256 of the empty string. */
#define TEXT	"C\xC3\xB4ng v\xC4\x83n s\xE1\xBB\x91 05\n"
#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char spool[64];

static int
setup(void **state)
{
	(void) state;
	snprintf(spool, sizeof(spool), "/tmp/vanthu-docstore.XXXXXX");
	return mkdtemp(spool) ? 0 : -1;
}

static int
teardown(void **state)
{
	char    cmd[128];

	(void) state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", spool);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
sha_of(const char *s, size_t len)
{
	static char hex[65];
	char    cmd[256], path[96];
	FILE   *f;

	/* sha256sum is the oracle for the hash. */
	snprintf(path, sizeof(path), "%s/in", spool);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(fread(hex, 1, 64, f), 64);
	hex[64] = 0;
	pclose(f);
	unlink(path);
	return hex;
}

/* Entries in dir other than . and .. */
static int
entries(const char *dir)
{
	DIR    *d = opendir(dir);
	struct dirent *de;
	int     n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Whether the document hex is in the spool holding exactly TEXT. */
static int
stored_text(const char *hex)
{
	char    path[256], buf[64];
	ssize_t n;
	int     fd;

	if (docstore_path(spool, hex, path, sizeof(path)) < 0 ||
	    (fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t) strlen(TEXT) && memcmp(buf, TEXT, strlen(TEXT)) == 0;
}

static void
stores_under_its_hash_with_private_modes(void **state)
{
	char    err[256], path[256], want[256], buf[64];
	const char *hex = sha_of(TEXT, strlen(TEXT));
	struct stat st;
	FILE   *f;

	(void) state;
	assert_int_equal(docstore_put(spool, (const unsigned char *) TEXT,
				      strlen(TEXT), hex, err, sizeof(err)), 0);
	assert_int_equal(docstore_path(spool, hex, path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/%.2s/%.2s/%s", spool, hex, hex + 2, hex);
	assert_string_equal(path, want);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal((size_t) st.st_size, strlen(TEXT));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), strlen(TEXT));
	fclose(f);
	assert_memory_equal(buf, TEXT, strlen(TEXT));
	snprintf(want, sizeof(want), "%s/%.2s", spool, hex);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(want, sizeof(want), "%s/%.2s/%.2s", spool, hex, hex + 2);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Nothing but the document is left in its directory. */
	assert_int_equal(entries(want), 1);
}

static void
a_present_document_is_not_rewritten(void **state)
{
	char    err[256], path[256];
	const char *hex = EMPTY_SHA;
	struct stat a, b;
	FILE   *f;

	(void) state;
	assert_int_equal(docstore_put(spool, (const unsigned char *) "", 0, hex,
				      err, sizeof(err)), 0);
	assert_int_equal(docstore_path(spool, hex, path, sizeof(path)), 0);
	/* Mark the stored file: a rewrite would replace it. */
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs("marker", f);
	fclose(f);
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(docstore_put(spool, (const unsigned char *) "", 0, hex,
				      err, sizeof(err)), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(b.st_size, 6);
}

static void
a_wrong_hash_writes_nothing(void **state)
{
	char    err[256], path[256], d[128];
	struct stat st;

	(void) state;
	assert_int_equal(docstore_put(spool, (const unsigned char *) "x", 1,
				      EMPTY_SHA, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "hashes to"));
	assert_int_equal(docstore_path(spool, EMPTY_SHA, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), -1);
	snprintf(d, sizeof(d), "%s/e3", spool);
	assert_int_equal(stat(d, &st), -1);
	/* Not 64 lower-case hex digits. */
	assert_int_equal(docstore_put(spool, (const unsigned char *) "x", 1,
				      "../../etc/passwd", err, sizeof(err)), -1);
	assert_int_equal(docstore_put(spool, (const unsigned char *) "x", 1,
				      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
				      err, sizeof(err)), -1);
	assert_int_equal(docstore_path(spool, "abc", path, sizeof(path)), -1);
	/* A spool that cannot be created. */
	assert_int_equal(docstore_put("/nonexistent/spool",
				      (const unsigned char *) "", 0, EMPTY_SHA,
				      err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mkdir"));
}

static void
an_unnamed_file_is_linked_into_place(void **state)
{
	char    err[256], path[256];
	const char *hex = sha_of(TEXT, strlen(TEXT));
	struct stat st;
	int     fd;

	(void) state;
	/* As the daemon receives a document: an O_TMPFILE in the spool. */
	fd = open(spool, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, TEXT, strlen(TEXT)), (ssize_t) strlen(TEXT));
	assert_int_equal(docstore_link(spool, fd, hex, err, sizeof(err)), 0);
	assert_int_equal(docstore_path(spool, hex, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_nlink, 1);
	assert_true(stored_text(hex));
	/* The same document again, as a second message brings it: kept. */
	assert_int_equal(docstore_link(spool, fd, hex, err, sizeof(err)), 0);
	close(fd);
	fd = open(spool, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(docstore_link(spool, fd, "not-a-hash", err, sizeof(err)), -1);
	assert_string_equal(err, "docstore: bad sha256 \"not-a-hash\"");
	close(fd);
}

static void
a_named_temporary_file_is_committed_or_removed(void **state)
{
	struct docstore_tmp *t = malloc(sizeof(*t));
	char    err[256], d2[128];
	const char *hex = sha_of(TEXT, strlen(TEXT));

	(void) state;
	assert_non_null(t);
	snprintf(d2, sizeof(d2), "%s/%.2s/%.2s", spool, hex, hex + 2);
	/* Given up: the temporary file goes, the directories stay. */
	assert_int_equal(docstore_begin(spool, hex, t, err, sizeof(err)), 0);
	assert_true(t->fd >= 0);
	assert_int_equal(strncmp(t->tmp, d2, strlen(d2)), 0);
	assert_int_equal(write(t->fd, "half", 4), 4);
	assert_int_equal(entries(d2), 1);
	docstore_abort(t);
	assert_int_equal(t->fd, -1);
	assert_int_equal(entries(d2), 0);
	/* Written and committed: under its name, nothing beside it. */
	assert_int_equal(docstore_begin(spool, hex, t, err, sizeof(err)), 0);
	assert_int_equal(write(t->fd, TEXT, strlen(TEXT)), (ssize_t) strlen(TEXT));
	assert_int_equal(docstore_commit(spool, t, err, sizeof(err)), 0);
	assert_int_equal(t->fd, -1);
	assert_int_equal(entries(d2), 1);
	assert_true(stored_text(hex));
	/* Stored already: 1, nothing opened. */
	assert_int_equal(docstore_begin(spool, hex, t, err, sizeof(err)), 1);
	assert_int_equal(t->fd, -1);
	assert_int_equal(entries(d2), 1);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stores_under_its_hash_with_private_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(a_present_document_is_not_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(a_wrong_hash_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(an_unnamed_file_is_linked_into_place, setup, teardown),
		cmocka_unit_test_setup_teardown(a_named_temporary_file_is_committed_or_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
