//! Command-line parsing: the lexer every command walks its arguments with
//! ([`Parser`]), the values options share, and util-vserver's signs on set edits.

mod parser;
mod sign;
mod values;

pub use parser::{Arg, Parser};
pub use sign::{split_sign, Sign};
pub use values::*;

/// `args` as the owned strings the commands take.
#[cfg(test)]
pub(crate) fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}
