/*
 * cmd_backup.c - `vanthu backup DIR`: the register and its documents,
 * copied for safekeeping while the daemon runs.
 *
 * DIR receives register.sqlite, the whole register as of one commit
 * (store_backup()), and, in the spool's own layout (ab/cd/<sha256>), the
 * file of every document a registration in that copy points to, and of
 * the detached signatures (.p7s) registered with it.  The
 * register goes first: a document's file is on disk before its number
 * is committed, so every file the copy names is in the spool to take.
 * Each file is hashed as it is copied, and one whose bytes no longer
 * match its name is reported, not copied.  Files already in DIR are
 * kept (a name is its content), so a backup into the same directory
 * copies only what is new.  A file system without unnamed files (NFS)
 * gets each file under a temporary name first.  Restoring is copying
 * back: register.sqlite to Database, the two-hex-digit directories into
 * Spool (vanthu(1)).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docstore.h"
#include "tool.h"
#include "xmalloc.h"

/*
 * Where dir's file system has no unnamed files (NFS): the bytes go into
 * a temporary file beside the final name, are checked as they are
 * copied, then renamed into place durably.
 */
static int
backup_named(const char *from, const char *dir, const char *to,
	     const char *sha256)
{
	struct docstore_tmp *t = xmalloc(sizeof(*t));
	char	err[600];
	int	r;

	switch (docstore_begin(dir, sha256, t, err, sizeof(err))) {
	case 1:
		r = 0;			/* there already */
		break;
	case 0:
		if (tool_copy_checked(from, t->fd, to, sha256, err,
				      sizeof(err)) < 0) {
			docstore_abort(t);
			r = -1;
		} else
			r = docstore_commit(dir, t, err, sizeof(err)) == 0 ? 1 : -1;
		break;
	default:
		r = -1;
	}
	if (r < 0)
		tool_fail("backup", "%s", err);
	free(t);
	return r;
}

/*
 * One document into dir: 1 copied, 0 there already, -1 failed (said on
 * stderr).  The bytes go into an unnamed file in dir, are checked as
 * they are copied, and docstore_link() gives the file its name durably.
 */
static int
backup_document(const char *spool, const char *dir, const char *sha256)
{
	char	to[PATH_MAX], err[600];
	char   *from;
	struct stat st;
	int	fd, rc = -1;

	if (docstore_path(dir, sha256, to, sizeof(to)) < 0) {
		tool_fail("backup", "%s: bad document name or path too long", sha256);
		return -1;
	}
	if (stat(to, &st) == 0)
		return 0;
	from = store_spool_path(spool, sha256);
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) < 0) {
		if (errno == EOPNOTSUPP || errno == EISDIR)
			rc = backup_named(from, dir, to, sha256);
		else
			tool_fail("backup", "%s: %s", dir, strerror(errno));
		free(from);
		return rc;
	}
	if (tool_copy_checked(from, fd, to, sha256, err, sizeof(err)) == 0 &&
	    docstore_link(dir, fd, sha256, err, sizeof(err)) == 0)
		rc = 1;
	else
		tool_fail("backup", "%s", err);
	close(fd);
	free(from);
	return rc;
}

int
cmd_backup(struct tool *t, int argc, char **argv)
{
	char	db[PATH_MAX], err[512], **sha256 = NULL;
	const char *dir;
	size_t	n = 0, copied = 0, failed = 0;

	if (argc != 2 || argv[1][0] == '-') {
		tool_fail("backup", "usage: vanthu backup DIR");
		return EXIT_USAGE;
	}
	dir = argv[1];
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		tool_fail("backup", "%s: %s", dir, strerror(errno));
		return 1;
	}
	if ((size_t) snprintf(db, sizeof(db), "%s/register.sqlite", dir) >=
	    sizeof(db)) {
		tool_fail("backup", "%s: path too long", dir);
		return 1;
	}
	if (store_backup(t->st, db, &sha256, &n, err, sizeof(err)) < 0) {
		tool_fail("backup", "%s", err);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		switch (backup_document(t->spool, dir, sha256[i])) {
		case 1:
			copied++;
			break;
		case -1:
			failed++;
			break;
		}
		free(sha256[i]);
	}
	free(sha256);
	printf("%s: the register; %zu documents: %zu copied, %zu there already",
	       db, n, copied, n - copied - failed);
	if (failed > 0)
		printf(", %zu not copied", failed);
	printf("\n");
	return failed > 0 ? 1 : 0;
}
