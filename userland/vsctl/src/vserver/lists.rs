//! A guest's line files: `limits` (`KEY VALUE` lines, as `vlimit`'s options: `nproc 100`,
//! `nofile 50:4096`, `memory 256M`, `cpu 20%`, `rlimit.NOFILE 1024`, ...), `bcaps`
//! and `ccaps` (`[+|-]NAME` lines, edits of the default sets) and `addresses`
//! (`ADDR[/PREFIX]` lines, and `lback ADDR`, as `chbind`'s `--ip` and `--lback`). `#`
//! starts a comment; blank lines are skipped. Errors name the file and the line.

use crate::caps::CapEdit;
use crate::error::CliError;
use crate::limits::Limits;
use crate::netaddr::{parse_addr, parse_lback, AddrList};
use crate::rlimits;
use std::collections::BTreeMap;

/// The lines of `text` that say something: (line number, words), comments removed.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.split_once('#').map_or(line, |(before, _)| before);
        let words: Vec<&str> = line.split_whitespace().collect();
        (!words.is_empty()).then_some((i + 1, words))
    })
}

/// An error at line `n` of `file`.
fn at(file: &str, n: usize, why: impl std::fmt::Display) -> CliError {
    CliError::Failed(format!("{file}:{n}: {why}"))
}

/// The key a limit line sets, the same however it is spelt (`rlimit.as`, `RLIMIT.AS`
/// and `rlimit.RLIMIT_AS` are one).
fn canonical_key(key: &str) -> Result<String, CliError> {
    let lower = key.to_ascii_lowercase();
    match lower.strip_prefix("rlimit.") {
        Some(_) => Ok(format!(
            "rlimit.{}",
            rlimits::name(rlimits::parse_name(&key["rlimit.".len()..])?)
        )),
        None => Ok(lower),
    }
}

/// Parses the `limits` file `file` (its text: `text`); `ncpus` bounds `cpu`.
pub fn parse_limits(file: &str, text: &str, ncpus: u32) -> Result<Limits, CliError> {
    let mut limits = Limits::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (n, words) in lines(text) {
        let [key, value] = words[..] else {
            return Err(at(
                file,
                n,
                format!(
                    "expected 'NAME VALUE' (like 'nproc 100'), got '{}'",
                    words.join(" ")
                ),
            ));
        };
        let canonical = canonical_key(key).map_err(|e| at(file, n, e))?;
        if let Some(first) = seen.get(&canonical) {
            return Err(at(
                file,
                n,
                format!("'{key}' is set twice (first on line {first})"),
            ));
        }
        seen.insert(canonical, n);
        limits.set(key, value, ncpus).map_err(|e| at(file, n, e))?;
    }
    Ok(limits)
}

/// Parses a capability file `file` (its text: `text`): one `[+|-]NAME` per line,
/// each parsed by `parse`.
pub fn parse_caps(
    file: &str,
    text: &str,
    parse: impl Fn(&str) -> Result<CapEdit, CliError>,
) -> Result<Vec<CapEdit>, CliError> {
    let mut edits = Vec::new();
    for (n, words) in lines(text) {
        let [word] = words[..] else {
            return Err(at(
                file,
                n,
                format!("expected one [+|-]NAME per line, got '{}'", words.join(" ")),
            ));
        };
        edits.push(parse(word).map_err(|e| at(file, n, e))?);
    }
    Ok(edits)
}

/// Parses the `addresses` file `file` (its text: `text`): one `ADDR[/PREFIX]` per line
/// (the first of each family is the primary address), `lback ADDR` for the guest's
/// loopback address.
pub fn parse_addresses(file: &str, text: &str) -> Result<AddrList, CliError> {
    let mut addrs = AddrList::default();
    for (n, words) in lines(text) {
        let addr = match words[..] {
            ["lback", addr] => parse_lback(addr),
            [addr] if addr != "lback" => parse_addr(addr),
            _ => {
                return Err(at(
                    file,
                    n,
                    format!(
                        "expected 'ADDR[/PREFIX]' or 'lback ADDR', got '{}'",
                        words.join(" ")
                    ),
                ))
            }
        };
        addr.and_then(|a| addrs.push(a))
            .map_err(|e| at(file, n, e))?;
    }
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{SoftHard, INFINITY};
    use crate::{caps, ccaps};

    fn limits_err(text: &str) -> String {
        let e = parse_limits("/cfg/g/limits", text, 2).unwrap_err();
        assert_eq!(e.exit_code(), 1, "{e}");
        e.to_string()
    }

    #[test]
    fn a_full_limits_file_parses() {
        let text = "\
# limits of guest g
nproc 100
nofile 50:4096   # soft:hard

nsock    64
memory 256M
cpu 20%
pids 100
rlimit.NOFILE 1024
RLIMIT.as inf
";
        let l = parse_limits("/cfg/g/limits", text, 1).unwrap();
        let sh = |soft, hard| Some(SoftHard { soft, hard });
        assert_eq!(l.counters, [sh(100, 100), sh(50, 4096), sh(64, 64)]);
        assert_eq!(
            (l.memory, l.cpu, l.pids),
            (Some(256 << 20), Some(20_000), Some(100))
        );
        assert_eq!(l.rlimits.get(&7), Some(&1024));
        assert_eq!(l.rlimits.get(&9), Some(&INFINITY));
        assert!(parse_limits("f", "", 1).unwrap().is_empty());
        assert!(parse_limits("f", "# nothing\n\n   \n", 1)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn limits_errors_name_the_file_and_line() {
        assert_eq!(
            limits_err("nproc 1\nnproc\n"),
            "/cfg/g/limits:2: expected 'NAME VALUE' (like 'nproc 100'), got 'nproc'"
        );
        assert_eq!(
            limits_err("memory 256 M\n"),
            "/cfg/g/limits:1: expected 'NAME VALUE' (like 'nproc 100'), got 'memory 256 M'"
        );
        assert_eq!(
            limits_err("\n\nnprocs 5\n"),
            "/cfg/g/limits:3: unknown limit 'nprocs' (known: nproc, nofile, nsock, memory, \
             cpu, pids, rlimit.NAME)"
        );
        assert_eq!(
            limits_err("nofile 10:5\n"),
            "/cfg/g/limits:1: nofile: the soft limit 10 is above the hard limit 5"
        );
        assert_eq!(
            limits_err("cpu 300%\n"),
            "/cfg/g/limits:1: cpu 300% is out of range (1% to 200%: 100% per online CPU)"
        );
        assert!(
            limits_err("memory lots\n").starts_with("/cfg/g/limits:1: memory 'lots' is not a size")
        );
        assert_eq!(
            limits_err("rlimit.FILES 5\n"),
            "/cfg/g/limits:1: unknown rlimit 'FILES'"
        );
        assert_eq!(
            limits_err("pids 0\n"),
            "/cfg/g/limits:1: pids 0 is out of range (1 to 4194304, or inf)"
        );
    }

    #[test]
    fn a_limit_set_twice_is_an_error() {
        assert_eq!(
            limits_err("nproc 1\n# x\nNPROC 2\n"),
            "/cfg/g/limits:3: 'NPROC' is set twice (first on line 1)"
        );
        assert_eq!(
            limits_err("rlimit.as 1G\nrlimit.RLIMIT_AS 2G\n"),
            "/cfg/g/limits:2: 'rlimit.RLIMIT_AS' is set twice (first on line 1)"
        );
    }

    #[test]
    fn capability_files_are_edits() {
        let text = "# guest caps\nNET_RAW\n-chown   # no chown\n+cap_mknod\n\n";
        let edits = parse_caps("/cfg/g/bcaps", text, caps::parse_edit).unwrap();
        assert_eq!(
            edits,
            [CapEdit::Add(13), CapEdit::Remove(0), CapEdit::Add(27)]
        );
        let edits = parse_caps("/cfg/g/ccaps", "raw_icmp\nSET_UTSNAME\n", ccaps::parse_edit);
        assert_eq!(edits.unwrap(), [CapEdit::Add(1), CapEdit::Add(0)]);
        assert!(parse_caps("f", "", ccaps::parse_edit).unwrap().is_empty());
    }

    #[test]
    fn capability_file_errors_name_the_file_and_line() {
        let e = parse_caps("/cfg/g/ccaps", "RAW_ICMP\nPING\n", ccaps::parse_edit).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.to_string(),
            "/cfg/g/ccaps:2: unknown context capability 'PING' (known: SET_UTSNAME, RAW_ICMP)"
        );
        let e = parse_caps("/cfg/g/bcaps", "CHOWN KILL\n", caps::parse_edit).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/cfg/g/bcaps:1: expected one [+|-]NAME per line, got 'CHOWN KILL'"
        );
        let e = parse_caps("/cfg/g/bcaps", "\n-\n", caps::parse_edit).unwrap_err();
        assert_eq!(e.to_string(), "/cfg/g/bcaps:2: unknown capability ''");
    }

    fn addresses_err(text: &str) -> String {
        let e = parse_addresses("/cfg/g/addresses", text).unwrap_err();
        assert_eq!(e.exit_code(), 1, "{e}");
        e.to_string()
    }

    #[test]
    fn an_addresses_file_parses() {
        let text = "\
# guest g
10.1.0.1/24
fd00::1/64   # primary IPv6

10.2.0.1
lback 127.0.0.2
";
        let l = parse_addresses("/cfg/g/addresses", text).unwrap();
        let shown: Vec<String> = l.addrs().iter().map(|a| a.to_string()).collect();
        assert_eq!(
            shown,
            ["10.1.0.1/24", "fd00::1/64", "10.2.0.1/32", "127.0.0.2"]
        );
        assert!(l.addrs()[3].loopback);
        assert!(parse_addresses("f", "").unwrap().is_empty());
        assert!(parse_addresses("f", "# none\n\n").unwrap().is_empty());
    }

    #[test]
    fn addresses_errors_name_the_file_and_line() {
        assert_eq!(
            addresses_err("10.1.0.1\n10.1.0.x\n"),
            "/cfg/g/addresses:2: address '10.1.0.x' is not an IPv4 or IPv6 address"
        );
        assert_eq!(
            addresses_err("\n10.1.0.1/33\n"),
            "/cfg/g/addresses:2: address '10.1.0.1/33': prefix 33 is out of range (0 to 32 \
             for IPv4)"
        );
        assert_eq!(
            addresses_err("10.1.0.1 10.1.0.2\n"),
            "/cfg/g/addresses:1: expected 'ADDR[/PREFIX]' or 'lback ADDR', got '10.1.0.1 \
             10.1.0.2'"
        );
        assert_eq!(
            addresses_err("lback\n"),
            "/cfg/g/addresses:1: expected 'ADDR[/PREFIX]' or 'lback ADDR', got 'lback'"
        );
        assert_eq!(
            addresses_err("ip 10.1.0.1\n"),
            "/cfg/g/addresses:1: expected 'ADDR[/PREFIX]' or 'lback ADDR', got 'ip 10.1.0.1'"
        );
        assert_eq!(
            addresses_err("lback 127.0.0.2/8\n"),
            "/cfg/g/addresses:1: loopback address '127.0.0.2/8' takes no /PREFIX"
        );
        assert_eq!(
            addresses_err("10.1.0.1\n# again\n10.1.0.1/24\n"),
            "/cfg/g/addresses:3: address 10.1.0.1 is given twice"
        );
        assert!(addresses_err("lback 127.0.0.2\nlback 127.0.0.3\n")
            .starts_with("/cfg/g/addresses:2: two IPv4 loopback addresses"));
        assert_eq!(
            addresses_err("127.0.0.1\n"),
            "/cfg/g/addresses:1: address '127.0.0.1' is a loopback address (give the guest's \
             loopback address as lback)"
        );
        assert_eq!(
            addresses_err("0.0.0.0\n"),
            "/cfg/g/addresses:1: address '0.0.0.0' is a wildcard"
        );
        let many: String = (1..=17).map(|i| format!("10.0.0.{i}\n")).collect();
        assert_eq!(
            addresses_err(&many),
            "/cfg/g/addresses:17: more than 16 IPv4 addresses (from 10.0.0.17)"
        );
    }
}
