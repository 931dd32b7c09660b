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

#include "../lib/harness.h"

#define GUEST_A 4601
#define GUEST_B 4602
#define HOST_KEY 0x76730001
#define A_KEY 0x76730002

struct msg {
	long type;
	char text[8];
};

/* The host's world-accessible objects, made by the setup. */
struct host_ipc {
	int shm, msg, sem;
};

static long shm_attach(int id)
{
	void *p = shmat(id, NULL, 0);

	if (p == (void *)-1)
		return -errno;
	shmdt(p);
	return 0;
}

/*
 * Creates GUEST_A (persistent), GUEST_B (not) and the host's objects; an
 * object left by an earlier test that died is removed first.
 */
static void make_contexts_and_objects(struct __test_metadata *_metadata, struct host_ipc *host)
{
	int id;

	ASSERT_EQ(GUEST_A, vs_h_create(GUEST_A, VS_CF_PERSISTENT));
	ASSERT_EQ(GUEST_B, vs_h_create(GUEST_B, 0));
	id = shmget(A_KEY, 0, 0);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	host->shm = shmget(HOST_KEY, 4096, IPC_CREAT | 0666);
	host->msg = msgget(HOST_KEY, IPC_CREAT | 0666);
	host->sem = semget(HOST_KEY, 1, IPC_CREAT | 0666);
	ASSERT_LE(0, host->shm);
	ASSERT_LE(0, host->msg);
	ASSERT_LE(0, host->sem);
}

/* Removes whatever of the objects a test left, then the contexts. */
static void remove_objects_and_contexts(struct __test_metadata *_metadata, struct host_ipc *host)
{
	int id = shmget(A_KEY, 0, 0);

	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	if (host->shm >= 0)
		shmctl(host->shm, IPC_RMID, NULL);
	if (host->msg >= 0)
		msgctl(host->msg, IPC_RMID, NULL);
	if (host->sem >= 0)
		semctl(host->sem, 0, IPC_RMID);
	vs_h_destroy_all();
}

/* ---- a guest reaching the host's objects ----------------------------------- */

FIXTURE(host_object) {
	struct host_ipc host;
};

/* Each variant: one way for a guest to reach a host object; it gets EACCES. */
FIXTURE_VARIANT(host_object) {
	long (*attempt)(const struct host_ipc *host);
};

FIXTURE_SETUP(host_object)
{
	self->host.shm = self->host.msg = self->host.sem = -1;
	make_contexts_and_objects(_metadata, &self->host);
}

FIXTURE_TEARDOWN(host_object)
{
	remove_objects_and_contexts(_metadata, &self->host);
}

static long shm_by_key(const struct host_ipc *host)
{
	(void)host;
	return VS_ERR(shmget(HOST_KEY, 4096, 0666));
}

static long shm_attach_by_id(const struct host_ipc *host)
{
	return shm_attach(host->shm);
}

static long shm_stat_by_id(const struct host_ipc *host)
{
	struct shmid_ds ds;

	return VS_ERR(shmctl(host->shm, IPC_STAT, &ds));
}

static long shm_remove_by_id(const struct host_ipc *host)
{
	return VS_ERR(shmctl(host->shm, IPC_RMID, NULL));
}

static long msg_by_key(const struct host_ipc *host)
{
	(void)host;
	return VS_ERR(msgget(HOST_KEY, 0666));
}

static long msg_send_by_id(const struct host_ipc *host)
{
	struct msg m = { .type = 1, .text = "x" };

	return VS_ERR(msgsnd(host->msg, &m, 1, IPC_NOWAIT));
}

static long sem_by_key(const struct host_ipc *host)
{
	(void)host;
	return VS_ERR(semget(HOST_KEY, 1, 0666));
}

static long sem_operate_by_id(const struct host_ipc *host)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };

	return VS_ERR(semop(host->sem, &op, 1));
}

FIXTURE_VARIANT_ADD(host_object, shm_key) {
	.attempt = shm_by_key,
};

FIXTURE_VARIANT_ADD(host_object, shm_attach_by_id) {
	.attempt = shm_attach_by_id,
};

FIXTURE_VARIANT_ADD(host_object, shm_ipc_stat_by_id) {
	.attempt = shm_stat_by_id,
};

FIXTURE_VARIANT_ADD(host_object, shm_ipc_rmid_by_id) {
	.attempt = shm_remove_by_id,
};

FIXTURE_VARIANT_ADD(host_object, msg_queue_key) {
	.attempt = msg_by_key,
};

FIXTURE_VARIANT_ADD(host_object, msg_send_by_id) {
	.attempt = msg_send_by_id,
};

FIXTURE_VARIANT_ADD(host_object, semaphore_key) {
	.attempt = sem_by_key,
};

FIXTURE_VARIANT_ADD(host_object, semaphore_operation_by_id) {
	.attempt = sem_operate_by_id,
};

struct attempt {
	long (*attempt)(const struct host_ipc *host);
	const struct host_ipc *host;
};

static void guest_attempts(struct __test_metadata *_metadata, void *arg)
{
	struct attempt *a = arg;

	EXPECT_EQ(-EACCES, a->attempt(a->host));
}

TEST_F_TIMEOUT(host_object, guest_gets_eacces, VS_H_TIMEOUT)
{
	struct attempt a = { variant->attempt, &self->host };

	vs_h_run(GUEST_A, 0, guest_attempts, &a, 20000);
}

/* ---- a guest's own objects, and the host ------------------------------------ */

FIXTURE(ipc) {
	struct host_ipc host;
};

FIXTURE_SETUP(ipc)
{
	self->host.shm = self->host.msg = self->host.sem = -1;
	make_contexts_and_objects(_metadata, &self->host);
}

FIXTURE_TEARDOWN(ipc)
{
	remove_objects_and_contexts(_metadata, &self->host);
}

/* In GUEST_A: every way to the host's objects is refused. */
static void guest_a_tries_the_hosts_objects(struct __test_metadata *_metadata, void *arg)
{
	const struct host_ipc *host = arg;

	EXPECT_EQ(-EACCES, shm_by_key(host));
	EXPECT_EQ(-EACCES, shm_attach_by_id(host));
	EXPECT_EQ(-EACCES, shm_stat_by_id(host));
	EXPECT_EQ(-EACCES, shm_remove_by_id(host));
	EXPECT_EQ(-EACCES, msg_by_key(host));
	EXPECT_EQ(-EACCES, msg_send_by_id(host));
	EXPECT_EQ(-EACCES, sem_by_key(host));
	EXPECT_EQ(-EACCES, sem_operate_by_id(host));
}

/* In GUEST_A: it creates its own segment. */
static void guest_a_creates_its_segment(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_LE(0, shmget(A_KEY, 4096, IPC_CREAT | 0666));
}

static void guest_a_finds_its_segment_by_key(struct __test_metadata *_metadata, void *arg)
{
	int id = shmget(A_KEY, 4096, IPC_CREAT | 0666);

	(void)arg;
	EXPECT_LE(0, id);
	EXPECT_EQ(id, VS_RET(shmget(A_KEY, 4096, 0666)));
}

static void guest_a_attaches_its_segment(struct __test_metadata *_metadata, void *arg)
{
	int id = shmget(A_KEY, 4096, IPC_CREAT | 0666);

	(void)arg;
	EXPECT_LE(0, id);
	EXPECT_EQ(0, shm_attach(id));
}

static void guest_a_asks_ipc_info(struct __test_metadata *_metadata, void *arg)
{
	struct shmid_ds ds;

	(void)arg;
	EXPECT_LE(0, VS_ERR(shmctl(0, IPC_INFO, &ds)));
}

/* In GUEST_B: guest A's segment (id @arg) is out of reach. */
static void guest_b_uses_guest_as_key(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EACCES, VS_ERR(shmget(A_KEY, 4096, 0666)));
}

static void guest_b_attaches_guest_as_segment(struct __test_metadata *_metadata, void *arg)
{
	EXPECT_EQ(-EACCES, shm_attach(*(int *)arg));
}

/* Guest A makes its segment; the host finds its id by key, or -errno. */
static int guest_a_segment(struct __test_metadata *_metadata)
{
	if (vs_h_run(GUEST_A, 0, guest_a_creates_its_segment, NULL, 20000))
		return -EIO;
	return (int)VS_RET(shmget(A_KEY, 4096, 0666));
}

TEST_F_TIMEOUT(ipc, guest_creates_its_own_segment, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_creates_its_segment, NULL, 20000);
}

TEST_F_TIMEOUT(ipc, guest_finds_its_own_segment_by_key, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_finds_its_segment_by_key, NULL, 20000);
}

TEST_F_TIMEOUT(ipc, guest_attaches_its_own_segment, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_attaches_its_segment, NULL, 20000);
}

TEST_F_TIMEOUT(ipc, system_wide_ipc_info_works_in_a_guest, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_asks_ipc_info, NULL, 20000);
}

TEST_F_TIMEOUT(ipc, host_finds_a_guests_segment_by_key, VS_H_TIMEOUT)
{
	EXPECT_LE(0, guest_a_segment(_metadata));
}

TEST_F_TIMEOUT(ipc, host_attaches_a_guests_segment, VS_H_TIMEOUT)
{
	int id = guest_a_segment(_metadata);

	ASSERT_LE(0, id);
	EXPECT_EQ(0, shm_attach(id));
}

TEST_F_TIMEOUT(ipc, another_guest_cannot_use_a_guests_key, VS_H_TIMEOUT)
{
	ASSERT_LE(0, guest_a_segment(_metadata));
	vs_h_run(GUEST_B, 0, guest_b_uses_guest_as_key, NULL, 20000);
}

TEST_F_TIMEOUT(ipc, another_guest_cannot_attach_a_guests_segment_by_id, VS_H_TIMEOUT)
{
	int id = guest_a_segment(_metadata);

	ASSERT_LE(0, id);
	vs_h_run(GUEST_B, 0, guest_b_attaches_guest_as_segment, &id, 20000);
}

TEST_F_TIMEOUT(ipc, guests_refusals_are_counted, VS_H_TIMEOUT)
{
	struct vs_context_info info;

	vs_h_run(GUEST_A, 0, guest_a_tries_the_hosts_objects, &self->host, 20000);
	vs_h_run(GUEST_A, 0, guest_a_attaches_its_segment, NULL, 20000);
	vs_h_run(GUEST_A, 0, guest_a_asks_ipc_info, NULL, 20000);
	ASSERT_EQ(0, vs_info(GUEST_A, &info));
	EXPECT_EQ(8ULL, info.hits) {
		TH_LOG("8 refusals, none for the guest's own segment or IPC_INFO");
	}
}

TEST_F_TIMEOUT(ipc, host_removes_a_guests_segment, VS_H_TIMEOUT)
{
	int id = guest_a_segment(_metadata);

	ASSERT_LE(0, id);
	EXPECT_EQ(0, VS_ERR(shmctl(id, IPC_RMID, NULL)));
}

TEST_F_TIMEOUT(ipc, host_removes_its_segment, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_tries_the_hosts_objects, &self->host, 20000);
	EXPECT_EQ(0, VS_ERR(shmctl(self->host.shm, IPC_RMID, NULL)));
	self->host.shm = -1;
}

TEST_F_TIMEOUT(ipc, host_removes_its_message_queue, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_tries_the_hosts_objects, &self->host, 20000);
	EXPECT_EQ(0, VS_ERR(msgctl(self->host.msg, IPC_RMID, NULL)));
	self->host.msg = -1;
}

TEST_F_TIMEOUT(ipc, host_removes_its_semaphore, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_A, 0, guest_a_tries_the_hosts_objects, &self->host, 20000);
	EXPECT_EQ(0, VS_ERR(semctl(self->host.sem, 0, IPC_RMID)));
	self->host.sem = -1;
}

TEST_F_TIMEOUT(ipc, guest_context_is_removed_once_empty, VS_H_TIMEOUT)
{
	int id = guest_a_segment(_metadata);

	ASSERT_LE(0, id);
	ASSERT_EQ(0, VS_ERR(shmctl(id, IPC_RMID, NULL)));
	EXPECT_EQ(1, vs_wait_tasks(GUEST_A, 0, 2000));
	EXPECT_EQ(0, vs_remove(GUEST_A));
	EXPECT_EQ(1, vs_wait_gone(GUEST_A, 2000));
	vs_h_forget(GUEST_A);
}

TEST_HARNESS_MAIN
