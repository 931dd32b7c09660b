// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-benchmarks for `make bench`, and the helpers that set the scene for
 * some of them. The host side (qemu-tests/guest/bench-run) runs it in several
 * modes in the same boot, interleaved, and compares medians.
 *
 *   bench MODE ITERATIONS [OPS [SUFFIX]]
 *	Runs each operation (all of them, or those of the comma-separated list
 *	OPS) ITERATIONS / divisor times and prints one line per operation:
 *	  BENCH <mode> <op><SUFFIX> <ns per op>
 *	SUFFIX tells the scene apart, e.g. "@1000ctx" (1,000 live contexts) or
 *	"@1000procs" (1,000 foreign processes).
 *   bench crowd XID COUNT
 *	Starts COUNT sleeping processes, each moved into context XID (0: they
 *	stay on the host), prints "ready N" once N of them are in place (fewer
 *	than COUNT if memory runs short), and on SIGTERM ends them all and
 *	removes the context.
 *   bench contexts COUNT
 *	Makes exactly COUNT empty persistent contexts of the bench's own id
 *	range exist (creating or removing).
 *   bench context-memory COUNT
 *	Creates COUNT empty persistent contexts and prints the growth of the
 *	kernel's Slab per context, in bytes:
 *	  BENCH host context_slab_bytes <bytes>
 *	then removes them again.
 *
 *   bench profile MODE ITERATIONS OP PERIOD_NS -- CMD [ARGS...]
 *	`make profile`: runs CMD, which runs `bench MODE ITERATIONS OP`
 *	(perhaps inside a guest, through chbind and chcontext), and samples the
 *	task clock of CMD and its descendants on CPU 0, about once per
 *	PERIOD_NS, while that bench times OP; then prints, for the kernel
 *	symbols (from /proc/kallsyms) that took at least 0.2 % of the loop
 *	(user space being "[user]"):
 *	  PROFILE <mode> <op> <ns per op> <symbol>
 *	The sampling runs here, on the host: a guest may not sample the kernel.
 *	The bench below finds the event in BENCH_PROFILE_FD and switches it on
 *	and off around its timed loop. Under -icount nanoseconds are
 *	instructions.
 *
 * No timing is judged here: qemu-tests/bench.py turns the lines into ratios.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <linux/vserver.h>
#include <sys/syscall.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- /dev/vserver ------------------------------------------------------ */

static int vs_fd = -1;

/* One ioctl on the control device: 0 or -errno. */
static int vs_ioctl(unsigned long cmd, void *arg)
{
	if (vs_fd < 0)
		vs_fd = open(VS_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (vs_fd < 0 || ioctl(vs_fd, cmd, arg))
		return -errno;
	return 0;
}

static int vs_create(__u32 xid)
{
	struct vs_context_create c = { .xid = xid, .flags = VS_CF_PERSISTENT };

	return vs_ioctl(VS_IOC_CREATE, &c);
}

/* The ioctls that name one context: MIGRATE, REMOVE. */
static int vs_on(unsigned long cmd, __u32 xid)
{
	struct vs_context_id id = { .xid = xid };

	return vs_ioctl(cmd, &id);
}

static int vs_kill(__u32 xid, int sig)
{
	struct vs_context_kill k = { .xid = xid, .sig = sig };

	return vs_ioctl(VS_IOC_KILL, &k);
}

/* Whether context @xid exists. */
static int vs_exists(__u32 xid)
{
	struct vs_context_info info = { .xid = xid };

	return vs_ioctl(VS_IOC_GET_INFO, &info) != -ESRCH;
}

/* A field of /proc/meminfo ("Slab:", "MemAvailable:") in KiB, -1 if missing. */
static long meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, strlen(field))) {
			kb = atol(line + strlen(field));
			break;
		}
	}
	if (f)
		fclose(f);
	return kb;
}

/* ---- the operations ---------------------------------------------------- */

/* Runs of the current operation that failed (reported, not timed apart). */
static long failures;

static void op_getppid(void) { getppid(); }
static void op_kill0(void) { kill(getpid(), 0); }
static void op_open_close(void) { close(open("/etc/passwd", O_RDONLY)); }

static void op_stat(void)
{
	struct stat st;

	stat("/etc/passwd", &st);
}

static void op_fork_wait(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
}

static void op_fork_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

/* Runs a command to its end; with @quiet, its output goes to /dev/null. */
static void run_command(const char *const argv[], int quiet)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		if (quiet)
			dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), STDOUT_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	failures += status != 0;
}

/* Context start-up: a new context around /bin/true, created and destroyed. */
static void op_chcontext_true(void)
{
	static const char *const argv[] = { "/usr/bin/chcontext", "--", "/bin/true", NULL };

	run_command(argv, 0);
}

/*
 * The kernel's part of a context start-up, without the tool: fork, create a
 * context (the module picks its id), move in, end its setup (as chcontext
 * does), exec /bin/true;
 * the context ends with its last task.
 */
static void op_context_true(void)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		struct vs_context_create c = { .xid = VS_XID_ALLOCATE };

		if (vs_ioctl(VS_IOC_CREATE, &c) || vs_on(VS_IOC_MIGRATE, c.xid) ||
		    vs_on(VS_IOC_END_SETUP, c.xid))
			_exit(126);
		close(vs_fd);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	failures += status != 0;
}

/* What a namespace-based container pays for the same. */
static void op_unshare_true(void)
{
	static const char *const argv[] = { "/bin/unshare", "-f", "-p", "-m", "-n", "-u", "/bin/true", NULL };

	run_command(argv, 0);
}

/*
 * `vserver bench start`: the minimal guest bench-run lays out in
 * /etc/vservers/bench (a busybox root, no limits, no addresses). Its init
 * sleeps: `start` returns once init is in the context, and an init that
 * exited at once could be gone before it looks (it would then wait 5 s and
 * fail). The bench is the subreaper of the guest's init, which the reset
 * below ends untimed before the next start.
 */
#define GUEST_XID 79	/* /etc/vservers/bench/xid */

static int vserver_prepare(void)
{
	if (access("/etc/vservers/bench/init", R_OK))
		return -1;
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static void op_vserver_start(void)
{
	static const char *const argv[] = { "/usr/bin/vserver", "bench", "start", NULL };

	run_command(argv, 1);
}

/* Ends the guest: SIGKILL to its context, reap its init, wait until the context is gone. */
static void vserver_reset(void)
{
	int waited;

	vs_kill(GUEST_XID, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	for (waited = 0; vs_exists(GUEST_XID) && waited < 5000; waited++)
		sleep_ms(1);
}

static void vserver_finish(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

/* socket, bind to an ephemeral port on every address, close. */
static void socket_bind_close(int type)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, type, 0);

	failures += bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0;
	close(fd);
}

static void op_udp_bind(void) { socket_bind_close(SOCK_DGRAM); }
static void op_tcp_bind(void) { socket_bind_close(SOCK_STREAM); }

/*
 * A TCP round-trip on loopback: connect to a listener of this process,
 * accept, close both. The listener, and so every accepted socket, has
 * SO_LINGER with a zero timeout: the accepted side closes with a reset and
 * no TIME_WAIT piles up over the rounds. In a guest, 127.0.0.1 is its own
 * loopback address.
 */
static int listener = -1;
static struct sockaddr_in listen_addr;

static int tcp_listen(void)
{
	struct linger abort_close = { .l_onoff = 1, .l_linger = 0 };
	socklen_t len = sizeof(listen_addr);

	listen_addr = (struct sockaddr_in){ .sin_family = AF_INET,
					    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 ||
	    setsockopt(listener, SOL_SOCKET, SO_LINGER, &abort_close, sizeof(abort_close)) ||
	    bind(listener, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) ||
	    listen(listener, 16) ||
	    getsockname(listener, (struct sockaddr *)&listen_addr, &len)) {
		close(listener);
		return -1;
	}
	return 0;
}

static void tcp_unlisten(void)
{
	close(listener);
	listener = -1;
}

static void op_tcp_connect_accept(void)
{
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(c, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) == 0)
		failures += close(accept(listener, NULL, NULL)) != 0;
	else
		failures++;
	close(c);
}

/* Pipe ping-pong: one byte to a child and back over two pipes. */
static int ping[2] = { -1, -1 }, pong[2] = { -1, -1 };
static pid_t ponger = -1;

static int pipe_start(void)
{
	char c;

	if (pipe(ping) || pipe(pong))
		return -1;
	ponger = fork();
	if (ponger == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1 && write(pong[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	return ponger < 0 ? -1 : 0;
}

static void pipe_stop(void)
{
	close(ping[1]);	/* the child reads EOF and exits */
	close(pong[0]);
	waitpid(ponger, NULL, 0);
}

static void op_pipe_pingpong(void)
{
	char c = 'p';

	failures += write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1;
}

static void op_proc_readdir(void)
{
	DIR *d = opendir("/proc");

	while (d && readdir(d))
		;
	if (d)
		closedir(d);
}

static const struct op {
	const char *name;
	void (*fn)(void);
	int divisor;	/* slow operations run iterations / divisor times */
	int host_only;	/* only meaningful for a host task with the module loaded */
	int (*prepare)(void);	/* before the runs (untimed); non-zero: skip the operation */
	void (*reset)(void);	/* after each run (untimed): the run alone is timed */
	void (*finish)(void);	/* after the runs */
} ops[] = {
	{ "getppid", op_getppid, .divisor = 1 },
	{ "kill0", op_kill0, .divisor = 1 },
	{ "open_close", op_open_close, .divisor = 4 },
	{ "stat", op_stat, .divisor = 4 },
	{ "udp_bind_close", op_udp_bind, .divisor = 8 },
	{ "tcp_bind_close", op_tcp_bind, .divisor = 8 },
	{ "tcp_connect_accept", op_tcp_connect_accept, .divisor = 32,
	  .prepare = tcp_listen, .finish = tcp_unlisten },
	{ "pipe_pingpong", op_pipe_pingpong, .divisor = 8,
	  .prepare = pipe_start, .finish = pipe_stop },
	{ "proc_readdir", op_proc_readdir, .divisor = 64 },
	{ "fork_exit_wait", op_fork_wait, .divisor = 256 },
	{ "fork_exec_true", op_fork_exec, .divisor = 512 },
	{ "context_true", op_context_true, .divisor = 512, .host_only = 1 },
	{ "chcontext_true", op_chcontext_true, .divisor = 512, .host_only = 1 },
	{ "unshare_true", op_unshare_true, .divisor = 512, .host_only = 1 },
	{ "vserver_start", op_vserver_start, .divisor = 2048, .host_only = 1,
	  .prepare = vserver_prepare, .reset = vserver_reset, .finish = vserver_finish },
};

/* Whether @name is one of the comma-separated @list. */
static int listed(const char *name, const char *list)
{
	size_t len = strlen(name);
	const char *p = list;

	for (;;) {
		if (!strncmp(p, name, len) && (p[len] == ',' || p[len] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (!p)
			return 0;
		p++;
	}
}

/* ---- profiling (bench profile) ---------------------------------------- */

/* The ring buffer: 4096 pages (16 MiB), a million samples. */
#define PROFILE_PAGES 4096

struct ksym {
	unsigned long addr;
	char name[128];
};

static struct ksym *ksyms;
static size_t nksyms;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Loads the text symbols of /proc/kallsyms ("addr type name [module]"), sorted. */
static int ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	size_t room = 0;
	char line[256], type, name[128];
	unsigned long addr;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %127s", &addr, &type, name) != 3 || !addr ||
		    (type != 't' && type != 'T'))
			continue;
		if (nksyms == room) {
			struct ksym *more;

			room = room ? room * 2 : 65536;
			more = realloc(ksyms, room * sizeof(*ksyms));
			if (!more)
				break;
			ksyms = more;
		}
		ksyms[nksyms].addr = addr;
		snprintf(ksyms[nksyms].name, sizeof(ksyms[nksyms].name), "%s", name);
		nksyms++;
	}
	fclose(f);
	qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
	return nksyms ? 0 : -1;
}

/* The index of the symbol holding @ip, or -1 (user space, or before the first). */
static long ksym_find(unsigned long ip)
{
	size_t lo = 0, hi = nksyms;

	if (ip < 0xffff800000000000UL || !nksyms || ip < ksyms[0].addr)
		return -1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (ksyms[mid].addr <= ip)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The sampling event the bench switches on and off (BENCH_PROFILE_FD), or -1. */
static int profile_fd = -1;

static void profile_start(void)
{
	if (profile_fd >= 0)
		ioctl(profile_fd, PERF_EVENT_IOC_ENABLE, 0);
}

static void profile_stop(void)
{
	if (profile_fd >= 0)
		ioctl(profile_fd, PERF_EVENT_IOC_DISABLE, 0);
}

/*
 * Under -icount the machine is deterministic: samples at a fixed period
 * would hit the same few points of a short loop over and over. A spin of
 * pseudo-random length between the runs (user time: "[user]") spreads them.
 */
static void profile_jitter(void)
{
	static unsigned long long seed = 88172645463325252ULL;
	volatile unsigned int spin;

	if (profile_fd < 0)
		return;
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	for (spin = seed % 256; spin; spin--)
		;
}

struct hit {
	long sym;	/* index in ksyms, -1: user space */
	long count;
};

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return (y->count > x->count) - (y->count < x->count);
}

/* Prints the samples of @buffer (the event's mapping) as the profile of @n runs. */
static void profile_print(struct perf_event_mmap_page *meta, size_t data_size, long period,
			  const char *mode, const char *op, long n)
{
	unsigned long head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	const char *data = (const char *)meta + meta->data_offset;
	unsigned long tail = meta->data_tail, lost = 0, total = 0;
	long *counts = calloc(nksyms, sizeof(*counts)), user = 0;
	struct hit *hits = calloc(nksyms + 1, sizeof(*hits));
	size_t i, nhits = 0;

	if (!counts || !hits) {
		printf("# bench: profile: out of memory\n");
		goto out;
	}
	if (head - tail > data_size)
		lost++;
	while (tail < head) {
		struct perf_event_header hdr;
		unsigned long ip;
		long sym;

		memcpy(&hdr, data + tail % data_size, sizeof(hdr));
		if (!hdr.size)
			break;
		if (hdr.type == PERF_RECORD_SAMPLE && hdr.size >= sizeof(hdr) + sizeof(ip)) {
			memcpy(&ip, data + (tail + sizeof(hdr)) % data_size, sizeof(ip));
			sym = ksym_find(ip);
			if (sym < 0)
				user++;
			else
				counts[sym]++;
			total++;
		} else if (hdr.type == PERF_RECORD_LOST) {
			lost++;
		}
		tail += hdr.size;
	}
	if (lost)
		printf("# bench: profile: %s %s: samples lost (buffer full)\n", mode, op);
	if (!total)
		printf("# bench: profile: %s %s: no samples\n", mode, op);
	for (i = 0; i < nksyms; i++)
		if (counts[i])
			hits[nhits++] = (struct hit){ .sym = i, .count = counts[i] };
	if (user)
		hits[nhits++] = (struct hit){ .sym = -1, .count = user };
	qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (i = 0; i < nhits && hits[i].count * 500 >= (long)total; i++)
		printf("PROFILE %s %s %.1f %s\n", mode, op, (double)hits[i].count * period / n,
		       hits[i].sym < 0 ? "[user]" : ksyms[hits[i].sym].name);
out:
	free(counts);
	free(hits);
}

/*
 * bench profile: samples @argv (which runs the bench) and prints the profile
 * of @iterations runs of @op.
 */
static int profile(const char *mode, long iterations, const char *op, long period,
		   char **argv)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.sample_period = period,
		.sample_type = PERF_SAMPLE_IP,
		.disabled = 1,
		.inherit = 1,
		.exclude_hv = 1,
	};
	size_t page = sysconf(_SC_PAGESIZE), data_size = PROFILE_PAGES * page;
	long n = -1, status = -1;
	unsigned int i;
	cpu_set_t cpu0;
	char fd_text[16];
	void *map;
	pid_t pid;
	int fd;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].name, op))
			n = iterations / ops[i].divisor < 4 ? 4 : iterations / ops[i].divisor;
	if (n < 0 || ksyms_load()) {
		fprintf(stderr, "bench profile: unknown operation %s, or no kernel symbols\n", op);
		return 1;
	}
	/*
	 * An inherited per-task event can be mapped only if it is bound to a
	 * CPU: CPU 0, where the command and its descendants are pinned.
	 */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	fd = syscall(SYS_perf_event_open, &attr, 0, 0, -1, 0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) || fd < 0) {
		fprintf(stderr, "bench profile: perf_event_open: %s\n", strerror(errno));
		return 1;
	}
	map = mmap(NULL, data_size + page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "bench profile: mmap: %s\n", strerror(errno));
		return 1;
	}
	snprintf(fd_text, sizeof(fd_text), "%d", fd);
	setenv("BENCH_PROFILE_FD", fd_text, 1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0) {
		int raw;

		if (waitpid(pid, &raw, 0) == pid)
			status = raw;
	}
	if (status != 0)
		printf("# bench: profile: %s %s: the command failed (%ld)\n", mode, op, status);
	profile_print(map, data_size, period, mode, op, n);
	return status != 0;
}

/*
 * Nanoseconds per run of @op over @n runs (after one untimed warm-up run),
 * sampled for `bench profile` (with the resets of an operation that has them).
 */
static double time_op(const struct op *op, long n)
{
	long long total = 0, t0;
	long k;

	op->fn();
	if (!op->reset) {
		profile_start();
		t0 = now_ns();
		for (k = 0; k < n; k++) {
			profile_jitter();
			op->fn();
		}
		total = now_ns() - t0;
		profile_stop();
		return (double)total / n;
	}
	op->reset();
	profile_start();
	for (k = 0; k < n; k++) {
		t0 = now_ns();
		op->fn();
		total += now_ns() - t0;
		op->reset();
	}
	profile_stop();
	return (double)total / n;
}

static int run_ops(const char *mode, long iterations, const char *list, const char *suffix)
{
	unsigned int i;
	double ns;

	if (getenv("BENCH_PROFILE_FD"))
		profile_fd = atoi(getenv("BENCH_PROFILE_FD"));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op *op = &ops[i];
		long n = iterations / op->divisor;

		if ((op->host_only && strcmp(mode, "host")) || (list && !listed(op->name, list)))
			continue;
		if (op->prepare && op->prepare()) {
			printf("# bench: %s: cannot prepare %s\n", mode, op->name);
			continue;
		}
		if (n < 4)
			n = 4;
		failures = 0;
		ns = time_op(op, n);
		printf("BENCH %s %s%s %.1f\n", mode, op->name, suffix, ns);
		if (failures)
			printf("# bench: %s: %s: %ld of %ld runs failed\n", mode, op->name,
			       failures, n + 1);
		fflush(stdout);
		if (op->finish)
			op->finish();
	}
	return 0;
}

/* ---- scenes: foreign processes, empty contexts ------------------------- */

/*
 * The crowd's sleepers share its address space (clone(CLONE_VM), as vfork
 * children do), each on a small stack of its own: a forked copy costs about
 * 90 KB (page tables, copied pages) and 10,000 of those do not fit in the
 * VM's 1 GiB. Each is still a process of its own in /proc, with its own pid,
 * descriptors and context.
 */
#define SLEEPER_STACK (8 * 1024)
/* A crowd stops growing when less than this is left (KiB): no OOM killer. */
#define CROWD_RESERVE_KB (96 * 1024)

static volatile sig_atomic_t crowd_done;

static void crowd_end(int sig)
{
	(void)sig;
	crowd_done = 1;
}

/* What the sleepers share: their context and the two pipes (read, write ends). */
static struct {
	__u32 xid;
	int release[2];	/* EOF: every sleeper exits */
	int ready[2];	/* one byte per sleeper: 'y' in place, 'n' not */
} scene;

/*
 * One of the crowd: into the context, say whether it got there, sleep until
 * released. Only system-call wrappers here: the C library's state is the
 * crowd's.
 */
static int sleeper(void *unused)
{
	char c = 'y';

	(void)unused;
	close(scene.release[1]);
	close(scene.ready[0]);
	if (scene.xid && vs_on(VS_IOC_MIGRATE, scene.xid))
		c = 'n';
	if (write(scene.ready[1], &c, 1) != 1 || c != 'y')
		return 1;
	close(scene.ready[1]);
	(void)!read(scene.release[0], &c, 1);
	return 0;
}

static int crowd(__u32 xid, long count)
{
	sigset_t term, old;
	long n, in = 0;
	char *stacks, c;
	int err;

	signal(SIGTERM, crowd_end);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	scene.xid = xid;
	stacks = mmap(NULL, count * SLEEPER_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stacks == MAP_FAILED || pipe(scene.release) || pipe(scene.ready))
		return 1;
	if (xid && (err = vs_create(xid))) {
		fprintf(stderr, "bench crowd: create context %u: %s\n", xid, strerror(-err));
		return 1;
	}
	for (n = 0; n < count; n++) {
		if (n % 256 == 0 && meminfo_kb("MemAvailable:") < CROWD_RESERVE_KB)
			break;
		if (clone(sleeper, stacks + (n + 1) * SLEEPER_STACK, CLONE_VM | SIGCHLD, NULL) < 0)
			break;
	}
	close(scene.release[0]);
	close(scene.ready[1]);
	while (read(scene.ready[0], &c, 1) == 1)	/* EOF once every sleeper has answered */
		in += c == 'y';
	if (in < count)
		fprintf(stderr, "bench crowd: %ld of %ld sleepers in place (memory, threads-max)\n",
			in, count);
	printf("ready %ld\n", in);
	fflush(stdout);
	while (!crowd_done)
		sigsuspend(&old);
	close(scene.release[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (xid)
		vs_on(VS_IOC_REMOVE, xid);
	return 0;
}

/* The bench's empty contexts: ids CONTEXT_BASE onwards, at most MAX_CONTEXTS. */
#define CONTEXT_BASE 20000
#define MAX_CONTEXTS 10000

static int contexts(long count)
{
	long i;
	int err;

	for (i = 0; i < MAX_CONTEXTS; i++) {
		err = i < count ? vs_create(CONTEXT_BASE + i) : vs_on(VS_IOC_REMOVE, CONTEXT_BASE + i);
		if (err && err != -EEXIST && err != -ESRCH) {
			fprintf(stderr, "bench contexts: context %ld: %s\n", CONTEXT_BASE + i,
				strerror(-err));
			return 1;
		}
	}
	return 0;
}

static int context_memory(long count)
{
	long before, after;

	if (contexts(0))
		return 1;
	before = meminfo_kb("Slab:");
	if (contexts(count))
		return 1;
	after = meminfo_kb("Slab:");
	printf("BENCH host context_slab_bytes %.1f\n", (after - before) * 1024.0 / count);
	return contexts(0);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	long count = argc > 2 ? atol(argv[argc - 1]) : 0;	/* the helpers' last argument */

	if (argc >= 8 && !strcmp(cmd, "profile") && !strcmp(argv[6], "--") && atol(argv[3]) > 0 &&
	    atol(argv[5]) > 0)
		return profile(argv[2], atol(argv[3]), argv[4], atol(argv[5]), argv + 7);
	if (argc == 4 && !strcmp(cmd, "crowd") && count > 0)
		return crowd((__u32)atol(argv[2]), count);
	if (argc == 3 && !strcmp(cmd, "contexts") && count >= 0 && count <= MAX_CONTEXTS)
		return contexts(count);
	if (argc == 3 && !strcmp(cmd, "context-memory") && count > 0 && count <= MAX_CONTEXTS)
		return context_memory(count);
	if (argc >= 3 && argc <= 5 && atol(argv[2]) > 0)
		return run_ops(cmd, atol(argv[2]), argc > 3 ? argv[3] : NULL,
			       argc > 4 ? argv[4] : "");
	fprintf(stderr, "usage: bench MODE ITERATIONS [OPS [SUFFIX]]\n"
			"       bench crowd XID COUNT\n"
			"       bench contexts COUNT\n"
			"       bench context-memory COUNT\n"
			"       bench profile MODE ITERATIONS OP PERIOD_NS -- CMD [ARGS...]\n");
	return 2;
}
