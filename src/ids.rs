// SPDX-License-Identifier: GPL-2.0

//! One id map for both registries: contexts by xid and network contexts by nid.
//!
//! The objects sit in an RBTree by id; which ids are in use is also kept in a bitmap (as
//! binder's `IdPool` does), so finding a free dynamic id is one `find_next_zero_bit`
//! over 2 KiB instead of up to 16,384 tree lookups, with interrupts off.

use crate::uapi;
use kernel::bitmap::BitmapVec;
use kernel::prelude::*;
use kernel::rbtree::{RBTree, RBTreeNode};
use kernel::sync::{Arc, SpinLockIrq, SpinLockIrqGuard};

/// An object an [`IdMap`] holds: a context or a network context.
pub(crate) trait Member {
    /// Its id.
    fn id(&self) -> u32;
}

/// The number of ids a map tracks: every static and dynamic id.
const ID_COUNT: usize = uapi::VS_XID_DYNAMIC_MAX as usize + 1;

/// Objects by id, with the ids in use and where the search for a free dynamic id starts.
///
/// # Invariants
///
/// A bit of `used` is set if and only if `by_id` holds an object with that id.
pub(crate) struct IdMap<T> {
    by_id: RBTree<u32, Arc<T>>,
    used: BitmapVec,
    /// Where the search for a free dynamic id starts.
    next_dynamic: u32,
}

impl<T: Member> IdMap<T> {
    /// An empty map (allocates its bitmap: call outside any lock).
    pub(crate) fn new() -> Result<Self> {
        Ok(Self {
            by_id: RBTree::new(),
            used: BitmapVec::new(ID_COUNT, GFP_KERNEL)?,
            next_dynamic: uapi::VS_XID_DYNAMIC_MIN,
        })
    }

    /// Whether `id` is in use.
    pub(crate) fn is_taken(&self, id: u32) -> bool {
        let index = id as usize;
        index < ID_COUNT && self.used.next_zero_bit(index) != Some(index)
    }

    /// A free id: `requested` itself (`EEXIST` if taken), or for `VS_XID_ALLOCATE` the
    /// first free dynamic id from `next_dynamic` on, wrapping around (`ENOSPC` if none),
    /// after which the search moves on.
    pub(crate) fn pick_id(&mut self, requested: u32) -> Result<u32> {
        if requested != uapi::VS_XID_ALLOCATE {
            return if self.is_taken(requested) {
                Err(EEXIST)
            } else {
                Ok(requested)
            };
        }
        let min = uapi::VS_XID_DYNAMIC_MIN as usize;
        let next = self.next_dynamic as usize;
        // From `next_dynamic` to the end, then from the start of the range up to it.
        let id = self
            .used
            .next_zero_bit(next)
            .or_else(|| self.used.next_zero_bit(min).filter(|&id| id < next))
            .ok_or(ENOSPC)?;
        let id = u32::try_from(id).map_err(|_| ENOSPC)?;
        self.next_dynamic = if id == uapi::VS_XID_DYNAMIC_MAX {
            uapi::VS_XID_DYNAMIC_MIN
        } else {
            id + 1
        };
        Ok(id)
    }

    /// The object with id `id`.
    pub(crate) fn get(&self, id: u32) -> Option<&Arc<T>> {
        self.by_id.get(&id)
    }

    /// Adds `node`, the object with id `id`, which the caller found free under the same
    /// lock.
    pub(crate) fn insert(&mut self, id: u32, node: RBTreeNode<u32, Arc<T>>) {
        self.by_id.insert(node);
        // INVARIANT: `by_id` now holds the object with id `id`.
        self.used.set_bit(id as usize);
    }

    /// Whether `member` is (still) the object of its id.
    pub(crate) fn holds(&self, member: &T) -> bool {
        self.by_id
            .get(&member.id())
            .is_some_and(|m| core::ptr::eq::<T>(&**m, member))
    }

    /// Takes the object with id `id` out of the map; the caller drops it outside the lock.
    pub(crate) fn remove(&mut self, id: u32) -> Option<Arc<T>> {
        let removed = self.by_id.remove(&id);
        if removed.is_some() {
            // INVARIANT: `by_id` no longer holds an object with id `id`.
            self.used.clear_bit(id as usize);
        }
        removed
    }

    /// The objects, by id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&u32, &Arc<T>)> {
        self.by_id.iter()
    }
}

/// The create/get/enter/list operations both registries share, on an [`IdMap`] under its
/// irq-safe lock. Nothing is allocated under the lock.
pub(crate) trait Table<T: Member> {
    /// The map, locked.
    fn map(&self) -> SpinLockIrqGuard<'_, IdMap<T>>;

    /// Creates an object with `make` and registers it: `requested` is a free static id or
    /// `VS_XID_ALLOCATE` (the caller checked its range).
    fn create(&self, requested: u32, make: impl Fn(u32) -> Result<Arc<T>>) -> Result<Arc<T>> {
        // Allocation happens outside the lock, so the id is picked, then checked again.
        loop {
            let id = self.map().pick_id(requested)?;
            let object = make(id)?;
            let node = RBTreeNode::new(id, object.clone(), GFP_KERNEL)?;
            let mut map = self.map();
            if map.is_taken(id) {
                if requested != uapi::VS_XID_ALLOCATE {
                    return Err(EEXIST);
                }
                continue;
            }
            map.insert(id, node);
            return Ok(object);
        }
    }

    /// The object with id `id`.
    fn get(&self, id: u32) -> Option<Arc<T>> {
        self.map().get(id).cloned()
    }

    /// Runs `entered` on `member` if it is still registered (`ESRCH` otherwise), under
    /// the lock: a task entering it counts before it can end.
    fn enter(&self, member: &T, entered: impl FnOnce(&T)) -> Result {
        let map = self.map();
        if !map.holds(member) {
            return Err(ESRCH);
        }
        entered(member);
        Ok(())
    }

    /// The ids of the objects `visible` accepts, at most `room` of them, and how many
    /// there are in all.
    fn list(&self, room: usize, visible: impl Fn(&T) -> bool) -> Result<(KVVec<u32>, usize)> {
        let mut ids = KVVec::with_capacity(room, GFP_KERNEL)?;
        let map = self.map();
        let mut total = 0;
        for (id, object) in map.iter() {
            if visible(object) {
                total += 1;
                if ids.len() < room {
                    // Cannot fail: the capacity was reserved above.
                    ids.push_within_capacity(*id).map_err(|_| ENOMEM)?;
                }
            }
        }
        Ok((ids, total))
    }
}

impl<T: Member> Table<T> for SpinLockIrq<IdMap<T>> {
    fn map(&self) -> SpinLockIrqGuard<'_, IdMap<T>> {
        self.lock()
    }
}
