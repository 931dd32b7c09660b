// SPDX-License-Identifier: GPL-2.0

//! rlimit ceilings: the most a guest's task may set each of its `RLIMIT_*` limits to.

use crate::context::limits::INFINITY;
use crate::context::Context;
use crate::uapi;
use kernel::bindings;

/// `RLIM_INFINITY` as the kernel stores it, `~0UL`, which bindgen types as the `i32` -1:
/// sign extension gives back all ones.
const RLIM_INFINITY: u64 = bindings::RLIM_INFINITY as u64;

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

/// Clamps `limit`, a process's limit of `resource`, to the ceiling of `context`, which the
/// process is entering.
pub(crate) fn clamp(context: &Context, resource: u32, limit: &mut bindings::rlimit) {
    let Some(ceiling) = context.rlimit_ceiling(resource) else {
        return;
    };
    if ceiling == INFINITY {
        return;
    }
    let ceiling = kernel::ffi::c_ulong::try_from(ceiling).unwrap_or(kernel::ffi::c_ulong::MAX);
    limit.rlim_max = limit.rlim_max.min(ceiling);
    limit.rlim_cur = limit.rlim_cur.min(ceiling);
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
