// SPDX-License-Identifier: GPL-2.0

//! The per-credentials blob: which context a set of credentials belongs to.
//!
//! A file keeps the credentials it was opened with (`f_cred`) until it is freed, so the
//! context in the credentials' blob is the one its open file descriptions are charged to
//! and uncharged from. The blob is set when a task enters a context (its new credentials)
//! and copied into every credentials prepared from those.

use crate::blob::slot;
use crate::context::Context;
use crate::load_time::LoadTimeCell;
use crate::uapi;
use kernel::bindings;
use kernel::sync::Arc;

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

/// The vserver part of the LSM blob of a `struct cred`.
///
/// # Invariants
///
/// `ptr` points to the blob of live credentials. Its `context` is null (the host, the
/// spectator) or holds one reference of an `Arc<Context>` from `Arc::into_foreign` (a
/// [`slot`]), whose `xid` is the blob's `xid`. It is written only while the credentials are
/// private to their creator (being prepared, or being freed).
pub(crate) struct CredBlob {
    ptr: *mut bindings::vserver_cred_security,
}

impl CredBlob {
    /// The blob of `cred`.
    ///
    /// # Safety
    ///
    /// `cred` must point to credentials that stay alive while the returned value is used.
    pub(crate) unsafe fn of(cred: *const bindings::cred) -> Self {
        // SAFETY: The caller guarantees `cred` is live; the shim gives every cred a blob, at
        // `BLOB_OFFSET` in its LSM blob (checked at load).
        let ptr = unsafe { (*cred).security.byte_add(BLOB_OFFSET.get()) }.cast();
        // INVARIANT: `ptr` is the blob of live credentials.
        Self { ptr }
    }

    /// The context of the credentials, if a guest's; borrowed for as long as they live.
    pub(crate) fn context(&self) -> Option<&Context> {
        // SAFETY: `ptr` is valid and `context` a slot (type invariant), held until the
        // credentials are freed; it does not change while others can see them.
        unsafe { slot::borrow(&raw const (*self.ptr).context) }
    }

    /// Sets the context of credentials nobody else sees yet, dropping the one they had.
    ///
    /// # Safety
    ///
    /// The credentials must be private to the caller (prepared and not yet committed, or
    /// being freed).
    pub(crate) unsafe fn set(&self, context: Option<Arc<Context>>) {
        let xid = context.as_ref().map_or(uapi::VS_XID_HOST, |c| c.xid);
        // SAFETY: `ptr` is valid and, by the caller's guarantee, only we access it.
        unsafe { (*self.ptr).xid = xid };
        // SAFETY: As above; `context` is a slot (type invariant).
        drop(unsafe { slot::replace(&raw mut (*self.ptr).context, context) });
    }

    /// A new reference to the context of the credentials.
    pub(crate) fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: `ptr` is valid and `context` a slot (type invariant) that stays while the
        // credentials live.
        unsafe { slot::clone(&raw const (*self.ptr).context) }
    }
}
