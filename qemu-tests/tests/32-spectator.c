// SPDX-License-Identifier: GPL-2.0
/*
 * The spectator context (xid 1): it sees every task (/proc, kill(pid, 0),
 * GET_XID, GET_INFO, LIST) but touches none outside its own context (real
 * signals, ptrace, setpriority, sched_setscheduler -> EPERM, privileged
 * ioctls -> EPERM); on its own tasks everything works. A guest does not see
 * the spectator's tasks.
 *
 * An actor starts three sleepers from the host (one stays in the host, one
 * is in guest G, one is a spectator), then becomes a spectator and looks at
 * them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/resource.h>

#include "../lib/harness.h"
#include "../lib/watched-sleepers.h"

#define X_G		3201	/* a guest with one sleeper */
#define X_REFUSED	3202	/* the spectator may not create it */

#define ACTOR_MS	20000

/* ---- calls on a pid ---- */

static long call_stat_proc_pid(pid_t pid)
{
	return vs_proc_path_err(pid, "", 0);
}

static long call_open_proc_pid_status(pid_t pid)
{
	return vs_proc_path_err(pid, "/status", 1);
}

static long call_readdir_proc_lists_pid(pid_t pid)
{
	return vs_proc_lists(pid);
}

static long call_kill_0(pid_t pid)
{
	return VS_ERR(kill(pid, 0));
}

static long call_get_xid(pid_t pid)
{
	return vs_get_xid(pid);
}

static long call_kill_sigurg(pid_t pid)
{
	return VS_ERR(kill(pid, SIGURG));
}

static long call_tgkill_sigurg(pid_t pid)
{
	return VS_ERR(syscall(SYS_tgkill, pid, pid, SIGURG));
}

static long call_kill_pgrp_sigurg(pid_t pid)
{
	return VS_ERR(kill(-pid, SIGURG));
}

static long call_ptrace_attach(pid_t pid)
{
	return vs_ptrace_try(PTRACE_ATTACH, pid);
}

static long call_ptrace_seize(pid_t pid)
{
	return vs_ptrace_try(PTRACE_SEIZE, pid);
}

static long call_setpriority(pid_t pid)
{
	return VS_ERR(setpriority(PRIO_PROCESS, pid, 0));
}

static long call_sched_setscheduler(pid_t pid)
{
	struct sched_param sp = { .sched_priority = 0 };

	return VS_ERR(sched_setscheduler(pid, SCHED_OTHER, &sp));
}

/* The context each watched sleeper is in. */
static const long watched_xid[VS_WATCH_SLEEPERS] = {
	[VS_WATCH_HOST] = VS_XID_HOST,
	[VS_WATCH_OTHER] = X_G,
	[VS_WATCH_OWN] = VS_XID_SPECTATOR,
};

/* What G, the sleepers and the test process's SIGURG count need. */
static void make_guest(struct __test_metadata *_metadata, struct vs_watch *w)
{
	vs_become_subreaper();
	ASSERT_LE(0, vs_open());
	ASSERT_EQ(X_G, vs_h_create(X_G, 0));
	ASSERT_EQ(0, vs_watch_map(w));
}

/* In the actor, in the host: starts the sleepers; 1 if they all started. */
static int actor_starts_sleepers(struct __test_metadata *_metadata, struct vs_watch *w)
{
	int r = vs_watch_start(w, X_G, VS_XID_SPECTATOR);

	EXPECT_EQ(0, r);
	return !r;
}

/* In the actor: starts the sleepers and becomes a spectator; 1 if that worked. */
static int actor_becomes_a_spectator(struct __test_metadata *_metadata, struct vs_watch *w)
{
	long r;

	if (!actor_starts_sleepers(_metadata, w))
		return 0;
	r = vs_migrate(VS_XID_SPECTATOR);
	EXPECT_EQ(0, r);
	if (!r) {
		r = vs_get_xid(0);
		EXPECT_EQ(VS_XID_SPECTATOR, r);
		if (r == VS_XID_SPECTATOR)
			return 1;
	}
	vs_watch_stop(w);
	return 0;
}

struct call_case {
	long (*call)(pid_t pid);
	struct vs_watch *w;
	int target;
	long want;
};

/* The actor, a spectator: the call on the target sleeper. */
static void actor_calls(struct __test_metadata *_metadata, void *arg)
{
	const struct call_case *c = arg;
	struct vs_watch *w = c->w;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	EXPECT_EQ(c->want, c->call(w->sleeper[c->target].pid));
	vs_watch_stop(w);
}

/* ---- what the spectator sees of every task ---- */

FIXTURE(spectator_sees) {
	struct vs_watch w;
};

/* Each variant: a look at a pid that works on any task. */
FIXTURE_VARIANT(spectator_sees) {
	long (*call)(pid_t pid);
	long answer;		/* unless it answers the target's xid */
	int answers_xid;
};

FIXTURE_VARIANT_ADD(spectator_sees, stat_proc_pid) {
	.call = call_stat_proc_pid, .answer = 0,
};

FIXTURE_VARIANT_ADD(spectator_sees, open_proc_pid_status) {
	.call = call_open_proc_pid_status, .answer = 0,
};

FIXTURE_VARIANT_ADD(spectator_sees, readdir_proc_lists_pid) {
	.call = call_readdir_proc_lists_pid, .answer = 1,
};

FIXTURE_VARIANT_ADD(spectator_sees, kill_0) {
	.call = call_kill_0, .answer = 0,
};

FIXTURE_VARIANT_ADD(spectator_sees, get_xid) {
	.call = call_get_xid, .answers_xid = 1,
};

FIXTURE_SETUP(spectator_sees)
{
	make_guest(_metadata, &self->w);
}

FIXTURE_TEARDOWN(spectator_sees)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

static void spectator_looks_at(struct __test_metadata *_metadata, struct vs_watch *w,
			       const FIXTURE_VARIANT(spectator_sees) *variant, int target)
{
	struct call_case c = {
		variant->call, w, target,
		variant->answers_xid ? watched_xid[target] : variant->answer,
	};

	vs_h_run(0, VS_F_STAY, actor_calls, &c, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator_sees, works_on_a_host_task, VS_H_TIMEOUT)
{
	spectator_looks_at(_metadata, &self->w, variant, VS_WATCH_HOST);
}

TEST_F_TIMEOUT(spectator_sees, works_on_a_task_of_g, VS_H_TIMEOUT)
{
	spectator_looks_at(_metadata, &self->w, variant, VS_WATCH_OTHER);
}

TEST_F_TIMEOUT(spectator_sees, works_on_its_own_task, VS_H_TIMEOUT)
{
	spectator_looks_at(_metadata, &self->w, variant, VS_WATCH_OWN);
}

/* ---- what the spectator may do to a task: only to its own ---- */

FIXTURE(spectator_touches) {
	struct vs_watch w;
};

FIXTURE_VARIANT(spectator_touches) {
	long (*call)(pid_t pid);
};

FIXTURE_VARIANT_ADD(spectator_touches, kill_sigurg) {
	.call = call_kill_sigurg,
};

FIXTURE_VARIANT_ADD(spectator_touches, tgkill_sigurg) {
	.call = call_tgkill_sigurg,
};

FIXTURE_VARIANT_ADD(spectator_touches, kill_pgrp_sigurg) {
	.call = call_kill_pgrp_sigurg,
};

FIXTURE_VARIANT_ADD(spectator_touches, ptrace_attach) {
	.call = call_ptrace_attach,
};

FIXTURE_VARIANT_ADD(spectator_touches, ptrace_seize) {
	.call = call_ptrace_seize,
};

FIXTURE_VARIANT_ADD(spectator_touches, setpriority) {
	.call = call_setpriority,
};

FIXTURE_VARIANT_ADD(spectator_touches, sched_setscheduler) {
	.call = call_sched_setscheduler,
};

FIXTURE_SETUP(spectator_touches)
{
	make_guest(_metadata, &self->w);
}

FIXTURE_TEARDOWN(spectator_touches)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

static void spectator_touches(struct __test_metadata *_metadata, struct vs_watch *w,
			      const FIXTURE_VARIANT(spectator_touches) *variant, int target)
{
	struct call_case c = {
		variant->call, w, target, target == VS_WATCH_OWN ? 0 : -EPERM,
	};

	vs_h_run(0, VS_F_STAY, actor_calls, &c, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator_touches, a_host_task_is_eperm, VS_H_TIMEOUT)
{
	spectator_touches(_metadata, &self->w, variant, VS_WATCH_HOST);
}

TEST_F_TIMEOUT(spectator_touches, a_task_of_g_is_eperm, VS_H_TIMEOUT)
{
	spectator_touches(_metadata, &self->w, variant, VS_WATCH_OTHER);
}

TEST_F_TIMEOUT(spectator_touches, its_own_task_works, VS_H_TIMEOUT)
{
	spectator_touches(_metadata, &self->w, variant, VS_WATCH_OWN);
}

/* ---- the ioctls a spectator makes ---- */

struct ioctl_case {
	long (*call)(void);
	struct vs_watch *w;
	long want;
};

static long spectator_get_info_self(void)
{
	struct vs_context_info info;

	return vs_info(VS_XID_SELF, &info);
}

static long spectator_get_info_1(void)
{
	struct vs_context_info info;

	return vs_info(VS_XID_SPECTATOR, &info);
}

static long spectator_create(void)
{
	return vs_create(X_REFUSED, 0);
}

static long spectator_set_flags(void)
{
	return vs_set_flags(X_G, VS_CF_PROLIFIC, 0);
}

static long spectator_kill(void)
{
	return vs_kill(X_G, 0);
}

static long spectator_remove(void)
{
	return vs_remove(X_G);
}

static long spectator_wait(void)
{
	__u32 reason;

	return vs_wait(X_G, &reason, 500);
}

static long spectator_migrate_into_g(void)
{
	return vs_migrate(X_G);
}

static long spectator_migrate_into_0(void)
{
	return vs_migrate(VS_XID_HOST);
}

FIXTURE(spectator_ioctl) {
	struct vs_watch w;
};

FIXTURE_VARIANT(spectator_ioctl) {
	long (*call)(void);
	long answer;
};

FIXTURE_VARIANT_ADD(spectator_ioctl, get_info_of_self_is_einval) {
	.call = spectator_get_info_self, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, get_info_of_xid_1_is_einval) {
	.call = spectator_get_info_1, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, create_is_eperm) {
	.call = spectator_create, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, set_flags_is_eperm) {
	.call = spectator_set_flags, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, kill_is_eperm) {
	.call = spectator_kill, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, remove_is_eperm) {
	.call = spectator_remove, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, wait_is_eperm) {
	.call = spectator_wait, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, migrate_into_g_is_eperm) {
	.call = spectator_migrate_into_g, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(spectator_ioctl, migrate_into_0_is_eperm) {
	.call = spectator_migrate_into_0, .answer = -EPERM,
};

FIXTURE_SETUP(spectator_ioctl)
{
	make_guest(_metadata, &self->w);
	vs_h_track(X_REFUSED);	/* in case CREATE is let through */
}

FIXTURE_TEARDOWN(spectator_ioctl)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

static void actor_makes_the_ioctl(struct __test_metadata *_metadata, void *arg)
{
	const struct ioctl_case *c = arg;

	if (!actor_becomes_a_spectator(_metadata, c->w))
		return;
	EXPECT_EQ(c->want, c->call());
	vs_watch_stop(c->w);
}

static void actor_is_still_a_spectator(struct __test_metadata *_metadata, void *arg)
{
	const struct ioctl_case *c = arg;

	if (!actor_becomes_a_spectator(_metadata, c->w))
		return;
	c->call();
	EXPECT_EQ(VS_XID_SPECTATOR, vs_get_xid(0));
	vs_watch_stop(c->w);
}

TEST_F_TIMEOUT(spectator_ioctl, answers_its_errno, VS_H_TIMEOUT)
{
	struct ioctl_case c = { variant->call, &self->w, variant->answer };

	vs_h_run(0, VS_F_STAY, actor_makes_the_ioctl, &c, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator_ioctl, leaves_the_actor_a_spectator, VS_H_TIMEOUT)
{
	struct ioctl_case c = { variant->call, &self->w, variant->answer };

	vs_h_run(0, VS_F_STAY, actor_is_still_a_spectator, &c, ACTOR_MS);
}

/* ---- the rest: where things are, G's view, who got signals ---- */

FIXTURE(spectator) {
	struct vs_watch w;
	long base;		/* LIST total before G */
	long host_total;	/* LIST total with G, as the host sees it */
};

FIXTURE_SETUP(spectator)
{
	ASSERT_LE(0, vs_open());
	self->base = vs_list_total();
	ASSERT_LE(0, self->base);
	make_guest(_metadata, &self->w);
	self->host_total = vs_list_total();
}

FIXTURE_TEARDOWN(spectator)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

TEST_F_TIMEOUT(spectator, host_list_total_counts_g, VS_H_TIMEOUT)
{
	EXPECT_EQ(self->base + 1, self->host_total);
}

struct sleeper_place {
	struct vs_watch *w;
	int slot;
};

/* The actor, still in the host: the sleeper is in the context it was started in. */
static void actor_looks_where_a_sleeper_is(struct __test_metadata *_metadata, void *arg)
{
	const struct sleeper_place *p = arg;

	if (!actor_starts_sleepers(_metadata, p->w))
		return;
	EXPECT_EQ(watched_xid[p->slot], vs_get_xid(p->w->sleeper[p->slot].pid));
	vs_watch_stop(p->w);
}

TEST_F_TIMEOUT(spectator, host_sleeper_stays_in_the_host_context, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_HOST };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, sleeper_of_g_is_in_g, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_OTHER };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, own_sleeper_is_a_spectator, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_OWN };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

struct guest_look {
	struct vs_watch *w;
	long (*call)(pid_t pid);
	int target;
	long want;
};

/* A task that started the sleepers enters G and looks at one of them. */
static void guest_looks(struct __test_metadata *_metadata, void *arg)
{
	const struct guest_look *g = arg;
	long r;

	if (!actor_starts_sleepers(_metadata, g->w))
		return;
	r = vs_migrate(X_G);
	EXPECT_EQ(0, r);
	if (!r && g->call) {
		EXPECT_EQ(g->want, g->call(g->w->sleeper[g->target].pid));
	}
	vs_watch_stop(g->w);
}

TEST_F_TIMEOUT(spectator, a_task_can_enter_g, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, NULL, VS_WATCH_OWN, 0 };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_kill_0_on_a_spectator_task_is_esrch, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, call_kill_0, VS_WATCH_OWN, -ESRCH };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_stat_proc_pid_of_a_spectator_task_is_enoent, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, call_stat_proc_pid, VS_WATCH_OWN, -ENOENT };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_readdir_proc_does_not_list_a_spectator_task, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, call_readdir_proc_lists_pid, VS_WATCH_OWN, 0 };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_get_xid_of_a_spectator_task_is_esrch, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, call_get_xid, VS_WATCH_OWN, -ESRCH };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_kill_0_on_a_host_task_is_esrch, VS_H_TIMEOUT)
{
	struct guest_look g = { &self->w, call_kill_0, VS_WATCH_HOST, -ESRCH };

	vs_h_run(0, VS_F_STAY, guest_looks, &g, ACTOR_MS);
}

/* The actor, with its sleepers started: MIGRATE into xid 1. */
static void actor_migrates(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_starts_sleepers(_metadata, w))
		return;
	EXPECT_EQ(0, vs_migrate(VS_XID_SPECTATOR));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, actor_migrates_into_xid_1, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_migrates, &self->w, ACTOR_MS);
}

static void actor_is_a_spectator(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;
	long r;

	if (!actor_starts_sleepers(_metadata, w))
		return;
	r = vs_migrate(VS_XID_SPECTATOR);
	EXPECT_EQ(0, r);
	if (!r) {
		EXPECT_EQ(VS_XID_SPECTATOR, vs_get_xid(0));
	}
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, actor_is_a_spectator_after_migrating, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_is_a_spectator, &self->w, ACTOR_MS);
}

/*
 * The actor, a spectator: every signal it may try at every sleeper (only its
 * own sleeper's must arrive), then waits for that one.
 */
static void actor_signals_everyone(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;
	int i;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	for (i = 0; i < VS_WATCH_SLEEPERS; i++) {
		pid_t pid = w->sleeper[i].pid;

		call_kill_sigurg(pid);
		call_tgkill_sigurg(pid);
		call_kill_pgrp_sigurg(pid);
	}
	vs_watch_wait(w, VS_WATCH_OWN, 1000);
	vs_msleep(100);	/* let stray signals land before the test process counts */
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, own_sleeper_gets_the_spectators_sigurgs, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	EXPECT_LT(0, vs_watch_count(&self->w, VS_WATCH_OWN));
}

TEST_F_TIMEOUT(spectator, host_sleeper_never_gets_a_sigurg_from_the_spectator, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_HOST));
}

TEST_F_TIMEOUT(spectator, sleeper_of_g_never_gets_a_sigurg_from_the_spectator, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_OTHER));
}

TEST_F_TIMEOUT(spectator, test_process_never_gets_a_sigurg, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_TEST));
}

static void actor_counts_the_tasks_of_g(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	EXPECT_EQ(1, vs_wait_tasks(X_G, 1, 2000));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, g_has_one_task_as_the_spectator_sees_it, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_counts_the_tasks_of_g, &self->w, ACTOR_MS);
}

static void actor_gets_info_of_g(struct __test_metadata *_metadata, void *arg)
{
	struct vs_context_info info;
	struct vs_watch *w = arg;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	EXPECT_EQ(0, vs_info(X_G, &info));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, get_info_of_g_works, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_gets_info_of_g, &self->w, ACTOR_MS);
}

static void actor_gets_init_pid_of_g(struct __test_metadata *_metadata, void *arg)
{
	struct vs_context_info info;
	struct vs_watch *w = arg;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	EXPECT_EQ(0, vs_info(X_G, &info));
	EXPECT_EQ(w->sleeper[VS_WATCH_OTHER].pid, (pid_t)info.init_pid);
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, init_pid_of_g_is_its_sleeper, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_gets_init_pid_of_g, &self->w, ACTOR_MS);
}

struct spectator_view {
	struct vs_watch *w;
	long host_total;
};

static void actor_lists(struct __test_metadata *_metadata, void *arg)
{
	const struct spectator_view *v = arg;

	if (!actor_becomes_a_spectator(_metadata, v->w))
		return;
	EXPECT_EQ(v->host_total, vs_list_total());
	vs_watch_stop(v->w);
}

TEST_F_TIMEOUT(spectator, list_sees_every_context, VS_H_TIMEOUT)
{
	struct spectator_view v = { &self->w, self->host_total };

	vs_h_run(0, VS_F_STAY, actor_lists, &v, ACTOR_MS);
}

static void actor_reaps_its_own_sleeper(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_becomes_a_spectator(_metadata, w))
		return;
	EXPECT_EQ(0, vs_sleeper_stop(&w->sleeper[VS_WATCH_OWN], 2000));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(spectator, own_sleeper_exits_and_is_reaped_by_the_actor, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_reaps_its_own_sleeper, &self->w, ACTOR_MS);
}

TEST_F_TIMEOUT(spectator, g_vanishes_after_its_tasks, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	vs_reap_all(0);
	EXPECT_EQ(1, vs_wait_gone(X_G, 2000));
}

TEST_F_TIMEOUT(spectator, list_total_is_back_once_g_is_gone, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_signals_everyone, &self->w, ACTOR_MS);
	vs_reap_all(0);
	EXPECT_EQ(self->base, vs_wait_list_total(self->base, 2000));
}

TEST(device_opens)
{
	EXPECT_LE(0, vs_open()) {
		TH_LOG("%s: %s", VS_DEVICE_PATH, strerror(errno));
	}
}

TEST_HARNESS_MAIN
