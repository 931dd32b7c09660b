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

    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => EXIT_USAGE,
            Self::Failed(_) => EXIT_FAILURE,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(m) | Self::Failed(m) => f.write_str(m),
        }
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
    fn usage_errors_exit_2() {
        assert_eq!(CliError::usage("x").exit_code(), EXIT_USAGE);
    }
}
