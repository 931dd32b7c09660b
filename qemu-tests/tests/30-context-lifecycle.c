// SPDX-License-Identifier: GPL-2.0
/*
 * Context lifecycle from the host: CREATE (static and dynamic ids, every bad
 * input), GET_INFO right after creation, MIGRATE and the task count, fork
 * inheritance, END_SETUP, non-persistent contexts vanishing after their last
 * task, persistent ones staying until REMOVE, SET_FLAGS, LIST, KILL and WAIT
 * argument checks, unknown ids, callers without CAP_SYS_ADMIN and
 * multi-threaded callers, and CREATE answers that cannot be written back.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "../lib/harness.h"

#define X_MAIN		3001	/* migrate, tasks, END_SETUP, vanishing */
#define X_PERSIST	3002	/* persistent, REMOVE, WAIT on an empty context */
#define X_FLAGS		3003	/* SET_FLAGS */
#define X_THREAD	3004	/* multi-threaded MIGRATE */
#define X_EINTR		3005	/* WAIT interrupted by a signal */
#define X_WAIT		3006	/* WAIT blocking until the last task ends */
#define X_LIST0		3010	/* LIST: three contexts; KILL arguments */
#define X_BAD		3097	/* bad CREATE arguments */
#define X_NO_CAP	3098	/* CREATE without CAP_SYS_ADMIN */
#define X_UNKNOWN	3099	/* never created */
#define X_UNWRITABLE	3141	/* CREATE and NET_CREATE answering EFAULT */

#define KERNEL_ADDR ((void *)0xffff888000000000UL)

/* Every context flag there is (the header names no mask of them). */
#define CF_BOTH		(VS_CF_PERSISTENT | VS_CF_PROLIFIC)

static int is_dynamic(long xid)
{
	return xid >= VS_XID_DYNAMIC_MIN && xid <= VS_XID_DYNAMIC_MAX;
}

TEST(device_opens)
{
	EXPECT_LE(0, vs_open()) {
		TH_LOG("%s: %s", VS_DEVICE_PATH, strerror(errno));
	}
}

TEST(list_answers)
{
	EXPECT_LE(0, vs_list_total());
}

/* ---- CREATE ---- */

FIXTURE(create) {
};

FIXTURE_SETUP(create)
{
}

FIXTURE_TEARDOWN(create)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(create, makes_a_static_xid, VS_H_TIMEOUT)
{
	EXPECT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
}

TEST_F_TIMEOUT(create, of_an_existing_static_xid_is_eexist, VS_H_TIMEOUT)
{
	ASSERT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
	EXPECT_EQ(-EEXIST, vs_h_create(X_MAIN, 0));
}

TEST_F_TIMEOUT(create, allocate_gives_a_dynamic_xid, VS_H_TIMEOUT)
{
	long xid = vs_h_create(VS_XID_ALLOCATE, 0);

	EXPECT_TRUE(is_dynamic(xid)) {
		TH_LOG("got %s", vs_errname(xid));
	}
}

TEST_F_TIMEOUT(create, second_allocate_gives_another_dynamic_xid, VS_H_TIMEOUT)
{
	long first = vs_h_create(VS_XID_ALLOCATE, 0);
	long second;

	ASSERT_TRUE(is_dynamic(first));
	second = vs_h_create(VS_XID_ALLOCATE, 0);
	EXPECT_TRUE(is_dynamic(second)) {
		TH_LOG("got %s", vs_errname(second));
	}
	EXPECT_NE(first, second);
}

TEST_F_TIMEOUT(create, allocate_persistent_and_prolific_gives_a_dynamic_xid, VS_H_TIMEOUT)
{
	long xid = vs_h_create(VS_XID_ALLOCATE, CF_BOTH);

	EXPECT_TRUE(is_dynamic(xid)) {
		TH_LOG("got %s", vs_errname(xid));
	}
}

TEST_F_TIMEOUT(create, persistent_and_prolific_context_has_both_flags, VS_H_TIMEOUT)
{
	struct vs_context_info info;
	long xid = vs_h_create(VS_XID_ALLOCATE, CF_BOTH);

	ASSERT_TRUE(is_dynamic(xid));
	ASSERT_EQ(0, vs_info((__u32)xid, &info));
	EXPECT_EQ((__u64)CF_BOTH, info.flags);
}

/* The lowest and the highest static xid. */
FIXTURE(static_bound) {
};

FIXTURE_VARIANT(static_bound) {
	__u32 xid;
};

FIXTURE_VARIANT_ADD(static_bound, lowest) {
	.xid = VS_XID_STATIC_MIN,
};

FIXTURE_VARIANT_ADD(static_bound, highest) {
	.xid = VS_XID_STATIC_MAX,
};

FIXTURE_SETUP(static_bound)
{
}

FIXTURE_TEARDOWN(static_bound)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(static_bound, can_be_created, VS_H_TIMEOUT)
{
	EXPECT_EQ((long)variant->xid, vs_h_create(variant->xid, 0));
}

TEST_F_TIMEOUT(static_bound, can_be_removed_never_entered, VS_H_TIMEOUT)
{
	ASSERT_EQ((long)variant->xid, vs_h_create(variant->xid, 0));
	EXPECT_EQ(0, vs_remove(variant->xid));
	if (vs_wait_gone(variant->xid, 2000))
		vs_h_forget(variant->xid);
}

/* Each variant: a CREATE request the module must refuse with EINVAL. */
FIXTURE(bad_create) {
	long total;	/* LIST total before the request */
};

FIXTURE_VARIANT(bad_create) {
	__u32 xid;
	__u32 reserved;
	__u64 flags;
};

FIXTURE_VARIANT_ADD(bad_create, reserved_not_zero) {
	.xid = X_BAD, .reserved = 1, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, flag_bit_2) {
	.xid = X_BAD, .reserved = 0, .flags = 1ULL << 2,
};

FIXTURE_VARIANT_ADD(bad_create, flag_bit_63) {
	.xid = X_BAD, .reserved = 0, .flags = 1ULL << 63,
};

FIXTURE_VARIANT_ADD(bad_create, xid_0_the_host) {
	.xid = VS_XID_HOST, .reserved = 0, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, xid_1_the_spectator) {
	.xid = VS_XID_SPECTATOR, .reserved = 0, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, lowest_dynamic_xid) {
	.xid = VS_XID_DYNAMIC_MIN, .reserved = 0, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, highest_dynamic_xid) {
	.xid = VS_XID_DYNAMIC_MAX, .reserved = 0, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, xid_65536) {
	.xid = 65536, .reserved = 0, .flags = 0,
};

FIXTURE_VARIANT_ADD(bad_create, xid_self) {
	.xid = VS_XID_SELF, .reserved = 0, .flags = 0,
};

FIXTURE_SETUP(bad_create)
{
	self->total = vs_list_total();
	ASSERT_LE(0, self->total);
}

FIXTURE_TEARDOWN(bad_create)
{
	vs_h_destroy_all();
}

static int bad_create_request(struct __test_metadata *_metadata,
			      const FIXTURE_VARIANT(bad_create) *variant)
{
	struct vs_context_create c = {
		.xid = variant->xid, .reserved = variant->reserved, .flags = variant->flags,
	};
	int r = vs_ioctl(VS_IOC_CREATE, &c);

	if (!r)		/* should not happen: do not leak it */
		vs_h_track(c.xid);
	return r;
}

TEST_F_TIMEOUT(bad_create, is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, bad_create_request(_metadata, variant));
}

TEST_F_TIMEOUT(bad_create, makes_no_context, VS_H_TIMEOUT)
{
	bad_create_request(_metadata, variant);
	EXPECT_EQ(self->total, vs_list_total());
}

/* ---- a NULL argument ---- */

FIXTURE(null_argument) {
};

FIXTURE_VARIANT(null_argument) {
	unsigned long request;
};

FIXTURE_VARIANT_ADD(null_argument, create) {
	.request = VS_IOC_CREATE,
};

FIXTURE_VARIANT_ADD(null_argument, get_info) {
	.request = VS_IOC_GET_INFO,
};

FIXTURE_VARIANT_ADD(null_argument, migrate) {
	.request = VS_IOC_MIGRATE,
};

FIXTURE_VARIANT_ADD(null_argument, end_setup) {
	.request = VS_IOC_END_SETUP,
};

FIXTURE_VARIANT_ADD(null_argument, remove) {
	.request = VS_IOC_REMOVE,
};

FIXTURE_VARIANT_ADD(null_argument, wait) {
	.request = VS_IOC_WAIT,
};

FIXTURE_VARIANT_ADD(null_argument, set_flags) {
	.request = VS_IOC_SET_FLAGS,
};

FIXTURE_VARIANT_ADD(null_argument, list) {
	.request = VS_IOC_LIST,
};

FIXTURE_VARIANT_ADD(null_argument, kill) {
	.request = VS_IOC_KILL,
};

FIXTURE_SETUP(null_argument)
{
	ASSERT_LE(0, vs_open());
}

FIXTURE_TEARDOWN(null_argument)
{
}

TEST_F_TIMEOUT(null_argument, is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(variant->request, NULL));
}

/*
 * ---- an answer the kernel cannot write back ----
 *
 * CREATE and NET_CREATE read their argument, make the context, then write its
 * id back. From a read-only page the write fails: the caller gets EFAULT and,
 * never learning the id, could neither use nor remove what was made, so
 * nothing may be left behind.
 */

FIXTURE(unwritable_answer) {
	void *page;
	long total;	/* contexts (or network contexts) before */
};

FIXTURE_VARIANT(unwritable_answer) {
	unsigned long request;
	__u32 id;
	__u64 flags;
};

FIXTURE_VARIANT_ADD(unwritable_answer, create_of_a_static_xid) {
	.request = VS_IOC_CREATE, .id = X_UNWRITABLE, .flags = VS_CF_PERSISTENT,
};

FIXTURE_VARIANT_ADD(unwritable_answer, create_with_allocate) {
	.request = VS_IOC_CREATE, .id = VS_XID_ALLOCATE, .flags = VS_CF_PERSISTENT,
};

FIXTURE_VARIANT_ADD(unwritable_answer, net_create_of_a_static_nid) {
	.request = VS_IOC_NET_CREATE, .id = X_UNWRITABLE, .flags = VS_NF_PERSISTENT,
};

FIXTURE_VARIANT_ADD(unwritable_answer, net_create_with_allocate) {
	.request = VS_IOC_NET_CREATE, .id = VS_XID_ALLOCATE, .flags = VS_NF_PERSISTENT,
};

/* How many network contexts there are, or -errno. */
static long net_list_total(void)
{
	struct vs_context_list l = { .count = 0 };
	int r = vs_ioctl(VS_IOC_NET_LIST, &l);

	return r == 0 || r == -E2BIG ? (long)l.total : r;
}

static long unwritable_total(const FIXTURE_VARIANT(unwritable_answer) *variant)
{
	return variant->request == VS_IOC_CREATE ? vs_list_total() : net_list_total();
}

FIXTURE_SETUP(unwritable_answer)
{
	long page_size = sysconf(_SC_PAGESIZE);

	ASSERT_LE(0, vs_open());
	self->page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	/* Both structures start with the id and have the flags at offset 8. */
	if (variant->request == VS_IOC_CREATE) {
		struct vs_context_create c = { .xid = variant->id, .flags = variant->flags };

		memcpy(self->page, &c, sizeof(c));
	} else {
		struct vs_net_create c = { .nid = variant->id, .flags = variant->flags };

		memcpy(self->page, &c, sizeof(c));
	}
	ASSERT_EQ(0, mprotect(self->page, page_size, PROT_READ));
	self->total = unwritable_total(variant);
	ASSERT_LE(0, self->total);
}

FIXTURE_TEARDOWN(unwritable_answer)
{
	munmap(self->page, sysconf(_SC_PAGESIZE));
	/* Whatever a failing test left behind. */
	if (variant->request == VS_IOC_CREATE)
		vs_remove(X_UNWRITABLE);
	else
		vs_net_remove(X_UNWRITABLE);
}

TEST_F_TIMEOUT(unwritable_answer, is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(variant->request, self->page));
}

TEST_F_TIMEOUT(unwritable_answer, leaves_nothing_behind, VS_H_TIMEOUT)
{
	ASSERT_EQ(-EFAULT, vs_ioctl(variant->request, self->page));
	EXPECT_EQ(self->total, unwritable_total(variant)) {
		TH_LOG("a context the caller cannot know of was left behind");
	}
}

TEST_F_TIMEOUT(unwritable_answer, leaves_the_static_id_free, VS_H_TIMEOUT)
{
	ASSERT_EQ(-EFAULT, vs_ioctl(variant->request, self->page));
	if (variant->request == VS_IOC_CREATE) {
		EXPECT_EQ(X_UNWRITABLE, vs_create(X_UNWRITABLE, 0));
		EXPECT_EQ(0, vs_remove(X_UNWRITABLE));
	} else {
		EXPECT_EQ(X_UNWRITABLE, vs_net_create(X_UNWRITABLE, 0));
		EXPECT_EQ(0, vs_net_remove(X_UNWRITABLE));
	}
}

/* ---- a host task without CAP_SYS_ADMIN ---- */

struct no_cap_targets {
	__u32 xid;	/* a static context */
	__u32 dyn;	/* a dynamic one */
};

FIXTURE(without_cap_sys_admin) {
	struct no_cap_targets t;
};

/* Each variant: a request the host task may not make any more. */
FIXTURE_VARIANT(without_cap_sys_admin) {
	long (*call)(const struct no_cap_targets *t);
};

static long no_cap_create(const struct no_cap_targets *t)
{
	(void)t;
	return vs_create(X_NO_CAP, 0);
}

static long no_cap_migrate(const struct no_cap_targets *t)
{
	return vs_migrate(t->xid);
}

static long no_cap_set_flags(const struct no_cap_targets *t)
{
	return vs_set_flags(t->dyn, VS_CF_PROLIFIC, 0);
}

static long no_cap_remove(const struct no_cap_targets *t)
{
	return vs_remove(t->dyn);
}

static long no_cap_kill(const struct no_cap_targets *t)
{
	return vs_kill(t->dyn, 0);
}

static long no_cap_wait(const struct no_cap_targets *t)
{
	__u32 reason;

	return vs_wait(t->dyn, &reason, 2000);
}

/*
 * Both contexts were made by the host and are in their setup: the caller's
 * xid 0 is their parent's, yet only the host admin ends a host-made setup.
 */
static long no_cap_end_setup(const struct no_cap_targets *t)
{
	return vs_end_setup(t->xid);
}

static long no_cap_end_setup_of_the_dynamic_one(const struct no_cap_targets *t)
{
	return vs_end_setup(t->dyn);
}

FIXTURE_VARIANT_ADD(without_cap_sys_admin, create) {
	.call = no_cap_create,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, migrate) {
	.call = no_cap_migrate,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, set_flags) {
	.call = no_cap_set_flags,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, remove) {
	.call = no_cap_remove,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, kill) {
	.call = no_cap_kill,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, wait) {
	.call = no_cap_wait,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, end_setup) {
	.call = no_cap_end_setup,
};

FIXTURE_VARIANT_ADD(without_cap_sys_admin, end_setup_of_a_dynamic_context) {
	.call = no_cap_end_setup_of_the_dynamic_one,
};

FIXTURE_SETUP(without_cap_sys_admin)
{
	long dyn;

	ASSERT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
	dyn = vs_h_create(VS_XID_ALLOCATE, 0);
	ASSERT_TRUE(is_dynamic(dyn));
	self->t.xid = X_MAIN;
	self->t.dyn = (__u32)dyn;
	vs_h_track(X_NO_CAP);	/* in case CREATE is let through */
}

FIXTURE_TEARDOWN(without_cap_sys_admin)
{
	vs_h_destroy_all();
}

struct no_cap_case {
	long (*call)(const struct no_cap_targets *t);
	const struct no_cap_targets *t;
};

/* In a host child: drops CAP_SYS_ADMIN, then makes the request (the device is open already). */
static void request_without_cap_sys_admin(struct __test_metadata *_metadata, void *arg)
{
	const struct no_cap_case *c = arg;

	EXPECT_EQ(0, vs_drop_cap(CAP_SYS_ADMIN));
	EXPECT_EQ(-EPERM, c->call(c->t));
}

TEST_F_TIMEOUT(without_cap_sys_admin, is_eperm, VS_H_TIMEOUT)
{
	struct no_cap_case c = { variant->call, &self->t };

	vs_h_run(0, VS_F_STAY, request_without_cap_sys_admin, &c, 10000);
}

/* Context @xid is still there as the setup made it: in its setup, no task, no flag. */
static void is_as_made(struct __test_metadata *_metadata, __u32 xid)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(xid, &info)) {
		TH_LOG("context %u is gone", xid);
	}
	EXPECT_EQ((__u32)VS_STATE_SETUP, info.state) {
		TH_LOG("context %u left its setup", xid);
	}
	EXPECT_EQ(0U, info.tasks) {
		TH_LOG("context %u got a task", xid);
	}
	EXPECT_EQ(0ULL, info.flags) {
		TH_LOG("context %u got flags %#llx", xid, (unsigned long long)info.flags);
	}
}

TEST_F_TIMEOUT(without_cap_sys_admin, changes_no_context, VS_H_TIMEOUT)
{
	struct no_cap_case c = { variant->call, &self->t };
	struct vs_context_info info;

	vs_h_run(0, VS_F_STAY, request_without_cap_sys_admin, &c, 10000);
	is_as_made(_metadata, self->t.xid);
	is_as_made(_metadata, self->t.dyn);
	EXPECT_EQ(-ESRCH, vs_info(X_NO_CAP, &info)) {
		TH_LOG("context %u was made", X_NO_CAP);
	}
}

/* ---- GET_INFO right after CREATE ---- */

FIXTURE(new_context) {
	unsigned long long t0, t1;	/* CLOCK_BOOTTIME around the CREATE */
	struct vs_context_info info;
};

FIXTURE_SETUP(new_context)
{
	long r;

	self->t0 = vs_now_ns(CLOCK_BOOTTIME);
	r = vs_h_create(X_MAIN, 0);
	self->t1 = vs_now_ns(CLOCK_BOOTTIME);
	ASSERT_EQ(X_MAIN, r);
}

FIXTURE_TEARDOWN(new_context)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(new_context, get_info_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_info(X_MAIN, &self->info));
}

TEST_F_TIMEOUT(new_context, is_in_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ((__u32)VS_STATE_SETUP, self->info.state);
}

TEST_F_TIMEOUT(new_context, has_no_tasks, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ(0U, self->info.tasks);
}

TEST_F_TIMEOUT(new_context, made_by_the_host_has_parent_0, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ((__u32)VS_XID_HOST, self->info.parent_xid);
}

TEST_F_TIMEOUT(new_context, created_without_flags_has_none, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ(0ULL, self->info.flags);
}

TEST_F_TIMEOUT(new_context, has_no_init_pid, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ(0, (long)self->info.init_pid);
}

TEST_F_TIMEOUT(new_context, has_last_end_0, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_EQ(0U, self->info.last_end);
}

TEST_F_TIMEOUT(new_context, created_ns_is_clock_boottime_at_creation, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_MAIN, &self->info));
	EXPECT_LE(self->t0, self->info.created_ns + 1000000ULL);
	EXPECT_LE(self->info.created_ns, self->t1 + 1000000ULL);
}

/* GET_INFO of an xid that names no context of its own. */
FIXTURE(get_info_of_a_reserved_xid) {
};

FIXTURE_VARIANT(get_info_of_a_reserved_xid) {
	__u32 xid;
};

FIXTURE_VARIANT_ADD(get_info_of_a_reserved_xid, host) {
	.xid = VS_XID_HOST,
};

FIXTURE_VARIANT_ADD(get_info_of_a_reserved_xid, spectator) {
	.xid = VS_XID_SPECTATOR,
};

FIXTURE_VARIANT_ADD(get_info_of_a_reserved_xid, self_from_the_host) {
	.xid = VS_XID_SELF,
};

FIXTURE_SETUP(get_info_of_a_reserved_xid)
{
}

FIXTURE_TEARDOWN(get_info_of_a_reserved_xid)
{
}

TEST_F_TIMEOUT(get_info_of_a_reserved_xid, is_einval, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	EXPECT_EQ(-EINVAL, vs_info(variant->xid, &info));
}

/* ---- an unknown xid ---- */

FIXTURE(unknown_xid) {
};

FIXTURE_VARIANT(unknown_xid) {
	long (*call)(__u32 xid);
	__u32 xid;
};

static long unknown_migrate(__u32 xid)
{
	return vs_migrate(xid);
}

static long unknown_end_setup(__u32 xid)
{
	return vs_end_setup(xid);
}

static long unknown_get_info(__u32 xid)
{
	struct vs_context_info info;

	return vs_info(xid, &info);
}

static long unknown_set_flags(__u32 xid)
{
	return vs_set_flags(xid, VS_CF_PROLIFIC, 0);
}

static long unknown_remove(__u32 xid)
{
	return vs_remove(xid);
}

static long unknown_kill(__u32 xid)
{
	return vs_kill(xid, 0);
}

static long unknown_wait(__u32 xid)
{
	__u32 reason;

	return vs_wait(xid, &reason, 2000);
}

FIXTURE_VARIANT_ADD(unknown_xid, migrate) {
	.call = unknown_migrate, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, end_setup) {
	.call = unknown_end_setup, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, get_info) {
	.call = unknown_get_info, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, set_flags) {
	.call = unknown_set_flags, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, remove) {
	.call = unknown_remove, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, kill) {
	.call = unknown_kill, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, wait) {
	.call = unknown_wait, .xid = X_UNKNOWN,
};

FIXTURE_VARIANT_ADD(unknown_xid, get_info_of_an_unallocated_dynamic_xid) {
	.call = unknown_get_info, .xid = VS_XID_DYNAMIC_MAX,
};

FIXTURE_SETUP(unknown_xid)
{
	ASSERT_LE(0, vs_open());
}

FIXTURE_TEARDOWN(unknown_xid)
{
}

TEST_F_TIMEOUT(unknown_xid, is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, variant->call(variant->xid));
}

/* ---- KILL's signal ---- */

FIXTURE(kill_signal) {
};

FIXTURE_VARIANT(kill_signal) {
	int sig;
	int answer;
};

FIXTURE_VARIANT_ADD(kill_signal, minus_1_is_einval) {
	.sig = -1, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(kill_signal, sig_65_is_einval) {
	.sig = 65, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(kill_signal, sig_0_works) {
	.sig = 0, .answer = 0,
};

FIXTURE_VARIANT_ADD(kill_signal, sig_64_works) {
	.sig = 64, .answer = 0,
};

FIXTURE_SETUP(kill_signal)
{
	ASSERT_EQ(X_LIST0, vs_h_create(X_LIST0, 0));
}

FIXTURE_TEARDOWN(kill_signal)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(kill_signal, answers_as_the_variant_says, VS_H_TIMEOUT)
{
	EXPECT_EQ(variant->answer, vs_kill(X_LIST0, variant->sig));
}

/* ---- MIGRATE, tasks, init_pid, fork inheritance, END_SETUP ---- */

/* What the host did to X_MAIN so far, in this order. */
enum entered_step {
	ONE_TASK_IN,		/* the setup: s1 migrated in */
	SECOND_TASK_IN,		/* s2 migrated in and forked twice */
	FOUR_TASKS,
	SETUP_ENDED,
	THIRD_TASK_IN,		/* s3 migrated in after END_SETUP */
	FIVE_TASKS,
	THIRD_TASK_LEFT,
	INIT_LEFT,		/* s1 exited */
	ALL_LEFT,		/* s2 and its children exited: X_MAIN vanished */
	RECREATED,		/* X_MAIN created again, never entered */
};

FIXTURE(entered) {
	struct vs_sleeper s1, s2, s3;
};

FIXTURE_SETUP(entered)
{
	self->s1.pid = self->s2.pid = self->s3.pid = -1;
	self->s1.release = self->s2.release = self->s3.release = -1;
	vs_become_subreaper();
	ASSERT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
	ASSERT_EQ(0, vs_sleeper_start(&self->s1, X_MAIN, 0, 0));
}

FIXTURE_TEARDOWN(entered)
{
	vs_sleeper_stop(&self->s3, 2000);
	vs_sleeper_stop(&self->s2, 2000);
	vs_sleeper_stop(&self->s1, 2000);
	vs_h_destroy_all();
}

/* Takes X_MAIN from ONE_TASK_IN to @step. */
static void entered_until(struct __test_metadata *_metadata, FIXTURE_DATA(entered) *self,
			  enum entered_step step)
{
	if (step >= SECOND_TASK_IN) {
		ASSERT_EQ(0, vs_sleeper_start(&self->s2, X_MAIN, 2, 0));
	}
	if (step >= FOUR_TASKS) {
		ASSERT_EQ(1, vs_wait_tasks(X_MAIN, 4, 1000));
	}
	if (step >= SETUP_ENDED) {
		ASSERT_EQ(0, vs_end_setup(X_MAIN));
	}
	if (step >= THIRD_TASK_IN) {
		ASSERT_EQ(0, vs_sleeper_start(&self->s3, X_MAIN, 0, 0));
	}
	if (step >= FIVE_TASKS) {
		ASSERT_EQ(1, vs_wait_tasks(X_MAIN, 5, 1000));
	}
	if (step >= THIRD_TASK_LEFT) {
		vs_sleeper_stop(&self->s3, 2000);
		ASSERT_EQ(1, vs_wait_tasks(X_MAIN, 4, 2000));
	}
	if (step >= INIT_LEFT) {
		vs_sleeper_stop(&self->s1, 2000);
		ASSERT_EQ(1, vs_wait_tasks(X_MAIN, 3, 2000));
	}
	if (step >= ALL_LEFT) {
		vs_sleeper_stop(&self->s2, 2000);
		ASSERT_EQ(1, vs_wait_gone(X_MAIN, 2000));
		vs_h_forget(X_MAIN);
	}
	if (step >= RECREATED) {
		ASSERT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
	}
}

TEST_F_TIMEOUT(entered, migrated_child_is_in_the_context, VS_H_TIMEOUT)
{
	EXPECT_EQ(X_MAIN, vs_get_xid(self->s1.pid));
}

TEST_F_TIMEOUT(entered, context_has_one_task, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ(1U, info.tasks);
}

TEST_F_TIMEOUT(entered, first_task_to_enter_is_init_pid, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ(self->s1.pid, (pid_t)info.init_pid);
}

TEST_F_TIMEOUT(entered, host_migrate_leaves_the_context_in_setup, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ((__u32)VS_STATE_SETUP, info.state);
}

TEST_F_TIMEOUT(entered, second_child_enters_and_forks_twice, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_sleeper_start(&self->s2, X_MAIN, 2, 0));
}

TEST_F_TIMEOUT(entered, context_counts_the_forked_children, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, SECOND_TASK_IN);
	EXPECT_EQ(1, vs_wait_tasks(X_MAIN, 4, 1000));
}

TEST_F_TIMEOUT(entered, forked_child_inherits_the_context, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, SECOND_TASK_IN);
	EXPECT_EQ(X_MAIN, vs_get_xid(self->s2.kids[0]));
}

TEST_F_TIMEOUT(entered, another_forked_child_inherits_the_context, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, SECOND_TASK_IN);
	EXPECT_EQ(X_MAIN, vs_get_xid(self->s2.kids[1]));
}

TEST_F_TIMEOUT(entered, init_pid_stays_the_first_task, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	entered_until(_metadata, self, FOUR_TASKS);
	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ(self->s1.pid, (pid_t)info.init_pid);
}

TEST_F_TIMEOUT(entered, test_process_stays_in_the_host_context, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, FOUR_TASKS);
	EXPECT_EQ(VS_XID_HOST, vs_get_xid(0));
}

TEST_F_TIMEOUT(entered, end_setup_from_the_host_works, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, FOUR_TASKS);
	EXPECT_EQ(0, vs_end_setup(X_MAIN));
}

TEST_F_TIMEOUT(entered, context_is_running_after_end_setup, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	entered_until(_metadata, self, SETUP_ENDED);
	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ((__u32)VS_STATE_RUNNING, info.state);
}

TEST_F_TIMEOUT(entered, host_can_still_migrate_a_task_in_after_end_setup, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, SETUP_ENDED);
	EXPECT_EQ(0, vs_sleeper_start(&self->s3, X_MAIN, 0, 0));
}

TEST_F_TIMEOUT(entered, context_counts_the_task_that_entered_after_end_setup, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, THIRD_TASK_IN);
	EXPECT_EQ(1, vs_wait_tasks(X_MAIN, 5, 1000));
}

TEST_F_TIMEOUT(entered, task_count_drops_when_a_task_exits, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, FIVE_TASKS);
	vs_sleeper_stop(&self->s3, 2000);
	EXPECT_EQ(1, vs_wait_tasks(X_MAIN, 4, 2000));
}

TEST_F_TIMEOUT(entered, task_count_drops_when_init_exits, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, THIRD_TASK_LEFT);
	vs_sleeper_stop(&self->s1, 2000);
	EXPECT_EQ(1, vs_wait_tasks(X_MAIN, 3, 2000));
}

TEST_F_TIMEOUT(entered, init_pid_is_0_once_init_is_gone, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	entered_until(_metadata, self, INIT_LEFT);
	ASSERT_EQ(0, vs_info(X_MAIN, &info));
	EXPECT_EQ(0, (long)info.init_pid);
}

TEST_F_TIMEOUT(entered, non_persistent_context_vanishes_after_its_last_task, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, INIT_LEFT);
	vs_sleeper_stop(&self->s2, 2000);
	EXPECT_EQ(1, vs_wait_gone(X_MAIN, 2000));
}

TEST_F_TIMEOUT(entered, get_info_of_the_vanished_context_is_esrch, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	entered_until(_metadata, self, ALL_LEFT);
	EXPECT_EQ(-ESRCH, vs_info(X_MAIN, &info));
}

TEST_F_TIMEOUT(entered, xid_of_the_vanished_context_can_be_created_again, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, ALL_LEFT);
	EXPECT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
}

TEST_F_TIMEOUT(entered, recreated_never_entered_context_can_be_removed, VS_H_TIMEOUT)
{
	entered_until(_metadata, self, RECREATED);
	EXPECT_EQ(0, vs_remove(X_MAIN));
	if (vs_wait_gone(X_MAIN, 2000))
		vs_h_forget(X_MAIN);
}

static int is_spectator(void *arg)
{
	(void)arg;
	return vs_get_xid(0) == VS_XID_SPECTATOR ? 0 : 1;
}

TEST(host_child_migrating_into_xid_1_is_a_spectator)
{
	EXPECT_EQ(0, vs_run_in_context(VS_XID_SPECTATOR, 0, is_spectator, NULL, 5000));
}

TEST(migrate_into_xid_0_is_einval)
{
	EXPECT_EQ(-EINVAL, vs_migrate(VS_XID_HOST));
}

/* ---- a persistent context, REMOVE, WAIT on an empty context ---- */

FIXTURE(persistent) {
	struct vs_sleeper sp;
};

FIXTURE_SETUP(persistent)
{
	self->sp.pid = -1;
	self->sp.release = -1;
	vs_become_subreaper();
	ASSERT_EQ(X_PERSIST, vs_h_create(X_PERSIST, VS_CF_PERSISTENT));
	/* A child enters it and ends its setup. */
	ASSERT_EQ(0, vs_sleeper_start(&self->sp, X_PERSIST, 0, VS_F_END_SETUP));
}

FIXTURE_TEARDOWN(persistent)
{
	vs_sleeper_stop(&self->sp, 2000);
	vs_h_destroy_all();
}

/* Its task exits; waits for the count to drop and a while longer. */
static void persistent_task_leaves(struct __test_metadata *_metadata,
				   FIXTURE_DATA(persistent) *self)
{
	vs_sleeper_stop(&self->sp, 2000);
	ASSERT_EQ(1, vs_wait_tasks(X_PERSIST, 0, 2000));
	vs_msleep(300);	/* time to vanish, were it not persistent */
}

TEST_F_TIMEOUT(persistent, runs_once_its_task_ended_its_setup, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(X_PERSIST, &info));
	EXPECT_EQ((__u32)VS_STATE_RUNNING, info.state);
}

TEST_F_TIMEOUT(persistent, remove_with_a_task_is_ebusy, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EBUSY, vs_remove(X_PERSIST));
}

TEST_F_TIMEOUT(persistent, task_count_drops_to_0_when_its_task_exits, VS_H_TIMEOUT)
{
	vs_sleeper_stop(&self->sp, 2000);
	EXPECT_EQ(1, vs_wait_tasks(X_PERSIST, 0, 2000));
}

TEST_F_TIMEOUT(persistent, stays_without_tasks, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	persistent_task_leaves(_metadata, self);
	EXPECT_EQ(0, vs_info(X_PERSIST, &info));
}

TEST_F_TIMEOUT(persistent, last_end_is_exit, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	persistent_task_leaves(_metadata, self);
	ASSERT_EQ(0, vs_info(X_PERSIST, &info));
	EXPECT_EQ((__u32)VS_END_EXIT, info.last_end);
}

TEST_F_TIMEOUT(persistent, wait_without_tasks_returns, VS_H_TIMEOUT)
{
	__u32 reason;

	persistent_task_leaves(_metadata, self);
	EXPECT_EQ(0, vs_wait(X_PERSIST, &reason, 2000));
}

TEST_F_TIMEOUT(persistent, wait_without_tasks_gives_last_end, VS_H_TIMEOUT)
{
	__u32 reason = 0;

	persistent_task_leaves(_metadata, self);
	ASSERT_EQ(0, vs_wait(X_PERSIST, &reason, 2000));
	EXPECT_EQ((__u32)VS_END_EXIT, reason);
}

TEST_F_TIMEOUT(persistent, remove_without_tasks_works, VS_H_TIMEOUT)
{
	persistent_task_leaves(_metadata, self);
	EXPECT_EQ(0, vs_remove(X_PERSIST));
}

TEST_F_TIMEOUT(persistent, removed_context_is_gone, VS_H_TIMEOUT)
{
	persistent_task_leaves(_metadata, self);
	ASSERT_EQ(0, vs_remove(X_PERSIST));
	EXPECT_EQ(1, vs_wait_gone(X_PERSIST, 2000));
}

/* ---- WAIT: interrupted, and blocking until the last task ends ---- */

FIXTURE(wait_interrupted) {
	struct vs_sleeper se;
};

FIXTURE_SETUP(wait_interrupted)
{
	self->se.pid = -1;
	self->se.release = -1;
	vs_become_subreaper();
	ASSERT_EQ(X_EINTR, vs_h_create(X_EINTR, 0));
	ASSERT_EQ(0, vs_sleeper_start(&self->se, X_EINTR, 0, 0));
}

FIXTURE_TEARDOWN(wait_interrupted)
{
	vs_sleeper_stop(&self->se, 2000);
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(wait_interrupted, by_a_signal_is_eintr, VS_H_TIMEOUT)
{
	__u32 reason;

	EXPECT_EQ(-EINTR, vs_wait(X_EINTR, &reason, 100));
}

TEST_F_TIMEOUT(wait_interrupted, context_vanishes_after_its_task, VS_H_TIMEOUT)
{
	__u32 reason;

	vs_wait(X_EINTR, &reason, 100);
	vs_sleeper_stop(&self->se, 2000);
	EXPECT_EQ(1, vs_wait_gone(X_EINTR, 2000));
}

static int sleep_300ms_exit_7(void *arg)
{
	(void)arg;
	vs_msleep(300);
	return 7;
}

FIXTURE(wait_blocking) {
	pid_t nanny;	/* reaps the task in X_WAIT; -1 once reaped */
};

FIXTURE_SETUP(wait_blocking)
{
	self->nanny = -1;
	vs_become_subreaper();
	ASSERT_EQ(X_WAIT, vs_h_create(X_WAIT, 0));
	/* A task enters it for 300 ms. */
	self->nanny = vs_nanny_spawn(X_WAIT, 0, sleep_300ms_exit_7, NULL);
	ASSERT_LT(0, self->nanny);
}

FIXTURE_TEARDOWN(wait_blocking)
{
	vs_h_destroy_all();
	if (self->nanny > 0)
		vs_waitpid(self->nanny, NULL, 2000);
}

/* The nanny's exit code: the task's. */
static int nanny_status(FIXTURE_DATA(wait_blocking) *self)
{
	int st = vs_child_status(self->nanny, 5000);

	self->nanny = -1;
	return st;
}

TEST_F_TIMEOUT(wait_blocking, returns_once_the_task_exits, VS_H_TIMEOUT)
{
	__u32 reason;

	EXPECT_EQ(0, vs_wait(X_WAIT, &reason, 5000));
}

TEST_F_TIMEOUT(wait_blocking, gives_reason_exit, VS_H_TIMEOUT)
{
	__u32 reason = 0;

	ASSERT_EQ(0, vs_wait(X_WAIT, &reason, 5000));
	EXPECT_EQ((__u32)VS_END_EXIT, reason);
}

TEST_F_TIMEOUT(wait_blocking, lets_the_task_run_to_its_end, VS_H_TIMEOUT)
{
	__u32 reason;

	ASSERT_EQ(0, vs_wait(X_WAIT, &reason, 5000));
	EXPECT_EQ(7, nanny_status(self));
}

TEST_F_TIMEOUT(wait_blocking, context_vanishes_after_it, VS_H_TIMEOUT)
{
	__u32 reason;

	ASSERT_EQ(0, vs_wait(X_WAIT, &reason, 5000));
	nanny_status(self);
	EXPECT_EQ(1, vs_wait_gone(X_WAIT, 2000));
}

/* ---- SET_FLAGS ---- */

FIXTURE(set_flags) {
};

FIXTURE_SETUP(set_flags)
{
	ASSERT_EQ(X_FLAGS, vs_h_create(X_FLAGS, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(set_flags)
{
	vs_h_destroy_all();
}

static __u64 flags_of(__u32 xid)
{
	struct vs_context_info info;

	if (vs_info(xid, &info))
		return ~0ULL;
	return info.flags;
}

TEST_F_TIMEOUT(set_flags, sets_prolific, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_set_flags(X_FLAGS, VS_CF_PROLIFIC, 0));
}

TEST_F_TIMEOUT(set_flags, flags_are_persistent_and_prolific_after_setting_it, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_set_flags(X_FLAGS, VS_CF_PROLIFIC, 0));
	EXPECT_EQ((__u64)CF_BOTH, flags_of(X_FLAGS));
}

TEST_F_TIMEOUT(set_flags, clears_prolific, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_set_flags(X_FLAGS, VS_CF_PROLIFIC, 0));
	EXPECT_EQ(0, vs_set_flags(X_FLAGS, 0, VS_CF_PROLIFIC));
}

TEST_F_TIMEOUT(set_flags, flags_are_persistent_after_clearing_prolific, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_set_flags(X_FLAGS, VS_CF_PROLIFIC, 0));
	ASSERT_EQ(0, vs_set_flags(X_FLAGS, 0, VS_CF_PROLIFIC));
	EXPECT_EQ((__u64)VS_CF_PERSISTENT, flags_of(X_FLAGS));
}

TEST_F_TIMEOUT(set_flags, clears_persistent_of_a_context_without_tasks, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_set_flags(X_FLAGS, 0, VS_CF_PERSISTENT));
}

TEST_F_TIMEOUT(set_flags, clearing_persistent_of_a_context_without_tasks_destroys_it,
	       VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_set_flags(X_FLAGS, 0, VS_CF_PERSISTENT));
	EXPECT_EQ(1, vs_wait_gone(X_FLAGS, 2000));
}

/* Each variant: a SET_FLAGS request the module must refuse with EINVAL. */
FIXTURE(bad_set_flags) {
};

FIXTURE_VARIANT(bad_set_flags) {
	__u64 set, clear;
};

FIXTURE_VARIANT_ADD(bad_set_flags, setting_bit_5) {
	.set = 1ULL << 5, .clear = 0,
};

FIXTURE_VARIANT_ADD(bad_set_flags, clearing_bit_40) {
	.set = 0, .clear = 1ULL << 40,
};

FIXTURE_VARIANT_ADD(bad_set_flags, setting_and_clearing_persistent) {
	.set = VS_CF_PERSISTENT, .clear = VS_CF_PERSISTENT,
};

FIXTURE_SETUP(bad_set_flags)
{
	ASSERT_EQ(X_FLAGS, vs_h_create(X_FLAGS, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(bad_set_flags)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(bad_set_flags, is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, vs_set_flags(X_FLAGS, variant->set, variant->clear));
}

/* ---- LIST ---- */

#define LIST_MADE 3

FIXTURE(list) {
	long total;	/* what LIST must count: the contexts before and ours */
	__u32 buf[4096];
};

FIXTURE_SETUP(list)
{
	long base = vs_list_total();
	int i;

	ASSERT_LE(0, base);
	for (i = 0; i < LIST_MADE; i++)
		ASSERT_EQ(X_LIST0 + i, vs_h_create(X_LIST0 + i, 0));
	self->total = base + LIST_MADE;
	ASSERT_GE((long)(sizeof(self->buf) / sizeof(self->buf[0])), self->total);
}

FIXTURE_TEARDOWN(list)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(list, total_counts_the_contexts_of_the_test, VS_H_TIMEOUT)
{
	EXPECT_EQ(self->total, vs_list_total());
}

TEST_F_TIMEOUT(list, room_for_exactly_total_writes_total_entries, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(self->total, vs_list(self->buf, (__u32)self->total, &total));
}

TEST_F_TIMEOUT(list, names_every_context_of_the_test, VS_H_TIMEOUT)
{
	__u32 total;
	long n = vs_list(self->buf, (__u32)self->total, &total);
	int i, found = 0;
	long j;

	ASSERT_LT(0, n);
	for (i = 0; i < LIST_MADE; i++)
		for (j = 0; j < n; j++)
			if (self->buf[j] == (__u32)(X_LIST0 + i)) {
				found++;
				break;
			}
	EXPECT_EQ(LIST_MADE, found);
}

TEST_F_TIMEOUT(list, room_for_total_minus_1_is_e2big, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(-E2BIG, vs_list(self->buf, (__u32)self->total - 1, &total));
}

TEST_F_TIMEOUT(list, e2big_still_writes_total, VS_H_TIMEOUT)
{
	__u32 total = 0;

	ASSERT_EQ(-E2BIG, vs_list(self->buf, (__u32)self->total - 1, &total));
	EXPECT_EQ(self->total, (long)total);
}

TEST_F_TIMEOUT(list, count_0_is_e2big, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(-E2BIG, vs_list(self->buf, 0, &total));
}

TEST_F_TIMEOUT(list, count_0_still_writes_total, VS_H_TIMEOUT)
{
	__u32 total = 0;

	ASSERT_EQ(-E2BIG, vs_list(self->buf, 0, &total));
	EXPECT_EQ(self->total, (long)total);
}

TEST_F_TIMEOUT(list, into_a_null_array_is_efault, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(-EFAULT, vs_list(NULL, 16, &total));
}

TEST_F_TIMEOUT(list, into_a_kernel_address_is_efault, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(-EFAULT, vs_list(KERNEL_ADDR, 16, &total));
}

TEST_F_TIMEOUT(list, count_0xffffffff_writes_total_entries, VS_H_TIMEOUT)
{
	__u32 total;

	EXPECT_EQ(self->total, vs_list(self->buf, 0xffffffffU, &total));
}

/* ---- multi-threaded MIGRATE (in a host child) ---- */

struct second_thread {
	pthread_t t;
	int pipe[2];	/* the thread ends when the write end is closed */
};

static void *second_thread_fn(void *arg)
{
	struct second_thread *st = arg;
	char c;

	while (read(st->pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int second_thread_start(struct second_thread *st)
{
	if (pipe(st->pipe))
		return -errno;
	return -pthread_create(&st->t, NULL, second_thread_fn, st);
}

/* Ends and joins the thread, then MIGRATEs: the thread may take a moment to be released. */
static long migrate_after_the_thread_ended(struct second_thread *st)
{
	long r = -EBUSY;
	int i;

	close(st->pipe[1]);
	pthread_join(st->t, NULL);
	for (i = 0; i < 100; i++) {
		r = vs_migrate(X_THREAD);
		if (r != -EBUSY)
			break;
		vs_msleep(10);
	}
	return r;
}

static void two_threads_migrate(struct __test_metadata *_metadata, void *arg)
{
	struct second_thread st;
	int r = second_thread_start(&st);

	(void)arg;
	EXPECT_EQ(0, r);
	if (r)
		return;
	EXPECT_EQ(-EBUSY, vs_migrate(X_THREAD));
	migrate_after_the_thread_ended(&st);
}

static void one_thread_left_migrates(struct __test_metadata *_metadata, void *arg)
{
	struct second_thread st;
	int r = second_thread_start(&st);

	(void)arg;
	EXPECT_EQ(0, r);
	if (r)
		return;
	vs_migrate(X_THREAD);
	EXPECT_EQ(0, migrate_after_the_thread_ended(&st));
}

static void one_thread_left_is_in_the_context(struct __test_metadata *_metadata, void *arg)
{
	struct second_thread st;
	int r = second_thread_start(&st);

	(void)arg;
	EXPECT_EQ(0, r);
	if (r)
		return;
	vs_migrate(X_THREAD);
	r = migrate_after_the_thread_ended(&st);
	EXPECT_EQ(0, r);
	if (!r) {
		EXPECT_EQ(X_THREAD, vs_get_xid(0));
	}
}

FIXTURE(threaded_migrate) {
};

FIXTURE_SETUP(threaded_migrate)
{
	vs_become_subreaper();
	ASSERT_EQ(X_THREAD, vs_h_create(X_THREAD, 0));
}

FIXTURE_TEARDOWN(threaded_migrate)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(threaded_migrate, of_a_two_threaded_process_is_ebusy, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, two_threads_migrate, NULL, 10000);
}

TEST_F_TIMEOUT(threaded_migrate, works_once_the_second_thread_ended, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, one_thread_left_migrates, NULL, 10000);
}

TEST_F_TIMEOUT(threaded_migrate, puts_the_process_in_the_context, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, one_thread_left_is_in_the_context, NULL, 10000);
}

TEST_F_TIMEOUT(threaded_migrate, context_vanishes_after_that_process, VS_H_TIMEOUT)
{
	vs_h_run(0, VS_F_STAY, one_thread_left_migrates, NULL, 10000);
	EXPECT_EQ(1, vs_wait_gone(X_THREAD, 2000));
}

/* ---- everything removed ---- */

FIXTURE(cleanup) {
	long base;	/* LIST total before the test made anything */
};

FIXTURE_SETUP(cleanup)
{
	ASSERT_LE(0, vs_open());
	self->base = vs_list_total();
	ASSERT_LE(0, self->base);
	vs_become_subreaper();
}

FIXTURE_TEARDOWN(cleanup)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(cleanup, list_total_is_back_once_the_contexts_are_removed, VS_H_TIMEOUT)
{
	struct vs_sleeper s;
	long dyn;

	ASSERT_EQ(X_MAIN, vs_h_create(X_MAIN, 0));
	ASSERT_EQ(X_PERSIST, vs_h_create(X_PERSIST, VS_CF_PERSISTENT));
	dyn = vs_h_create(VS_XID_ALLOCATE, CF_BOTH);
	ASSERT_TRUE(is_dynamic(dyn));
	ASSERT_EQ(0, vs_sleeper_start(&s, X_MAIN, 1, 0));
	vs_sleeper_release(&s);
	vs_h_destroy_all();
	vs_reap_all(2000);
	EXPECT_EQ(self->base, vs_wait_list_total(self->base, 2000));
}

TEST_HARNESS_MAIN
