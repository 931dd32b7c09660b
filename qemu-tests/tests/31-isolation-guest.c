// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation between guest contexts. A task in guest A looks at three
 * sleepers: one in the host context, one in guest B and one in A itself.
 * Every pid-taking call must answer ESRCH (and /proc ENOENT) for the host's
 * and B's sleeper, as if they did not exist, and work on A's own sleeper.
 * Also kill(-1, ...) from a guest reaches only its own context.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <linux/ioprio.h>

#include "../lib/vs-ktap.h"

#define X_A	3101	/* the guest the checks run in */
#define X_B	3102	/* another guest */
#define X_C	3103	/* a guest with a single task, for kill(-1, SIGURG) */
#define X_C2	3104	/* the same, for kill(-1, 0) */

/* SIGURG counters (SIGURG is ignored by default, so stray ones harm nobody). */
enum { SLOT_HOST, SLOT_B, SLOT_A, SLOT_MAIN, NSLOTS };
struct shared {
	int urg[NSLOTS];
};
static struct shared *shm;

/* Read by process_vm_readv(): same address in every forked sleeper. */
static volatile long marker = 0x5eed5eedL;

static int have_vm_readv, have_ioprio;

struct target {
	const char *name;
	pid_t pid;
	int pidfd;	/* opened from the host, before the actor entered A */
	int own;
};

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

static void check_target(const struct target *t)
{
	const char *n = t->name, *w = t->own ? "works" : "-> ESRCH";
	const char *wp = t->own ? "works" : "-> ENOENT";
	long want = t->own ? 0 : -ESRCH, wantp = t->own ? 0 : -ENOENT;
	pid_t pid = t->pid;
	struct sched_param sp = { .sched_priority = 0 };
	struct rlimit rl;
	cpu_set_t set;
	long fd;

	vs_expect(VS_ERR(kill(pid, 0)), want, "A -> %s: kill(pid, 0) %s", n, w);
	vs_expect(VS_ERR(kill(pid, SIGURG)), want, "A -> %s: kill(pid, SIGURG) %s", n, w);
	vs_expect(VS_ERR(syscall(SYS_tgkill, pid, pid, SIGURG)), want,
		  "A -> %s: tgkill(pid, pid, SIGURG) %s", n, w);
	vs_expect(VS_ERR(syscall(SYS_pidfd_send_signal, t->pidfd, SIGURG, NULL, 0)), want,
		  "A -> %s: pidfd_send_signal(SIGURG) %s", n, w);
	vs_expect(VS_ERR(kill(-pid, 0)), want, "A -> %s: kill(-pgrp, 0) %s", n, w);
	vs_expect(VS_ERR(kill(-pid, SIGURG)), want, "A -> %s: kill(-pgrp, SIGURG) %s", n, w);
	vs_expect(vs_ptrace_try(PTRACE_ATTACH, pid), want, "A -> %s: PTRACE_ATTACH %s", n, w);
	vs_expect(vs_ptrace_try(PTRACE_SEIZE, pid), want, "A -> %s: PTRACE_SEIZE %s", n, w);
	if (have_vm_readv)
		vs_expect(vm_read(pid), want, "A -> %s: process_vm_readv %s", n, w);
	else
		ktap_skip("no CONFIG_CROSS_MEMORY_ATTACH", "A: process_vm_readv");
	fd = VS_RET(syscall(SYS_pidfd_open, pid, 0));
	if (fd >= 0) {
		close((int)fd);
		fd = 0;
	}
	vs_expect(fd, want, "A -> %s: pidfd_open %s", n, w);
	vs_expect(vs_proc_path_err(pid, "", 0), wantp, "A -> %s: stat /proc/<pid> %s", n, wp);
	vs_expect(vs_proc_path_err(pid, "", 2), wantp, "A -> %s: access /proc/<pid> %s", n, wp);
	vs_expect(vs_proc_path_err(pid, "/status", 0), wantp, "A -> %s: stat /proc/<pid>/status %s",
		  n, wp);
	vs_expect(vs_proc_path_err(pid, "/status", 1), wantp, "A -> %s: open /proc/<pid>/status %s",
		  n, wp);
	vs_expect(vs_proc_lists(pid), t->own ? 1 : 0, "A -> %s: readdir(/proc) %s the pid", n,
		  t->own ? "lists" : "does not list");
	vs_expect(VS_ERR(getpriority(PRIO_PROCESS, pid)), want, "A -> %s: getpriority %s", n, w);
	vs_expect(VS_ERR(setpriority(PRIO_PROCESS, pid, 0)), want, "A -> %s: setpriority %s", n, w);
	vs_expect(VS_ERR(sched_getscheduler(pid)), want, "A -> %s: sched_getscheduler %s", n, w);
	vs_expect(VS_ERR(sched_setscheduler(pid, SCHED_OTHER, &sp)), want,
		  "A -> %s: sched_setscheduler %s", n, w);
	vs_expect(VS_ERR(sched_getparam(pid, &sp)), want, "A -> %s: sched_getparam %s", n, w);
	vs_expect(VS_ERR(sched_getaffinity(pid, sizeof(set), &set)), want,
		  "A -> %s: sched_getaffinity %s", n, w);
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	vs_expect(VS_ERR(sched_setaffinity(pid, sizeof(set), &set)), want,
		  "A -> %s: sched_setaffinity %s", n, w);
	vs_expect(VS_ERR(getpgid(pid)), want, "A -> %s: getpgid %s", n, w);
	vs_expect(VS_ERR(getsid(pid)), want, "A -> %s: getsid %s", n, w);
	vs_expect(VS_ERR(setpgid(pid, pid)), want, "A -> %s: setpgid(pid, pid) %s", n, w);
	vs_expect(VS_ERR(prlimit(pid, RLIMIT_NOFILE, NULL, &rl)), want, "A -> %s: prlimit %s", n, w);
	if (have_ioprio) {
		vs_expect(VS_ERR(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, pid)), want,
			  "A -> %s: ioprio_get %s", n, w);
		vs_expect(VS_ERR(syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, pid,
					 IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))), want,
			  "A -> %s: ioprio_set %s", n, w);
	} else {
		ktap_skip("no CONFIG_BLOCK", "A: ioprio_get");
		ktap_skip("no CONFIG_BLOCK", "A: ioprio_set");
	}
	vs_expect(vs_get_xid(pid), t->own ? X_A : -ESRCH, "A -> %s: GET_XID %s", n,
		  t->own ? "is A" : "-> ESRCH");
}

#define PER_TARGET 29

/* The actor: starts the sleepers from the host, enters A, checks. */
static void actor(void *arg)
{
	struct vs_sleeper sh, sb, sa;
	struct target t[3];
	int i, in_a, waited;

	(void)arg;
	signal(SIGURG, SIG_DFL);
	vs_expect(vs_sleeper_start_urg(&sh, VS_XID_HOST, 0, VS_F_STAY | VS_F_PGRP,
				       &shm->urg[SLOT_HOST]), 0,
		  "a sleeper stays in the host context");
	vs_expect(vs_sleeper_start_urg(&sb, X_B, 0, VS_F_PGRP | VS_F_END_SETUP,
				       &shm->urg[SLOT_B]), 0,
		  "a sleeper enters B");
	vs_expect(vs_sleeper_start_urg(&sa, X_A, 0, VS_F_PGRP,
				       &shm->urg[SLOT_A]), 0,
		  "a sleeper enters A");
	t[0] = (struct target){ "host", sh.pid, (int)syscall(SYS_pidfd_open, sh.pid, 0), 0 };
	t[1] = (struct target){ "B", sb.pid, (int)syscall(SYS_pidfd_open, sb.pid, 0), 0 };
	t[2] = (struct target){ "own", sa.pid, (int)syscall(SYS_pidfd_open, sa.pid, 0), 1 };

	vs_expect(vs_migrate(X_A), 0, "the actor MIGRATEs into A");
	in_a = vs_expect(vs_get_xid(0), X_A, "the actor is in A");
	vs_expect(vs_end_setup(X_A), 0, "the actor ends A's setup");

	for (i = 0; i < 3; i++) {
		if (t[i].pid > 0 && in_a) {
			check_target(&t[i]);
		} else {
			int k;

			for (k = 0; k < PER_TARGET; k++)
				ktap_result(0, "A -> %s: check %d # no sleeper or not in A", t[i].name, k);
		}
	}

	/* kill(-1) from a guest reaches its own context only. */
	__atomic_store_n(&shm->urg[SLOT_A], 0, __ATOMIC_SEQ_CST);
	if (in_a) {
		vs_expect(VS_ERR(kill(-1, SIGURG)), 0, "A: kill(-1, SIGURG) works (own sleeper)");
		for (waited = 0; waited < 1000 && !__atomic_load_n(&shm->urg[SLOT_A], __ATOMIC_SEQ_CST);
		     waited += 10)
			vs_msleep(10);
		vs_check(__atomic_load_n(&shm->urg[SLOT_A], __ATOMIC_SEQ_CST) > 0, NULL,
			 "A: kill(-1, SIGURG) reached A's own sleeper");
		vs_expect(VS_ERR(kill(-1, 0)), 0, "A: kill(-1, 0) works (own sleeper)");
	} else {
		ktap_result(0, "A: kill(-1, SIGURG) # not in A, not tried");
		ktap_result(0, "A: kill(-1) reached A's own sleeper # not tried");
		ktap_result(0, "A: kill(-1, 0) # not in A, not tried");
	}
	vs_msleep(100);	/* let stray signals land before the parent counts */

	vs_sleeper_release(&sh);
	vs_sleeper_release(&sb);
	vs_expect(vs_sleeper_stop(&sa, 2000), 0, "A's own sleeper exits and is reaped by the actor");
	for (i = 0; i < 3; i++)
		if (t[i].pidfd >= 0)
			close(t[i].pidfd);
}

/* In a context of its own: kill(-1, sig) must reach nobody. */
static int lone_kill_all(void *arg)
{
	int sig = *(int *)arg;
	long xid = vs_get_xid(0);

	if (xid != X_C && xid != X_C2)
		return 100;
	if (kill(-1, sig) == 0)
		return 0;
	return errno;
}

int main(void)
{
	struct sigaction sa;
	long r, base;
	int sig;

	ktap_plan(112);
	vs_become_subreaper();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(shm, 0, sizeof(*shm));
	memset(&sa, 0, sizeof(sa));
	vs_urg_slot = &shm->urg[SLOT_MAIN];
	sa.sa_handler = vs_urg_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGURG, &sa, NULL);

	have_vm_readv = vm_read(getpid()) != -ENOSYS;
	have_ioprio = VS_ERR(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0)) != -ENOSYS;

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	vs_expect(vs_create(X_A, 0), X_A, "CREATE guest A (%d)", X_A);
	vs_expect(vs_create(X_B, 0), X_B, "CREATE guest B (%d)", X_B);
	vs_expect(vs_create(X_C, 0), X_C, "CREATE guest C (%d)", X_C);

	vs_ktap_fork(actor, NULL, 120000);

	sig = SIGURG;
	vs_expect(vs_run_in_context(X_C, VS_F_END_SETUP, lone_kill_all, &sig, 5000), ESRCH,
		  "lone task in C: kill(-1, SIGURG) -> ESRCH (reaches nobody)");
	sig = 0;
	vs_expect(vs_create(X_C2, 0), X_C2, "CREATE guest C2 (%d)", X_C2);
	vs_expect(vs_run_in_context(X_C2, VS_F_END_SETUP, lone_kill_all, &sig, 5000), ESRCH,
		  "lone task in C2: kill(-1, 0) -> ESRCH (reaches nobody)");
	vs_msleep(100);

	vs_expect(__atomic_load_n(&shm->urg[SLOT_HOST], __ATOMIC_SEQ_CST), 0,
		  "the host sleeper never got a SIGURG from a guest");
	vs_expect(__atomic_load_n(&shm->urg[SLOT_B], __ATOMIC_SEQ_CST), 0,
		  "B's sleeper never got a SIGURG from A");
	vs_expect(__atomic_load_n(&shm->urg[SLOT_MAIN], __ATOMIC_SEQ_CST), 0,
		  "this (host) test process never got a SIGURG from a guest");

	vs_reap_all(2000);
	vs_check(vs_wait_gone(X_A, 2000), NULL, "A vanishes after its tasks");
	vs_check(vs_wait_gone(X_B, 2000), NULL, "B vanishes after its task");
	vs_check(vs_wait_gone(X_C, 2000), NULL, "C vanishes after its task");
	vs_check(vs_wait_gone(X_C2, 2000), NULL, "C2 vanishes after its task");
	vs_destroy(X_A);
	vs_destroy(X_B);
	vs_destroy(X_C);
	vs_destroy(X_C2);
	vs_reap_all(1000);
	vs_expect(vs_wait_list_total(base, 2000), base, "LIST total is back to %ld", base);
	return ktap_finish();
}
