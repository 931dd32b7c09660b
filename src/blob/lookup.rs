// SPDX-License-Identifier: GPL-2.0

//! Finding tasks by pid on behalf of the caller, with the caller's view of them.

use crate::blob::task::TaskBlob;
use kernel::bindings;
use kernel::prelude::*;

/// Runs `f` on the blob of the task with pid `pid` in the caller's pid namespace.
///
/// Fails with `ESRCH` when there is no such task or the caller may not see it.
pub(crate) fn with_visible_task<R>(pid: i32, f: impl FnOnce(&TaskBlob<'_>) -> R) -> Result<R> {
    let _rcu = kernel::sync::rcu::read_lock();
    // SAFETY: `find_vpid` may be called with any number under `rcu_read_lock()`, which we hold.
    let pid = unsafe { bindings::find_vpid(pid) };
    if pid.is_null() {
        return Err(ESRCH);
    }
    // SAFETY: `pid` is valid under the RCU read lock we hold.
    let task = unsafe { bindings::pid_task(pid, bindings::pid_type_PIDTYPE_PID) };
    if task.is_null() {
        return Err(ESRCH);
    }
    // SAFETY: `task` stays valid while we hold the RCU read lock, which outlives the borrow.
    let blob = TaskBlob::of(unsafe { crate::blob::task::borrow(task) });
    if !crate::context::policy::may_see(TaskBlob::current().xid(), blob.xid()) {
        return Err(ESRCH);
    }
    Ok(f(&blob))
}
