//! `vserver NAME start|stop|restart|status|enter|exec CMD...|run`: guests described by
//! a configuration directory (see [`config`]).

pub mod config;
mod confine;
mod exec;
mod lists;
mod network;
mod run;
mod setup;
mod start;
mod stop;

use crate::device;
use crate::error::CliError;
use config::Config;
use vserver_uapi::Device;

/// Exit status of `status` for a stopped guest (as init scripts use it).
pub const EXIT_STOPPED: u8 = 3;

/// What to do with the guest.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Start,
    Stop,
    Restart,
    Status,
    Enter,
    Exec(Vec<String>),
    Run,
}

/// Parses `NAME ACTION [ARGS...]`.
pub fn parse(args: &[String]) -> Result<(String, Action), CliError> {
    let Some(name) = args.first() else {
        return Err(CliError::usage(
            "missing NAME and action (start, stop, restart, status, enter, exec, run)",
        ));
    };
    config::check_name(name)?;
    let Some(action) = args.get(1) else {
        return Err(CliError::usage(format!(
            "missing action for '{name}' (start, stop, restart, status, enter, exec, run)"
        )));
    };
    let rest = &args[2..];
    let action = match action.as_str() {
        "exec" => {
            let command = match rest.first() {
                Some(dashes) if dashes == "--" => &rest[1..],
                _ => rest,
            };
            if command.is_empty() {
                return Err(CliError::usage("exec needs a command"));
            }
            return Ok((name.clone(), Action::Exec(command.to_vec())));
        }
        "start" => Action::Start,
        "stop" => Action::Stop,
        "restart" => Action::Restart,
        "status" => Action::Status,
        "enter" => Action::Enter,
        "run" => Action::Run,
        other => return Err(CliError::usage(format!("unknown action '{other}'"))),
    };
    if let Some(extra) = rest.first() {
        return Err(CliError::usage(format!(
            "'{}' takes no arguments, got '{extra}'",
            args[1]
        )));
    }
    Ok((name.clone(), action))
}

/// `stop`, with its message; then the guest's cgroup goes.
fn stop(dev: &Device, cfg: &Config) -> Result<(), CliError> {
    if stop::stop(dev, cfg)? {
        println!("stopped {}", cfg.name);
    } else {
        println!("{} is not running", cfg.name);
    }
    setup::remove_cgroup_or_warn(cfg);
    Ok(())
}

/// `status`: exit 0 when running, 3 when stopped.
fn status(dev: &Device, cfg: &Config) -> Result<(), CliError> {
    match stop::running_tasks(dev, cfg.xid)? {
        Some(tasks) => {
            println!("{} running (xid {}, {tasks} tasks)", cfg.name, cfg.xid);
            Ok(())
        }
        None => {
            println!("{} stopped", cfg.name);
            Err(CliError::Exit(EXIT_STOPPED, String::new()))
        }
    }
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let (name, action) = parse(args)?;
    let cfg = config::load(&config::base_dir(), &name)?;
    let dev = device::open()?;
    match action {
        Action::Start => start::start(&dev, &cfg, false),
        Action::Stop => stop(&dev, &cfg),
        Action::Restart => {
            stop(&dev, &cfg)?;
            start::start(&dev, &cfg, false)
        }
        Action::Status => status(&dev, &cfg),
        Action::Enter => exec::exec(&dev, &cfg, &["/bin/sh".to_string()]),
        Action::Exec(command) => exec::exec(&dev, &cfg, &command),
        Action::Run => run::run(&dev, &cfg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    fn ok(a: &[&str]) -> (String, Action) {
        parse(&strings(a)).unwrap()
    }

    fn err(a: &[&str]) -> String {
        let e = parse(&strings(a)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn actions_parse() {
        assert_eq!(ok(&["web", "start"]), ("web".into(), Action::Start));
        assert_eq!(ok(&["web", "stop"]).1, Action::Stop);
        assert_eq!(ok(&["web", "restart"]).1, Action::Restart);
        assert_eq!(ok(&["web", "status"]).1, Action::Status);
        assert_eq!(ok(&["web", "enter"]).1, Action::Enter);
        assert_eq!(ok(&["web", "run"]).1, Action::Run);
    }

    #[test]
    fn exec_takes_a_command_with_or_without_dashes() {
        assert_eq!(
            ok(&["web", "exec", "ls", "-l"]).1,
            Action::Exec(strings(&["ls", "-l"]))
        );
        assert_eq!(
            ok(&["web", "exec", "--", "ls", "--"]).1,
            Action::Exec(strings(&["ls", "--"]))
        );
        assert_eq!(err(&["web", "exec"]), "exec needs a command");
        assert_eq!(err(&["web", "exec", "--"]), "exec needs a command");
    }

    #[test]
    fn bad_command_lines_are_named() {
        assert!(err(&[]).starts_with("missing NAME and action"));
        assert!(err(&["web"]).starts_with("missing action for 'web'"));
        assert_eq!(err(&["web", "boot"]), "unknown action 'boot'");
        assert_eq!(
            err(&["web", "start", "now"]),
            "'start' takes no arguments, got 'now'"
        );
        assert!(err(&["--all", "start"]).contains("got option '--all'"));
        assert!(err(&["../x", "start"]).contains("bad vserver name"));
    }
}
