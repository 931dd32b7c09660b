// SPDX-License-Identifier: GPL-2.0

//! The per-credentials blob: which context a set of credentials belongs to.
//!
//! A file keeps the credentials it was opened with (`f_cred`) until it is freed, so the
//! context in the credentials' blob is the one its open file descriptions are charged to
//! and uncharged from. The blob is set when a task enters a context (its new credentials)
//! and copied into every credentials prepared from those.

use crate::blob::opaque;
use crate::blob::slot::Slot;
use crate::context::Context;
use crate::load_time::LoadTimeCell;
use crate::uapi;
use core::marker::PhantomData;
use kernel::bindings;
use kernel::cred::Credential;
use kernel::sync::{Arc, ArcBorrow};

/// Where the vserver part starts in a cred's LSM blob (`cred->security`), learned at load
/// by [`init_blob_offset`]: it saves a call into the shim on every file opened and freed.
static BLOB_OFFSET: LoadTimeCell<usize> = LoadTimeCell::new(0);

/// Learns [`BLOB_OFFSET`] from the shim's accessor and checks it on two sets of
/// credentials (the current task's and `init_task`'s), which also checks that
/// `cred.security` is where the bindings say. Fails with `EINVAL` otherwise.
pub(crate) fn init_blob_offset() -> kernel::error::Result {
    let offset_of = |cred: *const bindings::cred| -> Option<usize> {
        // SAFETY: `cred` is live (see below); the accessor only computes an address.
        let blob = unsafe { bindings::vserver_cred_security(cred) } as usize;
        // SAFETY: As above.
        blob.checked_sub(unsafe { (*cred).security } as usize)
    };
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task's credentials live as long as it runs this.
    let mine = offset_of(unsafe { (*task).cred });
    // SAFETY: `init_task` and its credentials live for good.
    let init = offset_of(unsafe { bindings::init_task.cred });
    match (mine, init) {
        (Some(a), Some(b)) if a == b => {
            // SAFETY: Module init calls this before registering the hooks or the device.
            unsafe { BLOB_OFFSET.set(a) };
            Ok(())
        }
        _ => {
            kernel::pr_err!("cred.security of the Rust bindings does not match C\n");
            Err(kernel::error::code::EINVAL)
        }
    }
}

/// The vserver part of the LSM blob of a `struct cred`, borrowed from the credentials.
///
/// # Invariants
///
/// `ptr` points to the blob of credentials alive for `'a`. Its `context` is a [`Slot`] of
/// `Context` whose `xid` is the blob's `xid`. Both are written only while the credentials
/// are private to their creator (being prepared, or being freed), through a
/// [`PrivateCred`].
pub(crate) struct CredBlob<'a> {
    ptr: *mut bindings::vserver_cred_security,
    _cred: PhantomData<&'a Credential>,
}

impl<'a> CredBlob<'a> {
    /// The blob of `cred`.
    pub(crate) fn of(cred: &'a Credential) -> Self {
        // SAFETY: `cred` is alive for `'a` (it is borrowed); the shim gives every cred a blob,
        // at `BLOB_OFFSET` in its LSM blob (checked at load).
        let ptr = unsafe { (*opaque::cred(cred)).security.byte_add(BLOB_OFFSET.get()) }.cast();
        // INVARIANT: `ptr` is the blob of credentials alive for `'a`.
        Self {
            ptr,
            _cred: PhantomData,
        }
    }

    fn slot(&self) -> &Slot<Context> {
        // SAFETY: `ptr` is valid for `'a` and `context` a slot of `Context` (type invariant).
        unsafe { Slot::at(&raw mut (*self.ptr).context) }
    }

    /// The context of the credentials, if a guest's.
    pub(crate) fn context(&self) -> Option<ArcBorrow<'_, Context>> {
        // SAFETY: The slot changes only while the credentials are private (type invariant),
        // and then only through a `PrivateCred`, which nobody else holds.
        unsafe { self.slot().borrow() }
    }

    /// A new reference to the context of the credentials.
    pub(crate) fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: As in `context`.
        unsafe { self.slot().clone_arc() }
    }
}

/// Credentials nobody else sees: being prepared (not committed yet) or being freed.
///
/// # Invariants
///
/// Only the holder of this value uses the credentials' blob while it lives.
pub(crate) struct PrivateCred<'a>(CredBlob<'a>);

impl PrivateCred<'_> {
    /// The blob of `cred`, for its creator or its destroyer.
    ///
    /// # Safety
    ///
    /// `cred` must point to credentials that stay alive while the returned value is used,
    /// and that nobody else uses meanwhile.
    pub(crate) unsafe fn of(cred: *const bindings::cred) -> Self {
        // INVARIANT: Nobody else uses the credentials (caller's guarantee).
        // SAFETY: `cred` is alive while the value is used (caller's guarantee).
        Self(CredBlob::of(unsafe { Credential::from_ptr(cred) }))
    }

    /// Sets the context of the credentials, dropping the one they had.
    pub(crate) fn set(&mut self, context: Option<Arc<Context>>) {
        let xid = context.as_ref().map_or(uapi::VS_XID_HOST, |c| c.xid);
        // SAFETY: `ptr` is valid (type invariant of `CredBlob`) and only we use it (type
        // invariant).
        unsafe { (*self.0.ptr).xid = xid };
        // SAFETY: As above; no borrow of the slot lives, as it could only come from us.
        drop(unsafe { self.0.slot().replace(context) });
    }
}
