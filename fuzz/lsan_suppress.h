/*
 * lsan_suppress.h - leaks LeakSanitizer is not to report in a fuzz
 * target: those of the libraries, which this project cannot mend.
 * tests/lsan.supp says the same to `make asan`.
 *
 * libytnef loses the first copy of an attribute a damaged winmail.dat
 * gives twice (title, data, MAPI properties).  A worker retires after
 * reading a winmail.dat, so the loss never reaches another message.
 */
#ifndef VANTHU_LSAN_SUPPRESS_H
#define VANTHU_LSAN_SUPPRESS_H

const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libytnef.so\n";
}

#endif
