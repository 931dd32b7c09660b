// SPDX-License-Identifier: GPL-2.0

//! The policy callbacks registered with the kernel's vserver hook shim.
//!
//! The shim calls every callback under `rcu_read_lock()`: none of them may sleep.

use crate::limits::Charge;
use crate::policy::{self, Access};
use crate::registry::registry;
use crate::task::TaskBlob;
use crate::uapi;
use crate::{accounting, confine, creds, files, host_denials, ipc, net_hooks, rlimits, sockets};
use core::ffi::{c_int, c_uint};
use kernel::bindings;
use kernel::prelude::*;

/// The verdict of [`policy::check`] for the calling task doing `access` to `target`, as a
/// hook return value.
///
/// # Safety
///
/// `target` must be a live task.
unsafe fn check_current(target: *const bindings::task_struct, access: Access) -> c_int {
    let actor = TaskBlob::current().xid();
    // The host may do anything: no need to look at the target.
    if actor == uapi::VS_XID_HOST {
        return 0;
    }
    // SAFETY: The caller guarantees `target` is live.
    let target = unsafe { TaskBlob::of(target) }.xid();
    match policy::check(actor, target, access) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `task_alloc`: a new task starts in its parent's context, if its `NPROC` limit has room
/// (`EAGAIN` otherwise, as for `RLIMIT_NPROC`).
///
/// # Safety
///
/// Called by the shim with a new task that has not run yet; `current` is its parent.
unsafe extern "C" fn task_alloc(task: *mut bindings::task_struct, _clone_flags: u64) -> c_int {
    let parent = TaskBlob::current();
    let context = TaskBlob::current_context();
    if let Some(context) = &context {
        if context.task_forked() == Charge::Refused {
            return EAGAIN.to_errno();
        }
    }
    // SAFETY: `task` is the new task, alive and not yet running (shim contract).
    let child = unsafe { TaskBlob::of(task) };
    // SAFETY: The fork path is the only one that touches the new task's blob yet.
    let old = unsafe { child.replace(parent.xid(), context) };
    // The shim hands us a zeroed blob; a stale reference here would be a bug in the fork path.
    debug_assert!(old.is_none());
    let net = TaskBlob::current_net();
    if let Some(net) = &net {
        net.task_entered();
    }
    // SAFETY: As above.
    let old_net = unsafe { child.replace_net(net) };
    debug_assert!(old_net.is_none());
    0
}

/// `task_free`: a task that never ran to `do_exit()` (a failed fork) leaves its context.
///
/// # Safety
///
/// Called by the shim with a task that is being freed.
unsafe extern "C" fn task_free(task: *mut bindings::task_struct) {
    // SAFETY: The task is alive until this hook returns (shim contract).
    let blob = unsafe { TaskBlob::of(task) };
    // SAFETY: The task is dead; nothing else touches its blob any more.
    if let Some(context) = unsafe { blob.replace(uapi::VS_XID_HOST, None) } {
        registry().task_left(context);
    }
    // SAFETY: As above.
    if let Some(net) = unsafe { blob.replace_net(None) } {
        registry().nets.task_left(net);
    }
}

/// `task_exit` (shim call site in `do_exit()`): the task no longer counts in its context.
///
/// It keeps its xid: as a zombie it is still seen only by its own context.
///
/// # Safety
///
/// `task` is current, exiting (shim contract).
unsafe extern "C" fn task_exit(task: *mut bindings::task_struct) {
    // SAFETY: `task` is current (shim contract).
    let blob = unsafe { TaskBlob::of(task) };
    // SAFETY: The blob is the calling task's own.
    if let Some(context) = unsafe { blob.replace(blob.xid(), None) } {
        registry().task_left(context);
    }
    // SAFETY: As above.
    if let Some(net) = unsafe { blob.replace_net(None) } {
        registry().nets.task_left(net);
    }
}

/// `task_visible` (shim call sites: pid lookups, `/proc`, `kill(-1)`): may current see `task`?
///
/// # Safety
///
/// `task` is live (shim contract).
unsafe extern "C" fn task_visible(task: *mut bindings::task_struct) -> bool {
    let viewer = TaskBlob::current().xid();
    if viewer == uapi::VS_XID_HOST || viewer == uapi::VS_XID_SPECTATOR {
        return true;
    }
    // SAFETY: `task` is live (shim contract).
    policy::may_see(viewer, unsafe { TaskBlob::of(task) }.xid())
}

/// `task_kill`: signals from user space follow the isolation rules.
///
/// # Safety
///
/// `p` is live (shim contract).
unsafe extern "C" fn task_kill(
    p: *mut bindings::task_struct,
    _info: *mut bindings::kernel_siginfo,
    sig: c_int,
    cred: *const bindings::cred,
) -> c_int {
    // A non-null `cred` is a signal sent on behalf of someone else (async I/O completion):
    // not the current task's doing.
    if !cred.is_null() {
        return 0;
    }
    let actor = TaskBlob::current().xid();
    if actor == uapi::VS_XID_HOST {
        return 0;
    }
    // SAFETY: `p` is live (shim contract).
    let target = unsafe { TaskBlob::of(p) }.xid();
    match policy::check(actor, target, policy::signal_access(sig)) {
        Ok(()) => 0,
        // The shim's call sites in the signal code already answer `ESRCH` for invisible
        // tasks; returning it from here would make `kill_pid_info_type()` retry forever.
        Err(_) => EPERM.to_errno(),
    }
}

/// `file_send_sigiotask`: `SIGIO`/`SIGURG` for a file (`F_SETOWN`, `F_SETSIG`, leases) reach
/// only tasks of the context whose credentials opened it, so a guest cannot signal another
/// context by naming one of its pids as owner. Files the host opened signal anyone.
///
/// # Safety
///
/// `tsk` is live and `fown` belongs to a live file (shim contract).
unsafe extern "C" fn file_send_sigiotask(
    tsk: *mut bindings::task_struct,
    fown: *mut bindings::fown_struct,
    _sig: c_int,
) -> c_int {
    // SAFETY: `fown` belongs to a live file, which holds its credentials (shim contract).
    let sender = unsafe { crate::creds::CredBlob::of((*(*fown).file).f_cred) };
    let Some(context) = sender.context() else {
        return 0;
    };
    // SAFETY: `tsk` is live (shim contract).
    if policy::may_touch(context.xid, unsafe { TaskBlob::of(tsk) }.xid()) {
        0
    } else {
        context.hit();
        EPERM.to_errno()
    }
}

/// `ptrace_access_check`: reading another task needs to see it, attaching to touch it.
///
/// # Safety
///
/// `child` is live (shim contract).
unsafe extern "C" fn ptrace_access_check(child: *mut bindings::task_struct, mode: c_uint) -> c_int {
    let access = if mode & bindings::PTRACE_MODE_ATTACH != 0 {
        Access::Modify
    } else {
        Access::Observe
    };
    // SAFETY: `child` is live (shim contract).
    unsafe { check_current(child, access) }
}

/// `ptrace_traceme`: the would-be tracer must be allowed to touch the caller.
///
/// # Safety
///
/// `parent` is live (shim contract).
unsafe extern "C" fn ptrace_traceme(parent: *mut bindings::task_struct) -> c_int {
    // SAFETY: `parent` is live (shim contract).
    let tracer = unsafe { TaskBlob::of(parent) }.xid();
    if policy::may_touch(tracer, TaskBlob::current().xid()) {
        0
    } else {
        EPERM.to_errno()
    }
}

/// Hooks that look at another task.
///
/// # Safety
///
/// `p` is live (shim contract).
unsafe extern "C" fn observe_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { check_current(p, Access::Observe) }
}

/// Hooks that change another task.
///
/// # Safety
///
/// `p` is live (shim contract).
unsafe extern "C" fn modify_task(p: *mut bindings::task_struct) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { check_current(p, Access::Modify) }
}

/// `task_setpgid`.
///
/// # Safety
///
/// `p` is live (shim contract).
unsafe extern "C" fn task_setpgid(p: *mut bindings::task_struct, _pgid: bindings::pid_t) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { modify_task(p) }
}

/// `task_setnice` and `task_setioprio`.
///
/// # Safety
///
/// `p` is live (shim contract).
unsafe extern "C" fn modify_task_value(p: *mut bindings::task_struct, _value: c_int) -> c_int {
    // SAFETY: `p` is live (shim contract).
    unsafe { modify_task(p) }
}

/// The verdict for the calling task when `allowed` decides for its guest context: a refusal
/// is answered with `EPERM`, and counted as a hit if `count`. Tasks outside a guest context
/// (the host, the spectator, a task past `do_exit()`) pass.
fn guest_check(count: bool, allowed: impl FnOnce(&crate::context::Context) -> bool) -> c_int {
    let verdict = TaskBlob::with_current_context(|context| {
        let ok = allowed(context);
        if !ok && count {
            context.hit();
        }
        ok
    });
    match verdict {
        Some(false) => EPERM.to_errno(),
        _ => 0,
    }
}

/// `CAP_OPT_NOAUDIT` (`include/linux/security.h`): a probe, not an attempt.
const CAP_OPT_NOAUDIT: c_uint = 1 << 1;

/// `capable`: a guest's tasks hold at most the capabilities of its bounding set (and
/// `CAP_NET_RAW` with `VS_CCAP_RAW_ICMP`, confined to ICMP by [`crate::sockets`]).
///
/// The context is the calling task's: it is the one acting, whichever credentials are
/// checked. A task that has exited (no context any more) is on its way out and keeps
/// what it had.
extern "C" fn capable(
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
extern "C" fn syslog(_type: c_int) -> c_int {
    guest_check(true, |context| {
        context.allows_cap(bindings::CAP_SYSLOG as i32)
    })
}

/// `file_open`: a guest never opens the host's kernel tunables for writing (`/proc/sys`,
/// `/proc/sysrq-trigger`, anything in sysfs; reading stays allowed), nor `/dev/kmsg` for
/// writing (the host's kernel log), nor any block device, whatever node it finds
/// (`EACCES`).
///
/// # Safety
///
/// `file` is a file being opened (shim contract).
unsafe extern "C" fn file_open(file: *mut bindings::file) -> c_int {
    if TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    // SAFETY: `file` is valid (shim contract).
    if unsafe {
        files::is_host_tunable_write(file)
            || files::is_block_device(file)
            || files::is_kmsg_write(file)
    } {
        if let Some(()) = TaskBlob::with_current_context(|context| context.hit()) {
            return EACCES.to_errno();
        }
    }
    0
}

/// `inode_permission`: a guest task cannot look up, list or open anything through a
/// barrier directory, nor write to a cgroup file system (`EACCES`).
///
/// # Safety
///
/// `inode` is valid (shim contract).
unsafe extern "C" fn inode_permission(inode: *mut bindings::inode, mask: c_int) -> c_int {
    let access = (bindings::MAY_EXEC | bindings::MAY_READ | bindings::MAY_WRITE) as c_int;
    // This runs for every component of every path looked up: the cheapest tests first.
    if mask & access == 0 || TaskBlob::current().xid() < uapi::VS_XID_STATIC_MIN {
        return 0;
    }
    // A guest changes no cgroup (its own limits included), nor moves itself out of one.
    // SAFETY: `inode` is valid (shim contract).
    let cgroup_write =
        mask & bindings::MAY_WRITE as c_int != 0 && unsafe { files::is_cgroup_fs(inode) };
    // SAFETY: `inode` is valid (shim contract).
    if !cgroup_write && !unsafe { registry().barriers.contains(inode) } {
        return 0;
    }
    TaskBlob::with_current_context(|context| context.hit());
    EACCES.to_errno()
}

/// The character devices a guest may create when its set has `CAP_MKNOD`, as (major,
/// minor): null, zero, full, random, urandom, tty, ptmx.
const SAFE_CHAR_DEVICES: [(u32, u32); 7] = [(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 2)];

/// `inode_mknod`: even with `CAP_MKNOD`, a guest creates only the usual safe character
/// devices; no block device and no other character device (`EPERM`).
extern "C" fn inode_mknod(
    _dir: *mut bindings::inode,
    _dentry: *mut bindings::dentry,
    mode: bindings::umode_t,
    dev: bindings::dev_t,
) -> c_int {
    let format = u32::from(mode) & bindings::S_IFMT;
    if format != bindings::S_IFCHR && format != bindings::S_IFBLK {
        return 0;
    }
    let device = (
        dev >> files::MINOR_BITS,
        dev & ((1 << files::MINOR_BITS) - 1),
    );
    let safe = format == bindings::S_IFCHR && SAFE_CHAR_DEVICES.contains(&device);
    guest_check(true, |_| safe)
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
extern "C" fn reboot(cmd: c_uint) -> c_int {
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
    crate::processes::signal_context(xid, bindings::SIGKILL as i32);
    0
}

/// The callbacks: every hook the shim forwards, with its policy or `None` (allow).
static OPS: bindings::vserver_ops = bindings::vserver_ops {
    task_alloc: Some(task_alloc),
    task_free: Some(task_free),
    task_kill: Some(task_kill),
    ptrace_access_check: Some(ptrace_access_check),
    ptrace_traceme: Some(ptrace_traceme),
    task_setpgid: Some(task_setpgid),
    task_getpgid: Some(observe_task),
    task_getsid: Some(observe_task),
    task_setnice: Some(modify_task_value),
    task_setioprio: Some(modify_task_value),
    task_getioprio: Some(observe_task),
    task_setscheduler: Some(modify_task),
    task_getscheduler: Some(observe_task),
    task_movememory: Some(modify_task),
    capable: Some(capable),
    syslog: Some(syslog),
    file_open: Some(file_open),
    inode_permission: Some(inode_permission),
    inode_mknod: Some(inode_mknod),
    path_chroot: Some(confine::path_chroot),
    task_setrlimit: Some(rlimits::task_setrlimit),
    cred_prepare: Some(creds::cred_prepare),
    cred_transfer: Some(creds::cred_transfer),
    cred_free: Some(creds::cred_free),
    file_alloc_security: Some(accounting::file_alloc_security),
    file_send_sigiotask: Some(file_send_sigiotask),
    file_free_security: Some(accounting::file_free_security),
    kernel_load_data: Some(host_denials::kernel_load_data),
    kernel_read_file: Some(host_denials::kernel_read_file),
    bpf: Some(host_denials::bpf),
    perf_event_open: Some(host_denials::perf_event_open),
    socket_create: Some(sockets::socket_create),
    socket_post_create: Some(sockets::socket_post_create),
    socket_setsockopt: Some(sockets::socket_setsockopt),
    sk_clone_security: Some(sockets::sk_clone_security),
    sk_free_security: Some(sockets::sk_free_security),
    inet_conn_request: Some(sockets::inet_conn_request),
    unix_stream_connect: Some(sockets::unix_stream_connect),
    unix_may_send: Some(sockets::unix_may_send),
    socket_bind: Some(net_hooks::socket_bind),
    socket_connect: Some(net_hooks::socket_connect),
    socket_sendmsg: Some(net_hooks::socket_sendmsg),
    socket_sock_rcv_skb: Some(net_hooks::socket_sock_rcv_skb),
    // The blob starts zeroed, which is what a socket without owner needs.
    sk_alloc_security: None,
    addr_visible: Some(net_hooks::addr_visible),
    sock_visible: Some(sockets::sock_visible),
    ipc_visible: Some(ipc::visible),
    ipc_permission: Some(ipc::permission),
    shm_alloc_security: Some(ipc::alloc),
    shm_associate: Some(ipc::associate),
    shm_shmctl: Some(ipc::control),
    msg_queue_alloc_security: Some(ipc::alloc),
    msg_queue_associate: Some(ipc::associate),
    msg_queue_msgctl: Some(ipc::control),
    sem_alloc_security: Some(ipc::alloc),
    sem_associate: Some(ipc::associate),
    sem_semctl: Some(ipc::control),
    may_set_utsname: Some(confine::may_set_utsname),
    task_visible: Some(task_visible),
    task_exit: Some(task_exit),
    reboot: Some(reboot),
};

/// The registration of [`OPS`] with the shim; dropping it unregisters them.
pub(crate) struct Registration(());

impl Registration {
    /// Registers the callbacks.
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: `OPS` is a static, valid for as long as the module is loaded; `Drop`
        // unregisters it before the module goes away.
        kernel::error::to_result(unsafe { bindings::vserver_register_ops(&OPS) })?;
        Ok(Self(()))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: `OPS` was registered by `new`. On return no callback is running.
        unsafe { bindings::vserver_unregister_ops(&OPS) };
    }
}
