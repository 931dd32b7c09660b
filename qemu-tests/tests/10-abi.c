// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vserver ABI: version, the caller's xid, and the error discipline
 * (unknown ioctl, bad pointers, bad arguments, non-root openers); the
 * reserved and flags fields ABI 2.0 gave the structures that had none
 * must be zero (EINVAL otherwise), and a request with them zero works.
 *
 * Written on tools/testing/selftests/kselftest_harness.h, as Landlock's
 * selftests are: each TEST runs in a child of its own, the plan is counted
 * by the harness.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vserver.h>

#include "../lib/harness.h"

#define KERNEL_ADDR ((void *)0xffff888000000000UL)

/* The device, opened by root: the valid requests. */
FIXTURE(device) {
	int fd;
};

FIXTURE_SETUP(device)
{
	self->fd = open(VS_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, self->fd) {
		TH_LOG("root cannot open %s: %s", VS_DEVICE_PATH, strerror(errno));
	}
}

FIXTURE_TEARDOWN(device)
{
	close(self->fd);
}

TEST_F(device, version_is_the_headers)
{
	struct vs_version v = { .major = 0xdead, .minor = 0xbeef, .reserved = ~0ULL };

	ASSERT_EQ(0, ioctl(self->fd, VS_IOC_GET_VERSION, &v));
	EXPECT_EQ((__u32)VS_ABI_MAJOR, v.major);
	EXPECT_EQ((__u32)VS_ABI_MINOR, v.minor);
	EXPECT_EQ(0ULL, v.reserved) {
		TH_LOG("the reserved field of struct vs_version is not zeroed");
	}
}

TEST_F(device, host_tasks_are_in_context_0)
{
	struct vs_xid_query q = { .pid = 0, .xid = 0xdead };

	ASSERT_EQ(0, ioctl(self->fd, VS_IOC_GET_XID, &q));
	EXPECT_EQ((__u32)VS_XID_HOST, q.xid);
	q.pid = 1;
	q.xid = 0xdead;
	ASSERT_EQ(0, ioctl(self->fd, VS_IOC_GET_XID, &q));
	EXPECT_EQ((__u32)VS_XID_HOST, q.xid) {
		TH_LOG("init (pid 1) is not in the host context");
	}
}

/* The device, opened by root: requests the module must refuse. */
FIXTURE(refusal) {
	int fd;
};

/* Each variant: a request and the errno it must answer. */
FIXTURE_VARIANT(refusal) {
	unsigned long request;
	void *arg;
	int error;
};

FIXTURE_SETUP(refusal)
{
	self->fd = open(VS_DEVICE_PATH, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(refusal)
{
	close(self->fd);
}

FIXTURE_VARIANT_ADD(refusal, unknown_number) {
	.request = _IO(VS_IOC_MAGIC, 0xfe), .arg = NULL, .error = ENOTTY,
};

FIXTURE_VARIANT_ADD(refusal, foreign_magic) {
	.request = _IOR('x', VS_NR_GET_VERSION, struct vs_version), .arg = NULL, .error = ENOTTY,
};

FIXTURE_VARIANT_ADD(refusal, right_number_wrong_size) {
	.request = _IOR(VS_IOC_MAGIC, VS_NR_GET_VERSION, __u32), .arg = NULL, .error = ENOTTY,
};

FIXTURE_VARIANT_ADD(refusal, get_version_to_null) {
	.request = VS_IOC_GET_VERSION, .arg = NULL, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refusal, get_version_to_kernel_address) {
	.request = VS_IOC_GET_VERSION, .arg = KERNEL_ADDR, .error = EFAULT,
};

FIXTURE_VARIANT_ADD(refusal, get_xid_from_null) {
	.request = VS_IOC_GET_XID, .arg = NULL, .error = EFAULT,
};

TEST_F(refusal, answers_its_errno)
{
	struct vs_version v;
	void *arg = variant->arg;

	/* The ENOTTY cases pass a valid buffer: only the number is wrong. */
	if (variant->error == ENOTTY)
		arg = &v;
	ASSERT_EQ(-1, ioctl(self->fd, variant->request, arg));
	EXPECT_EQ(variant->error, errno);
}

TEST_F(device, get_xid_of_a_negative_pid_is_einval)
{
	struct vs_xid_query q = { .pid = -5 };

	ASSERT_EQ(-1, ioctl(self->fd, VS_IOC_GET_XID, &q));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(device, get_xid_of_an_unused_pid_is_esrch)
{
	struct vs_xid_query q = { .pid = 0x3fffffff };

	ASSERT_EQ(-1, ioctl(self->fd, VS_IOC_GET_XID, &q));
	EXPECT_EQ(ESRCH, errno);
}

/* ---- the fields ABI 2.0 added: zero, or EINVAL ---------------------------*/

#define X_ABI	1001	/* the context the requests name */
#define N_ABI	1001	/* the network context NET_GET_INFO names */

/* A field that must be zero, and the request that carries it. */
enum zero_field {
	XID_QUERY_RESERVED,	/* GET_XID of the caller */
	NID_QUERY_RESERVED,	/* NET_GET_NID of the caller */
	CONTEXT_INFO_RESERVED,	/* GET_INFO of X_ABI */
	NET_INFO_RESERVED,	/* NET_GET_INFO of N_ABI, with room for its addresses */
	LIMIT_FLAGS,		/* SET_LIMIT of X_ABI: NOFILE without limit */
	LIMIT_STATS_RESERVED,	/* GET_LIMITS of X_ABI, with room for every counter */
	SET_RLIMIT_FLAGS,	/* SET_RLIMIT of X_ABI: no NOFILE ceiling */
	GET_RLIMIT_FLAGS,	/* GET_RLIMIT of X_ABI: NOFILE */
	KILL_FLAGS,		/* KILL of X_ABI with signal 0 */
	WAIT_FLAGS,		/* WAIT for X_ABI, which has no task */
	LIST_FLAGS,		/* LIST, with room for every context */
	NET_LIST_FLAGS,		/* NET_LIST, with room for every network context */
};

/* Room for the answers of LIST and NET_LIST: more than the guest ever has. */
#define LIST_ROOM	4096
static __u32 list_room[LIST_ROOM];

/*
 * Sends the request that carries @field, with @field set to @value and every
 * other input valid; 0 or -errno.
 */
static int send_with(enum zero_field field, __u64 value)
{
	struct vs_limit_stat st[VS_LIMIT_COUNT];
	struct vs_net_addr addrs[4];
	int r;

	switch (field) {
	case XID_QUERY_RESERVED: {
		struct vs_xid_query q = { .pid = 0, .reserved = value };

		return vs_ioctl(VS_IOC_GET_XID, &q);
	}
	case NID_QUERY_RESERVED: {
		struct vs_nid_query q = { .pid = 0, .reserved = value };

		return vs_ioctl(VS_IOC_NET_GET_NID, &q);
	}
	case CONTEXT_INFO_RESERVED: {
		struct vs_context_info info = { .xid = X_ABI, .reserved = value };

		return vs_ioctl(VS_IOC_GET_INFO, &info);
	}
	case NET_INFO_RESERVED: {
		struct vs_net_info info = { .nid = N_ABI, .count = 4,
					    .addrs = (__u64)(uintptr_t)addrs, .reserved = value };

		return vs_ioctl(VS_IOC_NET_GET_INFO, &info);
	}
	case LIMIT_FLAGS: {
		struct vs_limit l = { .xid = X_ABI, .resource = VS_LIMIT_NOFILE,
				      .soft = VS_LIMIT_INFINITY, .hard = VS_LIMIT_INFINITY,
				      .flags = value };

		return vs_ioctl(VS_IOC_SET_LIMIT, &l);
	}
	case LIMIT_STATS_RESERVED: {
		struct vs_limit_stats s = { .xid = X_ABI, .count = VS_LIMIT_COUNT,
					    .reserved = (__u32)value,
					    .stats = (__u64)(uintptr_t)st };

		return vs_ioctl(VS_IOC_GET_LIMITS, &s);
	}
	case SET_RLIMIT_FLAGS:
	case GET_RLIMIT_FLAGS: {
		struct vs_rlimit rl = { .xid = X_ABI, .resource = RLIMIT_NOFILE,
					.ceiling = VS_LIMIT_INFINITY, .flags = value };

		return vs_ioctl(field == SET_RLIMIT_FLAGS ? VS_IOC_SET_RLIMIT : VS_IOC_GET_RLIMIT,
				&rl);
	}
	case KILL_FLAGS: {
		struct vs_context_kill k = { .xid = X_ABI, .sig = 0, .flags = value };

		return vs_ioctl(VS_IOC_KILL, &k);
	}
	case WAIT_FLAGS: {
		struct vs_context_wait w = { .xid = X_ABI, .flags = value };

		/* X_ABI has no task, so WAIT answers at once; bounded all the same. */
		if (vs_open() < 0)
			return -errno;
		vs_timer_arm(5000);
		r = ioctl(vs_fd, VS_IOC_WAIT, &w) < 0 ? -errno : 0;
		vs_timer_disarm();
		return r;
	}
	case LIST_FLAGS:
	case NET_LIST_FLAGS: {
		struct vs_context_list l = { .count = LIST_ROOM,
					     .xids = (__u64)(uintptr_t)list_room, .flags = value };

		return vs_ioctl(field == LIST_FLAGS ? VS_IOC_LIST : VS_IOC_NET_LIST, &l);
	}
	}
	return -ENOSYS;
}

/* X_ABI and N_ABI, persistent, never entered. */
FIXTURE(zero_field) {
	int unused;
};

/* Each variant: a field that must be zero, and its highest bit. */
FIXTURE_VARIANT(zero_field) {
	enum zero_field field;
	int top_bit;
};

FIXTURE_VARIANT_ADD(zero_field, vs_xid_query_reserved) {
	.field = XID_QUERY_RESERVED, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_nid_query_reserved) {
	.field = NID_QUERY_RESERVED, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_context_info_reserved) {
	.field = CONTEXT_INFO_RESERVED, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_net_info_reserved) {
	.field = NET_INFO_RESERVED, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_limit_flags) {
	.field = LIMIT_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_limit_stats_reserved) {
	.field = LIMIT_STATS_RESERVED, .top_bit = 31,
};

FIXTURE_VARIANT_ADD(zero_field, vs_rlimit_flags_of_set_rlimit) {
	.field = SET_RLIMIT_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_rlimit_flags_of_get_rlimit) {
	.field = GET_RLIMIT_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_context_kill_flags) {
	.field = KILL_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_context_wait_flags) {
	.field = WAIT_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_context_list_flags_of_list) {
	.field = LIST_FLAGS, .top_bit = 63,
};

FIXTURE_VARIANT_ADD(zero_field, vs_context_list_flags_of_net_list) {
	.field = NET_LIST_FLAGS, .top_bit = 63,
};

FIXTURE_SETUP(zero_field)
{
	ASSERT_EQ(X_ABI, vs_h_create(X_ABI, VS_CF_PERSISTENT));
	ASSERT_EQ(N_ABI, vs_h_net_create(N_ABI, VS_NF_PERSISTENT));
}

FIXTURE_TEARDOWN(zero_field)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(zero_field, zero_works, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, send_with(variant->field, 0)) {
		TH_LOG("the request with the field zero and valid otherwise is refused");
	}
}

TEST_F_TIMEOUT(zero_field, bit_0_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, send_with(variant->field, 1));
}

TEST_F_TIMEOUT(zero_field, top_bit_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, send_with(variant->field, 1ULL << variant->top_bit)) {
		TH_LOG("bit %d of the field is let through", variant->top_bit);
	}
}

TEST(non_root_cannot_open_the_device)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		if (open(VS_DEVICE_PATH, O_RDWR) >= 0)
			_exit(0);
		_exit(errno);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
