// SPDX-License-Identifier: GPL-2.0
/*
 * Per-context bounding capability sets: the default set, VS_IOC_SET_BCAPS
 * (any set during setup, only narrower afterwards), and what guest root can
 * and cannot do with the default set.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <linux/capability.h>

#include "../lib/vs-ktap.h"

#define XID 3601
#define NARROW (VS_BCAPS_DEFAULT & ~(1ULL << CAP_CHOWN))

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

static long bind_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long r;

	if (fd < 0)
		return -errno;
	r = VS_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	close(fd);
	return r;
}

static long regain_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	d[0].effective = d[0].permitted = 1u << CAP_SYS_ADMIN;
	return VS_ERR(syscall(SYS_capset, &h, d));
}

static void guest_default(void *arg)
{
	struct timeval tv = { .tv_sec = 1000000000 };
	struct vs_context_caps c = { .xid = XID, .bcaps = VS_BCAPS_DEFAULT };
	int fd;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(status_caps("CapBnd:") == VS_BCAPS_DEFAULT, 1,
		  "guest CapBnd is the default set (%#llx)", status_caps("CapBnd:"));
	vs_expect(status_caps("CapEff:") == VS_BCAPS_DEFAULT, 1,
		  "guest root's CapEff is the default set (%#llx)", status_caps("CapEff:"));
	vs_expect(status_caps("CapPrm:") == VS_BCAPS_DEFAULT, 1, "guest root's CapPrm is the default set");

	vs_expect(VS_ERR(sethostname("guest", 5)), -EPERM, "sethostname -> EPERM (no CAP_SYS_ADMIN)");
	vs_expect(VS_ERR(mount("none", "/tmp", "tmpfs", 0, NULL)), -EPERM, "mount tmpfs -> EPERM");
	vs_expect(VS_ERR(settimeofday(&tv, NULL)), -EPERM, "settimeofday -> EPERM (no CAP_SYS_TIME)");
	fd = open("/lib/modules/vserver.ko", O_RDONLY);
	vs_expect(VS_ERR(syscall(SYS_finit_module, fd, "", 0)), -EPERM, "finit_module -> EPERM");
	close(fd);
	vs_expect(VS_ERR(mknod("/tmp/cap-blk", S_IFBLK | 0600, makedev(8, 0))), -EPERM,
		  "mknod of a block device -> EPERM (no CAP_MKNOD)");
	vs_expect(VS_ERR(swapon("/tmp/cap-swap", 0)), -EPERM, "swapon -> EPERM");
	if (VS_ERR(syscall(SYS_iopl, 3)) == -ENOSYS)
		ktap_skip("kernel without CONFIG_X86_IOPL_IOPERM", "iopl(3) -> EPERM");
	else
		vs_expect(VS_ERR(syscall(SYS_iopl, 3)), -EPERM, "iopl(3) -> EPERM (no CAP_SYS_RAWIO)");
	vs_expect(VS_ERR(unshare(CLONE_NEWNS)), -EPERM, "unshare(CLONE_NEWNS) -> EPERM");
	vs_expect(VS_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)), -EPERM,
		  "raw socket -> EPERM (no CAP_NET_RAW)");
	vs_expect(regain_sys_admin(), -EPERM, "capset to regain CAP_SYS_ADMIN -> EPERM");
	vs_expect(VS_ERR(setpriority(PRIO_PROCESS, 0, -5)), -EACCES,
		  "raising its own priority -> EACCES (no CAP_SYS_NICE)");
	vs_expect(vs_ioctl(VS_IOC_SET_BCAPS, &c), -EPERM, "a guest cannot set bounding sets");
	vs_expect(VS_ERR(syscall(SYS_syslog, 10, NULL, 0)), -EPERM,
		  "syslog(SIZE_BUFFER) -> EPERM without CAP_SYSLOG");
	vs_expect(VS_ERR(open("/dev/kmsg", O_RDONLY)), -EPERM, "reading /dev/kmsg -> EPERM");
	vs_expect(VS_ERR(open("/proc/sys/kernel/hostname", O_WRONLY)), -EACCES,
		  "writing /proc/sys/kernel/hostname -> EACCES");
	if (access("/proc/sysrq-trigger", F_OK))
		ktap_skip("kernel without CONFIG_MAGIC_SYSRQ", "writing /proc/sysrq-trigger -> EACCES");
	else
		vs_expect(VS_ERR(open("/proc/sysrq-trigger", O_WRONLY)), -EACCES,
			  "writing /proc/sysrq-trigger -> EACCES");
	vs_expect(VS_ERR(open("/sys/class/misc/vserver/uevent", O_WRONLY)), -EACCES,
		  "writing a sysfs file -> EACCES");
	fd = open("/proc/sys/kernel/hostname", O_RDONLY);
	vs_expect(fd >= 0, 1, "reading /proc/sys/kernel/hostname still works");
	close(fd);
	fd = open("/sys/class/misc/vserver/uevent", O_RDONLY);
	vs_expect(fd >= 0, 1, "reading sysfs still works");
	close(fd);
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	vs_expect(fd >= 0, 1, "writing its own /proc/self files still works");
	close(fd);

	fd = open("/tmp/cap-file", O_CREAT | O_WRONLY, 0600);
	close(fd);
	vs_expect(VS_ERR(chown("/tmp/cap-file", 1000, 1000)), 0, "chown works (CAP_CHOWN)");
	vs_expect(bind_port(80), 0, "binding port 80 works (CAP_NET_BIND_SERVICE)");
	vs_expect(VS_ERR(setgroups(0, NULL)), 0, "setgroups works (CAP_SETGID)");
	mkdir("/tmp/cap-root", 0755);
	vs_expect(VS_ERR(chroot("/tmp/cap-root")), 0, "chroot works (CAP_SYS_CHROOT)");
}

static void guest_narrowed(void *arg)
{
	int fd;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(status_caps("CapBnd:") == NARROW, 1, "a task entering later gets the narrowed set");
	fd = open("/tmp/cap-file2", O_CREAT | O_WRONLY, 0600);
	close(fd);
	vs_expect(VS_ERR(chown("/tmp/cap-file2", 1000, 1000)), -EPERM, "chown -> EPERM without CAP_CHOWN");
}

static int set_bcaps(__u32 xid, __u64 bcaps, __u32 reserved)
{
	struct vs_context_caps c = { .xid = xid, .reserved = reserved, .bcaps = bcaps };

	return vs_ioctl(VS_IOC_SET_BCAPS, &c);
}

int main(void)
{
	struct vs_context_info info;
	unsigned long long hits;

	ktap_plan(46);
	vs_expect(vs_create(XID, VS_CF_PERSISTENT), XID, "create context %d", XID);
	vs_info(XID, &info);
	vs_expect(info.bcaps == VS_BCAPS_DEFAULT, 1, "a new context has the default set (%#llx)",
		  (unsigned long long)info.bcaps);
	vs_expect(set_bcaps(XID, 1ULL << 63, 0), -EINVAL, "SET_BCAPS with an unknown capability -> EINVAL");
	vs_expect(set_bcaps(XID, VS_BCAPS_DEFAULT, 1), -EINVAL, "SET_BCAPS with reserved != 0 -> EINVAL");
	vs_expect(set_bcaps(4242, VS_BCAPS_DEFAULT, 0), -ESRCH, "SET_BCAPS of an unknown context -> ESRCH");
	vs_expect(vs_ioctl(VS_IOC_SET_BCAPS, NULL), -EFAULT, "SET_BCAPS from NULL -> EFAULT");
	vs_expect(set_bcaps(XID, VS_BCAPS_DEFAULT | (1ULL << CAP_NET_RAW), 0), 0,
		  "during setup the set may grow");
	vs_info(XID, &info);
	vs_expect(info.bcaps == (VS_BCAPS_DEFAULT | (1ULL << CAP_NET_RAW)), 1, "GET_INFO shows it");
	vs_expect(set_bcaps(XID, VS_BCAPS_DEFAULT, 0), 0, "back to the default set");
	vs_expect(vs_end_setup(XID), 0, "END_SETUP");
	vs_expect(set_bcaps(XID, VS_BCAPS_DEFAULT | (1ULL << CAP_SYS_ADMIN), 0), -EPERM,
		  "after setup the set cannot grow -> EPERM");

	vs_ktap_fork(guest_default, NULL, 20000);

	/*
	 * syslog, /dev/kmsg, /proc/sys and sysfs (and sysrq if present), and the raw socket
	 * (refused by the socket hook before any capability check). Capabilities the
	 * credentials no longer hold are refused by commoncap before our hook sees them.
	 */
	vs_info(XID, &info);
	hits = access("/proc/sysrq-trigger", F_OK) ? 5 : 6;
	vs_expect(info.hits == hits, 1, "the %llu refusals were counted (%llu hits)",
		  hits, (unsigned long long)info.hits);
	vs_expect(VS_ERR(open("/proc/sys/kernel/hostname", O_WRONLY)) >= 0, 1,
		  "the host still writes /proc/sys");
	vs_expect(set_bcaps(XID, NARROW, 0), 0, "after setup the set can shrink");
	vs_info(XID, &info);
	vs_expect(info.bcaps == NARROW, 1, "GET_INFO shows the narrowed set");
	vs_ktap_fork(guest_narrowed, NULL, 20000);
	vs_expect(chown("/tmp/cap-file", 0, 0) == 0, 1, "the host keeps CAP_CHOWN");

	vs_wait_tasks(XID, 0, 2000);
	vs_expect(vs_remove(XID), 0, "remove context %d", XID);
	return ktap_finish();
}
