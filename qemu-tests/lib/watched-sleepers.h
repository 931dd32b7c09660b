/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Three sleepers that count the SIGURGs they get, for tests of what the tasks
 * of one context can see and signal: one stays in the host context, one is
 * in another guest and one is in the context under test ("own"); the test
 * process counts the SIGURGs it gets too.
 *
 * The counters are shared memory the test process maps (vs_watch_map(), in
 * the fixture setup) before it forks the actor (vs_h_run() with VS_F_STAY).
 * The actor starts the sleepers (vs_watch_start()) while it is still in the
 * host, so that they are its children as setpgid(2) and the like require,
 * then enters the context under test and looks at them; after it ended, the
 * test process reads who got a signal. SIGURG is ignored by default: a stray
 * one harms nobody.
 */
#ifndef VS_TEST_WATCHED_SLEEPERS_H
#define VS_TEST_WATCHED_SLEEPERS_H

#include <sys/mman.h>

#include "vs.h"

enum vs_watched {
	VS_WATCH_HOST,		/* a sleeper in the host context */
	VS_WATCH_OTHER,		/* a sleeper in another guest */
	VS_WATCH_OWN,		/* a sleeper in the context under test */
	VS_WATCH_SLEEPERS,
	VS_WATCH_TEST = VS_WATCH_SLEEPERS,	/* the test process */
	VS_WATCH_SLOTS,
};

struct vs_watch {
	int *urg;		/* VS_WATCH_SLOTS counters in shared memory */
	struct vs_sleeper sleeper[VS_WATCH_SLEEPERS];
	int pidfd[VS_WATCH_SLEEPERS];	/* opened from the host */
};

/* The test process: maps the counters and counts its own SIGURGs; 0 or -errno. */
static inline int vs_watch_map(struct vs_watch *w)
{
	struct sigaction sa;
	int i;

	for (i = 0; i < VS_WATCH_SLEEPERS; i++) {
		w->sleeper[i].pid = -1;
		w->sleeper[i].release = -1;
		w->pidfd[i] = -1;
	}
	w->urg = mmap(NULL, sizeof(int) * VS_WATCH_SLOTS, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w->urg == MAP_FAILED) {
		w->urg = NULL;
		return -errno;
	}
	memset(w->urg, 0, sizeof(int) * VS_WATCH_SLOTS);
	memset(&sa, 0, sizeof(sa));
	vs_urg_slot = &w->urg[VS_WATCH_TEST];
	sa.sa_handler = vs_urg_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGURG, &sa, NULL);
	return 0;
}

static inline void vs_watch_unmap(struct vs_watch *w)
{
	signal(SIGURG, SIG_DFL);
	vs_urg_slot = NULL;
	if (w->urg)
		munmap(w->urg, sizeof(int) * VS_WATCH_SLOTS);
	w->urg = NULL;
}

/* SIGURGs sleeper (or the test process) @slot got so far. */
static inline int vs_watch_count(const struct vs_watch *w, int slot)
{
	return __atomic_load_n(&w->urg[slot], __ATOMIC_SEQ_CST);
}

static inline void vs_watch_reset(struct vs_watch *w, int slot)
{
	__atomic_store_n(&w->urg[slot], 0, __ATOMIC_SEQ_CST);
}

/* Waits (bounded by @timeout_ms) for @slot's first SIGURG; returns its count. */
static inline int vs_watch_wait(const struct vs_watch *w, int slot, int timeout_ms)
{
	int waited;

	for (waited = 0; waited < timeout_ms && !vs_watch_count(w, slot); waited += 10)
		vs_msleep(10);
	return vs_watch_count(w, slot);
}

/* Reaps the sleepers the caller started and closes their pidfds; 0 if every one was reaped. */
static inline int vs_watch_stop(struct vs_watch *w)
{
	int i, r, err = 0;

	for (i = 0; i < VS_WATCH_SLEEPERS; i++)
		vs_sleeper_release(&w->sleeper[i]);
	for (i = 0; i < VS_WATCH_SLEEPERS; i++) {
		if (w->sleeper[i].pid > 0) {
			r = vs_sleeper_stop(&w->sleeper[i], 2000);
			if (r && !err)
				err = r;
		}
		if (w->pidfd[i] >= 0)
			close(w->pidfd[i]);
		w->pidfd[i] = -1;
	}
	return err;
}

/*
 * The actor, still in the host: its SIGURGs no longer count as the test
 * process's; starts the host sleeper, one in @other_xid (which it ends the
 * setup of) and one in @own_xid, each in a process group of its own, and
 * opens a pidfd for each. 0, or -errno of the first that failed (those
 * started are stopped again).
 */
static inline int vs_watch_start(struct vs_watch *w, __u32 other_xid, __u32 own_xid)
{
	static const unsigned int flags[VS_WATCH_SLEEPERS] = {
		[VS_WATCH_HOST] = VS_F_STAY | VS_F_PGRP,
		[VS_WATCH_OTHER] = VS_F_PGRP | VS_F_END_SETUP,
		[VS_WATCH_OWN] = VS_F_PGRP,
	};
	const __u32 xids[VS_WATCH_SLEEPERS] = { VS_XID_HOST, other_xid, own_xid };
	int i, r;

	signal(SIGURG, SIG_DFL);
	for (i = 0; i < VS_WATCH_SLEEPERS; i++) {
		r = vs_sleeper_start_urg(&w->sleeper[i], xids[i], 0, flags[i], &w->urg[i]);
		if (!r) {
			w->pidfd[i] = (int)syscall(SYS_pidfd_open, w->sleeper[i].pid, 0);
			if (w->pidfd[i] < 0)
				r = -errno;
		}
		if (r) {
			vs_diag("sleeper %d (context %u): %s", i, xids[i], vs_errname(r));
			vs_watch_stop(w);
			return r;
		}
	}
	return 0;
}

#endif /* VS_TEST_WATCHED_SLEEPERS_H */
