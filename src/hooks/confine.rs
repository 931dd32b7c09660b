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

use crate::blob::path::{current_holds_directory_outside, current_root_and_pwd, Path};
use kernel::prelude::*;

/// Whether the calling task may chroot to `new_root`: it lies below the task's current
/// root, and the task holds no open directory outside it.
pub(crate) fn may_chroot(new_root: &Path) -> bool {
    new_root.is_under_current_root().unwrap_or(false) && !current_holds_directory_outside(new_root)
}

/// Checks that the calling task may enter a guest context: its working directory and
/// every directory it holds open lie below its root (`EPERM` otherwise).
pub(crate) fn check_entry() -> Result {
    let (root, pwd) = current_root_and_pwd().ok_or(EPERM)?;
    if pwd.is_under(&root) && !current_holds_directory_outside(&root) {
        Ok(())
    } else {
        Err(EPERM)
    }
}
