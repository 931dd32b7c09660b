// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's lists of sockets and IPC objects show a guest only its own:
 * /proc/net/{tcp,tcp6,udp,udp6,raw,unix,packet} and /proc/sysvipc/{shm,msg,sem}
 * hide the host's and the other guests' entries, while the host and the
 * spectator see them all. A guest cannot open a NETLINK_SOCK_DIAG socket
 * (what `ss` uses to list the same sockets): EACCES. File locks of the host
 * are not listed in a guest's /proc/locks, and F_GETLK there names no owner
 * (pid 0, as for an owner in another pid namespace).
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

#include "../lib/vs-ktap.h"

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

static pid_t host_pid;

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

/* Whether /proc/net/@file (or any file) holds @text. */
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

/* A write lock on the whole of LOCKED, or -errno; with @probe, F_GETLK's answer. */
static int lock_file(struct flock *probe)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(LOCKED, O_RDWR | O_CREAT, 0666);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, probe ? F_GETLK : F_SETLK, probe ? probe : &l))
		return -errno;
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
	int fd = socket(family, type, 0), one = 1;

	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (fd < 0 || (family == AF_INET6 ? bind(fd, (void *)&a6, sizeof(a6))
					  : bind(fd, (void *)&a4, sizeof(a4))) ||
	    (type == SOCK_STREAM && listen(fd, 4)))
		return -errno;
	return fd;
}

static int unix_bound(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	unlink(path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)) || listen(fd, 4))
		return -errno;
	return fd;
}

/* Everything a party owns: TCP and UDP on both families, a Unix socket, an shm segment. */
static int own_objects(int port, const char *unix_path, int key)
{
	return bound(AF_INET, SOCK_STREAM, port) >= 0 && bound(AF_INET6, SOCK_STREAM, port) >= 0 &&
	       bound(AF_INET, SOCK_DGRAM, port) >= 0 && bound(AF_INET6, SOCK_DGRAM, port) >= 0 &&
	       unix_bound(unix_path) >= 0 && shmget(key, 4096, IPC_CREAT | 0600) >= 0;
}

/* The lists as one party sees them: @want 1 for each of @port, @path, @key listed. */
static void expect_listed(const char *who, const char *whose, int port, const char *path,
			  int key, int want)
{
	const char *verb = want ? "sees" : "does not see";

	vs_expect(net_has_port("tcp", port), want, "%s %s %s TCP listener in /proc/net/tcp",
		  who, verb, whose);
	vs_expect(net_has_port("tcp6", port), want, "%s %s %s one in /proc/net/tcp6", who,
		  verb, whose);
	vs_expect(net_has_port("udp", port), want, "%s %s %s UDP socket in /proc/net/udp",
		  who, verb, whose);
	vs_expect(net_has_port("udp6", port), want, "%s %s %s one in /proc/net/udp6", who,
		  verb, whose);
	vs_expect(file_has("/proc/net/unix", path), want, "%s %s %s Unix socket in /proc/net/unix",
		  who, verb, whose);
	vs_expect(ipc_has_key("shm", key), want, "%s %s %s segment in /proc/sysvipc/shm", who,
		  verb, whose);
}

/* Guest A's objects stay until its holder is told to go (EOF on @release). */
static pid_t holder_a(int *release)
{
	int ready[2], go[2];
	pid_t pid;
	char c = 'n';

	if (pipe(ready) || pipe(go))
		return -1;
	pid = vs_fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (!vs_migrate(GUEST_A) && own_objects(A_PORT, A_UNIX, A_KEY))
			c = 'y';
		(void)!write(ready[1], &c, 1);
		(void)!read(go[0], &c, 1);
		shmctl(shmget(A_KEY, 0, 0), IPC_RMID, NULL);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1 || c != 'y')
		ktap_diag("guest A's objects are not all in place: the cases below will fail");
	close(ready[0]);
	*release = go[1];
	return pid;
}

static void guest_b(void *arg)
{
	(void)arg;
	if (vs_migrate(GUEST_B))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST_B);
	expect_listed("guest B", "the host's", HOST_PORT, HOST_UNIX, HOST_KEY, 0);
	expect_listed("guest B", "guest A's", A_PORT, A_UNIX, A_KEY, 0);
	vs_expect(own_objects(B_PORT, B_UNIX, B_KEY), 1, "guest B makes its own");
	expect_listed("guest B", "its own", B_PORT, B_UNIX, B_KEY, 1);
	vs_expect(entries("/proc/net/packet"), 0, "guest B sees no packet socket (the host has one)");
	vs_expect(net_has_port("raw", IPPROTO_ICMP), 0,
		  "guest B sees no raw socket (the host has one)");
	vs_expect(VS_ERR(socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)), -EACCES,
		  "guest B cannot open a NETLINK_SOCK_DIAG socket -> EACCES");
	vs_expect(VS_RET(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) >= 0, 1,
		  "but still a NETLINK_ROUTE one (ip, getifaddrs)");
	vs_expect(locks_has_pid(host_pid), 0, "guest B does not see the host's lock in /proc/locks");
	{
		struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		vs_expect(lock_file(&probe) >= 0 && probe.l_type == F_WRLCK, 1,
			  "guest B's F_GETLK finds the host's write lock");
		vs_expect(probe.l_pid, 0, "... and names no owner (pid 0)");
	}
	shmctl(shmget(B_KEY, 0, 0), IPC_RMID, NULL);
}

static void guest_a(void *arg)
{
	(void)arg;
	if (vs_migrate(GUEST_A))
		ktap_diag("migrate into %d failed: the cases below will fail", GUEST_A);
	expect_listed("guest A", "its own", A_PORT, A_UNIX, A_KEY, 1);
	expect_listed("guest A", "the host's", HOST_PORT, HOST_UNIX, HOST_KEY, 0);
}

static void spectator(void *arg)
{
	(void)arg;
	if (vs_migrate(VS_XID_SPECTATOR))
		ktap_diag("migrate into the spectator failed: the cases below will fail");
	expect_listed("the spectator", "guest A's", A_PORT, A_UNIX, A_KEY, 1);
	vs_expect(VS_RET(socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)) >= 0, 1,
		  "the spectator opens a NETLINK_SOCK_DIAG socket");
}

int main(void)
{
	int release = -1, packet, raw;
	pid_t a;

	ktap_plan(58);
	vs_expect(vs_create(GUEST_A, 0), GUEST_A, "create context %d", GUEST_A);
	vs_expect(vs_create(GUEST_B, 0), GUEST_B, "create context %d", GUEST_B);
	vs_expect(own_objects(HOST_PORT, HOST_UNIX, HOST_KEY), 1,
		  "the host makes TCP, UDP and Unix sockets and an shm segment");
	packet = socket(AF_PACKET, SOCK_DGRAM, 0);
	raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	vs_expect(packet >= 0 && raw >= 0, 1, "and a packet and a raw socket");
	host_pid = getpid();
	vs_expect(lock_file(NULL) >= 0, 1, "and locks a file");
	a = holder_a(&release);
	vs_ktap_fork(guest_b, NULL, 20000);
	vs_ktap_fork(guest_a, NULL, 20000);
	vs_ktap_fork(spectator, NULL, 20000);
	expect_listed("the host", "guest A's", A_PORT, A_UNIX, A_KEY, 1);
	vs_expect(VS_RET(socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)) >= 0, 1,
		  "the host opens a NETLINK_SOCK_DIAG socket");
	vs_expect(locks_has_pid(host_pid), 1, "the host sees its lock in /proc/locks");
	close(release);
	vs_child_status(a, 5000);
	shmctl(shmget(HOST_KEY, 0, 0), IPC_RMID, NULL);
	unlink(HOST_UNIX);
	unlink(A_UNIX);
	unlink(B_UNIX);
	unlink(LOCKED);
	return ktap_finish();
}
