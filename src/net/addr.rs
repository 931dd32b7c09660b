// SPDX-License-Identifier: GPL-2.0

//! The address set of a network context, and the decisions made from it: which bind is
//! allowed (and to what a wildcard or loopback bind becomes), which source address an
//! outgoing connection gets, which incoming packet a wildcard socket may take.
//!
//! Pure logic on byte arrays in network order, so it is tested by KUnit.

use crate::uapi;
use kernel::prelude::*;

/// The most addresses of one family.
pub(crate) const MAX: usize = uapi::VS_NET_MAX_ADDRS as usize;

/// An IPv4 address in network byte order.
pub(crate) type V4 = [u8; 4];
/// An IPv6 address in network byte order.
pub(crate) type V6 = [u8; 16];

/// One address of a family with `N` bytes, and its prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry<const N: usize> {
    pub(crate) addr: [u8; N],
    pub(crate) prefix: u8,
}

/// The addresses of one family, primary first.
#[derive(Clone, Copy)]
pub(crate) struct Family<const N: usize> {
    entries: [Entry<N>; MAX],
    len: usize,
    loopback: Option<[u8; N]>,
}

/// Whether the first `prefix` bits of `a` and `b` agree.
fn same_prefix<const N: usize>(a: &[u8; N], b: &[u8; N], prefix: u8) -> bool {
    let bits = usize::from(prefix).min(N * 8);
    let (bytes, rest) = (bits / 8, bits % 8);
    if a[..bytes] != b[..bytes] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    a[bytes] & mask == b[bytes] & mask
}

impl<const N: usize> Family<N> {
    const fn new() -> Self {
        Self {
            entries: [Entry {
                addr: [0; N],
                prefix: 0,
            }; MAX],
            len: 0,
            loopback: None,
        }
    }

    /// The addresses, primary first.
    pub(crate) fn entries(&self) -> &[Entry<N>] {
        &self.entries[..self.len]
    }

    /// The primary address.
    pub(crate) fn primary(&self) -> Option<[u8; N]> {
        self.entries().first().map(|e| e.addr)
    }

    /// The guest's loopback address: the explicit one, else the primary one.
    pub(crate) fn loopback(&self) -> Option<[u8; N]> {
        self.loopback.or_else(|| self.primary())
    }

    /// The explicit loopback address, if one was set.
    pub(crate) fn explicit_loopback(&self) -> Option<[u8; N]> {
        self.loopback
    }

    /// Whether `addr` is one of the addresses.
    pub(crate) fn contains(&self, addr: &[u8; N]) -> bool {
        self.entries().iter().any(|e| e.addr == *addr)
    }

    /// Whether the guest owns `addr`: one of its addresses or its loopback address.
    pub(crate) fn owns(&self, addr: &[u8; N]) -> bool {
        self.contains(addr) || self.loopback.as_ref() == Some(addr)
    }

    /// The source address for a connection to `dst`: the address whose prefix covers
    /// `dst` most closely, else the primary one.
    pub(crate) fn source_for(&self, dst: &[u8; N]) -> Option<[u8; N]> {
        self.entries()
            .iter()
            .filter(|e| e.prefix > 0 && same_prefix(&e.addr, dst, e.prefix))
            .max_by_key(|e| e.prefix)
            .map(|e| e.addr)
            .or_else(|| self.primary())
    }

    fn add(&mut self, addr: [u8; N], prefix: u8, loopback: bool) -> Result {
        if loopback {
            if self.loopback.is_some() {
                return Err(EEXIST);
            }
            self.loopback = Some(addr);
            return Ok(());
        }
        if self.contains(&addr) {
            return Err(EEXIST);
        }
        let slot = self.entries.get_mut(self.len).ok_or(ENOSPC)?;
        *slot = Entry { addr, prefix };
        self.len += 1;
        Ok(())
    }

    fn remove(&mut self, addr: &[u8; N], loopback: bool) -> Result {
        if loopback {
            if self.loopback.as_ref() != Some(addr) {
                return Err(EADDRNOTAVAIL);
            }
            self.loopback = None;
            return Ok(());
        }
        let index = self
            .entries()
            .iter()
            .position(|e| e.addr == *addr)
            .ok_or(EADDRNOTAVAIL)?;
        self.entries.copy_within(index + 1..self.len, index);
        self.len -= 1;
        Ok(())
    }
}

/// Both families of a network context.
#[derive(Clone, Copy)]
pub(crate) struct AddrSet {
    pub(crate) v4: Family<4>,
    pub(crate) v6: Family<16>,
}

/// The IPv4-mapped IPv6 form of `a` (`::ffff:a.b.c.d`).
pub(crate) fn mapped(a: &V4) -> V6 {
    let mut m = [0u8; 16];
    m[10] = 0xff;
    m[11] = 0xff;
    m[12..].copy_from_slice(a);
    m
}

/// The IPv4 address inside an IPv4-mapped IPv6 address.
pub(crate) fn unmapped(a: &V6) -> Option<V4> {
    if a[..10].iter().all(|b| *b == 0) && a[10] == 0xff && a[11] == 0xff {
        Some([a[12], a[13], a[14], a[15]])
    } else {
        None
    }
}

/// `0.0.0.0`.
pub(crate) fn is_any4(a: &V4) -> bool {
    *a == [0; 4]
}

/// `127.0.0.0/8`.
pub(crate) fn is_loopback4(a: &V4) -> bool {
    a[0] == 127
}

/// `::`.
pub(crate) fn is_any6(a: &V6) -> bool {
    *a == [0; 16]
}

/// `::1`.
pub(crate) fn is_loopback6(a: &V6) -> bool {
    a[..15].iter().all(|b| *b == 0) && a[15] == 1
}

/// What a bind of a guest socket comes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bind<const N: usize> {
    /// Bind as asked.
    Keep,
    /// Bind to this address instead.
    Rewrite([u8; N]),
}

impl AddrSet {
    pub(crate) const fn new() -> Self {
        Self {
            v4: Family::new(),
            v6: Family::new(),
        }
    }

    /// Checks and adds an address (`VS_IOC_NET_ADD`).
    pub(crate) fn add(
        &mut self,
        family: u16,
        addr: &[u8; 16],
        prefix: u8,
        loopback: bool,
    ) -> Result {
        match family {
            AF_INET => {
                let a = [addr[0], addr[1], addr[2], addr[3]];
                if prefix > 32 || addr[4..].iter().any(|b| *b != 0) {
                    return Err(EINVAL);
                }
                // The guest's own loopback may be in 127/8; its members may not.
                let bad = is_any4(&a) || a[0] >= 224 || (!loopback && is_loopback4(&a));
                if bad {
                    return Err(EINVAL);
                }
                self.v4.add(a, prefix, loopback)
            }
            AF_INET6 => {
                let bad = is_any6(addr)
                    || addr[0] == 0xff
                    || unmapped(addr).is_some()
                    || (!loopback && is_loopback6(addr));
                if prefix > 128 || bad {
                    return Err(EINVAL);
                }
                self.v6.add(*addr, prefix, loopback)
            }
            _ => Err(EAFNOSUPPORT),
        }
    }

    /// Removes an address (`VS_IOC_NET_REMOVE_ADDR`).
    pub(crate) fn remove(&mut self, family: u16, addr: &[u8; 16], loopback: bool) -> Result {
        match family {
            AF_INET => self
                .v4
                .remove(&[addr[0], addr[1], addr[2], addr[3]], loopback),
            AF_INET6 => self.v6.remove(addr, loopback),
            _ => Err(EAFNOSUPPORT),
        }
    }

    /// The bind of an `AF_INET` socket to `a`.
    pub(crate) fn bind4(&self, a: &V4) -> Result<Bind<4>> {
        if is_any4(a) {
            return match self.v4.entries() {
                [] => Err(EADDRNOTAVAIL),
                [only] => Ok(Bind::Rewrite(only.addr)),
                // Several: stays a wildcard, filtered on receipt.
                _ => Ok(Bind::Keep),
            };
        }
        if is_loopback4(a) && !self.v4.owns(a) {
            return self.v4.loopback().map(Bind::Rewrite).ok_or(EADDRNOTAVAIL);
        }
        if self.v4.owns(a) {
            Ok(Bind::Keep)
        } else {
            Err(EADDRNOTAVAIL)
        }
    }

    /// The bind of an `AF_INET6` socket to `a`.
    pub(crate) fn bind6(&self, a: &V6) -> Result<Bind<16>> {
        if let Some(v4) = unmapped(a) {
            return Ok(match self.bind4(&v4)? {
                Bind::Keep => Bind::Keep,
                Bind::Rewrite(r) => Bind::Rewrite(mapped(&r)),
            });
        }
        if is_any6(a) {
            return match (self.v6.entries(), self.v4.entries()) {
                ([], []) => Err(EADDRNOTAVAIL),
                // No IPv6 address: the socket serves the one IPv4 address.
                ([], [only]) => Ok(Bind::Rewrite(mapped(&only.addr))),
                // One IPv6 address: the socket serves it (IPv6 only, like a bind to it).
                ([only], _) => Ok(Bind::Rewrite(only.addr)),
                _ => Ok(Bind::Keep),
            };
        }
        if is_loopback6(a) && !self.v6.owns(a) {
            return match self.v6.loopback() {
                Some(l) => Ok(Bind::Rewrite(l)),
                None => self
                    .v4
                    .loopback()
                    .map(|l| Bind::Rewrite(mapped(&l)))
                    .ok_or(EADDRNOTAVAIL),
            };
        }
        if self.v6.owns(a) {
            Ok(Bind::Keep)
        } else {
            Err(EADDRNOTAVAIL)
        }
    }

    /// Where a connection to `a` (IPv4) goes: loopback destinations become the guest's.
    pub(crate) fn destination4(&self, a: &V4) -> Option<V4> {
        if is_loopback4(a) && !self.v4.owns(a) {
            self.v4.loopback()
        } else {
            None
        }
    }

    /// Where a connection to `a` (IPv6) goes: loopback destinations become the guest's.
    pub(crate) fn destination6(&self, a: &V6) -> Option<V6> {
        if let Some(v4) = unmapped(a) {
            return self.destination4(&v4).map(|r| mapped(&r));
        }
        if is_loopback6(a) && !self.v6.owns(a) {
            self.v6
                .loopback()
                .or_else(|| self.v4.loopback().map(|l| mapped(&l)))
        } else {
            None
        }
    }

    /// The source for an unbound `AF_INET6` socket sending to `dst`.
    pub(crate) fn source6(&self, dst: &V6) -> Option<V6> {
        match unmapped(dst) {
            Some(v4) => self.v4.source_for(&v4).map(|s| mapped(&s)),
            None => self.v6.source_for(dst),
        }
    }

    /// Whether a packet for local address `dst` (IPv4) may reach a guest socket.
    pub(crate) fn accepts4(&self, dst: &V4) -> bool {
        self.v4.owns(dst)
    }

    /// Whether a packet for local address `dst` (IPv6) may reach a guest socket.
    pub(crate) fn accepts6(&self, dst: &V6) -> bool {
        match unmapped(dst) {
            Some(v4) => self.v4.owns(&v4),
            None => self.v6.owns(dst),
        }
    }

    /// How many entries `VS_IOC_NET_GET_INFO` reports.
    pub(crate) fn count(&self) -> usize {
        self.v4.len
            + self.v6.len
            + usize::from(self.v4.loopback.is_some())
            + usize::from(self.v6.loopback.is_some())
    }
}

/// `AF_INET` (`include/linux/socket.h`), as a `sa_family_t`.
pub(crate) const AF_INET: u16 = kernel::bindings::AF_INET as u16;
/// `AF_INET6`, as a `sa_family_t`.
pub(crate) const AF_INET6: u16 = kernel::bindings::AF_INET6 as u16;

#[cfg(CONFIG_KUNIT)]
#[kernel::macros::kunit_tests(vserver_netaddr)]
mod tests {
    use super::*;

    fn v4(a: [u8; 4]) -> [u8; 16] {
        let mut x = [0u8; 16];
        x[..4].copy_from_slice(&a);
        x
    }

    fn set(addrs: &[[u8; 4]]) -> AddrSet {
        let mut s = AddrSet::new();
        for a in addrs {
            assert!(s.add(AF_INET, &v4(*a), 24, false).is_ok());
        }
        s
    }

    #[test]
    fn wildcard_bind_with_one_address_becomes_it() {
        let s = set(&[[10, 1, 0, 1]]);
        assert_eq!(s.bind4(&[0; 4]), Ok(Bind::Rewrite([10, 1, 0, 1])));
        assert_eq!(s.bind4(&[127, 0, 0, 1]), Ok(Bind::Rewrite([10, 1, 0, 1])));
        assert_eq!(s.bind4(&[10, 1, 0, 1]), Ok(Bind::Keep));
        assert_eq!(s.bind4(&[10, 1, 0, 2]), Err(EADDRNOTAVAIL));
        assert_eq!(s.bind6(&[0; 16]), Ok(Bind::Rewrite(mapped(&[10, 1, 0, 1]))));
        assert_eq!(s.bind6(&mapped(&[10, 9, 9, 9])), Err(EADDRNOTAVAIL));
    }

    #[test]
    fn wildcard_bind_with_several_stays_and_filters() {
        let s = set(&[[10, 1, 0, 1], [10, 2, 0, 1]]);
        assert_eq!(s.bind4(&[0; 4]), Ok(Bind::Keep));
        assert!(s.accepts4(&[10, 2, 0, 1]));
        assert!(!s.accepts4(&[10, 3, 0, 1]));
        assert!(!s.accepts6(&mapped(&[192, 168, 0, 1])));
    }

    #[test]
    fn source_follows_the_longest_prefix() {
        let s = set(&[[10, 1, 0, 1], [10, 2, 0, 1]]);
        assert_eq!(s.v4.source_for(&[10, 2, 0, 77]), Some([10, 2, 0, 1]));
        assert_eq!(s.v4.source_for(&[8, 8, 8, 8]), Some([10, 1, 0, 1]));
        assert_eq!(s.destination4(&[127, 0, 0, 1]), Some([10, 1, 0, 1]));
        assert_eq!(s.destination4(&[10, 2, 0, 9]), None);
    }

    #[test]
    fn explicit_loopback() {
        let mut s = set(&[[10, 1, 0, 1]]);
        assert!(s.add(AF_INET, &v4([127, 0, 0, 2]), 8, true).is_ok());
        assert_eq!(s.bind4(&[127, 0, 0, 1]), Ok(Bind::Rewrite([127, 0, 0, 2])));
        assert_eq!(s.bind4(&[127, 0, 0, 2]), Ok(Bind::Keep));
        assert_eq!(s.add(AF_INET, &v4([127, 0, 0, 3]), 8, true), Err(EEXIST));
        assert_eq!(s.count(), 2);
    }

    #[test]
    fn bad_addresses() {
        let mut s = AddrSet::new();
        assert_eq!(s.add(3, &[0; 16], 0, false), Err(EAFNOSUPPORT));
        assert_eq!(s.add(AF_INET, &v4([10, 0, 0, 1]), 33, false), Err(EINVAL));
        assert_eq!(s.add(AF_INET, &v4([0, 0, 0, 0]), 8, false), Err(EINVAL));
        assert_eq!(s.add(AF_INET, &v4([127, 0, 0, 1]), 8, false), Err(EINVAL));
        assert_eq!(s.add(AF_INET, &v4([224, 0, 0, 1]), 8, false), Err(EINVAL));
        let mut ll = [0u8; 16];
        ll[15] = 1;
        assert_eq!(s.add(AF_INET6, &ll, 128, false), Err(EINVAL));
        assert_eq!(s.add(AF_INET6, &[0xfd; 16], 129, false), Err(EINVAL));
        for i in 0..MAX {
            assert!(s
                .add(AF_INET, &v4([10, 0, 0, i as u8 + 1]), 8, false)
                .is_ok());
        }
        assert_eq!(s.add(AF_INET, &v4([10, 0, 1, 1]), 8, false), Err(ENOSPC));
        assert_eq!(s.add(AF_INET, &v4([10, 0, 0, 1]), 8, false), Err(EEXIST));
        assert_eq!(
            s.remove(AF_INET, &v4([10, 9, 9, 9]), false),
            Err(EADDRNOTAVAIL)
        );
        assert!(s.remove(AF_INET, &v4([10, 0, 0, 1]), false).is_ok());
        assert_eq!(s.v4.primary(), Some([10, 0, 0, 2]));
    }

    #[test]
    fn ipv6_rules() {
        let mut s = AddrSet::new();
        let a = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        assert!(s.add(AF_INET6, &a, 64, false).is_ok());
        assert_eq!(s.bind6(&[0; 16]), Ok(Bind::Rewrite(a)));
        let mut lo = [0u8; 16];
        lo[15] = 1;
        assert_eq!(s.bind6(&lo), Ok(Bind::Rewrite(a)));
        assert_eq!(s.bind4(&[0; 4]), Err(EADDRNOTAVAIL));
        assert_eq!(s.source6(&[0xfd; 16]), Some(a));
        assert!(s.accepts6(&a) && !s.accepts6(&lo));
    }
}
