// SPDX-License-Identifier: GPL-2.0

//! Barrier directories: no guest task looks up, lists or opens anything through one.
//!
//! Barriers are kept in an in-kernel table keyed by (device, inode number), so a mark
//! survives the inode leaving the cache; it lasts until cleared or until the module is
//! unloaded.

use crate::blob::file::Inode;
use kernel::prelude::*;
use kernel::rbtree::{RBTree, RBTreeNode};
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::{new_spinlock, SpinLock};

/// A directory, as (device, inode number).
type Key = (u32, u64);

/// The barrier directories.
#[pin_data]
pub(crate) struct Barriers {
    #[pin]
    set: SpinLock<RBTree<Key, ()>>,
    /// How many there are: lets the permission hook skip the lock when there are none.
    count: Atomic<usize>,
}

impl Barriers {
    /// An empty table.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            set <- new_spinlock!(RBTree::new(), "vserver_barriers"),
            count: Atomic::new(0),
        })
    }

    /// Whether `inode` is a barrier directory. Does not sleep.
    pub(crate) fn contains(&self, inode: &Inode) -> bool {
        if self.count.load(Relaxed) == 0 {
            return false;
        }
        match inode.directory_key() {
            Some(key) => self.set.lock().get(&key).is_some(),
            None => false,
        }
    }

    /// Applies `op` (a `VS_BARRIER_*`) to the directory of `inode`; returns whether it is a
    /// barrier afterwards.
    pub(crate) fn apply(&self, inode: &Inode, op: u32) -> Result<bool> {
        let key = inode.directory_key().ok_or(ENOTDIR)?;
        match op {
            crate::uapi::VS_BARRIER_SET => {
                let node = RBTreeNode::new(key, (), GFP_KERNEL)?;
                let mut set = self.set.lock();
                if set.insert(node).is_none() {
                    self.count.add(1, Relaxed);
                }
                Ok(true)
            }
            crate::uapi::VS_BARRIER_CLEAR => {
                if self.set.lock().remove(&key).is_some() {
                    self.count.fetch_sub(1, Relaxed);
                }
                Ok(false)
            }
            crate::uapi::VS_BARRIER_GET => Ok(self.set.lock().get(&key).is_some()),
            _ => Err(EINVAL),
        }
    }
}
