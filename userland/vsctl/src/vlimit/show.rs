//! `vlimit --xid N [--json]`: every limit of a context in one table (or JSON object):
//! the module's counters, the rlimit ceilings that are set, and what the context's
//! cgroup reports, if it has one.

use crate::cgroup::{Hierarchy, Stats};
use crate::device;
use crate::error::CliError;
use crate::json::{self, num, Value};
use crate::limits::{format_count, format_size, COUNTERS, INFINITY};
use crate::rlimits;
use vserver_uapi::{vs_limit_stat, Device, RLIMIT_COUNT};

/// Everything `vlimit` shows about one context.
#[derive(Debug, Default)]
pub struct Report {
    pub xid: u32,
    /// The counters, indexed by `VS_LIMIT_*`.
    pub counters: Vec<vs_limit_stat>,
    /// The rlimit ceilings that are set: (`RLIMIT_*`, ceiling).
    pub rlimits: Vec<(u32, u64)>,
    /// The cgroup's view, if the context has a cgroup.
    pub cgroup: Option<Stats>,
}

/// A value for the table; `-` for none.
fn cell(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_string())
}

/// One line of the table.
fn line(name: &str, cells: [Option<String>; 6]) -> String {
    let [current, min, max, soft, hard, hits] = cells.map(cell);
    format!("{name:<16} {current:>10} {min:>10} {max:>10} {soft:>10} {hard:>10} {hits:>8}\n")
}

/// Microseconds of CPU time as seconds: `12.345s`.
fn format_cpu_time(usec: u64) -> String {
    format!("{}.{:03}s", usec / 1_000_000, usec % 1_000_000 / 1000)
}

/// The report as a table with a header line.
pub fn table(r: &Report) -> String {
    let mut out = line(
        "LIMIT",
        ["CURRENT", "MIN", "MAX", "SOFT", "HARD", "HITS"].map(|h| Some(h.to_string())),
    );
    for ((name, _), s) in COUNTERS.iter().zip(&r.counters) {
        let count = |n: u64| Some(format_count(n));
        out.push_str(&line(
            name,
            [
                count(s.usage),
                count(s.min),
                count(s.max),
                count(s.soft),
                count(s.hard),
                count(s.hits),
            ],
        ));
    }
    for &(resource, ceiling) in &r.rlimits {
        let name = format!("rlimit.{}", rlimits::name(resource));
        let hard = Some(rlimits::format_value(resource, ceiling));
        out.push_str(&line(&name, [None, None, None, None, hard, None]));
    }
    if let Some(c) = &r.cgroup {
        let count = |n: Option<u64>| n.map(format_count);
        out.push_str(&line(
            "memory",
            [
                c.memory_current.map(format_size),
                None,
                None,
                None,
                c.memory_max_text(),
                count(c.oom),
            ],
        ));
        out.push_str(&line(
            "memory.oom_kill",
            [None, None, None, None, None, count(c.oom_kill)],
        ));
        out.push_str(&line(
            "cpu",
            [
                c.cpu_usage_usec.map(format_cpu_time),
                None,
                None,
                None,
                c.cpu_max_text(),
                None,
            ],
        ));
        out.push_str(&line(
            "pids",
            [
                count(c.pids_current),
                None,
                None,
                None,
                count(c.pids_max),
                None,
            ],
        ));
    }
    out
}

/// A limit for JSON: the number, `null` for no limit.
fn limit(n: u64) -> Value {
    num((n != INFINITY).then_some(n))
}

/// The report as one JSON object (no limit: `null`; a cgroup file that is missing: no
/// field; no cgroup: `"cgroup":null`).
pub fn to_json(r: &Report) -> String {
    let counters: Vec<(&str, Value)> = COUNTERS
        .iter()
        .zip(&r.counters)
        .map(|((name, _), s)| {
            let fields = [
                ("current", num(Some(s.usage))),
                ("min", num(Some(s.min))),
                ("max", num(Some(s.max))),
                ("soft", limit(s.soft)),
                ("hard", limit(s.hard)),
                ("hits", num(Some(s.hits))),
                ("soft_hits", num(Some(s.soft_hits))),
            ];
            (*name, Value::Raw(json::object(&fields)))
        })
        .collect();
    let names: Vec<String> = r
        .rlimits
        .iter()
        .map(|&(res, _)| rlimits::name(res))
        .collect();
    let ceilings: Vec<(&str, Value)> = names
        .iter()
        .zip(&r.rlimits)
        .map(|(name, &(_, ceiling))| (name.as_str(), limit(ceiling)))
        .collect();
    let cgroup = match &r.cgroup {
        Some(c) => Value::Raw(cgroup_json(c)),
        None => Value::Null,
    };
    json::object(&[
        ("xid", Value::Num(r.xid.into())),
        ("counters", Value::Raw(json::object(&counters))),
        ("rlimits", Value::Raw(json::object(&ceilings))),
        ("cgroup", cgroup),
    ]) + "\n"
}

/// The cgroup's view as a JSON object: the fields whose files were there.
fn cgroup_json(c: &Stats) -> String {
    let mut fields = vec![("path", Value::Str(c.path.clone()))];
    let mut add = |key, value: Option<Value>| {
        if let Some(v) = value {
            fields.push((key, v));
        }
    };
    add("memory_current", c.memory_current.map(|n| num(Some(n))));
    add("memory_max", c.memory_max.map(limit));
    add("memory_oom", c.oom.map(|n| num(Some(n))));
    add("memory_oom_kill", c.oom_kill.map(|n| num(Some(n))));
    add("cpu_max_quota_usec", c.cpu_max.map(|(q, _)| limit(q)));
    add("cpu_max_period_usec", c.cpu_max.map(|(_, p)| num(Some(p))));
    add("cpu_usage_usec", c.cpu_usage_usec.map(|n| num(Some(n))));
    add("pids_current", c.pids_current.map(|n| num(Some(n))));
    add("pids_max", c.pids_max.map(limit));
    json::object(&fields)
}

/// The rlimit ceilings of `xid` that are set. A resource the module does not know
/// (`EINVAL`) is skipped.
fn rlimit_ceilings(dev: &Device, xid: u32) -> Result<Vec<(u32, u64)>, CliError> {
    let mut set = Vec::new();
    for resource in 0..RLIMIT_COUNT {
        match dev.get_rlimit(xid, resource) {
            Ok(INFINITY) => {}
            Ok(ceiling) => set.push((resource, ceiling)),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {}
            Err(e) => {
                return Err(CliError::kernel(
                    &format!("get the rlimit ceilings of context {xid}"),
                    xid,
                    &e,
                ))
            }
        }
    }
    Ok(set)
}

/// Gathers the report of `xid`.
fn report(dev: &Device, xid: u32) -> Result<Report, CliError> {
    let counters = dev
        .get_limits(xid)
        .map_err(|e| CliError::kernel(&format!("get the limits of context {xid}"), xid, &e))?;
    Ok(Report {
        xid,
        counters,
        rlimits: rlimit_ceilings(dev, xid)?,
        cgroup: Hierarchy::system().and_then(|h| h.stats(xid)),
    })
}

pub fn run(xid: u32, json: bool) -> Result<(), CliError> {
    let dev = device::open()?;
    let r = report(&dev, xid)?;
    print!("{}", if json { to_json(&r) } else { table(&r) });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(usage: u64, soft: u64, hard: u64, hits: u64) -> vs_limit_stat {
        vs_limit_stat {
            usage,
            min: 1,
            max: usage + 2,
            soft,
            hard,
            hits,
            soft_hits: 4,
            reserved: 0,
        }
    }

    fn sample() -> Report {
        Report {
            xid: 42,
            counters: vec![
                stat(3, 100, 200, 0),
                stat(9, INFINITY, INFINITY, 0),
                stat(0, 64, 64, 5),
            ],
            rlimits: vec![(7, 1024), (9, 1 << 30)],
            cgroup: Some(Stats {
                path: "/sys/fs/cgroup/vserver/42".into(),
                memory_current: Some(13_451_264),
                memory_max: Some(256 << 20),
                oom: Some(2),
                oom_kill: Some(1),
                cpu_max: Some((20_000, 100_000)),
                cpu_usage_usec: Some(12_345_678),
                pids_current: Some(3),
                pids_max: Some(INFINITY),
            }),
        }
    }

    fn words(line: &str) -> Vec<&str> {
        line.split_whitespace().collect()
    }

    #[test]
    fn the_table_has_every_limit() {
        let t = table(&sample());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            words(lines[0]),
            ["LIMIT", "CURRENT", "MIN", "MAX", "SOFT", "HARD", "HITS"]
        );
        assert_eq!(words(lines[1]), ["nproc", "3", "1", "5", "100", "200", "0"]);
        assert_eq!(
            words(lines[2]),
            ["nofile", "9", "1", "11", "inf", "inf", "0"]
        );
        assert_eq!(words(lines[3]), ["nsock", "0", "1", "2", "64", "64", "5"]);
        assert_eq!(
            words(lines[4]),
            ["rlimit.NOFILE", "-", "-", "-", "-", "1024", "-"]
        );
        assert_eq!(
            words(lines[5]),
            ["rlimit.AS", "-", "-", "-", "-", "1G", "-"]
        );
        assert_eq!(
            words(lines[6]),
            ["memory", "13136K", "-", "-", "-", "256M", "2"]
        );
        assert_eq!(
            words(lines[7]),
            ["memory.oom_kill", "-", "-", "-", "-", "-", "1"]
        );
        assert_eq!(
            words(lines[8]),
            ["cpu", "12.345s", "-", "-", "-", "20%", "-"]
        );
        assert_eq!(words(lines[9]), ["pids", "3", "-", "-", "-", "inf", "-"]);
        assert_eq!(lines.len(), 10);
    }

    #[test]
    fn without_cgroup_or_ceilings_the_table_is_shorter() {
        let mut r = sample();
        r.cgroup = None;
        r.rlimits.clear();
        assert_eq!(table(&r).lines().count(), 4);
        let mut r = sample();
        r.cgroup = Some(Stats {
            path: "x".into(),
            ..Stats::default()
        });
        let t = table(&r);
        let memory = t.lines().find(|l| l.starts_with("memory ")).unwrap();
        assert_eq!(words(memory), ["memory", "-", "-", "-", "-", "-", "-"]);
    }

    #[test]
    fn json_has_the_same_values() {
        let j = to_json(&sample());
        assert!(j.ends_with("}\n"));
        assert!(j.starts_with(
            r#"{"xid":42,"counters":{"nproc":{"current":3,"min":1,"max":5,"soft":100,"hard":200,"hits":0,"soft_hits":4},"nofile":{"current":9,"min":1,"max":11,"soft":null,"hard":null,"#
        ), "{j}");
        assert!(
            j.contains(r#""rlimits":{"NOFILE":1024,"AS":1073741824},"#),
            "{j}"
        );
        assert!(j.contains(
            r#""cgroup":{"path":"/sys/fs/cgroup/vserver/42","memory_current":13451264,"memory_max":268435456,"memory_oom":2,"memory_oom_kill":1,"cpu_max_quota_usec":20000,"cpu_max_period_usec":100000,"cpu_usage_usec":12345678,"pids_current":3,"pids_max":null}}"#
        ), "{j}");
    }

    #[test]
    fn json_without_cgroup_or_ceilings() {
        let r = Report {
            xid: 3,
            counters: vec![stat(1, 1, 1, 0)],
            ..Report::default()
        };
        assert_eq!(
            to_json(&r),
            "{\"xid\":3,\"counters\":{\"nproc\":{\"current\":1,\"min\":1,\"max\":3,\"soft\":1,\
             \"hard\":1,\"hits\":0,\"soft_hits\":4}},\"rlimits\":{},\"cgroup\":null}\n"
        );
        let mut r = sample();
        r.cgroup = Some(Stats {
            path: "p".into(),
            cpu_max: Some((INFINITY, 100_000)),
            ..Stats::default()
        });
        assert!(to_json(&r).contains(
            r#""cgroup":{"path":"p","cpu_max_quota_usec":null,"cpu_max_period_usec":100000}"#
        ));
    }

    #[test]
    fn cpu_time_is_in_seconds() {
        assert_eq!(format_cpu_time(0), "0.000s");
        assert_eq!(format_cpu_time(999), "0.000s");
        assert_eq!(format_cpu_time(1_500_000), "1.500s");
    }
}
