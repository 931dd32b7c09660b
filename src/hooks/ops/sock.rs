// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the socket hooks ([`crate::hooks::sock`]).

use super::errno;
use crate::blob::addr::{IpAddr, Packet, SockAddrArg};
use crate::blob::sock::{PrivateSock, Sock, Socket};
use crate::hooks::sock as policy;
use core::ffi::c_int;
use kernel::bindings;

/// `socket_create`.
pub(super) extern "C" fn socket_create(
    family: c_int,
    kind: c_int,
    protocol: c_int,
    kern: c_int,
) -> c_int {
    errno(policy::socket_create(family, kind, protocol, kern))
}

/// `sock_visible` (shim call sites: the socket lists of `/proc/net`): `sk` is null for a
/// time-wait socket.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn sock_visible(sk: *const bindings::sock) -> bool {
    let sk = if sk.is_null() {
        None
    } else {
        // SAFETY: A non-null `sk` is a full socket alive for the call (hook contract:
        // liveness).
        Some(unsafe { Sock::from_raw(sk) })
    };
    policy::sock_visible(sk)
}

/// `socket_post_create`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn socket_post_create(
    sock: *mut bindings::socket,
    _family: c_int,
    _kind: c_int,
    _protocol: c_int,
    kern: c_int,
) -> c_int {
    // SAFETY: `sock` is alive for the call (hook contract: liveness).
    let sock = unsafe { Socket::from_raw(sock) };
    // SAFETY: The socket is being created: nobody else sees its sock yet (hook contract:
    // privacy).
    let sk = sock.sk().map(|sk| unsafe { PrivateSock::new(sk) });
    errno(policy::socket_post_create(sk, kern))
}

/// `sk_clone_security`: `newsk` is the connection accepted on the listener `sk`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn sk_clone_security(
    sk: *const bindings::sock,
    newsk: *mut bindings::sock,
) {
    // SAFETY: `sk` is alive for the call (hook contract: liveness).
    let listener = unsafe { Sock::from_raw(sk) };
    // SAFETY: So is `newsk`, which nobody else sees yet (hook contract: liveness, privacy).
    let child = unsafe { PrivateSock::new(Sock::from_raw(newsk)) };
    policy::sk_clone_security(listener, child);
}

/// `sk_free_security`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn sk_free_security(sk: *mut bindings::sock) {
    // SAFETY: `sk` is alive until we return, and private to the freeing path (hook
    // contract: liveness, privacy).
    policy::sk_free_security(unsafe { PrivateSock::new(Sock::from_raw(sk)) });
}

/// `inet_conn_request`: `skb` is the SYN received by the listener `sk`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn inet_conn_request(
    sk: *const bindings::sock,
    skb: *mut bindings::sk_buff,
    _req: *mut bindings::request_sock,
) -> c_int {
    // SAFETY: `sk` and the received packet `skb`, whose network header is set, are alive
    // for the call (hook contract: liveness).
    let (listener, syn) = unsafe { (Sock::from_raw(sk), Packet::from_raw(skb)) };
    errno(policy::inet_conn_request(listener, syn))
}

/// `socket_setsockopt`.
pub(super) extern "C" fn socket_setsockopt(
    _sock: *mut bindings::socket,
    level: c_int,
    optname: c_int,
) -> c_int {
    errno(policy::socket_setsockopt(level, optname))
}

/// `unix_stream_connect`: `other` is the listening sock, its state lock held.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn unix_stream_connect(
    _sock: *mut bindings::sock,
    other: *mut bindings::sock,
    _newsk: *mut bindings::sock,
) -> c_int {
    // SAFETY: `other` is alive for the call (hook contract: liveness).
    let listener = unsafe { Sock::from_raw(other) };
    // `unix_stream_connect()` holds the state lock of `other` around the hook, and
    // `unix_release_sock()` orphans a sock (clears its `sk_socket`) only under that lock
    // (`layout::check_sock` verified where the field is).
    // SAFETY: So a set `sk_socket` is the listener's live socket for the call.
    let socket = unsafe {
        let socket = (*other).sk_socket;
        if socket.is_null() {
            None
        } else {
            Some(Socket::from_raw(socket))
        }
    };
    errno(policy::unix_stream_connect(listener, socket))
}

/// `unix_may_send`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn unix_may_send(
    _sock: *mut bindings::socket,
    other: *mut bindings::socket,
) -> c_int {
    // SAFETY: `other` is alive for the call (hook contract: liveness).
    errno(policy::unix_may_send(unsafe { Socket::from_raw(other) }))
}

/// `socket_bind`: `address` holds `addrlen` bytes.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn socket_bind(
    sock: *mut bindings::socket,
    address: *mut bindings::sockaddr,
    addrlen: c_int,
) -> c_int {
    // SAFETY: `sock` is alive for the call; `address` is the kernel's own copy of the
    // caller's, a `struct sockaddr_storage` (hook contract: liveness, privacy).
    let (sock, address) = unsafe {
        (
            Socket::from_raw(sock),
            SockAddrArg::from_raw(address, addrlen),
        )
    };
    errno(policy::socket_bind(sock, address))
}

/// `socket_connect` (SRCU, may sleep): `address` holds `addrlen` bytes.
///
/// # Safety
///
/// The hook contract (liveness, privacy, execution context).
pub(super) unsafe extern "C" fn socket_connect(
    sock: *mut bindings::socket,
    address: *mut bindings::sockaddr,
    addrlen: c_int,
) -> c_int {
    // The callback may sleep (hook contract: execution context).
    // SAFETY: `sock` is alive for the call; `address` is the kernel's own copy of the
    // caller's, a `struct sockaddr_storage` (hook contract: liveness, privacy).
    let (sock, dest) = unsafe {
        (
            Socket::from_raw(sock),
            SockAddrArg::from_raw(address, addrlen),
        )
    };
    errno(policy::socket_connect(sock, dest))
}

/// `socket_sendmsg` (SRCU, may sleep): a datagram's destination, if it has one, is the
/// message's `msg_name`.
///
/// # Safety
///
/// The hook contract (liveness, privacy, execution context).
pub(super) unsafe extern "C" fn socket_sendmsg(
    sock: *mut bindings::socket,
    msg: *mut bindings::msghdr,
    _size: c_int,
) -> c_int {
    // The callback may sleep (hook contract: execution context).
    // SAFETY: `sock` and `msg` are alive for the call; a set `msg_name` is the kernel's own
    // copy of the caller's address (hook contract: liveness, privacy).
    let (sock, dest) = unsafe {
        (
            Socket::from_raw(sock),
            SockAddrArg::from_raw((*msg).msg_name.cast(), (*msg).msg_namelen),
        )
    };
    errno(policy::socket_connect(sock, dest))
}

/// `socket_sock_rcv_skb` (softirq: the calling task is unrelated to `sk`).
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn socket_sock_rcv_skb(
    sk: *mut bindings::sock,
    skb: *mut bindings::sk_buff,
) -> c_int {
    // SAFETY: `sk` and the received packet `skb`, whose network header is set, are alive
    // for the call (hook contract: liveness).
    let (sk, packet) = unsafe { (Sock::from_raw(sk), Packet::from_raw(skb)) };
    errno(policy::socket_sock_rcv_skb(sk, packet))
}

/// `addr_visible` (shim call sites: address dumps, `SIOCGIFCONF`, `/proc/net/if_inet6`):
/// `addr` is a local address of family `family`.
///
/// # Safety
///
/// `addr` points to a `__be32` for `AF_INET` and a `struct in6_addr` for `AF_INET6` (the
/// hook's kernel-doc), alive for the call (hook contract: liveness).
pub(super) unsafe extern "C" fn addr_visible(
    family: c_int,
    addr: *const core::ffi::c_void,
) -> bool {
    // SAFETY: As this function's callers guarantee.
    policy::addr_visible(unsafe { IpAddr::from_raw(family, addr) })
}
