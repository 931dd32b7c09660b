// SPDX-License-Identifier: GPL-2.0

//! Paths as the confinement rules ask about them: where a path lies relative to another,
//! to the calling task's root, and to the directories the calling task holds open.

use crate::blob::opaque;
use core::ffi::{c_int, c_uint, c_void};
use kernel::bindings;
use kernel::task::Task;
use kernel::types::Opaque;

/// A `struct path`, borrowed from whoever holds it (the hook's caller, a [`HeldPath`]).
///
/// # Invariants
///
/// The path is referenced (its dentry and mount are pinned) while borrowed.
#[repr(transparent)]
pub(crate) struct Path(Opaque<bindings::path>);

impl Path {
    /// The path `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a path that stays referenced for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::path) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `Path` is a transparent wrapper of `struct path`, referenced for `'a`
        // (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    fn as_ptr(&self) -> *const bindings::path {
        opaque::ptr(&self.0)
    }

    /// Whether this path lies below (or is) `root`.
    pub(crate) fn is_under(&self, root: &Path) -> bool {
        // SAFETY: Both paths are referenced (type invariant).
        unsafe { bindings::path_is_under(self.as_ptr(), root.as_ptr()) }
    }

    /// Whether this path lies below (or is) the root of the calling task, or `None` if the
    /// task has no file-system context any more (it is exiting).
    pub(crate) fn is_under_current_root(&self) -> Option<bool> {
        let task = Task::current_raw();
        // SAFETY: The current task's `fs` is valid while it runs (null only while exiting).
        let fs = unsafe { (*task).fs };
        if fs.is_null() {
            return None;
        }
        // The lock of `fs` keeps `root` referenced while we look at it, so no reference of
        // our own (whose release could sleep) is needed.
        // SAFETY: `fs` is live; `root` and `self` are referenced (type invariant).
        Some(unsafe {
            bindings::read_seqlock_excl(&raw mut (*fs).seq);
            let under = bindings::path_is_under(self.as_ptr(), &raw const (*fs).root);
            bindings::read_sequnlock_excl(&raw mut (*fs).seq);
            under
        })
    }
}

/// `iterate_fd` callback: a directory outside the path `root` points to stops the walk.
///
/// # Safety
///
/// `root` is a referenced `struct path`, `file` an open file (`iterate_fd` contract).
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
    // SAFETY: `path` is the file's, `root` is referenced (caller of `iterate_fd`).
    c_int::from(!unsafe { bindings::path_is_under(path, root.cast::<bindings::path>()) })
}

/// Whether the calling task holds an open directory outside `root`.
pub(crate) fn current_holds_directory_outside(root: &Path) -> bool {
    let task = Task::current_raw();
    // SAFETY: The current task's `files` is valid while it runs (null only while exiting).
    let files = unsafe { (*task).files };
    if files.is_null() {
        return false;
    }
    // SAFETY: `files` is the current task's; `iterate_fd` takes its lock and calls us with
    // each open file; `root` stays referenced during the call (type invariant).
    unsafe { bindings::iterate_fd(files, 0, Some(directory_outside), root.as_ptr().cast()) != 0 }
}

/// A path this module holds a reference to; dropping it drops the reference, which may
/// sleep (process context only).
///
/// # Invariants
///
/// The module holds one reference to `self.0`.
pub(crate) struct HeldPath(bindings::path);

impl core::ops::Deref for HeldPath {
    type Target = Path;

    fn deref(&self) -> &Path {
        // SAFETY: We hold a reference to the path for as long as `self` lives (type
        // invariant).
        unsafe { Path::from_raw(&self.0) }
    }
}

impl Drop for HeldPath {
    fn drop(&mut self) {
        // SAFETY: Dropping the reference we hold (type invariant), in process context.
        unsafe { bindings::path_put(&self.0) };
    }
}

/// The root and the working directory of the calling task, or `None` if it has no
/// file-system context any more (it is exiting). Process context only.
pub(crate) fn current_root_and_pwd() -> Option<(HeldPath, HeldPath)> {
    let task = Task::current_raw();
    // SAFETY: The current task's `fs` is valid while it runs.
    let fs = unsafe { (*task).fs };
    if fs.is_null() {
        return None;
    }
    let mut root = core::mem::MaybeUninit::<bindings::path>::uninit();
    let mut pwd = core::mem::MaybeUninit::<bindings::path>::uninit();
    // INVARIANT: `HeldPath` holds that reference.
    // SAFETY: `fs` is live; each helper fills the path and takes a reference to it.
    unsafe {
        bindings::get_fs_root(fs, root.as_mut_ptr());
        bindings::get_fs_pwd(fs, pwd.as_mut_ptr());
        Some((HeldPath(root.assume_init()), HeldPath(pwd.assume_init())))
    }
}
