//! The cgroup (v2) of a context: `/sys/fs/cgroup/vserver/<xid>`. Creating it (with the
//! memory, cpu, pids and io controllers enabled on the way down), moving a process into
//! it, writing its limits, reading its use, removing it.
//!
//! The cgroup is optional: without a cgroup2 mount at `/sys/fs/cgroup`,
//! [`Hierarchy::system`] is `None` and contexts run without one; only the memory, cpu
//! and pids limits need it.

use crate::error::{strerror, CliError};
use crate::limits::{format_cpu, format_size, Limits, CPU_PERIOD_US, INFINITY};
use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the cgroup2 hierarchy is mounted.
pub const MOUNT: &str = "/sys/fs/cgroup";
/// The cgroup under [`MOUNT`] that holds one cgroup per context.
pub const PARENT: &str = "vserver";
/// `statfs.f_type` of a cgroup2 mount.
const CGROUP2_SUPER_MAGIC: u64 = 0x6367_7270;
/// The controllers the contexts' cgroups get, those the kernel has.
const CONTROLLERS: [&str; 4] = ["memory", "cpu", "pids", "io"];
/// How often [`Hierarchy::remove_waiting`] tries again.
const POLL: Duration = Duration::from_millis(50);

/// What a context's cgroup reports; `None` for a file that is missing (its controller
/// is not enabled) or unreadable.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub path: String,
    /// `memory.current`, in bytes.
    pub memory_current: Option<u64>,
    /// `memory.max`, in bytes ([`INFINITY`]: `max`).
    pub memory_max: Option<u64>,
    /// `memory.events`: `oom` (the limit was hit and the OOM killer ran).
    pub oom: Option<u64>,
    /// `memory.events`: `oom_kill` (processes it killed).
    pub oom_kill: Option<u64>,
    /// `cpu.max`: the quota ([`INFINITY`]: `max`) and the period, in µs.
    pub cpu_max: Option<(u64, u64)>,
    /// `cpu.stat`: `usage_usec`, the CPU time used.
    pub cpu_usage_usec: Option<u64>,
    /// `pids.current`.
    pub pids_current: Option<u64>,
    /// `pids.max` ([`INFINITY`]: `max`).
    pub pids_max: Option<u64>,
}

/// A cgroup2 hierarchy holding the contexts' cgroups.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    root: PathBuf,
}

/// Whether `path` is the root of a cgroup2 mount.
fn is_cgroup2(path: &str) -> bool {
    let Ok(c_path) = CString::new(path) else {
        return false;
    };
    // SAFETY: statfs is plain old data; all zeroes is a valid value.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c_path` is NUL-terminated and `st` is a valid out pointer.
    if unsafe { libc::statfs(c_path.as_ptr(), &mut st) } < 0 {
        return false;
    }
    st.f_type as u64 == CGROUP2_SUPER_MAGIC
}

/// Reads a one-value cgroup file; `None` if missing or unreadable.
fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// Parses a one-value cgroup file: a number, or `max` ([`INFINITY`]).
pub fn parse_value(text: &str) -> Option<u64> {
    match text.trim() {
        "max" => Some(INFINITY),
        n => n.parse().ok(),
    }
}

/// The value of `key` in a flat keyed file (`memory.events`, `cpu.stat`).
pub fn parse_keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// Parses `cpu.max`: `QUOTA PERIOD`, the quota `max` for none.
pub fn parse_cpu_max(text: &str) -> Option<(u64, u64)> {
    let mut words = text.split_whitespace();
    let quota = parse_value(words.next()?)?;
    let period = words.next()?.parse().ok()?;
    words.next().is_none().then_some((quota, period))
}

/// The text a limit file takes for `value`: the number, or `max`.
fn limit_text(value: u64) -> String {
    if value == INFINITY {
        "max".to_string()
    } else {
        value.to_string()
    }
}

/// The error for cgroup limits without a cgroup2 mount.
pub fn not_mounted(what: &str) -> CliError {
    CliError::Failed(format!(
        "{what}: {MOUNT} is not a cgroup2 mount (the memory, cpu and pids limits need \
         cgroup v2: mount -t cgroup2 none {MOUNT})"
    ))
}

impl Hierarchy {
    /// The hierarchy mounted at `root` (tests use a plain directory).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The system's hierarchy, if `/sys/fs/cgroup` is a cgroup2 mount.
    pub fn system() -> Option<Self> {
        is_cgroup2(MOUNT).then(|| Self::at(MOUNT))
    }

    /// The system's hierarchy; for `what` that needs it, an error without one.
    pub fn require(what: &str) -> Result<Self, CliError> {
        Self::system().ok_or_else(|| not_mounted(what))
    }

    /// The cgroup directory of context `xid`.
    pub fn dir(&self, xid: u32) -> PathBuf {
        self.root.join(PARENT).join(xid.to_string())
    }

    /// Whether context `xid` has a cgroup.
    pub fn exists(&self, xid: u32) -> bool {
        self.dir(xid).is_dir()
    }

    /// Enables in the children of `dir` those of [`CONTROLLERS`] that `dir` has and
    /// does not pass on yet, one at a time (one failing does not keep the others off).
    /// A controller that stays off shows when its limit is written: its files are
    /// missing.
    fn enable_controllers(&self, dir: &Path) {
        let available = read(&dir.join("cgroup.controllers")).unwrap_or_default();
        let enabled = read(&dir.join("cgroup.subtree_control")).unwrap_or_default();
        let has = |list: &str, c: &str| list.split_whitespace().any(|x| x == c);
        for c in CONTROLLERS {
            if has(&available, c) && !has(&enabled, c) {
                let _ = write_file(&dir.join("cgroup.subtree_control"), &format!("+{c}"));
            }
        }
    }

    /// Creates the cgroup of context `xid` (and its parent), if missing.
    pub fn create(&self, xid: u32) -> Result<PathBuf, CliError> {
        let parent = self.root.join(PARENT);
        self.enable_controllers(&self.root);
        mkdir(&parent)?;
        self.enable_controllers(&parent);
        let dir = self.dir(xid);
        mkdir(&dir)?;
        Ok(dir)
    }

    /// Creates a fresh cgroup for a new context `xid`: one left from an earlier context
    /// with that id goes first, with its limits (if it still has processes, it stays).
    pub fn recreate(&self, xid: u32) -> Result<PathBuf, CliError> {
        let dir = self.dir(xid);
        if let Err(e) = rmdir(&dir) {
            match e.raw_os_error() {
                Some(libc::ENOENT) | Some(libc::EBUSY) | Some(libc::ENOTEMPTY) => {}
                _ => return Err(CliError::system(&format!("remove {}", dir.display()), &e)),
            }
        }
        self.create(xid)
    }

    /// Moves process `pid` into the cgroup of context `xid`.
    pub fn add_process(&self, xid: u32, pid: u32) -> Result<(), CliError> {
        let procs = self.dir(xid).join("cgroup.procs");
        write_file(&procs, &pid.to_string()).map_err(|e| {
            CliError::system(
                &format!(
                    "move pid {pid} into the cgroup of context {xid} ({})",
                    procs.display()
                ),
                &e,
            )
        })
    }

    /// Writes the memory, cpu and pids limits of `limits` that are set.
    pub fn write_limits(&self, xid: u32, limits: &Limits) -> Result<(), CliError> {
        let dir = self.dir(xid);
        let files = [
            ("memory", "memory.max", limits.memory.map(limit_text)),
            (
                "cpu",
                "cpu.max",
                limits
                    .cpu
                    .map(|quota| format!("{} {CPU_PERIOD_US}", limit_text(quota))),
            ),
            ("pids", "pids.max", limits.pids.map(limit_text)),
        ];
        for (controller, file, value) in files {
            let Some(value) = value else { continue };
            let path = dir.join(file);
            write_file(&path, &value).map_err(|e| {
                let what = format!("set {file} of context {xid} to '{value}'");
                if e.kind() == io::ErrorKind::NotFound {
                    CliError::Failed(format!(
                        "{what}: {} is missing: the {controller} controller is not enabled \
                         (is it in {}?)",
                        path.display(),
                        self.root.join("cgroup.controllers").display()
                    ))
                } else {
                    CliError::system(&format!("{what} ({})", path.display()), &e)
                }
            })?;
        }
        Ok(())
    }

    /// Removes the cgroup of context `xid`, which must have no process left.
    pub fn remove(&self, xid: u32) -> Result<(), CliError> {
        let dir = self.dir(xid);
        rmdir(&dir).map_err(|e| removal_error(xid, &dir, &e))
    }

    /// Removes the cgroup of context `xid` if it exists, giving processes that are
    /// just exiting up to `timeout` to leave it.
    pub fn remove_waiting(&self, xid: u32, timeout: Duration) -> Result<(), CliError> {
        let dir = self.dir(xid);
        let deadline = Instant::now() + timeout;
        loop {
            match rmdir(&dir) {
                Ok(()) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) && Instant::now() < deadline => {
                    std::thread::sleep(POLL)
                }
                Err(e) => return Err(removal_error(xid, &dir, &e)),
            }
        }
    }

    /// What the cgroup of context `xid` reports; `None` if it has none.
    pub fn stats(&self, xid: u32) -> Option<Stats> {
        let dir = self.dir(xid);
        if !dir.is_dir() {
            return None;
        }
        let file = |name: &str| read(&dir.join(name));
        let events = file("memory.events");
        let cpu_stat = file("cpu.stat");
        Some(Stats {
            path: dir.display().to_string(),
            memory_current: file("memory.current").and_then(|t| parse_value(&t)),
            memory_max: file("memory.max").and_then(|t| parse_value(&t)),
            oom: events.as_deref().and_then(|t| parse_keyed(t, "oom")),
            oom_kill: events.as_deref().and_then(|t| parse_keyed(t, "oom_kill")),
            cpu_max: file("cpu.max").and_then(|t| parse_cpu_max(&t)),
            cpu_usage_usec: cpu_stat
                .as_deref()
                .and_then(|t| parse_keyed(t, "usage_usec")),
            pids_current: file("pids.current").and_then(|t| parse_value(&t)),
            pids_max: file("pids.max").and_then(|t| parse_value(&t)),
        })
    }
}

impl Stats {
    /// `memory.max` for a table.
    pub fn memory_max_text(&self) -> Option<String> {
        self.memory_max.map(format_size)
    }

    /// `cpu.max` for a table, as a percentage of one CPU.
    pub fn cpu_max_text(&self) -> Option<String> {
        self.cpu_max
            .map(|(quota, period)| format_cpu(quota, period))
    }
}

/// The error of removing the cgroup `dir` of context `xid`, explained.
fn removal_error(xid: u32, dir: &Path, e: &io::Error) -> CliError {
    let what = format!("remove the cgroup of context {xid} ({})", dir.display());
    match e.raw_os_error() {
        Some(libc::ENOENT) => CliError::Failed(format!("{what}: it does not exist")),
        Some(libc::EBUSY) | Some(libc::ENOTEMPTY) => CliError::Failed(format!(
            "{what}: it still has processes or child cgroups (stop the context first)"
        )),
        _ => CliError::Failed(format!("{what}: {}", strerror(e))),
    }
}

/// Writes `value` to the existing file `path` in one write (as cgroup files want it).
fn write_file(path: &Path, value: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).truncate(true).open(path)?;
    file.write_all(value.as_bytes())
}

/// Creates the directory `dir` unless it exists.
fn mkdir(dir: &Path) -> Result<(), CliError> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(CliError::system(&format!("create {}", dir.display()), &e)),
    }
}

/// `rmdir(dir)`: a cgroup directory goes even though it lists files.
fn rmdir(dir: &Path) -> io::Result<()> {
    let path = CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: `path` is NUL-terminated.
    if unsafe { libc::rmdir(path.as_ptr()) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch hierarchy: a directory with the root's interface files.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str, controllers: &str) -> Self {
            let root =
                std::env::temp_dir().join(format!("vsctl-cgroup-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir_all(&root).unwrap();
            fs::write(root.join("cgroup.controllers"), controllers).unwrap();
            fs::write(root.join("cgroup.subtree_control"), "").unwrap();
            Self(root)
        }

        fn hierarchy(&self) -> Hierarchy {
            Hierarchy::at(&self.0)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_plain_directory_is_not_cgroup2() {
        assert!(!is_cgroup2(&std::env::temp_dir().display().to_string()));
        assert!(!is_cgroup2("/nonexistent/cgroup"));
        assert!(!is_cgroup2("a\0b"));
    }

    #[test]
    fn create_enables_the_available_controllers_and_makes_the_directories() {
        let s = Scratch::new("create", "cpuset cpu io memory pids\n");
        let h = s.hierarchy();
        assert!(!h.exists(7));
        let dir = h.create(7).unwrap();
        assert_eq!(dir, s.0.join("vserver/7"));
        assert!(h.exists(7));
        // Written one at a time; the scratch file keeps the last.
        assert_eq!(
            fs::read_to_string(s.0.join("cgroup.subtree_control")).unwrap(),
            "+io"
        );
        // Again: nothing changes, no error.
        h.create(7).unwrap();
    }

    #[test]
    fn only_listed_controllers_are_enabled() {
        let s = Scratch::new("listed", "memory pids\n");
        fs::write(s.0.join("cgroup.subtree_control"), "memory pids\n").unwrap();
        s.hierarchy().create(3).unwrap();
        // Both were on already: nothing was written.
        assert_eq!(
            fs::read_to_string(s.0.join("cgroup.subtree_control")).unwrap(),
            "memory pids\n"
        );
    }

    #[test]
    fn recreate_replaces_an_empty_cgroup_and_keeps_a_busy_one() {
        let s = Scratch::new("recreate", "");
        let h = s.hierarchy();
        h.create(5).unwrap();
        h.recreate(5).unwrap();
        assert!(h.exists(5));
        fs::write(h.dir(5).join("cgroup.procs"), "").unwrap();
        // Not empty (a real cgroup says EBUSY): it stays.
        h.recreate(5).unwrap();
        assert!(h.dir(5).join("cgroup.procs").exists());
    }

    #[test]
    fn processes_and_limits_are_written_to_their_files() {
        let s = Scratch::new("write", "memory cpu pids");
        let h = s.hierarchy();
        let dir = h.create(9).unwrap();
        for f in ["cgroup.procs", "memory.max", "cpu.max", "pids.max"] {
            fs::write(dir.join(f), "").unwrap();
        }
        h.add_process(9, 1234).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("cgroup.procs")).unwrap(),
            "1234"
        );
        let limits = Limits {
            memory: Some(256 << 20),
            cpu: Some(12_500),
            pids: Some(INFINITY),
            ..Limits::default()
        };
        h.write_limits(9, &limits).unwrap();
        let read = |f: &str| fs::read_to_string(dir.join(f)).unwrap();
        assert_eq!(read("memory.max"), "268435456");
        assert_eq!(read("cpu.max"), "12500 100000");
        assert_eq!(read("pids.max"), "max");
        let limits = Limits {
            cpu: Some(INFINITY),
            ..Limits::default()
        };
        h.write_limits(9, &limits).unwrap();
        assert_eq!(read("cpu.max"), "max 100000");
        assert_eq!(read("memory.max"), "268435456");
    }

    #[test]
    fn a_missing_controller_file_is_explained() {
        let s = Scratch::new("missing", "pids");
        let h = s.hierarchy();
        h.create(4).unwrap();
        let limits = Limits {
            memory: Some(1 << 20),
            ..Limits::default()
        };
        let e = h.write_limits(4, &limits).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        let msg = e.to_string();
        assert!(
            msg.starts_with("set memory.max of context 4 to '1048576': "),
            "{msg}"
        );
        assert!(
            msg.contains("the memory controller is not enabled"),
            "{msg}"
        );
        let e = h.add_process(4, 1).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("move pid 1 into the cgroup of context 4"));
    }

    #[test]
    fn remove_explains_missing_and_busy_cgroups() {
        let s = Scratch::new("remove", "");
        let h = s.hierarchy();
        let e = h.remove(6).unwrap_err().to_string();
        assert!(e.starts_with("remove the cgroup of context 6 ("), "{e}");
        assert!(e.ends_with("): it does not exist"), "{e}");
        h.create(6).unwrap();
        fs::write(h.dir(6).join("cgroup.procs"), "1").unwrap();
        let e = h.remove(6).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e
            .to_string()
            .ends_with("still has processes or child cgroups (stop the context first)"));
        fs::remove_file(h.dir(6).join("cgroup.procs")).unwrap();
        h.remove(6).unwrap();
        assert!(!h.exists(6));
        // Gone already: nothing to wait for.
        h.remove_waiting(6, Duration::ZERO).unwrap();
    }

    #[test]
    fn cgroup_files_parse() {
        assert_eq!(parse_value("max\n"), Some(INFINITY));
        assert_eq!(parse_value("268435456\n"), Some(268435456));
        assert_eq!(parse_value(""), None);
        assert_eq!(parse_value("lots"), None);
        let events = "low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n";
        assert_eq!(parse_keyed(events, "oom"), Some(2));
        assert_eq!(parse_keyed(events, "oom_kill"), Some(1));
        assert_eq!(parse_keyed(events, "oom_kil"), None);
        assert_eq!(
            parse_keyed("usage_usec 1234567\nuser_usec 1\n", "usage_usec"),
            Some(1234567)
        );
        assert_eq!(parse_keyed("usage_usec x\n", "usage_usec"), None);
        assert_eq!(parse_cpu_max("max 100000\n"), Some((INFINITY, 100000)));
        assert_eq!(parse_cpu_max("20000 100000\n"), Some((20000, 100000)));
        assert_eq!(parse_cpu_max("20000\n"), None);
        assert_eq!(parse_cpu_max("20000 100000 1\n"), None);
        assert_eq!(parse_cpu_max(""), None);
    }

    #[test]
    fn stats_read_what_is_there() {
        let s = Scratch::new("stats", "");
        let h = s.hierarchy();
        assert_eq!(h.stats(8), None);
        let dir = h.create(8).unwrap();
        fs::write(dir.join("memory.current"), "4096\n").unwrap();
        fs::write(dir.join("memory.max"), "max\n").unwrap();
        fs::write(dir.join("memory.events"), "oom 3\noom_kill 2\n").unwrap();
        fs::write(dir.join("cpu.max"), "20000 100000\n").unwrap();
        fs::write(dir.join("cpu.stat"), "usage_usec 99\n").unwrap();
        let st = h.stats(8).unwrap();
        assert_eq!(st.path, dir.display().to_string());
        assert_eq!(st.memory_current, Some(4096));
        assert_eq!(st.memory_max, Some(INFINITY));
        assert_eq!((st.oom, st.oom_kill), (Some(3), Some(2)));
        assert_eq!(st.cpu_max, Some((20000, 100000)));
        assert_eq!(st.cpu_usage_usec, Some(99));
        assert_eq!((st.pids_current, st.pids_max), (None, None));
        assert_eq!(st.memory_max_text().as_deref(), Some("inf"));
        assert_eq!(st.cpu_max_text().as_deref(), Some("20%"));
    }

    #[test]
    fn not_mounted_is_a_failure_naming_the_mount() {
        let e = not_mounted("set the memory limit");
        assert_eq!(e.exit_code(), 1);
        assert!(e
            .to_string()
            .starts_with("set the memory limit: /sys/fs/cgroup is not a cgroup2 mount"));
    }
}
