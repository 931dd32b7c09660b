//! `vserver NAME run`: start the guest, wait until it ends, start it again when it asked
//! for a restart. Each time it ends, its context and cgroup go.

use super::config::Config;
use super::{setup, start};
use crate::device;
use crate::error::CliError;
use crate::vwait::reason_name;
use vserver_uapi::{Device, VS_END_REMOVED, VS_END_RESTART};

/// Runs the guest until it ends for good; prints each end reason.
pub fn run(dev: &Device, cfg: &Config) -> Result<(), CliError> {
    loop {
        // Persistent until we have its end reason, so it cannot vanish before the wait.
        start::start(dev, cfg, true)?;
        let reason = wait_end(dev, cfg.xid);
        start::discard(dev, cfg.xid);
        setup::remove_cgroup_or_warn(cfg);
        let reason = reason?;
        println!("{}: {}", cfg.name, reason_name(reason));
        match reason {
            VS_END_RESTART => continue,
            VS_END_REMOVED => {
                return Err(CliError::Failed(format!("context {} was removed", cfg.xid)))
            }
            _ => return Ok(()),
        }
    }
}

/// Waits until every task of the context has ended; the `VS_END_*` reason.
fn wait_end(dev: &Device, xid: u32) -> Result<u32, CliError> {
    // Ended already (init died at once): the reason is recorded.
    if let Some(info) = device::info_if_exists(dev, xid)? {
        if info.tasks == 0 && info.last_end != 0 {
            return Ok(info.last_end);
        }
    }
    dev.wait(xid)
        .map_err(|e| CliError::kernel(&format!("wait for context {xid}"), xid, &e))
}
