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

use crate::netaddr::{self, AddrSet, Bind, AF_INET, AF_INET6};
use crate::netctx::NetContext;
use crate::sockets::SockBlob;
use crate::task::TaskBlob;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// `SOCK_STREAM` and `SOCK_DGRAM` (`include/linux/net.h`).
const SOCK_STREAM: i16 = 1;
const SOCK_DGRAM: i16 = 2;

/// `sizeof(struct sockaddr_in)`; `SIN6_LEN_RFC2133`, the shortest IPv6 address the
/// kernel accepts.
const SOCKADDR_IN_LEN: c_int = 16;
const SOCKADDR_IN6_LEN: c_int = 24;

/// An address the hooks may read and rewrite.
enum SockAddr {
    V4(*mut bindings::sockaddr_in),
    V6(*mut bindings::sockaddr_in6),
}

impl SockAddr {
    /// The internet address in `address`, if it is one and long enough.
    ///
    /// # Safety
    ///
    /// `address` must point to `len` bytes the caller may read and write.
    unsafe fn of(address: *mut bindings::sockaddr, len: c_int) -> Option<Self> {
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
unsafe fn read4(a: *const bindings::sockaddr_in) -> netaddr::V4 {
    // SAFETY: By the caller's guarantee; `s_addr` is in network order in memory.
    unsafe { (*a).sin_addr.s_addr }.to_ne_bytes()
}

/// Writes an IPv4 address.
///
/// # Safety
///
/// `a` must be valid for writes.
unsafe fn write4(a: *mut bindings::sockaddr_in, v: netaddr::V4) {
    // SAFETY: By the caller's guarantee.
    unsafe { (*a).sin_addr.s_addr = u32::from_ne_bytes(v) };
}

/// Reads an IPv6 address.
///
/// # Safety
///
/// `a` must be valid for reads.
unsafe fn read6(a: *const bindings::sockaddr_in6) -> netaddr::V6 {
    // SAFETY: By the caller's guarantee; every view of the union is plain bytes.
    unsafe { (*a).sin6_addr.in6_u.u6_addr8 }
}

/// Writes an IPv6 address.
///
/// # Safety
///
/// `a` must be valid for writes.
unsafe fn write6(a: *mut bindings::sockaddr_in6, v: netaddr::V6) {
    // SAFETY: By the caller's guarantee.
    unsafe { (*a).sin6_addr.in6_u.u6_addr8 = v };
}

/// The blob of the socket behind `sock`, with its address family, if it is an internet
/// socket of a task with a network context.
///
/// # Safety
///
/// `sock` must be a live socket.
unsafe fn guest_inet_socket(sock: *mut bindings::socket) -> Option<(SockBlob, u16)> {
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

/// `socket_bind`: a guest socket binds only to the guest's addresses (`EADDRNOTAVAIL`);
/// the wildcard becomes the guest's single address of that family, and a loopback
/// address becomes the guest's loopback address.
///
/// # Safety
///
/// `sock` is live and `address` the kernel's copy of `addrlen` bytes (shim contract).
pub(crate) unsafe extern "C" fn socket_bind(
    sock: *mut bindings::socket,
    address: *mut bindings::sockaddr,
    addrlen: c_int,
) -> c_int {
    // SAFETY: `sock` is live (shim contract).
    let Some((blob, family)) = (unsafe { guest_inet_socket(sock) }) else {
        return 0;
    };
    let Some(net) = blob.net() else {
        return 0;
    };
    // SAFETY: `address` holds `addrlen` writable bytes (shim contract).
    let verdict: Result = match unsafe { SockAddr::of(address, addrlen) } {
        // An IPv4 address on an IPv6 socket (or the reverse) is the protocol's to refuse.
        Some(SockAddr::V4(a)) if family == AF_INET => net.with_addrs(|set| {
            // SAFETY: `a` is valid (checked length).
            let bind = set.bind4(&unsafe { read4(a) })?;
            if let Bind::Rewrite(to) = bind {
                // SAFETY: As above.
                unsafe { write4(a, to) };
            }
            Ok(())
        }),
        Some(SockAddr::V6(a)) if family == AF_INET6 => net.with_addrs(|set| {
            // SAFETY: `a` is valid (checked length).
            let bind = set.bind6(&unsafe { read6(a) })?;
            if let Bind::Rewrite(to) = bind {
                // SAFETY: As above.
                unsafe { write6(a, to) };
            }
            Ok(())
        }),
        _ => Ok(()),
    };
    match verdict {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Remaps a loopback destination to the guest's loopback address, and for a socket not
/// bound yet, binds it to the guest address that suits the destination, so the host
/// never lends it one of its own addresses. May sleep (binding locks the socket).
///
/// # Safety
///
/// `sock` is live; `address` holds `len` writable bytes (or is null).
unsafe fn redirect(
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
unsafe fn is_bound(sk: *const bindings::sock, family: u16, kind: i16) -> bool {
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

/// `socket_connect` (may sleep): see [`redirect`].
///
/// # Safety
///
/// `sock` is live and `address` the kernel's copy of `addrlen` bytes (shim contract).
pub(crate) unsafe extern "C" fn socket_connect(
    sock: *mut bindings::socket,
    address: *mut bindings::sockaddr,
    addrlen: c_int,
) -> c_int {
    // SAFETY: As the shim guarantees.
    unsafe { redirect(sock, address, addrlen) }
}

/// `socket_sendmsg` (may sleep): a datagram with a destination, see [`redirect`].
///
/// # Safety
///
/// `sock` and `msg` are live; `msg_name`, if set, is a kernel copy (shim contract).
pub(crate) unsafe extern "C" fn socket_sendmsg(
    sock: *mut bindings::socket,
    msg: *mut bindings::msghdr,
    _size: c_int,
) -> c_int {
    // SAFETY: `msg` is live (shim contract).
    let (name, len) = unsafe { ((*msg).msg_name, (*msg).msg_namelen) };
    if name.is_null() {
        return 0;
    }
    // SAFETY: As the shim guarantees.
    unsafe { redirect(sock, name.cast(), len) }
}

/// Whether the packet in `skb` is for an address the network context `net` owns.
///
/// # Safety
///
/// `skb` must be a received packet whose network header is set.
unsafe fn packet_for_guest(net: &NetContext, skb: *const bindings::sk_buff) -> bool {
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
unsafe fn bound_to_wildcard(sk: *const bindings::sock, family: u16) -> bool {
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

/// `socket_sock_rcv_skb`: a guest socket bound to the wildcard takes no datagram for an
/// address outside the guest's set (it is dropped).
///
/// # Safety
///
/// `sk` is live, `skb` a received packet (shim contract).
pub(crate) unsafe extern "C" fn socket_sock_rcv_skb(
    sk: *mut bindings::sock,
    skb: *mut bindings::sk_buff,
) -> c_int {
    // SAFETY: `sk` is live (shim contract).
    let family = unsafe { (*sk).__sk_common.skc_family };
    if family != AF_INET && family != AF_INET6 {
        return 0;
    }
    // SAFETY: As above.
    let blob = unsafe { SockBlob::of(sk) };
    let Some(net) = blob.net() else {
        return 0;
    };
    // SAFETY: `sk` is a live internet socket; `skb` a received packet (shim contract).
    if !unsafe { bound_to_wildcard(sk, family) } || unsafe { packet_for_guest(net, skb) } {
        0
    } else {
        EADDRNOTAVAIL.to_errno()
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

/// `addr_visible` (shim call sites: address dumps, `SIOCGIFCONF`, `/proc/net/if_inet6`):
/// a task with a network context sees only its own addresses.
///
/// # Safety
///
/// `addr` points to a `__be32` (`AF_INET`) or `struct in6_addr` (`AF_INET6`).
pub(crate) unsafe extern "C" fn addr_visible(
    family: c_int,
    addr: *const core::ffi::c_void,
) -> bool {
    if TaskBlob::current().nid() == 0 {
        return true;
    }
    TaskBlob::with_current_net(|net| match u16::try_from(family) {
        // SAFETY: The caller passes a `__be32` for `AF_INET`.
        Ok(AF_INET) => net.with_addrs(|set| set.v4.owns(&unsafe { *addr.cast::<netaddr::V4>() })),
        // SAFETY: The caller passes a `struct in6_addr` for `AF_INET6`.
        Ok(AF_INET6) => net.with_addrs(|set| set.v6.owns(&unsafe { *addr.cast::<netaddr::V6>() })),
        _ => false,
    })
    .unwrap_or(true)
}
