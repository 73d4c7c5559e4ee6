/*
 * perms.h - start-up checks on who may write where.
 *
 * The register and the spool hold what the agency received: a directory
 * that another local user can write into lets that user replace or
 * remove them.  perms_check_dir() refuses such a directory (as OpenDKIM
 * refuses a key file others can read), so the daemon does not start and
 * says why.  A directory that does not exist yet passes: the daemon
 * creates it private.
 */
#ifndef VANTHU_PERMS_H
#define VANTHU_PERMS_H

#include <stddef.h>
#include <sys/types.h>

/* 0 when dir is absent or writable only by its owner; -1 with a sentence
 * in why ("Spool /x is writable by group (mode 0775)...") otherwise, or
 * when it cannot be examined. */
int     perms_check_dir(const char *what, const char *dir, char *why, size_t whylen);

/* The directory that holds the register's database file ("." for a bare
 * file name), into buf. */
void    perms_database_dir(const char *database, char *buf, size_t len);

/* Give dir to uid:gid when it belongs to root; 0 or -1 with errno. */
int     perms_hand_over(const char *dir, uid_t uid, gid_t gid);

/*
 * Give the root-owned directory dir to uid:gid as perms_hand_over() does,
 * but only when every entry in it is one that ours() accepts: a directory
 * that holds anything else (/var/lib, named by "Database
 * /var/lib/register.sqlite") is the system's, not the daemon's.  0 when
 * handed over or nothing to do; 1 when refused, the first other entry's
 * name in other; -1 with errno.
 */
int     perms_hand_over_own(const char *dir, uid_t uid, gid_t gid,
			    int (*ours)(const char *name, const void *arg),
			    const void *arg, char *other, size_t otherlen);

#endif
