// SPDX-License-Identifier: GPL-2.0

//! Internet addresses as the hooks get them: socket addresses the hooks may read and
//! rewrite ([`SockAddrArg`], [`SockAddr`]), addresses of interfaces ([`IpAddr`]), and the
//! destination of a received packet ([`Packet`]).

use crate::blob::opaque;
use crate::net::addr::{self as netaddr, AF_INET, AF_INET6};
use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use kernel::bindings;
use kernel::types::Opaque;

/// `sizeof(struct sockaddr_in)`.
const SOCKADDR_IN_LEN: usize = core::mem::size_of::<bindings::sockaddr_in>();

/// `SIN6_LEN_RFC2133` (`include/net/ipv6.h`), the shortest IPv6 socket address the kernel
/// accepts: a `struct sockaddr_in6` without its scope id, as RFC 2133 defined it.
const SIN6_LEN_RFC2133: usize = core::mem::offset_of!(bindings::sockaddr_in6, sin6_scope_id);

/// An internet address.
#[derive(Clone, Copy)]
pub(crate) enum IpAddr {
    V4(netaddr::V4),
    V6(netaddr::V6),
}

impl IpAddr {
    /// The address of family `family` at `addr`, if it is an internet family.
    ///
    /// # Safety
    ///
    /// `addr` must point to a `__be32` if `family` is `AF_INET` and to a `struct in6_addr`
    /// if it is `AF_INET6`.
    pub(crate) unsafe fn from_raw(family: c_int, addr: *const c_void) -> Option<Self> {
        match u16::try_from(family) {
            // SAFETY: A `__be32` for `AF_INET` (caller's guarantee), bytes in network order.
            Ok(AF_INET) => Some(Self::V4(unsafe { *addr.cast::<netaddr::V4>() })),
            // SAFETY: A `struct in6_addr` for `AF_INET6` (caller's guarantee).
            Ok(AF_INET6) => Some(Self::V6(unsafe { *addr.cast::<netaddr::V6>() })),
            _ => None,
        }
    }
}

/// A socket address argument of a hook, the kernel's own copy of the caller's (which the
/// system call uses after the hook), parsed only when the policy asks.
///
/// # Invariants
///
/// `address` is null or points to `len` bytes in a buffer with room for the whole address
/// structure of its family, aligned for it, that only the holder of this value reads and
/// writes for `'a`.
pub(crate) struct SockAddrArg<'a> {
    address: *mut bindings::sockaddr,
    len: c_int,
    _buffer: PhantomData<&'a mut bindings::sockaddr>,
}

impl<'a> SockAddrArg<'a> {
    /// The argument `address` of `len` bytes.
    ///
    /// # Safety
    ///
    /// `address` must be null or point to `len` bytes in a buffer with room for the whole
    /// address structure of its family, aligned for it (the kernel's copies are a
    /// `struct sockaddr_storage`), that the caller may read and write for `'a` and that
    /// nobody else uses meanwhile.
    pub(crate) unsafe fn from_raw(address: *mut bindings::sockaddr, len: c_int) -> Self {
        // INVARIANT: As the caller guarantees.
        Self {
            address,
            len,
            _buffer: PhantomData,
        }
    }

    /// The internet address in the argument, if it is one and long enough.
    pub(crate) fn parse(self) -> Option<SockAddr<'a>> {
        let len = usize::try_from(self.len).ok()?;
        if self.address.is_null() || len < 2 {
            return None;
        }
        // SAFETY: At least the family is there (type invariant, checked length).
        match unsafe { (*self.address).sa_family } {
            AF_INET if len >= SOCKADDR_IN_LEN => {
                // SAFETY: A complete `sockaddr_in` is there (checked length), ours for `'a`
                // (type invariant).
                let a = unsafe { &mut *self.address.cast::<bindings::sockaddr_in>() };
                Some(SockAddr::V4(SockAddrIn(a)))
            }
            AF_INET6 if len >= SIN6_LEN_RFC2133 => {
                // The length covers the address up to its scope id; the buffer has room for
                // the rest (type invariant).
                // SAFETY: As above, for a `sockaddr_in6`.
                let a = unsafe { &mut *self.address.cast::<bindings::sockaddr_in6>() };
                Some(SockAddr::V6(SockAddrIn6(a)))
            }
            _ => None,
        }
    }
}

/// An internet socket address the hooks may read and rewrite.
pub(crate) enum SockAddr<'a> {
    V4(SockAddrIn<'a>),
    V6(SockAddrIn6<'a>),
}

/// An IPv4 socket address (`struct sockaddr_in`).
pub(crate) struct SockAddrIn<'a>(&'a mut bindings::sockaddr_in);

impl SockAddrIn<'_> {
    /// The address (without the port).
    pub(crate) fn addr(&self) -> netaddr::V4 {
        // `s_addr` is in network order in memory.
        self.0.sin_addr.s_addr.to_ne_bytes()
    }

    /// Rewrites the address (the port stays).
    pub(crate) fn set_addr(&mut self, to: netaddr::V4) {
        self.0.sin_addr.s_addr = u32::from_ne_bytes(to);
    }
}

/// An IPv6 socket address (`struct sockaddr_in6`).
pub(crate) struct SockAddrIn6<'a>(&'a mut bindings::sockaddr_in6);

impl SockAddrIn6<'_> {
    /// The address (without the port).
    pub(crate) fn addr(&self) -> netaddr::V6 {
        // SAFETY: Every view of the union is plain bytes.
        unsafe { self.0.sin6_addr.in6_u.u6_addr8 }
    }

    /// Rewrites the address (the port stays).
    pub(crate) fn set_addr(&mut self, to: netaddr::V6) {
        self.0.sin6_addr.in6_u.u6_addr8 = to;
    }
}

/// A received packet (`struct sk_buff`) whose network header is set.
///
/// # Invariants
///
/// The packet is alive while borrowed, and its network header is in its linear data.
#[repr(transparent)]
pub(crate) struct Packet(Opaque<bindings::sk_buff>);

impl Packet {
    /// The packet `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a received packet whose network header is set, alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::sk_buff) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `Packet` is a transparent wrapper of `struct sk_buff`, alive for `'a`
        // (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The destination address of the packet, if it is an IP packet.
    pub(crate) fn destination(&self) -> Option<IpAddr> {
        let skb = opaque::ptr(&self.0);
        // SAFETY: The network header of a received packet is in the linear data (type
        // invariant).
        let version = unsafe { *bindings::ip_hdr(skb).cast::<u8>() } >> 4;
        match version {
            4 => {
                // SAFETY: An IPv4 header, as its version says.
                let daddr = unsafe { (*bindings::ip_hdr(skb)).__bindgen_anon_1.addrs.daddr };
                Some(IpAddr::V4(daddr.to_ne_bytes()))
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
                Some(IpAddr::V6(daddr))
            }
            _ => None,
        }
    }
}
