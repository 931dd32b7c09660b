// SPDX-License-Identifier: GPL-2.0
/*
 * Network contexts (chbind): binds confined to the guest's addresses, the
 * wildcard and loopback remapped, guest source addresses for outgoing
 * traffic, other addresses hidden, run-time changes; IPv4 and IPv6; the
 * ioctls' bad inputs. All addresses live on lo in the test VM: each test's
 * setup adds them and its teardown removes them again.
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
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "../lib/harness.h"
#include "../lib/icmp.h"

#define NID_A 4401	/* 10.1.0.1, fd00::1 */
#define NID_B 4402	/* 10.1.0.2, fd00::2 */
#define NID_M 4403	/* 10.1.0.4 and 10.1.0.5: a multi-address wildcard */
#define NID_UNKNOWN 4499
#define XID_A 4401	/* guest A is also a security context */
#define XID_B 4402	/* guest B ends up in one */
#define HOST4 "10.1.0.9"
#define HOST6 "fd00::9"

/* The test addresses on lo (10.1.0.3 is the one added to B at run time). */
static const char *const lo_addrs[] = {
	"10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", HOST4,
	"fd00::1", "fd00::2", HOST6,
};

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

/* NET_ADD or NET_REMOVE_ADDR of @ip (IPv6 if it has a ':', whatever @family says). */
static int net_addr(unsigned long cmd, __u32 nid, __u32 family, const char *ip, __u32 prefix,
		    __u32 flags)
{
	struct vs_net_addr a = { .nid = nid, .family = family, .prefix = prefix, .flags = flags };

	inet_pton(strchr(ip, ':') ? AF_INET6 : AF_INET, ip, a.addr);
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

/* NET_GET_INFO of @nid with room for @room addresses in @list; 0 or -errno. */
static int net_info(__u32 nid, struct vs_net_info *info, struct vs_net_addr *list, __u32 room)
{
	memset(info, 0, sizeof(*info));
	info->nid = nid;
	info->count = room;
	info->addrs = (unsigned long)list;
	return vs_ioctl(VS_IOC_NET_GET_INFO, info);
}

/* ---- lo's addresses ------------------------------------------------------------ */

/* RTM_NEWADDR (@add) or RTM_DELADDR of host address @ip (/32 or /128) on lo: 0 or -errno. */
static int lo_addr(bool add, const char *ip)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		char attrs[2 * RTA_SPACE(16)];
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr nh;
		char buf[512];
	} ack;
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	int alen = family == AF_INET6 ? 16 : 4, fd, r, i;
	unsigned char a[16];
	struct rtattr *rta;
	ssize_t n;

	if (inet_pton(family, ip, a) != 1)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	req.nh.nlmsg_seq = 1;
	req.ifa.ifa_family = family;
	req.ifa.ifa_prefixlen = alen * 8;
	req.ifa.ifa_index = if_nametoindex("lo");
	for (i = 0; i < 2; i++) {
		rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
		rta->rta_type = i ? IFA_ADDRESS : IFA_LOCAL;
		rta->rta_len = RTA_LENGTH(alen);
		memcpy(RTA_DATA(rta), a, alen);
		req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_SPACE(alen);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	n = recv(fd, &ack, sizeof(ack), 0);
	r = n < 0 ? -errno : -EPROTO;
	if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && ack.nh.nlmsg_type == NLMSG_ERROR)
		r = ((struct nlmsgerr *)NLMSG_DATA(&ack.nh))->error;
	close(fd);
	return r;
}

/* Waits (bounded) until @ip can be bound: a new IPv6 address is tentative for a moment. */
static int bindable(const char *ip, int ms)
{
	union sa u;
	socklen_t len = mkaddr(&u, ip, 0);
	int waited, fd, r;

	for (waited = 0; ; waited += 10) {
		fd = socket(u.sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		r = VS_ERR(bind(fd, &u.sa, len));
		close(fd);
		if (!r || waited >= ms)
			return r;
		vs_msleep(10);
	}
}

/* ---- the network contexts every test starts with ---------------------------------- */

/* Adds the test addresses to lo; the teardown removes them (lo_addrs_remove()). */
static void lo_addrs_add(struct __test_metadata *_metadata)
{
	unsigned int i;

	vs_h_needs_teardown(_metadata);	/* from the first address on */
	for (i = 0; i < sizeof(lo_addrs) / sizeof(lo_addrs[0]); i++) {
		ASSERT_EQ(0, lo_addr(true, lo_addrs[i])) {
			TH_LOG("adding %s to lo", lo_addrs[i]);
		}
	}
	for (i = 0; i < sizeof(lo_addrs) / sizeof(lo_addrs[0]); i++) {
		ASSERT_EQ(0, bindable(lo_addrs[i], 3000)) {
			TH_LOG("%s on lo", lo_addrs[i]);
		}
	}
}

/* Removes the contexts the test made, then the test addresses. */
static void lo_addrs_remove(struct __test_metadata *_metadata)
{
	unsigned int i;
	int r;

	vs_h_destroy_all();
	for (i = 0; i < sizeof(lo_addrs) / sizeof(lo_addrs[0]); i++) {
		r = lo_addr(false, lo_addrs[i]);
		if (r && r != -EADDRNOTAVAIL && r != -ENOENT)
			TH_LOG("teardown: removing %s from lo: %s", lo_addrs[i], strerror(-r));
	}
}

/*
 * The addresses on lo; NID_A (10.1.0.1, fd00::1), NID_B (persistent,
 * 10.1.0.2, fd00::2) and NID_M (10.1.0.4, 10.1.0.5). The teardown removes
 * them all (lo_addrs_remove()).
 */
static void net_world_make(struct __test_metadata *_metadata)
{
	lo_addrs_add(_metadata);
	ASSERT_EQ(NID_A, vs_h_net_create(NID_A, 0));
	ASSERT_EQ(NID_B, vs_h_net_create(NID_B, VS_NF_PERSISTENT));
	ASSERT_EQ(NID_M, vs_h_net_create(NID_M, 0));
	ASSERT_EQ(0, add4(NID_A, "10.1.0.1"));
	ASSERT_EQ(0, add6(NID_A, "fd00::1"));
	ASSERT_EQ(0, add4(NID_B, "10.1.0.2"));
	ASSERT_EQ(0, add6(NID_B, "fd00::2"));
	ASSERT_EQ(0, add4(NID_M, "10.1.0.4"));
	ASSERT_EQ(0, add4(NID_M, "10.1.0.5"));
}

/* In a child: enters network context @nid; false (and a failed check) if it could not. */
static bool enter_net(struct __test_metadata *_metadata, __u32 nid)
{
	int r = net_migrate(nid);

	EXPECT_EQ(0, r) {
		TH_LOG("entering network context %u", nid);
	}
	return !r;
}

static void enters_and_leaves(struct __test_metadata *_metadata, void *arg)
{
	enter_net(_metadata, (__u32)(long)arg);
}

/* vs_h_run() of @fn in a child that stays in the host context (it enters a network context itself). */
#define RUN_IN_NET(fn, arg) vs_h_run(VS_XID_HOST, VS_F_STAY, (fn), (arg), 30000)

/* Reads one message of a server into @buf within @ms; its length, or -errno. */
static int read_msg(int fd, char *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	buf[0] = 0;
	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return (int)n;
}

/* ---- creating network contexts and giving them addresses ---------------------- */

FIXTURE(net_create) {
	char unused;
};

FIXTURE_SETUP(net_create)
{
	lo_addrs_add(_metadata);
}

FIXTURE_TEARDOWN(net_create)
{
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(net_create, makes_a_network_context, VS_H_TIMEOUT)
{
	EXPECT_EQ(NID_A, vs_h_net_create(NID_A, 0));
}

TEST_F_TIMEOUT(net_create, makes_a_persistent_network_context, VS_H_TIMEOUT)
{
	EXPECT_EQ(NID_B, vs_h_net_create(NID_B, VS_NF_PERSISTENT));
}

TEST_F_TIMEOUT(net_create, net_add_gives_it_an_ipv4_address, VS_H_TIMEOUT)
{
	ASSERT_EQ(NID_A, vs_h_net_create(NID_A, 0));
	EXPECT_EQ(0, add4(NID_A, "10.1.0.1"));
}

TEST_F_TIMEOUT(net_create, net_add_gives_it_an_ipv6_address, VS_H_TIMEOUT)
{
	ASSERT_EQ(NID_A, vs_h_net_create(NID_A, 0));
	EXPECT_EQ(0, add4(NID_A, "10.1.0.1"));
	EXPECT_EQ(0, add6(NID_A, "fd00::1"));
}

TEST_F_TIMEOUT(net_create, net_add_gives_it_a_second_ipv4_address, VS_H_TIMEOUT)
{
	ASSERT_EQ(NID_M, vs_h_net_create(NID_M, 0));
	EXPECT_EQ(0, add4(NID_M, "10.1.0.4"));
	EXPECT_EQ(0, add4(NID_M, "10.1.0.5"));
}

/* ---- the ioctls and their bad inputs ---------------------------------------------- */

FIXTURE(net_ioctl) {
	char unused;
};

FIXTURE_SETUP(net_ioctl)
{
	net_world_make(_metadata);
}

FIXTURE_TEARDOWN(net_ioctl)
{
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(net_ioctl, net_create_of_an_existing_nid_is_eexist, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EEXIST, net_create(NID_A, 0, 0));
}

TEST_F_TIMEOUT(net_ioctl, net_create_of_nid_1_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, net_create(1, 0, 0));
}

TEST_F_TIMEOUT(net_ioctl, net_create_with_unknown_flags_is_einval, VS_H_TIMEOUT)
{
	long r = net_create(NID_UNKNOWN, 1ULL << 9, 0);

	if (r > 0)
		vs_h_track_net(r);
	EXPECT_EQ(-EINVAL, r);
}

TEST_F_TIMEOUT(net_ioctl, net_create_with_flag_bit_1_the_first_unknown_is_einval, VS_H_TIMEOUT)
{
	long r = net_create(NID_UNKNOWN, VS_NF_PERSISTENT | (1ULL << 1), 0);

	if (r > 0)
		vs_h_track_net(r);
	EXPECT_EQ(-EINVAL, r);
}

TEST_F_TIMEOUT(net_ioctl, net_create_with_reserved_set_is_einval, VS_H_TIMEOUT)
{
	long r = net_create(NID_UNKNOWN, 0, 1);

	if (r > 0)
		vs_h_track_net(r);
	EXPECT_EQ(-EINVAL, r);
}

TEST_F_TIMEOUT(net_ioctl, net_create_from_null_is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(VS_IOC_NET_CREATE, NULL));
}

TEST_F_TIMEOUT(net_ioctl, adding_an_address_twice_is_eexist, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EEXIST, add4(NID_A, "10.1.0.1"));
}

TEST_F_TIMEOUT(net_ioctl, unknown_family_is_eafnosupport, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EAFNOSUPPORT, net_addr(VS_IOC_NET_ADD, NID_A, 99, "10.0.0.1", 8, 0));
}

TEST_F_TIMEOUT(net_ioctl, ipv4_prefix_33_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, net_addr(VS_IOC_NET_ADD, NID_A, AF_INET, "10.0.0.1", 33, 0));
}

TEST_F_TIMEOUT(net_ioctl, ipv6_prefix_129_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, net_addr(VS_IOC_NET_ADD, NID_A, AF_INET6, "fd00::7", 129, 0));
}

TEST_F_TIMEOUT(net_ioctl, wildcard_as_an_address_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, add4(NID_A, "0.0.0.0"));
}

TEST_F_TIMEOUT(net_ioctl, loopback_as_a_member_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, add4(NID_A, "127.0.0.1"));
}

TEST_F_TIMEOUT(net_ioctl, multicast_address_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, add4(NID_A, "224.0.0.1"));
}

TEST_F_TIMEOUT(net_ioctl, unknown_address_flags_are_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, net_addr(VS_IOC_NET_ADD, NID_A, AF_INET, "10.0.0.1", 8, 0x80));
}

TEST_F_TIMEOUT(net_ioctl, adding_to_an_unknown_network_context_is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, add4(NID_UNKNOWN, "10.0.0.1"));
}

TEST_F_TIMEOUT(net_ioctl, removing_an_absent_address_is_eaddrnotavail, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EADDRNOTAVAIL,
		  net_addr(VS_IOC_NET_REMOVE_ADDR, NID_A, AF_INET, "10.7.7.7", 8, 0));
}

TEST_F_TIMEOUT(net_ioctl, seventeenth_ipv4_address_is_enospc, VS_H_TIMEOUT)
{
	char ip[32];
	int i, r;

	/* NID_M has 2 already: 14 more fit. */
	for (i = 0, r = 0; i < 16 && !r; i++) {
		snprintf(ip, sizeof(ip), "10.2.0.%d", i + 1);
		r = add4(NID_M, ip);
	}
	EXPECT_EQ(-ENOSPC, r);
	EXPECT_EQ(15, i) {
		TH_LOG("the address refused was %s", ip);
	}
}

TEST_F_TIMEOUT(net_ioctl, net_add_from_null_is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(VS_IOC_NET_ADD, NULL));
}

TEST_F_TIMEOUT(net_ioctl, get_info_with_too_little_room_is_e2big, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	EXPECT_EQ(-E2BIG, net_info(NID_A, &info, list, 1));
}

TEST_F_TIMEOUT(net_ioctl, get_info_with_too_little_room_says_how_many, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	net_info(NID_A, &info, list, 1);
	EXPECT_EQ(2U, info.total);
}

TEST_F_TIMEOUT(net_ioctl, get_info_succeeds, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	EXPECT_EQ(0, net_info(NID_A, &info, list, 4));
}

TEST_F_TIMEOUT(net_ioctl, get_info_lists_both_addresses, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	ASSERT_EQ(0, net_info(NID_A, &info, list, 4));
	EXPECT_EQ(2U, info.count);
}

TEST_F_TIMEOUT(net_ioctl, get_info_lists_the_primary_ipv4_then_ipv6_address, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	ASSERT_EQ(0, net_info(NID_A, &info, list, 4));
	ASSERT_LE(2U, info.count);
	EXPECT_EQ((__u32)AF_INET, list[0].family);
	EXPECT_EQ((__u32)AF_INET6, list[1].family);
}

TEST_F_TIMEOUT(net_ioctl, get_info_of_an_unknown_network_context_is_esrch, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	EXPECT_EQ(-ESRCH, net_info(NID_UNKNOWN, &info, list, 4));
}

TEST_F_TIMEOUT(net_ioctl, net_migrate_to_0_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, net_migrate(0));
}

TEST_F_TIMEOUT(net_ioctl, net_migrate_to_an_unknown_network_context_is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, net_migrate(NID_UNKNOWN));
}

TEST_F_TIMEOUT(net_ioctl, host_has_no_nid, VS_H_TIMEOUT)
{
	struct vs_nid_query q = { .pid = 0, .nid = 0xdead };

	EXPECT_EQ(0, vs_ioctl(VS_IOC_NET_GET_NID, &q));
	EXPECT_EQ(0U, q.nid);
}

/*
 * Each variant: an address request with a family, prefix or flags the 32-bit
 * fields of struct vs_net_addr carry beyond what the old 16- and 8-bit ones
 * did (0x10002 is AF_INET in its low 16 bits, 280 is 24 in its low 8), or at
 * the edge of what is valid; and its errno. NID_A holds 10.1.0.1 and fd00::1.
 */
FIXTURE(bad_net_addr) {
	char unused;
};

FIXTURE_VARIANT(bad_net_addr) {
	unsigned long request;
	__u32 family;
	const char *ip;
	__u32 prefix;
	__u32 flags;
	int error;
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_family_0) {
	.request = VS_IOC_NET_ADD, .family = 0, .ip = "10.1.0.3", .prefix = 24,
	.error = EAFNOSUPPORT,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_family_0x10002_af_inet_in_16_bits) {
	.request = VS_IOC_NET_ADD, .family = 0x10000 | AF_INET, .ip = "10.1.0.3", .prefix = 24,
	.error = EAFNOSUPPORT,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_family_af_inet6_plus_0x10000) {
	.request = VS_IOC_NET_ADD, .family = 0x10000 | AF_INET6, .ip = "fd00::7", .prefix = 64,
	.error = EAFNOSUPPORT,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_family_0xffffffff) {
	.request = VS_IOC_NET_ADD, .family = 0xffffffffu, .ip = "10.1.0.3", .prefix = 24,
	.error = EAFNOSUPPORT,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_ipv4_prefix_280_24_in_8_bits) {
	.request = VS_IOC_NET_ADD, .family = AF_INET, .ip = "10.1.0.3", .prefix = 256 + 24,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_ipv4_prefix_256) {
	.request = VS_IOC_NET_ADD, .family = AF_INET, .ip = "10.1.0.3", .prefix = 256,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_ipv6_prefix_320_64_in_8_bits) {
	.request = VS_IOC_NET_ADD, .family = AF_INET6, .ip = "fd00::7", .prefix = 256 + 64,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_of_ipv4_prefix_0xffffffff) {
	.request = VS_IOC_NET_ADD, .family = AF_INET, .ip = "10.1.0.3", .prefix = 0xffffffffu,
	.error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_with_flag_bit_8) {
	.request = VS_IOC_NET_ADD, .family = AF_INET, .ip = "10.1.0.3", .prefix = 24,
	.flags = 1U << 8, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_with_loopback_and_flag_bit_8) {
	.request = VS_IOC_NET_ADD, .family = AF_INET, .ip = "10.1.0.3", .prefix = 24,
	.flags = VS_NA_LOOPBACK | (1U << 8), .error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, add_with_flag_bit_31) {
	.request = VS_IOC_NET_ADD, .family = AF_INET6, .ip = "fd00::7", .prefix = 64,
	.flags = 1U << 31, .error = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_net_addr, remove_of_a_present_address_as_family_0x10002) {
	.request = VS_IOC_NET_REMOVE_ADDR, .family = 0x10000 | AF_INET, .ip = "10.1.0.1",
	.prefix = 24, .error = EAFNOSUPPORT,
};

FIXTURE_VARIANT_ADD(bad_net_addr, remove_of_a_present_address_with_flag_bit_8) {
	.request = VS_IOC_NET_REMOVE_ADDR, .family = AF_INET6, .ip = "fd00::1", .prefix = 64,
	.flags = 1U << 8, .error = EINVAL,
};

FIXTURE_SETUP(bad_net_addr)
{
	net_world_make(_metadata);
}

FIXTURE_TEARDOWN(bad_net_addr)
{
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(bad_net_addr, answers_its_errno, VS_H_TIMEOUT)
{
	EXPECT_EQ(-variant->error, net_addr(variant->request, NID_A, variant->family, variant->ip,
					    variant->prefix, variant->flags));
}

TEST_F_TIMEOUT(bad_net_addr, leaves_the_addresses_as_they_were, VS_H_TIMEOUT)
{
	char a0[INET6_ADDRSTRLEN] = "", a1[INET6_ADDRSTRLEN] = "";
	struct vs_net_addr list[4];
	struct vs_net_info info;

	net_addr(variant->request, NID_A, variant->family, variant->ip, variant->prefix,
		 variant->flags);
	ASSERT_EQ(0, net_info(NID_A, &info, list, 4));
	ASSERT_EQ(2U, info.count) {
		TH_LOG("NID_A has %u addresses, not 10.1.0.1 and fd00::1", info.count);
	}
	inet_ntop(AF_INET, list[0].addr, a0, sizeof(a0));
	inet_ntop(AF_INET6, list[1].addr, a1, sizeof(a1));
	EXPECT_EQ((__u32)AF_INET, list[0].family);
	EXPECT_STREQ("10.1.0.1", a0);
	EXPECT_EQ(0U, list[0].flags);
	EXPECT_EQ((__u32)AF_INET6, list[1].family);
	EXPECT_STREQ("fd00::1", a1);
	EXPECT_EQ(0U, list[1].flags);
}

/* ---- guest A serving, guest B beside it --------------------------------------------- */

/*
 * Guest A (network context A and security context A) serves 0.0.0.0:80 and
 * [::]:80, answering each connection with "A", and binds its "localhost"
 * 127.0.0.1:8080, until its stop pipe is closed. It first reports the local
 * addresses its three sockets got.
 */
struct server {
	pid_t pid;
	int ready;	/* read end: the server's reports */
	int stop;	/* write end: closing it stops the server */
};

static int server_ready_end, server_stop_end;

static int guest_a_serves(void)
{
	int v4 = bound(SOCK_STREAM, "0.0.0.0", 80);
	int v6 = bound(SOCK_STREAM, "::", 80);
	int lo = bound(SOCK_STREAM, "127.0.0.1", 8080);
	struct pollfd p[3] = {
		{ .fd = v4, .events = POLLIN },
		{ .fd = v6, .events = POLLIN },
		{ .fd = server_stop_end, .events = POLLIN },
	};
	char msg[128];

	if (vs_migrate(XID_A))
		return 9;
	snprintf(msg, sizeof(msg), "%s", local_of(v4));
	snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " %s", local_of(v6));
	snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " %s", local_of(lo));
	if (write(server_ready_end, msg, strlen(msg) + 1) < 0)
		return 2;
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
					vs_diag("guest A could not answer");
				close(fd);
			}
		}
	}
}

/*
 * Forks a server: it enters network context @nid and runs @serve. Returns
 * 0 or -errno; the server's end of the pipes is closed here.
 */
static int server_start(struct server *s, __u32 nid, int (*serve)(void))
{
	int ready[2], stop[2];

	s->pid = -1;
	s->ready = s->stop = -1;
	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	if (pipe2(stop, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		return -errno;
	}
	vs_private_add(stop[1]);
	server_ready_end = ready[1];
	server_stop_end = stop[0];
	s->pid = vs_fork();
	if (s->pid == 0) {
		close(ready[0]);
		if (net_migrate(nid))
			_exit(8);
		_exit(serve());
	}
	close(ready[1]);
	close(stop[0]);
	s->ready = ready[0];
	s->stop = stop[1];
	return s->pid < 0 ? -EAGAIN : 0;
}

/* Stops the server; its exit code (bounded), or -1 if there was none. */
static int server_stop(struct server *s)
{
	int code = -1;

	if (s->stop >= 0)
		vs_private_close(s->stop);
	s->stop = -1;
	if (s->pid > 0)
		code = vs_child_status(s->pid, 10000);
	s->pid = -1;
	if (s->ready >= 0)
		close(s->ready);
	s->ready = -1;
	return code;
}

FIXTURE(guests) {
	struct server a;
	int lo;			/* the host's 127.0.0.1:8080 */
	char bound[3][INET6_ADDRSTRLEN];	/* what guest A's 0.0.0.0, [::] and 127.0.0.1 became */
};

FIXTURE_SETUP(guests)
{
	char msg[128];

	self->a.pid = -1;
	self->a.stop = self->a.ready = -1;
	self->lo = -1;
	net_world_make(_metadata);
	ASSERT_EQ(XID_A, vs_h_create(XID_A, 0));
	ASSERT_EQ(XID_B, vs_h_create(XID_B, 0));
	self->lo = bound(SOCK_STREAM, "127.0.0.1", 8080);
	ASSERT_LE(0, self->lo);
	ASSERT_EQ(0, server_start(&self->a, NID_A, guest_a_serves));
	ASSERT_LT(0, read_msg(self->a.ready, msg, sizeof(msg), 10000)) {
		TH_LOG("guest A does not serve");
	}
	ASSERT_EQ(3, sscanf(msg, "%45s %45s %45s", self->bound[0], self->bound[1],
			    self->bound[2])) {
		TH_LOG("guest A said \"%s\"", msg);
	}
}

FIXTURE_TEARDOWN(guests)
{
	server_stop(&self->a);
	if (self->lo >= 0)
		close(self->lo);
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(guests, wildcard_bind_becomes_the_guests_ipv4_address, VS_H_TIMEOUT)
{
	EXPECT_STREQ("10.1.0.1", self->bound[0]);
}

TEST_F_TIMEOUT(guests, ipv6_wildcard_bind_becomes_the_guests_ipv6_address, VS_H_TIMEOUT)
{
	EXPECT_STREQ("fd00::1", self->bound[1]);
}

TEST_F_TIMEOUT(guests, loopback_bind_becomes_the_guests_address, VS_H_TIMEOUT)
{
	EXPECT_STREQ("10.1.0.1", self->bound[2]);
}

/* What a check in guest B (network context B) does. */
enum guest_b_check {
	B_BINDS_THE_WILDCARD,
	B_WILDCARD_BECOMES_ITS_ADDRESS,
	B_BINDS_AS_ADDRESS,
	B_BINDS_A_HOST_ADDRESS,
	B_BINDS_AS_IPV6_ADDRESS,
	B_IPV6_WILDCARD_BECOMES_ITS_ADDRESS,
	B_CONNECTS_TO_ITS_LOOPBACK,
	B_CONNECTS_TO_ITS_IPV6_LOOPBACK,
	B_ADDS_AN_ADDRESS,
	B_CREATES_A_NETWORK_CONTEXT,
};

static void guest_b(struct __test_metadata *_metadata, void *arg)
{
	enum guest_b_check check = *(enum guest_b_check *)arg;
	long r;
	int fd;

	if (!enter_net(_metadata, NID_B))
		return;
	switch (check) {
	case B_BINDS_THE_WILDCARD:
		fd = bound(SOCK_STREAM, "0.0.0.0", 80);
		EXPECT_LE(0, fd) {
			TH_LOG("guest A has it too: %s", vs_errname(fd));
		}
		break;
	case B_WILDCARD_BECOMES_ITS_ADDRESS:
		fd = bound(SOCK_STREAM, "0.0.0.0", 80);
		EXPECT_STREQ("10.1.0.2", local_of(fd));
		break;
	case B_BINDS_AS_ADDRESS:
		EXPECT_EQ(-EADDRNOTAVAIL, bound(SOCK_STREAM, "10.1.0.1", 81));
		break;
	case B_BINDS_A_HOST_ADDRESS:
		EXPECT_EQ(-EADDRNOTAVAIL, bound(SOCK_DGRAM, HOST4, 81));
		break;
	case B_BINDS_AS_IPV6_ADDRESS:
		EXPECT_EQ(-EADDRNOTAVAIL, bound(SOCK_STREAM, "fd00::1", 81));
		break;
	case B_IPV6_WILDCARD_BECOMES_ITS_ADDRESS:
		fd = bound(SOCK_DGRAM, "::", 81);
		EXPECT_STREQ("fd00::2", local_of(fd));
		break;
	case B_CONNECTS_TO_ITS_LOOPBACK:
		/* Neither guest A's 127.0.0.1:8080 nor the host's. */
		EXPECT_EQ(-ECONNREFUSED, connected("127.0.0.1", 8080, 2000));
		break;
	case B_CONNECTS_TO_ITS_IPV6_LOOPBACK:
		EXPECT_EQ(-ECONNREFUSED, connected("::1", 8080, 2000));
		break;
	case B_ADDS_AN_ADDRESS:
	case B_CREATES_A_NETWORK_CONTEXT:
		r = vs_migrate(XID_B);
		EXPECT_EQ(0, r);
		if (r)
			break;
		if (check == B_ADDS_AN_ADDRESS) {
			EXPECT_EQ(-EPERM, add4(NID_B, "10.1.0.3"));
		} else {
			EXPECT_EQ(-EPERM, net_create(NID_UNKNOWN, 0, 0));
		}
		break;
	}
}

#define GUEST_B_CHECKS(check)						\
	do {								\
		enum guest_b_check __c = (check);			\
		RUN_IN_NET(guest_b, &__c);				\
	} while (0)

TEST_F_TIMEOUT(guests, another_guest_also_binds_the_wildcard_port, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_BINDS_THE_WILDCARD);
}

TEST_F_TIMEOUT(guests, another_guests_wildcard_becomes_its_own_address, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_WILDCARD_BECOMES_ITS_ADDRESS);
}

TEST_F_TIMEOUT(guests, guest_binding_another_guests_address_is_eaddrnotavail, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_BINDS_AS_ADDRESS);
}

TEST_F_TIMEOUT(guests, guest_binding_a_host_address_is_eaddrnotavail, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_BINDS_A_HOST_ADDRESS);
}

TEST_F_TIMEOUT(guests, guest_binding_another_guests_ipv6_address_is_eaddrnotavail, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_BINDS_AS_IPV6_ADDRESS);
}

TEST_F_TIMEOUT(guests, guests_ipv6_wildcard_becomes_its_ipv6_address, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_IPV6_WILDCARD_BECOMES_ITS_ADDRESS);
}

TEST_F_TIMEOUT(guests, guests_127_0_0_1_is_its_own, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_CONNECTS_TO_ITS_LOOPBACK);
}

TEST_F_TIMEOUT(guests, guests_ipv6_loopback_is_its_own, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_CONNECTS_TO_ITS_IPV6_LOOPBACK);
}

TEST_F_TIMEOUT(guests, guest_cannot_add_addresses, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_ADDS_AN_ADDRESS);
}

TEST_F_TIMEOUT(guests, guest_cannot_create_network_contexts, VS_H_TIMEOUT)
{
	GUEST_B_CHECKS(B_CREATES_A_NETWORK_CONTEXT);
}

/* Who answers at @ip:80: "A", "?" (connected, no answer), or the connect error. */
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

TEST_F_TIMEOUT(guests, host_reaches_a_guest_on_its_ipv4_address, VS_H_TIMEOUT)
{
	EXPECT_STREQ("A", who_answers("10.1.0.1"));
}

TEST_F_TIMEOUT(guests, host_reaches_a_guest_on_its_ipv6_address, VS_H_TIMEOUT)
{
	EXPECT_STREQ("A", who_answers("fd00::1"));
}

TEST_F_TIMEOUT(guests, guest_does_not_answer_on_another_guests_address, VS_H_TIMEOUT)
{
	EXPECT_STRNE("A", who_answers("10.1.0.2"));
}

TEST_F_TIMEOUT(guests, hosts_127_0_0_1_stays_the_hosts, VS_H_TIMEOUT)
{
	int fd = connected("127.0.0.1", 8080, 2000);

	EXPECT_LE(0, fd);
	EXPECT_STREQ("127.0.0.1", accepted_from(self->lo, 2000));
	if (fd >= 0)
		close(fd);
}

TEST_F_TIMEOUT(guests, guest_serves_and_stops, VS_H_TIMEOUT)
{
	EXPECT_STREQ("A", who_answers("10.1.0.1"));
	EXPECT_EQ(0, server_stop(&self->a));
}

TEST_F_TIMEOUT(guests, network_context_ends_with_its_last_task, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;
	int waited, r;

	ASSERT_EQ(0, server_stop(&self->a));
	for (waited = 0; (r = net_info(NID_A, &info, list, 4)) == 0 && waited < 2000; waited += 10)
		vs_msleep(10);
	EXPECT_EQ(-ESRCH, r);
}

/* ---- the source addresses of guest B's outgoing traffic ------------------------------ */

enum { TCP4, UDP4, TCP6, UDP6, ICMP4, HOST_SOCKETS };

FIXTURE(sources) {
	int host[HOST_SOCKETS];	/* the host's listeners on HOST4 and HOST6, a raw ICMP socket */
};

FIXTURE_SETUP(sources)
{
	int i;

	for (i = 0; i < HOST_SOCKETS; i++)
		self->host[i] = -1;
	net_world_make(_metadata);
	self->host[TCP4] = bound(SOCK_STREAM, HOST4, 9000);
	self->host[UDP4] = bound(SOCK_DGRAM, HOST4, 9001);
	self->host[TCP6] = bound(SOCK_STREAM, HOST6, 9000);
	self->host[UDP6] = bound(SOCK_DGRAM, HOST6, 9001);
	self->host[ICMP4] = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	for (i = 0; i < HOST_SOCKETS; i++) {
		ASSERT_LE(0, self->host[i]) {
			TH_LOG("host socket %d: %s", i, vs_errname(self->host[i]));
		}
	}
}

FIXTURE_TEARDOWN(sources)
{
	int i;

	for (i = 0; i < HOST_SOCKETS; i++)
		if (self->host[i] >= 0)
			close(self->host[i]);
	lo_addrs_remove(_metadata);
}

/* In guest B: reaches the host's socket @kind, and checks where it came from if @source. */
struct outgoing {
	const int *host;
	int kind;
	const char *source;	/* NULL: only check that it went out */
};

static void guest_b_reaches_the_host(struct __test_metadata *_metadata, void *arg)
{
	const struct outgoing *o = arg;
	const char *ip = o->kind == TCP6 || o->kind == UDP6 ? HOST6 : HOST4;
	char text[INET_ADDRSTRLEN] = "(nothing)";
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct in_addr from;
	int fd;

	if (!enter_net(_metadata, NID_B))
		return;
	switch (o->kind) {
	case TCP4:
	case TCP6:
		fd = connected(ip, 9000, 3000);
		EXPECT_LE(0, fd);
		if (o->source) {
			EXPECT_STREQ(o->source, accepted_from(o->host[o->kind], 3000));
		}
		if (fd >= 0)
			close(fd);
		break;
	case UDP4:
	case UDP6:
		EXPECT_EQ(0, sent(ip, 9001));
		if (o->source) {
			EXPECT_STREQ(o->source, datagram_from(o->host[o->kind], 3000));
		}
		break;
	case ICMP4:
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		inet_pton(AF_INET, HOST4, &to.sin_addr);
		EXPECT_EQ(0, fd < 0 ? -errno : vs_icmp_echo(fd, &to, 0x4444, 0));
		if (o->source) {
			if (!vs_icmp_wait(o->host[ICMP4], ICMP_ECHO, 0x4444, 3000, &from))
				inet_ntop(AF_INET, &from, text, sizeof(text));
			EXPECT_STREQ(o->source, text);
		}
		if (fd >= 0)
			close(fd);
		break;
	}
}

#define OUTGOING(kind, source)								\
	do {										\
		struct outgoing __o = { self->host, (kind), (source) };			\
		RUN_IN_NET(guest_b_reaches_the_host, &__o);				\
	} while (0)

TEST_F_TIMEOUT(sources, guest_connects_to_a_host_listener, VS_H_TIMEOUT)
{
	OUTGOING(TCP4, NULL);
}

TEST_F_TIMEOUT(sources, host_sees_the_guests_address_as_the_tcp_source, VS_H_TIMEOUT)
{
	OUTGOING(TCP4, "10.1.0.2");
}

TEST_F_TIMEOUT(sources, guest_sends_a_datagram_to_the_host, VS_H_TIMEOUT)
{
	OUTGOING(UDP4, NULL);
}

TEST_F_TIMEOUT(sources, host_sees_the_guests_address_as_the_udp_source, VS_H_TIMEOUT)
{
	OUTGOING(UDP4, "10.1.0.2");
}

TEST_F_TIMEOUT(sources, guest_connects_over_ipv6, VS_H_TIMEOUT)
{
	OUTGOING(TCP6, NULL);
}

TEST_F_TIMEOUT(sources, host_sees_the_guests_ipv6_address_as_the_tcp_source, VS_H_TIMEOUT)
{
	OUTGOING(TCP6, "fd00::2");
}

TEST_F_TIMEOUT(sources, guest_sends_an_ipv6_datagram, VS_H_TIMEOUT)
{
	OUTGOING(UDP6, NULL);
}

TEST_F_TIMEOUT(sources, host_sees_the_guests_ipv6_address_as_the_udp_source, VS_H_TIMEOUT)
{
	OUTGOING(UDP6, "fd00::2");
}

TEST_F_TIMEOUT(sources, guest_pings_the_host_from_a_raw_icmp_socket, VS_H_TIMEOUT)
{
	OUTGOING(ICMP4, NULL);
}

TEST_F_TIMEOUT(sources, host_sees_the_guests_address_as_the_icmp_source, VS_H_TIMEOUT)
{
	OUTGOING(ICMP4, "10.1.0.2");
}

/* ---- what guest B sees of the addresses --------------------------------------------- */

FIXTURE(lists) {
	char unused;
};

FIXTURE_SETUP(lists)
{
	net_world_make(_metadata);
}

FIXTURE_TEARDOWN(lists)
{
	lo_addrs_remove(_metadata);
}

enum list_check {
	GETIFADDRS_WORKS,
	GETIFADDRS_IPV4_ONCE,
	GETIFADDRS_IPV6_ONCE,
	GETIFADDRS_NO_OTHER,
	GIFCONF_WORKS,
	GIFCONF_IPV4_ONCE,
	GIFCONF_NO_OTHER,
	GIFADDR_OF_LO,
	IF_INET6_ONCE,
	IF_INET6_NO_OTHER,
};

/* How often a listing showed guest B's IPv4 and IPv6 address, and other addresses. */
struct seen_addrs {
	int err;
	int v4, v6, other;
};

static struct seen_addrs seen_by_getifaddrs(void)
{
	struct seen_addrs s = { 0 };
	struct ifaddrs *ifa, *i;

	s.err = VS_ERR(getifaddrs(&ifa));
	if (s.err)
		return s;
	for (i = ifa; i; i = i->ifa_next) {
		union sa *u = (union sa *)i->ifa_addr;

		if (!u || (u->sa.sa_family != AF_INET && u->sa.sa_family != AF_INET6))
			continue;
		if (!strcmp(ntop(u), "10.1.0.2"))
			s.v4++;
		else if (!strcmp(ntop(u), "fd00::2"))
			s.v6++;
		else
			s.other++;
	}
	freeifaddrs(ifa);
	return s;
}

static struct seen_addrs seen_by_gifconf(void)
{
	struct seen_addrs s = { 0 };
	char buf[4096], text[INET_ADDRSTRLEN];
	struct ifconf ifc = { .ifc_len = sizeof(buf), .ifc_buf = buf };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), k;

	s.err = VS_ERR(ioctl(fd, SIOCGIFCONF, &ifc));
	close(fd);
	if (s.err)
		return s;
	for (k = 0; k < ifc.ifc_len / (int)sizeof(struct ifreq); k++) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ifc.ifc_req[k].ifr_addr;

		inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
		if (!strcmp(text, "10.1.0.2"))
			s.v4++;
		else
			s.other++;
	}
	return s;
}

static struct seen_addrs seen_in_if_inet6(void)
{
	struct seen_addrs s = { 0 };
	FILE *f = fopen("/proc/net/if_inet6", "r");
	char line[256];

	if (!f) {
		s.err = -errno;
		return s;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "fd000000000000000000000000000002", 32))
			s.v6++;
		else
			s.other++;
	fclose(f);
	return s;
}

static void guest_b_lists(struct __test_metadata *_metadata, void *arg)
{
	enum list_check check = *(enum list_check *)arg;
	struct ifreq ifr = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
	char text[INET_ADDRSTRLEN] = "";
	struct seen_addrs s;
	int fd;

	if (!enter_net(_metadata, NID_B))
		return;
	switch (check) {
	case GETIFADDRS_WORKS:
		EXPECT_EQ(0, seen_by_getifaddrs().err);
		break;
	case GETIFADDRS_IPV4_ONCE:
		EXPECT_EQ(1, seen_by_getifaddrs().v4);
		break;
	case GETIFADDRS_IPV6_ONCE:
		EXPECT_EQ(1, seen_by_getifaddrs().v6);
		break;
	case GETIFADDRS_NO_OTHER:
		EXPECT_EQ(0, seen_by_getifaddrs().other);
		break;
	case GIFCONF_WORKS:
		EXPECT_EQ(0, seen_by_gifconf().err);
		break;
	case GIFCONF_IPV4_ONCE:
		EXPECT_EQ(1, seen_by_gifconf().v4);
		break;
	case GIFCONF_NO_OTHER:
		s = seen_by_gifconf();
		EXPECT_EQ(0, s.err);
		EXPECT_EQ(0, s.other);
		break;
	case GIFADDR_OF_LO:
		strcpy(ifr.ifr_name, "lo");
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (!ioctl(fd, SIOCGIFADDR, &ifr))
			inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
		close(fd);
		EXPECT_STREQ("10.1.0.2", text);
		break;
	case IF_INET6_ONCE:
		EXPECT_EQ(1, seen_in_if_inet6().v6);
		break;
	case IF_INET6_NO_OTHER:
		s = seen_in_if_inet6();
		EXPECT_EQ(0, s.err);
		EXPECT_EQ(0, s.other);
		break;
	}
}

#define LISTS(check)						\
	do {							\
		enum list_check __c = (check);			\
		RUN_IN_NET(guest_b_lists, &__c);		\
	} while (0)

TEST_F_TIMEOUT(lists, getifaddrs_works_in_a_guest, VS_H_TIMEOUT)
{
	LISTS(GETIFADDRS_WORKS);
}

TEST_F_TIMEOUT(lists, getifaddrs_lists_the_guests_ipv4_address_once, VS_H_TIMEOUT)
{
	LISTS(GETIFADDRS_IPV4_ONCE);
}

TEST_F_TIMEOUT(lists, getifaddrs_lists_the_guests_ipv6_address_once, VS_H_TIMEOUT)
{
	LISTS(GETIFADDRS_IPV6_ONCE);
}

TEST_F_TIMEOUT(lists, getifaddrs_lists_no_other_address, VS_H_TIMEOUT)
{
	LISTS(GETIFADDRS_NO_OTHER);
}

TEST_F_TIMEOUT(lists, siocgifconf_works_in_a_guest, VS_H_TIMEOUT)
{
	LISTS(GIFCONF_WORKS);
}

TEST_F_TIMEOUT(lists, siocgifconf_lists_the_guests_address_once, VS_H_TIMEOUT)
{
	LISTS(GIFCONF_IPV4_ONCE);
}

TEST_F_TIMEOUT(lists, siocgifconf_lists_no_other_address, VS_H_TIMEOUT)
{
	LISTS(GIFCONF_NO_OTHER);
}

TEST_F_TIMEOUT(lists, siocgifaddr_of_lo_is_the_guests_address, VS_H_TIMEOUT)
{
	LISTS(GIFADDR_OF_LO);
}

TEST_F_TIMEOUT(lists, proc_net_if_inet6_lists_the_guests_address_once, VS_H_TIMEOUT)
{
	LISTS(IF_INET6_ONCE);
}

TEST_F_TIMEOUT(lists, proc_net_if_inet6_lists_no_other_address, VS_H_TIMEOUT)
{
	LISTS(IF_INET6_NO_OTHER);
}

/* ---- guest M: two addresses, a wildcard filtered on receipt ------------------------- */

/* Waits (bounded) for @fd to be readable; 0 if @stop was closed first or nothing came. */
static int readable_before_stop(int fd, int stop, int ms)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = stop, .events = POLLIN } };

	return poll(p, 2, ms) > 0 && !p[1].revents && (p[0].revents & POLLIN);
}

/*
 * Guest M binds 0.0.0.0:7000 (UDP) and 0.0.0.0:7001 (TCP) and reports their
 * local addresses; then reports who sent the first datagram and made the
 * first connection that reached it (or "(nothing)"), and waits to be stopped.
 */
static int guest_m_serves(void)
{
	int u = bound(SOCK_DGRAM, "0.0.0.0", 7000);
	int t = bound(SOCK_STREAM, "0.0.0.0", 7001);
	char msg[64], got[64];

	snprintf(msg, sizeof(msg), "%s %s", local_of(u), local_of(t));
	if (write(server_ready_end, msg, strlen(msg) + 1) < 0)
		return 2;
	snprintf(got, sizeof(got), "%s",
		 readable_before_stop(u, server_stop_end, 3000) ? datagram_from(u, 0) : "(nothing)");
	snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s",
		 readable_before_stop(t, server_stop_end, 3000) ? accepted_from(t, 0) : "(nothing)");
	if (write(server_ready_end, got, strlen(got) + 1) < 0)
		return 3;
	if (read(server_stop_end, msg, 1) < 0)
		return 4;
	return 0;
}

FIXTURE(multi) {
	struct server m;
	char bound[64];		/* what guest M's two wildcards became */
};

FIXTURE_SETUP(multi)
{
	self->m.pid = -1;
	self->m.stop = self->m.ready = -1;
	signal(SIGPIPE, SIG_IGN);
	net_world_make(_metadata);
	ASSERT_EQ(0, server_start(&self->m, NID_M, guest_m_serves));
	ASSERT_LT(0, read_msg(self->m.ready, self->bound, sizeof(self->bound), 10000)) {
		TH_LOG("guest M does not serve");
	}
}

FIXTURE_TEARDOWN(multi)
{
	server_stop(&self->m);
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(multi, wildcard_of_a_guest_with_two_addresses_stays_the_wildcard, VS_H_TIMEOUT)
{
	EXPECT_STREQ("0.0.0.0 0.0.0.0", self->bound);
}

TEST_F_TIMEOUT(multi, host_sends_to_the_guests_port_on_a_host_address, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, sent(HOST4, 7000));
}

TEST_F_TIMEOUT(multi, connection_to_the_guests_port_on_a_host_address_gets_no_answer, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ETIMEDOUT, connected(HOST4, 7001, 1000));
}

TEST_F_TIMEOUT(multi, host_sends_to_the_guests_second_address, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, sent("10.1.0.5", 7000));
}

TEST_F_TIMEOUT(multi, host_connects_to_the_guests_second_address, VS_H_TIMEOUT)
{
	int fd = connected("10.1.0.5", 7001, 3000);

	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_F_TIMEOUT(multi, guest_gets_only_what_was_sent_to_its_addresses, VS_H_TIMEOUT)
{
	char got[64];
	int fd;

	EXPECT_EQ(0, sent(HOST4, 7000));
	EXPECT_EQ(-ETIMEDOUT, connected(HOST4, 7001, 1000));
	EXPECT_EQ(0, sent("10.1.0.5", 7000));
	fd = connected("10.1.0.5", 7001, 3000);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	EXPECT_LT(0, read_msg(self->m.ready, got, sizeof(got), 10000));
	EXPECT_STREQ("10.1.0.5 10.1.0.5", got);
}

TEST_F_TIMEOUT(multi, guest_with_two_addresses_stops, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, server_stop(&self->m));
}

/* ---- run-time changes: B gets 10.1.0.3, binds it, loses it --------------------------- */

/*
 * A host helper adds 10.1.0.3 to B when guest B asks for it (a byte on
 * @to_host), answers on @to_guest, and removes it on the second request.
 */
FIXTURE(runtime) {
	pid_t helper;
	int to_host;	/* write end */
	int to_guest;	/* read end */
};

static int helper_to_host, helper_to_guest;

static int host_helper(void)
{
	char c;

	if (read(helper_to_host, &c, 1) != 1 || add4(NID_B, "10.1.0.3") ||
	    write(helper_to_guest, "x", 1) != 1)
		return 1;
	if (read(helper_to_host, &c, 1) != 1 ||
	    net_addr(VS_IOC_NET_REMOVE_ADDR, NID_B, AF_INET, "10.1.0.3", 24, 0) ||
	    write(helper_to_guest, "y", 1) != 1)
		return 2;
	return 0;
}

FIXTURE_SETUP(runtime)
{
	int to_host[2], to_guest[2];

	self->helper = -1;
	self->to_host = self->to_guest = -1;
	net_world_make(_metadata);
	ASSERT_EQ(0, pipe2(to_host, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(to_guest, O_CLOEXEC));
	helper_to_host = to_host[0];
	helper_to_guest = to_guest[1];
	self->helper = vs_fork();
	if (self->helper == 0) {
		close(to_host[1]);
		close(to_guest[0]);
		_exit(host_helper());
	}
	close(to_host[0]);
	close(to_guest[1]);
	self->to_host = to_host[1];
	self->to_guest = to_guest[0];
	ASSERT_LT(0, self->helper);
}

/* Closes the pipes: the helper ends; its exit code (bounded). */
static int runtime_helper_end(FIXTURE_DATA(runtime) *self)
{
	int code = -1;

	if (self->to_host >= 0)
		close(self->to_host);
	if (self->to_guest >= 0)
		close(self->to_guest);
	self->to_host = self->to_guest = -1;
	if (self->helper > 0)
		code = vs_child_status(self->helper, 10000);
	self->helper = -1;
	return code;
}

FIXTURE_TEARDOWN(runtime)
{
	runtime_helper_end(self);
	lo_addrs_remove(_metadata);
}

enum runtime_check {
	NOT_YET_ITS_ADDRESS,
	BINDS_IT_ONCE_ADDED,
	SOCKET_KEEPS_IT_AFTER_REMOVAL,
	SOCKET_STILL_RECEIVES_ON_IT,
	NEW_BINDS_FAIL_AFTER_REMOVAL,
	ALL_OF_THEM,
};

struct runtime_run {
	enum runtime_check check;
	int to_host, to_guest;
};

/* Asks the host helper for the next change; true once it answered. */
static bool host_changes(const struct runtime_run *run)
{
	char c;

	return write(run->to_host, "?", 1) == 1 && read(run->to_guest, &c, 1) == 1;
}

/* In guest B, through the whole sequence; checks what @arg says. */
static void guest_b_runtime(struct __test_metadata *_metadata, void *arg)
{
	const struct runtime_run *run = arg;
	bool all = run->check == ALL_OF_THEM;
	int fd, r;

	if (!enter_net(_metadata, NID_B))
		return;
	r = bound(SOCK_DGRAM, "10.1.0.3", 0);
	if (all || run->check == NOT_YET_ITS_ADDRESS) {
		EXPECT_EQ(-EADDRNOTAVAIL, r);
	}
	if (r >= 0)
		close(r);
	EXPECT_TRUE(host_changes(run)) {
		TH_LOG("the host helper did not add 10.1.0.3");
	}
	fd = bound(SOCK_DGRAM, "10.1.0.3", 7100);
	if (all || run->check == BINDS_IT_ONCE_ADDED) {
		EXPECT_LE(0, fd);
	}
	EXPECT_TRUE(host_changes(run)) {
		TH_LOG("the host helper did not remove 10.1.0.3");
	}
	if (all || run->check == SOCKET_KEEPS_IT_AFTER_REMOVAL) {
		EXPECT_STREQ("10.1.0.3", local_of(fd));
	}
	if (all || run->check == SOCKET_STILL_RECEIVES_ON_IT) {
		EXPECT_EQ(0, sent("10.1.0.3", 7100));
		EXPECT_STREQ("10.1.0.2", datagram_from(fd, 3000));
	}
	if (all || run->check == NEW_BINDS_FAIL_AFTER_REMOVAL) {
		EXPECT_EQ(-EADDRNOTAVAIL, bound(SOCK_DGRAM, "10.1.0.3", 7101));
	}
	if (fd >= 0)
		close(fd);
}

#define RUNTIME(what)								\
	do {									\
		struct runtime_run __r = { (what), self->to_host, self->to_guest }; \
		RUN_IN_NET(guest_b_runtime, &__r);				\
	} while (0)

TEST_F_TIMEOUT(runtime, guest_cannot_bind_an_address_before_it_is_added, VS_H_TIMEOUT)
{
	RUNTIME(NOT_YET_ITS_ADDRESS);
}

TEST_F_TIMEOUT(runtime, guest_binds_an_address_once_the_host_added_it, VS_H_TIMEOUT)
{
	RUNTIME(BINDS_IT_ONCE_ADDED);
}

TEST_F_TIMEOUT(runtime, bound_socket_keeps_the_address_after_its_removal, VS_H_TIMEOUT)
{
	RUNTIME(SOCKET_KEEPS_IT_AFTER_REMOVAL);
}

TEST_F_TIMEOUT(runtime, bound_socket_still_receives_after_the_removal, VS_H_TIMEOUT)
{
	RUNTIME(SOCKET_STILL_RECEIVES_ON_IT);
}

TEST_F_TIMEOUT(runtime, new_binds_to_a_removed_address_are_eaddrnotavail, VS_H_TIMEOUT)
{
	RUNTIME(NEW_BINDS_FAIL_AFTER_REMOVAL);
}

TEST_F_TIMEOUT(runtime, host_adds_and_removes_the_address_meanwhile, VS_H_TIMEOUT)
{
	RUNTIME(ALL_OF_THEM);
	EXPECT_EQ(0, runtime_helper_end(self));
}

/* ---- lifetimes ------------------------------------------------------------------------ */

FIXTURE(lifetime) {
	char unused;
};

FIXTURE_SETUP(lifetime)
{
	net_world_make(_metadata);
}

FIXTURE_TEARDOWN(lifetime)
{
	lo_addrs_remove(_metadata);
}

TEST_F_TIMEOUT(lifetime, persistent_network_context_outlives_its_tasks, VS_H_TIMEOUT)
{
	struct vs_net_addr list[4];
	struct vs_net_info info;

	RUN_IN_NET(enters_and_leaves, (void *)(long)NID_B);
	EXPECT_EQ(0, net_info(NID_B, &info, list, 4));
	EXPECT_EQ(0U, info.tasks);
}

TEST_F_TIMEOUT(lifetime, net_remove_removes_a_persistent_network_context, VS_H_TIMEOUT)
{
	RUN_IN_NET(enters_and_leaves, (void *)(long)NID_B);
	EXPECT_EQ(0, vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_B));
	vs_h_forget_net(NID_B);
}

TEST_F_TIMEOUT(lifetime, net_remove_of_a_removed_network_context_is_esrch, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_B));
	vs_h_forget_net(NID_B);
	EXPECT_EQ(-ESRCH, vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_B));
}

TEST_F_TIMEOUT(lifetime, network_context_is_gone_or_removable_after_its_last_task, VS_H_TIMEOUT)
{
	RUN_IN_NET(enters_and_leaves, (void *)(long)NID_M);
	EXPECT_TRUE(vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_M) == 0 ||
		    vs_ctx_ioctl(VS_IOC_NET_REMOVE, NID_M) == -ESRCH);
	vs_h_forget_net(NID_M);
}

TEST_HARNESS_MAIN
