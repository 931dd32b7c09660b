//! `vsctl`: the vserver-rs control tool.
//!
//! One static binary with several names (util-vserver's classic tool names arrive as
//! they are implemented). Called as `vsctl`, the first argument names the command.

mod error;
mod version;

use error::{CliError, EXIT_USAGE};
use std::process::ExitCode;

const USAGE: &str = "\
usage: vsctl COMMAND [ARGS...]

Commands:
  version     print the tool's version and the kernel module's ABI version
  help        print this help

Exit status: 0 on success, 1 when the kernel refused or the module is
missing, 2 on a usage error.
";

/// Runs the command `name` with `args`.
fn dispatch(name: &str, args: &[String]) -> Result<(), CliError> {
    match name {
        "version" | "--version" | "-V" => version::run(args),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(CliError::usage(format!("unknown command '{other}' (try 'vsctl help')"))),
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let invoked = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let result = if invoked == "vsctl" || invoked.is_empty() {
        match argv.get(1) {
            Some(cmd) => dispatch(cmd, &argv[2..]),
            None => {
                eprint!("{USAGE}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        dispatch(&invoked, &argv[1..])
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{invoked}: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
