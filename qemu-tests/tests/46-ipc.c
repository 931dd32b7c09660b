// SPDX-License-Identifier: GPL-2.0
/*
 * System V IPC objects belong to their creator's context: a guest reaches
 * only its own context's shared memory, message queues and semaphores (by key
 * or by id: EACCES); the host reaches all of them.
 */
#define _GNU_SOURCE
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "../lib/vs-ktap.h"

#define GUEST_A 4601
#define GUEST_B 4602
#define HOST_KEY 0x76730001
#define A_KEY 0x76730002

static int host_shm, host_msg, host_sem, a_shm;

struct msg {
	long type;
	char text[8];
};

static long shm_attach(int id)
{
	void *p = shmat(id, NULL, 0);

	if (p == (void *)-1)
		return -errno;
	shmdt(p);
	return 0;
}

static void guest_a(void *arg)
{
	struct shmid_ds ds;
	struct msg m = { .type = 1, .text = "x" };
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };

	(void)arg;
	if (vs_migrate(GUEST_A))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST_A);
	vs_expect(VS_ERR(shmget(HOST_KEY, 4096, 0666)), -EACCES, "the host's shm key -> EACCES");
	vs_expect(shm_attach(host_shm), -EACCES, "attaching the host's segment by id -> EACCES");
	vs_expect(VS_ERR(shmctl(host_shm, IPC_STAT, &ds)), -EACCES, "IPC_STAT of it -> EACCES");
	vs_expect(VS_ERR(shmctl(host_shm, IPC_RMID, NULL)), -EACCES, "IPC_RMID of it -> EACCES");
	vs_expect(VS_ERR(msgget(HOST_KEY, 0666)), -EACCES, "the host's message queue key -> EACCES");
	vs_expect(VS_ERR(msgsnd(host_msg, &m, 1, IPC_NOWAIT)), -EACCES,
		  "sending to the host's queue by id -> EACCES");
	vs_expect(VS_ERR(semget(HOST_KEY, 1, 0666)), -EACCES, "the host's semaphore key -> EACCES");
	vs_expect(VS_ERR(semop(host_sem, &op, 1)), -EACCES, "operating the host's semaphore -> EACCES");
	a_shm = shmget(A_KEY, 4096, IPC_CREAT | 0666);
	vs_expect(a_shm >= 0, 1, "guest A creates its own segment");
	vs_expect(VS_RET(shmget(A_KEY, 4096, 0666)), a_shm, "and finds it again by key");
	vs_expect(shm_attach(a_shm), 0, "and attaches it");
	vs_expect(VS_ERR(shmctl(0, IPC_INFO, (struct shmid_ds *)&ds)) >= 0, 1,
		  "system-wide IPC_INFO still works");
}

static void guest_b(void *arg)
{
	int id = *(int *)arg;

	if (vs_migrate(GUEST_B))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST_B);
	vs_expect(VS_ERR(shmget(A_KEY, 4096, 0666)), -EACCES, "guest B cannot use guest A's key");
	vs_expect(shm_attach(id), -EACCES, "nor attach guest A's segment by id");
}

int main(void)
{
	struct vs_context_info info;

	ktap_plan(22);
	vs_expect(vs_create(GUEST_A, VS_CF_PERSISTENT), GUEST_A, "create context %d", GUEST_A);
	vs_expect(vs_create(GUEST_B, 0), GUEST_B, "create context %d", GUEST_B);
	host_shm = shmget(HOST_KEY, 4096, IPC_CREAT | 0666);
	host_msg = msgget(HOST_KEY, IPC_CREAT | 0666);
	host_sem = semget(HOST_KEY, 1, IPC_CREAT | 0666);
	vs_expect(host_shm >= 0 && host_msg >= 0 && host_sem >= 0, 1,
		  "the host creates world-accessible IPC objects");
	vs_ktap_fork(guest_a, NULL, 20000);
	a_shm = shmget(A_KEY, 4096, 0666);
	vs_expect(a_shm >= 0, 1, "the host finds guest A's segment by key");
	vs_expect(shm_attach(a_shm), 0, "and attaches it");
	vs_ktap_fork(guest_b, &a_shm, 20000);
	vs_info(GUEST_A, &info);
	vs_expect(info.hits, 8, "guest A's refusals were counted");
	vs_expect(VS_ERR(shmctl(a_shm, IPC_RMID, NULL)) | VS_ERR(shmctl(host_shm, IPC_RMID, NULL)) |
		  VS_ERR(msgctl(host_msg, IPC_RMID, NULL)) | VS_ERR(semctl(host_sem, 0, IPC_RMID)),
		  0, "the host removes them all");
	vs_wait_tasks(GUEST_A, 0, 2000);
	vs_expect(vs_remove(GUEST_A), 0, "remove context %d", GUEST_A);
	return ktap_finish();
}
