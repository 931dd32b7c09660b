//! Rlimit resources by name (`NOFILE`, `RLIMIT_AS`, ...), for the per-context ceilings.

use crate::error::CliError;
use crate::limits::{format_count, format_size, parse_count, parse_size};
use vserver_uapi::RLIMIT_COUNT;

/// Every `RLIMIT_*` of `<asm-generic/resource.h>` (index = number), and whether its
/// values are bytes (which take K, M and G suffixes).
const RLIMITS: [(&str, bool); 16] = [
    ("CPU", false),
    ("FSIZE", true),
    ("DATA", true),
    ("STACK", true),
    ("CORE", true),
    ("RSS", true),
    ("NPROC", false),
    ("NOFILE", false),
    ("MEMLOCK", true),
    ("AS", true),
    ("LOCKS", false),
    ("SIGPENDING", false),
    ("MSGQUEUE", true),
    ("NICE", false),
    ("RTPRIO", false),
    ("RTTIME", false),
];

/// The number of an rlimit name, with or without `RLIMIT_`, any case.
pub fn parse_name(text: &str) -> Result<u32, CliError> {
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("RLIMIT_").unwrap_or(&upper);
    RLIMITS
        .iter()
        .position(|(n, _)| *n == name)
        .and_then(|i| u32::try_from(i).ok())
        .filter(|&r| r < RLIMIT_COUNT)
        .ok_or_else(|| CliError::usage(format!("unknown rlimit '{text}'")))
}

/// The name of rlimit `resource` (without `RLIMIT_`); `rlimitN` for an unknown one.
pub fn name(resource: u32) -> String {
    match RLIMITS.get(resource as usize) {
        Some((name, _)) => (*name).to_string(),
        None => format!("rlimit{resource}"),
    }
}

/// Parses a ceiling for `resource`: a number (a size, for byte limits) or `inf`.
pub fn parse_value(resource: u32, text: &str) -> Result<u64, CliError> {
    let what = format!("rlimit {}", name(resource));
    match RLIMITS.get(resource as usize) {
        Some((_, true)) => parse_size(&what, text),
        _ => parse_count(&what, text),
    }
}

/// A ceiling of `resource` for a table: a size for byte limits, else a count.
pub fn format_value(resource: u32, value: u64) -> String {
    match RLIMITS.get(resource as usize) {
        Some((_, true)) => format_size(value),
        _ => format_count(value),
    }
}

/// Parses `NAME=VALUE`: the resource and its ceiling.
pub fn parse_assignment(text: &str) -> Result<(u32, u64), CliError> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(CliError::usage(format!(
            "rlimit '{text}' is not NAME=VALUE (like NOFILE=1024)"
        )));
    };
    let resource = parse_name(name)?;
    Ok((resource, parse_value(resource, value)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::INFINITY;

    #[test]
    fn the_table_follows_the_kernel_numbers() {
        for (name, number) in [
            ("CPU", i64::from(libc::RLIMIT_CPU)),
            ("FSIZE", i64::from(libc::RLIMIT_FSIZE)),
            ("DATA", i64::from(libc::RLIMIT_DATA)),
            ("STACK", i64::from(libc::RLIMIT_STACK)),
            ("CORE", i64::from(libc::RLIMIT_CORE)),
            ("RSS", i64::from(libc::RLIMIT_RSS)),
            ("NPROC", i64::from(libc::RLIMIT_NPROC)),
            ("NOFILE", i64::from(libc::RLIMIT_NOFILE)),
            ("MEMLOCK", i64::from(libc::RLIMIT_MEMLOCK)),
            ("AS", i64::from(libc::RLIMIT_AS)),
            ("LOCKS", i64::from(libc::RLIMIT_LOCKS)),
            ("SIGPENDING", i64::from(libc::RLIMIT_SIGPENDING)),
            ("MSGQUEUE", i64::from(libc::RLIMIT_MSGQUEUE)),
            ("NICE", i64::from(libc::RLIMIT_NICE)),
            ("RTPRIO", i64::from(libc::RLIMIT_RTPRIO)),
            ("RTTIME", i64::from(libc::RLIMIT_RTTIME)),
        ] {
            assert_eq!(i64::from(parse_name(name).unwrap()), number, "{name}");
        }
        assert_eq!(RLIMITS.len(), RLIMIT_COUNT as usize);
    }

    #[test]
    fn names_parse_with_or_without_prefix_in_any_case() {
        assert_eq!(parse_name("NOFILE").unwrap(), 7);
        assert_eq!(parse_name("rlimit_as").unwrap(), 9);
        assert_eq!(parse_name("Rttime").unwrap(), 15);
        for bad in ["", "RLIMIT_", "FILES", "NOFILE ", "7", "RLIMIT_RLIMIT_AS"] {
            let e = parse_name(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert_eq!(e.to_string(), format!("unknown rlimit '{bad}'"));
        }
        assert_eq!(name(7), "NOFILE");
        assert_eq!(name(16), "rlimit16");
    }

    #[test]
    fn byte_limits_take_suffixes_and_counts_do_not() {
        assert_eq!(parse_value(9, "1G").unwrap(), 1 << 30);
        assert_eq!(parse_value(3, "8m").unwrap(), 8 << 20);
        assert_eq!(parse_value(7, "1024").unwrap(), 1024);
        assert_eq!(parse_value(7, "unlimited").unwrap(), INFINITY);
        let e = parse_value(7, "1K").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().starts_with("rlimit NOFILE '1K' is not"),
            "{e}"
        );
    }

    #[test]
    fn values_format_by_their_unit() {
        assert_eq!(format_value(9, 1 << 30), "1G");
        assert_eq!(format_value(9, INFINITY), "inf");
        assert_eq!(format_value(7, 1024), "1024");
        assert_eq!(format_value(99, 1024), "1024");
    }

    #[test]
    fn assignments_parse() {
        assert_eq!(parse_assignment("NOFILE=1024").unwrap(), (7, 1024));
        assert_eq!(parse_assignment("as=512M").unwrap(), (9, 512 << 20));
        assert_eq!(parse_assignment("CORE=inf").unwrap(), (4, INFINITY));
        for (bad, msg) in [
            (
                "NOFILE",
                "rlimit 'NOFILE' is not NAME=VALUE (like NOFILE=1024)",
            ),
            ("", "rlimit '' is not NAME=VALUE (like NOFILE=1024)"),
            ("=5", "unknown rlimit ''"),
            ("FILES=5", "unknown rlimit 'FILES'"),
            ("NOFILE=", "rlimit NOFILE '' is not a number or inf"),
            ("NOFILE=1=2", "rlimit NOFILE '1=2' is not a number or inf"),
            ("NOFILE=-1", "rlimit NOFILE '-1' is not a number or inf"),
        ] {
            let e = parse_assignment(bad).unwrap_err();
            assert_eq!((e.exit_code(), e.to_string().as_str()), (2, msg), "{bad}");
        }
    }
}
