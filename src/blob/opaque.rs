// SPDX-License-Identifier: GPL-2.0

//! The C object behind a view, without an out-of-line call.
//!
//! `Opaque::get` (and so `Task::as_ptr` and `Credential::as_ptr`) is not `#[inline]`, and
//! the kernel crate's one instance of it is what the module links to: every use on a hook's
//! path cost a call and a return, a few percent of a `kill(pid, 0)` from a guest. The
//! pointer is only an address computation; these functions make it inline.

use kernel::bindings;
use kernel::cred::Credential;
use kernel::task::Task;
use kernel::types::Opaque;

/// The `T` inside `opaque`, as `Opaque::get` gives it.
#[inline(always)]
pub(crate) fn ptr<T>(opaque: &Opaque<T>) -> *mut T {
    // `Opaque<T>` is `#[repr(transparent)]` over an `UnsafeCell` of `T`'s bytes: its address
    // is `T`'s, and the cell is what lets C (and the views) write through the pointer.
    core::ptr::from_ref(opaque).cast::<T>().cast_mut()
}

/// The `task_struct` of `task`, as `Task::as_ptr` gives it.
#[inline(always)]
pub(crate) fn task(task: &Task) -> *mut bindings::task_struct {
    // `Task` is `#[repr(transparent)]` over `Opaque<task_struct>`.
    core::ptr::from_ref(task)
        .cast::<bindings::task_struct>()
        .cast_mut()
}

/// The `cred` of `cred`, as `Credential::as_ptr` gives it.
#[inline(always)]
pub(crate) fn cred(cred: &Credential) -> *mut bindings::cred {
    // `Credential` is `#[repr(transparent)]` over `Opaque<cred>`.
    core::ptr::from_ref(cred)
        .cast::<bindings::cred>()
        .cast_mut()
}

// The wrappers are the size of what they wrap (their `repr(transparent)`, which the casts
// above rely on, is the kernel crate's and is checked here as far as a build can).
const _: () = assert!(size_of::<Task>() == size_of::<bindings::task_struct>());
const _: () = assert!(size_of::<Credential>() == size_of::<bindings::cred>());
