// SPDX-License-Identifier: GPL-2.0
/*
 * Abstract Unix sockets are one namespace for every context: a guest reaches
 * only its own context's (ECONNREFUSED otherwise, as if nobody listened);
 * the host reaches every one; path-name sockets follow the file system.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../lib/harness.h"

#define GUEST_A 4301
#define GUEST_B 4302
#define PATH_SOCKET "/tmp/vs-unix-path"

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path + 1, name, sizeof(a->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* A socket of @type bound to abstract @name (listening if a stream); fd or -errno. */
static int listen_abstract(const char *name, int type)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, name);
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, len) || (type == SOCK_STREAM && listen(fd, 8))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* connect() (stream) or sendto() (datagram) to an abstract name: 0 or -errno. */
static int reach(const char *name, int type)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, name);
	int fd = socket(AF_UNIX, type, 0), r;

	if (fd < 0)
		return -errno;
	if (type == SOCK_STREAM)
		r = VS_ERR(connect(fd, (struct sockaddr *)&a, len));
	else
		r = VS_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&a, len));
	close(fd);
	return r;
}

/* ---- the sockets every test starts with ------------------------------------ */

/*
 * The host listens on "vs-host" (stream), "vs-host-dgram" and PATH_SOCKET;
 * a task of guest A listens on "vs-a" and "vs-a-dgram" until @stop is
 * closed, then connects to its own "vs-a" and exits 0 if that worked.
 */
struct listeners {
	int host_stream, host_dgram, path;
	pid_t guest_a;
	int stop;	/* write end; closing it lets guest A exit */
};

static int stop_read_end, ready_write_end;

static int guest_a_listens(void *arg)
{
	int s = listen_abstract("vs-a", SOCK_STREAM);
	int d = listen_abstract("vs-a-dgram", SOCK_DGRAM);
	char c;

	(void)arg;
	if (s < 0 || d < 0)
		return 1;
	if (write(ready_write_end, "r", 1) != 1)
		return 2;
	if (read(stop_read_end, &c, 1) < 0)
		return 3;
	return reach("vs-a", SOCK_STREAM) ? 4 : 0;
}

static void listeners_start(struct __test_metadata *_metadata, struct listeners *l)
{
	struct sockaddr_un pa = { .sun_family = AF_UNIX };
	int ready[2], stop[2];
	ssize_t n;
	char c;

	l->host_stream = l->host_dgram = l->path = l->stop = -1;
	l->guest_a = -1;
	ASSERT_EQ(GUEST_A, vs_h_create(GUEST_A, VS_CF_PERSISTENT));
	ASSERT_EQ(GUEST_B, vs_h_create(GUEST_B, VS_CF_PERSISTENT));
	l->host_stream = listen_abstract("vs-host", SOCK_STREAM);
	l->host_dgram = listen_abstract("vs-host-dgram", SOCK_DGRAM);
	ASSERT_LE(0, l->host_stream);
	ASSERT_LE(0, l->host_dgram);
	strcpy(pa.sun_path, PATH_SOCKET);
	unlink(pa.sun_path);
	l->path = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, l->path);
	ASSERT_EQ(0, bind(l->path, (struct sockaddr *)&pa, sizeof(pa)));
	ASSERT_EQ(0, listen(l->path, 8));

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(stop, O_CLOEXEC));
	vs_private_add(stop[1]);
	l->stop = stop[1];
	stop_read_end = stop[0];
	ready_write_end = ready[1];
	l->guest_a = vs_spawn_in_context(GUEST_A, 0, guest_a_listens, NULL);
	close(ready[1]);
	close(stop[0]);
	n = l->guest_a < 0 ? -1 : read(ready[0], &c, 1);
	close(ready[0]);
	ASSERT_EQ(1, n) {
		TH_LOG("guest A does not listen");
	}
}

/* Lets guest A end; returns its exit code (bounded), or -1 if none was started. */
static int listeners_stop_guest_a(struct listeners *l)
{
	int code = -1;

	if (l->stop >= 0)
		vs_private_close(l->stop);
	l->stop = -1;
	if (l->guest_a > 0)
		code = vs_child_status(l->guest_a, 10000);
	l->guest_a = -1;
	return code;
}

static void listeners_stop(struct __test_metadata *_metadata, struct listeners *l)
{
	listeners_stop_guest_a(l);
	if (l->host_stream >= 0)
		close(l->host_stream);
	if (l->host_dgram >= 0)
		close(l->host_dgram);
	if (l->path >= 0)
		close(l->path);
	unlink(PATH_SOCKET);
	vs_h_destroy_all();
}

/* ---- who reaches which abstract socket --------------------------------------- */

FIXTURE(reach) {
	struct listeners l;
};

/* Each variant: a task of @from (host or a guest) reaches @to's socket of @type. */
FIXTURE_VARIANT(reach) {
	__u32 from;		/* VS_XID_HOST, GUEST_A or GUEST_B */
	const char *to;		/* "vs-host" or "vs-a": its datagram socket is "<to>-dgram" */
	int type;
	int error;		/* 0, or the errno it gets */
};

FIXTURE_SETUP(reach)
{
	listeners_start(_metadata, &self->l);
}

FIXTURE_TEARDOWN(reach)
{
	listeners_stop(_metadata, &self->l);
}

FIXTURE_VARIANT_ADD(reach, host_to_its_own_stream) {
	.from = VS_XID_HOST, .to = "vs-host", .type = SOCK_STREAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, host_to_its_own_datagram) {
	.from = VS_XID_HOST, .to = "vs-host", .type = SOCK_DGRAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, host_to_a_guests_stream) {
	.from = VS_XID_HOST, .to = "vs-a", .type = SOCK_STREAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, host_to_a_guests_datagram) {
	.from = VS_XID_HOST, .to = "vs-a", .type = SOCK_DGRAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, guest_to_its_own_contexts_stream) {
	.from = GUEST_A, .to = "vs-a", .type = SOCK_STREAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, guest_to_its_own_contexts_datagram) {
	.from = GUEST_A, .to = "vs-a", .type = SOCK_DGRAM, .error = 0,
};

FIXTURE_VARIANT_ADD(reach, guest_to_the_hosts_stream) {
	.from = GUEST_B, .to = "vs-host", .type = SOCK_STREAM, .error = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(reach, guest_to_the_hosts_datagram) {
	.from = GUEST_B, .to = "vs-host", .type = SOCK_DGRAM, .error = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(reach, guest_to_another_guests_stream) {
	.from = GUEST_B, .to = "vs-a", .type = SOCK_STREAM, .error = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(reach, guest_to_another_guests_datagram) {
	.from = GUEST_B, .to = "vs-a", .type = SOCK_DGRAM, .error = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(reach, listening_guest_to_the_hosts_stream) {
	.from = GUEST_A, .to = "vs-host", .type = SOCK_STREAM, .error = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(reach, listening_guest_to_the_hosts_datagram) {
	.from = GUEST_A, .to = "vs-host", .type = SOCK_DGRAM, .error = ECONNREFUSED,
};

static void reaches(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(reach) *v = arg;
	char name[32];

	snprintf(name, sizeof(name), "%s%s", v->to, v->type == SOCK_DGRAM ? "-dgram" : "");
	EXPECT_EQ(-v->error, reach(name, v->type)) {
		TH_LOG("from %u to \"%s\"", v->from, name);
	}
}

TEST_F_TIMEOUT(reach, gets_the_expected_answer, VS_H_TIMEOUT)
{
	vs_h_run(variant->from, variant->from == VS_XID_HOST ? VS_F_STAY : 0, reaches,
		 (void *)variant, 20000);
}

/* ---- names --------------------------------------------------------------------- */

FIXTURE(names) {
	struct listeners l;
};

FIXTURE_SETUP(names)
{
	listeners_start(_metadata, &self->l);
}

FIXTURE_TEARDOWN(names)
{
	listeners_stop(_metadata, &self->l);
}

static void connects_to_nobody(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-ECONNREFUSED, reach("vs-nobody", SOCK_STREAM));
}

static void binds_another_guests_name(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EADDRINUSE, listen_abstract("vs-a", SOCK_STREAM));
}

static void connects_to_an_abstract_path(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-ECONNREFUSED, reach(PATH_SOCKET, SOCK_STREAM));
}

static void connects_to_the_path_socket(struct __test_metadata *_metadata, void *arg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	(void)arg;
	strcpy(a.sun_path, PATH_SOCKET);
	EXPECT_EQ(0, VS_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a))));
	close(fd);
}

TEST_F_TIMEOUT(names, refusal_is_the_answer_for_a_name_nobody_uses, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, connects_to_nobody, NULL, 20000);
}

TEST_F_TIMEOUT(names, abstract_names_are_shared_by_every_context, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, binds_another_guests_name, NULL, 20000);
}

TEST_F_TIMEOUT(names, abstract_name_that_looks_like_a_path_is_still_abstract, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, connects_to_an_abstract_path, NULL, 20000);
}

TEST_F_TIMEOUT(names, guest_reaches_a_path_name_socket_in_its_tree, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, connects_to_the_path_socket, NULL, 20000);
}

TEST_F_TIMEOUT(names, listening_guest_reaches_its_own_socket, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, listeners_stop_guest_a(&self->l));
}

TEST_F_TIMEOUT(names, guest_contexts_are_removed_once_empty, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, connects_to_nobody, NULL, 20000);
	ASSERT_EQ(0, listeners_stop_guest_a(&self->l));
	EXPECT_EQ(1, vs_wait_tasks(GUEST_A, 0, 2000));
	EXPECT_EQ(1, vs_wait_tasks(GUEST_B, 0, 2000));
	EXPECT_EQ(0, vs_remove(GUEST_A));
	EXPECT_EQ(0, vs_remove(GUEST_B));
	EXPECT_EQ(1, vs_wait_gone(GUEST_A, 2000));
	EXPECT_EQ(1, vs_wait_gone(GUEST_B, 2000));
	vs_h_forget(GUEST_A);
	vs_h_forget(GUEST_B);
}

TEST_HARNESS_MAIN
