// SPDX-License-Identifier: GPL-2.0

//! System V IPC: shared memory segments, message queues and semaphore sets belong to the
//! context of the task that created them, and a guest reaches only its own context's.
//!
//! The objects live in the IPC namespace all contexts share unless a guest gets its own,
//! so the keys and ids are one space: a guest's lookup of another context's key and any
//! operation on another context's object by id is refused with `EACCES`, as for missing
//! permissions (the kernel checks permissions before it asks `*_associate`, so a key in
//! use elsewhere cannot be made to look absent). The host reaches every object.

use crate::blob::task::TaskBlob;
use crate::context::policy;
use crate::uapi;
use core::ffi::{c_int, c_short};
use kernel::bindings;
use kernel::prelude::*;

/// The context an IPC object belongs to.
///
/// # Safety
///
/// `perm` must be a live IPC object.
unsafe fn owner(perm: *const bindings::kern_ipc_perm) -> u32 {
    // SAFETY: The caller guarantees `perm` is live; the shim gives every object a blob,
    // whose `xid` is written once, before the object is published.
    unsafe { (*bindings::vserver_ipc_security(perm)).xid }
}

/// Whether the calling task may use IPC object `perm`.
///
/// # Safety
///
/// `perm` must be a live IPC object.
unsafe fn reachable(perm: *const bindings::kern_ipc_perm) -> bool {
    let actor = TaskBlob::current().xid();
    // SAFETY: `perm` is live (caller's guarantee).
    actor == uapi::VS_XID_HOST || policy::may_touch(actor, unsafe { owner(perm) })
}

/// The verdict for the calling task on `perm`: `err` (counted as a hit) if out of reach.
///
/// # Safety
///
/// `perm` must be a live IPC object.
unsafe fn check(perm: *const bindings::kern_ipc_perm, err: Error) -> c_int {
    // SAFETY: `perm` is live (caller's guarantee).
    if unsafe { reachable(perm) } {
        return 0;
    }
    TaskBlob::with_current_context(|context| context.hit());
    err.to_errno()
}

/// `ipc_visible` (shim call site: `/proc/sysvipc`): a guest lists only its own context's
/// objects; the host and the spectator list all.
///
/// # Safety
///
/// `perm` is a live, locked IPC object (shim contract).
pub(crate) unsafe extern "C" fn visible(perm: *mut bindings::kern_ipc_perm) -> bool {
    // SAFETY: `perm` is live (shim contract).
    policy::may_see(TaskBlob::current().xid(), unsafe { owner(perm) })
}

/// `shm_alloc_security`, `msg_queue_alloc_security`, `sem_alloc_security`: a new object
/// belongs to its creator's context.
///
/// # Safety
///
/// `perm` is a new object nobody else sees yet (shim contract).
pub(crate) unsafe extern "C" fn alloc(perm: *mut bindings::kern_ipc_perm) -> c_int {
    // SAFETY: `perm` is live and private to the caller (shim contract).
    unsafe { (*bindings::vserver_ipc_security(perm)).xid = TaskBlob::current().xid() };
    0
}

/// `shm_associate`, `msg_queue_associate`, `sem_associate`: looking an object up by key.
///
/// # Safety
///
/// `perm` is a live object (shim contract).
pub(crate) unsafe extern "C" fn associate(
    perm: *mut bindings::kern_ipc_perm,
    _flag: c_int,
) -> c_int {
    // SAFETY: As the shim guarantees.
    unsafe { check(perm, EACCES) }
}

/// `shm_shmctl`, `msg_queue_msgctl`, `sem_semctl`: control operations on an object (the
/// system-wide `IPC_INFO` queries come with no object).
///
/// # Safety
///
/// `perm` is a live object or null (shim contract).
pub(crate) unsafe extern "C" fn control(perm: *mut bindings::kern_ipc_perm, _cmd: c_int) -> c_int {
    if perm.is_null() {
        return 0;
    }
    // SAFETY: As the shim guarantees.
    unsafe { check(perm, EACCES) }
}

/// `ipc_permission`: every access check on an object (attach, send, receive, operate,
/// stat).
///
/// # Safety
///
/// `ipcp` is a live object (shim contract).
pub(crate) unsafe extern "C" fn permission(
    ipcp: *mut bindings::kern_ipc_perm,
    _flag: c_short,
) -> c_int {
    // SAFETY: As the shim guarantees.
    unsafe { check(ipcp, EACCES) }
}
