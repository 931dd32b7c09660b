//! `vserver NAME exec CMD...` (and `enter`): run a command inside the running guest.

use super::config::Config;
use super::network;
use crate::cgroup::Hierarchy;
use crate::device;
use crate::error::CliError;
use crate::sys::{self, Fork};
use vserver_uapi::Device;

/// Runs `command` in the guest and exits with its status.
pub fn exec(dev: &Device, cfg: &Config, command: &[String]) -> Result<(), CliError> {
    let info = match device::info_if_exists(dev, cfg.xid)? {
        Some(info) if info.tasks > 0 => info,
        _ => return Err(CliError::Failed(format!("{} is not running", cfg.name))),
    };
    match sys::fork()? {
        Fork::Child => Err(match enter(dev, cfg, info.init_pid) {
            Ok(()) => sys::execvp(command),
            Err(e) => e,
        }),
        Fork::Parent(pid) => {
            // The command owns the terminal; ^C is for it.
            sys::ignore_interrupts();
            match sys::wait_child(pid)? {
                0 => Ok(()),
                status => Err(CliError::Exit(status, String::new())),
            }
        }
    }
}

/// In the child: the guest's cgroup (if it has one), its namespaces (those of its init,
/// when still there), its root, its network context (that of its init), its context.
///
/// Init's mount namespace has the guest's root as its root (`start` pivots into it), so
/// joining it is entering the root; without it, a chroot into the guest's root.
fn enter(dev: &Device, cfg: &Config, init_pid: i32) -> Result<(), CliError> {
    if let Some(cgroups) = Hierarchy::system().filter(|h| h.exists(cfg.xid)) {
        cgroups.add_process(cfg.xid, std::process::id())?;
    }
    let mut rooted = false;
    if init_pid > 0 {
        sys::join_namespace(init_pid, "uts")?;
        rooted = sys::join_namespace(init_pid, "mnt")?;
    }
    if rooted {
        crate::mount::chdir("/")?;
    } else {
        sys::chroot(&cfg.root)?;
    }
    network::join(dev, cfg, init_pid)?;
    let xid = cfg.xid;
    dev.migrate(xid)
        .map_err(|e| CliError::kernel(&format!("migrate into context {xid}"), xid, &e))
}
