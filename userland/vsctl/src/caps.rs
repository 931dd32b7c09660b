//! Capabilities by name (`CHOWN`, `CAP_SYS_ADMIN`, ...), and `[+|-]CAP` edits of a
//! context's bounding set.

use crate::cli::{split_sign, Sign};
use crate::error::CliError;
use std::io;

/// Every capability of `<linux/capability.h>`, in number order (index = number).
const NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// The number of a capability name, with or without `CAP_`, any case.
pub fn parse_cap(text: &str) -> Result<u32, CliError> {
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
    NAMES
        .iter()
        .position(|n| *n == name)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| CliError::usage(format!("unknown capability '{text}'")))
}

/// One edit of a bounding set: `+CAP` (or `CAP`) adds, `-CAP` (or util-vserver's
/// `~CAP`, `!CAP`) removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapEdit {
    Add(u32),
    Remove(u32),
}

/// Parses `[+|-|~|!]CAP`.
pub fn parse_edit(text: &str) -> Result<CapEdit, CliError> {
    parse_edit_with(text, parse_cap)
}

/// Parses `[+|-|~|!]NAME`, the bit of NAME given by `bit`.
pub fn parse_edit_with(
    text: &str,
    bit: impl Fn(&str) -> Result<u32, CliError>,
) -> Result<CapEdit, CliError> {
    match split_sign(text) {
        (Sign::Add, name) => Ok(CapEdit::Add(bit(name)?)),
        (Sign::Remove, name) => Ok(CapEdit::Remove(bit(name)?)),
    }
}

/// The bits `edits` add to `mask`: a context that has left its setup state refuses them.
pub fn added(mask: u64, edits: &[CapEdit]) -> u64 {
    apply(mask, edits) & !mask
}

/// `mask` with `edits` applied in order.
pub fn apply(mask: u64, edits: &[CapEdit]) -> u64 {
    edits.iter().fold(mask, |m, e| match *e {
        CapEdit::Add(cap) => m | (1u64 << cap),
        CapEdit::Remove(cap) => m & !(1u64 << cap),
    })
}

/// The error of setting a capability set (`what`, of context `xid`) that adds the
/// capabilities named in `added`: `EPERM` then means the context has left its setup
/// state, after which its sets can only shrink.
pub fn set_error(what: &str, xid: u32, added: &[String], err: &io::Error) -> CliError {
    if err.raw_os_error() == Some(libc::EPERM) && !added.is_empty() {
        CliError::Failed(format!(
            "{what}: refused adding {} (context {xid} is past its setup: its sets can \
             only shrink)",
            added.join(", ")
        ))
    } else {
        CliError::kernel(what, xid, err)
    }
}

/// The names of the capabilities in `mask`; unknown bits as `bitN`.
pub fn cap_names(mask: u64) -> Vec<String> {
    (0..64)
        .filter(|bit| mask & (1u64 << bit) != 0)
        .map(|bit| match NAMES.get(bit) {
            Some(name) => (*name).to_string(),
            None => format!("bit{bit}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vserver_uapi::BCAPS_DEFAULT;

    /// Every capability the table names, as a mask (which ones the running kernel has
    /// is the module's knowledge, not the header's).
    fn known_caps() -> u64 {
        (0..NAMES.len()).fold(0, |mask, bit| mask | 1 << bit)
    }

    #[test]
    fn names_parse_with_or_without_prefix_in_any_case() {
        assert_eq!(parse_cap("CHOWN").unwrap(), 0);
        assert_eq!(parse_cap("cap_sys_admin").unwrap(), 21);
        assert_eq!(parse_cap("CHECKPOINT_RESTORE").unwrap(), 40);
        assert!(parse_cap("NOPE")
            .unwrap_err()
            .to_string()
            .contains("'NOPE'"));
        assert_eq!(parse_cap("").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn edits_add_and_remove() {
        assert_eq!(parse_edit("+NET_RAW").unwrap(), CapEdit::Add(13));
        assert_eq!(parse_edit("NET_RAW").unwrap(), CapEdit::Add(13));
        assert_eq!(parse_edit("-chown").unwrap(), CapEdit::Remove(0));
        assert_eq!(parse_edit("~CAP_NET_RAW").unwrap(), CapEdit::Remove(13));
        assert_eq!(parse_edit("!cap_net_raw").unwrap(), CapEdit::Remove(13));
        assert!(parse_edit("~").is_err());
        assert_eq!(parse_edit("~~chown").unwrap_err().exit_code(), 2);
        assert!(parse_edit("-").is_err());
        let m = apply(0b11, &[CapEdit::Remove(0), CapEdit::Add(5)]);
        assert_eq!(m, 0b10_0010);
        assert_eq!(
            parse_edit("+").unwrap_err().to_string(),
            "unknown capability ''"
        );
        assert_eq!(parse_edit("--chown").unwrap_err().exit_code(), 2);
        assert_eq!(parse_edit("+-chown").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn added_bits_are_those_the_edits_set() {
        assert_eq!(
            added(0b11, &[CapEdit::Remove(0), CapEdit::Add(5)]),
            0b10_0000
        );
        assert_eq!(added(0b11, &[CapEdit::Add(1)]), 0);
        assert_eq!(added(0, &[CapEdit::Add(2), CapEdit::Remove(2)]), 0);
    }

    #[test]
    fn refusals_to_add_are_explained() {
        let eperm = io::Error::from_raw_os_error(libc::EPERM);
        let e = set_error("set caps", 5, &["NET_RAW".into(), "MKNOD".into()], &eperm);
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.to_string(),
            "set caps: refused adding NET_RAW, MKNOD (context 5 is past its setup: its sets \
             can only shrink)"
        );
        // Nothing added: the usual explanation.
        assert_eq!(
            set_error("set caps", 5, &[], &eperm).to_string(),
            "set caps: permission denied (need root in the host context)"
        );
        let esrch = io::Error::from_raw_os_error(libc::ESRCH);
        assert_eq!(
            set_error("set caps", 5, &["CHOWN".into()], &esrch).to_string(),
            "set caps: no such context 5"
        );
    }

    #[test]
    fn every_known_capability_has_its_name() {
        let names = cap_names(known_caps());
        assert_eq!(names, NAMES);
        assert_eq!(cap_names(known_caps() << 1 & !known_caps()), ["bit41"]);
        assert_eq!(known_caps() & BCAPS_DEFAULT, BCAPS_DEFAULT);
    }

    #[test]
    fn the_default_set_is_util_vservers() {
        let names = cap_names(BCAPS_DEFAULT);
        for n in [
            "CHOWN",
            "KILL",
            "NET_BIND_SERVICE",
            "SYS_CHROOT",
            "SYS_BOOT",
            "SETFCAP",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
        for n in [
            "SYS_ADMIN",
            "SYS_MODULE",
            "NET_ADMIN",
            "MKNOD",
            "SYS_TIME",
            "NET_RAW",
        ] {
            assert!(!names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        assert_eq!(cap_names(1 << 63), ["bit63"]);
    }
}
