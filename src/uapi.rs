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

pub(crate) use kernel::uapi::{VS_ABI_MAJOR, VS_ABI_MINOR, VS_XID_HOST, VS_XID_SPECTATOR};

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

decl_wrapper!(Version, kernel::uapi::vs_version);
decl_wrapper!(XidQuery, kernel::uapi::vs_xid_query);

/// The ioctl command numbers.
const MAGIC: u32 = kernel::uapi::VS_IOC_MAGIC;
pub(crate) const VS_IOC_GET_VERSION: u32 =
    _IOR::<kernel::uapi::vs_version>(MAGIC, kernel::uapi::VS_NR_GET_VERSION);
pub(crate) const VS_IOC_GET_XID: u32 =
    _IOWR::<kernel::uapi::vs_xid_query>(MAGIC, kernel::uapi::VS_NR_GET_XID);
