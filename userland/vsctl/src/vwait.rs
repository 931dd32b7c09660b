//! `vwait --xid N`: wait until every task of a context has ended, and say why.

use crate::device;
use crate::error::CliError;
use vserver_uapi::{VS_END_EXIT, VS_END_HALT, VS_END_POWEROFF, VS_END_REMOVED, VS_END_RESTART};

/// Parses the command line of `vwait`: the xid.
pub fn parse(args: &[String]) -> Result<u32, CliError> {
    crate::cli::parse_xid_only(args)
}

/// The word for a `VS_END_*` reason.
pub fn reason_name(reason: u32) -> String {
    match reason {
        VS_END_EXIT => "exit".into(),
        VS_END_RESTART => "restart".into(),
        VS_END_HALT => "halt".into(),
        VS_END_POWEROFF => "poweroff".into(),
        VS_END_REMOVED => "removed".into(),
        other => format!("unknown ({other})"),
    }
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let xid = parse(args)?;
    let dev = device::open()?;
    let reason = dev
        .wait(xid)
        .map_err(|e| CliError::kernel(&format!("wait for context {xid}"), xid, &e))?;
    println!("{}", reason_name(reason));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    #[test]
    fn xid_parses() {
        assert_eq!(parse(&strings(&["--xid", "12"])).unwrap(), 12);
        assert_eq!(parse(&strings(&["--xid=65535"])).unwrap(), 65535);
    }

    #[test]
    fn bad_input_is_named() {
        for (args, msg) in [
            (&[][..], "missing --xid N"),
            (&["--xid"][..], "option '--xid' needs a value"),
            (
                &["--xid", "65536"][..],
                "xid 65536 is out of range (0 to 65535)",
            ),
            (&["--xid", "1", "--json"][..], "unknown option '--json'"),
        ] {
            let e = parse(&strings(args)).unwrap_err();
            assert_eq!((e.exit_code(), e.to_string().as_str()), (2, msg));
        }
    }

    #[test]
    fn reasons_have_names() {
        assert_eq!(reason_name(VS_END_EXIT), "exit");
        assert_eq!(reason_name(VS_END_RESTART), "restart");
        assert_eq!(reason_name(VS_END_HALT), "halt");
        assert_eq!(reason_name(VS_END_POWEROFF), "poweroff");
        assert_eq!(reason_name(VS_END_REMOVED), "removed");
        assert_eq!(reason_name(0), "unknown (0)");
    }
}
