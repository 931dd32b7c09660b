//! Signals by number or name (`TERM`, `SIGTERM`, `term`, `15`).

use crate::error::CliError;

/// The signals with names, as Linux numbers them.
const SIGNALS: [(&str, i32); 33] = [
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("IOT", libc::SIGIOT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", libc::SIGSTKFLT),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("IO", libc::SIGIO),
    ("POLL", libc::SIGPOLL),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// The highest signal number (the last real-time signal on Linux).
const SIG_MAX: i32 = 64;

/// Parses a signal: a number `0..=64` or a name, with or without `SIG`, any case.
pub fn parse_signal(text: &str) -> Result<i32, CliError> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i32>() {
            Ok(n) if n <= SIG_MAX => Ok(n),
            _ => Err(CliError::usage(format!(
                "signal {text} is out of range (0 to {SIG_MAX})"
            ))),
        };
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, sig)| *sig)
        .ok_or_else(|| CliError::usage(format!("unknown signal '{text}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse_by_name_with_or_without_sig() {
        assert_eq!(parse_signal("TERM").unwrap(), libc::SIGTERM);
        assert_eq!(parse_signal("SIGTERM").unwrap(), libc::SIGTERM);
        assert_eq!(parse_signal("kill").unwrap(), libc::SIGKILL);
        assert_eq!(parse_signal("sigHup").unwrap(), libc::SIGHUP);
        for (name, sig) in [
            ("INT", 2),
            ("QUIT", 3),
            ("USR1", 10),
            ("USR2", 12),
            ("STOP", 19),
            ("CONT", 18),
            ("SYS", 31),
        ] {
            assert_eq!(parse_signal(name).unwrap(), sig, "{name}");
        }
    }

    #[test]
    fn signals_parse_by_number() {
        assert_eq!(parse_signal("9").unwrap(), 9);
        assert_eq!(parse_signal("0").unwrap(), 0);
        assert_eq!(parse_signal("64").unwrap(), 64);
        let e = parse_signal("65").unwrap_err();
        assert_eq!(e.to_string(), "signal 65 is out of range (0 to 64)");
        assert!(parse_signal("99999999999999999999").is_err());
    }

    #[test]
    fn unknown_signals_are_usage_errors_naming_the_signal() {
        for bad in ["", "SIG", "FOO", "-9", "TERM ", "SIGSIGTERM"] {
            let e = parse_signal(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert_eq!(e.to_string(), format!("unknown signal '{bad}'"));
        }
    }
}
