// SPDX-License-Identifier: GPL-2.0
/*
 * The escape battery: techniques a guest's root (default capabilities) could
 * use to reach the host or another guest. Each case passes only when the
 * escape fails; the guest keeps working (chroot inside its tree, its own perf
 * events, setuid binaries within its set).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/io.h>
#include <sys/timex.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "../lib/steps.h"

#define XID	3901
#define FOREIGN	3902	/* another guest */
#define BASE	"/tmp/vs-esc"
#define GROOT	BASE "/g1"
#define SUID	BASE "/suid"
#define HOST_FILE BASE "/host-file"

/* What the steps share (each guest child has its own copy). */
struct escape_job {
	pid_t foreign;		/* a task of the other guest */
	int dfd, pfd, sub;
	char out[64];		/* what the setuid copy printed */
	int out_len;
	int status;
	unsigned long long eff;
};

/* --print-capeff: the setuid copy reports its effective capabilities. */
static int print_capeff(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			printf("%s", line + 7);
	fclose(f);
	return 0;
}

/* The setuid copy of this binary is run with --print-capeff: not a test run. */
static void __attribute__((constructor)) maybe_print_capeff(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--print-capeff")) {
		int r = print_capeff();

		fflush(stdout);
		_exit(r);
	}
}

static long open_err(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* ---- directories opened before entering ---------------------------------- */

static long open_host_directories(void *arg)
{
	struct escape_job *j = arg;

	j->dfd = open("/", O_RDONLY | O_DIRECTORY);
	j->pfd = open("/", O_PATH);
	return j->dfd < 0 || j->pfd < 0 ? -EBADF : 0;
}

static long host_side_chroot(void *arg)
{
	(void)arg;
	if (chdir(GROOT))
		return -errno;
	return VS_ERR(chroot("."));
}

static long enter(void *arg)
{
	(void)arg;
	return vs_migrate(XID);
}

static long enter_after_closing_the_directory(void *arg)
{
	close(((struct escape_job *)arg)->dfd);
	return vs_migrate(XID);
}

static long enter_after_closing_the_o_path_fd(void *arg)
{
	close(((struct escape_job *)arg)->pfd);
	return vs_migrate(XID);
}

static long reach_a_host_file(void *arg)
{
	(void)arg;
	return VS_ERR(access(HOST_FILE, F_OK));
}

enum {
	OPEN_HOST_DIRECTORIES, HOST_SIDE_CHROOT, ENTER_WITH_BOTH, ENTER_WITH_O_PATH,
	ENTER_WITH_NOTHING, NOTHING_TO_ESCAPE_WITH,
};

static const struct vs_step leaked[] = {
	[OPEN_HOST_DIRECTORIES] = {
		"open / as a directory and O_PATH", open_host_directories, 0,
	},
	[HOST_SIDE_CHROOT] = { "the host chroots the task to " GROOT, host_side_chroot, 0 },
	[ENTER_WITH_BOTH] = { "entering with a host directory fd open", enter, -EPERM },
	[ENTER_WITH_O_PATH] = {
		"entering with a host O_PATH directory fd", enter_after_closing_the_directory,
		-EPERM,
	},
	[ENTER_WITH_NOTHING] = {
		"entering with nothing open outside the root", enter_after_closing_the_o_path_fd, 0,
	},
	[NOTHING_TO_ESCAPE_WITH] = {
		"a host file (fchdir/openat have nothing to escape with)", reach_a_host_file,
		-ENOENT,
	},
};

/* ---- chroot in the guest ----------------------------------------------- */

static long chroot_holding_the_root(void *arg)
{
	struct escape_job *j = arg;

	j->dfd = open("/", O_RDONLY | O_DIRECTORY);
	return VS_ERR(chroot(GROOT));
}

static long chroot_after_closing_it(void *arg)
{
	close(((struct escape_job *)arg)->dfd);
	return VS_ERR(chroot(GROOT));
}

static long chdir_to_the_new_root(void *arg)
{
	(void)arg;
	return VS_ERR(chdir("/"));
}

static long see_its_own_files(void *arg)
{
	(void)arg;
	return VS_ERR(access("/guest-file", F_OK));
}

static long chroot_into_a_held_subdirectory(void *arg)
{
	struct escape_job *j = arg;

	j->sub = open("/sub", O_RDONLY | O_DIRECTORY);
	return VS_ERR(chroot("/sub"));
}

static long chroot_dotdot(void *arg)
{
	(void)arg;
	return VS_ERR(chroot(".."));
}

static long fchdir_to_its_own_directory(void *arg)
{
	struct escape_job *j = arg;
	long r = VS_ERR(fchdir(j->sub));

	close(j->sub);
	return r;
}

static long chroot_to_a_host_path(void *arg)
{
	(void)arg;
	return VS_ERR(chroot(BASE));
}

enum {
	CHROOT_HOLDING_THE_ROOT, CHROOT_AFTER_CLOSING_IT, CHDIR_TO_THE_NEW_ROOT,
	SEE_ITS_OWN_FILES, CHROOT_INTO_A_HELD_SUBDIRECTORY, CHROOT_DOTDOT,
	FCHDIR_TO_ITS_OWN_DIRECTORY, CHROOT_TO_A_HOST_PATH,
};

static const struct vs_step chroots[] = {
	[CHROOT_HOLDING_THE_ROOT] = {
		"chroot while holding a directory outside the new root", chroot_holding_the_root,
		-EPERM,
	},
	[CHROOT_AFTER_CLOSING_IT] = {
		"chroot into its tree after closing it", chroot_after_closing_it, 0,
	},
	[CHDIR_TO_THE_NEW_ROOT] = { "chdir to the new root", chdir_to_the_new_root, 0 },
	[SEE_ITS_OWN_FILES] = { "the guest sees its own files", see_its_own_files, 0 },
	[CHROOT_INTO_A_HELD_SUBDIRECTORY] = {
		"chroot into a subdirectory it holds open", chroot_into_a_held_subdirectory, 0,
	},
	[CHROOT_DOTDOT] = { "chroot(\"..\") above its root", chroot_dotdot, -EPERM },
	[FCHDIR_TO_ITS_OWN_DIRECTORY] = {
		"fchdir to its own directory", fchdir_to_its_own_directory, 0,
	},
	[CHROOT_TO_A_HOST_PATH] = { "chroot to a host path", chroot_to_a_host_path, -ENOENT },
};

/* ---- /proc links, namespaces, mounts, ptrace ------------------------------ */

static long readlink_err(const char *path)
{
	char buf[256];

	return VS_RET(readlink(path, buf, sizeof(buf)));
}

static long init_root(void *arg)
{
	(void)arg;
	return readlink_err("/proc/1/root");
}

static long through_init_root(void *arg)
{
	(void)arg;
	return open_err("/proc/1/root/etc", O_RDONLY);
}

static long foreign_cwd(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/cwd", ((struct escape_job *)arg)->foreign);
	return readlink_err(path);
}

static long init_mount_namespace(void *arg)
{
	(void)arg;
	return open_err("/proc/1/ns/mnt", O_RDONLY);
}

static long foreign_net_namespace(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", ((struct escape_job *)arg)->foreign);
	return open_err(path, O_RDONLY);
}

static long setns_own_uts(void *arg)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	long r = VS_ERR(setns(fd, CLONE_NEWUTS));

	(void)arg;
	close(fd);
	return r;
}

static long unshare_uts_and_net(void *arg)
{
	(void)arg;
	return VS_ERR(unshare(CLONE_NEWUTS | CLONE_NEWNET));
}

static long mount_proc(void *arg)
{
	(void)arg;
	mkdir("/tmp/vs-esc-mnt", 0755);
	return VS_ERR(mount("proc", "/tmp/vs-esc-mnt", "proc", 0, NULL));
}

static long bind_mount(void *arg)
{
	(void)arg;
	mkdir("/tmp/vs-esc-mnt", 0755);
	return VS_ERR(mount("/", "/tmp/vs-esc-mnt", NULL, MS_BIND, NULL));
}

static long umount_proc(void *arg)
{
	(void)arg;
	return VS_ERR(umount2("/proc", MNT_DETACH));
}

static long ptrace_init(void *arg)
{
	(void)arg;
	return VS_ERR(ptrace(PTRACE_ATTACH, 1, NULL, NULL));
}

static long ptrace_foreign(void *arg)
{
	return VS_ERR(ptrace(PTRACE_ATTACH, ((struct escape_job *)arg)->foreign, NULL, NULL));
}

enum {
	INIT_ROOT, THROUGH_INIT_ROOT, FOREIGN_CWD, INIT_MOUNT_NAMESPACE, FOREIGN_NET_NAMESPACE,
	SETNS_OWN_UTS, UNSHARE_UTS_AND_NET, MOUNT_PROC, BIND_MOUNT, UMOUNT_PROC, PTRACE_INIT,
	PTRACE_FOREIGN,
};

static const struct vs_step proc_and_namespaces[] = {
	[INIT_ROOT] = { "readlink /proc/1/root", init_root, -ENOENT },
	[THROUGH_INIT_ROOT] = { "a path through /proc/1/root", through_init_root, -ENOENT },
	[FOREIGN_CWD] = { "readlink /proc/<other guest>/cwd", foreign_cwd, -ENOENT },
	[INIT_MOUNT_NAMESPACE] = { "open /proc/1/ns/mnt", init_mount_namespace, -ENOENT },
	[FOREIGN_NET_NAMESPACE] = {
		"open another guest's ns/net", foreign_net_namespace, -ENOENT,
	},
	[SETNS_OWN_UTS] = { "setns, even into its own namespace", setns_own_uts, -EPERM },
	[UNSHARE_UTS_AND_NET] = { "unshare", unshare_uts_and_net, -EPERM },
	[MOUNT_PROC] = { "mount proc", mount_proc, -EPERM },
	[BIND_MOUNT] = { "bind mount", bind_mount, -EPERM },
	[UMOUNT_PROC] = { "umount", umount_proc, -EPERM },
	[PTRACE_INIT] = { "ptrace attach to the host's init", ptrace_init, -ESRCH },
	[PTRACE_FOREIGN] = { "ptrace attach to another guest's task", ptrace_foreign, -ESRCH },
};

/* ---- interfaces into the kernel itself ------------------------------------ */

static long perf_open(pid_t pid, int cpu, int exclude_kernel)
{
	struct perf_event_attr a = { 0 };
	long fd;

	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.exclude_kernel = exclude_kernel;
	a.exclude_hv = 1;
	fd = VS_RET(syscall(SYS_perf_event_open, &a, pid, cpu, -1, 0));
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	return fd;
}

static long bpf_cmd(int cmd)
{
	union bpf_attr a;
	struct bpf_insn prog[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(&a, 0, sizeof(a));
	if (cmd == BPF_PROG_LOAD) {
		a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a.insns = (unsigned long)prog;
		a.insn_cnt = 2;
		a.license = (unsigned long)"GPL";
	} else {
		a.map_type = BPF_MAP_TYPE_ARRAY;
		a.key_size = 4;
		a.value_size = 4;
		a.max_entries = 1;
	}
	return VS_ERR(syscall(SYS_bpf, cmd, &a, sizeof(a)));
}

static long try_kexec_load(void *arg)
{
	(void)arg;
	return VS_ERR(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL));
}

static long try_kexec_file_load(void *arg)
{
	int fd = open("/lib/modules/vserver.ko", O_RDONLY);
	long r = VS_ERR(syscall(SYS_kexec_file_load, fd, -1, 0UL, "", 2UL));

	(void)arg;
	close(fd);
	return r;
}

static const char *no_kexec_file_load(void)
{
	return try_kexec_file_load(NULL) == -ENOSYS ? "kernel without CONFIG_KEXEC_FILE" : NULL;
}

static long try_init_module(void *arg)
{
	(void)arg;
	return VS_ERR(syscall(SYS_init_module, "x", 1UL, ""));
}

static long bpf_prog_load(void *arg)
{
	(void)arg;
	return bpf_cmd(BPF_PROG_LOAD);
}

static long bpf_map_create(void *arg)
{
	(void)arg;
	return bpf_cmd(BPF_MAP_CREATE);
}

static long perf_on_the_other_guest(void *arg)
{
	return perf_open(((struct escape_job *)arg)->foreign, -1, 1);
}

static long perf_on_init(void *arg)
{
	(void)arg;
	return perf_open(1, -1, 1);
}

static long perf_on_a_cpu(void *arg)
{
	(void)arg;
	return perf_open(-1, 0, 1);
}

static long perf_counting_the_kernel(void *arg)
{
	(void)arg;
	return perf_open(0, -1, 0);
}

static long perf_on_itself(void *arg)
{
	(void)arg;
	return perf_open(0, -1, 1);
}

static long try_ioperm(void *arg)
{
	(void)arg;
	return VS_ERR(ioperm(0x80, 1, 1));
}

static long try_clock_settime(void *arg)
{
	struct timespec ts = { .tv_sec = 1000000000 };

	(void)arg;
	return VS_ERR(clock_settime(CLOCK_REALTIME, &ts));
}

static long try_adjtimex(void *arg)
{
	struct timex tx = { .modes = ADJ_OFFSET, .offset = 1000 };

	(void)arg;
	return VS_ERR(adjtimex(&tx));
}

static long write_ip_forward(void *arg)
{
	(void)arg;
	return open_err("/proc/sys/net/ipv4/ip_forward", O_WRONLY);
}

static long write_printk(void *arg)
{
	(void)arg;
	return open_err("/proc/sys/kernel/printk", O_WRONLY);
}

static long write_kmsg(void *arg)
{
	(void)arg;
	return open_err("/dev/kmsg", O_WRONLY);
}

enum {
	KEXEC_LOAD, KEXEC_FILE_LOAD, INIT_MODULE, BPF_PROG_LOAD_STEP, BPF_MAP_CREATE_STEP,
	PERF_ON_THE_OTHER_GUEST, PERF_ON_INIT, PERF_ON_A_CPU, PERF_COUNTING_THE_KERNEL,
	PERF_ON_ITSELF, IOPERM, CLOCK_SETTIME, ADJTIMEX, WRITE_IP_FORWARD, WRITE_PRINTK,
	WRITE_KMSG,
};

static const struct vs_step kernel_interfaces[] = {
	[KEXEC_LOAD] = { "kexec_load (even with CAP_SYS_BOOT)", try_kexec_load, -EPERM },
	[KEXEC_FILE_LOAD] = { "kexec_file_load", try_kexec_file_load, -EPERM, no_kexec_file_load },
	[INIT_MODULE] = { "init_module", try_init_module, -EPERM },
	[BPF_PROG_LOAD_STEP] = { "bpf(BPF_PROG_LOAD)", bpf_prog_load, -EPERM },
	[BPF_MAP_CREATE_STEP] = { "bpf(BPF_MAP_CREATE)", bpf_map_create, -EPERM },
	[PERF_ON_THE_OTHER_GUEST] = {
		"perf_event_open on another guest", perf_on_the_other_guest, -ESRCH,
	},
	[PERF_ON_INIT] = { "perf_event_open on the host's init", perf_on_init, -ESRCH },
	[PERF_ON_A_CPU] = { "perf_event_open on a whole CPU", perf_on_a_cpu, -EACCES },
	[PERF_COUNTING_THE_KERNEL] = {
		"perf_event_open counting the kernel", perf_counting_the_kernel, -EACCES,
	},
	[PERF_ON_ITSELF] = { "perf_event_open on itself", perf_on_itself, 0 },
	[IOPERM] = { "ioperm", try_ioperm, -EPERM },
	[CLOCK_SETTIME] = { "clock_settime", try_clock_settime, -EPERM },
	[ADJTIMEX] = { "adjtimex", try_adjtimex, -EPERM },
	[WRITE_IP_FORWARD] = { "writing /proc/sys/net", write_ip_forward, -EACCES },
	[WRITE_PRINTK] = { "writing /proc/sys/kernel/printk", write_printk, -EACCES },
	[WRITE_KMSG] = { "writing the host's kernel log (/dev/kmsg)", write_kmsg, -EACCES },
};

/* ---- a setuid-root binary run by an unprivileged guest user -------------- */

static long copy_this_binary(void *arg)
{
	char buf[4096];
	int in, out;
	long r = 0;
	ssize_t n;

	(void)arg;
	in = open("/proc/self/exe", O_RDONLY);
	out = open(SUID, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	if (in < 0 || out < 0)
		r = -EBADF;
	while (!r && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			r = -EIO;
	close(in);
	close(out);
	return r;
}

static long chown_the_copy_to_root(void *arg)
{
	(void)arg;
	return VS_ERR(chown(SUID, 0, 0));
}

static long mark_it_setuid(void *arg)
{
	(void)arg;
	return VS_ERR(chmod(SUID, 04755));
}

/* Runs the copy as user 1000; its exit code, what it printed in @arg. */
static long run_it_as_user_1000(void *arg)
{
	struct escape_job *j = arg;
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -errno;
	pid = vs_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		if (setgid(1000) || setuid(1000))
			_exit(3);
		execl(SUID, SUID, "--print-capeff", (char *)NULL);
		_exit(4);
	}
	close(p[1]);
	memset(j->out, 0, sizeof(j->out));
	j->out_len = read(p[0], j->out, sizeof(j->out) - 1);
	close(p[0]);
	return pid < 0 ? -EAGAIN : vs_child_status(pid, 10000);
}

static long it_reported_its_capeff(void *arg)
{
	struct escape_job *j = arg;

	j->eff = ~0ULL;
	return j->out_len > 0 && sscanf(j->out, "%llx", &j->eff) == 1;
}

static long it_gained_nothing_outside_the_set(void *arg)
{
	struct escape_job *j = arg;

	return (j->eff & ~VS_BCAPS_DEFAULT) == 0;
}

static long it_gained_no_cap_sys_admin(void *arg)
{
	struct escape_job *j = arg;

	return !(j->eff & (1ULL << CAP_SYS_ADMIN));
}

enum {
	COPY_THIS_BINARY, CHOWN_THE_COPY_TO_ROOT, MARK_IT_SETUID, RUN_IT_AS_USER_1000,
	IT_REPORTED_ITS_CAPEFF, IT_GAINED_NOTHING_OUTSIDE_THE_SET, IT_GAINED_NO_CAP_SYS_ADMIN,
};

static const struct vs_step setuid_binary[] = {
	[COPY_THIS_BINARY] = { "copy this binary to " SUID, copy_this_binary, 0 },
	[CHOWN_THE_COPY_TO_ROOT] = {
		"guest root makes a root-owned copy", chown_the_copy_to_root, 0,
	},
	[MARK_IT_SETUID] = { "and marks it setuid", mark_it_setuid, 0 },
	[RUN_IT_AS_USER_1000] = { "the setuid binary runs as user 1000", run_it_as_user_1000, 0 },
	[IT_REPORTED_ITS_CAPEFF] = { "it reports its CapEff", it_reported_its_capeff, 1 },
	[IT_GAINED_NOTHING_OUTSIDE_THE_SET] = {
		"setuid root gains nothing outside the guest's set",
		it_gained_nothing_outside_the_set, 1,
	},
	[IT_GAINED_NO_CAP_SYS_ADMIN] = {
		"... in particular no CAP_SYS_ADMIN", it_gained_no_cap_sys_admin, 1,
	},
};

/* ---- the fixture ------------------------------------------------------------ */

/* The guest XID (its tree under GROOT) and a task in the other guest FOREIGN. */
static void escape_setup(struct __test_metadata *_metadata, struct vs_sleeper *foreign,
			 struct escape_job *job)
{
	memset(job, 0, sizeof(*job));
	foreign->pid = -1;
	foreign->release = -1;
	mkdir(BASE, 0755);
	mkdir(GROOT, 0755);
	mkdir(GROOT "/sub", 0755);
	close(open(GROOT "/guest-file", O_CREAT | O_WRONLY, 0600));
	close(open(HOST_FILE, O_CREAT | O_WRONLY, 0600));
	ASSERT_EQ(XID, vs_h_create(XID, VS_CF_PERSISTENT));
	ASSERT_EQ(FOREIGN, vs_h_create(FOREIGN, 0));
	ASSERT_EQ(0, vs_sleeper_start(foreign, FOREIGN, 0, 0)) {
		TH_LOG("no task in the other guest");
	}
	job->foreign = foreign->pid;
}

static void escape_teardown(struct __test_metadata *_metadata, struct vs_sleeper *foreign)
{
	vs_sleeper_stop(foreign, 2000);
	vs_h_destroy_all();
	unlink(SUID);
}

#define ESCAPE_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct vs_sleeper foreign;				\
		struct escape_job job;					\
	};								\
	FIXTURE_VARIANT(name) {						\
		int step;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		escape_setup(_metadata, &self->foreign, &self->job);	\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		escape_teardown(_metadata, &self->foreign);		\
	}

ESCAPE_FIXTURE(leaked_directory);
FIXTURE_VARIANT_ADD(leaked_directory, entering_with_a_host_directory_fd_is_eperm) {
	.step = ENTER_WITH_BOTH,
};
FIXTURE_VARIANT_ADD(leaked_directory, entering_with_a_host_o_path_fd_is_eperm) {
	.step = ENTER_WITH_O_PATH,
};
FIXTURE_VARIANT_ADD(leaked_directory, entering_with_nothing_open_outside_the_root_works) {
	.step = ENTER_WITH_NOTHING,
};
FIXTURE_VARIANT_ADD(leaked_directory, fchdir_and_openat_have_nothing_to_escape_with) {
	.step = NOTHING_TO_ESCAPE_WITH,
};

TEST_F_TIMEOUT(leaked_directory, holds, VS_H_TIMEOUT)
{
	/* The steps chroot and enter the context themselves. */
	vs_h_run_steps(XID, VS_F_STAY, leaked, 0, variant->step, &self->job, 20000);
}

ESCAPE_FIXTURE(guest_chroot);
FIXTURE_VARIANT_ADD(guest_chroot, holding_a_directory_outside_the_new_root_is_eperm) {
	.step = CHROOT_HOLDING_THE_ROOT,
};
FIXTURE_VARIANT_ADD(guest_chroot, into_its_tree_works_after_closing_it) {
	.step = CHROOT_AFTER_CLOSING_IT,
};
FIXTURE_VARIANT_ADD(guest_chroot, chdir_to_the_new_root_works) { .step = CHDIR_TO_THE_NEW_ROOT };
FIXTURE_VARIANT_ADD(guest_chroot, the_guest_sees_its_own_files) { .step = SEE_ITS_OWN_FILES };
FIXTURE_VARIANT_ADD(guest_chroot, into_a_subdirectory_it_holds_open_works) {
	.step = CHROOT_INTO_A_HELD_SUBDIRECTORY,
};
FIXTURE_VARIANT_ADD(guest_chroot, dotdot_above_its_root_is_eperm) { .step = CHROOT_DOTDOT };
FIXTURE_VARIANT_ADD(guest_chroot, fchdir_to_its_own_directory_works) {
	.step = FCHDIR_TO_ITS_OWN_DIRECTORY,
};
FIXTURE_VARIANT_ADD(guest_chroot, host_paths_do_not_resolve_any_more) {
	.step = CHROOT_TO_A_HOST_PATH,
};

TEST_F_TIMEOUT(guest_chroot, holds, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, chroots, 0, variant->step, &self->job, 20000);
}

ESCAPE_FIXTURE(proc_and_namespaces);
FIXTURE_VARIANT_ADD(proc_and_namespaces, readlink_of_proc_1_root_is_enoent) { .step = INIT_ROOT };
FIXTURE_VARIANT_ADD(proc_and_namespaces, a_path_through_proc_1_root_is_enoent) {
	.step = THROUGH_INIT_ROOT,
};
FIXTURE_VARIANT_ADD(proc_and_namespaces, readlink_of_the_other_guests_cwd_is_enoent) {
	.step = FOREIGN_CWD,
};
FIXTURE_VARIANT_ADD(proc_and_namespaces, proc_1_ns_mnt_is_enoent) { .step = INIT_MOUNT_NAMESPACE };
FIXTURE_VARIANT_ADD(proc_and_namespaces, ns_net_of_the_other_guest_is_enoent) {
	.step = FOREIGN_NET_NAMESPACE,
};
FIXTURE_VARIANT_ADD(proc_and_namespaces, setns_even_into_its_own_namespace_is_eperm) {
	.step = SETNS_OWN_UTS,
};
FIXTURE_VARIANT_ADD(proc_and_namespaces, unshare_is_eperm) { .step = UNSHARE_UTS_AND_NET };
FIXTURE_VARIANT_ADD(proc_and_namespaces, mounting_proc_is_eperm) { .step = MOUNT_PROC };
FIXTURE_VARIANT_ADD(proc_and_namespaces, a_bind_mount_is_eperm) { .step = BIND_MOUNT };
FIXTURE_VARIANT_ADD(proc_and_namespaces, umount_is_eperm) { .step = UMOUNT_PROC };
FIXTURE_VARIANT_ADD(proc_and_namespaces, ptrace_attach_to_the_hosts_init_is_esrch) {
	.step = PTRACE_INIT,
};
FIXTURE_VARIANT_ADD(proc_and_namespaces, ptrace_attach_to_the_other_guest_is_esrch) {
	.step = PTRACE_FOREIGN,
};

TEST_F_TIMEOUT(proc_and_namespaces, holds, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, proc_and_namespaces, variant->step, variant->step, &self->job,
		       20000);
}

ESCAPE_FIXTURE(kernel_interface);
FIXTURE_VARIANT_ADD(kernel_interface, kexec_load_is_eperm) { .step = KEXEC_LOAD };
FIXTURE_VARIANT_ADD(kernel_interface, kexec_file_load_is_eperm) { .step = KEXEC_FILE_LOAD };
FIXTURE_VARIANT_ADD(kernel_interface, init_module_is_eperm) { .step = INIT_MODULE };
FIXTURE_VARIANT_ADD(kernel_interface, bpf_prog_load_is_eperm) { .step = BPF_PROG_LOAD_STEP };
FIXTURE_VARIANT_ADD(kernel_interface, bpf_map_create_is_eperm) { .step = BPF_MAP_CREATE_STEP };
FIXTURE_VARIANT_ADD(kernel_interface, perf_event_open_on_the_other_guest_is_esrch) {
	.step = PERF_ON_THE_OTHER_GUEST,
};
FIXTURE_VARIANT_ADD(kernel_interface, perf_event_open_on_the_hosts_init_is_esrch) {
	.step = PERF_ON_INIT,
};
FIXTURE_VARIANT_ADD(kernel_interface, perf_event_open_on_a_whole_cpu_is_eacces) {
	.step = PERF_ON_A_CPU,
};
FIXTURE_VARIANT_ADD(kernel_interface, perf_event_open_counting_the_kernel_is_eacces) {
	.step = PERF_COUNTING_THE_KERNEL,
};
FIXTURE_VARIANT_ADD(kernel_interface, perf_event_open_on_itself_works) { .step = PERF_ON_ITSELF };
FIXTURE_VARIANT_ADD(kernel_interface, ioperm_is_eperm) { .step = IOPERM };
FIXTURE_VARIANT_ADD(kernel_interface, clock_settime_is_eperm) { .step = CLOCK_SETTIME };
FIXTURE_VARIANT_ADD(kernel_interface, adjtimex_is_eperm) { .step = ADJTIMEX };
FIXTURE_VARIANT_ADD(kernel_interface, writing_proc_sys_net_is_eacces) { .step = WRITE_IP_FORWARD };
FIXTURE_VARIANT_ADD(kernel_interface, writing_proc_sys_kernel_printk_is_eacces) {
	.step = WRITE_PRINTK,
};
FIXTURE_VARIANT_ADD(kernel_interface, writing_the_hosts_kernel_log_is_eacces) {
	.step = WRITE_KMSG,
};

TEST_F_TIMEOUT(kernel_interface, holds, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, kernel_interfaces, variant->step, variant->step, &self->job,
		       20000);
}

ESCAPE_FIXTURE(setuid_root);
FIXTURE_VARIANT_ADD(setuid_root, guest_root_makes_a_root_owned_copy) {
	.step = CHOWN_THE_COPY_TO_ROOT,
};
FIXTURE_VARIANT_ADD(setuid_root, guest_root_marks_it_setuid) { .step = MARK_IT_SETUID };
FIXTURE_VARIANT_ADD(setuid_root, it_runs_as_user_1000) { .step = RUN_IT_AS_USER_1000 };
FIXTURE_VARIANT_ADD(setuid_root, it_reports_its_effective_set) { .step = IT_REPORTED_ITS_CAPEFF };
FIXTURE_VARIANT_ADD(setuid_root, it_gains_nothing_outside_the_guests_set) {
	.step = IT_GAINED_NOTHING_OUTSIDE_THE_SET,
};
FIXTURE_VARIANT_ADD(setuid_root, it_gains_no_cap_sys_admin) { .step = IT_GAINED_NO_CAP_SYS_ADMIN };

TEST_F_TIMEOUT(setuid_root, holds, VS_H_TIMEOUT)
{
	vs_h_run_steps(XID, 0, setuid_binary, 0, variant->step, &self->job, 20000);
}

/* ---- what the host sees, counting, the end ---------------------------------- */

FIXTURE(escapes) {
	struct vs_sleeper foreign;
	struct escape_job job;
};

FIXTURE_SETUP(escapes)
{
	escape_setup(_metadata, &self->foreign, &self->job);
}

FIXTURE_TEARDOWN(escapes)
{
	escape_teardown(_metadata, &self->foreign);
}

/* Every escape above, in this order, in one context. */
static void try_every_escape(struct __test_metadata *_metadata, struct escape_job *job)
{
	vs_h_run_steps(XID, VS_F_STAY, leaked, 0, VS_STEPS(leaked) - 1, job, 10000);
	vs_h_run_steps(XID, 0, chroots, 0, VS_STEPS(chroots) - 1, job, 10000);
	vs_h_run_steps(XID, 0, proc_and_namespaces, 0, VS_STEPS(proc_and_namespaces) - 1, job,
		       10000);
	vs_h_run_steps(XID, 0, kernel_interfaces, 0, VS_STEPS(kernel_interfaces) - 1, job, 10000);
	vs_h_run_steps(XID, 0, setuid_binary, 0, VS_STEPS(setuid_binary) - 1, job, 10000);
}

/*
 * Counted: two chroots, kexec_load (and kexec_file_load), two bpf calls, two
 * /proc/sys writes, /dev/kmsg. Refusals for want of a capability are
 * commoncap's, uncounted.
 */
TEST_F_TIMEOUT(escapes, refusals_are_counted, VS_H_TIMEOUT)
{
	unsigned long long hits =
		VS_ERR(syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 2UL)) == -ENOSYS ? 8 : 9;
	struct vs_context_info info;

	try_every_escape(_metadata, &self->job);
	ASSERT_EQ(0, vs_info(XID, &info));
	EXPECT_EQ(hits, info.hits);
}

TEST_F_TIMEOUT(escapes, host_may_still_monitor_a_guest_task, VS_H_TIMEOUT)
{
	try_every_escape(_metadata, &self->job);
	EXPECT_EQ(0, perf_open(self->job.foreign, -1, 1));
}

TEST_F_TIMEOUT(escapes, host_reads_proc_1_root, VS_H_TIMEOUT)
{
	EXPECT_LT(0, init_root(NULL));
}

TEST_F_TIMEOUT(escapes, host_reads_the_other_guests_cwd, VS_H_TIMEOUT)
{
	EXPECT_LT(0, foreign_cwd(&self->job));
}

TEST_F_TIMEOUT(escapes, host_opens_the_other_guests_ns_net, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, foreign_net_namespace(&self->job));
}

TEST_F_TIMEOUT(escapes, other_guest_ends_when_its_task_stops, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_sleeper_stop(&self->foreign, 10000));
	EXPECT_EQ(1, vs_wait_gone(FOREIGN, 2000));
}

TEST_F_TIMEOUT(escapes, guest_context_is_removed_once_empty, VS_H_TIMEOUT)
{
	int gone;

	try_every_escape(_metadata, &self->job);
	EXPECT_EQ(1, vs_wait_tasks(XID, 0, 2000));
	EXPECT_EQ(0, vs_remove(XID));
	gone = vs_wait_gone(XID, 2000);
	EXPECT_EQ(1, gone);
	if (gone)
		vs_h_forget(XID);
}

TEST_HARNESS_MAIN
