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
/// `VS_CF_ALL`, as the `u64` flags word uses it.
pub(crate) const VS_CF_ALL: u64 = raw::VS_CF_ALL as u64;
/// `VS_BCAPS_DEFAULT`: the capabilities a new context starts with.
pub(crate) const VS_BCAPS_DEFAULT: u64 = raw::VS_BCAPS_DEFAULT as u64;
pub(crate) use raw::VS_BCAPS_ALL;

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
