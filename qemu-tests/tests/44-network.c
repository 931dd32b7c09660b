// SPDX-License-Identifier: GPL-2.0
/*
 * Network contexts (chbind): binds confined to the guest's addresses, the
 * wildcard and loopback remapped, guest source addresses for outgoing
 * traffic, other addresses hidden, run-time changes; IPv4 and IPv6; the
 * ioctls' bad inputs. All addresses live on lo in the test VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>

#include "../lib/vs-ktap.h"

#define NID_A 4401	/* 10.1.0.1, fd00::1 */
#define NID_B 4402	/* 10.1.0.2, fd00::2 */
#define NID_M 4403	/* 10.1.0.4 and 10.1.0.5: a multi-address wildcard */
#define XID_A 4401	/* guest A is also a security context */
#define XID_B 4402	/* guest B ends up in one */
#define HOST4 "10.1.0.9"
#define HOST6 "fd00::9"

/* ---- addresses ---------------------------------------------------------- */

union sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_storage ss;
};

static socklen_t mkaddr(union sa *u, const char *ip, int port)
{
	memset(u, 0, sizeof(*u));
	if (strchr(ip, ':')) {
		u->in6.sin6_family = AF_INET6;
		u->in6.sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &u->in6.sin6_addr);
		return sizeof(u->in6);
	}
	u->in.sin_family = AF_INET;
	u->in.sin_port = htons(port);
	inet_pton(AF_INET, ip, &u->in.sin_addr);
	return sizeof(u->in);
}

static const char *ntop(const union sa *u)
{
	static char buf[INET6_ADDRSTRLEN];

	if (u->sa.sa_family == AF_INET6)
		return inet_ntop(AF_INET6, &u->in6.sin6_addr, buf, sizeof(buf));
	return inet_ntop(AF_INET, &u->in.sin_addr, buf, sizeof(buf));
}

/* A socket of @type bound to @ip:@port (listening if a stream); fd or -errno. */
static int bound(int type, const char *ip, int port)
{
	union sa u;
	socklen_t len = mkaddr(&u, ip, port);
	int one = 1, fd = socket(u.sa.sa_family, type, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &u.sa, len) || (type == SOCK_STREAM && listen(fd, 8))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* The local address of @fd, as text. */
static const char *local_of(int fd)
{
	union sa u;
	socklen_t len = sizeof(u);

	if (fd < 0 || getsockname(fd, &u.sa, &len))
		return "?";
	return ntop(&u);
}

/* Connects to @ip:@port within @ms; fd or -errno (-ETIMEDOUT if nothing answered). */
static int connected(const char *ip, int port, int ms)
{
	union sa u;
	socklen_t len = mkaddr(&u, ip, port);
	int fd = socket(u.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (fd < 0)
		return -errno;
	if (connect(fd, &u.sa, len) && errno != EINPROGRESS) {
		err = -errno;
		close(fd);
		return err;
	}
	if (poll(&p, 1, ms) != 1) {
		close(fd);
		return -ETIMEDOUT;
	}
	len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* Accepts one connection on @lfd within @ms; returns the peer's address as text. */
static const char *accepted_from(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	union sa u;
	socklen_t len = sizeof(u);
	int fd;

	if (poll(&p, 1, ms) != 1)
		return "(nothing)";
	fd = accept(lfd, &u.sa, &len);
	if (fd < 0)
		return "(accept failed)";
	close(fd);
	return ntop(&u);
}

/* A datagram on @fd within @ms: the sender's address as text. */
static const char *datagram_from(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	union sa u;
	socklen_t len = sizeof(u);
	char c;

	if (poll(&p, 1, ms) != 1)
		return "(nothing)";
	if (recvfrom(fd, &c, 1, 0, &u.sa, &len) < 0)
		return "(recv failed)";
	return ntop(&u);
}

static int sent(const char *ip, int port)
{
	union sa u;
	socklen_t len = mkaddr(&u, ip, port);
	int fd = socket(u.sa.sa_family, SOCK_DGRAM, 0), r;

	r = VS_ERR(sendto(fd, "x", 1, 0, &u.sa, len));
	close(fd);
	return r;
}

/* ---- ioctls ------------------------------------------------------------- */

static long net_create(__u32 nid, __u64 flags, __u32 reserved)
{
	struct vs_net_create c = { .nid = nid, .reserved = reserved, .flags = flags };
	int r = vs_ioctl(VS_IOC_NET_CREATE, &c);

	return r ? r : (long)c.nid;
}

static int net_addr(unsigned long cmd, __u32 nid, int family, const char *ip, int prefix,
		    int flags)
{
	struct vs_net_addr a = { .nid = nid, .family = family, .prefix = prefix, .flags = flags };

	inet_pton(family == AF_INET6 ? AF_INET6 : AF_INET, ip, a.addr);
	return vs_ioctl(cmd, &a);
}

static int add4(__u32 nid, const char *ip)
{
	return net_addr(VS_IOC_NET_ADD, nid, AF_INET, ip, 24, 0);
}

static int add6(__u32 nid, const char *ip)
{
	return net_addr(VS_IOC_NET_ADD, nid, AF_INET6, ip, 64, 0);
}

static int net_migrate(__u32 nid)
{
	return vs_ctx_ioctl(VS_IOC_NET_MIGRATE, nid);
}

/* ---- guests ------------------------------------------------------------- */

/* Guest A (network context A and security context A) serves 0.0.0.0:80, [::]:80 and
 * its "localhost" 8080 until told to stop. */
static int ready_a[2], stop_a[2];

static int guest_a_serves(void *arg)
{
	int v4 = bound(SOCK_STREAM, "0.0.0.0", 80);
	int v6 = bound(SOCK_STREAM, "::", 80);
	int lo = bound(SOCK_STREAM, "127.0.0.1", 8080);
	struct pollfd p[3] = {
		{ .fd = v4, .events = POLLIN },
		{ .fd = v6, .events = POLLIN },
		{ .fd = stop_a[0], .events = POLLIN },
	};
	char msg[128];

	(void)arg;
	if (vs_migrate(XID_A))
		return 9;
	snprintf(msg, sizeof(msg), "%s", local_of(v4));
	snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " %s", local_of(v6));
	snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " %s", local_of(lo));
	if (write(ready_a[1], msg, strlen(msg) + 1) < 0)
		return 2;
	/* Answer each connection with "A". */
	for (;;) {
		int i, fd;

		if (poll(p, 3, 20000) <= 0 || p[2].revents)
			return 0;
		for (i = 0; i < 2; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			fd = accept(p[i].fd, NULL, NULL);
			if (fd >= 0) {
				if (write(fd, "A", 1) != 1)
					ktap_diag("guest A could not answer");
				close(fd);
			}
		}
	}
}

/* Who answers at @ip:80: "A", "B", or an error. */
static const char *who_answers(const char *ip)
{
	static char who[80];
	int fd = connected(ip, 80, 3000);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c = 0;

	if (fd < 0) {
		snprintf(who, sizeof(who), "%s", vs_errname(fd));
		return who;
	}
	if (poll(&p, 1, 3000) != 1 || read(fd, &c, 1) != 1)
		c = '?';
	close(fd);
	snprintf(who, sizeof(who), "%c", c);
	return who;
}

static void guest_b(void *arg)
{
	int fd;

	(void)arg;
	if (net_migrate(NID_B))
		ktap_diag("entering network context %d failed: the cases below will fail", NID_B);
	fd = bound(SOCK_STREAM, "0.0.0.0", 80);
	vs_expect(fd >= 0, 1, "guest B also binds 0.0.0.0:80 (%s)", vs_errname(fd));
	vs_expect(!strcmp(local_of(fd), "10.1.0.2"), 1, "... which became 10.1.0.2 (%s)", local_of(fd));
	if (fd >= 0)
		close(fd);
	vs_expect(bound(SOCK_STREAM, "10.1.0.1", 81), -EADDRNOTAVAIL,
		  "guest B binding guest A's address -> EADDRNOTAVAIL");
	vs_expect(bound(SOCK_DGRAM, HOST4, 81), -EADDRNOTAVAIL,
		  "guest B binding a host address -> EADDRNOTAVAIL");
	vs_expect(bound(SOCK_STREAM, "fd00::1", 81), -EADDRNOTAVAIL,
		  "guest B binding guest A's IPv6 address -> EADDRNOTAVAIL");
	fd = bound(SOCK_DGRAM, "::", 81);
	vs_expect(!strcmp(local_of(fd), "fd00::2"), 1, "guest B's [::] became fd00::2 (%s)", local_of(fd));
	if (fd >= 0)
		close(fd);
	vs_expect(connected("127.0.0.1", 8080, 2000), -ECONNREFUSED,
		  "guest B's 127.0.0.1:8080 is its own: not guest A's, not the host's");
	vs_expect(connected("::1", 8080, 2000), -ECONNREFUSED, "... nor over ::1");
	if (vs_migrate(XID_B))
		ktap_diag("migrate into %d failed", XID_B);
	vs_expect(add4(NID_B, "10.1.0.3"), -EPERM, "a guest cannot add addresses -> EPERM");
	vs_expect(net_create(4499, 0, 0), -EPERM, "... nor create network contexts");
}

static unsigned short csum(const void *data, int len)
{
	const unsigned short *p = data;
	unsigned int sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (unsigned short)~sum;
}

/* The source of the first ICMP echo request with id @id that raw socket @fd sees. */
static const char *echo_source(int fd, int id, int ms)
{
	static char text[INET_ADDRSTRLEN];
	unsigned char buf[256];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int i;

	for (i = 0; i < 8 && poll(&p, 1, ms) == 1; i++) {
		struct iphdr *ip = (struct iphdr *)buf;
		struct icmphdr *icmp = (struct icmphdr *)(buf + sizeof(*ip));
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < (ssize_t)(sizeof(*ip) + sizeof(*icmp)) || ip->ihl != 5)
			continue;
		if (icmp->type == ICMP_ECHO && icmp->un.echo.id == htons(id))
			return inet_ntop(AF_INET, &ip->saddr, text, sizeof(text));
	}
	return "(nothing)";
}

/* Outgoing traffic of guest B shows its own address. */
static void guest_b_sources(void *arg)
{
	int *host = arg;

	if (net_migrate(NID_B))
		ktap_diag("entering network context %d failed: the cases below will fail", NID_B);
	vs_expect(connected(HOST4, 9000, 3000) >= 0, 1, "guest B connects to a host listener");
	vs_expect(!strcmp(accepted_from(host[0], 3000), "10.1.0.2"), 1,
		  "... which sees guest B's address as the source");
	vs_expect(sent(HOST4, 9001), 0, "guest B sends a datagram to the host");
	vs_expect(!strcmp(datagram_from(host[1], 3000), "10.1.0.2"), 1,
		  "... which comes from guest B's address");
	vs_expect(connected(HOST6, 9000, 3000) >= 0, 1, "guest B connects over IPv6");
	vs_expect(!strcmp(accepted_from(host[2], 3000), "fd00::2"), 1,
		  "... from fd00::2");
	vs_expect(sent(HOST6, 9001), 0, "guest B sends an IPv6 datagram");
	vs_expect(!strcmp(datagram_from(host[3], 3000), "fd00::2"), 1, "... from fd00::2");
	{
		struct icmphdr req = { .type = ICMP_ECHO };
		union sa to;
		socklen_t len = mkaddr(&to, HOST4, 0);
		int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

		req.un.echo.id = htons(0x4444);
		req.checksum = csum(&req, sizeof(req));
		vs_expect(VS_ERR(sendto(raw, &req, sizeof(req), 0, &to.sa, len)), 0,
			  "guest B pings the host from a raw ICMP socket");
		const char *src = echo_source(host[4], 0x4444, 3000);

		vs_expect(!strcmp(src, "10.1.0.2"), 1, "... from 10.1.0.2 (%s)", src);
		close(raw);
	}
}

/* Guest B lists only its own addresses. */
static void guest_b_lists(void *arg)
{
	struct ifaddrs *ifa, *i;
	char buf[4096], text[INET6_ADDRSTRLEN];
	struct ifconf ifc = { .ifc_len = sizeof(buf), .ifc_buf = buf };
	int n4 = 0, n6 = 0, other = 0, fd, k;
	FILE *f;

	(void)arg;
	if (net_migrate(NID_B))
		ktap_diag("entering network context %d failed: the cases below will fail", NID_B);
	vs_expect(getifaddrs(&ifa), 0, "getifaddrs works in guest B");
	for (i = ifa; i; i = i->ifa_next) {
		union sa *u = (union sa *)i->ifa_addr;

		if (!u || (u->sa.sa_family != AF_INET && u->sa.sa_family != AF_INET6))
			continue;
		if (!strcmp(ntop(u), "10.1.0.2"))
			n4++;
		else if (!strcmp(ntop(u), "fd00::2"))
			n6++;
		else
			other++;
	}
	freeifaddrs(ifa);
	vs_expect(n4 == 1 && n6 == 1 && other == 0, 1,
		  "getifaddrs lists only guest B's addresses (%d, %d, %d others)", n4, n6, other);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	vs_expect(VS_ERR(ioctl(fd, SIOCGIFCONF, &ifc)), 0, "SIOCGIFCONF works");
	close(fd);
	other = n4 = 0;
	for (k = 0; k < ifc.ifc_len / (int)sizeof(struct ifreq); k++) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ifc.ifc_req[k].ifr_addr;

		inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
		if (!strcmp(text, "10.1.0.2"))
			n4++;
		else
			other++;
	}
	vs_expect(n4 == 1 && other == 0, 1, "SIOCGIFCONF shows only 10.1.0.2 (%d others)", other);
	{
		struct ifreq ifr = { 0 };
		struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;

		strcpy(ifr.ifr_name, "lo");
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		text[0] = 0;
		if (!ioctl(fd, SIOCGIFADDR, &ifr))
			inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
		close(fd);
		vs_expect(!strcmp(text, "10.1.0.2"), 1, "SIOCGIFADDR of lo gives 10.1.0.2 (%s)", text);
	}
	f = fopen("/proc/net/if_inet6", "r");
	other = n6 = 0;
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "fd000000000000000000000000000002", 32))
			n6++;
		else
			other++;
	if (f)
		fclose(f);
	vs_expect(n6 == 1 && other == 0, 1, "/proc/net/if_inet6 shows only fd00::2 (%d others)", other);
}

/* Guest M has two addresses: its wildcard stays one, filtered. */
static int ready_m[2], stop_m[2];

static int guest_m_serves(void *arg)
{
	int u = bound(SOCK_DGRAM, "0.0.0.0", 7000);
	int t = bound(SOCK_STREAM, "0.0.0.0", 7001);
	char msg[64], got[64];

	(void)arg;
	snprintf(msg, sizeof(msg), "%s %s", local_of(u), local_of(t));
	if (write(ready_m[1], msg, strlen(msg) + 1) < 0)
		return 2;
	/* Report who sent the first two datagrams that arrive (or "(nothing)"). */
	snprintf(got, sizeof(got), "%s", datagram_from(u, 3000));
	snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s", accepted_from(t, 3000));
	if (write(ready_m[1], got, strlen(got) + 1) < 0)
		return 3;
	if (read(stop_m[0], msg, 1) < 0)
		return 4;
	return 0;
}

static void guest_runtime_changes(void *arg)
{
	int fd, fd2;

	(void)arg;
	if (net_migrate(NID_B))
		ktap_diag("entering network context %d failed", NID_B);
	vs_expect(bound(SOCK_DGRAM, "10.1.0.3", 0), -EADDRNOTAVAIL, "10.1.0.3 is not guest B's yet");
	if (write(ready_a[1], "x", 1) != 1 || read(stop_a[0], &fd, 1) != 1)
		ktap_diag("lost the host");
	fd = bound(SOCK_DGRAM, "10.1.0.3", 7100);
	vs_expect(fd >= 0, 1, "after the host added it, guest B binds 10.1.0.3");
	if (write(ready_a[1], "y", 1) != 1 || read(stop_a[0], &fd2, 1) != 1)
		ktap_diag("lost the host");
	vs_expect(!strcmp(local_of(fd), "10.1.0.3"), 1, "after its removal the socket keeps it");
	vs_expect(sent("10.1.0.3", 7100) == 0 && !strcmp(datagram_from(fd, 3000), "10.1.0.2"), 1,
		  "and still receives on it");
	vs_expect(bound(SOCK_DGRAM, "10.1.0.3", 7101), -EADDRNOTAVAIL, "new binds to it fail");
	close(fd);
}

int main(void)
{
	struct vs_net_info info = { 0 };
	struct vs_nid_query q = { 0 };
	struct vs_net_addr list[4];
	int host[5], lo, r, fd, i;
	char msg[128] = "", c;
	pid_t a, m;

	ktap_plan(86);
	r = system("ip addr add 10.1.0.1/32 dev lo && ip addr add 10.1.0.2/32 dev lo &&"
		   " ip addr add 10.1.0.3/32 dev lo && ip addr add 10.1.0.4/32 dev lo &&"
		   " ip addr add 10.1.0.5/32 dev lo && ip addr add " HOST4 "/32 dev lo &&"
		   " ip addr add fd00::1/128 dev lo && ip addr add fd00::2/128 dev lo &&"
		   " ip addr add " HOST6 "/128 dev lo");
	vs_expect(r, 0, "test addresses on lo");

	/* The ioctls and their bad inputs. */
	vs_expect(net_create(NID_A, 0, 0), NID_A, "NET_CREATE %d", NID_A);
	vs_expect(net_create(NID_B, VS_NF_PERSISTENT, 0), NID_B, "NET_CREATE %d (persistent)", NID_B);
	vs_expect(net_create(NID_M, 0, 0), NID_M, "NET_CREATE %d", NID_M);
	vs_expect(net_create(NID_A, 0, 0), -EEXIST, "NET_CREATE of an existing id -> EEXIST");
	vs_expect(net_create(1, 0, 0), -EINVAL, "NET_CREATE of id 1 -> EINVAL");
	vs_expect(net_create(4499, 1ULL << 9, 0), -EINVAL, "NET_CREATE with unknown flags -> EINVAL");
	vs_expect(net_create(4499, 0, 1), -EINVAL, "NET_CREATE with reserved != 0 -> EINVAL");
	vs_expect(vs_ioctl(VS_IOC_NET_CREATE, NULL), -EFAULT, "NET_CREATE from NULL -> EFAULT");
	vs_expect(add4(NID_A, "10.1.0.1") | add6(NID_A, "fd00::1"), 0, "A gets 10.1.0.1 and fd00::1");
	vs_expect(add4(NID_B, "10.1.0.2") | add6(NID_B, "fd00::2"), 0, "B gets 10.1.0.2 and fd00::2");
	vs_expect(add4(NID_M, "10.1.0.4") | add4(NID_M, "10.1.0.5"), 0, "M gets 10.1.0.4 and 10.1.0.5");
	vs_expect(add4(NID_A, "10.1.0.1"), -EEXIST, "adding it twice -> EEXIST");
	vs_expect(net_addr(VS_IOC_NET_ADD, NID_A, 99, "10.0.0.1", 8, 0), -EAFNOSUPPORT,
		  "an unknown family -> EAFNOSUPPORT");
	vs_expect(net_addr(VS_IOC_NET_ADD, NID_A, AF_INET, "10.0.0.1", 33, 0), -EINVAL,
		  "prefix /33 -> EINVAL");
	vs_expect(net_addr(VS_IOC_NET_ADD, NID_A, AF_INET6, "fd00::7", 129, 0), -EINVAL,
		  "prefix /129 -> EINVAL");
	vs_expect(add4(NID_A, "0.0.0.0"), -EINVAL, "the wildcard as an address -> EINVAL");
	vs_expect(add4(NID_A, "127.0.0.1"), -EINVAL, "127.0.0.1 as a member -> EINVAL");
	vs_expect(add4(NID_A, "224.0.0.1"), -EINVAL, "a multicast address -> EINVAL");
	vs_expect(net_addr(VS_IOC_NET_ADD, NID_A, AF_INET, "10.0.0.1", 8, 0x80), -EINVAL,
		  "unknown address flags -> EINVAL");
	vs_expect(add4(4499, "10.0.0.1"), -ESRCH, "an unknown network context -> ESRCH");
	vs_expect(net_addr(VS_IOC_NET_REMOVE_ADDR, NID_A, AF_INET, "10.7.7.7", 8, 0), -EADDRNOTAVAIL,
		  "removing an absent address -> EADDRNOTAVAIL");
	for (i = 0, r = 0; i < 16 && !r; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.2.0.%d", i + 1);
		r = add4(NID_M, ip);
	}
	vs_expect(r, -ENOSPC, "the 17th IPv4 address -> ENOSPC");
	for (i = 0; i < 14; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.2.0.%d", i + 1);
		net_addr(VS_IOC_NET_REMOVE_ADDR, NID_M, AF_INET, ip, 24, 0);
	}
	vs_expect(vs_ioctl(VS_IOC_NET_ADD, NULL), -EFAULT, "NET_ADD from NULL -> EFAULT");
	info.nid = NID_A;
	info.count = 1;
	info.addrs = (unsigned long)list;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_INFO, &info), -E2BIG, "GET_INFO with too little room -> E2BIG");
	vs_expect(info.total, 2, "... and says how many");
	info.count = 4;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_INFO, &info), 0, "GET_INFO");
	vs_expect(info.count == 2 && list[0].family == AF_INET && list[1].family == AF_INET6, 1,
		  "... lists the primary IPv4 then IPv6 address");
	info.nid = 4499;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_INFO, &info), -ESRCH, "GET_INFO of an unknown one -> ESRCH");
	vs_expect(net_migrate(0), -EINVAL, "NET_MIGRATE to 0 -> EINVAL");
	vs_expect(net_migrate(4499), -ESRCH, "NET_MIGRATE to an unknown one -> ESRCH");
	q.pid = 0;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_NID, &q) == 0 && q.nid == 0, 1, "the host has no nid");

	/* Guest A: in security context A and network context A. */
	vs_expect(vs_create(XID_A, 0), XID_A, "create context %d", XID_A);
	vs_expect(vs_create(XID_B, 0), XID_B, "create context %d", XID_B);
	if (pipe(ready_a) || pipe(stop_a))
		return 1;
	vs_private_add(stop_a[1]);
	lo = bound(SOCK_STREAM, "127.0.0.1", 8080);
	vs_expect(lo >= 0, 1, "the host listens on 127.0.0.1:8080");
	a = vs_fork();
	if (a == 0) {
		close(ready_a[0]);
		if (net_migrate(NID_A))
			_exit(8);
		_exit(guest_a_serves(NULL));
	}
	close(ready_a[1]);
	r = read(ready_a[0], msg, sizeof(msg));
	vs_expect(r > 0 && !strcmp(msg, "10.1.0.1 fd00::1 10.1.0.1"), 1,
		  "guest A's 0.0.0.0:80, [::]:80 and 127.0.0.1:8080 became its own (%s)", msg);
	vs_ktap_fork(guest_b, NULL, 30000);
	vs_expect(!strcmp(who_answers("10.1.0.1"), "A"), 1, "the host reaches guest A on 10.1.0.1");
	vs_expect(!strcmp(who_answers("fd00::1"), "A"), 1, "... and on fd00::1");
	vs_expect(strcmp(who_answers("10.1.0.2"), "A") != 0, 1, "guest A does not answer on 10.1.0.2");
	fd = connected("127.0.0.1", 8080, 2000);
	vs_expect(fd >= 0 && !strcmp(accepted_from(lo, 2000), "127.0.0.1"), 1,
		  "the host's 127.0.0.1:8080 is still the host's");
	if (fd >= 0)
		close(fd);
	vs_private_close(stop_a[1]);
	vs_expect(vs_child_status(a, 10000), 0, "guest A served and stopped");
	close(lo);
	close(ready_a[0]);

	/* Source addresses of guest B's outgoing traffic. */
	host[0] = bound(SOCK_STREAM, HOST4, 9000);
	host[1] = bound(SOCK_DGRAM, HOST4, 9001);
	host[2] = bound(SOCK_STREAM, HOST6, 9000);
	host[3] = bound(SOCK_DGRAM, HOST6, 9001);
	host[4] = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	vs_expect(host[0] >= 0 && host[1] >= 0 && host[2] >= 0 && host[3] >= 0 && host[4] >= 0, 1,
		  "host listeners on %s and %s", HOST4, HOST6);
	vs_ktap_fork(guest_b_sources, host, 30000);
	for (i = 0; i < 5; i++)
		close(host[i]);
	vs_ktap_fork(guest_b_lists, NULL, 30000);

	/* Guest M: two addresses, a wildcard filtered on receipt. */
	if (pipe(ready_m) || pipe(stop_m))
		return 1;
	vs_private_add(stop_m[1]);
	m = vs_fork();
	if (m == 0) {
		close(ready_m[0]);
		if (net_migrate(NID_M))
			_exit(8);
		_exit(guest_m_serves(NULL));
	}
	close(ready_m[1]);
	r = read(ready_m[0], msg, sizeof(msg));
	vs_expect(r > 0 && !strcmp(msg, "0.0.0.0 0.0.0.0"), 1,
		  "with two addresses the wildcard stays one (%s)", msg);
	vs_expect(sent(HOST4, 7000), 0, "the host sends to guest M's port on a host address");
	fd = connected(HOST4, 7001, 1000);
	vs_expect(fd, -ETIMEDOUT, "a connection to it on a host address gets no answer");
	vs_expect(sent("10.1.0.5", 7000), 0, "the host sends to 10.1.0.5:7000");
	fd = connected("10.1.0.5", 7001, 3000);
	vs_expect(fd >= 0, 1, "and connects to 10.1.0.5:7001");
	if (fd >= 0)
		close(fd);
	r = read(ready_m[0], msg, sizeof(msg));
	vs_expect(r > 0 && !strcmp(msg, "10.1.0.5 10.1.0.5"), 1,
		  "guest M got only what was sent to its addresses (%s)", msg);
	vs_private_close(stop_m[1]);
	vs_expect(vs_child_status(m, 10000), 0, "guest M stopped");

	/* Run-time changes: B gets 10.1.0.3, binds it, loses it; a host helper changes it. */
	if (pipe(ready_a) || pipe(stop_a))
		return 1;
	a = vs_fork();
	if (a == 0) {
		close(ready_a[1]);
		close(stop_a[0]);
		if (read(ready_a[0], &c, 1) != 1 || add4(NID_B, "10.1.0.3") ||
		    write(stop_a[1], "x", 1) != 1)
			_exit(1);
		if (read(ready_a[0], &c, 1) != 1 ||
		    net_addr(VS_IOC_NET_REMOVE_ADDR, NID_B, AF_INET, "10.1.0.3", 24, 0) ||
		    write(stop_a[1], "y", 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(ready_a[0]);
	close(stop_a[1]);
	vs_ktap_fork(guest_runtime_changes, NULL, 30000);
	close(ready_a[1]);
	close(stop_a[0]);
	vs_expect(vs_child_status(a, 10000), 0, "the host added and removed 10.1.0.3 meanwhile");

	info.nid = NID_B;
	info.count = 4;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_INFO, &info) == 0 && info.tasks == 0, 1,
		  "persistent B outlives its tasks");
	vs_expect(vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_B), 0, "NET_REMOVE B");
	vs_expect(vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_B), -ESRCH, "NET_REMOVE again -> ESRCH");
	info.nid = NID_A;
	vs_expect(vs_ioctl(VS_IOC_NET_GET_INFO, &info), -ESRCH, "A ended with its last task");
	vs_expect(vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_M) == 0 ||
		  vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_M) == -ESRCH, 1, "M is gone");
	vs_wait_gone(XID_A, 2000);
	system("ip addr flush dev lo; ip addr add 127.0.0.1/8 dev lo; ip addr add ::1/128 dev lo");
	return ktap_finish();
}
