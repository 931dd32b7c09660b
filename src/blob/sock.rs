// SPDX-License-Identifier: GPL-2.0

//! Sockets as the hooks see them: the `struct sock` ([`Sock`]) with its blob (the socket's
//! owner, the context it is charged to and its network context: [`SockBlob`]), and the
//! `struct socket` ([`Socket`]) that user space holds.

use crate::blob::addr::IpAddr;
use crate::blob::opaque;
use crate::blob::slot::Slot;
use crate::context::Context;
use crate::net::addr::{self as netaddr, AF_INET, AF_INET6};
use crate::net::NetContext;
use core::ffi::c_int;
use core::marker::PhantomData;
use kernel::bindings;
use kernel::prelude::*;
use kernel::sync::{Arc, ArcBorrow};
use kernel::types::Opaque;

/// `SOCK_STREAM` and `SOCK_DGRAM` (`include/linux/net.h`) as `struct socket` stores them.
const SOCK_STREAM: i16 = bindings::sock_type_SOCK_STREAM as i16;
const SOCK_DGRAM: i16 = bindings::sock_type_SOCK_DGRAM as i16;

/// A `struct sock`.
///
/// # Invariants
///
/// The sock is alive while borrowed.
#[repr(transparent)]
pub(crate) struct Sock(Opaque<bindings::sock>);

impl Sock {
    /// The sock `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a sock that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::sock) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `Sock` is a transparent wrapper of `struct sock`, alive for `'a` (caller's
        // guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    fn common(&self) -> &bindings::sock_common {
        // SAFETY: The sock is alive (type invariant); the hooks only read the plain integers
        // of its `sock_common`, which the kernel changes with single stores.
        unsafe { &(*opaque::ptr(&self.0)).__sk_common }
    }

    /// Its blob.
    pub(crate) fn blob(&self) -> SockBlob<'_> {
        SockBlob::of(self)
    }

    /// Its address family.
    pub(crate) fn family(&self) -> u16 {
        self.common().skc_family
    }

    /// Whether the socket, an internet socket, listens on the wildcard address of its
    /// family (which a guest's bind leaves only when it has several addresses): only such
    /// sockets need their packets checked; one bound to an address gets only packets for
    /// it, even once the address has left the guest's set.
    pub(crate) fn bound_to_wildcard(&self) -> bool {
        let common = self.common();
        if self.family() == AF_INET6 {
            // SAFETY: Plain integers in a union of plain integers.
            netaddr::is_any6(&unsafe { common.skc_v6_rcv_saddr.in6_u.u6_addr8 })
        } else {
            // SAFETY: As above.
            (unsafe { common.__bindgen_anon_1.__bindgen_anon_1.skc_rcv_saddr }) == 0
        }
    }

    /// Whether the socket, an internet socket of type `kind`, has a local address or port
    /// already. Racy by nature: at worst a bind that follows fails with `EINVAL`.
    pub(crate) fn is_bound(&self, kind: i16) -> bool {
        let common = self.common();
        if kind == SOCK_STREAM || kind == SOCK_DGRAM {
            // SAFETY: Plain integers in a union of plain integers. The local port (or the
            // ICMP id of a ping socket) is zero until the socket is bound.
            return unsafe { common.__bindgen_anon_3.__bindgen_anon_1.skc_num } != 0;
        }
        // Raw sockets carry their protocol as the "port": only their address tells.
        !self.bound_to_wildcard()
    }
}

/// A `struct socket`.
///
/// # Invariants
///
/// The socket is alive while borrowed, and so is its `sk`, if set.
#[repr(transparent)]
pub(crate) struct Socket(Opaque<bindings::socket>);

impl Socket {
    /// The socket `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a socket that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::socket) -> &'a Self {
        // INVARIANT: A live socket's `sk` lives as long as it does.
        // SAFETY: `Socket` is a transparent wrapper of `struct socket`, alive for `'a`
        // (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    /// Its sock, if it has one.
    pub(crate) fn sk(&self) -> Option<&Sock> {
        // SAFETY: The socket is alive (type invariant).
        let sk = unsafe { (*opaque::ptr(&self.0)).sk };
        // SAFETY: A set `sk` lives as long as the socket (type invariant).
        (!sk.is_null()).then(|| unsafe { Sock::from_raw(sk) })
    }

    /// Its type (`SOCK_STREAM`, ...).
    pub(crate) fn kind(&self) -> i16 {
        // SAFETY: The socket is alive (type invariant); its type never changes.
        unsafe { (*opaque::ptr(&self.0)).type_ }
    }

    /// Whether the socket is a Unix socket bound to a name in the abstract namespace, which
    /// all contexts share.
    ///
    /// The name is read with `kernel_getsockname`, which takes no lock and does not sleep for
    /// `AF_UNIX`, rather than from `struct unix_sock` (whose layout follows `struct sock`).
    pub(crate) fn is_unix_abstract(&self) -> bool {
        if self
            .sk()
            .is_none_or(|sk| u32::from(sk.family()) != bindings::AF_UNIX)
        {
            return false;
        }
        let mut name = bindings::sockaddr_un::default();
        // SAFETY: The socket is a live `AF_UNIX` socket, whose name never exceeds a
        // `sockaddr_un`.
        let len = unsafe {
            bindings::kernel_getsockname(
                opaque::ptr(&self.0),
                core::ptr::from_mut(&mut name).cast(),
            )
        };
        // Abstract names start with a zero byte.
        len > 2 && name.sun_path[0] == 0
    }

    /// Binds the socket to local address `addr` with port 0, without the LSM hook. May
    /// sleep (it locks the socket): process context only.
    pub(crate) fn bind_local(&self, addr: IpAddr) -> Result {
        let err = match addr {
            IpAddr::V4(a) => {
                let mut sin = bindings::sockaddr_in {
                    sin_family: AF_INET,
                    ..Default::default()
                };
                sin.sin_addr.s_addr = u32::from_ne_bytes(a);
                let len = core::mem::size_of::<bindings::sockaddr_in>() as c_int;
                // SAFETY: The socket is alive (type invariant); `sin` is a complete address
                // of `len` bytes; the caller runs in process context.
                unsafe {
                    bindings::kernel_bind(
                        opaque::ptr(&self.0),
                        core::ptr::from_mut(&mut sin).cast(),
                        len,
                    )
                }
            }
            IpAddr::V6(a) => {
                let mut sin6 = bindings::sockaddr_in6 {
                    sin6_family: AF_INET6,
                    ..Default::default()
                };
                sin6.sin6_addr.in6_u.u6_addr8 = a;
                let len = core::mem::size_of::<bindings::sockaddr_in6>() as c_int;
                // SAFETY: As above.
                unsafe {
                    bindings::kernel_bind(
                        opaque::ptr(&self.0),
                        core::ptr::from_mut(&mut sin6).cast(),
                        len,
                    )
                }
            }
        };
        kernel::error::to_result(err)
    }
}

/// The vserver part of a socket's LSM blob, borrowed from the sock.
///
/// # Invariants
///
/// `ptr` points to the blob of a `struct sock` alive for `'a`. Its `context` is a [`Slot`]
/// of `Context`; a socket whose `context` is set is charged one unit of that context's
/// `NSOCK`. `net_context` is a [`Slot`] of `NetContext`: the network context of the task
/// that created the socket. `xid` and `nid` are the ids of the creator's contexts (0 for
/// kernel sockets). All are written only while the socket is private to its creator (being
/// created, cloned or freed), through a [`PrivateSock`].
pub(crate) struct SockBlob<'a> {
    ptr: *mut bindings::vserver_sock_security,
    _sock: PhantomData<&'a Sock>,
}

impl<'a> SockBlob<'a> {
    /// The blob of `sk`.
    pub(crate) fn of(sk: &'a Sock) -> Self {
        // SAFETY: `sk` is alive for `'a` (it is borrowed); the shim gives every sock a blob,
        // and the accessor only computes its address.
        let ptr = unsafe { bindings::vserver_sock_security(opaque::ptr(&sk.0)) };
        // INVARIANT: `ptr` is the blob of a sock alive for `'a`.
        Self {
            ptr,
            _sock: PhantomData,
        }
    }

    fn context_slot(&self) -> &Slot<Context> {
        // SAFETY: `ptr` is valid and `context` a slot of `Context` (type invariant).
        unsafe { Slot::at(&raw mut (*self.ptr).context) }
    }

    fn net_slot(&self) -> &Slot<NetContext> {
        // SAFETY: `ptr` is valid and `net_context` a slot of `NetContext` (type invariant).
        unsafe { Slot::at(&raw mut (*self.ptr).net_context) }
    }

    /// The context the socket belongs to (0: the host or a kernel socket).
    pub(crate) fn xid(&self) -> u32 {
        // SAFETY: `ptr` is valid; `xid` is written only before others can see the socket.
        unsafe { (*self.ptr).xid }
    }

    /// The context the socket is charged to.
    pub(crate) fn context(&self) -> Option<ArcBorrow<'_, Context>> {
        // SAFETY: The slot changes only while the socket is private, and then only through a
        // `PrivateSock`, which nobody else holds (type invariant).
        unsafe { self.context_slot().borrow() }
    }

    /// The network context of the socket.
    pub(crate) fn net(&self) -> Option<ArcBorrow<'_, NetContext>> {
        // SAFETY: As in `context`.
        unsafe { self.net_slot().borrow() }
    }

    /// A new reference to the context the socket is charged to.
    pub(crate) fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: As in `context`.
        unsafe { self.context_slot().clone_arc() }
    }

    /// A new reference to the network context of the socket.
    pub(crate) fn net_arc(&self) -> Option<Arc<NetContext>> {
        // SAFETY: As in `context`.
        unsafe { self.net_slot().clone_arc() }
    }
}

/// A sock nobody else sees: being created, cloned or freed.
///
/// # Invariants
///
/// Only the holder of this value uses the sock's blob while it lives.
pub(crate) struct PrivateSock<'a>(SockBlob<'a>);

impl<'a> PrivateSock<'a> {
    /// The blob of `sk`, for its creator or its destroyer.
    ///
    /// # Safety
    ///
    /// Nobody else may use the blob of `sk` while the returned value lives.
    pub(crate) unsafe fn new(sk: &'a Sock) -> Self {
        // INVARIANT: As the caller guarantees.
        Self(SockBlob::of(sk))
    }

    /// The blob, to read.
    pub(crate) fn blob(&self) -> &SockBlob<'a> {
        &self.0
    }

    /// Records the socket's owner, the context it is charged to (if any) and its network
    /// context (if any), dropping what it had.
    pub(crate) fn set(
        &mut self,
        xid: u32,
        charged: Option<Arc<Context>>,
        net: Option<Arc<NetContext>>,
    ) {
        let nid = net.as_ref().map_or(0, |n| n.nid);
        let blob = &self.0;
        // SAFETY: `ptr` is valid and only we use it (type invariants); no borrow of its
        // slots lives, as one could only come from `&self`.
        unsafe {
            (*blob.ptr).xid = xid;
            (*blob.ptr).nid = nid;
            drop(blob.context_slot().replace(charged));
            drop(blob.net_slot().replace(net));
        }
    }

    /// Takes the context the socket is charged to and its network context out of the
    /// blob.
    pub(crate) fn take(&mut self) -> (Option<Arc<Context>>, Option<Arc<NetContext>>) {
        let blob = &self.0;
        // SAFETY: Only we use the blob and no borrow of its slots lives, as in `set`.
        unsafe {
            (
                blob.context_slot().replace(None),
                blob.net_slot().replace(None),
            )
        }
    }
}
