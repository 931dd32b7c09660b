//! A guest's configuration: `/etc/vservers/NAME/` (base from `VSERVER_CONFIG_DIR`), one
//! value per file: `root`, `xid`, `init` (default `/sbin/init`) and `hostname`; and the
//! optional line files `limits`, `bcaps`, `ccaps` and `addresses` (see [`super::lists`]).

use super::lists;
use crate::caps::{self, CapEdit};
use crate::cli::{parse_hostname, parse_static_xid};
use crate::error::CliError;
use crate::limits::Limits;
use crate::netaddr::AddrList;
use crate::{ccaps, sys};
use std::io;
use std::path::{Path, PathBuf};

/// Where the configurations live unless `VSERVER_CONFIG_DIR` says otherwise.
pub const DEFAULT_BASE: &str = "/etc/vservers";
/// The guest's init when the `init` file is missing or empty.
pub const DEFAULT_INIT: &str = "/sbin/init";

/// A guest, ready to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub name: String,
    /// The guest's root directory (absolute).
    pub root: String,
    /// Its static context id.
    pub xid: u32,
    /// The command line of its init.
    pub init: Vec<String>,
    pub hostname: Option<String>,
    /// Its limits (`limits`); empty without the file.
    pub limits: Limits,
    /// Edits of the default bounding set (`bcaps`); `None` without the file.
    pub bcaps: Option<Vec<CapEdit>>,
    /// Edits of the default context capabilities (`ccaps`); `None` without the file.
    pub ccaps: Option<Vec<CapEdit>>,
    /// The addresses of its network context (`addresses`); `None` without the file: no
    /// network context.
    pub addresses: Option<AddrList>,
}

/// The raw values of the files: for one-value files `None` when missing or empty, for
/// line files (`limits`, `bcaps`, `ccaps`, `addresses`) the whole text, `None` when
/// missing.
#[derive(Debug, Default)]
pub struct Values {
    pub root: Option<String>,
    pub xid: Option<String>,
    pub init: Option<String>,
    pub hostname: Option<String>,
    pub limits: Option<String>,
    pub bcaps: Option<String>,
    pub ccaps: Option<String>,
    pub addresses: Option<String>,
}

/// The directory holding the configurations.
pub fn base_dir() -> PathBuf {
    match std::env::var_os("VSERVER_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_BASE),
    }
}

/// Checks a guest name: it becomes a directory name.
pub fn check_name(name: &str) -> Result<(), CliError> {
    if name.starts_with('-') {
        return Err(CliError::usage(format!(
            "expected a vserver NAME, got option '{name}'"
        )));
    }
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) {
        return Err(CliError::usage(format!(
            "bad vserver name '{}' (no '/', not '.' or '..')",
            name.escape_debug()
        )));
    }
    Ok(())
}

/// The value of a one-value file: its first line, trimmed; `None` if empty.
pub fn value_of(text: &str) -> Option<String> {
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// Reads a one-value file; `None` if it is missing or empty.
pub fn read_value(path: &Path) -> Result<Option<String>, CliError> {
    Ok(read_text(path)?.and_then(|text| value_of(&text)))
}

/// Reads a whole file; `None` if it is missing.
pub fn read_text(path: &Path) -> Result<Option<String>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::system(&format!("read {}", path.display()), &e)),
    }
}

/// Loads the configuration of `name` from `base/name/`.
pub fn load(base: &Path, name: &str) -> Result<Config, CliError> {
    check_name(name)?;
    let dir = base.join(name);
    if !dir.is_dir() {
        return Err(CliError::Failed(format!(
            "no configuration for '{name}' ({} is not a directory)",
            dir.display()
        )));
    }
    let values = Values {
        root: read_value(&dir.join("root"))?,
        xid: read_value(&dir.join("xid"))?,
        init: read_value(&dir.join("init"))?,
        hostname: read_value(&dir.join("hostname"))?,
        limits: read_text(&dir.join("limits"))?,
        bcaps: read_text(&dir.join("bcaps"))?,
        ccaps: read_text(&dir.join("ccaps"))?,
        addresses: read_text(&dir.join("addresses"))?,
    };
    from_values(&dir, name, values)
}

/// Checks the values read from `dir` and makes a [`Config`] of them.
pub fn from_values(dir: &Path, name: &str, v: Values) -> Result<Config, CliError> {
    let file = |f: &str| dir.join(f).display().to_string();
    let bad = |f: &str, why: String| CliError::Failed(format!("{}: {why}", file(f)));
    let root = v.root.ok_or_else(|| {
        bad(
            "root",
            "missing or empty (the guest's root directory)".into(),
        )
    })?;
    if !root.starts_with('/') {
        return Err(bad("root", format!("'{root}' is not an absolute path")));
    }
    let xid = v
        .xid
        .ok_or_else(|| bad("xid", "missing or empty (the static context id)".into()))?;
    let xid = parse_static_xid(&xid).map_err(|e| bad("xid", e.to_string()))?;
    let init: Vec<String> = match v.init {
        Some(line) => line.split_whitespace().map(str::to_string).collect(),
        None => vec![DEFAULT_INIT.to_string()],
    };
    let hostname = v
        .hostname
        .map(|h| parse_hostname(&h))
        .transpose()
        .map_err(|e| bad("hostname", e.to_string()))?;
    let limits = match v.limits {
        Some(text) => lists::parse_limits(&file("limits"), &text, sys::online_cpus())?,
        None => Limits::default(),
    };
    let bcaps = v
        .bcaps
        .map(|text| lists::parse_caps(&file("bcaps"), &text, caps::parse_edit))
        .transpose()?;
    let ccaps = v
        .ccaps
        .map(|text| lists::parse_caps(&file("ccaps"), &text, ccaps::parse_edit))
        .transpose()?;
    let addresses = v
        .addresses
        .map(|text| lists::parse_addresses(&file("addresses"), &text))
        .transpose()?;
    Ok(Config {
        name: name.to_string(),
        root,
        xid,
        init,
        hostname,
        limits,
        bcaps,
        ccaps,
        addresses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn values(root: Option<&str>, xid: Option<&str>) -> Values {
        Values {
            root: root.map(str::to_string),
            xid: xid.map(str::to_string),
            ..Values::default()
        }
    }

    fn err(v: Values) -> String {
        let e = from_values(Path::new("/cfg/g"), "g", v).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        e.to_string()
    }

    #[test]
    fn minimal_config_has_defaults() {
        let c = from_values(Path::new("/cfg/g"), "g", values(Some("/srv/g"), Some("10"))).unwrap();
        assert_eq!(c.root, "/srv/g");
        assert_eq!(c.xid, 10);
        assert_eq!(c.init, ["/sbin/init"]);
        assert_eq!(c.hostname, None);
        assert!(c.limits.is_empty());
        assert_eq!((c.bcaps, c.ccaps), (None, None));
        assert_eq!(c.addresses, None);
    }

    #[test]
    fn line_files_are_parsed_and_errors_name_file_and_line() {
        let mut v = values(Some("/g"), Some("2"));
        v.limits = Some("nproc 10\nmemory 64M\n".into());
        v.bcaps = Some("-CHOWN\n".into());
        v.ccaps = Some("# none\n".into());
        let c = from_values(Path::new("/cfg/g"), "g", v).unwrap();
        assert_eq!(c.limits.memory, Some(64 << 20));
        assert_eq!(c.bcaps, Some(vec![CapEdit::Remove(0)]));
        assert_eq!(c.ccaps, Some(vec![]));

        let mut v = values(Some("/g"), Some("2"));
        v.limits = Some("nproc 10\nnproc x y\n".into());
        assert!(err(v).starts_with("/cfg/g/limits:2: expected 'NAME VALUE'"));
        let mut v = values(Some("/g"), Some("2"));
        v.ccaps = Some("RAW_ICMP\n\nfly\n".into());
        assert!(err(v).starts_with("/cfg/g/ccaps:3: unknown context capability 'fly'"));
        let mut v = values(Some("/g"), Some("2"));
        v.bcaps = Some("NET_ADMIN\nCAP_FLY\n".into());
        assert_eq!(err(v), "/cfg/g/bcaps:2: unknown capability 'CAP_FLY'");
        let mut v = values(Some("/g"), Some("2"));
        v.addresses = Some("10.1.0.1/24\nlback 127.0.0.2\n".into());
        let c = from_values(Path::new("/cfg/g"), "g", v).unwrap();
        assert_eq!(c.addresses.map(|a| a.addrs().len()), Some(2));
        let mut v = values(Some("/g"), Some("2"));
        v.addresses = Some("# empty: no address at all\n".into());
        let c = from_values(Path::new("/cfg/g"), "g", v).unwrap();
        assert_eq!(c.addresses, Some(AddrList::default()));
        let mut v = values(Some("/g"), Some("2"));
        v.addresses = Some("10.1.0.1\n\nten.1.0.2\n".into());
        assert_eq!(
            err(v),
            "/cfg/g/addresses:3: address 'ten.1.0.2' is not an IPv4 or IPv6 address"
        );
    }

    #[test]
    fn init_is_a_command_line() {
        let mut v = values(Some("/g"), Some("2"));
        v.init = Some("/bin/sh  -c  'sleep 1'".into());
        v.hostname = Some("guest".into());
        let c = from_values(Path::new("/cfg/g"), "g", v).unwrap();
        assert_eq!(c.init, ["/bin/sh", "-c", "'sleep", "1'"]);
        assert_eq!(c.hostname.as_deref(), Some("guest"));
    }

    #[test]
    fn missing_and_bad_values_name_the_file() {
        assert_eq!(
            err(values(None, Some("10"))),
            "/cfg/g/root: missing or empty (the guest's root directory)"
        );
        assert_eq!(
            err(values(Some("/g"), None)),
            "/cfg/g/xid: missing or empty (the static context id)"
        );
        assert_eq!(
            err(values(Some("srv/g"), Some("10"))),
            "/cfg/g/root: 'srv/g' is not an absolute path"
        );
        assert_eq!(
            err(values(Some("/g"), Some("ten"))),
            "/cfg/g/xid: xid 'ten' is not a number"
        );
        assert!(err(values(Some("/g"), Some("1"))).contains("out of range (2 to 49151)"));
        assert!(err(values(Some("/g"), Some("50000"))).contains("xid 50000"));
        let mut v = values(Some("/g"), Some("2"));
        v.hostname = Some("h".repeat(65));
        assert!(err(v).starts_with("/cfg/g/hostname: host name"));
    }

    #[test]
    fn values_are_the_first_line_trimmed() {
        assert_eq!(value_of("42\n"), Some("42".into()));
        assert_eq!(value_of("  /srv/g  \nignored\n"), Some("/srv/g".into()));
        assert_eq!(value_of(""), None);
        assert_eq!(value_of("\n"), None);
        assert_eq!(value_of("   \nlater\n"), None);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("web1").is_ok());
        for bad in ["", ".", "..", "a/b", "/etc"] {
            assert_eq!(check_name(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        assert!(check_name("-x")
            .unwrap_err()
            .to_string()
            .contains("got option '-x'"));
    }

    #[test]
    fn load_reads_files_and_treats_missing_or_empty_ones_alike() {
        let base = std::env::temp_dir().join(format!("vsctl-config-test-{}", std::process::id()));
        let dir = base.join("g");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("root"), "/srv/g\n").unwrap();
        fs::write(dir.join("xid"), "123\n").unwrap();
        fs::write(dir.join("init"), "\n").unwrap();
        let c = load(&base, "g").unwrap();
        assert_eq!((c.root.as_str(), c.xid), ("/srv/g", 123));
        assert_eq!(c.init, ["/sbin/init"]);
        assert_eq!(c.hostname, None);
        assert!(c.limits.is_empty() && c.ccaps.is_none());

        fs::write(dir.join("limits"), "pids 50\n").unwrap();
        fs::write(dir.join("ccaps"), "").unwrap();
        let c = load(&base, "g").unwrap();
        assert_eq!(c.limits.pids, Some(50));
        assert_eq!(c.ccaps, Some(vec![]));
        fs::write(dir.join("addresses"), "10.1.0.1\nlback 127.0.0.2\n").unwrap();
        assert_eq!(
            load(&base, "g").unwrap().addresses.map(|a| a.addrs().len()),
            Some(2)
        );
        fs::write(dir.join("addresses"), "10.1.0.1/x\n").unwrap();
        let e = load(&base, "g").unwrap_err().to_string();
        assert!(
            e.ends_with("g/addresses:1: address '10.1.0.1/x': prefix 'x' is not a number"),
            "{e}"
        );
        fs::remove_file(dir.join("addresses")).unwrap();
        fs::write(dir.join("limits"), "pids\n").unwrap();
        let e = load(&base, "g").unwrap_err().to_string();
        assert!(
            e.ends_with("g/limits:1: expected 'NAME VALUE' (like 'nproc 100'), got 'pids'"),
            "{e}"
        );
        fs::remove_file(dir.join("limits")).unwrap();

        fs::write(dir.join("xid"), "").unwrap();
        assert!(load(&base, "g")
            .unwrap_err()
            .to_string()
            .ends_with("xid: missing or empty (the static context id)"));
        fs::remove_file(dir.join("root")).unwrap();
        assert!(load(&base, "g")
            .unwrap_err()
            .to_string()
            .contains("root: missing"));

        let e = load(&base, "absent").unwrap_err();
        assert!(
            e.to_string().starts_with("no configuration for 'absent'"),
            "{e}"
        );
        assert_eq!(load(&base, "..").unwrap_err().exit_code(), 2);
        fs::remove_dir_all(&base).unwrap();
    }
}
