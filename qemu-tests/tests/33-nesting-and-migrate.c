// SPDX-License-Identifier: GPL-2.0
/*
 * Guests creating and entering contexts. A guest without VS_CF_PROLIFIC
 * cannot create contexts; a prolific one can, and its tasks may enter such a
 * child context while it is in SETUP, not after END_SETUP. A guest can never
 * migrate into 0, 1, a sibling or a context it did not create; it sees only
 * its own context (GET_INFO, LIST) and the host-only ioctls answer EPERM.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "../lib/harness.h"

#define X_A		3301	/* a plain guest */
#define X_P		3302	/* a prolific guest */
#define X_S		3303	/* made by the host, left in SETUP */
#define X_Q		3311	/* made by P (persistent) */
#define X_REFUSED	3320	/* A may not create it */

#define GUEST_MS	20000

static int is_dynamic(long xid)
{
	return xid >= VS_XID_DYNAMIC_MIN && xid <= VS_XID_DYNAMIC_MAX;
}

/* A, P and S as the host makes them; the teardown removes them. */
static void make_guests(struct __test_metadata *_metadata)
{
	vs_become_subreaper();
	ASSERT_EQ(X_A, vs_h_create(X_A, VS_CF_PERSISTENT));
	ASSERT_EQ(X_P, vs_h_create(X_P, VS_CF_PROLIFIC | VS_CF_PERSISTENT));
	ASSERT_EQ(X_S, vs_h_create(X_S, 0));
}

TEST(device_opens)
{
	EXPECT_LE(0, vs_open()) {
		TH_LOG("%s: %s", VS_DEVICE_PATH, strerror(errno));
	}
}

/* ---- a task of plain guest A ---- */

FIXTURE(plain_guest) {
};

FIXTURE_SETUP(plain_guest)
{
	make_guests(_metadata);
}

FIXTURE_TEARDOWN(plain_guest)
{
	vs_h_destroy_all();
}

/* In A: ends A's setup; 1 if that worked. */
static int a_ends_its_setup(struct __test_metadata *_metadata)
{
	int r = vs_end_setup(X_A);

	EXPECT_EQ(0, r);
	return !r;
}

static void in_a_end_setup(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	a_ends_its_setup(_metadata);
}

static void in_a_get_xid(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	if (a_ends_its_setup(_metadata)) {
		EXPECT_EQ(X_A, vs_get_xid(0));
	}
}

enum { LIST_ENTRIES, LIST_TOTAL, LIST_ENTRY };

static void in_a_list(struct __test_metadata *_metadata, void *arg)
{
	__u32 xids[8] = { 0 }, total = 0;
	int what = *(int *)arg;
	long r;

	if (!a_ends_its_setup(_metadata))
		return;
	r = vs_list(xids, 8, &total);
	switch (what) {
	case LIST_ENTRIES:
		EXPECT_EQ(1, r);
		break;
	case LIST_TOTAL:
		EXPECT_EQ(1U, total);
		break;
	default:
		EXPECT_EQ((__u32)X_A, xids[0]);
	}
}

enum { INFO_SELF_WORKS, INFO_PARENT, INFO_STATE, INFO_OWN_XID_WORKS };

static void in_a_info(struct __test_metadata *_metadata, void *arg)
{
	struct vs_context_info info;
	int what = *(int *)arg;

	if (!a_ends_its_setup(_metadata))
		return;
	switch (what) {
	case INFO_SELF_WORKS:
		EXPECT_EQ(0, vs_info(VS_XID_SELF, &info));
		break;
	case INFO_PARENT:
		EXPECT_EQ(0, vs_info(VS_XID_SELF, &info));
		EXPECT_EQ((__u32)VS_XID_HOST, info.parent_xid);
		break;
	case INFO_STATE:
		EXPECT_EQ(0, vs_info(VS_XID_SELF, &info));
		EXPECT_EQ((__u32)VS_STATE_RUNNING, info.state);
		break;
	default:
		EXPECT_EQ(0, vs_info(X_A, &info));
	}
}

TEST_F_TIMEOUT(plain_guest, task_in_a_ends_its_setup, VS_H_TIMEOUT)
{
	vs_h_run(X_A, 0, in_a_end_setup, NULL, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, get_xid_in_a_is_a, VS_H_TIMEOUT)
{
	vs_h_run(X_A, 0, in_a_get_xid, NULL, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, list_in_a_writes_one_entry, VS_H_TIMEOUT)
{
	int what = LIST_ENTRIES;

	vs_h_run(X_A, 0, in_a_list, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, list_total_in_a_is_1, VS_H_TIMEOUT)
{
	int what = LIST_TOTAL;

	vs_h_run(X_A, 0, in_a_list, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, list_entry_in_a_is_a_itself, VS_H_TIMEOUT)
{
	int what = LIST_ENTRY;

	vs_h_run(X_A, 0, in_a_list, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, get_info_of_self_in_a_works, VS_H_TIMEOUT)
{
	int what = INFO_SELF_WORKS;

	vs_h_run(X_A, 0, in_a_info, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, parent_of_a_is_the_host, VS_H_TIMEOUT)
{
	int what = INFO_PARENT;

	vs_h_run(X_A, 0, in_a_info, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, a_is_running_once_its_setup_ended, VS_H_TIMEOUT)
{
	int what = INFO_STATE;

	vs_h_run(X_A, 0, in_a_info, &what, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest, get_info_of_its_own_xid_in_a_works, VS_H_TIMEOUT)
{
	int what = INFO_OWN_XID_WORKS;

	vs_h_run(X_A, 0, in_a_info, &what, GUEST_MS);
}

/* What a task of A may not do. */
static long a_create(void)
{
	return vs_create(X_REFUSED, 0);
}

static long a_create_allocate(void)
{
	return vs_create(VS_XID_ALLOCATE, 0);
}

static long a_get_info_of_p(void)
{
	struct vs_context_info info;

	return vs_info(X_P, &info);
}

static long a_get_info_of_s(void)
{
	struct vs_context_info info;

	return vs_info(X_S, &info);
}

static long a_get_info_of_0(void)
{
	struct vs_context_info info;

	return vs_info(VS_XID_HOST, &info);
}

static long a_get_info_of_1(void)
{
	struct vs_context_info info;

	return vs_info(VS_XID_SPECTATOR, &info);
}

static long a_migrate_into_0(void)
{
	return vs_migrate(VS_XID_HOST);
}

static long a_migrate_into_1(void)
{
	return vs_migrate(VS_XID_SPECTATOR);
}

static long a_migrate_into_p(void)
{
	return vs_migrate(X_P);
}

static long a_migrate_into_s(void)
{
	return vs_migrate(X_S);
}

static long a_end_setup_of_s(void)
{
	return vs_end_setup(X_S);
}

static long a_set_flags_on_itself(void)
{
	return vs_set_flags(X_A, VS_CF_PROLIFIC, 0);
}

static long a_remove(void)
{
	return vs_remove(X_S);
}

static long a_kill_itself(void)
{
	return vs_kill(X_A, 0);
}

static long a_wait(void)
{
	__u32 reason;

	return vs_wait(X_S, &reason, 1000);
}

FIXTURE(plain_guest_refuses) {
};

FIXTURE_VARIANT(plain_guest_refuses) {
	long (*call)(void);
	long answer;
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, create_with_eperm) {
	.call = a_create, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, create_allocate_with_eperm) {
	.call = a_create_allocate, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, get_info_of_sibling_p_with_esrch) {
	.call = a_get_info_of_p, .answer = -ESRCH,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, get_info_of_host_made_s_with_esrch) {
	.call = a_get_info_of_s, .answer = -ESRCH,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, get_info_of_xid_0_with_einval) {
	.call = a_get_info_of_0, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, get_info_of_xid_1_with_einval) {
	.call = a_get_info_of_1, .answer = -EINVAL,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, migrate_into_0_with_eperm) {
	.call = a_migrate_into_0, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, migrate_into_1_with_eperm) {
	.call = a_migrate_into_1, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, migrate_into_sibling_p_with_eperm) {
	.call = a_migrate_into_p, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, migrate_into_host_made_s_in_setup_with_eperm) {
	.call = a_migrate_into_s, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, end_setup_of_s_with_eperm) {
	.call = a_end_setup_of_s, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, set_flags_on_itself_with_eperm) {
	.call = a_set_flags_on_itself, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, remove_with_eperm) {
	.call = a_remove, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, kill_of_itself_with_eperm) {
	.call = a_kill_itself, .answer = -EPERM,
};

FIXTURE_VARIANT_ADD(plain_guest_refuses, wait_with_eperm) {
	.call = a_wait, .answer = -EPERM,
};

FIXTURE_SETUP(plain_guest_refuses)
{
	make_guests(_metadata);
	vs_h_track(X_REFUSED);	/* in case CREATE is let through */
}

FIXTURE_TEARDOWN(plain_guest_refuses)
{
	vs_h_destroy_all();
}

struct a_call {
	long (*call)(void);
	long answer;
};

static void in_a_call(struct __test_metadata *_metadata, void *arg)
{
	const struct a_call *c = arg;

	if (a_ends_its_setup(_metadata)) {
		EXPECT_EQ(c->answer, c->call());
	}
}

static void in_a_call_stays(struct __test_metadata *_metadata, void *arg)
{
	const struct a_call *c = arg;

	if (!a_ends_its_setup(_metadata))
		return;
	c->call();
	EXPECT_EQ(X_A, vs_get_xid(0));
}

TEST_F_TIMEOUT(plain_guest_refuses, the_request, VS_H_TIMEOUT)
{
	struct a_call c = { variant->call, variant->answer };

	vs_h_run(X_A, 0, in_a_call, &c, GUEST_MS);
}

TEST_F_TIMEOUT(plain_guest_refuses, and_leaves_the_task_in_a, VS_H_TIMEOUT)
{
	struct a_call c = { variant->call, variant->answer };

	vs_h_run(X_A, 0, in_a_call_stays, &c, GUEST_MS);
}

/* ---- a task of prolific guest P ---- */

struct report {
	long mig, xid, info;
	__u32 parent, state;
};

/*
 * Forks a child of the caller that MIGRATEs into @xid and reports; if it got
 * in, it stays until *@release is closed. Returns the child's pid (0: failed).
 */
static pid_t enter_and_report(__u32 xid, struct report *rep, int *release)
{
	int ready[2], rel[2];
	pid_t pid;

	memset(rep, 0xa5, sizeof(*rep));	/* poison: fields it does not fill */
	rep->mig = rep->xid = rep->info = -EPIPE;
	*release = -1;
	if (pipe(ready))
		return 0;
	if (pipe(rel)) {
		close(ready[0]);
		close(ready[1]);
		return 0;
	}
	pid = vs_fork();
	if (pid == 0) {
		struct vs_context_info info;

		close(ready[0]);
		close(rel[1]);
		rep->mig = vs_migrate(xid);
		if (!rep->mig) {
			rep->xid = vs_get_xid(0);
			rep->info = vs_info(VS_XID_SELF, &info);
			rep->parent = info.parent_xid;
			rep->state = info.state;
		}
		if (write(ready[1], rep, sizeof(*rep)) != (ssize_t)sizeof(*rep))
			_exit(3);
		close(ready[1]);
		if (rep->mig)
			_exit(1);
		vs_sleeper_block(rel[0]);
		_exit(0);
	}
	close(ready[1]);
	close(rel[0]);
	if (pid < 0 || read(ready[0], rep, sizeof(*rep)) != (ssize_t)sizeof(*rep)) {
		close(ready[0]);
		close(rel[1]);
		return 0;
	}
	close(ready[0]);
	vs_private_add(rel[1]);
	*release = rel[1];
	return pid;
}

/* The checks made in P, in the order P makes them. */
enum p_check {
	P_NOTHING,		/* only enter P */
	P_GET_XID,
	P_CREATES_Q,
	P_CREATE_Q_AGAIN,
	P_CREATE_0,
	P_ALLOCATES,
	P_CHILD_ENTERS_Q,
	Q_CHILD_IS_IN_Q,
	Q_GET_INFO_SELF,
	Q_PARENT,
	Q_STATE,
	P_GET_XID_OF_CHILD_IN_Q,
	P_KILL_0_CHILD_IN_Q,
	P_KILL_Q,
	P_REMOVE_Q,
	P_SET_FLAGS_Q,
	P_END_SETUP_Q,
	P_CHILD_INTO_Q_AFTER_END_SETUP,
	P_CHILD_INTO_S,
	P_CHILD_INTO_A,
	P_MIGRATE_0,
	P_MIGRATE_1,
	P_GET_INFO_A,
	P_END_SETUP_P,
	P_GET_INFO_SELF,
	P_FLAGS,
	P_PARENT,
	P_STATE,
	P_STILL_IN_P,
	P_EVERYTHING,		/* every step, no check of its own */
};

struct p_case {
	enum p_check check;
	long *dyn;		/* shared: the dynamic context P made */
};

#define P_RELEASES 4

/*
 * A check made only when it is the case's (or every step is made): the
 * answer must be @want.
 */
#define P_ONLY(id, want, got)							\
	do {									\
		if (c->check == (id)) {						\
			EXPECT_EQ((long)(want), (long)(got));			\
			goto out;						\
		}								\
		if (c->check >= P_STILL_IN_P)					\
			(void)(got);						\
	} while (0)

/* A step the later ones need: its answer must be @want, and is checked if it is the case's. */
#define P_STEP(id, want, got)							\
	do {									\
		long __got = (long)(got);					\
		if (c->check == (id) || __got != (long)(want)) {		\
			EXPECT_EQ((long)(want), __got);				\
			goto out;						\
		}								\
	} while (0)

/* In P (entered by vs_h_run()): the steps up to the case's check. */
static void in_p(struct __test_metadata *_metadata, void *arg)
{
	const struct p_case *c = arg;
	int rel[P_RELEASES] = { -1, -1, -1, -1 };
	struct vs_context_info info;
	struct report rep;
	pid_t q1;
	long dyn;
	int i;

	if (c->check == P_NOTHING)
		return;
	P_ONLY(P_GET_XID, X_P, vs_get_xid(0));
	P_STEP(P_CREATES_Q, X_Q, vs_create(X_Q, VS_CF_PERSISTENT));
	P_ONLY(P_CREATE_Q_AGAIN, -EEXIST, vs_create(X_Q, 0));
	P_ONLY(P_CREATE_0, -EINVAL, vs_create(VS_XID_HOST, 0));
	dyn = vs_create(VS_XID_ALLOCATE, 0);
	*c->dyn = dyn;
	P_STEP(P_ALLOCATES, 1, is_dynamic(dyn));

	q1 = enter_and_report(X_Q, &rep, &rel[0]);
	P_STEP(P_CHILD_ENTERS_Q, 0, rep.mig);
	P_ONLY(Q_CHILD_IS_IN_Q, X_Q, rep.xid);
	P_ONLY(Q_GET_INFO_SELF, 0, rep.info);
	P_ONLY(Q_PARENT, X_P, rep.parent);
	P_ONLY(Q_STATE, VS_STATE_SETUP, rep.state);
	P_ONLY(P_GET_XID_OF_CHILD_IN_Q, -ESRCH, q1 > 0 ? vs_get_xid(q1) : -ECHILD);
	P_ONLY(P_KILL_0_CHILD_IN_Q, -ESRCH, VS_ERR(kill(q1 > 0 ? q1 : 0x3ffffff0, 0)));
	P_ONLY(P_KILL_Q, -EPERM, vs_kill(X_Q, 0));
	P_ONLY(P_REMOVE_Q, -EPERM, vs_remove(X_Q));
	P_ONLY(P_SET_FLAGS_Q, -EPERM, vs_set_flags(X_Q, 0, VS_CF_PERSISTENT));
	P_STEP(P_END_SETUP_Q, 0, vs_end_setup(X_Q));

	P_ONLY(P_CHILD_INTO_Q_AFTER_END_SETUP, -EPERM,
	       (enter_and_report(X_Q, &rep, &rel[1]), rep.mig));
	P_ONLY(P_CHILD_INTO_S, -EPERM, (enter_and_report(X_S, &rep, &rel[2]), rep.mig));
	P_ONLY(P_CHILD_INTO_A, -EPERM, (enter_and_report(X_A, &rep, &rel[3]), rep.mig));
	P_ONLY(P_MIGRATE_0, -EPERM, vs_migrate(VS_XID_HOST));
	P_ONLY(P_MIGRATE_1, -EPERM, vs_migrate(VS_XID_SPECTATOR));
	P_ONLY(P_GET_INFO_A, -ESRCH, vs_info(X_A, &info));
	P_STEP(P_END_SETUP_P, 0, vs_end_setup(X_P));
	P_STEP(P_GET_INFO_SELF, 0, vs_info(VS_XID_SELF, &info));
	P_ONLY(P_FLAGS, VS_CF_PROLIFIC | VS_CF_PERSISTENT, info.flags);
	P_ONLY(P_PARENT, VS_XID_HOST, info.parent_xid);
	P_ONLY(P_STATE, VS_STATE_RUNNING, info.state);
	P_ONLY(P_STILL_IN_P, X_P, vs_get_xid(0));
out:
	/* Q's task and the failed ones exit; the test process (subreaper) reaps them. */
	for (i = 0; i < P_RELEASES; i++)
		if (rel[i] >= 0)
			vs_private_close(rel[i]);
}

FIXTURE(prolific_guest) {
	long *dyn;	/* shared with the task in P */
};

FIXTURE_SETUP(prolific_guest)
{
	self->dyn = mmap(NULL, sizeof(*self->dyn), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->dyn);
	*self->dyn = -1;
	make_guests(_metadata);
	vs_h_track(X_Q);	/* made by P: removed before P */
}

FIXTURE_TEARDOWN(prolific_guest)
{
	if (self->dyn && self->dyn != MAP_FAILED && is_dynamic(*self->dyn))
		vs_h_track((__u32)*self->dyn);
	vs_h_destroy_all();
	if (self->dyn && self->dyn != MAP_FAILED)
		munmap(self->dyn, sizeof(*self->dyn));
}

static void p_checks(struct __test_metadata *_metadata, FIXTURE_DATA(prolific_guest) *self,
		     enum p_check check)
{
	struct p_case c = { check, self->dyn };

	vs_h_run(X_P, 0, in_p, &c, GUEST_MS);
	vs_reap_all(2000);
}

TEST_F_TIMEOUT(prolific_guest, a_task_can_enter_p, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_NOTHING);
}

TEST_F_TIMEOUT(prolific_guest, get_xid_in_p_is_p, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_GET_XID);
}

TEST_F_TIMEOUT(prolific_guest, p_creates_q, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CREATES_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_creating_q_again_is_eexist, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CREATE_Q_AGAIN);
}

TEST_F_TIMEOUT(prolific_guest, p_creating_xid_0_is_einval, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CREATE_0);
}

TEST_F_TIMEOUT(prolific_guest, p_allocate_gives_a_dynamic_xid, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_ALLOCATES);
}

TEST_F_TIMEOUT(prolific_guest, child_of_p_enters_q_in_setup, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CHILD_ENTERS_Q);
}

TEST_F_TIMEOUT(prolific_guest, child_of_p_is_then_in_q, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, Q_CHILD_IS_IN_Q);
}

TEST_F_TIMEOUT(prolific_guest, get_info_of_self_in_q_works, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, Q_GET_INFO_SELF);
}

TEST_F_TIMEOUT(prolific_guest, parent_of_q_is_p_as_q_sees_it, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, Q_PARENT);
}

TEST_F_TIMEOUT(prolific_guest, q_is_in_setup_as_q_sees_it, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, Q_STATE);
}

TEST_F_TIMEOUT(prolific_guest, p_get_xid_of_its_child_in_q_is_esrch, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_GET_XID_OF_CHILD_IN_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_kill_0_of_its_child_in_q_is_esrch, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_KILL_0_CHILD_IN_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_kill_of_its_child_context_is_eperm, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_KILL_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_remove_of_its_child_context_is_eperm, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_REMOVE_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_set_flags_of_its_child_context_is_eperm, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_SET_FLAGS_Q);
}

TEST_F_TIMEOUT(prolific_guest, p_ends_the_setup_of_its_child_context, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_END_SETUP_Q);
}

TEST_F_TIMEOUT(prolific_guest, child_of_p_cannot_enter_q_after_end_setup, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CHILD_INTO_Q_AFTER_END_SETUP);
}

TEST_F_TIMEOUT(prolific_guest, child_of_p_cannot_enter_host_made_s_in_setup, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CHILD_INTO_S);
}

TEST_F_TIMEOUT(prolific_guest, child_of_p_cannot_enter_sibling_a, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_CHILD_INTO_A);
}

TEST_F_TIMEOUT(prolific_guest, p_migrate_into_0_is_eperm, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_MIGRATE_0);
}

TEST_F_TIMEOUT(prolific_guest, p_migrate_into_1_is_eperm, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_MIGRATE_1);
}

TEST_F_TIMEOUT(prolific_guest, p_get_info_of_sibling_a_is_esrch, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_GET_INFO_A);
}

TEST_F_TIMEOUT(prolific_guest, p_ends_its_own_setup, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_END_SETUP_P);
}

TEST_F_TIMEOUT(prolific_guest, get_info_of_self_in_p_works, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_GET_INFO_SELF);
}

TEST_F_TIMEOUT(prolific_guest, p_is_prolific_and_persistent, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_FLAGS);
}

TEST_F_TIMEOUT(prolific_guest, parent_of_p_is_the_host, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_PARENT);
}

TEST_F_TIMEOUT(prolific_guest, p_is_running_once_its_setup_ended, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_STATE);
}

TEST_F_TIMEOUT(prolific_guest, task_is_still_in_p_after_all_that, VS_H_TIMEOUT)
{
	p_checks(_metadata, self, P_STILL_IN_P);
}

/* ---- the host's view of what P made ---- */

FIXTURE(after_prolific_guest) {
	long *dyn;	/* shared with the task in P */
	long base;	/* LIST total before A, P and S */
	struct vs_context_info info;
};

FIXTURE_SETUP(after_prolific_guest)
{
	struct p_case c = { P_EVERYTHING, NULL };

	self->dyn = mmap(NULL, sizeof(*self->dyn), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->dyn);
	*self->dyn = -1;
	ASSERT_LE(0, vs_open());
	self->base = vs_list_total();
	ASSERT_LE(0, self->base);
	make_guests(_metadata);
	vs_h_track(X_Q);	/* made by P: removed before P */
	c.dyn = self->dyn;
	ASSERT_EQ(0, vs_h_run(X_P, 0, in_p, &c, GUEST_MS));
	vs_reap_all(2000);
	ASSERT_TRUE(is_dynamic(*self->dyn));
	vs_h_track((__u32)*self->dyn);
}

FIXTURE_TEARDOWN(after_prolific_guest)
{
	if (self->dyn && self->dyn != MAP_FAILED && is_dynamic(*self->dyn))
		vs_h_track((__u32)*self->dyn);
	vs_h_destroy_all();
	if (self->dyn && self->dyn != MAP_FAILED)
		munmap(self->dyn, sizeof(*self->dyn));
}

TEST_F_TIMEOUT(after_prolific_guest, get_info_of_q_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_info(X_Q, &self->info));
}

TEST_F_TIMEOUT(after_prolific_guest, parent_of_q_is_p, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_Q, &self->info));
	EXPECT_EQ((__u32)X_P, self->info.parent_xid);
}

TEST_F_TIMEOUT(after_prolific_guest, q_is_running_since_p_ended_its_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_Q, &self->info));
	EXPECT_EQ((__u32)VS_STATE_RUNNING, self->info.state);
}

TEST_F_TIMEOUT(after_prolific_guest, q_is_persistent_as_p_asked, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_Q, &self->info));
	EXPECT_EQ((__u64)VS_CF_PERSISTENT, self->info.flags);
}

TEST_F_TIMEOUT(after_prolific_guest, task_of_q_is_gone, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, vs_wait_tasks(X_Q, 0, 2000));
}

TEST_F_TIMEOUT(after_prolific_guest, q_stays_without_tasks, VS_H_TIMEOUT)
{
	ASSERT_EQ(1, vs_wait_tasks(X_Q, 0, 2000));
	EXPECT_EQ(0, vs_info(X_Q, &self->info));
}

TEST_F_TIMEOUT(after_prolific_guest, last_end_of_q_is_exit, VS_H_TIMEOUT)
{
	ASSERT_EQ(1, vs_wait_tasks(X_Q, 0, 2000));
	ASSERT_EQ(0, vs_info(X_Q, &self->info));
	EXPECT_EQ((__u32)VS_END_EXIT, self->info.last_end);
}

TEST_F_TIMEOUT(after_prolific_guest, get_info_of_the_dynamic_context_of_p_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_info((__u32)*self->dyn, &self->info));
}

TEST_F_TIMEOUT(after_prolific_guest, parent_of_the_dynamic_context_is_p, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info((__u32)*self->dyn, &self->info));
	EXPECT_EQ((__u32)X_P, self->info.parent_xid);
}

TEST_F_TIMEOUT(after_prolific_guest, get_info_of_p_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_info(X_P, &self->info));
}

TEST_F_TIMEOUT(after_prolific_guest, p_is_running, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_P, &self->info));
	EXPECT_EQ((__u32)VS_STATE_RUNNING, self->info.state);
}

TEST_F_TIMEOUT(after_prolific_guest, get_info_of_s_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_info(X_S, &self->info));
}

TEST_F_TIMEOUT(after_prolific_guest, s_is_still_in_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_info(X_S, &self->info));
	EXPECT_EQ((__u32)VS_STATE_SETUP, self->info.state);
}

TEST_F_TIMEOUT(after_prolific_guest, host_removes_q, VS_H_TIMEOUT)
{
	ASSERT_EQ(1, vs_wait_tasks(X_Q, 0, 2000));
	EXPECT_EQ(0, vs_remove(X_Q));
}

TEST_F_TIMEOUT(after_prolific_guest, list_total_is_back_once_all_is_removed, VS_H_TIMEOUT)
{
	vs_h_destroy_all();
	vs_reap_all(1000);
	EXPECT_EQ(self->base, vs_wait_list_total(self->base, 2000));
}

TEST_HARNESS_MAIN
