// SPDX-License-Identifier: GPL-2.0
/*
 * rlimit ceilings (ABI 1.1): VS_IOC_SET_RLIMIT / VS_IOC_GET_RLIMIT round trip
 * and bad inputs; a task entering a context gets its limits clamped to the
 * ceilings; a guest (even its root, with CAP_SYS_RESOURCE in its bounding
 * set) cannot raise a limit above a ceiling, each refusal counting a hit, but
 * may lower its limits and raise them up to the ceiling; the host may prlimit
 * a guest task above the ceiling; a context without ceilings restricts
 * nothing.
 *
 * The contexts get CAP_SYS_RESOURCE, so that raising rlim_max is refused by
 * the ceiling and not already by the capability check.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "../lib/agent.h"
#include "../lib/vs-ktap.h"

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

/* The guest's limit @res is { @cur, @max } (as getrlimit in the agent says). */
static int guest_rl_is(struct agent *ag, int res, __u64 cur, __u64 max, struct agent_ans *out)
{
	struct agent_ans a = agent_call(ag, OP_GETRL, res, 0, 0);

	if (out)
		*out = a;
	return a.val == 0 && a.a == cur && a.b == max;
}

/* setrlimit in the guest, then getrlimit: the call's -errno, and whether it now reads { cur, max }. */
static long guest_set(struct agent *ag, int op, int res, __u64 cur, __u64 max, int *now_is,
		      struct agent_ans *out)
{
	struct agent_ans a = agent_call(ag, op, res, cur, max);
	long r = a.val ? (a.err ? -a.err : -EIO) : 0;

	if (now_is)
		*now_is = guest_rl_is(ag, res, cur, max, out);
	return r;
}

/* ---- the cases ------------------------------------------------------------ */

static void round_trip_and_bad_inputs(void)
{
	struct vs_rlimit rl;
	__u64 c;
	__u32 x;
	int i, ok, r;

	for (i = 0, ok = 1; i < VS_RLIMIT_COUNT; i++)
		ok = ok && !get_ceiling(XR, i, &c, &x) && c == INF && x == XR;
	vs_check(ok, NULL, "a fresh context has no ceiling for any of the %d resources", VS_RLIMIT_COUNT);
	vs_expect(set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE), 0, "SET_RLIMIT NOFILE ceiling %llu", C_NOFILE);
	r = get_ceiling(XR, RLIMIT_NOFILE, &c, &x);
	vs_check(!r && c == C_NOFILE && x == XR, NULL, "GET_RLIMIT reads it back: %s, %llu, xid %u",
		 vs_errname(r), (unsigned long long)c, x);
	r = set_ceiling(XR, RLIMIT_NOFILE, INF);
	if (!r)
		r = get_ceiling(XR, RLIMIT_NOFILE, &c, NULL);
	vs_check(!r && c == INF, NULL, "SET_RLIMIT VS_LIMIT_INFINITY removes it again: %s, %#llx",
		 vs_errname(r), (unsigned long long)c);

	vs_expect(vs_ioctl(VS_IOC_SET_RLIMIT, NULL), -EFAULT, "SET_RLIMIT from NULL -> EFAULT");
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, NULL), -EFAULT, "GET_RLIMIT from NULL -> EFAULT");
	vs_expect(set_ceiling(XR, VS_RLIMIT_COUNT, 10), -EINVAL, "SET_RLIMIT of resource %d -> EINVAL",
		  VS_RLIMIT_COUNT);
	vs_expect(get_ceiling(XR, VS_RLIMIT_COUNT, NULL, NULL), -EINVAL,
		  "GET_RLIMIT of resource %d -> EINVAL", VS_RLIMIT_COUNT);
	vs_expect(set_ceiling(XUNKNOWN, RLIMIT_NOFILE, 10), -ESRCH, "SET_RLIMIT of an unknown context -> ESRCH");
	vs_expect(get_ceiling(XUNKNOWN, RLIMIT_NOFILE, NULL, NULL), -ESRCH,
		  "GET_RLIMIT of an unknown context -> ESRCH");
	vs_expect(get_ceiling(VS_XID_SELF, RLIMIT_NOFILE, NULL, NULL), -EINVAL,
		  "GET_RLIMIT(VS_XID_SELF) from the host -> EINVAL");
	rl.xid = VS_XID_HOST;
	rl.resource = RLIMIT_NOFILE;
	vs_expect(vs_ioctl(VS_IOC_GET_RLIMIT, &rl), -EINVAL, "GET_RLIMIT of the host context -> EINVAL");
}

/* Sets the caller's own @res to { @cur, @max }; 0 or -errno. */
static long host_set(int res, rlim_t cur, rlim_t max)
{
	struct rlimit r = { .rlim_cur = cur, .rlim_max = max };

	return VS_ERR(setrlimit(res, &r));
}

static void ceiling_cases(void)
{
	struct rlimit host_stack, host_nofile;
	struct rlimit hp = { .rlim_cur = 100, .rlim_max = 200 };
	struct agent g;
	struct agent_ans a;
	long long hits0;
	long r;
	__u64 c;
	__u32 x;
	int now;

	getrlimit(RLIMIT_STACK, &host_stack);
	getrlimit(RLIMIT_NOFILE, &host_nofile);
	vs_expect(agent_start(&g, XR, &ag_ops), 0, "a task enters %d", XR);
	vs_check(guest_rl_is(&g, RLIMIT_NOFILE, C_NOFILE, C_NOFILE, &a), ans_str(a),
		 "entering clamps NOFILE %llu/%llu to the ceiling: %llu/%llu",
		 (unsigned long long)host_nofile.rlim_cur, (unsigned long long)host_nofile.rlim_max,
		 C_NOFILE, C_NOFILE);
	vs_check(guest_rl_is(&g, RLIMIT_NPROC, C_NPROC, C_NPROC, &a), ans_str(a),
		 "entering clamps NPROC unlimited/unlimited to %llu/%llu", C_NPROC, C_NPROC);
	vs_check(guest_rl_is(&g, RLIMIT_AS, C_AS, C_AS, &a), ans_str(a),
		 "entering clamps AS unlimited/unlimited to 1 GiB/1 GiB");
	vs_check(guest_rl_is(&g, RLIMIT_CORE, 0, C_CORE, &a), ans_str(a),
		 "entering clamps CORE 0/unlimited to 0/1 MiB: the clamp only lowers");
	vs_check(guest_rl_is(&g, RLIMIT_STACK, host_stack.rlim_cur, host_stack.rlim_max, &a), ans_str(a),
		 "STACK, without a ceiling, keeps the host's %#llx/%#llx",
		 (unsigned long long)host_stack.rlim_cur, (unsigned long long)host_stack.rlim_max);

	a = agent_call(&g, OP_IOC_GETRL, RLIMIT_NOFILE, VS_XID_SELF, 0);
	vs_check(a.val == XR && a.err == 0 && a.a == C_NOFILE, ans_str(a),
		 "guest: GET_RLIMIT(VS_XID_SELF) reads its context's ceiling");
	a = agent_call(&g, OP_IOC_GETRL, RLIMIT_NOFILE, XP, 0);
	vs_check(a.val == -1 && a.err == ESRCH, ans_str(a), "guest: GET_RLIMIT of another context -> ESRCH");
	a = agent_call(&g, OP_IOC_SETRL, RLIMIT_NOFILE, XR, 1000);
	r = get_ceiling(XR, RLIMIT_NOFILE, &c, &x);
	vs_check(a.val == -1 && a.err == EPERM && !r && c == C_NOFILE, ans_str(a),
		 "guest: SET_RLIMIT of its own context -> EPERM, the ceiling stays %llu", C_NOFILE);

	hits0 = hits_of(XR);
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE + 1, NULL, NULL);
	vs_expect(r, -EPERM, "guest root raising NOFILE's max above the ceiling -> EPERM");
	r = guest_set(&g, OP_PRLIM, RLIMIT_NOFILE, 2 * C_NOFILE, 2 * C_NOFILE, NULL, NULL);
	vs_expect(r, -EPERM, "guest root raising it with prlimit -> EPERM");
	vs_check(guest_rl_is(&g, RLIMIT_NOFILE, C_NOFILE, C_NOFILE, &a), ans_str(a),
		 "NOFILE is still %llu/%llu", C_NOFILE, C_NOFILE);
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, 32, 32, &now, &a);
	vs_check(!r && now, ans_str(a), "lowering NOFILE to 32/32 works (%s)", vs_errname(r));
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE, &now, &a);
	vs_check(!r && now, ans_str(a), "raising it back up to the ceiling works (%s)", vs_errname(r));
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, 16, C_NOFILE, &now, &a);
	if (!r && now)
		r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, C_NOFILE, C_NOFILE, &now, &a);
	vs_check(!r && now, ans_str(a), "lowering only cur, then raising it to the ceiling works (%s)",
		 vs_errname(r));

	r = g.pid > 0 ? VS_ERR(prlimit(g.pid, RLIMIT_NOFILE, &hp, NULL)) : -ESRCH;
	vs_expect(r, 0, "the host prlimits the guest task's NOFILE to 100/200, above the ceiling");
	vs_check(guest_rl_is(&g, RLIMIT_NOFILE, 100, 200, &a), ans_str(a), "the guest task has 100/200");
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, 150, 200, NULL, NULL);
	vs_expect(r, -EPERM, "raising only cur to 150 (within max, above the ceiling) -> EPERM");
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, 100, 150, &now, &a);
	vs_check(!r && now, ans_str(a),
		 "lowering max to 150, still above the ceiling, works (%s)", vs_errname(r));

	r = guest_set(&g, OP_SETRL, RLIMIT_NPROC, C_NPROC + 1, C_NPROC + 1, NULL, NULL);
	vs_expect(r, -EPERM, "raising NPROC above its ceiling %llu -> EPERM", C_NPROC);
	r = guest_set(&g, OP_SETRL, RLIMIT_NPROC, 50, 50, &now, &a);
	vs_check(!r && now, ans_str(a), "lowering NPROC to 50/50 works (%s)", vs_errname(r));
	r = guest_set(&g, OP_SETRL, RLIMIT_NPROC, C_NPROC, C_NPROC, &now, &a);
	vs_check(!r && now, ans_str(a), "raising NPROC up to the ceiling works (%s)", vs_errname(r));

	r = guest_set(&g, OP_SETRL, RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY, NULL, NULL);
	vs_expect(r, -EPERM, "raising AS to unlimited above its ceiling -> EPERM");
	r = guest_set(&g, OP_SETRL, RLIMIT_AS, C_AS / 2, C_AS / 2, &now, &a);
	vs_check(!r && now, ans_str(a), "lowering AS to 512 MiB works (%s)", vs_errname(r));
	r = guest_set(&g, OP_SETRL, RLIMIT_AS, C_AS, C_AS, &now, &a);
	vs_check(!r && now, ans_str(a), "raising AS up to the ceiling works (%s)", vs_errname(r));

	vs_expect(hits_of(XR) - hits0, 5, "each of the 5 refusals counted a hit in GET_INFO");
	vs_expect(agent_stop(&g), 0, "the task in %d ends", XR);
}

static void no_ceiling_cases(void)
{
	struct agent g;
	struct agent_ans a;
	struct rlimit h;
	long r;
	int i, ok, now;

	vs_expect(agent_start(&g, XP, &ag_ops), 0, "a task enters %d (no ceilings)", XP);
	for (i = 0, ok = 1; i < VS_RLIMIT_COUNT; i++) {
		getrlimit(i, &h);
		if (!guest_rl_is(&g, i, h.rlim_cur, h.rlim_max, &a)) {
			ktap_diag("resource %d: host %#llx/%#llx, guest %s", i,
				  (unsigned long long)h.rlim_cur, (unsigned long long)h.rlim_max,
				  ans_str(a));
			ok = 0;
		}
	}
	vs_check(ok, NULL, "entering changes none of its %d limits", VS_RLIMIT_COUNT);
	r = guest_set(&g, OP_SETRL, RLIMIT_NOFILE, 8192, 8192, &now, &a);
	vs_check(!r && now, ans_str(a), "raising NOFILE to 8192/8192, above the host's, works (%s)",
		 vs_errname(r));
	r = guest_set(&g, OP_SETRL, RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY, &now, &a);
	vs_check(!r && now, ans_str(a), "raising CORE to unlimited works (%s)", vs_errname(r));
	vs_expect(hits_of(XP), 0, "%d counted no hit", XP);
	vs_expect(agent_stop(&g), 0, "the task in %d ends", XP);
}

int main(void)
{
	long r;

	ktap_plan(57);
	signal(SIGPIPE, SIG_IGN);
	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	vs_expect(vs_create(XR, VS_CF_PERSISTENT), XR, "create context %d", XR);
	vs_expect(vs_create(XP, VS_CF_PERSISTENT), XP, "create context %d", XP);
	vs_expect(set_bcaps(XR, BCAPS), 0, "%d gets CAP_SYS_RESOURCE in its bounding set", XR);
	vs_expect(set_bcaps(XP, BCAPS), 0, "%d gets CAP_SYS_RESOURCE in its bounding set", XP);

	/* The host's own limits, all above the ceilings below. */
	r = host_set(RLIMIT_NOFILE, 1024, 4096);
	if (!r)
		r = host_set(RLIMIT_NPROC, RLIM_INFINITY, RLIM_INFINITY);
	if (!r)
		r = host_set(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY);
	if (!r)
		r = host_set(RLIMIT_CORE, 0, RLIM_INFINITY);
	vs_expect(r, 0, "the host sets NOFILE 1024/4096, NPROC and AS unlimited, CORE 0/unlimited");

	round_trip_and_bad_inputs();

	vs_expect(set_ceiling(XR, RLIMIT_NOFILE, C_NOFILE), 0, "%d: NOFILE ceiling %llu", XR, C_NOFILE);
	vs_expect(set_ceiling(XR, RLIMIT_NPROC, C_NPROC), 0, "%d: NPROC ceiling %llu", XR, C_NPROC);
	vs_expect(set_ceiling(XR, RLIMIT_AS, C_AS), 0, "%d: AS ceiling 1 GiB", XR);
	vs_expect(set_ceiling(XR, RLIMIT_CORE, C_CORE), 0, "%d: CORE ceiling 1 MiB", XR);
	ceiling_cases();
	no_ceiling_cases();

	vs_wait_tasks(XR, 0, 5000);
	vs_wait_tasks(XP, 0, 5000);
	r = vs_remove(XR);
	vs_expect(r, 0, "remove context %d", XR);
	if (r)
		vs_destroy(XR);
	r = vs_remove(XP);
	vs_expect(r, 0, "remove context %d", XP);
	if (r)
		vs_destroy(XP);
	return ktap_finish();
}
