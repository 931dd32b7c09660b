// SPDX-License-Identifier: GPL-2.0

//! The handlers of the network context ioctls. Creating, entering and changing network
//! contexts is for the host's administrator; a task may ask about its own.

use crate::blob::task::TaskBlob;
use crate::context::registry::registry;
use crate::ioctl::context::{answer_id_list, read_context_id, require_host_admin, single_threaded};
use crate::ioctl::list;
use crate::net::addr::{AF_INET, AF_INET6};
use crate::net::NetContext;
use crate::uapi::{self, *};
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::uaccess::{UserSlice, UserSliceReader};

/// `VS_IOC_NET_CREATE`.
pub(crate) fn create(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::NetCreate = reader.read()?;
    require_host_admin()?;
    let static_ids = VS_XID_STATIC_MIN..=VS_XID_STATIC_MAX;
    if request.reserved != 0
        || request.flags & !NF_MASK != 0
        || !(request.nid == VS_XID_ALLOCATE || static_ids.contains(&request.nid))
    {
        return Err(EINVAL);
    }
    let net = registry().nets.create(request.nid, request.flags)?;
    request.nid = net.nid;
    writer.write(&request).inspect_err(|_| {
        // A caller that cannot learn the id could never use or remove the network context.
        registry().nets.withdraw(&net);
    })
}

/// `VS_IOC_NET_MIGRATE`: the calling process enters a network context, for good.
pub(crate) fn migrate(reader: UserSliceReader) -> Result {
    let nid = read_context_id(reader)?;
    require_host_admin()?;
    if nid == 0 {
        return Err(EINVAL);
    }
    let net = registry().nets.get(nid).ok_or(ESRCH)?;
    // Threads of one process never straddle network contexts.
    if !single_threaded() {
        return Err(EBUSY);
    }
    registry().nets.enter(&net)?;
    let me = TaskBlob::current();
    // SAFETY: We change the calling task's own blob.
    if let Some(old) = unsafe { me.replace_net(Some(net)) } {
        registry().nets.task_left(old);
    }
    Ok(())
}

/// A `struct vs_net_addr` as the address sets take it.
struct AddrRequest {
    net: Arc<NetContext>,
    /// `AF_INET`, `AF_INET6`, or a value no family has (refused by the address set).
    family: u16,
    addr: [u8; 16],
    /// The prefix length; a value no family allows stays one (refused by the address set).
    prefix: u8,
    loopback: bool,
}

/// Reads a `struct vs_net_addr` and finds its network context.
fn read_addr(mut reader: UserSliceReader) -> Result<AddrRequest> {
    let request: uapi::NetAddr = reader.read()?;
    require_host_admin()?;
    if request.flags & !NA_MASK != 0 {
        return Err(EINVAL);
    }
    let net = registry().nets.get(request.nid).ok_or(ESRCH)?;
    Ok(AddrRequest {
        net,
        // AF_UNSPEC (0) is no family either.
        family: u16::try_from(request.family).unwrap_or(0),
        addr: request.addr,
        prefix: u8::try_from(request.prefix).unwrap_or(u8::MAX),
        loopback: request.flags & VS_NA_LOOPBACK != 0,
    })
}

/// `VS_IOC_NET_ADD`.
pub(crate) fn add(reader: UserSliceReader) -> Result {
    let a = read_addr(reader)?;
    a.net
        .update_addrs(|set| set.add(a.family, &a.addr, a.prefix, a.loopback))
}

/// `VS_IOC_NET_REMOVE_ADDR`: sockets already bound keep their address.
pub(crate) fn remove_addr(reader: UserSliceReader) -> Result {
    let a = read_addr(reader)?;
    a.net
        .update_addrs(|set| set.remove(a.family, &a.addr, a.loopback))
}

/// The entries `VS_IOC_NET_GET_INFO` reports for `net`.
fn entries(net: &NetContext) -> Result<KVVec<uapi::NetAddr>> {
    let set = net.with_addrs(|set| *set);
    let mut out = KVVec::with_capacity(set.count(), GFP_KERNEL)?;
    let mut push = |family: u16, addr: &[u8], prefix: u8, flags: u32| -> Result {
        let mut e = uapi::NetAddr::default();
        e.nid = net.nid;
        e.family = family.into();
        e.prefix = prefix.into();
        e.flags = flags;
        e.addr[..addr.len()].copy_from_slice(addr);
        out.push(e, GFP_KERNEL)?;
        Ok(())
    };
    for e in set.v4.entries() {
        push(AF_INET, &e.addr, e.prefix, 0)?;
    }
    for e in set.v6.entries() {
        push(AF_INET6, &e.addr, e.prefix, 0)?;
    }
    if let Some(l) = set.v4.explicit_loopback() {
        push(AF_INET, &l, 32, VS_NA_LOOPBACK)?;
    }
    if let Some(l) = set.v6.explicit_loopback() {
        push(AF_INET6, &l, 128, VS_NA_LOOPBACK)?;
    }
    Ok(out)
}

/// `VS_IOC_NET_GET_INFO`.
pub(crate) fn get_info(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::NetInfo = reader.read()?;
    if request.reserved != 0 {
        return Err(EINVAL);
    }
    let me = TaskBlob::current();
    let nid = if request.nid == VS_XID_SELF {
        me.nid()
    } else {
        request.nid
    };
    if nid == 0 {
        return Err(EINVAL);
    }
    // A guest learns nothing about network contexts other than its own.
    if me.xid() != VS_XID_HOST && me.nid() != nid {
        return Err(ESRCH);
    }
    let net = registry().nets.get(nid).ok_or(ESRCH)?;
    let addrs = entries(&net)?;
    request.nid = nid;
    request.tasks = u32::try_from(net.tasks()).unwrap_or(0);
    request.flags = net.flags();
    let written = list::write(request.count, request.addrs, &addrs, addrs.len())?;
    request.count = written.count;
    request.total = written.total;
    writer.write(&request)?;
    written.result()
}

/// `VS_IOC_NET_LIST` (the host only).
pub(crate) fn list(user: UserSlice) -> Result {
    answer_id_list(user, |room| {
        if TaskBlob::current().xid() != VS_XID_HOST {
            return Err(EPERM);
        }
        registry().nets.list(room)
    })
}

/// `VS_IOC_NET_REMOVE`.
pub(crate) fn remove(reader: UserSliceReader) -> Result {
    let nid = read_context_id(reader)?;
    require_host_admin()?;
    registry().nets.remove(nid)
}

/// `VS_IOC_NET_GET_NID`.
pub(crate) fn get_nid(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut query: uapi::NidQuery = reader.read()?;
    if query.reserved != 0 {
        return Err(EINVAL);
    }
    query.nid = match query.pid {
        0 => TaskBlob::current().nid(),
        pid if pid < 0 => return Err(EINVAL),
        pid => crate::blob::lookup::with_visible_task(pid, |blob| blob.nid())?,
    };
    writer.write(&query)
}
