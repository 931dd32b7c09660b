// SPDX-License-Identifier: GPL-2.0

//! The per-socket blob: the socket's owner, the context it is charged to and its
//! network context.

use crate::blob::slot;
use crate::context::Context;
use crate::net::NetContext;
use kernel::bindings;
use kernel::sync::Arc;

/// The vserver part of a socket's LSM blob.
///
/// # Invariants
///
/// `ptr` points to the blob of a live `struct sock`. Its `context` is null or holds one
/// reference of an `Arc<Context>` from `Arc::into_foreign` (a [`slot`]); a socket whose
/// `context` is set is charged one unit of that context's `NSOCK`. `net_context` is null or
/// holds one reference of an `Arc<NetContext>`: the network context of the task that
/// created the socket. `xid` and `nid` are the ids of the creator's contexts (0 for kernel
/// sockets). All are written only while the socket is private to its creator (being
/// created, cloned or freed).
pub(crate) struct SockBlob {
    ptr: *mut bindings::vserver_sock_security,
}

impl SockBlob {
    /// The blob of `sk`.
    ///
    /// # Safety
    ///
    /// `sk` must point to a socket that stays alive while the returned value is used.
    pub(crate) unsafe fn of(sk: *const bindings::sock) -> Self {
        // SAFETY: The caller guarantees `sk` is live; the shim gives every sock a blob.
        let ptr = unsafe { bindings::vserver_sock_security(sk) };
        // INVARIANT: `ptr` is the blob of a live socket.
        Self { ptr }
    }

    /// The context the socket belongs to (0: the host or a kernel socket).
    pub(crate) fn xid(&self) -> u32 {
        // SAFETY: `ptr` is valid; `xid` is written only before others can see the socket.
        unsafe { (*self.ptr).xid }
    }

    /// The context the socket is charged to, borrowed for as long as the socket lives.
    pub(crate) fn context(&self) -> Option<&Context> {
        // SAFETY: `ptr` is valid and `context` a slot (type invariant); it changes only
        // while the socket is private.
        unsafe { slot::borrow(&raw const (*self.ptr).context) }
    }

    /// The network context of the socket, borrowed for as long as the socket lives.
    pub(crate) fn net(&self) -> Option<&NetContext> {
        // SAFETY: `ptr` is valid and `net_context` a slot (type invariant); it changes only
        // while the socket is private.
        unsafe { slot::borrow(&raw const (*self.ptr).net_context) }
    }

    /// Records the socket's owner, the context it is charged to (if any) and its network
    /// context (if any).
    ///
    /// # Safety
    ///
    /// The socket must be private to the caller, with no context or network context set.
    pub(crate) unsafe fn set(
        &self,
        xid: u32,
        charged: Option<Arc<Context>>,
        net: Option<Arc<NetContext>>,
    ) {
        let nid = net.as_ref().map_or(0, |n| n.nid);
        // SAFETY: `ptr` is valid and, by the caller's guarantee, only we access it; the two
        // pointer fields are slots (type invariant) and empty.
        unsafe {
            (*self.ptr).xid = xid;
            (*self.ptr).nid = nid;
            drop(slot::replace(&raw mut (*self.ptr).context, charged));
            drop(slot::replace(&raw mut (*self.ptr).net_context, net));
        }
    }

    /// Takes the context the socket is charged to and its network context out of the
    /// blob.
    ///
    /// # Safety
    ///
    /// The socket must be private to the caller (being freed).
    pub(crate) unsafe fn take(&self) -> (Option<Arc<Context>>, Option<Arc<NetContext>>) {
        // SAFETY: `ptr` is valid and, by the caller's guarantee, only we access it; both
        // fields are slots (type invariant).
        unsafe {
            (
                slot::replace(&raw mut (*self.ptr).context, None),
                slot::replace(&raw mut (*self.ptr).net_context, None),
            )
        }
    }

    /// A new reference to the context the socket is charged to.
    pub(crate) fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: `ptr` is valid and `context` a slot (type invariant) that stays while the
        // socket lives.
        unsafe { slot::clone(&raw const (*self.ptr).context) }
    }

    /// A new reference to the network context of the socket.
    pub(crate) fn net_arc(&self) -> Option<Arc<NetContext>> {
        // SAFETY: `ptr` is valid and `net_context` a slot (type invariant) that stays while
        // the socket lives.
        unsafe { slot::clone(&raw const (*self.ptr).net_context) }
    }
}
