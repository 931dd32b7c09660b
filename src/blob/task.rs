// SPDX-License-Identifier: GPL-2.0

//! The per-task blob the shim keeps for us: which context a task is in.

use crate::blob::slot;
use crate::context::Context;
use crate::load_time::LoadTimeCell;
use crate::net::NetContext;
use kernel::bindings;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::Arc;

/// Where the vserver part starts in a task's LSM blob (`task->security`), learned at load
/// by [`init_blob_offset`]: it saves a call into the shim on every hook.
static BLOB_OFFSET: LoadTimeCell<usize> = LoadTimeCell::new(0);

/// Learns [`BLOB_OFFSET`] from the shim's accessor and checks it on two tasks (the current
/// one and the first in the task list), which also checks that `task_struct.security` is
/// where the bindings say. Fails with `EINVAL` otherwise.
pub(crate) fn init_blob_offset() -> kernel::error::Result {
    let current = kernel::task::Task::current_raw();
    let offset_of = |task: *mut bindings::task_struct| -> Option<usize> {
        // SAFETY: `task` is live (see the callers below); the accessor only computes an
        // address.
        let blob = unsafe { bindings::vserver_task_security(task) } as usize;
        // SAFETY: As above.
        (blob).checked_sub(unsafe { (*task).security } as usize)
    };
    let mine = offset_of(current);
    let first = {
        let _rcu = kernel::sync::rcu::read_lock();
        let head = &raw mut bindings::init_task;
        // SAFETY: `init_task.tasks` is a valid list head; its next entry is the `tasks`
        // member of a live task (pid 1) while we hold the RCU read lock.
        let task = unsafe {
            (*head)
                .tasks
                .next
                .byte_sub(core::mem::offset_of!(bindings::task_struct, tasks))
        }
        .cast::<bindings::task_struct>();
        offset_of(task)
    };
    match (mine, first) {
        (Some(a), Some(b)) if a == b => {
            // SAFETY: Module init calls this before registering the hooks or the device.
            unsafe { BLOB_OFFSET.set(a) };
            Ok(())
        }
        _ => {
            kernel::pr_err!("task_struct.security of the Rust bindings does not match C\n");
            Err(kernel::error::code::EINVAL)
        }
    }
}

/// The vserver part of a task's LSM blob.
///
/// # Invariants
///
/// `ptr` points to the blob of a live task. `net_context` is null or holds one reference of
/// an `Arc<NetContext>` from `Arc::into_foreign` (a [`slot`]) whose `nid` is the value in
/// `nid`, changed under the same rules as `context`. `context` is either null (the host or
/// the spectator context, told apart by `xid`, or a task that has exited and so no longer
/// counts in its context, whose id `xid` keeps) or holds one reference of an `Arc<Context>`
/// from `Arc::into_foreign` (a [`slot`]), whose `xid` is the value in `xid`. Only the task
/// itself (or the fork path, before the child runs, and the free path, after it is gone)
/// changes `context` and `xid`.
pub(crate) struct TaskBlob {
    ptr: *mut bindings::vserver_task_security,
}

impl TaskBlob {
    /// The blob of `task`.
    ///
    /// # Safety
    ///
    /// `task` must point to a task that stays alive while the returned value is used.
    pub(crate) unsafe fn of(task: *const bindings::task_struct) -> Self {
        // SAFETY: The caller guarantees `task` is a live task; the shim gives every task a
        // blob for its whole life, at `BLOB_OFFSET` in its LSM blob (checked at load).
        let ptr = unsafe { (*task).security.byte_add(BLOB_OFFSET.get()) }.cast();
        // INVARIANT: `ptr` is the blob of a live task.
        Self { ptr }
    }

    /// The blob of the calling task.
    pub(crate) fn current() -> Self {
        // SAFETY: The current task is alive for as long as it runs our code.
        unsafe { Self::of(kernel::task::Task::current_raw()) }
    }

    fn xid_atomic(&self) -> &Atomic<u32> {
        // SAFETY: `ptr` is valid (type invariant) and `xid` is only ever written atomically.
        unsafe { Atomic::from_ptr(&raw mut (*self.ptr).xid) }
    }

    /// The context id of the task. Any task may ask.
    pub(crate) fn xid(&self) -> u32 {
        // A volatile read is the kernel's `READ_ONCE()`, which is what `atomic_read()` does
        // in C: the same load as `Atomic::load(Relaxed)` without that one's two calls into C,
        // on a path every hook takes.
        // SAFETY: `ptr` is valid (type invariant); `xid` is aligned and only ever written
        // atomically.
        unsafe { core::ptr::read_volatile(&raw const (*self.ptr).xid) }
    }

    /// Whether the task still counts in a guest context (it has not exited). Any task may
    /// ask; the answer may be stale by the time it is used.
    pub(crate) fn counts_in_context(&self) -> bool {
        // SAFETY: `ptr` is valid; a racy read of a pointer-sized field only asks whether it
        // is null.
        !unsafe { core::ptr::read_volatile(&raw const (*self.ptr).context) }.is_null()
    }

    /// A new reference to the task's context, if it is a guest context.
    ///
    /// # Safety
    ///
    /// The caller must be the task itself, or otherwise guarantee that the task does not
    /// change or drop its context meanwhile.
    pub(crate) unsafe fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: `ptr` is valid; `context` holds null or a reference from `into_foreign`
        // (type invariant) that, by the caller's guarantee, stays while we clone it.
        unsafe { slot::clone(&raw const (*self.ptr).context) }
    }

    /// Runs `f` on the calling task's own context, if it is in a guest context, without
    /// taking a reference (for hot paths).
    pub(crate) fn with_current_context<R>(f: impl FnOnce(&Context) -> R) -> Option<R> {
        let blob = Self::current();
        // SAFETY: `ptr` is valid and `context` a slot (type invariant); the blob is the
        // calling task's own, which only the task itself changes, so the reference it holds
        // outlives this call.
        unsafe { slot::borrow(&raw const (*blob.ptr).context) }.map(f)
    }

    /// A new reference to the calling task's own context, if it is a guest context.
    pub(crate) fn current_context() -> Option<Arc<Context>> {
        // SAFETY: The blob is the calling task's own.
        unsafe { Self::current().context_arc() }
    }

    /// Puts the task into context `xid` (`context` is its object for a guest context,
    /// `None` for the host and the spectator), returning the reference it held before.
    ///
    /// # Safety
    ///
    /// The caller must be the task itself, or the fork path before the new task runs, or
    /// the free path.
    pub(crate) unsafe fn replace(
        &self,
        xid: u32,
        context: Option<Arc<Context>>,
    ) -> Option<Arc<Context>> {
        if let Some(c) = &context {
            debug_assert_eq!(c.xid, xid);
        }
        // SAFETY: `ptr` is valid and `context` a slot (type invariant); by the caller's
        // guarantee nobody else writes it.
        let old = unsafe { slot::replace(&raw mut (*self.ptr).context, context) };
        self.xid_atomic().store(xid, Relaxed);
        old
    }

    /// The network context id of the task (0: none). Any task may ask.
    pub(crate) fn nid(&self) -> u32 {
        // SAFETY: `ptr` is valid (type invariant) and `nid` is only ever accessed atomically.
        unsafe { Atomic::from_ptr(&raw mut (*self.ptr).nid) }.load(Relaxed)
    }

    /// Runs `f` on the calling task's network context, if it has one, without taking a
    /// reference (for hot paths).
    pub(crate) fn with_current_net<R>(f: impl FnOnce(&NetContext) -> R) -> Option<R> {
        let blob = Self::current();
        // SAFETY: `ptr` is valid and `net_context` a slot (type invariant); only the task
        // itself changes its own `net_context`, so the reference it holds outlives this call.
        unsafe { slot::borrow(&raw const (*blob.ptr).net_context) }.map(f)
    }

    /// A new reference to the calling task's network context, if it has one.
    pub(crate) fn current_net() -> Option<Arc<NetContext>> {
        let blob = Self::current();
        // SAFETY: `ptr` is valid and `net_context` a slot (type invariant); only the task
        // itself changes its own.
        unsafe { slot::clone(&raw const (*blob.ptr).net_context) }
    }

    /// Puts the task into network context `net` (`None`: none), returning the reference
    /// it held before.
    ///
    /// # Safety
    ///
    /// As for [`TaskBlob::replace`].
    pub(crate) unsafe fn replace_net(
        &self,
        net: Option<Arc<NetContext>>,
    ) -> Option<Arc<NetContext>> {
        let nid = net.as_ref().map_or(0, |n| n.nid);
        // SAFETY: `ptr` is valid and `net_context` a slot (type invariant); by the caller's
        // guarantee nobody else writes it.
        let old = unsafe { slot::replace(&raw mut (*self.ptr).net_context, net) };
        // SAFETY: As in `nid`.
        unsafe { Atomic::from_ptr(&raw mut (*self.ptr).nid) }.store(nid, Relaxed);
        old
    }
}
