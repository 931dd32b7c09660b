// SPDX-License-Identifier: GPL-2.0
/*
 * Context-wide resource limits: the bad inputs of VS_IOC_SET_LIMIT,
 * VS_IOC_GET_LIMITS, VS_IOC_RESET_LIMITS, VS_IOC_SET_RLIMIT and
 * VS_IOC_GET_RLIMIT (the host and the spectator have no counters, and no
 * ceilings); GET_LIMITS as a list (E2BIG with its total, writing nothing,
 * when the room is short); the defaults of a fresh context; NPROC (a fork bomb and
 * a thread bomb stop at the hard limit, while the host and an unlimited guest
 * go on forking), NOFILE and NSOCK at their hard limits; soft limits, min,
 * max, RESET_LIMITS, a hard limit set below the usage; and every usage back
 * at 0 once the guests are gone.
 *
 * A guest "agent" (a process migrated into a context) does what the host
 * asks over a pipe, so the host can look at the counters between its steps.
 * A test that looks at a later step first replays the steps before it
 * (asserting each), so that every test can run alone.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../lib/harness.h"
#include "../lib/agent.h"

#define XA	5001	/* defaults, bad inputs, a guest's bad inputs */
#define XB	5002	/* NPROC hard 50 */
#define XC	5003	/* no limits: forks past 50 */
#define XD	5004	/* NOFILE soft 5, hard 20 */
#define XE	5005	/* NSOCK soft 2, hard 5 */
#define XUNKNOWN 5999	/* never created */

#define INF		VS_LIMIT_INFINITY
#define POISON		0xa5a5a5a5a5a5a5a5ULL

/* ---- counters ------------------------------------------------------------ */

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

static long tasks_of(__u32 xid)
{
	struct vs_context_info info;
	int r = vs_info(xid, &info);

	return r ? r : (long)info.tasks;
}

/* vs_wait_tasks() as a number for a check: the task count seen last. */
static long wait_tasks(__u32 xid, __u32 tasks, int timeout_ms)
{
	vs_wait_tasks(xid, tasks, timeout_ms);
	return tasks_of(xid);
}

/* GET_LIMITS of @xid into @st, which the test needs to go on. */
#define ASSERT_STATS(xid, st)								\
	do {										\
		ASSERT_EQ(0, vs_limit_stats((xid), (st)));				\
	} while (0)

/* Field @field of counter @res in @st is @want; the whole counter is logged if not. */
#define EXPECT_STAT(want, st, res, field)						\
	do {										\
		EXPECT_EQ((__u64)(want), (st)[res].field) {				\
			TH_LOG("%s", stat_str(&(st)[res]));				\
		}									\
	} while (0)

/* An agent's answer field is @want; the whole answer is logged if not. */
#define EXPECT_ANS(want, ans, field)							\
	do {										\
		EXPECT_EQ((want), (ans).field) {					\
			TH_LOG("%s", ans_str(ans));					\
		}									\
	} while (0)

#define ASSERT_ANS(want, ans, field)							\
	do {										\
		ASSERT_EQ((want), (ans).field) {					\
			TH_LOG("%s", ans_str(ans));					\
		}									\
	} while (0)

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
	struct vs_limit_stats s = { .xid = VS_XID_SELF, .count = VS_LIMIT_COUNT,
				    .stats = (__u64)(uintptr_t)st };
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

/* ---- a fresh context ----------------------------------------------------- */

FIXTURE(fresh) {
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	int stats;	/* GET_LIMITS' answer */
};

/* One variant per counter. */
FIXTURE_VARIANT(fresh) {
	int resource;
};

FIXTURE_VARIANT_ADD(fresh, nproc) { .resource = VS_LIMIT_NPROC };
FIXTURE_VARIANT_ADD(fresh, nofile) { .resource = VS_LIMIT_NOFILE };
FIXTURE_VARIANT_ADD(fresh, nsock) { .resource = VS_LIMIT_NSOCK };

FIXTURE_SETUP(fresh)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
	self->stats = vs_limit_stats(XA, self->st);
}

FIXTURE_TEARDOWN(fresh)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(fresh, get_limits_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, self->stats);
}

TEST_F_TIMEOUT(fresh, soft_and_hard_limits_are_vs_limit_infinity, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->stats);
	EXPECT_STAT(INF, self->st, variant->resource, soft);
	EXPECT_STAT(INF, self->st, variant->resource, hard);
}

TEST_F_TIMEOUT(fresh, usage_min_and_max_are_0, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->stats);
	EXPECT_STAT(0, self->st, variant->resource, usage);
	EXPECT_STAT(0, self->st, variant->resource, min);
	EXPECT_STAT(0, self->st, variant->resource, max);
}

TEST_F_TIMEOUT(fresh, hits_soft_hits_and_reserved_are_0, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->stats);
	EXPECT_STAT(0, self->st, variant->resource, hits);
	EXPECT_STAT(0, self->st, variant->resource, soft_hits);
	EXPECT_STAT(0, self->st, variant->resource, reserved);
}

TEST_F_TIMEOUT(fresh, the_context_is_removed_unused, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_remove(XA));
	EXPECT_EQ(1, vs_wait_gone(XA, 2000));
	vs_h_forget(XA);
}

/* ---- the requests, refused or not ---------------------------------------- */

enum request {
	REQ_SET_LIMIT,
	REQ_GET_LIMITS,
	REQ_RESET_LIMITS,
	REQ_SET_RLIMIT,
	REQ_GET_RLIMIT,
};

/* What a request names; the zero of each field is a valid value. */
struct request_args {
	enum request request;
	bool null_arg;		/* a NULL argument instead of the struct */
	__u32 xid;		/* 0: XA, unless host_context or spectator_context */
	bool host_context;	/* VS_XID_HOST (which is 0) */
	bool spectator_context;	/* VS_XID_SPECTATOR */
	__u32 resource;		/* VS_LIMIT_* or RLIMIT_*; 0: NOFILE */
	bool soft_above_hard;
	__u32 reserved;		/* RESET_LIMITS' and GET_LIMITS' reserved field */
	__u64 flags;		/* SET_LIMIT's, SET_RLIMIT's and GET_RLIMIT's flags */
	bool null_stats;	/* GET_LIMITS into a NULL array */
};

static const unsigned long request_number[] = {
	[REQ_SET_LIMIT] = VS_IOC_SET_LIMIT,
	[REQ_GET_LIMITS] = VS_IOC_GET_LIMITS,
	[REQ_RESET_LIMITS] = VS_IOC_RESET_LIMITS,
	[REQ_SET_RLIMIT] = VS_IOC_SET_RLIMIT,
	[REQ_GET_RLIMIT] = VS_IOC_GET_RLIMIT,
};

/*
 * Sends the request @r describes: NOFILE of XA soft 10 hard 10 (soft 10 hard
 * 5 with soft_above_hard), ceiling 10, room for every counter. 0 or -errno.
 */
static int send_request(const struct request_args *r)
{
	__u32 xid = r->host_context ? VS_XID_HOST :
		    r->spectator_context ? VS_XID_SPECTATOR : r->xid ? r->xid : XA;
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_limit l = { .xid = xid, .soft = 10, .hard = r->soft_above_hard ? 5 : 10,
			      .resource = r->resource ? r->resource : VS_LIMIT_NOFILE,
			      .flags = r->flags };
	struct vs_limit_stats s = { .xid = xid, .count = VS_LIMIT_COUNT, .reserved = r->reserved,
				    .stats = r->null_stats ? 0 : (__u64)(uintptr_t)st };
	struct vs_context_id id = { .xid = xid, .reserved = r->reserved };
	struct vs_rlimit rl = { .xid = xid, .resource = r->resource ? r->resource : RLIMIT_NOFILE,
				.ceiling = 10, .flags = r->flags };
	void *arg;

	switch (r->request) {
	case REQ_SET_LIMIT:
		arg = &l;
		break;
	case REQ_GET_LIMITS:
		arg = &s;
		break;
	case REQ_RESET_LIMITS:
		arg = &id;
		break;
	default:
		arg = &rl;
	}
	return vs_ioctl(request_number[r->request], r->null_arg ? NULL : arg);
}

/* The refused requests left XA as it was: no limit, no hit, no ceiling. */
static void xa_is_unchanged(struct __test_metadata *_metadata)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	__u64 ceiling = 0;
	struct vs_rlimit rl = { .xid = XA, .resource = RLIMIT_NOFILE };
	int i;

	EXPECT_EQ(0, vs_limit_stats(XA, st));
	for (i = 0; i < VS_LIMIT_COUNT; i++) {
		EXPECT_STAT(INF, st, i, soft);
		EXPECT_STAT(INF, st, i, hard);
		EXPECT_STAT(0, st, i, hits);
	}
	EXPECT_EQ(0, vs_ioctl(VS_IOC_GET_RLIMIT, &rl));
	ceiling = rl.ceiling;
	EXPECT_EQ(INF, ceiling);
}

/* Bad requests of the host, each with its errno. */
FIXTURE(refused) {
	int unused;
};

FIXTURE_VARIANT(refused) {
	struct request_args args;
	int error;
};

FIXTURE_SETUP(refused)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(refused)
{
	vs_h_destroy_all();
}

FIXTURE_VARIANT_ADD(refused, set_limit_from_null) {
	.args = { .request = REQ_SET_LIMIT, .null_arg = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, set_limit_with_soft_above_hard) {
	.args = { .request = REQ_SET_LIMIT, .soft_above_hard = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_resource_vs_limit_count) {
	.args = { .request = REQ_SET_LIMIT, .resource = VS_LIMIT_COUNT }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_resource_0xffffffff) {
	.args = { .request = REQ_SET_LIMIT, .resource = 0xffffffffu }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_an_unknown_context) {
	.args = { .request = REQ_SET_LIMIT, .xid = XUNKNOWN }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_the_host_context) {
	.args = { .request = REQ_SET_LIMIT, .host_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_the_spectator_context) {
	.args = { .request = REQ_SET_LIMIT, .spectator_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_of_self_from_the_host) {
	.args = { .request = REQ_SET_LIMIT, .xid = VS_XID_SELF }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_with_flag_bit_0) {
	.args = { .request = REQ_SET_LIMIT, .flags = 1 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_limit_with_flag_bit_63) {
	.args = { .request = REQ_SET_LIMIT, .flags = 1ULL << 63 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_from_null) {
	.args = { .request = REQ_GET_LIMITS, .null_arg = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, get_limits_of_self_from_the_host) {
	.args = { .request = REQ_GET_LIMITS, .xid = VS_XID_SELF }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_of_the_host_context) {
	.args = { .request = REQ_GET_LIMITS, .host_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_of_the_spectator_context) {
	.args = { .request = REQ_GET_LIMITS, .spectator_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_of_an_unknown_context) {
	.args = { .request = REQ_GET_LIMITS, .xid = XUNKNOWN }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, get_limits_with_reserved_set) {
	.args = { .request = REQ_GET_LIMITS, .reserved = 1 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_with_reserved_bit_31) {
	.args = { .request = REQ_GET_LIMITS, .reserved = 1U << 31 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_limits_into_a_null_array) {
	.args = { .request = REQ_GET_LIMITS, .null_stats = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_from_null) {
	.args = { .request = REQ_RESET_LIMITS, .null_arg = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_with_reserved_set) {
	.args = { .request = REQ_RESET_LIMITS, .reserved = 1 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_of_an_unknown_context) {
	.args = { .request = REQ_RESET_LIMITS, .xid = XUNKNOWN }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_of_the_host_context) {
	.args = { .request = REQ_RESET_LIMITS, .host_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_of_the_spectator_context) {
	.args = { .request = REQ_RESET_LIMITS, .spectator_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, reset_limits_of_self_from_the_host) {
	.args = { .request = REQ_RESET_LIMITS, .xid = VS_XID_SELF }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_from_null) {
	.args = { .request = REQ_SET_RLIMIT, .null_arg = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_resource_vs_rlimit_count) {
	.args = { .request = REQ_SET_RLIMIT, .resource = VS_RLIMIT_COUNT }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_resource_0xffffffff) {
	.args = { .request = REQ_SET_RLIMIT, .resource = 0xffffffffu }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_an_unknown_context) {
	.args = { .request = REQ_SET_RLIMIT, .xid = XUNKNOWN }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_the_host_context) {
	.args = { .request = REQ_SET_RLIMIT, .host_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_the_spectator_context) {
	.args = { .request = REQ_SET_RLIMIT, .spectator_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_self_from_the_host) {
	.args = { .request = REQ_SET_RLIMIT, .xid = VS_XID_SELF }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_with_flag_bit_0) {
	.args = { .request = REQ_SET_RLIMIT, .flags = 1 }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_from_null) {
	.args = { .request = REQ_GET_RLIMIT, .null_arg = true }, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_resource_vs_rlimit_count) {
	.args = { .request = REQ_GET_RLIMIT, .resource = VS_RLIMIT_COUNT }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_an_unknown_context) {
	.args = { .request = REQ_GET_RLIMIT, .xid = XUNKNOWN }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_self_from_the_host) {
	.args = { .request = REQ_GET_RLIMIT, .xid = VS_XID_SELF }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_the_host_context) {
	.args = { .request = REQ_GET_RLIMIT, .host_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_the_spectator_context) {
	.args = { .request = REQ_GET_RLIMIT, .spectator_context = true }, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_with_flag_bit_0) {
	.args = { .request = REQ_GET_RLIMIT, .flags = 1 }, .error = EINVAL,
};

TEST_F_TIMEOUT(refused, answers_its_errno, VS_H_TIMEOUT)
{
	EXPECT_EQ(-variant->error, send_request(&variant->args));
}

TEST_F_TIMEOUT(refused, changes_nothing, VS_H_TIMEOUT)
{
	send_request(&variant->args);
	xa_is_unchanged(_metadata);
}

/* ---- SET_LIMIT and GET_LIMITS that work ----------------------------------- */

FIXTURE(limits_of_xa) {
	int unused;
};

FIXTURE_SETUP(limits_of_xa)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(limits_of_xa)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(limits_of_xa, set_limit_with_soft_equal_to_hard_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100));
}

TEST_F_TIMEOUT(limits_of_xa, get_limits_shows_the_new_limits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	ASSERT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100));
	ASSERT_STATS(XA, st);
	EXPECT_STAT(100, st, VS_LIMIT_NOFILE, soft);
	EXPECT_STAT(100, st, VS_LIMIT_NOFILE, hard);
}

TEST_F_TIMEOUT(limits_of_xa, set_limit_leaves_the_other_counters_unchanged, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	ASSERT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100));
	ASSERT_STATS(XA, st);
	EXPECT_STAT(INF, st, VS_LIMIT_NPROC, hard);
	EXPECT_STAT(INF, st, VS_LIMIT_NSOCK, hard);
}

TEST_F_TIMEOUT(limits_of_xa, set_limit_back_to_no_limit_works, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	ASSERT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100));
	EXPECT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, INF, INF));
	ASSERT_STATS(XA, st);
	EXPECT_STAT(INF, st, VS_LIMIT_NOFILE, soft);
	EXPECT_STAT(INF, st, VS_LIMIT_NOFILE, hard);
}

/* ---- GET_LIMITS is a list ------------------------------------------------- */

/*
 * GET_LIMITS of XA with room for fewer counters than there are: E2BIG, count
 * 0, total VS_LIMIT_COUNT, nothing written (the poison survives).
 */
FIXTURE(too_little_room) {
	struct vs_limit_stat st[VS_LIMIT_COUNT + 5];
	struct vs_limit_stats s;
	int r;		/* the answer, 0 or -errno */
};

FIXTURE_VARIANT(too_little_room) {
	__u32 room;
};

FIXTURE_VARIANT_ADD(too_little_room, none) { .room = 0 };
FIXTURE_VARIANT_ADD(too_little_room, for_1) { .room = 1 };
FIXTURE_VARIANT_ADD(too_little_room, for_all_but_1) { .room = VS_LIMIT_COUNT - 1 };

FIXTURE_SETUP(too_little_room)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
	memset(self->st, 0xa5, sizeof(self->st));
	memset(&self->s, 0, sizeof(self->s));
	self->s.xid = XA;
	self->s.count = variant->room;
	self->s.total = 0xdeadbeef;
	self->s.stats = (__u64)(uintptr_t)self->st;
	self->r = vs_ioctl(VS_IOC_GET_LIMITS, &self->s);
}

FIXTURE_TEARDOWN(too_little_room)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(too_little_room, is_e2big, VS_H_TIMEOUT)
{
	EXPECT_EQ(-E2BIG, self->r) {
		TH_LOG("GET_LIMITS with room for %u of %d counters", variant->room, VS_LIMIT_COUNT);
	}
}

TEST_F_TIMEOUT(too_little_room, sets_count_to_0, VS_H_TIMEOUT)
{
	EXPECT_EQ(0U, self->s.count);
}

TEST_F_TIMEOUT(too_little_room, sets_total_to_vs_limit_count, VS_H_TIMEOUT)
{
	EXPECT_EQ((__u32)VS_LIMIT_COUNT, self->s.total);
}

TEST_F_TIMEOUT(too_little_room, writes_nothing_into_the_array, VS_H_TIMEOUT)
{
	int i;

	for (i = 0; i < VS_LIMIT_COUNT + 5; i++)
		EXPECT_STAT(POISON, self->st, i, usage);
}

TEST_F_TIMEOUT(too_little_room, retrying_with_room_for_the_total_works, VS_H_TIMEOUT)
{
	struct vs_limit_stats s = { .xid = XA, .count = self->s.total,
				    .stats = (__u64)(uintptr_t)self->st };

	ASSERT_EQ((__u32)VS_LIMIT_COUNT, self->s.total);
	EXPECT_EQ(0, vs_ioctl(VS_IOC_GET_LIMITS, &s));
	EXPECT_EQ((__u32)VS_LIMIT_COUNT, s.count);
}

/* No room and no array: E2BIG too, with the total to retry with. */
TEST_F_TIMEOUT(limits_of_xa, get_limits_with_no_room_and_no_array_is_e2big_with_the_total,
	       VS_H_TIMEOUT)
{
	struct vs_limit_stats s = { .xid = XA, .count = 0, .total = 0xdeadbeef, .stats = 0 };

	EXPECT_EQ(-E2BIG, vs_ioctl(VS_IOC_GET_LIMITS, &s));
	EXPECT_EQ(0U, s.count);
	EXPECT_EQ((__u32)VS_LIMIT_COUNT, s.total);
}

/*
 * GET_LIMITS of XA with room for every counter or more: count and total
 * VS_LIMIT_COUNT, every counter written, nothing after them.
 */
FIXTURE(enough_room) {
	struct vs_limit_stat st[VS_LIMIT_COUNT + 5];
	struct vs_limit_stats s;
	int r;		/* the answer, 0 or -errno */
};

FIXTURE_VARIANT(enough_room) {
	__u32 room;
};

FIXTURE_VARIANT_ADD(enough_room, for_every_counter) { .room = VS_LIMIT_COUNT };
FIXTURE_VARIANT_ADD(enough_room, for_5_more) { .room = VS_LIMIT_COUNT + 5 };

FIXTURE_SETUP(enough_room)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_set_limit(XA, VS_LIMIT_NOFILE, 100, 100));
	memset(self->st, 0xa5, sizeof(self->st));
	memset(&self->s, 0, sizeof(self->s));
	self->s.xid = XA;
	self->s.count = variant->room;
	self->s.total = 0xdeadbeef;
	self->s.stats = (__u64)(uintptr_t)self->st;
	self->r = vs_ioctl(VS_IOC_GET_LIMITS, &self->s);
}

FIXTURE_TEARDOWN(enough_room)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(enough_room, works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, self->r) {
		TH_LOG("GET_LIMITS with room for %u of %d counters", variant->room, VS_LIMIT_COUNT);
	}
}

TEST_F_TIMEOUT(enough_room, sets_count_to_vs_limit_count, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->r);
	EXPECT_EQ((__u32)VS_LIMIT_COUNT, self->s.count);
}

TEST_F_TIMEOUT(enough_room, sets_total_to_vs_limit_count, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->r);
	EXPECT_EQ((__u32)VS_LIMIT_COUNT, self->s.total);
}

TEST_F_TIMEOUT(enough_room, names_the_context, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->r);
	EXPECT_EQ((__u32)XA, self->s.xid);
}

TEST_F_TIMEOUT(enough_room, writes_every_counter_at_its_index, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, self->r);
	EXPECT_STAT(INF, self->st, VS_LIMIT_NPROC, hard);
	EXPECT_STAT(100, self->st, VS_LIMIT_NOFILE, hard);
	EXPECT_STAT(INF, self->st, VS_LIMIT_NSOCK, hard);
}

TEST_F_TIMEOUT(enough_room, writes_nothing_after_the_counters, VS_H_TIMEOUT)
{
	int i;

	ASSERT_EQ(0, self->r);
	for (i = VS_LIMIT_COUNT; i < VS_LIMIT_COUNT + 5; i++)
		EXPECT_STAT(POISON, self->st, i, usage);
}

/* ---- requests of a non-root host process and of a guest ------------------ */

/* A request and what it must answer. */
FIXTURE_VARIANT(non_root) {
	struct request_args args;
	int error;
};

FIXTURE(non_root) {
	int unused;
};

FIXTURE_SETUP(non_root)
{
	/* Opens the device as root: the child that drops root keeps it. */
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(non_root)
{
	vs_h_destroy_all();
}

FIXTURE_VARIANT_ADD(non_root, set_limit_is_eperm) {
	.args = { .request = REQ_SET_LIMIT }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(non_root, reset_limits_is_eperm) {
	.args = { .request = REQ_RESET_LIMITS }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(non_root, set_rlimit_is_eperm) {
	.args = { .request = REQ_SET_RLIMIT }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(non_root, get_limits_still_works) {
	.args = { .request = REQ_GET_LIMITS }, .error = 0,
};

struct expected_answer {
	const struct request_args *args;
	int error;
};

static void drops_root_and_sends(struct __test_metadata *_metadata, void *arg)
{
	const struct expected_answer *want = arg;
	long r = VS_ERR(setresgid(65534, 65534, 65534));

	if (!r)
		r = VS_ERR(setresuid(65534, 65534, 65534));
	EXPECT_EQ(0, r) {
		TH_LOG("a host process cannot drop to uid 65534");
	}
	if (!r)
		EXPECT_EQ(-want->error, send_request(want->args));
}

TEST_F_TIMEOUT(non_root, answers, VS_H_TIMEOUT)
{
	struct expected_answer want = { &variant->args, variant->error };

	vs_h_run(XA, VS_F_STAY, drops_root_and_sends, &want, 20000);
}

TEST_F_TIMEOUT(non_root, changes_nothing, VS_H_TIMEOUT)
{
	struct expected_answer want = { &variant->args, variant->error };

	vs_h_run(XA, VS_F_STAY, drops_root_and_sends, &want, 20000);
	xa_is_unchanged(_metadata);
}

/* Requests of a guest in XA; XD is another context. */
FIXTURE(guest) {
	int unused;
};

FIXTURE_VARIANT(guest) {
	struct request_args args;
	int error;
};

FIXTURE_SETUP(guest)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
	ASSERT_EQ(XD, vs_h_create(XD, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(guest)
{
	vs_h_destroy_all();
}

FIXTURE_VARIANT_ADD(guest, set_limit_of_its_own_context_is_eperm) {
	.args = { .request = REQ_SET_LIMIT }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(guest, reset_limits_of_its_own_context_is_eperm) {
	.args = { .request = REQ_RESET_LIMITS }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(guest, set_rlimit_of_its_own_context_is_eperm) {
	.args = { .request = REQ_SET_RLIMIT }, .error = EPERM,
};

FIXTURE_VARIANT_ADD(guest, get_limits_of_another_context_is_esrch) {
	.args = { .request = REQ_GET_LIMITS, .xid = XD }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(guest, get_rlimit_of_another_context_is_esrch) {
	.args = { .request = REQ_GET_RLIMIT, .xid = XD }, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(guest, get_limits_of_its_own_context_by_id_works) {
	.args = { .request = REQ_GET_LIMITS }, .error = 0,
};

static void sends(struct __test_metadata *_metadata, void *arg)
{
	const struct expected_answer *want = arg;

	EXPECT_EQ(-want->error, send_request(want->args));
}

TEST_F_TIMEOUT(guest, answers, VS_H_TIMEOUT)
{
	struct expected_answer want = { &variant->args, variant->error };

	vs_h_run(XA, 0, sends, &want, 20000);
}

TEST_F_TIMEOUT(guest, changes_nothing, VS_H_TIMEOUT)
{
	struct expected_answer want = { &variant->args, variant->error };

	vs_h_run(XA, 0, sends, &want, 20000);
	xa_is_unchanged(_metadata);
}

/* A guest in XA asks about its own context. */
FIXTURE(guest_self) {
	int unused;
};

FIXTURE_SETUP(guest_self)
{
	ASSERT_EQ(XA, vs_h_create(XA, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(guest_self)
{
	vs_h_destroy_all();
}

static void get_limits_of_self(struct __test_metadata *_metadata, void *arg)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_limit_stats s = { .xid = VS_XID_SELF, .count = VS_LIMIT_COUNT,
				    .stats = (__u64)(uintptr_t)st };

	memset(st, 0xa5, sizeof(st));
	EXPECT_EQ(0, vs_ioctl(VS_IOC_GET_LIMITS, &s));
	if (arg) {	/* the caller counts in NPROC */
		EXPECT_STAT(1, st, VS_LIMIT_NPROC, usage);
	} else {	/* the answer names the context */
		EXPECT_EQ((__u32)XA, s.xid);
		EXPECT_EQ((__u32)VS_LIMIT_COUNT, s.count);
	}
}

static void get_rlimit_of_self(struct __test_metadata *_metadata, void *arg)
{
	struct vs_rlimit rl = { .xid = VS_XID_SELF, .resource = RLIMIT_NOFILE, .ceiling = 0 };

	(void)arg;
	EXPECT_EQ(0, vs_ioctl(VS_IOC_GET_RLIMIT, &rl));
	EXPECT_EQ((__u32)XA, rl.xid);
	EXPECT_EQ(INF, rl.ceiling);
}

TEST_F_TIMEOUT(guest_self, get_limits_of_self_names_its_context_and_every_counter, VS_H_TIMEOUT)
{
	vs_h_run(XA, 0, get_limits_of_self, NULL, 20000);
}

TEST_F_TIMEOUT(guest_self, get_limits_of_self_counts_the_caller_in_nproc, VS_H_TIMEOUT)
{
	static int counts = 1;

	vs_h_run(XA, 0, get_limits_of_self, &counts, 20000);
}

TEST_F_TIMEOUT(guest_self, get_rlimit_of_self_reads_no_ceiling, VS_H_TIMEOUT)
{
	vs_h_run(XA, 0, get_rlimit_of_self, NULL, 20000);
}

TEST_F_TIMEOUT(guest_self, every_usage_is_0_once_the_guest_left, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	vs_h_run(XA, 0, get_limits_of_self, NULL, 20000);
	EXPECT_EQ(1, vs_wait_tasks(XA, 0, 5000));
	EXPECT_EQ(1, wait_all_zero(XA, st, 5000)) {
		TH_LOG("NPROC %llu NOFILE %llu NSOCK %llu", (unsigned long long)st[0].usage,
		       (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	}
}

/* ---- NPROC ---------------------------------------------------------------- */

FIXTURE(nproc) {
	struct agent b;		/* in XB, NPROC hard limit 50 */
	struct agent b2;	/* one more task the host moves into XB */
	struct agent c;		/* in XC, no limits */
};

FIXTURE_SETUP(nproc)
{
	signal(SIGPIPE, SIG_IGN);
	/* The agents' children, orphaned by a killed agent, are reaped by the teardown. */
	vs_become_subreaper();
	ASSERT_EQ(XB, vs_h_create(XB, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 50, 50));
	ASSERT_EQ(0, agent_start(&self->b, XB, &ag_ops));
}

FIXTURE_TEARDOWN(nproc)
{
	agent_kill(&self->b2);
	agent_kill(&self->b);
	agent_kill(&self->c);
	vs_h_destroy_all();
}

/* The fork bomb: the agent in XB forks until it is refused. */
static struct agent_ans fork_bomb(FIXTURE_DATA(nproc) *self)
{
	return agent_call(&self->b, OP_FORK, 0, 200, 0);
}

/* XB full: 50 tasks. */
static void fill_xb(struct __test_metadata *_metadata, FIXTURE_DATA(nproc) *self)
{
	struct agent_ans a = fork_bomb(self);

	ASSERT_ANS(49, a, val);
}

/* XB full, and the host moved one more task in. */
static void overfill_xb(struct __test_metadata *_metadata, FIXTURE_DATA(nproc) *self)
{
	fill_xb(_metadata, self);
	ASSERT_EQ(0, agent_start(&self->b2, XB, &ag_ops));
}

/* XC with its agent and its 60 children. */
static void start_xc(struct __test_metadata *_metadata, FIXTURE_DATA(nproc) *self)
{
	struct agent_ans a;

	ASSERT_EQ(XC, vs_h_create(XC, VS_CF_PERSISTENT));
	ASSERT_EQ(0, agent_start(&self->c, XC, &ag_ops));
	a = agent_call(&self->c, OP_FORK, 0, 60, 0);
	ASSERT_ANS(60, a, val);
}

TEST_F_TIMEOUT(nproc, the_guest_forks_49_children_50_tasks_in_all, VS_H_TIMEOUT)
{
	struct agent_ans a = fork_bomb(self);

	EXPECT_ANS(49, a, val);
}

TEST_F_TIMEOUT(nproc, the_next_fork_fails_with_eagain, VS_H_TIMEOUT)
{
	struct agent_ans a = fork_bomb(self);

	EXPECT_ANS(EAGAIN, a, err);
}

TEST_F_TIMEOUT(nproc, get_info_counts_50_tasks_at_the_limit, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	EXPECT_EQ(50, tasks_of(XB));
}

TEST_F_TIMEOUT(nproc, nproc_usage_is_50_at_the_limit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xb(_metadata, self);
	ASSERT_STATS(XB, st);
	EXPECT_STAT(50, st, VS_LIMIT_NPROC, usage);
}

TEST_F_TIMEOUT(nproc, nproc_max_is_50_at_the_limit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xb(_metadata, self);
	ASSERT_STATS(XB, st);
	EXPECT_STAT(50, st, VS_LIMIT_NPROC, max);
}

TEST_F_TIMEOUT(nproc, the_refused_fork_counts_a_hit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xb(_metadata, self);
	ASSERT_STATS(XB, st);
	EXPECT_LE(1ULL, st[VS_LIMIT_NPROC].hits) {
		TH_LOG("%s", stat_str(&st[VS_LIMIT_NPROC]));
	}
}

TEST_F_TIMEOUT(nproc, the_host_still_forks_while_the_guest_is_at_its_limit, VS_H_TIMEOUT)
{
	pid_t pid;

	fill_xb(_metadata, self);
	pid = vs_fork();
	if (pid == 0)
		_exit(7);
	ASSERT_LE(0, pid);
	EXPECT_EQ(7, vs_child_status(pid, 10000));
}

TEST_F_TIMEOUT(nproc, an_unlimited_guest_forks_60_children_meanwhile, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xb(_metadata, self);
	ASSERT_EQ(XC, vs_h_create(XC, VS_CF_PERSISTENT));
	ASSERT_EQ(0, agent_start(&self->c, XC, &ag_ops));
	a = agent_call(&self->c, OP_FORK, 0, 60, 0);
	EXPECT_ANS(60, a, val);
	EXPECT_ANS(0, a, err);
}

TEST_F_TIMEOUT(nproc, get_info_counts_61_tasks_in_the_unlimited_guest, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	start_xc(_metadata, self);
	EXPECT_EQ(61, tasks_of(XC));
}

TEST_F_TIMEOUT(nproc, the_host_moves_one_more_task_into_the_full_guest, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	EXPECT_EQ(0, agent_start(&self->b2, XB, &ag_ops));
}

TEST_F_TIMEOUT(nproc, the_moved_task_is_counted_above_the_limit_51_tasks, VS_H_TIMEOUT)
{
	overfill_xb(_metadata, self);
	EXPECT_EQ(51, tasks_of(XB));
}

TEST_F_TIMEOUT(nproc, the_moved_task_makes_nproc_usage_and_max_51, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	overfill_xb(_metadata, self);
	ASSERT_STATS(XB, st);
	EXPECT_STAT(51, st, VS_LIMIT_NPROC, usage);
	EXPECT_STAT(51, st, VS_LIMIT_NPROC, max);
}

TEST_F_TIMEOUT(nproc, the_moved_task_leaves_again, VS_H_TIMEOUT)
{
	overfill_xb(_metadata, self);
	EXPECT_EQ(0, agent_stop(&self->b2));
}

TEST_F_TIMEOUT(nproc, once_the_moved_task_left_50_tasks_are_left, VS_H_TIMEOUT)
{
	overfill_xb(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->b2));
	EXPECT_EQ(50, wait_tasks(XB, 50, 5000));
}

TEST_F_TIMEOUT(nproc, a_hard_limit_below_the_usage_is_accepted, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	EXPECT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10));
}

TEST_F_TIMEOUT(nproc, a_limit_below_the_usage_takes_no_task_away, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10));
	agent_call(&self->b, OP_FORK, 0, 1, 0);
	EXPECT_EQ(50, tasks_of(XB));
}

TEST_F_TIMEOUT(nproc, a_limit_below_the_usage_refuses_a_fork_with_eagain, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xb(_metadata, self);
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10));
	a = agent_call(&self->b, OP_FORK, 0, 1, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_ANS(EAGAIN, a, err);
}

TEST_F_TIMEOUT(nproc, the_hard_limit_goes_back_up_to_50, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10));
	EXPECT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 50, 50));
}

TEST_F_TIMEOUT(nproc, the_guests_49_children_end, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xb(_metadata, self);
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	EXPECT_ANS(49, a, val);
}

TEST_F_TIMEOUT(nproc, once_the_children_ended_1_task_is_left, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xb(_metadata, self);
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	ASSERT_ANS(49, a, val);
	EXPECT_EQ(1, wait_tasks(XB, 1, 5000));
}

TEST_F_TIMEOUT(nproc, threads_count_too_49_threads_then_eagain, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->b, OP_THREAD, 0, 200, 0);

	EXPECT_ANS(49, a, val);
	EXPECT_ANS(EAGAIN, a, err);
}

TEST_F_TIMEOUT(nproc, nproc_usage_is_50_with_the_threads, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->b, OP_THREAD, 0, 200, 0);

	ASSERT_ANS(49, a, val);
	EXPECT_EQ(50, usage_of(XB, VS_LIMIT_NPROC));
}

TEST_F_TIMEOUT(nproc, the_49_threads_end, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->b, OP_THREAD, 0, 200, 0);

	ASSERT_ANS(49, a, val);
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	EXPECT_ANS(49, a, val);
}

TEST_F_TIMEOUT(nproc, once_the_threads_ended_nproc_usage_is_back_to_1, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->b, OP_THREAD, 0, 200, 0);

	ASSERT_ANS(49, a, val);
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	ASSERT_ANS(49, a, val);
	EXPECT_EQ(1, wait_usage(XB, VS_LIMIT_NPROC, 1, 5000));
}

/* The old sequence in full: the bomb, a lower limit, the threads. */
static void refuse_three_times(struct __test_metadata *_metadata, FIXTURE_DATA(nproc) *self)
{
	struct agent_ans a;

	fill_xb(_metadata, self);
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 10, 10));
	a = agent_call(&self->b, OP_FORK, 0, 1, 0);
	ASSERT_ANS(EAGAIN, a, err);
	ASSERT_EQ(0, vs_set_limit(XB, VS_LIMIT_NPROC, 50, 50));
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	ASSERT_ANS(49, a, val);
	ASSERT_EQ(1, wait_tasks(XB, 1, 5000));
	a = agent_call(&self->b, OP_THREAD, 0, 200, 0);
	ASSERT_ANS(EAGAIN, a, err);
	a = agent_call(&self->b, OP_RELEASE, 0, 0, 0);
	ASSERT_ANS(49, a, val);
}

TEST_F_TIMEOUT(nproc, each_refused_fork_and_thread_counts_a_hit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refuse_three_times(_metadata, self);
	ASSERT_STATS(XB, st);
	EXPECT_LE(3ULL, st[VS_LIMIT_NPROC].hits) {
		TH_LOG("%s", stat_str(&st[VS_LIMIT_NPROC]));
	}
}

TEST_F_TIMEOUT(nproc, the_unlimited_guests_agent_ends_with_its_60_children, VS_H_TIMEOUT)
{
	start_xc(_metadata, self);
	EXPECT_EQ(0, agent_stop(&self->c));
}

TEST_F_TIMEOUT(nproc, the_agent_at_the_limit_ends, VS_H_TIMEOUT)
{
	refuse_three_times(_metadata, self);
	EXPECT_EQ(0, agent_stop(&self->b));
}

TEST_F_TIMEOUT(nproc, once_the_guest_is_gone_every_usage_is_0, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refuse_three_times(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->b));
	vs_wait_tasks(XB, 0, 5000);
	EXPECT_EQ(1, wait_all_zero(XB, st, 5000)) {
		TH_LOG("NPROC %llu NOFILE %llu NSOCK %llu", (unsigned long long)st[0].usage,
		       (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	}
}

TEST_F_TIMEOUT(nproc, once_the_unlimited_guest_is_gone_every_usage_is_0, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	start_xc(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->c));
	vs_wait_tasks(XC, 0, 5000);
	EXPECT_EQ(1, wait_all_zero(XC, st, 5000)) {
		TH_LOG("NPROC %llu NOFILE %llu NSOCK %llu", (unsigned long long)st[0].usage,
		       (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	}
}

TEST_F_TIMEOUT(nproc, once_the_guest_is_gone_nproc_max_keeps_the_peak_51_min_is_0, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	overfill_xb(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->b2));
	ASSERT_EQ(0, agent_stop(&self->b));
	ASSERT_EQ(1, vs_wait_tasks(XB, 0, 5000));
	ASSERT_EQ(1, wait_all_zero(XB, st, 5000));
	EXPECT_STAT(51, st, VS_LIMIT_NPROC, max);
	EXPECT_STAT(0, st, VS_LIMIT_NPROC, min);
}

TEST_F_TIMEOUT(nproc, once_the_unlimited_guest_is_gone_nproc_max_keeps_61_no_hits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	start_xc(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->c));
	ASSERT_EQ(1, vs_wait_tasks(XC, 0, 5000));
	ASSERT_EQ(1, wait_all_zero(XC, st, 5000));
	EXPECT_STAT(61, st, VS_LIMIT_NPROC, max);
	EXPECT_STAT(0, st, VS_LIMIT_NPROC, hits);
}

TEST_F_TIMEOUT(nproc, once_the_guest_is_gone_its_context_is_removed, VS_H_TIMEOUT)
{
	fill_xb(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->b));
	ASSERT_EQ(1, vs_wait_tasks(XB, 0, 5000));
	EXPECT_EQ(0, vs_remove(XB));
	EXPECT_EQ(1, vs_wait_gone(XB, 2000));
	vs_h_forget(XB);
}

TEST_F_TIMEOUT(nproc, once_the_unlimited_guest_is_gone_its_context_is_removed, VS_H_TIMEOUT)
{
	start_xc(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->c));
	ASSERT_EQ(1, vs_wait_tasks(XC, 0, 5000));
	EXPECT_EQ(0, vs_remove(XC));
	EXPECT_EQ(1, vs_wait_gone(XC, 2000));
	vs_h_forget(XC);
}

/* ---- NOFILE --------------------------------------------------------------- */

FIXTURE(nofile) {
	struct agent d;		/* in XD, NOFILE soft 5 hard 20 */
};

FIXTURE_SETUP(nofile)
{
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(XD, vs_h_create(XD, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_set_limit(XD, VS_LIMIT_NOFILE, 5, 20));
	ASSERT_EQ(0, agent_start(&self->d, XD, &ag_ops));
}

FIXTURE_TEARDOWN(nofile)
{
	agent_kill(&self->d);
	vs_h_destroy_all();
}

static struct agent_ans open_many(FIXTURE_DATA(nofile) *self)
{
	return agent_call(&self->d, OP_OPEN, 0, 100, 0);
}

/* The guest opened /dev/null up to the hard limit: 20 descriptions. */
static void fill_xd(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	struct agent_ans a = open_many(self);

	ASSERT_ANS(20, a, val);
}

/* At the limit: a dup, a refused socket, closing the dup and what was open before MIGRATE. */
static void use_xd_at_the_limit(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	struct agent_ans a;

	fill_xd(_metadata, self);
	a = agent_call(&self->d, OP_DUP, 0, 0, 0);
	ASSERT_ANS(0, a, val);
	a = agent_call(&self->d, OP_SOCK, 0, 1, 0);
	ASSERT_ANS(ENFILE, a, err);
	a = agent_call(&self->d, OP_CLOSE, 0, 1, 0);
	ASSERT_ANS(1, a, val);
	a = agent_call(&self->d, OP_CLOSE_PRE, 0, 0, 0);
	ASSERT_ANS(0, a, val);
}

/* ... then RESET_LIMITS. */
static void reset_xd(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	use_xd_at_the_limit(_metadata, self);
	ASSERT_EQ(0, vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XD));
}

/* ... then a hard limit of 10, below the usage of 20. */
static void lower_xd(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	reset_xd(_metadata, self);
	ASSERT_EQ(0, vs_set_limit(XD, VS_LIMIT_NOFILE, 5, 10));
}

/* ... then a refused open, 15 closes (usage 5) and 5 opens up to the new limit. */
static void refill_xd(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	struct agent_ans a;

	lower_xd(_metadata, self);
	a = agent_call(&self->d, OP_OPEN, 0, 1, 0);
	ASSERT_ANS(ENFILE, a, err);
	a = agent_call(&self->d, OP_CLOSE, 0, 15, 0);
	ASSERT_ANS(15, a, val);
	ASSERT_EQ(5, wait_usage(XD, VS_LIMIT_NOFILE, 5, 2000));
	a = open_many(self);
	ASSERT_ANS(5, a, val);
}

/* ... then closing everything. */
static void empty_xd(struct __test_metadata *_metadata, FIXTURE_DATA(nofile) *self)
{
	refill_xd(_metadata, self);
	agent_call(&self->d, OP_CLOSE, 0, 100, 0);
	ASSERT_EQ(0, wait_usage(XD, VS_LIMIT_NOFILE, 0, 2000));
}

TEST_F_TIMEOUT(nofile, guest_get_limits_of_self_names_its_context, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->d, OP_SELF, VS_LIMIT_NOFILE, 0, 0);

	EXPECT_ANS(XD, a, val);
	EXPECT_ANS((__u64)VS_LIMIT_COUNT, a, b);
}

TEST_F_TIMEOUT(nofile, nofile_usage_is_0_right_after_migrate_what_it_opened_before_is_nobodys,
	       VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->d, OP_SELF, VS_LIMIT_NOFILE, 0, 0);

	EXPECT_ANS(XD, a, val);
	EXPECT_ANS(0ULL, a, a);
}

TEST_F_TIMEOUT(nofile, the_guest_opens_dev_null_20_times, VS_H_TIMEOUT)
{
	struct agent_ans a = open_many(self);

	EXPECT_ANS(20, a, val);
}

TEST_F_TIMEOUT(nofile, the_21st_open_fails_with_enfile, VS_H_TIMEOUT)
{
	struct agent_ans a = open_many(self);

	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nofile, nofile_usage_is_20_at_the_limit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, usage);
}

TEST_F_TIMEOUT(nofile, nofile_max_is_20_at_the_limit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, max);
}

TEST_F_TIMEOUT(nofile, the_refusal_counts_1_hit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(1, st, VS_LIMIT_NOFILE, hits);
}

TEST_F_TIMEOUT(nofile, the_15_opens_above_the_soft_limit_count_15_soft_hits_none_refused,
	       VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(15, st, VS_LIMIT_NOFILE, soft_hits);
}

TEST_F_TIMEOUT(nofile, dup_works_at_the_limit_it_shares_the_description, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xd(_metadata, self);
	a = agent_call(&self->d, OP_DUP, 0, 0, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_EQ(20, usage_of(XD, VS_LIMIT_NOFILE));
}

TEST_F_TIMEOUT(nofile, socket_at_the_nofile_limit_fails_with_enfile_a_socket_is_a_file,
	       VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xd(_metadata, self);
	a = agent_call(&self->d, OP_SOCK, 0, 1, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nofile, the_refused_socket_is_not_left_in_nsock, VS_H_TIMEOUT)
{
	fill_xd(_metadata, self);
	agent_call(&self->d, OP_SOCK, 0, 1, 0);
	EXPECT_EQ(0, wait_usage(XD, VS_LIMIT_NSOCK, 0, 2000));
}

TEST_F_TIMEOUT(nofile, closing_the_dup_and_a_description_from_before_migrate_uncharges_nothing,
	       VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xd(_metadata, self);
	a = agent_call(&self->d, OP_DUP, 0, 0, 0);
	ASSERT_ANS(0, a, val);
	agent_call(&self->d, OP_CLOSE, 0, 1, 0);
	a = agent_call(&self->d, OP_CLOSE_PRE, 0, 0, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_EQ(20, usage_of(XD, VS_LIMIT_NOFILE));
}

TEST_F_TIMEOUT(nofile, reset_limits_works, VS_H_TIMEOUT)
{
	use_xd_at_the_limit(_metadata, self);
	EXPECT_EQ(0, vs_ctx_ioctl(VS_IOC_RESET_LIMITS, XD));
}

TEST_F_TIMEOUT(nofile, after_the_reset_min_and_max_are_the_usage_20, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	reset_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, usage);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, min);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, max);
}

TEST_F_TIMEOUT(nofile, after_the_reset_there_are_no_hits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	reset_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(0, st, VS_LIMIT_NOFILE, hits);
	EXPECT_STAT(0, st, VS_LIMIT_NOFILE, soft_hits);
}

TEST_F_TIMEOUT(nofile, the_reset_keeps_the_limits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	reset_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(5, st, VS_LIMIT_NOFILE, soft);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, hard);
}

TEST_F_TIMEOUT(nofile, a_hard_limit_below_the_usage_is_accepted, VS_H_TIMEOUT)
{
	reset_xd(_metadata, self);
	EXPECT_EQ(0, vs_set_limit(XD, VS_LIMIT_NOFILE, 5, 10));
}

TEST_F_TIMEOUT(nofile, a_limit_below_the_usage_takes_nothing_away, VS_H_TIMEOUT)
{
	lower_xd(_metadata, self);
	EXPECT_EQ(20, usage_of(XD, VS_LIMIT_NOFILE));
}

TEST_F_TIMEOUT(nofile, a_limit_below_the_usage_refuses_an_open_with_enfile, VS_H_TIMEOUT)
{
	struct agent_ans a;

	lower_xd(_metadata, self);
	a = agent_call(&self->d, OP_OPEN, 0, 1, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nofile, closing_15_brings_the_usage_to_5, VS_H_TIMEOUT)
{
	lower_xd(_metadata, self);
	agent_call(&self->d, OP_OPEN, 0, 1, 0);
	agent_call(&self->d, OP_CLOSE, 0, 15, 0);
	EXPECT_EQ(5, wait_usage(XD, VS_LIMIT_NOFILE, 5, 2000));
}

TEST_F_TIMEOUT(nofile, below_the_new_limit_opens_work_again_5_up_to_it, VS_H_TIMEOUT)
{
	struct agent_ans a;

	lower_xd(_metadata, self);
	agent_call(&self->d, OP_OPEN, 0, 1, 0);
	agent_call(&self->d, OP_CLOSE, 0, 15, 0);
	ASSERT_EQ(5, wait_usage(XD, VS_LIMIT_NOFILE, 5, 2000));
	a = open_many(self);
	EXPECT_ANS(5, a, val);
	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nofile, nofile_usage_is_10_after_refilling, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(10, st, VS_LIMIT_NOFILE, usage);
}

TEST_F_TIMEOUT(nofile, nofile_min_is_the_low_point_5, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(5, st, VS_LIMIT_NOFILE, min);
}

TEST_F_TIMEOUT(nofile, nofile_max_is_the_peak_20_since_the_reset, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, max);
}

TEST_F_TIMEOUT(nofile, since_the_reset_2_refusals_counted_2_hits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(2, st, VS_LIMIT_NOFILE, hits);
}

TEST_F_TIMEOUT(nofile, since_the_reset_5_opens_above_the_soft_limit_counted_5_soft_hits,
	       VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refill_xd(_metadata, self);
	ASSERT_STATS(XD, st);
	EXPECT_STAT(5, st, VS_LIMIT_NOFILE, soft_hits);
}

TEST_F_TIMEOUT(nofile, closing_everything_brings_the_usage_to_0, VS_H_TIMEOUT)
{
	refill_xd(_metadata, self);
	agent_call(&self->d, OP_CLOSE, 0, 100, 0);
	EXPECT_EQ(0, wait_usage(XD, VS_LIMIT_NOFILE, 0, 2000));
}

TEST_F_TIMEOUT(nofile, a_pipe_counts_2_descriptions, VS_H_TIMEOUT)
{
	struct agent_ans a;

	empty_xd(_metadata, self);
	a = agent_call(&self->d, OP_PIPE, 0, 0, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_EQ(2, usage_of(XD, VS_LIMIT_NOFILE));
}

TEST_F_TIMEOUT(nofile, the_agent_ends, VS_H_TIMEOUT)
{
	empty_xd(_metadata, self);
	ASSERT_EQ(0, agent_ret(agent_call(&self->d, OP_PIPE, 0, 0, 0)));
	EXPECT_EQ(0, agent_stop(&self->d));
}

TEST_F_TIMEOUT(nofile, once_the_guest_is_gone_every_usage_is_0, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	empty_xd(_metadata, self);
	ASSERT_EQ(0, agent_ret(agent_call(&self->d, OP_PIPE, 0, 0, 0)));
	ASSERT_EQ(0, agent_stop(&self->d));
	vs_wait_tasks(XD, 0, 5000);
	EXPECT_EQ(1, wait_all_zero(XD, st, 5000)) {
		TH_LOG("NPROC %llu NOFILE %llu NSOCK %llu", (unsigned long long)st[0].usage,
		       (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	}
}

TEST_F_TIMEOUT(nofile, once_the_guest_is_gone_nofile_max_keeps_the_peak_20_min_is_0,
	       VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	empty_xd(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->d));
	ASSERT_EQ(1, vs_wait_tasks(XD, 0, 5000));
	ASSERT_EQ(1, wait_all_zero(XD, st, 5000));
	EXPECT_STAT(20, st, VS_LIMIT_NOFILE, max);
	EXPECT_STAT(0, st, VS_LIMIT_NOFILE, min);
}

TEST_F_TIMEOUT(nofile, once_the_guest_is_gone_its_context_is_removed, VS_H_TIMEOUT)
{
	fill_xd(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->d));
	ASSERT_EQ(1, vs_wait_tasks(XD, 0, 5000));
	EXPECT_EQ(0, vs_remove(XD));
	EXPECT_EQ(1, vs_wait_gone(XD, 2000));
	vs_h_forget(XD);
}

/* ---- NSOCK ---------------------------------------------------------------- */

FIXTURE(nsock) {
	struct agent e;		/* in XE, NSOCK soft 2 hard 5 */
};

FIXTURE_SETUP(nsock)
{
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(XE, vs_h_create(XE, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_set_limit(XE, VS_LIMIT_NSOCK, 2, 5));
	ASSERT_EQ(0, agent_start(&self->e, XE, &ag_ops));
}

FIXTURE_TEARDOWN(nsock)
{
	agent_kill(&self->e);
	vs_h_destroy_all();
}

static struct agent_ans sock_many(FIXTURE_DATA(nsock) *self)
{
	return agent_call(&self->e, OP_SOCK, 0, 100, 0);
}

/* The guest made Unix sockets up to the hard limit: 5. */
static void fill_xe(struct __test_metadata *_metadata, FIXTURE_DATA(nsock) *self)
{
	struct agent_ans a = sock_many(self);

	ASSERT_ANS(5, a, val);
}

/* ... then closed 2 of them and made a socketpair: 5 again. */
static void pair_xe(struct __test_metadata *_metadata, FIXTURE_DATA(nsock) *self)
{
	struct agent_ans a;

	fill_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 2, 0);
	ASSERT_EQ(3, wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000));
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	ASSERT_ANS(0, a, val);
}

/* ... then a refused socketpair, closing the pair and 1 more socket: 4. */
static void four_in_xe(struct __test_metadata *_metadata, FIXTURE_DATA(nsock) *self)
{
	struct agent_ans a;

	pair_xe(_metadata, self);
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	ASSERT_ANS(ENFILE, a, err);
	agent_call(&self->e, OP_CLOSE, 0, 2, 0);
	ASSERT_EQ(3, wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000));
	a = agent_call(&self->e, OP_SOCK, 0, 1, 0);
	ASSERT_ANS(1, a, val);
}

/* ... then a socketpair with room for one end, refused. */
static void refuse_half_pair_in_xe(struct __test_metadata *_metadata, FIXTURE_DATA(nsock) *self)
{
	struct agent_ans a;

	four_in_xe(_metadata, self);
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	ASSERT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nsock, the_guest_creates_5_unix_sockets, VS_H_TIMEOUT)
{
	struct agent_ans a = sock_many(self);

	EXPECT_ANS(5, a, val);
}

TEST_F_TIMEOUT(nsock, the_6th_socket_fails_with_enfile, VS_H_TIMEOUT)
{
	struct agent_ans a = sock_many(self);

	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nsock, nsock_usage_and_max_are_5_at_the_limit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xe(_metadata, self);
	ASSERT_STATS(XE, st);
	EXPECT_STAT(5, st, VS_LIMIT_NSOCK, usage);
	EXPECT_STAT(5, st, VS_LIMIT_NSOCK, max);
}

TEST_F_TIMEOUT(nsock, the_refusal_counts_1_hit, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xe(_metadata, self);
	ASSERT_STATS(XE, st);
	EXPECT_STAT(1, st, VS_LIMIT_NSOCK, hits);
}

TEST_F_TIMEOUT(nsock, the_3_sockets_above_the_soft_limit_count_3_soft_hits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xe(_metadata, self);
	ASSERT_STATS(XE, st);
	EXPECT_STAT(3, st, VS_LIMIT_NSOCK, soft_hits);
}

TEST_F_TIMEOUT(nsock, the_sockets_are_5_files_in_nofile_too, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	fill_xe(_metadata, self);
	ASSERT_STATS(XE, st);
	EXPECT_STAT(5, st, VS_LIMIT_NOFILE, usage);
	EXPECT_STAT(0, st, VS_LIMIT_NOFILE, hits);
}

TEST_F_TIMEOUT(nsock, closing_2_sockets_brings_nsock_usage_to_3, VS_H_TIMEOUT)
{
	fill_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 2, 0);
	EXPECT_EQ(3, wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000));
}

TEST_F_TIMEOUT(nsock, a_socketpair_counts_2_sockets, VS_H_TIMEOUT)
{
	struct agent_ans a;

	fill_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 2, 0);
	ASSERT_EQ(3, wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000));
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	EXPECT_ANS(0, a, val);
	EXPECT_EQ(5, usage_of(XE, VS_LIMIT_NSOCK));
}

TEST_F_TIMEOUT(nsock, another_socketpair_at_the_limit_fails_with_enfile, VS_H_TIMEOUT)
{
	struct agent_ans a;

	pair_xe(_metadata, self);
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	EXPECT_ANS(-1, a, val);
	EXPECT_ANS(ENFILE, a, err);
	EXPECT_EQ(5, usage_of(XE, VS_LIMIT_NSOCK));
}

TEST_F_TIMEOUT(nsock, closing_the_pair_and_opening_1_socket_brings_nsock_usage_to_4,
	       VS_H_TIMEOUT)
{
	struct agent_ans a;

	pair_xe(_metadata, self);
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	ASSERT_ANS(ENFILE, a, err);
	agent_call(&self->e, OP_CLOSE, 0, 2, 0);
	wait_usage(XE, VS_LIMIT_NSOCK, 3, 2000);	/* the pair is freed */
	a = agent_call(&self->e, OP_SOCK, 0, 1, 0);
	EXPECT_ANS(1, a, val);
	EXPECT_EQ(4, wait_usage(XE, VS_LIMIT_NSOCK, 4, 2000));
}

TEST_F_TIMEOUT(nsock, a_socketpair_with_room_for_one_end_fails_with_enfile, VS_H_TIMEOUT)
{
	struct agent_ans a;

	four_in_xe(_metadata, self);
	a = agent_call(&self->e, OP_SOCKPAIR, 0, 0, 0);
	EXPECT_ANS(-1, a, val);
	EXPECT_ANS(ENFILE, a, err);
}

TEST_F_TIMEOUT(nsock, the_refused_pairs_first_end_is_not_left_counted, VS_H_TIMEOUT)
{
	refuse_half_pair_in_xe(_metadata, self);
	EXPECT_EQ(4, wait_usage(XE, VS_LIMIT_NSOCK, 4, 2000));
}

TEST_F_TIMEOUT(nsock, three_refusals_count_three_hits, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refuse_half_pair_in_xe(_metadata, self);
	ASSERT_STATS(XE, st);
	EXPECT_STAT(3, st, VS_LIMIT_NSOCK, hits);
}

TEST_F_TIMEOUT(nsock, closing_every_socket_brings_nsock_and_nofile_usage_to_0, VS_H_TIMEOUT)
{
	refuse_half_pair_in_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 100, 0);
	EXPECT_EQ(0, wait_usage(XE, VS_LIMIT_NSOCK, 0, 2000));
	EXPECT_EQ(0, wait_usage(XE, VS_LIMIT_NOFILE, 0, 2000));
}

TEST_F_TIMEOUT(nsock, the_agent_ends, VS_H_TIMEOUT)
{
	refuse_half_pair_in_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 100, 0);
	EXPECT_EQ(0, agent_stop(&self->e));
}

TEST_F_TIMEOUT(nsock, once_the_guest_is_gone_every_usage_is_0, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refuse_half_pair_in_xe(_metadata, self);
	agent_call(&self->e, OP_CLOSE, 0, 100, 0);
	ASSERT_EQ(0, agent_stop(&self->e));
	vs_wait_tasks(XE, 0, 5000);
	EXPECT_EQ(1, wait_all_zero(XE, st, 5000)) {
		TH_LOG("NPROC %llu NOFILE %llu NSOCK %llu", (unsigned long long)st[0].usage,
		       (unsigned long long)st[1].usage, (unsigned long long)st[2].usage);
	}
}

TEST_F_TIMEOUT(nsock, once_the_guest_is_gone_nsock_and_nofile_max_keep_the_peak_5, VS_H_TIMEOUT)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];

	refuse_half_pair_in_xe(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->e));
	ASSERT_EQ(1, vs_wait_tasks(XE, 0, 5000));
	ASSERT_EQ(1, wait_all_zero(XE, st, 5000));
	EXPECT_STAT(5, st, VS_LIMIT_NSOCK, max);
	EXPECT_STAT(5, st, VS_LIMIT_NOFILE, max);
}

TEST_F_TIMEOUT(nsock, once_the_guest_is_gone_its_context_is_removed, VS_H_TIMEOUT)
{
	fill_xe(_metadata, self);
	ASSERT_EQ(0, agent_stop(&self->e));
	ASSERT_EQ(1, vs_wait_tasks(XE, 0, 5000));
	EXPECT_EQ(0, vs_remove(XE));
	EXPECT_EQ(1, vs_wait_gone(XE, 2000));
	vs_h_forget(XE);
}

TEST_HARNESS_MAIN
