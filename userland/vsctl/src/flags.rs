//! Context flags by name (`persistent`, `prolific`), both ways.

use crate::cli::{split_sign, Sign};
use crate::error::CliError;
use vserver_uapi::{CF_PERSISTENT, CF_PROLIFIC};

/// Every flag the tool knows, by name.
const NAMES: [(&str, u64); 2] = [("persistent", CF_PERSISTENT), ("prolific", CF_PROLIFIC)];

/// The bit of one flag name.
fn parse_flag(name: &str) -> Result<u64, CliError> {
    match NAMES.iter().find(|(n, _)| *n == name) {
        Some((_, bit)) => Ok(*bit),
        None => {
            let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            Err(CliError::usage(format!(
                "unknown flag '{name}' (known: {})",
                known.join(", ")
            )))
        }
    }
}

/// Parses a flag name, or several separated by commas (`persistent,prolific`).
#[cfg(test)]
pub fn parse_flags(text: &str) -> Result<u64, CliError> {
    text.split(',')
        .try_fold(0, |flags, name| Ok(flags | parse_flag(name)?))
}

/// The flags to set and to clear that a `--flag` list names: `persistent,~prolific`
/// sets one and clears the other (`~`, `!` or `-` before a name negates it, as in
/// util-vserver).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagEdit {
    pub set: u64,
    pub clear: u64,
}

impl FlagEdit {
    /// `flags` with this edit applied (later names win over earlier ones).
    pub fn apply(self, flags: u64) -> u64 {
        (flags | self.set) & !self.clear
    }
}

/// Parses a `--flag` list, each name with an optional sign.
pub fn parse_flag_edit(text: &str) -> Result<FlagEdit, CliError> {
    let mut edit = FlagEdit::default();
    for item in text.split(',') {
        let (sign, name) = split_sign(item);
        let bit = parse_flag(name)?;
        match sign {
            Sign::Add => {
                edit.set |= bit;
                edit.clear &= !bit;
            }
            Sign::Remove => {
                edit.clear |= bit;
                edit.set &= !bit;
            }
        }
    }
    Ok(edit)
}

/// The names of the flags set in `flags`; bits without a name as hex.
pub fn flag_names(flags: u64) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = flags;
    for (name, bit) in NAMES {
        if flags & bit != 0 {
            names.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        names.push(format!("{rest:#x}"));
    }
    names
}

/// `flags` for a table: names separated by commas, `-` for none.
pub fn format_flags(flags: u64) -> String {
    join_names(&flag_names(flags))
}

/// Names for a table: separated by commas, `-` for none.
pub fn join_names(names: &[String]) -> String {
    if names.is_empty() {
        "-".to_string()
    } else {
        names.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_names_parse() {
        assert_eq!(parse_flags("persistent").unwrap(), CF_PERSISTENT);
        assert_eq!(parse_flags("prolific").unwrap(), CF_PROLIFIC);
        assert_eq!(
            parse_flags("prolific,persistent").unwrap(),
            CF_PERSISTENT | CF_PROLIFIC
        );
    }

    #[test]
    fn unknown_flags_are_usage_errors_naming_the_flag() {
        for bad in ["", "Persistent", "fast", "persistent,", "persistent,x"] {
            let e = parse_flags(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().starts_with("unknown flag '"), "{e}");
            assert!(e.to_string().contains("known: persistent, prolific"), "{e}");
        }
        assert!(parse_flags("fast")
            .unwrap_err()
            .to_string()
            .contains("'fast'"));
    }

    #[test]
    fn flags_format_by_name() {
        assert_eq!(format_flags(0), "-");
        assert_eq!(format_flags(CF_PERSISTENT), "persistent");
        assert_eq!(
            format_flags(CF_PERSISTENT | CF_PROLIFIC),
            "persistent,prolific"
        );
        assert_eq!(format_flags(CF_PROLIFIC | 0x10), "prolific,0x10");
        assert_eq!(flag_names(0), Vec::<String>::new());
    }

    #[test]
    fn flag_edits_take_signs() {
        let e = parse_flag_edit("persistent,~prolific").unwrap();
        assert_eq!((e.set, e.clear), (CF_PERSISTENT, CF_PROLIFIC));
        let e = parse_flag_edit("!persistent,persistent").unwrap();
        assert_eq!((e.set, e.clear), (CF_PERSISTENT, 0));
        assert_eq!(parse_flag_edit("-prolific").unwrap().clear, CF_PROLIFIC);
        assert_eq!(e.apply(CF_PROLIFIC), CF_PERSISTENT | CF_PROLIFIC);
        assert_eq!(
            parse_flag_edit("~prolific")
                .unwrap()
                .apply(CF_PROLIFIC | CF_PERSISTENT),
            CF_PERSISTENT
        );
        assert!(parse_flag_edit("~fast")
            .unwrap_err()
            .to_string()
            .contains("unknown flag 'fast'"));
        assert_eq!(parse_flag_edit("~").unwrap_err().exit_code(), 2);
    }
}
