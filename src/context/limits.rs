// SPDX-License-Identifier: GPL-2.0

//! Context-wide resource counters: usage, limits and statistics, without a global lock.
//!
//! Every counter is a handful of atomics inside its context. A charge is one atomic add
//! that is taken back if it crosses the hard limit, so concurrent charges never let the
//! usage settle above the limit, and nothing but the counter itself is touched on the hot
//! path.

use crate::uapi;
use kernel::sync::atomic::{Atomic, Relaxed};

/// The resources with a counter, indexed by `VS_LIMIT_*`.
pub(crate) const COUNT: usize = uapi::VS_LIMIT_COUNT as usize;

/// "No limit": `VS_LIMIT_INFINITY`, `(~0ULL)`, which bindgen types as the `i32` -1.
pub(crate) const INFINITY: u64 = u64::MAX;
const _: () = assert!(uapi::VS_LIMIT_INFINITY == -1);

/// One resource counter of a context.
///
/// # Invariants
///
/// `usage` counts what the context holds; `min <= usage <= max` held at every update since
/// the last reset (the three are read separately, so a reader may see them mid-update).
pub(crate) struct Counter {
    usage: Atomic<i64>,
    min: Atomic<i64>,
    max: Atomic<i64>,
    soft: Atomic<u64>,
    hard: Atomic<u64>,
    hits: Atomic<u64>,
    soft_hits: Atomic<u64>,
}

/// What [`Counter::charge`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charge {
    /// Within the hard limit: charged.
    Granted,
    /// Over the hard limit: counted as a hit.
    Refused,
}

/// Whether `usage` is above `limit` (`usage` may be transiently negative: never above).
fn above(usage: i64, limit: u64) -> bool {
    u64::try_from(usage).is_ok_and(|usage| usage > limit)
}

impl Counter {
    /// A counter at zero, without limits.
    pub(crate) const fn new() -> Self {
        Self {
            usage: Atomic::new(0),
            min: Atomic::new(0),
            max: Atomic::new(0),
            soft: Atomic::new(INFINITY),
            hard: Atomic::new(INFINITY),
            hits: Atomic::new(0),
            soft_hits: Atomic::new(0),
        }
    }

    /// Raises `max` to `usage` if it is lower.
    fn note_max(&self, usage: i64) {
        let mut seen = self.max.load(Relaxed);
        while usage > seen {
            match self.max.cmpxchg(seen, usage, Relaxed) {
                Ok(_) => break,
                Err(now) => seen = now,
            }
        }
    }

    /// Lowers `min` to `usage` if it is higher.
    fn note_min(&self, usage: i64) {
        let mut seen = self.min.load(Relaxed);
        while usage < seen {
            match self.min.cmpxchg(seen, usage, Relaxed) {
                Ok(_) => break,
                Err(now) => seen = now,
            }
        }
    }

    /// Counts one more unit held, unless that would exceed the hard limit (then counts a
    /// hit and leaves the usage as it was).
    pub(crate) fn charge(&self) -> Charge {
        let usage = self.usage.fetch_add(1, Relaxed) + 1;
        if above(usage, self.hard.load(Relaxed)) {
            self.usage.fetch_sub(1, Relaxed);
            self.hits.add(1, Relaxed);
            return Charge::Refused;
        }
        self.granted(usage);
        Charge::Granted
    }

    /// Counts one more unit held whatever the limit says, for what cannot be refused at
    /// that point (a task moved in by the host, an accepted connection).
    pub(crate) fn charge_always(&self) {
        let usage = self.usage.fetch_add(1, Relaxed) + 1;
        self.granted(usage);
    }

    /// Like [`Counter::charge`], for callers whose undo path always runs: a refused charge
    /// stays counted until the caller's matching [`Counter::uncharge`].
    ///
    /// The LSM file hooks work this way: when `file_alloc_security` fails, the kernel still
    /// calls `file_free_security` for the file.
    pub(crate) fn charge_undone_by_caller(&self) -> Charge {
        let usage = self.usage.fetch_add(1, Relaxed) + 1;
        if above(usage, self.hard.load(Relaxed)) {
            self.hits.add(1, Relaxed);
            return Charge::Refused;
        }
        self.granted(usage);
        Charge::Granted
    }

    fn granted(&self, usage: i64) {
        self.note_max(usage);
        if above(usage, self.soft.load(Relaxed)) {
            self.soft_hits.add(1, Relaxed);
        }
    }

    /// Counts one unit less; returns the usage left.
    pub(crate) fn uncharge(&self) -> i64 {
        let usage = self.usage.fetch_sub(1, Relaxed) - 1;
        self.note_min(usage);
        usage
    }

    /// Whether one more unit would exceed the hard limit.
    pub(crate) fn is_full(&self) -> bool {
        above(self.usage().saturating_add(1), self.hard.load(Relaxed))
    }

    /// The units held now.
    pub(crate) fn usage(&self) -> i64 {
        self.usage.load(Relaxed)
    }

    /// Sets the limits; the caller checked `soft <= hard`.
    pub(crate) fn set_limits(&self, soft: u64, hard: u64) {
        self.soft.store(soft, Relaxed);
        self.hard.store(hard, Relaxed);
    }

    /// Starts the statistics anew from the present usage.
    pub(crate) fn reset(&self) {
        let usage = self.usage();
        self.min.store(usage, Relaxed);
        self.max.store(usage, Relaxed);
        self.hits.store(0, Relaxed);
        self.soft_hits.store(0, Relaxed);
    }

    /// The counter as `VS_IOC_GET_LIMITS` reports it.
    pub(crate) fn stat(&self) -> uapi::LimitStat {
        let clamp = |v: i64| u64::try_from(v).unwrap_or(0);
        let mut stat = uapi::LimitStat::default();
        stat.usage = clamp(self.usage());
        stat.min = clamp(self.min.load(Relaxed));
        stat.max = clamp(self.max.load(Relaxed));
        stat.soft = self.soft.load(Relaxed);
        stat.hard = self.hard.load(Relaxed);
        stat.hits = self.hits.load(Relaxed);
        stat.soft_hits = self.soft_hits.load(Relaxed);
        stat
    }
}

/// The counters of one context.
pub(crate) struct Limits {
    counters: [Counter; COUNT],
}

impl Limits {
    pub(crate) const fn new() -> Self {
        Self {
            counters: [Counter::new(), Counter::new(), Counter::new()],
        }
    }

    /// The counter of `VS_LIMIT_*` `resource`, if there is one.
    pub(crate) fn get(&self, resource: u32) -> Option<&Counter> {
        self.counters.get(usize::try_from(resource).ok()?)
    }

    /// The tasks of the context.
    pub(crate) fn nproc(&self) -> &Counter {
        &self.counters[uapi::VS_LIMIT_NPROC as usize]
    }

    /// The open file descriptions of the context.
    pub(crate) fn nofile(&self) -> &Counter {
        &self.counters[uapi::VS_LIMIT_NOFILE as usize]
    }

    /// The sockets of the context.
    pub(crate) fn nsock(&self) -> &Counter {
        &self.counters[uapi::VS_LIMIT_NSOCK as usize]
    }

    /// Every counter, in `VS_LIMIT_*` order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Counter> {
        self.counters.iter()
    }
}

/// Checks the limits `VS_IOC_SET_LIMIT` asks for: the soft limit is at most the hard one.
pub(crate) fn valid_limits(soft: u64, hard: u64) -> bool {
    soft <= hard
}

#[cfg(CONFIG_KUNIT)]
#[kernel::macros::kunit_tests(vserver_limits)]
mod tests {
    use super::*;

    #[test]
    fn charges_up_to_the_hard_limit() {
        let c = Counter::new();
        c.set_limits(INFINITY, 2);
        assert_eq!(c.charge(), Charge::Granted);
        assert_eq!(c.charge(), Charge::Granted);
        assert_eq!(c.charge(), Charge::Refused);
        assert_eq!(c.usage(), 2);
        let s = c.stat();
        assert_eq!((s.usage, s.max, s.hits), (2, 2, 1));
        assert_eq!(c.uncharge(), 1);
        assert_eq!(c.charge(), Charge::Granted);
    }

    #[test]
    fn soft_limit_is_reported_not_refused() {
        let c = Counter::new();
        c.set_limits(1, INFINITY);
        assert_eq!(c.charge(), Charge::Granted);
        assert_eq!(c.charge(), Charge::Granted);
        assert_eq!(c.stat().soft_hits, 1);
        assert_eq!(c.stat().hits, 0);
    }

    #[test]
    fn refused_charge_undone_by_caller_balances() {
        let c = Counter::new();
        c.set_limits(0, 0);
        assert_eq!(c.charge_undone_by_caller(), Charge::Refused);
        assert_eq!(c.uncharge(), 0);
        let s = c.stat();
        assert_eq!((s.usage, s.max, s.hits), (0, 0, 1));
    }

    #[test]
    fn reset_starts_from_present_usage() {
        let c = Counter::new();
        c.charge_always();
        c.charge_always();
        c.uncharge();
        assert_eq!((c.stat().min, c.stat().max), (0, 2));
        c.reset();
        let s = c.stat();
        assert_eq!((s.usage, s.min, s.max, s.hits), (1, 1, 1, 0));
    }

    #[test]
    fn hard_limit_below_usage_refuses_until_it_drops() {
        let c = Counter::new();
        c.charge_always();
        c.charge_always();
        c.set_limits(1, 1);
        assert_eq!(c.charge(), Charge::Refused);
        c.uncharge();
        c.uncharge();
        assert_eq!(c.charge(), Charge::Granted);
    }

    #[test]
    fn limits_are_checked() {
        assert!(valid_limits(1, 2));
        assert!(valid_limits(INFINITY, INFINITY));
        assert!(!valid_limits(3, 2));
        let l = Limits::new();
        assert!(l.get(uapi::VS_LIMIT_NSOCK).is_some());
        assert!(l.get(uapi::VS_LIMIT_COUNT).is_none());
    }
}
