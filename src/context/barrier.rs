// SPDX-License-Identifier: GPL-2.0

//! Barrier directories: no guest task looks up, lists or opens anything through one.
//!
//! Barriers are kept in an in-kernel table keyed by (device, inode number), so a mark
//! survives the inode leaving the cache; it lasts until cleared or until the module is
//! unloaded.

use kernel::prelude::*;
use kernel::rbtree::{RBTree, RBTreeNode};
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::{new_spinlock, SpinLock};

/// A directory, as (device, inode number) (`Inode::directory_key` of `blob::file`).
pub(crate) type Key = (u32, u64);

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

    /// Whether the inode `key` names is a barrier directory (`None`: not a directory). The
    /// key is only asked for when there are barriers. Does not sleep.
    pub(crate) fn contains(&self, key: impl FnOnce() -> Option<Key>) -> bool {
        if self.count.load(Relaxed) == 0 {
            return false;
        }
        match key() {
            Some(key) => self.set.lock().get(&key).is_some(),
            None => false,
        }
    }

    /// Applies `op` (a `VS_BARRIER_*`) to the inode `key` names (`None`: not a directory,
    /// `ENOTDIR`); returns whether it is a barrier afterwards.
    pub(crate) fn apply(&self, key: Option<Key>, op: u32) -> Result<bool> {
        let key = key.ok_or(ENOTDIR)?;
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
