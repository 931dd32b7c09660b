// SPDX-License-Identifier: GPL-2.0

//! The registry of contexts, by id.
//!
//! The registry lock is an irq-safe spinlock because the last task of a context can be
//! freed from softirq context (an RCU callback), and that is where the context ends.
//! Nothing is allocated under it.
//!
//! The locks of the module, each with its own lock class (named as below):
//!
//! - `vserver_contexts` (irq-safe): the contexts by id, and every change of a context's
//!   flags, state, capability sets and end records ([`Context`] says which).
//! - `vserver_nets` (irq-safe): the network contexts by id ([`crate::net::NetRegistry`]).
//! - `vserver_net_addrs` (irq-safe, one per network context): its address set; taken
//!   from hooks that may run under socket locks and in softirq context.
//! - `vserver_barriers`: the barrier directories.
//!
//! Lock order: none of these is ever taken while another of them is held; each is a
//! leaf, below whatever kernel locks the hook that takes it runs under (the hook
//! contract, in the kernel-doc of `struct vserver_ops`). `VS_IOC_WAIT` sleeps on
//! `vserver_context_ended` with `vserver_contexts`, which the wait releases. Every context pins the module (see
//! [`crate::context::Context`]), so `rmmod` is refused while any context exists.

use crate::context::Context;
use crate::ids::{IdMap, Member, Table};
use crate::load_time::Global;
use crate::uapi;
use core::pin::Pin;
use kernel::prelude::*;
use kernel::sync::{new_condvar, new_spinlock_irq, Arc, CondVar, SpinLockIrq, SpinLockIrqGuard};

/// The contexts, keyed by xid.
type Contexts = IdMap<Context>;

impl Member for Context {
    fn id(&self) -> u32 {
        self.xid
    }
}

/// The registry of contexts.
#[pin_data]
pub(crate) struct Registry {
    #[pin]
    contexts: SpinLockIrq<Contexts>,
    /// Signalled whenever the tasks of a context all end or a context is removed.
    #[pin]
    ended: CondVar,
    /// The barrier directories.
    #[pin]
    pub(crate) barriers: crate::context::barrier::Barriers,
    /// The network contexts.
    #[pin]
    pub(crate) nets: crate::net::NetRegistry,
}

/// The registry of the loaded module, installed by module init and withdrawn by module
/// exit.
pub(crate) static REGISTRY: Global<Registry> = Global::new();

/// The registry.
///
/// Only called from code that runs while the module is loaded (hooks, ioctls), which is
/// when [`REGISTRY`] holds it.
pub(crate) fn registry() -> &'static Registry {
    REGISTRY.get()
}

impl Registry {
    /// Creates the (empty) registry, for module init to install as [`REGISTRY`].
    pub(crate) fn new() -> Result<Pin<KBox<Self>>> {
        let contexts = IdMap::new()?;
        let nets = IdMap::new()?;
        KBox::pin_init(
            pin_init!(Registry {
                contexts <- new_spinlock_irq!(contexts, "vserver_contexts"),
                ended <- new_condvar!("vserver_context_ended"),
                barriers <- crate::context::barrier::Barriers::new(),
                nets <- crate::net::NetRegistry::new(nets),
            }),
            GFP_KERNEL,
        )
    }
}

impl Registry {
    /// Creates and registers a context.
    ///
    /// `requested` is a free static id or `VS_XID_ALLOCATE`; the caller checked its range.
    pub(crate) fn create(
        &self,
        requested: u32,
        parent_xid: u32,
        flags: u64,
    ) -> Result<Arc<Context>> {
        self.contexts.create(requested, |xid| {
            Arc::new(Context::new(xid, parent_xid, flags), GFP_KERNEL).map_err(Into::into)
        })
    }

    /// The context with id `xid`.
    pub(crate) fn get(&self, xid: u32) -> Option<Arc<Context>> {
        self.contexts.get(xid)
    }

    /// The ids of the contexts `visible` accepts, at most `room` of them, and how many
    /// there are in all.
    pub(crate) fn list(
        &self,
        room: usize,
        visible: impl Fn(&Context) -> bool,
    ) -> Result<(KVVec<u32>, usize)> {
        self.contexts.list(room, visible)
    }

    /// Counts a task entering `context` (migration); fails if it is gone.
    pub(crate) fn enter(&self, context: &Context) -> Result {
        self.contexts.enter(context, Context::task_entered)
    }

    /// A task of `context` is gone (it exited or migrated).
    pub(crate) fn task_left(&self, context: Arc<Context>) {
        if context.task_left() {
            self.tasks_ended(&context);
        }
    }

    /// The task count of `context` dropped to zero: records why, and ends a context that
    /// is not persistent.
    fn tasks_ended(&self, context: &Arc<Context>) {
        let mut contexts = self.contexts.lock();
        // A migration may have raced in after the count dropped.
        if context.tasks() != 0 {
            return;
        }
        context.record_end();
        let removed = if !context.is_persistent() && contexts.holds(context) {
            contexts.remove(context.xid)
        } else {
            None
        };
        self.ended.notify_all();
        drop(contexts);
        // The registry's reference goes last, outside the lock.
        drop(removed);
    }

    /// Removes the context `xid`, which must have no tasks.
    pub(crate) fn remove(&self, xid: u32) -> Result {
        let contexts = self.contexts.lock();
        let context = contexts.get(xid).ok_or(ESRCH)?;
        if context.tasks() != 0 {
            return Err(EBUSY);
        }
        self.remove_locked(contexts, xid);
        Ok(())
    }

    /// Takes back `context`, just created for a caller that cannot learn its id (the answer
    /// could not be written back): removed unless it has gained tasks, or was removed and
    /// its id reused, meanwhile.
    pub(crate) fn withdraw(&self, context: &Arc<Context>) {
        let contexts = self.contexts.lock();
        let unused = contexts
            .get(context.xid)
            .is_some_and(|c| Arc::ptr_eq(c, context) && c.tasks() == 0);
        if unused {
            self.remove_locked(contexts, context.xid);
        }
    }

    /// Sets and clears flags of `xid`; a context that stops being persistent while it has
    /// no tasks ends at once.
    pub(crate) fn set_flags(&self, xid: u32, set: u64, clear: u64) -> Result {
        let contexts = self.contexts.lock();
        let context = contexts.get(xid).ok_or(ESRCH)?;
        context.update_flags(set, clear);
        if !context.is_persistent() && context.tasks() == 0 {
            self.remove_locked(contexts, xid);
        }
        Ok(())
    }

    /// Removes the registered context `xid` on the host's request, waking its waiters.
    fn remove_locked(&self, mut contexts: SpinLockIrqGuard<'_, Contexts>, xid: u32) {
        let removed = contexts.remove(xid);
        if let Some(context) = &removed {
            context.record_removed();
        }
        self.ended.notify_all();
        drop(contexts);
        drop(removed);
    }

    /// Leaves the setup state for good, under the registry lock: serialised with the
    /// checks of [`Registry::set_bcaps`] and [`Registry::set_ccaps`], which allow any set
    /// only during setup.
    pub(crate) fn end_setup(&self, context: &Context) {
        let _contexts = self.contexts.lock();
        context.end_setup();
    }

    /// Sets the bounding capability set of `xid`: any set during setup, afterwards only a
    /// narrower one (`EPERM`).
    pub(crate) fn set_bcaps(&self, xid: u32, bcaps: u64) -> Result {
        let contexts = self.contexts.lock();
        let context = contexts.get(xid).ok_or(ESRCH)?;
        if context.state() != uapi::VS_STATE_SETUP && bcaps & !context.bcaps() != 0 {
            return Err(EPERM);
        }
        context.set_bcaps(bcaps);
        Ok(())
    }

    /// Sets the context capabilities of `xid`: any set during setup, afterwards only a
    /// narrower one (`EPERM`).
    pub(crate) fn set_ccaps(&self, xid: u32, ccaps: u64) -> Result {
        let contexts = self.contexts.lock();
        let context = contexts.get(xid).ok_or(ESRCH)?;
        if context.state() != uapi::VS_STATE_SETUP && ccaps & !context.ccaps() != 0 {
            return Err(EPERM);
        }
        context.set_ccaps(ccaps);
        Ok(())
    }

    /// Waits until all tasks of `context` have ended; returns why (a `VS_END_*`).
    pub(crate) fn wait_end(&self, context: &Context) -> Result<u32> {
        let mut contexts = self.contexts.lock();
        if context.tasks() == 0 || !contexts.holds(context) {
            return Ok(match context.last_end() {
                0 => uapi::VS_END_EXIT,
                reason => reason,
            });
        }
        let start = context.ends();
        while context.ends() == start {
            if self.ended.wait_interruptible(&mut contexts) {
                return Err(EINTR);
            }
        }
        Ok(context.last_end())
    }
}
