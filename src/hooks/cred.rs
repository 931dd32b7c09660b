// SPDX-License-Identifier: GPL-2.0

//! The credential hooks: new credentials inherit the context of those they are made from.

use crate::blob::cred::{CredBlob, PrivateCred};

/// `cred_prepare` and `cred_transfer` (`keyctl(KEYCTL_SESSION_TO_PARENT)`): new credentials
/// belong to the context of those they are copied from.
pub(crate) fn cred_prepare(mut new: PrivateCred<'_>, old: CredBlob<'_>) {
    new.set(old.context_arc());
}

/// `cred_free`: drops the reference to the context.
pub(crate) fn cred_free(mut cred: PrivateCred<'_>) {
    cred.set(None);
}
