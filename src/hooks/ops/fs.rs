// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the file-system hooks ([`crate::hooks::fs`]).

use super::errno;
use crate::blob::file::{File, Inode, OpenFile};
use crate::blob::path::Path;
use crate::blob::task;
use crate::hooks::fs as policy;
use core::ffi::c_int;
use kernel::bindings;

/// `file_alloc_security`: the file's `f_cred` is set.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn file_alloc_security(file: *mut bindings::file) -> c_int {
    // SAFETY: `file` is alive for the call, its credentials set (hook contract: liveness).
    errno(policy::file_alloc_security(unsafe { File::from_raw(file) }))
}

/// `file_free_security`: the file's `f_cred` is still held.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn file_free_security(file: *mut bindings::file) {
    // SAFETY: `file` is alive until we return, its credentials held (hook contract:
    // liveness).
    policy::file_free_security(unsafe { File::from_raw(file) });
}

/// `path_chroot`: `path` is the new root.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn path_chroot(path: *const bindings::path) -> c_int {
    // SAFETY: The caller holds `path` for the call (hook contract: liveness).
    errno(policy::path_chroot(unsafe { Path::from_raw(path) }))
}

/// `file_send_sigiotask`: `tsk` receives the signal of the file `fown` belongs to.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn file_send_sigiotask(
    tsk: *mut bindings::task_struct,
    fown: *mut bindings::fown_struct,
    _sig: c_int,
) -> c_int {
    // SAFETY: `tsk` and the file of `fown` are alive for the call (hook contract:
    // liveness).
    let (tsk, file) = unsafe { (task::borrow(tsk), File::of_owner(fown)) };
    errno(policy::file_send_sigiotask(tsk, file))
}

/// `file_open`.
///
/// # Safety
///
/// The hook contract (liveness, execution context).
pub(super) unsafe extern "C" fn file_open(file: *mut bindings::file) -> c_int {
    // SAFETY: `file` is being opened and alive for the call (hook contract: liveness), and
    // the callback runs under `rcu_read_lock()` (hook contract: execution context).
    errno(policy::file_open(unsafe { OpenFile::from_raw(file) }))
}

/// `inode_permission`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn inode_permission(
    inode: *mut bindings::inode,
    mask: c_int,
) -> c_int {
    // SAFETY: `inode` is alive for the call (hook contract: liveness).
    errno(policy::inode_permission(
        unsafe { Inode::from_raw(inode) },
        mask,
    ))
}

/// `inode_mknod`: only the mode and device number of the new node matter.
pub(super) extern "C" fn inode_mknod(
    _dir: *mut bindings::inode,
    _dentry: *mut bindings::dentry,
    mode: bindings::umode_t,
    dev: bindings::dev_t,
) -> c_int {
    errno(policy::inode_mknod(mode, dev))
}
