// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: 4 workers create contexts at once (static and dynamic ids in
 * turn), each entered by a child that forks a grandchild and exits, so every
 * context is destroyed again when its last task is gone, while 2 more
 * processes fork and exit in the host and one lists and queries contexts
 * non-stop. Afterwards LIST is back to its size before the load and no
 * context of the test is left.
 *
 * Each test under load runs the whole load with PER_WORKER contexts per
 * worker and checks one thing about it: the 11 of them make 220 contexts, as
 * many as the one run of 200 they replace, sized for a busy 2-core TCG
 * machine.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "../lib/harness.h"

#define WORKERS		4
#define PER_WORKER	5
#define X_STATIC0	3500		/* worker w asks for 3500 + PER_WORKER w + i, i even */
#define FORKERS		2
#define LIST_ROOM	4096

/* Bounds of the waits (ms): all workers, each child of a worker, the others. */
#define WORKERS_MS	40000
#define CHILD_MS	10000
#define HELPER_MS	5000

/* Exit codes of a worker's child. */
#define CHILD_MIGRATE_FAILED	10
#define CHILD_SETUP_FAILED	11
#define GRANDCHILD_ELSEWHERE	12
#define GRANDCHILD_LOST		13
#define GRANDCHILD_KILLED	14

/* What the load's processes count, shared with the test. */
struct shared {
	int stop;
	int created[WORKERS];
	int create_errors[WORKERS];
	int static_mismatches[WORKERS];
	int dynamic_out_of_range[WORKERS];
	int fork_errors_of_workers[WORKERS];
	int entered[WORKERS];		/* children that ended cleanly */
	int enter_errors[WORKERS];	/* children that could not enter */
	int inherit_errors[WORKERS];	/* grandchildren in another context */
	int child_errors[WORKERS];	/* children that ended otherwise */
	char first_error[WORKERS][128];
	int forks[FORKERS];
	int fork_errors;
	int lists, list_errors, info_errors;
};

static void note_error(struct shared *shm, int *counter, int w, const char *fmt, long a, long b)
{
	(*counter)++;
	if (!shm->first_error[w][0])
		snprintf(shm->first_error[w], sizeof(shm->first_error[w]), fmt, a, b);
}

/* The child: enters @xid, forks a grandchild that checks its context. */
static int enter_and_fork(__u32 xid)
{
	int st;
	pid_t gc;

	if (vs_migrate(xid))
		return CHILD_MIGRATE_FAILED;
	if (vs_end_setup(xid))
		return CHILD_SETUP_FAILED;
	gc = fork();
	if (gc == 0)
		_exit(vs_get_xid(0) == xid ? 0 : GRANDCHILD_ELSEWHERE);
	if (gc < 0 || waitpid(gc, &st, 0) != gc)
		return GRANDCHILD_LOST;
	return WIFEXITED(st) ? WEXITSTATUS(st) : GRANDCHILD_KILLED;
}

static __u32 static_xid(int w, int i)
{
	return X_STATIC0 + w * PER_WORKER + i;
}

static int worker(struct shared *shm, int w)
{
	int i, st;
	long xid;
	pid_t child;

	for (i = 0; i < PER_WORKER; i++) {
		xid = vs_create(i % 2 ? VS_XID_ALLOCATE : static_xid(w, i), 0);
		if (xid < 0) {
			note_error(shm, &shm->create_errors[w], w, "CREATE #%ld: %ld", i, xid);
			continue;
		}
		if (i % 2 && (xid < VS_XID_DYNAMIC_MIN || xid > VS_XID_DYNAMIC_MAX))
			note_error(shm, &shm->dynamic_out_of_range[w], w,
				   "CREATE #%ld gave xid %ld", i, xid);
		if (!(i % 2) && xid != static_xid(w, i))
			note_error(shm, &shm->static_mismatches[w], w,
				   "CREATE #%ld gave xid %ld", i, xid);
		__atomic_add_fetch(&shm->created[w], 1, __ATOMIC_SEQ_CST);
		child = fork();
		if (child == 0)
			_exit(enter_and_fork((__u32)xid));
		if (child < 0) {
			note_error(shm, &shm->fork_errors_of_workers[w], w, "fork #%ld: %ld", i,
				   -errno);
			vs_remove((__u32)xid);
			continue;
		}
		st = vs_child_status(child, CHILD_MS);
		if (st == 0)
			__atomic_add_fetch(&shm->entered[w], 1, __ATOMIC_SEQ_CST);
		else if (st == CHILD_MIGRATE_FAILED || st == CHILD_SETUP_FAILED)
			note_error(shm, &shm->enter_errors[w], w, "child #%ld could not enter: %ld",
				   i, st);
		else if (st == GRANDCHILD_ELSEWHERE)
			note_error(shm, &shm->inherit_errors[w], w,
				   "grandchild #%ld is not in the context (%ld)", i, st);
		else
			note_error(shm, &shm->child_errors[w], w, "child #%ld exited with %ld", i,
				   st);
	}
	return 0;
}

static int forker(struct shared *shm, int f)
{
	int i;
	pid_t pid;

	for (i = 0; i < 100000 && !__atomic_load_n(&shm->stop, __ATOMIC_SEQ_CST); i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			__atomic_add_fetch(&shm->fork_errors, 1, __ATOMIC_SEQ_CST);
		else
			__atomic_add_fetch(&shm->forks[f], 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static int lister(struct shared *shm)
{
	static __u32 buf[LIST_ROOM];
	struct vs_context_info info;
	__u32 total;
	long n, j, r;
	int i;

	for (i = 0; i < 1000000 && !__atomic_load_n(&shm->stop, __ATOMIC_SEQ_CST); i++) {
		n = vs_list(buf, LIST_ROOM, &total);
		if (n < 0) {
			__atomic_add_fetch(&shm->list_errors, 1, __ATOMIC_SEQ_CST);
			vs_msleep(10);
			continue;
		}
		__atomic_add_fetch(&shm->lists, 1, __ATOMIC_SEQ_CST);
		for (j = 0; j < n; j++) {
			r = vs_info(buf[j], &info);
			/* A context may go away between LIST and GET_INFO. */
			if (r && r != -ESRCH)
				__atomic_add_fetch(&shm->info_errors, 1, __ATOMIC_SEQ_CST);
		}
		vs_msleep(1);
	}
	return 0;
}

/* Waits for all of @pids (bounded by @timeout_ms in all); their statuses (-ETIMEDOUT: killed). */
static void wait_all(const pid_t *pids, int *status, int n, int timeout_ms)
{
	int i, left, waited, st;

	for (i = 0; i < n; i++)
		status[i] = pids[i] > 0 ? -EINPROGRESS : -ECHILD;
	for (waited = 0; ; waited += 10) {
		for (i = 0, left = 0; i < n; i++) {
			if (status[i] != -EINPROGRESS)
				continue;
			if (waitpid(pids[i], &st, WNOHANG) == pids[i])
				status[i] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			else
				left++;
		}
		if (!left || waited >= timeout_ms)
			break;
		vs_msleep(10);
	}
	for (i = 0; i < n; i++) {
		if (status[i] == -EINPROGRESS) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			status[i] = -ETIMEDOUT;
		}
	}
}

/* The contexts before the test, as LIST gave them. */
static __u32 before[LIST_ROOM];
static long nbefore;

TEST(root_opens_the_device)
{
	EXPECT_LE(0, vs_open());
}

TEST(list_returns_every_context_it_counts)
{
	long base = vs_list_total();

	ASSERT_LE(0, base);
	EXPECT_EQ(base, vs_list(before, LIST_ROOM, NULL));
}

FIXTURE(stress) {
	struct shared *shm;
	long base;
	pid_t workers[WORKERS], forkers[FORKERS], lister;
	int worker_status[WORKERS], forker_status[FORKERS], lister_status;
};

/* The load: runs it all, leaving in @self what the tests look at. */
FIXTURE_SETUP(stress)
{
	int w, f;

	vs_become_subreaper();
	self->shm = mmap(NULL, sizeof(*self->shm), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shm);
	memset(self->shm, 0, sizeof(*self->shm));
	vs_h_needs_teardown(_metadata);
	self->base = vs_list_total();
	ASSERT_LE(0, self->base);
	nbefore = vs_list(before, LIST_ROOM, NULL);
	ASSERT_EQ(self->base, nbefore);

	for (f = 0; f < FORKERS; f++) {
		self->forkers[f] = vs_fork();
		if (self->forkers[f] == 0)
			_exit(forker(self->shm, f));
	}
	self->lister = vs_fork();
	if (self->lister == 0)
		_exit(lister(self->shm));
	for (w = 0; w < WORKERS; w++) {
		self->workers[w] = vs_fork();
		if (self->workers[w] == 0)
			_exit(worker(self->shm, w));
	}
	wait_all(self->workers, self->worker_status, WORKERS, WORKERS_MS);
	__atomic_store_n(&self->shm->stop, 1, __ATOMIC_SEQ_CST);
	wait_all(self->forkers, self->forker_status, FORKERS, HELPER_MS);
	wait_all(&self->lister, &self->lister_status, 1, HELPER_MS);
	vs_reap_all(1000);
	for (w = 0; w < WORKERS; w++)
		if (self->shm->first_error[w][0])
			TH_LOG("worker %d: first error: %s", w, self->shm->first_error[w]);
}

/* Removes whatever context was not there before, and any static xid of the test. */
static void remove_leftovers(void)
{
	static __u32 after[LIST_ROOM];
	struct vs_context_info info;
	long nafter, i, j;
	int w, k;

	nafter = vs_list(after, LIST_ROOM, NULL);
	for (i = 0; i < nafter; i++) {
		for (j = 0; j < nbefore; j++)
			if (after[i] == before[j])
				break;
		if (j == nbefore)
			vs_destroy(after[i]);
	}
	for (w = 0; w < WORKERS; w++)
		for (k = 0; k < PER_WORKER; k += 2)
			if (vs_info(static_xid(w, k), &info) != -ESRCH)
				vs_destroy(static_xid(w, k));
}

FIXTURE_TEARDOWN(stress)
{
	if (self->shm == MAP_FAILED || !self->shm)
		return;
	remove_leftovers();
	vs_reap_all(1000);
	munmap(self->shm, sizeof(*self->shm));
}

TEST_F_TIMEOUT(stress, every_worker_creates_all_its_contexts, VS_H_TIMEOUT)
{
	int w, created = 0;

	for (w = 0; w < WORKERS; w++) {
		EXPECT_EQ(0, self->worker_status[w]);
		EXPECT_EQ(0, self->shm->create_errors[w]);
		EXPECT_EQ(PER_WORKER, self->shm->created[w]) {
			TH_LOG("worker %d created %d contexts", w, self->shm->created[w]);
		}
		created += self->shm->created[w];
	}
	EXPECT_EQ(WORKERS * PER_WORKER, created);
}

TEST_F_TIMEOUT(stress, static_xids_are_the_ones_asked_for, VS_H_TIMEOUT)
{
	int w;

	for (w = 0; w < WORKERS; w++)
		EXPECT_EQ(0, self->shm->static_mismatches[w]);
}

TEST_F_TIMEOUT(stress, dynamic_xids_are_in_the_dynamic_range, VS_H_TIMEOUT)
{
	int w;

	for (w = 0; w < WORKERS; w++)
		EXPECT_EQ(0, self->shm->dynamic_out_of_range[w]);
}

TEST_F_TIMEOUT(stress, every_context_is_entered_by_a_forking_child, VS_H_TIMEOUT)
{
	int w;

	for (w = 0; w < WORKERS; w++) {
		EXPECT_EQ(0, self->shm->fork_errors_of_workers[w]);
		EXPECT_EQ(0, self->shm->enter_errors[w]);
		EXPECT_EQ(0, self->shm->child_errors[w]);
		EXPECT_EQ(PER_WORKER, self->shm->entered[w]) {
			TH_LOG("worker %d: %d of its contexts entered", w, self->shm->entered[w]);
		}
	}
}

TEST_F_TIMEOUT(stress, grandchildren_are_in_their_parents_context, VS_H_TIMEOUT)
{
	int w;

	for (w = 0; w < WORKERS; w++)
		EXPECT_EQ(0, self->shm->inherit_errors[w]);
}

TEST_F_TIMEOUT(stress, host_processes_fork_meanwhile, VS_H_TIMEOUT)
{
	int f, forks = 0;

	for (f = 0; f < FORKERS; f++) {
		EXPECT_EQ(0, self->forker_status[f]);
		forks += self->shm->forks[f];
	}
	EXPECT_EQ(0, self->shm->fork_errors);
	EXPECT_LT(0, forks);
}

TEST_F_TIMEOUT(stress, list_answers_meanwhile, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, self->lister_status);
	EXPECT_EQ(0, self->shm->list_errors);
	EXPECT_LT(0, self->shm->lists);
}

TEST_F_TIMEOUT(stress, get_info_answers_meanwhile_for_listed_contexts, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, self->lister_status);
	EXPECT_EQ(0, self->shm->info_errors);
}

TEST_F_TIMEOUT(stress, list_total_is_back_to_its_size_before, VS_H_TIMEOUT)
{
	EXPECT_EQ(self->base, vs_wait_list_total(self->base, 5000));
}

TEST_F_TIMEOUT(stress, no_context_made_by_the_test_is_left, VS_H_TIMEOUT)
{
	static __u32 after[LIST_ROOM];
	long nafter, i, j;
	int left = 0;

	vs_wait_list_total(self->base, 5000);
	nafter = vs_list(after, LIST_ROOM, NULL);
	ASSERT_LE(0, nafter);
	for (i = 0; i < nafter; i++) {
		for (j = 0; j < nbefore; j++)
			if (after[i] == before[j])
				break;
		if (j == nbefore) {
			TH_LOG("context %u is left over", after[i]);
			left++;
		}
	}
	EXPECT_EQ(0, left);
}

TEST_F_TIMEOUT(stress, every_static_xid_of_the_test_is_free_again, VS_H_TIMEOUT)
{
	struct vs_context_info info;
	int w, i;

	vs_wait_list_total(self->base, 5000);
	for (w = 0; w < WORKERS; w++)
		for (i = 0; i < PER_WORKER; i += 2)
			EXPECT_EQ(-ESRCH, vs_info(static_xid(w, i), &info)) {
				TH_LOG("context %u is still there", static_xid(w, i));
			}
}

TEST_HARNESS_MAIN
