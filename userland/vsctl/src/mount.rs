//! Checked wrappers of the mount-table system calls that confine a guest to its root:
//! bind and move mounts, `pivot_root`, lazy unmounts, `chdir` and `chroot`.

use crate::error::CliError;
use crate::sys::cstring;
use std::io;

/// Whether the system call just made failed; its error, naming `what`.
fn check(ret: libc::c_int, what: impl FnOnce() -> String) -> Result<(), (io::Error, String)> {
    if ret < 0 {
        Err((io::Error::last_os_error(), what()))
    } else {
        Ok(())
    }
}

/// The [`CliError`] of a failed [`check`].
fn to_cli((err, what): (io::Error, String)) -> CliError {
    CliError::system(&what, &err)
}

/// Bind-mounts `path` onto itself, with the mounts below it (`MS_BIND | MS_REC`).
pub fn bind_self(path: &str) -> Result<(), CliError> {
    let p = cstring(path)?;
    // SAFETY: source and target are NUL-terminated; NULL type and data are allowed for a
    // bind mount.
    let ret = unsafe {
        libc::mount(
            p.as_ptr(),
            p.as_ptr(),
            std::ptr::null(),
            libc::MS_BIND | libc::MS_REC,
            std::ptr::null(),
        )
    };
    check(ret, || format!("bind-mount {path} onto itself")).map_err(to_cli)
}

/// `chdir(path)`.
pub fn chdir(path: &str) -> Result<(), CliError> {
    let p = cstring(path)?;
    // SAFETY: `p` is NUL-terminated.
    check(unsafe { libc::chdir(p.as_ptr()) }, || {
        format!("chdir to {path}")
    })
    .map_err(to_cli)
}

/// `pivot_root(".", ".")`: the current directory becomes the root, the old root is
/// stacked on it (to be detached with [`detach_cwd`]). Returns the raw error, so the
/// caller can tell `EINVAL` (the old root is the initramfs rootfs) from others.
pub fn pivot_root_cwd() -> io::Result<()> {
    let dot = c".";
    // SAFETY: both arguments are NUL-terminated.
    let ret = unsafe { libc::syscall(libc::SYS_pivot_root, dot.as_ptr(), dot.as_ptr()) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `umount2(".", MNT_DETACH)`: detaches the mount at the current directory (after
/// [`pivot_root_cwd`]: the old root).
pub fn detach_cwd() -> Result<(), CliError> {
    let dot = c".";
    // SAFETY: `dot` is NUL-terminated.
    let ret = unsafe { libc::umount2(dot.as_ptr(), libc::MNT_DETACH) };
    check(ret, || "detach the old root".to_string()).map_err(to_cli)
}

/// `mount(".", "/", NULL, MS_MOVE)`: moves the mount at the current directory over `/`.
pub fn move_cwd_to_root() -> Result<(), CliError> {
    let (dot, root) = (c".", c"/");
    // SAFETY: source and target are NUL-terminated; NULL type and data are allowed for a
    // move.
    let ret = unsafe {
        libc::mount(
            dot.as_ptr(),
            root.as_ptr(),
            std::ptr::null(),
            libc::MS_MOVE,
            std::ptr::null(),
        )
    };
    check(ret, || "move the guest root over /".to_string()).map_err(to_cli)
}

/// `chroot(".")`.
pub fn chroot_cwd() -> Result<(), CliError> {
    let dot = c".";
    // SAFETY: `dot` is NUL-terminated.
    check(unsafe { libc::chroot(dot.as_ptr()) }, || {
        "chroot to the guest root".to_string()
    })
    .map_err(to_cli)
}
