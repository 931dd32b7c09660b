// SPDX-License-Identifier: GPL-2.0

//! Host-protecting denials that no capability of a guest lifts: loading code or data into
//! the kernel (modules, firmware, kexec images, policies), BPF, and performance monitoring
//! beyond the guest's own tasks. Each refusal is counted as a hit of the context.

use crate::task::TaskBlob;
use crate::uapi;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// `PERF_SECURITY_OPEN` (`include/linux/perf_event.h`): any event at all; the others are
/// CPU-wide, kernel and tracepoint events.
const PERF_SECURITY_OPEN: c_int = 0;

/// Refuses the calling task if it is in a guest context, counting a hit.
fn refuse_guest(err: Error) -> c_int {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    TaskBlob::with_current_context(|context| context.hit());
    err.to_errno()
}

/// `kernel_load_data`: `init_module`, `kexec_load`, firmware and policy blobs from a guest
/// (`EPERM`).
pub(crate) extern "C" fn kernel_load_data(
    _id: bindings::kernel_load_data_id,
    _contents: bool,
) -> c_int {
    refuse_guest(EPERM)
}

/// `kernel_read_file`: `finit_module`, `kexec_file_load` and the like from a guest
/// (`EPERM`).
pub(crate) extern "C" fn kernel_read_file(
    _file: *mut bindings::file,
    _id: bindings::kernel_read_file_id,
    _contents: bool,
) -> c_int {
    refuse_guest(EPERM)
}

/// `bpf`: a guest uses no `bpf(2)` command at all (`EPERM`): programs and maps reach
/// kernel-wide state that contexts do not partition.
pub(crate) extern "C" fn bpf(
    _cmd: c_int,
    _attr: *mut bindings::bpf_attr,
    _size: core::ffi::c_uint,
    _kernel: bool,
) -> c_int {
    refuse_guest(EPERM)
}

/// `perf_event_open`: a guest may monitor its own tasks (which it can name by pid), never
/// a whole CPU, the kernel or tracepoints, which would show other contexts (`EACCES`, as
/// `perf_event_paranoid` answers).
pub(crate) extern "C" fn perf_event_open(kind: c_int) -> c_int {
    if kind == PERF_SECURITY_OPEN {
        return 0;
    }
    refuse_guest(EACCES)
}
