//! The sign of an edit of a set (capabilities, context capabilities, flags).
//!
//! `NAME` and `+NAME` add; `-NAME` removes, as this tool always took it; `~NAME` and
//! `!NAME` remove too, as util-vserver writes it (`--bcap '~CAP_NET_RAW'`), so its
//! configurations and scripts work unchanged.

/// Whether an edit adds or removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Add,
    Remove,
}

/// Splits the sign off `text`: one leading `+`, `-`, `~` or `!` at most (the rest
/// is the name, checked by the caller, so `+-X` or `~~X` name no known item).
pub fn split_sign(text: &str) -> (Sign, &str) {
    match text.chars().next() {
        Some('-' | '~' | '!') => (Sign::Remove, &text[1..]),
        Some('+') => (Sign::Add, &text[1..]),
        _ => (Sign::Add, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_of_both_traditions() {
        assert_eq!(split_sign("NET_RAW"), (Sign::Add, "NET_RAW"));
        assert_eq!(split_sign("+NET_RAW"), (Sign::Add, "NET_RAW"));
        for removal in ["-NET_RAW", "~NET_RAW", "!NET_RAW"] {
            assert_eq!(split_sign(removal), (Sign::Remove, "NET_RAW"), "{removal}");
        }
        assert_eq!(split_sign("~~X"), (Sign::Remove, "~X"));
        assert_eq!(split_sign(""), (Sign::Add, ""));
        assert_eq!(split_sign("~"), (Sign::Remove, ""));
    }
}
