// SPDX-License-Identifier: GPL-2.0

//! The handlers of the `/dev/vserver` ioctls.
//!
//! Queries about the caller's own context are open to any opener; everything that changes
//! state needs `CAP_SYS_ADMIN` in the host context, except what a `PROLIFIC` guest may do
//! to its own child contexts.

use crate::blob::task::TaskBlob;
use crate::context::policy;
use crate::context::registry::registry;
use crate::context::Context;
use crate::ioctl::list;
use crate::uapi::{self, *};
use kernel::bindings;
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::uaccess::{UserSlice, UserSliceReader, UserSliceWriter};

/// The highest signal number (`_NSIG`, which is small: the cast is lossless).
const SIG_MAX: i32 = bindings::_NSIG as i32;

/// Does the caller have `CAP_SYS_ADMIN` in the host context?
fn host_admin() -> bool {
    // SAFETY: `capable` may be called from process context with any capability number.
    TaskBlob::current().xid() == VS_XID_HOST
        && unsafe { bindings::capable(bindings::CAP_SYS_ADMIN as i32) }
}

/// Fails with `EPERM` unless the caller is an administrator of the host.
pub(crate) fn require_host_admin() -> Result {
    if host_admin() {
        Ok(())
    } else {
        Err(EPERM)
    }
}

/// The context `xid`, if the caller may know about it (`ESRCH` otherwise).
pub(crate) fn visible_context(xid: u32) -> Result<Arc<Context>> {
    let context = registry().get(xid).ok_or(ESRCH)?;
    if !policy::may_see(TaskBlob::current().xid(), xid) {
        return Err(ESRCH);
    }
    Ok(context)
}

/// `VS_IOC_GET_VERSION`.
pub(crate) fn get_version(mut out: UserSliceWriter) -> Result {
    let mut version = uapi::Version::default();
    version.major = VS_ABI_MAJOR;
    version.minor = VS_ABI_MINOR;
    out.write(&version)
}

/// `VS_IOC_GET_XID`.
pub(crate) fn get_xid(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut query: uapi::XidQuery = reader.read()?;
    if query.reserved != 0 {
        return Err(EINVAL);
    }
    query.xid = match query.pid {
        0 => TaskBlob::current().xid(),
        pid if pid < 0 => return Err(EINVAL),
        pid => crate::blob::lookup::with_visible_task(pid, |blob| blob.xid())?,
    };
    writer.write(&query)
}

/// `VS_IOC_CREATE`.
pub(crate) fn create(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::ContextCreate = reader.read()?;
    let static_ids = VS_XID_STATIC_MIN..=VS_XID_STATIC_MAX;
    if request.reserved != 0
        || request.flags & !CF_MASK != 0
        || !(request.xid == VS_XID_ALLOCATE || static_ids.contains(&request.xid))
    {
        return Err(EINVAL);
    }
    let caller = TaskBlob::current().xid();
    let nested = TaskBlob::current_context().is_some_and(|c| c.flags() & VS_CF_PROLIFIC != 0);
    if !host_admin() && !nested {
        return Err(EPERM);
    }
    let context = registry().create(request.xid, caller, request.flags)?;
    request.xid = context.xid;
    writer.write(&request).inspect_err(|_| {
        // A caller that cannot learn the id could never use or remove the context.
        registry().withdraw(&context);
    })
}

/// Reads a `struct vs_context_id`.
pub(crate) fn read_context_id(mut reader: UserSliceReader) -> Result<u32> {
    let id: uapi::ContextId = reader.read()?;
    if id.reserved != 0 {
        return Err(EINVAL);
    }
    Ok(id.xid)
}

/// Is the calling process single-threaded?
pub(crate) fn single_threaded() -> bool {
    let task = kernel::task::Task::current_raw();
    // SAFETY: The current task and its `signal` are valid while it runs.
    unsafe { (*(*task).signal).nr_threads == 1 }
}

/// `VS_IOC_MIGRATE`: moves the calling process into a context.
pub(crate) fn migrate(reader: UserSliceReader) -> Result {
    let xid = read_context_id(reader)?;
    let me = TaskBlob::current();
    let from = me.xid();
    if from == VS_XID_HOST {
        require_host_admin()?;
        if xid == VS_XID_HOST {
            return Err(EINVAL);
        }
    }
    // A guest may only enter a child context of its own that is still being set up.
    let target = if xid == VS_XID_SPECTATOR {
        if from != VS_XID_HOST {
            return Err(EPERM);
        }
        None
    } else {
        let context = registry().get(xid);
        if from != VS_XID_HOST
            && !context
                .as_ref()
                .is_some_and(|c| c.parent_xid == from && c.state() == VS_STATE_SETUP)
        {
            return Err(EPERM);
        }
        Some(context.ok_or(ESRCH)?)
    };
    // Threads of one process never straddle contexts.
    if !single_threaded() {
        return Err(EBUSY);
    }
    if let Some(context) = &target {
        // Nothing from outside the task's root may come along into a guest.
        crate::hooks::confine::check_entry()?;
        let creds = NarrowedCreds::new(context)?;
        registry().enter(context)?;
        creds.commit();
        crate::blob::task::update_current_rlimits(|resource, limit| {
            crate::context::rlimits::clamp(context, resource, limit)
        });
        context.set_init_pid(kernel::current!().tgid());
    }
    // SAFETY: We change the calling task's own blob.
    let old = unsafe { me.replace(xid, target) };
    if let Some(old) = old {
        registry().task_left(old);
    }
    Ok(())
}

/// New credentials for the calling task, belonging to the context it enters, with every
/// capability set narrowed to what the context allows, so that what the task reports
/// (`/proc/self/status`, `capget`) is what the `capable` hook enforces, and no exec can
/// regain more. Installed by [`NarrowedCreds::commit`].
struct NarrowedCreds(*mut bindings::cred);

impl NarrowedCreds {
    fn new(context: &Arc<Context>) -> Result<Self> {
        let bcaps = context.credential_caps();
        // SAFETY: `prepare_creds` may be called from process context; it returns a private
        // copy of the current credentials, or null.
        let new = unsafe { bindings::prepare_creds() };
        if new.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `new` is a private copy nobody else sees yet.
        unsafe {
            (*new).cap_inheritable.val &= bcaps;
            (*new).cap_permitted.val &= bcaps;
            (*new).cap_effective.val &= bcaps;
            (*new).cap_bset.val &= bcaps;
            (*new).cap_ambient.val &= bcaps;
            crate::blob::cred::PrivateCred::of(new).set(Some(context.clone()));
        }
        Ok(Self(new))
    }

    fn commit(self) {
        let new = self.0;
        core::mem::forget(self);
        // SAFETY: `new` came from `prepare_creds` in this task and was not installed yet;
        // `commit_creds` takes our reference.
        unsafe { bindings::commit_creds(new) };
    }
}

impl Drop for NarrowedCreds {
    fn drop(&mut self) {
        // SAFETY: Not committed: we still own the prepared credentials.
        unsafe { bindings::abort_creds(self.0) };
    }
}

/// `VS_IOC_SET_BCAPS`.
pub(crate) fn set_bcaps(mut reader: UserSliceReader) -> Result {
    let request: uapi::ContextCaps = reader.read()?;
    require_host_admin()?;
    if request.reserved != 0 || request.bcaps & !BCAPS_MASK != 0 {
        return Err(EINVAL);
    }
    registry().set_bcaps(request.xid, request.bcaps)
}

/// `VS_IOC_BARRIER`.
pub(crate) fn barrier(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::Barrier = reader.read()?;
    if request.reserved != 0 {
        return Err(EINVAL);
    }
    if request.op != VS_BARRIER_GET {
        require_host_admin()?;
    }
    let fd = u32::try_from(request.fd).map_err(|_| EBADF)?;
    let file = kernel::fs::LocalFile::fget(fd).map_err(|_| EBADF)?;
    let inode = crate::blob::file::Inode::of_file(&file);
    let is_barrier = registry()
        .barriers
        .apply(inode.directory_key(), request.op)?;
    request.is_barrier = u32::from(is_barrier);
    writer.write(&request)
}

/// `VS_IOC_END_SETUP`.
pub(crate) fn end_setup(reader: UserSliceReader) -> Result {
    let xid = read_context_id(reader)?;
    let caller = TaskBlob::current().xid();
    let context = registry().get(xid);
    // The host ends a setup only as its administrator, also of the contexts it made.
    let allowed = host_admin()
        || (caller != VS_XID_HOST
            && context
                .as_ref()
                .is_some_and(|c| caller == c.xid || caller == c.parent_xid));
    if !allowed {
        // Also for ids that do not exist: a guest learns nothing about other contexts.
        return Err(EPERM);
    }
    let context = context.ok_or(ESRCH)?;
    registry().end_setup(&context);
    Ok(())
}

/// `VS_IOC_GET_INFO`.
pub(crate) fn get_info(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let info: uapi::ContextInfo = reader.read()?;
    if info.reserved != 0 {
        return Err(EINVAL);
    }
    let context = queried_context(info.xid)?;
    let mut out = uapi::ContextInfo::default();
    out.xid = context.xid;
    out.state = context.state();
    out.flags = context.flags();
    out.tasks = u32::try_from(context.tasks()).unwrap_or(0);
    out.init_pid = live_init_pid(&context);
    out.created_ns = context.created_ns;
    out.parent_xid = context.parent_xid;
    out.last_end = context.last_end();
    out.bcaps = context.bcaps();
    out.hits = context.hits();
    writer.write(&out)
}

/// The context a query names: `VS_XID_SELF` is the caller's own; the host and the
/// spectator have no context object (`EINVAL`).
pub(crate) fn queried_context(xid: u32) -> Result<Arc<Context>> {
    let xid = if xid == VS_XID_SELF {
        TaskBlob::current().xid()
    } else {
        xid
    };
    if xid == VS_XID_HOST || xid == VS_XID_SPECTATOR {
        return Err(EINVAL);
    }
    visible_context(xid)
}

/// The pid of the context's init if it is still alive in the context, as the caller sees it.
fn live_init_pid(context: &Context) -> i32 {
    let pid = context.init_pid();
    if pid == 0 {
        return 0;
    }
    let alive = crate::blob::lookup::with_visible_task(pid, |task| {
        task.xid() == context.xid && task.counts_in_context()
    });
    if alive == Ok(true) {
        pid
    } else {
        0
    }
}

/// `VS_IOC_LIST`.
pub(crate) fn list(user: UserSlice) -> Result {
    let caller = TaskBlob::current().xid();
    answer_id_list(user, |room| {
        registry().list(room, |c| policy::may_see(caller, c.xid))
    })
}

/// Answers a `struct vs_context_list` request with the ids `collect(room)` finds (at most
/// `room` of them, and how many there are in all), as a list answer ([`list::write`]).
pub(crate) fn answer_id_list(
    user: UserSlice,
    collect: impl FnOnce(usize) -> Result<(KVVec<u32>, usize)>,
) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::ContextList = reader.read()?;
    if request.flags != 0 {
        return Err(EINVAL);
    }
    let (ids, total) = collect(list::room(request.count))?;
    let written = list::write(request.count, request.xids, &ids, total)?;
    request.count = written.count;
    request.total = written.total;
    writer.write(&request)?;
    written.result()
}

/// `VS_IOC_SET_FLAGS`.
pub(crate) fn set_flags(mut reader: UserSliceReader) -> Result {
    let request: uapi::ContextFlags = reader.read()?;
    require_host_admin()?;
    if request.reserved != 0
        || (request.set | request.clear) & !CF_MASK != 0
        || request.set & request.clear != 0
    {
        return Err(EINVAL);
    }
    registry().set_flags(request.xid, request.set, request.clear)
}

/// `VS_IOC_REMOVE`.
pub(crate) fn remove(reader: UserSliceReader) -> Result {
    let xid = read_context_id(reader)?;
    require_host_admin()?;
    registry().remove(xid)
}

/// `VS_IOC_KILL`.
pub(crate) fn kill(mut reader: UserSliceReader) -> Result {
    let request: uapi::ContextKill = reader.read()?;
    require_host_admin()?;
    if request.flags != 0 || !(0..=SIG_MAX).contains(&request.sig) {
        return Err(EINVAL);
    }
    registry().get(request.xid).ok_or(ESRCH)?;
    if request.sig != 0 {
        crate::blob::processes::signal_context(request.xid, request.sig);
    }
    Ok(())
}

/// `VS_IOC_WAIT`.
pub(crate) fn wait(user: UserSlice) -> Result {
    let (mut reader, mut writer) = user.reader_writer();
    let mut request: uapi::ContextWait = reader.read()?;
    require_host_admin()?;
    if request.flags != 0 {
        return Err(EINVAL);
    }
    let context = registry().get(request.xid).ok_or(ESRCH)?;
    request.reason = registry().wait_end(&context)?;
    writer.write(&request)
}
