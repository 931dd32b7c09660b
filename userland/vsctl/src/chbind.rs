//! `chbind`: run a command in a new network context, or in an existing persistent one.
//!
//! `chbind [--nid N] [--ip ADDR[/PREFIX]]... [--lback ADDR] [--persistent] [--print-nid]
//! -- CMD [ARGS...]`
//!
//! Creates a network context (static `--nid`, else an allocated id) with the addresses
//! given (the first of each family is its primary address; `--lback` sets the guest's
//! loopback address), moves this process into it for good and execs CMD. With `--nid N`
//! and no address, enters the existing persistent network context N instead. Entering a
//! network context takes root in the host context, so `chbind` goes before `chcontext`:
//! `chbind --ip 10.1.0.1 -- chcontext -- sh`.

use crate::cli::{parse_static_nid, Arg, Parser};
use crate::error::CliError;
use crate::netaddr::{parse_addr, parse_lback, AddrList};
use crate::{device, network, sys};
use vserver_uapi::{Device, NF_PERSISTENT, VS_XID_ALLOCATE};

/// What `chbind` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// A static id; `None`: let the module pick one.
    pub nid: Option<u32>,
    /// The addresses of the new network context (`--ip`, `--lback`), in order; empty:
    /// enter the existing one `nid` names.
    pub addrs: AddrList,
    pub persistent: bool,
    pub print_nid: bool,
    pub command: Vec<String>,
}

/// Checks what the options say together.
fn check(o: &Options) -> Result<(), CliError> {
    if o.addrs.is_empty() {
        if o.nid.is_none() {
            return Err(CliError::usage(
                "missing --ip ADDR (or --nid N of an existing persistent network context)",
            ));
        }
        if o.persistent {
            return Err(CliError::usage(
                "--persistent makes a new network context: give its addresses with --ip",
            ));
        }
    }
    Ok(())
}

/// Parses the command line of `chbind`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    let mut o = Options {
        nid: None,
        addrs: AddrList::default(),
        persistent: false,
        print_nid: false,
        command: Vec::new(),
    };
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("nid") => o.nid = Some(parse_static_nid(&p.value()?)?),
            Arg::Long("ip") => o.addrs.push(parse_addr(&p.value()?)?)?,
            Arg::Long("lback") => o.addrs.push(parse_lback(&p.value()?)?)?,
            Arg::Long("persistent") => o.persistent = true,
            Arg::Long("print-nid") => o.print_nid = true,
            Arg::Dashes => {
                o.command = p.rest()?;
                if o.command.is_empty() {
                    return Err(CliError::usage("missing command after '--'"));
                }
                check(&o)?;
                return Ok(o);
            }
            Arg::Word(w) => {
                return Err(CliError::usage(format!(
                    "unexpected argument '{w}' (put the command after '--')"
                )))
            }
            other => return Err(other.unexpected()),
        }
    }
    Err(CliError::usage("missing '-- CMD [ARGS...]'"))
}

/// The existing network context `nid`, to enter: it must be persistent.
fn find_persistent(dev: &Device, nid: u32) -> Result<u32, CliError> {
    match network::info_if_exists(dev, nid)? {
        Some(net) if net.flags & NF_PERSISTENT != 0 => Ok(nid),
        Some(_) => Err(CliError::Failed(format!(
            "enter network context {nid}: it is not persistent"
        ))),
        None => Err(CliError::Failed(format!(
            "enter network context {nid}: no such network context {nid} (give --ip to \
             create it)"
        ))),
    }
}

/// Creates the network context `o` describes; returns its id.
fn create(dev: &Device, o: &Options) -> Result<u32, CliError> {
    let want = o.nid.unwrap_or(VS_XID_ALLOCATE);
    let flags = if o.persistent { NF_PERSISTENT } else { 0 };
    let nid = dev.net_create(want, flags).map_err(|e| {
        if e.raw_os_error() == Some(libc::EEXIST) {
            CliError::Failed(format!(
                "create network context: network context {want} already exists (change its \
                 addresses with naddress, or leave out --ip and --lback to enter it)"
            ))
        } else {
            network::kernel("create network context", want, &e)
        }
    })?;
    network::populate(dev, nid, o.addrs.addrs())?;
    Ok(nid)
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    let dev = device::open()?;
    let (nid, created) = match o.nid {
        Some(nid) if o.addrs.is_empty() => (find_persistent(&dev, nid)?, false),
        _ => (create(&dev, &o)?, true),
    };
    if let Err(e) = network::enter(&dev, nid) {
        if created {
            network::discard(&dev, nid);
        }
        return Err(e);
    }
    drop(dev);
    if o.print_nid {
        eprintln!("nid {nid}");
    }
    Err(sys::execvp(&o.command))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    fn parse_ok(args: &[&str]) -> Options {
        parse(&strings(args)).unwrap()
    }

    fn parse_err(args: &[&str]) -> String {
        let e = parse(&strings(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    fn shown(o: &Options) -> Vec<String> {
        o.addrs.addrs().iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn one_address_is_enough() {
        let o = parse_ok(&["--ip", "10.1.0.1", "--", "/bin/sh", "-c", "echo hi"]);
        assert_eq!(o.nid, None);
        assert_eq!(shown(&o), ["10.1.0.1/32"]);
        assert!(!o.persistent && !o.print_nid);
        assert_eq!(o.command, ["/bin/sh", "-c", "echo hi"]);
    }

    #[test]
    fn every_option_parses() {
        let o = parse_ok(&[
            "--nid",
            "42",
            "--ip",
            "10.1.0.1/24",
            "--ip=fd00::1/64",
            "--ip",
            "10.2.0.1",
            "--lback",
            "127.0.0.2",
            "--lback=::1",
            "--persistent",
            "--print-nid",
            "--",
            "chcontext",
            "--",
            "sh",
        ]);
        assert_eq!(o.nid, Some(42));
        assert_eq!(
            shown(&o),
            [
                "10.1.0.1/24",
                "fd00::1/64",
                "10.2.0.1/32",
                "127.0.0.2",
                "::1"
            ]
        );
        assert!(o.addrs.addrs()[3].loopback);
        assert!(o.persistent && o.print_nid);
        assert_eq!(o.command, ["chcontext", "--", "sh"]);
    }

    #[test]
    fn a_loopback_address_alone_makes_a_network_context() {
        let o = parse_ok(&["--lback", "127.0.0.2", "--", "x"]);
        assert_eq!(shown(&o), ["127.0.0.2"]);
    }

    #[test]
    fn nid_alone_enters_an_existing_network_context() {
        let o = parse_ok(&["--nid", "7", "--print-nid", "--", "x"]);
        assert_eq!(o.nid, Some(7));
        assert!(o.addrs.is_empty());
        assert_eq!(
            parse_err(&["--nid", "7", "--persistent", "--", "x"]),
            "--persistent makes a new network context: give its addresses with --ip"
        );
    }

    #[test]
    fn nid_must_be_static() {
        assert_eq!(parse_ok(&["--nid=2", "--", "x"]).nid, Some(2));
        assert!(parse_err(&["--nid", "1", "--", "x"]).contains("out of range (2 to 49151)"));
        assert_eq!(
            parse_err(&["--nid", "49152", "--ip", "10.0.0.1", "--", "x"]),
            "nid 49152 is out of range (2 to 49151)"
        );
        assert_eq!(
            parse_err(&["--nid", "ten", "--", "x"]),
            "nid 'ten' is not a number"
        );
        assert_eq!(parse_err(&["--nid"]), "option '--nid' needs a value");
    }

    #[test]
    fn bad_addresses_are_named() {
        assert_eq!(
            parse_err(&["--ip", "10.1.0.300", "--", "x"]),
            "address '10.1.0.300' is not an IPv4 or IPv6 address"
        );
        assert_eq!(
            parse_err(&["--ip", "10.1.0.1/40", "--", "x"]),
            "address '10.1.0.1/40': prefix 40 is out of range (0 to 32 for IPv4)"
        );
        assert_eq!(
            parse_err(&["--ip", "10.1.0.1/", "--", "x"]),
            "address '10.1.0.1/': prefix '' is not a number"
        );
        assert_eq!(
            parse_err(&["--ip", "0.0.0.0", "--", "x"]),
            "address '0.0.0.0' is a wildcard"
        );
        assert_eq!(
            parse_err(&["--ip", "127.0.0.1", "--", "x"]),
            "address '127.0.0.1' is a loopback address (give the guest's loopback address as \
             lback)"
        );
        assert_eq!(
            parse_err(&["--lback", "127.0.0.2/8", "--", "x"]),
            "loopback address '127.0.0.2/8' takes no /PREFIX"
        );
        assert_eq!(
            parse_err(&["--ip", "10.1.0.1", "--ip", "10.1.0.1/8", "--", "x"]),
            "address 10.1.0.1 is given twice"
        );
        assert!(
            parse_err(&["--lback", "127.0.0.2", "--lback", "127.0.0.3", "--", "x"])
                .starts_with("two IPv4 loopback addresses")
        );
        assert_eq!(parse_err(&["--ip"]), "option '--ip' needs a value");
        assert_eq!(parse_err(&["--lback"]), "option '--lback' needs a value");
        let mut many: Vec<String> = (1..=17)
            .flat_map(|i| ["--ip".to_string(), format!("10.0.0.{i}")])
            .collect();
        many.extend(["--".to_string(), "x".to_string()]);
        let e = parse(&many).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "more than 16 IPv4 addresses (from 10.0.0.17)"
        );
    }

    #[test]
    fn bad_command_lines_are_named() {
        assert_eq!(parse_err(&[]), "missing '-- CMD [ARGS...]'");
        assert_eq!(
            parse_err(&["--ip", "10.0.0.1"]),
            "missing '-- CMD [ARGS...]'"
        );
        assert_eq!(
            parse_err(&["--ip", "10.0.0.1", "--"]),
            "missing command after '--'"
        );
        assert_eq!(
            parse_err(&["--", "x"]),
            "missing --ip ADDR (or --nid N of an existing persistent network context)"
        );
        assert_eq!(
            parse_err(&["--persistent", "--", "x"]),
            "missing --ip ADDR (or --nid N of an existing persistent network context)"
        );
        assert!(parse_err(&["--ip", "10.0.0.1", "sh"]).contains("unexpected argument 'sh'"));
        assert_eq!(
            parse_err(&["--xid", "5", "--", "x"]),
            "unknown option '--xid'"
        );
        assert_eq!(
            parse_err(&["--print-nid=1", "--", "x"]),
            "option '--print-nid' takes no value (got '1')"
        );
    }
}
