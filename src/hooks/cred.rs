// SPDX-License-Identifier: GPL-2.0

//! The credential hooks: new credentials inherit the context of those they are made from.

use crate::blob::cred::CredBlob;
use kernel::bindings;

/// `cred_prepare`: new credentials belong to the context of those they are copied from.
///
/// # Safety
///
/// `new` is private to the caller, `old` is live (shim contract).
pub(crate) unsafe extern "C" fn cred_prepare(
    new: *mut bindings::cred,
    old: *const bindings::cred,
    _gfp: bindings::gfp_t,
) -> core::ffi::c_int {
    // SAFETY: `new` and `old` are live; `new` is private (shim contract).
    unsafe { cred_transfer(new, old) };
    0
}

/// `cred_transfer`: as `cred_prepare`, for `keyctl(KEYCTL_SESSION_TO_PARENT)`.
///
/// # Safety
///
/// `new` is private to the caller, `old` is live (shim contract).
pub(crate) unsafe extern "C" fn cred_transfer(
    new: *mut bindings::cred,
    old: *const bindings::cred,
) {
    // SAFETY: `old` is live (shim contract).
    let context = unsafe { CredBlob::of(old) }.context_arc();
    // SAFETY: `new` is live and private (shim contract).
    unsafe { CredBlob::of(new).set(context) };
}

/// `cred_free`: drops the reference to the context.
///
/// # Safety
///
/// `cred` is being freed (shim contract).
pub(crate) unsafe extern "C" fn cred_free(cred: *mut bindings::cred) {
    // SAFETY: `cred` is live until we return, and nobody else uses it any more.
    unsafe { CredBlob::of(cred).set(None) };
}
