// SPDX-License-Identifier: GPL-2.0

//! Network contexts: the address sets that `chbind` locks process trees to, and their
//! registry.
//!
//! Tasks and the sockets they create hold references to their network context; the
//! registry holds one for as long as it exists. A network context ends when its last task
//! leaves, unless it is persistent; sockets keep the address set they were made with.
//! The address set is read in softirq context (incoming packets), so it sits under an
//! irq-safe spinlock; it is small and every reader only asks one question of it.

use crate::ids::{IdMap, Member, Table};
use crate::module_ref::ModulePin;
use crate::net::addr::AddrSet;
use crate::uapi;
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::{new_spinlock_irq, Arc, SpinLockIrq};

pub(crate) mod addr;

/// A network context.
#[pin_data]
pub(crate) struct NetContext {
    /// Its id.
    pub(crate) nid: u32,
    /// `VS_NF_*` flags.
    flags: Atomic<u64>,
    /// How many tasks are in it.
    tasks: Atomic<i32>,
    /// Its addresses.
    #[pin]
    addrs: SpinLockIrq<AddrSet>,
    _pin: ModulePin,
}

impl NetContext {
    /// Answers a question about the addresses.
    pub(crate) fn with_addrs<R>(&self, f: impl FnOnce(&AddrSet) -> R) -> R {
        f(&self.addrs.lock())
    }

    /// Changes the addresses.
    pub(crate) fn update_addrs<R>(&self, f: impl FnOnce(&mut AddrSet) -> R) -> R {
        f(&mut self.addrs.lock())
    }

    /// The `VS_NF_*` flags.
    pub(crate) fn flags(&self) -> u64 {
        self.flags.load(Relaxed)
    }

    /// How many tasks are in it.
    pub(crate) fn tasks(&self) -> i32 {
        self.tasks.load(Relaxed)
    }

    /// Counts one more task.
    pub(crate) fn task_entered(&self) {
        self.tasks.add(1, Relaxed);
    }

    fn is_persistent(&self) -> bool {
        self.flags() & uapi::VS_NF_PERSISTENT != 0
    }
}

/// The network contexts, by id.
type Nets = IdMap<NetContext>;

impl Member for NetContext {
    fn id(&self) -> u32 {
        self.nid
    }
}

/// The registry of network contexts.
#[pin_data]
pub(crate) struct NetRegistry {
    #[pin]
    nets: SpinLockIrq<Nets>,
}

impl NetRegistry {
    /// A registry of the network contexts in `nets` (empty).
    pub(crate) fn new(nets: Nets) -> impl PinInit<Self> {
        pin_init!(Self {
            nets <- new_spinlock_irq!(nets, "vserver_nets"),
        })
    }

    /// Creates a network context: `requested` is a free static id or `VS_XID_ALLOCATE`
    /// (the caller checked the range).
    pub(crate) fn create(&self, requested: u32, flags: u64) -> Result<Arc<NetContext>> {
        self.nets.create(requested, |nid| {
            Arc::pin_init(
                pin_init!(NetContext {
                    nid,
                    flags: Atomic::new(flags),
                    tasks: Atomic::new(0),
                    addrs <- new_spinlock_irq!(AddrSet::new(), "vserver_net_addrs"),
                    _pin: ModulePin::new(),
                }),
                GFP_KERNEL,
            )
        })
    }

    /// The network context `nid`.
    pub(crate) fn get(&self, nid: u32) -> Option<Arc<NetContext>> {
        self.nets.get(nid)
    }

    /// Counts a task entering `net`; fails if it is gone.
    pub(crate) fn enter(&self, net: &NetContext) -> Result {
        self.nets.enter(net, NetContext::task_entered)
    }

    /// A task of `net` is gone; the last one ends a network context that is not persistent.
    pub(crate) fn task_left(&self, net: Arc<NetContext>) {
        if net.tasks.fetch_sub(1, Relaxed) != 1 {
            return;
        }
        let mut nets = self.nets.lock();
        let removed = if net.tasks() == 0 && !net.is_persistent() && nets.holds(&net) {
            nets.remove(net.nid)
        } else {
            None
        };
        drop(nets);
        drop(removed);
    }

    /// Removes network context `nid`, which must have no tasks.
    pub(crate) fn remove(&self, nid: u32) -> Result {
        let mut nets = self.nets.lock();
        let net = nets.get(nid).ok_or(ESRCH)?;
        if net.tasks() != 0 {
            return Err(EBUSY);
        }
        let removed = nets.remove(nid);
        drop(nets);
        drop(removed);
        Ok(())
    }

    /// Takes back `net`, just created for a caller that cannot learn its id (the answer
    /// could not be written back): removed unless it has gained tasks, or was removed and
    /// its id reused, meanwhile.
    pub(crate) fn withdraw(&self, net: &Arc<NetContext>) {
        let mut nets = self.nets.lock();
        let unused = nets
            .get(net.nid)
            .is_some_and(|n| Arc::ptr_eq(n, net) && n.tasks() == 0);
        let removed = if unused { nets.remove(net.nid) } else { None };
        drop(nets);
        drop(removed);
    }

    /// The ids, at most `room` of them, and how many there are.
    pub(crate) fn list(&self, room: usize) -> Result<(KVVec<u32>, usize)> {
        self.nets.list(room, |_| true)
    }
}
