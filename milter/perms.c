/*
 * perms.c - see perms.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perms.h"

int
perms_check_dir(const char *what, const char *dir, char *why, size_t whylen)
{
	struct stat st;
	const char *who;

	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s %s: %s", what, dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "%s %s: not a directory", what, dir);
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	who = (st.st_mode & S_IWOTH) ? "other users" : "its group";
	snprintf(why, whylen, "%s %s is writable by %s (mode %04o); refusing to "
		 "start: make it writable by its owner only (chmod go-w %s)",
		 what, dir, who, (unsigned) (st.st_mode & 07777), dir);
	return -1;
}

void
perms_database_dir(const char *database, char *buf, size_t len)
{
	const char *slash = strrchr(database, '/');

	if (slash == NULL)
		snprintf(buf, len, ".");
	else if (slash == database)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int) (slash - database), database);
}

int
perms_hand_over(const char *dir, uid_t uid, gid_t gid)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return -1;
	if (st.st_uid != 0 || uid == 0)
		return 0;
	return chown(dir, uid, gid);
}

int
perms_hand_over_own(const char *dir, uid_t uid, gid_t gid,
		    int (*ours)(const char *name, const void *arg),
		    const void *arg, char *other, size_t otherlen)
{
	struct stat st;
	struct dirent *e;
	DIR    *d;
	int     saved;

	if (stat(dir, &st) < 0)
		return -1;
	if (st.st_uid != 0 || uid == 0)
		return 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    ours(e->d_name, arg))
			continue;
		snprintf(other, otherlen, "%s", e->d_name);
		closedir(d);
		return 1;
	}
	saved = errno;
	closedir(d);
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return chown(dir, uid, gid);
}
