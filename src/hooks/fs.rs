// SPDX-License-Identifier: GPL-2.0

//! The file-system hooks: opening files (host tunables, block devices, `/dev/kmsg`),
//! barriers and cgroups on path lookup, `mknod`, `chroot`, `SIGIO` owners, and the
//! `NOFILE` accounting of open file descriptions, charged to the context of the
//! credentials they are opened with (`f_cred`), which the file keeps until it is freed.

use super::{guest_check, refuse};
use crate::blob::cred::CredBlob;
use crate::blob::file::{major_minor, File, Inode, OpenFile};
use crate::blob::path::Path;
use crate::blob::task::TaskBlob;
use crate::context::limits::Charge;
use crate::context::policy;
use crate::context::registry::registry;
use crate::hooks::confine::may_chroot;
use crate::uapi;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;
use kernel::task::Task;

/// `file_alloc_security`: a new file description of a guest, unless its context is at
/// its `NOFILE` hard limit (`ENFILE`, as when the system's file table is full).
pub(crate) fn file_alloc_security(file: &File) -> Result {
    match CredBlob::of(file.cred()).context() {
        // The kernel calls `file_free_security` even when this hook fails, which
        // uncharges: so the refused charge stays until then.
        Some(context) if context.limits.nofile().charge_undone_by_caller() == Charge::Refused => {
            Err(ENFILE)
        }
        _ => Ok(()),
    }
}

/// `file_free_security`: the file's unit goes back to its context.
pub(crate) fn file_free_security(file: &File) {
    if let Some(context) = CredBlob::of(file.cred()).context() {
        context.limits.nofile().uncharge();
    }
}

/// `path_chroot`: a guest task chroots only below its current root, and only while it
/// holds no open directory outside the new root (`EPERM`, counted as a hit).
pub(crate) fn path_chroot(path: &Path) -> Result {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN || may_chroot(path) {
        return Ok(());
    }
    refuse(EPERM)
}

/// `file_send_sigiotask`: `SIGIO`/`SIGURG` for a file (`F_SETOWN`, `F_SETSIG`, leases) reach
/// only tasks of the context whose credentials opened it, so a guest cannot signal another
/// context by naming one of its pids as owner. Files the host opened signal anyone.
/// `file` is the file whose owner signals, `tsk` the receiver.
pub(crate) fn file_send_sigiotask(tsk: &Task, file: &File) -> Result {
    let sender = CredBlob::of(file.cred());
    let Some(context) = sender.context() else {
        return Ok(());
    };
    if policy::may_touch(context.xid, TaskBlob::of(tsk).xid()) {
        Ok(())
    } else {
        context.hit();
        Err(EPERM)
    }
}

/// `file_open`: a guest never opens the host's kernel tunables for writing (`/proc/sys`,
/// `/proc/sysrq-trigger`, anything in sysfs; reading stays allowed), nor `/dev/kmsg` for
/// writing (the host's kernel log), nor any block device, whatever node it finds
/// (`EACCES`).
pub(crate) fn file_open(file: &OpenFile) -> Result {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return Ok(());
    }
    if file.is_host_tunable_write() || file.is_block_device() || file.is_kmsg_write() {
        if let Some(()) = TaskBlob::with_current_context(|context| context.hit()) {
            return Err(EACCES);
        }
    }
    Ok(())
}

/// `inode_permission`: a guest task cannot look up, list or open anything through a
/// barrier directory, nor write to a cgroup file system (`EACCES`).
pub(crate) fn inode_permission(inode: &Inode, mask: c_int) -> Result {
    let access = (bindings::MAY_EXEC | bindings::MAY_READ | bindings::MAY_WRITE) as c_int;
    // This runs for every component of every path looked up: the cheapest tests first.
    if mask & access == 0 || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return Ok(());
    }
    // A guest changes no cgroup (its own limits included), nor moves itself out of one.
    let cgroup_write = mask & bindings::MAY_WRITE as c_int != 0 && inode.is_cgroup_fs();
    if !cgroup_write && !registry().barriers.contains(|| inode.directory_key()) {
        return Ok(());
    }
    refuse(EACCES)
}

/// The character devices a guest may create when its set has `CAP_MKNOD`, as (major,
/// minor): null, zero, full, random, urandom (`MEM_MAJOR`), tty, ptmx (`TTYAUX_MAJOR`).
const SAFE_CHAR_DEVICES: [(u32, u32); 7] = [
    (bindings::MEM_MAJOR, 3),
    (bindings::MEM_MAJOR, 5),
    (bindings::MEM_MAJOR, 7),
    (bindings::MEM_MAJOR, 8),
    (bindings::MEM_MAJOR, 9),
    (bindings::TTYAUX_MAJOR, 0),
    (bindings::TTYAUX_MAJOR, 2),
];

/// `inode_mknod`: even with `CAP_MKNOD`, a guest creates only the usual safe character
/// devices; no block device and no other character device (`EPERM`).
pub(crate) fn inode_mknod(mode: bindings::umode_t, dev: bindings::dev_t) -> Result {
    let format = u32::from(mode) & bindings::S_IFMT;
    if format != bindings::S_IFCHR && format != bindings::S_IFBLK {
        return Ok(());
    }
    let safe = format == bindings::S_IFCHR && SAFE_CHAR_DEVICES.contains(&major_minor(dev));
    guest_check(true, |_| safe)
}
