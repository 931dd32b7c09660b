// SPDX-License-Identifier: GPL-2.0

//! The policy callbacks registered with the kernel's vserver hook shim.
//!
//! The shim calls every callback under `rcu_read_lock()`: none of them may sleep.

use crate::task::TaskBlob;
use core::ffi::c_int;
use kernel::bindings;
use kernel::prelude::*;

/// `task_alloc`: a new task starts in its parent's context.
///
/// # Safety
///
/// Called by the shim with a new task that has not run yet; `current` is its parent.
unsafe extern "C" fn task_alloc(task: *mut bindings::task_struct, _clone_flags: u64) -> c_int {
    let parent = TaskBlob::current();
    // SAFETY: `current` is the parent, busy forking: it cannot change its own context now.
    let context = unsafe { parent.context_arc() };
    if let Some(context) = &context {
        context.task_entered();
    }
    // SAFETY: `task` is the new task, alive and not yet running (shim contract).
    let child = unsafe { TaskBlob::of(task) };
    // SAFETY: The fork path is the only one that touches the new task's blob yet.
    let old = unsafe { child.replace(context) };
    // The shim hands us a zeroed blob; a stale reference here would be a bug in the fork path.
    debug_assert!(old.is_none());
    0
}

/// `task_free`: the task is gone, drop its place in its context.
///
/// # Safety
///
/// Called by the shim with a task that is being freed.
unsafe extern "C" fn task_free(task: *mut bindings::task_struct) {
    // SAFETY: The task is alive until this hook returns (shim contract).
    let blob = unsafe { TaskBlob::of(task) };
    // SAFETY: The task is dead; nothing else touches its blob any more.
    if let Some(context) = unsafe { blob.replace(None) } {
        context.task_left();
    }
}

/// The callbacks: everything not set here is allowed by the shim.
static OPS: bindings::vserver_ops = bindings::vserver_ops {
    task_alloc: Some(task_alloc),
    task_free: Some(task_free),
    ..pin_init::zeroed()
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
