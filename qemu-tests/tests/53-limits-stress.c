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
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../lib/vs-ktap.h"

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

struct shared {
	struct per ctx[NCTX];
};
static struct shared *shm;

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
		st = vs_child_status(pids[k], 60000);
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
	st = vs_child_status(w, 60000);
	vs_reap_all(2000);
	return st < 0 ? 126 : st;
}

/* A new task's exact count: 3 files and 2 sockets read NPROC 1, NOFILE 5, NSOCK 2. */
static int recount(void *arg)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	int fds[5], i, code = 0;

	(void)arg;
	for (i = 0; i < 5; i++) {
		fds[i] = i < 3 ? open("/dev/null", O_RDONLY | O_CLOEXEC) :
				 socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0) {
			ktap_diag("recount in %ld: %s: %s", vs_get_xid(0), i < 3 ? "open" : "socket",
				  strerror(errno));
			return 16;
		}
	}
	if (vs_limit_stats(VS_XID_SELF, st))
		return 17;
	if (st[VS_LIMIT_NPROC].usage != 1)
		code |= 1;
	if (st[VS_LIMIT_NOFILE].usage != 5)
		code |= 2;
	if (st[VS_LIMIT_NSOCK].usage != 2)
		code |= 4;
	if (code)
		ktap_diag("recount in %ld: NPROC %llu (want 1), NOFILE %llu (want 5), NSOCK %llu (want 2)",
			  vs_get_xid(0), (unsigned long long)st[0].usage,
			  (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	for (i = 0; i < 5; i++)
		close(fds[i]);
	return code;
}

/* ---- the host ---------------------------------------------------------------- */

int main(void)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	unsigned long long deadline;
	pid_t sup[NCTX];
	int status[NCTX], i, k, ok, r, gs, left;
	long rr;

	ktap_plan(3 + 8 * NCTX);
	signal(SIGPIPE, SIG_IGN);
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(shm, 0, sizeof(*shm));

	rr = vs_open();
	vs_expect(rr < 0 ? rr : 0, 0, "open %s", VS_DEVICE_PATH);
	for (i = 0, ok = 1; i < NCTX; i++) {
		rr = vs_create(X0 + i, VS_CF_PERSISTENT);
		for (k = 0, r = rr == X0 + i ? 0 : (int)rr; k < VS_LIMIT_COUNT && !r; k++)
			r = vs_set_limit(X0 + i, k, soft[k], hard[k]);
		if (r)
			ktap_diag("context %d: %s", X0 + i, vs_errname(r));
		ok = ok && !r;
	}
	vs_check(ok, NULL, "create %d contexts with NPROC %d, NOFILE %d, NSOCK %d", NCTX,
		 HARD_NPROC, HARD_NOFILE, HARD_NSOCK);

	for (i = 0; i < NCTX; i++) {
		sup[i] = vs_fork();
		if (sup[i] == 0)
			_exit(supervisor(i));
	}
	deadline = vs_now_ns(CLOCK_MONOTONIC) + 100ULL * 1000000000ULL;
	for (i = 0, ok = 1; i < NCTX; i++) {
		long long left_ms = (long long)(deadline - vs_now_ns(CLOCK_MONOTONIC)) / 1000000LL;

		if (deadline < vs_now_ns(CLOCK_MONOTONIC) || left_ms < 1000)
			left_ms = 1000;
		status[i] = sup[i] > 0 ? vs_child_status(sup[i], (int)left_ms) : -ECHILD;
		ok = ok && status[i] >= 0;
	}
	vs_check(ok, NULL, "all %d supervisors ended (none hung)", NCTX);

	for (i = 0; i < NCTX; i++) {
		struct per *p = &shm->ctx[i];
		__u32 x = X0 + i;

		if (p->bad)
			ktap_diag("%u: %ld unexpected failures, the first: %s: %s", x, p->bad,
				  p->first_bad_what, strerror(p->first_bad_errno));
		vs_check(status[i] == 0 && p->migrated && !p->bad && p->forks > 0 && p->opens > 0 &&
			 p->socks > 0, NULL,
			 "%u: hammered (status %d): %ld forks (%ld at the limit), %ld files (%ld), %ld sockets (%ld) in %ld/%ld/%ld rounds",
			 x, status[i], p->forks, p->fork_limited, p->opens, p->open_limited, p->socks,
			 p->sock_limited, p->rounds[0], p->rounds[1], p->rounds[2]);
		vs_check(p->probe_n[VS_LIMIT_NPROC] == HARD_NPROC - 1 && p->probe_err[VS_LIMIT_NPROC] == EAGAIN &&
			 p->probe_n[VS_LIMIT_NOFILE] == HARD_NOFILE && p->probe_err[VS_LIMIT_NOFILE] == ENFILE &&
			 p->probe_n[VS_LIMIT_NSOCK] == HARD_NSOCK && p->probe_err[VS_LIMIT_NSOCK] == ENFILE,
			 NULL,
			 "%u: alone at each limit: %ld more tasks (%s), %ld files (%s), %ld sockets (%s); want %d, %d, %d",
			 x, p->probe_n[0], strerror(p->probe_err[0]), p->probe_n[1],
			 strerror(p->probe_err[1]), p->probe_n[2], strerror(p->probe_err[2]),
			 HARD_NPROC - 1, HARD_NOFILE, HARD_NSOCK);
		vs_check(vs_wait_tasks(x, 0, 5000), NULL, "%u: no task left", x);
		ok = wait_all_zero(x, st, 5000);
		vs_check(ok, NULL, "%u: every usage back to 0 (NPROC %llu, NOFILE %llu, NSOCK %llu)", x,
			 (unsigned long long)st[0].usage, (unsigned long long)st[1].usage,
			 (unsigned long long)st[2].usage);
		gs = vs_limit_stats(x, st);
		for (k = 0, ok = !gs; k < VS_LIMIT_COUNT; k++)
			ok = ok && st[k].max <= hard[k] && st[k].max > 0 && st[k].min == 0 &&
			     st[k].hard == hard[k] && st[k].soft == soft[k];
		vs_check(ok, NULL, "%u: no counter went above its hard limit (max %llu/%d, %llu/%d, %llu/%d)",
			 x, (unsigned long long)st[0].max, HARD_NPROC, (unsigned long long)st[1].max,
			 HARD_NOFILE, (unsigned long long)st[2].max, HARD_NSOCK);
		for (k = 0, ok = !gs; k < VS_LIMIT_COUNT; k++)
			ok = ok && st[k].hits > 0 && st[k].soft_hits > 0;
		vs_check(ok, NULL,
			 "%u: every counter counted hits and soft hits (%s %llu/%llu, %s %llu/%llu, %s %llu/%llu)",
			 x, lname[0], (unsigned long long)st[0].hits, (unsigned long long)st[0].soft_hits,
			 lname[1], (unsigned long long)st[1].hits, (unsigned long long)st[1].soft_hits,
			 lname[2], (unsigned long long)st[2].hits, (unsigned long long)st[2].soft_hits);
		r = vs_run_in_context(x, 0, recount, NULL, 10000);
		vs_expect(r, 0, "%u: a new task's 3 files and 2 sockets count exactly (NPROC 1, NOFILE 5, NSOCK 2)",
			  x);
		vs_wait_tasks(x, 0, 5000);
		r = vs_remove(x);
		vs_expect(r, 0, "remove context %u", x);
		if (r)
			vs_destroy(x);
	}
	left = vs_reap_all(100);
	(void)left;
	return ktap_finish();
}
