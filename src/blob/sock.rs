// SPDX-License-Identifier: GPL-2.0

//! The per-socket blob: the socket's owner, the context it is charged to and its
//! network context.

use crate::context::Context;
use crate::net::NetContext;
use kernel::bindings;
use kernel::sync::Arc;

/// The vserver part of a socket's LSM blob.
///
/// # Invariants
///
/// `ptr` points to the blob of a live `struct sock`. Its `context` is null or holds one
/// reference of an `Arc<Context>` from `Arc::into_raw`; a socket whose `context` is set
/// is charged one unit of that context's `NSOCK`. `net_context` is null or holds one
/// reference of an `Arc<NetContext>`: the network context of the task that created the
/// socket. `xid` and `nid` are the ids of the creator's contexts (0 for kernel sockets).
/// All are written only while the socket is private to its creator (being created,
/// cloned or freed).
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
        // SAFETY: `ptr` is valid; `context` changes only while the socket is private.
        let raw = unsafe { (*self.ptr).context }.cast::<Context>();
        // SAFETY: A non-null `context` is a live `Arc<Context>` reference (type invariant).
        unsafe { raw.as_ref() }
    }

    /// The network context of the socket, borrowed for as long as the socket lives.
    pub(crate) fn net(&self) -> Option<&NetContext> {
        // SAFETY: `ptr` is valid; `net_context` changes only while the socket is private.
        let raw = unsafe { (*self.ptr).net_context }.cast::<NetContext>();
        // SAFETY: A non-null `net_context` is a live `Arc<NetContext>` reference (type
        // invariant).
        unsafe { raw.as_ref() }
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
        let raw = charged.map_or(core::ptr::null_mut(), |c| Arc::into_raw(c).cast_mut());
        let net_raw = net.map_or(core::ptr::null_mut(), |n| Arc::into_raw(n).cast_mut());
        // SAFETY: `ptr` is valid and, by the caller's guarantee, only we access it.
        unsafe {
            (*self.ptr).xid = xid;
            (*self.ptr).nid = nid;
            (*self.ptr).context = raw.cast();
            (*self.ptr).net_context = net_raw.cast();
        }
    }

    /// Takes the context the socket is charged to and its network context out of the
    /// blob.
    ///
    /// # Safety
    ///
    /// The socket must be private to the caller (being freed).
    pub(crate) unsafe fn take(&self) -> (Option<Arc<Context>>, Option<Arc<NetContext>>) {
        // SAFETY: `ptr` is valid and, by the caller's guarantee, only we access it.
        let (raw, net_raw) = unsafe {
            (
                core::ptr::replace(&raw mut (*self.ptr).context, core::ptr::null_mut()),
                core::ptr::replace(&raw mut (*self.ptr).net_context, core::ptr::null_mut()),
            )
        };
        // SAFETY: Non-null pointers held references from `Arc::into_raw`.
        unsafe {
            (
                (!raw.is_null()).then(|| Arc::from_raw(raw.cast::<Context>())),
                (!net_raw.is_null()).then(|| Arc::from_raw(net_raw.cast::<NetContext>())),
            )
        }
    }
}

/// A new reference to what `held` points to, which stays where it is.
///
/// # Safety
///
/// `held` must come from `Arc::into_raw` and stay alive during the call.
pub(crate) unsafe fn clone_held<T>(held: &T) -> Arc<T> {
    // SAFETY: By the caller's guarantee; `ManuallyDrop` leaves that reference in place.
    let held = core::mem::ManuallyDrop::new(unsafe { Arc::from_raw(held) });
    Arc::clone(&held)
}
