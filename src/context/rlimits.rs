// SPDX-License-Identifier: GPL-2.0

//! rlimit ceilings: the most a guest's task may set each of its `RLIMIT_*` limits to.

use crate::context::limits::INFINITY;
use crate::context::Context;
use crate::uapi;
use kernel::bindings;

/// `RLIM_INFINITY` as the kernel stores it.
const RLIM_INFINITY: u64 = !0;

/// An rlimit value as a ceiling compares it (`RLIM_INFINITY` is above every ceiling but
/// "none").
pub(crate) fn value(v: kernel::ffi::c_ulong) -> u64 {
    u64::try_from(v).unwrap_or(RLIM_INFINITY)
}

/// Whether changing a limit from `old` to `new` goes above `ceiling`: raising a value
/// above the ceiling is refused, lowering always works.
pub(crate) fn raises_above(old: u64, new: u64, ceiling: u64) -> bool {
    ceiling != INFINITY && new > ceiling && new > old
}

/// Clamps the calling process's limits to the ceilings of `context`, which it is entering.
pub(crate) fn clamp_current(context: &Context) {
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task is live; its group leader too, as long as it runs.
    let leader = unsafe { (*task).group_leader };
    // SAFETY: `task_lock` of the group leader is the lock `do_prlimit` takes to change the
    // process's limits; the current task's `signal` is valid while it runs.
    unsafe {
        bindings::task_lock(leader);
        let rlim = &mut (*(*task).signal).rlim;
        for (resource, limit) in rlim.iter_mut().enumerate() {
            let Some(ceiling) = u32::try_from(resource)
                .ok()
                .and_then(|r| context.rlimit_ceiling(r))
            else {
                continue;
            };
            if ceiling == INFINITY {
                continue;
            }
            let ceiling =
                kernel::ffi::c_ulong::try_from(ceiling).unwrap_or(kernel::ffi::c_ulong::MAX);
            limit.rlim_max = limit.rlim_max.min(ceiling);
            limit.rlim_cur = limit.rlim_cur.min(ceiling);
        }
        bindings::task_unlock(leader);
    }
}

/// Checks a `VS_IOC_SET_RLIMIT` request: an `RLIMIT_*` and any ceiling.
pub(crate) fn valid_resource(resource: u32) -> bool {
    resource < uapi::VS_RLIMIT_COUNT
}

/// `RLIM_INFINITY` and "no ceiling" are one value.
const _: () = assert!(RLIM_INFINITY == INFINITY);

#[cfg(CONFIG_KUNIT)]
#[kernel::macros::kunit_tests(vserver_rlimits)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_refuses_raises_only() {
        assert!(raises_above(10, 20, 15));
        assert!(!raises_above(10, 15, 15));
        assert!(!raises_above(30, 20, 15)); // lowering, still above: allowed
        assert!(!raises_above(10, 1 << 40, INFINITY));
        assert!(raises_above(10, RLIM_INFINITY, 15));
        assert!(valid_resource(0) && valid_resource(15) && !valid_resource(16));
    }
}
