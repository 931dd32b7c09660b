// SPDX-License-Identifier: GPL-2.0

//! The socket hooks of network contexts: binds confined to the guest's addresses (a
//! wildcard or loopback bind becomes the guest's own address), loopback connections
//! remapped, unbound sockets given a source address of the guest, packets for other
//! addresses kept from the guest's wildcard sockets, and interface addresses hidden.
//!
//! A socket belongs to the network context of the task that created it
//! ([`crate::blob::sock::SockBlob`]); sockets of tasks without one pass untouched. The
//! socket address these hooks see is the kernel's own copy of the caller's, which the
//! system call uses after the hook: that is what lets a bind or connect be redirected.

use crate::blob::addr::{IpAddr, Packet, SockAddr, SockAddrArg};
use crate::blob::sock::{Sock, Socket};
use crate::net::addr::{AddrSet, Bind, AF_INET, AF_INET6};
use crate::net::NetContext;
use kernel::prelude::*;

/// The sock behind `sock`, with its address family, if it is an internet socket of a task
/// with a network context.
pub(crate) fn guest_inet_socket(sock: &Socket) -> Option<(&Sock, u16)> {
    let sk = sock.sk()?;
    let family = sk.family();
    if family != AF_INET && family != AF_INET6 {
        return None;
    }
    sk.blob().net()?;
    Some((sk, family))
}

/// Confines a bind of `sock` to `address` to the guest's addresses (`EADDRNOTAVAIL`); the
/// wildcard becomes the guest's single address of that family, and a loopback address
/// becomes the guest's loopback address.
pub(crate) fn bind(sock: &Socket, address: SockAddrArg<'_>) -> Result {
    let Some((sk, family)) = guest_inet_socket(sock) else {
        return Ok(());
    };
    let blob = sk.blob();
    let Some(net) = blob.net() else {
        return Ok(());
    };
    match address.parse() {
        // An IPv4 address on an IPv6 socket (or the reverse) is the protocol's to refuse.
        Some(SockAddr::V4(mut a)) if family == AF_INET => net.with_addrs(|set| {
            if let Bind::Rewrite(to) = set.bind4(&a.addr())? {
                a.set_addr(to);
            }
            Ok(())
        }),
        Some(SockAddr::V6(mut a)) if family == AF_INET6 => net.with_addrs(|set| {
            if let Bind::Rewrite(to) = set.bind6(&a.addr())? {
                a.set_addr(to);
            }
            Ok(())
        }),
        _ => Ok(()),
    }
}

/// Remaps a loopback destination to the guest's loopback address, and for a socket not
/// bound yet, binds it to the guest address that suits the destination, so the host
/// never lends it one of its own addresses. May sleep (binding locks the socket).
pub(crate) fn redirect(sock: &Socket, dest: SockAddrArg<'_>) -> Result {
    let Some((sk, family)) = guest_inet_socket(sock) else {
        return Ok(());
    };
    let blob = sk.blob();
    let Some(net) = blob.net() else {
        return Ok(());
    };
    let Some(dest) = dest.parse() else {
        return Ok(());
    };
    // The source to bind to.
    let source = net.with_addrs(|set: &AddrSet| -> Result<Option<IpAddr>> {
        match dest {
            SockAddr::V4(mut a) if family == AF_INET => {
                let mut dst = a.addr();
                if let Some(to) = set.destination4(&dst) {
                    a.set_addr(to);
                    dst = to;
                }
                let src = set.v4.source_for(&dst).ok_or(ENETUNREACH)?;
                Ok(Some(IpAddr::V4(src)))
            }
            SockAddr::V6(mut a) if family == AF_INET6 => {
                let mut dst = a.addr();
                if let Some(to) = set.destination6(&dst) {
                    a.set_addr(to);
                    dst = to;
                }
                let src = set.source6(&dst).ok_or(ENETUNREACH)?;
                Ok(Some(IpAddr::V6(src)))
            }
            _ => Ok(None),
        }
    });
    let Some(source) = source? else {
        return Ok(());
    };
    if sk.is_bound(sock.kind()) {
        return Ok(());
    }
    match sock.bind_local(source) {
        // A concurrent bind or connect won the race: the socket has an address then.
        Err(e) if e == EINVAL => Ok(()),
        verdict => verdict,
    }
}

/// Whether `packet` is for an address the network context `net` owns.
pub(crate) fn packet_for_guest(net: &NetContext, packet: &Packet) -> bool {
    match packet.destination() {
        Some(IpAddr::V4(daddr)) => net.with_addrs(|set| set.accepts4(&daddr)),
        Some(IpAddr::V6(daddr)) => net.with_addrs(|set| set.accepts6(&daddr)),
        None => true,
    }
}

/// Whether a guest socket `sk` with network context `net` takes `packet`: one bound to the
/// wildcard takes no packet for an address outside the guest's set.
pub(crate) fn takes_packet(sk: &Sock, net: &NetContext, packet: &Packet) -> bool {
    !sk.bound_to_wildcard() || packet_for_guest(net, packet)
}
