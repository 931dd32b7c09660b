/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP output for the in-guest test programs, in the spirit of
 * tools/testing/selftests/kselftest.h. A program plans its cases, reports
 * each, and returns ktap_finish() from main().
 */
#ifndef VS_KTAP_H
#define VS_KTAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ktap_planned, ktap_reported, ktap_failures;

static inline void ktap_plan(int n)
{
	ktap_planned = n;
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Reports one case; returns @ok so callers can chain. */
static inline int ktap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	ktap_reported++;
	if (!ok)
		ktap_failures++;
	printf("%s %d ", ok ? "ok" : "not ok", ktap_reported);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return ok;
}

static inline void ktap_skip(const char *why, const char *name)
{
	ktap_reported++;
	printf("ok %d %s # SKIP %s\n", ktap_reported, name, why);
	fflush(stdout);
}

/* Exit status for main(): 0 only if every planned case passed. */
static inline int ktap_finish(void)
{
	if (ktap_reported != ktap_planned) {
		ktap_diag("planned %d cases, reported %d", ktap_planned, ktap_reported);
		return 1;
	}
	return ktap_failures ? 1 : 0;
}

/*
 * Checks that @expr (a system call returning -1/errno on failure) fails with
 * @err. Prints what happened instead when it does not.
 */
#define KTAP_EXPECT_ERRNO(expr, err, name)					\
	({								\
		long __r;						\
		int __e;						\
		errno = 0;						\
		__r = (long)(expr);					\
		__e = errno;						\
		if (!(__r == -1 && __e == (err)))			\
			ktap_diag("%s: got %ld, errno %d (%s); want errno %d (%s)", \
				  name, __r, __e, strerror(__e), (err), strerror(err)); \
		ktap_result(__r == -1 && __e == (err), "%s", name);	\
	})

/* Checks that @expr succeeds (returns >= 0). */
#define KTAP_EXPECT_OK(expr, name)						\
	({								\
		long __r;						\
		errno = 0;						\
		__r = (long)(expr);					\
		if (__r < 0)						\
			ktap_diag("%s: failed: %s", name, strerror(errno)); \
		ktap_result(__r >= 0, "%s", name);			\
	})

#endif /* VS_KTAP_H */
