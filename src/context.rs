// SPDX-License-Identifier: GPL-2.0

//! Security contexts: a group of tasks that see and touch only each other.

use kernel::sync::atomic::{Atomic, Relaxed};

/// A security context.
///
/// Tasks hold references to their context through their blob ([`crate::task::TaskBlob`]);
/// `tasks` counts them.
pub(crate) struct Context {
    /// The context id.
    pub(crate) xid: u32,
    /// How many tasks are in the context.
    tasks: Atomic<i32>,
}

impl Context {
    /// Counts one more task in the context.
    pub(crate) fn task_entered(&self) {
        self.tasks.add(1, Relaxed);
    }

    /// Counts one task less; returns whether it was the last one.
    pub(crate) fn task_left(&self) -> bool {
        self.tasks.fetch_sub(1, Relaxed) == 1
    }
}
