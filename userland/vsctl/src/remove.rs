//! `vsctl remove --xid N`: remove a context that has no tasks left.

use crate::device;
use crate::error::CliError;

/// Parses the command line of `remove`: the xid.
pub fn parse(args: &[String]) -> Result<u32, CliError> {
    crate::args::parse_xid_only(args)
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let xid = parse(args)?;
    let dev = device::open()?;
    dev.remove(xid).map_err(|e| {
        if e.raw_os_error() == Some(libc::EBUSY) {
            CliError::Failed(format!("remove context {xid}: it still has tasks"))
        } else {
            CliError::kernel(&format!("remove context {xid}"), xid, &e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn xid_parses_and_is_checked() {
        assert_eq!(parse(&strings(&["--xid", "49152"])).unwrap(), 49152);
        assert_eq!(
            parse(&strings(&[])).unwrap_err().to_string(),
            "missing --xid N"
        );
        assert!(parse(&strings(&["--xid", "1e3"]))
            .unwrap_err()
            .to_string()
            .contains("'1e3'"));
        assert_eq!(
            parse(&strings(&["5"])).unwrap_err().to_string(),
            "unexpected argument '5'"
        );
    }
}
