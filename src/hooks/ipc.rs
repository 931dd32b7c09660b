// SPDX-License-Identifier: GPL-2.0

//! System V IPC: shared memory segments, message queues and semaphore sets belong to the
//! context of the task that created them, and a guest reaches only its own context's.
//!
//! The objects live in the IPC namespace all contexts share unless a guest gets its own,
//! so the keys and ids are one space: a guest's lookup of another context's key and any
//! operation on another context's object by id is refused with `EACCES`, as for missing
//! permissions (the kernel checks permissions before it asks `*_associate`, so a key in
//! use elsewhere cannot be made to look absent). The host reaches every object.

use super::refuse;
use crate::blob::ipc::{IpcObject, NewIpcObject};
use crate::blob::task::TaskBlob;
use crate::context::policy;
use crate::uapi;
use kernel::prelude::*;

/// The verdict for the calling task on `object`: `EACCES` (counted as a hit) if it
/// belongs to a context out of the task's reach.
fn check(object: &IpcObject) -> Result {
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST || policy::may_touch(actor, object.owner()) {
        return Ok(());
    }
    refuse(EACCES)
}

/// `ipc_visible` (shim call site: `/proc/sysvipc`): a guest lists only its own context's
/// objects; the host and the spectator list all.
pub(crate) fn visible(object: &IpcObject) -> bool {
    policy::may_see(TaskBlob::current().xid(), object.owner())
}

/// `shm_alloc_security`, `msg_queue_alloc_security`, `sem_alloc_security`: a new object
/// belongs to its creator's context.
pub(crate) fn alloc(mut object: NewIpcObject<'_>) {
    object.set_owner(TaskBlob::current().xid());
}

/// `shm_associate`, `msg_queue_associate`, `sem_associate`: looking an object up by key.
pub(crate) fn associate(object: &IpcObject) -> Result {
    check(object)
}

/// `shm_shmctl`, `msg_queue_msgctl`, `sem_semctl`: control operations on an object (the
/// system-wide `IPC_INFO` queries come with none).
pub(crate) fn control(object: Option<&IpcObject>) -> Result {
    object.map_or(Ok(()), check)
}

/// `ipc_permission`: every access check on an object (attach, send, receive, operate,
/// stat).
pub(crate) fn permission(object: &IpcObject) -> Result {
    check(object)
}
