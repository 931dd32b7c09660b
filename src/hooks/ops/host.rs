// SPDX-License-Identifier: GPL-2.0

//! Trampolines of the hooks that protect the host ([`crate::hooks::host`]). None of them
//! looks at a pointer it is given.

use super::errno;
use crate::hooks::host::{self as policy, Reboot};
use core::ffi::{c_int, c_uint};
use kernel::bindings;

/// `kernel_load_data`.
pub(super) extern "C" fn kernel_load_data(
    _id: bindings::kernel_load_data_id,
    _contents: bool,
) -> c_int {
    errno(policy::load_into_kernel())
}

/// `kernel_read_file`.
pub(super) extern "C" fn kernel_read_file(
    _file: *mut bindings::file,
    _id: bindings::kernel_read_file_id,
    _contents: bool,
) -> c_int {
    errno(policy::load_into_kernel())
}

/// `bpf`.
pub(super) extern "C" fn bpf(
    _cmd: c_int,
    _attr: *mut bindings::bpf_attr,
    _size: c_uint,
    _kernel: bool,
) -> c_int {
    errno(policy::bpf())
}

/// `perf_event_open`.
pub(super) extern "C" fn perf_event_open(kind: c_int) -> c_int {
    errno(policy::perf_event_open(kind))
}

/// `may_set_utsname` (shim call site in `sethostname()`, `setdomainname()`).
pub(super) extern "C" fn may_set_utsname() -> bool {
    policy::may_set_utsname()
}

/// `capable`: the policy decides by the calling task, whichever credentials are checked.
pub(super) extern "C" fn capable(
    _cred: *const bindings::cred,
    _ns: *mut bindings::user_namespace,
    cap: c_int,
    opts: c_uint,
) -> c_int {
    errno(policy::capable(cap, opts))
}

/// `syslog`.
pub(super) extern "C" fn syslog(_type: c_int) -> c_int {
    errno(policy::syslog())
}

/// `reboot` (shim call site in `reboot(2)`): returns 1 to let the host handle the call,
/// 0 when the caller's context ends instead, or a negative errno.
pub(super) extern "C" fn reboot(cmd: c_uint) -> c_int {
    match policy::reboot(cmd) {
        Ok(Reboot::Host) => 1,
        Ok(Reboot::ContextEnds) => 0,
        Err(e) => e.to_errno(),
    }
}
