//! A guest's settings, applied to its context while it is in setup: the bounding set
//! (`bcaps`), the context capabilities (`ccaps`), the counters' limits and rlimit
//! ceilings (`limits`), its cgroup with the memory, cpu and pids limits, and its network
//! context (`addresses`).

use super::config::Config;
use super::network;
use crate::caps;
use crate::ccaps::ccap_names;
use crate::cgroup::{self, Hierarchy};
use crate::error::CliError;
use std::time::Duration;
use vserver_uapi::{vs_context_capsets, Device, BCAPS_DEFAULT, CCAPS_DEFAULT};

/// How long processes that are just exiting have to leave the guest's cgroup.
const CGROUP_EXIT_TIMEOUT: Duration = Duration::from_secs(2);

/// The bits of `new` that context `xid` does not have now in the set `pick` picks (to
/// explain a refusal; none if that cannot be read).
fn added(dev: &Device, xid: u32, new: u64, pick: fn(&vs_context_capsets) -> u64) -> u64 {
    dev.get_caps(xid).map_or(0, |now| new & !pick(&now))
}

/// What the guest's init-to-be joins, once [`apply`] has made it.
pub struct Prepared {
    /// The cgroup hierarchy, if the host has cgroup v2 (a fresh cgroup is made for the
    /// guest).
    pub cgroups: Option<Hierarchy>,
    /// The guest's network context, if it has an `addresses` file.
    pub nid: Option<u32>,
}

impl Prepared {
    /// Removes the network context, if it has no task (after a failed start).
    pub fn discard_network(&self, dev: &Device) {
        if let Some(nid) = self.nid {
            crate::network::discard(dev, nid);
        }
    }
}

/// Applies the guest's settings to its context, then creates its network context (last,
/// so that a failure before leaves none behind).
pub fn apply(dev: &Device, cfg: &Config) -> Result<Prepared, CliError> {
    let cgroups = apply_to_context(dev, cfg)?;
    let nid = network::create(dev, cfg)?;
    Ok(Prepared { cgroups, nid })
}

/// The capability sets, limits and cgroup of [`apply`]. Returns the cgroup hierarchy, if
/// the host has cgroup v2.
fn apply_to_context(dev: &Device, cfg: &Config) -> Result<Option<Hierarchy>, CliError> {
    let xid = cfg.xid;
    if let Some(edits) = &cfg.bcaps {
        let bcaps = caps::apply(BCAPS_DEFAULT, edits);
        dev.set_bcaps(xid, bcaps).map_err(|e| {
            caps::set_error(
                &format!("{}: set the bounding set of context {xid}", cfg.name),
                xid,
                &caps::cap_names(added(dev, xid, bcaps, |c| c.bcaps)),
                &e,
            )
        })?;
    }
    if let Some(edits) = &cfg.ccaps {
        let ccaps = caps::apply(CCAPS_DEFAULT, edits);
        dev.set_ccaps(xid, ccaps).map_err(|e| {
            caps::set_error(
                &format!(
                    "{}: set the context capabilities of context {xid}",
                    cfg.name
                ),
                xid,
                &ccap_names(added(dev, xid, ccaps, |c| c.ccaps)),
                &e,
            )
        })?;
    }
    cfg.limits.apply_to_module(dev, xid)?;
    let Some(cgroups) = Hierarchy::system() else {
        if cfg.limits.needs_cgroup() {
            return Err(cgroup::not_mounted(&format!(
                "{}: the memory, cpu or pids limit in its limits file",
                cfg.name
            )));
        }
        return Ok(None);
    };
    cgroups.recreate(xid)?;
    cgroups.write_limits(xid, &cfg.limits)?;
    Ok(Some(cgroups))
}

/// Removes the guest's cgroup (if the host has cgroup v2 and it exists), once the
/// guest's processes have left it.
pub fn remove_cgroup(cfg: &Config) -> Result<(), CliError> {
    match Hierarchy::system() {
        Some(cgroups) => cgroups.remove_waiting(cfg.xid, CGROUP_EXIT_TIMEOUT),
        None => Ok(()),
    }
}

/// [`remove_cgroup`], with a warning on failure: the guest has ended all the same.
pub fn remove_cgroup_or_warn(cfg: &Config) {
    if let Err(e) = remove_cgroup(cfg) {
        eprintln!("vserver {}: warning: {e}", cfg.name);
    }
}
