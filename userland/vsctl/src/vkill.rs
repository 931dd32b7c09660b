//! `vkill --xid N [-s SIG]`: send a signal (default TERM) to every process of a context.

use crate::cli::{parse_xid, require_xid, Arg, Parser};
use crate::device;
use crate::error::CliError;
use crate::signal::parse_signal;

/// What `vkill` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub xid: u32,
    pub signal: i32,
}

/// Parses the command line of `vkill`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    let mut xid = None;
    let mut signal = libc::SIGTERM;
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("xid") => xid = Some(parse_xid(&p.value()?)?),
            Arg::Short('s') | Arg::Long("signal") => signal = parse_signal(&p.value()?)?,
            other => return Err(other.unexpected()),
        }
    }
    Ok(Options {
        xid: require_xid(xid)?,
        signal,
    })
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    let dev = device::open()?;
    dev.kill(o.xid, o.signal).map_err(|e| {
        CliError::kernel(
            &format!("signal {} to context {}", o.signal, o.xid),
            o.xid,
            &e,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    fn ok(a: &[&str]) -> Options {
        parse(&strings(a)).unwrap()
    }

    fn err(a: &[&str]) -> String {
        let e = parse(&strings(a)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn default_signal_is_term() {
        assert_eq!(
            ok(&["--xid", "5"]),
            Options {
                xid: 5,
                signal: libc::SIGTERM
            }
        );
    }

    #[test]
    fn signals_by_name_and_number() {
        assert_eq!(ok(&["--xid", "5", "-s", "KILL"]).signal, libc::SIGKILL);
        assert_eq!(ok(&["-s", "SIGHUP", "--xid", "5"]).signal, libc::SIGHUP);
        assert_eq!(ok(&["--xid", "0", "--signal=9"]).signal, 9);
        assert_eq!(ok(&["--xid", "5", "-s", "usr1"]).signal, libc::SIGUSR1);
    }

    #[test]
    fn signal_values_may_be_attached() {
        assert_eq!(ok(&["--xid", "5", "-s9"]).signal, 9);
        assert_eq!(ok(&["-sKILL", "--xid", "5"]).signal, libc::SIGKILL);
        assert_eq!(ok(&["--xid=5", "-s=HUP"]).signal, libc::SIGHUP);
        assert_eq!(ok(&["--xid", "5", "--signal", "INT"]).signal, libc::SIGINT);
        assert_eq!(err(&["--xid", "5", "-sNOPE"]), "unknown signal 'NOPE'");
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(err(&[]), "missing --xid N");
        assert_eq!(err(&["-s", "TERM"]), "missing --xid N");
        assert_eq!(err(&["--xid", "5", "-s", "FOO"]), "unknown signal 'FOO'");
        assert_eq!(err(&["--xid", "5", "-s"]), "option '-s' needs a value");
        assert!(err(&["--xid", "70000"]).contains("xid 70000 is out of range"));
        assert!(err(&["--xid", "-1"]).contains("'-1' is not a number"));
        assert_eq!(err(&["--xid", "5", "-9"]), "unknown option '-9'");
        assert_eq!(err(&["--xid", "5", "x"]), "unexpected argument 'x'");
    }
}
