//! Errors of the tool: what the user reads, and the exit status.

use std::fmt;
use std::io;

/// Exit status for a refused or failed operation.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for a bad command line.
pub const EXIT_USAGE: u8 = 2;

/// An error, with the message the user reads.
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong.
    Usage(String),
    /// The kernel (or the system) refused.
    Failed(String),
    /// Exit with this status; the message (if not empty) is printed first.
    Exit(u8, String),
    /// Not an error: `-h`/`--help` was given. The dispatcher prints the command's help
    /// from the command table and exits 0 (the parser does not know the command).
    Help,
    /// Not an error: `-V`/`--version` was given; as [`CliError::Help`].
    Version,
}

/// The system's text for `err`, without Rust's ` (os error N)` suffix.
pub fn strerror(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

impl CliError {
    pub fn usage(msg: impl Into<String>) -> Self {
        Self::Usage(msg.into())
    }

    /// An error from opening `/dev/vserver`, explained.
    pub fn open_device(path: &str, err: &io::Error) -> Self {
        let hint = match err.raw_os_error() {
            Some(libc::ENOENT) | Some(libc::ENXIO) | Some(libc::ENODEV) => {
                "not found: is the vserver module loaded? (insmod vserver.ko)"
            }
            Some(libc::EACCES) | Some(libc::EPERM) => "permission denied: run as root",
            _ => "",
        };
        if hint.is_empty() {
            Self::Failed(format!("{path}: {err}"))
        } else {
            Self::Failed(format!("{path} {hint}"))
        }
    }

    /// An error from an ioctl, naming what was attempted.
    pub fn ioctl(what: &str, err: &io::Error) -> Self {
        Self::Failed(format!("{what}: {err}"))
    }

    /// An error from a context ioctl on `xid`, explained: `what: why`.
    pub fn kernel(what: &str, xid: u32, err: &io::Error) -> Self {
        let why = match err.raw_os_error() {
            Some(libc::EPERM) => "permission denied (need root in the host context)".to_string(),
            Some(libc::ESRCH) => format!("no such context {xid}"),
            Some(libc::EEXIST) => format!("context {xid} already exists"),
            _ => strerror(err),
        };
        Self::Failed(format!("{what}: {why}"))
    }

    /// An error from a system call: `what: strerror`.
    pub fn system(what: &str, err: &io::Error) -> Self {
        Self::Failed(format!("{what}: {}", strerror(err)))
    }

    /// The message for the user; empty for a silent [`CliError::Exit`] and for the
    /// requests the dispatcher answers.
    pub fn message(&self) -> &str {
        match self {
            Self::Usage(m) | Self::Failed(m) | Self::Exit(_, m) => m,
            Self::Help | Self::Version => "",
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => EXIT_USAGE,
            Self::Failed(_) => EXIT_FAILURE,
            Self::Exit(code, _) => *code,
            Self::Help | Self::Version => 0,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_device_says_to_load_the_module() {
        let e = CliError::open_device("/dev/vserver", &io::Error::from_raw_os_error(libc::ENOENT));
        assert!(e.to_string().contains("module loaded"), "{e}");
        assert_eq!(e.exit_code(), EXIT_FAILURE);
    }

    #[test]
    fn permission_denied_says_to_be_root() {
        let e = CliError::open_device("/dev/vserver", &io::Error::from_raw_os_error(libc::EACCES));
        assert!(e.to_string().contains("run as root"), "{e}");
    }

    #[test]
    fn other_errors_keep_the_system_message() {
        let e = CliError::open_device("/dev/vserver", &io::Error::from_raw_os_error(libc::EIO));
        assert!(e.to_string().starts_with("/dev/vserver: "), "{e}");
    }

    #[test]
    fn kernel_errors_are_explained() {
        let e =
            |errno| CliError::kernel("kill", 7, &io::Error::from_raw_os_error(errno)).to_string();
        assert_eq!(
            e(libc::EPERM),
            "kill: permission denied (need root in the host context)"
        );
        assert_eq!(e(libc::ESRCH), "kill: no such context 7");
        assert_eq!(e(libc::EEXIST), "kill: context 7 already exists");
        assert_eq!(e(libc::EBUSY), "kill: Device or resource busy");
        assert_eq!(
            CliError::kernel("x", 7, &io::Error::from_raw_os_error(libc::EBUSY)).exit_code(),
            1
        );
    }

    #[test]
    fn strerror_drops_the_os_error_suffix() {
        assert_eq!(
            strerror(&io::Error::from_raw_os_error(libc::ENOENT)),
            "No such file or directory"
        );
        assert_eq!(strerror(&io::Error::other("plain")), "plain");
    }

    #[test]
    fn exit_carries_its_status_and_may_be_silent() {
        let e = CliError::Exit(127, "cannot execute".into());
        assert_eq!((e.exit_code(), e.message()), (127, "cannot execute"));
        assert_eq!(CliError::Exit(3, String::new()).message(), "");
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(CliError::usage("x").exit_code(), EXIT_USAGE);
    }
}
