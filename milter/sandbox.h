/*
 * sandbox.h - the system calls an analysis worker may still make.
 *
 * sandbox_enter() installs a seccomp filter after the worker has loaded
 * what it needs and dropped its privileges.  What remains is enough to
 * compute (memory, time, signals), to talk over the descriptors it holds
 * (its socketpair, the message descriptor) and to open files read-only
 * (libraries may read their data files late).  Everything else fails with
 * EPERM: no new sockets, no connect, no exec, no writing files, no
 * ptrace, no changing identity.  Failing calls return an error rather
 * than kill the process, so a library probing for an optional feature
 * degrades instead of taking the message's analysis down.
 */
#ifndef VANTHU_SANDBOX_H
#define VANTHU_SANDBOX_H

/* 0, or -1 when the kernel or libseccomp refused (logged). */
int     sandbox_enter(void);

#endif
