// SPDX-License-Identifier: GPL-2.0

//! Security contexts: a group of tasks that see and touch only each other.

use self::limits::Limits;
use crate::module_ref::ModulePin;
use crate::uapi;
use kernel::bindings;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::time::{BootTime, ClockSource};

pub(crate) mod barrier;
pub(crate) mod limits;
pub(crate) mod policy;
pub(crate) mod registry;
pub(crate) mod rlimits;

/// A security context (one guest).
///
/// Tasks hold references to their context through their blob ([`crate::blob::task::TaskBlob`]);
/// the `NPROC` counter of `limits` counts them. Credentials and sockets made by its tasks
/// hold references too, so what they charged can be uncharged when they go. The registry
/// ([`crate::context::registry::Registry`]) holds one more reference for as long as the context
/// exists.
///
/// Every context object pins the module (its [`ModulePin`]):
/// the blobs of credentials and sockets may point to it long after its tasks are gone, and
/// the module must stay to drop those references. Every reference is dropped either by an
/// ioctl (the open device pins the module) or inside a hook, which the shim runs under
/// RCU or SRCU; unloading waits for both, so the code running after the final
/// `module_put` is never unloaded under it.
pub(crate) struct Context {
    /// The context id.
    pub(crate) xid: u32,
    /// The context of the task that created it.
    pub(crate) parent_xid: u32,
    /// `CLOCK_BOOTTIME` at creation, in ns.
    pub(crate) created_ns: u64,
    /// `VS_CF_*` flags.
    flags: Atomic<u64>,
    /// `VS_STATE_*`; changed only under the registry lock.
    state: Atomic<u32>,
    /// The bounding capability set (bit n: capability n).
    bcaps: Atomic<u64>,
    /// The `VS_CCAP_*` context capabilities.
    ccaps: Atomic<u64>,
    /// How many times the isolation refused the context's tasks something.
    hits: Atomic<u64>,
    /// The resource counters; `NPROC` counts the tasks in the context.
    pub(crate) limits: Limits,
    /// The rlimit ceilings, by `RLIMIT_*`.
    rlimit_ceilings: [Atomic<u64>; uapi::VS_RLIMIT_COUNT as usize],
    /// The thread group id of the first task that entered.
    init_pid: Atomic<i32>,
    /// Why the tasks are ending, if a guest `reboot(2)` said so (a `VS_END_*`, or 0).
    pending_end: Atomic<u32>,
    /// Why all tasks ended the last time they did (a `VS_END_*`, or 0).
    last_end: Atomic<u32>,
    /// How many times all tasks have ended; waiters watch it change.
    ends: Atomic<u32>,
    _pin: ModulePin,
}

impl Context {
    /// A new context in the setup state, with no tasks.
    pub(crate) fn new(xid: u32, parent_xid: u32, flags: u64) -> Self {
        let now = BootTime::ktime_get();
        Self {
            xid,
            parent_xid,
            created_ns: u64::try_from(now).unwrap_or(0),
            flags: Atomic::new(flags),
            state: Atomic::new(uapi::VS_STATE_SETUP),
            bcaps: Atomic::new(uapi::VS_BCAPS_DEFAULT),
            ccaps: Atomic::new(uapi::VS_CCAPS_DEFAULT),
            hits: Atomic::new(0),
            limits: Limits::new(),
            rlimit_ceilings: [const { Atomic::new(limits::INFINITY) };
                uapi::VS_RLIMIT_COUNT as usize],
            init_pid: Atomic::new(0),
            pending_end: Atomic::new(0),
            last_end: Atomic::new(0),
            ends: Atomic::new(0),
            _pin: ModulePin::new(),
        }
    }

    /// Counts one more task in the context (moved in by the host: not refused).
    pub(crate) fn task_entered(&self) {
        self.limits.nproc().charge_always();
    }

    /// Counts a new task of the context, unless it would exceed its `NPROC` limit.
    pub(crate) fn task_forked(&self) -> limits::Charge {
        self.limits.nproc().charge()
    }

    /// Counts one task less; returns whether it was the last one.
    pub(crate) fn task_left(&self) -> bool {
        self.limits.nproc().uncharge() == 0
    }

    /// How many tasks are in the context.
    pub(crate) fn tasks(&self) -> i32 {
        i32::try_from(self.limits.nproc().usage()).unwrap_or(i32::MAX)
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

    /// The `VS_CCAP_*` context capabilities.
    pub(crate) fn ccaps(&self) -> u64 {
        self.ccaps.load(Relaxed)
    }

    /// Whether the context has context capability `ccap` (a `VS_CCAP_*` bit).
    pub(crate) fn has_ccap(&self, ccap: u64) -> bool {
        self.ccaps() & ccap != 0
    }

    /// Replaces the context capabilities (under the registry lock, after the caller's
    /// checks).
    pub(crate) fn set_ccaps(&self, ccaps: u64) {
        self.ccaps.store(ccaps, Relaxed);
    }

    /// The capabilities the credentials of a task entering the context keep: its bounding
    /// set, plus `CAP_NET_RAW` for `RAW_ICMP`, whose other uses the socket hooks refuse.
    pub(crate) fn credential_caps(&self) -> u64 {
        let raw = if self.has_ccap(uapi::VS_CCAP_RAW_ICMP) {
            1u64 << bindings::CAP_NET_RAW
        } else {
            0
        };
        self.bcaps() | raw
    }

    /// The rlimit ceiling for `RLIMIT_*` `resource`, if it is one.
    pub(crate) fn rlimit_ceiling(&self, resource: u32) -> Option<u64> {
        let slot = self.rlimit_ceilings.get(usize::try_from(resource).ok()?)?;
        Some(slot.load(Relaxed))
    }

    /// Sets the ceiling for `resource`; fails with `EINVAL` if it is no `RLIMIT_*`.
    pub(crate) fn set_rlimit_ceiling(&self, resource: u32, ceiling: u64) -> kernel::error::Result {
        let index = usize::try_from(resource).map_err(|_| kernel::error::code::EINVAL)?;
        let slot = self
            .rlimit_ceilings
            .get(index)
            .ok_or(kernel::error::code::EINVAL)?;
        slot.store(ceiling, Relaxed);
        Ok(())
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

    /// Leaves the setup state for good (under the registry lock:
    /// [`crate::context::registry::Registry::end_setup`]).
    pub(crate) fn end_setup(&self) {
        self.state.store(uapi::VS_STATE_RUNNING, Relaxed);
    }

    /// Remembers `tgid` as the context's init if it has none yet.
    pub(crate) fn set_init_pid(&self, tgid: i32) {
        let _ = self.init_pid.cmpxchg(0, tgid, Relaxed);
    }

    /// The thread group id of the first task that entered, 0 if none did since the tasks
    /// last all ended. It may have exited since: see [`crate::ioctl::context`].
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
