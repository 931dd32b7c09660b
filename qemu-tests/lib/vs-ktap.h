/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP reporting for the guest tests not yet on kselftest_harness.h: one
 * result per vs_expect()/vs_check(), and vs_ktap_fork() for cases reported
 * from a forked child. New tests use harness.h instead.
 */
#ifndef VS_TEST_VS_KTAP_H
#define VS_TEST_VS_KTAP_H

#include "ktap.h"
#include "vs.h"

/* One case: @got must equal @want (both 0/value or -errno). */
static inline int __attribute__((format(printf, 3, 4)))
vs_expect(long got, long want, const char *fmt, ...)
{
	char name[256], g[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (got != want) {
		snprintf(g, sizeof(g), "%s", vs_errname(got));
		ktap_diag("%s: got %s, want %s", name, g, vs_errname(want));
	}
	return ktap_result(got == want, "%s", name);
}

/* One case: @ok must hold; @fmt names the case, @diag (may be NULL) explains a failure. */
static inline int __attribute__((format(printf, 3, 4)))
vs_check(int ok, const char *diag, const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (!ok && diag)
		ktap_diag("%s: %s", name, diag);
	return ktap_result(ok, "%s", name);
}

/*
 * Runs @fn in a forked child that reports KTAP cases itself (numbering goes
 * on from the parent's), then hands its counters back to the parent.
 * Returns the child's exit status code, or -1 if it died without reporting.
 */
static inline int vs_ktap_fork(void (*fn)(void *), void *arg, int timeout_ms)
{
	int p[2], counts[2] = { -1, -1 }, st;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = vs_fork();
	if (pid == 0) {
		close(p[0]);
		vs_private_add(p[1]);	/* not for fn's own children */
		fn(arg);
		counts[0] = ktap_reported;
		counts[1] = ktap_failures;
		if (write(p[1], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	do
		n = read(p[0], counts, sizeof(counts));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	st = vs_child_status(pid, timeout_ms);
	if (n != (ssize_t)sizeof(counts)) {
		ktap_diag("reporting child %d died without reporting (status %d)", pid, st);
		ktap_failures++;
		return -1;
	}
	ktap_reported = counts[0];
	ktap_failures = counts[1];
	return st;
}

#endif /* VS_TEST_VS_KTAP_H */
