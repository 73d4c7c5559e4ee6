/*
 * lsan_suppress.h - leaks LeakSanitizer is not to report in a fuzz
 * target: those of the libraries, which this project cannot mend.
 * tests/lsan.supp says the same to `make asan`.
 *
 * libytnef loses an attachment's title when a damaged winmail.dat makes
 * it give up (TNEFAttachmentFilename).  In a worker that costs a few
 * bytes a message, given back when the worker is replaced.
 */
#ifndef VANTHU_LSAN_SUPPRESS_H
#define VANTHU_LSAN_SUPPRESS_H

const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:TNEFAttachmentFilename\n";
}

#endif
