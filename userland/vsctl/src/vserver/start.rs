//! `vserver NAME start`: a new context with the guest's init in it.
//!
//! The context is created `persistent`, so it lasts until init has entered it, and gets
//! the guest's settings while in setup (capability sets, limits, a fresh cgroup, a
//! network context with the guest's addresses: see [`setup`]). A detached grandchild
//! (so the tool never has to reap the guest's init) joins the guest's cgroup and network
//! context, makes the guest's root its root in a new private mount namespace
//! (`pivot_root`, see [`confine::enter_root`]), enters a new UTS namespace, sets the host
//! name, closes the descriptors above 2 (but the device and the pipe below, which close
//! on exec), migrates into the context, ends its setup and execs init. A close-on-exec
//! pipe tells the parent whether that worked: EOF without a message means init is
//! running.

use super::config::Config;
use super::setup::Prepared;
use super::{confine, setup};
use crate::device;
use crate::error::CliError;
use crate::sys::{self, Fork};
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, RawFd};
use std::time::{Duration, Instant};
use vserver_uapi::{Device, CF_PERSISTENT, VS_STATE_SETUP};

/// How long init may take to enter the context.
const START_TIMEOUT: Duration = Duration::from_secs(5);
/// How often to look at the context meanwhile.
const POLL: Duration = Duration::from_millis(50);

/// Starts the guest and prints `started NAME (xid N)`. Unless `keep_persistent`, the
/// context then ends with its last task.
pub fn start(dev: &Device, cfg: &Config, keep_persistent: bool) -> Result<(), CliError> {
    let needs_setup = create(dev, cfg)?;
    let launched = setup::apply(dev, cfg).and_then(|prepared| {
        launch(dev, cfg, needs_setup, &prepared).inspect_err(|_| prepared.discard_network(dev))
    });
    if let Err(e) = launched {
        discard(dev, cfg.xid);
        let _ = setup::remove_cgroup(cfg);
        return Err(e);
    }
    if !keep_persistent {
        dev.set_flags(cfg.xid, 0, CF_PERSISTENT).map_err(|e| {
            CliError::kernel(
                &format!("clear persistent flag of context {}", cfg.xid),
                cfg.xid,
                &e,
            )
        })?;
    }
    println!("started {} (xid {})", cfg.name, cfg.xid);
    Ok(())
}

/// Makes a context with no task not persistent and removes it. Best effort: it may be
/// gone already.
pub fn discard(dev: &Device, xid: u32) {
    let _ = dev.set_flags(xid, 0, CF_PERSISTENT);
    let _ = dev.remove(xid);
}

/// Creates the persistent context, or takes over a persistent one without tasks (left
/// from an earlier run). Returns whether it is still in its setup state. A context that
/// is just ending (say, right after `stop`) gets [`START_TIMEOUT`] to go away.
fn create(dev: &Device, cfg: &Config) -> Result<bool, CliError> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let err = match dev.create(cfg.xid, CF_PERSISTENT) {
            Ok(_) => return Ok(true),
            Err(e) => e,
        };
        if err.raw_os_error() != Some(libc::EEXIST) {
            return Err(CliError::kernel("create context", cfg.xid, &err));
        }
        match device::info_if_exists(dev, cfg.xid)? {
            Some(info) if info.tasks > 0 => {
                return Err(CliError::Failed(format!(
                    "{} is already running (xid {})",
                    cfg.name, cfg.xid
                )))
            }
            Some(info) if info.flags & CF_PERSISTENT != 0 => {
                return Ok(info.state == VS_STATE_SETUP)
            }
            // Gone meanwhile, or ending: try again.
            _ if Instant::now() < deadline => std::thread::sleep(POLL),
            _ => return Err(CliError::kernel("create context", cfg.xid, &err)),
        }
    }
}

/// Starts init in the context (and in the cgroup and network context of `prepared`, if
/// any) and waits until it is there.
fn launch(
    dev: &Device,
    cfg: &Config,
    needs_setup: bool,
    prepared: &Prepared,
) -> Result<(), CliError> {
    let deadline = Instant::now() + START_TIMEOUT;
    let (mut report_read, report) = sys::pipe()?;
    let middle = match sys::fork()? {
        Fork::Child => {
            drop(report_read);
            detach(dev, cfg, needs_setup, prepared, report)
        }
        Fork::Parent(pid) => pid,
    };
    drop(report);
    sys::wait_child(middle)?;
    match sys::read_until(&mut report_read, deadline)? {
        Some(msg) if msg.is_empty() => {}
        Some(msg) => {
            let msg = String::from_utf8_lossy(&msg);
            return Err(CliError::Failed(format!(
                "start {}: {}",
                cfg.name,
                msg.trim_end()
            )));
        }
        None => {
            return Err(CliError::Failed(format!(
                "start {}: init did not start within {} s",
                cfg.name,
                START_TIMEOUT.as_secs()
            )))
        }
    }
    wait_for_tasks(dev, cfg, deadline)
}

/// The middle process: forks the guest's init and exits, so init is not our child.
fn detach(
    dev: &Device,
    cfg: &Config,
    needs_setup: bool,
    prepared: &Prepared,
    mut report: File,
) -> ! {
    let err = match sys::fork() {
        Ok(Fork::Parent(_)) => sys::exit_now(0),
        Ok(Fork::Child) => match enter_guest(dev, cfg, needs_setup, prepared, report.as_raw_fd()) {
            Ok(()) => sys::execvp(&cfg.init),
            Err(e) => e,
        },
        Err(e) => e,
    };
    let _ = report.write_all(err.message().as_bytes());
    sys::exit_now(err.exit_code())
}

/// In the guest's init-to-be: cgroup, network context, root, namespaces, host name,
/// descriptors, context.
fn enter_guest(
    dev: &Device,
    cfg: &Config,
    needs_setup: bool,
    prepared: &Prepared,
    report: RawFd,
) -> Result<(), CliError> {
    sys::setsid()?;
    // While the host's /sys/fs/cgroup is still in reach.
    if let Some(cgroups) = &prepared.cgroups {
        cgroups.add_process(cfg.xid, std::process::id())?;
    }
    // While this process is still in the host context, which entering takes.
    if let Some(nid) = prepared.nid {
        crate::network::enter(dev, nid)?;
    }
    confine::enter_root(&cfg.root)?;
    sys::unshare(libc::CLONE_NEWUTS)?;
    if let Some(name) = &cfg.hostname {
        sys::sethostname(name)?;
    }
    // Both stay open until exec, which closes them: nothing above 2 reaches init.
    sys::close_fds_except(&[dev.as_raw_fd(), report]);
    let xid = cfg.xid;
    dev.migrate(xid)
        .map_err(|e| CliError::kernel(&format!("migrate into context {xid}"), xid, &e))?;
    if needs_setup {
        dev.end_setup(xid)
            .map_err(|e| CliError::kernel(&format!("end setup of context {xid}"), xid, &e))?;
    }
    Ok(())
}

/// Polls the context until it has a task, or the deadline passes.
fn wait_for_tasks(dev: &Device, cfg: &Config, deadline: Instant) -> Result<(), CliError> {
    loop {
        if device::info_if_exists(dev, cfg.xid)?.is_some_and(|info| info.tasks > 0) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(CliError::Failed(format!(
                "start {}: init is not in context {} after {} s (did it exit?)",
                cfg.name,
                cfg.xid,
                START_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(POLL);
    }
}
