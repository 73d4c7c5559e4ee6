/*
 * sandbox.c - see sandbox.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

/* Allowed whatever their arguments. */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(statx), SCMP_SYS(stat), SCMP_SYS(lstat), SCMP_SYS(lseek),
	SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(getdents64),
	SCMP_SYS(getcwd), SCMP_SYS(fcntl), SCMP_SYS(dup), SCMP_SYS(ioctl),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
	SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(mlock), SCMP_SYS(munlock),
	SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
	SCMP_SYS(time), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(getrusage), SCMP_SYS(getrlimit), SCMP_SYS(prlimit64),
	SCMP_SYS(setrlimit), SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getuid),
	SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(getppid),
	SCMP_SYS(uname), SCMP_SYS(getrandom), SCMP_SYS(sysinfo),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack), SCMP_SYS(tgkill), SCMP_SYS(kill),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(recvfrom), SCMP_SYS(sendto),
	SCMP_SYS(shutdown), SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(pipe2),
	SCMP_SYS(eventfd2), SCMP_SYS(memfd_create), SCMP_SYS(ftruncate),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
	/* Threads, which glib may start: clone without a new namespace. */
	SCMP_SYS(clone3), SCMP_SYS(set_tid_address),
};

int
sandbox_enter(void)
{
	scmp_filter_ctx ctx;
	int     rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		log_warn("sandbox: seccomp_init failed");
		return -1;
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (allowed[i] < 0)
			continue;	/* not a system call on this architecture */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0) {
			log_warn("sandbox: cannot allow system call %d", allowed[i]);
			goto out;
		}
	}
	/* Files only for reading: open and openat with O_RDONLY. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC,
				     O_RDONLY)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC,
				     O_RDONLY)) < 0) {
		log_warn("sandbox: cannot allow read-only open");
		goto out;
	}
	/* Threads, not processes: clone only with CLONE_THREAD. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0x00010000 /* CLONE_THREAD */,
				     0x00010000)) < 0) {
		log_warn("sandbox: cannot allow threads");
		goto out;
	}
	if (seccomp_load(ctx) < 0) {
		log_warn("sandbox: the kernel refused the seccomp filter");
		goto out;
	}
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}
