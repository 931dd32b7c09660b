// SPDX-License-Identifier: GPL-2.0

//! Linux-VServer style security contexts.
//!
//! All policy and state of vserver-rs live here; the kernel's built-in hook shim
//! (`security/vserver`) forwards its hooks to the callbacks this module registers, and
//! `/dev/vserver` is the control interface described by `include/uapi/linux/vserver.h`.

use kernel::miscdevice::{MiscDeviceOptions, MiscDeviceRegistration};
use kernel::prelude::*;

mod accounting;
mod barrier;
mod confine;
mod context;
mod creds;
mod device;
mod files;
mod hooks;
mod host_denials;
mod ioctl;
mod ioctl_limits;
mod ioctl_net;
mod ipc;
mod layout;
mod limits;
mod load_time;
mod lookup;
mod net_hooks;
mod netaddr;
mod netctx;
mod policy;
mod processes;
mod registry;
mod rlimits;
mod sockets;
mod task;
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
    _device: MiscDeviceRegistration<device::ControlDevice>,
    _hooks: hooks::Registration,
    _registry: registry::RegistryHandle,
}

impl kernel::InPlaceModule for VserverModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            // Before anything else: the rest relies on the `task_struct` layout.
            _registry: layout::check_task_struct()
                .and_then(|()| layout::check_sock())
                .and_then(|()| task::init_blob_offset())
                .and_then(|()| creds::init_blob_offset())
                .and_then(|()| registry::RegistryHandle::new())?,
            _hooks: hooks::Registration::new()?,
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"vserver" }),
        })
    }
}
