//! The guest's network context, when it has an `addresses` file: created while its
//! context is in setup (see [`super::setup`]), with the guest's xid as its id when that
//! id is free and an allocated one otherwise; entered by the guest's init-to-be before
//! its root changes and before it enters its context; joined by `exec` and `enter`
//! through init.

use super::config::Config;
use crate::error::CliError;
use crate::network;
use vserver_uapi::{Device, VS_XID_ALLOCATE};

/// Creates the guest's network context with its addresses; its id, `None` if the guest
/// has no `addresses` file. Ends with its last task.
pub fn create(dev: &Device, cfg: &Config) -> Result<Option<u32>, CliError> {
    let Some(addrs) = &cfg.addresses else {
        return Ok(None);
    };
    let what = format!("{}: create its network context (addresses file)", cfg.name);
    let nid = match dev.net_create(cfg.xid, 0) {
        Ok(nid) => nid,
        Err(e) if e.raw_os_error() == Some(libc::EEXIST) => dev
            .net_create(VS_XID_ALLOCATE, 0)
            .map_err(|e| network::kernel(&what, VS_XID_ALLOCATE, &e))?,
        Err(e) => return Err(network::kernel(&what, cfg.xid, &e)),
    };
    network::populate(dev, nid, addrs.addrs())
        .map_err(|e| CliError::Failed(format!("{}: {e}", cfg.name)))?;
    Ok(Some(nid))
}

/// In a process about to run in the guest: joins the network context of the guest's
/// init (`init_pid`, 0 if gone). A guest with an `addresses` file whose network context
/// cannot be found is an error: the command would have the host's addresses.
pub fn join(dev: &Device, cfg: &Config, init_pid: i32) -> Result<(), CliError> {
    let nid = if init_pid > 0 {
        network::nid_of(dev, init_pid)?
    } else {
        None
    };
    match nid {
        Some(nid) => network::enter(dev, nid),
        None if cfg.addresses.is_some() => Err(CliError::Failed(format!(
            "{}: cannot find the guest's network context through its init (restart the guest)",
            cfg.name
        ))),
        None => Ok(()),
    }
}
