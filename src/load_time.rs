// SPDX-License-Identifier: GPL-2.0

//! Values fixed while the module loads and unloads, read by every hook.

use core::cell::UnsafeCell;

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
