/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vserver: Linux-VServer style security contexts, user-space ABI.
 *
 * This header is the one source of truth for the /dev/vserver ioctl ABI.
 * Every structure has a fixed size, explicit padding and only __u32/__u64
 * (or signed) members, so 32- and 64-bit callers share one layout.
 */
#ifndef _UAPI_LINUX_VSERVER_H
#define _UAPI_LINUX_VSERVER_H

#include <linux/capability.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* ABI version: a new minor adds ioctls; a new major breaks old callers. */
#define VS_ABI_MAJOR		1
#define VS_ABI_MINOR		1

/* Path of the control device (a misc device, mode 0600, owned by root). */
#define VS_DEVICE_PATH		"/dev/vserver"

/* The host context: sees and manages every task. */
#define VS_XID_HOST		0
/* The spectator context: sees every task, touches none. */
#define VS_XID_SPECTATOR	1
/* Ids a caller may choose for a new context. */
#define VS_XID_STATIC_MIN	2
#define VS_XID_STATIC_MAX	49151
/* Ids the module hands out for VS_XID_ALLOCATE. */
#define VS_XID_DYNAMIC_MIN	49152
#define VS_XID_DYNAMIC_MAX	65535
/* struct vs_context_create.xid: let the module pick a dynamic id. */
#define VS_XID_ALLOCATE		0xffffffffU

/* Context flags (struct vs_context_create.flags, VS_IOC_SET_FLAGS). */
/* The context stays when its last task exits, until VS_IOC_REMOVE. */
#define VS_CF_PERSISTENT	(1ULL << 0)
/* Tasks of the context may create child contexts and enter them. */
#define VS_CF_PROLIFIC		(1ULL << 1)
#define VS_CF_ALL		(VS_CF_PERSISTENT | VS_CF_PROLIFIC)

/*
 * The bounding capability set a new context starts with (util-vserver's
 * "insecure capabilities removed" set): a guest's root holds at most these,
 * whatever its credentials say. CAP_SYS_BOOT only reboots the guest.
 */
#define VS_BCAPS_DEFAULT	((1ULL << CAP_CHOWN) |		\
				 (1ULL << CAP_DAC_OVERRIDE) |	\
				 (1ULL << CAP_DAC_READ_SEARCH) |	\
				 (1ULL << CAP_FOWNER) |	\
				 (1ULL << CAP_FSETID) |	\
				 (1ULL << CAP_KILL) |	\
				 (1ULL << CAP_SETGID) |	\
				 (1ULL << CAP_SETUID) |	\
				 (1ULL << CAP_NET_BIND_SERVICE) |	\
				 (1ULL << CAP_SYS_CHROOT) |	\
				 (1ULL << CAP_SYS_PTRACE) |	\
				 (1ULL << CAP_SYS_TTY_CONFIG) |	\
				 (1ULL << CAP_LEASE) |	\
				 (1ULL << CAP_SETFCAP) |	\
				 (1ULL << CAP_AUDIT_WRITE) |	\
				 (1ULL << CAP_SYS_BOOT))
/* Every capability the kernel knows. */
#define VS_BCAPS_ALL		((1ULL << (CAP_LAST_CAP + 1)) - 1)

/*
 * Context capabilities ("ccaps"): what a guest may do beyond its bounding
 * set, each narrower than the Linux capability it stands in for.
 */
/*
 * Rename its own UTS namespace (sethostname, setdomainname) without
 * CAP_SYS_ADMIN; the host's names stay out of reach.
 */
#define VS_CCAP_SET_UTSNAME	(1ULL << 0)
/*
 * Open raw ICMP and ICMPv6 sockets (ping); every other raw or packet socket
 * and IP_HDRINCL stay refused.
 */
#define VS_CCAP_RAW_ICMP	(1ULL << 1)
#define VS_CCAPS_ALL		(VS_CCAP_SET_UTSNAME | VS_CCAP_RAW_ICMP)
/* What a new context starts with. */
#define VS_CCAPS_DEFAULT	0ULL

/* Context states (struct vs_context_info.state). */
/* Created; its creator may still enter it. */
#define VS_STATE_SETUP		1
/* Set up (VS_IOC_END_SETUP): only the host may add tasks. */
#define VS_STATE_RUNNING	2

/* Why a context's tasks all ended (struct vs_context_wait.reason). */
#define VS_END_EXIT		1	/* the last task exited */
#define VS_END_RESTART		2	/* the guest called reboot(RESTART) */
#define VS_END_HALT		3	/* the guest called reboot(HALT) */
#define VS_END_POWEROFF		4	/* the guest called reboot(POWER_OFF) */
#define VS_END_REMOVED		5	/* the host removed the context */

/**
 * struct vs_version - answer of VS_IOC_GET_VERSION
 * @major: VS_ABI_MAJOR of the running module
 * @minor: VS_ABI_MINOR of the running module
 * @features: reserved, zero
 */
struct vs_version {
	__u32 major;
	__u32 minor;
	__u64 features;
};

/**
 * struct vs_xid_query - argument of VS_IOC_GET_XID
 * @pid: in: the task to ask about, 0 for the caller
 * @xid: out: its context id
 */
struct vs_xid_query {
	__s32 pid;
	__u32 xid;
};

/**
 * struct vs_context_create - argument of VS_IOC_CREATE
 * @xid: in: VS_XID_STATIC_MIN..VS_XID_STATIC_MAX or VS_XID_ALLOCATE;
 *	out: the new context's id
 * @reserved: zero
 * @flags: VS_CF_* flags of the new context
 */
struct vs_context_create {
	__u32 xid;
	__u32 reserved;
	__u64 flags;
};

/**
 * struct vs_context_id - argument of the ioctls that name one context
 * @xid: the context
 * @reserved: zero
 */
struct vs_context_id {
	__u32 xid;
	__u32 reserved;
};

/**
 * struct vs_context_info - answer of VS_IOC_GET_INFO
 * @xid: in: the context (VS_XID_SELF: the caller's)
 * @state: VS_STATE_*
 * @flags: VS_CF_* flags
 * @tasks: how many tasks are in the context now
 * @init_pid: the first task that entered, as the caller sees its pid (0 if
 *	gone or invisible)
 * @created_ns: CLOCK_BOOTTIME when the context was created, in ns
 * @parent_xid: the context of the task that created it
 * @last_end: VS_END_* of the last time all its tasks ended, 0 if never
 * @bcaps: the bounding capability set (bit n: capability n)
 * @hits: how many times the context's tasks were refused something the
 *	isolation forbids (a capability outside @bcaps, reading the kernel log,
 *	writing /proc/sys, /proc/sysrq-trigger or /sys)
 */
struct vs_context_info {
	__u32 xid;
	__u32 state;
	__u64 flags;
	__u32 tasks;
	__s32 init_pid;
	__u64 created_ns;
	__u32 parent_xid;
	__u32 last_end;
	__u64 bcaps;
	__u64 hits;
};

/**
 * struct vs_context_caps - argument of VS_IOC_SET_BCAPS
 * @xid: the context
 * @reserved: zero
 * @bcaps: the new bounding capability set, within VS_BCAPS_ALL; once the
 *	context has left the setup state, a subset of the current one
 */
struct vs_context_caps {
	__u32 xid;
	__u32 reserved;
	__u64 bcaps;
};

/**
 * struct vs_context_capsets - argument of VS_IOC_GET_CAPS
 * @xid: in: the context (VS_XID_SELF: the caller's)
 * @reserved: zero
 * @bcaps: out: the bounding capability set (bit n: capability n)
 * @ccaps: out: the VS_CCAP_* context capabilities
 */
struct vs_context_capsets {
	__u32 xid;
	__u32 reserved;
	__u64 bcaps;
	__u64 ccaps;
};

/**
 * struct vs_context_ccaps - argument of VS_IOC_SET_CCAPS
 * @xid: the context
 * @reserved: zero
 * @ccaps: the new VS_CCAP_* set, within VS_CCAPS_ALL; once the context has
 *	left the setup state, a subset of the current one
 */
struct vs_context_ccaps {
	__u32 xid;
	__u32 reserved;
	__u64 ccaps;
};

/* Context-wide resource counters (struct vs_limit.resource). */
#define VS_LIMIT_NPROC		0	/* tasks (threads included) */
#define VS_LIMIT_NOFILE		1	/* open file descriptions */
#define VS_LIMIT_NSOCK		2	/* sockets */
#define VS_LIMIT_COUNT		3
/* No limit. */
#define VS_LIMIT_INFINITY	(~0ULL)

/**
 * struct vs_limit - argument of VS_IOC_SET_LIMIT
 * @xid: the context
 * @resource: VS_LIMIT_*
 * @soft: reported when exceeded, never refused; at most @hard
 * @hard: an allocation that would exceed it is refused (VS_LIMIT_INFINITY:
 *	none). May be set below the current use: nothing is taken away, new
 *	allocations are refused until the use drops below it.
 */
struct vs_limit {
	__u32 xid;
	__u32 resource;
	__u64 soft;
	__u64 hard;
};

/**
 * struct vs_limit_stat - one counter, as VS_IOC_GET_LIMITS reports it
 * @usage: in use now
 * @min: lowest use since the context was created or the last reset
 * @max: highest use since then
 * @soft: the soft limit
 * @hard: the hard limit
 * @hits: refusals at the hard limit since then
 * @soft_hits: allocations that went above the soft limit since then
 * @reserved: zero
 */
struct vs_limit_stat {
	__u64 usage;
	__u64 min;
	__u64 max;
	__u64 soft;
	__u64 hard;
	__u64 hits;
	__u64 soft_hits;
	__u64 reserved;
};

/**
 * struct vs_limit_stats - argument of VS_IOC_GET_LIMITS
 * @xid: in: the context (VS_XID_SELF: the caller's)
 * @count: in: room in @stats, in entries; out: entries written, the lesser
 *	of that room and VS_LIMIT_COUNT
 * @stats: user pointer to an array of struct vs_limit_stat, indexed by
 *	VS_LIMIT_*
 */
struct vs_limit_stats {
	__u32 xid;
	__u32 count;
	__u64 stats;
};

/* The rlimit ceilings (struct vs_rlimit.resource is an RLIMIT_* value). */
#define VS_RLIMIT_COUNT		16

/**
 * struct vs_rlimit - argument of VS_IOC_SET_RLIMIT and VS_IOC_GET_RLIMIT
 * @xid: in: the context (GET: VS_XID_SELF for the caller's)
 * @resource: in: RLIMIT_*, below VS_RLIMIT_COUNT
 * @ceiling: SET in, GET out: the most a task of the context may set either
 *	of its limits for @resource to (VS_LIMIT_INFINITY: no ceiling). Tasks
 *	entering the context are clamped to it; a guest's setrlimit above it
 *	fails with EPERM, even for its root.
 */
struct vs_rlimit {
	__u32 xid;
	__u32 resource;
	__u64 ceiling;
};

/*
 * Network contexts ("nid"): a set of IPv4 and IPv6 addresses a process tree
 * is locked to, independent of its security context. Ids use the same ranges
 * as context ids; 0 means "no network context" (every address).
 */
/* The most addresses of one family in a network context. */
#define VS_NET_MAX_ADDRS	16
/* Network context flags (struct vs_net_create.flags). */
/* The network context stays when its last task exits, until VS_IOC_NET_REMOVE. */
#define VS_NF_PERSISTENT	(1ULL << 0)
#define VS_NF_ALL		VS_NF_PERSISTENT

/**
 * struct vs_net_create - argument of VS_IOC_NET_CREATE
 * @nid: in: VS_XID_STATIC_MIN..VS_XID_STATIC_MAX or VS_XID_ALLOCATE;
 *	out: the new network context's id
 * @reserved: zero
 * @flags: VS_NF_* flags
 */
struct vs_net_create {
	__u32 nid;
	__u32 reserved;
	__u64 flags;
};

/* struct vs_net_addr.flags */
/* The guest's loopback address: 127.0.0.1 and ::1 are remapped to it. */
#define VS_NA_LOOPBACK		(1U << 0)

/**
 * struct vs_net_addr - one address, argument of VS_IOC_NET_ADD / _REMOVE
 * @nid: the network context
 * @family: AF_INET or AF_INET6 (else EAFNOSUPPORT)
 * @prefix: the prefix length, 0..32 or 0..128 (else EINVAL); used to pick
 *	the source address of outgoing connections
 * @flags: VS_NA_* flags
 * @addr: the address in network byte order, IPv4 in the first 4 bytes (the
 *	rest zero); not a wildcard, loopback or multicast address (EINVAL)
 *
 * The first address of a family is its primary one. Without an explicit
 * loopback address, the primary address serves as the guest's loopback.
 */
struct vs_net_addr {
	__u32 nid;
	__u16 family;
	__u8 prefix;
	__u8 flags;
	__u8 addr[16];
};

/**
 * struct vs_net_info - argument of VS_IOC_NET_GET_INFO
 * @nid: in: the network context (VS_XID_SELF: the caller's); out: its id
 * @tasks: out: how many tasks are in it
 * @flags: out: VS_NF_* flags
 * @count: in: room in @addrs, in entries; out: entries written
 * @total: out: how many addresses it has (E2BIG, writing none, if more
 *	than @count)
 * @addrs: user pointer to an array of struct vs_net_addr, primary addresses
 *	first, then in the order they were added, loopback entries last
 */
struct vs_net_info {
	__u32 nid;
	__u32 tasks;
	__u64 flags;
	__u32 count;
	__u32 total;
	__u64 addrs;
};

/**
 * struct vs_nid_query - argument of VS_IOC_NET_GET_NID
 * @pid: in: the task to ask about, 0 for the caller
 * @nid: out: its network context id, 0 for none
 */
struct vs_nid_query {
	__s32 pid;
	__u32 nid;
};

/* struct vs_context_info.xid: the caller's own context. */
#define VS_XID_SELF		0xfffffffeU

/**
 * struct vs_context_list - argument of VS_IOC_LIST
 * @count: in: room in @xids, in entries; out: entries written
 * @total: out: how many contexts the caller may see
 * @xids: user pointer to an array of __u32
 *
 * Fails with E2BIG, writing nothing but @total, if @count is too small.
 */
struct vs_context_list {
	__u32 count;
	__u32 total;
	__u64 xids;
};

/**
 * struct vs_context_flags - argument of VS_IOC_SET_FLAGS
 * @xid: the context
 * @reserved: zero
 * @set: VS_CF_* flags to set
 * @clear: VS_CF_* flags to clear
 */
struct vs_context_flags {
	__u32 xid;
	__u32 reserved;
	__u64 set;
	__u64 clear;
};

/**
 * struct vs_context_kill - argument of VS_IOC_KILL
 * @xid: the context
 * @sig: the signal sent to every process of the context
 */
struct vs_context_kill {
	__u32 xid;
	__s32 sig;
};

/**
 * struct vs_context_wait - argument of VS_IOC_WAIT
 * @xid: in: the context
 * @reason: out: VS_END_*
 */
struct vs_context_wait {
	__u32 xid;
	__u32 reason;
};

/* struct vs_barrier.op */
#define VS_BARRIER_SET		1	/* mark the directory as a barrier */
#define VS_BARRIER_CLEAR	2	/* unmark it */
#define VS_BARRIER_GET		3	/* only ask */

/**
 * struct vs_barrier - argument of VS_IOC_BARRIER
 * @fd: an open directory
 * @op: VS_BARRIER_*
 * @is_barrier: out: whether the directory is a barrier (after @op)
 * @reserved: zero
 *
 * No task of a guest context can look up, list or open anything through a
 * barrier directory: marking the directory that holds the guests' roots stops
 * ".." walks and chroot escapes there.
 */
struct vs_barrier {
	__s32 fd;
	__u32 op;
	__u32 is_barrier;
	__u32 reserved;
};

#define VS_IOC_MAGIC		0xBC

/* Command numbers, also used by the module to decode the ioctls below. */
#define VS_NR_GET_VERSION	0x00
#define VS_NR_GET_XID		0x01
#define VS_NR_CREATE		0x10
#define VS_NR_MIGRATE		0x11
#define VS_NR_END_SETUP		0x12
#define VS_NR_GET_INFO		0x13
#define VS_NR_LIST		0x14
#define VS_NR_SET_FLAGS		0x15
#define VS_NR_REMOVE		0x16
#define VS_NR_KILL		0x17
#define VS_NR_WAIT		0x18
#define VS_NR_SET_BCAPS		0x19
#define VS_NR_BARRIER		0x1a
#define VS_NR_GET_CAPS		0x1b
#define VS_NR_SET_CCAPS		0x1c
#define VS_NR_SET_LIMIT		0x20
#define VS_NR_GET_LIMITS	0x21
#define VS_NR_RESET_LIMITS	0x22
#define VS_NR_SET_RLIMIT	0x23
#define VS_NR_GET_RLIMIT	0x24
#define VS_NR_NET_CREATE	0x30
#define VS_NR_NET_MIGRATE	0x31
#define VS_NR_NET_ADD		0x32
#define VS_NR_NET_REMOVE_ADDR	0x33
#define VS_NR_NET_GET_INFO	0x34
#define VS_NR_NET_LIST		0x35
#define VS_NR_NET_REMOVE	0x36
#define VS_NR_NET_GET_NID	0x37

/* Returns the ABI version. Open to any opener. */
#define VS_IOC_GET_VERSION	_IOR(VS_IOC_MAGIC, VS_NR_GET_VERSION, struct vs_version)
/* Returns the context id of a task. Open to any opener. */
#define VS_IOC_GET_XID		_IOWR(VS_IOC_MAGIC, VS_NR_GET_XID, struct vs_xid_query)
/*
 * Creates a context. From the host with CAP_SYS_ADMIN, or from a context
 * with VS_CF_PROLIFIC (the new one is then its child).
 */
#define VS_IOC_CREATE		_IOWR(VS_IOC_MAGIC, VS_NR_CREATE, struct vs_context_create)
/*
 * Moves the calling (single-threaded) process into a context: from the host
 * with CAP_SYS_ADMIN, or into a child context still in VS_STATE_SETUP.
 */
#define VS_IOC_MIGRATE		_IOW(VS_IOC_MAGIC, VS_NR_MIGRATE, struct vs_context_id)
/* Ends the setup state: the host, or a task of the context or its parent. */
#define VS_IOC_END_SETUP	_IOW(VS_IOC_MAGIC, VS_NR_END_SETUP, struct vs_context_id)
/* Describes a context the caller can see. */
#define VS_IOC_GET_INFO		_IOWR(VS_IOC_MAGIC, VS_NR_GET_INFO, struct vs_context_info)
/* Lists the contexts the caller can see. */
#define VS_IOC_LIST		_IOWR(VS_IOC_MAGIC, VS_NR_LIST, struct vs_context_list)
/* The ioctls below are for the host with CAP_SYS_ADMIN only. */
#define VS_IOC_SET_FLAGS	_IOW(VS_IOC_MAGIC, VS_NR_SET_FLAGS, struct vs_context_flags)
/* Removes a context that has no tasks (EBUSY otherwise). */
#define VS_IOC_REMOVE		_IOW(VS_IOC_MAGIC, VS_NR_REMOVE, struct vs_context_id)
/* Sends a signal to every process of a context. */
#define VS_IOC_KILL		_IOW(VS_IOC_MAGIC, VS_NR_KILL, struct vs_context_kill)
/* Waits until every task of a context has ended; tells why. */
#define VS_IOC_WAIT		_IOWR(VS_IOC_MAGIC, VS_NR_WAIT, struct vs_context_wait)
/*
 * Sets a context's bounding capability set: any set while it is being set
 * up, only a narrower one afterwards (EPERM). Tasks entering the context get
 * their own capability sets narrowed to it.
 */
#define VS_IOC_SET_BCAPS	_IOW(VS_IOC_MAGIC, VS_NR_SET_BCAPS, struct vs_context_caps)
/* Marks, unmarks or queries a barrier directory (host admin; query: any). */
#define VS_IOC_BARRIER		_IOWR(VS_IOC_MAGIC, VS_NR_BARRIER, struct vs_barrier)

/* ABI 1.1 */
/* Returns a context's bounding set and context capabilities (as GET_INFO). */
#define VS_IOC_GET_CAPS		_IOWR(VS_IOC_MAGIC, VS_NR_GET_CAPS, struct vs_context_capsets)
/* Sets a context's VS_CCAP_* set (host admin; narrower only once running). */
#define VS_IOC_SET_CCAPS	_IOW(VS_IOC_MAGIC, VS_NR_SET_CCAPS, struct vs_context_ccaps)
/* Sets one counter's soft and hard limit (host admin). */
#define VS_IOC_SET_LIMIT	_IOW(VS_IOC_MAGIC, VS_NR_SET_LIMIT, struct vs_limit)
/* Reads every counter of a context (as GET_INFO). */
#define VS_IOC_GET_LIMITS	_IOWR(VS_IOC_MAGIC, VS_NR_GET_LIMITS, struct vs_limit_stats)
/* Resets min and max to the present use and the hits to 0 (host admin). */
#define VS_IOC_RESET_LIMITS	_IOW(VS_IOC_MAGIC, VS_NR_RESET_LIMITS, struct vs_context_id)
/* Sets one rlimit ceiling (host admin). */
#define VS_IOC_SET_RLIMIT	_IOW(VS_IOC_MAGIC, VS_NR_SET_RLIMIT, struct vs_rlimit)
/* Reads one rlimit ceiling (as GET_INFO). */
#define VS_IOC_GET_RLIMIT	_IOWR(VS_IOC_MAGIC, VS_NR_GET_RLIMIT, struct vs_rlimit)
/* Creates a network context (host admin). */
#define VS_IOC_NET_CREATE	_IOWR(VS_IOC_MAGIC, VS_NR_NET_CREATE, struct vs_net_create)
/* Moves the calling process into a network context (host admin), for good. */
#define VS_IOC_NET_MIGRATE	_IOW(VS_IOC_MAGIC, VS_NR_NET_MIGRATE, struct vs_context_id)
/* Adds an address (host admin): EEXIST if present, ENOSPC if the family is full. */
#define VS_IOC_NET_ADD		_IOW(VS_IOC_MAGIC, VS_NR_NET_ADD, struct vs_net_addr)
/* Removes an address (host admin); open sockets keep theirs. EADDRNOTAVAIL if absent. */
#define VS_IOC_NET_REMOVE_ADDR	_IOW(VS_IOC_MAGIC, VS_NR_NET_REMOVE_ADDR, struct vs_net_addr)
/* Describes a network context: the host, or a task of it, may ask. */
#define VS_IOC_NET_GET_INFO	_IOWR(VS_IOC_MAGIC, VS_NR_NET_GET_INFO, struct vs_net_info)
/* Lists the network contexts (host only). */
#define VS_IOC_NET_LIST		_IOWR(VS_IOC_MAGIC, VS_NR_NET_LIST, struct vs_context_list)
/* Removes a network context that has no tasks (host admin; EBUSY otherwise). */
#define VS_IOC_NET_REMOVE	_IOW(VS_IOC_MAGIC, VS_NR_NET_REMOVE, struct vs_context_id)
/* Returns the network context id of a task the caller can see. */
#define VS_IOC_NET_GET_NID	_IOWR(VS_IOC_MAGIC, VS_NR_NET_GET_NID, struct vs_nid_query)

#endif /* _UAPI_LINUX_VSERVER_H */
