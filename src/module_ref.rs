// SPDX-License-Identifier: GPL-2.0

//! The module references that context and network context objects hold, so that the
//! module cannot unload while a credential, socket or task still points to one.
//!
//! The module's own `ThisModule` is recorded at load rather than read from the crate root,
//! so the objects low in the module's layers do not depend on its top.

use crate::load_time::LoadTimeCell;
use kernel::bindings;
use kernel::ThisModule;

/// This module, recorded at load.
static THIS_MODULE: LoadTimeCell<Option<&'static ThisModule>> = LoadTimeCell::new(None);

/// Records this module for [`ModulePin`].
///
/// # Safety
///
/// Only during module init, before the hooks are registered and the device exists.
pub(crate) unsafe fn record(module: &'static ThisModule) {
    // SAFETY: No hook or ioctl runs yet (caller's guarantee).
    unsafe { THIS_MODULE.set(Some(module)) };
}

/// The recorded module, as a pointer for its reference count.
fn this_module() -> *mut bindings::module {
    THIS_MODULE
        .get()
        .map_or(core::ptr::null_mut(), ThisModule::as_ptr)
}

/// A reference to this module, held by every context object (see [`crate::context::Context`]).
pub(crate) struct ModulePin(());

impl ModulePin {
    /// Takes a module reference; only called on behalf of an ioctl.
    pub(crate) fn new() -> Self {
        // Dropped in `Drop`; `__module_get` accepts null (a built-in module).
        // SAFETY: The module is live: we run on behalf of an ioctl, which holds a
        // reference through the open device.
        unsafe { bindings::__module_get(this_module()) };
        Self(())
    }
}

impl Drop for ModulePin {
    fn drop(&mut self) {
        // SAFETY: Paired with the `__module_get` of `new`. See [`crate::context::Context`]
        // for why the module outlives the rest of the drop of the object holding this pin.
        unsafe { bindings::module_put(this_module()) };
    }
}
