// SPDX-License-Identifier: GPL-2.0
/*
 * mknod in a guest: without CAP_MKNOD (the default set) no device at all;
 * with it only the usual safe character devices (null, zero, full, random,
 * urandom, tty, ptmx), never a block device or another character device.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/capability.h>

#include "../lib/vs-ktap.h"

#define DEFAULT_XID 3801
#define MKNOD_XID 3802

static void guest_default(void *arg)
{
	(void)arg;
	if (vs_migrate(DEFAULT_XID))
		ktap_diag("migrate failed: the cases below will fail");
	vs_expect(VS_ERR(open("/tmp/mk-host-blk", O_RDONLY)), -EACCES,
		  "opening a block device node the host made -> EACCES");
	vs_expect(VS_ERR(mknod("/tmp/mk-null0", S_IFCHR | 0666, makedev(1, 3))), -EPERM,
		  "default set: even /dev/null -> EPERM");
	vs_expect(VS_ERR(mknod("/tmp/mk-fifo0", S_IFIFO | 0600, 0)), 0, "default set: a fifo works");
}

static void guest_mknod(void *arg)
{
	static const struct { int maj, min; const char *name; } safe[] = {
		{ 1, 3, "null" }, { 1, 5, "zero" }, { 1, 7, "full" }, { 1, 8, "random" },
		{ 1, 9, "urandom" }, { 5, 0, "tty" }, { 5, 2, "ptmx" },
	};
	char path[64];
	unsigned int i;

	(void)arg;
	if (vs_migrate(MKNOD_XID))
		ktap_diag("migrate failed: the cases below will fail");
	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/mk-%s", safe[i].name);
		vs_expect(VS_ERR(mknod(path, S_IFCHR | 0666, makedev(safe[i].maj, safe[i].min))), 0,
			  "with CAP_MKNOD: %s (%d,%d) works", safe[i].name, safe[i].maj, safe[i].min);
	}
	vs_expect(VS_ERR(mknod("/tmp/mk-mem", S_IFCHR | 0600, makedev(1, 1))), -EPERM,
		  "with CAP_MKNOD: /dev/mem (1,1) -> EPERM");
	vs_expect(VS_ERR(mknod("/tmp/mk-kmsg", S_IFCHR | 0600, makedev(1, 11))), -EPERM,
		  "with CAP_MKNOD: /dev/kmsg (1,11) -> EPERM");
	vs_expect(VS_ERR(mknod("/tmp/mk-sda", S_IFBLK | 0600, makedev(8, 0))), -EPERM,
		  "with CAP_MKNOD: a block device -> EPERM");
	vs_expect(VS_ERR(mknod("/tmp/mk-fifo", S_IFIFO | 0600, 0)), 0, "with CAP_MKNOD: a fifo works");
}

int main(void)
{
	struct vs_context_caps c = { .xid = MKNOD_XID, .bcaps = VS_BCAPS_DEFAULT | (1ULL << CAP_MKNOD) };
	struct vs_context_info info;

	ktap_plan(23);
	vs_expect(VS_ERR(mknod("/tmp/mk-host-blk", S_IFBLK | 0600, makedev(1, 0))), 0,
		  "the host makes a block device node");
	vs_expect(VS_ERR(open("/tmp/mk-host-blk", O_RDONLY)), -ENXIO,
		  "the host's open reaches the (absent) driver: ENXIO");
	vs_expect(vs_create(DEFAULT_XID, VS_CF_PERSISTENT), DEFAULT_XID, "create context %d", DEFAULT_XID);
	vs_expect(vs_create(MKNOD_XID, VS_CF_PERSISTENT), MKNOD_XID, "create context %d", MKNOD_XID);
	vs_expect(vs_ioctl(VS_IOC_SET_BCAPS, &c), 0, "give context %d CAP_MKNOD", MKNOD_XID);
	vs_ktap_fork(guest_default, NULL, 20000);
	vs_ktap_fork(guest_mknod, NULL, 20000);
	vs_info(MKNOD_XID, &info);
	vs_expect(info.hits, 3, "the three refused device nodes were counted");
	vs_expect(VS_ERR(mknod("/tmp/mk-host-mem", S_IFCHR | 0600, makedev(1, 1))), 0,
		  "the host still creates any device");
	vs_wait_tasks(DEFAULT_XID, 0, 2000);
	vs_wait_tasks(MKNOD_XID, 0, 2000);
	vs_expect(vs_remove(DEFAULT_XID), 0, "remove context %d", DEFAULT_XID);
	vs_expect(vs_remove(MKNOD_XID), 0, "remove context %d", MKNOD_XID);
	return ktap_finish();
}
