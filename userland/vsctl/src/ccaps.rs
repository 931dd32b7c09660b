//! Context capabilities by name (`SET_UTSNAME`, `RAW_ICMP`), and `[+|-]NAME` edits of a
//! context's set (the same [`CapEdit`]s as the bounding set).

use crate::caps::{self, CapEdit};
use crate::error::CliError;
use vserver_uapi::{CCAP_RAW_ICMP, CCAP_SET_UTSNAME};

/// Every context capability, with its bit.
const NAMES: [(&str, u64); 2] = [
    ("SET_UTSNAME", CCAP_SET_UTSNAME),
    ("RAW_ICMP", CCAP_RAW_ICMP),
];

/// The bit number of a context capability name, any case.
pub fn parse_ccap(text: &str) -> Result<u32, CliError> {
    let upper = text.to_ascii_uppercase();
    NAMES
        .iter()
        .find(|(name, _)| *name == upper)
        .map(|(_, mask)| mask.trailing_zeros())
        .ok_or_else(|| {
            let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            CliError::usage(format!(
                "unknown context capability '{text}' (known: {})",
                known.join(", ")
            ))
        })
}

/// Parses `[+|-]NAME`.
pub fn parse_edit(text: &str) -> Result<CapEdit, CliError> {
    caps::parse_edit_with(text, parse_ccap)
}

/// The names of the context capabilities in `mask`; unknown bits as `bitN`.
pub fn ccap_names(mask: u64) -> Vec<String> {
    (0..64)
        .filter(|bit| mask & (1u64 << bit) != 0)
        .map(|bit| match NAMES.iter().find(|(_, m)| *m == 1u64 << bit) {
            Some((name, _)) => (*name).to_string(),
            None => format!("bit{bit}"),
        })
        .collect()
}

/// `mask` for a table: names separated by commas, `-` for none.
pub fn format_ccaps(mask: u64) -> String {
    crate::flags::join_names(&ccap_names(mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every context capability the table names, as a mask.
    fn known_ccaps() -> u64 {
        NAMES.iter().fold(0, |mask, (_, bit)| mask | bit)
    }

    #[test]
    fn names_parse_in_any_case() {
        assert_eq!(parse_ccap("SET_UTSNAME").unwrap(), 0);
        assert_eq!(parse_ccap("raw_icmp").unwrap(), 1);
        assert_eq!(parse_ccap("Raw_Icmp").unwrap(), 1);
    }

    #[test]
    fn unknown_names_are_usage_errors_listing_the_known_ones() {
        for bad in [
            "",
            "NET_RAW",
            "CAP_RAW_ICMP",
            "RAW_ICMP ",
            "SET-UTSNAME",
            "+RAW_ICMP",
        ] {
            let e = parse_ccap(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert_eq!(
                e.to_string(),
                format!("unknown context capability '{bad}' (known: SET_UTSNAME, RAW_ICMP)")
            );
        }
    }

    #[test]
    fn edits_add_and_remove() {
        assert_eq!(parse_edit("+RAW_ICMP").unwrap(), CapEdit::Add(1));
        assert_eq!(parse_edit("set_utsname").unwrap(), CapEdit::Add(0));
        assert_eq!(parse_edit("-raw_icmp").unwrap(), CapEdit::Remove(1));
        for bad in ["", "+", "-", "--raw_icmp", "+-raw_icmp", "chown"] {
            assert_eq!(parse_edit(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        let all = caps::apply(0, &[CapEdit::Add(0), CapEdit::Add(1)]);
        assert_eq!(all, known_ccaps());
    }

    #[test]
    fn sets_format_by_name() {
        assert_eq!(ccap_names(known_ccaps()), ["SET_UTSNAME", "RAW_ICMP"]);
        assert_eq!(ccap_names(0), Vec::<String>::new());
        assert_eq!(ccap_names(1 << 5), ["bit5"]);
        assert_eq!(format_ccaps(0), "-");
        assert_eq!(format_ccaps(CCAP_RAW_ICMP), "RAW_ICMP");
        assert_eq!(
            format_ccaps(known_ccaps() | 1 << 7),
            "SET_UTSNAME,RAW_ICMP,bit7"
        );
    }
}
