// SPDX-License-Identifier: GPL-2.0

//! Blob fields that hold an `Option<Arc<T>>`: the one place that turns such a field into
//! typed values and back, on [`ForeignOwnable`] and [`ArcBorrow`]
//! (`rust/kernel/sync/arc.rs`).
//!
//! A field holds null (`None`) or one reference from [`ForeignOwnable::into_foreign`].

use core::ffi::c_void;
use kernel::sync::{Arc, ArcBorrow};
use kernel::types::ForeignOwnable;

/// Puts `new` into the field at `slot`, returning what it held.
///
/// # Safety
///
/// `slot` must be valid for reads and writes, hold null or a reference from
/// `Arc::<T>::into_foreign`, and nobody else may access it meanwhile.
pub(crate) unsafe fn replace<T: Send + Sync + 'static>(
    slot: *mut *mut c_void,
    new: Option<Arc<T>>,
) -> Option<Arc<T>> {
    let new = new.map_or(core::ptr::null_mut(), Arc::into_foreign);
    // SAFETY: `slot` is valid and ours alone (caller's guarantee).
    let old = unsafe { core::ptr::replace(slot, new) };
    // SAFETY: `old` is null or a reference from `into_foreign` (caller's guarantee), which
    // the field no longer holds.
    unsafe { Arc::try_from_foreign(old) }
}

/// The object the field at `slot` refers to, borrowed for `'a`.
///
/// # Safety
///
/// `slot` must be valid for reads and hold null or a reference from
/// `Arc::<T>::into_foreign` that stays there for `'a`.
pub(crate) unsafe fn borrow<'a, T: Send + Sync + 'static>(
    slot: *const *mut c_void,
) -> Option<&'a T> {
    // SAFETY: `slot` is valid for reads (caller's guarantee).
    let ptr = unsafe { *slot };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `ptr` is a reference from `into_foreign` that stays for `'a` (caller's
    // guarantee).
    let borrowed: ArcBorrow<'a, T> = unsafe { <Arc<T> as ForeignOwnable>::borrow(ptr) };
    // SAFETY: The object outlives `'a` (the field keeps its reference for that long), so a
    // reference to it may too, not only one to the `ArcBorrow`.
    Some(unsafe { &*core::ptr::from_ref::<T>(&borrowed) })
}

/// A new reference to the object the field at `slot` refers to.
///
/// # Safety
///
/// As for [`borrow`], for the duration of the call.
pub(crate) unsafe fn clone<T: Send + Sync + 'static>(slot: *const *mut c_void) -> Option<Arc<T>> {
    // SAFETY: As the caller guarantees.
    let ptr = unsafe { *slot };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: As the caller guarantees; the field keeps its reference during the call.
    let borrowed: ArcBorrow<'_, T> = unsafe { <Arc<T> as ForeignOwnable>::borrow(ptr) };
    Some(borrowed.into())
}
