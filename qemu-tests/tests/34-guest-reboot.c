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

#include "../lib/harness.h"

#define X_RESTART	3401
#define X_HALT		3402
#define X_POWER_OFF	3403
#define X_KILL		3404
#define X_BADMAGIC	3405
#define NKIDS		3

/* What the guest's tasks and the host share. */
struct shared {
	int ready;	/* the guest's first task has forked its kids */
	int go;		/* the host says: reboot now */
	pid_t kids[NKIDS];
};

/* The host side of every test: a host sleeper that must outlive the guest. */
static int host_setup(struct vs_sleeper *host, long *base)
{
	vs_become_subreaper();
	*base = vs_list_total();
	if (*base < 0)
		return (int)*base;
	return vs_sleeper_start(host, VS_XID_HOST, 0, VS_F_STAY);
}

static int host_sleeper_alive(const struct vs_sleeper *host)
{
	return host->pid > 0 && waitpid(host->pid, NULL, WNOHANG) == 0 && kill(host->pid, 0) == 0 &&
	       vs_get_xid(host->pid) == VS_XID_HOST;
}

/* REMOVE of a persistent context whose tasks are gone; LIST is back to @base. */
static void remove_guest(struct __test_metadata *_metadata, __u32 xid, long base)
{
	EXPECT_EQ(1, vs_wait_tasks(xid, 0, 2000));
	EXPECT_EQ(0, vs_remove(xid));
	EXPECT_EQ(base, vs_wait_list_total(base, 2000));
	if (vs_wait_gone(xid, 2000))
		vs_h_forget(xid);
}

TEST(root_opens_the_device)
{
	EXPECT_LE(0, vs_open());
}

/* ---- a guest that reboots, or is killed ---------------------------------- */

FIXTURE(guest_end) {
	struct vs_sleeper host;
	long base;
	struct shared *shm;
	pid_t nanny;		/* reaps the guest's tasks; exits with its first's status */
};

FIXTURE_VARIANT(guest_end) {
	__u32 xid;
	unsigned int cmd;	/* the guest's reboot(2) command, 0: the host's KILL */
	__u32 reason;		/* how WAIT and last_end must say the guest ended */
};

FIXTURE_VARIANT_ADD(guest_end, restart) {
	.xid = X_RESTART, .cmd = LINUX_REBOOT_CMD_RESTART, .reason = VS_END_RESTART,
};

FIXTURE_VARIANT_ADD(guest_end, halt) {
	.xid = X_HALT, .cmd = LINUX_REBOOT_CMD_HALT, .reason = VS_END_HALT,
};

FIXTURE_VARIANT_ADD(guest_end, power_off) {
	.xid = X_POWER_OFF, .cmd = LINUX_REBOOT_CMD_POWER_OFF, .reason = VS_END_POWEROFF,
};

FIXTURE_VARIANT_ADD(guest_end, kill_with_sigkill) {
	.xid = X_KILL, .cmd = 0, .reason = VS_END_EXIT,
};

struct guest_job {
	struct shared *shm;
	__u32 xid;
	unsigned int cmd;
};

/*
 * The guest's first task: forks NKIDS tasks that sleep, then waits (at most
 * 10 s) for the host's go and reboots; the KILL variant's is killed meanwhile.
 */
static int guest_main(void *arg)
{
	const struct guest_job *j = arg;
	long xid = vs_get_xid(0);
	int i;

	if (xid != j->xid || xid < VS_XID_STATIC_MIN)
		return 60;	/* not in the guest: never call reboot(2) */
	for (i = 0; i < NKIDS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				pause();
		}
		j->shm->kids[i] = pid;
	}
	__atomic_store_n(&j->shm->ready, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 1000 && !__atomic_load_n(&j->shm->go, __ATOMIC_SEQ_CST); i++)
		vs_msleep(10);
	if (!j->cmd || i == 1000)
		return 70;
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, j->cmd, NULL);
	return 50;	/* reboot(2) returned */
}

FIXTURE_SETUP(guest_end)
{
	struct guest_job job = { .xid = variant->xid, .cmd = variant->cmd };
	int i;

	self->nanny = -1;
	self->shm = mmap(NULL, sizeof(*self->shm), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shm);
	memset(self->shm, 0, sizeof(*self->shm));
	job.shm = self->shm;
	ASSERT_EQ(0, host_setup(&self->host, &self->base));
	ASSERT_EQ(variant->xid, vs_h_create(variant->xid, VS_CF_PERSISTENT));
	self->nanny = vs_nanny_spawn(variant->xid, VS_F_END_SETUP, guest_main, &job);
	ASSERT_LT(0, self->nanny);
	for (i = 0; i < 500 && !__atomic_load_n(&self->shm->ready, __ATOMIC_SEQ_CST); i++)
		vs_msleep(10);
	ASSERT_EQ(1, self->shm->ready) {
		TH_LOG("the guest did not fork its tasks within 5 s");
	}
}

FIXTURE_TEARDOWN(guest_end)
{
	vs_h_destroy_all();
	if (self->nanny > 0)
		vs_waitpid(self->nanny, NULL, 5000);
	vs_sleeper_stop(&self->host, 2000);
	if (self->shm != MAP_FAILED)
		munmap(self->shm, sizeof(*self->shm));
}

/* Ends the guest as the variant says and waits (WAIT) for it; stores WAIT's reason. */
static void end_guest(struct __test_metadata *_metadata, FIXTURE_DATA(guest_end) *self,
		      const FIXTURE_VARIANT(guest_end) *variant, int *wait, __u32 *reason)
{
	if (variant->cmd)
		__atomic_store_n(&self->shm->go, 1, __ATOMIC_SEQ_CST);
	else
		ASSERT_EQ(0, vs_kill(variant->xid, SIGKILL));
	*reason = 0;
	*wait = vs_wait(variant->xid, reason, 10000);
}

/* end_guest() that must have worked, and the status of the guest's first task. */
static int end_guest_status(struct __test_metadata *_metadata, FIXTURE_DATA(guest_end) *self,
			    const FIXTURE_VARIANT(guest_end) *variant)
{
	__u32 reason;
	int wait, st;

	end_guest(_metadata, self, variant, &wait, &reason);
	ASSERT_EQ(0, wait);
	st = vs_child_status(self->nanny, 5000);
	self->nanny = -1;
	return st;
}

TEST_F_TIMEOUT(guest_end, guest_runs_all_its_tasks_until_it_ends, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, vs_wait_tasks(variant->xid, 1 + NKIDS, 2000));
}

TEST_F_TIMEOUT(guest_end, wait_returns_once_the_guest_ended, VS_H_TIMEOUT)
{
	__u32 reason;
	int wait;

	end_guest(_metadata, self, variant, &wait, &reason);
	EXPECT_EQ(0, wait);
}

TEST_F_TIMEOUT(guest_end, wait_tells_how_the_guest_ended, VS_H_TIMEOUT)
{
	__u32 reason;
	int wait;

	end_guest(_metadata, self, variant, &wait, &reason);
	ASSERT_EQ(0, wait);
	EXPECT_EQ(variant->reason, reason);
}

TEST_F_TIMEOUT(guest_end, first_task_is_sigkilled, VS_H_TIMEOUT)
{
	EXPECT_EQ(128 + SIGKILL, end_guest_status(_metadata, self, variant));
}

TEST_F_TIMEOUT(guest_end, other_tasks_are_gone, VS_H_TIMEOUT)
{
	int i;

	end_guest_status(_metadata, self, variant);
	for (i = 0; i < NKIDS; i++) {
		EXPECT_LT(0, self->shm->kids[i]);
		EXPECT_EQ(-ESRCH, VS_ERR(kill(self->shm->kids[i], 0))) {
			TH_LOG("guest task %d is still there", self->shm->kids[i]);
		}
	}
}

TEST_F_TIMEOUT(guest_end, guest_is_left_without_tasks, VS_H_TIMEOUT)
{
	end_guest_status(_metadata, self, variant);
	EXPECT_EQ(1, vs_wait_tasks(variant->xid, 0, 2000));
}

TEST_F_TIMEOUT(guest_end, last_end_tells_how_the_guest_ended, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	end_guest_status(_metadata, self, variant);
	ASSERT_EQ(1, vs_wait_tasks(variant->xid, 0, 2000));
	ASSERT_EQ(0, vs_info(variant->xid, &info));
	EXPECT_EQ(variant->reason, info.last_end);
}

TEST_F_TIMEOUT(guest_end, host_sleeper_lives_on, VS_H_TIMEOUT)
{
	end_guest_status(_metadata, self, variant);
	EXPECT_TRUE(host_sleeper_alive(&self->host));
	EXPECT_EQ(0, vs_sleeper_stop(&self->host, 2000)) {
		TH_LOG("the host sleeper did not exit when released");
	}
}

TEST_F_TIMEOUT(guest_end, test_process_stays_in_the_host_context, VS_H_TIMEOUT)
{
	end_guest_status(_metadata, self, variant);
	EXPECT_EQ(VS_XID_HOST, vs_get_xid(0));
}

TEST_F_TIMEOUT(guest_end, guest_can_be_removed_afterwards, VS_H_TIMEOUT)
{
	end_guest_status(_metadata, self, variant);
	remove_guest(_metadata, variant->xid, self->base);
}

/* ---- reboot(2) with a bad magic number ----------------------------------- */

FIXTURE(bad_magic) {
	struct vs_sleeper host;
	long base;
};

FIXTURE_VARIANT(bad_magic) {
	unsigned int magic1, magic2;
};

FIXTURE_VARIANT_ADD(bad_magic, bad_magic1) {
	.magic1 = 0xdeadbeef, .magic2 = LINUX_REBOOT_MAGIC2,
};

FIXTURE_VARIANT_ADD(bad_magic, bad_magic2) {
	.magic1 = LINUX_REBOOT_MAGIC1, .magic2 = 0x12345678,
};

FIXTURE_SETUP(bad_magic)
{
	ASSERT_EQ(0, host_setup(&self->host, &self->base));
	ASSERT_EQ(X_BADMAGIC, vs_h_create(X_BADMAGIC, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(bad_magic)
{
	vs_h_destroy_all();
	vs_sleeper_stop(&self->host, 2000);
}

/* In the guest: reboot(2) with bad magic; returns its errno if a sibling survived. */
static int guest_bad_magic(void *arg)
{
	const FIXTURE_VARIANT(bad_magic) *v = arg;
	long xid = vs_get_xid(0), r;
	int err;
	pid_t kid;

	if (xid != X_BADMAGIC)
		return 60;	/* not in the guest: never call reboot(2) */
	kid = fork();
	if (kid == 0) {
		for (;;)
			pause();
	}
	r = syscall(SYS_reboot, v->magic1, v->magic2, LINUX_REBOOT_CMD_RESTART, NULL);
	err = r == -1 ? errno : 0;
	vs_msleep(50);
	if (kid < 0 || kill(kid, 0))
		err = 99;	/* the sibling died */
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return err;
}

/* The guest's reboot(2) with the variant's magic: its errno (99: its sibling died). */
static int reboot_with_bad_magic(const FIXTURE_VARIANT(bad_magic) *variant)
{
	return vs_run_in_context(X_BADMAGIC, VS_F_END_SETUP, guest_bad_magic, (void *)variant,
				 5000);
}

TEST_F_TIMEOUT(bad_magic, reboot_fails_with_einval_and_kills_nobody, VS_H_TIMEOUT)
{
	EXPECT_EQ(EINVAL, reboot_with_bad_magic(variant));
}

TEST_F_TIMEOUT(bad_magic, guest_tasks_end_as_usual, VS_H_TIMEOUT)
{
	reboot_with_bad_magic(variant);
	EXPECT_EQ(1, vs_wait_tasks(X_BADMAGIC, 0, 2000));
}

TEST_F_TIMEOUT(bad_magic, last_end_is_exit_not_a_reboot, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	reboot_with_bad_magic(variant);
	ASSERT_EQ(1, vs_wait_tasks(X_BADMAGIC, 0, 2000));
	ASSERT_EQ(0, vs_info(X_BADMAGIC, &info));
	EXPECT_EQ((__u32)VS_END_EXIT, info.last_end);
}

TEST_F_TIMEOUT(bad_magic, host_sleeper_lives_on, VS_H_TIMEOUT)
{
	reboot_with_bad_magic(variant);
	EXPECT_TRUE(host_sleeper_alive(&self->host));
	EXPECT_EQ(VS_XID_HOST, vs_get_xid(0));
	EXPECT_EQ(0, vs_sleeper_stop(&self->host, 2000));
}

TEST_F_TIMEOUT(bad_magic, guest_can_be_removed_afterwards, VS_H_TIMEOUT)
{
	reboot_with_bad_magic(variant);
	remove_guest(_metadata, X_BADMAGIC, self->base);
}

TEST_HARNESS_MAIN
