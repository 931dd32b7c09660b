// SPDX-License-Identifier: GPL-2.0

//! File-tree confinement of guests beyond the barrier: `chroot()` stays inside the
//! guest's root, and no task carries a directory from outside its root into a guest.
//!
//! A task can only reach what lies outside its root through a directory it already holds:
//! its working directory or an open directory descriptor. So a task of a guest context
//! may chroot only below its current root, and only while every directory it holds open
//! lies below the new root; a task enters a guest context only while its working directory
//! and open directories lie below its root. (The working directory is left to the barrier
//! after a `chroot()`: `chroot(dir)` followed by `chdir("/")` is the usual idiom.)

use core::ffi::{c_int, c_uint, c_void};
use kernel::bindings;
use kernel::prelude::*;

/// Whether `path` lies below (or is) the root of `fs`.
///
/// # Safety
///
/// `fs` must be a live `fs_struct` and `path` a path the caller holds.
pub(crate) unsafe fn under_root(fs: *mut bindings::fs_struct, path: *const bindings::path) -> bool {
    // SAFETY: `fs` is live; its lock keeps `root` referenced while we look at it, so no
    // reference of our own (whose release could sleep) is needed.
    unsafe {
        bindings::read_seqlock_excl(&raw mut (*fs).seq);
        let under = bindings::path_is_under(path, &raw const (*fs).root);
        bindings::read_sequnlock_excl(&raw mut (*fs).seq);
        under
    }
}

/// `iterate_fd` callback: a directory outside the path `root` points to stops the walk.
///
/// # Safety
///
/// `root` is a live `struct path`, `file` an open file (`iterate_fd` contract).
unsafe extern "C" fn directory_outside(
    root: *const c_void,
    file: *mut bindings::file,
    _fd: c_uint,
) -> c_int {
    // SAFETY: `file` is open, so its inode and path are valid.
    let (mode, path) = unsafe {
        (
            u32::from((*(*file).f_inode).i_mode),
            &raw const (*file).__bindgen_anon_1.f_path,
        )
    };
    if mode & bindings::S_IFMT != bindings::S_IFDIR {
        return 0;
    }
    // SAFETY: `path` is the file's, `root` is live (caller of `iterate_fd`).
    c_int::from(!unsafe { bindings::path_is_under(path, root.cast::<bindings::path>()) })
}

/// Whether the calling task holds an open directory outside `root`.
///
/// # Safety
///
/// `root` must be a path that stays referenced during the call.
pub(crate) unsafe fn holds_directory_outside(root: *const bindings::path) -> bool {
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task's `files` is valid while it runs (null only while exiting).
    let files = unsafe { (*task).files };
    if files.is_null() {
        return false;
    }
    // SAFETY: `files` is the current task's; `iterate_fd` takes its lock and calls us with
    // each open file; `root` outlives the call.
    unsafe { bindings::iterate_fd(files, 0, Some(directory_outside), root.cast()) != 0 }
}

/// Checks that the calling task may enter a guest context: its working directory and
/// every directory it holds open lie below its root (`EPERM` otherwise).
pub(crate) fn check_entry() -> Result {
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task's `fs` is valid while it runs.
    let fs = unsafe { (*task).fs };
    if fs.is_null() {
        return Err(EPERM);
    }
    let mut root = core::mem::MaybeUninit::<bindings::path>::uninit();
    let mut pwd = core::mem::MaybeUninit::<bindings::path>::uninit();
    // SAFETY: `fs` is live; each helper fills the path and takes a reference to it, which
    // we drop below (we are in process context: `path_put` may sleep).
    let (root, pwd) = unsafe {
        bindings::get_fs_root(fs, root.as_mut_ptr());
        bindings::get_fs_pwd(fs, pwd.as_mut_ptr());
        (root.assume_init(), pwd.assume_init())
    };
    // SAFETY: We hold both paths.
    let ok = unsafe { bindings::path_is_under(&pwd, &root) && !holds_directory_outside(&root) };
    // SAFETY: Dropping the references `get_fs_root` and `get_fs_pwd` took.
    unsafe {
        bindings::path_put(&pwd);
        bindings::path_put(&root);
    }
    if ok {
        Ok(())
    } else {
        Err(EPERM)
    }
}
