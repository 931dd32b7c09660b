// SPDX-License-Identifier: GPL-2.0
/*
 * Context capabilities: VS_CCAP_SET_UTSNAME renames only the guest's own UTS
 * namespace, VS_CCAP_RAW_ICMP opens raw ICMP sockets (ping) and nothing else
 * raw; VS_IOC_GET_CAPS / VS_IOC_SET_CCAPS and their bad inputs.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>
#include <linux/if_ether.h>

#include "../lib/vs-ktap.h"

#define PLAIN 4201	/* default ccaps */
#define UTS 4202	/* SET_UTSNAME */
#define PING 4203	/* RAW_ICMP */

static int set_ccaps(__u32 xid, __u64 ccaps, __u32 reserved)
{
	struct vs_context_ccaps c = { .xid = xid, .reserved = reserved, .ccaps = ccaps };

	return vs_ioctl(VS_IOC_SET_CCAPS, &c);
}

static int get_caps(__u32 xid, __u64 *bcaps, __u64 *ccaps)
{
	struct vs_context_capsets c = { .xid = xid };
	int r = vs_ioctl(VS_IOC_GET_CAPS, &c);

	if (bcaps)
		*bcaps = c.bcaps;
	if (ccaps)
		*ccaps = c.ccaps;
	return r;
}

static char host_name[65];

/* Run in a fresh UTS namespace (the host unshares it before migrating). */
static void guest_renames(void *arg)
{
	__u32 xid = (__u32)(long)arg;
	char name[65] = "";
	int want = xid == UTS ? 0 : -EPERM;

	if (unshare(CLONE_NEWUTS))
		ktap_diag("host-side unshare(CLONE_NEWUTS) failed");
	if (vs_migrate(xid))
		ktap_diag("migrate into %u failed: the cases below will fail", xid);
	vs_expect(VS_ERR(sethostname("guest-uts", 9)), want, "%u: sethostname in its own namespace", xid);
	vs_expect(VS_ERR(setdomainname("guest-dom", 9)), want, "%u: setdomainname", xid);
	gethostname(name, sizeof(name));
	vs_expect(!strcmp(name, xid == UTS ? "guest-uts" : host_name), 1,
		  "%u: the guest's name is now '%s'", xid, name);
}

/* Stays in the host's UTS namespace. */
static void guest_renames_host_ns(void *arg)
{
	(void)arg;
	if (vs_migrate(UTS))
		ktap_diag("migrate into %d failed: the cases below will fail", UTS);
	vs_expect(VS_ERR(sethostname("evil", 4)), -EPERM,
		  "SET_UTSNAME in the host's namespace -> EPERM");
}

static unsigned short csum(const void *data, int len)
{
	const unsigned short *p = data;
	unsigned int sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	if (len)
		sum += *(const unsigned char *)p;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (unsigned short)~sum;
}

/* Sends an ICMP echo to 127.0.0.1 on a raw socket; 0 if the reply came back. */
static int ping_loopback(int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct icmphdr req = { .type = ICMP_ECHO };
	struct timeval tv = { .tv_sec = 2 };
	unsigned char buf[256];
	int i;

	req.un.echo.id = htons(0x5653);
	req.un.echo.sequence = htons(1);
	req.checksum = csum(&req, sizeof(req));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	for (i = 0; i < 4; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct iphdr *ip = (struct iphdr *)buf;
		struct icmphdr *icmp;

		if (n < 0)
			return -errno;
		if ((size_t)n < sizeof(*ip) + sizeof(*icmp))
			continue;
		icmp = (struct icmphdr *)(buf + ip->ihl * 4);
		if (icmp->type == ICMP_ECHOREPLY && icmp->un.echo.id == htons(0x5653))
			return 0;
	}
	return -ENOMSG;
}

static void guest_raw(void *arg)
{
	__u32 xid = (__u32)(long)arg;
	int ping = xid == PING;
	int one = 1, fd;

	if (vs_migrate(xid))
		ktap_diag("migrate into %u failed: the cases below will fail", xid);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	vs_expect(fd >= 0 ? 0 : -errno, ping ? 0 : -EPERM, "%u: raw ICMP socket", xid);
	if (ping) {
		vs_expect(ping_loopback(fd), 0, "%u: ping 127.0.0.1 gets its reply", xid);
		vs_expect(VS_ERR(setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))), -EPERM,
			  "%u: IP_HDRINCL on it -> EPERM", xid);
	}
	if (fd >= 0)
		close(fd);
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	vs_expect(fd >= 0 ? 0 : -errno, ping ? 0 : -EPERM, "%u: raw ICMPv6 socket", xid);
	if (fd >= 0)
		close(fd);
	vs_expect(VS_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_UDP)), -EPERM,
		  "%u: raw UDP socket -> EPERM", xid);
	vs_expect(VS_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_RAW)), -EPERM,
		  "%u: IPPROTO_RAW socket -> EPERM", xid);
	vs_expect(VS_ERR(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))), -EPERM,
		  "%u: packet socket -> EPERM", xid);
	vs_expect(VS_ERR(socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP))), -EPERM,
		  "%u: packet datagram socket -> EPERM", xid);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	vs_expect(VS_ERR(setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one))), -EPERM,
		  "%u: IP_TRANSPARENT -> EPERM", xid);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	vs_expect(fd >= 0, 1, "%u: ordinary sockets still work", xid);
	close(fd);
}

int main(void)
{
	__u64 b, c;
	int fd;

	ktap_plan(47);
	gethostname(host_name, sizeof(host_name));
	vs_expect(vs_create(PLAIN, VS_CF_PERSISTENT), PLAIN, "create context %d", PLAIN);
	vs_expect(vs_create(UTS, VS_CF_PERSISTENT), UTS, "create context %d", UTS);
	vs_expect(vs_create(PING, VS_CF_PERSISTENT), PING, "create context %d", PING);
	vs_expect(get_caps(PLAIN, &b, &c), 0, "GET_CAPS");
	vs_expect(b == VS_BCAPS_DEFAULT && c == VS_CCAPS_DEFAULT, 1,
		  "a new context has the default sets (ccaps %#llx)", (unsigned long long)c);
	vs_expect(set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0), 0, "SET_CCAPS SET_UTSNAME");
	vs_expect(set_ccaps(PING, VS_CCAP_RAW_ICMP, 0), 0, "SET_CCAPS RAW_ICMP");
	vs_expect(get_caps(PING, NULL, &c) == 0 && c == VS_CCAP_RAW_ICMP, 1, "GET_CAPS shows it");
	vs_expect(set_ccaps(PLAIN, 1ULL << 40, 0), -EINVAL, "an unknown ccap -> EINVAL");
	vs_expect(set_ccaps(PLAIN, 0, 1), -EINVAL, "reserved != 0 -> EINVAL");
	vs_expect(set_ccaps(4299, 0, 0), -ESRCH, "an unknown context -> ESRCH");
	vs_expect(vs_ioctl(VS_IOC_SET_CCAPS, NULL), -EFAULT, "SET_CCAPS from NULL -> EFAULT");
	vs_expect(vs_ioctl(VS_IOC_GET_CAPS, NULL), -EFAULT, "GET_CAPS from NULL -> EFAULT");
	vs_expect(get_caps(VS_XID_SELF, NULL, NULL), -EINVAL, "GET_CAPS of the host -> EINVAL");
	vs_expect(get_caps(4299, NULL, NULL), -ESRCH, "GET_CAPS of an unknown context -> ESRCH");
	vs_expect(vs_end_setup(PLAIN), 0, "END_SETUP %d", PLAIN);
	vs_expect(set_ccaps(PLAIN, VS_CCAP_RAW_ICMP, 0), -EPERM,
		  "after setup the ccaps cannot grow -> EPERM");
	vs_expect(set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0), 0, "setting the same set again works");

	vs_ktap_fork(guest_renames, (void *)(long)PLAIN, 20000);
	vs_ktap_fork(guest_renames, (void *)(long)UTS, 20000);
	vs_ktap_fork(guest_renames_host_ns, NULL, 20000);
	{
		char name[65] = "";

		gethostname(name, sizeof(name));
		vs_expect(!strcmp(name, host_name), 1, "the host's name is untouched ('%s')", name);
	}
	vs_ktap_fork(guest_raw, (void *)(long)PLAIN, 20000);
	vs_ktap_fork(guest_raw, (void *)(long)PING, 20000);

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	vs_expect(fd >= 0, 1, "the host still opens packet sockets");
	if (fd >= 0)
		close(fd);
	vs_expect(set_ccaps(PING, 0, 0), 0, "RAW_ICMP can be taken away");
	vs_wait_tasks(PLAIN, 0, 2000);
	vs_wait_tasks(UTS, 0, 2000);
	vs_wait_tasks(PING, 0, 2000);
	vs_expect(vs_remove(PLAIN) | vs_remove(UTS) | vs_remove(PING), 0, "remove the contexts");
	return ktap_finish();
}
