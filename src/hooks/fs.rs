// SPDX-License-Identifier: GPL-2.0

//! The file-system hooks: opening files (host tunables, block devices, `/dev/kmsg`),
//! barriers and cgroups on path lookup, `mknod`, `chroot`, `SIGIO` owners, and the
//! `NOFILE` accounting of open file descriptions, charged to the context of the
//! credentials they are opened with (`f_cred`), which the file keeps until it is freed.

use super::guest_check;
use crate::blob::cred::CredBlob;
use crate::blob::file as files;
use crate::blob::task::TaskBlob;
use crate::context::confine::{holds_directory_outside, under_root};
use crate::context::limits::Charge;
use crate::context::policy;
use crate::context::registry::registry;
use crate::uapi;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// `file_alloc_security`: a new file description of a guest, unless its context is at
/// its `NOFILE` hard limit (`ENFILE`, as when the system's file table is full).
///
/// # Safety
///
/// `file` is being allocated, its `f_cred` set (shim contract).
pub(crate) unsafe extern "C" fn file_alloc_security(file: *mut bindings::file) -> c_int {
    // SAFETY: `file` and its credentials are valid (shim contract).
    let blob = unsafe { CredBlob::of((*file).f_cred) };
    match blob.context() {
        // The kernel calls `file_free_security` even when this hook fails, which
        // uncharges: so the refused charge stays until then.
        Some(context) if context.limits.nofile().charge_undone_by_caller() == Charge::Refused => {
            ENFILE.to_errno()
        }
        _ => 0,
    }
}

/// `file_free_security`: the file's unit goes back to its context.
///
/// # Safety
///
/// `file` is being freed, its `f_cred` still held (shim contract).
pub(crate) unsafe extern "C" fn file_free_security(file: *mut bindings::file) {
    // SAFETY: `file` and its credentials are valid (shim contract).
    let blob = unsafe { CredBlob::of((*file).f_cred) };
    if let Some(context) = blob.context() {
        context.limits.nofile().uncharge();
    }
}

/// `path_chroot`: a guest task chroots only below its current root, and only while it
/// holds no open directory outside the new root (`EPERM`, counted as a hit).
///
/// # Safety
///
/// `path` is the new root, referenced by the caller (shim contract).
pub(crate) unsafe extern "C" fn path_chroot(path: *const bindings::path) -> c_int {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task's `fs` is valid while it runs and can chroot.
    let fs = unsafe { (*task).fs };
    // SAFETY: `fs` is live, `path` is held by the caller.
    let allowed = !fs.is_null()
        && unsafe { under_root(fs, path) }
        // SAFETY: `path` is held by the caller.
        && !unsafe { holds_directory_outside(path) };
    if allowed {
        return 0;
    }
    TaskBlob::with_current_context(|context| context.hit());
    EPERM.to_errno()
}

/// `file_send_sigiotask`: `SIGIO`/`SIGURG` for a file (`F_SETOWN`, `F_SETSIG`, leases) reach
/// only tasks of the context whose credentials opened it, so a guest cannot signal another
/// context by naming one of its pids as owner. Files the host opened signal anyone.
///
/// # Safety
///
/// `tsk` is live and `fown` belongs to a live file (shim contract).
pub(crate) unsafe extern "C" fn file_send_sigiotask(
    tsk: *mut bindings::task_struct,
    fown: *mut bindings::fown_struct,
    _sig: c_int,
) -> c_int {
    // SAFETY: `fown` belongs to a live file, which holds its credentials (shim contract).
    let sender = unsafe { crate::blob::cred::CredBlob::of((*(*fown).file).f_cred) };
    let Some(context) = sender.context() else {
        return 0;
    };
    // SAFETY: `tsk` is live (shim contract).
    if policy::may_touch(context.xid, unsafe { TaskBlob::of(tsk) }.xid()) {
        0
    } else {
        context.hit();
        EPERM.to_errno()
    }
}

/// `file_open`: a guest never opens the host's kernel tunables for writing (`/proc/sys`,
/// `/proc/sysrq-trigger`, anything in sysfs; reading stays allowed), nor `/dev/kmsg` for
/// writing (the host's kernel log), nor any block device, whatever node it finds
/// (`EACCES`).
///
/// # Safety
///
/// `file` is a file being opened (shim contract).
pub(crate) unsafe extern "C" fn file_open(file: *mut bindings::file) -> c_int {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    // SAFETY: `file` is valid (shim contract).
    if unsafe {
        files::is_host_tunable_write(file)
            || files::is_block_device(file)
            || files::is_kmsg_write(file)
    } {
        if let Some(()) = TaskBlob::with_current_context(|context| context.hit()) {
            return EACCES.to_errno();
        }
    }
    0
}

/// `inode_permission`: a guest task cannot look up, list or open anything through a
/// barrier directory, nor write to a cgroup file system (`EACCES`).
///
/// # Safety
///
/// `inode` is valid (shim contract).
pub(crate) unsafe extern "C" fn inode_permission(
    inode: *mut bindings::inode,
    mask: c_int,
) -> c_int {
    let access = (bindings::MAY_EXEC | bindings::MAY_READ | bindings::MAY_WRITE) as c_int;
    // This runs for every component of every path looked up: the cheapest tests first.
    if mask & access == 0 || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    // A guest changes no cgroup (its own limits included), nor moves itself out of one.
    // SAFETY: `inode` is valid (shim contract).
    let cgroup_write =
        mask & bindings::MAY_WRITE as c_int != 0 && unsafe { files::is_cgroup_fs(inode) };
    // SAFETY: `inode` is valid (shim contract).
    if !cgroup_write && !unsafe { registry().barriers.contains(inode) } {
        return 0;
    }
    TaskBlob::with_current_context(|context| context.hit());
    EACCES.to_errno()
}

/// The character devices a guest may create when its set has `CAP_MKNOD`, as (major,
/// minor): null, zero, full, random, urandom, tty, ptmx.
const SAFE_CHAR_DEVICES: [(u32, u32); 7] = [(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 2)];

/// `inode_mknod`: even with `CAP_MKNOD`, a guest creates only the usual safe character
/// devices; no block device and no other character device (`EPERM`).
pub(crate) extern "C" fn inode_mknod(
    _dir: *mut bindings::inode,
    _dentry: *mut bindings::dentry,
    mode: bindings::umode_t,
    dev: bindings::dev_t,
) -> c_int {
    let format = u32::from(mode) & bindings::S_IFMT;
    if format != bindings::S_IFCHR && format != bindings::S_IFBLK {
        return 0;
    }
    let device = (
        dev >> files::MINOR_BITS,
        dev & ((1 << files::MINOR_BITS) - 1),
    );
    let safe = format == bindings::S_IFCHR && SAFE_CHAR_DEVICES.contains(&device);
    guest_check(true, |_| safe)
}
