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

#include "../lib/harness.h"

#define DEFAULT_XID	3801	/* the default bounding set */
#define MKNOD_XID	3802	/* the default set and CAP_MKNOD */
#define MKNOD_BCAPS	(VS_BCAPS_DEFAULT | (1ULL << CAP_MKNOD))

/* Where the tests make their nodes; emptied before and after each test. */
#define NODES		"/tmp/vs-mknod"
#define HOST_BLK	NODES "/host-blk"

static void remove_nodes(void)
{
	struct dirent *d;
	DIR *dir = opendir(NODES);

	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			unlinkat(dirfd(dir), d->d_name, 0);
	closedir(dir);
}

/* mknod of NODES/@name: 0 or -errno. */
static long make_node(const char *name, mode_t mode, dev_t dev)
{
	char path[128];

	snprintf(path, sizeof(path), NODES "/%s", name);
	return VS_ERR(mknod(path, mode, dev));
}

/* Both contexts, CAP_MKNOD given to MKNOD_XID, an empty NODES. */
static void contexts_setup(struct __test_metadata *_metadata)
{
	struct vs_context_caps c = { .xid = MKNOD_XID, .bcaps = MKNOD_BCAPS };

	mkdir(NODES, 0755);
	remove_nodes();
	ASSERT_EQ(DEFAULT_XID, vs_h_create(DEFAULT_XID, VS_CF_PERSISTENT));
	ASSERT_EQ(MKNOD_XID, vs_h_create(MKNOD_XID, VS_CF_PERSISTENT));
	ASSERT_EQ(0, vs_ioctl(VS_IOC_SET_BCAPS, &c)) {
		TH_LOG("cannot give context %d CAP_MKNOD", MKNOD_XID);
	}
}

static void contexts_teardown(struct __test_metadata *_metadata)
{
	vs_h_destroy_all();
	remove_nodes();
}

/* ---- the safe character devices ---------------------------------------- */

FIXTURE(safe_device) {
};

FIXTURE_VARIANT(safe_device) {
	const char *name;
	unsigned int major, minor;
};

FIXTURE_VARIANT_ADD(safe_device, null) { .name = "null", .major = 1, .minor = 3 };
FIXTURE_VARIANT_ADD(safe_device, zero) { .name = "zero", .major = 1, .minor = 5 };
FIXTURE_VARIANT_ADD(safe_device, full) { .name = "full", .major = 1, .minor = 7 };
FIXTURE_VARIANT_ADD(safe_device, random) { .name = "random", .major = 1, .minor = 8 };
FIXTURE_VARIANT_ADD(safe_device, urandom) { .name = "urandom", .major = 1, .minor = 9 };
FIXTURE_VARIANT_ADD(safe_device, tty) { .name = "tty", .major = 5, .minor = 0 };
FIXTURE_VARIANT_ADD(safe_device, ptmx) { .name = "ptmx", .major = 5, .minor = 2 };

FIXTURE_SETUP(safe_device)
{
	contexts_setup(_metadata);
}

FIXTURE_TEARDOWN(safe_device)
{
	contexts_teardown(_metadata);
}

struct node_job {
	const char *name;
	mode_t mode;
	dev_t dev;
	long want;
};

/* In a guest: mknod of @arg's node gets @arg's answer. */
static void guest_makes_node(struct __test_metadata *_metadata, void *arg)
{
	const struct node_job *j = arg;

	EXPECT_EQ(j->want, make_node(j->name, j->mode, j->dev)) {
		TH_LOG("mknod %s (%#o, %u:%u) in context %ld", j->name, j->mode,
		       major(j->dev), minor(j->dev), vs_get_xid(0));
	}
}

TEST_F_TIMEOUT(safe_device, is_made_by_a_guest_with_cap_mknod, VS_H_TIMEOUT)
{
	struct node_job j = { variant->name, S_IFCHR | 0666,
			      makedev(variant->major, variant->minor), 0 };

	vs_h_run(MKNOD_XID, 0, guest_makes_node, &j, 20000);
}

TEST_F_TIMEOUT(safe_device, is_refused_to_a_guest_with_the_default_set, VS_H_TIMEOUT)
{
	struct node_job j = { variant->name, S_IFCHR | 0666,
			      makedev(variant->major, variant->minor), -EPERM };

	vs_h_run(DEFAULT_XID, 0, guest_makes_node, &j, 20000);
}

/* ---- other devices --------------------------------------------------------- */

FIXTURE(unsafe_device) {
};

FIXTURE_VARIANT(unsafe_device) {
	const char *name;
	mode_t mode;
	unsigned int major, minor;
};

FIXTURE_VARIANT_ADD(unsafe_device, mem) {
	.name = "mem", .mode = S_IFCHR | 0600, .major = 1, .minor = 1,
};

FIXTURE_VARIANT_ADD(unsafe_device, kmsg) {
	.name = "kmsg", .mode = S_IFCHR | 0600, .major = 1, .minor = 11,
};

FIXTURE_VARIANT_ADD(unsafe_device, block_device) {
	.name = "sda", .mode = S_IFBLK | 0600, .major = 8, .minor = 0,
};

FIXTURE_SETUP(unsafe_device)
{
	contexts_setup(_metadata);
}

FIXTURE_TEARDOWN(unsafe_device)
{
	contexts_teardown(_metadata);
}

TEST_F_TIMEOUT(unsafe_device, is_refused_to_a_guest_even_with_cap_mknod, VS_H_TIMEOUT)
{
	struct node_job j = { variant->name, variant->mode,
			      makedev(variant->major, variant->minor), -EPERM };

	vs_h_run(MKNOD_XID, 0, guest_makes_node, &j, 20000);
}

TEST_F_TIMEOUT(unsafe_device, is_refused_to_a_guest_with_the_default_set, VS_H_TIMEOUT)
{
	struct node_job j = { variant->name, variant->mode,
			      makedev(variant->major, variant->minor), -EPERM };

	vs_h_run(DEFAULT_XID, 0, guest_makes_node, &j, 20000);
}

/* ---- fifos, the host's nodes, counting, removal --------------------------- */

FIXTURE(mknod) {
};

FIXTURE_SETUP(mknod)
{
	contexts_setup(_metadata);
}

FIXTURE_TEARDOWN(mknod)
{
	contexts_teardown(_metadata);
}

TEST_F_TIMEOUT(mknod, get_info_shows_cap_mknod_given, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	ASSERT_EQ(0, vs_info(MKNOD_XID, &info));
	EXPECT_EQ(MKNOD_BCAPS, info.bcaps);
}

TEST_F_TIMEOUT(mknod, guest_with_the_default_set_makes_a_fifo, VS_H_TIMEOUT)
{
	struct node_job j = { "fifo0", S_IFIFO | 0600, 0, 0 };

	vs_h_run(DEFAULT_XID, 0, guest_makes_node, &j, 20000);
}

TEST_F_TIMEOUT(mknod, guest_with_cap_mknod_makes_a_fifo, VS_H_TIMEOUT)
{
	struct node_job j = { "fifo", S_IFIFO | 0600, 0, 0 };

	vs_h_run(MKNOD_XID, 0, guest_makes_node, &j, 20000);
}

TEST_F_TIMEOUT(mknod, host_makes_a_block_device_node, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, VS_ERR(mknod(HOST_BLK, S_IFBLK | 0600, makedev(1, 0))));
}

TEST_F_TIMEOUT(mknod, host_opening_it_reaches_the_absent_driver, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, VS_ERR(mknod(HOST_BLK, S_IFBLK | 0600, makedev(1, 0))));
	EXPECT_EQ(-ENXIO, VS_ERR(open(HOST_BLK, O_RDONLY)));
}

static void guest_opens_host_blk(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EACCES, VS_ERR(open(HOST_BLK, O_RDONLY)));
}

TEST_F_TIMEOUT(mknod, guest_cannot_open_a_block_device_node_the_host_made, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, VS_ERR(mknod(HOST_BLK, S_IFBLK | 0600, makedev(1, 0))));
	vs_h_run(DEFAULT_XID, 0, guest_opens_host_blk, NULL, 20000);
}

TEST_F_TIMEOUT(mknod, host_still_makes_any_device, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, make_node("host-mem", S_IFCHR | 0600, makedev(1, 1)));
}

/* In MKNOD_XID: every safe device, three refused nodes and a fifo. */
static void guest_makes_every_node(struct __test_metadata *_metadata, void *arg)
{
	const struct node_job jobs[] = {
		{ "null", S_IFCHR | 0666, makedev(1, 3), 0 },
		{ "zero", S_IFCHR | 0666, makedev(1, 5), 0 },
		{ "full", S_IFCHR | 0666, makedev(1, 7), 0 },
		{ "random", S_IFCHR | 0666, makedev(1, 8), 0 },
		{ "urandom", S_IFCHR | 0666, makedev(1, 9), 0 },
		{ "tty", S_IFCHR | 0666, makedev(5, 0), 0 },
		{ "ptmx", S_IFCHR | 0666, makedev(5, 2), 0 },
		{ "mem", S_IFCHR | 0600, makedev(1, 1), -EPERM },
		{ "kmsg", S_IFCHR | 0600, makedev(1, 11), -EPERM },
		{ "sda", S_IFBLK | 0600, makedev(8, 0), -EPERM },
		{ "fifo", S_IFIFO | 0600, 0, 0 },
	};
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
		guest_makes_node(_metadata, (void *)&jobs[i]);
}

TEST_F_TIMEOUT(mknod, the_three_refused_device_nodes_are_counted, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	vs_h_run(MKNOD_XID, 0, guest_makes_every_node, NULL, 20000);
	ASSERT_EQ(0, vs_info(MKNOD_XID, &info));
	EXPECT_EQ(3ULL, info.hits);
}

/* REMOVE of a persistent context once its last task is gone. */
static void remove_once_empty(struct __test_metadata *_metadata, __u32 xid)
{
	int gone;

	EXPECT_EQ(1, vs_wait_tasks(xid, 0, 2000));
	EXPECT_EQ(0, vs_remove(xid));
	gone = vs_wait_gone(xid, 2000);
	EXPECT_EQ(1, gone);
	if (gone)
		vs_h_forget(xid);
}

TEST_F_TIMEOUT(mknod, default_set_context_is_removed_once_empty, VS_H_TIMEOUT)
{
	struct node_job j = { "null0", S_IFCHR | 0666, makedev(1, 3), -EPERM };

	vs_h_run(DEFAULT_XID, 0, guest_makes_node, &j, 20000);
	remove_once_empty(_metadata, DEFAULT_XID);
}

TEST_F_TIMEOUT(mknod, cap_mknod_context_is_removed_once_empty, VS_H_TIMEOUT)
{
	vs_h_run(MKNOD_XID, 0, guest_makes_every_node, NULL, 20000);
	remove_once_empty(_metadata, MKNOD_XID);
}

TEST_HARNESS_MAIN
