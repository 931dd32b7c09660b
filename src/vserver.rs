// SPDX-License-Identifier: GPL-2.0

//! Linux-VServer style security contexts.
//!
//! All policy and state of vserver-rs live here; the kernel's built-in hook shim
//! (`security/vserver`) forwards its hooks to the callbacks this module registers, and
//! `/dev/vserver` is the control interface described by `include/uapi/linux/vserver.h`.

use crate::context::registry::Registry;
use crate::load_time::Installed;
use kernel::miscdevice::{MiscDeviceOptions, MiscDeviceRegistration};
use kernel::prelude::*;

mod blob;
mod context;
mod hooks;
mod ids;
mod ioctl;
mod load_time;
mod module_ref;
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
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _registry: load(module)?,
            _hooks: hooks::ops::Registration::new()?,
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"vserver" }),
        })
    }
}

/// Checks that the bindings lay out what the module reads as C does (before anything else:
/// the rest relies on it), learns the blob offsets, records the module for the references
/// contexts hold, and creates and publishes the context registry.
fn load(module: &'static ThisModule) -> Result<Installed<Registry>> {
    blob::layout::check_task_struct()?;
    blob::layout::check_sock()?;
    blob::task::init_blob_offset()?;
    blob::cred::init_blob_offset()?;
    // SAFETY: Module init, before the hooks are registered and the device exists.
    unsafe { module_ref::record(module) };
    let registry = Registry::new()?;
    // SAFETY: Module init, before the hooks are registered and the device exists; the field
    // order of `VserverModule` drops the registry only after both are gone.
    Ok(unsafe { context::registry::REGISTRY.install(registry) })
}
