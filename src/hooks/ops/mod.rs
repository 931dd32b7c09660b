// SPDX-License-Identifier: GPL-2.0

//! The ops table registered with the kernel's vserver hook shim, and its trampolines: one
//! `extern "C"` function per hook (hooks with the same prototype and policy share one),
//! in one file per kernel object as the policy is.
//!
//! A trampoline is where the raw pointers the shim passes become typed borrows
//! ([`crate::blob`]), once, and then calls the safe policy in [`crate::hooks`]. What makes
//! that sound is the hook contract, written once, in the kernel-doc of `struct vserver_ops`
//! (`include/linux/vserver.h`): every `// SAFETY:` here cites it, and the paragraph of it
//! relied on (liveness, privacy, execution context).

use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

mod cred;
mod fs;
mod host;
mod ipc;
mod sock;
mod task;

/// A policy verdict as an LSM hook returns it: 0, or a negative errno.
fn errno(verdict: Result) -> c_int {
    match verdict {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The callbacks: every hook the shim forwards, with its trampoline or `None` (allow).
static OPS: bindings::vserver_ops = bindings::vserver_ops {
    task_alloc: Some(task::task_alloc),
    task_free: Some(task::task_free),
    task_kill: Some(task::task_kill),
    ptrace_access_check: Some(task::ptrace_access_check),
    ptrace_traceme: Some(task::ptrace_traceme),
    task_setpgid: Some(task::task_setpgid),
    task_getpgid: Some(task::observe_task),
    task_getsid: Some(task::observe_task),
    task_setnice: Some(task::modify_task_value),
    task_setioprio: Some(task::modify_task_value),
    task_getioprio: Some(task::observe_task),
    task_setscheduler: Some(task::modify_task),
    task_getscheduler: Some(task::observe_task),
    task_movememory: Some(task::modify_task),
    capable: Some(host::capable),
    syslog: Some(host::syslog),
    file_open: Some(fs::file_open),
    inode_permission: Some(fs::inode_permission),
    inode_mknod: Some(fs::inode_mknod),
    path_chroot: Some(fs::path_chroot),
    task_setrlimit: Some(task::task_setrlimit),
    cred_prepare: Some(cred::cred_prepare),
    cred_transfer: Some(cred::cred_transfer),
    cred_free: Some(cred::cred_free),
    file_alloc_security: Some(fs::file_alloc_security),
    file_send_sigiotask: Some(fs::file_send_sigiotask),
    file_free_security: Some(fs::file_free_security),
    kernel_load_data: Some(host::kernel_load_data),
    kernel_read_file: Some(host::kernel_read_file),
    bpf: Some(host::bpf),
    perf_event_open: Some(host::perf_event_open),
    socket_create: Some(sock::socket_create),
    socket_post_create: Some(sock::socket_post_create),
    socket_setsockopt: Some(sock::socket_setsockopt),
    sk_clone_security: Some(sock::sk_clone_security),
    sk_free_security: Some(sock::sk_free_security),
    inet_conn_request: Some(sock::inet_conn_request),
    unix_stream_connect: Some(sock::unix_stream_connect),
    unix_may_send: Some(sock::unix_may_send),
    socket_bind: Some(sock::socket_bind),
    socket_connect: Some(sock::socket_connect),
    socket_sendmsg: Some(sock::socket_sendmsg),
    socket_sock_rcv_skb: Some(sock::socket_sock_rcv_skb),
    // The blob starts zeroed, which is what a socket without owner needs.
    sk_alloc_security: None,
    addr_visible: Some(sock::addr_visible),
    sock_visible: Some(sock::sock_visible),
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
    may_set_utsname: Some(host::may_set_utsname),
    task_visible: Some(task::task_visible),
    task_exit: Some(task::task_exit),
    reboot: Some(host::reboot),
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
