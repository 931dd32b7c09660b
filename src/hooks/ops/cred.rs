// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the credential hooks ([`crate::hooks::cred`]).

use crate::blob::cred::{CredBlob, PrivateCred};
use crate::hooks::cred as policy;
use kernel::bindings;
use kernel::cred::Credential;

/// `cred_prepare`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn cred_prepare(
    new: *mut bindings::cred,
    old: *const bindings::cred,
    _gfp: bindings::gfp_t,
) -> core::ffi::c_int {
    // SAFETY: As the hook contract guarantees for `cred_prepare`, as for `cred_transfer`.
    unsafe { cred_transfer(new, old) };
    0
}

/// `cred_transfer`: as `cred_prepare`, for `keyctl(KEYCTL_SESSION_TO_PARENT)`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn cred_transfer(
    new: *mut bindings::cred,
    old: *const bindings::cred,
) {
    // SAFETY: `old` is alive for the call (hook contract: liveness).
    let old = CredBlob::of(unsafe { Credential::from_ptr(old) });
    // SAFETY: `new` is alive for the call and nobody else sees it yet (hook contract:
    // liveness, privacy).
    let new = unsafe { PrivateCred::of(new) };
    policy::cred_prepare(new, old);
}

/// `cred_free`.
///
/// # Safety
///
/// The hook contract (liveness, privacy).
pub(super) unsafe extern "C" fn cred_free(cred: *mut bindings::cred) {
    // SAFETY: `cred` is alive until we return, and nobody else uses it any more (hook
    // contract: liveness, privacy).
    policy::cred_free(unsafe { PrivateCred::of(cred) });
}
