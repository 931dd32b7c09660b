// SPDX-License-Identifier: GPL-2.0

//! `NOFILE` accounting: open file descriptions, charged to the context of the credentials
//! they are opened with (`f_cred`), which the file keeps until it is freed.

use crate::creds::CredBlob;
use crate::limits::Charge;
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
