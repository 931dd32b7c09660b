// SPDX-License-Identifier: GPL-2.0

//! The handlers of the ABI 1.1 ioctls: context capabilities, resource limits and rlimit
//! ceilings. Reading is open to whoever may see the context; changing needs the host's
//! administrator.

use crate::context::limits;
use crate::context::registry::registry;
use crate::context::rlimits;
use crate::ioctl::context::{queried_context, read_context_id, require_host_admin};
use crate::uapi::{self, *};
use kernel::prelude::*;
use kernel::uaccess::{UserPtr, UserSlice, UserSliceReader};

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
    if request.reserved != 0 || request.ccaps & !VS_CCAPS_ALL != 0 {
        return Err(EINVAL);
    }
    registry().set_ccaps(request.xid, request.ccaps)
}

/// `VS_IOC_SET_LIMIT`.
pub(crate) fn set_limit(mut reader: UserSliceReader) -> Result {
    let request: uapi::Limit = reader.read()?;
    require_host_admin()?;
    if !limits::valid_limits(request.soft, request.hard) {
        return Err(EINVAL);
    }
    let context = registry().get(request.xid).ok_or(ESRCH)?;
    let counter = context.limits.get(request.resource).ok_or(EINVAL)?;
    counter.set_limits(request.soft, request.hard);
    Ok(())
}

/// `VS_IOC_GET_LIMITS`.
pub(crate) fn get_limits(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::LimitStats = reader.read()?;
    let context = queried_context(request.xid)?;
    let room = usize::try_from(request.count).map_err(|_| EINVAL)?;
    let count = room.min(limits::COUNT);
    let address = usize::try_from(request.stats).map_err(|_| EFAULT)?;
    let mut out = UserSlice::new(
        UserPtr::from_addr(address),
        count * size_of::<uapi::LimitStat>(),
    )
    .writer();
    for counter in context.limits.iter().take(count) {
        out.write(&counter.stat())?;
    }
    request.xid = context.xid;
    request.count = u32::try_from(count).map_err(|_| EOVERFLOW)?;
    writer.write(&request)
}

/// `VS_IOC_RESET_LIMITS`.
pub(crate) fn reset_limits(reader: UserSliceReader) -> Result {
    let xid = read_context_id(reader)?;
    require_host_admin()?;
    let context = registry().get(xid).ok_or(ESRCH)?;
    for counter in context.limits.iter() {
        counter.reset();
    }
    Ok(())
}

/// `VS_IOC_SET_RLIMIT`.
pub(crate) fn set_rlimit(mut reader: UserSliceReader) -> Result {
    let request: uapi::Rlimit = reader.read()?;
    require_host_admin()?;
    if !rlimits::valid_resource(request.resource) {
        return Err(EINVAL);
    }
    let context = registry().get(request.xid).ok_or(ESRCH)?;
    context.set_rlimit_ceiling(request.resource, request.ceiling)
}

/// `VS_IOC_GET_RLIMIT`.
pub(crate) fn get_rlimit(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::Rlimit = reader.read()?;
    let context = queried_context(request.xid)?;
    request.ceiling = context.rlimit_ceiling(request.resource).ok_or(EINVAL)?;
    request.xid = context.xid;
    writer.write(&request)
}
