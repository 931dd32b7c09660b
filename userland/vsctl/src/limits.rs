//! A context's resource limits, as `vlimit` and a guest's `limits` file give them: the
//! module's counters (`nproc`, `nofile`, `nsock`: soft and hard), rlimit ceilings, and
//! the cgroup's `memory`, `cpu` and `pids` limits; the parsers of their values, and
//! setting the module's part (the cgroup's is in [`crate::cgroup`]).

use crate::error::CliError;
use crate::rlimits;
use std::collections::BTreeMap;
use vserver_uapi::{Device, LIMIT_COUNT, LIMIT_INFINITY, LIMIT_NOFILE, LIMIT_NPROC, LIMIT_NSOCK};

/// No limit (`VS_LIMIT_INFINITY`; `max` in a cgroup file).
pub const INFINITY: u64 = LIMIT_INFINITY;
/// The module's counters by name, with their `VS_LIMIT_*`.
pub const COUNTERS: [(&str, u32); LIMIT_COUNT] = [
    ("nproc", LIMIT_NPROC),
    ("nofile", LIMIT_NOFILE),
    ("nsock", LIMIT_NSOCK),
];
/// The most `pids.max` takes (the kernel's `PID_MAX_LIMIT`).
pub const PIDS_MAX: u64 = 4 * 1024 * 1024;
/// The period of `cpu.max`, in µs: a quota of P% is P * 1000 µs of it.
pub const CPU_PERIOD_US: u64 = 100_000;

/// A counter's soft and hard limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoftHard {
    pub soft: u64,
    pub hard: u64,
}

/// The limits asked for; `None` (or absent) for those to leave as they are.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The counters' limits, indexed by `VS_LIMIT_*`.
    pub counters: [Option<SoftHard>; LIMIT_COUNT],
    /// Rlimit ceilings by `RLIMIT_*`.
    pub rlimits: BTreeMap<u32, u64>,
    /// `memory.max`, in bytes.
    pub memory: Option<u64>,
    /// The quota of `cpu.max`, in µs per [`CPU_PERIOD_US`].
    pub cpu: Option<u64>,
    /// `pids.max`.
    pub pids: Option<u64>,
}

impl Limits {
    /// Whether no limit is asked for.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether a cgroup limit (memory, cpu, pids) is asked for.
    pub fn needs_cgroup(&self) -> bool {
        self.memory.is_some() || self.cpu.is_some() || self.pids.is_some()
    }

    /// Sets the limit `key` (`nproc`, `nofile`, `nsock`, `memory`, `cpu`, `pids` or
    /// `rlimit.NAME`) from `value`; `ncpus` bounds `cpu`.
    pub fn set(&mut self, key: &str, value: &str, ncpus: u32) -> Result<(), CliError> {
        let lower = key.to_ascii_lowercase();
        if let Some(i) = COUNTERS.iter().position(|(name, _)| *name == lower) {
            self.counters[i] = Some(parse_soft_hard(&lower, value)?);
            return Ok(());
        }
        match lower.as_str() {
            "memory" => self.memory = Some(parse_memory(value)?),
            "cpu" => self.cpu = Some(parse_cpu(value, ncpus)?),
            "pids" => self.pids = Some(parse_pids(value)?),
            _ => match lower.strip_prefix("rlimit.") {
                Some(_) => {
                    let resource = rlimits::parse_name(&key["rlimit.".len()..])?;
                    let ceiling = rlimits::parse_value(resource, value)?;
                    self.rlimits.insert(resource, ceiling);
                }
                None => {
                    return Err(CliError::usage(format!(
                        "unknown limit '{key}' (known: nproc, nofile, nsock, memory, cpu, \
                         pids, rlimit.NAME)"
                    )))
                }
            },
        }
        Ok(())
    }

    /// Sets the counters' limits and the rlimit ceilings of context `xid`.
    pub fn apply_to_module(&self, dev: &Device, xid: u32) -> Result<(), CliError> {
        for ((name, resource), limit) in COUNTERS.iter().zip(&self.counters) {
            if let Some(l) = limit {
                dev.set_limit(xid, *resource, l.soft, l.hard).map_err(|e| {
                    CliError::kernel(&format!("set the {name} limit of context {xid}"), xid, &e)
                })?;
            }
        }
        for (&resource, &ceiling) in &self.rlimits {
            dev.set_rlimit(xid, resource, ceiling).map_err(|e| {
                let name = rlimits::name(resource);
                CliError::kernel(
                    &format!("set the {name} rlimit ceiling of context {xid}"),
                    xid,
                    &e,
                )
            })?;
        }
        Ok(())
    }
}

/// Whether `text` says "no limit": `inf` or `unlimited`, any case.
fn is_infinite(text: &str) -> bool {
    text.eq_ignore_ascii_case("inf") || text.eq_ignore_ascii_case("unlimited")
}

/// Whether `text` is 1 to 19 decimal digits (so it fits a u64).
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a count: a decimal number, or `inf`/`unlimited` ([`INFINITY`]).
pub fn parse_count(what: &str, text: &str) -> Result<u64, CliError> {
    if is_infinite(text) {
        return Ok(INFINITY);
    }
    if !is_digits(text) {
        return Err(CliError::usage(format!(
            "{what} '{text}' is not a number or inf"
        )));
    }
    text.parse()
        .map_err(|_| CliError::usage(format!("{what} '{text}' is not a number or inf")))
}

/// Parses a size in bytes: a decimal number with an optional `K`, `M` or `G` suffix
/// (powers of 1024, any case), or `inf`/`unlimited` ([`INFINITY`]).
pub fn parse_size(what: &str, text: &str) -> Result<u64, CliError> {
    if is_infinite(text) {
        return Ok(INFINITY);
    }
    let (digits, shift) = match text.as_bytes().last().map(u8::to_ascii_uppercase) {
        Some(b'K') => (&text[..text.len() - 1], 10),
        Some(b'M') => (&text[..text.len() - 1], 20),
        Some(b'G') => (&text[..text.len() - 1], 30),
        _ => (text, 0),
    };
    let bad = || {
        CliError::usage(format!(
            "{what} '{text}' is not a size (a number with an optional K, M or G suffix, or inf)"
        ))
    };
    if !is_digits(digits) {
        return Err(bad());
    }
    let n: u64 = digits.parse().map_err(|_| bad())?;
    n.checked_mul(1u64 << shift)
        .filter(|&bytes| bytes != INFINITY)
        .ok_or_else(|| CliError::usage(format!("{what} '{text}' is too large")))
}

/// Parses `SOFT:HARD`, or `HARD` alone (the soft limit is then the same).
pub fn parse_soft_hard(what: &str, text: &str) -> Result<SoftHard, CliError> {
    let (soft, hard) = match text.split_once(':') {
        Some((soft, hard)) => (
            parse_count(&format!("{what} soft limit"), soft)?,
            parse_count(&format!("{what} hard limit"), hard)?,
        ),
        None => {
            let hard = parse_count(what, text)?;
            (hard, hard)
        }
    };
    if soft > hard {
        return Err(CliError::usage(format!(
            "{what}: the soft limit {} is above the hard limit {}",
            format_count(soft),
            format_count(hard)
        )));
    }
    Ok(SoftHard { soft, hard })
}

/// Parses the memory limit: a size above 0, or `inf`.
pub fn parse_memory(text: &str) -> Result<u64, CliError> {
    match parse_size("memory", text)? {
        0 => Err(CliError::usage(
            "memory 0 would leave the guest no memory (give a size, or inf for no limit)",
        )),
        bytes => Ok(bytes),
    }
}

/// Parses the pids limit: `1..=`[`PIDS_MAX`], or `inf`.
pub fn parse_pids(text: &str) -> Result<u64, CliError> {
    match parse_count("pids", text)? {
        INFINITY => Ok(INFINITY),
        n if (1..=PIDS_MAX).contains(&n) => Ok(n),
        n => Err(CliError::usage(format!(
            "pids {n} is out of range (1 to {PIDS_MAX}, or inf)"
        ))),
    }
}

/// Parses a CPU share `P%` (`%` optional; P with up to 3 decimals, 1 to 100 per CPU of
/// `ncpus`), or `inf`: the quota of `cpu.max` in µs per [`CPU_PERIOD_US`], P * 1000.
pub fn parse_cpu(text: &str, ncpus: u32) -> Result<u64, CliError> {
    if is_infinite(text) {
        return Ok(INFINITY);
    }
    let bad = || {
        CliError::usage(format!(
            "cpu '{text}' is not a percentage (like 20% or 12.5%, or inf)"
        ))
    };
    let number = text.strip_suffix('%').unwrap_or(text);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.len() > 9 || fraction.len() > 3 || !is_digits(whole) {
        return Err(bad());
    }
    if number.contains('.') && (fraction.is_empty() || !is_digits(fraction)) {
        return Err(bad());
    }
    let whole: u64 = whole.parse().map_err(|_| bad())?;
    let thousandths: u64 = format!("{fraction:0<3}").parse().map_err(|_| bad())?;
    let quota = whole * 1000 + thousandths;
    let most = 100 * u64::from(ncpus.max(1));
    if !(1000..=most * 1000).contains(&quota) {
        return Err(CliError::usage(format!(
            "cpu {number}% is out of range (1% to {most}%: 100% per online CPU)"
        )));
    }
    Ok(quota)
}

/// A count for a table: the number, or `inf`.
pub fn format_count(n: u64) -> String {
    if n == INFINITY {
        "inf".to_string()
    } else {
        n.to_string()
    }
}

/// A size for a table: `inf`, `256M` when a whole number of G, M or K, else the bytes.
pub fn format_size(bytes: u64) -> String {
    if bytes == INFINITY {
        return "inf".to_string();
    }
    for (shift, suffix) in [(30, 'G'), (20, 'M'), (10, 'K')] {
        if bytes != 0 && bytes.trailing_zeros() >= shift {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    bytes.to_string()
}

/// A `cpu.max` quota for a table: `20%`, `12.5%`, or `inf`.
pub fn format_cpu(quota: u64, period: u64) -> String {
    if quota == INFINITY || period == 0 {
        return "inf".to_string();
    }
    // Thousandths of a percent, rounded.
    let milli = (u128::from(quota) * 100_000 + u128::from(period) / 2) / u128::from(period);
    let (whole, fraction) = (milli / 1000, milli % 1000);
    if fraction == 0 {
        format!("{whole}%")
    } else {
        let fraction = format!("{fraction:03}");
        format!("{whole}.{}%", fraction.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(e: CliError) -> String {
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn counts_are_numbers_or_infinite() {
        assert_eq!(parse_count("n", "0").unwrap(), 0);
        assert_eq!(parse_count("n", "100").unwrap(), 100);
        for inf in ["inf", "INF", "unlimited", "Unlimited"] {
            assert_eq!(parse_count("n", inf).unwrap(), INFINITY, "{inf}");
        }
        for bad in [
            "",
            "-1",
            "+1",
            "1.5",
            "1K",
            " 1",
            "0x10",
            "infinity",
            "max",
            "99999999999999999999",
        ] {
            assert_eq!(
                usage(parse_count("nproc", bad).unwrap_err()),
                format!("nproc '{bad}' is not a number or inf")
            );
        }
    }

    #[test]
    fn sizes_take_k_m_g_suffixes() {
        assert_eq!(parse_size("s", "0").unwrap(), 0);
        assert_eq!(parse_size("s", "4096").unwrap(), 4096);
        assert_eq!(parse_size("s", "4K").unwrap(), 4096);
        assert_eq!(parse_size("s", "256M").unwrap(), 256 << 20);
        assert_eq!(parse_size("s", "256m").unwrap(), 256 << 20);
        assert_eq!(parse_size("s", "2g").unwrap(), 2 << 30);
        assert_eq!(parse_size("s", "unlimited").unwrap(), INFINITY);
        for bad in ["", "K", "1T", "1KB", "1.5G", "-1M", "M1", "1 M", "1Ki"] {
            let msg = usage(parse_size("memory", bad).unwrap_err());
            assert_eq!(
                msg,
                format!(
                    "memory '{bad}' is not a size (a number with an optional K, M or G \
                     suffix, or inf)"
                )
            );
        }
        assert_eq!(
            usage(parse_size("memory", "9999999999999G").unwrap_err()),
            "memory '9999999999999G' is too large"
        );
    }

    #[test]
    fn soft_and_hard_limits() {
        let sh = |soft, hard| SoftHard { soft, hard };
        assert_eq!(parse_soft_hard("nproc", "100").unwrap(), sh(100, 100));
        assert_eq!(parse_soft_hard("nproc", "50:100").unwrap(), sh(50, 100));
        assert_eq!(
            parse_soft_hard("nproc", "50:inf").unwrap(),
            sh(50, INFINITY)
        );
        assert_eq!(
            parse_soft_hard("nproc", "inf").unwrap(),
            sh(INFINITY, INFINITY)
        );
        assert_eq!(parse_soft_hard("nsock", "0").unwrap(), sh(0, 0));
        assert_eq!(
            usage(parse_soft_hard("nproc", "100:50").unwrap_err()),
            "nproc: the soft limit 100 is above the hard limit 50"
        );
        assert_eq!(
            usage(parse_soft_hard("nofile", "inf:50").unwrap_err()),
            "nofile: the soft limit inf is above the hard limit 50"
        );
        for (bad, msg) in [
            ("", "nproc '' is not a number or inf"),
            (":", "nproc soft limit '' is not a number or inf"),
            ("5:", "nproc hard limit '' is not a number or inf"),
            (":5", "nproc soft limit '' is not a number or inf"),
            ("1:2:3", "nproc hard limit '2:3' is not a number or inf"),
            ("x", "nproc 'x' is not a number or inf"),
            ("10M", "nproc '10M' is not a number or inf"),
        ] {
            assert_eq!(usage(parse_soft_hard("nproc", bad).unwrap_err()), msg);
        }
    }

    #[test]
    fn memory_is_a_size_above_zero() {
        assert_eq!(parse_memory("256M").unwrap(), 256 << 20);
        assert_eq!(parse_memory("inf").unwrap(), INFINITY);
        assert!(usage(parse_memory("0").unwrap_err()).starts_with("memory 0 would leave"));
        assert!(usage(parse_memory("0K").unwrap_err()).starts_with("memory 0 would leave"));
        assert!(usage(parse_memory("lots").unwrap_err()).contains("is not a size"));
    }

    #[test]
    fn pids_are_1_to_pid_max() {
        assert_eq!(parse_pids("1").unwrap(), 1);
        assert_eq!(parse_pids("4194304").unwrap(), PIDS_MAX);
        assert_eq!(parse_pids("unlimited").unwrap(), INFINITY);
        for bad in ["0", "4194305"] {
            assert_eq!(
                usage(parse_pids(bad).unwrap_err()),
                format!("pids {bad} is out of range (1 to 4194304, or inf)")
            );
        }
        assert_eq!(
            usage(parse_pids("-5").unwrap_err()),
            "pids '-5' is not a number or inf"
        );
    }

    #[test]
    fn cpu_is_a_percentage_of_one_cpu() {
        assert_eq!(parse_cpu("20%", 1).unwrap(), 20_000);
        assert_eq!(parse_cpu("20", 1).unwrap(), 20_000);
        assert_eq!(parse_cpu("12.5%", 1).unwrap(), 12_500);
        assert_eq!(parse_cpu("1.005%", 1).unwrap(), 1_005);
        assert_eq!(parse_cpu("1%", 1).unwrap(), 1_000);
        assert_eq!(parse_cpu("100%", 1).unwrap(), 100_000);
        assert_eq!(parse_cpu("250%", 4).unwrap(), 250_000);
        assert_eq!(parse_cpu("400.000%", 4).unwrap(), 400_000);
        assert_eq!(parse_cpu("inf", 2).unwrap(), INFINITY);
        for bad in [
            "",
            "%",
            "%20",
            "20%%",
            "-5%",
            "+5%",
            "1.%",
            ".5%",
            "1.2345%",
            "1,5%",
            "x",
            "5 %",
            "1e2%",
            "1.-5%",
            "9999999999%",
        ] {
            assert_eq!(
                usage(parse_cpu(bad, 2).unwrap_err()),
                format!("cpu '{bad}' is not a percentage (like 20% or 12.5%, or inf)"),
                "{bad}"
            );
        }
        assert_eq!(
            usage(parse_cpu("0.5%", 2).unwrap_err()),
            "cpu 0.5% is out of range (1% to 200%: 100% per online CPU)"
        );
        assert_eq!(
            usage(parse_cpu("0", 1).unwrap_err()),
            "cpu 0% is out of range (1% to 100%: 100% per online CPU)"
        );
        assert!(usage(parse_cpu("200.001%", 2).unwrap_err()).contains("out of range"));
        assert!(usage(parse_cpu("150%", 1).unwrap_err()).contains("out of range"));
    }

    #[test]
    fn limits_are_set_by_key() {
        let mut l = Limits::default();
        assert!(l.is_empty() && !l.needs_cgroup());
        l.set("nproc", "100", 1).unwrap();
        l.set("NOFILE", "50:4096", 1).unwrap();
        l.set("nsock", "64", 1).unwrap();
        l.set("rlimit.NOFILE", "1024", 1).unwrap();
        l.set("rlimit.as", "1G", 1).unwrap();
        assert!(!l.is_empty() && !l.needs_cgroup());
        l.set("memory", "256M", 1).unwrap();
        l.set("cpu", "20%", 1).unwrap();
        l.set("pids", "100", 1).unwrap();
        assert!(l.needs_cgroup());
        let sh = |soft, hard| Some(SoftHard { soft, hard });
        assert_eq!(l.counters, [sh(100, 100), sh(50, 4096), sh(64, 64)]);
        assert_eq!(l.rlimits.get(&7), Some(&1024));
        assert_eq!(l.rlimits.get(&9), Some(&(1 << 30)));
        assert_eq!(
            (l.memory, l.cpu, l.pids),
            (Some(256 << 20), Some(20_000), Some(100))
        );
        // The last value given wins.
        l.set("rlimit.NOFILE", "2048", 1).unwrap();
        assert_eq!(l.rlimits.get(&7), Some(&2048));
    }

    #[test]
    fn bad_keys_and_values_are_named() {
        let mut l = Limits::default();
        assert_eq!(
            usage(l.set("nprocs", "1", 1).unwrap_err()),
            "unknown limit 'nprocs' (known: nproc, nofile, nsock, memory, cpu, pids, rlimit.NAME)"
        );
        assert_eq!(
            usage(l.set("rlimit.FILES", "1", 1).unwrap_err()),
            "unknown rlimit 'FILES'"
        );
        assert_eq!(
            usage(l.set("rlimit.", "1", 1).unwrap_err()),
            "unknown rlimit ''"
        );
        assert!(usage(l.set("cpu", "300%", 2).unwrap_err()).contains("out of range"));
        assert!(usage(l.set("memory", "1T", 2).unwrap_err()).contains("not a size"));
        assert!(l.is_empty());
    }

    #[test]
    fn values_format_for_tables() {
        assert_eq!(format_count(5), "5");
        assert_eq!(format_count(INFINITY), "inf");
        assert_eq!(format_size(0), "0");
        assert_eq!(format_size(1000), "1000");
        assert_eq!(format_size(4096), "4K");
        assert_eq!(format_size(256 << 20), "256M");
        assert_eq!(format_size(3 << 30), "3G");
        assert_eq!(format_size((1 << 20) + 1), "1048577");
        assert_eq!(format_size(INFINITY), "inf");
        assert_eq!(format_cpu(20_000, 100_000), "20%");
        assert_eq!(format_cpu(12_500, 100_000), "12.5%");
        assert_eq!(format_cpu(1_005, 100_000), "1.005%");
        assert_eq!(format_cpu(50_000, 50_000), "100%");
        assert_eq!(format_cpu(INFINITY, 100_000), "inf");
        assert_eq!(format_cpu(1, 0), "inf");
    }
}
