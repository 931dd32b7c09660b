/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP echo requests for the guest tests that ping from a raw socket (the
 * RAW_ICMP context capability, a network context's source address): the
 * request and the reply or request a raw socket reads back.
 */
#ifndef VS_TEST_ICMP_H
#define VS_TEST_ICMP_H

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

/* The Internet checksum (RFC 1071) of @len bytes. */
static inline unsigned short vs_icmp_csum(const void *data, int len)
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

/* Sends an echo request with @id and @seq to IPv4 @to on raw ICMP socket @fd; 0 or -errno. */
static inline int vs_icmp_echo(int fd, const struct sockaddr_in *to, unsigned short id,
			       unsigned short seq)
{
	struct icmphdr req = { .type = ICMP_ECHO };

	req.un.echo.id = htons(id);
	req.un.echo.sequence = htons(seq);
	req.checksum = vs_icmp_csum(&req, sizeof(req));
	if (sendto(fd, &req, sizeof(req), 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		return -errno;
	return 0;
}

/*
 * Reads raw ICMP socket @fd (at most 8 packets, each within @ms) for one of
 * @type (ICMP_ECHO or ICMP_ECHOREPLY) with @id; stores its IPv4 source in
 * @from (if not NULL). 0, -ETIMEDOUT if none came, or -errno.
 */
static inline int vs_icmp_wait(int fd, unsigned char type, unsigned short id, int ms,
			       struct in_addr *from)
{
	unsigned char buf[256];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int i;

	for (i = 0; i < 8; i++) {
		struct iphdr *ip = (struct iphdr *)buf;
		struct icmphdr *icmp;
		ssize_t n;
		int r = poll(&p, 1, ms);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		if ((size_t)n < sizeof(*ip) || (size_t)n < ip->ihl * 4U + sizeof(*icmp))
			continue;
		icmp = (struct icmphdr *)(buf + ip->ihl * 4);
		if (icmp->type == type && icmp->un.echo.id == htons(id)) {
			if (from)
				memcpy(from, &ip->saddr, sizeof(*from));
			return 0;
		}
	}
	return -ENOMSG;
}

#endif /* VS_TEST_ICMP_H */
