// SPDX-License-Identifier: GPL-2.0

//! Host-protecting denials that no capability of a guest lifts: loading code or data into
//! the kernel (modules, firmware, kexec images, policies), BPF, and performance monitoring
//! beyond the guest's own tasks. Each refusal is counted as a hit of the context.

use super::{guest_check, refuse};
use crate::blob::task::{current_uts_is_host, TaskBlob};
use crate::uapi;
use core::ffi::{c_int, c_uint};
use kernel::bindings;
use kernel::prelude::*;

/// `PERF_SECURITY_OPEN` (`include/linux/perf_event.h`): any event at all; the others are
/// CPU-wide, kernel and tracepoint events.
const PERF_SECURITY_OPEN: c_int = bindings::PERF_SECURITY_OPEN as c_int;

/// Refuses the calling task if it is in a guest context, counting a hit.
fn refuse_guest(err: Error) -> Result {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return Ok(());
    }
    refuse(err)
}

/// `kernel_load_data` (`init_module`, `kexec_load`, firmware and policy blobs) and
/// `kernel_read_file` (`finit_module`, `kexec_file_load` and the like) from a guest
/// (`EPERM`).
pub(crate) fn load_into_kernel() -> Result {
    refuse_guest(EPERM)
}

/// `bpf`: a guest uses no `bpf(2)` command at all (`EPERM`): programs and maps reach
/// kernel-wide state that contexts do not partition.
pub(crate) fn bpf() -> Result {
    refuse_guest(EPERM)
}

/// `perf_event_open`: a guest may monitor its own tasks (which it can name by pid), never
/// a whole CPU, the kernel or tracepoints, which would show other contexts (`EACCES`, as
/// `perf_event_paranoid` answers).
pub(crate) fn perf_event_open(kind: c_int) -> Result {
    if kind == PERF_SECURITY_OPEN {
        return Ok(());
    }
    refuse_guest(EACCES)
}

/// `may_set_utsname` (shim call site in `sethostname()`, `setdomainname()`): a guest with
/// `VS_CCAP_SET_UTSNAME` renames its own UTS namespace without `CAP_SYS_ADMIN`; the host's
/// namespace stays out of reach.
pub(crate) fn may_set_utsname() -> bool {
    match current_uts_is_host() {
        Some(false) => TaskBlob::with_current_context(|c| c.has_ccap(uapi::VS_CCAP_SET_UTSNAME))
            .unwrap_or(false),
        // The host's namespace, or none any more.
        _ => false,
    }
}

/// `capable`: a guest's tasks hold at most the capabilities of its bounding set (and
/// `CAP_NET_RAW` with `VS_CCAP_RAW_ICMP`, confined to ICMP by [`crate::hooks::sock`]).
///
/// The context is the calling task's: it is the one acting, whichever credentials are
/// checked. A task that has exited (no context any more) is on its way out and keeps
/// what it had. A check with `CAP_OPT_NOAUDIT` in `opts` is a probe, not an attempt: its
/// refusal is not counted.
pub(crate) fn capable(cap: c_int, opts: c_uint) -> Result {
    guest_check(opts & bindings::CAP_OPT_NOAUDIT == 0, |context| {
        context.allows_cap(cap)
            || (cap == bindings::CAP_NET_RAW as c_int && context.has_ccap(uapi::VS_CCAP_RAW_ICMP))
    })
}

/// `syslog` (also `/dev/kmsg`): the kernel log is the host's; a guest reads or changes it
/// only if its bounding set has `CAP_SYSLOG`.
pub(crate) fn syslog() -> Result {
    guest_check(true, |context| {
        context.allows_cap(bindings::CAP_SYSLOG as i32)
    })
}

/// The verdict of [`reboot`]: a guest's context ends, or the host handles the call.
pub(crate) enum Reboot {
    /// The host reboots (the caller is in the host context).
    Host,
    /// The caller's context ends.
    ContextEnds,
}

/// `reboot`: a guest's reboot ends its own context instead of the host.
pub(crate) fn reboot(cmd: c_uint) -> Result<Reboot> {
    let xid = TaskBlob::current().xid();
    if xid == uapi::VS_XID_HOST {
        return Ok(Reboot::Host);
    }
    let reason = match cmd {
        bindings::LINUX_REBOOT_CMD_RESTART | bindings::LINUX_REBOOT_CMD_RESTART2 => {
            uapi::VS_END_RESTART
        }
        bindings::LINUX_REBOOT_CMD_HALT => uapi::VS_END_HALT,
        bindings::LINUX_REBOOT_CMD_POWER_OFF => uapi::VS_END_POWEROFF,
        // Ctrl-Alt-Del, suspend, kexec: host matters a guest has no say in.
        _ => return Err(EPERM),
    };
    let Some(context) = TaskBlob::current_context() else {
        // The spectator has no guest to stop.
        return Err(EPERM);
    };
    context.set_pending_end(reason);
    crate::blob::processes::signal_context(xid, bindings::SIGKILL as i32);
    Ok(Reboot::ContextEnds)
}
