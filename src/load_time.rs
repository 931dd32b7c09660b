// SPDX-License-Identifier: GPL-2.0

//! Values fixed while the module loads and unloads, read by every hook and ioctl.

use core::cell::UnsafeCell;
use core::pin::Pin;
use kernel::alloc::KBox;

/// A value written only while no hook or ioctl can run: during module init, before the
/// hooks are registered and the device exists, and during module exit, after both are
/// gone. Hooks and ioctls read it with a plain load.
///
/// Why not an `Atomic`: with this toolchain Rust cannot inline the kernel's C atomic
/// helpers, so an `Atomic` load costs two calls, more than many hooks themselves. A plain
/// read is sound: `vserver_register_ops()` publishes the callbacks with release ordering
/// (`rcu_assign_pointer()`) after the write, and unregistering waits for every running
/// callback before the next write.
///
/// # Invariants
///
/// Written only by [`LoadTimeCell::set`], while no reader can run.
pub(crate) struct LoadTimeCell<T: Copy>(UnsafeCell<T>);

// SAFETY: Writes never overlap a reader (type invariant), so sharing the cell between
// CPUs only ever shares reads of a `Copy` value, which `T: Send` allows to move.
unsafe impl<T: Copy + Send> Sync for LoadTimeCell<T> {}

impl<T: Copy> LoadTimeCell<T> {
    /// A cell holding `value` until the module sets it.
    pub(crate) const fn new(value: T) -> Self {
        Self(UnsafeCell::new(value))
    }

    /// Sets the value.
    ///
    /// # Safety
    ///
    /// Only during module init before the hooks are registered and the device exists, or
    /// during module exit after both are gone.
    pub(crate) unsafe fn set(&self, value: T) {
        // SAFETY: No reader runs meanwhile (caller's guarantee).
        unsafe { *self.0.get() = value };
    }

    /// The value.
    pub(crate) fn get(&self) -> T {
        // SAFETY: No write runs meanwhile (type invariant).
        unsafe { *self.0.get() }
    }
}

/// A value the module creates at load and frees at unload, reachable from every hook and
/// ioctl in between (the context registry).
///
/// # Invariants
///
/// The cell holds null, or, from [`Global::install`] until its [`Installed`] is dropped,
/// a pointer to the value that [`Installed`] owns.
pub(crate) struct Global<T: Sync + 'static>(LoadTimeCell<GlobalPtr<T>>);

/// A pointer to the value of a [`Global`].
struct GlobalPtr<T>(*const T);

impl<T> Clone for GlobalPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for GlobalPtr<T> {}

// SAFETY: The pointer only ever leads to a `T`, which is `Sync`: any CPU may use it.
unsafe impl<T: Sync> Send for GlobalPtr<T> {}

impl<T: Sync + 'static> Global<T> {
    /// A global with no value yet.
    pub(crate) const fn new() -> Self {
        Self(LoadTimeCell::new(GlobalPtr(core::ptr::null())))
    }

    /// Publishes `value` until the returned owner is dropped.
    ///
    /// # Safety
    ///
    /// As for [`LoadTimeCell::set`]: only during module init, before the hooks are
    /// registered and the device exists; and the owner must be dropped only after both are
    /// gone.
    pub(crate) unsafe fn install(&'static self, value: Pin<KBox<T>>) -> Installed<T> {
        // INVARIANT: The pointer leads to the value the returned owner holds.
        // SAFETY: No reader runs yet (caller's guarantee).
        unsafe { self.0.set(GlobalPtr(core::ptr::from_ref::<T>(&value))) };
        Installed {
            global: self,
            _value: value,
        }
    }

    /// The value. Only for code that runs while the module is loaded (hooks, ioctls).
    pub(crate) fn get(&self) -> &T {
        // Hooks and ioctls run only between `install` and the drop of its owner (its safety
        // contract).
        // SAFETY: So the pointer leads to the value the owner holds (type invariant).
        unsafe { &*self.0.get().0 }
    }
}

/// The owner of the value of a [`Global`]; dropping it withdraws and frees the value.
pub(crate) struct Installed<T: Sync + 'static> {
    global: &'static Global<T>,
    _value: Pin<KBox<T>>,
}

impl<T: Sync + 'static> Drop for Installed<T> {
    fn drop(&mut self) {
        // The value itself is freed after this, when the fields are dropped.
        // SAFETY: The owner is dropped only after the hooks and the device are gone (the
        // safety contract of `install`).
        unsafe { self.global.0.set(GlobalPtr(core::ptr::null())) };
    }
}
