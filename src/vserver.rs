// SPDX-License-Identifier: GPL-2.0

//! Linux-VServer style security contexts.
//!
//! All policy and state of vserver-rs live here; the kernel's built-in hook shim
//! (`security/vserver`) forwards its hooks to the callbacks this module registers, and
//! `/dev/vserver` is the control interface described by `include/uapi/linux/vserver.h`.

use crate::context::registry::Registry;
use crate::load_time::Installed;
use kernel::bindings;
use kernel::miscdevice::{MiscDeviceOptions, MiscDeviceRegistration};
use kernel::prelude::*;

mod blob;
mod context;
mod hooks;
mod ids;
mod ioctl;
mod load_time;
mod net;
mod uapi;

module! {
    type: VserverModule,
    name: "vserver",
    authors: ["vserver-rs developers"],
    description: "Linux-VServer style security contexts",
    license: "GPL",
}

#[pin_data]
struct VserverModule {
    // Dropped in this order: no new ioctl, then no hook running, then the (by then empty)
    // registry.
    #[pin]
    _device: MiscDeviceRegistration<ioctl::ControlDevice>,
    _hooks: hooks::ops::Registration,
    _registry: Installed<Registry>,
}

impl kernel::InPlaceModule for VserverModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _registry: load()?,
            _hooks: hooks::ops::Registration::new()?,
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"vserver" }),
        })
    }
}

/// Checks that the bindings lay out what the module reads as C does (before anything else:
/// the rest relies on it), learns the blob offsets, and creates and publishes the context
/// registry.
fn load() -> Result<Installed<Registry>> {
    blob::layout::check_task_struct()?;
    blob::layout::check_sock()?;
    blob::task::init_blob_offset()?;
    blob::cred::init_blob_offset()?;
    let registry = Registry::new()?;
    // SAFETY: Module init, before the hooks are registered and the device exists; the field
    // order of `VserverModule` drops the registry only after both are gone.
    Ok(unsafe { context::registry::REGISTRY.install(registry) })
}

/// A reference to this module, held by every context object (see [`context::Context`]).
pub(crate) struct ModulePin(());

impl ModulePin {
    /// Takes a module reference; only called on behalf of an ioctl.
    pub(crate) fn new() -> Self {
        // SAFETY: The module is live: we run on behalf of an ioctl, which holds a reference
        // through the open device. Dropped in `Drop`.
        unsafe { bindings::__module_get(this_module()) };
        Self(())
    }
}

impl Drop for ModulePin {
    fn drop(&mut self) {
        // SAFETY: Paired with the `__module_get` of `new`. See [`context::Context`] for why the
        // module outlives the rest of the drop of the object holding this pin.
        unsafe { bindings::module_put(this_module()) };
    }
}

/// This module, for its reference count.
fn this_module() -> *mut bindings::module {
    <crate::LocalModule as kernel::ModuleMetadata>::THIS_MODULE.as_ptr()
}
