// SPDX-License-Identifier: GPL-2.0

//! The per-task blob the shim keeps for us: which context a task is in, borrowed from the
//! task ([`TaskBlob`]); a task being created ([`PrivateTask`]); and what the module reads and
//! changes of the calling task itself (its rlimits, its UTS namespace).

use crate::blob::opaque;
use crate::blob::slot::Slot;
use crate::context::Context;
use crate::load_time::LoadTimeCell;
use crate::net::NetContext;
use core::marker::PhantomData;
use kernel::bindings;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::Arc;
use kernel::task::Task;

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

/// The task `ptr` points to, borrowed for `'a`.
///
/// # Safety
///
/// `ptr` must point to a task that stays alive for `'a`.
pub(crate) unsafe fn borrow<'a>(ptr: *const bindings::task_struct) -> &'a Task {
    // SAFETY: `Task` is a transparent wrapper of `task_struct`, alive for `'a` (caller's
    // guarantee).
    unsafe { &*ptr.cast::<Task>() }
}

/// The vserver part of a task's LSM blob, borrowed from the task: it lives as long as the
/// borrow of the task does.
///
/// # Invariants
///
/// `ptr` points to the blob of a task alive for `'a`. `net_context` is a [`Slot`] of
/// `NetContext` whose `nid` is the value in `nid`, changed under the same rules as
/// `context`. `context` is a [`Slot`] of `Context`: null for the host or the spectator
/// context (told apart by `xid`) and for a task that has exited and so no longer counts in
/// its context (whose id `xid` keeps), otherwise a context whose `xid` is the value in `xid`.
/// Only the task itself (or the fork path, before the child runs, and the free path, after
/// it is gone) changes `context` and `xid`, and so only the task itself borrows its slots.
pub(crate) struct TaskBlob<'a> {
    ptr: *mut bindings::vserver_task_security,
    _task: PhantomData<&'a Task>,
}

impl<'a> TaskBlob<'a> {
    /// The blob of `task`.
    pub(crate) fn of(task: &'a Task) -> Self {
        // SAFETY: `task` is alive for `'a` (it is borrowed); the shim gives every task a blob
        // for its whole life, at `BLOB_OFFSET` in its LSM blob (checked at load).
        let ptr = unsafe { (*opaque::task(task)).security.byte_add(BLOB_OFFSET.get()) }.cast();
        // INVARIANT: `ptr` is the blob of a task alive for `'a`.
        Self {
            ptr,
            _task: PhantomData,
        }
    }

    fn context_slot(&self) -> &Slot<Context> {
        // SAFETY: `ptr` is valid for `'a` and `context` a slot of `Context` (type invariant).
        unsafe { Slot::at(&raw mut (*self.ptr).context) }
    }

    fn net_slot(&self) -> &Slot<NetContext> {
        // SAFETY: `ptr` is valid for `'a` and `net_context` a slot of `NetContext` (type
        // invariant).
        unsafe { Slot::at(&raw mut (*self.ptr).net_context) }
    }

    fn xid_atomic(&self) -> &Atomic<u32> {
        // SAFETY: `ptr` is valid (type invariant) and `xid` is only ever written atomically.
        unsafe { Atomic::from_ptr(&raw mut (*self.ptr).xid) }
    }

    fn nid_atomic(&self) -> &Atomic<u32> {
        // SAFETY: `ptr` is valid (type invariant) and `nid` is only ever accessed atomically.
        unsafe { Atomic::from_ptr(&raw mut (*self.ptr).nid) }
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
        self.context_slot().is_set()
    }

    /// The network context id of the task (0: none). Any task may ask.
    pub(crate) fn nid(&self) -> u32 {
        self.nid_atomic().load(Relaxed)
    }

    /// A new reference to the task's context, if it is a guest context.
    ///
    /// # Safety
    ///
    /// The caller must be the task itself, or otherwise guarantee that the task does not
    /// change or drop its context meanwhile.
    pub(crate) unsafe fn context_arc(&self) -> Option<Arc<Context>> {
        // SAFETY: By the caller's guarantee, the slot does not change during the call.
        unsafe { self.context_slot().clone_arc() }
    }

    /// Puts the task into context `xid` (`context` is its object for a guest context,
    /// `None` for the host and the spectator), returning the reference it held before.
    ///
    /// # Safety
    ///
    /// The caller must be the task itself, or the fork path before the new task runs, or
    /// the free path; and no borrow of the task's context may live (as one from
    /// [`TaskBlob::with_current_context`]).
    pub(crate) unsafe fn replace(
        &self,
        xid: u32,
        context: Option<Arc<Context>>,
    ) -> Option<Arc<Context>> {
        if let Some(c) = &context {
            debug_assert_eq!(c.xid, xid);
        }
        // SAFETY: By the caller's guarantee nobody else writes the slot and no borrow of it
        // lives; only the task itself borrows it (type invariant).
        let old = unsafe { self.context_slot().replace(context) };
        self.xid_atomic().store(xid, Relaxed);
        old
    }

    /// Puts the task into network context `net` (`None`: none), returning the reference
    /// it held before.
    ///
    /// # Safety
    ///
    /// As for [`TaskBlob::replace`], for the task's network context.
    pub(crate) unsafe fn replace_net(
        &self,
        net: Option<Arc<NetContext>>,
    ) -> Option<Arc<NetContext>> {
        let nid = net.as_ref().map_or(0, |n| n.nid);
        // SAFETY: As in `replace`.
        let old = unsafe { self.net_slot().replace(net) };
        self.nid_atomic().store(nid, Relaxed);
        old
    }
}

impl TaskBlob<'static> {
    /// The blob of the calling task.
    ///
    /// The calling task outlives every use: a `TaskBlob` is neither `Send` nor `Sync`, so it
    /// stays with the task that made it, which is alive for as long as it runs our code.
    pub(crate) fn current() -> Self {
        // SAFETY: The current task is alive while it runs our code, which is all the value
        // can be used for (see above).
        TaskBlob::of(unsafe { borrow(Task::current_raw()) })
    }

    /// Runs `f` on the calling task's own context, if it is in a guest context, without
    /// taking a reference (for hot paths).
    pub(crate) fn with_current_context<R>(f: impl FnOnce(&Context) -> R) -> Option<R> {
        let blob = Self::current();
        // SAFETY: The blob is the calling task's own, which only the task itself changes, and
        // not while it runs `f`: the reference the slot holds outlives the borrow.
        unsafe { blob.context_slot().borrow() }.map(|context| f(&context))
    }

    /// A new reference to the calling task's own context, if it is a guest context.
    pub(crate) fn current_context() -> Option<Arc<Context>> {
        // SAFETY: The blob is the calling task's own.
        unsafe { Self::current().context_arc() }
    }

    /// Runs `f` on the calling task's network context, if it has one, without taking a
    /// reference (for hot paths).
    pub(crate) fn with_current_net<R>(f: impl FnOnce(&NetContext) -> R) -> Option<R> {
        let blob = Self::current();
        // SAFETY: Only the task itself changes its own `net_context`, and not while it runs
        // `f`: the reference the slot holds outlives the borrow.
        unsafe { blob.net_slot().borrow() }.map(|net| f(&net))
    }

    /// A new reference to the calling task's network context, if it has one.
    pub(crate) fn current_net() -> Option<Arc<NetContext>> {
        // SAFETY: Only the task itself changes its own `net_context`.
        unsafe { Self::current().net_slot().clone_arc() }
    }
}

/// A task nobody else sees: being created (it has not run yet) or being freed.
///
/// # Invariants
///
/// Only the holder of this value uses the task's blob while it lives.
pub(crate) struct PrivateTask<'a>(TaskBlob<'a>);

impl<'a> PrivateTask<'a> {
    /// The blob of `task`, for its creator or its destroyer.
    ///
    /// # Safety
    ///
    /// `task` must not have run yet (the fork path) or be gone (the free path), and nobody
    /// else may use its blob while the returned value lives.
    pub(crate) unsafe fn new(task: &'a Task) -> Self {
        // INVARIANT: As the caller guarantees.
        Self(TaskBlob::of(task))
    }

    /// Puts the new task into context `xid` (`context`: its object, for a guest context).
    pub(crate) fn enter(&mut self, xid: u32, context: Option<Arc<Context>>) {
        // SAFETY: Only we use the blob (type invariant).
        let old = unsafe { self.0.replace(xid, context) };
        // The shim hands us a zeroed blob; a stale reference here would be a bug in the fork
        // path.
        debug_assert!(old.is_none());
    }

    /// Puts the new task into network context `net`.
    pub(crate) fn enter_net(&mut self, net: Option<Arc<NetContext>>) {
        // SAFETY: Only we use the blob (type invariant).
        let old = unsafe { self.0.replace_net(net) };
        debug_assert!(old.is_none());
    }

    /// Takes the task out of its contexts (it is the host's afterwards), returning the
    /// references it held.
    pub(crate) fn leave(&mut self) -> (Option<Arc<Context>>, Option<Arc<NetContext>>) {
        // SAFETY: Only we use the blob (type invariant).
        unsafe {
            (
                self.0.replace(crate::uapi::VS_XID_HOST, None),
                self.0.replace_net(None),
            )
        }
    }
}

/// The limit `resource` (an `RLIMIT_*`) of `task`'s process, or `None` if there is no such
/// limit.
///
/// # Safety
///
/// The limits of `task` must not change meanwhile: the caller holds the lock
/// `do_prlimit()` takes (`task_lock()` of the group leader).
pub(crate) unsafe fn locked_rlimit(task: &Task, resource: u32) -> Option<bindings::rlimit> {
    // SAFETY: `task` is alive (borrowed), so is its `signal`; its limits are stable
    // (caller's guarantee).
    let limits = unsafe { &(*(*opaque::task(task)).signal).rlim };
    limits.get(resource as usize).copied()
}

/// Runs `f` on every limit of the calling process, with its `RLIMIT_*` number, under the
/// lock `do_prlimit()` takes to change them (a spinlock: `f` must not sleep).
pub(crate) fn update_current_rlimits(mut f: impl FnMut(u32, &mut bindings::rlimit)) {
    let task = Task::current_raw();
    // SAFETY: The current task is live; its group leader too, as long as it runs.
    let leader = unsafe { (*task).group_leader };
    // SAFETY: `task_lock` of the group leader is the lock `do_prlimit` takes to change the
    // process's limits; the current task's `signal` is valid while it runs.
    unsafe {
        bindings::task_lock(leader);
        let limits = &mut (*(*task).signal).rlim;
        for (resource, limit) in (0u32..).zip(limits.iter_mut()) {
            f(resource, limit);
        }
        bindings::task_unlock(leader);
    }
}

/// Whether the calling task is in the host's UTS namespace, or `None` if it has no
/// namespaces any more (it is exiting).
pub(crate) fn current_uts_is_host() -> Option<bool> {
    let task = Task::current_raw();
    // SAFETY: The current task's `nsproxy` is valid while it runs a system call.
    let uts = unsafe {
        let nsproxy = (*task).nsproxy;
        if nsproxy.is_null() {
            return None;
        }
        (*nsproxy).uts_ns
    };
    let host_uts = &raw mut bindings::init_uts_ns;
    Some(uts == host_uts)
}
