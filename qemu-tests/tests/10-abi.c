// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vserver ABI: version, the caller's xid, and the error discipline
 * (unknown ioctl, bad pointers, bad arguments, non-root openers).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vserver.h>

#include "../lib/ktap.h"

#define KERNEL_ADDR ((void *)0xffff888000000000UL)

/* Opens the device as uid/gid 65534 in a child; returns the child's errno. */
static int open_as_nobody(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		if (open(VS_DEVICE_PATH, O_RDWR) >= 0)
			_exit(0);
		_exit(errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	struct vs_version v = { .major = 0xdead, .minor = 0xbeef, .features = ~0ULL };
	struct vs_xid_query q = { .pid = 0, .xid = 0xdead };
	int fd, err;

	ktap_plan(16);
	fd = open(VS_DEVICE_PATH, O_RDWR);
	if (!ktap_result(fd >= 0, "root opens %s", VS_DEVICE_PATH))
		ktap_diag("open: %s", strerror(errno));

	KTAP_EXPECT_OK(ioctl(fd, VS_IOC_GET_VERSION, &v), "VS_IOC_GET_VERSION succeeds");
	ktap_result(v.major == VS_ABI_MAJOR && v.minor == VS_ABI_MINOR,
		    "version is %u.%u (header %u.%u)", v.major, v.minor,
		    VS_ABI_MAJOR, VS_ABI_MINOR);
	ktap_result(v.features == 0, "reserved features field is zeroed");

	KTAP_EXPECT_OK(ioctl(fd, VS_IOC_GET_XID, &q), "VS_IOC_GET_XID for the caller succeeds");
	ktap_result(q.xid == VS_XID_HOST, "the host's xid is 0 (got %u)", q.xid);
	q.pid = 1;
	q.xid = 0xdead;
	ioctl(fd, VS_IOC_GET_XID, &q);
	ktap_result(q.xid == VS_XID_HOST, "init (pid 1) is in the host context (got %u)", q.xid);

	KTAP_EXPECT_ERRNO(ioctl(fd, _IO(VS_IOC_MAGIC, 0xfe)), ENOTTY, "unknown command number -> ENOTTY");
	KTAP_EXPECT_ERRNO(ioctl(fd, _IOR('x', VS_NR_GET_VERSION, struct vs_version), &v), ENOTTY,
			  "foreign magic -> ENOTTY");
	KTAP_EXPECT_ERRNO(ioctl(fd, _IOR(VS_IOC_MAGIC, VS_NR_GET_VERSION, __u32), &v), ENOTTY,
			  "right number, wrong size -> ENOTTY");
	KTAP_EXPECT_ERRNO(ioctl(fd, VS_IOC_GET_VERSION, NULL), EFAULT, "GET_VERSION to NULL -> EFAULT");
	KTAP_EXPECT_ERRNO(ioctl(fd, VS_IOC_GET_VERSION, KERNEL_ADDR), EFAULT,
			  "GET_VERSION to a kernel address -> EFAULT");
	KTAP_EXPECT_ERRNO(ioctl(fd, VS_IOC_GET_XID, NULL), EFAULT, "GET_XID from NULL -> EFAULT");

	q.pid = -5;
	KTAP_EXPECT_ERRNO(ioctl(fd, VS_IOC_GET_XID, &q), EINVAL, "GET_XID of a negative pid -> EINVAL");
	q.pid = 0x3fffffff;
	KTAP_EXPECT_ERRNO(ioctl(fd, VS_IOC_GET_XID, &q), ESRCH, "GET_XID of an unused pid -> ESRCH");

	err = open_as_nobody();
	ktap_result(err == EACCES, "a non-root user cannot open the device (errno %d)", err);
	close(fd);
	return ktap_finish();
}
