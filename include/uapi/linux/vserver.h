/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vserver: Linux-VServer style security contexts, user-space ABI.
 *
 * This header is the one source of truth for the /dev/vserver ioctl ABI.
 */
#ifndef _UAPI_LINUX_VSERVER_H
#define _UAPI_LINUX_VSERVER_H

#include <linux/capability.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: ABI version
 *
 * %VS_IOC_GET_VERSION and struct vs_version are the same in every ABI, so a
 * program can always learn which ABI the running module speaks. A program
 * built for ABI M.n works with a module whose major version is M and whose
 * minor version is n or more: a new minor version only adds ioctls, flags and
 * values, every structure keeps its size and every field its meaning; a new
 * major version may change anything. Programs check the version once, when
 * they open the device, and name the version they need when it does not fit.
 *
 * ABI 2.0 (this header) differs from 1.1 in that every structure has a
 * ``flags`` or ``reserved`` field, every list answers ``E2BIG`` with its total,
 * struct vs_net_addr has 32-bit fields, and the header no longer defines
 * all-bits masks: which flags and capabilities exist is the module's
 * knowledge, and it refuses any other bit with ``EINVAL``.
 */
#define VS_ABI_MAJOR		2
#define VS_ABI_MINOR		0

/**
 * DOC: Conventions
 *
 * Every structure has a fixed size that is a multiple of 8 and no implicit
 * padding (each member starts where the previous one ends), so 32- and 64-bit
 * callers share one layout; user pointers are carried in __u64 fields.
 *
 * A field named ``reserved`` must be zero on input (else ``EINVAL``) and is
 * zero on output. A ``flags`` field admits only the flags defined for it;
 * where none is defined yet it must be zero (``EINVAL``). A future minor
 * version may give these bits a meaning; a caller that sets none keeps
 * today's behaviour.
 *
 * The ioctls that return a list (%VS_IOC_LIST, %VS_IOC_NET_LIST,
 * %VS_IOC_GET_LIMITS, %VS_IOC_NET_GET_INFO) share one convention: the caller
 * gives the room of its array in ``count``; the module sets ``total`` to the
 * number of entries there are and, if they fit, writes them and sets
 * ``count`` to that number; if they do not, it fails with ``E2BIG``, writing
 * nothing into the array, ``count`` 0 and ``total`` set, so the caller can
 * retry with room for ``total``.
 *
 * Errors: unknown command ``ENOTTY``, bad pointer ``EFAULT``, bad argument
 * ``EINVAL``, not allowed ``EPERM``, unknown or invisible context or pid
 * ``ESRCH``, existing id ``EEXIST``, no free dynamic id ``ENOSPC``, context
 * still has tasks ``EBUSY``, list buffer too small ``E2BIG``, wait interrupted
 * ``EINTR``; for addresses, unknown family ``EAFNOSUPPORT``, full family
 * ``ENOSPC``, duplicate ``EEXIST``, absent address ``EADDRNOTAVAIL``.
 *
 * "Host admin" below means a task of the host context (0) with
 * ``CAP_SYS_ADMIN``. The device node is mode 0600, so only root opens it.
 */

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
 * @reserved: zero
 *
 * The one structure that never changes (see `ABI version`_).
 */
struct vs_version {
	__u32 major;
	__u32 minor;
	__u64 reserved;
};

/**
 * struct vs_xid_query - argument of VS_IOC_GET_XID
 * @pid: in: the task to ask about, 0 for the caller
 * @xid: out: its context id
 * @reserved: zero
 */
struct vs_xid_query {
	__s32 pid;
	__u32 xid;
	__u64 reserved;
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
 * @reserved: zero
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
	__u64 reserved;
};

/**
 * struct vs_context_caps - argument of VS_IOC_SET_BCAPS
 * @xid: the context
 * @reserved: zero
 * @bcaps: the new bounding capability set, capabilities the running kernel
 *	knows only (bits 0..CAP_LAST_CAP; EINVAL otherwise); once the
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
 * @ccaps: the new set, VS_CCAP_* flags only (EINVAL otherwise); once the context has
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
 * @flags: none defined yet, zero
 */
struct vs_limit {
	__u32 xid;
	__u32 resource;
	__u64 soft;
	__u64 hard;
	__u64 flags;
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
 * @xid: in: the context (VS_XID_SELF: the caller's); out: its id
 * @count: in: room in @stats, in entries; out: entries written
 * @total: out: how many counters the context has (VS_LIMIT_COUNT)
 * @reserved: zero
 * @stats: user pointer to an array of struct vs_limit_stat, indexed by
 *	VS_LIMIT_*
 *
 * A list (see `Conventions`_): ``E2BIG`` if @count is below @total.
 */
struct vs_limit_stats {
	__u32 xid;
	__u32 count;
	__u32 total;
	__u32 reserved;
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
 * @flags: none defined yet, zero
 */
struct vs_rlimit {
	__u32 xid;
	__u32 resource;
	__u64 ceiling;
	__u64 flags;
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
	__u32 family;
	__u32 prefix;
	__u32 flags;
	__u8 addr[16];
};

/**
 * struct vs_net_info - argument of VS_IOC_NET_GET_INFO
 * @nid: in: the network context (VS_XID_SELF: the caller's); out: its id
 * @tasks: out: how many tasks are in it
 * @flags: out: VS_NF_* flags
 * @count: in: room in @addrs, in entries; out: entries written
 * @total: out: how many addresses it has
 * @addrs: user pointer to an array of struct vs_net_addr, primary addresses
 *	first, then in the order they were added, loopback entries last
 * @reserved: zero
 *
 * A list (see `Conventions`_): ``E2BIG`` if @count is below @total.
 */
struct vs_net_info {
	__u32 nid;
	__u32 tasks;
	__u64 flags;
	__u32 count;
	__u32 total;
	__u64 addrs;
	__u64 reserved;
};

/**
 * struct vs_nid_query - argument of VS_IOC_NET_GET_NID
 * @pid: in: the task to ask about, 0 for the caller
 * @nid: out: its network context id, 0 for none
 * @reserved: zero
 */
struct vs_nid_query {
	__s32 pid;
	__u32 nid;
	__u64 reserved;
};

/* struct vs_context_info.xid: the caller's own context. */
#define VS_XID_SELF		0xfffffffeU

/**
 * struct vs_context_list - argument of VS_IOC_LIST
 * @count: in: room in @xids, in entries; out: entries written
 * @total: out: how many contexts the caller may see
 * @xids: user pointer to an array of __u32
 * @flags: none defined yet, zero
 *
 * A list (see `Conventions`_): ``E2BIG`` if @count is below @total.
 */
struct vs_context_list {
	__u32 count;
	__u32 total;
	__u64 xids;
	__u64 flags;
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
 * @sig: the signal sent to every process of the context, 0..64 (0 only
 *	checks that the context exists)
 * @flags: none defined yet, zero
 */
struct vs_context_kill {
	__u32 xid;
	__s32 sig;
	__u64 flags;
};

/**
 * struct vs_context_wait - argument of VS_IOC_WAIT
 * @xid: in: the context
 * @reason: out: VS_END_*
 * @flags: none defined yet, zero
 */
struct vs_context_wait {
	__u32 xid;
	__u32 reason;
	__u64 flags;
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

/**
 * define VS_IOC_GET_VERSION - the ABI version of the running module
 *
 * Argument: struct vs_version (out). Open to any opener; the same number in
 * every ABI version.
 */
#define VS_IOC_GET_VERSION	_IOR(VS_IOC_MAGIC, VS_NR_GET_VERSION, struct vs_version)
/**
 * define VS_IOC_GET_XID - the context of a task
 *
 * Argument: struct vs_xid_query. Open to any opener, for the pids it can see
 * (``ESRCH`` otherwise).
 */
#define VS_IOC_GET_XID		_IOWR(VS_IOC_MAGIC, VS_NR_GET_XID, struct vs_xid_query)
/**
 * define VS_IOC_CREATE - create a context
 *
 * Argument: struct vs_context_create. From the host admin, or from a task of
 * a context with %VS_CF_PROLIFIC (the new context is then its child). The new
 * context is in %VS_STATE_SETUP.
 */
#define VS_IOC_CREATE		_IOWR(VS_IOC_MAGIC, VS_NR_CREATE, struct vs_context_create)
/**
 * define VS_IOC_MIGRATE - move the calling process into a context
 *
 * Argument: struct vs_context_id. The caller must be single-threaded
 * (``EBUSY``). From the host admin into any context or the spectator, or from
 * a guest into a child context of its own still in %VS_STATE_SETUP. The
 * process's credentials are narrowed to the context's bounding set.
 */
#define VS_IOC_MIGRATE		_IOW(VS_IOC_MAGIC, VS_NR_MIGRATE, struct vs_context_id)
/**
 * define VS_IOC_END_SETUP - end a context's setup state
 *
 * Argument: struct vs_context_id. From the host admin, a task of the context,
 * or a task of its parent guest context. Afterwards only the host admin adds
 * tasks to it, and its capability sets can only shrink.
 */
#define VS_IOC_END_SETUP	_IOW(VS_IOC_MAGIC, VS_NR_END_SETUP, struct vs_context_id)
/**
 * define VS_IOC_GET_INFO - describe a context
 *
 * Argument: struct vs_context_info. For contexts the caller may see
 * (``ESRCH`` otherwise); the host and the spectator have none (``EINVAL``).
 */
#define VS_IOC_GET_INFO		_IOWR(VS_IOC_MAGIC, VS_NR_GET_INFO, struct vs_context_info)
/**
 * define VS_IOC_LIST - list the contexts the caller may see
 *
 * Argument: struct vs_context_list, a list (see `Conventions`_).
 */
#define VS_IOC_LIST		_IOWR(VS_IOC_MAGIC, VS_NR_LIST, struct vs_context_list)
/**
 * define VS_IOC_SET_FLAGS - set and clear a context's flags
 *
 * Argument: struct vs_context_flags. Host admin.
 */
#define VS_IOC_SET_FLAGS	_IOW(VS_IOC_MAGIC, VS_NR_SET_FLAGS, struct vs_context_flags)
/**
 * define VS_IOC_REMOVE - remove a context that has no tasks
 *
 * Argument: struct vs_context_id. Host admin; ``EBUSY`` while it has tasks.
 */
#define VS_IOC_REMOVE		_IOW(VS_IOC_MAGIC, VS_NR_REMOVE, struct vs_context_id)
/**
 * define VS_IOC_KILL - signal every process of a context
 *
 * Argument: struct vs_context_kill. Host admin.
 */
#define VS_IOC_KILL		_IOW(VS_IOC_MAGIC, VS_NR_KILL, struct vs_context_kill)
/**
 * define VS_IOC_WAIT - wait until every task of a context has ended
 *
 * Argument: struct vs_context_wait, which says why. Host admin; ``EINTR``
 * when a signal interrupts the wait.
 */
#define VS_IOC_WAIT		_IOWR(VS_IOC_MAGIC, VS_NR_WAIT, struct vs_context_wait)
/**
 * define VS_IOC_SET_BCAPS - set a context's bounding capability set
 *
 * Argument: struct vs_context_caps. Host admin. Any set while the context is
 * being set up, only a narrower one afterwards (``EPERM``). Tasks entering the
 * context get their own capability sets narrowed to it.
 */
#define VS_IOC_SET_BCAPS	_IOW(VS_IOC_MAGIC, VS_NR_SET_BCAPS, struct vs_context_caps)
/**
 * define VS_IOC_BARRIER - mark, unmark or query a barrier directory
 *
 * Argument: struct vs_barrier. Host admin; %VS_BARRIER_GET: any opener.
 */
#define VS_IOC_BARRIER		_IOWR(VS_IOC_MAGIC, VS_NR_BARRIER, struct vs_barrier)
/**
 * define VS_IOC_GET_CAPS - a context's bounding set and context capabilities
 *
 * Argument: struct vs_context_capsets. As %VS_IOC_GET_INFO.
 */
#define VS_IOC_GET_CAPS		_IOWR(VS_IOC_MAGIC, VS_NR_GET_CAPS, struct vs_context_capsets)
/**
 * define VS_IOC_SET_CCAPS - set a context's context capabilities
 *
 * Argument: struct vs_context_ccaps. Host admin; only a narrower set once the
 * context has left the setup state (``EPERM``).
 */
#define VS_IOC_SET_CCAPS	_IOW(VS_IOC_MAGIC, VS_NR_SET_CCAPS, struct vs_context_ccaps)
/**
 * define VS_IOC_SET_LIMIT - set one counter's soft and hard limit
 *
 * Argument: struct vs_limit. Host admin; the host and the spectator have no
 * counters (``EINVAL``).
 */
#define VS_IOC_SET_LIMIT	_IOW(VS_IOC_MAGIC, VS_NR_SET_LIMIT, struct vs_limit)
/**
 * define VS_IOC_GET_LIMITS - read every counter of a context
 *
 * Argument: struct vs_limit_stats, a list (see `Conventions`_). As
 * %VS_IOC_GET_INFO.
 */
#define VS_IOC_GET_LIMITS	_IOWR(VS_IOC_MAGIC, VS_NR_GET_LIMITS, struct vs_limit_stats)
/**
 * define VS_IOC_RESET_LIMITS - restart a context's counter statistics
 *
 * Argument: struct vs_context_id. Host admin. Sets every counter's min and max
 * to its present use and its hits to 0.
 */
#define VS_IOC_RESET_LIMITS	_IOW(VS_IOC_MAGIC, VS_NR_RESET_LIMITS, struct vs_context_id)
/**
 * define VS_IOC_SET_RLIMIT - set one rlimit ceiling
 *
 * Argument: struct vs_rlimit. Host admin; the host and the spectator have no
 * ceilings (``EINVAL``).
 */
#define VS_IOC_SET_RLIMIT	_IOW(VS_IOC_MAGIC, VS_NR_SET_RLIMIT, struct vs_rlimit)
/**
 * define VS_IOC_GET_RLIMIT - read one rlimit ceiling
 *
 * Argument: struct vs_rlimit. As %VS_IOC_GET_INFO.
 */
#define VS_IOC_GET_RLIMIT	_IOWR(VS_IOC_MAGIC, VS_NR_GET_RLIMIT, struct vs_rlimit)
/**
 * define VS_IOC_NET_CREATE - create a network context
 *
 * Argument: struct vs_net_create. Host admin.
 */
#define VS_IOC_NET_CREATE	_IOWR(VS_IOC_MAGIC, VS_NR_NET_CREATE, struct vs_net_create)
/**
 * define VS_IOC_NET_MIGRATE - move the calling process into a network context
 *
 * Argument: struct vs_context_id (its @xid names the network context). Host
 * admin; single-threaded callers only (``EBUSY``); there is no way back.
 */
#define VS_IOC_NET_MIGRATE	_IOW(VS_IOC_MAGIC, VS_NR_NET_MIGRATE, struct vs_context_id)
/**
 * define VS_IOC_NET_ADD - add an address to a network context
 *
 * Argument: struct vs_net_addr. Host admin; ``EEXIST`` if present,
 * ``ENOSPC`` if the family already has %VS_NET_MAX_ADDRS.
 */
#define VS_IOC_NET_ADD		_IOW(VS_IOC_MAGIC, VS_NR_NET_ADD, struct vs_net_addr)
/**
 * define VS_IOC_NET_REMOVE_ADDR - remove an address from a network context
 *
 * Argument: struct vs_net_addr (the prefix does not matter, %VS_NA_LOOPBACK
 * does). Host admin; ``EADDRNOTAVAIL`` if absent. Open sockets keep theirs.
 */
#define VS_IOC_NET_REMOVE_ADDR	_IOW(VS_IOC_MAGIC, VS_NR_NET_REMOVE_ADDR, struct vs_net_addr)
/**
 * define VS_IOC_NET_GET_INFO - describe a network context and list its addresses
 *
 * Argument: struct vs_net_info, a list (see `Conventions`_). The host, or a
 * task of the network context.
 */
#define VS_IOC_NET_GET_INFO	_IOWR(VS_IOC_MAGIC, VS_NR_NET_GET_INFO, struct vs_net_info)
/**
 * define VS_IOC_NET_LIST - list the network contexts
 *
 * Argument: struct vs_context_list, a list (see `Conventions`_). The host only.
 */
#define VS_IOC_NET_LIST		_IOWR(VS_IOC_MAGIC, VS_NR_NET_LIST, struct vs_context_list)
/**
 * define VS_IOC_NET_REMOVE - remove a network context that has no tasks
 *
 * Argument: struct vs_context_id. Host admin; ``EBUSY`` while it has tasks.
 */
#define VS_IOC_NET_REMOVE	_IOW(VS_IOC_MAGIC, VS_NR_NET_REMOVE, struct vs_context_id)
/**
 * define VS_IOC_NET_GET_NID - the network context of a task
 *
 * Argument: struct vs_nid_query. Open to any opener, for the pids it can see.
 */
#define VS_IOC_NET_GET_NID	_IOWR(VS_IOC_MAGIC, VS_NR_NET_GET_NID, struct vs_nid_query)

#endif /* _UAPI_LINUX_VSERVER_H */
