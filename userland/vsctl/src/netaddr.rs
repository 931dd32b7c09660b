//! The addresses of network contexts: `ADDR[/PREFIX]` and loopback addresses parsed with
//! `std::net` and checked as the module checks them, the list `chbind`, `naddress` and a
//! guest's `addresses` file collect, and the kernel's `struct vs_net_addr` both ways.

use crate::cli::parse_number;
use crate::error::CliError;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use vserver_uapi::{vs_net_addr, NA_LOOPBACK, NET_AF_INET, NET_AF_INET6, NET_MAX_ADDRS};

/// One address of a network context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetAddr {
    pub ip: IpAddr,
    /// The prefix length: which destinations this address is the source for.
    pub prefix: u8,
    /// The guest's loopback address (`VS_NA_LOOPBACK`): 127.0.0.1 and ::1 become it.
    pub loopback: bool,
}

/// The longest prefix of the family of `ip`, the default when none is given.
pub fn max_prefix(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// The name of the family of `ip`, for messages.
pub fn family_name(ip: &IpAddr) -> &'static str {
    match ip {
        IpAddr::V4(_) => "IPv4",
        IpAddr::V6(_) => "IPv6",
    }
}

/// Parses an IPv4 or IPv6 address (no prefix); `text` is the whole value, for messages.
fn parse_ip(text: &str, ip: &str) -> Result<IpAddr, CliError> {
    ip.parse().map_err(|_| {
        CliError::usage(format!(
            "address '{}' is not an IPv4 or IPv6 address",
            text.escape_debug()
        ))
    })
}

/// Why `ip` cannot be one of a guest's addresses (`loopback`: its loopback address,
/// which may be in 127.0.0.0/8 or `::1`); `None` if it can.
fn refusal(ip: &IpAddr, loopback: bool) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) if a.is_unspecified() => Some("a wildcard"),
        IpAddr::V4(a) if a.octets()[0] >= 224 => Some("multicast, reserved or broadcast"),
        IpAddr::V4(a) if a.is_loopback() && !loopback => {
            Some("a loopback address (give the guest's loopback address as lback)")
        }
        IpAddr::V6(a) if a.is_unspecified() => Some("a wildcard"),
        IpAddr::V6(a) if a.is_multicast() => Some("multicast"),
        IpAddr::V6(a) if a.to_ipv4_mapped().is_some() => {
            Some("an IPv4-mapped IPv6 address (give the IPv4 address)")
        }
        IpAddr::V6(a) if a.is_loopback() && !loopback => {
            Some("a loopback address (give the guest's loopback address as lback)")
        }
        _ => None,
    }
}

/// Checks that `ip` (written `text`) may be a guest's address.
fn check(text: &str, ip: IpAddr, loopback: bool) -> Result<IpAddr, CliError> {
    match refusal(&ip, loopback) {
        Some(why) => Err(CliError::usage(format!(
            "address '{}' is {why}",
            text.escape_debug()
        ))),
        None => Ok(ip),
    }
}

/// Parses `ADDR[/PREFIX]`, one of a guest's addresses: IPv4 (prefix 0 to 32, default 32)
/// or IPv6 (0 to 128, default 128); not a wildcard, loopback, multicast or IPv4-mapped
/// address.
pub fn parse_addr(text: &str) -> Result<NetAddr, CliError> {
    let (ip_text, prefix_text) = match text.split_once('/') {
        Some((ip, prefix)) => (ip, Some(prefix)),
        None => (text, None),
    };
    let ip = check(text, parse_ip(text, ip_text)?, false)?;
    let max = max_prefix(&ip);
    let prefix = match prefix_text {
        None => max,
        Some(p) => {
            let n = parse_number("prefix", p).map_err(|_| {
                CliError::usage(format!(
                    "address '{}': prefix '{}' is not a number",
                    text.escape_debug(),
                    p.escape_debug()
                ))
            })?;
            if n > u64::from(max) {
                return Err(CliError::usage(format!(
                    "address '{text}': prefix {n} is out of range (0 to {max} for {})",
                    family_name(&ip)
                )));
            }
            n as u8
        }
    };
    Ok(NetAddr {
        ip,
        prefix,
        loopback: false,
    })
}

/// Parses a guest's loopback address (`--lback`, `lback ADDR`): an address without a
/// prefix, which may be in 127.0.0.0/8 or `::1`.
pub fn parse_lback(text: &str) -> Result<NetAddr, CliError> {
    if text.contains('/') {
        return Err(CliError::usage(format!(
            "loopback address '{}' takes no /PREFIX",
            text.escape_debug()
        )));
    }
    let ip = check(text, parse_ip(text, text)?, true)?;
    Ok(NetAddr {
        ip,
        prefix: max_prefix(&ip),
        loopback: true,
    })
}

impl NetAddr {
    /// The `struct vs_net_addr` for network context `nid`.
    pub fn to_uapi(self, nid: u32) -> vs_net_addr {
        let mut a = vs_net_addr {
            nid,
            prefix: self.prefix.into(),
            flags: if self.loopback { NA_LOOPBACK } else { 0 },
            ..Default::default()
        };
        match self.ip {
            IpAddr::V4(ip) => {
                a.family = NET_AF_INET;
                a.addr[..4].copy_from_slice(&ip.octets());
            }
            IpAddr::V6(ip) => {
                a.family = NET_AF_INET6;
                a.addr = ip.octets();
            }
        }
        a
    }

    /// The address the kernel reports; `None` for a family the tool does not know or a
    /// prefix longer than its family has.
    pub fn from_uapi(a: &vs_net_addr) -> Option<Self> {
        let ip = match a.family {
            NET_AF_INET => IpAddr::V4(Ipv4Addr::new(a.addr[0], a.addr[1], a.addr[2], a.addr[3])),
            NET_AF_INET6 => IpAddr::V6(Ipv6Addr::from(a.addr)),
            _ => return None,
        };
        let prefix = u8::try_from(a.prefix)
            .ok()
            .filter(|p| *p <= max_prefix(&ip))?;
        Some(Self {
            ip,
            prefix,
            loopback: a.flags & NA_LOOPBACK != 0,
        })
    }
}

impl fmt::Display for NetAddr {
    /// `ADDR/PREFIX`; a loopback address without a prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loopback {
            write!(f, "{}", self.ip)
        } else {
            write!(f, "{}/{}", self.ip, self.prefix)
        }
    }
}

/// The addresses given for one network context, in order: no address twice, at most
/// [`NET_MAX_ADDRS`] of a family, at most one loopback address of a family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddrList {
    addrs: Vec<NetAddr>,
}

impl AddrList {
    /// Adds `a`; a usage error if the list cannot hold it.
    pub fn push(&mut self, a: NetAddr) -> Result<(), CliError> {
        let same_family = |b: &&NetAddr| b.ip.is_ipv4() == a.ip.is_ipv4();
        if a.loopback {
            if let Some(b) = self.addrs.iter().filter(same_family).find(|b| b.loopback) {
                return Err(CliError::usage(format!(
                    "two {} loopback addresses ({} and {}): a guest has one",
                    family_name(&a.ip),
                    b.ip,
                    a.ip
                )));
            }
        } else {
            if self.addrs.iter().any(|b| !b.loopback && b.ip == a.ip) {
                return Err(CliError::usage(format!("address {} is given twice", a.ip)));
            }
            let count = self
                .addrs
                .iter()
                .filter(same_family)
                .filter(|b| !b.loopback)
                .count();
            if count >= NET_MAX_ADDRS {
                return Err(CliError::usage(format!(
                    "more than {NET_MAX_ADDRS} {} addresses (from {})",
                    family_name(&a.ip),
                    a.ip
                )));
            }
        }
        self.addrs.push(a);
        Ok(())
    }

    /// The addresses in the order given.
    pub fn addrs(&self) -> &[NetAddr] {
        &self.addrs
    }

    pub fn is_empty(&self) -> bool {
        self.addrs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(result: Result<NetAddr, CliError>) -> String {
        let e = result.unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn ipv4_addresses_parse_with_a_default_prefix_of_32() {
        let a = parse_addr("10.1.0.1").unwrap();
        assert_eq!(a.ip, IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1)));
        assert_eq!((a.prefix, a.loopback), (32, false));
        assert_eq!(parse_addr("10.1.0.1/24").unwrap().prefix, 24);
        assert_eq!(parse_addr("10.1.0.1/0").unwrap().prefix, 0);
        assert_eq!(parse_addr("10.1.0.1/32").unwrap().prefix, 32);
        assert_eq!(parse_addr("10.1.0.1/08").unwrap().prefix, 8);
        assert_eq!(parse_addr("192.168.1.255/24").unwrap().prefix, 24);
    }

    #[test]
    fn ipv6_addresses_parse_with_a_default_prefix_of_128() {
        let a = parse_addr("fd00::1").unwrap();
        assert_eq!(a.ip, "fd00::1".parse::<IpAddr>().unwrap());
        assert_eq!(a.prefix, 128);
        assert_eq!(parse_addr("2001:db8::5/64").unwrap().prefix, 64);
        assert_eq!(parse_addr("FD00:0:0:0:0:0:0:1/128").unwrap().prefix, 128);
        assert_eq!(parse_addr("fe80::1/64").unwrap().prefix, 64);
    }

    #[test]
    fn garbage_is_named() {
        for bad in [
            "",
            "x",
            "10.1.0",
            "10.1.0.256",
            "10.1.0.1.5",
            "010.1.0.1",
            " 10.1.0.1",
            "10.1.0.1 ",
            "10.1.0.1:80",
            "fd00::1::2",
            "fd00::1%eth0",
            "[fd00::1]",
            "/24",
            "example.com",
        ] {
            assert_eq!(
                err(parse_addr(bad)),
                format!("address '{bad}' is not an IPv4 or IPv6 address")
            );
        }
        assert_eq!(
            err(parse_addr("a\tb")),
            "address 'a\\tb' is not an IPv4 or IPv6 address"
        );
    }

    #[test]
    fn bad_prefixes_are_named() {
        assert_eq!(
            err(parse_addr("10.1.0.1/33")),
            "address '10.1.0.1/33': prefix 33 is out of range (0 to 32 for IPv4)"
        );
        assert_eq!(
            err(parse_addr("fd00::1/129")),
            "address 'fd00::1/129': prefix 129 is out of range (0 to 128 for IPv6)"
        );
        for (bad, prefix) in [
            ("10.1.0.1/", ""),
            ("10.1.0.1/-1", "-1"),
            ("10.1.0.1/+8", "+8"),
            ("10.1.0.1/x", "x"),
            ("10.1.0.1/24/8", "24/8"),
            ("10.1.0.1/ 8", " 8"),
            ("10.1.0.1/99999999999999999999", "99999999999999999999"),
        ] {
            assert_eq!(
                err(parse_addr(bad)),
                format!("address '{bad}': prefix '{prefix}' is not a number")
            );
        }
        assert!(err(parse_addr("10.1.0.1/256")).contains("prefix 256 is out of range"));
    }

    #[test]
    fn addresses_a_guest_cannot_have_are_refused() {
        for (bad, why) in [
            ("0.0.0.0", "a wildcard"),
            ("0.0.0.0/0", "a wildcard"),
            ("::", "a wildcard"),
            ("224.0.0.1", "multicast, reserved or broadcast"),
            ("240.0.0.1", "multicast, reserved or broadcast"),
            ("255.255.255.255", "multicast, reserved or broadcast"),
            ("ff02::1", "multicast"),
            (
                "::ffff:10.1.0.1",
                "an IPv4-mapped IPv6 address (give the IPv4 address)",
            ),
        ] {
            assert_eq!(err(parse_addr(bad)), format!("address '{bad}' is {why}"));
            if !bad.contains('/') {
                assert_eq!(err(parse_lback(bad)), format!("address '{bad}' is {why}"));
            }
        }
        for bad in ["127.0.0.1", "127.0.0.2/8", "::1"] {
            assert!(
                err(parse_addr(bad)).ends_with(
                    "is a loopback address (give the guest's loopback address as lback)"
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn loopback_addresses_may_be_in_127_and_take_no_prefix() {
        let l = parse_lback("127.0.0.2").unwrap();
        assert_eq!(l.ip, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
        assert_eq!((l.prefix, l.loopback), (32, true));
        let l = parse_lback("::1").unwrap();
        assert_eq!((l.prefix, l.loopback), (128, true));
        assert!(parse_lback("10.1.0.1").unwrap().loopback);
        assert!(parse_lback("fd00::7").unwrap().loopback);
        assert_eq!(
            err(parse_lback("127.0.0.2/8")),
            "loopback address '127.0.0.2/8' takes no /PREFIX"
        );
        assert_eq!(
            err(parse_lback("lo")),
            "address 'lo' is not an IPv4 or IPv6 address"
        );
        assert!(err(parse_lback("")).contains("is not an IPv4 or IPv6 address"));
    }

    #[test]
    fn the_kernel_form_round_trips() {
        let a = parse_addr("10.1.0.1/24").unwrap();
        let k = a.to_uapi(7);
        assert_eq!((k.nid, k.family, k.prefix, k.flags), (7, 2, 24, 0));
        assert_eq!(k.addr[..4], [10, 1, 0, 1]);
        assert!(k.addr[4..].iter().all(|b| *b == 0));
        assert_eq!(NetAddr::from_uapi(&k), Some(a));

        let a = parse_addr("fd00::1/64").unwrap();
        let k = a.to_uapi(9);
        assert_eq!((k.family, k.prefix), (10, 64));
        assert_eq!(k.addr[0], 0xfd);
        assert_eq!(k.addr[15], 1);
        assert_eq!(NetAddr::from_uapi(&k), Some(a));

        let l = parse_lback("127.0.0.2").unwrap();
        let k = l.to_uapi(9);
        assert_eq!(k.flags, NA_LOOPBACK);
        assert_eq!(NetAddr::from_uapi(&k), Some(l));

        let unknown = vs_net_addr {
            family: 3,
            ..Default::default()
        };
        assert_eq!(NetAddr::from_uapi(&unknown), None);
        for prefix in [33, 256, 1 << 16] {
            let long = vs_net_addr {
                prefix,
                ..parse_addr("10.1.0.1").unwrap().to_uapi(9)
            };
            assert_eq!(NetAddr::from_uapi(&long), None, "{prefix}");
        }
    }

    #[test]
    fn addresses_display_with_their_prefix_loopbacks_without() {
        assert_eq!(parse_addr("10.1.0.1").unwrap().to_string(), "10.1.0.1/32");
        assert_eq!(
            parse_addr("fd00:0::1/64").unwrap().to_string(),
            "fd00::1/64"
        );
        assert_eq!(parse_lback("127.0.0.2").unwrap().to_string(), "127.0.0.2");
    }

    #[test]
    fn lists_refuse_duplicates_and_overflow() {
        let mut l = AddrList::default();
        assert!(l.is_empty());
        l.push(parse_addr("10.1.0.1/24").unwrap()).unwrap();
        l.push(parse_addr("fd00::1").unwrap()).unwrap();
        l.push(parse_lback("127.0.0.2").unwrap()).unwrap();
        // A loopback address may also be one of the addresses.
        l.push(parse_lback("fd00::1").unwrap()).unwrap();
        assert_eq!(l.addrs().len(), 4);
        assert_eq!(l.addrs()[0].to_string(), "10.1.0.1/24");

        let e = l.push(parse_addr("10.1.0.1/8").unwrap()).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.to_string(), "address 10.1.0.1 is given twice");
        let e = l.push(parse_lback("127.0.0.3").unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "two IPv4 loopback addresses (127.0.0.2 and 127.0.0.3): a guest has one"
        );
        assert!(l
            .push(parse_lback("::1").unwrap())
            .unwrap_err()
            .to_string()
            .starts_with("two IPv6 loopback addresses"));

        let mut l = AddrList::default();
        for i in 1..=16 {
            l.push(parse_addr(&format!("10.0.0.{i}")).unwrap()).unwrap();
        }
        let e = l.push(parse_addr("10.0.0.17").unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "more than 16 IPv4 addresses (from 10.0.0.17)"
        );
        // The other family and the loopback have room of their own.
        l.push(parse_addr("fd00::1").unwrap()).unwrap();
        l.push(parse_lback("127.0.0.2").unwrap()).unwrap();
    }
}
