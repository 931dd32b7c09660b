//! The values of options the commands share: numbers, xids, nids, host names; and the
//! two tiny command lines (`--xid N` alone, `--json` alone) several commands take.

use super::{Arg, Parser};
use crate::error::CliError;
use vserver_uapi::{VS_XID_DYNAMIC_MAX, VS_XID_STATIC_MAX, VS_XID_STATIC_MIN};

/// Parses a decimal number (digits only: no sign, no spaces, no `0x`).
pub fn parse_number(what: &str, text: &str) -> Result<u64, CliError> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::usage(format!("{what} '{text}' is not a number")));
    }
    text.parse()
        .map_err(|_| CliError::usage(format!("{what} '{text}' is not a number")))
}

/// Parses a number in `min..=max`.
fn parse_in(what: &str, text: &str, min: u32, max: u32) -> Result<u32, CliError> {
    let n = parse_number(what, text)?;
    if n < u64::from(min) || n > u64::from(max) {
        return Err(CliError::usage(format!(
            "{what} {n} is out of range ({min} to {max})"
        )));
    }
    Ok(n as u32)
}

/// Parses the id of an existing context: `0..=65535`.
pub fn parse_xid(text: &str) -> Result<u32, CliError> {
    parse_in("xid", text, 0, VS_XID_DYNAMIC_MAX)
}

/// Parses the id of a context to create: a static id, `2..=49151`.
pub fn parse_static_xid(text: &str) -> Result<u32, CliError> {
    parse_in("xid", text, VS_XID_STATIC_MIN, VS_XID_STATIC_MAX)
}

/// Parses the id of an existing network context: `2..=65535` (0 is "none").
pub fn parse_nid(text: &str) -> Result<u32, CliError> {
    parse_in("nid", text, VS_XID_STATIC_MIN, VS_XID_DYNAMIC_MAX)
}

/// Parses the id of a network context to create: a static id, `2..=49151`.
pub fn parse_static_nid(text: &str) -> Result<u32, CliError> {
    parse_in("nid", text, VS_XID_STATIC_MIN, VS_XID_STATIC_MAX)
}

/// The `--xid` a command requires.
pub fn require_xid(xid: Option<u32>) -> Result<u32, CliError> {
    xid.ok_or_else(|| CliError::usage("missing --xid N"))
}

/// Parses a command line that takes only `--xid N` (required).
pub fn parse_xid_only(args: &[String]) -> Result<u32, CliError> {
    let mut xid = None;
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("xid") => xid = Some(parse_xid(&p.value()?)?),
            other => return Err(other.unexpected()),
        }
    }
    require_xid(xid)
}

/// Parses a command line that takes only `--json`: whether it was given.
pub fn parse_json_only(args: &[String]) -> Result<bool, CliError> {
    let mut json = false;
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("json") => json = true,
            other => return Err(other.unexpected()),
        }
    }
    Ok(json)
}

/// Checks a host name for `sethostname`: 1 to 64 bytes, no NUL.
pub fn parse_hostname(text: &str) -> Result<String, CliError> {
    if text.is_empty() || text.len() > 64 || text.contains('\0') {
        return Err(CliError::usage(format!(
            "host name '{}' must be 1 to 64 bytes without NUL",
            text.escape_debug()
        )));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xids_are_decimal_and_in_range() {
        assert_eq!(parse_xid("0").unwrap(), 0);
        assert_eq!(parse_xid("65535").unwrap(), 65535);
        assert_eq!(parse_xid("007").unwrap(), 7);
        for bad in [
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            "0x10",
            "abc",
            "1.5",
            "99999999999999999999999",
        ] {
            let e = parse_xid(bad).unwrap_err();
            assert_eq!(e.to_string(), format!("xid '{bad}' is not a number"));
            assert_eq!(e.exit_code(), 2);
        }
        assert_eq!(
            parse_xid("65536").unwrap_err().to_string(),
            "xid 65536 is out of range (0 to 65535)"
        );
        assert!(parse_xid("4294967295").is_err());
    }

    #[test]
    fn static_xids_are_2_to_49151() {
        assert_eq!(parse_static_xid("2").unwrap(), 2);
        assert_eq!(parse_static_xid("49151").unwrap(), 49151);
        for bad in ["0", "1", "49152", "65535"] {
            let e = parse_static_xid(bad).unwrap_err();
            assert!(e.to_string().contains("out of range (2 to 49151)"), "{e}");
        }
    }

    #[test]
    fn nids_are_decimal_and_in_range() {
        assert_eq!(parse_nid("2").unwrap(), 2);
        assert_eq!(parse_nid("65535").unwrap(), 65535);
        assert_eq!(parse_static_nid("49151").unwrap(), 49151);
        for bad in ["0", "1", "65536"] {
            let e = parse_nid(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("out of range (2 to 65535)"), "{e}");
        }
        for bad in ["1", "49152"] {
            let e = parse_static_nid(bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("nid {bad} is out of range (2 to 49151)")
            );
        }
        for bad in ["", "x", "-2", "0x10"] {
            assert_eq!(
                parse_nid(bad).unwrap_err().to_string(),
                format!("nid '{bad}' is not a number")
            );
            assert!(parse_static_nid(bad).is_err());
        }
    }

    #[test]
    fn xid_is_required() {
        assert_eq!(require_xid(Some(3)).unwrap(), 3);
        assert_eq!(
            require_xid(None).unwrap_err().to_string(),
            "missing --xid N"
        );
    }

    #[test]
    fn host_names_are_checked() {
        assert_eq!(parse_hostname("guest1").unwrap(), "guest1");
        assert!(parse_hostname(&"a".repeat(64)).is_ok());
        assert!(parse_hostname(&"a".repeat(65)).is_err());
        assert!(parse_hostname("").is_err());
        assert!(parse_hostname("a\0b")
            .unwrap_err()
            .to_string()
            .contains("a\\0b"));
    }
}
