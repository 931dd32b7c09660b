// SPDX-License-Identifier: GPL-2.0

//! The `/dev/vserver` ABI: wrappers around the types of
//! `include/uapi/linux/vserver.h`, which the kernel's `uapi` crate binds.
//!
//! The ioctl command numbers are derived here from the header's command
//! numbers and argument types, so a mismatch with the C macros of the same
//! name shows up in the ABI tests that call through those macros.

use core::mem::MaybeUninit;
use core::ops::{Deref, DerefMut};
use kernel::ioctl::{_IOR, _IOWR};
use kernel::transmute::{AsBytes, FromBytes};

use kernel::ioctl::_IOW;
use kernel::uapi as raw;
pub(crate) use kernel::uapi::{
    VS_ABI_MAJOR, VS_ABI_MINOR, VS_BARRIER_CLEAR, VS_BARRIER_GET, VS_BARRIER_SET, VS_END_EXIT,
    VS_END_HALT, VS_END_POWEROFF, VS_END_REMOVED, VS_END_RESTART, VS_STATE_RUNNING, VS_STATE_SETUP,
    VS_XID_ALLOCATE, VS_XID_DYNAMIC_MAX, VS_XID_DYNAMIC_MIN, VS_XID_HOST, VS_XID_SELF,
    VS_XID_SPECTATOR, VS_XID_STATIC_MAX, VS_XID_STATIC_MIN,
};

// The header writes the flags as `1ULL << n`; bindgen types such small constants `u32`.
// Widening them is lossless.
/// `VS_CF_PERSISTENT`, as the `u64` flags word uses it.
pub(crate) const VS_CF_PERSISTENT: u64 = raw::VS_CF_PERSISTENT as u64;
/// `VS_CF_PROLIFIC`, as the `u64` flags word uses it.
pub(crate) const VS_CF_PROLIFIC: u64 = raw::VS_CF_PROLIFIC as u64;
/// `VS_BCAPS_DEFAULT`: the capabilities a new context starts with.
pub(crate) const VS_BCAPS_DEFAULT: u64 = raw::VS_BCAPS_DEFAULT as u64;
/// `VS_CCAP_SET_UTSNAME`, as the `u64` ccaps word uses it.
pub(crate) const VS_CCAP_SET_UTSNAME: u64 = raw::VS_CCAP_SET_UTSNAME as u64;
/// `VS_CCAP_RAW_ICMP`, as the `u64` ccaps word uses it.
pub(crate) const VS_CCAP_RAW_ICMP: u64 = raw::VS_CCAP_RAW_ICMP as u64;
/// `VS_CCAPS_DEFAULT`: the context capabilities a new context starts with.
pub(crate) const VS_CCAPS_DEFAULT: u64 = raw::VS_CCAPS_DEFAULT as u64;
/// `VS_NF_PERSISTENT`, as the `u64` flags word uses it.
pub(crate) const VS_NF_PERSISTENT: u64 = raw::VS_NF_PERSISTENT as u64;

// What this module knows: every bit outside these masks is refused with `EINVAL`. The
// masks are kept out of the header (as Landlock keeps its own in `limits.h`): a program
// learns what exists from the ABI version, and the masks can grow with the module
// without a header that claims more than the running module accepts.
/// The context flags (`VS_CF_*`) this module knows.
pub(crate) const CF_MASK: u64 = VS_CF_PERSISTENT | VS_CF_PROLIFIC;
/// The capabilities the running kernel knows, as a bounding set may hold them.
pub(crate) const BCAPS_MASK: u64 = (1u64 << (kernel::bindings::CAP_LAST_CAP + 1)) - 1;
/// The context capabilities (`VS_CCAP_*`) this module knows.
pub(crate) const CCAPS_MASK: u64 = VS_CCAP_SET_UTSNAME | VS_CCAP_RAW_ICMP;
/// The network context flags (`VS_NF_*`) this module knows.
pub(crate) const NF_MASK: u64 = VS_NF_PERSISTENT;
/// The address flags (`VS_NA_*`) this module knows.
pub(crate) const NA_MASK: u32 = VS_NA_LOOPBACK;

pub(crate) use raw::{
    VS_LIMIT_COUNT, VS_LIMIT_INFINITY, VS_LIMIT_NOFILE, VS_LIMIT_NPROC, VS_LIMIT_NSOCK,
    VS_RLIMIT_COUNT,
};
pub(crate) use raw::{VS_NA_LOOPBACK, VS_NET_MAX_ADDRS};

macro_rules! decl_wrapper {
    ($newname:ident, $wrapped:ty) => {
        /// Wrapper around the UAPI structure of the same shape. `MaybeUninit` keeps the
        /// padding bytes as they are.
        #[derive(Copy, Clone)]
        #[repr(transparent)]
        pub(crate) struct $newname(MaybeUninit<$wrapped>);

        // SAFETY: The wrapped UAPI type is plain old data made of integers: every bit
        // pattern is a valid value.
        unsafe impl FromBytes for $newname {}
        // SAFETY: The wrapped UAPI type is plain old data with explicit padding fields,
        // so it has no uninitialized bytes of its own.
        unsafe impl AsBytes for $newname {}

        impl Deref for $newname {
            type Target = $wrapped;
            fn deref(&self) -> &Self::Target {
                // SAFETY: Every value is created initialized, by `default()` or by reading
                // it from user space; `MaybeUninit` is only there to preserve padding.
                unsafe { self.0.assume_init_ref() }
            }
        }

        impl DerefMut for $newname {
            fn deref_mut(&mut self) -> &mut Self::Target {
                // SAFETY: As in `deref`.
                unsafe { self.0.assume_init_mut() }
            }
        }

        impl Default for $newname {
            fn default() -> Self {
                Self(MaybeUninit::zeroed())
            }
        }
    };
}

decl_wrapper!(Version, raw::vs_version);
decl_wrapper!(XidQuery, raw::vs_xid_query);
decl_wrapper!(ContextCreate, raw::vs_context_create);
decl_wrapper!(ContextId, raw::vs_context_id);
decl_wrapper!(ContextInfo, raw::vs_context_info);
decl_wrapper!(ContextList, raw::vs_context_list);
decl_wrapper!(ContextFlags, raw::vs_context_flags);
decl_wrapper!(ContextKill, raw::vs_context_kill);
decl_wrapper!(ContextWait, raw::vs_context_wait);
decl_wrapper!(ContextCaps, raw::vs_context_caps);
decl_wrapper!(Barrier, raw::vs_barrier);
decl_wrapper!(ContextCapsets, raw::vs_context_capsets);
decl_wrapper!(ContextCcaps, raw::vs_context_ccaps);
decl_wrapper!(Limit, raw::vs_limit);
decl_wrapper!(LimitStat, raw::vs_limit_stat);
decl_wrapper!(LimitStats, raw::vs_limit_stats);
decl_wrapper!(Rlimit, raw::vs_rlimit);
decl_wrapper!(NetCreate, raw::vs_net_create);
decl_wrapper!(NetAddr, raw::vs_net_addr);
decl_wrapper!(NetInfo, raw::vs_net_info);
decl_wrapper!(NidQuery, raw::vs_nid_query);

/// The size of the field a projection `|s| &s.field` names.
const fn field_size<T, F>(_field: fn(&T) -> &F) -> usize {
    size_of::<F>()
}

/// Checks at build time that a UAPI structure has the given size and exactly the listed
/// fields, in that order, each starting where the previous one ends: no hole, no field
/// the list forgets, a size that is a multiple of 8 (the header's layout rules, which
/// `scripts/uapi-layout.py` checks on the C side, as Landlock's `build_check_abi()` does).
macro_rules! check_layout {
    ($t:ident, $size:literal, [$($field:ident),+ $(,)?]) => {
        const _: () = {
            let mut end = 0;
            $(
                assert!(core::mem::offset_of!(raw::$t, $field) == end);
                end += field_size(|s: &raw::$t| &s.$field);
            )+
            assert!(end == size_of::<raw::$t>());
            assert!(size_of::<raw::$t>() == $size);
            assert!($size % 8 == 0);
        };
    };
}

check_layout!(vs_version, 16, [major, minor, reserved]);
check_layout!(vs_xid_query, 16, [pid, xid, reserved]);
check_layout!(vs_context_create, 16, [xid, reserved, flags]);
check_layout!(vs_context_id, 8, [xid, reserved]);
check_layout!(
    vs_context_info,
    64,
    [xid, state, flags, tasks, init_pid, created_ns, parent_xid, last_end, bcaps, hits, reserved]
);
check_layout!(vs_context_caps, 16, [xid, reserved, bcaps]);
check_layout!(vs_context_capsets, 24, [xid, reserved, bcaps, ccaps]);
check_layout!(vs_context_ccaps, 16, [xid, reserved, ccaps]);
check_layout!(vs_limit, 32, [xid, resource, soft, hard, flags]);
check_layout!(
    vs_limit_stat,
    64,
    [usage, min, max, soft, hard, hits, soft_hits, reserved]
);
check_layout!(vs_limit_stats, 24, [xid, count, total, reserved, stats]);
check_layout!(vs_rlimit, 24, [xid, resource, ceiling, flags]);
check_layout!(vs_net_create, 16, [nid, reserved, flags]);
check_layout!(vs_net_addr, 32, [nid, family, prefix, flags, addr]);
check_layout!(
    vs_net_info,
    40,
    [nid, tasks, flags, count, total, addrs, reserved]
);
check_layout!(vs_nid_query, 16, [pid, nid, reserved]);
check_layout!(vs_context_list, 24, [count, total, xids, flags]);
check_layout!(vs_context_flags, 24, [xid, reserved, set, clear]);
check_layout!(vs_context_kill, 16, [xid, sig, flags]);
check_layout!(vs_context_wait, 16, [xid, reason, flags]);
check_layout!(vs_barrier, 16, [fd, op, is_barrier, reserved]);

/// The ioctl command numbers.
const MAGIC: u32 = raw::VS_IOC_MAGIC;
pub(crate) const VS_IOC_GET_VERSION: u32 = _IOR::<raw::vs_version>(MAGIC, raw::VS_NR_GET_VERSION);
pub(crate) const VS_IOC_GET_XID: u32 = _IOWR::<raw::vs_xid_query>(MAGIC, raw::VS_NR_GET_XID);
pub(crate) const VS_IOC_CREATE: u32 = _IOWR::<raw::vs_context_create>(MAGIC, raw::VS_NR_CREATE);
pub(crate) const VS_IOC_MIGRATE: u32 = _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_MIGRATE);
pub(crate) const VS_IOC_END_SETUP: u32 = _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_END_SETUP);
pub(crate) const VS_IOC_GET_INFO: u32 = _IOWR::<raw::vs_context_info>(MAGIC, raw::VS_NR_GET_INFO);
pub(crate) const VS_IOC_LIST: u32 = _IOWR::<raw::vs_context_list>(MAGIC, raw::VS_NR_LIST);
pub(crate) const VS_IOC_SET_FLAGS: u32 = _IOW::<raw::vs_context_flags>(MAGIC, raw::VS_NR_SET_FLAGS);
pub(crate) const VS_IOC_REMOVE: u32 = _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_REMOVE);
pub(crate) const VS_IOC_KILL: u32 = _IOW::<raw::vs_context_kill>(MAGIC, raw::VS_NR_KILL);
pub(crate) const VS_IOC_WAIT: u32 = _IOWR::<raw::vs_context_wait>(MAGIC, raw::VS_NR_WAIT);
pub(crate) const VS_IOC_SET_BCAPS: u32 = _IOW::<raw::vs_context_caps>(MAGIC, raw::VS_NR_SET_BCAPS);
pub(crate) const VS_IOC_BARRIER: u32 = _IOWR::<raw::vs_barrier>(MAGIC, raw::VS_NR_BARRIER);
pub(crate) const VS_IOC_GET_CAPS: u32 =
    _IOWR::<raw::vs_context_capsets>(MAGIC, raw::VS_NR_GET_CAPS);
pub(crate) const VS_IOC_SET_CCAPS: u32 = _IOW::<raw::vs_context_ccaps>(MAGIC, raw::VS_NR_SET_CCAPS);
pub(crate) const VS_IOC_SET_LIMIT: u32 = _IOW::<raw::vs_limit>(MAGIC, raw::VS_NR_SET_LIMIT);
pub(crate) const VS_IOC_GET_LIMITS: u32 =
    _IOWR::<raw::vs_limit_stats>(MAGIC, raw::VS_NR_GET_LIMITS);
pub(crate) const VS_IOC_RESET_LIMITS: u32 =
    _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_RESET_LIMITS);
pub(crate) const VS_IOC_SET_RLIMIT: u32 = _IOW::<raw::vs_rlimit>(MAGIC, raw::VS_NR_SET_RLIMIT);
pub(crate) const VS_IOC_GET_RLIMIT: u32 = _IOWR::<raw::vs_rlimit>(MAGIC, raw::VS_NR_GET_RLIMIT);
pub(crate) const VS_IOC_NET_CREATE: u32 = _IOWR::<raw::vs_net_create>(MAGIC, raw::VS_NR_NET_CREATE);
pub(crate) const VS_IOC_NET_MIGRATE: u32 =
    _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_NET_MIGRATE);
pub(crate) const VS_IOC_NET_ADD: u32 = _IOW::<raw::vs_net_addr>(MAGIC, raw::VS_NR_NET_ADD);
pub(crate) const VS_IOC_NET_REMOVE_ADDR: u32 =
    _IOW::<raw::vs_net_addr>(MAGIC, raw::VS_NR_NET_REMOVE_ADDR);
pub(crate) const VS_IOC_NET_GET_INFO: u32 =
    _IOWR::<raw::vs_net_info>(MAGIC, raw::VS_NR_NET_GET_INFO);
pub(crate) const VS_IOC_NET_LIST: u32 = _IOWR::<raw::vs_context_list>(MAGIC, raw::VS_NR_NET_LIST);
pub(crate) const VS_IOC_NET_REMOVE: u32 = _IOW::<raw::vs_context_id>(MAGIC, raw::VS_NR_NET_REMOVE);
pub(crate) const VS_IOC_NET_GET_NID: u32 =
    _IOWR::<raw::vs_nid_query>(MAGIC, raw::VS_NR_NET_GET_NID);
