// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the System V IPC hooks ([`crate::hooks::ipc`]).

use super::errno;
use crate::blob::ipc::{IpcObject, NewIpcObject};
use crate::hooks::ipc as policy;
use core::ffi::{c_int, c_short};
use kernel::bindings;

/// `ipc_visible` (shim call site: `/proc/sysvipc`).
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn visible(perm: *mut bindings::kern_ipc_perm) -> bool {
    // SAFETY: `perm` is alive for the call (hook contract: liveness).
    policy::visible(unsafe { IpcObject::from_raw(perm) })
}

/// `shm_alloc_security`, `msg_queue_alloc_security`, `sem_alloc_security`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn alloc(perm: *mut bindings::kern_ipc_perm) -> c_int {
    // SAFETY: `perm` is alive for the call and not published yet (hook contract: liveness,
    // privacy).
    policy::alloc(unsafe { NewIpcObject::from_raw(perm) });
    0
}

/// `shm_associate`, `msg_queue_associate`, `sem_associate`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn associate(
    perm: *mut bindings::kern_ipc_perm,
    _flag: c_int,
) -> c_int {
    // SAFETY: `perm` is alive for the call (hook contract: liveness).
    errno(policy::associate(unsafe { IpcObject::from_raw(perm) }))
}

/// `shm_shmctl`, `msg_queue_msgctl`, `sem_semctl`: `perm` is null for the system-wide
/// `IPC_INFO` queries.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn control(perm: *mut bindings::kern_ipc_perm, _cmd: c_int) -> c_int {
    let object = if perm.is_null() {
        None
    } else {
        // SAFETY: A non-null `perm` is alive for the call (hook contract: liveness).
        Some(unsafe { IpcObject::from_raw(perm) })
    };
    errno(policy::control(object))
}

/// `ipc_permission`.
///
/// # Safety
///
/// The hook contract (liveness).
pub(super) unsafe extern "C" fn permission(
    ipcp: *mut bindings::kern_ipc_perm,
    _flag: c_short,
) -> c_int {
    // SAFETY: `ipcp` is alive for the call (hook contract: liveness).
    errno(policy::permission(unsafe { IpcObject::from_raw(ipcp) }))
}
