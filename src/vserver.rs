// SPDX-License-Identifier: GPL-2.0

//! Linux-VServer style security contexts.
//!
//! All policy and state of vserver-rs live here; the kernel's built-in hook shim
//! (`security/vserver`) forwards its hooks to the callbacks this module registers, and
//! `/dev/vserver` is the control interface described by `include/uapi/linux/vserver.h`.

use kernel::miscdevice::{MiscDeviceOptions, MiscDeviceRegistration};
use kernel::prelude::*;

mod blob;
mod context;
mod hooks;
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
    _hooks: hooks::Registration,
    _registry: context::registry::RegistryHandle,
}

impl kernel::InPlaceModule for VserverModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            // Before anything else: the rest relies on the `task_struct` layout.
            _registry: blob::layout::check_task_struct()
                .and_then(|()| blob::layout::check_sock())
                .and_then(|()| blob::task::init_blob_offset())
                .and_then(|()| blob::cred::init_blob_offset())
                .and_then(|()| context::registry::RegistryHandle::new())?,
            _hooks: hooks::Registration::new()?,
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"vserver" }),
        })
    }
}
