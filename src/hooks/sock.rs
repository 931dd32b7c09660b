// SPDX-License-Identifier: GPL-2.0

//! Sockets: which context a socket belongs to, its `NSOCK` accounting, and what a guest
//! may not do with sockets whatever its capabilities (raw sockets beyond ICMP, packet
//! sockets, forged IP headers, abstract Unix sockets of other contexts).

use crate::blob::sock::SockBlob;
use crate::blob::task::TaskBlob;
use crate::context::limits::Charge;
use crate::context::policy;
use crate::net::addr::{self as netaddr, Bind, AF_INET, AF_INET6};
use crate::net::socket::{
    bound_to_wildcard, guest_inet_socket, packet_for_guest, read4, read6, redirect, write4, write6,
    SockAddr,
};
use crate::uapi;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// Address and protocol numbers (`include/linux/socket.h`, `include/uapi/linux/in.h`,
/// `include/uapi/linux/in6.h`, `include/linux/net.h`).
mod net {
    use core::ffi::c_int;
    pub(super) const AF_INET: c_int = 2;
    pub(super) const AF_INET6: c_int = 10;
    pub(super) const AF_NETLINK: c_int = 16;
    pub(super) const AF_PACKET: c_int = 17;
    pub(super) const NETLINK_SOCK_DIAG: c_int = 4;
    pub(super) const SOCK_RAW: c_int = 3;
    pub(super) const SOCK_PACKET: c_int = 10;
    pub(super) const IPPROTO_ICMP: c_int = 1;
    pub(super) const IPPROTO_ICMPV6: c_int = 58;
    pub(super) const SOL_IP: c_int = 0;
    pub(super) const SOL_IPV6: c_int = 41;
    pub(super) const IP_HDRINCL: c_int = 3;
    pub(super) const IP_TRANSPARENT: c_int = 19;
    pub(super) const IPV6_HDRINCL: c_int = 36;
    pub(super) const IPV6_TRANSPARENT: c_int = 75;
}

/// Counts a refusal against the calling task's context and answers `err`.
fn refuse(err: Error) -> c_int {
    TaskBlob::with_current_context(|context| context.hit());
    err.to_errno()
}

/// `socket_create`: a guest opens no packet socket and no raw socket except ICMP and
/// ICMPv6 ones, and those only with `VS_CCAP_RAW_ICMP` (`EPERM`). Nor does it open a
/// `NETLINK_SOCK_DIAG` socket (`EACCES`): `ss` and its kin list and query every socket of
/// the network namespace, which the guest shares with the host and the other guests
/// (`/proc/net` shows it only its own).
///
/// Without the context capability the capability check that follows would refuse them
/// anyway (`CAP_NET_RAW` is outside every default set); with it, the guest's credentials
/// keep `CAP_NET_RAW`, and this hook is what confines its use to ICMP.
pub(crate) extern "C" fn socket_create(
    family: c_int,
    kind: c_int,
    protocol: c_int,
    kern: c_int,
) -> c_int {
    if kern != 0 || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    if family == net::AF_NETLINK && protocol == net::NETLINK_SOCK_DIAG {
        return refuse(EACCES);
    }
    // Raw sockets of other families (netlink, which `ip` and `getifaddrs` use) are not
    // about forging packets.
    let raw = (family == net::AF_INET || family == net::AF_INET6)
        && (kind == net::SOCK_RAW || kind == net::SOCK_PACKET);
    if family != net::AF_PACKET && !raw {
        return 0;
    }
    let icmp = kind == net::SOCK_RAW
        && ((family == net::AF_INET && protocol == net::IPPROTO_ICMP)
            || (family == net::AF_INET6 && protocol == net::IPPROTO_ICMPV6));
    let allowed = icmp
        && TaskBlob::with_current_context(|c| c.has_ccap(uapi::VS_CCAP_RAW_ICMP)).unwrap_or(false);
    if allowed {
        0
    } else {
        refuse(EPERM)
    }
}

/// `sock_visible` (shim call sites: the socket lists of `/proc/net`): a guest sees only
/// the sockets of its own context; the host and the spectator see all. A time-wait socket
/// (`sk` null: it has no blob) counts as the host's.
///
/// # Safety
///
/// `sk` is null or a live full socket (shim contract).
pub(crate) unsafe extern "C" fn sock_visible(sk: *const bindings::sock) -> bool {
    let owner = if sk.is_null() {
        uapi::VS_XID_HOST
    } else {
        // SAFETY: A non-null `sk` is a live full socket (shim contract).
        unsafe { SockBlob::of(sk) }.xid()
    };
    policy::may_see(TaskBlob::current().xid(), owner)
}

/// `socket_post_create`: a user-space socket belongs to its creator's context and is
/// charged to its `NSOCK` counter (`ENFILE` at the hard limit).
///
/// # Safety
///
/// `sock` is a socket being created (shim contract).
pub(crate) unsafe extern "C" fn socket_post_create(
    sock: *mut bindings::socket,
    _family: c_int,
    _kind: c_int,
    _protocol: c_int,
    kern: c_int,
) -> c_int {
    // SAFETY: `sock` is valid (shim contract).
    let sk = unsafe { (*sock).sk };
    if kern != 0 || sk.is_null() {
        return 0;
    }
    let me = TaskBlob::current();
    let xid = me.xid();
    if xid == uapi::VS_XID_HOST && me.nid() == 0 {
        return 0;
    }
    let context = TaskBlob::current_context();
    if let Some(context) = &context {
        if context.limits.nsock().charge() == Charge::Refused {
            return ENFILE.to_errno();
        }
    }
    // SAFETY: `sk` belongs to the socket being created: private to us, nothing set yet.
    unsafe { SockBlob::of(sk).set(xid, context, TaskBlob::current_net()) };
    0
}

/// `sk_clone_security`: a connection accepted on a listening socket belongs to the
/// listener's context and is charged to it (it cannot be refused here; the listener's
/// `inet_conn_request` refuses new connections while the context is at its limit).
///
/// # Safety
///
/// `sk` is live and `newsk` is a new socket nobody else sees yet (shim contract).
pub(crate) unsafe extern "C" fn sk_clone_security(
    sk: *const bindings::sock,
    newsk: *mut bindings::sock,
) {
    // SAFETY: `sk` is live (shim contract).
    let parent = unsafe { SockBlob::of(sk) };
    // SAFETY: `newsk` is live (shim contract).
    let child = unsafe { SockBlob::of(newsk) };
    // Some families call this for sockets already created (and charged) on their own.
    if child.context().is_some() || child.net().is_some() || child.xid() != uapi::VS_XID_HOST {
        return;
    }
    let charged = parent.context_arc().inspect(|context| {
        context.limits.nsock().charge_always();
    });
    let net = parent.net_arc();
    // SAFETY: `newsk` is private to the caller and has nothing set yet (checked above).
    unsafe { child.set(parent.xid(), charged, net) };
}

/// `sk_free_security`: the socket's `NSOCK` unit goes back to its context.
///
/// # Safety
///
/// `sk` is being freed (shim contract).
pub(crate) unsafe extern "C" fn sk_free_security(sk: *mut bindings::sock) {
    // SAFETY: `sk` is live until we return and private to the freeing path.
    let (context, _net) = unsafe { SockBlob::of(sk).take() };
    if let Some(context) = context {
        context.limits.nsock().uncharge();
    }
}

/// `inet_conn_request`: a listener whose context is at its `NSOCK` hard limit takes no new
/// connection (the request is dropped, as when its backlog is full), nor does a guest's
/// wildcard listener for an address outside its network context.
///
/// # Safety
///
/// `sk` is a live listening socket, `skb` the SYN (shim contract).
pub(crate) unsafe extern "C" fn inet_conn_request(
    sk: *const bindings::sock,
    skb: *mut bindings::sk_buff,
    _req: *mut bindings::request_sock,
) -> c_int {
    // SAFETY: `sk` is live (shim contract).
    let blob = unsafe { SockBlob::of(sk) };
    if blob.context().is_some_and(|c| c.limits.nsock().is_full()) {
        return ENOBUFS.to_errno();
    }
    match blob.net() {
        // SAFETY: `skb` is the received SYN (shim contract).
        Some(net) if !unsafe { crate::net::socket::conn_request_allowed(sk, net, skb) } => {
            EADDRNOTAVAIL.to_errno()
        }
        _ => 0,
    }
}

/// `socket_setsockopt`: a guest never forges IP headers (`IP_HDRINCL`, `IPV6_HDRINCL`) nor
/// intercepts traffic for foreign addresses (`IP_TRANSPARENT`, `IPV6_TRANSPARENT`), even
/// with `CAP_NET_RAW` from `VS_CCAP_RAW_ICMP` (`EPERM`).
pub(crate) extern "C" fn socket_setsockopt(
    _sock: *mut bindings::socket,
    level: c_int,
    optname: c_int,
) -> c_int {
    let forbidden = match level {
        net::SOL_IP => optname == net::IP_HDRINCL || optname == net::IP_TRANSPARENT,
        net::SOL_IPV6 => optname == net::IPV6_HDRINCL || optname == net::IPV6_TRANSPARENT,
        _ => false,
    };
    if !forbidden || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    refuse(EPERM)
}

/// Whether Unix socket `sock` is bound to a name in the abstract namespace, which all
/// contexts share (a path name is reachable only through the file system, which confines
/// guests on its own; an unbound socket is reachable only through a descriptor).
///
/// The name is read with `kernel_getsockname`, which takes no lock and does not sleep for
/// `AF_UNIX`, rather than from `struct unix_sock` (whose layout follows `struct sock`).
///
/// # Safety
///
/// `sock` must be a live `AF_UNIX` socket.
unsafe fn unix_abstract(sock: *mut bindings::socket) -> bool {
    // SAFETY: `sockaddr_un` is plain old data.
    let mut name: bindings::sockaddr_un = unsafe { core::mem::zeroed() };
    // SAFETY: `sock` is live; an `AF_UNIX` name never exceeds a `sockaddr_un`.
    let len = unsafe { bindings::kernel_getsockname(sock, core::ptr::from_mut(&mut name).cast()) };
    // Abstract names start with a zero byte.
    len > 2 && name.sun_path[0] == 0
}

/// Whether the calling task may reach Unix socket `other` (`ECONNREFUSED` otherwise, as
/// for a name nobody listens on: a guest does not learn what other contexts listen on).
///
/// # Safety
///
/// `other` must be a live `AF_UNIX` sock whose `sk_socket` is set (a listening or bound
/// socket), or `sock` must be that socket.
unsafe fn unix_reach(other: *const bindings::sock, sock: *mut bindings::socket) -> c_int {
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST {
        return 0;
    }
    // SAFETY: `other` is live (caller's guarantee).
    let owner = unsafe { SockBlob::of(other) }.xid();
    if owner == actor || policy::may_touch(actor, owner) {
        return 0;
    }
    // SAFETY: `sock` is `other`'s live socket (caller's guarantee; `layout::check_sock`
    // verified where `sk_socket` is).
    if sock.is_null() || !unsafe { unix_abstract(sock) } {
        return 0;
    }
    refuse(ECONNREFUSED)
}

/// `unix_stream_connect`: connecting to an abstract Unix socket of another context.
///
/// # Safety
///
/// `other` is the live listening socket, its state lock held (shim contract).
pub(crate) unsafe extern "C" fn unix_stream_connect(
    _sock: *mut bindings::sock,
    other: *mut bindings::sock,
    _newsk: *mut bindings::sock,
) -> c_int {
    // SAFETY: `other` is live (shim contract); a listener's `sk_socket` is its socket.
    unsafe { unix_reach(other, (*other).sk_socket) }
}

/// `unix_may_send`: sending a datagram to an abstract Unix socket of another context.
///
/// # Safety
///
/// `other` is a live socket (shim contract).
pub(crate) unsafe extern "C" fn unix_may_send(
    _sock: *mut bindings::socket,
    other: *mut bindings::socket,
) -> c_int {
    // SAFETY: `other` is valid (shim contract); its sock lives as long as it does.
    let sk = unsafe { (*other).sk };
    if sk.is_null() {
        return 0;
    }
    // SAFETY: `sk` is the live sock of `other`.
    unsafe { unix_reach(sk, other) }
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
