// SPDX-License-Identifier: GPL-2.0

//! Context and network-context ids: picking a free one.

use crate::uapi;
use kernel::prelude::*;

/// A free id: `requested` itself (`EEXIST` if `taken`), or for `VS_XID_ALLOCATE` the
/// first free dynamic id from `next_dynamic` on (`ENOSPC` if none), which then moves on.
pub(crate) fn pick_id(
    requested: u32,
    next_dynamic: &mut u32,
    taken: impl Fn(u32) -> bool,
) -> Result<u32> {
    if requested != uapi::VS_XID_ALLOCATE {
        return if taken(requested) {
            Err(EEXIST)
        } else {
            Ok(requested)
        };
    }
    let span = uapi::VS_XID_DYNAMIC_MAX - uapi::VS_XID_DYNAMIC_MIN + 1;
    for step in 0..span {
        let offset = (*next_dynamic - uapi::VS_XID_DYNAMIC_MIN + step) % span;
        let id = uapi::VS_XID_DYNAMIC_MIN + offset;
        if !taken(id) {
            *next_dynamic = uapi::VS_XID_DYNAMIC_MIN + (offset + 1) % span;
            return Ok(id);
        }
    }
    Err(ENOSPC)
}
