//! `vattribute --xid N [--set-flag F]... [--clear-flag F]...`: change a context's flags.

use crate::args::{parse_xid, require_xid, Arg, Parser};
use crate::device;
use crate::error::CliError;
use crate::flags::{format_flags, parse_flags};

/// What `vattribute` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub xid: u32,
    pub set: u64,
    pub clear: u64,
}

/// Parses the command line of `vattribute`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    let (mut xid, mut set, mut clear) = (None, 0, 0);
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Opt("--xid") => xid = Some(parse_xid(p.value()?)?),
            Arg::Opt("--set-flag") => set |= parse_flags(p.value()?)?,
            Arg::Opt("--clear-flag") => clear |= parse_flags(p.value()?)?,
            other => return Err(other.unexpected()),
        }
    }
    let xid = require_xid(xid)?;
    if set == 0 && clear == 0 {
        return Err(CliError::usage(
            "nothing to change: give --set-flag F or --clear-flag F",
        ));
    }
    if set & clear != 0 {
        return Err(CliError::usage(format!(
            "flag {} is both set and cleared",
            format_flags(set & clear)
        )));
    }
    Ok(Options { xid, set, clear })
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    let dev = device::open()?;
    dev.set_flags(o.xid, o.set, o.clear)
        .map_err(|e| CliError::kernel(&format!("set flags of context {}", o.xid), o.xid, &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;
    use vserver_uapi::{CF_PERSISTENT, CF_PROLIFIC};

    fn err(a: &[&str]) -> String {
        let e = parse(&strings(a)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn flags_to_set_and_clear() {
        let o = parse(&strings(&[
            "--xid",
            "3",
            "--set-flag",
            "persistent",
            "--clear-flag=prolific",
        ]));
        assert_eq!(
            o.unwrap(),
            Options {
                xid: 3,
                set: CF_PERSISTENT,
                clear: CF_PROLIFIC
            }
        );
        let o = parse(&strings(&[
            "--clear-flag",
            "persistent,prolific",
            "--xid",
            "3",
        ]));
        assert_eq!(o.unwrap().clear, CF_PERSISTENT | CF_PROLIFIC);
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(err(&["--set-flag", "persistent"]), "missing --xid N");
        assert!(err(&["--xid", "3"]).starts_with("nothing to change"));
        assert!(err(&["--xid", "3", "--set-flag", "bogus"]).contains("unknown flag 'bogus'"));
        assert_eq!(
            err(&[
                "--xid",
                "3",
                "--set-flag",
                "persistent",
                "--clear-flag",
                "persistent"
            ]),
            "flag persistent is both set and cleared"
        );
        assert!(err(&["--xid", "99999", "--set-flag", "prolific"]).contains("out of range"));
        assert_eq!(
            err(&["--xid", "3", "--flag", "prolific"]),
            "unknown option '--flag'"
        );
    }
}
