// SPDX-License-Identifier: GPL-2.0

//! The raw-pointer boundary: typed views of what the hooks are given (tasks, credentials,
//! files, inodes, paths, sockets, socket addresses, packets, IPC objects) and of the blobs
//! the shim keeps for them, what the module reads of the calling task, and the load-time
//! checks that the bindings lay those objects out as C does.
//!
//! Each view is borrowed from the object it looks at, so its lifetime is the object's
//! liveness (the hook contract, in the kernel-doc of `struct vserver_ops`); the views of
//! objects nobody else sees (`Private*`, `New*`) are the ones that may change a blob. The
//! hooks' trampolines (`crate::hooks::ops`) make the views from the raw pointers; the
//! policy code above them holds no `unsafe`.

pub(crate) mod addr;
pub(crate) mod cred;
pub(crate) mod file;
pub(crate) mod ipc;
pub(crate) mod layout;
pub(crate) mod lookup;
pub(crate) mod opaque;
pub(crate) mod path;
pub(crate) mod processes;
pub(crate) mod slot;
pub(crate) mod sock;
pub(crate) mod task;
