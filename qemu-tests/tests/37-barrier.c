// SPDX-License-Identifier: GPL-2.0
/*
 * Barrier directories (VS_IOC_BARRIER): marking the directory that holds the
 * guests' roots stops ".." walks and the classic chroot escape there, for
 * guest tasks only; bad inputs get the right errno.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "../lib/steps.h"

#define XID	3701
#define BASE	"/tmp/vs-barrier"
#define GUESTS	BASE "/guests"		/* the barrier */
#define GROOT	GUESTS "/g1"		/* a guest's root */
#define SECRET	GUESTS "/g2/secret"	/* another guest's file */
#define HOST_FILE BASE "/host-file"

static int barrier_op(int fd, __u32 op, __u32 reserved, __u32 *is_barrier)
{
	struct vs_barrier b = { .fd = fd, .op = op, .reserved = reserved, .is_barrier = 7 };
	int r = vs_ioctl(VS_IOC_BARRIER, &b);

	if (is_barrier)
		*is_barrier = b.is_barrier;
	return r;
}

/* The directories and files of the tests; returns GUESTS opened, or -errno. */
static int make_tree(void)
{
	int fd;

	mkdir(BASE, 0755);
	mkdir(GUESTS, 0755);
	mkdir(GROOT, 0755);
	mkdir(GUESTS "/g2", 0755);
	close(open(SECRET, O_CREAT | O_WRONLY, 0600));
	close(open(HOST_FILE, O_CREAT | O_WRONLY, 0600));
	fd = open(GUESTS, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	/* A test killed by its timeout left its mark. */
	barrier_op(fd, VS_BARRIER_CLEAR, 0, NULL);
	return fd;
}

/* ---- the ioctl ----------------------------------------------------------- */

FIXTURE(barrier_ioctl) {
	int dir;	/* GUESTS */
	int file;	/* HOST_FILE */
	__u32 is;
};

FIXTURE_SETUP(barrier_ioctl)
{
	self->dir = make_tree();
	ASSERT_LE(0, self->dir);
	self->file = open(HOST_FILE, O_RDONLY);
	ASSERT_LE(0, self->file);
	self->is = 7;
}

FIXTURE_TEARDOWN(barrier_ioctl)
{
	barrier_op(self->dir, VS_BARRIER_CLEAR, 0, NULL);
	close(self->file);
	close(self->dir);
}

TEST_F_TIMEOUT(barrier_ioctl, get_answers_for_an_unmarked_directory, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, barrier_op(self->dir, VS_BARRIER_GET, 0, &self->is));
}

TEST_F_TIMEOUT(barrier_ioctl, get_says_an_unmarked_directory_is_no_barrier, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, barrier_op(self->dir, VS_BARRIER_GET, 0, &self->is));
	EXPECT_EQ(0U, self->is);
}

TEST_F_TIMEOUT(barrier_ioctl, set_marks_a_directory, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, barrier_op(self->dir, VS_BARRIER_SET, 0, &self->is));
}

TEST_F_TIMEOUT(barrier_ioctl, set_says_the_directory_is_a_barrier, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, barrier_op(self->dir, VS_BARRIER_SET, 0, &self->is));
	EXPECT_EQ(1U, self->is);
}

TEST_F_TIMEOUT(barrier_ioctl, get_sees_the_mark, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, barrier_op(self->dir, VS_BARRIER_SET, 0, NULL));
	EXPECT_EQ(0, barrier_op(self->dir, VS_BARRIER_GET, 0, &self->is));
	EXPECT_EQ(1U, self->is);
}

TEST_F_TIMEOUT(barrier_ioctl, clear_removes_the_mark, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, barrier_op(self->dir, VS_BARRIER_SET, 0, NULL));
	EXPECT_EQ(0, barrier_op(self->dir, VS_BARRIER_CLEAR, 0, &self->is));
	EXPECT_EQ(0U, self->is);
	self->is = 7;
	EXPECT_EQ(0, barrier_op(self->dir, VS_BARRIER_GET, 0, &self->is));
	EXPECT_EQ(0U, self->is);
}

/* Requests the ioctl must refuse. */
FIXTURE(bad_barrier_request) {
	int dir;
	int file;
};

enum which_fd { FD_DIR, FD_FILE, FD_MINUS_ONE, FD_CLOSED, NO_ARGUMENT };

FIXTURE_VARIANT(bad_barrier_request) {
	enum which_fd fd;
	__u32 op;
	__u32 reserved;
	int error;
};

FIXTURE_VARIANT_ADD(bad_barrier_request, regular_file) {
	.fd = FD_FILE, .op = VS_BARRIER_SET, .error = ENOTDIR,
};

FIXTURE_VARIANT_ADD(bad_barrier_request, fd_minus_one) {
	.fd = FD_MINUS_ONE, .op = VS_BARRIER_SET, .error = EBADF,
};

FIXTURE_VARIANT_ADD(bad_barrier_request, closed_fd) {
	.fd = FD_CLOSED, .op = VS_BARRIER_SET, .error = EBADF,
};

FIXTURE_VARIANT_ADD(bad_barrier_request, unknown_op) {
	.fd = FD_DIR, .op = 9, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_barrier_request, nonzero_reserved) {
	.fd = FD_DIR, .op = VS_BARRIER_GET, .reserved = 1, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_barrier_request, null_argument) {
	.fd = NO_ARGUMENT, .error = EFAULT,
};

FIXTURE_SETUP(bad_barrier_request)
{
	self->dir = make_tree();
	ASSERT_LE(0, self->dir);
	self->file = open(HOST_FILE, O_RDONLY);
	ASSERT_LE(0, self->file);
	ASSERT_EQ(0, barrier_op(self->dir, VS_BARRIER_SET, 0, NULL));
}

FIXTURE_TEARDOWN(bad_barrier_request)
{
	barrier_op(self->dir, VS_BARRIER_CLEAR, 0, NULL);
	close(self->file);
	close(self->dir);
}

TEST_F_TIMEOUT(bad_barrier_request, gets_its_errno, VS_H_TIMEOUT)
{
	int fd;

	switch (variant->fd) {
	case FD_DIR:
		fd = self->dir;
		break;
	case FD_FILE:
		fd = self->file;
		break;
	case FD_MINUS_ONE:
		fd = -1;
		break;
	case FD_CLOSED:
		fd = 999;
		ASSERT_EQ(-1, fcntl(fd, F_GETFD));
		break;
	default:
		EXPECT_EQ(-variant->error, vs_ioctl(VS_IOC_BARRIER, NULL));
		return;
	}
	EXPECT_EQ(-variant->error, barrier_op(fd, variant->op, variant->reserved, NULL));
}

/* ---- guests behind the barrier ------------------------------------------- */

/* What the guest steps share (each child has its own copy). */
struct barrier_job {
	int guests;		/* GUESTS, open in the host */
	ino_t host_root, guest_root, x;
	int walked;		/* ".." steps until the walk stopped */
};

FIXTURE(barrier_guest) {
	struct barrier_job job;
};

/* The tree with GUESTS marked, and context XID. */
static void guest_setup(struct __test_metadata *_metadata, struct barrier_job *job)
{
	struct stat st;

	job->guests = make_tree();
	ASSERT_LE(0, job->guests);
	ASSERT_EQ(0, barrier_op(job->guests, VS_BARRIER_SET, 0, NULL));
	ASSERT_EQ(0, stat("/", &st));
	job->host_root = st.st_ino;
	ASSERT_EQ(0, stat(GROOT, &st));
	job->guest_root = st.st_ino;
	ASSERT_EQ(XID, vs_h_create(XID, VS_CF_PERSISTENT));
}

static void guest_teardown(struct __test_metadata *_metadata, struct barrier_job *job)
{
	vs_h_destroy_all();
	barrier_op(job->guests, VS_BARRIER_CLEAR, 0, NULL);
	close(job->guests);
}

FIXTURE_SETUP(barrier_guest)
{
	guest_setup(_metadata, &self->job);
}

FIXTURE_TEARDOWN(barrier_guest)
{
	guest_teardown(_metadata, &self->job);
}

/* A guest that was not chrooted: the barrier still stands in its paths. */

static long open_the_barrier(void *arg)
{
	(void)arg;
	return VS_ERR(open(GUESTS, O_RDONLY | O_DIRECTORY));
}

static long access_through_the_barrier(void *arg)
{
	(void)arg;
	return VS_ERR(access(SECRET, F_OK));
}

static long chdir_through_the_barrier(void *arg)
{
	(void)arg;
	return VS_ERR(chdir(GROOT));
}

static long access_beside_the_barrier(void *arg)
{
	(void)arg;
	return VS_ERR(access(HOST_FILE, F_OK));
}

enum {
	OPEN_THE_BARRIER,
	ACCESS_THROUGH_THE_BARRIER,
	CHDIR_THROUGH_THE_BARRIER,
	ACCESS_BESIDE_THE_BARRIER,
};

static const struct vs_step unchrooted[] = {
	[OPEN_THE_BARRIER] = {
		"opening the barrier directory", open_the_barrier, -EACCES,
	},
	[ACCESS_THROUGH_THE_BARRIER] = {
		"a path through the barrier", access_through_the_barrier, -EACCES,
	},
	[CHDIR_THROUGH_THE_BARRIER] = {
		"chdir through the barrier", chdir_through_the_barrier, -EACCES,
	},
	[ACCESS_BESIDE_THE_BARRIER] = {
		"a path that does not cross the barrier", access_beside_the_barrier, 0,
	},
};

FIXTURE(unchrooted_guest) {
	struct barrier_job job;
};

FIXTURE_VARIANT(unchrooted_guest) {
	int step;
};

FIXTURE_VARIANT_ADD(unchrooted_guest, opening_the_barrier_is_eacces) {
	.step = OPEN_THE_BARRIER,
};

FIXTURE_VARIANT_ADD(unchrooted_guest, a_path_through_the_barrier_is_eacces) {
	.step = ACCESS_THROUGH_THE_BARRIER,
};

FIXTURE_VARIANT_ADD(unchrooted_guest, chdir_through_the_barrier_is_eacces) {
	.step = CHDIR_THROUGH_THE_BARRIER,
};

FIXTURE_VARIANT_ADD(unchrooted_guest, paths_beside_the_barrier_still_work) {
	.step = ACCESS_BESIDE_THE_BARRIER,
};

FIXTURE_SETUP(unchrooted_guest)
{
	guest_setup(_metadata, &self->job);
}

FIXTURE_TEARDOWN(unchrooted_guest)
{
	guest_teardown(_metadata, &self->job);
}

TEST_F_TIMEOUT(unchrooted_guest, holds, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, unchrooted, variant->step, variant->step, NULL, 20000);
}

/* A guest chrooted to its root by the host, trying the classic escape. */

static long host_side_chroot(void *arg)
{
	(void)arg;
	if (chdir(GROOT))
		return -errno;
	return VS_ERR(chroot("."));
}

static long enter_holding_the_barrier(void *arg)
{
	(void)arg;
	return vs_migrate(XID);
}

static long enter_after_closing_it(void *arg)
{
	struct barrier_job *j = arg;

	close(j->guests);
	return vs_migrate(XID);
}

static long dotdot_at_the_root(void *arg)
{
	(void)arg;
	return VS_ERR(chdir(".."));
}

static long still_at_the_guest_root(void *arg)
{
	struct barrier_job *j = arg;
	struct stat st;

	return stat(".", &st) == 0 && st.st_ino == j->guest_root;
}

static long chroot_into_a_subdirectory(void *arg)
{
	struct barrier_job *j = arg;
	struct stat st;

	mkdir("/x", 0755);
	if (stat("/x", &st))
		return -errno;
	j->x = st.st_ino;
	return VS_ERR(chroot("/x"));
}

static long walk_out(void *arg)
{
	struct barrier_job *j = arg;
	long r = 0;

	for (j->walked = 0; j->walked < 16 && !r; j->walked++)
		r = VS_ERR(chdir(".."));
	return r;
}

static long steps_walked(void *arg)
{
	return ((struct barrier_job *)arg)->walked;
}

static long chroot_above_the_root(void *arg)
{
	(void)arg;
	return VS_ERR(chroot("."));
}

static long root_is_still_the_subdirectory(void *arg)
{
	struct barrier_job *j = arg;
	struct stat st;

	return stat("/", &st) == 0 && st.st_ino == j->x && st.st_ino != j->guest_root &&
	       st.st_ino != j->host_root;
}

static long reach_a_host_file(void *arg)
{
	(void)arg;
	return VS_ERR(access(HOST_FILE, F_OK));
}

enum {
	HOST_SIDE_CHROOT,
	ENTER_HOLDING_THE_BARRIER,
	ENTER_AFTER_CLOSING_IT,
	DOTDOT_AT_THE_ROOT,
	STILL_AT_THE_GUEST_ROOT,
	CHROOT_INTO_A_SUBDIRECTORY,
	WALK_OUT,
	STEPS_WALKED,
	CHROOT_ABOVE_THE_ROOT,
	ROOT_IS_STILL_THE_SUBDIRECTORY,
	REACH_A_HOST_FILE,
};

static const struct vs_step chrooted[] = {
	[HOST_SIDE_CHROOT] = { "the host chroots the task to " GROOT, host_side_chroot, 0 },
	[ENTER_HOLDING_THE_BARRIER] = {
		"entering with a directory open outside the root", enter_holding_the_barrier,
		-EPERM,
	},
	[ENTER_AFTER_CLOSING_IT] = { "entering after closing it", enter_after_closing_it, 0 },
	[DOTDOT_AT_THE_ROOT] = { "chdir(\"..\") at the guest's root", dotdot_at_the_root, 0 },
	[STILL_AT_THE_GUEST_ROOT] = {
		"... leaves it at the guest's root", still_at_the_guest_root, 1,
	},
	[CHROOT_INTO_A_SUBDIRECTORY] = {
		"chroot into a subdirectory (cwd stays outside)", chroot_into_a_subdirectory, 0,
	},
	[WALK_OUT] = { "a '..' walk out of the new root", walk_out, -EACCES },
	[STEPS_WALKED] = { "... stops on its first step out of the guest's root", steps_walked, 1 },
	[CHROOT_ABOVE_THE_ROOT] = {
		"chroot above its current root", chroot_above_the_root, -EPERM,
	},
	[ROOT_IS_STILL_THE_SUBDIRECTORY] = {
		"its root is still the subdirectory", root_is_still_the_subdirectory, 1,
	},
	[REACH_A_HOST_FILE] = { "a host file", reach_a_host_file, -ENOENT },
};

FIXTURE(chrooted_guest) {
	struct barrier_job job;
};

FIXTURE_VARIANT(chrooted_guest) {
	int step;
};

FIXTURE_VARIANT_ADD(chrooted_guest, entering_with_a_directory_open_outside_the_root_is_eperm) {
	.step = ENTER_HOLDING_THE_BARRIER,
};

FIXTURE_VARIANT_ADD(chrooted_guest, entering_after_closing_it_works) {
	.step = ENTER_AFTER_CLOSING_IT,
};

FIXTURE_VARIANT_ADD(chrooted_guest, dotdot_at_the_guest_root_succeeds) {
	.step = DOTDOT_AT_THE_ROOT,
};

FIXTURE_VARIANT_ADD(chrooted_guest, dotdot_at_the_guest_root_stays_there) {
	.step = STILL_AT_THE_GUEST_ROOT,
};

FIXTURE_VARIANT_ADD(chrooted_guest, chroot_into_a_subdirectory_works) {
	.step = CHROOT_INTO_A_SUBDIRECTORY,
};

FIXTURE_VARIANT_ADD(chrooted_guest, dotdot_walk_stops_at_the_barrier_with_eacces) {
	.step = WALK_OUT,
};

FIXTURE_VARIANT_ADD(chrooted_guest, dotdot_walk_stops_on_its_first_step_out) {
	.step = STEPS_WALKED,
};

FIXTURE_VARIANT_ADD(chrooted_guest, chroot_above_its_current_root_is_eperm) {
	.step = CHROOT_ABOVE_THE_ROOT,
};

FIXTURE_VARIANT_ADD(chrooted_guest, its_root_stays_the_subdirectory) {
	.step = ROOT_IS_STILL_THE_SUBDIRECTORY,
};

FIXTURE_VARIANT_ADD(chrooted_guest, host_files_stay_out_of_reach) {
	.step = REACH_A_HOST_FILE,
};

FIXTURE_SETUP(chrooted_guest)
{
	guest_setup(_metadata, &self->job);
}

FIXTURE_TEARDOWN(chrooted_guest)
{
	guest_teardown(_metadata, &self->job);
}

TEST_F_TIMEOUT(chrooted_guest, holds, VS_H_TIMEOUT)
{
	/* The steps chroot and enter the context themselves. */
	vs_h_run_steps(XID, VS_F_STAY, chrooted, 0, variant->step, &self->job, 20000);
}

/* ---- the host, a cleared barrier, removal -------------------------------- */

TEST_F_TIMEOUT(barrier_guest, host_still_crosses_the_barrier, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, unchrooted, ACCESS_THROUGH_THE_BARRIER, ACCESS_THROUGH_THE_BARRIER,
		       NULL, 20000);
	EXPECT_EQ(0, VS_ERR(access(SECRET, F_OK)));
}

static void guest_crosses(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, VS_ERR(access(SECRET, F_OK)));
}

TEST_F_TIMEOUT(barrier_guest, guest_crosses_a_cleared_barrier, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, barrier_op(self->job.guests, VS_BARRIER_CLEAR, 0, NULL));
	vs_h_run(XID, 0, guest_crosses, NULL, 20000);
}

TEST_F_TIMEOUT(barrier_guest, context_is_removed_once_empty, VS_H_TIMEOUT)
{
	int gone;

	vs_h_run_steps(XID, VS_F_STAY, chrooted, 0, VS_STEPS(chrooted) - 1, &self->job, 20000);
	EXPECT_EQ(1, vs_wait_tasks(XID, 0, 2000));
	EXPECT_EQ(0, vs_remove(XID));
	gone = vs_wait_gone(XID, 2000);
	EXPECT_EQ(1, gone);
	if (gone)
		vs_h_forget(XID);
}

TEST_HARNESS_MAIN
