//! `vserver NAME stop`: SIGTERM to the context, then SIGKILL if it lingers.

use super::config::Config;
use crate::device;
use crate::error::CliError;
use std::time::{Duration, Instant};
use vserver_uapi::Device;

/// How long the guest has to end after SIGTERM.
const TERM_TIMEOUT: Duration = Duration::from_secs(10);
/// How long it has after SIGKILL.
const KILL_TIMEOUT: Duration = Duration::from_secs(5);
/// How often to look meanwhile.
const POLL: Duration = Duration::from_millis(100);

/// The number of tasks of the context, if it exists and has any.
pub fn running_tasks(dev: &Device, xid: u32) -> Result<Option<u32>, CliError> {
    Ok(device::info_if_exists(dev, xid)?
        .map(|info| info.tasks)
        .filter(|&tasks| tasks > 0))
}

/// Stops the guest; `false` if it was not running.
pub fn stop(dev: &Device, cfg: &Config) -> Result<bool, CliError> {
    if running_tasks(dev, cfg.xid)?.is_none() {
        return Ok(false);
    }
    for (sig, timeout) in [(libc::SIGTERM, TERM_TIMEOUT), (libc::SIGKILL, KILL_TIMEOUT)] {
        match dev.kill(cfg.xid, sig) {
            Ok(()) => {}
            Err(e) if device::is_gone(&e) => return Ok(true),
            Err(e) => {
                return Err(CliError::kernel(
                    &format!("stop {}: signal {sig}", cfg.name),
                    cfg.xid,
                    &e,
                ))
            }
        }
        if wait_stopped(dev, cfg.xid, timeout)? {
            return Ok(true);
        }
    }
    Err(CliError::Failed(format!(
        "stop {}: context {} still has tasks after SIGKILL",
        cfg.name, cfg.xid
    )))
}

/// Polls until the context has no task (or is gone); `false` on time-out.
fn wait_stopped(dev: &Device, xid: u32, timeout: Duration) -> Result<bool, CliError> {
    let deadline = Instant::now() + timeout;
    loop {
        if running_tasks(dev, xid)?.is_none() {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        std::thread::sleep(POLL);
    }
}
