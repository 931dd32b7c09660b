// SPDX-License-Identifier: GPL-2.0

//! The task hooks: fork, exit and free, signals, ptrace, the scheduler and rlimit hooks,
//! and task visibility.

use crate::blob::task::TaskBlob;
use crate::context::limits::{Charge, INFINITY};
use crate::context::policy::{self, Access};
use crate::context::registry::registry;
use crate::context::rlimits::{raises_above, value};
use crate::uapi;
use core::ffi::{c_int, c_uint};
use kernel::bindings;
use kernel::prelude::*;

/// `task_setrlimit`: a guest task cannot raise a limit above its context's ceiling, even
/// as the guest's root (`EPERM`); the host may set anything.
///
/// # Safety
///
/// `p` is a live task whose `signal` is locked by the caller; `new_rlim` is valid (shim
/// contract).
pub(crate) unsafe extern "C" fn task_setrlimit(
    p: *mut bindings::task_struct,
    resource: c_uint,
    new_rlim: *mut bindings::rlimit,
) -> c_int {
    let verdict = TaskBlob::with_current_context(|context| {
        let Some(ceiling) = context.rlimit_ceiling(resource) else {
            return true;
        };
        if ceiling == INFINITY {
            return true;
        }
        let index = resource as usize;
        // SAFETY: `p` is live, its limits locked by `do_prlimit`; `index` < `RLIM_NLIMITS`.
        let (old, new) = unsafe { ((*(*p).signal).rlim[index], *new_rlim) };
        let raised = raises_above(value(old.rlim_cur), value(new.rlim_cur), ceiling)
            || raises_above(value(old.rlim_max), value(new.rlim_max), ceiling);
        if raised {
            context.hit();
        }
        !raised
    });
    match verdict {
        Some(false) => EPERM.to_errno(),
        _ => 0,
    }
}

/// The verdict of [`policy::check`] for the calling task doing `access` to `target`, as a
/// hook return value.
///
/// # Safety
///
/// `target` must be a live task.
unsafe fn check_current(target: *const bindings::task_struct, access: Access) -> c_int {
    let actor = TaskBlob::current().xid();
    // The host may do anything: no need to look at the target.
    if actor == uapi::VS_XID_HOST {
        return 0;
    }
    // SAFETY: The caller guarantees `target` is live.
    let target = unsafe { TaskBlob::of(target) }.xid();
    match policy::check(actor, target, access) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `task_alloc`: a new task starts in its parent's context, if its `NPROC` limit has room
/// (`EAGAIN` otherwise, as for `RLIMIT_NPROC`).
///
/// # Safety
///
/// Called by the shim with a new task that has not run yet; `current` is its parent.
pub(crate) unsafe extern "C" fn task_alloc(
    task: *mut bindings::task_struct,
    _clone_flags: u64,
) -> c_int {
    let parent = TaskBlob::current();
    let context = TaskBlob::current_context();
    if let Some(context) = &context {
        if context.task_forked() == Charge::Refused {
            return EAGAIN.to_errno();
        }
    }
    // SAFETY: `task` is the new task, alive and not yet running (shim contract).
    let child = unsafe { TaskBlob::of(task) };
    // SAFETY: The fork path is the only one that touches the new task's blob yet.
    let old = unsafe { child.replace(parent.xid(), context) };
    // The shim hands us a zeroed blob; a stale reference here would be a bug in the fork path.
    debug_assert!(old.is_none());
    let net = TaskBlob::current_net();
    if let Some(net) = &net {
        net.task_entered();
    }
    // SAFETY: As above.
    let old_net = unsafe { child.replace_net(net) };
    debug_assert!(old_net.is_none());
    0
}

/// `task_free`: a task that never ran to `do_exit()` (a failed fork) leaves its context.
///
/// # Safety
///
/// Called by the shim with a task that is being freed.
pub(crate) unsafe extern "C" fn task_free(task: *mut bindings::task_struct) {
    // SAFETY: The task is alive until this hook returns (shim contract).
    let blob = unsafe { TaskBlob::of(task) };
    // SAFETY: The task is dead; nothing else touches its blob any more.
    if let Some(context) = unsafe { blob.replace(uapi::VS_XID_HOST, None) } {
        registry().task_left(context);
    }
    // SAFETY: As above.
    if let Some(net) = unsafe { blob.replace_net(None) } {
        registry().nets.task_left(net);
    }
}

/// `task_exit` (shim call site in `do_exit()`): the task no longer counts in its context.
///
/// It keeps its xid: as a zombie it is still seen only by its own context.
///
/// # Safety
///
/// `task` is current, exiting (shim contract).
pub(crate) unsafe extern "C" fn task_exit(task: *mut bindings::task_struct) {
    // SAFETY: `task` is current (shim contract).
    let blob = unsafe { TaskBlob::of(task) };
    // SAFETY: The blob is the calling task's own.
    if let Some(context) = unsafe { blob.replace(blob.xid(), None) } {
        registry().task_left(context);
    }
    // SAFETY: As above.
    if let Some(net) = unsafe { blob.replace_net(None) } {
        registry().nets.task_left(net);
    }
}

/// `task_visible` (shim call sites: pid lookups, `/proc`, `kill(-1)`): may current see `task`?
///
/// # Safety
///
/// `task` is live (shim contract).
pub(crate) unsafe extern "C" fn task_visible(task: *mut bindings::task_struct) -> bool {
    let viewer = TaskBlob::current().xid();
    if viewer == uapi::VS_XID_HOST || viewer == uapi::VS_XID_SPECTATOR {
        return true;
    }
    // SAFETY: `task` is live (shim contract).
    policy::may_see(viewer, unsafe { TaskBlob::of(task) }.xid())
}

/// `task_kill`: signals from user space follow the isolation rules.
///
/// # Safety
///
/// `p` is live (shim contract).
pub(crate) unsafe extern "C" fn task_kill(
    p: *mut bindings::task_struct,
    _info: *mut bindings::kernel_siginfo,
    sig: c_int,
    cred: *const bindings::cred,
) -> c_int {
    // A non-null `cred` is a signal sent on behalf of someone else (async I/O completion):
    // not the current task's doing.
    if !cred.is_null() {
        return 0;
    }
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST {
        return 0;
    }
    // SAFETY: `p` is live (shim contract).
    let target = unsafe { TaskBlob::of(p) }.xid();
    match policy::check(actor, target, policy::signal_access(sig)) {
        Ok(()) => 0,
        // The shim's call sites in the signal code already answer `ESRCH` for invisible
        // tasks; returning it from here would make `kill_pid_info_type()` retry forever.
        Err(_) => EPERM.to_errno(),
    }
}

/// `ptrace_access_check`: reading another task needs to see it, attaching to touch it.
///
/// # Safety
///
/// `child` is live (shim contract).
pub(crate) unsafe extern "C" fn ptrace_access_check(
    child: *mut bindings::task_struct,
    mode: c_uint,
) -> c_int {
    let access = if mode & bindings::PTRACE_MODE_ATTACH != 0 {
        Access::Modify
    } else {
        Access::Observe
    };
    // SAFETY: `child` is live (shim contract).
    unsafe { check_current(child, access) }
}

/// `ptrace_traceme`: the would-be tracer must be allowed to touch the caller.
///
/// # Safety
///
/// `parent` is live (shim contract).
pub(crate) unsafe extern "C" fn ptrace_traceme(parent: *mut bindings::task_struct) -> c_int {
    // SAFETY: `parent` is live (shim contract).
    let tracer = unsafe { TaskBlob::of(parent) }.xid();
    if policy::may_touch(tracer, TaskBlob::current().xid()) {
        0
    } else {
        EPERM.to_errno()
    }
}

/// Hooks that look at another task.
///
/// # Safety
///
/// `p` is live (shim contract).
pub(crate) unsafe extern "C" fn observe_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { check_current(p, Access::Observe) }
}

/// Hooks that change another task.
///
/// # Safety
///
/// `p` is live (shim contract).
pub(crate) unsafe extern "C" fn modify_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { check_current(p, Access::Modify) }
}

/// `task_setpgid`.
///
/// # Safety
///
/// `p` is live (shim contract).
pub(crate) unsafe extern "C" fn task_setpgid(
    p: *mut bindings::task_struct,
    _pgid: bindings::pid_t,
) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { modify_task(p) }
}

/// `task_setnice` and `task_setioprio`.
///
/// # Safety
///
/// `p` is live (shim contract).
pub(crate) unsafe extern "C" fn modify_task_value(
    p: *mut bindings::task_struct,
    _value: c_int,
) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { modify_task(p) }
}
