// SPDX-License-Identifier: GPL-2.0

//! Who may see and touch whom: the rules of process isolation, on context ids.
//!
//! The host (0) sees and touches every task. The spectator (1) sees every task and touches
//! only its own. A guest (2 and up) sees and touches only the tasks of its own context.
//! What a task cannot see does not exist for it (`ESRCH`); what it sees but may not touch
//! is refused (`EPERM`).

use crate::uapi::{VS_XID_HOST, VS_XID_SPECTATOR};
use kernel::error::code::{EPERM, ESRCH};
use kernel::error::Error;

/// What a task wants to do to another one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Access {
    /// Look at it: find its pid, read its state, probe it with signal 0.
    Observe,
    /// Change it: signal it, trace it, change its scheduling.
    Modify,
}

/// May a task of context `viewer` see a task of context `target`?
pub(crate) fn may_see(viewer: u32, target: u32) -> bool {
    viewer == VS_XID_HOST || viewer == VS_XID_SPECTATOR || viewer == target
}

/// May a task of context `actor` change a task of context `target`?
pub(crate) fn may_touch(actor: u32, target: u32) -> bool {
    actor == VS_XID_HOST || actor == target
}

/// The verdict for `actor` doing `access` to a task of context `target`.
pub(crate) fn check(actor: u32, target: u32, access: Access) -> Result<(), Error> {
    if !may_see(actor, target) {
        return Err(ESRCH);
    }
    if access == Access::Modify && !may_touch(actor, target) {
        return Err(EPERM);
    }
    Ok(())
}

/// The access a signal needs: signal 0 only probes for existence.
pub(crate) fn signal_access(sig: i32) -> Access {
    if sig == 0 {
        Access::Observe
    } else {
        Access::Modify
    }
}

#[cfg(CONFIG_KUNIT)]
#[kernel::macros::kunit_tests(vserver_policy)]
mod tests {
    use super::*;

    const GUEST_A: u32 = 40;
    const GUEST_B: u32 = 41;

    #[test]
    fn host_sees_and_touches_everyone() {
        for target in [VS_XID_HOST, VS_XID_SPECTATOR, GUEST_A] {
            assert!(check(VS_XID_HOST, target, Access::Modify).is_ok());
        }
    }

    #[test]
    fn spectator_sees_everyone_but_touches_only_its_own() {
        assert!(check(VS_XID_SPECTATOR, GUEST_A, Access::Observe).is_ok());
        assert!(check(VS_XID_SPECTATOR, VS_XID_HOST, Access::Observe).is_ok());
        assert_eq!(check(VS_XID_SPECTATOR, GUEST_A, Access::Modify), Err(EPERM));
        assert_eq!(
            check(VS_XID_SPECTATOR, VS_XID_HOST, Access::Modify),
            Err(EPERM)
        );
        assert!(check(VS_XID_SPECTATOR, VS_XID_SPECTATOR, Access::Modify).is_ok());
    }

    #[test]
    fn guests_do_not_see_each_other_or_the_host() {
        assert_eq!(check(GUEST_A, GUEST_B, Access::Observe), Err(ESRCH));
        assert_eq!(check(GUEST_A, VS_XID_HOST, Access::Modify), Err(ESRCH));
        assert_eq!(
            check(GUEST_A, VS_XID_SPECTATOR, Access::Observe),
            Err(ESRCH)
        );
        assert!(check(GUEST_A, GUEST_A, Access::Modify).is_ok());
    }

    #[test]
    fn signal_zero_only_observes() {
        assert_eq!(signal_access(0), Access::Observe);
        assert_eq!(signal_access(9), Access::Modify);
    }
}
