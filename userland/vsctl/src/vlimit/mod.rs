//! `vlimit --xid N [--nproc SOFT:HARD|HARD] [--nofile ...] [--nsock ...]
//! [--rlimit NAME=VALUE]... [--memory SIZE] [--cpu PCT%] [--pids N] [--reset]
//! [--remove-cgroup] [--json]`: set or show a context's limits.
//!
//! The counters (`--nproc`, `--nofile`, `--nsock`) and rlimit ceilings are the
//! module's; `--memory`, `--cpu` and `--pids` are written to the context's cgroup,
//! `/sys/fs/cgroup/vserver/<xid>` (created if missing), and need cgroup v2. With no
//! option but `--xid` (and `--json`), shows every limit (see [`show`]).

mod show;

use crate::cgroup::Hierarchy;
use crate::cli::{parse_xid, require_xid, Arg, Parser};
use crate::error::CliError;
use crate::limits::Limits;
use crate::{device, rlimits, sys};

/// What `vlimit` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub xid: u32,
    /// The limits to set.
    pub limits: Limits,
    /// `--reset`: reset the counters' min, max and hits.
    pub reset: bool,
    /// `--remove-cgroup`: remove the context's cgroup.
    pub remove_cgroup: bool,
    /// `--json`: show as JSON.
    pub json: bool,
}

impl Options {
    /// Whether to show the limits (nothing to change).
    pub fn shows(&self) -> bool {
        self.limits.is_empty() && !self.reset && !self.remove_cgroup
    }
}

/// Parses the command line of `vlimit`; `ncpus` bounds `--cpu`.
pub fn parse_with(args: &[String], ncpus: u32) -> Result<Options, CliError> {
    let mut xid = None;
    let mut limits = Limits::default();
    let (mut reset, mut remove_cgroup, mut json) = (false, false, false);
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("xid") => xid = Some(parse_xid(&p.value()?)?),
            Arg::Long(opt @ ("nproc" | "nofile" | "nsock" | "memory" | "cpu" | "pids")) => {
                let opt = opt.to_string();
                limits.set(&opt, &p.value()?, ncpus)?
            }
            Arg::Long("rlimit") => {
                let (resource, ceiling) = rlimits::parse_assignment(&p.value()?)?;
                limits.rlimits.insert(resource, ceiling);
            }
            Arg::Long("reset") => reset = true,
            Arg::Long("remove-cgroup") => remove_cgroup = true,
            Arg::Long("json") => json = true,
            other => return Err(other.unexpected()),
        }
    }
    let o = Options {
        xid: require_xid(xid)?,
        limits,
        reset,
        remove_cgroup,
        json,
    };
    if o.json && !o.shows() {
        return Err(CliError::usage(
            "--json only goes with showing the limits (no option but --xid)",
        ));
    }
    if o.remove_cgroup && o.limits.needs_cgroup() {
        return Err(CliError::usage(
            "--remove-cgroup cannot go with --memory, --cpu or --pids",
        ));
    }
    Ok(o)
}

/// Parses the command line of `vlimit`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    parse_with(args, sys::online_cpus())
}

/// Does what `o` asks: the module's limits first, then the cgroup's, `--reset`, and
/// `--remove-cgroup` (which alone needs no module: the context may be long gone).
fn set(o: &Options) -> Result<(), CliError> {
    let xid = o.xid;
    if !o.limits.is_empty() || o.reset {
        set_limits(o)?;
    }
    if o.remove_cgroup {
        Hierarchy::require(&format!("remove the cgroup of context {xid}"))?.remove(xid)?;
    }
    Ok(())
}

/// The limits and `--reset` of `o`.
fn set_limits(o: &Options) -> Result<(), CliError> {
    let xid = o.xid;
    let dev = device::open()?;
    if !o.limits.is_empty() {
        if device::info_if_exists(&dev, xid)?.is_none() {
            return Err(CliError::Failed(format!(
                "set the limits of context {xid}: no such context {xid}"
            )));
        }
        o.limits.apply_to_module(&dev, xid)?;
        if o.limits.needs_cgroup() {
            let cgroups = Hierarchy::require(&format!("set the cgroup limits of context {xid}"))?;
            cgroups.create(xid)?;
            cgroups.write_limits(xid, &o.limits)?;
        }
    }
    if o.reset {
        dev.reset_limits(xid).map_err(|e| {
            CliError::kernel(
                &format!("reset the limit counters of context {xid}"),
                xid,
                &e,
            )
        })?;
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    if o.shows() {
        show::run(o.xid, o.json)
    } else {
        set(&o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;
    use crate::limits::{SoftHard, INFINITY};

    fn ok(a: &[&str]) -> Options {
        parse_with(&strings(a), 2).unwrap()
    }

    fn err(a: &[&str]) -> String {
        let e = parse_with(&strings(a), 2).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn xid_alone_shows() {
        let o = ok(&["--xid", "5"]);
        assert!(o.shows() && !o.json);
        assert!(ok(&["--json", "--xid=5"]).json);
        assert!(ok(&["--xid", "5", "--json"]).shows());
    }

    #[test]
    fn every_limit_parses() {
        let o = ok(&[
            "--xid",
            "7",
            "--nproc",
            "100",
            "--nofile=50:4096",
            "--nsock",
            "inf",
            "--rlimit",
            "NOFILE=1024",
            "--rlimit=as=1G",
            "--memory",
            "256M",
            "--cpu",
            "150%",
            "--pids",
            "unlimited",
        ]);
        assert!(!o.shows());
        let sh = |soft, hard| Some(SoftHard { soft, hard });
        assert_eq!(
            o.limits.counters,
            [sh(100, 100), sh(50, 4096), sh(INFINITY, INFINITY)]
        );
        assert_eq!(
            o.limits.rlimits.iter().collect::<Vec<_>>(),
            [(&7, &1024), (&9, &(1 << 30))]
        );
        assert_eq!(o.limits.memory, Some(256 << 20));
        assert_eq!(o.limits.cpu, Some(150_000));
        assert_eq!(o.limits.pids, Some(INFINITY));
    }

    #[test]
    fn reset_and_remove_are_actions() {
        let o = ok(&["--xid", "7", "--reset"]);
        assert!(o.reset && !o.shows());
        let o = ok(&["--xid", "7", "--remove-cgroup"]);
        assert!(o.remove_cgroup && !o.shows());
        let o = ok(&["--xid", "7", "--remove-cgroup", "--nproc", "5", "--reset"]);
        assert!(o.remove_cgroup && o.reset);
    }

    #[test]
    fn bad_command_lines_are_named() {
        assert_eq!(err(&[]), "missing --xid N");
        assert_eq!(err(&["--nproc", "5"]), "missing --xid N");
        assert!(err(&["--xid", "65536"]).contains("out of range"));
        assert_eq!(
            err(&["--xid", "5", "--nproc"]),
            "option '--nproc' needs a value"
        );
        assert_eq!(
            err(&["--xid", "5", "--nproc", "ten"]),
            "nproc 'ten' is not a number or inf"
        );
        assert_eq!(
            err(&["--xid", "5", "--nofile", "100:10"]),
            "nofile: the soft limit 100 is above the hard limit 10"
        );
        assert_eq!(
            err(&["--xid", "5", "--nsock", "-1"]),
            "nsock '-1' is not a number or inf"
        );
        assert!(err(&["--xid", "5", "--memory", "1T"]).contains("is not a size"));
        assert!(err(&["--xid", "5", "--memory", "0"]).starts_with("memory 0"));
        assert_eq!(
            err(&["--xid", "5", "--cpu", "201%"]),
            "cpu 201% is out of range (1% to 200%: 100% per online CPU)"
        );
        assert!(err(&["--xid", "5", "--cpu", "fast"]).contains("is not a percentage"));
        assert!(err(&["--xid", "5", "--pids", "0"]).contains("out of range"));
        assert_eq!(
            err(&["--xid", "5", "--rlimit", "NOFILE"]),
            "rlimit 'NOFILE' is not NAME=VALUE (like NOFILE=1024)"
        );
        assert_eq!(
            err(&["--xid", "5", "--rlimit", "FILES=1"]),
            "unknown rlimit 'FILES'"
        );
        assert_eq!(
            err(&["--xid", "5", "--nproc", "5", "--json"]),
            "--json only goes with showing the limits (no option but --xid)"
        );
        assert!(err(&["--xid", "5", "--reset", "--json"]).starts_with("--json only"));
        assert_eq!(
            err(&["--xid", "5", "--remove-cgroup", "--pids", "5"]),
            "--remove-cgroup cannot go with --memory, --cpu or --pids"
        );
        assert_eq!(
            err(&["--xid", "5", "--limit", "5"]),
            "unknown option '--limit'"
        );
        assert_eq!(err(&["--xid", "5", "nproc"]), "unexpected argument 'nproc'");
        assert_eq!(
            err(&["--xid", "5", "--reset=1"]),
            "option '--reset' takes no value (got '1')"
        );
    }
}
