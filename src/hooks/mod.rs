// SPDX-License-Identifier: GPL-2.0

//! The policy of the hooks the kernel's vserver shim forwards, one file per kernel object
//! (`task`, `cred`, `fs`, `ipc`, `sock`, and `host` for what protects the host itself).
//!
//! The shim calls the trampolines in [`ops`], which turn its raw pointers into typed
//! borrows ([`crate::blob`]) once, relying on the hook contract (the kernel-doc of
//! `struct vserver_ops` in `include/linux/vserver.h`), and call the safe functions here.
//! The contract's execution context binds these too: unless it says otherwise for a hook
//! (`socket_connect`, `socket_sendmsg`), they must not sleep.

use crate::blob::task::TaskBlob;
use crate::context::Context;
use kernel::prelude::*;

pub(crate) mod confine;
pub(crate) mod cred;
pub(crate) mod fs;
pub(crate) mod host;
pub(crate) mod ipc;
pub(crate) mod ops;
pub(crate) mod sock;
pub(crate) mod task;

/// The verdict for the calling task when `allowed` decides for its guest context: a refusal
/// is answered with `EPERM`, and counted as a hit if `count`. Tasks outside a guest context
/// (the host, the spectator, a task past `do_exit()`) pass.
fn guest_check(count: bool, allowed: impl FnOnce(&Context) -> bool) -> Result {
    let verdict = TaskBlob::with_current_context(|context| {
        let ok = allowed(context);
        if !ok && count {
            context.hit();
        }
        ok
    });
    match verdict {
        Some(false) => Err(EPERM),
        _ => Ok(()),
    }
}

/// Counts a refusal against the calling task's context, if it is in a guest context, and
/// answers `err`.
fn refuse(err: Error) -> Result {
    TaskBlob::with_current_context(|context| context.hit());
    Err(err)
}
