// SPDX-License-Identifier: GPL-2.0

//! The handlers of the ioctls of context capabilities, resource limits and rlimit
//! ceilings. Reading is open to whoever may see the context; changing needs the host's
//! administrator.

use crate::context::limits;
use crate::context::registry::registry;
use crate::context::rlimits;
use crate::context::Context;
use crate::ioctl::context::{queried_context, read_context_id, require_host_admin};
use crate::ioctl::list;
use crate::uapi::{self, *};
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::uaccess::{UserSlice, UserSliceReader};

/// The guest context a setter names: the host and the spectator have no counters or
/// ceilings, and `VS_XID_SELF` names nothing to the host that may call it (`EINVAL`, as
/// the queries answer); an unknown id is `ESRCH`.
fn managed_context(xid: u32) -> Result<Arc<Context>> {
    if matches!(xid, VS_XID_HOST | VS_XID_SPECTATOR | VS_XID_SELF) {
        return Err(EINVAL);
    }
    registry().get(xid).ok_or(ESRCH)
}

/// `VS_IOC_GET_CAPS`.
pub(crate) fn get_caps(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let request: uapi::ContextCapsets = reader.read()?;
    if request.reserved != 0 {
        return Err(EINVAL);
    }
    let context = queried_context(request.xid)?;
    let mut out = uapi::ContextCapsets::default();
    out.xid = context.xid;
    out.bcaps = context.bcaps();
    out.ccaps = context.ccaps();
    writer.write(&out)
}

/// `VS_IOC_SET_CCAPS`.
pub(crate) fn set_ccaps(mut reader: UserSliceReader) -> Result {
    let request: uapi::ContextCcaps = reader.read()?;
    require_host_admin()?;
    if request.reserved != 0 || request.ccaps & !CCAPS_MASK != 0 {
        return Err(EINVAL);
    }
    registry().set_ccaps(request.xid, request.ccaps)
}

/// `VS_IOC_SET_LIMIT`.
pub(crate) fn set_limit(mut reader: UserSliceReader) -> Result {
    let request: uapi::Limit = reader.read()?;
    require_host_admin()?;
    if request.flags != 0 || !limits::valid_limits(request.soft, request.hard) {
        return Err(EINVAL);
    }
    let context = managed_context(request.xid)?;
    let counter = context.limits.get(request.resource).ok_or(EINVAL)?;
    counter.set_limits(request.soft, request.hard);
    Ok(())
}

/// `VS_IOC_GET_LIMITS`.
pub(crate) fn get_limits(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::LimitStats = reader.read()?;
    if request.reserved != 0 {
        return Err(EINVAL);
    }
    let context = queried_context(request.xid)?;
    let mut stats = KVec::with_capacity(limits::COUNT, GFP_KERNEL)?;
    for counter in context.limits.iter() {
        stats.push(counter.stat(), GFP_KERNEL)?;
    }
    let written = list::write(request.count, request.stats, &stats, stats.len())?;
    request.xid = context.xid;
    request.count = written.count;
    request.total = written.total;
    writer.write(&request)?;
    written.result()
}

/// `VS_IOC_RESET_LIMITS`.
pub(crate) fn reset_limits(reader: UserSliceReader) -> Result {
    let xid = read_context_id(reader)?;
    require_host_admin()?;
    let context = managed_context(xid)?;
    for counter in context.limits.iter() {
        counter.reset();
    }
    Ok(())
}

/// `VS_IOC_SET_RLIMIT`.
pub(crate) fn set_rlimit(mut reader: UserSliceReader) -> Result {
    let request: uapi::Rlimit = reader.read()?;
    require_host_admin()?;
    if request.flags != 0 || !rlimits::valid_resource(request.resource) {
        return Err(EINVAL);
    }
    let context = managed_context(request.xid)?;
    context.set_rlimit_ceiling(request.resource, request.ceiling)
}

/// `VS_IOC_GET_RLIMIT`.
pub(crate) fn get_rlimit(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::Rlimit = reader.read()?;
    if request.flags != 0 {
        return Err(EINVAL);
    }
    let context = queried_context(request.xid)?;
    request.ceiling = context.rlimit_ceiling(request.resource).ok_or(EINVAL)?;
    request.xid = context.xid;
    writer.write(&request)
}
