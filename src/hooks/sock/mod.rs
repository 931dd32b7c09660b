// SPDX-License-Identifier: GPL-2.0

//! Sockets: which context a socket belongs to, its `NSOCK` accounting, and what a guest
//! may not do with sockets whatever its capabilities (raw sockets beyond ICMP, packet
//! sockets, forged IP headers, abstract Unix sockets of other contexts).

use super::refuse;
use crate::blob::addr::{IpAddr, Packet, SockAddrArg};
use crate::blob::sock::{PrivateSock, Sock, Socket};
use crate::blob::task::TaskBlob;
use crate::context::limits::Charge;
use crate::context::policy;
use crate::net::addr::{AF_INET, AF_INET6};
use crate::uapi;
use core::ffi::c_int;
use kernel::prelude::*;

mod addresses;

/// Address families, socket types, protocols and socket options (`include/linux/socket.h`,
/// `include/linux/net.h`, `include/uapi/linux/in.h`, `include/uapi/linux/in6.h`,
/// `include/uapi/linux/netlink.h`) as the hooks get them.
mod net {
    use core::ffi::c_int;
    use kernel::bindings;
    pub(super) const AF_INET: c_int = bindings::AF_INET as c_int;
    pub(super) const AF_INET6: c_int = bindings::AF_INET6 as c_int;
    pub(super) const AF_NETLINK: c_int = bindings::AF_NETLINK as c_int;
    pub(super) const AF_PACKET: c_int = bindings::AF_PACKET as c_int;
    pub(super) const NETLINK_SOCK_DIAG: c_int = bindings::NETLINK_SOCK_DIAG as c_int;
    pub(super) const SOCK_RAW: c_int = bindings::sock_type_SOCK_RAW as c_int;
    pub(super) const SOCK_PACKET: c_int = bindings::sock_type_SOCK_PACKET as c_int;
    pub(super) const IPPROTO_ICMP: c_int = bindings::IPPROTO_ICMP as c_int;
    pub(super) const IPPROTO_ICMPV6: c_int = bindings::IPPROTO_ICMPV6 as c_int;
    pub(super) const SOL_IP: c_int = bindings::SOL_IP as c_int;
    pub(super) const SOL_IPV6: c_int = bindings::SOL_IPV6 as c_int;
    pub(super) const IP_HDRINCL: c_int = bindings::IP_HDRINCL as c_int;
    pub(super) const IP_TRANSPARENT: c_int = bindings::IP_TRANSPARENT as c_int;
    pub(super) const IPV6_HDRINCL: c_int = bindings::IPV6_HDRINCL as c_int;
    pub(super) const IPV6_TRANSPARENT: c_int = bindings::IPV6_TRANSPARENT as c_int;
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
pub(crate) fn socket_create(family: c_int, kind: c_int, protocol: c_int, kern: c_int) -> Result {
    if kern != 0 || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return Ok(());
    }
    if family == net::AF_NETLINK && protocol == net::NETLINK_SOCK_DIAG {
        return refuse(EACCES);
    }
    // Raw sockets of other families (netlink, which `ip` and `getifaddrs` use) are not
    // about forging packets.
    let raw = (family == net::AF_INET || family == net::AF_INET6)
        && (kind == net::SOCK_RAW || kind == net::SOCK_PACKET);
    if family != net::AF_PACKET && !raw {
        return Ok(());
    }
    let icmp = kind == net::SOCK_RAW
        && ((family == net::AF_INET && protocol == net::IPPROTO_ICMP)
            || (family == net::AF_INET6 && protocol == net::IPPROTO_ICMPV6));
    let allowed = icmp
        && TaskBlob::with_current_context(|c| c.has_ccap(uapi::VS_CCAP_RAW_ICMP)).unwrap_or(false);
    if allowed {
        Ok(())
    } else {
        refuse(EPERM)
    }
}

/// `sock_visible` (shim call sites: the socket lists of `/proc/net`): a guest sees only
/// the sockets of its own context; the host and the spectator see all. A time-wait socket
/// (`sk` none: it has no blob) counts as the host's.
pub(crate) fn sock_visible(sk: Option<&Sock>) -> bool {
    let owner = sk.map_or(uapi::VS_XID_HOST, |sk| sk.blob().xid());
    policy::may_see(TaskBlob::current().xid(), owner)
}

/// `socket_post_create`: a user-space socket (`kern` 0) belongs to its creator's context
/// and is charged to its `NSOCK` counter (`ENFILE` at the hard limit). `sk` is the sock of
/// the socket being created, if it has one.
pub(crate) fn socket_post_create(sk: Option<PrivateSock<'_>>, kern: c_int) -> Result {
    if kern != 0 {
        return Ok(());
    }
    let Some(mut sk) = sk else {
        return Ok(());
    };
    let me = TaskBlob::current();
    let xid = me.xid();
    if xid == uapi::VS_XID_HOST && me.nid() == 0 {
        return Ok(());
    }
    let context = TaskBlob::current_context();
    if let Some(context) = &context {
        if context.limits.nsock().charge() == Charge::Refused {
            return Err(ENFILE);
        }
    }
    sk.set(xid, context, TaskBlob::current_net());
    Ok(())
}

/// `sk_clone_security`: a connection accepted on a listening socket belongs to the
/// listener's context and is charged to it (it cannot be refused here; the listener's
/// `inet_conn_request` refuses new connections while the context is at its limit).
pub(crate) fn sk_clone_security(listener: &Sock, mut child: PrivateSock<'_>) {
    let parent = listener.blob();
    let blob = child.blob();
    // Some families call this for sockets already created (and charged) on their own.
    if blob.context().is_some() || blob.net().is_some() || blob.xid() != uapi::VS_XID_HOST {
        return;
    }
    let charged = parent.context_arc().inspect(|context| {
        context.limits.nsock().charge_always();
    });
    let net = parent.net_arc();
    child.set(parent.xid(), charged, net);
}

/// `sk_free_security`: the socket's `NSOCK` unit goes back to its context.
pub(crate) fn sk_free_security(mut sk: PrivateSock<'_>) {
    let (context, _net) = sk.take();
    if let Some(context) = context {
        context.limits.nsock().uncharge();
    }
}

/// `inet_conn_request`: a listener whose context is at its `NSOCK` hard limit takes no new
/// connection (the request is dropped, as when its backlog is full), nor does a guest's
/// wildcard listener for an address outside its network context. `syn` is the request.
pub(crate) fn inet_conn_request(listener: &Sock, syn: &Packet) -> Result {
    let blob = listener.blob();
    if blob.context().is_some_and(|c| c.limits.nsock().is_full()) {
        return Err(ENOBUFS);
    }
    match blob.net() {
        // A listener with a network context is an internet socket.
        Some(net) if !addresses::takes_packet(listener, &net, syn) => Err(EADDRNOTAVAIL),
        _ => Ok(()),
    }
}

/// `socket_setsockopt`: a guest never forges IP headers (`IP_HDRINCL`, `IPV6_HDRINCL`) nor
/// intercepts traffic for foreign addresses (`IP_TRANSPARENT`, `IPV6_TRANSPARENT`), even
/// with `CAP_NET_RAW` from `VS_CCAP_RAW_ICMP` (`EPERM`).
pub(crate) fn socket_setsockopt(level: c_int, optname: c_int) -> Result {
    let forbidden = match level {
        net::SOL_IP => optname == net::IP_HDRINCL || optname == net::IP_TRANSPARENT,
        net::SOL_IPV6 => optname == net::IPV6_HDRINCL || optname == net::IPV6_TRANSPARENT,
        _ => false,
    };
    if !forbidden || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return Ok(());
    }
    refuse(EPERM)
}

/// Whether the calling task may reach the Unix socket whose sock is `other` and whose
/// socket (if any) is `socket` (`ECONNREFUSED` otherwise, as for a name nobody listens
/// on: a guest does not learn what other contexts listen on).
///
/// Only names in the abstract namespace, which all contexts share, are confined here: a
/// path name is reachable only through the file system, which confines guests on its own;
/// an unbound socket is reachable only through a descriptor.
fn unix_reach(other: &Sock, socket: Option<&Socket>) -> Result {
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST {
        return Ok(());
    }
    let owner = other.blob().xid();
    if owner == actor || policy::may_touch(actor, owner) {
        return Ok(());
    }
    if !socket.is_some_and(Socket::is_unix_abstract) {
        return Ok(());
    }
    refuse(ECONNREFUSED)
}

/// `unix_stream_connect`: connecting to an abstract Unix socket of another context.
/// `listener` is the listening sock, `socket` its socket.
pub(crate) fn unix_stream_connect(listener: &Sock, socket: Option<&Socket>) -> Result {
    unix_reach(listener, socket)
}

/// `unix_may_send`: sending a datagram to an abstract Unix socket of another context.
pub(crate) fn unix_may_send(other: &Socket) -> Result {
    match other.sk() {
        Some(sk) => unix_reach(sk, Some(other)),
        None => Ok(()),
    }
}

/// `socket_bind`: see [`addresses::bind`].
pub(crate) fn socket_bind(sock: &Socket, address: SockAddrArg<'_>) -> Result {
    addresses::bind(sock, address)
}

/// `socket_connect` and `socket_sendmsg` with a destination (may sleep): see
/// [`addresses::redirect`].
pub(crate) fn socket_connect(sock: &Socket, dest: SockAddrArg<'_>) -> Result {
    addresses::redirect(sock, dest)
}

/// `socket_sock_rcv_skb`: a guest socket bound to the wildcard takes no datagram for an
/// address outside the guest's set (it is dropped).
pub(crate) fn socket_sock_rcv_skb(sk: &Sock, packet: &Packet) -> Result {
    let family = sk.family();
    if family != AF_INET && family != AF_INET6 {
        return Ok(());
    }
    let blob = sk.blob();
    let Some(net) = blob.net() else {
        return Ok(());
    };
    if addresses::takes_packet(sk, &net, packet) {
        Ok(())
    } else {
        Err(EADDRNOTAVAIL)
    }
}

/// `addr_visible` (shim call sites: address dumps, `SIOCGIFCONF`, `/proc/net/if_inet6`):
/// a task with a network context sees only its own addresses (`addr`: `None` for other
/// families, which no network context owns).
pub(crate) fn addr_visible(addr: Option<IpAddr>) -> bool {
    if TaskBlob::current().nid() == 0 {
        return true;
    }
    TaskBlob::with_current_net(|net| match addr {
        Some(IpAddr::V4(a)) => net.with_addrs(|set| set.v4.owns(&a)),
        Some(IpAddr::V6(a)) => net.with_addrs(|set| set.v6.owns(&a)),
        None => false,
    })
    .unwrap_or(true)
}
