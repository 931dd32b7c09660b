// SPDX-License-Identifier: GPL-2.0

//! Walking the processes of a context.

use crate::blob::task::TaskBlob;
use kernel::bindings;

/// Sends `sig` to every process (thread group) of context `xid`; returns how many got it.
///
/// Does not sleep: callable from hooks.
pub(crate) fn signal_context(xid: u32, sig: i32) -> usize {
    let _rcu = kernel::sync::rcu::read_lock();
    let head = &raw mut bindings::init_task;
    let offset = core::mem::offset_of!(bindings::task_struct, tasks);
    let mut sent = 0;
    let mut task = head;
    loop {
        // This is `for_each_process()`: the `tasks` list links the thread group leaders,
        // and we hold the RCU read lock it needs.
        // SAFETY: `task` is `init_task` or a task reached through the RCU-protected list.
        let next = unsafe { core::ptr::read_volatile(&raw const (*task).tasks.next) };
        // SAFETY: `next` is the `tasks` member of a task (or of `init_task`).
        task = unsafe { next.byte_sub(offset) }.cast::<bindings::task_struct>();
        if task == head {
            break;
        }
        // SAFETY: The task stays valid under the RCU read lock, which outlives the borrow.
        if TaskBlob::of(unsafe { crate::blob::task::borrow(task) }).xid() == xid {
            // SAFETY: `task` is valid; `send_sig` with `priv = 1` sends a kernel signal to
            // the whole thread group and does not sleep.
            unsafe { bindings::send_sig(sig, task, 1) };
            sent += 1;
        }
    }
    sent
}
