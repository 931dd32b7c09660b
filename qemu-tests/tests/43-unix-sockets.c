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

#include "../lib/vs-ktap.h"

#define GUEST_A 4301
#define GUEST_B 4302

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path + 1, name, sizeof(a->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int listen_abstract(const char *name, int type)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, name);
	int fd = socket(AF_UNIX, type, 0);

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

/* ready: guest A -> test ("listening"); stop: test -> guest A, closed to let it finish. */
static int ready[2], stop[2];

/* Guest A listens on "vs-a" (stream) and "vs-a-dgram" until told to stop. */
static int guest_a_listens(void *arg)
{
	int s = listen_abstract("vs-a", SOCK_STREAM);
	int d = listen_abstract("vs-a-dgram", SOCK_DGRAM);
	char c;

	(void)arg;
	if (s < 0 || d < 0)
		return 1;
	if (write(ready[1], "r", 1) != 1)
		return 2;
	if (read(stop[0], &c, 1) < 0)
		return 3;
	return reach("vs-a", SOCK_STREAM) ? 4 : 0;
}

static void guest_b(void *arg)
{
	(void)arg;
	if (vs_migrate(GUEST_B))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST_B);
	vs_expect(reach("vs-host", SOCK_STREAM), -ECONNREFUSED,
		  "a guest connecting to the host's abstract socket -> ECONNREFUSED");
	vs_expect(reach("vs-host-dgram", SOCK_DGRAM), -ECONNREFUSED,
		  "a guest sending to the host's abstract datagram socket -> ECONNREFUSED");
	vs_expect(reach("vs-a", SOCK_STREAM), -ECONNREFUSED,
		  "guest B connecting to guest A's -> ECONNREFUSED");
	vs_expect(reach("vs-a-dgram", SOCK_DGRAM), -ECONNREFUSED,
		  "guest B sending to guest A's -> ECONNREFUSED");
	vs_expect(reach("vs-nobody", SOCK_STREAM), -ECONNREFUSED,
		  "the same answer as for a name nobody uses");
	vs_expect(listen_abstract("vs-a", SOCK_STREAM), -EADDRINUSE,
		  "(the name itself is taken: abstract names are shared)");
	vs_expect(reach("/tmp/vs-unix-path", SOCK_STREAM) == -ECONNREFUSED, 1,
		  "(an abstract name that looks like a path is still abstract)");
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		strcpy(a.sun_path, "/tmp/vs-unix-path");
		vs_expect(VS_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a))), 0,
			  "a path-name socket the guest can reach in its tree works");
		close(fd);
	}
}

int main(void)
{
	int host_s, host_d, path_s;
	struct sockaddr_un pa = { .sun_family = AF_UNIX };
	pid_t a;
	char c;

	ktap_plan(16);
	vs_expect(vs_create(GUEST_A, VS_CF_PERSISTENT), GUEST_A, "create context %d", GUEST_A);
	vs_expect(vs_create(GUEST_B, VS_CF_PERSISTENT), GUEST_B, "create context %d", GUEST_B);
	host_s = listen_abstract("vs-host", SOCK_STREAM);
	host_d = listen_abstract("vs-host-dgram", SOCK_DGRAM);
	vs_expect(host_s >= 0 && host_d >= 0, 1, "the host listens on abstract names");
	strcpy(pa.sun_path, "/tmp/vs-unix-path");
	unlink(pa.sun_path);
	path_s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(path_s, (struct sockaddr *)&pa, sizeof(pa)) || listen(path_s, 8))
		ktap_diag("cannot listen on %s", pa.sun_path);

	if (pipe(ready) || pipe(stop))
		return 1;
	vs_private_add(stop[1]);
	a = vs_spawn_in_context(GUEST_A, 0, guest_a_listens, NULL);
	close(ready[1]);
	vs_expect(read(ready[0], &c, 1) == 1, 1, "guest A listens");

	vs_ktap_fork(guest_b, NULL, 20000);

	vs_expect(reach("vs-a", SOCK_STREAM), 0, "the host reaches guest A's socket");
	vs_expect(reach("vs-a-dgram", SOCK_DGRAM), 0, "... and its datagram socket");
	vs_private_close(stop[1]);
	vs_expect(vs_child_status(a, 10000), 0, "guest A reaches its own socket");
	close(host_s);
	close(host_d);
	close(path_s);
	unlink(pa.sun_path);
	vs_wait_tasks(GUEST_A, 0, 2000);
	vs_wait_tasks(GUEST_B, 0, 2000);
	vs_expect(vs_remove(GUEST_A) | vs_remove(GUEST_B), 0, "remove the contexts");
	return ktap_finish();
}
