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
#include <sys/socket.h>
#include <linux/if_ether.h>

#include "../lib/harness.h"
#include "../lib/icmp.h"

#define PLAIN 4201	/* default ccaps, setup ended */
#define UTS 4202	/* SET_UTSNAME */
#define PING 4203	/* RAW_ICMP */
#define UNKNOWN 4299	/* never created */

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

/* ---- the ioctls -------------------------------------------------------------- */

/* The three contexts, just created. */
FIXTURE(ccaps) {
	char unused;
};

FIXTURE_SETUP(ccaps)
{
	ASSERT_EQ(PLAIN, vs_h_create(PLAIN, VS_CF_PERSISTENT));
	ASSERT_EQ(UTS, vs_h_create(UTS, VS_CF_PERSISTENT));
	ASSERT_EQ(PING, vs_h_create(PING, VS_CF_PERSISTENT));
}

FIXTURE_TEARDOWN(ccaps)
{
	vs_h_destroy_all();
}

TEST_F_TIMEOUT(ccaps, get_caps_of_a_new_context_succeeds, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, get_caps(PLAIN, NULL, NULL));
}

TEST_F_TIMEOUT(ccaps, new_context_has_the_default_sets, VS_H_TIMEOUT)
{
	__u64 b = 0, c = 0;

	ASSERT_EQ(0, get_caps(PLAIN, &b, &c));
	EXPECT_EQ((__u64)VS_BCAPS_DEFAULT, b);
	EXPECT_EQ((__u64)VS_CCAPS_DEFAULT, c);
}

TEST_F_TIMEOUT(ccaps, set_ccaps_grants_set_utsname, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0));
}

TEST_F_TIMEOUT(ccaps, set_ccaps_grants_raw_icmp, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, set_ccaps(PING, VS_CCAP_RAW_ICMP, 0));
}

TEST_F_TIMEOUT(ccaps, get_caps_shows_the_granted_set, VS_H_TIMEOUT)
{
	__u64 c = 0;

	ASSERT_EQ(0, set_ccaps(PING, VS_CCAP_RAW_ICMP, 0));
	EXPECT_EQ(0, get_caps(PING, NULL, &c));
	EXPECT_EQ((__u64)VS_CCAP_RAW_ICMP, c);
}

TEST_F_TIMEOUT(ccaps, set_ccaps_of_an_unknown_ccap_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, set_ccaps(PLAIN, 1ULL << 40, 0));
}

TEST_F_TIMEOUT(ccaps, set_ccaps_of_bit_2_the_first_unknown_ccap_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, set_ccaps(PLAIN, VS_CCAP_SET_UTSNAME | VS_CCAP_RAW_ICMP | (1ULL << 2), 0));
}

TEST_F_TIMEOUT(ccaps, set_ccaps_of_both_ccaps_works, VS_H_TIMEOUT)
{
	__u64 c = 0;

	EXPECT_EQ(0, set_ccaps(PLAIN, VS_CCAP_SET_UTSNAME | VS_CCAP_RAW_ICMP, 0));
	ASSERT_EQ(0, get_caps(PLAIN, NULL, &c));
	EXPECT_EQ((__u64)(VS_CCAP_SET_UTSNAME | VS_CCAP_RAW_ICMP), c);
}

TEST_F_TIMEOUT(ccaps, set_ccaps_with_reserved_set_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, set_ccaps(PLAIN, 0, 1));
}

TEST_F_TIMEOUT(ccaps, set_ccaps_of_an_unknown_context_is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, set_ccaps(UNKNOWN, 0, 0));
}

TEST_F_TIMEOUT(ccaps, set_ccaps_from_null_is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(VS_IOC_SET_CCAPS, NULL));
}

TEST_F_TIMEOUT(ccaps, get_caps_to_null_is_efault, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EFAULT, vs_ioctl(VS_IOC_GET_CAPS, NULL));
}

TEST_F_TIMEOUT(ccaps, get_caps_of_the_host_is_einval, VS_H_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, get_caps(VS_XID_SELF, NULL, NULL));
}

TEST_F_TIMEOUT(ccaps, get_caps_of_an_unknown_context_is_esrch, VS_H_TIMEOUT)
{
	EXPECT_EQ(-ESRCH, get_caps(UNKNOWN, NULL, NULL));
}

TEST_F_TIMEOUT(ccaps, end_setup_succeeds, VS_H_TIMEOUT)
{
	EXPECT_EQ(0, vs_end_setup(PLAIN));
}

TEST_F_TIMEOUT(ccaps, ccaps_cannot_grow_after_the_setup, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, vs_end_setup(PLAIN));
	EXPECT_EQ(-EPERM, set_ccaps(PLAIN, VS_CCAP_RAW_ICMP, 0));
}

TEST_F_TIMEOUT(ccaps, setting_the_same_set_again_works, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0));
	EXPECT_EQ(0, set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0));
}

TEST_F_TIMEOUT(ccaps, raw_icmp_can_be_taken_away, VS_H_TIMEOUT)
{
	ASSERT_EQ(0, set_ccaps(PING, VS_CCAP_RAW_ICMP, 0));
	EXPECT_EQ(0, set_ccaps(PING, 0, 0));
}

TEST_F_TIMEOUT(ccaps, contexts_are_removed_once_empty, VS_H_TIMEOUT)
{
	EXPECT_EQ(1, vs_wait_tasks(PLAIN, 0, 2000));
	EXPECT_EQ(1, vs_wait_tasks(UTS, 0, 2000));
	EXPECT_EQ(1, vs_wait_tasks(PING, 0, 2000));
	EXPECT_EQ(0, vs_remove(PLAIN));
	EXPECT_EQ(0, vs_remove(UTS));
	EXPECT_EQ(0, vs_remove(PING));
	EXPECT_EQ(1, vs_wait_gone(PLAIN, 2000));
	EXPECT_EQ(1, vs_wait_gone(UTS, 2000));
	EXPECT_EQ(1, vs_wait_gone(PING, 2000));
	vs_h_forget(PLAIN);
	vs_h_forget(UTS);
	vs_h_forget(PING);
}

/* ---- in a guest ----------------------------------------------------------------- */

static char host_name[65];

/* One guest context in the state the checks expect of it. */
FIXTURE(guest) {
	char unused;
};

/* Each variant: a context, its ccaps, and what it may do. */
FIXTURE_VARIANT(guest) {
	__u32 xid;
	__u64 ccaps;
	bool end_setup;
	int rename_error;	/* errno of sethostname/setdomainname in its own namespace */
	int raw_icmp_error;	/* errno of a raw ICMP(v6) socket */
};

FIXTURE_VARIANT_ADD(guest, default_ccaps) {
	.xid = PLAIN, .ccaps = 0, .end_setup = true,
	.rename_error = EPERM, .raw_icmp_error = EPERM,
};

FIXTURE_VARIANT_ADD(guest, set_utsname) {
	.xid = UTS, .ccaps = VS_CCAP_SET_UTSNAME, .end_setup = false,
	.rename_error = 0, .raw_icmp_error = EPERM,
};

FIXTURE_VARIANT_ADD(guest, raw_icmp) {
	.xid = PING, .ccaps = VS_CCAP_RAW_ICMP, .end_setup = false,
	.rename_error = EPERM, .raw_icmp_error = 0,
};

FIXTURE_SETUP(guest)
{
	gethostname(host_name, sizeof(host_name));
	ASSERT_EQ(variant->xid, vs_h_create(variant->xid, VS_CF_PERSISTENT));
	if (variant->ccaps) {
		ASSERT_EQ(0, set_ccaps(variant->xid, variant->ccaps, 0));
	}
	if (variant->end_setup) {
		ASSERT_EQ(0, vs_end_setup(variant->xid));
	}
}

FIXTURE_TEARDOWN(guest)
{
	vs_h_destroy_all();
}

/* Runs check @fn in the variant's context, the variant its argument. */
#define IN_GUEST(fn) vs_h_run(variant->xid, 0, (fn), (void *)variant, 20000)

/* In a fresh UTS namespace: the host unshares it, then migrates (VS_F_STAY). */
static bool enter_own_uts_namespace(struct __test_metadata *_metadata, __u32 xid)
{
	EXPECT_EQ(0, VS_ERR(unshare(CLONE_NEWUTS)));
	EXPECT_EQ(0, vs_migrate(xid));
	return _metadata->exit_code != KSFT_FAIL;
}

static void guest_sets_its_hostname(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(guest) *v = arg;

	if (enter_own_uts_namespace(_metadata, v->xid)) {
		EXPECT_EQ(-v->rename_error, VS_ERR(sethostname("guest-uts", 9)));
	}
}

static void guest_sets_its_domainname(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(guest) *v = arg;

	if (enter_own_uts_namespace(_metadata, v->xid)) {
		EXPECT_EQ(-v->rename_error, VS_ERR(setdomainname("guest-dom", 9)));
	}
}

static void guest_renames_and_reads_its_name(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(guest) *v = arg;
	char name[65] = "";

	if (!enter_own_uts_namespace(_metadata, v->xid))
		return;
	sethostname("guest-uts", 9);
	gethostname(name, sizeof(name));
	EXPECT_STREQ(v->rename_error ? host_name : "guest-uts", name);
}

TEST_F_TIMEOUT(guest, sethostname_in_its_own_namespace, VS_H_TIMEOUT)
{
	vs_h_run(variant->xid, VS_F_STAY, guest_sets_its_hostname, (void *)variant, 20000);
}

TEST_F_TIMEOUT(guest, setdomainname_in_its_own_namespace, VS_H_TIMEOUT)
{
	vs_h_run(variant->xid, VS_F_STAY, guest_sets_its_domainname, (void *)variant, 20000);
}

TEST_F_TIMEOUT(guest, its_name_is_the_one_it_may_set, VS_H_TIMEOUT)
{
	vs_h_run(variant->xid, VS_F_STAY, guest_renames_and_reads_its_name, (void *)variant, 20000);
}

static void opens_raw_icmp(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(guest) *v = arg;
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	EXPECT_EQ(-v->raw_icmp_error, fd >= 0 ? 0 : -errno);
	if (fd >= 0)
		close(fd);
}

static void opens_raw_icmpv6(struct __test_metadata *_metadata, void *arg)
{
	const FIXTURE_VARIANT(guest) *v = arg;
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);

	EXPECT_EQ(-v->raw_icmp_error, fd >= 0 ? 0 : -errno);
	if (fd >= 0)
		close(fd);
}

static void opens_raw_udp(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_UDP)));
}

static void opens_ipproto_raw(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_RAW)));
}

static void opens_a_packet_socket(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))));
}

static void opens_a_packet_datagram_socket(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP))));
}

static void sets_ip_transparent(struct __test_metadata *_metadata, void *arg)
{
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one))));
	close(fd);
}

static void opens_an_ordinary_socket(struct __test_metadata *_metadata, void *arg)
{
	int fd;

	(void)arg;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST_F_TIMEOUT(guest, raw_icmp_socket, VS_H_TIMEOUT)
{
	IN_GUEST(opens_raw_icmp);
}

TEST_F_TIMEOUT(guest, raw_icmpv6_socket, VS_H_TIMEOUT)
{
	IN_GUEST(opens_raw_icmpv6);
}

TEST_F_TIMEOUT(guest, raw_udp_socket_is_eperm, VS_H_TIMEOUT)
{
	IN_GUEST(opens_raw_udp);
}

TEST_F_TIMEOUT(guest, ipproto_raw_socket_is_eperm, VS_H_TIMEOUT)
{
	IN_GUEST(opens_ipproto_raw);
}

TEST_F_TIMEOUT(guest, packet_socket_is_eperm, VS_H_TIMEOUT)
{
	IN_GUEST(opens_a_packet_socket);
}

TEST_F_TIMEOUT(guest, packet_datagram_socket_is_eperm, VS_H_TIMEOUT)
{
	IN_GUEST(opens_a_packet_datagram_socket);
}

TEST_F_TIMEOUT(guest, ip_transparent_is_eperm, VS_H_TIMEOUT)
{
	IN_GUEST(sets_ip_transparent);
}

TEST_F_TIMEOUT(guest, ordinary_sockets_still_work, VS_H_TIMEOUT)
{
	IN_GUEST(opens_an_ordinary_socket);
}

/* ---- RAW_ICMP: ping, and nothing more ------------------------------------------- */

FIXTURE(ping) {
	char unused;
};

FIXTURE_SETUP(ping)
{
	ASSERT_EQ(PING, vs_h_create(PING, VS_CF_PERSISTENT));
	ASSERT_EQ(0, set_ccaps(PING, VS_CCAP_RAW_ICMP, 0));
}

FIXTURE_TEARDOWN(ping)
{
	vs_h_destroy_all();
}

/* Sends an ICMP echo to 127.0.0.1 on raw socket @fd; 0 once the reply came back. */
static int ping_loopback(int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int r = vs_icmp_echo(fd, &to, 0x5653, 1);

	return r ? r : vs_icmp_wait(fd, ICMP_ECHOREPLY, 0x5653, 2000, NULL);
}

static void pings_loopback(struct __test_metadata *_metadata, void *arg)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	(void)arg;
	EXPECT_LE(0, fd);
	EXPECT_EQ(0, ping_loopback(fd));
	close(fd);
}

static void sets_ip_hdrincl(struct __test_metadata *_metadata, void *arg)
{
	int one = 1, fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	(void)arg;
	EXPECT_LE(0, fd);
	EXPECT_EQ(-EPERM, VS_ERR(setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))));
	close(fd);
}

TEST_F_TIMEOUT(ping, ping_of_127_0_0_1_gets_its_reply, VS_H_TIMEOUT)
{
	vs_h_run(PING, 0, pings_loopback, NULL, 20000);
}

TEST_F_TIMEOUT(ping, ip_hdrincl_on_a_raw_icmp_socket_is_eperm, VS_H_TIMEOUT)
{
	vs_h_run(PING, 0, sets_ip_hdrincl, NULL, 20000);
}

/* ---- the host --------------------------------------------------------------------- */

FIXTURE(host) {
	char unused;
};

FIXTURE_SETUP(host)
{
	gethostname(host_name, sizeof(host_name));
	ASSERT_EQ(PLAIN, vs_h_create(PLAIN, VS_CF_PERSISTENT));
	ASSERT_EQ(UTS, vs_h_create(UTS, VS_CF_PERSISTENT));
	ASSERT_EQ(0, set_ccaps(UTS, VS_CCAP_SET_UTSNAME, 0));
	ASSERT_EQ(0, vs_end_setup(PLAIN));
}

FIXTURE_TEARDOWN(host)
{
	vs_h_destroy_all();
}

/* In UTS, still in the host's UTS namespace. */
static void renames_the_hosts_namespace(struct __test_metadata *_metadata, void *arg)
{
	(void)arg;
	EXPECT_EQ(-EPERM, VS_ERR(sethostname("evil", 4)));
}

/* In @arg's context, in a UTS namespace of its own. */
static void renames_its_own_namespace(struct __test_metadata *_metadata, void *arg)
{
	if (enter_own_uts_namespace(_metadata, (__u32)(long)arg))
		sethostname("guest-uts", 9);
}

TEST_F_TIMEOUT(host, set_utsname_does_not_reach_the_hosts_namespace, VS_H_TIMEOUT)
{
	vs_h_run(UTS, 0, renames_the_hosts_namespace, NULL, 20000);
}

TEST_F_TIMEOUT(host, hosts_name_is_untouched_by_the_guests, VS_H_TIMEOUT)
{
	char name[65] = "";

	vs_h_run(UTS, VS_F_STAY, renames_its_own_namespace, (void *)(long)UTS, 20000);
	vs_h_run(PLAIN, VS_F_STAY, renames_its_own_namespace, (void *)(long)PLAIN, 20000);
	vs_h_run(UTS, 0, renames_the_hosts_namespace, NULL, 20000);
	gethostname(name, sizeof(name));
	EXPECT_STREQ(host_name, name);
}

TEST_F_TIMEOUT(host, host_still_opens_packet_sockets, VS_H_TIMEOUT)
{
	int fd;

	vs_h_run(PLAIN, 0, opens_a_packet_socket, NULL, 20000);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
