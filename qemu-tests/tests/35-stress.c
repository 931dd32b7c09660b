// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: 4 workers create 200 contexts in all (static and dynamic ids), each
 * entered by a child that forks a grandchild and exits, so every context is
 * destroyed again when its last task is gone, while 2 more processes fork
 * and exit in the host and one lists and queries contexts non-stop. Then
 * LIST must return to its size before the test within 5 s.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "../lib/vs-ktap.h"

#define WORKERS		4
#define PER_WORKER	50		/* 200 contexts in all */
#define X_STATIC0	3500		/* worker w uses 3500 + 50 w .. + 49 */
#define DEADLINE_S	45		/* workers stop early after this */
#define FORKERS		2

struct shared {
	int stop;
	int created[WORKERS];
	int entered[WORKERS];
	int errors[WORKERS];
	int forks[FORKERS];
	int fork_errors;
	int lists, list_errors;
	char first_error[WORKERS][128];
};
static struct shared *shm;

static void note_error(int w, const char *fmt, long a, long b)
{
	if (!shm->errors[w]++)
		snprintf(shm->first_error[w], sizeof(shm->first_error[w]), fmt, a, b);
}

/* The child: enters @xid, forks a grandchild that checks its context. */
static int enter_and_fork(__u32 xid)
{
	int st;
	pid_t gc;

	if (vs_migrate(xid))
		return 10;
	if (vs_end_setup(xid))
		return 11;
	gc = fork();
	if (gc == 0)
		_exit(vs_get_xid(0) == xid ? 0 : 12);
	if (gc < 0 || waitpid(gc, &st, 0) != gc)
		return 13;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 14;
}

static int worker(int w)
{
	unsigned long long deadline = vs_now_ns(CLOCK_MONOTONIC) + DEADLINE_S * 1000000000ULL;
	int i, st;
	long xid;
	pid_t child;

	for (i = 0; i < PER_WORKER; i++) {
		if (vs_now_ns(CLOCK_MONOTONIC) > deadline) {
			note_error(w, "deadline hit after %ld of %ld contexts", i, PER_WORKER);
			break;
		}
		xid = vs_create(i % 2 ? VS_XID_ALLOCATE : (__u32)(X_STATIC0 + w * PER_WORKER + i), 0);
		if (xid < 0) {
			note_error(w, "CREATE #%ld: %ld", i, xid);
			continue;
		}
		if ((i % 2 && (xid < VS_XID_DYNAMIC_MIN || xid > VS_XID_DYNAMIC_MAX)) ||
		    (!(i % 2) && xid != X_STATIC0 + w * PER_WORKER + i))
			note_error(w, "CREATE #%ld gave xid %ld", i, xid);
		__atomic_add_fetch(&shm->created[w], 1, __ATOMIC_SEQ_CST);
		child = fork();
		if (child == 0)
			_exit(enter_and_fork((__u32)xid));
		if (child < 0) {
			note_error(w, "fork #%ld: %ld", i, -errno);
			vs_remove((__u32)xid);
			continue;
		}
		st = vs_child_status(child, 10000);
		if (st)
			note_error(w, "child #%ld exited with %ld", i, st);
		else
			__atomic_add_fetch(&shm->entered[w], 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static int forker(int f)
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

static int lister(void)
{
	static __u32 buf[4096];
	struct vs_context_info info;
	__u32 total;
	long n, j, r;
	int i;

	for (i = 0; i < 1000000 && !__atomic_load_n(&shm->stop, __ATOMIC_SEQ_CST); i++) {
		n = vs_list(buf, 4096, &total);
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
				__atomic_add_fetch(&shm->list_errors, 1, __ATOMIC_SEQ_CST);
		}
		vs_msleep(1);
	}
	return 0;
}

int main(void)
{
	static __u32 before[4096], after[4096];
	pid_t workers[WORKERS], forkers[FORKERS], lst;
	unsigned long long t0 = vs_now_ns(CLOCK_MONOTONIC), secs;
	int w, f, st, created = 0, entered = 0, forks = 0, left;
	long r, base, nbefore, nafter, i, j;

	ktap_plan(9 + WORKERS);
	vs_become_subreaper();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(shm, 0, sizeof(*shm));

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	nbefore = vs_list(before, 4096, NULL);
	vs_check(base >= 0 && nbefore == base, vs_errname(nbefore),
		 "LIST before the test (%ld contexts)", base);

	for (f = 0; f < FORKERS; f++) {
		forkers[f] = vs_fork();
		if (forkers[f] == 0)
			_exit(forker(f));
	}
	lst = vs_fork();
	if (lst == 0)
		_exit(lister());
	for (w = 0; w < WORKERS; w++) {
		workers[w] = vs_fork();
		if (workers[w] == 0)
			_exit(worker(w));
	}

	for (w = 0; w < WORKERS; w++) {
		st = workers[w] > 0 ? vs_child_status(workers[w], (DEADLINE_S + 15) * 1000) : -1;
		if (shm->errors[w])
			ktap_diag("worker %d: %d errors, first: %s", w, shm->errors[w],
				  shm->first_error[w]);
		vs_check(st == 0 && shm->errors[w] == 0 && shm->entered[w] == PER_WORKER, NULL,
			 "worker %d: %d contexts created, %d entered by a forking child (status %d)",
			 w, shm->created[w], shm->entered[w], st);
		created += shm->created[w];
		entered += shm->entered[w];
	}
	__atomic_store_n(&shm->stop, 1, __ATOMIC_SEQ_CST);
	vs_expect(created, WORKERS * PER_WORKER, "%d contexts were created in all", created);

	st = 0;
	for (f = 0; f < FORKERS; f++) {
		st |= forkers[f] > 0 ? vs_child_status(forkers[f], 10000) : 1;
		forks += shm->forks[f];
	}
	vs_check(st == 0 && shm->fork_errors == 0 && forks > 0, NULL,
		 "host processes forked %d times meanwhile (%d errors)", forks, shm->fork_errors);
	st = lst > 0 ? vs_child_status(lst, 10000) : 1;
	vs_check(st == 0 && shm->list_errors == 0 && shm->lists > 0, NULL,
		 "LIST + GET_INFO ran %d times meanwhile (%d errors)", shm->lists, shm->list_errors);
	vs_reap_all(1000);

	r = vs_wait_list_total(base, 5000);
	vs_expect(r, base, "LIST total is back to %ld within 5 s", base);

	/* Whatever is left over that was not there before: report and destroy. */
	nafter = vs_list(after, 4096, NULL);
	left = 0;
	for (i = 0; i < nafter; i++) {
		for (j = 0; j < nbefore; j++)
			if (after[i] == before[j])
				break;
		if (j == nbefore) {
			ktap_diag("context %u is left over", after[i]);
			left++;
			vs_destroy(after[i]);
		}
	}
	vs_expect(left, 0, "no context made by the test is left");
	for (w = 0, left = 0; w < WORKERS * PER_WORKER; w += 2) {
		struct vs_context_info info;

		if (vs_info(X_STATIC0 + w, &info) != -ESRCH)
			left++;
	}
	vs_expect(left, 0, "every static xid of the test is free again");
	vs_reap_all(1000);
	secs = (vs_now_ns(CLOCK_MONOTONIC) - t0) / 1000000000ULL;
	vs_check(secs < 60, NULL, "the test took %llu s (< 60 s); %d entries", secs, entered);
	return ktap_finish();
}
