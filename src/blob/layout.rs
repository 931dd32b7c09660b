// SPDX-License-Identifier: GPL-2.0

//! Load-time checks that the kernel's Rust bindings lay out `task_struct` and `struct sock`
//! as C does.
//!
//! The module reads a few `task_struct` fields directly (`tasks`, `pid`, `signal`), as the
//! kernel crate itself does, and `sk_socket` of `struct sock`. If a configuration makes bindgen
//! disagree with the C compiler (an empty struct member is 0 bytes in C but not in Rust),
//! those reads would return garbage; refusing to load is the safe answer.

use kernel::bindings;
use kernel::prelude::*;

/// The pid of `task` as C computes it.
///
/// # Safety
///
/// `task` must be a live task.
unsafe fn c_pid(task: *mut bindings::task_struct, kind: bindings::pid_type) -> i32 {
    // SAFETY: `task` is live; the initial pid namespace always exists.
    unsafe { bindings::__task_pid_nr_ns(task, kind, &raw mut bindings::init_pid_ns) }
}

/// Fails with `EINVAL` if `task_struct` fields read from Rust are not where C puts them.
pub(crate) fn check_task_struct() -> Result {
    let current = kernel::task::Task::current_raw();
    let first = {
        let _rcu = kernel::sync::rcu::read_lock();
        let head = &raw mut bindings::init_task;
        let offset = core::mem::offset_of!(bindings::task_struct, tasks);
        // SAFETY: `init_task.tasks` is a valid list head; its next entry is the `tasks`
        // member of a live task (pid 1) while we hold the RCU read lock.
        let next = unsafe { (*head).tasks.next };
        // SAFETY: See above.
        let task = unsafe { next.byte_sub(offset) }.cast::<bindings::task_struct>();
        // SAFETY: `task` is live under RCU; reading its fields and asking C for its pid.
        unsafe { ((*task).pid, c_pid(task, bindings::pid_type_PIDTYPE_PID)) }
    };
    // SAFETY: The current task is live.
    let mine = unsafe {
        (
            (*current).pid,
            c_pid(current, bindings::pid_type_PIDTYPE_PID),
            (*current).tgid,
            c_pid(current, bindings::pid_type_PIDTYPE_TGID),
            (*(*current).signal).nr_threads,
        )
    };
    if first.0 != first.1 || mine.0 != mine.1 || mine.2 != mine.3 || mine.4 < 1 {
        pr_err!(
            "task_struct layout of the Rust bindings does not match C (pid {} vs {}); \
             enable CONFIG_SCHEDSTATS or fix the bindings\n",
            mine.0,
            mine.1
        );
        return Err(EINVAL);
    }
    Ok(())
}

/// Fails with `EINVAL` if `struct sock` fields read from Rust are not where C puts them:
/// a kernel socket's `sk->sk_socket` must lead back to it.
pub(crate) fn check_sock() -> Result {
    let mut sock: *mut bindings::socket = core::ptr::null_mut();
    // SAFETY: Creating a kernel socket in the initial network namespace, from process
    // context (module init); it is released below.
    let err = unsafe {
        bindings::sock_create_kern(
            &raw mut bindings::init_net,
            bindings::AF_UNIX as i32,
            bindings::sock_type_SOCK_STREAM as i32,
            0,
            &mut sock,
        )
    };
    kernel::error::to_result(err)?;
    // SAFETY: `sock` and its `sk` are live until `sock_release`.
    let back = unsafe { (*(*sock).sk).sk_socket };
    // SAFETY: We created `sock` and release it once.
    unsafe { bindings::sock_release(sock) };
    if back != sock {
        pr_err!("struct sock layout of the Rust bindings does not match C (sk_socket)\n");
        return Err(EINVAL);
    }
    Ok(())
}
