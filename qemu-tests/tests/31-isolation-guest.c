// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation between guest contexts. An actor in guest A looks at three
 * sleepers it started from the host: one in the host context, one in guest
 * B and one in A itself. Every pid-taking call must answer ESRCH (and /proc
 * ENOENT) for the host's and B's sleeper, as if they did not exist, and work
 * on A's own sleeper. Also kill(-1, ...) from a guest reaches only its own
 * context.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <linux/ioprio.h>

#include "../lib/harness.h"
#include "../lib/watched-sleepers.h"

#define X_A	3101	/* the guest the checks run in */
#define X_B	3102	/* another guest */
#define X_C	3103	/* a guest with a single task, for kill(-1, SIGURG) */
#define X_C2	3104	/* the same, for kill(-1, 0) */

#define ACTOR_MS	20000

/* Read by process_vm_readv(): same address in every forked sleeper. */
static volatile long marker = 0x5eed5eedL;

static long vm_read(pid_t pid)
{
	long got = 0;
	struct iovec local = { &got, sizeof(got) };
	struct iovec remote = { (void *)&marker, sizeof(marker) };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(got) || got != marker)
		return -EIO;	/* read something, but not the marker */
	return 0;
}

static int have_vm_readv(void)
{
	return vm_read(getpid()) != -ENOSYS;
}

static int have_ioprio(void)
{
	return VS_ERR(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0)) != -ENOSYS;
}

/* What A, B and the watched sleepers need; the teardown removes them. */
static void make_guests(struct __test_metadata *_metadata, struct vs_watch *w)
{
	vs_become_subreaper();
	ASSERT_LE(0, vs_open());
	ASSERT_EQ(X_A, vs_h_create(X_A, 0));
	ASSERT_EQ(X_B, vs_h_create(X_B, 0));
	ASSERT_EQ(0, vs_watch_map(w));
}

/* In the actor, in the host: starts the sleepers; 1 if they all started. */
static int actor_starts_sleepers(struct __test_metadata *_metadata, struct vs_watch *w)
{
	int r = vs_watch_start(w, X_B, X_A);

	EXPECT_EQ(0, r);
	return !r;
}

/*
 * In the actor: starts the sleepers, enters A and ends its setup. Returns 1
 * if all that worked (else the sleepers are stopped again).
 */
static int actor_enters_a(struct __test_metadata *_metadata, struct vs_watch *w)
{
	long r;

	if (!actor_starts_sleepers(_metadata, w))
		return 0;
	r = vs_migrate(X_A);
	EXPECT_EQ(0, r);
	if (!r) {
		r = vs_get_xid(0);
		EXPECT_EQ(X_A, r);
	}
	if (r == X_A) {
		r = vs_end_setup(X_A);
		EXPECT_EQ(0, r);
		if (!r)
			return 1;
	}
	vs_watch_stop(w);
	return 0;
}

/* ---- every pid-taking call, on each of the three sleepers ---- */

static long call_kill_0(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(kill(pid, 0));
}

static long call_kill_sigurg(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(kill(pid, SIGURG));
}

static long call_tgkill_sigurg(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(syscall(SYS_tgkill, pid, pid, SIGURG));
}

static long call_pidfd_send_signal_sigurg(pid_t pid, int pidfd)
{
	(void)pid;
	return VS_ERR(syscall(SYS_pidfd_send_signal, pidfd, SIGURG, NULL, 0));
}

static long call_kill_pgrp_0(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(kill(-pid, 0));
}

static long call_kill_pgrp_sigurg(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(kill(-pid, SIGURG));
}

static long call_ptrace_attach(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_ptrace_try(PTRACE_ATTACH, pid);
}

static long call_ptrace_seize(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_ptrace_try(PTRACE_SEIZE, pid);
}

static long call_process_vm_readv(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vm_read(pid);
}

static long call_pidfd_open(pid_t pid, int pidfd)
{
	long fd = VS_RET(syscall(SYS_pidfd_open, pid, 0));

	(void)pidfd;
	if (fd >= 0) {
		close((int)fd);
		fd = 0;
	}
	return fd;
}

static long call_stat_proc_pid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_proc_path_err(pid, "", 0);
}

static long call_access_proc_pid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_proc_path_err(pid, "", 2);
}

static long call_stat_proc_pid_status(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_proc_path_err(pid, "/status", 0);
}

static long call_open_proc_pid_status(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_proc_path_err(pid, "/status", 1);
}

static long call_readdir_proc_lists_pid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_proc_lists(pid);
}

static long call_getpriority(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(getpriority(PRIO_PROCESS, pid));
}

static long call_setpriority(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(setpriority(PRIO_PROCESS, pid, 0));
}

static long call_sched_getscheduler(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(sched_getscheduler(pid));
}

static long call_sched_setscheduler(pid_t pid, int pidfd)
{
	struct sched_param sp = { .sched_priority = 0 };

	(void)pidfd;
	return VS_ERR(sched_setscheduler(pid, SCHED_OTHER, &sp));
}

static long call_sched_getparam(pid_t pid, int pidfd)
{
	struct sched_param sp = { .sched_priority = 0 };

	(void)pidfd;
	return VS_ERR(sched_getparam(pid, &sp));
}

static long call_sched_getaffinity(pid_t pid, int pidfd)
{
	cpu_set_t set;

	(void)pidfd;
	return VS_ERR(sched_getaffinity(pid, sizeof(set), &set));
}

static long call_sched_setaffinity(pid_t pid, int pidfd)
{
	cpu_set_t set;

	(void)pidfd;
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	return VS_ERR(sched_setaffinity(pid, sizeof(set), &set));
}

static long call_getpgid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(getpgid(pid));
}

static long call_getsid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(getsid(pid));
}

static long call_setpgid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(setpgid(pid, pid));
}

static long call_prlimit(pid_t pid, int pidfd)
{
	struct rlimit rl;

	(void)pidfd;
	return VS_ERR(prlimit(pid, RLIMIT_NOFILE, NULL, &rl));
}

static long call_ioprio_get(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, pid));
}

static long call_ioprio_set(pid_t pid, int pidfd)
{
	(void)pidfd;
	return VS_ERR(syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, pid,
			      IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)));
}

static long call_get_xid(pid_t pid, int pidfd)
{
	(void)pidfd;
	return vs_get_xid(pid);
}

enum { NEEDS_NOTHING, NEEDS_VM_READV, NEEDS_IOPRIO };

FIXTURE(pid_call) {
	struct vs_watch w;
};

/* Each variant: a call on a pid and what it answers for a hidden and an own task. */
FIXTURE_VARIANT(pid_call) {
	long (*call)(pid_t pid, int pidfd);
	long hidden;	/* on the host's or B's sleeper */
	long own;	/* on A's own sleeper */
	int needs;
};

FIXTURE_SETUP(pid_call)
{
	make_guests(_metadata, &self->w);
}

FIXTURE_TEARDOWN(pid_call)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

#define PID_CALL(name, hidden_answer, own_answer, need)			\
	FIXTURE_VARIANT_ADD(pid_call, name) {				\
		.call = call_##name, .hidden = (hidden_answer),		\
		.own = (own_answer), .needs = (need),			\
	}

PID_CALL(kill_0, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(kill_sigurg, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(tgkill_sigurg, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(pidfd_send_signal_sigurg, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(kill_pgrp_0, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(kill_pgrp_sigurg, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(ptrace_attach, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(ptrace_seize, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(process_vm_readv, -ESRCH, 0, NEEDS_VM_READV);
PID_CALL(pidfd_open, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(stat_proc_pid, -ENOENT, 0, NEEDS_NOTHING);
PID_CALL(access_proc_pid, -ENOENT, 0, NEEDS_NOTHING);
PID_CALL(stat_proc_pid_status, -ENOENT, 0, NEEDS_NOTHING);
PID_CALL(open_proc_pid_status, -ENOENT, 0, NEEDS_NOTHING);
PID_CALL(readdir_proc_lists_pid, 0, 1, NEEDS_NOTHING);
PID_CALL(getpriority, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(setpriority, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(sched_getscheduler, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(sched_setscheduler, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(sched_getparam, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(sched_getaffinity, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(sched_setaffinity, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(getpgid, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(getsid, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(setpgid, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(prlimit, -ESRCH, 0, NEEDS_NOTHING);
PID_CALL(ioprio_get, -ESRCH, 0, NEEDS_IOPRIO);
PID_CALL(ioprio_set, -ESRCH, 0, NEEDS_IOPRIO);
PID_CALL(get_xid, -ESRCH, X_A, NEEDS_NOTHING);

struct pid_call_case {
	const FIXTURE_VARIANT(pid_call) *variant;
	struct vs_watch *w;
	int target;	/* VS_WATCH_HOST, _OTHER or _OWN */
};

/* The actor, in A: the variant's call on the target sleeper. */
static void actor_calls(struct __test_metadata *_metadata, void *arg)
{
	const struct pid_call_case *c = arg;
	struct vs_watch *w = c->w;
	long want = c->target == VS_WATCH_OWN ? c->variant->own : c->variant->hidden;

	if (!actor_enters_a(_metadata, w))
		return;
	EXPECT_EQ(want, c->variant->call(w->sleeper[c->target].pid, w->pidfd[c->target]));
	vs_watch_stop(w);
}

static void pid_call_on(struct __test_metadata *_metadata, struct vs_watch *w,
			const FIXTURE_VARIANT(pid_call) *variant, int target)
{
	struct pid_call_case c = { variant, w, target };

	if (variant->needs == NEEDS_VM_READV && !have_vm_readv())
		SKIP(return, "no CONFIG_CROSS_MEMORY_ATTACH");
	if (variant->needs == NEEDS_IOPRIO && !have_ioprio())
		SKIP(return, "no CONFIG_BLOCK");
	vs_h_run(0, VS_F_STAY, actor_calls, &c, ACTOR_MS);
}

TEST_F_TIMEOUT(pid_call, from_a_on_a_host_task_is_as_if_it_did_not_exist, VS_H_TIMEOUT)
{
	pid_call_on(_metadata, &self->w, variant, VS_WATCH_HOST);
}

TEST_F_TIMEOUT(pid_call, from_a_on_a_task_of_b_is_as_if_it_did_not_exist, VS_H_TIMEOUT)
{
	pid_call_on(_metadata, &self->w, variant, VS_WATCH_OTHER);
}

TEST_F_TIMEOUT(pid_call, from_a_on_its_own_task_works, VS_H_TIMEOUT)
{
	pid_call_on(_metadata, &self->w, variant, VS_WATCH_OWN);
}

/* ---- the actor itself, kill(-1) and who got signals ---- */

FIXTURE(guest_a) {
	struct vs_watch w;
	long base;	/* LIST total before A and B */
};

FIXTURE_SETUP(guest_a)
{
	ASSERT_LE(0, vs_open());
	self->base = vs_list_total();
	ASSERT_LE(0, self->base);
	make_guests(_metadata, &self->w);
}

FIXTURE_TEARDOWN(guest_a)
{
	vs_h_destroy_all();
	vs_watch_unmap(&self->w);
}

struct sleeper_place {
	struct vs_watch *w;
	int slot;
	long xid;
};

/* The actor, still in the host: the sleeper is in the context it was started in. */
static void actor_looks_where_a_sleeper_is(struct __test_metadata *_metadata, void *arg)
{
	const struct sleeper_place *p = arg;

	if (!actor_starts_sleepers(_metadata, p->w))
		return;
	EXPECT_EQ(p->xid, vs_get_xid(p->w->sleeper[p->slot].pid));
	vs_watch_stop(p->w);
}

TEST_F_TIMEOUT(guest_a, host_sleeper_stays_in_the_host_context, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_HOST, VS_XID_HOST };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

TEST_F_TIMEOUT(guest_a, sleeper_of_b_is_in_b, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_OTHER, X_B };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

TEST_F_TIMEOUT(guest_a, own_sleeper_is_in_a, VS_H_TIMEOUT)
{
	struct sleeper_place p = { &self->w, VS_WATCH_OWN, X_A };

	vs_h_run(0, VS_F_STAY, actor_looks_where_a_sleeper_is, &p, ACTOR_MS);
}

/* The actor, with its sleepers started: MIGRATE into A. */
static void actor_migrates(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_starts_sleepers(_metadata, w))
		return;
	EXPECT_EQ(0, vs_migrate(X_A));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, actor_migrates_into_a, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_migrates, &self->w, ACTOR_MS);
}

static void actor_is_in_a(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;
	int r;

	if (!actor_starts_sleepers(_metadata, w))
		return;
	r = vs_migrate(X_A);
	EXPECT_EQ(0, r);
	if (!r) {
		EXPECT_EQ(X_A, vs_get_xid(0));
	}
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, actor_is_in_a_after_migrating, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_is_in_a, &self->w, ACTOR_MS);
}

static void actor_ends_the_setup(struct __test_metadata *_metadata, void *arg)
{
	struct vs_context_info info;
	struct vs_watch *w = arg;

	if (!actor_enters_a(_metadata, w))
		return;
	EXPECT_EQ(0, vs_info(VS_XID_SELF, &info));
	EXPECT_EQ((__u32)VS_STATE_RUNNING, info.state);
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, actor_ends_the_setup_of_a, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_ends_the_setup, &self->w, ACTOR_MS);
}

/* The actor, in A: kill(-1, SIGURG); what it answers and that A's own sleeper got it. */
static void actor_kills_all_with_sigurg(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_enters_a(_metadata, w))
		return;
	vs_watch_reset(w, VS_WATCH_OWN);
	EXPECT_EQ(0, VS_ERR(kill(-1, SIGURG)));
	vs_watch_wait(w, VS_WATCH_OWN, 1000);
	vs_msleep(100);	/* let stray signals land before the test process counts */
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, kill_all_sigurg_from_a_succeeds, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_sigurg, &self->w, ACTOR_MS);
}

TEST_F_TIMEOUT(guest_a, kill_all_sigurg_from_a_reaches_its_own_sleeper, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_sigurg, &self->w, ACTOR_MS);
	EXPECT_LT(0, vs_watch_count(&self->w, VS_WATCH_OWN));
}

TEST_F_TIMEOUT(guest_a, kill_all_sigurg_from_a_misses_the_host_sleeper, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_sigurg, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_HOST));
}

TEST_F_TIMEOUT(guest_a, kill_all_sigurg_from_a_misses_the_sleeper_of_b, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_sigurg, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_OTHER));
}

TEST_F_TIMEOUT(guest_a, kill_all_sigurg_from_a_misses_the_test_process, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_sigurg, &self->w, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_TEST));
}

static void actor_kills_all_with_0(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_enters_a(_metadata, w))
		return;
	EXPECT_EQ(0, VS_ERR(kill(-1, 0)));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, kill_all_0_from_a_succeeds, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_kills_all_with_0, &self->w, ACTOR_MS);
}

struct signalled {
	struct vs_watch *w;
	int target;
};

/* The actor, in A: every way to send SIGURG to one pid, at a hidden sleeper. */
static void actor_signals_a_hidden_sleeper(struct __test_metadata *_metadata, void *arg)
{
	const struct signalled *s = arg;
	struct vs_watch *w = s->w;
	pid_t pid;

	if (!actor_enters_a(_metadata, w))
		return;
	pid = w->sleeper[s->target].pid;
	EXPECT_EQ(-ESRCH, call_kill_sigurg(pid, -1));
	EXPECT_EQ(-ESRCH, call_tgkill_sigurg(pid, -1));
	EXPECT_EQ(-ESRCH, call_pidfd_send_signal_sigurg(pid, w->pidfd[s->target]));
	EXPECT_EQ(-ESRCH, call_kill_pgrp_sigurg(pid, -1));
	vs_msleep(100);	/* let stray signals land before the test process counts */
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, sigurg_from_a_never_reaches_the_host_sleeper, VS_H_TIMEOUT)
{
	struct signalled s = { &self->w, VS_WATCH_HOST };

	vs_h_run(0, VS_F_STAY, actor_signals_a_hidden_sleeper, &s, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_HOST));
}

TEST_F_TIMEOUT(guest_a, sigurg_from_a_never_reaches_the_sleeper_of_b, VS_H_TIMEOUT)
{
	struct signalled s = { &self->w, VS_WATCH_OTHER };

	vs_h_run(0, VS_F_STAY, actor_signals_a_hidden_sleeper, &s, ACTOR_MS);
	EXPECT_EQ(0, vs_watch_count(&self->w, VS_WATCH_OTHER));
}

/* The actor, in A: its own sleeper ends when released and the actor reaps it. */
static void actor_reaps_its_own_sleeper(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_enters_a(_metadata, w))
		return;
	EXPECT_EQ(0, vs_sleeper_stop(&w->sleeper[VS_WATCH_OWN], 2000));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, own_sleeper_exits_and_is_reaped_by_the_actor, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_reaps_its_own_sleeper, &self->w, ACTOR_MS);
}

/* The actor's whole run, for what is left of A and B after it. */
static void actor_runs(struct __test_metadata *_metadata, void *arg)
{
	struct vs_watch *w = arg;

	if (!actor_enters_a(_metadata, w))
		return;
	EXPECT_EQ(0, VS_ERR(kill(-1, SIGURG)));
	vs_watch_stop(w);
}

TEST_F_TIMEOUT(guest_a, a_vanishes_after_its_tasks, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_runs, &self->w, ACTOR_MS);
	vs_reap_all(0);
	EXPECT_EQ(1, vs_wait_gone(X_A, 2000));
}

TEST_F_TIMEOUT(guest_a, b_vanishes_after_its_task, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_runs, &self->w, ACTOR_MS);
	vs_reap_all(0);
	EXPECT_EQ(1, vs_wait_gone(X_B, 2000));
}

TEST_F_TIMEOUT(guest_a, list_total_is_back_once_the_guests_are_gone, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, actor_runs, &self->w, ACTOR_MS);
	vs_reap_all(0);
	EXPECT_EQ(self->base, vs_wait_list_total(self->base, 2000));
}

TEST(device_opens)
{
	EXPECT_LE(0, vs_open()) {
		TH_LOG("%s: %s", VS_DEVICE_PATH, strerror(errno));
	}
}

/* ---- a guest with a single task: kill(-1, ...) reaches nobody ---- */

FIXTURE(lone_task) {
};

FIXTURE_VARIANT(lone_task) {
	__u32 xid;
	int sig;
};

FIXTURE_VARIANT_ADD(lone_task, kill_all_sigurg) {
	.xid = X_C, .sig = SIGURG,
};

FIXTURE_VARIANT_ADD(lone_task, kill_all_0) {
	.xid = X_C2, .sig = 0,
};

FIXTURE_SETUP(lone_task)
{
	vs_become_subreaper();
	ASSERT_EQ((long)variant->xid, vs_h_create(variant->xid, 0));
}

FIXTURE_TEARDOWN(lone_task)
{
	vs_h_destroy_all();
}

/* The lone task, in its context with its setup ended. */
static void lone_is_in_its_context(struct __test_metadata *_metadata, void *arg)
{
	EXPECT_EQ((long)*(__u32 *)arg, vs_get_xid(0));
}

static void lone_kills_all(struct __test_metadata *_metadata, void *arg)
{
	EXPECT_EQ(-ESRCH, VS_ERR(kill(-1, *(int *)arg)));
}

TEST_F_TIMEOUT(lone_task, is_in_its_context, VS_H_TIMEOUT)
{
	__u32 xid = variant->xid;

	vs_h_run(variant->xid, VS_F_END_SETUP, lone_is_in_its_context, &xid, 5000);
}

TEST_F_TIMEOUT(lone_task, reaches_nobody, VS_H_TIMEOUT)
{
	int sig = variant->sig;

	vs_h_run(variant->xid, VS_F_END_SETUP, lone_kills_all, &sig, 5000);
}

TEST_F_TIMEOUT(lone_task, context_vanishes_after_it, VS_H_TIMEOUT)
{
	int sig = variant->sig;

	vs_h_run(variant->xid, VS_F_END_SETUP, lone_kills_all, &sig, 5000);
	EXPECT_EQ(1, vs_wait_gone(variant->xid, 2000));
}

TEST_HARNESS_MAIN
