// SPDX-License-Identifier: GPL-2.0

//! Host-protecting denials that no capability of a guest lifts: loading code or data into
//! the kernel (modules, firmware, kexec images, policies), BPF, and performance monitoring
//! beyond the guest's own tasks. Each refusal is counted as a hit of the context.

use super::guest_check;
use crate::blob::task::TaskBlob;
use crate::uapi;
use core::ffi::{c_int, c_uint};
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

/// `may_set_utsname` (shim call site in `sethostname()`, `setdomainname()`): a guest with
/// `VS_CCAP_SET_UTSNAME` renames its own UTS namespace without `CAP_SYS_ADMIN`; the host's
/// namespace stays out of reach.
pub(crate) extern "C" fn may_set_utsname() -> bool {
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task's `nsproxy` is valid while it runs a system call.
    let uts = unsafe {
        let nsproxy = (*task).nsproxy;
        if nsproxy.is_null() {
            return false;
        }
        (*nsproxy).uts_ns
    };
    let host_uts = &raw mut bindings::init_uts_ns;
    uts != host_uts
        && TaskBlob::with_current_context(|c| c.has_ccap(uapi::VS_CCAP_SET_UTSNAME))
            .unwrap_or(false)
}

/// `CAP_OPT_NOAUDIT` (`include/linux/security.h`): a probe, not an attempt.
const CAP_OPT_NOAUDIT: c_uint = 1 << 1;

/// `capable`: a guest's tasks hold at most the capabilities of its bounding set (and
/// `CAP_NET_RAW` with `VS_CCAP_RAW_ICMP`, confined to ICMP by [`crate::hooks::sock`]).
///
/// The context is the calling task's: it is the one acting, whichever credentials are
/// checked. A task that has exited (no context any more) is on its way out and keeps
/// what it had.
pub(crate) extern "C" fn capable(
    _cred: *const bindings::cred,
    _ns: *mut bindings::user_namespace,
    cap: c_int,
    opts: c_uint,
) -> c_int {
    guest_check(opts & CAP_OPT_NOAUDIT == 0, |context| {
        context.allows_cap(cap)
            || (cap == bindings::CAP_NET_RAW as c_int && context.has_ccap(uapi::VS_CCAP_RAW_ICMP))
    })
}

/// `syslog` (also `/dev/kmsg`): the kernel log is the host's; a guest reads or changes it
/// only if its bounding set has `CAP_SYSLOG`.
pub(crate) extern "C" fn syslog(_type: c_int) -> c_int {
    guest_check(true, |context| {
        context.allows_cap(bindings::CAP_SYSLOG as i32)
    })
}

/// The `cmd` values of `reboot(2)` (`include/uapi/linux/reboot.h`).
mod reboot_cmd {
    pub(super) const RESTART: u32 = 0x0123_4567;
    pub(super) const HALT: u32 = 0xCDEF_0123;
    pub(super) const POWER_OFF: u32 = 0x4321_FEDC;
    pub(super) const RESTART2: u32 = 0xA1B2_C3D4;
}

/// `reboot`: a guest's reboot ends its own context instead of the host.
///
/// Returns 1 to let the host handle the call.
pub(crate) extern "C" fn reboot(cmd: c_uint) -> c_int {
    let xid = TaskBlob::current().xid();
    if xid == uapi::VS_XID_HOST {
        return 1;
    }
    let reason = match cmd {
        reboot_cmd::RESTART | reboot_cmd::RESTART2 => uapi::VS_END_RESTART,
        reboot_cmd::HALT => uapi::VS_END_HALT,
        reboot_cmd::POWER_OFF => uapi::VS_END_POWEROFF,
        // Ctrl-Alt-Del, suspend, kexec: host matters a guest has no say in.
        _ => return EPERM.to_errno(),
    };
    let Some(context) = TaskBlob::current_context() else {
        // The spectator has no guest to stop.
        return EPERM.to_errno();
    };
    context.set_pending_end(reason);
    crate::blob::processes::signal_context(xid, bindings::SIGKILL as i32);
    0
}
