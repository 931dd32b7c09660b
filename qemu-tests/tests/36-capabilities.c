// SPDX-License-Identifier: GPL-2.0
/*
 * Per-context bounding capability sets: the default set, VS_IOC_SET_BCAPS
 * (any set during setup, only narrower afterwards), and what guest root can
 * and cannot do with the default set.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <linux/capability.h>

#include "../lib/steps.h"

#define XID	3601
#define GROWN	(VS_BCAPS_DEFAULT | (1ULL << CAP_NET_RAW))
#define NARROW	(VS_BCAPS_DEFAULT & ~(1ULL << CAP_CHOWN))

static int set_bcaps(__u32 xid, __u64 bcaps, __u32 reserved)
{
	struct vs_context_caps c = { .xid = xid, .reserved = reserved, .bcaps = bcaps };

	return vs_ioctl(VS_IOC_SET_BCAPS, &c);
}

/* A capability set of /proc/self/status ("CapBnd:" ...), or ~0 if missing. */
static unsigned long long status_caps(const char *key)
{
	char line[256];
	unsigned long long v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

/*
 * The highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap),
 * which is what the module accepts: CAP_LAST_CAP of the header this test is
 * built with need not be the test kernel's. -errno if it cannot be read.
 */
static int kernel_cap_last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = -1;

	if (!f)
		return -errno;
	if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
		last = -EPROTO;
	fclose(f);
	return last;
}

/* Every capability of a kernel whose highest one is @last. */
static __u64 every_cap(int last)
{
	return last == 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

/* open(@path, @flags) and close: 0 or -errno. */
static long open_err(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* ---- what guest root tries with the default set -------------------------- */

static long cap_bnd(void *arg)
{
	(void)arg;
	return (long)status_caps("CapBnd:");
}

static long cap_eff(void *arg)
{
	(void)arg;
	return (long)status_caps("CapEff:");
}

static long cap_prm(void *arg)
{
	(void)arg;
	return (long)status_caps("CapPrm:");
}

static long try_sethostname(void *arg)
{
	(void)arg;
	return VS_ERR(sethostname("guest", 5));
}

static long try_mount(void *arg)
{
	(void)arg;
	return VS_ERR(mount("none", "/tmp", "tmpfs", 0, NULL));
}

static long try_settimeofday(void *arg)
{
	struct timeval tv = { .tv_sec = 1000000000 };

	(void)arg;
	return VS_ERR(settimeofday(&tv, NULL));
}

static long try_finit_module(void *arg)
{
	int fd = open("/lib/modules/vserver.ko", O_RDONLY);
	long r;

	(void)arg;
	r = VS_ERR(syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	return r;
}

static long try_mknod_block_device(void *arg)
{
	(void)arg;
	return VS_ERR(mknod("/tmp/cap-blk", S_IFBLK | 0600, makedev(8, 0)));
}

static long try_swapon(void *arg)
{
	(void)arg;
	return VS_ERR(swapon("/tmp/cap-swap", 0));
}

static long try_iopl(void *arg)
{
	(void)arg;
	return VS_ERR(syscall(SYS_iopl, 3));
}

static const char *no_iopl(void)
{
	return VS_ERR(syscall(SYS_iopl, 3)) == -ENOSYS ? "kernel without CONFIG_X86_IOPL_IOPERM" :
							   NULL;
}

static long try_unshare_mount_namespace(void *arg)
{
	(void)arg;
	return VS_ERR(unshare(CLONE_NEWNS));
}

static long try_raw_socket(void *arg)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	(void)arg;
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static long try_regain_sys_admin(void *arg)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	(void)arg;
	d[0].effective = d[0].permitted = 1u << CAP_SYS_ADMIN;
	return VS_ERR(syscall(SYS_capset, &h, d));
}

static long try_raise_priority(void *arg)
{
	(void)arg;
	return VS_ERR(setpriority(PRIO_PROCESS, 0, -5));
}

static long try_set_bcaps(void *arg)
{
	(void)arg;
	return set_bcaps(XID, VS_BCAPS_DEFAULT, 0);
}

static long try_syslog_size_buffer(void *arg)
{
	(void)arg;
	return VS_ERR(syscall(SYS_syslog, 10, NULL, 0));
}

static long try_read_kmsg(void *arg)
{
	(void)arg;
	return open_err("/dev/kmsg", O_RDONLY);
}

static long try_write_proc_sys(void *arg)
{
	(void)arg;
	return open_err("/proc/sys/kernel/hostname", O_WRONLY);
}

static long try_write_sysrq_trigger(void *arg)
{
	(void)arg;
	return open_err("/proc/sysrq-trigger", O_WRONLY);
}

static const char *no_sysrq(void)
{
	return access("/proc/sysrq-trigger", F_OK) ? "kernel without CONFIG_MAGIC_SYSRQ" : NULL;
}

static long try_write_sysfs(void *arg)
{
	(void)arg;
	return open_err("/sys/class/misc/vserver/uevent", O_WRONLY);
}

static long try_read_proc_sys(void *arg)
{
	(void)arg;
	return open_err("/proc/sys/kernel/hostname", O_RDONLY);
}

static long try_read_sysfs(void *arg)
{
	(void)arg;
	return open_err("/sys/class/misc/vserver/uevent", O_RDONLY);
}

static long try_write_own_proc_file(void *arg)
{
	(void)arg;
	return open_err("/proc/self/oom_score_adj", O_WRONLY);
}

/* chown of a file of its own (made first) to user 1000. */
static long try_chown(void *arg)
{
	const char *path = arg ? arg : "/tmp/cap-file";

	close(open(path, O_CREAT | O_WRONLY, 0600));
	return VS_ERR(chown(path, 1000, 1000));
}

static long try_bind_port_80(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long r;

	(void)arg;
	if (fd < 0)
		return -errno;
	r = VS_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	close(fd);
	return r;
}

static long try_setgroups(void *arg)
{
	(void)arg;
	return VS_ERR(setgroups(0, NULL));
}

static long try_chroot(void *arg)
{
	(void)arg;
	mkdir("/tmp/cap-root", 0755);
	return VS_ERR(chroot("/tmp/cap-root"));
}

enum {
	CAP_BND, CAP_EFF, CAP_PRM,
	SETHOSTNAME, MOUNT, SETTIMEOFDAY, FINIT_MODULE, MKNOD_BLOCK_DEVICE, SWAPON, IOPL,
	UNSHARE_MOUNT_NAMESPACE, RAW_SOCKET, REGAIN_SYS_ADMIN, RAISE_PRIORITY, SET_BCAPS,
	SYSLOG_SIZE_BUFFER, READ_KMSG, WRITE_PROC_SYS, WRITE_SYSRQ_TRIGGER, WRITE_SYSFS,
	READ_PROC_SYS, READ_SYSFS, WRITE_OWN_PROC_FILE,
	CHOWN, BIND_PORT_80, SETGROUPS, CHROOT,		/* CHROOT last: it moves the root */
};

/* Everything a guest root with the default set tries, in this order. */
static const struct vs_step default_set[] = {
	[CAP_BND] = { "CapBnd is the default set", cap_bnd, VS_BCAPS_DEFAULT },
	[CAP_EFF] = { "guest root's CapEff is the default set", cap_eff, VS_BCAPS_DEFAULT },
	[CAP_PRM] = { "guest root's CapPrm is the default set", cap_prm, VS_BCAPS_DEFAULT },
	[SETHOSTNAME] = { "sethostname (no CAP_SYS_ADMIN)", try_sethostname, -EPERM },
	[MOUNT] = { "mount tmpfs", try_mount, -EPERM },
	[SETTIMEOFDAY] = { "settimeofday (no CAP_SYS_TIME)", try_settimeofday, -EPERM },
	[FINIT_MODULE] = { "finit_module", try_finit_module, -EPERM },
	[MKNOD_BLOCK_DEVICE] = {
		"mknod of a block device (no CAP_MKNOD)", try_mknod_block_device, -EPERM,
	},
	[SWAPON] = { "swapon", try_swapon, -EPERM },
	[IOPL] = { "iopl(3) (no CAP_SYS_RAWIO)", try_iopl, -EPERM, no_iopl },
	[UNSHARE_MOUNT_NAMESPACE] = {
		"unshare(CLONE_NEWNS)", try_unshare_mount_namespace, -EPERM,
	},
	[RAW_SOCKET] = { "a raw socket (no CAP_NET_RAW)", try_raw_socket, -EPERM },
	[REGAIN_SYS_ADMIN] = { "capset to regain CAP_SYS_ADMIN", try_regain_sys_admin, -EPERM },
	[RAISE_PRIORITY] = {
		"raising its own priority (no CAP_SYS_NICE)", try_raise_priority, -EACCES,
	},
	[SET_BCAPS] = { "SET_BCAPS from a guest", try_set_bcaps, -EPERM },
	[SYSLOG_SIZE_BUFFER] = {
		"syslog(SIZE_BUFFER) (no CAP_SYSLOG)", try_syslog_size_buffer, -EPERM,
	},
	[READ_KMSG] = { "reading /dev/kmsg", try_read_kmsg, -EPERM },
	[WRITE_PROC_SYS] = { "writing /proc/sys/kernel/hostname", try_write_proc_sys, -EACCES },
	[WRITE_SYSRQ_TRIGGER] = {
		"writing /proc/sysrq-trigger", try_write_sysrq_trigger, -EACCES, no_sysrq,
	},
	[WRITE_SYSFS] = { "writing a sysfs file", try_write_sysfs, -EACCES },
	[READ_PROC_SYS] = { "reading /proc/sys/kernel/hostname", try_read_proc_sys, 0 },
	[READ_SYSFS] = { "reading sysfs", try_read_sysfs, 0 },
	[WRITE_OWN_PROC_FILE] = {
		"writing its own /proc/self/oom_score_adj", try_write_own_proc_file, 0,
	},
	[CHOWN] = { "chown (CAP_CHOWN)", try_chown, 0 },
	[BIND_PORT_80] = { "binding port 80 (CAP_NET_BIND_SERVICE)", try_bind_port_80, 0 },
	[SETGROUPS] = { "setgroups (CAP_SETGID)", try_setgroups, 0 },
	[CHROOT] = { "chroot (CAP_SYS_CHROOT)", try_chroot, 0 },
};

/* A context with the default set, its setup ended. */
FIXTURE(default_set) {
};

FIXTURE_VARIANT(default_set) {
	int step;
};

FIXTURE_VARIANT_ADD(default_set, bounding_set_is_the_default_set) { .step = CAP_BND };
FIXTURE_VARIANT_ADD(default_set, effective_set_of_root_is_the_default_set) { .step = CAP_EFF };
FIXTURE_VARIANT_ADD(default_set, permitted_set_of_root_is_the_default_set) { .step = CAP_PRM };
FIXTURE_VARIANT_ADD(default_set, sethostname_is_eperm) { .step = SETHOSTNAME };
FIXTURE_VARIANT_ADD(default_set, mount_is_eperm) { .step = MOUNT };
FIXTURE_VARIANT_ADD(default_set, settimeofday_is_eperm) { .step = SETTIMEOFDAY };
FIXTURE_VARIANT_ADD(default_set, finit_module_is_eperm) { .step = FINIT_MODULE };
FIXTURE_VARIANT_ADD(default_set, mknod_of_a_block_device_is_eperm) { .step = MKNOD_BLOCK_DEVICE };
FIXTURE_VARIANT_ADD(default_set, swapon_is_eperm) { .step = SWAPON };
FIXTURE_VARIANT_ADD(default_set, iopl_is_eperm) { .step = IOPL };
FIXTURE_VARIANT_ADD(default_set, unshare_of_the_mount_namespace_is_eperm) {
	.step = UNSHARE_MOUNT_NAMESPACE,
};
FIXTURE_VARIANT_ADD(default_set, raw_socket_is_eperm) { .step = RAW_SOCKET };
FIXTURE_VARIANT_ADD(default_set, capset_regaining_cap_sys_admin_is_eperm) {
	.step = REGAIN_SYS_ADMIN,
};
FIXTURE_VARIANT_ADD(default_set, raising_its_priority_is_eacces) { .step = RAISE_PRIORITY };
FIXTURE_VARIANT_ADD(default_set, set_bcaps_is_eperm) { .step = SET_BCAPS };
FIXTURE_VARIANT_ADD(default_set, syslog_is_eperm) { .step = SYSLOG_SIZE_BUFFER };
FIXTURE_VARIANT_ADD(default_set, reading_dev_kmsg_is_eperm) { .step = READ_KMSG };
FIXTURE_VARIANT_ADD(default_set, writing_proc_sys_is_eacces) { .step = WRITE_PROC_SYS };
FIXTURE_VARIANT_ADD(default_set, writing_sysrq_trigger_is_eacces) { .step = WRITE_SYSRQ_TRIGGER };
FIXTURE_VARIANT_ADD(default_set, writing_sysfs_is_eacces) { .step = WRITE_SYSFS };
FIXTURE_VARIANT_ADD(default_set, reading_proc_sys_works) { .step = READ_PROC_SYS };
FIXTURE_VARIANT_ADD(default_set, reading_sysfs_works) { .step = READ_SYSFS };
FIXTURE_VARIANT_ADD(default_set, writing_its_own_proc_files_works) { .step = WRITE_OWN_PROC_FILE };
FIXTURE_VARIANT_ADD(default_set, chown_works) { .step = CHOWN };
FIXTURE_VARIANT_ADD(default_set, binding_port_80_works) { .step = BIND_PORT_80 };
FIXTURE_VARIANT_ADD(default_set, setgroups_works) { .step = SETGROUPS };
FIXTURE_VARIANT_ADD(default_set, chroot_works) { .step = CHROOT };

FIXTURE_SETUP(default_set)
{
	ASSERT_EQ(XID, vs_h_create(XID, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_end_setup(XID));
}

FIXTURE_TEARDOWN(default_set)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(default_set, holds_for_guest_root, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, default_set, variant->step, variant->step, NULL, 20000);
}

/* ---- VS_IOC_SET_BCAPS ------------------------------------------------------ */

/* A context in its setup. */
FIXTURE(bcaps) {
};

FIXTURE_SETUP(bcaps)
{
	ASSERT_EQ(XID, vs_h_create(XID, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(bcaps)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(bcaps, new_context_has_the_default_set, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(VS_BCAPS_DEFAULT, info.bcaps);
}

TEST_F_TIMEOUT(bcaps, unknown_capability_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, set_bcaps(XID, 1ULL << 63, 0));
}

TEST_F_TIMEOUT(bcaps, every_capability_the_kernel_knows_is_accepted_during_setup, VS_H_TIMEOUT)
{
	struct vs_context_info info;
	int last = kernel_cap_last_cap();

	ASSERT_LE(0, last) {
		TH_LOG("/proc/sys/kernel/cap_last_cap: %s", vs_errname(last));
	}
	EXPECT_EQ(0, set_bcaps(XID, every_cap(last), 0)) {
		TH_LOG("capabilities 0..%d refused", last);
	}
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(every_cap(last), info.bcaps);
}

TEST_F_TIMEOUT(bcaps, the_capability_after_the_kernels_last_is_einval, VS_H_TIMEOUT)
{
	struct vs_context_info info;
	int last = kernel_cap_last_cap();

	ASSERT_LE(0, last) {
		TH_LOG("/proc/sys/kernel/cap_last_cap: %s", vs_errname(last));
	}
	if (last == 63)
		SKIP(return, "the kernel knows 64 capabilities: no bit is unknown");
	EXPECT_EQ(-EINVAL, set_bcaps(XID, every_cap(last) | (1ULL << (last + 1)), 0)) {
		TH_LOG("capability %d (unknown to the kernel) accepted", last + 1);
	}
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(VS_BCAPS_DEFAULT, info.bcaps);
}

TEST_F_TIMEOUT(bcaps, nonzero_reserved_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, set_bcaps(XID, VS_BCAPS_DEFAULT, 1));
}

TEST_F_TIMEOUT(bcaps, unknown_context_is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, set_bcaps(4242, VS_BCAPS_DEFAULT, 0));
}

TEST_F_TIMEOUT(bcaps, null_argument_is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(VS_IOC_SET_BCAPS, NULL));
}

TEST_F_TIMEOUT(bcaps, set_may_grow_during_setup, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, set_bcaps(XID, GROWN, 0));
}

TEST_F_TIMEOUT(bcaps, get_info_shows_the_grown_set, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, set_bcaps(XID, GROWN, 0));
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(GROWN, info.bcaps);
}

TEST_F_TIMEOUT(bcaps, set_may_go_back_to_the_default_during_setup, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, set_bcaps(XID, GROWN, 0));
	EXPECT_EQ(0, set_bcaps(XID, VS_BCAPS_DEFAULT, 0));
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(VS_BCAPS_DEFAULT, info.bcaps);
}

TEST_F_TIMEOUT(bcaps, end_setup_succeeds, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_end_setup(XID));
}

TEST_F_TIMEOUT(bcaps, set_cannot_grow_after_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_end_setup(XID));
	EXPECT_EQ(-EPERM, set_bcaps(XID, VS_BCAPS_DEFAULT | (1ULL << CAP_SYS_ADMIN), 0));
}

TEST_F_TIMEOUT(bcaps, set_may_shrink_after_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_end_setup(XID));
	EXPECT_EQ(0, set_bcaps(XID, NARROW, 0));
}

TEST_F_TIMEOUT(bcaps, get_info_shows_the_narrowed_set, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_end_setup(XID));
	ASSERT_EQ(0, set_bcaps(XID, NARROW, 0));
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(NARROW, info.bcaps);
}

/*
 * syslog, /dev/kmsg, /proc/sys and sysfs (and sysrq if present), and the raw
 * socket (refused by the socket hook before any capability check). Capabilities
 * the credentials no longer hold are refused by commoncap before our hook sees
 * them.
 */
TEST_F_TIMEOUT(bcaps, refusals_of_the_default_set_are_counted, VS_H_TIMEOUT)
{
	unsigned long long hits = no_sysrq() ? 5 : 6;
	struct vs_context_info info;

	ASSERT_EQ(0, vs_end_setup(XID));
	vs_h_run_steps(XID, 0, default_set, 0, VS_STEPS(default_set) - 1, NULL, 20000);
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(hits, info.hits);
}

TEST_F_TIMEOUT(bcaps, host_still_writes_proc_sys, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_end_setup(XID));
	vs_h_run_steps(XID, 0, default_set, WRITE_PROC_SYS, WRITE_PROC_SYS, NULL, 20000);
	EXPECT_EQ(0, open_err("/proc/sys/kernel/hostname", O_WRONLY));
}

TEST_F_TIMEOUT(bcaps, context_is_removed_once_empty, VS_H_TIMEOUT)
{
	int gone;

	ASSERT_EQ(0, vs_end_setup(XID));
	vs_h_run_steps(XID, 0, default_set, CAP_BND, CAP_BND, NULL, 20000);
	EXPECT_EQ(1, vs_wait_tasks(XID, 0, 2000));
	EXPECT_EQ(0, vs_remove(XID));
	gone = vs_wait_gone(XID, 2000);
	EXPECT_EQ(1, gone);
	if (gone)
		vs_h_forget(XID);
}

/* ---- a set narrowed after the setup --------------------------------------- */

enum { NARROWED_CAP_BND, NARROWED_CHOWN, NARROWED_SETGROUPS };

static const struct vs_step narrowed[] = {
	[NARROWED_CAP_BND] = { "a task entering later gets the narrowed set", cap_bnd, NARROW },
	[NARROWED_CHOWN] = { "chown without CAP_CHOWN", try_chown, -EPERM },
	[NARROWED_SETGROUPS] = { "setgroups (CAP_SETGID is still there)", try_setgroups, 0 },
};

FIXTURE(narrowed) {
};

FIXTURE_SETUP(narrowed)
{
	ASSERT_EQ(XID, vs_h_create(XID, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_end_setup(XID));
	ASSERT_EQ(0, set_bcaps(XID, NARROW, 0));
}

FIXTURE_TEARDOWN(narrowed)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(narrowed, task_entering_later_gets_the_narrowed_set, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, narrowed, NARROWED_CAP_BND, NARROWED_CAP_BND, NULL, 20000);
}

TEST_F_TIMEOUT(narrowed, chown_is_eperm_without_cap_chown, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, narrowed, NARROWED_CHOWN, NARROWED_CHOWN, "/tmp/cap-file2", 20000);
}

TEST_F_TIMEOUT(narrowed, other_capabilities_stay, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, narrowed, NARROWED_SETGROUPS, NARROWED_SETGROUPS, NULL, 20000);
}

TEST_F_TIMEOUT(narrowed, host_keeps_cap_chown, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, narrowed, NARROWED_CHOWN, NARROWED_CHOWN, "/tmp/cap-file2", 20000);
	close(open("/tmp/cap-file2", O_CREAT | O_WRONLY, 0600));
	EXPECT_EQ(0, VS_ERR(chown("/tmp/cap-file2", 0, 0)));
}

TEST_HARNESS_MAIN
