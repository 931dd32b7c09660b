/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Steps: a table of what a guest does, in order, each with the answer it must
 * get, for tests on harness.h.
 *
 * - A sequence (chroot, then walk out of it) is a table whose later steps mean
 *   something only after the earlier ones: a test about step N runs steps 0
 *   to N and checks every answer, so it can run alone; the first wrong answer
 *   ends the run, since what comes after it would mean nothing.
 * - A battery (syscalls the default capability set refuses) is a table of
 *   independent steps: a test about one of them runs just that one (from ==
 *   to), a test about all of them (which refusals were counted) the lot.
 *
 * A step's run() returns 0 or a value, or -errno (vs.h's VS_ERR(), VS_RET()),
 * and gets the test's @arg. A step may say that the kernel lacks what it
 * tries (absent(), e.g. a config option): a test about that step is then
 * skipped, a run that merely goes past it leaves it out.
 */
#ifndef VS_TEST_STEPS_H
#define VS_TEST_STEPS_H

#include "harness.h"

struct vs_step {
	const char *what;
	long (*run)(void *arg);
	long want;
	/* NULL, or why the kernel has nothing to try (NULL if it has). */
	const char *(*absent)(void);
};

/*
 * Runs @steps[@from] to @steps[@to] in order and EXPECTs each answer; for a
 * TEST_F() or a function run by vs_h_run() (it uses no ASSERT_*()). Returns
 * 1 if every step got its answer (or was absent), else 0.
 */
static inline int __vs_steps_run(struct __test_metadata *_metadata, const struct vs_step *steps,
				 int from, int to, void *arg)
{
	const char *why;
	long got;
	int i;

	for (i = from; i <= to; i++) {
		why = steps[i].absent ? steps[i].absent() : NULL;
		if (why && i == to)
			SKIP(return 1, "%s: %s", steps[i].what, why);
		if (why)
			continue;
		got = steps[i].run(arg);
		EXPECT_EQ(steps[i].want, got) {
			TH_LOG("step %d, %s: got %s", i, steps[i].what, vs_errname(got));
		}
		/* Not from the handler above: it must run to its end. */
		if (got != steps[i].want)
			return 0;
	}
	return 1;
}

#define vs_steps_run(steps, from, to, arg) __vs_steps_run(_metadata, (steps), (from), (to), (arg))

/* What vs_h_run_steps() hands its child. */
struct vs_steps_job {
	const struct vs_step *steps;
	int from, to;
	void *arg;
};

static inline void vs_steps_child(struct __test_metadata *_metadata, void *job)
{
	const struct vs_steps_job *j = job;

	vs_steps_run(j->steps, j->from, j->to, j->arg);
}

/*
 * vs_steps_run() in a child moved into context @xid as vs_h_run() does it
 * (@flags, bounded by @timeout_ms); 0 or -1 as vs_h_run().
 */
#define vs_h_run_steps(xid, flags, steps, from, to, arg, timeout_ms)				\
	({											\
		struct vs_steps_job __job = { (steps), (from), (to), (arg) };			\
		__vs_h_run(_metadata, (xid), (flags), vs_steps_child, &__job, (timeout_ms),	\
			   #steps);								\
	})

/* Number of steps in a table. */
#define VS_STEPS(table) ((int)(sizeof(table) / sizeof((table)[0])))

#endif /* VS_TEST_STEPS_H */
