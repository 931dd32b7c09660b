// SPDX-License-Identifier: GPL-2.0
/*
 * rlimit ceilings: VS_IOC_SET_RLIMIT / VS_IOC_GET_RLIMIT round trip and bad
 * inputs (the host and the spectator have no ceilings); a task entering a context gets its limits clamped to the
 * ceilings; a guest (even its root, with CAP_SYS_RESOURCE in its bounding
 * set) cannot raise a limit above a ceiling, each refusal counting a hit, but
 * may lower its limits and raise them up to the ceiling; the host may prlimit
 * a guest task above the ceiling; a context without ceilings restricts
 * nothing.
 *
 * The contexts get CAP_SYS_RESOURCE, so that raising rlim_max is refused by
 * the ceiling and not already by the capability check. A guest "agent" (a
 * task migrated into a context) calls getrlimit/setrlimit/prlimit for the
 * host, which looks at the answers.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/types.h>

#include "../lib/harness.h"
#include "../lib/agent.h"

#define XR	5101	/* ceilings */
#define XP	5102	/* no ceilings */
#define XUNKNOWN 5998	/* never created */

#define INF		VS_LIMIT_INFINITY

#define C_NOFILE	64ULL
#define C_NPROC		100ULL
#define C_AS		(1ULL << 30)
#define C_CORE		(1ULL << 20)
#define BCAPS		(VS_BCAPS_DEFAULT | (1ULL << CAP_SYS_RESOURCE))

static int set_ceiling(__u32 xid, __u32 res, __u64 ceiling)
{
	struct vs_rlimit rl = { .xid = xid, .resource = res, .ceiling = ceiling };

	return vs_ioctl(VS_IOC_SET_RLIMIT, &rl);
}

/* GET_RLIMIT; 0 or -errno; stores the ceiling and the xid it names. */
static int get_ceiling(__u32 xid, __u32 res, __u64 *ceiling, __u32 *xid_out)
{
	struct vs_rlimit rl = { .xid = xid, .resource = res, .ceiling = 0x1234 };
	int r = vs_ioctl(VS_IOC_GET_RLIMIT, &rl);

	if (ceiling)
		*ceiling = r ? 0x1234 : rl.ceiling;
	if (xid_out)
		*xid_out = r ? 0 : rl.xid;
	return r;
}

static int set_bcaps(__u32 xid, __u64 bcaps)
{
	struct vs_context_caps c = { .xid = xid, .reserved = 0, .bcaps = bcaps };

	return vs_ioctl(VS_IOC_SET_BCAPS, &c);
}

static long long hits_of(__u32 xid)
{
	struct vs_context_info info;
	int r = vs_info(xid, &info);

	return r ? r : (long long)info.hits;
}

/* Sets the caller's own @res to { @cur, @max }; 0 or -errno. */
static long host_set(int res, rlim_t cur, rlim_t max)
{
	struct rlimit r = { .rlim_cur = cur, .rlim_max = max };

	return VS_ERR(setrlimit(res, &r));
}

/* ---- the agent ----------------------------------------------------------- */

enum {
	OP_GETRL = AGENT_OP_FIRST,	/* getrlimit(res): a = cur, b = max */
	OP_SETRL,	/* setrlimit(res, { a, b }) */
	OP_PRLIM,	/* prlimit(0, res, { a, b }, NULL) */
	OP_IOC_GETRL,	/* GET_RLIMIT(xid a, res): val = xid out, a = ceiling */
	OP_IOC_SETRL,	/* SET_RLIMIT(xid a, res, ceiling b) */
};

static struct agent_ans ag_do(const struct agent_msg *m)
{
	struct agent_ans a = { 0, 0, 0, 0 };
	struct rlimit rlim = { .rlim_cur = (rlim_t)m->a, .rlim_max = (rlim_t)m->b };
	struct vs_rlimit rl = { .xid = (__u32)m->a, .resource = (__u32)m->res, .ceiling = m->b };
	int r;

	switch (m->op) {
	case OP_GETRL:
		r = getrlimit(m->res, &rlim);
		a.a = rlim.rlim_cur;
		a.b = rlim.rlim_max;
		break;
	case OP_SETRL:
		r = setrlimit(m->res, &rlim);
		break;
	case OP_PRLIM:
		r = prlimit(0, m->res, &rlim, NULL);
		break;
	case OP_IOC_GETRL:
		rl.ceiling = 0x1234;
		r = vs_ioctl(VS_IOC_GET_RLIMIT, &rl);
		if (r) {
			errno = -r;
			r = -1;
		}
		a.val = rl.xid;
		a.a = rl.ceiling;
		break;
	case OP_IOC_SETRL:
		r = vs_ioctl(VS_IOC_SET_RLIMIT, &rl);
		if (r) {
			errno = -r;
			r = -1;
		}
		break;
	default:
		r = -1;
		errno = EINVAL;
	}
	if (r) {
		a.val = -1;
		a.err = errno;
	}
	return a;
}

static const struct agent_ops ag_ops = {
	.handle = ag_do,
};

/* The guest's limit @res as getrlimit in the agent says; *@cur, *@max, 0 or -errno. */
static long long guest_get(struct agent *ag, int res, __u64 *cur, __u64 *max)
{
	struct agent_ans a = agent_call(ag, OP_GETRL, res, 0, 0);

	*cur = a.a;
	*max = a.b;
	return agent_ret(a);
}

/* setrlimit (OP_SETRL) or prlimit (OP_PRLIM) in the guest: 0 or -errno. */
static long long guest_set(struct agent *ag, int op, int res, __u64 cur, __u64 max)
{
	return agent_ret(agent_call(ag, op, res, cur, max));
}

/* The guest's limit @res reads { @cur, @max }. */
#define EXPECT_GUEST_RL(ag, res, want_cur, want_max)					\
	do {										\
		__u64 __cur = 0x1234, __max = 0x1234;					\
											\
		EXPECT_EQ(0, guest_get((ag), (res), &__cur, &__max));			\
		EXPECT_EQ((__u64)(want_cur), __cur);					\
		EXPECT_EQ((__u64)(want_max), __max);					\
	} while (0)

/* A step a test builds on: it must work, or the test cannot go on. */
#define ASSERT_GUEST_SET(ag, op, res, cur, max)						\
	ASSERT_EQ(0, guest_set((ag), (op), (res), (cur), (max)))

/* ---- round trip and bad inputs ------------------------------------------- */

FIXTURE(fresh_context) {
	int unused;
};

FIXTURE_SETUP(fresh_context)
{
	ASSERT_EQ(XR, vs_h_create(XR, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(fresh_context)
{
	vs_h_destroy_all();
}

/* One variant per RLIMIT_* below VS_RLIMIT_COUNT. */
FIXTURE_VARIANT(fresh_context) {
	int resource;
};

FIXTURE_VARIANT_ADD(fresh_context, rlimit_cpu) { .resource = RLIMIT_CPU };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_fsize) { .resource = RLIMIT_FSIZE };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_data) { .resource = RLIMIT_DATA };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_stack) { .resource = RLIMIT_STACK };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_core) { .resource = RLIMIT_CORE };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_rss) { .resource = RLIMIT_RSS };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_nproc) { .resource = RLIMIT_NPROC };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_nofile) { .resource = RLIMIT_NOFILE };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_memlock) { .resource = RLIMIT_MEMLOCK };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_as) { .resource = RLIMIT_AS };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_locks) { .resource = RLIMIT_LOCKS };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_sigpending) { .resource = RLIMIT_SIGPENDING };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_msgqueue) { .resource = RLIMIT_MSGQUEUE };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_nice) { .resource = RLIMIT_NICE };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_rtprio) { .resource = RLIMIT_RTPRIO };
FIXTURE_VARIANT_ADD(fresh_context, rlimit_rttime) { .resource = RLIMIT_RTTIME };

TEST_F_TIMEOUT(fresh_context, has_no_ceiling, VS_H_TIMEOUT)
{
	__u64 c;
	__u32 x;

	ASSERT_GT(VS_RLIMIT_COUNT, variant->resource);
	EXPECT_EQ(0, get_ceiling(XR, variant->resource, &c, &x));
	EXPECT_EQ(INF, c);
	EXPECT_EQ((__u32)XR, x);
}

TEST_F_TIMEOUT(fresh_context, set_rlimit_sets_a_ceiling_get_rlimit_reads_back, VS_H_TIMEOUT)
{
	__u64 c;
	__u32 x;

	ASSERT_EQ(0, set_ceiling(XR, variant->resource, 42));
	EXPECT_EQ(0, get_ceiling(XR, variant->resource, &c, &x));
	EXPECT_EQ(42ULL, c);
	EXPECT_EQ((__u32)XR, x);
}

/* The round trip of the NOFILE ceiling, as the ceilings below use it. */
FIXTURE(round_trip) {
	int unused;
};

FIXTURE_SETUP(round_trip)
{
	ASSERT_EQ(XR, vs_h_create(XR, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(round_trip)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(round_trip, set_rlimit_of_a_nofile_ceiling_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE));
}

TEST_F_TIMEOUT(round_trip, get_rlimit_reads_the_nofile_ceiling_back, VS_H_TIMEOUT)
{
	__u64 c;
	__u32 x;

	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE));
	EXPECT_EQ(0, get_ceiling(XR, RLIMIT_NOFILE, &c, &x));
	EXPECT_EQ(C_NOFILE, c);
	EXPECT_EQ((__u32)XR, x);
}

TEST_F_TIMEOUT(round_trip, set_rlimit_infinity_removes_the_ceiling, VS_H_TIMEOUT)
{
	__u64 c;

	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE));
	EXPECT_EQ(0, set_ceiling(XR, RLIMIT_NOFILE, INF));
	EXPECT_EQ(0, get_ceiling(XR, RLIMIT_NOFILE, &c, NULL));
	EXPECT_EQ(INF, c);
}

/* Requests the module must refuse, each with its errno. */
FIXTURE(refused) {
	int unused;
};

FIXTURE_VARIANT(refused) {
	unsigned long request;
	bool null_arg;
	__u32 xid;
	__u32 resource;
	__u64 flags;
	int error;
};

FIXTURE_SETUP(refused)
{
	ASSERT_EQ(XR, vs_h_create(XR, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(refused)
{
	vs_h_destroy_all();
}

FIXTURE_VARIANT_ADD(refused, set_rlimit_from_null) {
	.request = VS_IOC_SET_RLIMIT, .null_arg = true, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_from_null) {
	.request = VS_IOC_GET_RLIMIT, .null_arg = true, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_resource_vs_rlimit_count) {
	.request = VS_IOC_SET_RLIMIT, .xid = XR, .resource = VS_RLIMIT_COUNT, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_resource_vs_rlimit_count) {
	.request = VS_IOC_GET_RLIMIT, .xid = XR, .resource = VS_RLIMIT_COUNT, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_an_unknown_context) {
	.request = VS_IOC_SET_RLIMIT, .xid = XUNKNOWN, .resource = RLIMIT_NOFILE, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_an_unknown_context) {
	.request = VS_IOC_GET_RLIMIT, .xid = XUNKNOWN, .resource = RLIMIT_NOFILE, .error = ESRCH,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_self_from_the_host) {
	.request = VS_IOC_GET_RLIMIT, .xid = VS_XID_SELF, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_the_host_context) {
	.request = VS_IOC_GET_RLIMIT, .xid = VS_XID_HOST, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_of_the_spectator_context) {
	.request = VS_IOC_GET_RLIMIT, .xid = VS_XID_SPECTATOR, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_self_from_the_host) {
	.request = VS_IOC_SET_RLIMIT, .xid = VS_XID_SELF, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_the_host_context) {
	.request = VS_IOC_SET_RLIMIT, .xid = VS_XID_HOST, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_of_the_spectator_context) {
	.request = VS_IOC_SET_RLIMIT, .xid = VS_XID_SPECTATOR, .resource = RLIMIT_NOFILE,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, set_rlimit_with_flag_bit_63) {
	.request = VS_IOC_SET_RLIMIT, .xid = XR, .resource = RLIMIT_NOFILE, .flags = 1ULL << 63,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(refused, get_rlimit_with_flag_bit_63) {
	.request = VS_IOC_GET_RLIMIT, .xid = XR, .resource = RLIMIT_NOFILE, .flags = 1ULL << 63,
	.error = EINVAL,
};

static int send_refused(const FIXTURE_VARIANT(refused) *variant)
{
	struct vs_rlimit rl = { .xid = variant->xid, .resource = variant->resource, .ceiling = 10,
				.flags = variant->flags };

	return vs_ioctl(variant->request, variant->null_arg ? NULL : &rl);
}

TEST_F_TIMEOUT(refused, answers_its_errno, VS_H_TIMEOUT)
{
	EXPECT_EQ(-variant->error, send_refused(variant));
}

TEST_F_TIMEOUT(refused, leaves_xr_without_a_ceiling, VS_H_TIMEOUT)
{
	__u64 c;

	send_refused(variant);
	ASSERT_EQ(0, get_ceiling(XR, RLIMIT_NOFILE, &c, NULL));
	EXPECT_EQ(INF, c) {
		TH_LOG("a refused request set the NOFILE ceiling of %u to %llu", XR,
		       (unsigned long long)c);
	}
}

/* ---- a context with ceilings --------------------------------------------------- */

FIXTURE(ceilings) {
	struct rlimit host_stack;
	struct agent guest;	/* a task in XR */
};

/*
 * The host's own limits are all above the ceilings, so that entering XR
 * clamps them; then a task enters.
 */
FIXTURE_SETUP(ceilings)
{
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(XR, vs_h_create(XR, VS_CF_PERSISTENT));
	ASSERT_EQ(0, set_bcaps(XR, BCAPS));
	ASSERT_EQ(0, host_set(RLIMIT_NOFILE, 1024, 4096));
	ASSERT_EQ(0, host_set(RLIMIT_NPROC, RLIM_INFINITY, RLIM_INFINITY));
	ASSERT_EQ(0, host_set(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY));
	ASSERT_EQ(0, host_set(RLIMIT_CORE, 0, RLIM_INFINITY));
	ASSERT_EQ(0, getrlimit(RLIMIT_STACK, &self->host_stack));
	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE));
	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_NPROC, C_NPROC));
	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_AS, C_AS));
	ASSERT_EQ(0, set_ceiling(XR, RLIMIT_CORE, C_CORE));
	ASSERT_EQ(0, agent_start(&self->guest, XR, &ag_ops));
}

FIXTURE_TEARDOWN(ceilings)
{
	agent_kill(&self->guest);
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(ceilings, entering_clamps_nofile_1024_4096_to_the_ceiling, VS_H_TIMEOUT)
{
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, C_NOFILE, C_NOFILE);
}

TEST_F_TIMEOUT(ceilings, entering_clamps_unlimited_nproc_to_the_ceiling, VS_H_TIMEOUT)
{
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NPROC, C_NPROC, C_NPROC);
}

TEST_F_TIMEOUT(ceilings, entering_clamps_unlimited_as_to_1_gib, VS_H_TIMEOUT)
{
	EXPECT_GUEST_RL(&self->guest, RLIMIT_AS, C_AS, C_AS);
}

TEST_F_TIMEOUT(ceilings, entering_clamps_core_0_unlimited_to_0_1_mib_the_clamp_only_lowers,
	       VS_H_TIMEOUT)
{
	EXPECT_GUEST_RL(&self->guest, RLIMIT_CORE, 0, C_CORE);
}

TEST_F_TIMEOUT(ceilings, stack_without_a_ceiling_keeps_the_hosts_limits, VS_H_TIMEOUT)
{
	EXPECT_GUEST_RL(&self->guest, RLIMIT_STACK, self->host_stack.rlim_cur,
			self->host_stack.rlim_max);
}

TEST_F_TIMEOUT(ceilings, guest_get_rlimit_of_self_reads_its_contexts_ceiling, VS_H_TIMEOUT)
{
	struct agent_ans a = agent_call(&self->guest, OP_IOC_GETRL, RLIMIT_NOFILE, VS_XID_SELF, 0);

	EXPECT_EQ(0, a.err);
	EXPECT_EQ(XR, a.val);
	EXPECT_EQ(C_NOFILE, a.a);
}

TEST_F_TIMEOUT(ceilings, guest_get_rlimit_of_another_context_is_esrch, VS_H_TIMEOUT)
{
	ASSERT_EQ(XP, vs_h_create(XP, VS_CF_PERSISTENT));
	EXPECT_EQ(-ESRCH, agent_ret(agent_call(&self->guest, OP_IOC_GETRL, RLIMIT_NOFILE, XP, 0)));
}

TEST_F_TIMEOUT(ceilings, guest_set_rlimit_of_its_own_context_is_eperm, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EPERM, agent_ret(agent_call(&self->guest, OP_IOC_SETRL, RLIMIT_NOFILE, XR, 1000)));
}

TEST_F_TIMEOUT(ceilings, guest_set_rlimit_refused_leaves_the_ceiling, VS_H_TIMEOUT)
{
	__u64 c;
	__u32 x;

	agent_call(&self->guest, OP_IOC_SETRL, RLIMIT_NOFILE, XR, 1000);
	EXPECT_EQ(0, get_ceiling(XR, RLIMIT_NOFILE, &c, &x));
	EXPECT_EQ(C_NOFILE, c);
}

TEST_F_TIMEOUT(ceilings, guest_root_raising_nofile_max_above_the_ceiling_is_eperm, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EPERM, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE + 1));
}

TEST_F_TIMEOUT(ceilings, guest_root_raising_nofile_with_prlimit_is_eperm, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EPERM, guest_set(&self->guest, OP_PRLIM, RLIMIT_NOFILE, 2 * C_NOFILE,
				    2 * C_NOFILE));
}

TEST_F_TIMEOUT(ceilings, refused_raises_leave_nofile_at_the_ceiling, VS_H_TIMEOUT)
{
	guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE + 1);
	guest_set(&self->guest, OP_PRLIM, RLIMIT_NOFILE, 2 * C_NOFILE, 2 * C_NOFILE);
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, C_NOFILE, C_NOFILE);
}

TEST_F_TIMEOUT(ceilings, guest_lowers_nofile_to_32, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 32, 32));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 32, 32);
}

TEST_F_TIMEOUT(ceilings, guest_raises_nofile_back_up_to_the_ceiling, VS_H_TIMEOUT)
{
	ASSERT_GUEST_SET(&self->guest, OP_SETRL, RLIMIT_NOFILE, 32, 32);
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, C_NOFILE, C_NOFILE);
}

TEST_F_TIMEOUT(ceilings, guest_lowers_only_cur_then_raises_it_to_the_ceiling, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 16, C_NOFILE));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 16, C_NOFILE);
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, C_NOFILE, C_NOFILE);
}

static const struct rlimit above_the_ceiling = { .rlim_cur = 100, .rlim_max = 200 };

TEST_F_TIMEOUT(ceilings, host_prlimits_a_guest_task_above_the_ceiling, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, VS_ERR(prlimit(self->guest.pid, RLIMIT_NOFILE, &above_the_ceiling, NULL)));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 100, 200);
}

TEST_F_TIMEOUT(ceilings, above_the_ceiling_raising_only_cur_within_max_is_eperm, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, VS_ERR(prlimit(self->guest.pid, RLIMIT_NOFILE, &above_the_ceiling, NULL)));
	EXPECT_EQ(-EPERM, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 150, 200));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 100, 200);
}

TEST_F_TIMEOUT(ceilings, above_the_ceiling_lowering_max_still_above_it_works, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, VS_ERR(prlimit(self->guest.pid, RLIMIT_NOFILE, &above_the_ceiling, NULL)));
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 100, 150));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 100, 150);
}

TEST_F_TIMEOUT(ceilings, raising_nproc_above_its_ceiling_is_eperm, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EPERM, guest_set(&self->guest, OP_SETRL, RLIMIT_NPROC, C_NPROC + 1, C_NPROC + 1));
}

TEST_F_TIMEOUT(ceilings, guest_lowers_nproc_to_50, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NPROC, 50, 50));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NPROC, 50, 50);
}

TEST_F_TIMEOUT(ceilings, guest_raises_nproc_up_to_the_ceiling, VS_H_TIMEOUT)
{
	ASSERT_GUEST_SET(&self->guest, OP_SETRL, RLIMIT_NPROC, 50, 50);
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NPROC, C_NPROC, C_NPROC));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NPROC, C_NPROC, C_NPROC);
}

TEST_F_TIMEOUT(ceilings, raising_as_to_unlimited_above_its_ceiling_is_eperm, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EPERM, guest_set(&self->guest, OP_SETRL, RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY));
}

TEST_F_TIMEOUT(ceilings, guest_lowers_as_to_512_mib, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_AS, C_AS / 2, C_AS / 2));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_AS, C_AS / 2, C_AS / 2);
}

TEST_F_TIMEOUT(ceilings, guest_raises_as_up_to_the_ceiling, VS_H_TIMEOUT)
{
	ASSERT_GUEST_SET(&self->guest, OP_SETRL, RLIMIT_AS, C_AS / 2, C_AS / 2);
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_AS, C_AS, C_AS));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_AS, C_AS, C_AS);
}

TEST_F_TIMEOUT(ceilings, each_of_5_refusals_counts_a_hit, VS_H_TIMEOUT)
{
	struct agent *g = &self->guest;
	long long hits0 = hits_of(XR);

	ASSERT_LE(0, hits0);
	EXPECT_EQ(-EPERM, guest_set(g, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE + 1));
	EXPECT_EQ(-EPERM, guest_set(g, OP_PRLIM, RLIMIT_NOFILE, 2 * C_NOFILE, 2 * C_NOFILE));
	ASSERT_EQ(0, VS_ERR(prlimit(g->pid, RLIMIT_NOFILE, &above_the_ceiling, NULL)));
	EXPECT_EQ(-EPERM, guest_set(g, OP_SETRL, RLIMIT_NOFILE, 150, 200));
	EXPECT_EQ(-EPERM, guest_set(g, OP_SETRL, RLIMIT_NPROC, C_NPROC + 1, C_NPROC + 1));
	EXPECT_EQ(-EPERM, guest_set(g, OP_SETRL, RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY));
	/* The allowed changes in between count nothing. */
	EXPECT_EQ(0, guest_set(g, OP_SETRL, RLIMIT_NOFILE, 100, 150));
	EXPECT_EQ(0, guest_set(g, OP_SETRL, RLIMIT_NPROC, 50, 50));
	EXPECT_EQ(5, hits_of(XR) - hits0);
}

TEST_F_TIMEOUT(ceilings, the_task_ends_and_the_context_is_removed, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, agent_stop(&self->guest));
	EXPECT_EQ(1, vs_wait_tasks(XR, 0, 5000));
	EXPECT_EQ(0, vs_remove(XR));
	EXPECT_EQ(1, vs_wait_gone(XR, 2000));
	vs_h_forget(XR);
}

/* ---- a context without ceilings ------------------------------------------ */

/* XP, without ceilings, and a task in it; the host's limits as for XR. */
static void enter_xp(struct __test_metadata *_metadata, struct agent *guest)
{
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(XP, vs_h_create(XP, VS_CF_PERSISTENT));
	ASSERT_EQ(0, set_bcaps(XP, BCAPS));
	ASSERT_EQ(0, host_set(RLIMIT_NOFILE, 1024, 4096));
	ASSERT_EQ(0, host_set(RLIMIT_NPROC, RLIM_INFINITY, RLIM_INFINITY));
	ASSERT_EQ(0, host_set(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY));
	ASSERT_EQ(0, host_set(RLIMIT_CORE, 0, RLIM_INFINITY));
	ASSERT_EQ(0, agent_start(guest, XP, &ag_ops));
}

FIXTURE(no_ceiling_for) {
	struct agent guest;	/* a task in XP */
};

/* One variant per RLIMIT_* below VS_RLIMIT_COUNT. */
FIXTURE_VARIANT(no_ceiling_for) {
	int resource;
};

FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_cpu) { .resource = RLIMIT_CPU };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_fsize) { .resource = RLIMIT_FSIZE };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_data) { .resource = RLIMIT_DATA };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_stack) { .resource = RLIMIT_STACK };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_core) { .resource = RLIMIT_CORE };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_rss) { .resource = RLIMIT_RSS };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_nproc) { .resource = RLIMIT_NPROC };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_nofile) { .resource = RLIMIT_NOFILE };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_memlock) { .resource = RLIMIT_MEMLOCK };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_as) { .resource = RLIMIT_AS };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_locks) { .resource = RLIMIT_LOCKS };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_sigpending) { .resource = RLIMIT_SIGPENDING };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_msgqueue) { .resource = RLIMIT_MSGQUEUE };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_nice) { .resource = RLIMIT_NICE };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_rtprio) { .resource = RLIMIT_RTPRIO };
FIXTURE_VARIANT_ADD(no_ceiling_for, rlimit_rttime) { .resource = RLIMIT_RTTIME };

FIXTURE_SETUP(no_ceiling_for)
{
	enter_xp(_metadata, &self->guest);
}

FIXTURE_TEARDOWN(no_ceiling_for)
{
	agent_kill(&self->guest);
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(no_ceiling_for, entering_keeps_the_hosts_limit, VS_H_TIMEOUT)
{
	struct rlimit h;

	ASSERT_EQ(0, getrlimit(variant->resource, &h));
	EXPECT_GUEST_RL(&self->guest, variant->resource, h.rlim_cur, h.rlim_max);
}

FIXTURE(no_ceilings) {
	struct agent guest;	/* a task in XP */
};

FIXTURE_SETUP(no_ceilings)
{
	enter_xp(_metadata, &self->guest);
}

FIXTURE_TEARDOWN(no_ceilings)
{
	agent_kill(&self->guest);
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(no_ceilings, raising_nofile_to_8192_above_the_hosts_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 8192, 8192));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_NOFILE, 8192, 8192);
}

TEST_F_TIMEOUT(no_ceilings, raising_core_to_unlimited_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY));
	EXPECT_GUEST_RL(&self->guest, RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY);
}

TEST_F_TIMEOUT(no_ceilings, raising_limits_counts_no_hit, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_NOFILE, 8192, 8192));
	EXPECT_EQ(0, guest_set(&self->guest, OP_SETRL, RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY));
	EXPECT_EQ(0, hits_of(XP));
}

TEST_F_TIMEOUT(no_ceilings, the_task_ends_and_the_context_is_removed, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, agent_stop(&self->guest));
	EXPECT_EQ(1, vs_wait_tasks(XP, 0, 5000));
	EXPECT_EQ(0, vs_remove(XP));
	EXPECT_EQ(1, vs_wait_gone(XP, 2000));
	vs_h_forget(XP);
}

TEST_HARNESS_MAIN
