// SPDX-License-Identifier: GPL-2.0
/*
 * SIGIO/SIGURG ownership (fcntl F_SETOWN): a guest that names a task of
 * another context as the owner of its file never signals it; its own tasks
 * still get their SIGIO.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include "../lib/harness.h"

#define GUEST		4701
#define OTHER_GUEST	4702

static volatile sig_atomic_t sigios;

static void on_sigio(int sig)
{
	(void)sig;
	sigios++;
}

/* Makes @owner (a pid, or -pgid) the SIGIO owner of one end of a socketpair and writes to the other. */
static int poke(pid_t owner)
{
	int sv[2], e = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	if (fcntl(sv[0], F_SETOWN, owner) || fcntl(sv[0], F_SETFL, O_ASYNC))
		e = -errno;
	else if (write(sv[1], "x", 1) != 1)
		e = -EIO;
	close(sv[0]);
	close(sv[1]);
	return e;
}

/* Waits (bounded) for the first SIGIO; returns how many arrived. */
static int sigios_after_wait(int ms)
{
	int i;

	for (i = 0; i < ms / 10 && !sigios; i++)
		vs_msleep(10);
	return sigios;
}

FIXTURE(sigio) {
	struct vs_sleeper other;	/* a task of another guest */
};

FIXTURE_SETUP(sigio)
{
	ASSERT_EQ(GUEST, vs_h_create(GUEST, VS_CF_PERSISTENT));
	ASSERT_EQ(OTHER_GUEST, vs_h_create(OTHER_GUEST, VS_CF_PERSISTENT));
	/* Started before the handler is set: a SIGIO would kill it. */
	ASSERT_EQ(0, vs_sleeper_start(&self->other, OTHER_GUEST, 0, VS_F_PGRP));
	sigios = 0;
	signal(SIGIO, on_sigio);
}

FIXTURE_TEARDOWN(sigio)
{
	vs_sleeper_stop(&self->other, 2000);
	vs_h_destroy_all();
}

struct owner {
	pid_t pid;
};

/* In GUEST: names @arg's pid as the owner; F_SETOWN itself succeeds. */
static void guest_pokes(struct __test_metadata *_metadata, void *arg)
{
	EXPECT_EQ(0, poke(((struct owner *)arg)->pid));
}

/* In GUEST: names its own task as the owner. */
static void guest_names_itself(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, poke(getpid()));
}

/* In GUEST: its own SIGIO arrives. */
static void guest_pokes_itself(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	sigios = 0;
	EXPECT_EQ(0, poke(getpid()));
	EXPECT_LE(1, sigios_after_wait(1000));
}

TEST_F_TIMEOUT(sigio, guest_may_name_a_host_task_as_owner, VS_H_TIMEOUT)
{
	struct owner host = { getpid() };

	vs_h_run(GUEST, 0, guest_pokes, &host, 20000);
}

TEST_F_TIMEOUT(sigio, guest_cannot_signal_the_host, VS_H_TIMEOUT)
{
	struct owner host = { getpid() };

	vs_h_run(GUEST, 0, guest_pokes, &host, 20000);
	vs_msleep(200);
	EXPECT_EQ(0, sigios) {
		TH_LOG("the host task got a SIGIO from the guest's file");
	}
}

TEST_F_TIMEOUT(sigio, the_refusal_is_counted, VS_H_TIMEOUT)
{
	struct owner host = { getpid() };
	struct vs_context_info info;

	vs_h_run(GUEST, 0, guest_pokes, &host, 20000);
	ASSERT_EQ(0, vs_info(GUEST, &info));
	EXPECT_LE(1ULL, info.hits);
}

TEST_F_TIMEOUT(sigio, guest_cannot_signal_the_hosts_process_group, VS_H_TIMEOUT)
{
	struct owner group = { -getpgrp() };

	vs_h_run(GUEST, 0, guest_pokes, &group, 20000);
	vs_msleep(200);
	EXPECT_EQ(0, sigios);
}

TEST_F_TIMEOUT(sigio, guest_cannot_signal_another_guest, VS_H_TIMEOUT)
{
	struct owner other = { self->other.pid };
	struct vs_context_info info;

	vs_h_run(GUEST, 0, guest_pokes, &other, 20000);
	vs_msleep(200);
	/* The other guest's sleeper keeps SIGIO's default action: it would have died. */
	EXPECT_EQ(0, waitpid(self->other.pid, NULL, WNOHANG));
	ASSERT_EQ(0, vs_info(GUEST, &info));
	EXPECT_LE(1ULL, info.hits);
}

TEST_F_TIMEOUT(sigio, guest_may_name_its_own_task, VS_H_TIMEOUT)
{
	vs_h_run(GUEST, 0, guest_names_itself, NULL, 20000);
}

TEST_F_TIMEOUT(sigio, guest_signals_its_own_task, VS_H_TIMEOUT)
{
	vs_h_run(GUEST, 0, guest_pokes_itself, NULL, 20000);
}

TEST_F_TIMEOUT(sigio, host_signals_its_own_task, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, poke(getpid()));
	EXPECT_LE(1, sigios_after_wait(1000));
}

TEST_F_TIMEOUT(sigio, guest_context_is_removed_once_empty, VS_H_TIMEOUT)
{
	struct owner host = { getpid() };

	vs_h_run(GUEST, 0, guest_pokes, &host, 20000);
	EXPECT_EQ(1, vs_wait_tasks(GUEST, 0, 2000));
	EXPECT_EQ(0, vs_remove(GUEST));
	EXPECT_EQ(1, vs_wait_gone(GUEST, 2000));
	vs_h_forget(GUEST);
}

TEST_HARNESS_MAIN
