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
mod device;
mod error;
mod flags;
mod json;
mod limits;
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

const USAGE: &str = "\
usage: vsctl COMMAND [ARGS...]   (or COMMAND [ARGS...] through a symlink of that name)

Commands:
  version     print the tool's version and the kernel module's ABI version
  chcontext   [--xid N] [--flag F]... [--cap [+|-]CAP]... [--ccap [+|-]NAME]... [--secure]
              [--cgroup] [--hostname H] [--disconnect] [--print-xid] -- CMD...
  chbind      [--nid N] [--ip ADDR[/PREFIX]]... [--lback ADDR] [--persistent]
              [--print-nid] -- CMD...: run CMD in a new network context (or, with
              --nid N alone, in an existing persistent one); before chcontext
  naddress    --nid N (--add|--remove) ADDR[/PREFIX]... [--lback ADDR]: change a
              network context's addresses; only --nid N [--json]: list them
  vcontext    --create [--xid N] [--flag F]... | --migrate --xid N -- CMD... | --endsetup --xid N
  vkill       --xid N [-s SIG]: send SIG (name or number, default TERM) to a context
  vwait       --xid N: wait until a context ends; print exit/restart/halt/poweroff/removed
  vattribute  --xid N [--set-flag F]... [--clear-flag F]... [--bcap [+|-]CAP]...
              [--ccap [+|-]NAME]...: change a context's flags and capability sets
  vlimit      --xid N [--nproc|--nofile|--nsock SOFT:HARD|HARD]... [--rlimit NAME=VALUE]...
              [--memory SIZE] [--cpu PCT%] [--pids N] [--reset] [--remove-cgroup]:
              set limits; only --xid N [--json]: show them
  stat        [--json]: the contexts and network contexts (also as vserver-stat)
  remove      --xid N | --nid N: remove a context or network context without tasks
  vps         [--json]: the processes with their contexts
  setattr     --barrier DIR... | --~barrier DIR...: mark or unmark chroot barriers
  showattr    DIR...: show whether directories are barriers
  vserver     NAME start|stop|restart|status|enter|exec CMD...|run: guests of /etc/vservers
  help        print this help

Flags F: persistent, prolific. Context capabilities NAME: SET_UTSNAME, RAW_ICMP.
Addresses: IPv4 or IPv6, PREFIX defaults to 32 or 128; the first of each family
is the primary one; --lback sets the address 127.0.0.1 and ::1 stand for.
Limit values: a number or inf/unlimited; SIZE takes K, M, G. A new context's xid
is 2..49151; others 0..65535 (nids 2..65535).
Exit status: 0 on success, 1 when the kernel refused or the module is
missing, 2 on a usage error; vserver status: 3 when stopped; 127 when CMD
cannot be executed.
";

/// Runs the command `name` with `args`.
fn dispatch(name: &str, args: &[String]) -> Result<(), CliError> {
    match name {
        "version" | "--version" | "-V" => version::run(args),
        "chcontext" => chcontext::run(args),
        "chbind" => chbind::run(args),
        "naddress" => naddress::run(args),
        "vcontext" => vcontext::run(args),
        "vkill" => vkill::run(args),
        "vwait" => vwait::run(args),
        "vattribute" => vattribute::run(args),
        "vlimit" => vlimit::run(args),
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
        Err(CliError::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(CliError::Version) => {
            version::run(&[]).map_or_else(|e| fail(&prefix, &e), |()| ExitCode::SUCCESS)
        }
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
            "chbind",
            "naddress",
            "vcontext",
            "vkill",
            "vwait",
            "vattribute",
            "vlimit",
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
