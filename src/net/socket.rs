// SPDX-License-Identifier: GPL-2.0

//! The socket hooks of network contexts: binds confined to the guest's addresses (a
//! wildcard or loopback bind becomes the guest's own address), loopback connections
//! remapped, unbound sockets given a source address of the guest, packets for other
//! addresses kept from the guest's wildcard sockets, and interface addresses hidden.
//!
//! A socket belongs to the network context of the task that created it ([`SockBlob`]);
//! sockets of tasks without one pass untouched. The socket address these hooks see is the
//! kernel's own copy of the caller's, which the system call uses after the hook: that is
//! what lets a bind or connect be redirected.

use crate::blob::sock::SockBlob;
use crate::net::addr::{self as netaddr, AddrSet, AF_INET, AF_INET6};
use crate::net::NetContext;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// `SOCK_STREAM` and `SOCK_DGRAM` (`include/linux/net.h`).
pub(crate) const SOCK_STREAM: i16 = 1;
pub(crate) const SOCK_DGRAM: i16 = 2;

/// `sizeof(struct sockaddr_in)`; `SIN6_LEN_RFC2133`, the shortest IPv6 address the
/// kernel accepts.
pub(crate) const SOCKADDR_IN_LEN: c_int = 16;
pub(crate) const SOCKADDR_IN6_LEN: c_int = 24;

/// An address the hooks may read and rewrite.
pub(crate) enum SockAddr {
    V4(*mut bindings::sockaddr_in),
    V6(*mut bindings::sockaddr_in6),
}

impl SockAddr {
    /// The internet address in `address`, if it is one and long enough.
    ///
    /// # Safety
    ///
    /// `address` must point to `len` bytes the caller may read and write.
    pub(crate) unsafe fn of(address: *mut bindings::sockaddr, len: c_int) -> Option<Self> {
        if address.is_null() || len < 2 {
            return None;
        }
        // SAFETY: At least the family is there.
        match unsafe { (*address).sa_family } {
            AF_INET if len >= SOCKADDR_IN_LEN => Some(Self::V4(address.cast())),
            AF_INET6 if len >= SOCKADDR_IN6_LEN => Some(Self::V6(address.cast())),
            _ => None,
        }
    }
}

/// Reads an IPv4 address.
///
/// # Safety
///
/// `a` must be valid for reads.
pub(crate) unsafe fn read4(a: *const bindings::sockaddr_in) -> netaddr::V4 {
    // SAFETY: By the caller's guarantee; `s_addr` is in network order in memory.
    unsafe { (*a).sin_addr.s_addr }.to_ne_bytes()
}

/// Writes an IPv4 address.
///
/// # Safety
///
/// `a` must be valid for writes.
pub(crate) unsafe fn write4(a: *mut bindings::sockaddr_in, v: netaddr::V4) {
    // SAFETY: By the caller's guarantee.
    unsafe { (*a).sin_addr.s_addr = u32::from_ne_bytes(v) };
}

/// Reads an IPv6 address.
///
/// # Safety
///
/// `a` must be valid for reads.
pub(crate) unsafe fn read6(a: *const bindings::sockaddr_in6) -> netaddr::V6 {
    // SAFETY: By the caller's guarantee; every view of the union is plain bytes.
    unsafe { (*a).sin6_addr.in6_u.u6_addr8 }
}

/// Writes an IPv6 address.
///
/// # Safety
///
/// `a` must be valid for writes.
pub(crate) unsafe fn write6(a: *mut bindings::sockaddr_in6, v: netaddr::V6) {
    // SAFETY: By the caller's guarantee.
    unsafe { (*a).sin6_addr.in6_u.u6_addr8 = v };
}

/// The blob of the socket behind `sock`, with its address family, if it is an internet
/// socket of a task with a network context.
///
/// # Safety
///
/// `sock` must be a live socket.
pub(crate) unsafe fn guest_inet_socket(sock: *mut bindings::socket) -> Option<(SockBlob, u16)> {
    // SAFETY: `sock` is live.
    let sk = unsafe { (*sock).sk };
    if sk.is_null() {
        return None;
    }
    // SAFETY: `sk` is live as long as `sock` is.
    let family = unsafe { (*sk).__sk_common.skc_family };
    if family != AF_INET && family != AF_INET6 {
        return None;
    }
    // SAFETY: As above.
    let blob = unsafe { SockBlob::of(sk) };
    blob.net()?;
    Some((blob, family))
}

/// Remaps a loopback destination to the guest's loopback address, and for a socket not
/// bound yet, binds it to the guest address that suits the destination, so the host
/// never lends it one of its own addresses. May sleep (binding locks the socket).
///
/// # Safety
///
/// `sock` is live; `address` holds `len` writable bytes (or is null).
pub(crate) unsafe fn redirect(
    sock: *mut bindings::socket,
    address: *mut bindings::sockaddr,
    len: c_int,
) -> c_int {
    // SAFETY: `sock` is live (caller's guarantee).
    let Some((blob, family)) = (unsafe { guest_inet_socket(sock) }) else {
        return 0;
    };
    let Some(net) = blob.net() else {
        return 0;
    };
    // SAFETY: `address` holds `len` writable bytes (caller's guarantee).
    let Some(dest) = (unsafe { SockAddr::of(address, len) }) else {
        return 0;
    };
    // The source to bind to, as a complete socket address with port 0.
    let mut source: bindings::sockaddr_in6 = Default::default();
    let source_len = net.with_addrs(|set: &AddrSet| -> Result<Option<c_int>> {
        match dest {
            SockAddr::V4(a) if family == AF_INET => {
                // SAFETY: `a` is valid (checked length).
                let mut dst = unsafe { read4(a) };
                if let Some(to) = set.destination4(&dst) {
                    // SAFETY: As above.
                    unsafe { write4(a, to) };
                    dst = to;
                }
                let src = set.v4.source_for(&dst).ok_or(ENETUNREACH)?;
                let sin = core::ptr::from_mut(&mut source).cast::<bindings::sockaddr_in>();
                // SAFETY: A `sockaddr_in6` has room for a `sockaddr_in`.
                unsafe {
                    (*sin).sin_family = AF_INET;
                    write4(sin, src);
                }
                Ok(Some(SOCKADDR_IN_LEN))
            }
            SockAddr::V6(a) if family == AF_INET6 => {
                // SAFETY: `a` is valid (checked length).
                let mut dst = unsafe { read6(a) };
                if let Some(to) = set.destination6(&dst) {
                    // SAFETY: As above.
                    unsafe { write6(a, to) };
                    dst = to;
                }
                let src = set.source6(&dst).ok_or(ENETUNREACH)?;
                source.sin6_family = AF_INET6;
                // SAFETY: `source` is ours.
                unsafe { write6(&mut source, src) };
                Ok(Some(core::mem::size_of::<bindings::sockaddr_in6>() as c_int))
            }
            _ => Ok(None),
        }
    });
    let source_len = match source_len {
        Ok(Some(len)) => len,
        Ok(None) => return 0,
        Err(e) => return e.to_errno(),
    };
    // SAFETY: `sock` is live.
    let (kind, sk) = unsafe { ((*sock).type_, (*sock).sk) };
    // SAFETY: `sock` is live, and so is `sk`.
    if unsafe { is_bound(sk, family, kind) } {
        return 0;
    }
    let source_ptr = core::ptr::from_mut(&mut source).cast();
    // SAFETY: `sock` is live, `source_ptr` a complete address of `source_len` bytes; we are
    // in process context, where `kernel_bind` may sleep. It binds without the LSM hook.
    let err = unsafe { bindings::kernel_bind(sock, source_ptr, source_len) };
    // A concurrent bind or connect won the race: the socket has an address then.
    if err == EINVAL.to_errno() {
        0
    } else {
        err
    }
}

/// Whether internet socket `sk` of type `kind` has a local address or port already.
/// Racy by nature: at worst the bind that follows fails with `EINVAL`, which is ignored.
///
/// # Safety
///
/// `sk` must be a live internet socket of address family `family`.
pub(crate) unsafe fn is_bound(sk: *const bindings::sock, family: u16, kind: i16) -> bool {
    // SAFETY: `sk` is live (caller's guarantee).
    let common = unsafe { &(*sk).__sk_common };
    if kind == SOCK_STREAM || kind == SOCK_DGRAM {
        // SAFETY: Plain integers in a union of plain integers. The local port (or the ICMP
        // id of a ping socket) is zero until the socket is bound.
        return unsafe { common.__bindgen_anon_3.__bindgen_anon_1.skc_num } != 0;
    }
    // Raw sockets carry their protocol as the "port": only their address tells.
    if family == AF_INET6 {
        // SAFETY: As above.
        !netaddr::is_any6(&unsafe { common.skc_v6_rcv_saddr.in6_u.u6_addr8 })
    } else {
        // SAFETY: As above.
        (unsafe { common.__bindgen_anon_1.__bindgen_anon_1.skc_rcv_saddr }) != 0
    }
}

/// Whether the packet in `skb` is for an address the network context `net` owns.
///
/// # Safety
///
/// `skb` must be a received packet whose network header is set.
pub(crate) unsafe fn packet_for_guest(net: &NetContext, skb: *const bindings::sk_buff) -> bool {
    // SAFETY: The network header of a received packet is in the linear data.
    let version = unsafe { *bindings::ip_hdr(skb).cast::<u8>() } >> 4;
    match version {
        4 => {
            // SAFETY: An IPv4 header, as its version says.
            let daddr = unsafe { (*bindings::ip_hdr(skb)).__bindgen_anon_1.addrs.daddr };
            net.with_addrs(|set| set.accepts4(&daddr.to_ne_bytes()))
        }
        6 => {
            // SAFETY: An IPv6 header, as its version says.
            let daddr = unsafe {
                (*bindings::ipv6_hdr(skb))
                    .__bindgen_anon_1
                    .addrs
                    .daddr
                    .in6_u
                    .u6_addr8
            };
            net.with_addrs(|set| set.accepts6(&daddr))
        }
        _ => true,
    }
}

/// Whether internet socket `sk` listens on the wildcard address of its family (which a
/// guest's bind leaves only when it has several addresses): only such sockets need their
/// packets checked; one bound to an address gets only packets for it, even once the
/// address has left the guest's set.
///
/// # Safety
///
/// `sk` must be a live internet socket of address family `family`.
pub(crate) unsafe fn bound_to_wildcard(sk: *const bindings::sock, family: u16) -> bool {
    // SAFETY: `sk` is live (caller's guarantee); plain integers in unions of integers.
    let common = unsafe { &(*sk).__sk_common };
    if family == AF_INET6 {
        // SAFETY: As above.
        netaddr::is_any6(&unsafe { common.skc_v6_rcv_saddr.in6_u.u6_addr8 })
    } else {
        // SAFETY: As above.
        (unsafe { common.__bindgen_anon_1.__bindgen_anon_1.skc_rcv_saddr }) == 0
    }
}

/// The part of `inet_conn_request` for network contexts: a guest listener bound to the
/// wildcard takes no connection for an address outside the guest's set.
///
/// # Safety
///
/// `sk` is the live listener, `net` its network context, `skb` the SYN (shim contract).
pub(crate) unsafe fn conn_request_allowed(
    sk: *const bindings::sock,
    net: &NetContext,
    skb: *const bindings::sk_buff,
) -> bool {
    // SAFETY: `sk` is live.
    let family = unsafe { (*sk).__sk_common.skc_family };
    // SAFETY: As the caller guarantees; a listener with a network context is an internet
    // socket.
    !unsafe { bound_to_wildcard(sk, family) } || unsafe { packet_for_guest(net, skb) }
}
