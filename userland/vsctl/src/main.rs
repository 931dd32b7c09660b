//! `vsctl`: the vserver-rs control tool.
//!
//! One static binary with several names: util-vserver's classic tool names (`chcontext`,
//! `vcontext`, `vkill`, `vwait`, `vattribute`, `vps`, `vserver`, `vserver-stat`) as
//! symlinks to it. Called as `vsctl`, the first argument names the command.

mod args;
mod caps;
mod chcontext;
mod device;
mod error;
mod flags;
mod json;
mod remove;
mod setattr;
mod signal;
mod stat;
mod sys;
mod vattribute;
mod vcontext;
mod version;
mod vkill;
mod vps;
mod vserver;
mod vwait;

use error::{CliError, EXIT_USAGE};
use std::process::ExitCode;

const USAGE: &str = "\
usage: vsctl COMMAND [ARGS...]   (or COMMAND [ARGS...] through a symlink of that name)

Commands:
  version     print the tool's version and the kernel module's ABI version
  chcontext   [--xid N] [--flag F]... [--cap [+|-]CAP]... [--secure] [--hostname H]
              [--disconnect] [--print-xid] -- CMD...
  vcontext    --create [--xid N] [--flag F]... | --migrate --xid N -- CMD... | --endsetup --xid N
  vkill       --xid N [-s SIG]: send SIG (name or number, default TERM) to a context
  vwait       --xid N: wait until a context ends; print exit/restart/halt/poweroff/removed
  vattribute  --xid N [--set-flag F]... [--clear-flag F]...: change a context's flags
  stat        [--json]: the contexts (also as vserver-stat)
  remove      --xid N: remove a context without tasks
  vps         [--json]: the processes with their contexts
  setattr     --barrier DIR... | --~barrier DIR...: mark or unmark chroot barriers
  showattr    DIR...: show whether directories are barriers
  vserver     NAME start|stop|restart|status|enter|exec CMD...|run: guests of /etc/vservers
  help        print this help

Flags F: persistent, prolific. A new context's xid is 2..49151; others 0..65535.
Exit status: 0 on success, 1 when the kernel refused or the module is
missing, 2 on a usage error; vserver status: 3 when stopped; 127 when CMD
cannot be executed.
";

/// Runs the command `name` with `args`.
fn dispatch(name: &str, args: &[String]) -> Result<(), CliError> {
    match name {
        "version" | "--version" | "-V" => version::run(args),
        "chcontext" => chcontext::run(args),
        "vcontext" => vcontext::run(args),
        "vkill" => vkill::run(args),
        "vwait" => vwait::run(args),
        "vattribute" => vattribute::run(args),
        "setattr" => setattr::run_set(args),
        "showattr" => setattr::run_show(args),
        "stat" | "vserver-stat" => stat::run(args),
        "remove" => remove::run(args),
        "vps" => vps::run(args),
        "vserver" => vserver::run(args),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(CliError::usage(format!(
            "unknown command '{other}' (try 'vsctl help')"
        ))),
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
                eprint!("{USAGE}");
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
    fn usage_lists_every_command() {
        for cmd in [
            "version",
            "chcontext",
            "vcontext",
            "vkill",
            "vwait",
            "vattribute",
            "stat",
            "vserver-stat",
            "remove",
            "vps",
            "vserver",
            "help",
        ] {
            assert!(
                USAGE.contains(&format!("  {cmd} ")) || USAGE.contains(cmd),
                "{cmd}"
            );
        }
    }

    #[test]
    fn commands_check_their_arguments_before_the_device() {
        // Usage errors come first, so they need no /dev/vserver.
        for (cmd, args) in [
            ("chcontext", &["--xid", "1", "--", "true"][..]),
            ("vcontext", &[][..]),
            ("vkill", &["--xid", "5", "-s", "NOPE"][..]),
            ("vwait", &["--xid", "x"][..]),
            ("vattribute", &["--xid", "5"][..]),
            ("stat", &["--bogus"][..]),
            ("vserver-stat", &["--bogus"][..]),
            ("remove", &[][..]),
            ("vps", &["-e"][..]),
            ("vserver", &["web", "explode"][..]),
        ] {
            let args = args::strings(args);
            let e = dispatch(cmd, &args).unwrap_err();
            assert_eq!(e.exit_code(), EXIT_USAGE, "{cmd}: {e}");
        }
    }
}
