/*
 * store_testhook.h - hooks for test programs only.
 *
 * The year rollover and crash tests need a clock they can set and points
 * where they can stop a registration half way.  These setters live in
 * libvanthu.a but nothing in the daemon or in `vanthu` calls them, and no
 * option, configuration name or environment variable reaches them: only a
 * test program that links the library and calls them itself can move the
 * register's clock.
 *
 * Fault points, in the order a registration meets them:
 *	"register.begin"	transaction open, nothing written
 *	"register.numbered"	a number taken, its rows not all written
 *	"register.commit"	every row written, COMMIT not yet run
 *	"register.done"		committed, mutex still held
 */
#ifndef VANTHU_STORE_TESTHOOK_H
#define VANTHU_STORE_TESTHOOK_H

#include <time.h>

#include "store.h"

void	store_test_set_clock(struct store *, time_t (*now)(void *), void *arg);
void	store_test_set_fault(struct store *,
			     void (*fault)(const char *point, void *), void *arg);

#endif
