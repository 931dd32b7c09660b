// SPDX-License-Identifier: GPL-2.0

//! Who may see and touch whom.

use crate::task::TaskBlob;
use crate::uapi::{VS_XID_HOST, VS_XID_SPECTATOR};

/// May the task `viewer` see the task `target`?
///
/// The host and the spectator see everybody; a guest sees its own context only.
pub(crate) fn may_see(viewer: &TaskBlob, target: &TaskBlob) -> bool {
    xid_may_see(viewer.xid(), target.xid())
}

/// [`may_see`] on context ids.
pub(crate) fn xid_may_see(viewer: u32, target: u32) -> bool {
    viewer == VS_XID_HOST || viewer == VS_XID_SPECTATOR || viewer == target
}
