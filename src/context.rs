// SPDX-License-Identifier: GPL-2.0

//! Security contexts: a group of tasks that see and touch only each other.

use crate::uapi;
use kernel::sync::atomic::{Atomic, Relaxed};

/// A security context (one guest).
///
/// Tasks hold references to their context through their blob ([`crate::task::TaskBlob`]);
/// `tasks` counts them. The registry ([`crate::registry::Registry`]) holds one more reference
/// for as long as the context exists.
pub(crate) struct Context {
    /// The context id.
    pub(crate) xid: u32,
    /// The context of the task that created it.
    pub(crate) parent_xid: u32,
    /// `CLOCK_BOOTTIME` at creation, in ns.
    pub(crate) created_ns: u64,
    /// `VS_CF_*` flags.
    flags: Atomic<u64>,
    /// `VS_STATE_*`.
    state: Atomic<u32>,
    /// The bounding capability set (bit n: capability n).
    bcaps: Atomic<u64>,
    /// How many times the isolation refused the context's tasks something.
    hits: Atomic<u64>,
    /// How many tasks are in the context.
    tasks: Atomic<i32>,
    /// The thread group id of the first task that entered.
    init_pid: Atomic<i32>,
    /// Why the tasks are ending, if a guest `reboot(2)` said so (a `VS_END_*`, or 0).
    pending_end: Atomic<u32>,
    /// Why all tasks ended the last time they did (a `VS_END_*`, or 0).
    last_end: Atomic<u32>,
    /// How many times all tasks have ended; waiters watch it change.
    ends: Atomic<u32>,
}

impl Context {
    /// A new context in the setup state, with no tasks.
    pub(crate) fn new(xid: u32, parent_xid: u32, flags: u64) -> Self {
        // SAFETY: `ktime_get_boottime` may be called from any context.
        let now = unsafe { kernel::bindings::ktime_get_boottime() };
        Self {
            xid,
            parent_xid,
            created_ns: u64::try_from(now).unwrap_or(0),
            flags: Atomic::new(flags),
            state: Atomic::new(uapi::VS_STATE_SETUP),
            bcaps: Atomic::new(uapi::VS_BCAPS_DEFAULT),
            hits: Atomic::new(0),
            tasks: Atomic::new(0),
            init_pid: Atomic::new(0),
            pending_end: Atomic::new(0),
            last_end: Atomic::new(0),
            ends: Atomic::new(0),
        }
    }

    /// Counts one more task in the context.
    pub(crate) fn task_entered(&self) {
        self.tasks.add(1, Relaxed);
    }

    /// Counts one task less; returns whether it was the last one.
    pub(crate) fn task_left(&self) -> bool {
        self.tasks.fetch_sub(1, Relaxed) == 1
    }

    /// How many tasks are in the context.
    pub(crate) fn tasks(&self) -> i32 {
        self.tasks.load(Relaxed)
    }

    /// The `VS_CF_*` flags.
    pub(crate) fn flags(&self) -> u64 {
        self.flags.load(Relaxed)
    }

    /// Sets and clears `VS_CF_*` flags (under the registry lock).
    pub(crate) fn update_flags(&self, set: u64, clear: u64) {
        let flags = self.flags();
        self.flags.store((flags | set) & !clear, Relaxed);
    }

    /// Whether the context outlives its tasks.
    pub(crate) fn is_persistent(&self) -> bool {
        self.flags() & uapi::VS_CF_PERSISTENT != 0
    }

    /// The `VS_STATE_*` state.
    pub(crate) fn state(&self) -> u32 {
        self.state.load(Relaxed)
    }

    /// The bounding capability set.
    pub(crate) fn bcaps(&self) -> u64 {
        self.bcaps.load(Relaxed)
    }

    /// Whether the context's tasks may use capability `cap`.
    pub(crate) fn allows_cap(&self, cap: i32) -> bool {
        u32::try_from(cap)
            .ok()
            .and_then(|cap| 1u64.checked_shl(cap))
            .is_some_and(|bit| self.bcaps() & bit != 0)
    }

    /// Counts one refusal.
    pub(crate) fn hit(&self) {
        self.hits.add(1, Relaxed);
    }

    /// How many refusals were counted.
    pub(crate) fn hits(&self) -> u64 {
        self.hits.load(Relaxed)
    }

    /// Replaces the bounding set (under the registry lock, after the caller's checks).
    pub(crate) fn set_bcaps(&self, bcaps: u64) {
        self.bcaps.store(bcaps, Relaxed);
    }

    /// Leaves the setup state for good.
    pub(crate) fn end_setup(&self) {
        self.state.store(uapi::VS_STATE_RUNNING, Relaxed);
    }

    /// Remembers `tgid` as the context's init if it has none yet.
    pub(crate) fn set_init_pid(&self, tgid: i32) {
        let _ = self.init_pid.cmpxchg(0, tgid, Relaxed);
    }

    /// The thread group id of the first task that entered, 0 if none did since the tasks
    /// last all ended. It may have exited since: see [`crate::ioctl`].
    pub(crate) fn init_pid(&self) -> i32 {
        self.init_pid.load(Relaxed)
    }

    /// Records why the guest's tasks are about to end (its `reboot(2)`).
    pub(crate) fn set_pending_end(&self, reason: u32) {
        self.pending_end.store(reason, Relaxed);
    }

    /// All tasks have ended (under the registry lock): settles why, counts the end.
    pub(crate) fn record_end(&self) {
        let reason = match self.pending_end.xchg(0, Relaxed) {
            0 => uapi::VS_END_EXIT,
            reason => reason,
        };
        self.last_end.store(reason, Relaxed);
        self.init_pid.store(0, Relaxed);
        self.ends.add(1, Relaxed);
    }

    /// The context was removed by the host (under the registry lock).
    pub(crate) fn record_removed(&self) {
        self.last_end.store(uapi::VS_END_REMOVED, Relaxed);
        self.ends.add(1, Relaxed);
    }

    /// How many times all tasks have ended.
    pub(crate) fn ends(&self) -> u32 {
        self.ends.load(Relaxed)
    }

    /// Why all tasks ended the last time, 0 if they never did.
    pub(crate) fn last_end(&self) -> u32 {
        self.last_end.load(Relaxed)
    }
}
