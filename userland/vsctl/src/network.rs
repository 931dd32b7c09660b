//! Network contexts on the device, with readable errors: creating one with its addresses,
//! entering it, changing its addresses, describing and listing them. Shared by `chbind`,
//! `naddress`, `vsctl stat`, `vsctl remove` and `vserver`.

use crate::error::{strerror, CliError};
use crate::netaddr::{family_name, NetAddr};
use std::io;
use vserver_uapi::{Device, NET_MAX_ADDRS};

/// A network context, as the module describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub nid: u32,
    pub tasks: u32,
    /// `VS_NF_*` flags.
    pub flags: u64,
    /// Its addresses, primary ones first, loopback entries last.
    pub addrs: Vec<NetAddr>,
}

/// An error from a network context ioctl on `nid`, explained: `what: why`.
pub fn kernel(what: &str, nid: u32, err: &io::Error) -> CliError {
    let why = match err.raw_os_error() {
        Some(libc::EPERM) => "permission denied (need root in the host context: enter a \
                              network context before a security context)"
            .to_string(),
        Some(libc::ESRCH) => format!("no such network context {nid}"),
        Some(libc::EEXIST) => format!("network context {nid} already exists"),
        _ => strerror(err),
    };
    CliError::Failed(format!("{what}: {why}"))
}

/// An error from adding (`adding`) or removing the address `a` of network context `nid`.
pub fn addr_error(adding: bool, a: &NetAddr, nid: u32, err: &io::Error) -> CliError {
    let family = family_name(&a.ip);
    let what = if adding {
        format!("add {a} to network context {nid}")
    } else {
        format!("remove {a} from network context {nid}")
    };
    let why = match err.raw_os_error() {
        Some(libc::EEXIST) if a.loopback => format!("it has an {family} loopback address already"),
        Some(libc::EEXIST) => format!("{} is one of its addresses already", a.ip),
        Some(libc::ENOSPC) => {
            format!("it has {NET_MAX_ADDRS} {family} addresses already (the most)")
        }
        Some(libc::EADDRNOTAVAIL) if a.loopback => format!("{} is not its loopback address", a.ip),
        Some(libc::EADDRNOTAVAIL) => format!("{} is not one of its addresses", a.ip),
        Some(libc::EINVAL) => "the module refused the address (a wildcard, loopback, \
                               multicast or IPv4-mapped address, or a bad prefix)"
            .to_string(),
        Some(libc::EAFNOSUPPORT) => format!("the module does not take {family} addresses"),
        _ => return kernel(&what, nid, err),
    };
    CliError::Failed(format!("{what}: {why}"))
}

/// Adds `addrs` to network context `nid`, in order. On failure the ones added are
/// removed again (best effort) and the error names the address that failed.
pub fn add_all(dev: &Device, nid: u32, addrs: &[NetAddr]) -> Result<(), CliError> {
    for (i, a) in addrs.iter().enumerate() {
        if let Err(e) = dev.net_add(&a.to_uapi(nid)) {
            for done in addrs[..i].iter().rev() {
                let _ = dev.net_remove_addr(&done.to_uapi(nid));
            }
            return Err(addr_error(true, a, nid, &e));
        }
    }
    Ok(())
}

/// Removes `addrs` from network context `nid`, in order; stops at the first failure.
pub fn remove_all(dev: &Device, nid: u32, addrs: &[NetAddr]) -> Result<(), CliError> {
    for a in addrs {
        dev.net_remove_addr(&a.to_uapi(nid))
            .map_err(|e| addr_error(false, a, nid, &e))?;
    }
    Ok(())
}

/// Adds `addrs` to the network context `nid` just created; on failure it is removed, so
/// nothing is left behind.
pub fn populate(dev: &Device, nid: u32, addrs: &[NetAddr]) -> Result<(), CliError> {
    add_all(dev, nid, addrs).inspect_err(|_| discard(dev, nid))
}

/// Removes network context `nid` if it has no tasks. Best effort: it may be gone already.
pub fn discard(dev: &Device, nid: u32) {
    let _ = dev.net_remove(nid);
}

/// Moves this (single-threaded) process into network context `nid`, for good.
pub fn enter(dev: &Device, nid: u32) -> Result<(), CliError> {
    dev.net_migrate(nid).map_err(|e| {
        let what = format!("enter network context {nid}");
        if e.raw_os_error() == Some(libc::EBUSY) {
            CliError::Failed(format!("{what}: the process has several threads"))
        } else {
            kernel(&what, nid, &e)
        }
    })
}

/// The network context `nid` (the caller's own may be asked for by a guest); `None` if
/// there is no such network context.
pub fn info_if_exists(dev: &Device, nid: u32) -> Result<Option<Network>, CliError> {
    match dev.net_get_info(nid) {
        Ok((info, addrs)) => Ok(Some(Network {
            nid: info.nid,
            tasks: info.tasks,
            flags: info.flags,
            addrs: addrs.iter().filter_map(NetAddr::from_uapi).collect(),
        })),
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(None),
        Err(e) => Err(kernel(
            &format!("get info of network context {nid}"),
            nid,
            &e,
        )),
    }
}

/// The network context `nid`; an error naming it if there is none.
pub fn info(dev: &Device, nid: u32) -> Result<Network, CliError> {
    info_if_exists(dev, nid)?.ok_or_else(|| {
        CliError::Failed(format!(
            "get info of network context {nid}: no such network context {nid}"
        ))
    })
}

/// The network context of task `pid` (0: the caller); `None` if it has none or the task
/// is gone.
pub fn nid_of(dev: &Device, pid: i32) -> Result<Option<u32>, CliError> {
    match dev.nid_of(pid) {
        Ok(0) => Ok(None),
        Ok(nid) => Ok(Some(nid)),
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(None),
        Err(e) => Err(CliError::ioctl(
            &format!("get the network context of pid {pid}"),
            &e,
        )),
    }
}

/// Every network context the caller may see, by id: all of them from the host, its own
/// (if any) from a guest.
pub fn list(dev: &Device) -> Result<Vec<Network>, CliError> {
    let nids = match dev.net_list() {
        Ok(nids) => nids,
        // A guest may not list them; it may ask about its own.
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => match dev.nid_of(0) {
            Ok(0) => Vec::new(),
            Ok(nid) => vec![nid],
            Err(e) => return Err(CliError::ioctl("get the caller's network context", &e)),
        },
        Err(e) => return Err(kernel("list network contexts", 0, &e)),
    };
    let mut nets = Vec::new();
    for nid in nids {
        // One that ended since the list is skipped.
        if let Some(net) = info_if_exists(dev, nid)? {
            nets.push(net);
        }
    }
    nets.sort_by_key(|n| n.nid);
    Ok(nets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netaddr::{parse_addr, parse_lback};

    fn os(errno: i32) -> io::Error {
        io::Error::from_raw_os_error(errno)
    }

    #[test]
    fn kernel_errors_are_explained() {
        let e = |errno| kernel("enter network context 7", 7, &os(errno)).to_string();
        assert_eq!(
            e(libc::EPERM),
            "enter network context 7: permission denied (need root in the host context: \
             enter a network context before a security context)"
        );
        assert_eq!(
            e(libc::ESRCH),
            "enter network context 7: no such network context 7"
        );
        assert_eq!(
            e(libc::EEXIST),
            "enter network context 7: network context 7 already exists"
        );
        assert_eq!(e(libc::EIO), "enter network context 7: Input/output error");
        assert_eq!(kernel("x", 7, &os(libc::EIO)).exit_code(), 1);
    }

    #[test]
    fn address_errors_name_the_address_and_the_reason() {
        let a = parse_addr("10.1.0.1/24").unwrap();
        let l = parse_lback("127.0.0.2").unwrap();
        let add = |a: &NetAddr, errno| addr_error(true, a, 5, &os(errno)).to_string();
        let remove = |a: &NetAddr, errno| addr_error(false, a, 5, &os(errno)).to_string();
        assert_eq!(
            add(&a, libc::EEXIST),
            "add 10.1.0.1/24 to network context 5: 10.1.0.1 is one of its addresses already"
        );
        assert_eq!(
            add(&l, libc::EEXIST),
            "add 127.0.0.2 to network context 5: it has an IPv4 loopback address already"
        );
        assert_eq!(
            add(&a, libc::ENOSPC),
            "add 10.1.0.1/24 to network context 5: it has 16 IPv4 addresses already (the most)"
        );
        assert!(add(&a, libc::EINVAL).contains("the module refused the address"));
        assert!(add(&a, libc::EAFNOSUPPORT).ends_with("does not take IPv4 addresses"));
        assert_eq!(
            add(&a, libc::ESRCH),
            "add 10.1.0.1/24 to network context 5: no such network context 5"
        );
        assert!(add(&a, libc::EPERM).contains("permission denied"));
        assert_eq!(
            remove(&a, libc::EADDRNOTAVAIL),
            "remove 10.1.0.1/24 from network context 5: 10.1.0.1 is not one of its addresses"
        );
        assert_eq!(
            remove(&l, libc::EADDRNOTAVAIL),
            "remove 127.0.0.2 from network context 5: 127.0.0.2 is not its loopback address"
        );
    }
}
