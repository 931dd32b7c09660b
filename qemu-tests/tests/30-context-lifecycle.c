// SPDX-License-Identifier: GPL-2.0
/*
 * Context lifecycle from the host: CREATE (static and dynamic ids, every bad
 * input), GET_INFO right after creation, MIGRATE and the task count, fork
 * inheritance, END_SETUP, non-persistent contexts vanishing after their last
 * task, persistent ones staying until REMOVE, SET_FLAGS, LIST, KILL and WAIT
 * argument checks, unknown ids, callers without CAP_SYS_ADMIN and
 * multi-threaded callers.
 */
#include <pthread.h>
#include <linux/capability.h>

#include "../lib/vs-ktap.h"

#define X_MAIN		3001	/* migrate, tasks, END_SETUP, vanishing */
#define X_PERSIST	3002	/* persistent, REMOVE, WAIT on an empty context */
#define X_FLAGS		3003	/* SET_FLAGS */
#define X_THREAD	3004	/* multi-threaded MIGRATE */
#define X_EINTR		3005	/* WAIT interrupted by a signal */
#define X_WAIT		3006	/* WAIT blocking until the last task ends */
#define X_LIST0		3010	/* LIST: three extra contexts */
#define X_UNKNOWN	3099	/* never created */

#define KERNEL_ADDR ((void *)0xffff888000000000UL)

/* Contexts this test made and has not seen go away; destroyed at the end. */
static __u32 made[32];
static int nmade;

static void made_add(long xid)
{
	if (xid > 0 && nmade < 32)
		made[nmade++] = (__u32)xid;
}

static void made_del(__u32 xid)
{
	int i;

	for (i = 0; i < nmade; i++) {
		if (made[i] == xid) {
			made[i] = made[--nmade];
			return;
		}
	}
}

static int is_dynamic(long xid)
{
	return xid >= VS_XID_DYNAMIC_MIN && xid <= VS_XID_DYNAMIC_MAX;
}

static int raw_create(__u32 xid, __u32 reserved, __u64 flags)
{
	struct vs_context_create c = { .xid = xid, .reserved = reserved, .flags = flags };
	int r = vs_ioctl(VS_IOC_CREATE, &c);

	if (r == 0)	/* should not happen: do not leak it */
		made_add(c.xid);
	return r;
}

/* ---- callers without CAP_SYS_ADMIN (in a child) ---- */

static long dyn1;

static void no_cap_admin(void *arg)
{
	__u32 reason;

	(void)arg;
	if (vs_drop_cap(CAP_SYS_ADMIN))
		ktap_diag("dropping CAP_SYS_ADMIN failed: %s", strerror(errno));
	vs_expect(vs_create(3098, 0), -EPERM, "host without CAP_SYS_ADMIN: CREATE -> EPERM");
	vs_expect(vs_migrate(X_MAIN), -EPERM, "host without CAP_SYS_ADMIN: MIGRATE -> EPERM");
	vs_expect(vs_set_flags((__u32)dyn1, VS_CF_PROLIFIC, 0), -EPERM,
		  "host without CAP_SYS_ADMIN: SET_FLAGS -> EPERM");
	vs_expect(vs_remove((__u32)dyn1), -EPERM, "host without CAP_SYS_ADMIN: REMOVE -> EPERM");
	vs_expect(vs_kill((__u32)dyn1, 0), -EPERM, "host without CAP_SYS_ADMIN: KILL -> EPERM");
	vs_expect(vs_wait((__u32)dyn1, &reason, 2000), -EPERM,
		  "host without CAP_SYS_ADMIN: WAIT -> EPERM");
}

/* ---- multi-threaded MIGRATE (in a child) ---- */

static int thread_pipe[2];

static void *thread_fn(void *arg)
{
	char c;

	(void)arg;
	while (read(thread_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void threaded_migrate(void *arg)
{
	pthread_t t;
	int i, r = -EBUSY;

	(void)arg;
	if (pipe(thread_pipe) || pthread_create(&t, NULL, thread_fn, NULL)) {
		ktap_diag("cannot start a thread: %s", strerror(errno));
		ktap_result(0, "MIGRATE of a 2-threaded process -> EBUSY");
		ktap_result(0, "MIGRATE after the thread ended succeeds");
		ktap_result(0, "the migrated process is in the context");
		return;
	}
	vs_expect(vs_migrate(X_THREAD), -EBUSY, "MIGRATE of a 2-threaded process -> EBUSY");
	close(thread_pipe[1]);
	pthread_join(t, NULL);
	/* The joined thread may take a moment to be released by the kernel. */
	for (i = 0; i < 100; i++) {
		r = vs_migrate(X_THREAD);
		if (r != -EBUSY)
			break;
		vs_msleep(10);
	}
	vs_expect(r, 0, "MIGRATE after the thread ended succeeds");
	vs_expect(vs_get_xid(0), X_THREAD, "the migrated process is in the context");
}

static int become_spectator(void *arg)
{
	(void)arg;
	return vs_get_xid(0) == VS_XID_SPECTATOR ? 0 : 1;
}

static int sleep_300ms_exit_7(void *arg)
{
	(void)arg;
	vs_msleep(300);
	return 7;
}

int main(void)
{
	struct vs_context_info info;
	struct vs_sleeper s1, s2, s3, sp, se;
	unsigned long long t0, t1;
	long r, base, dyn2, dyn3, expect_total;
	__u32 reason, total, buf[4096];
	int i, found, st;
	pid_t nanny;

	ktap_plan(127);
	vs_become_subreaper();

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	vs_check(base >= 0, vs_errname(base), "LIST answers before the test (total %ld)", base);

	/* ---- CREATE ---- */
	t0 = vs_now_ns(CLOCK_BOOTTIME);
	r = vs_create(X_MAIN, 0);
	t1 = vs_now_ns(CLOCK_BOOTTIME);
	made_add(r);
	vs_expect(r, X_MAIN, "CREATE static xid %d", X_MAIN);
	vs_expect(vs_create(X_MAIN, 0), -EEXIST, "CREATE of an existing static xid -> EEXIST");
	dyn1 = vs_create(VS_XID_ALLOCATE, 0);
	made_add(dyn1);
	vs_check(is_dynamic(dyn1), vs_errname(dyn1),
		 "CREATE VS_XID_ALLOCATE gives a dynamic xid (%ld)", dyn1);
	dyn2 = vs_create(VS_XID_ALLOCATE, 0);
	made_add(dyn2);
	vs_check(is_dynamic(dyn2) && dyn2 != dyn1, vs_errname(dyn2),
		 "a second VS_XID_ALLOCATE gives another dynamic xid (%ld)", dyn2);
	r = vs_create(VS_XID_STATIC_MIN, 0);
	made_add(r);
	vs_expect(r, VS_XID_STATIC_MIN, "CREATE xid %d (lowest static)", VS_XID_STATIC_MIN);
	if (vs_expect(vs_remove(VS_XID_STATIC_MIN), 0, "REMOVE xid %d (never entered)",
		      VS_XID_STATIC_MIN) == 1)
		made_del(VS_XID_STATIC_MIN);
	r = vs_create(VS_XID_STATIC_MAX, 0);
	made_add(r);
	vs_expect(r, VS_XID_STATIC_MAX, "CREATE xid %d (highest static)", VS_XID_STATIC_MAX);
	if (vs_expect(vs_remove(VS_XID_STATIC_MAX), 0, "REMOVE xid %d (never entered)",
		      VS_XID_STATIC_MAX) == 1)
		made_del(VS_XID_STATIC_MAX);

	vs_expect(raw_create(3097, 1, 0), -EINVAL, "CREATE with reserved != 0 -> EINVAL");
	vs_expect(raw_create(3097, 0, 1ULL << 2), -EINVAL, "CREATE with flag bit 2 -> EINVAL");
	vs_expect(raw_create(3097, 0, 1ULL << 63), -EINVAL, "CREATE with flag bit 63 -> EINVAL");
	vs_expect(raw_create(0, 0, 0), -EINVAL, "CREATE xid 0 (host) -> EINVAL");
	vs_expect(raw_create(1, 0, 0), -EINVAL, "CREATE xid 1 (spectator) -> EINVAL");
	vs_expect(raw_create(VS_XID_DYNAMIC_MIN, 0, 0), -EINVAL,
		  "CREATE xid %d (dynamic range) -> EINVAL", VS_XID_DYNAMIC_MIN);
	vs_expect(raw_create(VS_XID_DYNAMIC_MAX, 0, 0), -EINVAL,
		  "CREATE xid %d (dynamic range) -> EINVAL", VS_XID_DYNAMIC_MAX);
	vs_expect(raw_create(65536, 0, 0), -EINVAL, "CREATE xid 65536 -> EINVAL");
	vs_expect(raw_create(VS_XID_SELF, 0, 0), -EINVAL, "CREATE xid VS_XID_SELF -> EINVAL");
	vs_expect(vs_ioctl(VS_IOC_CREATE, NULL), -EFAULT, "CREATE from NULL -> EFAULT");

	vs_ktap_fork(no_cap_admin, NULL, 10000);

	/* ---- GET_INFO right after CREATE ---- */
	vs_expect(vs_info(X_MAIN, &info), 0, "GET_INFO of a new context");
	vs_expect(info.state, VS_STATE_SETUP, "a new context is in VS_STATE_SETUP");
	vs_expect(info.tasks, 0, "a new context has no tasks");
	vs_expect(info.parent_xid, 0, "a context created by the host has parent 0");
	vs_expect((long)info.flags, 0, "a context created without flags has none");
	vs_expect(info.init_pid, 0, "a new context has no init_pid");
	vs_expect(info.last_end, 0, "a new context has last_end 0");
	vs_check(info.created_ns + 1000000ULL >= t0 && info.created_ns <= t1 + 1000000ULL, NULL,
		 "created_ns is CLOCK_BOOTTIME at creation (%llu, want %llu..%llu)",
		 (unsigned long long)info.created_ns, t0, t1);
	dyn3 = vs_create(VS_XID_ALLOCATE, VS_CF_ALL);
	made_add(dyn3);
	vs_check(is_dynamic(dyn3), vs_errname(dyn3), "CREATE dynamic, persistent and prolific");
	vs_info((__u32)dyn3, &info);
	vs_expect((long)info.flags, VS_CF_ALL, "its flags are PERSISTENT|PROLIFIC");
	vs_expect(vs_info(VS_XID_HOST, &info), -EINVAL, "GET_INFO of xid 0 -> EINVAL");
	vs_expect(vs_info(VS_XID_SPECTATOR, &info), -EINVAL, "GET_INFO of xid 1 -> EINVAL");
	vs_expect(vs_info(VS_XID_SELF, &info), -EINVAL, "GET_INFO of VS_XID_SELF from the host -> EINVAL");
	vs_expect(vs_ioctl(VS_IOC_GET_INFO, NULL), -EFAULT, "GET_INFO to NULL -> EFAULT");

	/* ---- MIGRATE, tasks, init_pid, fork inheritance, END_SETUP ---- */
	vs_expect(vs_sleeper_start(&s1, X_MAIN, 0, 0), 0, "a host child MIGRATEs into %d", X_MAIN);
	vs_expect(vs_get_xid(s1.pid), X_MAIN, "GET_XID of the migrated child is %d", X_MAIN);
	vs_info(X_MAIN, &info);
	vs_expect(info.tasks, 1, "the context has 1 task");
	vs_expect(info.init_pid, s1.pid, "the first task to enter is init_pid");
	vs_expect(info.state, VS_STATE_SETUP, "a host MIGRATE leaves the context in SETUP");
	vs_expect(vs_sleeper_start(&s2, X_MAIN, 2, 0), 0, "a second child enters and forks twice");
	vs_expect(vs_get_xid(s2.kids[0]), X_MAIN, "a forked child inherits the context");
	vs_expect(vs_get_xid(s2.kids[1]), X_MAIN, "another forked child inherits the context");
	vs_check(vs_wait_tasks(X_MAIN, 4, 1000), NULL, "the context has 4 tasks");
	vs_info(X_MAIN, &info);
	vs_expect(info.init_pid, s1.pid, "init_pid stays the first task");
	vs_expect(vs_get_xid(0), VS_XID_HOST, "the test process is still in the host context");
	vs_expect(vs_end_setup(X_MAIN), 0, "END_SETUP from the host");
	vs_info(X_MAIN, &info);
	vs_expect(info.state, VS_STATE_RUNNING, "the context is now VS_STATE_RUNNING");
	vs_expect(vs_sleeper_start(&s3, X_MAIN, 0, 0), 0,
		  "the host can still MIGRATE a task in after END_SETUP");
	vs_check(vs_wait_tasks(X_MAIN, 5, 1000), NULL, "the context has 5 tasks");
	vs_sleeper_stop(&s3, 2000);
	vs_check(vs_wait_tasks(X_MAIN, 4, 2000), NULL, "one task exited: 4 tasks");
	vs_sleeper_stop(&s1, 2000);
	vs_check(vs_wait_tasks(X_MAIN, 3, 2000), NULL, "init exited: 3 tasks");
	vs_info(X_MAIN, &info);
	vs_expect(info.init_pid, 0, "init_pid is 0 once init is gone");
	vs_sleeper_stop(&s2, 2000);
	if (vs_check(vs_wait_gone(X_MAIN, 2000), NULL,
		     "a non-persistent context vanishes after its last task"))
		made_del(X_MAIN);
	vs_expect(vs_info(X_MAIN, &info), -ESRCH, "GET_INFO of the vanished context -> ESRCH");
	r = vs_create(X_MAIN, 0);
	made_add(r);
	vs_expect(r, X_MAIN, "its xid can be created again");
	if (vs_expect(vs_remove(X_MAIN), 0, "REMOVE of the recreated (never entered) context") == 1)
		made_del(X_MAIN);
	vs_expect(vs_run_in_context(VS_XID_SPECTATOR, 0, become_spectator, NULL, 5000), 0,
		  "a host child can MIGRATE into xid 1 and is then a spectator");
	vs_expect(vs_migrate(VS_XID_HOST), -EINVAL, "MIGRATE into xid 0 -> EINVAL");
	vs_expect(vs_ioctl(VS_IOC_MIGRATE, NULL), -EFAULT, "MIGRATE from NULL -> EFAULT");

	/* ---- persistent context, REMOVE, WAIT on an empty context ---- */
	r = vs_create(X_PERSIST, VS_CF_PERSISTENT);
	made_add(r);
	vs_expect(r, X_PERSIST, "CREATE a persistent context");
	vs_expect(vs_sleeper_start(&sp, X_PERSIST, 0, VS_F_END_SETUP), 0,
		  "a child enters it and ends its setup");
	vs_expect(vs_remove(X_PERSIST), -EBUSY, "REMOVE of a context with a task -> EBUSY");
	vs_sleeper_stop(&sp, 2000);
	vs_check(vs_wait_tasks(X_PERSIST, 0, 2000), NULL, "its task is gone: 0 tasks");
	vs_msleep(300);
	vs_expect(vs_info(X_PERSIST, &info), 0, "a persistent context stays without tasks");
	vs_expect(info.last_end, VS_END_EXIT, "last_end is VS_END_EXIT");
	vs_expect(vs_wait(X_PERSIST, &reason, 2000), 0, "WAIT on a context without tasks returns");
	vs_expect(reason, VS_END_EXIT, "with its last_end (VS_END_EXIT)");
	if (vs_expect(vs_remove(X_PERSIST), 0, "REMOVE of the empty persistent context") == 1)
		made_del(X_PERSIST);
	vs_check(vs_wait_gone(X_PERSIST, 2000), NULL, "the removed context is gone");
	vs_expect(vs_ioctl(VS_IOC_REMOVE, NULL), -EFAULT, "REMOVE from NULL -> EFAULT");

	/* ---- WAIT: interrupted, and blocking until the last task ends ---- */
	r = vs_create(X_EINTR, 0);
	made_add(r);
	vs_expect(r, X_EINTR, "CREATE a context for WAIT");
	vs_expect(vs_sleeper_start(&se, X_EINTR, 0, 0), 0, "a child enters it");
	vs_expect(vs_wait(X_EINTR, &reason, 100), -EINTR, "WAIT interrupted by a signal -> EINTR");
	vs_sleeper_stop(&se, 2000);
	if (vs_check(vs_wait_gone(X_EINTR, 2000), NULL, "the context vanishes after its task"))
		made_del(X_EINTR);
	r = vs_create(X_WAIT, 0);
	made_add(r);
	vs_expect(r, X_WAIT, "CREATE another context for WAIT");
	nanny = vs_nanny_spawn(X_WAIT, 0, sleep_300ms_exit_7, NULL);
	vs_check(nanny > 0, vs_errname(nanny), "a task enters it for 300 ms");
	vs_expect(vs_wait(X_WAIT, &reason, 5000), 0, "WAIT blocks until that task exits");
	vs_expect(reason, VS_END_EXIT, "WAIT's reason is VS_END_EXIT");
	st = nanny > 0 ? vs_child_status(nanny, 5000) : -1;
	vs_expect(st, 7, "the task ran to its end (exit status 7)");
	if (vs_check(vs_wait_gone(X_WAIT, 2000), NULL, "the context vanishes after WAIT"))
		made_del(X_WAIT);
	vs_expect(vs_ioctl(VS_IOC_WAIT, NULL), -EFAULT, "WAIT from NULL -> EFAULT");

	/* ---- SET_FLAGS ---- */
	r = vs_create(X_FLAGS, VS_CF_PERSISTENT);
	made_add(r);
	vs_expect(r, X_FLAGS, "CREATE a persistent context for SET_FLAGS");
	vs_expect(vs_set_flags(X_FLAGS, 1ULL << 5, 0), -EINVAL, "SET_FLAGS setting bit 5 -> EINVAL");
	vs_expect(vs_set_flags(X_FLAGS, 0, 1ULL << 40), -EINVAL, "SET_FLAGS clearing bit 40 -> EINVAL");
	vs_expect(vs_set_flags(X_FLAGS, VS_CF_PERSISTENT, VS_CF_PERSISTENT), -EINVAL,
		  "SET_FLAGS setting and clearing PERSISTENT -> EINVAL");
	vs_expect(vs_set_flags(X_FLAGS, VS_CF_PROLIFIC, 0), 0, "SET_FLAGS sets PROLIFIC");
	vs_info(X_FLAGS, &info);
	vs_expect((long)info.flags, VS_CF_ALL, "flags are PERSISTENT|PROLIFIC");
	vs_expect(vs_set_flags(X_FLAGS, 0, VS_CF_PROLIFIC), 0, "SET_FLAGS clears PROLIFIC");
	vs_info(X_FLAGS, &info);
	vs_expect((long)info.flags, VS_CF_PERSISTENT, "flags are PERSISTENT");
	vs_expect(vs_set_flags(X_FLAGS, 0, VS_CF_PERSISTENT), 0,
		  "SET_FLAGS clears PERSISTENT of a context without tasks");
	if (vs_check(vs_wait_gone(X_FLAGS, 2000), NULL, "which destroys it"))
		made_del(X_FLAGS);
	vs_expect(vs_ioctl(VS_IOC_SET_FLAGS, NULL), -EFAULT, "SET_FLAGS from NULL -> EFAULT");

	/* ---- LIST ---- */
	for (i = 0; i < 3; i++)
		made_add(vs_create(X_LIST0 + i, 0));
	expect_total = base + nmade;
	vs_expect(vs_list_total(), expect_total, "LIST total counts the %d contexts of this test",
		  nmade);
	r = vs_list(buf, (__u32)expect_total, &total);
	vs_expect(r, expect_total, "LIST with room for exactly total writes total entries");
	for (i = 0, found = 0; i < nmade; i++) {
		long j;

		for (j = 0; r > 0 && j < r; j++)
			if (buf[j] == made[i]) {
				found++;
				break;
			}
	}
	vs_expect(found, nmade, "LIST names every context of this test");
	vs_expect(vs_list(buf, (__u32)expect_total - 1, &total), -E2BIG,
		  "LIST with room for total - 1 -> E2BIG");
	vs_expect(total, expect_total, "E2BIG still writes total");
	vs_expect(vs_list(buf, 0, &total), -E2BIG, "LIST with count 0 -> E2BIG");
	vs_expect(vs_list(NULL, 16, &total), -EFAULT, "LIST into a NULL array -> EFAULT");
	vs_expect(vs_list(KERNEL_ADDR, 16, &total), -EFAULT, "LIST into a kernel address -> EFAULT");
	vs_expect(vs_list(buf, 0xffffffffU, &total), expect_total,
		  "LIST with count 0xffffffff writes total entries");
	vs_expect(vs_ioctl(VS_IOC_LIST, NULL), -EFAULT, "LIST from NULL -> EFAULT");

	/* ---- KILL arguments ---- */
	vs_expect(vs_kill(X_LIST0, -1), -EINVAL, "KILL with signal -1 -> EINVAL");
	vs_expect(vs_kill(X_LIST0, 65), -EINVAL, "KILL with signal 65 -> EINVAL");
	vs_expect(vs_kill(X_LIST0, 0), 0, "KILL with signal 0 succeeds");
	vs_expect(vs_kill(X_LIST0, 64), 0, "KILL with signal 64 succeeds");
	vs_expect(vs_ioctl(VS_IOC_KILL, NULL), -EFAULT, "KILL from NULL -> EFAULT");

	/* ---- an unknown xid ---- */
	vs_expect(vs_migrate(X_UNKNOWN), -ESRCH, "MIGRATE into an unknown xid -> ESRCH");
	vs_expect(vs_end_setup(X_UNKNOWN), -ESRCH, "END_SETUP of an unknown xid -> ESRCH");
	vs_expect(vs_info(X_UNKNOWN, &info), -ESRCH, "GET_INFO of an unknown xid -> ESRCH");
	vs_expect(vs_set_flags(X_UNKNOWN, VS_CF_PROLIFIC, 0), -ESRCH,
		  "SET_FLAGS of an unknown xid -> ESRCH");
	vs_expect(vs_remove(X_UNKNOWN), -ESRCH, "REMOVE of an unknown xid -> ESRCH");
	vs_expect(vs_kill(X_UNKNOWN, 0), -ESRCH, "KILL of an unknown xid -> ESRCH");
	vs_expect(vs_wait(X_UNKNOWN, &reason, 2000), -ESRCH, "WAIT on an unknown xid -> ESRCH");
	vs_expect(vs_info(VS_XID_DYNAMIC_MAX, &info), -ESRCH,
		  "GET_INFO of an unallocated dynamic xid -> ESRCH");

	/* ---- multi-threaded MIGRATE ---- */
	r = vs_create(X_THREAD, 0);
	made_add(r);
	vs_expect(r, X_THREAD, "CREATE a context for the threaded MIGRATE");
	vs_ktap_fork(threaded_migrate, NULL, 10000);
	if (vs_check(vs_wait_gone(X_THREAD, 2000), NULL, "the context vanishes after that process"))
		made_del(X_THREAD);

	/* ---- cleanup ---- */
	for (i = nmade - 1; i >= 0; i--)
		if (!vs_destroy(made[i]))
			ktap_diag("cleanup: context %u is still there", made[i]);
	vs_reap_all(2000);
	r = vs_wait_list_total(base, 2000);
	vs_expect(r, base, "after cleanup LIST total is back to %ld", base);
	return ktap_finish();
}
