//! `vcontext`: the steps of `chcontext` one at a time.
//!
//! `vcontext --create [--xid N] [--flag F]...` prints the new id;
//! `vcontext --migrate --xid N -- CMD...` enters the context and runs CMD;
//! `vcontext --endsetup --xid N` ends the setup state.

use crate::cli::{parse_xid, require_xid, Arg, Parser};
use crate::error::CliError;
use crate::flags::parse_flag_edit;
use crate::{cli, device, sys};
use vserver_uapi::VS_XID_ALLOCATE;

/// What `vcontext` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Create { xid: Option<u32>, flags: u64 },
    Migrate { xid: u32, command: Vec<String> },
    EndSetup { xid: u32 },
}

/// The three modes, as given on the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Migrate,
    EndSetup,
}

/// Parses the command line of `vcontext`.
pub fn parse(list: &[String]) -> Result<Action, CliError> {
    let mut mode = None;
    let mut xid_text = None;
    let mut flags = None;
    let mut command = None;
    let mut p = Parser::new(list);
    while let Some(arg) = p.next_arg()? {
        let new_mode = match arg {
            Arg::Long("create") => Mode::Create,
            Arg::Long("migrate") => Mode::Migrate,
            Arg::Long("endsetup") => Mode::EndSetup,
            Arg::Long("xid") => {
                xid_text = Some(p.value()?);
                continue;
            }
            Arg::Long("flag") => {
                flags = Some(parse_flag_edit(&p.value()?)?.apply(flags.unwrap_or(0)));
                continue;
            }
            Arg::Dashes => {
                command = Some(p.rest()?);
                break;
            }
            other => return Err(other.unexpected()),
        };
        if mode.is_some_and(|m| m != new_mode) {
            return Err(CliError::usage(
                "give only one of --create, --migrate and --endsetup",
            ));
        }
        mode = Some(new_mode);
    }
    let Some(mode) = mode else {
        return Err(CliError::usage("missing --create, --migrate or --endsetup"));
    };
    if mode != Mode::Create && flags.is_some() {
        return Err(CliError::usage("--flag only goes with --create"));
    }
    if mode != Mode::Migrate && command.is_some() {
        return Err(CliError::usage(
            "only --migrate runs a command ('-- CMD...')",
        ));
    }
    match mode {
        Mode::Create => Ok(Action::Create {
            xid: xid_text.as_deref().map(cli::parse_static_xid).transpose()?,
            flags: flags.unwrap_or(0),
        }),
        Mode::Migrate => {
            let xid = require_xid(xid_text.as_deref().map(parse_xid).transpose()?)?;
            match command {
                Some(command) if !command.is_empty() => Ok(Action::Migrate { xid, command }),
                Some(_) => Err(CliError::usage("missing command after '--'")),
                None => Err(CliError::usage("--migrate needs '-- CMD [ARGS...]'")),
            }
        }
        Mode::EndSetup => Ok(Action::EndSetup {
            xid: require_xid(xid_text.as_deref().map(parse_xid).transpose()?)?,
        }),
    }
}

pub fn run(list: &[String]) -> Result<(), CliError> {
    let action = parse(list)?;
    let dev = device::open()?;
    match action {
        Action::Create { xid, flags } => {
            let want = xid.unwrap_or(VS_XID_ALLOCATE);
            let new = dev
                .create(want, flags)
                .map_err(|e| CliError::kernel("create context", want, &e))?;
            println!("{new}");
            Ok(())
        }
        Action::Migrate { xid, command } => {
            dev.migrate(xid)
                .map_err(|e| CliError::kernel(&format!("migrate into context {xid}"), xid, &e))?;
            drop(dev);
            Err(sys::execvp(&command))
        }
        Action::EndSetup { xid } => dev
            .end_setup(xid)
            .map_err(|e| CliError::kernel(&format!("end setup of context {xid}"), xid, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;
    use vserver_uapi::{CF_PERSISTENT, CF_PROLIFIC};

    fn ok(a: &[&str]) -> Action {
        parse(&strings(a)).unwrap()
    }

    fn err(a: &[&str]) -> String {
        let e = parse(&strings(a)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn create_parses() {
        assert_eq!(
            ok(&["--create"]),
            Action::Create {
                xid: None,
                flags: 0
            }
        );
        assert_eq!(
            ok(&[
                "--create",
                "--xid",
                "100",
                "--flag",
                "persistent",
                "--flag",
                "prolific"
            ]),
            Action::Create {
                xid: Some(100),
                flags: CF_PERSISTENT | CF_PROLIFIC
            }
        );
        assert!(err(&["--create", "--xid", "1"]).contains("out of range (2 to 49151)"));
        assert!(err(&["--create", "--flag", "nope"]).contains("unknown flag 'nope'"));
        assert!(err(&["--create", "--", "sh"]).contains("only --migrate runs a command"));
    }

    #[test]
    fn migrate_parses() {
        assert_eq!(
            ok(&["--migrate", "--xid", "7", "--", "sh", "-c", "id"]),
            Action::Migrate {
                xid: 7,
                command: strings(&["sh", "-c", "id"])
            }
        );
        assert_eq!(err(&["--migrate", "--", "sh"]), "missing --xid N");
        assert_eq!(
            err(&["--migrate", "--xid", "7"]),
            "--migrate needs '-- CMD [ARGS...]'"
        );
        assert_eq!(
            err(&["--migrate", "--xid", "7", "--"]),
            "missing command after '--'"
        );
        assert!(err(&["--migrate", "--xid", "65536", "--", "x"]).contains("out of range"));
        assert!(
            err(&["--migrate", "--xid", "7", "--flag", "prolific", "--", "x"])
                .contains("--flag only goes with --create")
        );
    }

    #[test]
    fn endsetup_parses() {
        assert_eq!(
            ok(&["--endsetup", "--xid=65535"]),
            Action::EndSetup { xid: 65535 }
        );
        assert_eq!(err(&["--endsetup"]), "missing --xid N");
        assert!(err(&["--endsetup", "--xid", "x1"]).contains("'x1' is not a number"));
    }

    #[test]
    fn exactly_one_mode() {
        assert_eq!(err(&[]), "missing --create, --migrate or --endsetup");
        assert_eq!(
            err(&["--xid", "5"]),
            "missing --create, --migrate or --endsetup"
        );
        assert!(err(&["--create", "--endsetup"]).contains("only one of"));
        assert_eq!(
            ok(&["--create", "--create"]),
            Action::Create {
                xid: None,
                flags: 0
            }
        );
        assert_eq!(err(&["--create", "--bogus"]), "unknown option '--bogus'");
        assert_eq!(err(&["--create", "extra"]), "unexpected argument 'extra'");
    }
}
