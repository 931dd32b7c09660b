//! `naddress --nid N (--add|--remove) ADDR[/PREFIX]... [--lback ADDR]`: change the
//! addresses of a running network context; `naddress --nid N [--json]`: list them.
//!
//! Sockets already bound keep their address when it is removed. `--add` adds all the
//! addresses or none (those added before a refusal are removed again); `--remove` first
//! checks that every address is there. A prefix given to `--remove` is ignored.

use crate::cli::{parse_nid, Arg, Parser};
use crate::error::CliError;
use crate::netaddr::{parse_addr, parse_lback, AddrList, NetAddr};
use crate::network::{self, Network};
use crate::{device, netview};
use vserver_uapi::Device;

/// What `naddress` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// List the addresses (`--json`: as JSON).
    List {
        json: bool,
    },
    Add(AddrList),
    Remove(AddrList),
}

/// Parses the command line of `naddress`: the network context and what to do with it.
pub fn parse(args: &[String]) -> Result<(u32, Action), CliError> {
    let mut nid = None;
    let (mut add, mut remove, mut json) = (false, false, false);
    let mut addrs = AddrList::default();
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("nid") => nid = Some(parse_nid(&p.value()?)?),
            Arg::Long("add") => add = true,
            Arg::Long("remove") => remove = true,
            Arg::Long("json") => json = true,
            Arg::Long("lback") => addrs.push(parse_lback(&p.value()?)?)?,
            Arg::Word(w) => addrs.push(parse_addr(&w)?)?,
            other => return Err(other.unexpected()),
        }
    }
    let nid = nid.ok_or_else(|| CliError::usage("missing --nid N"))?;
    let action = match (add, remove) {
        (true, true) => return Err(CliError::usage("give only one of --add and --remove")),
        (true, false) => Action::Add(addrs),
        (false, true) => Action::Remove(addrs),
        (false, false) if addrs.is_empty() => return Ok((nid, Action::List { json })),
        (false, false) => {
            return Err(CliError::usage(
                "addresses need --add or --remove (without, naddress lists them)",
            ))
        }
    };
    if json {
        return Err(CliError::usage(
            "--json only goes with listing the addresses (no --add or --remove)",
        ));
    }
    if let Action::Add(a) | Action::Remove(a) = &action {
        if a.is_empty() {
            return Err(CliError::usage(
                "missing the addresses (ADDR[/PREFIX]... or --lback ADDR)",
            ));
        }
    }
    Ok((nid, action))
}

/// Whether `net` has the address `a` (a loopback address as its loopback entry).
fn has(net: &Network, a: &NetAddr) -> bool {
    net.addrs
        .iter()
        .any(|b| b.ip == a.ip && b.loopback == a.loopback)
}

/// The first address of `addrs` that `net` does not have, as an error.
fn check_present(net: &Network, addrs: &[NetAddr]) -> Result<(), CliError> {
    match addrs.iter().find(|a| !has(net, a)) {
        Some(a) => Err(network::addr_error(
            false,
            a,
            net.nid,
            &std::io::Error::from_raw_os_error(libc::EADDRNOTAVAIL),
        )),
        None => Ok(()),
    }
}

/// Lists the addresses of network context `nid`.
fn list(dev: &Device, nid: u32, json: bool) -> Result<(), CliError> {
    let net = network::info(dev, nid)?;
    if json {
        println!("{}", netview::to_json(&net));
    } else {
        print!("{}", netview::table(&net));
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let (nid, action) = parse(args)?;
    let dev = device::open()?;
    match action {
        Action::List { json } => list(&dev, nid, json),
        Action::Add(addrs) => network::add_all(&dev, nid, addrs.addrs()),
        Action::Remove(addrs) => {
            check_present(&network::info(&dev, nid)?, addrs.addrs())?;
            network::remove_all(&dev, nid, addrs.addrs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    fn ok(args: &[&str]) -> (u32, Action) {
        parse(&strings(args)).unwrap()
    }

    fn err(args: &[&str]) -> String {
        let e = parse(&strings(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    fn shown(action: &Action) -> Vec<String> {
        match action {
            Action::Add(a) | Action::Remove(a) => a.addrs().iter().map(|a| a.to_string()).collect(),
            Action::List { .. } => Vec::new(),
        }
    }

    #[test]
    fn nid_alone_lists() {
        assert_eq!(ok(&["--nid", "5"]), (5, Action::List { json: false }));
        assert_eq!(
            ok(&["--json", "--nid=65535"]),
            (65535, Action::List { json: true })
        );
    }

    #[test]
    fn add_and_remove_take_addresses() {
        let (nid, a) = ok(&[
            "--nid",
            "5",
            "--add",
            "10.1.0.2/24",
            "fd00::2",
            "--lback",
            "127.0.0.2",
        ]);
        assert_eq!(nid, 5);
        assert!(matches!(a, Action::Add(_)));
        assert_eq!(shown(&a), ["10.1.0.2/24", "fd00::2/128", "127.0.0.2"]);
        let (_, r) = ok(&["10.1.0.2/24", "--remove", "--nid", "5"]);
        assert!(matches!(r, Action::Remove(_)));
        assert_eq!(shown(&r), ["10.1.0.2/24"]);
        let (_, r) = ok(&["--nid", "5", "--remove", "--lback", "127.0.0.2"]);
        assert_eq!(shown(&r), ["127.0.0.2"]);
    }

    #[test]
    fn bad_command_lines_are_named() {
        assert_eq!(err(&[]), "missing --nid N");
        assert_eq!(err(&["--add", "10.0.0.1"]), "missing --nid N");
        assert_eq!(err(&["--nid", "1"]), "nid 1 is out of range (2 to 65535)");
        assert_eq!(err(&["--nid", "x"]), "nid 'x' is not a number");
        assert_eq!(err(&["--nid"]), "option '--nid' needs a value");
        assert_eq!(
            err(&["--nid", "5", "--add", "--remove", "10.0.0.1"]),
            "give only one of --add and --remove"
        );
        assert_eq!(
            err(&["--nid", "5", "10.0.0.1"]),
            "addresses need --add or --remove (without, naddress lists them)"
        );
        assert_eq!(
            err(&["--nid", "5", "--lback", "127.0.0.2"]),
            "addresses need --add or --remove (without, naddress lists them)"
        );
        assert_eq!(
            err(&["--nid", "5", "--add"]),
            "missing the addresses (ADDR[/PREFIX]... or --lback ADDR)"
        );
        assert_eq!(
            err(&["--nid", "5", "--remove"]),
            "missing the addresses (ADDR[/PREFIX]... or --lback ADDR)"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "10.0.0.1", "--json"]),
            "--json only goes with listing the addresses (no --add or --remove)"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "10.0.0.256"]),
            "address '10.0.0.256' is not an IPv4 or IPv6 address"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "fd00::1/200"]),
            "address 'fd00::1/200': prefix 200 is out of range (0 to 128 for IPv6)"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "::"]),
            "address '::' is a wildcard"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "10.0.0.1", "10.0.0.1"]),
            "address 10.0.0.1 is given twice"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "--lback", "127.0.0.2/8"]),
            "loopback address '127.0.0.2/8' takes no /PREFIX"
        );
        assert_eq!(
            err(&["--nid", "5", "--ip", "10.0.0.1"]),
            "unknown option '--ip'"
        );
        assert_eq!(
            err(&["--nid", "5", "--add", "--", "10.0.0.1"]),
            "unexpected '--' (this command runs no command)"
        );
        assert_eq!(
            err(&["--nid", "5", "--add=10.0.0.1"]),
            "option '--add' takes no value (got '10.0.0.1')"
        );
    }

    #[test]
    fn removing_checks_every_address_first() {
        let net = Network {
            nid: 5,
            tasks: 1,
            flags: 0,
            addrs: vec![
                parse_addr("10.1.0.1/24").unwrap(),
                parse_lback("127.0.0.2").unwrap(),
            ],
        };
        let there = [
            parse_addr("10.1.0.1").unwrap(),
            parse_lback("127.0.0.2").unwrap(),
        ];
        assert!(check_present(&net, &there).is_ok());
        let e = check_present(&net, &[there[0], parse_addr("10.9.9.9/8").unwrap()]).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.to_string(),
            "remove 10.9.9.9/8 from network context 5: 10.9.9.9 is not one of its addresses"
        );
        // 127.0.0.2 is the loopback address, not one of the addresses, and the other way.
        assert!(check_present(&net, &[parse_lback("10.1.0.1").unwrap()]).is_err());
    }
}
