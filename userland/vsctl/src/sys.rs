//! Checked wrappers of the process, namespace, file descriptor and clock system calls
//! the commands use. Errors come back as readable [`CliError`]s.

use crate::error::{strerror, CliError};
use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Instant;

/// Exit status when a command cannot be executed (as the shell uses it).
pub const EXIT_EXEC: u8 = 127;

/// The error of the system call that just failed.
fn failed(what: &str) -> CliError {
    CliError::system(what, &io::Error::last_os_error())
}

/// `text` for a system call; a usage error if it holds a NUL byte.
pub fn cstring(text: &str) -> Result<CString, CliError> {
    CString::new(text)
        .map_err(|_| CliError::usage(format!("'{}' contains a NUL byte", text.escape_debug())))
}

/// Which side of a [`fork`] we are on.
pub enum Fork {
    Child,
    Parent(libc::pid_t),
}

/// Forks the (single-threaded) process.
pub fn fork() -> Result<Fork, CliError> {
    // SAFETY: the tool never starts threads, so the child may run any code.
    match unsafe { libc::fork() } {
        pid if pid < 0 => Err(failed("fork")),
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(pid)),
    }
}

/// Runs `command` (searched in `PATH`) in place of this process. Returns only on failure,
/// with the error to exit with (status 127).
pub fn execvp(command: &[String]) -> CliError {
    let Some(program) = command.first() else {
        return CliError::usage("no command to run");
    };
    let args = match command
        .iter()
        .map(|a| cstring(a))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(args) => args,
        Err(e) => return e,
    };
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: `argv` is a NULL-terminated array of NUL-terminated strings; `args` keeps
    // them alive across the call.
    unsafe { libc::execvp(argv[0], argv.as_ptr()) };
    let err = io::Error::last_os_error();
    CliError::Exit(
        EXIT_EXEC,
        format!("cannot execute '{program}': {}", strerror(&err)),
    )
}

/// `unshare(flags)`: new namespaces for this process.
pub fn unshare(flags: libc::c_int) -> Result<(), CliError> {
    // SAFETY: plain system call, no pointers.
    if unsafe { libc::unshare(flags) } < 0 {
        return Err(failed("unshare"));
    }
    Ok(())
}

/// Joins the namespace `ns` (`uts`, `mnt`, ...) of process `pid`. `Ok(false)` if the
/// process (or its namespace file) is gone.
pub fn join_namespace(pid: libc::pid_t, ns: &str) -> Result<bool, CliError> {
    let file = match File::open(format!("/proc/{pid}/ns/{ns}")) {
        Ok(file) => file,
        Err(_) => return Ok(false),
    };
    // SAFETY: the descriptor is open for the duration of the call.
    if unsafe { libc::setns(file.as_raw_fd(), 0) } < 0 {
        return Err(failed(&format!("join the {ns} namespace of pid {pid}")));
    }
    Ok(true)
}

/// Makes every mount private, so mounts of a new mount namespace stay in it.
pub fn make_mounts_private() -> Result<(), CliError> {
    let root = cstring("/")?;
    // SAFETY: `root` is NUL-terminated; NULL source, type and data are allowed for a
    // propagation change.
    let ret = unsafe {
        libc::mount(
            std::ptr::null(),
            root.as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        )
    };
    if ret < 0 {
        return Err(failed("make mounts private"));
    }
    Ok(())
}

/// `sethostname(name)`.
pub fn sethostname(name: &str) -> Result<(), CliError> {
    // SAFETY: the pointer and length describe `name`.
    if unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) } < 0 {
        return Err(failed(&format!("set host name '{name}'")));
    }
    Ok(())
}

/// `chroot(path)`, then `chdir("/")` inside it.
pub fn chroot(path: &str) -> Result<(), CliError> {
    let dir = cstring(path)?;
    let root = cstring("/")?;
    // SAFETY: both strings are NUL-terminated.
    if unsafe { libc::chroot(dir.as_ptr()) } < 0 {
        return Err(failed(&format!("chroot to {path}")));
    }
    // SAFETY: as above.
    if unsafe { libc::chdir(root.as_ptr()) } < 0 {
        return Err(failed(&format!("chdir to / in {path}")));
    }
    Ok(())
}

/// `setsid()`: a new session, without a controlling terminal.
pub fn setsid() -> Result<(), CliError> {
    // SAFETY: plain system call.
    if unsafe { libc::setsid() } < 0 {
        return Err(failed("setsid"));
    }
    Ok(())
}

/// Closes every descriptor above 2 except those in `keep`.
pub fn close_fds_except(keep: &[RawFd]) {
    let mut keep: Vec<u32> = keep
        .iter()
        .filter(|&&fd| fd > 2)
        .map(|&fd| fd as u32)
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let mut first = 3u32;
    for fd in keep {
        if fd > first {
            close_range(first, fd - 1);
        }
        first = fd + 1;
    }
    close_range(first, u32::MAX);
}

/// Closes the descriptors `first..=last`.
fn close_range(first: u32, last: u32) {
    // SAFETY: closes descriptors only; the caller owns none of them any more.
    let ret = unsafe { libc::syscall(libc::SYS_close_range, first, last, 0u32) };
    if ret == 0 {
        return;
    }
    // Kernels without close_range: one at a time, up to the descriptor limit.
    // SAFETY: plain library call.
    let limit = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) }.clamp(256, 1 << 16) as u32;
    for fd in first..=last.min(limit - 1) {
        // SAFETY: as above.
        unsafe { libc::close(fd as libc::c_int) };
    }
}

/// The exit status a shell reports for a `waitpid` status: the code, or 128 + signal.
pub fn exit_status(status: libc::c_int) -> u8 {
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status) as u8
    } else if libc::WIFSIGNALED(status) {
        (128 + libc::WTERMSIG(status)).min(255) as u8
    } else {
        1
    }
}

/// Waits for the child `pid` to end; returns its exit status as [`exit_status`] gives it.
pub fn wait_child(pid: libc::pid_t) -> Result<u8, CliError> {
    let mut status = 0;
    loop {
        // SAFETY: `status` is a valid out pointer.
        if unsafe { libc::waitpid(pid, &mut status, 0) } >= 0 {
            return Ok(exit_status(status));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(CliError::system(&format!("wait for pid {pid}"), &err));
        }
    }
}

/// Ignores SIGINT and SIGQUIT (while a child owns the terminal, like `system()`).
pub fn ignore_interrupts() {
    // SAFETY: installs the SIG_IGN disposition, no handler code.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
}

/// Ends the process at once, without running destructors or flushing (for forked
/// children that must not touch the parent's state).
pub fn exit_now(code: u8) -> ! {
    // SAFETY: _exit never returns and is always safe to call.
    unsafe { libc::_exit(libc::c_int::from(code)) }
}

/// `CLOCK_BOOTTIME` in nanoseconds (the clock of `vs_context_info.created_ns`).
pub fn boottime_ns() -> Result<u64, CliError> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out pointer.
    if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) } < 0 {
        return Err(failed("clock_gettime(CLOCK_BOOTTIME)"));
    }
    Ok((ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64))
}

/// The number of online CPUs (at least 1).
pub fn online_cpus() -> u32 {
    // SAFETY: plain library call.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    u32::try_from(n).unwrap_or(1).max(1)
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(File, File), CliError> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(failed("pipe"));
    }
    // SAFETY: pipe2 just opened both descriptors; nothing else owns them.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((File::from(r), File::from(w)))
}

/// Reads `file` to its end, waiting no later than `deadline`. `None` on time-out.
pub fn read_until(file: &mut File, deadline: Instant) -> Result<Option<Vec<u8>>, CliError> {
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        let mut pfd = libc::pollfd {
            fd: file.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = left.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
        // SAFETY: one valid pollfd.
        let ret = unsafe { libc::poll(&mut pfd, 1, ms) };
        if ret < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(CliError::system("poll", &err));
        }
        if ret == 0 {
            continue;
        }
        match file.read(&mut buf) {
            Ok(0) => return Ok(Some(data)),
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CliError::system("read", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_follows_the_shell() {
        assert_eq!(exit_status(0), 0);
        assert_eq!(exit_status(3 << 8), 3);
        assert_eq!(exit_status(255 << 8), 255);
        assert_eq!(exit_status(libc::SIGKILL), 137);
        assert_eq!(exit_status(libc::SIGTERM), 143);
    }

    #[test]
    fn nul_bytes_are_refused() {
        assert!(cstring("ok").is_ok());
        let e = cstring("a\0b").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("NUL"), "{e}");
    }

    #[test]
    fn there_is_a_cpu() {
        assert!(online_cpus() >= 1);
    }

    #[test]
    fn boottime_runs() {
        assert!(boottime_ns().unwrap() > 0);
    }

    #[test]
    fn read_until_sees_the_end_or_times_out() {
        use std::io::Write;
        use std::time::Duration;
        let (mut r, mut w) = pipe().unwrap();
        w.write_all(b"open").unwrap();
        let soon = Instant::now() + Duration::from_millis(50);
        assert_eq!(read_until(&mut r, soon).unwrap(), None);
        let (mut r, mut w) = pipe().unwrap();
        w.write_all(b"msg").unwrap();
        drop(w);
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(read_until(&mut r, later).unwrap(), Some(b"msg".to_vec()));
    }

    #[test]
    fn exec_of_nothing_is_a_usage_error() {
        assert_eq!(execvp(&[]).exit_code(), 2);
    }
}
