/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An agent: a child process that enters a context and then does, one at a
 * time, what the test asks of it over a pipe, answering each request over
 * another. The test decides what the requests mean (struct agent_ops); this
 * file carries them. A request's op is AGENT_OP_EXIT or a value of the
 * test's own, from AGENT_OP_FIRST on.
 *
 * Like vs.h, it reports nothing (vs_diag() says why an exchange failed):
 * tests check the answers with the harness's EXPECT_*(), agent_ret() turning
 * an answer into one number, and leave an agent to their teardown with
 * agent_kill() whatever happened.
 */
#ifndef VS_TEST_AGENT_H
#define VS_TEST_AGENT_H

#include <poll.h>

#include "vs.h"

#define AGENT_TIMEOUT_MS 30000
/* How long an agent waits for its next request before it gives up. */
#define AGENT_IDLE_MS 600000

#define AGENT_OP_EXIT	1
#define AGENT_OP_FIRST	2

struct agent_msg {
	__s32 op;
	__s32 res;
	__u64 a, b;
};

/* val: a value, or -1 on failure; err: the errno of the (first) failure, 0 if none. */
struct agent_ans {
	__s64 val;
	__s64 err;
	__u64 a, b;
};

struct agent {
	pid_t pid;
	int cmd;	/* write end */
	int reply;	/* read end */
};

/* What the agent does, in the agent process. */
struct agent_ops {
	/* Before entering the context (may be NULL): 0 or an errno. */
	int (*setup)(void);
	/* One request. */
	struct agent_ans (*handle)(const struct agent_msg *m);
	/* Before exiting (may be NULL): let go of what requests left behind. */
	void (*release)(void);
};

static inline int write_full(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -EPIPE;
}

/* Reads exactly @len bytes within @timeout_ms; 0, -ETIMEDOUT or -EPIPE. */
static inline int read_timeout(int fd, void *buf, size_t len, int timeout_ms)
{
	unsigned long long deadline = vs_now_ns(CLOCK_MONOTONIC) +
				      (unsigned long long)timeout_ms * 1000000ULL;
	size_t got = 0;
	struct pollfd p;
	unsigned long long now;
	ssize_t n;
	int r;

	while (got < len) {
		now = vs_now_ns(CLOCK_MONOTONIC);
		if (now >= deadline)
			return -ETIMEDOUT;
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		r = poll(&p, 1, (int)((deadline - now) / 1000000ULL) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r ? -errno : -ETIMEDOUT;
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		got += (size_t)n;
	}
	return 0;
}

/* The agent process: enter @xid, say so, serve requests until AGENT_OP_EXIT. */
static inline void agent_main(int cmd, int reply, __u32 xid, const struct agent_ops *ops)
{
	struct agent_ans a = { 0, 0, 0, 0 };
	struct agent_msg m;

	if (ops->setup)
		a.err = ops->setup();
	if (!a.err)
		a.err = -vs_migrate(xid);
	if (a.err)
		a.val = -1;
	if (write_full(reply, &a, sizeof(a)) || a.err)
		_exit(1);
	for (;;) {
		if (read_timeout(cmd, &m, sizeof(m), AGENT_IDLE_MS) || m.op == AGENT_OP_EXIT)
			break;
		a = ops->handle(&m);
		if (write_full(reply, &a, sizeof(a)))
			break;
	}
	if (ops->release)
		ops->release();
	memset(&a, 0, sizeof(a));
	write_full(reply, &a, sizeof(a));
	_exit(0);
}

/* Starts an agent in @xid; 0 once it is there, or -errno (its setup's or MIGRATE's). */
static inline int agent_start(struct agent *ag, __u32 xid, const struct agent_ops *ops)
{
	struct agent_ans a;
	int cmd[2], rep[2], r;

	ag->pid = -1;
	ag->cmd = ag->reply = -1;
	if (pipe2(cmd, O_CLOEXEC))
		return -errno;
	if (pipe2(rep, O_CLOEXEC)) {
		r = -errno;
		close(cmd[0]);
		close(cmd[1]);
		return r;
	}
	vs_private_add(cmd[1]);
	vs_private_add(rep[0]);
	ag->pid = vs_fork();
	if (ag->pid == 0)
		agent_main(cmd[0], rep[1], xid, ops);
	r = ag->pid < 0 ? -errno : 0;
	close(cmd[0]);
	close(rep[1]);
	ag->cmd = cmd[1];
	ag->reply = rep[0];
	if (!r)
		r = read_timeout(ag->reply, &a, sizeof(a), AGENT_TIMEOUT_MS);
	if (!r && a.err)
		r = -(int)a.err;
	if (r) {
		vs_private_close(ag->cmd);
		vs_private_close(ag->reply);
		if (ag->pid > 0)
			vs_waitpid(ag->pid, NULL, 5000);
		ag->pid = -1;
	}
	return r;
}

/* One request; a failed exchange answers val -1 with its errno. */
static inline struct agent_ans agent_call(struct agent *ag, int op, int res, __u64 x, __u64 y)
{
	struct agent_msg m = { .op = op, .res = res, .a = x, .b = y };
	struct agent_ans a = { -1, EPIPE, 0, 0 };
	int r;

	if (ag->pid <= 0)
		return a;
	if (write_full(ag->cmd, &m, sizeof(m)))
		return a;
	r = read_timeout(ag->reply, &a, sizeof(a), AGENT_TIMEOUT_MS);
	if (r) {
		vs_diag("agent %d: no answer to op %d: %s", ag->pid, op, strerror(-r));
		a.val = -1;
		a.err = -r;
		a.a = a.b = 0;
	}
	return a;
}

/* Asks the agent to let go of what it holds and exit; its exit code, or -errno. */
static inline int agent_stop(struct agent *ag)
{
	struct agent_msg m = { .op = AGENT_OP_EXIT };
	struct agent_ans a;
	int st;

	if (ag->pid <= 0)
		return -ESRCH;
	if (!write_full(ag->cmd, &m, sizeof(m)))
		read_timeout(ag->reply, &a, sizeof(a), AGENT_TIMEOUT_MS);
	vs_private_close(ag->cmd);
	vs_private_close(ag->reply);
	st = vs_child_status(ag->pid, AGENT_TIMEOUT_MS);
	ag->pid = -1;
	return st;
}

/*
 * Kills the agent if it is still there and reaps it (bounded): for a
 * teardown, where the test may have stopped half-way.
 */
static inline void agent_kill(struct agent *ag)
{
	if (ag->pid <= 0)
		return;
	kill(ag->pid, SIGKILL);
	vs_waitpid(ag->pid, NULL, 5000);
	vs_private_close(ag->cmd);
	vs_private_close(ag->reply);
	ag->pid = -1;
}

/* An answer as one number for a check: its value, or -errno if it failed. */
static inline long long agent_ret(struct agent_ans a)
{
	if (a.val < 0 || a.err)
		return a.err ? -a.err : -EIO;
	return a.val;
}

/* An answer as text, for diagnostics (four buffers in turn). */
static inline const char *ans_str(struct agent_ans a)
{
	static char buf[4][96];
	static int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]), "val %lld, errno %lld (%s), a %llu, b %llu",
		 (long long)a.val, (long long)a.err, strerror((int)a.err),
		 (unsigned long long)a.a, (unsigned long long)a.b);
	return b;
}

#endif /* VS_TEST_AGENT_H */
