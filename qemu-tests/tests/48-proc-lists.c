// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's lists of sockets and IPC objects show a guest only its own:
 * /proc/net/{tcp,tcp6,udp,udp6,raw,unix,packet} and /proc/sysvipc/{shm,msg,sem}
 * hide the host's and the other guests' entries, while the host and the
 * spectator see them all. A guest cannot open a NETLINK_SOCK_DIAG socket
 * (what `ss` uses to list the same sockets): EACCES. File locks of the host
 * are not listed in a guest's /proc/locks, and F_GETLK there names no owner
 * (pid 0, as for an owner in another pid namespace).
 *
 * Every test starts from the same scene: the host, guest A and guest B each
 * own TCP and UDP sockets on both families, a Unix socket and an shm
 * segment; the host also has a packet and a raw socket and holds a write
 * lock on a file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../lib/harness.h"

#define GUEST_A 4801
#define GUEST_B 4802
#define HOST_PORT 47801
#define A_PORT 47811
#define B_PORT 47821
#define HOST_KEY 0x76734801
#define A_KEY 0x76734802
#define B_KEY 0x76734803
#define HOST_UNIX "/tmp/t48-host.sock"
#define A_UNIX "/tmp/t48-a.sock"
#define B_UNIX "/tmp/t48-b.sock"
#define LOCKED "/tmp/t48-locked"

/* What one party owns. */
struct party {
	int port;
	const char *unix_path;
	int key;
};

static const struct party host_objects = { HOST_PORT, HOST_UNIX, HOST_KEY };
static const struct party a_objects = { A_PORT, A_UNIX, A_KEY };
static const struct party b_objects = { B_PORT, B_UNIX, B_KEY };

/* Whether a line of /proc/net/@file has local port @port. */
static int net_has_port(const char *file, int port)
{
	char path[64], line[512];
	unsigned int p;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, " %*d: %*[0-9A-Fa-f]:%x", &p) == 1 && (int)p == port;
	fclose(f);
	return found;
}

/* Whether a file holds @text. */
static int file_has(const char *path, const char *text)
{
	char line[512];
	int found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

/* The entries of a /proc file: its lines but the header. */
static int entries(const char *path)
{
	char line[512];
	int n = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* Whether /proc/sysvipc/@file lists key @key (its first column). */
static int ipc_has_key(const char *file, int key)
{
	char path[64], line[512];
	int k, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, " %d", &k) == 1 && k == key;
	fclose(f);
	return found;
}

/* Whether /proc/locks has a POSIX lock held by @pid. */
static int locks_has_pid(pid_t pid)
{
	char line[256], pid_text[32];
	int found = 0;
	FILE *f = fopen("/proc/locks", "r");

	if (!f)
		return -1;
	snprintf(pid_text, sizeof(pid_text), " %d ", pid);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "POSIX") && strstr(line, pid_text);
	fclose(f);
	return found;
}

/* A write lock on the whole of LOCKED: the fd, or -errno; with @probe, F_GETLK's answer. */
static int lock_file(struct flock *probe)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(LOCKED, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, probe ? F_GETLK : F_SETLK, probe ? probe : &l)) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (probe) {
		close(fd);
		return 0;
	}
	return fd;
}

/*
 * A socket of @type bound to @port on every address of @family (IPv6 only for
 * AF_INET6); a TCP one listens. The fd, or -errno.
 */
static int bound(int family, int type, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(family, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if ((family == AF_INET6 ? bind(fd, (void *)&a6, sizeof(a6))
				: bind(fd, (void *)&a4, sizeof(a4))) ||
	    (type == SOCK_STREAM && listen(fd, 4))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static int unix_bound(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	unlink(path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (bind(fd, (void *)&a, sizeof(a)) || listen(fd, 4)) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/*
 * Everything a party owns: TCP and UDP on both families, a Unix socket, an
 * shm segment. 1 if all of them were made (the sockets stay open until the
 * caller exits).
 */
static int own_objects(const struct party *p)
{
	return bound(AF_INET, SOCK_STREAM, p->port) >= 0 &&
	       bound(AF_INET6, SOCK_STREAM, p->port) >= 0 &&
	       bound(AF_INET, SOCK_DGRAM, p->port) >= 0 &&
	       bound(AF_INET6, SOCK_DGRAM, p->port) >= 0 &&
	       unix_bound(p->unix_path) >= 0 && shmget(p->key, 4096, IPC_CREAT | 0600) >= 0;
}

static void remove_shm(int key)
{
	int id = shmget(key, 0, 0);

	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
}

/* ---- the lists ------------------------------------------------------------- */

enum list_kind { LIST_TCP, LIST_TCP6, LIST_UDP, LIST_UDP6, LIST_UNIX, LIST_SHM };

/* Whether the list @kind, as the caller sees it, shows @p's object there. */
static int listed(enum list_kind kind, const struct party *p)
{
	switch (kind) {
	case LIST_TCP:
		return net_has_port("tcp", p->port);
	case LIST_TCP6:
		return net_has_port("tcp6", p->port);
	case LIST_UDP:
		return net_has_port("udp", p->port);
	case LIST_UDP6:
		return net_has_port("udp6", p->port);
	case LIST_UNIX:
		return file_has("/proc/net/unix", p->unix_path);
	case LIST_SHM:
		return ipc_has_key("shm", p->key);
	}
	return -EINVAL;
}

/* ---- the scene ---------------------------------------------------------------- */

/* A process in a guest that owns the guest's objects until it is released. */
struct holder {
	pid_t pid;
	int release;	/* write end; EOF lets the holder go */
};

/* Starts a holder of @p's objects in @xid; 0 once they are all in place, else -errno. */
static int holder_start(struct holder *h, __u32 xid, const struct party *p)
{
	int ready[2], go[2];
	char c = 'n';

	h->pid = -1;
	h->release = -1;
	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	if (pipe2(go, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		return -errno;
	}
	vs_private_add(go[1]);
	h->pid = vs_fork();
	if (h->pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (!vs_migrate(xid) && own_objects(p))
			c = 'y';
		(void)!write(ready[1], &c, 1);
		(void)!read(go[0], &c, 1);
		remove_shm(p->key);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	h->release = go[1];
	if (h->pid < 0 || read(ready[0], &c, 1) != 1 || c != 'y')
		c = 'n';
	close(ready[0]);
	return c == 'y' ? 0 : -EIO;
}

/* Lets the holder remove its segment and exit; waits for it (bounded). */
static void holder_stop(struct holder *h)
{
	if (h->release >= 0)
		vs_private_close(h->release);
	h->release = -1;
	if (h->pid > 0)
		vs_waitpid(h->pid, NULL, 5000);
	h->pid = -1;
}

struct scene {
	struct holder a, b;
	int lock_fd, packet_fd, raw_fd;
	pid_t host_pid;		/* the holder of the lock */
};

static void scene_build(struct __test_metadata *_metadata, struct scene *s)
{
	s->a.pid = s->b.pid = -1;
	s->a.release = s->b.release = -1;
	s->lock_fd = s->packet_fd = s->raw_fd = -1;
	s->host_pid = getpid();
	ASSERT_EQ(GUEST_A, vs_h_create(GUEST_A, 0));
	ASSERT_EQ(GUEST_B, vs_h_create(GUEST_B, 0));
	ASSERT_EQ(1, own_objects(&host_objects)) {
		TH_LOG("the host cannot make TCP, UDP and Unix sockets and an shm segment");
	}
	s->packet_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, s->packet_fd);
	s->raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	ASSERT_LE(0, s->raw_fd);
	s->lock_fd = lock_file(NULL);
	ASSERT_LE(0, s->lock_fd);
	ASSERT_EQ(0, holder_start(&s->a, GUEST_A, &a_objects)) {
		TH_LOG("guest A's objects are not all in place");
	}
	ASSERT_EQ(0, holder_start(&s->b, GUEST_B, &b_objects)) {
		TH_LOG("guest B cannot make its own objects");
	}
}

static void scene_clear(struct __test_metadata *_metadata, struct scene *s)
{
	holder_stop(&s->a);
	holder_stop(&s->b);
	remove_shm(HOST_KEY);
	remove_shm(A_KEY);
	remove_shm(B_KEY);
	unlink(HOST_UNIX);
	unlink(A_UNIX);
	unlink(B_UNIX);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	unlink(LOCKED);
	vs_h_destroy_all();
}

/* ---- each list as each party sees it ------------------------------------- */

FIXTURE(list) {
	struct scene scene;
};

FIXTURE_VARIANT(list) {
	enum list_kind kind;
};

FIXTURE_VARIANT_ADD(list, proc_net_tcp) { .kind = LIST_TCP };
FIXTURE_VARIANT_ADD(list, proc_net_tcp6) { .kind = LIST_TCP6 };
FIXTURE_VARIANT_ADD(list, proc_net_udp) { .kind = LIST_UDP };
FIXTURE_VARIANT_ADD(list, proc_net_udp6) { .kind = LIST_UDP6 };
FIXTURE_VARIANT_ADD(list, proc_net_unix) { .kind = LIST_UNIX };
FIXTURE_VARIANT_ADD(list, proc_sysvipc_shm) { .kind = LIST_SHM };

FIXTURE_SETUP(list)
{
	scene_build(_metadata, &self->scene);
}

FIXTURE_TEARDOWN(list)
{
	scene_clear(_metadata, &self->scene);
}

/* What a vs_h_run() child looks for: @whose object in list @kind, @want 1 if listed. */
struct look {
	enum list_kind kind;
	const struct party *whose;
	int want;
};

static void looks(struct __test_metadata *_metadata, void *arg)
{
	const struct look *l = arg;

	EXPECT_EQ(l->want, listed(l->kind, l->whose));
}

#define LOOK(xid, party, want)								\
	do {										\
		struct look __l = { variant->kind, (party), (want) };			\
		vs_h_run((xid), 0, looks, &__l, 20000);					\
	} while (0)

TEST_F_TIMEOUT(list, guest_b_does_not_see_the_hosts_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_B, &host_objects, 0);
}

TEST_F_TIMEOUT(list, guest_b_does_not_see_guest_as_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_B, &a_objects, 0);
}

TEST_F_TIMEOUT(list, guest_b_sees_its_own_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_B, &b_objects, 1);
}

TEST_F_TIMEOUT(list, guest_a_sees_its_own_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_A, &a_objects, 1);
}

TEST_F_TIMEOUT(list, guest_a_does_not_see_the_hosts_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_A, &host_objects, 0);
}

TEST_F_TIMEOUT(list, guest_a_does_not_see_guest_bs_object, VS_H_TIMEOUT)
{
	LOOK(GUEST_A, &b_objects, 0);
}

TEST_F_TIMEOUT(list, spectator_sees_guest_as_object, VS_H_TIMEOUT)
{
	LOOK(VS_XID_SPECTATOR, &a_objects, 1);
}

TEST_F_TIMEOUT(list, spectator_sees_the_hosts_object, VS_H_TIMEOUT)
{
	LOOK(VS_XID_SPECTATOR, &host_objects, 1);
}

TEST_F_TIMEOUT(list, host_sees_guest_as_object, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, listed(variant->kind, &a_objects));
}

/* ---- the other lists, sock_diag and locks -------------------------------- */

FIXTURE(scene) {
	struct scene scene;
};

FIXTURE_SETUP(scene)
{
	scene_build(_metadata, &self->scene);
}

FIXTURE_TEARDOWN(scene)
{
	scene_clear(_metadata, &self->scene);
}

static void sees_no_packet_socket(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, entries("/proc/net/packet"));
}

static void sees_no_raw_socket(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, net_has_port("raw", IPPROTO_ICMP));
}

/* socket(AF_NETLINK, SOCK_RAW, @arg): 0 or -errno. */
static long netlink_socket(int protocol)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void cannot_open_sock_diag(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EACCES, netlink_socket(NETLINK_SOCK_DIAG));
}

static void opens_sock_diag(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, netlink_socket(NETLINK_SOCK_DIAG));
}

static void opens_netlink_route(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(0, netlink_socket(NETLINK_ROUTE));
}

static void does_not_see_the_lock(struct __test_metadata *_metadata, void *arg)
{
	EXPECT_EQ(0, locks_has_pid(*(pid_t *)arg));
}

static void getlk_finds_the_write_lock(struct __test_metadata *_metadata, void *arg)
{
	struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	(void)arg;
	EXPECT_EQ(0, lock_file(&probe));
	EXPECT_EQ(F_WRLCK, probe.l_type);
}

static void getlk_names_no_owner(struct __test_metadata *_metadata, void *arg)
{
	struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = -1 };

	(void)arg;
	EXPECT_EQ(0, lock_file(&probe));
	EXPECT_EQ(0, probe.l_pid);
}

TEST_F_TIMEOUT(scene, guest_sees_no_packet_socket_of_the_host, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, sees_no_packet_socket, NULL, 20000);
}

TEST_F_TIMEOUT(scene, guest_sees_no_raw_socket_of_the_host, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, sees_no_raw_socket, NULL, 20000);
}

TEST_F_TIMEOUT(scene, guest_cannot_open_a_sock_diag_socket, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, cannot_open_sock_diag, NULL, 20000);
}

TEST_F_TIMEOUT(scene, guest_still_opens_a_netlink_route_socket, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, opens_netlink_route, NULL, 20000);
}

TEST_F_TIMEOUT(scene, guest_does_not_see_the_hosts_lock_in_proc_locks, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, does_not_see_the_lock, &self->scene.host_pid, 20000);
}

TEST_F_TIMEOUT(scene, guest_getlk_finds_the_hosts_write_lock, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, getlk_finds_the_write_lock, NULL, 20000);
}

TEST_F_TIMEOUT(scene, guest_getlk_names_no_owner_of_the_hosts_lock, VS_H_TIMEOUT)
{
	vs_h_run(GUEST_B, 0, getlk_names_no_owner, NULL, 20000);
}

TEST_F_TIMEOUT(scene, spectator_opens_a_sock_diag_socket, VS_H_TIMEOUT)
{
	vs_h_run(VS_XID_SPECTATOR, 0, opens_sock_diag, NULL, 20000);
}

TEST_F_TIMEOUT(scene, host_opens_a_sock_diag_socket, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, netlink_socket(NETLINK_SOCK_DIAG));
}

TEST_F_TIMEOUT(scene, host_sees_its_lock_in_proc_locks, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, locks_has_pid(self->scene.host_pid));
}

TEST_HARNESS_MAIN
