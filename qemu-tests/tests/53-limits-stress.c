// SPDX-License-Identifier: GPL-2.0
/*
 * Stress of the resource counters: 8 guest contexts at once, each with
 * NPROC 20, NOFILE 30 and NSOCK 10 (soft limits 10, 15, 5) and a host
 * supervisor. The guest's first task probes each limit alone (exact counts),
 * then three of its processes hammer the counters for about 2 s: one forks
 * and ends children, one opens and closes files and pipes, one creates and
 * closes Unix sockets and socket pairs. Then everything ends, and each
 * context must read 0 for every counter, never have gone above a hard
 * limit, have counted hits, and count a new task's allocations exactly
 * (a counter that drifted below 0 would read low).
 *
 * The work runs once (in the setup of the first test to need it) and what it
 * saw is kept in memory shared by all the tests; each test checks one thing
 * of it, so each check of a context is its own result. Any test run alone
 * does the work itself.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../lib/harness.h"

#define NCTX		8
#define X0		5301		/* contexts 5301..5308 */
#define HAMMER_MS	2000		/* each hammer stops starting rounds after this */
#define MAX_ROUNDS	2000		/* and after this many rounds in any case */
#define MIN_ROUNDS	2		/* but not before this many: a loaded host is slow */
#define HARD_NPROC	20
#define HARD_NOFILE	30
#define HARD_NSOCK	10
#define SOFT_NPROC	10
#define SOFT_NOFILE	15
#define SOFT_NSOCK	5
#define WORK_MS		90000		/* every wait of the host side ends by then */
#define SUPERVISE_MS	60000		/* the supervisors end by then */

struct per {
	int migrated;
	/* the probes, alone at each limit: how many, then the errno */
	long probe_n[VS_LIMIT_COUNT];
	int probe_err[VS_LIMIT_COUNT];
	/* the hammers */
	long forks, fork_limited, opens, open_limited, socks, sock_limited;
	long rounds[3];
	long bad;
	int first_bad_errno;
	char first_bad_what[24];
};

/* What the host saw of one context after the work. */
struct seen {
	int create;		/* CREATE and SET_LIMIT: 0 or -errno */
	int status;		/* the supervisor's exit code, or -errno */
	int tasks_gone;		/* vs_wait_tasks(): 1 if no task was left */
	int all_zero;		/* wait_all_zero(): 1 if every usage went to 0 */
	struct vs_limit_stat zero[VS_LIMIT_COUNT];	/* its last read */
	int stats;		/* GET_LIMITS after that: 0 or -errno */
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	int recount;		/* recount()'s exit code */
	__u64 recount_usage[VS_LIMIT_COUNT];
	int removed;		/* REMOVE: 0 or -errno */
};

struct shared {
	struct per ctx[NCTX];
	struct seen seen[NCTX];
	int opened;		/* vs_open(): 0 or -errno */
	int done;		/* the work ran to its end */
};
static struct shared *shm;

/* Made before the harness forks the tests, so all of them share it. */
static void __attribute__((constructor)) shared_map(void)
{
	void *p = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p != MAP_FAILED) {
		shm = p;
		memset(shm, 0, sizeof(*shm));
	}
}

static const char *const lname[VS_LIMIT_COUNT] = { "NPROC", "NOFILE", "NSOCK" };
static const __u64 hard[VS_LIMIT_COUNT] = { HARD_NPROC, HARD_NOFILE, HARD_NSOCK };
static const __u64 soft[VS_LIMIT_COUNT] = { SOFT_NPROC, SOFT_NOFILE, SOFT_NSOCK };

/* Polls until every usage of @xid is 0 (bounded); 1 if so. Fills @st with the last read. */
static int wait_all_zero(__u32 xid, struct vs_limit_stat *st, int timeout_ms)
{
	int waited, r, i, zero;

	for (waited = 0; ; waited += 10) {
		r = vs_limit_stats(xid, st);
		for (i = 0, zero = !r; i < VS_LIMIT_COUNT; i++)
			zero = zero && st[i].usage == 0;
		if (zero)
			return 1;
		if (waited >= timeout_ms)
			return 0;
		vs_msleep(10);
	}
}

static void note_bad(struct per *p, const char *what, int err)
{
	if (__atomic_fetch_add(&p->bad, 1, __ATOMIC_SEQ_CST) == 0) {
		p->first_bad_errno = err;
		snprintf(p->first_bad_what, sizeof(p->first_bad_what), "%s", what);
	}
}

static int past(unsigned long long deadline)
{
	return vs_now_ns(CLOCK_MONOTONIC) >= deadline;
}

/* A child that waits to be killed (and dies with its parent). */
static pid_t fork_waiter(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			pause();
	}
	return pid;
}

static void kill_all(pid_t *kids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
			;
}

/* ---- the guest ------------------------------------------------------------- */

static void probes(struct per *p)
{
	pid_t kids[64];
	int fds[64], n, fd;

	for (n = 0; n < 64; n++) {
		kids[n] = fork_waiter();
		if (kids[n] < 0) {
			p->probe_err[VS_LIMIT_NPROC] = errno;
			break;
		}
	}
	p->probe_n[VS_LIMIT_NPROC] = n;
	kill_all(kids, n);

	for (n = 0; n < 64; n++) {
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			p->probe_err[VS_LIMIT_NOFILE] = errno;
			break;
		}
		fds[n] = fd;
	}
	p->probe_n[VS_LIMIT_NOFILE] = n;
	while (n)
		close(fds[--n]);

	for (n = 0; n < 64; n++) {
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			p->probe_err[VS_LIMIT_NSOCK] = errno;
			break;
		}
		fds[n] = fd;
	}
	p->probe_n[VS_LIMIT_NSOCK] = n;
	while (n)
		close(fds[--n]);
}

static int forker(struct per *p, unsigned long long deadline)
{
	pid_t kids[32], pid;
	int round, i, n;

	for (round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || !past(deadline)); round++) {
		p->rounds[0]++;
		if (round % 2 == 0) {
			/* hold as many children as the limit lets us, then end them */
			for (n = 0; n < 25; n++) {
				kids[n] = fork_waiter();
				if (kids[n] < 0) {
					if (errno == EAGAIN)
						p->fork_limited++;
					else
						note_bad(p, "fork (hold)", errno);
					break;
				}
				p->forks++;
			}
			kill_all(kids, n);
		} else {
			/* short-lived children */
			for (i = 0; i < 8; i++) {
				pid = fork();
				if (pid == 0)
					_exit(0);
				if (pid < 0) {
					if (errno == EAGAIN)
						p->fork_limited++;
					else
						note_bad(p, "fork", errno);
					break;
				}
				p->forks++;
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
			}
		}
	}
	return 0;
}

static void count_fail(struct per *p, long *limited, const char *what, int err)
{
	if (err == ENFILE)
		(*limited)++;
	else
		note_bad(p, what, err);
}

static int opener(struct per *p, unsigned long long deadline)
{
	int fds[48], pp[2], round, n, fd;

	for (round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || !past(deadline)); round++) {
		p->rounds[1]++;
		for (n = 0; n < 40; n++) {
			fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				count_fail(p, &p->open_limited, "open", errno);
				break;
			}
			fds[n] = fd;
			p->opens++;
		}
		if (pipe2(pp, O_CLOEXEC) == 0) {
			close(pp[0]);
			close(pp[1]);
			p->opens += 2;
		} else {
			count_fail(p, &p->open_limited, "pipe", errno);
		}
		while (n)
			close(fds[--n]);
	}
	return 0;
}

static int socketer(struct per *p, unsigned long long deadline)
{
	int fds[24], sv[2], round, n, fd;

	for (round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || !past(deadline)); round++) {
		p->rounds[2]++;
		for (n = 0; n < 15; n++) {
			fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				count_fail(p, &p->sock_limited, "socket", errno);
				break;
			}
			fds[n] = fd;
			p->socks++;
		}
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0) {
			fds[n++] = sv[0];
			fds[n++] = sv[1];
			p->socks += 2;
		} else {
			count_fail(p, &p->sock_limited, "socketpair", errno);
		}
		while (n)
			close(fds[--n]);
	}
	return 0;
}

/* The context's first task: probes, then runs the three hammers and waits for them. */
static int guest_main(int i)
{
	struct per *p = &shm->ctx[i];
	unsigned long long deadline;
	pid_t pids[3];
	int k, st, ret = 0;

	if (vs_migrate(X0 + i))
		return VS_SPAWN_MIGRATE_FAILED;
	p->migrated = 1;
	probes(p);
	deadline = vs_now_ns(CLOCK_MONOTONIC) + HAMMER_MS * 1000000ULL;
	for (k = 0; k < 3; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(k == 0 ? forker(p, deadline) : k == 1 ? opener(p, deadline) :
			       socketer(p, deadline));
		if (pids[k] < 0)
			note_bad(p, "fork (hammer)", errno);
	}
	for (k = 0; k < 3; k++) {
		if (pids[k] < 0)
			continue;
		st = vs_child_status(pids[k], SUPERVISE_MS - 10000);
		if (st)
			ret = 10 + k;
	}
	return ret;
}

/* A host process per context: starts its first task, reaps it and every orphan. */
static int supervisor(int i)
{
	pid_t w;
	int st;

	vs_become_subreaper();
	w = fork();
	if (w == 0)
		_exit(guest_main(i));
	if (w < 0)
		return 125;
	st = vs_child_status(w, SUPERVISE_MS - 5000);
	vs_reap_all(2000);
	return st < 0 ? 126 : st;
}

/* A new task's exact count: 3 files and 2 sockets read NPROC 1, NOFILE 5, NSOCK 2. */
static int recount(void *arg)
{
	struct seen *seen = arg;
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	int fds[5], i, code = 0;

	for (i = 0; i < 5; i++) {
		fds[i] = i < 3 ? open("/dev/null", O_RDONLY | O_CLOEXEC) :
				 socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			return 16;
	}
	if (vs_limit_stats(VS_XID_SELF, st))
		return 17;
	for (i = 0; i < VS_LIMIT_COUNT; i++)
		seen->recount_usage[i] = st[i].usage;
	if (st[VS_LIMIT_NPROC].usage != 1)
		code |= 1;
	if (st[VS_LIMIT_NOFILE].usage != 5)
		code |= 2;
	if (st[VS_LIMIT_NSOCK].usage != 2)
		code |= 4;
	for (i = 0; i < 5; i++)
		close(fds[i]);
	return code;
}

/* ---- the host ---------------------------------------------------------------- */

static unsigned long long work_end;

/* @ms, or what is left of WORK_MS if less (at least 100 ms). */
static int budget(int ms)
{
	long long left = ((long long)work_end - (long long)vs_now_ns(CLOCK_MONOTONIC)) / 1000000LL;

	if (left < 100)
		left = 100;
	return left < ms ? (int)left : ms;
}

/*
 * The work, once: creates the contexts, lets the supervisors run them, then
 * reads and removes each context, keeping what it saw in @shm. The contexts
 * are tracked, so the teardown removes whatever is left if it stops early.
 */
static void stress_once(struct __test_metadata *_metadata)
{
	unsigned long long supervise_end;
	pid_t sup[NCTX];
	int i, k, r;
	long rr;

	ASSERT_NE(NULL, shm);
	if (shm->done)
		return;
	TH_LOG("the work runs in this test's setup");
	memset(shm, 0, sizeof(*shm));
	work_end = vs_now_ns(CLOCK_MONOTONIC) + WORK_MS * 1000000ULL;
	signal(SIGPIPE, SIG_IGN);

	rr = vs_open();
	shm->opened = rr < 0 ? (int)rr : 0;
	for (i = 0; i < NCTX; i++) {
		/* A context left by a run that was killed (no teardown) goes first. */
		vs_destroy(X0 + i);
		rr = vs_h_create(X0 + i, VS_CF_PERSISTENT);
		for (k = 0, r = rr == X0 + i ? 0 : (rr < 0 ? (int)rr : -EPROTO);
		     k < VS_LIMIT_COUNT && !r; k++)
			r = vs_set_limit(X0 + i, k, soft[k], hard[k]);
		shm->seen[i].create = r;
	}

	for (i = 0; i < NCTX; i++) {
		sup[i] = vs_fork();
		if (sup[i] == 0)
			_exit(supervisor(i));
	}
	supervise_end = vs_now_ns(CLOCK_MONOTONIC) + SUPERVISE_MS * 1000000ULL;
	for (i = 0; i < NCTX; i++) {
		long long left_ms = ((long long)supervise_end -
				     (long long)vs_now_ns(CLOCK_MONOTONIC)) / 1000000LL;

		if (left_ms < 1000)
			left_ms = 1000;
		shm->seen[i].status = sup[i] > 0 ? vs_child_status(sup[i], (int)left_ms) : -ECHILD;
	}

	for (i = 0; i < NCTX; i++) {
		struct seen *seen = &shm->seen[i];
		__u32 x = X0 + i;

		seen->tasks_gone = vs_wait_tasks(x, 0, budget(5000));
		seen->all_zero = wait_all_zero(x, seen->zero, budget(5000));
		seen->stats = vs_limit_stats(x, seen->st);
		seen->recount = vs_run_in_context(x, 0, recount, seen, budget(10000));
		vs_wait_tasks(x, 0, budget(5000));
		seen->removed = vs_remove(x);
		if (!seen->removed && vs_wait_gone(x, budget(2000)))
			vs_h_forget(x);
	}
	vs_reap_all(100);
	shm->done = 1;
}

/* ---- the whole run --------------------------------------------------------------- */

FIXTURE(stress) {
	char unused;
};

FIXTURE_SETUP(stress)
{
	stress_once(_metadata);
}

FIXTURE_TEARDOWN(stress)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(stress, device_opens, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, shm->opened) {
		TH_LOG("open %s: %s", VS_DEVICE_PATH, vs_errname(shm->opened));
	}
}

TEST_F_TIMEOUT(stress, contexts_are_created_with_their_limits, VS_H_TIMEOUT)
{
	int i;

	for (i = 0; i < NCTX; i++) {
		EXPECT_EQ(0, shm->seen[i].create) {
			TH_LOG("context %d (NPROC %d, NOFILE %d, NSOCK %d): %s", X0 + i,
			       HARD_NPROC, HARD_NOFILE, HARD_NSOCK, vs_errname(shm->seen[i].create));
		}
	}
}

TEST_F_TIMEOUT(stress, every_supervisor_ends, VS_H_TIMEOUT)
{
	int i;

	for (i = 0; i < NCTX; i++) {
		EXPECT_LE(0, shm->seen[i].status) {
			TH_LOG("supervisor of %d: %s", X0 + i, vs_errname(shm->seen[i].status));
		}
	}
}

/* ---- each context ---------------------------------------------------------------- */

FIXTURE(context) {
	struct per *p;
	struct seen *seen;
	__u32 xid;
};

FIXTURE_VARIANT(context) {
	int i;
};

FIXTURE_VARIANT_ADD(context, xid_5301) { .i = 0 };
FIXTURE_VARIANT_ADD(context, xid_5302) { .i = 1 };
FIXTURE_VARIANT_ADD(context, xid_5303) { .i = 2 };
FIXTURE_VARIANT_ADD(context, xid_5304) { .i = 3 };
FIXTURE_VARIANT_ADD(context, xid_5305) { .i = 4 };
FIXTURE_VARIANT_ADD(context, xid_5306) { .i = 5 };
FIXTURE_VARIANT_ADD(context, xid_5307) { .i = 6 };
FIXTURE_VARIANT_ADD(context, xid_5308) { .i = 7 };

FIXTURE_SETUP(context)
{
	stress_once(_metadata);
	self->p = &shm->ctx[variant->i];
	self->seen = &shm->seen[variant->i];
	self->xid = X0 + variant->i;
}

FIXTURE_TEARDOWN(context)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(context, is_hammered_without_unexpected_failures, VS_H_TIMEOUT)
{
	const struct per *p = self->p;

	TH_LOG("%u (status %d): %ld forks (%ld at the limit), %ld files (%ld), %ld sockets (%ld) in %ld/%ld/%ld rounds",
	       self->xid, self->seen->status, p->forks, p->fork_limited, p->opens,
	       p->open_limited, p->socks, p->sock_limited, p->rounds[0], p->rounds[1],
	       p->rounds[2]);
	EXPECT_EQ(0, self->seen->status);
	EXPECT_TRUE(p->migrated);
	EXPECT_EQ(0, p->bad) {
		TH_LOG("the first unexpected failure: %s: %s", p->first_bad_what,
		       strerror(p->first_bad_errno));
	}
	EXPECT_LT(0, p->forks);
	EXPECT_LT(0, p->opens);
	EXPECT_LT(0, p->socks);
}

TEST_F_TIMEOUT(context, alone_at_each_limit_counts_exactly, VS_H_TIMEOUT)
{
	const struct per *p = self->p;

	EXPECT_EQ(HARD_NPROC - 1, p->probe_n[VS_LIMIT_NPROC]);
	EXPECT_EQ(EAGAIN, p->probe_err[VS_LIMIT_NPROC]);
	EXPECT_EQ(HARD_NOFILE, p->probe_n[VS_LIMIT_NOFILE]);
	EXPECT_EQ(ENFILE, p->probe_err[VS_LIMIT_NOFILE]);
	EXPECT_EQ(HARD_NSOCK, p->probe_n[VS_LIMIT_NSOCK]);
	EXPECT_EQ(ENFILE, p->probe_err[VS_LIMIT_NSOCK]);
}

TEST_F_TIMEOUT(context, no_task_is_left, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, self->seen->tasks_gone);
}

TEST_F_TIMEOUT(context, every_usage_is_back_to_zero, VS_H_TIMEOUT)
{
	const struct vs_limit_stat *z = self->seen->zero;

	EXPECT_EQ(1, self->seen->all_zero) {
		TH_LOG("%u: NPROC %llu, NOFILE %llu, NSOCK %llu", self->xid,
		       (unsigned long long)z[0].usage, (unsigned long long)z[1].usage,
		       (unsigned long long)z[2].usage);
	}
}

TEST_F_TIMEOUT(context, no_counter_went_above_its_hard_limit, VS_H_TIMEOUT)
{
	const struct vs_limit_stat *st = self->seen->st;
	int k;

	ASSERT_EQ(0, self->seen->stats);
	for (k = 0; k < VS_LIMIT_COUNT; k++) {
		EXPECT_GE(hard[k], st[k].max) {
			TH_LOG("%s", lname[k]);
		}
		EXPECT_LT(0ULL, st[k].max) {
			TH_LOG("%s", lname[k]);
		}
		EXPECT_EQ(0ULL, st[k].min) {
			TH_LOG("%s", lname[k]);
		}
		EXPECT_EQ(hard[k], st[k].hard) {
			TH_LOG("%s", lname[k]);
		}
		EXPECT_EQ(soft[k], st[k].soft) {
			TH_LOG("%s", lname[k]);
		}
	}
}

TEST_F_TIMEOUT(context, every_counter_counted_hits_and_soft_hits, VS_H_TIMEOUT)
{
	const struct vs_limit_stat *st = self->seen->st;
	int k;

	ASSERT_EQ(0, self->seen->stats);
	for (k = 0; k < VS_LIMIT_COUNT; k++) {
		EXPECT_LT(0ULL, st[k].hits) {
			TH_LOG("%s", lname[k]);
		}
		EXPECT_LT(0ULL, st[k].soft_hits) {
			TH_LOG("%s", lname[k]);
		}
	}
}

TEST_F_TIMEOUT(context, new_tasks_3_files_and_2_sockets_count_exactly, VS_H_TIMEOUT)
{
	const __u64 *u = self->seen->recount_usage;

	EXPECT_EQ(0, self->seen->recount) {
		TH_LOG("%u: NPROC %llu (want 1), NOFILE %llu (want 5), NSOCK %llu (want 2)",
		       self->xid, (unsigned long long)u[0], (unsigned long long)u[1],
		       (unsigned long long)u[2]);
	}
}

TEST_F_TIMEOUT(context, is_removed_once_empty, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, self->seen->removed);
}

TEST_HARNESS_MAIN
