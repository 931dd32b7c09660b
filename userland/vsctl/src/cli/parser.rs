//! The command-line lexer the commands share: `lexopt`, with this tool's rules on top.
//!
//! `lexopt` gives GNU-style splitting (`-s9`, `-s 9`, `--opt=value`, `--opt value`),
//! takes an option's value even when it starts with `-` (`--nsock -1` reaches the
//! number parser, which names it), and has no help or completion machinery of its
//! own, so the binary stays small. On top of it this parser
//! - reports `--` as [`Arg::Dashes`] instead of swallowing it, since `chcontext` and
//!   friends must tell a stray word from the command after `--`;
//! - turns `-h`/`--help` and `-V`/`--version` wherever an option may stand into
//!   [`CliError::Help`] / [`CliError::Version`], which the dispatcher answers from the
//!   command table (so no command needs to know about them);
//! - words its errors as the tool always has ("unknown option '--frob'", "option
//!   '--xid' needs a value"), with exit status 2.

use crate::error::CliError;
use std::ffi::OsString;

/// One command-line argument, as the [`Parser`] sees it.
#[derive(Debug, PartialEq, Eq)]
pub enum Arg<'a> {
    /// `-x` (one of `-xyz`).
    Short(char),
    /// `--name`, or the name of `--name=value` (the value waits for [`Parser::value`]).
    Long(&'a str),
    /// `--`: what follows is a command and its arguments.
    Dashes,
    /// Anything else.
    Word(String),
}

impl Arg<'_> {
    /// The error for an argument the command does not take.
    pub fn unexpected(&self) -> CliError {
        match self {
            Self::Short(c) => CliError::usage(format!("unknown option '-{c}'")),
            Self::Long(name) => CliError::usage(format!("unknown option '--{name}'")),
            Self::Dashes => CliError::usage("unexpected '--' (this command runs no command)"),
            Self::Word(word) => CliError::usage(format!("unexpected argument '{word}'")),
        }
    }
}

/// Walks a command line, one argument at a time.
pub struct Parser {
    inner: lexopt::Parser,
}

/// An argument as a `String` (the tool checks that every argument is UTF-8 before it
/// parses any, so the lossy branch is for completeness only).
fn string(arg: OsString) -> String {
    arg.into_string()
        .unwrap_or_else(|arg| arg.to_string_lossy().into_owned())
}

/// `lexopt`'s errors in the tool's words.
fn usage(e: lexopt::Error) -> CliError {
    match e {
        lexopt::Error::MissingValue {
            option: Some(option),
        } => CliError::usage(format!("option '{option}' needs a value")),
        lexopt::Error::UnexpectedValue { option, value } => CliError::usage(format!(
            "option '{option}' takes no value (got '{}')",
            string(value)
        )),
        other => CliError::usage(other.to_string()),
    }
}

impl Parser {
    pub fn new(args: &[String]) -> Self {
        Self {
            inner: lexopt::Parser::from_args(args),
        }
    }

    /// The next argument; an error if the previous option got a `=value` it does not
    /// take, or a help or version request.
    pub fn next_arg(&mut self) -> Result<Option<Arg<'_>>, CliError> {
        // `lexopt` drops `--`; look for it first, unless in the middle of `-xyz` or
        // `--opt=value`, where `next` reports what is pending.
        if let Some(mut raw) = self.inner.try_raw_args() {
            if raw.next_if(|a| a == "--").is_some() {
                return Ok(Some(Arg::Dashes));
            }
        }
        let arg = match self.inner.next().map_err(usage)? {
            None => return Ok(None),
            Some(lexopt::Arg::Short('h') | lexopt::Arg::Long("help")) => {
                return Err(CliError::Help)
            }
            Some(lexopt::Arg::Short('V') | lexopt::Arg::Long("version")) => {
                return Err(CliError::Version)
            }
            Some(lexopt::Arg::Short(c)) => Arg::Short(c),
            Some(lexopt::Arg::Long(name)) => Arg::Long(name),
            Some(lexopt::Arg::Value(word)) => Arg::Word(string(word)),
        };
        Ok(Some(arg))
    }

    /// The value of the option just returned: attached (`-s9`, `--opt=9`) or the next
    /// argument, whatever it looks like.
    pub fn value(&mut self) -> Result<String, CliError> {
        self.inner.value().map(string).map_err(usage)
    }

    /// The arguments not read yet (after `--`: the command).
    pub fn rest(&mut self) -> Result<Vec<String>, CliError> {
        Ok(self.inner.raw_args().map_err(usage)?.map(string).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    /// What the parser makes of `args`: `--val` and `-v` take a value.
    fn walk(args: &[&str]) -> Result<Vec<String>, CliError> {
        let args = strings(args);
        let mut p = Parser::new(&args);
        let mut out = Vec::new();
        while let Some(arg) = p.next_arg()? {
            match arg {
                Arg::Long("val") | Arg::Short('v') => out.push(format!("val={}", p.value()?)),
                Arg::Long(o) => out.push(format!("long {o}")),
                Arg::Short(c) => out.push(format!("short {c}")),
                Arg::Dashes => {
                    out.push(format!("cmd {}", p.rest()?.join(" ")));
                    break;
                }
                Arg::Word(w) => out.push(format!("word {w}")),
            }
        }
        Ok(out)
    }

    fn ok(args: &[&str]) -> Vec<String> {
        walk(args).unwrap()
    }

    fn err(args: &[&str]) -> String {
        let e = walk(args).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn options_values_and_the_command() {
        assert_eq!(
            ok(&["--val", "1", "--val=2", "-x", "w", "--", "ls", "-l", "--"]),
            ["val=1", "val=2", "short x", "word w", "cmd ls -l --"]
        );
        assert_eq!(
            ok(&["-", "--val=", "--val", "-3"]),
            ["word -", "val=", "val=-3"]
        );
        assert_eq!(ok(&["--val", "--"]), ["val=--"]);
        assert_eq!(ok(&["--"]), ["cmd "]);
    }

    #[test]
    fn short_values_may_be_attached() {
        assert_eq!(ok(&["-v9"]), ["val=9"]);
        assert_eq!(ok(&["-vKILL"]), ["val=KILL"]);
        assert_eq!(ok(&["-v=9"]), ["val=9"]);
        assert_eq!(ok(&["-v", "9"]), ["val=9"]);
        assert_eq!(ok(&["-xv9"]), ["short x", "val=9"]);
        assert_eq!(ok(&["-xy"]), ["short x", "short y"]);
    }

    #[test]
    fn missing_and_unwanted_values_are_named() {
        assert_eq!(err(&["--val"]), "option '--val' needs a value");
        assert_eq!(err(&["-v"]), "option '-v' needs a value");
        assert_eq!(
            err(&["--json=yes"]),
            "option '--json' takes no value (got 'yes')"
        );
        assert_eq!(err(&["--json="]), "option '--json' takes no value (got '')");
    }

    #[test]
    fn help_and_version_are_requests_wherever_an_option_goes() {
        for args in [
            &["--help"][..],
            &["-h"],
            &["--val", "1", "--help"],
            &["-xh"],
        ] {
            assert!(matches!(walk(args), Err(CliError::Help)), "{args:?}");
        }
        for args in [&["--version"][..], &["-V"]] {
            assert!(matches!(walk(args), Err(CliError::Version)), "{args:?}");
        }
        // Not as a value, nor in the command.
        assert_eq!(ok(&["--val", "--help"]), ["val=--help"]);
        assert_eq!(ok(&["--", "ls", "--help"]), ["cmd ls --help"]);
    }

    #[test]
    fn unexpected_arguments_are_named() {
        assert_eq!(
            Arg::Long("frob").unexpected().to_string(),
            "unknown option '--frob'"
        );
        assert_eq!(
            Arg::Short('9').unexpected().to_string(),
            "unknown option '-9'"
        );
        assert_eq!(
            Arg::Word("x".into()).unexpected().to_string(),
            "unexpected argument 'x'"
        );
        assert_eq!(Arg::Dashes.unexpected().exit_code(), 2);
    }
}
