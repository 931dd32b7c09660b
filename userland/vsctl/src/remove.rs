//! `vsctl remove --xid N`: remove a context that has no tasks left;
//! `vsctl remove --nid N`: the same for a network context.

use crate::cli::{parse_nid, parse_xid, Arg, Parser};
use crate::error::CliError;
use crate::{device, network};

/// What to remove.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    Context(u32),
    Network(u32),
}

/// Parses the command line of `remove`: `--xid N` or `--nid N`.
pub fn parse(args: &[String]) -> Result<Target, CliError> {
    let mut target = None;
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        let next = match arg {
            Arg::Long("xid") => Target::Context(parse_xid(&p.value()?)?),
            Arg::Long("nid") => Target::Network(parse_nid(&p.value()?)?),
            other => return Err(other.unexpected()),
        };
        if target.is_some() {
            return Err(CliError::usage("give one --xid N or --nid N"));
        }
        target = Some(next);
    }
    target.ok_or_else(|| CliError::usage("missing --xid N"))
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let target = parse(args)?;
    let dev = device::open()?;
    let busy = |what: &str| CliError::Failed(format!("{what}: it still has tasks"));
    match target {
        Target::Context(xid) => dev.remove(xid).map_err(|e| {
            let what = format!("remove context {xid}");
            if e.raw_os_error() == Some(libc::EBUSY) {
                busy(&what)
            } else {
                CliError::kernel(&what, xid, &e)
            }
        }),
        Target::Network(nid) => dev.net_remove(nid).map_err(|e| {
            let what = format!("remove network context {nid}");
            if e.raw_os_error() == Some(libc::EBUSY) {
                busy(&what)
            } else {
                network::kernel(&what, nid, &e)
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    fn err(args: &[&str]) -> String {
        let e = parse(&strings(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn xid_parses_and_is_checked() {
        assert_eq!(
            parse(&strings(&["--xid", "49152"])).unwrap(),
            Target::Context(49152)
        );
        assert_eq!(err(&[]), "missing --xid N");
        assert!(err(&["--xid", "1e3"]).contains("'1e3'"));
        assert_eq!(err(&["5"]), "unexpected argument '5'");
    }

    #[test]
    fn nid_parses_and_is_checked() {
        assert_eq!(
            parse(&strings(&["--nid", "100"])).unwrap(),
            Target::Network(100)
        );
        assert_eq!(
            parse(&strings(&["--nid=65535"])).unwrap(),
            Target::Network(65535)
        );
        assert_eq!(err(&["--nid", "0"]), "nid 0 is out of range (2 to 65535)");
        assert_eq!(err(&["--nid", "n"]), "nid 'n' is not a number");
        assert_eq!(err(&["--nid"]), "option '--nid' needs a value");
        assert_eq!(
            err(&["--nid", "5", "--xid", "5"]),
            "give one --xid N or --nid N"
        );
        assert_eq!(
            err(&["--xid", "5", "--xid", "6"]),
            "give one --xid N or --nid N"
        );
    }
}
