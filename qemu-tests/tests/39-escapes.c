// SPDX-License-Identifier: GPL-2.0
/*
 * The escape battery: techniques a guest's root (default capabilities) could
 * use to reach the host or another guest. Each case passes only when the
 * escape fails; the guest keeps working (chroot inside its tree, its own perf
 * events, setuid binaries within its set).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>
#include <sys/io.h>
#include <sys/timex.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "../lib/vs-ktap.h"

#define XID 3901
#define FOREIGN 3902
#define BASE "/tmp/vs-esc"
#define GROOT BASE "/g1"
#define SUID BASE "/suid"

static pid_t foreign_pid;

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

/* A directory opened before entering cannot come along. */
static void guest_leaked_directories(void *arg)
{
	int dfd = open("/", O_RDONLY | O_DIRECTORY);
	int pfd = open("/", O_PATH);

	(void)arg;
	if (chdir(GROOT) || chroot("."))
		ktap_diag("host-side chroot to %s failed", GROOT);
	vs_expect(vs_migrate(XID), -EPERM, "entering with a host directory fd open -> EPERM");
	close(dfd);
	vs_expect(vs_migrate(XID), -EPERM, "entering with a host O_PATH directory fd -> EPERM");
	close(pfd);
	vs_expect(vs_migrate(XID), 0, "entering with nothing open outside the root works");
	vs_expect(VS_ERR(access(BASE "/host-file", F_OK)), -ENOENT,
		  "so fchdir/openat have nothing to escape with");
}

/* chroot inside the guest works; chroot out of it or with a leaked fd does not. */
static void guest_chroots(void *arg)
{
	int dfd, sub;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	dfd = open("/", O_RDONLY | O_DIRECTORY);
	vs_expect(VS_ERR(chroot(GROOT)), -EPERM,
		  "chroot while holding a directory outside the new root -> EPERM");
	close(dfd);
	vs_expect(VS_ERR(chroot(GROOT)), 0, "after closing it, chroot into its tree works");
	vs_expect(VS_ERR(chdir("/")), 0, "chdir to the new root");
	vs_expect(VS_ERR(access("/guest-file", F_OK)), 0, "the guest sees its own files");
	sub = open("/sub", O_RDONLY | O_DIRECTORY);
	vs_expect(VS_ERR(chroot("/sub")), 0, "chroot into a subdirectory it holds open works");
	vs_expect(VS_ERR(chroot("..")), -EPERM, "chroot('..') above its root -> EPERM");
	vs_expect(VS_ERR(fchdir(sub)), 0, "fchdir to its own directory works");
	close(sub);
	vs_expect(VS_ERR(chroot(BASE)), -ENOENT, "host paths do not resolve any more");
}

/* /proc links, namespaces, mounts. */
static void guest_proc_and_namespaces(void *arg)
{
	char path[64], buf[256];
	int fd;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(VS_RET(readlink("/proc/1/root", buf, sizeof(buf))), -ENOENT,
		  "/proc/1/root -> ENOENT");
	vs_expect(VS_ERR(open("/proc/1/root/etc", O_RDONLY)), -ENOENT, "a path through it -> ENOENT");
	snprintf(path, sizeof(path), "/proc/%d/cwd", foreign_pid);
	vs_expect(VS_RET(readlink(path, buf, sizeof(buf))), -ENOENT,
		  "/proc/<other guest>/cwd -> ENOENT");
	vs_expect(VS_ERR(open("/proc/1/ns/mnt", O_RDONLY)), -ENOENT, "/proc/1/ns/mnt -> ENOENT");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", foreign_pid);
	vs_expect(VS_ERR(open(path, O_RDONLY)), -ENOENT, "another guest's ns/net -> ENOENT");
	fd = open("/proc/self/ns/uts", O_RDONLY);
	vs_expect(VS_ERR(setns(fd, CLONE_NEWUTS)), -EPERM, "setns, even into its own ns -> EPERM");
	close(fd);
	vs_expect(VS_ERR(unshare(CLONE_NEWUTS | CLONE_NEWNET)), -EPERM, "unshare -> EPERM");
	mkdir("/tmp/vs-esc-mnt", 0755);
	vs_expect(VS_ERR(mount("proc", "/tmp/vs-esc-mnt", "proc", 0, NULL)), -EPERM,
		  "mount proc -> EPERM");
	vs_expect(VS_ERR(mount("/", "/tmp/vs-esc-mnt", NULL, MS_BIND, NULL)), -EPERM,
		  "bind mount -> EPERM");
	vs_expect(VS_ERR(umount2("/proc", MNT_DETACH)), -EPERM, "umount -> EPERM");
	vs_expect(VS_ERR(ptrace(PTRACE_ATTACH, 1, NULL, NULL)), -ESRCH,
		  "ptrace attach to the host's init -> ESRCH");
	vs_expect(VS_ERR(ptrace(PTRACE_ATTACH, foreign_pid, NULL, NULL)), -ESRCH,
		  "ptrace attach to another guest's task -> ESRCH");
}

/* Interfaces into the kernel itself. */
static void guest_kernel_interfaces(void *arg)
{
	struct timespec ts = { .tv_sec = 1000000000 };
	struct timex tx = { .modes = ADJ_OFFSET, .offset = 1000 };
	int fd;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	vs_expect(VS_ERR(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL)), -EPERM,
		  "kexec_load -> EPERM (even with CAP_SYS_BOOT)");
	fd = open("/lib/modules/vserver.ko", O_RDONLY);
	if (VS_ERR(syscall(SYS_kexec_file_load, fd, -1, 0UL, "", 2UL)) == -ENOSYS)
		ktap_skip("kernel without CONFIG_KEXEC_FILE", "kexec_file_load -> EPERM");
	else
		vs_expect(VS_ERR(syscall(SYS_kexec_file_load, fd, -1, 0UL, "", 2UL)), -EPERM,
			  "kexec_file_load -> EPERM");
	vs_expect(VS_ERR(syscall(SYS_init_module, "x", 1UL, "")), -EPERM, "init_module -> EPERM");
	close(fd);
	vs_expect(bpf_cmd(BPF_PROG_LOAD), -EPERM, "bpf(BPF_PROG_LOAD) -> EPERM");
	vs_expect(bpf_cmd(BPF_MAP_CREATE), -EPERM, "bpf(BPF_MAP_CREATE) -> EPERM");
	vs_expect(perf_open(foreign_pid, -1, 1), -ESRCH, "perf_event_open on another guest -> ESRCH");
	vs_expect(perf_open(1, -1, 1), -ESRCH, "perf_event_open on the host's init -> ESRCH");
	vs_expect(perf_open(-1, 0, 1), -EACCES, "perf_event_open on a whole CPU -> EACCES");
	vs_expect(perf_open(0, -1, 0), -EACCES, "perf_event_open counting the kernel -> EACCES");
	vs_expect(perf_open(0, -1, 1), 0, "perf_event_open on itself works");
	vs_expect(VS_ERR(ioperm(0x80, 1, 1)), -EPERM, "ioperm -> EPERM");
	vs_expect(VS_ERR(clock_settime(CLOCK_REALTIME, &ts)), -EPERM, "clock_settime -> EPERM");
	vs_expect(VS_ERR(adjtimex(&tx)), -EPERM, "adjtimex -> EPERM");
	vs_expect(VS_ERR(open("/proc/sys/net/ipv4/ip_forward", O_WRONLY)), -EACCES,
		  "writing /proc/sys/net -> EACCES");
	vs_expect(VS_ERR(open("/proc/sys/kernel/printk", O_WRONLY)), -EACCES,
		  "writing /proc/sys/kernel/printk -> EACCES");
	vs_expect(VS_ERR(open("/dev/kmsg", O_WRONLY)), -EACCES,
		  "writing the host's kernel log (/dev/kmsg) -> EACCES");
}

/* A setuid-root binary run by an unprivileged guest user gets the guest's set only. */
static void guest_setuid(void *arg)
{
	unsigned long long eff = ~0ULL;
	char buf[64] = "";
	int p[2], in, out, n;
	pid_t pid;

	(void)arg;
	if (vs_migrate(XID))
		ktap_diag("migrate into %d failed: the cases below will fail", XID);
	in = open("/proc/self/exe", O_RDONLY);
	out = open(SUID, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			break;
	close(in);
	close(out);
	vs_expect(VS_ERR(chown(SUID, 0, 0)), 0, "guest root makes a root-owned copy");
	vs_expect(VS_ERR(chmod(SUID, 04755)), 0, "and marks it setuid");
	if (pipe(p))
		return;
	pid = vs_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		if (setgid(1000) || setuid(1000))
			_exit(3);
		execl(SUID, SUID, "--print-capeff", (char *)NULL);
		_exit(4);
	}
	close(p[1]);
	memset(buf, 0, sizeof(buf));
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	vs_expect(vs_child_status(pid, 10000), 0, "the setuid binary ran as user 1000");
	vs_expect(n > 0 && sscanf(buf, "%llx", &eff) == 1, 1, "it reported its CapEff (%s)", buf);
	vs_expect((eff & ~VS_BCAPS_DEFAULT) == 0, 1,
		  "setuid root gains nothing outside the guest's set (%#llx)", eff);
	vs_expect(!(eff & (1ULL << CAP_SYS_ADMIN)), 1, "... in particular no CAP_SYS_ADMIN");
}

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

int main(int argc, char **argv)
{
	struct vs_context_info info;
	struct vs_sleeper foreign;
	unsigned long long hits;

	if (argc > 1 && !strcmp(argv[1], "--print-capeff"))
		return print_capeff();
	ktap_plan(53);
	mkdir(BASE, 0755);
	mkdir(GROOT, 0755);
	mkdir(GROOT "/sub", 0755);
	close(open(GROOT "/guest-file", O_CREAT | O_WRONLY, 0600));
	close(open(BASE "/host-file", O_CREAT | O_WRONLY, 0600));
	vs_expect(vs_create(XID, VS_CF_PERSISTENT), XID, "create context %d", XID);
	vs_expect(vs_create(FOREIGN, 0), FOREIGN, "create context %d", FOREIGN);
	vs_expect(vs_sleeper_start(&foreign, FOREIGN, 0, 0), 0, "a task in the other guest");
	foreign_pid = foreign.pid;

	vs_ktap_fork(guest_leaked_directories, NULL, 20000);
	vs_ktap_fork(guest_chroots, NULL, 20000);
	vs_ktap_fork(guest_proc_and_namespaces, NULL, 20000);
	vs_ktap_fork(guest_kernel_interfaces, NULL, 20000);
	vs_ktap_fork(guest_setuid, NULL, 20000);

	/*
	 * Counted: two chroots, kexec_load (and kexec_file_load), two bpf calls, two
	 * /proc/sys writes, /dev/kmsg. Refusals for want of a capability are commoncap's, uncounted.
	 */
	hits = VS_ERR(syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 2UL)) == -ENOSYS ? 8 : 9;
	vs_info(XID, &info);
	vs_expect(info.hits == hits, 1, "the %llu refusals were counted (%llu hits)",
		  hits, (unsigned long long)info.hits);
	vs_expect(perf_open(foreign_pid, -1, 1), 0, "the host may still monitor a guest task");
	vs_expect(vs_sleeper_stop(&foreign, 10000), 0, "stop the other guest");
	vs_wait_tasks(XID, 0, 2000);
	vs_expect(vs_remove(XID), 0, "remove context %d", XID);
	unlink(SUID);
	return ktap_finish();
}
