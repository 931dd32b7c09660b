// SPDX-License-Identifier: GPL-2.0
/*
 * SIGIO/SIGURG ownership (fcntl F_SETOWN): a guest that names a task of
 * another context as the owner of its file never signals it; its own tasks
 * still get their SIGIO.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include "../lib/vs.h"

#define GUEST 4701

static volatile sig_atomic_t sigios;

static void on_sigio(int sig)
{
	(void)sig;
	sigios++;
}

/* Makes @owner the SIGIO owner of one end of a socketpair and writes to the other. */
static int poke(pid_t owner)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	if (fcntl(sv[0], F_SETOWN, owner) || fcntl(sv[0], F_SETFL, O_ASYNC)) {
		int e = -errno;

		close(sv[0]);
		close(sv[1]);
		return e;
	}
	if (write(sv[1], "x", 1) != 1)
		return -EIO;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void guest(void *arg)
{
	pid_t host = *(pid_t *)arg;
	int i;

	if (vs_migrate(GUEST))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST);
	vs_expect(poke(host), 0, "a guest may name any pid as F_SETOWN owner");
	vs_expect(poke(getpid()), 0, "and its own");
	for (i = 0; i < 100 && !sigios; i++)
		vs_msleep(10);
	vs_expect(sigios >= 1, 1, "its own task gets its SIGIO");
}

int main(void)
{
	struct vs_context_info info;
	pid_t me = getpid();
	int i;

	ktap_plan(9);
	signal(SIGIO, on_sigio);
	vs_expect(vs_create(GUEST, VS_CF_PERSISTENT), GUEST, "create context %d", GUEST);
	vs_ktap_fork(guest, &me, 20000);
	for (i = 0; i < 20; i++)
		vs_msleep(10);
	vs_expect(sigios, 0, "the host task got no SIGIO from the guest's file");
	vs_info(GUEST, &info);
	vs_expect(info.hits >= 1, 1, "the refusal was counted (%llu)", (unsigned long long)info.hits);
	vs_expect(poke(me), 0, "the host pokes its own file");
	for (i = 0; i < 100 && !sigios; i++)
		vs_msleep(10);
	vs_expect(sigios >= 1, 1, "and gets its SIGIO");
	vs_wait_tasks(GUEST, 0, 2000);
	vs_expect(vs_remove(GUEST), 0, "remove context %d", GUEST);
	return ktap_finish();
}
