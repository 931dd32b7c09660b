// SPDX-License-Identifier: GPL-2.0
/*
 * Barrier directories (VS_IOC_BARRIER): marking the directory that holds the
 * guests' roots stops ".." walks and the classic chroot escape there, for
 * guest tasks only; bad inputs get the right errno.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "../lib/vs-ktap.h"

#define XID 3701
#define BASE "/tmp/vs-barrier"
#define GUESTS BASE "/guests"
#define GROOT GUESTS "/g1"

static int barrier(int fd, __u32 op, __u32 reserved, __u32 *is_barrier)
{
	struct vs_barrier b = { .fd = fd, .op = op, .reserved = reserved, .is_barrier = 7 };
	int r = vs_ioctl(VS_IOC_BARRIER, &b);

	if (is_barrier)
		*is_barrier = b.is_barrier;
	return r;
}

static ino_t host_root_ino, guest_root_ino;
/* The barrier directory, open in the host: a guest must not carry it in. */
static int guests_fd = -1;

/* A guest that was not chrooted: the barrier still stands in its paths. */
static void guest_unchrooted(void *arg)
{
	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(VS_ERR(open(GUESTS, O_RDONLY | O_DIRECTORY)), -EACCES,
		  "opening the barrier directory -> EACCES");
	vs_expect(VS_ERR(access(GUESTS "/g2/secret", F_OK)), -EACCES,
		  "a path through the barrier -> EACCES");
	vs_expect(VS_ERR(chdir(GROOT)), -EACCES, "chdir through the barrier -> EACCES");
	vs_expect(VS_ERR(access(BASE "/host-file", F_OK)), 0,
		  "paths that do not cross the barrier still work");
}

/* A guest chrooted to its root by the host, trying the classic escape. */
static void guest_chrooted(void *arg)
{
	struct stat st;
	ino_t x_ino;
	int i, r = 0;

	(void)arg;
	if (chdir(GROOT) || chroot("."))
		ktap_diag("host-side chroot to %s failed", GROOT);
	vs_expect(vs_migrate(XID), -EPERM,
		  "entering with a directory open outside the root -> EPERM");
	close(guests_fd);
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(VS_ERR(chdir("..")), 0, "'..' at the guest's root stays there");
	vs_expect(stat(".", &st) == 0 && st.st_ino == guest_root_ino, 1, "... at the guest's root");
	mkdir("/x", 0755);
	stat("/x", &st);
	x_ino = st.st_ino;
	vs_expect(VS_ERR(chroot("/x")), 0, "chroot into a subdirectory (cwd stays outside)");
	for (i = 0; i < 16 && !r; i++)
		r = VS_ERR(chdir(".."));
	vs_expect(r, -EACCES, "the '..' walk stops at the barrier with EACCES");
	vs_expect(i, 1, "... on its first step out of the guest's root");
	vs_expect(VS_ERR(chroot(".")), -EPERM, "chroot above its current root -> EPERM");
	vs_expect(stat("/", &st) == 0 && st.st_ino == x_ino && st.st_ino != guest_root_ino &&
		  st.st_ino != host_root_ino, 1, "its root is still the subdirectory");
	vs_expect(VS_ERR(access(BASE "/host-file", F_OK)), -ENOENT, "the host's files are out of reach");
}

int main(void)
{
	struct stat st;
	__u32 is = 7;
	int fd, file;

	ktap_plan(28);
	stat("/", &st);
	host_root_ino = st.st_ino;
	mkdir(BASE, 0755);
	mkdir(GUESTS, 0755);
	mkdir(GROOT, 0755);
	mkdir(GUESTS "/g2", 0755);
	close(open(GUESTS "/g2/secret", O_CREAT | O_WRONLY, 0600));
	close(open(BASE "/host-file", O_CREAT | O_WRONLY, 0600));

	fd = open(GUESTS, O_RDONLY | O_DIRECTORY);
	guests_fd = fd;
	file = open(BASE "/host-file", O_RDONLY);
	vs_expect(barrier(fd, VS_BARRIER_GET, 0, &is), 0, "GET on an unmarked directory");
	vs_expect(is, 0, "... says it is not a barrier");
	vs_expect(barrier(fd, VS_BARRIER_SET, 0, &is), 0, "SET marks it");
	vs_expect(is, 1, "... and says so");
	vs_expect(barrier(fd, VS_BARRIER_GET, 0, &is) == 0 && is == 1, 1, "GET sees the mark");
	vs_expect(barrier(file, VS_BARRIER_SET, 0, NULL), -ENOTDIR, "a regular file -> ENOTDIR");
	vs_expect(barrier(-1, VS_BARRIER_SET, 0, NULL), -EBADF, "fd -1 -> EBADF");
	vs_expect(barrier(999, VS_BARRIER_SET, 0, NULL), -EBADF, "a closed fd -> EBADF");
	vs_expect(barrier(fd, 9, 0, NULL), -EINVAL, "an unknown op -> EINVAL");
	vs_expect(barrier(fd, VS_BARRIER_GET, 1, NULL), -EINVAL, "reserved != 0 -> EINVAL");
	vs_expect(vs_ioctl(VS_IOC_BARRIER, NULL), -EFAULT, "a NULL argument -> EFAULT");

	stat(GROOT, &st);
	guest_root_ino = st.st_ino;
	vs_expect(vs_create(XID, VS_CF_PERSISTENT), XID, "create context %d", XID);
	vs_ktap_fork(guest_unchrooted, NULL, 20000);
	vs_ktap_fork(guest_chrooted, NULL, 20000);
	vs_expect(VS_ERR(access(GUESTS "/g2/secret", F_OK)), 0, "the host still crosses the barrier");

	vs_expect(barrier(fd, VS_BARRIER_CLEAR, 0, &is) == 0 && is == 0, 1, "CLEAR removes the mark");
	close(file);
	close(fd);
	vs_wait_tasks(XID, 0, 2000);
	vs_expect(vs_remove(XID), 0, "remove context %d", XID);
	return ktap_finish();
}
