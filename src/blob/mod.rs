// SPDX-License-Identifier: GPL-2.0

//! The raw-pointer boundary: the blobs the shim keeps for tasks, credentials, sockets and
//! IPC objects, what the module reads of files and tasks, and the load-time checks that
//! the bindings lay those objects out as C does.

pub(crate) mod cred;
pub(crate) mod file;
pub(crate) mod layout;
pub(crate) mod lookup;
pub(crate) mod processes;
pub(crate) mod slot;
pub(crate) mod sock;
pub(crate) mod task;
