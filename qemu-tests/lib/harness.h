/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest tests share on top of tools/testing/selftests/
 * kselftest_harness.h (as Landlock's selftests do): contexts made by a test
 * and removed by its teardown whatever happened, checks made in a forked
 * child (a task moved into a guest) that count for the test, and the one
 * timeout every test of ours needs under QEMU's TCG.
 *
 * Include it instead of kselftest_harness.h; it brings vs.h's ioctl
 * wrappers. Checks are the harness's EXPECT_*()/ASSERT_*() only.
 *
 * Rules the helpers rely on:
 * - a test that makes contexts is a TEST_F() of a fixture whose
 *   FIXTURE_TEARDOWN() calls vs_h_destroy_all() (vs_h_create() and
 *   vs_h_track() make sure that teardown runs even if the setup fails after
 *   them);
 * - in a function run by vs_h_run(), use EXPECT_*() only: an ASSERT_*()
 *   there would run the teardown in the child;
 * - every wait is bounded well below VS_H_TIMEOUT, since a test killed by
 *   the harness's timeout gets no teardown.
 */
#ifndef VS_TEST_HARNESS_H
#define VS_TEST_HARNESS_H

#include "kselftest_harness.h"

#include "vs.h"

/*
 * Seconds a test may take (TEST_F_TIMEOUT()): the harness's default of 30
 * is too short for the debug kernel under TCG on a busy 2-core machine.
 */
#define VS_H_TIMEOUT		120

/* Exit code of a vs_h_run() child whose checks failed. */
#define VS_H_CHECKS_FAILED	122

/* ---- contexts a test made ------------------------------------------------ */

#define VS_H_MAX_MADE		256

/*
 * Contexts and network contexts the running test made, in the order it made
 * them. Setup, test and teardown of a TEST_F() run in one process, so a plain
 * static list is what they share.
 */
static __u32 vs_h_xids[VS_H_MAX_MADE];
static int vs_h_nxids;
static __u32 vs_h_nids[VS_H_MAX_MADE];
static int vs_h_nnids;

/*
 * The harness skips the teardown of a test whose setup failed; once the
 * setup has made something, the teardown must run to remove it.
 */
static inline void vs_h_needs_teardown(struct __test_metadata *_metadata)
{
	if (_metadata->no_teardown)
		*_metadata->no_teardown = false;
}

static inline void __vs_h_track(struct __test_metadata *_metadata, __u32 xid)
{
	int i;

	for (i = 0; i < vs_h_nxids; i++)
		if (vs_h_xids[i] == xid)
			return;
	vs_h_needs_teardown(_metadata);
	if (vs_h_nxids < VS_H_MAX_MADE)
		vs_h_xids[vs_h_nxids++] = xid;
	else
		TH_LOG("more than %d contexts: %u is not removed by the teardown",
		       VS_H_MAX_MADE, xid);
}

/* The teardown removes context @xid (made some other way than vs_h_create()). */
#define vs_h_track(xid) __vs_h_track(_metadata, (xid))

/* The test removed @xid itself: the teardown need not. */
static inline void vs_h_forget(__u32 xid)
{
	int i;

	for (i = 0; i < vs_h_nxids; i++) {
		if (vs_h_xids[i] == xid) {
			vs_h_xids[i] = vs_h_xids[--vs_h_nxids];
			return;
		}
	}
}

static inline long __vs_h_create(struct __test_metadata *_metadata, __u32 xid, __u64 flags)
{
	long r = vs_create(xid, flags);

	if (r >= 0)
		__vs_h_track(_metadata, (__u32)r);
	return r;
}

/* vs_create() that the teardown undoes: the new xid, or -errno. */
#define vs_h_create(xid, flags) __vs_h_create(_metadata, (xid), (flags))

static inline void __vs_h_track_net(struct __test_metadata *_metadata, __u32 nid)
{
	int i;

	for (i = 0; i < vs_h_nnids; i++)
		if (vs_h_nids[i] == nid)
			return;
	vs_h_needs_teardown(_metadata);
	if (vs_h_nnids < VS_H_MAX_MADE)
		vs_h_nids[vs_h_nnids++] = nid;
	else
		TH_LOG("more than %d network contexts: %u is not removed by the teardown",
		       VS_H_MAX_MADE, nid);
}

/* The teardown removes network context @nid. */
#define vs_h_track_net(nid) __vs_h_track_net(_metadata, (nid))

static inline void vs_h_forget_net(__u32 nid)
{
	int i;

	for (i = 0; i < vs_h_nnids; i++) {
		if (vs_h_nids[i] == nid) {
			vs_h_nids[i] = vs_h_nids[--vs_h_nnids];
			return;
		}
	}
}

static inline long __vs_h_net_create(struct __test_metadata *_metadata, __u32 nid,
				     __u64 flags)
{
	long r = vs_net_create(nid, flags);

	if (r >= 0)
		__vs_h_track_net(_metadata, (__u32)r);
	return r;
}

/* VS_IOC_NET_CREATE that the teardown undoes: the new nid, or -errno. */
#define vs_h_net_create(nid, flags) __vs_h_net_create(_metadata, (nid), (flags))

/*
 * For FIXTURE_TEARDOWN(): kills and removes every context the test made,
 * newest first (a child context before its parent), then its network
 * contexts. Not a check: what the test left is not its result, but a context
 * that will not go is logged, since it would spoil the tests after it.
 */
static inline void __vs_h_destroy_all(struct __test_metadata *_metadata)
{
	while (vs_h_nxids > 0) {
		__u32 xid = vs_h_xids[--vs_h_nxids];

		if (!vs_destroy(xid))
			TH_LOG("teardown: context %u is still there", xid);
	}
	while (vs_h_nnids > 0) {
		__u32 nid = vs_h_nids[--vs_h_nnids];
		int r = vs_net_remove(nid);

		if (r && r != -ENOENT && r != -ESRCH)
			TH_LOG("teardown: network context %u: %s", nid, strerror(-r));
	}
	vs_reap_all(0);
}

#define vs_h_destroy_all() __vs_h_destroy_all(_metadata)

/* ---- checks in a child ----------------------------------------------------- */

/*
 * Runs @fn(_metadata, @arg) in a forked child, first moved into context @xid
 * (unless VS_F_STAY; VS_F_END_SETUP, VS_F_PGRP as for vs_spawn_in_context()),
 * and waits for it for at most @timeout_ms. The child's EXPECT_*() failures
 * fail the test, in a TEST() as in a TEST_F() (the child says so by its exit
 * code, since a TEST()'s metadata is not shared with it). Returns 0 if the
 * child got into @xid and ended cleanly with its checks passed, else -1
 * after logging why (the test has failed then).
 */
static inline int __vs_h_run(struct __test_metadata *_metadata, __u32 xid, unsigned int flags,
			     void (*fn)(struct __test_metadata *, void *), void *arg,
			     int timeout_ms, const char *what)
{
	int code;
	pid_t pid;

	pid = vs_fork();
	if (pid < 0) {
		_metadata->exit_code = KSFT_FAIL;
		TH_LOG("%s: fork: %s", what, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int failed_before = _metadata->exit_code == KSFT_FAIL;

		if (flags & VS_F_PGRP)
			setpgid(0, 0);
		if (!(flags & VS_F_STAY) && vs_migrate(xid))
			_exit(VS_SPAWN_MIGRATE_FAILED);
		if ((flags & VS_F_END_SETUP) && vs_end_setup(xid))
			_exit(VS_SPAWN_SETUP_FAILED);
		fn(_metadata, arg);
		fflush(stdout);
		fflush(stderr);
		_exit(!failed_before && _metadata->exit_code == KSFT_FAIL ?
		      VS_H_CHECKS_FAILED : 0);
	}
	code = vs_child_status(pid, timeout_ms);
	if (code == 0)
		return 0;
	_metadata->exit_code = KSFT_FAIL;
	switch (code) {
	case VS_H_CHECKS_FAILED:
		break;	/* the child logged its failed checks */
	case VS_SPAWN_MIGRATE_FAILED:
		TH_LOG("%s: the child could not enter context %u", what, xid);
		break;
	case VS_SPAWN_SETUP_FAILED:
		TH_LOG("%s: the child could not end the setup of context %u", what, xid);
		break;
	case -ETIMEDOUT:
		TH_LOG("%s: the child did not end within %d ms (killed)", what, timeout_ms);
		break;
	default:
		TH_LOG("%s: the child ended with status %d", what, code);
	}
	return -1;
}

#define vs_h_run(xid, flags, fn, arg, timeout_ms) \
	__vs_h_run(_metadata, (xid), (flags), (fn), (arg), (timeout_ms), #fn)

#endif /* VS_TEST_HARNESS_H */
