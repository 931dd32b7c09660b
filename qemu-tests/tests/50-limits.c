// SPDX-License-Identifier: GPL-2.0
/*
 * Context-wide resource limits (ABI 1.1): the bad inputs of VS_IOC_SET_LIMIT,
 * VS_IOC_GET_LIMITS, VS_IOC_RESET_LIMITS, VS_IOC_SET_RLIMIT and
 * VS_IOC_GET_RLIMIT; the defaults of a fresh context; NPROC (a fork bomb and
 * a thread bomb stop at the hard limit, while the host and an unlimited guest
 * go on forking), NOFILE and NSOCK at their hard limits; soft limits, min,
 * max, RESET_LIMITS, a hard limit set below the usage; and every usage back
 * at 0 once the guests are gone.
 *
 * A guest "agent" (a process migrated into a context) does what the host
 * asks over a pipe, so the host can look at the counters between its steps.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../lib/agent.h"
#include "../lib/vs-ktap.h"

#define XA	5001	/* defaults, bad inputs, a guest's bad inputs */
#define XB	5002	/* NPROC hard 50 */
#define XC	5003	/* no limits: forks past 50 */
#define XD	5004	/* NOFILE soft 5, hard 20 */
#define XE	5005	/* NSOCK soft 2, hard 5 */
#define XUNKNOWN 5999	/* never created */

#define INF		VS_LIMIT_INFINITY

static const char *const lname[VS_LIMIT_COUNT] = { "NPROC", "NOFILE", "NSOCK" };

/* ---- counters ------------------------------------------------------------ */

/* The answer of the last vs_limit_stats() whose results a check looks at. */
static int gs;

/* The usage of @res in @xid, or -errno. */
static long long usage_of(__u32 xid, int res)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	int r = vs_limit_stats(xid, st);

	return r ? r : (long long)st[res].usage;
}

/* Polls until the usage of @res in @xid is @want (bounded); returns the last one seen. */
static long long wait_usage(__u32 xid, int res, long long want, int timeout_ms)
{
	long long u;
	int waited;

	for (waited = 0; ; waited += 10) {
		u = usage_of(xid, res);
		if (u == want || waited >= timeout_ms)
			return u;
		vs_msleep(10);
	}
}

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

static const char *stat_str(const struct vs_limit_stat *s)
{
	static char buf[4][192];
	static int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]),
		 "usage %llu min %llu max %llu soft %#llx hard %#llx hits %llu soft_hits %llu reserved %llu",
		 (unsigned long long)s->usage, (unsigned long long)s->min,
		 (unsigned long long)s->max, (unsigned long long)s->soft,
		 (unsigned long long)s->hard, (unsigned long long)s->hits,
		 (unsigned long long)s->soft_hits, (unsigned long long)s->reserved);
	return b;
}

static int is_default(const struct vs_limit_stat *s)
{
	return s->usage == 0 && s->min == 0 && s->max == 0 && s->soft == INF &&
	       s->hard == INF && s->hits == 0 && s->soft_hits == 0 && s->reserved == 0;
}

static long tasks_of(__u32 xid)
{
	struct vs_context_info info;
	int r = vs_info(xid, &info);

	return r ? r : (long)info.tasks;
}

/* vs_wait_tasks() as a number for the report: the task count seen last. */
static long wait_tasks(__u32 xid, __u32 tasks, int timeout_ms)
{
	vs_wait_tasks(xid, tasks, timeout_ms);
	return tasks_of(xid);
}

/* ---- the agent ----------------------------------------------------------- */

enum {
	OP_OPEN = AGENT_OP_FIRST,	/* a: up to a more opens of /dev/null; stops at the first failure */
	OP_SOCK,	/* a: up to a more socket(AF_UNIX, SOCK_DGRAM) */
	OP_SOCKPAIR,	/* one socketpair(AF_UNIX, SOCK_DGRAM) */
	OP_PIPE,	/* one pipe */
	OP_DUP,		/* dup of the newest fd */
	OP_CLOSE,	/* a: closes the a newest fds */
	OP_CLOSE_PRE,	/* closes the description it opened before MIGRATE */
	OP_SELF,	/* GET_LIMITS(VS_XID_SELF): val = xid out, a = usage of res, b = count */
	OP_FORK,	/* a: up to a more children that wait for OP_RELEASE */
	OP_THREAD,	/* a: up to a more threads that wait for OP_RELEASE */
	OP_RELEASE,	/* ends the children and threads; val = how many */
};

#define AG_MAX_FDS	256
#define AG_MAX_KIDS	256

/* The agent's own state (in the agent process). */
static int ag_fds[AG_MAX_FDS], ag_nfds, ag_pre = -1, ag_thr[2] = { -1, -1 };
static pid_t ag_kids[AG_MAX_KIDS];
static int ag_nkids;
static pthread_t ag_threads[AG_MAX_KIDS];
static int ag_nthreads;

static void *ag_thread_fn(void *arg)
{
	char c;

	(void)arg;
	while (read(ag_thr[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int ag_release(void)
{
	int i, n = 0;
	char c = 0;

	for (i = 0; i < ag_nkids; i++) {
		kill(ag_kids[i], SIGKILL);
		if (waitpid(ag_kids[i], NULL, 0) == ag_kids[i])
			n++;
	}
	ag_nkids = 0;
	for (i = 0; i < ag_nthreads; i++)
		if (write(ag_thr[1], &c, 1) != 1)
			break;
	for (i = 0; i < ag_nthreads; i++)
		if (!pthread_join(ag_threads[i], NULL))
			n++;
	ag_nthreads = 0;
	return n;
}

static struct agent_ans ag_do(const struct agent_msg *m)
{
	struct agent_ans a = { 0, 0, 0, 0 };
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_limit_stats s;
	pthread_attr_t attr;
	int i, fd, sv[2], r;
	pid_t pid;

	switch (m->op) {
	case OP_OPEN:
	case OP_SOCK:
		for (i = 0; (__u64)i < m->a && ag_nfds < AG_MAX_FDS; i++) {
			if (m->op == OP_OPEN)
				fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			else
				fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				a.err = errno;
				break;
			}
			ag_fds[ag_nfds++] = fd;
			a.val++;
		}
		break;
	case OP_SOCKPAIR:
	case OP_PIPE:
		if (ag_nfds + 2 > AG_MAX_FDS) {
			a.val = -1;
			a.err = EMFILE;
			break;
		}
		if (m->op == OP_SOCKPAIR)
			r = socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv);
		else
			r = pipe2(sv, O_CLOEXEC);
		if (r) {
			a.val = -1;
			a.err = errno;
			break;
		}
		ag_fds[ag_nfds++] = sv[0];
		ag_fds[ag_nfds++] = sv[1];
		break;
	case OP_DUP:
		fd = ag_nfds && ag_nfds < AG_MAX_FDS ? dup(ag_fds[ag_nfds - 1]) : -1;
		if (fd < 0) {
			a.val = -1;
			a.err = ag_nfds ? errno : EBADF;
			break;
		}
		ag_fds[ag_nfds++] = fd;
		break;
	case OP_CLOSE:
		for (i = 0; (__u64)i < m->a && ag_nfds; i++, a.val++)
			close(ag_fds[--ag_nfds]);
		break;
	case OP_CLOSE_PRE:
		a.val = close(ag_pre);
		a.err = a.val ? errno : 0;
		ag_pre = -1;
		break;
	case OP_SELF:
		memset(st, 0, sizeof(st));
		s.xid = VS_XID_SELF;
		s.count = VS_LIMIT_COUNT;
		s.stats = (__u64)(uintptr_t)st;
		r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
		if (r) {
			a.val = -1;
			a.err = -r;
			break;
		}
		a.val = s.xid;
		a.a = st[m->res >= 0 && m->res < VS_LIMIT_COUNT ? m->res : 0].usage;
		a.b = s.count;
		break;
	case OP_FORK:
		for (i = 0; (__u64)i < m->a && ag_nkids < AG_MAX_KIDS; i++) {
			pid = fork();
			if (pid == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
				for (;;)
					pause();
			}
			if (pid < 0) {
				a.err = errno;
				break;
			}
			ag_kids[ag_nkids++] = pid;
			a.val++;
		}
		break;
	case OP_THREAD:
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		for (i = 0; (__u64)i < m->a && ag_nthreads < AG_MAX_KIDS; i++) {
			r = pthread_create(&ag_threads[ag_nthreads], &attr, ag_thread_fn, NULL);
			if (r) {
				a.err = r;
				break;
			}
			ag_nthreads++;
			a.val++;
		}
		pthread_attr_destroy(&attr);
		break;
	case OP_RELEASE:
		a.val = ag_release();
		break;
	default:
		a.val = -1;
		a.err = EINVAL;
	}
	return a;
}

/* Opened before entering: charged to nobody. */
static int ag_setup(void)
{
	ag_pre = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (ag_pre < 0 || pipe2(ag_thr, O_CLOEXEC))
		return errno;
	return 0;
}

static void ag_release_all(void)
{
	ag_release();
}

static const struct agent_ops ag_ops = {
	.setup = ag_setup,
	.handle = ag_do,
	.release = ag_release_all,
};

/* ---- bad inputs from a non-root host process and from a guest ------------- */

static void nonroot_cases(void *arg)
{
	struct vs_limit l = { .xid = XA, .resource = VS_LIMIT_NOFILE, .soft = 10, .hard = 10 };
	struct vs_rlimit rl = { .xid = XA, .resource = RLIMIT_NOFILE, .ceiling = 10 };
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	long r;

	(void)arg;
	r = VS_ERR(setresgid(65534, 65534, 65534));
	if (!r)
		r = VS_ERR(setresuid(65534, 65534, 65534));
	vs_expect(r, 0, "a host process drops to uid 65534");
	vs_expect(vs_ioctl(VS_IOC_SET_LIMIT, &l), -EPERM, "non-root: SET_LIMIT -> EPERM");
	vs_expect(vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XA), -EPERM, "non-root: RESET_LIMITS -> EPERM");
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, &rl), -EPERM, "non-root: SET_RLIMIT -> EPERM");
	vs_expect(vs_limit_stats(XA, st), 0, "non-root: GET_LIMITS of %d still works", XA);
}

static void guest_cases(void *arg)
{
	struct vs_limit l = { .xid = XA, .resource = VS_LIMIT_NOFILE, .soft = 10, .hard = 10 };
	struct vs_rlimit rl = { .xid = XA, .resource = RLIMIT_NOFILE, .ceiling = 10 };
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_limit_stats s = { .xid = VS_XID_SELF, .count = VS_LIMIT_COUNT,
				    .stats = (__u64)(uintptr_t)st };
	long r;

	(void)arg;
	vs_expect(vs_migrate(XA), 0, "a guest enters %d", XA);
	vs_expect(vs_ioctl(VS_IOC_SET_LIMIT, &l), -EPERM, "guest: SET_LIMIT of its own context -> EPERM");
	vs_expect(vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XA), -EPERM,
		  "guest: RESET_LIMITS of its own context -> EPERM");
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, &rl), -EPERM, "guest: SET_RLIMIT of its own context -> EPERM");
	vs_expect(vs_limit_stats(XD, st), -ESRCH, "guest: GET_LIMITS of another context -> ESRCH");
	rl.xid = XD;
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, &rl), -ESRCH, "guest: GET_RLIMIT of another context -> ESRCH");

	memset(st, 0xa5, sizeof(st));
	r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
	vs_check(!r && s.xid == XA && s.count == VS_LIMIT_COUNT && st[VS_LIMIT_NPROC].usage == 1,
		 stat_str(&st[VS_LIMIT_NPROC]),
		 "guest: GET_LIMITS(VS_XID_SELF) -> %s, xid %u, count %u, NPROC usage 1",
		 vs_errname(r), s.xid, s.count);
	vs_expect(vs_limit_stats(XA, st), 0, "guest: GET_LIMITS of its own context by id");
	rl.xid = VS_XID_SELF;
	rl.ceiling = 0;
	r = vs_ioctl(VS_IOC_GET_RLIMIT, &rl);
	vs_check(!r && rl.xid == XA && rl.ceiling == INF, NULL,
		 "guest: GET_RLIMIT(VS_XID_SELF) -> %s, xid %u, ceiling %#llx (none)",
		 vs_errname(r), rl.xid, (unsigned long long)rl.ceiling);
}

/* ---- the host's cases ---------------------------------------------------- */

static void bad_inputs(void)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT + 5];
	struct vs_limit_stats s;
	struct vs_rlimit rl;
	struct vs_context_id id;
	long r;
	int i, ok;

	/* SET_LIMIT */
	vs_expect(vs_ioctl(VS_IOC_SET_LIMIT, NULL), -EFAULT, "SET_LIMIT from NULL -> EFAULT");
	vs_expect(vs_set_limit(XA, VS_LIMIT_NOFILE, 10, 5), -EINVAL, "SET_LIMIT with soft > hard -> EINVAL");
	vs_expect(vs_set_limit(XA, VS_LIMIT_COUNT, 5, 10), -EINVAL,
		  "SET_LIMIT of resource VS_LIMIT_COUNT -> EINVAL");
	vs_expect(vs_set_limit(XA, 0xffffffffu, 5, 10), -EINVAL, "SET_LIMIT of resource 0xffffffff -> EINVAL");
	vs_expect(vs_set_limit(XUNKNOWN, VS_LIMIT_NOFILE, 5, 10), -ESRCH,
		  "SET_LIMIT of an unknown context -> ESRCH");
	vs_expect(vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100), 0, "SET_LIMIT with soft == hard works");
	gs = vs_limit_stats(XA, st);
	vs_check(!gs && st[VS_LIMIT_NOFILE].soft == 100 && st[VS_LIMIT_NOFILE].hard == 100 &&
		 st[VS_LIMIT_NPROC].hard == INF && st[VS_LIMIT_NSOCK].hard == INF,
		 stat_str(&st[VS_LIMIT_NOFILE]), "GET_LIMITS shows it, the other counters unchanged");
	vs_expect(vs_set_limit(XA, VS_LIMIT_NOFILE, INF, INF), 0, "SET_LIMIT back to no limit");

	/* GET_LIMITS */
	vs_expect(vs_ioctl(VS_IOC_GET_LIMITS, NULL), -EFAULT, "GET_LIMITS from NULL -> EFAULT");
	vs_expect(vs_limit_stats(VS_XID_SELF, st), -EINVAL, "GET_LIMITS(VS_XID_SELF) from the host -> EINVAL");
	vs_expect(vs_limit_stats(VS_XID_HOST, st), -EINVAL, "GET_LIMITS of the host context -> EINVAL");
	vs_expect(vs_limit_stats(XUNKNOWN, st), -ESRCH, "GET_LIMITS of an unknown context -> ESRCH");
	s.xid = XA;
	s.count = VS_LIMIT_COUNT;
	s.stats = 0;
	vs_expect(vs_ioctl(VS_IOC_GET_LIMITS, &s), -EFAULT, "GET_LIMITS into a NULL array -> EFAULT");
	s.count = 0;
	s.stats = 0;
	r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
	vs_check(!r && s.count == 0, NULL, "GET_LIMITS with no room -> %s, count %u (want 0, 0)",
		 vs_errname(r), s.count);
	memset(st, 0xa5, sizeof(st));
	s.count = 1;
	s.stats = (__u64)(uintptr_t)st;
	r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
	vs_check(!r && s.count == 1 && st[0].hard == INF && st[1].usage == 0xa5a5a5a5a5a5a5a5ULL, NULL,
		 "GET_LIMITS with room for 1 -> %s, count %u, writes only that one",
		 vs_errname(r), s.count);
	memset(st, 0xa5, sizeof(st));
	s.count = VS_LIMIT_COUNT + 5;
	r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
	for (i = 0, ok = 1; i < VS_LIMIT_COUNT + 5; i++)
		ok = ok && (i < VS_LIMIT_COUNT ? st[i].hard == INF : st[i].usage == 0xa5a5a5a5a5a5a5a5ULL);
	vs_check(!r && s.count == VS_LIMIT_COUNT && s.xid == XA && ok, NULL,
		 "GET_LIMITS with room for %d -> %s, count %u (want %d), writes no more",
		 VS_LIMIT_COUNT + 5, vs_errname(r), s.count, VS_LIMIT_COUNT);

	/* RESET_LIMITS */
	vs_expect(vs_ioctl(VS_IOC_RESET_LIMITS, NULL), -EFAULT, "RESET_LIMITS from NULL -> EFAULT");
	id.xid = XA;
	id.reserved = 1;
	vs_expect(vs_ioctl(VS_IOC_RESET_LIMITS, &id), -EINVAL, "RESET_LIMITS with reserved != 0 -> EINVAL");
	vs_expect(vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XUNKNOWN), -ESRCH,
		  "RESET_LIMITS of an unknown context -> ESRCH");

	/* SET_RLIMIT */
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, NULL), -EFAULT, "SET_RLIMIT from NULL -> EFAULT");
	rl.xid = XA;
	rl.resource = VS_RLIMIT_COUNT;
	rl.ceiling = 10;
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, &rl), -EINVAL, "SET_RLIMIT of resource %d -> EINVAL",
		  VS_RLIMIT_COUNT);
	rl.resource = 0xffffffffu;
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, &rl), -EINVAL, "SET_RLIMIT of resource 0xffffffff -> EINVAL");
	rl.xid = XUNKNOWN;
	rl.resource = RLIMIT_NOFILE;
	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, &rl), -ESRCH, "SET_RLIMIT of an unknown context -> ESRCH");

	/* GET_RLIMIT */
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, NULL), -EFAULT, "GET_RLIMIT from NULL -> EFAULT");
	rl.xid = XA;
	rl.resource = VS_RLIMIT_COUNT;
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, &rl), -EINVAL, "GET_RLIMIT of resource %d -> EINVAL",
		  VS_RLIMIT_COUNT);
	rl.xid = XUNKNOWN;
	rl.resource = RLIMIT_NOFILE;
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, &rl), -ESRCH, "GET_RLIMIT of an unknown context -> ESRCH");
	rl.xid = VS_XID_SELF;
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, &rl), -EINVAL, "GET_RLIMIT(VS_XID_SELF) from the host -> EINVAL");
}

static void nproc_cases(void)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct agent b, c, b2;
	struct agent_ans a;
	pid_t pid;
	int r;

	vs_expect(vs_set_limit(XB, VS_LIMIT_NPROC, 50, 50), 0, "%d: NPROC hard limit 50", XB);
	vs_expect(agent_start(&b, XB, &ag_ops), 0, "an agent enters %d", XB);
	a = agent_call(&b, OP_FORK, 0, 200, 0);
	vs_check(a.val == 49, ans_str(a), "%d: the agent forks 49 children (%lld), 50 tasks in all",
		 XB, (long long)a.val);
	vs_expect(-a.err, -EAGAIN, "%d: the next fork fails with EAGAIN", XB);
	vs_expect(tasks_of(XB), 50, "%d: GET_INFO counts 50 tasks", XB);
	gs = vs_limit_stats(XB, st);
	vs_check(!gs && st[VS_LIMIT_NPROC].usage == 50 && st[VS_LIMIT_NPROC].max == 50 &&
		 st[VS_LIMIT_NPROC].hits >= 1, stat_str(&st[VS_LIMIT_NPROC]),
		 "%d: NPROC usage 50, max 50, hits >= 1", XB);

	pid = fork();
	if (pid == 0)
		_exit(7);
	r = pid < 0 ? -errno : vs_child_status(pid, 10000);
	vs_expect(r, 7, "the host still forks while %d is at its limit", XB);
	vs_expect(agent_start(&c, XC, &ag_ops), 0, "an agent enters %d (no limits)", XC);
	a = agent_call(&c, OP_FORK, 0, 60, 0);
	vs_check(a.val == 60 && a.err == 0, ans_str(a),
		 "%d: the agent forks 60 children meanwhile (%lld)", XC, (long long)a.val);
	vs_expect(tasks_of(XC), 61, "%d: GET_INFO counts 61 tasks", XC);

	vs_expect(agent_start(&b2, XB, &ag_ops), 0,
		  "the host moves one more task into the full %d", XB);
	gs = vs_limit_stats(XB, st);
	vs_check(!gs && tasks_of(XB) == 51 && st[VS_LIMIT_NPROC].usage == 51 && st[VS_LIMIT_NPROC].max == 51,
		 stat_str(&st[VS_LIMIT_NPROC]), "%d: it is counted above the limit: 51 tasks", XB);
	vs_expect(agent_stop(&b2), 0, "that task leaves again");
	vs_expect(wait_tasks(XB, 50, 5000), 50, "%d: 50 tasks again", XB);

	vs_expect(vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10), 0, "%d: NPROC hard limit 10, below the usage", XB);
	a = agent_call(&b, OP_FORK, 0, 1, 0);
	vs_check(a.val == 0 && a.err == EAGAIN && tasks_of(XB) == 50, ans_str(a),
		 "%d: nothing is taken away (50 tasks), a fork fails with EAGAIN", XB);
	vs_expect(vs_set_limit(XB, VS_LIMIT_NPROC, 50, 50), 0, "%d: NPROC hard limit 50 again", XB);

	a = agent_call(&b, OP_RELEASE, 0, 0, 0);
	vs_check(a.val == 49, ans_str(a), "%d: the agent's 49 children end", XB);
	vs_expect(wait_tasks(XB, 1, 5000), 1, "%d: 1 task left", XB);
	a = agent_call(&b, OP_THREAD, 0, 200, 0);
	vs_check(a.val == 49 && a.err == EAGAIN, ans_str(a),
		 "%d: threads count too: 49 more threads, then pthread_create fails with EAGAIN", XB);
	vs_expect(usage_of(XB, VS_LIMIT_NPROC), 50, "%d: NPROC usage 50 with the threads", XB);
	a = agent_call(&b, OP_RELEASE, 0, 0, 0);
	vs_check(a.val == 49, ans_str(a), "%d: the 49 threads end", XB);
	vs_expect(wait_usage(XB, VS_LIMIT_NPROC, 1, 5000), 1, "%d: NPROC usage back to 1", XB);
	gs = vs_limit_stats(XB, st);
	vs_check(!gs && st[VS_LIMIT_NPROC].hits >= 3, stat_str(&st[VS_LIMIT_NPROC]),
		 "%d: each refused fork and thread counted a hit (>= 3)", XB);

	vs_expect(agent_stop(&c), 0, "the agent in %d ends with its 60 children", XC);
	vs_expect(agent_stop(&b), 0, "the agent in %d ends", XB);
}

static void nofile_cases(void)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct agent d;
	struct agent_ans a;

	vs_expect(vs_set_limit(XD, VS_LIMIT_NOFILE, 5, 20), 0, "%d: NOFILE soft 5, hard 20", XD);
	vs_expect(agent_start(&d, XD, &ag_ops), 0, "an agent enters %d", XD);
	a = agent_call(&d, OP_SELF, VS_LIMIT_NOFILE, 0, 0);
	vs_check(a.val == XD && a.b == VS_LIMIT_COUNT, ans_str(a),
		 "guest: GET_LIMITS(VS_XID_SELF) names its context %d", XD);
	vs_check(a.val == XD && a.a == 0, ans_str(a),
		 "guest: NOFILE usage 0 right after MIGRATE (what it opened before is nobody's)");
	a = agent_call(&d, OP_OPEN, 0, 100, 0);
	vs_check(a.val == 20, ans_str(a), "%d: the guest opens /dev/null 20 times (%lld)",
		 XD, (long long)a.val);
	vs_expect(-a.err, -ENFILE, "%d: the 21st open fails with ENFILE", XD);
	gs = vs_limit_stats(XD, st);
	vs_check(!gs && st[VS_LIMIT_NOFILE].usage == 20 && st[VS_LIMIT_NOFILE].max == 20,
		 stat_str(&st[VS_LIMIT_NOFILE]), "%d: NOFILE usage 20, max 20", XD);
	vs_check(!gs && st[VS_LIMIT_NOFILE].hits == 1, stat_str(&st[VS_LIMIT_NOFILE]),
		 "%d: the refusal counted 1 hit", XD);
	vs_check(!gs && st[VS_LIMIT_NOFILE].soft_hits == 15, stat_str(&st[VS_LIMIT_NOFILE]),
		 "%d: the 15 opens above the soft limit 5 counted as soft hits, none refused", XD);
	a = agent_call(&d, OP_DUP, 0, 0, 0);
	vs_check(a.val == 0 && usage_of(XD, VS_LIMIT_NOFILE) == 20, ans_str(a),
		 "%d: dup works at the limit: it shares the description (usage 20)", XD);
	a = agent_call(&d, OP_SOCK, 0, 1, 0);
	vs_check(a.val == 0 && a.err == ENFILE, ans_str(a),
		 "%d: socket() at the NOFILE limit fails with ENFILE (a socket is a file)", XD);
	vs_expect(wait_usage(XD, VS_LIMIT_NSOCK, 0, 2000), 0, "%d: the refused socket is not left in NSOCK", XD);
	agent_call(&d, OP_CLOSE, 0, 1, 0);	/* the dup */
	a = agent_call(&d, OP_CLOSE_PRE, 0, 0, 0);
	vs_check(a.val == 0 && usage_of(XD, VS_LIMIT_NOFILE) == 20, ans_str(a),
		 "%d: closing the dup and a description from before MIGRATE uncharges nothing", XD);

	vs_expect(vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XD), 0, "RESET_LIMITS of %d", XD);
	gs = vs_limit_stats(XD, st);
	vs_check(!gs && st[VS_LIMIT_NOFILE].usage == 20 && st[VS_LIMIT_NOFILE].min == 20 &&
		 st[VS_LIMIT_NOFILE].max == 20 && st[VS_LIMIT_NOFILE].hits == 0 &&
		 st[VS_LIMIT_NOFILE].soft_hits == 0 && st[VS_LIMIT_NOFILE].soft == 5 &&
		 st[VS_LIMIT_NOFILE].hard == 20, stat_str(&st[VS_LIMIT_NOFILE]),
		 "%d: after the reset min = max = usage = 20, no hits, limits kept", XD);

	vs_expect(vs_set_limit(XD, VS_LIMIT_NOFILE, 5, 10), 0, "%d: NOFILE hard limit 10, below the usage", XD);
	vs_expect(usage_of(XD, VS_LIMIT_NOFILE), 20, "%d: nothing is taken away (usage 20)", XD);
	a = agent_call(&d, OP_OPEN, 0, 1, 0);
	vs_check(a.val == 0 && a.err == ENFILE, ans_str(a), "%d: an open fails with ENFILE", XD);
	agent_call(&d, OP_CLOSE, 0, 15, 0);
	vs_expect(wait_usage(XD, VS_LIMIT_NOFILE, 5, 2000), 5, "%d: 15 closes bring the usage to 5", XD);
	a = agent_call(&d, OP_OPEN, 0, 100, 0);
	vs_check(a.val == 5 && a.err == ENFILE, ans_str(a),
		 "%d: below the new limit opens work again, 5 up to it (%lld)", XD, (long long)a.val);
	gs = vs_limit_stats(XD, st);
	vs_check(!gs && st[VS_LIMIT_NOFILE].usage == 10 && st[VS_LIMIT_NOFILE].min == 5 &&
		 st[VS_LIMIT_NOFILE].max == 20, stat_str(&st[VS_LIMIT_NOFILE]),
		 "%d: usage 10, min 5 (the low point), max 20 (the peak since the reset)", XD);
	vs_check(!gs && st[VS_LIMIT_NOFILE].hits == 2 && st[VS_LIMIT_NOFILE].soft_hits == 5,
		 stat_str(&st[VS_LIMIT_NOFILE]), "%d: since the reset 2 hits and 5 soft hits", XD);

	agent_call(&d, OP_CLOSE, 0, 100, 0);
	vs_expect(wait_usage(XD, VS_LIMIT_NOFILE, 0, 2000), 0, "%d: closing everything: usage 0", XD);
	a = agent_call(&d, OP_PIPE, 0, 0, 0);
	vs_check(a.val == 0 && usage_of(XD, VS_LIMIT_NOFILE) == 2, ans_str(a),
		 "%d: a pipe counts 2 descriptions", XD);
	vs_expect(agent_stop(&d), 0, "the agent in %d ends", XD);
}

static void nsock_cases(void)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct agent e;
	struct agent_ans a;

	vs_expect(vs_set_limit(XE, VS_LIMIT_NSOCK, 2, 5), 0, "%d: NSOCK soft 2, hard 5", XE);
	vs_expect(agent_start(&e, XE, &ag_ops), 0, "an agent enters %d", XE);
	a = agent_call(&e, OP_SOCK, 0, 100, 0);
	vs_check(a.val == 5, ans_str(a), "%d: the guest creates 5 Unix sockets (%lld)", XE, (long long)a.val);
	vs_expect(-a.err, -ENFILE, "%d: the 6th socket() fails with ENFILE", XE);
	gs = vs_limit_stats(XE, st);
	vs_check(!gs && st[VS_LIMIT_NSOCK].usage == 5 && st[VS_LIMIT_NSOCK].max == 5 &&
		 st[VS_LIMIT_NSOCK].hits == 1 && st[VS_LIMIT_NSOCK].soft_hits == 3,
		 stat_str(&st[VS_LIMIT_NSOCK]), "%d: NSOCK usage 5, max 5, 1 hit, 3 soft hits", XE);
	vs_check(!gs && st[VS_LIMIT_NOFILE].usage == 5 && st[VS_LIMIT_NOFILE].hits == 0,
		 stat_str(&st[VS_LIMIT_NOFILE]), "%d: the sockets are 5 files in NOFILE too", XE);

	agent_call(&e, OP_CLOSE, 0, 2, 0);
	vs_expect(wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000), 3, "%d: closing 2 sockets: NSOCK usage 3", XE);
	a = agent_call(&e, OP_SOCKPAIR, 0, 0, 0);
	vs_check(a.val == 0 && usage_of(XE, VS_LIMIT_NSOCK) == 5, ans_str(a),
		 "%d: a socketpair counts 2 sockets (usage 5)", XE);
	a = agent_call(&e, OP_SOCKPAIR, 0, 0, 0);
	vs_check(a.val == -1 && a.err == ENFILE && usage_of(XE, VS_LIMIT_NSOCK) == 5, ans_str(a),
		 "%d: another socketpair at the limit fails with ENFILE", XE);
	agent_call(&e, OP_CLOSE, 0, 2, 0);	/* both ends of the pair */
	wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000);	/* the pair is freed */
	a = agent_call(&e, OP_SOCK, 0, 1, 0);
	vs_check(a.val == 1 && wait_usage(XE, VS_LIMIT_NSOCK, 4, 2000) == 4, ans_str(a),
		 "%d: closing the pair and opening 1 socket: NSOCK usage 4", XE);
	a = agent_call(&e, OP_SOCKPAIR, 0, 0, 0);
	vs_check(a.val == -1 && a.err == ENFILE, ans_str(a),
		 "%d: a socketpair with room for one end fails with ENFILE", XE);
	vs_expect(wait_usage(XE, VS_LIMIT_NSOCK, 4, 2000), 4, "%d: its first end is not left counted", XE);
	gs = vs_limit_stats(XE, st);
	vs_check(!gs && st[VS_LIMIT_NSOCK].hits == 3, stat_str(&st[VS_LIMIT_NSOCK]),
		 "%d: 3 refusals, 3 hits", XE);
	agent_call(&e, OP_CLOSE, 0, 100, 0);
	vs_check(wait_usage(XE, VS_LIMIT_NSOCK, 0, 2000) == 0 && wait_usage(XE, VS_LIMIT_NOFILE, 0, 2000) == 0,
		 NULL, "%d: closing every socket: NSOCK and NOFILE usage 0", XE);
	vs_expect(agent_stop(&e), 0, "the agent in %d ends", XE);
}

int main(void)
{
	static const __u32 xids[] = { XA, XB, XC, XD, XE };
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_rlimit rl;
	unsigned int i;
	long r;

	ktap_plan(132);
	signal(SIGPIPE, SIG_IGN);
	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	for (i = 0; i < sizeof(xids) / sizeof(xids[0]); i++)
		vs_expect(vs_create(xids[i], VS_CF_PERSISTENT), xids[i], "create context %u", xids[i]);

	r = vs_limit_stats(XA, st);
	vs_expect(r, 0, "GET_LIMITS of a fresh context");
	for (i = 0; i < VS_LIMIT_COUNT; i++)
		vs_check(is_default(&st[i]), stat_str(&st[i]),
			 "fresh %s: soft and hard VS_LIMIT_INFINITY, usage/min/max/hits 0", lname[i]);

	bad_inputs();
	vs_ktap_fork(nonroot_cases, NULL, 20000);
	vs_ktap_fork(guest_cases, NULL, 20000);
	gs = vs_limit_stats(XA, st);
	rl.xid = XA;
	rl.resource = RLIMIT_NOFILE;
	rl.ceiling = 0;
	r = vs_ioctl(VS_IOC_GET_RLIMIT, &rl);
	vs_check(!gs && !r && rl.ceiling == INF && st[VS_LIMIT_NOFILE].soft == INF &&
		 st[VS_LIMIT_NOFILE].hard == INF && st[VS_LIMIT_NOFILE].hits == 0,
		 stat_str(&st[VS_LIMIT_NOFILE]),
		 "the refused SET_LIMIT/SET_RLIMIT/RESET_LIMITS changed nothing (ceiling %#llx)",
		 (unsigned long long)rl.ceiling);

	nproc_cases();
	nofile_cases();
	nsock_cases();

	/* Every guest is gone: every counter of every context reads 0. */
	for (i = 0; i < sizeof(xids) / sizeof(xids[0]); i++) {
		vs_wait_tasks(xids[i], 0, 5000);
		vs_check(wait_all_zero(xids[i], st, 5000), NULL,
			 "%u: no tasks left, every usage 0 (NPROC %llu NOFILE %llu NSOCK %llu)", xids[i],
			 (unsigned long long)st[0].usage, (unsigned long long)st[1].usage,
			 (unsigned long long)st[2].usage);
	}
	gs = vs_limit_stats(XB, st);
	vs_check(!gs && st[VS_LIMIT_NPROC].max == 51 && st[VS_LIMIT_NPROC].min == 0,
		 stat_str(&st[VS_LIMIT_NPROC]), "%d: NPROC max kept the peak 51, min 0", XB);
	gs = vs_limit_stats(XC, st);
	vs_check(!gs && st[VS_LIMIT_NPROC].max == 61 && st[VS_LIMIT_NPROC].hits == 0,
		 stat_str(&st[VS_LIMIT_NPROC]), "%d: NPROC max kept the peak 61, no hits", XC);
	gs = vs_limit_stats(XD, st);
	vs_check(!gs && st[VS_LIMIT_NOFILE].max == 20 && st[VS_LIMIT_NOFILE].min == 0,
		 stat_str(&st[VS_LIMIT_NOFILE]), "%d: NOFILE max kept the peak 20, min 0", XD);
	gs = vs_limit_stats(XE, st);
	vs_check(!gs && st[VS_LIMIT_NSOCK].max == 5 && st[VS_LIMIT_NOFILE].max == 5,
		 stat_str(&st[VS_LIMIT_NSOCK]), "%d: NSOCK and NOFILE max kept the peak 5", XE);

	for (i = 0; i < sizeof(xids) / sizeof(xids[0]); i++) {
		r = vs_remove(xids[i]);
		vs_expect(r, 0, "remove context %u", xids[i]);
		if (r)
			vs_destroy(xids[i]);
	}
	return ktap_finish();
}
