//! `vserver NAME exec CMD...` (and `enter`): run a command inside the running guest.

use super::config::Config;
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

/// In the child: the guest's namespaces (those of its init, when still there), its
/// root, its context.
fn enter(dev: &Device, cfg: &Config, init_pid: i32) -> Result<(), CliError> {
    if init_pid > 0 {
        sys::join_namespace(init_pid, "uts")?;
        sys::join_namespace(init_pid, "mnt")?;
    }
    sys::chroot(&cfg.root)?;
    let xid = cfg.xid;
    dev.migrate(xid)
        .map_err(|e| CliError::kernel(&format!("migrate into context {xid}"), xid, &e))
}
