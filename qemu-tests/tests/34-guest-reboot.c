// SPDX-License-Identifier: GPL-2.0
/*
 * reboot(2) from a guest ends the guest, not the host: every task of the
 * context is SIGKILLed and VS_IOC_WAIT tells RESTART, HALT or POWEROFF while
 * this (host) process and a host sleeper live on. KILL with SIGKILL makes
 * WAIT say VS_END_EXIT. A reboot(2) with a bad magic number fails with
 * EINVAL and harms nobody.
 *
 * Before calling reboot(2) the guest task checks that it really is in its
 * guest context, so a broken setup cannot reboot the test machine.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <linux/reboot.h>

#include "../lib/vs-ktap.h"

#define X_REBOOT0	3401	/* 3401..3403: RESTART, HALT, POWER_OFF */
#define X_KILL		3404
#define X_BADMAGIC	3405
#define NKIDS		3

struct shared {
	int ready;
	pid_t kids[NKIDS];
};
static struct shared *shm;

struct job {
	__u32 xid;
	unsigned int cmd;
	unsigned int magic1, magic2;
};

/* Forks NKIDS tasks that sleep in the caller's context; records their pids. */
static void fork_kids(void)
{
	int i;

	for (i = 0; i < NKIDS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				pause();
		}
		shm->kids[i] = pid;
	}
	__atomic_store_n(&shm->ready, 1, __ATOMIC_SEQ_CST);
}

/* In the guest: a few tasks, then reboot(2). Returns only if reboot did. */
static int guest_reboot(void *arg)
{
	const struct job *j = arg;
	long xid = vs_get_xid(0);

	if (xid != j->xid || xid < VS_XID_STATIC_MIN)
		return 60;	/* not in the guest: never call reboot(2) */
	fork_kids();
	vs_msleep(300);	/* let the host block in WAIT */
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, j->cmd, NULL);
	return 50;
}

/* In the guest: a few tasks, then sleep until killed (at most 30 s). */
static int guest_sleep(void *arg)
{
	(void)arg;
	fork_kids();
	vs_msleep(30000);
	return 70;
}

/* In the guest: reboot(2) with bad magic; returns its errno if a sibling survived. */
static int guest_bad_magic(void *arg)
{
	const struct job *j = arg;
	long xid = vs_get_xid(0), r;
	int err;
	pid_t kid;

	if (xid != j->xid || xid < VS_XID_STATIC_MIN)
		return 60;
	kid = fork();
	if (kid == 0) {
		for (;;)
			pause();
	}
	r = syscall(SYS_reboot, j->magic1, j->magic2, LINUX_REBOOT_CMD_RESTART, NULL);
	err = r == -1 ? errno : 0;
	vs_msleep(50);
	if (kid < 0 || kill(kid, 0))
		err = 99;	/* the sibling died */
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return err;
}

static int kids_gone(void)
{
	int i, gone = 1;

	for (i = 0; i < NKIDS; i++) {
		if (shm->kids[i] <= 0 || kill(shm->kids[i], 0) == 0 || errno != ESRCH) {
			ktap_diag("guest task %d is still there", shm->kids[i]);
			gone = 0;
		}
	}
	return gone;
}

static int host_sleeper_alive(const struct vs_sleeper *hs)
{
	return hs->pid > 0 && waitpid(hs->pid, NULL, WNOHANG) == 0 && kill(hs->pid, 0) == 0 &&
	       vs_get_xid(hs->pid) == VS_XID_HOST;
}

static void reboot_case(const char *what, unsigned int cmd, __u32 want, __u32 xid,
			const struct vs_sleeper *hs)
{
	struct job j = { .xid = xid, .cmd = cmd };
	struct vs_context_info info;
	__u32 reason = 0;
	pid_t nanny;
	int st;

	memset(shm, 0, sizeof(*shm));
	vs_expect(vs_create(xid, VS_CF_PERSISTENT), xid, "%s: CREATE guest %u", what, xid);
	nanny = vs_nanny_spawn(xid, VS_F_END_SETUP, guest_reboot, &j);
	vs_expect(vs_wait(xid, &reason, 10000), 0, "%s: WAIT returns", what);
	vs_expect(reason, want, "%s: WAIT's reason is %u", what, want);
	st = nanny > 0 ? vs_child_status(nanny, 5000) : nanny;
	vs_expect(st, 128 + SIGKILL, "%s: the rebooting task was SIGKILLed", what);
	vs_check(kids_gone(), NULL, "%s: the guest's other tasks are gone", what);
	vs_check(vs_wait_tasks(xid, 0, 2000), NULL, "%s: the context has no tasks", what);
	vs_info(xid, &info);
	vs_expect(info.last_end, want, "%s: last_end is %u", what, want);
	vs_check(host_sleeper_alive(hs), NULL, "%s: the host sleeper lives on", what);
	vs_expect(vs_remove(xid), 0, "%s: REMOVE the guest", what);
}

int main(void)
{
	struct vs_context_info info;
	struct vs_sleeper hs;
	struct job j;
	__u32 reason = 0;
	long r, base;
	pid_t nanny;
	int i, st;

	ktap_plan(49);
	vs_become_subreaper();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	vs_expect(vs_sleeper_start(&hs, VS_XID_HOST, 0, VS_F_STAY), 0, "a host sleeper starts");

	reboot_case("RESTART", LINUX_REBOOT_CMD_RESTART, VS_END_RESTART, X_REBOOT0, &hs);
	reboot_case("HALT", LINUX_REBOOT_CMD_HALT, VS_END_HALT, X_REBOOT0 + 1, &hs);
	reboot_case("POWER_OFF", LINUX_REBOOT_CMD_POWER_OFF, VS_END_POWEROFF, X_REBOOT0 + 2, &hs);

	/* KILL with SIGKILL. */
	memset(shm, 0, sizeof(*shm));
	vs_expect(vs_create(X_KILL, VS_CF_PERSISTENT), X_KILL, "KILL: CREATE guest %u", X_KILL);
	nanny = vs_nanny_spawn(X_KILL, VS_F_END_SETUP, guest_sleep, NULL);
	for (i = 0; i < 200 && !__atomic_load_n(&shm->ready, __ATOMIC_SEQ_CST); i++)
		vs_msleep(10);
	vs_check(vs_wait_tasks(X_KILL, 1 + NKIDS, 2000), NULL, "KILL: the guest has %d tasks",
		 1 + NKIDS);
	vs_expect(vs_kill(X_KILL, SIGKILL), 0, "KILL: VS_IOC_KILL with SIGKILL");
	vs_expect(vs_wait(X_KILL, &reason, 10000), 0, "KILL: WAIT returns");
	vs_expect(reason, VS_END_EXIT, "KILL: WAIT's reason is VS_END_EXIT");
	st = nanny > 0 ? vs_child_status(nanny, 5000) : nanny;
	vs_expect(st, 128 + SIGKILL, "KILL: the guest's first task was SIGKILLed");
	vs_check(kids_gone(), NULL, "KILL: the guest's other tasks are gone");
	vs_info(X_KILL, &info);
	vs_expect(info.last_end, VS_END_EXIT, "KILL: last_end is VS_END_EXIT");
	vs_check(host_sleeper_alive(&hs), NULL, "KILL: the host sleeper lives on");
	vs_expect(vs_remove(X_KILL), 0, "KILL: REMOVE the guest");

	/* Bad magic numbers. */
	vs_expect(vs_create(X_BADMAGIC, VS_CF_PERSISTENT), X_BADMAGIC, "bad magic: CREATE guest %u",
		  X_BADMAGIC);
	j = (struct job){ .xid = X_BADMAGIC, .magic1 = LINUX_REBOOT_MAGIC1, .magic2 = 0x12345678 };
	vs_expect(vs_run_in_context(X_BADMAGIC, VS_F_END_SETUP, guest_bad_magic, &j, 5000), EINVAL,
		  "bad magic2: reboot(2) in a guest -> EINVAL, nobody killed");
	j.magic1 = 0xdeadbeef;
	j.magic2 = LINUX_REBOOT_MAGIC2;
	vs_expect(vs_run_in_context(X_BADMAGIC, 0, guest_bad_magic, &j, 5000), EINVAL,
		  "bad magic1: reboot(2) in a guest -> EINVAL, nobody killed");
	vs_check(vs_wait_tasks(X_BADMAGIC, 0, 2000), NULL, "bad magic: the guest's tasks ended");
	vs_info(X_BADMAGIC, &info);
	vs_expect(info.last_end, VS_END_EXIT, "bad magic: last_end is VS_END_EXIT, not a reboot");
	vs_expect(vs_remove(X_BADMAGIC), 0, "bad magic: REMOVE the guest");

	vs_check(host_sleeper_alive(&hs), NULL, "the host sleeper is still alive at the end");
	vs_expect(vs_get_xid(0), VS_XID_HOST, "this test process is still in the host context");
	vs_expect(vs_sleeper_stop(&hs, 2000), 0, "the host sleeper exits when released");

	for (i = 0; i < 3; i++)
		vs_destroy(X_REBOOT0 + i);
	vs_destroy(X_KILL);
	vs_destroy(X_BADMAGIC);
	vs_reap_all(1000);
	vs_expect(vs_wait_list_total(base, 2000), base, "LIST total is back to %ld", base);
	return ktap_finish();
}
