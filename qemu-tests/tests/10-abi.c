// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vserver ABI: version, the caller's xid, and the error discipline
 * (unknown ioctl, bad pointers, bad arguments, non-root openers).
 *
 * Written on tools/testing/selftests/kselftest_harness.h, as Landlock's
 * selftests are: each TEST runs in a child of its own, the plan is counted
 * by the harness.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vserver.h>

#include "kselftest_harness.h"

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
	struct vs_version v = { .major = 0xdead, .minor = 0xbeef, .features = ~0ULL };

	ASSERT_EQ(0, ioctl(self->fd, VS_IOC_GET_VERSION, &v));
	EXPECT_EQ((__u32)VS_ABI_MAJOR, v.major);
	EXPECT_EQ((__u32)VS_ABI_MINOR, v.minor);
	EXPECT_EQ(0ULL, v.features) {
		TH_LOG("the reserved features field is not zeroed");
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
