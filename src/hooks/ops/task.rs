// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the task hooks ([`crate::hooks::task`]).

use super::errno;
use crate::blob::task::{self as blob, PrivateTask, TaskBlob};
use crate::hooks::task as policy;
use core::ffi::{c_int, c_uint};
use kernel::bindings;
use kernel::cred::Credential;

/// `task_setrlimit`.
///
/// # Safety
///
/// The hook contract (liveness); `do_prlimit()` holds the lock on `p`'s limits.
pub(super) unsafe extern "C" fn task_setrlimit(
    p: *mut bindings::task_struct,
    resource: c_uint,
    new_rlim: *mut bindings::rlimit,
) -> c_int {
    // SAFETY: `p` and `new_rlim` are alive for the call (hook contract: liveness), and the
    // caller holds the lock that keeps `p`'s limits stable.
    let (old, new) = unsafe { (blob::locked_rlimit(blob::borrow(p), resource), *new_rlim) };
    errno(policy::task_setrlimit(resource, old, new))
}

/// `task_alloc`: `task` is the new child of the calling task.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn task_alloc(
    task: *mut bindings::task_struct,
    _clone_flags: u64,
) -> c_int {
    // SAFETY: `task` is alive for the call (hook contract: liveness) and has not run yet:
    // only the fork path, which calls us, uses its blob (hook contract: privacy).
    let child = unsafe { PrivateTask::new(blob::borrow(task)) };
    errno(policy::task_alloc(child))
}

/// `task_free`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn task_free(task: *mut bindings::task_struct) {
    // SAFETY: `task` is alive until we return (hook contract: liveness) and gone: nothing
    // else uses its blob any more (hook contract: privacy).
    let mut dead = unsafe { PrivateTask::new(blob::borrow(task)) };
    let (context, net) = dead.leave();
    policy::task_left(context, net);
}

/// `task_exit` (shim call site in `do_exit()`): `task` is current. It keeps its xid: as a
/// zombie it is still seen only by its own context.
///
/// # Safety
///
/// The hook contract (liveness; `task` is current).
pub(super) unsafe extern "C" fn task_exit(task: *mut bindings::task_struct) {
    // SAFETY: `task` is current (hook contract), alive while it runs this.
    let exiting = TaskBlob::of(unsafe { blob::borrow(task) });
    // SAFETY: The blob is the calling task's own, and no borrow of its slots lives here.
    let (context, net) = unsafe {
        (
            exiting.replace(exiting.xid(), None),
            exiting.replace_net(None),
        )
    };
    policy::task_left(context, net);
}

/// `task_visible` (shim call sites: pid lookups, `/proc`, `kill(-1)`).
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn task_visible(task: *mut bindings::task_struct) -> bool {
    // SAFETY: `task` is alive for the call (hook contract: liveness).
    policy::task_visible(unsafe { blob::borrow(task) })
}

/// `task_kill`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn task_kill(
    p: *mut bindings::task_struct,
    _info: *mut bindings::kernel_siginfo,
    sig: c_int,
    cred: *const bindings::cred,
) -> c_int {
    let cred = if cred.is_null() {
        None
    } else {
        // SAFETY: A non-null `cred` is alive for the call (hook contract: liveness).
        Some(unsafe { Credential::from_ptr(cred) })
    };
    // SAFETY: `p` is alive for the call (hook contract: liveness).
    errno(policy::task_kill(unsafe { blob::borrow(p) }, sig, cred))
}

/// `ptrace_access_check`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn ptrace_access_check(
    child: *mut bindings::task_struct,
    mode: c_uint,
) -> c_int {
    // SAFETY: `child` is alive for the call (hook contract: liveness).
    errno(policy::ptrace_access_check(
        unsafe { blob::borrow(child) },
        mode,
    ))
}

/// `ptrace_traceme`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn ptrace_traceme(parent: *mut bindings::task_struct) -> c_int {
    // SAFETY: `parent` is alive for the call (hook contract: liveness).
    errno(policy::ptrace_traceme(unsafe { blob::borrow(parent) }))
}

/// `task_getpgid`, `task_getsid`, `task_getioprio`, `task_getscheduler`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn observe_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is alive for the call (hook contract: liveness).
    errno(policy::observe_task(unsafe { blob::borrow(p) }))
}

/// `task_setscheduler`, `task_movememory`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn modify_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is alive for the call (hook contract: liveness).
    errno(policy::modify_task(unsafe { blob::borrow(p) }))
}

/// `task_setpgid`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn task_setpgid(
    p: *mut bindings::task_struct,
    _pgid: bindings::pid_t,
) -> c_int {
    // SAFETY: `p` is alive for the call (hook contract: liveness).
    errno(policy::modify_task(unsafe { blob::borrow(p) }))
}

/// `task_setnice` and `task_setioprio`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn modify_task_value(
    p: *mut bindings::task_struct,
    _value: c_int,
) -> c_int {
    // SAFETY: `p` is alive for the call (hook contract: liveness).
    errno(policy::modify_task(unsafe { blob::borrow(p) }))
}
