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
#define VS_ABI_MINOR		0

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

#endif /* _UAPI_LINUX_VSERVER_H */
