// SPDX-License-Identifier: GPL-2.0

//! The one writer of list answers (`VS_IOC_LIST`, `VS_IOC_NET_LIST`, `VS_IOC_GET_LIMITS`,
//! `VS_IOC_NET_GET_INFO`), so that they all keep the header's convention: the caller's
//! `count` is the room of its array; `total` is how many entries there are; they are
//! written only if all of them fit, else the answer is `E2BIG` with `count` 0.

use kernel::prelude::*;
use kernel::transmute::AsBytes;
use kernel::uaccess::{UserPtr, UserSlice};

/// The most entries a list answer holds: every possible context id.
const LIST_MAX: usize = 65536;

/// What a list answer reports back in its structure.
pub(crate) struct Written {
    /// Entries written: all of them, or 0 if they did not fit.
    pub(crate) count: u32,
    /// Entries there are.
    pub(crate) total: u32,
    fits: bool,
}

impl Written {
    /// The ioctl's result once the structure carrying `count` and `total` is written
    /// back: `E2BIG` if the entries did not fit.
    pub(crate) fn result(&self) -> Result {
        if self.fits {
            Ok(())
        } else {
            Err(E2BIG)
        }
    }
}

/// The room a caller's `count` offers, capped at [`LIST_MAX`] (no list is longer).
pub(crate) fn room(count: u32) -> usize {
    usize::try_from(count).unwrap_or(LIST_MAX).min(LIST_MAX)
}

/// What a list of `total` entries answers a caller with room for `count`.
fn answer(count: u32, total: usize) -> Result<Written> {
    let total_u32 = u32::try_from(total).map_err(|_| EOVERFLOW)?;
    let fits = total <= room(count);
    Ok(Written {
        count: if fits { total_u32 } else { 0 },
        total: total_u32,
        fits,
    })
}

/// Writes the `total` entries there are to the user array at `array` with room for
/// `count`, or nothing if they do not all fit. `entries` holds them all when they fit
/// (a collector may stop at the room it was given).
pub(crate) fn write<T: AsBytes>(
    count: u32,
    array: u64,
    entries: &[T],
    total: usize,
) -> Result<Written> {
    let written = answer(count, total)?;
    if !written.fits {
        return Ok(written);
    }
    // A collector that found `total` within the room has them all.
    let entries = entries.get(..total).ok_or(EINVAL)?;
    let address = usize::try_from(array).map_err(|_| EFAULT)?;
    let mut out = UserSlice::new(UserPtr::from_addr(address), size_of_val(entries)).writer();
    for entry in entries {
        out.write(entry)?;
    }
    Ok(written)
}

#[cfg(CONFIG_KUNIT)]
#[kernel::macros::kunit_tests(vserver_list)]
mod tests {
    use super::*;

    #[test]
    fn lists_fit_or_answer_e2big_with_their_total() -> Result {
        let fits = answer(3, 3)?;
        assert!(fits.fits && fits.count == 3 && fits.total == 3 && fits.result().is_ok());
        let short = answer(2, 3)?;
        assert!(!short.fits && short.count == 0 && short.total == 3);
        assert!(short.result() == Err(E2BIG));
        let empty = answer(0, 0)?;
        assert!(empty.fits && empty.count == 0 && empty.total == 0);
        // No room is larger than the longest list.
        assert!(room(u32::MAX) == LIST_MAX);
        assert!(answer(u32::MAX, LIST_MAX + 1)?.count == 0);
        Ok(())
    }
}
