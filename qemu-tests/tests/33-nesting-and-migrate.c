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

#include "../lib/vs-ktap.h"

#define X_A	3301	/* a plain guest */
#define X_P	3302	/* a prolific guest */
#define X_S	3303	/* made by the host, left in SETUP */
#define X_Q	3311	/* made by P (persistent) */

struct shared {
	long dyn;	/* the dynamic context P made */
};
static struct shared *shm;

/* ---- a task of plain guest A ---- */

static void in_a(void *arg)
{
	struct vs_context_info info;
	__u32 xids[8] = { 0 }, total = 0, reason;
	long r;

	(void)arg;
	if (vs_expect(vs_migrate(X_A), 0, "a task enters A") == 1)
		vs_expect(vs_end_setup(X_A), 0, "A: END_SETUP of its own context");
	else
		ktap_result(0, "A: END_SETUP of its own context # not in A");
	vs_expect(vs_get_xid(0), X_A, "A: GET_XID(0) is A");
	vs_expect(vs_create(3320, 0), -EPERM, "A (not prolific): CREATE -> EPERM");
	vs_expect(vs_create(VS_XID_ALLOCATE, 0), -EPERM,
		  "A (not prolific): CREATE VS_XID_ALLOCATE -> EPERM");
	r = vs_list(xids, 8, &total);
	vs_expect(r, 1, "A: LIST writes one entry");
	vs_expect(total, 1, "A: LIST total is 1");
	vs_expect(xids[0], X_A, "A: the entry is A itself");
	vs_expect(vs_info(VS_XID_SELF, &info), 0, "A: GET_INFO of VS_XID_SELF works");
	vs_expect(info.parent_xid, VS_XID_HOST, "A: ... whose parent is the host");
	vs_expect(info.state, VS_STATE_RUNNING, "A: ... which is RUNNING");
	vs_expect(vs_info(X_A, &info), 0, "A: GET_INFO of its own xid works");
	vs_expect(vs_info(X_P, &info), -ESRCH, "A: GET_INFO of sibling P -> ESRCH");
	vs_expect(vs_info(X_S, &info), -ESRCH, "A: GET_INFO of host-made S -> ESRCH");
	vs_expect(vs_info(VS_XID_HOST, &info), -EINVAL, "A: GET_INFO of xid 0 -> EINVAL");
	vs_expect(vs_info(VS_XID_SPECTATOR, &info), -EINVAL, "A: GET_INFO of xid 1 -> EINVAL");
	vs_expect(vs_migrate(VS_XID_HOST), -EPERM, "A: MIGRATE into 0 -> EPERM");
	vs_expect(vs_migrate(VS_XID_SPECTATOR), -EPERM, "A: MIGRATE into 1 -> EPERM");
	vs_expect(vs_migrate(X_P), -EPERM, "A: MIGRATE into sibling P -> EPERM");
	vs_expect(vs_migrate(X_S), -EPERM, "A: MIGRATE into S (SETUP, made by the host) -> EPERM");
	vs_expect(vs_end_setup(X_S), -EPERM, "A: END_SETUP of S -> EPERM");
	vs_expect(vs_set_flags(X_A, VS_CF_PROLIFIC, 0), -EPERM, "A: SET_FLAGS on itself -> EPERM");
	vs_expect(vs_remove(X_S), -EPERM, "A: REMOVE -> EPERM");
	vs_expect(vs_kill(X_A, 0), -EPERM, "A: KILL of itself -> EPERM");
	vs_expect(vs_wait(X_S, &reason, 1000), -EPERM, "A: WAIT -> EPERM");
	vs_expect(vs_get_xid(0), X_A, "A: still in A after all that");
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
	if (pipe(ready) || pipe(rel))
		return 0;
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

static void in_p(void *arg)
{
	struct vs_context_info info;
	struct report rep;
	int rel1, rel2, rel3, rel4;
	pid_t q1;
	long r;

	(void)arg;
	vs_expect(vs_migrate(X_P), 0, "a task enters P");
	vs_expect(vs_get_xid(0), X_P, "P: GET_XID(0) is P");
	vs_expect(vs_create(X_Q, VS_CF_PERSISTENT), X_Q, "P (prolific): CREATE %d", X_Q);
	vs_expect(vs_create(X_Q, 0), -EEXIST, "P: CREATE %d again -> EEXIST", X_Q);
	vs_expect(vs_create(VS_XID_HOST, 0), -EINVAL, "P: CREATE xid 0 -> EINVAL");
	r = vs_create(VS_XID_ALLOCATE, 0);
	shm->dyn = r;
	vs_check(r >= VS_XID_DYNAMIC_MIN && r <= VS_XID_DYNAMIC_MAX, vs_errname(r),
		 "P: CREATE VS_XID_ALLOCATE gives a dynamic xid");

	q1 = enter_and_report(X_Q, &rep, &rel1);
	vs_expect(rep.mig, 0, "P: its child MIGRATEs into Q while Q is in SETUP");
	vs_expect(rep.xid, X_Q, "P: ... and is in Q");
	vs_expect(rep.info, 0, "Q: GET_INFO of VS_XID_SELF works");
	vs_expect(rep.parent, X_P, "Q: parent_xid is P");
	vs_expect(rep.state, VS_STATE_SETUP, "Q: state is SETUP");
	vs_expect(q1 > 0 ? vs_get_xid(q1) : -ECHILD, -ESRCH,
		  "P: GET_XID of its child now in Q -> ESRCH (other context)");
	vs_expect(VS_ERR(kill(q1 > 0 ? q1 : 0x3ffffff0, 0)), -ESRCH,
		  "P: kill(child in Q, 0) -> ESRCH");
	vs_expect(vs_kill(X_Q, 0), -EPERM, "P: KILL of its child context -> EPERM");
	vs_expect(vs_remove(X_Q), -EPERM, "P: REMOVE of its child context -> EPERM");
	vs_expect(vs_set_flags(X_Q, 0, VS_CF_PERSISTENT), -EPERM,
		  "P: SET_FLAGS of its child context -> EPERM");
	vs_expect(vs_end_setup(X_Q), 0, "P: END_SETUP of its child context (as its parent)");
	enter_and_report(X_Q, &rep, &rel2);
	vs_expect(rep.mig, -EPERM, "P: its child cannot MIGRATE into Q after END_SETUP");
	enter_and_report(X_S, &rep, &rel3);
	vs_expect(rep.mig, -EPERM, "P: its child cannot MIGRATE into S (SETUP, made by the host)");
	enter_and_report(X_A, &rep, &rel4);
	vs_expect(rep.mig, -EPERM, "P: its child cannot MIGRATE into sibling A");
	vs_expect(vs_migrate(VS_XID_HOST), -EPERM, "P: MIGRATE into 0 -> EPERM");
	vs_expect(vs_migrate(VS_XID_SPECTATOR), -EPERM, "P: MIGRATE into 1 -> EPERM");
	vs_expect(vs_info(X_A, &info), -ESRCH, "P: GET_INFO of sibling A -> ESRCH");
	vs_expect(vs_end_setup(X_P), 0, "P: END_SETUP of its own context");
	vs_expect(vs_info(VS_XID_SELF, &info), 0, "P: GET_INFO of VS_XID_SELF works");
	vs_expect((long)info.flags, VS_CF_PROLIFIC | VS_CF_PERSISTENT,
		  "P: its flags are PROLIFIC|PERSISTENT");
	vs_expect(info.parent_xid, VS_XID_HOST, "P: its parent is the host");
	vs_expect(info.state, VS_STATE_RUNNING, "P: it is RUNNING");
	vs_expect(vs_get_xid(0), X_P, "P: still in P after all that");

	/* Q's task and the failed ones exit; the host (subreaper) reaps them. */
	if (rel1 >= 0)
		vs_private_close(rel1);
	if (rel2 >= 0)
		vs_private_close(rel2);
	if (rel3 >= 0)
		vs_private_close(rel3);
	if (rel4 >= 0)
		vs_private_close(rel4);
}

int main(void)
{
	struct vs_context_info info;
	long r, base;

	ktap_plan(74);
	vs_become_subreaper();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	shm->dyn = -1;

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	vs_expect(vs_create(X_A, VS_CF_PERSISTENT), X_A, "CREATE plain guest A (%d)", X_A);
	vs_expect(vs_create(X_P, VS_CF_PROLIFIC | VS_CF_PERSISTENT), X_P,
		  "CREATE prolific guest P (%d)", X_P);
	vs_expect(vs_create(X_S, 0), X_S, "CREATE S (%d), left in SETUP", X_S);

	vs_ktap_fork(in_a, NULL, 30000);
	vs_ktap_fork(in_p, NULL, 30000);
	vs_reap_all(2000);

	/* The host's view of what P made. */
	vs_expect(vs_info(X_Q, &info), 0, "host: GET_INFO of Q (made by P) works");
	vs_expect(info.parent_xid, X_P, "host: Q's parent_xid is P");
	vs_expect(info.state, VS_STATE_RUNNING, "host: Q is RUNNING (P ended its setup)");
	vs_expect((long)info.flags, VS_CF_PERSISTENT, "host: Q is PERSISTENT as P asked");
	vs_check(vs_wait_tasks(X_Q, 0, 2000), NULL, "host: Q's task is gone");
	vs_expect(vs_info(X_Q, &info), 0, "host: Q (persistent) stays");
	vs_expect(info.last_end, VS_END_EXIT, "host: Q's last_end is VS_END_EXIT");
	vs_expect(vs_info(shm->dyn > 0 ? (__u32)shm->dyn : 3399, &info), 0,
		  "host: GET_INFO of P's dynamic context works");
	vs_expect(info.parent_xid, X_P, "host: its parent_xid is P");
	vs_expect(vs_info(X_P, &info), 0, "host: GET_INFO of P works");
	vs_expect(info.state, VS_STATE_RUNNING, "host: P is RUNNING");
	vs_expect(vs_info(X_S, &info), 0, "host: GET_INFO of S works");
	vs_expect(info.state, VS_STATE_SETUP, "host: S is still in SETUP");
	vs_expect(vs_remove(X_Q), 0, "host: REMOVE Q");

	if (shm->dyn > 0)
		vs_destroy((__u32)shm->dyn);
	vs_destroy(X_Q);
	vs_destroy(X_A);
	vs_destroy(X_P);
	vs_destroy(X_S);
	vs_reap_all(1000);
	vs_expect(vs_wait_list_total(base, 2000), base, "LIST total is back to %ld", base);
	return ktap_finish();
}
