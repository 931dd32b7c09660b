/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the in-guest C tests that drive /dev/vserver directly: ioctl
 * wrappers returning 0 (or a value) / -errno, bounded waits, sleepers parked
 * in a context and children spawned into a context. They report nothing
 * themselves (vs_diag() prints a diagnostic line); tests check their results
 * with the harness's EXPECT_*() (harness.h).
 *
 * Conventions: every wrapper returns a negative errno on failure, so a check
 * compares one number against one expected number.
 */
#ifndef VS_TEST_VS_H
#define VS_TEST_VS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/vserver.h>


/* Turns "-1 and errno" into -errno, anything else into 0 (success). */
#define VS_ERR(expr)								\
	({									\
		long __vr;							\
		errno = 0;							\
		__vr = (long)(expr);						\
		(__vr == -1 && errno) ? -(long)errno : 0L;			\
	})

/* Like VS_ERR() but keeps the (non-negative) result on success. */
#define VS_RET(expr)								\
	({									\
		long __vr;							\
		errno = 0;							\
		__vr = (long)(expr);						\
		(__vr == -1 && errno) ? -(long)errno : __vr;			\
	})

static inline const char *vs_errname(long r)
{
	static char buf[64];

	if (r >= 0) {
		snprintf(buf, sizeof(buf), "%ld", r);
		return buf;
	}
	snprintf(buf, sizeof(buf), "-%s (%ld)", strerror((int)-r), r);
	return buf;
}

/* A diagnostic line ("# ..."), as the harness's TH_LOG() prints them. */
static inline void __attribute__((format(printf, 1, 2))) vs_diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static inline void vs_msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline unsigned long long vs_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* ---- the device ------------------------------------------------------ */

static int vs_fd = -1;

static inline int vs_open(void)
{
	if (vs_fd < 0)
		vs_fd = open(VS_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	return vs_fd < 0 ? -errno : vs_fd;
}

static inline int vs_ioctl(unsigned long cmd, void *arg)
{
	if (vs_fd < 0 && vs_open() < 0)
		return -errno;
	return ioctl(vs_fd, cmd, arg) < 0 ? -errno : 0;
}

/* Creates a context; returns its xid or -errno. */
static inline long vs_create(__u32 xid, __u64 flags)
{
	struct vs_context_create c = { .xid = xid, .reserved = 0, .flags = flags };
	int r = vs_ioctl(VS_IOC_CREATE, &c);

	return r ? r : (long)c.xid;
}

static inline int vs_ctx_ioctl(unsigned long cmd, __u32 xid)
{
	struct vs_context_id id = { .xid = xid, .reserved = 0 };

	return vs_ioctl(cmd, &id);
}

static inline int vs_migrate(__u32 xid)
{
	return vs_ctx_ioctl(VS_IOC_MIGRATE, xid);
}

static inline int vs_end_setup(__u32 xid)
{
	return vs_ctx_ioctl(VS_IOC_END_SETUP, xid);
}

static inline int vs_remove(__u32 xid)
{
	return vs_ctx_ioctl(VS_IOC_REMOVE, xid);
}

/* Creates a network context; returns its nid or -errno. */
static inline long vs_net_create(__u32 nid, __u64 flags)
{
	struct vs_net_create c = { .nid = nid, .flags = flags };
	int r = vs_ioctl(VS_IOC_NET_CREATE, &c);

	return r ? r : (long)c.nid;
}

static inline int vs_net_remove(__u32 nid)
{
	return vs_ctx_ioctl(VS_IOC_NET_REMOVE, nid);
}

static inline int vs_info(__u32 xid, struct vs_context_info *info)
{
	int r;

	memset(info, 0, sizeof(*info));
	info->xid = xid;
	r = vs_ioctl(VS_IOC_GET_INFO, info);
	if (r)	/* poison, so checks of the fields fail too */
		memset(info, 0xa5, sizeof(*info));
	return r;
}

/* SET_LIMIT: counter @res of @xid gets @soft and @hard; 0 or -errno. */
static inline int vs_set_limit(__u32 xid, __u32 res, __u64 soft, __u64 hard)
{
	struct vs_limit l = { .xid = xid, .resource = res, .soft = soft, .hard = hard };

	return vs_ioctl(VS_IOC_SET_LIMIT, &l);
}

/*
 * GET_LIMITS of @xid (VS_XID_SELF: the caller's), all VS_LIMIT_COUNT entries;
 * 0 or -errno (then @st is poisoned; -EPROTO: the answer's count or total is
 * not VS_LIMIT_COUNT).
 */
static inline int vs_limit_stats(__u32 xid, struct vs_limit_stat *st)
{
	struct vs_limit_stats s = { .xid = xid, .count = VS_LIMIT_COUNT,
				    .stats = (__u64)(uintptr_t)st };
	int r;

	memset(st, 0, sizeof(*st) * VS_LIMIT_COUNT);
	r = vs_ioctl(VS_IOC_GET_LIMITS, &s);
	if (!r && (s.count != VS_LIMIT_COUNT || s.total != VS_LIMIT_COUNT))
		r = -EPROTO;
	if (r)
		memset(st, 0xa5, sizeof(*st) * VS_LIMIT_COUNT);
	return r;
}

static inline int vs_set_flags(__u32 xid, __u64 set, __u64 clear)
{
	struct vs_context_flags f = { .xid = xid, .reserved = 0, .set = set, .clear = clear };

	return vs_ioctl(VS_IOC_SET_FLAGS, &f);
}

static inline int vs_kill(__u32 xid, int sig)
{
	struct vs_context_kill k = { .xid = xid, .sig = sig };

	return vs_ioctl(VS_IOC_KILL, &k);
}

/* Returns the context of @pid (0: the caller) or -errno. */
static inline long vs_get_xid(pid_t pid)
{
	struct vs_xid_query q = { .pid = pid, .xid = 0xdeadbeef };
	int r = vs_ioctl(VS_IOC_GET_XID, &q);

	return r ? r : (long)q.xid;
}

/* Lists into @xids (room for @room); returns entries written or -errno; sets *@total. */
static inline long vs_list(__u32 *xids, __u32 room, __u32 *total)
{
	struct vs_context_list l = { .count = room, .total = 0xdeadbeef,
				     .xids = (__u64)(uintptr_t)xids };
	int r = vs_ioctl(VS_IOC_LIST, &l);

	if (total)
		*total = l.total;
	return r ? r : (long)l.count;
}

/* How many contexts the caller can see, or -errno. */
static inline long vs_list_total(void)
{
	__u32 one[1], total = 0;
	long r = vs_list(one, 0, &total);

	if (r == -E2BIG || r == 0)
		return total;
	return r;
}

/* ---- bounded waits ----------------------------------------------------- */

static inline void vs_timer_handler(int sig)
{
	(void)sig;
}

/*
 * Arms SIGALRM (no SA_RESTART) to fire after @ms and every 50 ms after that,
 * so a blocking call started a little late is still interrupted.
 */
static inline void vs_timer_arm(int ms)
{
	struct sigaction sa;
	struct itimerval it = {
		.it_interval = { 0, 50000 },
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vs_timer_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static inline void vs_timer_disarm(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/* VS_IOC_WAIT bounded by @timeout_ms (then -EINTR); stores the reason. */
static inline int vs_wait(__u32 xid, __u32 *reason, int timeout_ms)
{
	struct vs_context_wait w = { .xid = xid, .reason = 0xdeadbeef };
	int r;

	if (vs_fd < 0 && vs_open() < 0)
		return -errno;
	vs_timer_arm(timeout_ms);
	r = ioctl(vs_fd, VS_IOC_WAIT, &w) < 0 ? -errno : 0;
	vs_timer_disarm();
	if (reason)
		*reason = w.reason;
	return r;
}

/* Polls GET_INFO every 10 ms until the context is gone (ESRCH); 1 if it went. */
static inline int vs_wait_gone(__u32 xid, int timeout_ms)
{
	struct vs_context_info info;
	int waited;

	for (waited = 0; ; waited += 10) {
		if (vs_info(xid, &info) == -ESRCH)
			return 1;
		if (waited >= timeout_ms)
			return 0;
		vs_msleep(10);
	}
}

/* Polls GET_INFO every 10 ms until the context has @tasks tasks; 1 if so. */
static inline int vs_wait_tasks(__u32 xid, __u32 tasks, int timeout_ms)
{
	struct vs_context_info info;
	int waited;

	for (waited = 0; ; waited += 10) {
		if (vs_info(xid, &info) == 0 && info.tasks == tasks)
			return 1;
		if (waited >= timeout_ms)
			return 0;
		vs_msleep(10);
	}
}

/* Polls until LIST's total is @total; returns the last total seen. */
static inline long vs_wait_list_total(long total, int timeout_ms)
{
	long t;
	int waited;

	for (waited = 0; ; waited += 10) {
		t = vs_list_total();
		if (t == total || waited >= timeout_ms)
			return t;
		vs_msleep(10);
	}
}

/* waitpid() bounded by @timeout_ms; SIGKILLs and reaps on timeout (returns -ETIMEDOUT). */
static inline int vs_waitpid(pid_t pid, int *status, int timeout_ms)
{
	int waited, st = 0;
	pid_t r;

	for (waited = 0; ; waited += 5) {
		r = waitpid(pid, &st, WNOHANG | __WALL);
		if (r == pid) {
			if (status)
				*status = st;
			return 0;
		}
		if (r < 0)
			return -errno;
		if (waited >= timeout_ms)
			break;
		vs_msleep(5);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, __WALL);
	if (status)
		*status = st;
	return -ETIMEDOUT;
}

/* Exit code of a child (bounded), 128+sig if killed, -errno on wait failure. */
static inline int vs_child_status(pid_t pid, int timeout_ms)
{
	int st, r = vs_waitpid(pid, &st, timeout_ms);

	if (r)
		return r;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -EINVAL;
}

/* Reaps every child (incl. orphans adopted as subreaper) for up to @timeout_ms. */
static inline int vs_reap_all(int timeout_ms)
{
	int waited, n = 0;
	pid_t r;

	for (waited = 0; waited <= timeout_ms; ) {
		r = waitpid(-1, NULL, WNOHANG | __WALL);
		if (r > 0) {
			n++;
			continue;
		}
		if (r < 0)
			return n;	/* ECHILD: none left */
		vs_msleep(10);
		waited += 10;
	}
	return n;
}

/* Makes the caller adopt its orphaned descendants, so vs_reap_all() sees them. */
static inline void vs_become_subreaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* ---- forking ------------------------------------------------------------ */

/*
 * Write ends the helpers keep private: a forked child closes them, so closing
 * them in the owner always delivers EOF to the one they were made for.
 */
#define VS_MAX_PRIVATE 128
static int vs_private_fds[VS_MAX_PRIVATE];
static int vs_nprivate;

static inline void vs_private_add(int fd)
{
	if (vs_nprivate < VS_MAX_PRIVATE)
		vs_private_fds[vs_nprivate++] = fd;
}

static inline void vs_private_close(int fd)
{
	int i;

	for (i = 0; i < vs_nprivate; i++) {
		if (vs_private_fds[i] == fd) {
			vs_private_fds[i] = vs_private_fds[--vs_nprivate];
			break;
		}
	}
	close(fd);
}

/* fork() that flushes stdio first and drops the parent's private fds in the child. */
static inline pid_t vs_fork(void)
{
	pid_t pid;
	int i;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < vs_nprivate; i++)
			close(vs_private_fds[i]);
		vs_nprivate = 0;
	}
	return pid;
}

/* Exit codes of vs_spawn_in_context() children that could not get going. */
#define VS_SPAWN_MIGRATE_FAILED	120
#define VS_SPAWN_SETUP_FAILED	121

/* vs_spawn_in_context() / vs_sleeper_start() flags */
#define VS_F_END_SETUP		(1u << 0)	/* VS_IOC_END_SETUP after migrating */
#define VS_F_STAY		(1u << 1)	/* do not migrate: stay where the parent is */
#define VS_F_PGRP		(1u << 2)	/* setpgid(0, 0) first */

/*
 * Forks a child that migrates itself into @xid (and ends its setup with
 * VS_F_END_SETUP), then runs @fn and exits with its return. Returns the pid.
 */
static inline pid_t vs_spawn_in_context(__u32 xid, unsigned int flags,
					int (*fn)(void *), void *arg)
{
	pid_t pid = vs_fork();

	if (pid != 0)
		return pid;
	if (flags & VS_F_PGRP)
		setpgid(0, 0);
	if (!(flags & VS_F_STAY) && vs_migrate(xid))
		_exit(VS_SPAWN_MIGRATE_FAILED);
	if ((flags & VS_F_END_SETUP) && vs_end_setup(xid))
		_exit(VS_SPAWN_SETUP_FAILED);
	fflush(stdout);
	_exit(fn(arg) & 0xff);
}

/* vs_spawn_in_context() and its exit code (bounded by @timeout_ms). */
static inline int vs_run_in_context(__u32 xid, unsigned int flags, int (*fn)(void *),
				    void *arg, int timeout_ms)
{
	pid_t pid = vs_spawn_in_context(xid, flags, fn, arg);

	if (pid < 0)
		return -errno;
	return vs_child_status(pid, timeout_ms);
}

/*
 * Forks a host "nanny" that forks a child into @xid (as vs_spawn_in_context)
 * and reaps it and every orphan of it, then exits with the child's exit code
 * (128+sig if killed). The caller can thus block in VS_IOC_WAIT while
 * somebody else reaps the context's tasks. Returns the nanny's pid once the
 * child is in the context, or -errno (-EIO: the child could not migrate).
 */
static inline pid_t vs_nanny_spawn(__u32 xid, unsigned int flags, int (*fn)(void *), void *arg)
{
	int ready[2], st, code = 0;
	pid_t nanny, child, r;
	char c = 0;

	if (pipe(ready))
		return -errno;
	nanny = vs_fork();
	if (nanny == 0) {
		close(ready[0]);
		vs_become_subreaper();
		child = vs_fork();
		if (child == 0) {
			if (!(flags & VS_F_STAY) && vs_migrate(xid))
				_exit(VS_SPAWN_MIGRATE_FAILED);
			if ((flags & VS_F_END_SETUP) && vs_end_setup(xid))
				_exit(VS_SPAWN_SETUP_FAILED);
			c = 1;
			if (write(ready[1], &c, 1) != 1)
				_exit(3);
			close(ready[1]);
			fflush(stdout);
			_exit(fn(arg) & 0xff);
		}
		close(ready[1]);
		if (child < 0)
			_exit(2);
		for (;;) {
			r = waitpid(-1, &st, __WALL);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			if (r == child)
				code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		_exit(code);
	}
	close(ready[1]);
	if (nanny < 0) {
		close(ready[0]);
		return -errno;
	}
	if (read(ready[0], &c, 1) != 1 || c != 1) {
		close(ready[0]);
		vs_waitpid(nanny, NULL, 2000);
		return -EIO;
	}
	close(ready[0]);
	return nanny;
}

/* ---- sleepers ------------------------------------------------------------ */

#define VS_SLEEPER_MAX_KIDS 8

/*
 * A process parked in a context until its release pipe is closed.
 * @urg (see vs_sleeper_start_urg()), if not NULL, points to (shared) memory
 * the sleeper's SIGURG handler increments.
 */
struct vs_sleeper {
	pid_t pid;
	int release;		/* write end; -1 once released */
	int nkids;
	pid_t kids[VS_SLEEPER_MAX_KIDS];
	volatile int *urg;
};

static volatile int *vs_urg_slot;

static inline void vs_urg_handler(int sig)
{
	(void)sig;
	if (vs_urg_slot)
		__atomic_add_fetch(vs_urg_slot, 1, __ATOMIC_SEQ_CST);
}

static inline void vs_sleeper_block(int fd)
{
	ssize_t n;
	char c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == 0 || (n < 0 && errno != EINTR))
			return;
	}
}

/*
 * Forks a sleeper: it migrates into @xid (unless VS_F_STAY), forks @nkids
 * children that sleep with it, and reports ready; with @urg it counts the
 * SIGURGs it gets there. Returns 0, or -errno of
 * the failed migrate (the sleeper is then gone and reaped).
 */
static inline int vs_sleeper_start_urg(struct vs_sleeper *s, __u32 xid, int nkids,
				       unsigned int flags, volatile int *urg)
{
	int ready[2], rel[2], err = 0, i;
	pid_t pid;

	s->urg = urg;
	s->pid = -1;
	s->release = -1;
	s->nkids = 0;
	if (nkids > VS_SLEEPER_MAX_KIDS)
		nkids = VS_SLEEPER_MAX_KIDS;
	if (pipe(ready))
		return -errno;
	if (pipe(rel)) {
		err = -errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	vs_private_add(rel[1]);
	pid = vs_fork();
	if (pid == 0) {
		pid_t kids[VS_SLEEPER_MAX_KIDS];

		close(ready[0]);
		close(rel[1]);
		if (flags & VS_F_PGRP)
			setpgid(0, 0);
		if (s->urg) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			vs_urg_slot = s->urg;
			sa.sa_handler = vs_urg_handler;
			sa.sa_flags = SA_RESTART;
			sigaction(SIGURG, &sa, NULL);
		}
		if (!(flags & VS_F_STAY))
			err = -vs_migrate(xid);
		if (!err && (flags & VS_F_END_SETUP))
			err = -vs_end_setup(xid);
		for (i = 0; !err && i < nkids; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				close(ready[1]);
				vs_sleeper_block(rel[0]);
				_exit(0);
			}
			if (kids[i] < 0)
				err = errno;
		}
		if (write(ready[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(3);
		if (err)
			_exit(1);
		if (nkids && write(ready[1], kids, sizeof(pid_t) * nkids) !=
		    (ssize_t)(sizeof(pid_t) * nkids))
			_exit(3);
		close(ready[1]);
		vs_sleeper_block(rel[0]);
		for (i = 0; i < nkids; i++)
			waitpid(kids[i], NULL, 0);
		_exit(0);
	}
	close(ready[1]);
	close(rel[0]);
	if (pid < 0) {
		err = -errno;
		vs_private_close(rel[1]);
		close(ready[0]);
		return err;
	}
	s->pid = pid;
	s->release = rel[1];
	if (read(ready[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		err = EPIPE;
	else if (!err && nkids &&
		 read(ready[0], s->kids, sizeof(pid_t) * nkids) != (ssize_t)(sizeof(pid_t) * nkids))
		err = EPIPE;
	close(ready[0]);
	if (err) {
		vs_private_close(s->release);
		s->release = -1;
		vs_waitpid(pid, NULL, 2000);
		s->pid = -1;
		return -err;
	}
	s->nkids = nkids;
	return 0;
}

/* vs_sleeper_start_urg() without a SIGURG counter. */
static inline int vs_sleeper_start(struct vs_sleeper *s, __u32 xid, int nkids, unsigned int flags)
{
	return vs_sleeper_start_urg(s, xid, nkids, flags, NULL);
}

/* Lets the sleeper (and its kids) exit; does not wait. */
static inline void vs_sleeper_release(struct vs_sleeper *s)
{
	if (s->release >= 0)
		vs_private_close(s->release);
	s->release = -1;
}

/* Releases the sleeper and reaps it (it must be the caller's child). */
static inline int vs_sleeper_stop(struct vs_sleeper *s, int timeout_ms)
{
	int r = -ECHILD;

	vs_sleeper_release(s);
	if (s->pid > 0)
		r = vs_waitpid(s->pid, NULL, timeout_ms);
	s->pid = -1;
	return r;
}

/* ---- looking at other tasks ---------------------------------------------- */

/* Did readdir(/proc) list @pid? */
static inline int vs_proc_lists(pid_t pid)
{
	char want[16];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int found = 0;

	if (!dir)
		return -errno;
	snprintf(want, sizeof(want), "%d", pid);
	while ((d = readdir(dir)))
		if (!strcmp(d->d_name, want))
			found = 1;
	closedir(dir);
	return found;
}

/* Waits (bounded) for a traced @pid to stop; returns the stop signal or -errno. */
static inline int vs_wait_stop(pid_t pid)
{
	int st, i;
	pid_t r;

	for (i = 0; i < 400; i++) {
		r = waitpid(pid, &st, WNOHANG | __WALL);
		if (r == pid && WIFSTOPPED(st))
			return WSTOPSIG(st);
		if (r < 0)
			return -errno;
		vs_msleep(5);
	}
	return -ETIMEDOUT;
}

/* ptrace(@req) on @pid; if it succeeded, stops and detaches again. */
static inline long vs_ptrace_try(enum __ptrace_request req, pid_t pid)
{
	long r = VS_ERR(ptrace(req, pid, 0, 0));
	int sig;

	if (r)
		return r;
	if (req == PTRACE_SEIZE)
		ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	sig = vs_wait_stop(pid);
	if (ptrace(PTRACE_DETACH, pid, 0, (sig > 0 && sig != SIGSTOP) ? sig : 0))
		vs_diag("PTRACE_DETACH %d: %s (stop %d)", pid, strerror(errno), sig);
	kill(pid, SIGCONT);
	return 0;
}

/* stat (how 0), open (1) or access (2) /proc/<pid><rest>: 0 or -errno. */
static inline long vs_proc_path_err(pid_t pid, const char *rest, int how)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d%s", pid, rest);
	switch (how) {
	case 0:
		return VS_ERR(stat(path, &st));
	case 1:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		close(fd);
		return 0;
	default:
		return VS_ERR(access(path, F_OK));
	}
}

/* ---- cleanup ----------------------------------------------------------- */

/*
 * Best effort (not a case): SIGKILLs a context's tasks, reaps whatever of
 * the caller's children ends meanwhile (a zombie may still count as a task)
 * and removes the context. Returns 1 if the context is gone.
 */
static inline int vs_destroy(__u32 xid)
{
	struct vs_context_info info;
	int waited;

	if (vs_info(xid, &info) == -ESRCH)
		return 1;
	vs_kill(xid, SIGKILL);
	for (waited = 0; waited < 3000; waited += 10) {
		while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
			;
		if (vs_info(xid, &info) == -ESRCH)
			return 1;
		if (info.tasks == 0)
			break;
		vs_msleep(10);
	}
	vs_set_flags(xid, 0, VS_CF_PERSISTENT);
	vs_remove(xid);
	return vs_wait_gone(xid, 2000);
}

/* Drops @cap from the caller's effective, permitted and inheritable sets. */
static inline int vs_drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	d[cap / 32].permitted &= ~(1u << (cap % 32));
	d[cap / 32].inheritable &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

#endif /* VS_TEST_VS_H */
