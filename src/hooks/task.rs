// SPDX-License-Identifier: GPL-2.0

//! The task hooks: fork, exit and free, signals, ptrace, the scheduler and rlimit hooks,
//! and task visibility.

use crate::blob::task::{PrivateTask, TaskBlob};
use crate::context::limits::{Charge, INFINITY};
use crate::context::policy::{self, Access};
use crate::context::registry::registry;
use crate::context::rlimits::{raises_above, value};
use crate::context::Context;
use crate::net::NetContext;
use crate::uapi;
use core::ffi::{c_int, c_uint};
use kernel::bindings;
use kernel::cred::Credential;
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::task::Task;

/// `task_setrlimit`: a guest task cannot raise a limit above its context's ceiling, even
/// as the guest's root (`EPERM`); the host may set anything. `old` is the limit being
/// changed (`None`: no such limit), `new` its new value.
pub(crate) fn task_setrlimit(
    resource: c_uint,
    old: Option<bindings::rlimit>,
    new: bindings::rlimit,
) -> Result {
    let verdict = TaskBlob::with_current_context(|context| {
        let Some(ceiling) = context.rlimit_ceiling(resource) else {
            return true;
        };
        if ceiling == INFINITY {
            return true;
        }
        let Some(old) = old else {
            return true;
        };
        let raised = raises_above(value(old.rlim_cur), value(new.rlim_cur), ceiling)
            || raises_above(value(old.rlim_max), value(new.rlim_max), ceiling);
        if raised {
            context.hit();
        }
        !raised
    });
    match verdict {
        Some(false) => Err(EPERM),
        _ => Ok(()),
    }
}

/// The verdict of [`policy::check`] for the calling task doing `access` to `target`.
fn check_current(target: &Task, access: Access) -> Result {
    let actor = TaskBlob::current().xid();
    // The host may do anything: no need to look at the target.
    if actor == uapi::VS_XID_HOST {
        return Ok(());
    }
    policy::check(actor, TaskBlob::of(target).xid(), access)
}

/// `task_alloc`: a new task starts in its parent's context (the calling task's), if its
/// `NPROC` limit has room (`EAGAIN` otherwise, as for `RLIMIT_NPROC`).
pub(crate) fn task_alloc(mut child: PrivateTask<'_>) -> Result {
    let parent = TaskBlob::current();
    let context = TaskBlob::current_context();
    if let Some(context) = &context {
        if context.task_forked() == Charge::Refused {
            return Err(EAGAIN);
        }
    }
    child.enter(parent.xid(), context);
    let net = TaskBlob::current_net();
    if let Some(net) = &net {
        net.task_entered();
    }
    child.enter_net(net);
    Ok(())
}

/// `task_free` and `task_exit`: a task that leaves its context (it exits, or a failed fork
/// frees it before it ran to `do_exit()`) no longer counts in it, nor in its network
/// context.
pub(crate) fn task_left(context: Option<Arc<Context>>, net: Option<Arc<NetContext>>) {
    if let Some(context) = context {
        registry().task_left(context);
    }
    if let Some(net) = net {
        registry().nets.task_left(net);
    }
}

/// `task_visible` (shim call sites: pid lookups, `/proc`, `kill(-1)`): may the calling
/// task see `task`?
pub(crate) fn task_visible(task: &Task) -> bool {
    let viewer = TaskBlob::current().xid();
    if viewer == uapi::VS_XID_HOST || viewer == uapi::VS_XID_SPECTATOR {
        return true;
    }
    policy::may_see(viewer, TaskBlob::of(task).xid())
}

/// `task_kill`: signals from user space follow the isolation rules. `cred` is set for a
/// signal sent on behalf of someone else (async I/O completion): not the calling task's
/// doing.
pub(crate) fn task_kill(p: &Task, sig: c_int, cred: Option<&Credential>) -> Result {
    if cred.is_some() {
        return Ok(());
    }
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST {
        return Ok(());
    }
    let target = TaskBlob::of(p).xid();
    // The shim's call sites in the signal code already answer `ESRCH` for invisible
    // tasks; returning it from here would make `kill_pid_info_type()` retry forever.
    policy::check(actor, target, policy::signal_access(sig)).map_err(|_| EPERM)
}

/// `ptrace_access_check`: reading another task needs to see it, attaching to touch it.
pub(crate) fn ptrace_access_check(child: &Task, mode: c_uint) -> Result {
    let access = if mode & bindings::PTRACE_MODE_ATTACH != 0 {
        Access::Modify
    } else {
        Access::Observe
    };
    check_current(child, access)
}

/// `ptrace_traceme`: the would-be tracer must be allowed to touch the caller.
pub(crate) fn ptrace_traceme(parent: &Task) -> Result {
    if policy::may_touch(TaskBlob::of(parent).xid(), TaskBlob::current().xid()) {
        Ok(())
    } else {
        Err(EPERM)
    }
}

/// Hooks that look at another task: `task_getpgid`, `task_getsid`, `task_getioprio`,
/// `task_getscheduler`.
pub(crate) fn observe_task(p: &Task) -> Result {
    check_current(p, Access::Observe)
}

/// Hooks that change another task: `task_setpgid`, `task_setnice`, `task_setioprio`,
/// `task_setscheduler`, `task_movememory`.
pub(crate) fn modify_task(p: &Task) -> Result {
    check_current(p, Access::Modify)
}
