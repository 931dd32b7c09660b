//! Errors of the tool: what the user reads, and the exit status.

use std::fmt;
use std::io;
use vserver_uapi::{Abi, OpenError};

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

    /// An error from opening `/dev/vserver` (at `path`), explained.
    pub fn open_device(path: &str, err: &OpenError) -> Self {
        match err {
            OpenError::Device(e) => Self::open_failed(path, e),
            OpenError::Version(e) => {
                Self::Failed(format!("{path}: VS_IOC_GET_VERSION: {}", strerror(e)))
            }
            OpenError::Abi(module) => Self::Failed(abi_mismatch(*module)),
        }
    }

    /// An error from opening the device node itself, with the usual hints.
    fn open_failed(path: &str, err: &io::Error) -> Self {
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

/// Why this tool refuses a module speaking ABI `module`, naming both versions.
pub fn abi_mismatch(module: Abi) -> String {
    let built = Abi::BUILT;
    format!(
        "the vserver module speaks ABI {module}; this tool needs ABI {built} ({}.x with x >= {})",
        built.major, built.minor
    )
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_error(errno: i32) -> CliError {
        let e = OpenError::Device(io::Error::from_raw_os_error(errno));
        CliError::open_device("/dev/vserver", &e)
    }

    #[test]
    fn missing_device_says_to_load_the_module() {
        let e = open_error(libc::ENOENT);
        assert_eq!(
            e.to_string(),
            "/dev/vserver not found: is the vserver module loaded? (insmod vserver.ko)"
        );
        assert_eq!(e.exit_code(), EXIT_FAILURE);
    }

    #[test]
    fn permission_denied_says_to_be_root() {
        let e = open_error(libc::EACCES);
        assert!(e.to_string().contains("run as root"), "{e}");
    }

    #[test]
    fn other_errors_keep_the_system_message() {
        let e = open_error(libc::EIO);
        assert!(e.to_string().starts_with("/dev/vserver: "), "{e}");
    }

    #[test]
    fn a_device_without_the_version_ioctl_is_named() {
        let e = OpenError::Version(io::Error::from_raw_os_error(libc::ENOTTY));
        let e = CliError::open_device("/dev/vserver", &e);
        assert_eq!(
            e.to_string(),
            "/dev/vserver: VS_IOC_GET_VERSION: Inappropriate ioctl for device"
        );
        assert_eq!(e.exit_code(), EXIT_FAILURE);
    }

    #[test]
    fn a_module_of_another_abi_is_refused_naming_both_versions() {
        let e = OpenError::Abi(Abi { major: 1, minor: 1 });
        let e = CliError::open_device("/dev/vserver", &e);
        let built = Abi::BUILT;
        assert_eq!(
            e.to_string(),
            format!(
                "the vserver module speaks ABI 1.1; this tool needs ABI {built} ({}.x with \
                 x >= {})",
                built.major, built.minor
            )
        );
        assert_eq!(e.exit_code(), EXIT_FAILURE);
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
