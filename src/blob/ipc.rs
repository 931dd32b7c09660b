// SPDX-License-Identifier: GPL-2.0

//! The per-object blob of System V IPC objects (shared memory segments, message queues,
//! semaphore sets): the context that owns the object.

use crate::blob::opaque;
use kernel::bindings;
use kernel::types::Opaque;

/// An IPC object (`struct kern_ipc_perm`).
///
/// # Invariants
///
/// The object is alive while borrowed, and the `xid` of its blob is written only before
/// the object is published (through a [`NewIpcObject`]).
#[repr(transparent)]
pub(crate) struct IpcObject(Opaque<bindings::kern_ipc_perm>);

impl IpcObject {
    /// The object `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to an IPC object that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::kern_ipc_perm) -> &'a Self {
        // INVARIANT: Objects are published only after their alloc hook, the only writer.
        // SAFETY: `IpcObject` is a transparent wrapper of `struct kern_ipc_perm`, alive for
        // `'a` (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    fn blob(&self) -> *mut bindings::vserver_ipc_security {
        // SAFETY: The object is alive (type invariant); the shim gives every object a blob,
        // and the accessor only computes its address.
        unsafe { bindings::vserver_ipc_security(opaque::ptr(&self.0)) }
    }

    /// The context the object belongs to.
    pub(crate) fn owner(&self) -> u32 {
        // SAFETY: The blob is valid while the object lives; its `xid` does not change once
        // the object is published (type invariant).
        unsafe { (*self.blob()).xid }
    }
}

/// An IPC object being created, which nobody else sees yet.
///
/// # Invariants
///
/// Only the holder of this value uses the object while it lives.
pub(crate) struct NewIpcObject<'a>(&'a IpcObject);

impl<'a> NewIpcObject<'a> {
    /// The new object `ptr` points to, for its creator.
    ///
    /// # Safety
    ///
    /// `ptr` must point to an IPC object that is not published yet, that stays alive for
    /// `'a`, and that nobody else uses meanwhile.
    pub(crate) unsafe fn from_raw(ptr: *const bindings::kern_ipc_perm) -> Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: As the caller guarantees.
        Self(unsafe { IpcObject::from_raw(ptr) })
    }

    /// Records the context the object belongs to.
    pub(crate) fn set_owner(&mut self, xid: u32) {
        // SAFETY: The blob is valid and only we use it (type invariant).
        unsafe { (*self.0.blob()).xid = xid };
    }
}
