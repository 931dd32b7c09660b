//! `vsctl`: the vserver-rs control tool.
//!
//! One static binary with several names: util-vserver's classic tool names (`chcontext`,
//! `chbind`, `naddress`, `vcontext`, `vkill`, `vwait`, `vattribute`, `vlimit`, `vps`,
//! `vserver`, `vserver-stat`) as symlinks to it. Called as `vsctl`, the first argument
//! names the command.

mod caps;
mod ccaps;
mod cgroup;
mod chbind;
mod chcontext;
mod cli;
mod commands;
mod completions;
mod device;
mod error;
mod flags;
mod help;
mod json;
mod limits;
mod man;
mod mount;
mod naddress;
mod netaddr;
mod netview;
mod network;
mod remove;
mod rlimits;
mod setattr;
mod signal;
mod stat;
mod sys;
mod vattribute;
mod vcontext;
mod version;
mod vkill;
mod vlimit;
mod vps;
mod vserver;
mod vwait;

use error::{CliError, EXIT_USAGE};
use std::process::ExitCode;

/// Runs the command `name` with `args`; answers its `--help` and `--version` (as
/// its first argument, or wherever its parser finds them) from the command table.
fn dispatch(name: &str, args: &[String]) -> Result<(), CliError> {
    let command = commands::find(name).ok_or_else(|| commands::unknown(name))?;
    // Commands with positional arguments (vserver, help, man...) use no option parser.
    let result = match args.first().map(String::as_str) {
        Some("-h" | "--help") => Err(CliError::Help),
        Some("-V" | "--version") => Err(CliError::Version),
        _ => (command.run)(args),
    };
    match result {
        Err(CliError::Help) => help::emit(&help::command(name, command)),
        Err(CliError::Version) => help::emit(&help::version(name)),
        other => other,
    }
}

/// The arguments as strings; a usage error for one that is not UTF-8.
fn arguments() -> Result<Vec<String>, CliError> {
    std::env::args_os()
        .enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|arg| {
                CliError::usage(format!("argument {i} ({arg:?}) is not valid UTF-8"))
            })
        })
        .collect()
}

/// Prints the error (if it has a message) and turns it into the exit status.
fn fail(prefix: &str, e: &CliError) -> ExitCode {
    if !e.message().is_empty() {
        eprintln!("{prefix}: {e}");
    }
    ExitCode::from(e.exit_code())
}

fn main() -> ExitCode {
    let argv = match arguments() {
        Ok(argv) => argv,
        Err(e) => return fail("vsctl", &e),
    };
    let invoked = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let (prefix, result) = if invoked == "vsctl" || invoked.is_empty() {
        match argv.get(1) {
            Some(cmd) => (format!("vsctl {cmd}"), dispatch(cmd, &argv[2..])),
            None => {
                eprint!("{}", help::overview());
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        (invoked.clone(), dispatch(&invoked, &argv[1..]))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // An unknown command is the tool's error, not the command's.
        Err(e @ CliError::Usage(_)) if prefix.starts_with("vsctl ") && is_unknown(&e) => {
            fail("vsctl", &e)
        }
        Err(e) => fail(&prefix, &e),
    }
}

/// Whether `e` is the "unknown command" error of [`dispatch`].
fn is_unknown(e: &CliError) -> bool {
    e.message().starts_with("unknown command '")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_commands_are_usage_errors() {
        let e = dispatch("frobnicate", &[]).unwrap_err();
        assert_eq!(e.exit_code(), EXIT_USAGE);
        assert!(is_unknown(&e));
        assert!(e.to_string().contains("unknown command 'frobnicate'"));
    }

    #[test]
    fn every_name_answers_help_and_version() {
        for c in commands::COMMANDS {
            for name in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                for flag in ["--help", "-h", "--version", "-V"] {
                    let args = cli::strings(&[flag]);
                    assert!(dispatch(name, &args).is_ok(), "{name} {flag}");
                }
            }
        }
    }

    #[test]
    fn parsers_pass_help_requests_up() {
        // After other options, the parser finds them; in a command or a value, not.
        for (cmd, args) in [
            ("chcontext", &["--xid", "5", "--help"][..]),
            ("vkill", &["--xid", "5", "-h"][..]),
            ("vlimit", &["--xid", "5", "-V"][..]),
            ("stat", &["--json", "--help"][..]),
        ] {
            assert!(dispatch(cmd, &cli::strings(args)).is_ok(), "{cmd} {args:?}");
        }
        let e = dispatch("chcontext", &cli::strings(&["--hostname", "--help"])).unwrap_err();
        assert_eq!(e.to_string(), "missing '-- CMD [ARGS...]'");
    }

    #[test]
    fn commands_check_their_arguments_before_the_device() {
        // Usage errors come first, so they need no /dev/vserver.
        for (cmd, args) in [
            ("chcontext", &["--xid", "1", "--", "true"][..]),
            ("chbind", &["--ip", "10.1.0.256", "--", "true"][..]),
            ("chbind", &["--", "true"][..]),
            ("naddress", &["--nid", "5", "--add"][..]),
            ("naddress", &["--nid", "5", "10.0.0.1"][..]),
            ("remove", &["--nid", "1"][..]),
            ("vcontext", &[][..]),
            ("vkill", &["--xid", "5", "-s", "NOPE"][..]),
            ("vwait", &["--xid", "x"][..]),
            ("vattribute", &["--xid", "5"][..]),
            ("vattribute", &["--xid", "5", "--ccap", "NET_RAW"][..]),
            ("vlimit", &["--xid", "5", "--cpu", "0%"][..]),
            ("vlimit", &["--xid", "5", "--nproc", "5", "--json"][..]),
            ("chcontext", &["--ccap", "bogus", "--", "true"][..]),
            ("stat", &["--bogus"][..]),
            ("vserver-stat", &["--bogus"][..]),
            ("remove", &[][..]),
            ("vps", &["-e"][..]),
            ("vserver", &["web", "explode"][..]),
        ] {
            let args = cli::strings(args);
            let e = dispatch(cmd, &args).unwrap_err();
            assert_eq!(e.exit_code(), EXIT_USAGE, "{cmd}: {e}");
        }
    }
}
