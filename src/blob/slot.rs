// SPDX-License-Identifier: GPL-2.0

//! Blob fields that hold an `Option<Arc<T>>`: [`Slot`], the one place that turns such a
//! field into typed values and back, on [`ForeignOwnable`] and [`ArcBorrow`]
//! (`rust/kernel/sync/arc.rs`).

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::marker::PhantomData;
use kernel::sync::{Arc, ArcBorrow};
use kernel::types::ForeignOwnable;

/// A blob field (a `void *` in C) seen as the `Option<Arc<T>>` it holds: null (`None`) or
/// one reference from [`ForeignOwnable::into_foreign`], which the field owns.
///
/// Reading the reference is safe only while nobody changes the field, and changing it only
/// while nobody else uses it; which of the blob's users may do either is the blob's
/// business, so those methods are `unsafe` and the blob views decide.
///
/// # Invariants
///
/// The field is valid for reads and writes for as long as the `Slot` is borrowed, and holds
/// null or a reference from `Arc::<T>::into_foreign` that only slots of `T` use.
#[repr(transparent)]
pub(crate) struct Slot<T: Send + Sync + 'static> {
    field: UnsafeCell<*mut c_void>,
    _owns: PhantomData<Arc<T>>,
}

impl<T: Send + Sync + 'static> Slot<T> {
    /// The slot at `field`.
    ///
    /// # Safety
    ///
    /// `field` must be valid for reads and writes for `'a`, and hold null or a reference
    /// from `Arc::<T>::into_foreign` that only slots of `T` use.
    pub(crate) unsafe fn at<'a>(field: *mut *mut c_void) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `Slot<T>` is a transparent wrapper of the field's type, which is valid for
        // `'a` (caller's guarantee).
        unsafe { &*field.cast::<Self>() }
    }

    /// Whether the slot holds a reference. Racy: the answer may be stale by the time it is
    /// used, so it serves only as a hint.
    pub(crate) fn is_set(&self) -> bool {
        // SAFETY: The field is valid for reads (type invariant); a volatile read of an
        // aligned pointer-sized field only asks whether it is null.
        !unsafe { core::ptr::read_volatile(self.field.get()) }.is_null()
    }

    /// The object the slot refers to, borrowed for as long as the slot is.
    ///
    /// # Safety
    ///
    /// Nobody may change the slot while the returned borrow lives.
    pub(crate) unsafe fn borrow(&self) -> Option<ArcBorrow<'_, T>> {
        // SAFETY: The field is valid for reads (type invariant) and nobody writes it
        // meanwhile (caller's guarantee).
        let ptr = unsafe { *self.field.get() };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: `ptr` is a reference from `Arc::<T>::into_foreign` (type invariant) that the
        // slot keeps while the borrow lives (caller's guarantee).
        Some(unsafe { <Arc<T> as ForeignOwnable>::borrow(ptr) })
    }

    /// A new reference to the object the slot refers to.
    ///
    /// # Safety
    ///
    /// Nobody may change the slot during the call.
    pub(crate) unsafe fn clone_arc(&self) -> Option<Arc<T>> {
        // SAFETY: Nobody changes the slot while the borrow lives (caller's guarantee).
        unsafe { self.borrow() }.map(Arc::from)
    }

    /// Puts `new` into the slot, returning what it held.
    ///
    /// # Safety
    ///
    /// Nobody else may use the slot meanwhile, and no borrow of it may live.
    pub(crate) unsafe fn replace(&self, new: Option<Arc<T>>) -> Option<Arc<T>> {
        let new = new.map_or(core::ptr::null_mut(), Arc::into_foreign);
        // SAFETY: The field is valid for writes (type invariant) and ours alone (caller's
        // guarantee).
        let old = unsafe { core::ptr::replace(self.field.get(), new) };
        // SAFETY: `old` is null or a reference from `Arc::<T>::into_foreign` (type
        // invariant), which the slot no longer holds.
        unsafe { Arc::try_from_foreign(old) }
    }
}
