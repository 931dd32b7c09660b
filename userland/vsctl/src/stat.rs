//! `vsctl stat` (`vserver-stat`): a table, or JSON, of the contexts the caller can see,
//! then of the network contexts (every one from the host, its own from a guest).

use crate::ccaps::{ccap_names, format_ccaps};
use crate::error::CliError;
use crate::flags::{flag_names, format_flags};
use crate::json::{self, Value};
use crate::network::{self, Network};
use crate::{device, netview, sys};
use vserver_uapi::{vs_context_info, Device, VS_STATE_RUNNING, VS_STATE_SETUP};

/// Parses the command line of `stat`: whether to print JSON.
pub fn parse(args: &[String]) -> Result<bool, CliError> {
    crate::cli::parse_json_only(args)
}

/// One context, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub xid: u32,
    pub state: String,
    pub flags: u64,
    pub tasks: u32,
    pub init: i32,
    pub uptime_s: u64,
    pub parent: u32,
    pub bcaps: u64,
    /// The context capabilities.
    pub ccaps: u64,
    pub hits: u64,
}

/// The word for a `VS_STATE_*`.
pub fn state_name(state: u32) -> String {
    match state {
        VS_STATE_SETUP => "setup".into(),
        VS_STATE_RUNNING => "running".into(),
        other => format!("state{other}"),
    }
}

/// The row of `info` and the context capabilities `ccaps`, with `now_ns` on
/// `CLOCK_BOOTTIME`.
pub fn row(info: &vs_context_info, ccaps: u64, now_ns: u64) -> Row {
    Row {
        xid: info.xid,
        state: state_name(info.state),
        flags: info.flags,
        tasks: info.tasks,
        init: info.init_pid,
        uptime_s: now_ns.saturating_sub(info.created_ns) / 1_000_000_000,
        parent: info.parent_xid,
        bcaps: info.bcaps,
        ccaps,
        hits: info.hits,
    }
}

/// An uptime, short: `42s`, `3m07s`, `2h05m`, `4d03h`.
pub fn format_uptime(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86400);
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{m}m{:02}s", secs % 60)
    } else if secs < 86400 {
        format!("{h}h{:02}m", m % 60)
    } else {
        format!("{d}d{:02}h", h % 24)
    }
}

/// The rows as a table with a header line.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:>5} {:<8} {:<19} {:>5} {:>7} {:>7} {:>6} {:>18} {:<20} {:>6}\n",
        "XID", "STATE", "FLAGS", "TASKS", "INIT", "UPTIME", "PARENT", "BCAPS", "CCAPS", "HITS"
    );
    for r in rows {
        let init = if r.init > 0 {
            r.init.to_string()
        } else {
            "-".into()
        };
        out.push_str(&format!(
            "{:>5} {:<8} {:<19} {:>5} {:>7} {:>7} {:>6} {:#018x} {:<20} {:>6}\n",
            r.xid,
            r.state,
            format_flags(r.flags),
            r.tasks,
            init,
            format_uptime(r.uptime_s),
            r.parent,
            r.bcaps,
            format_ccaps(r.ccaps),
            r.hits
        ));
    }
    out
}

/// The rows as JSON objects (uptime in seconds, flags and capabilities as lists of
/// names).
fn context_items(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            json::object(&[
                ("xid", Value::Num(r.xid.into())),
                ("state", Value::Str(r.state.clone())),
                ("flags", Value::List(flag_names(r.flags))),
                ("tasks", Value::Num(r.tasks.into())),
                ("init", Value::Num(r.init.into())),
                ("uptime", Value::Num(r.uptime_s.min(i64::MAX as u64) as i64)),
                ("parent", Value::Num(r.parent.into())),
                ("bcaps", Value::List(crate::caps::cap_names(r.bcaps))),
                ("ccaps", Value::List(ccap_names(r.ccaps))),
                ("hits", Value::Num(r.hits.min(i64::MAX as u64) as i64)),
            ])
        })
        .collect()
}

/// The whole report as one JSON object: `contexts`, and `networks` (see
/// [`netview::to_json`]).
pub fn to_json(rows: &[Row], nets: &[Network]) -> String {
    let contexts = context_items(rows);
    let networks: Vec<String> = nets.iter().map(netview::to_json).collect();
    json::object_of_arrays(&[("contexts", &contexts), ("networks", &networks)])
}

/// The whole report as text: the table of contexts, a blank line and the table of
/// network contexts.
pub fn to_text(rows: &[Row], nets: &[Network]) -> String {
    let mut out = table(rows);
    out.push('\n');
    out.push_str(&netview::stat_table(nets));
    out
}

/// The context capabilities of `xid`; `None` if it is gone.
fn context_caps(dev: &Device, xid: u32) -> Result<Option<u64>, CliError> {
    match dev.get_caps(xid) {
        Ok(caps) => Ok(Some(caps.ccaps)),
        Err(e) if device::is_gone(&e) => Ok(None),
        Err(e) => Err(CliError::kernel(
            &format!("get the capabilities of context {xid}"),
            xid,
            &e,
        )),
    }
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let json = parse(args)?;
    let dev = device::open()?;
    let xids = dev
        .list()
        .map_err(|e| CliError::kernel("list contexts", 0, &e))?;
    let now = sys::boottime_ns()?;
    let mut rows = Vec::new();
    for xid in xids {
        // A context that ended since the list is skipped.
        let Some(info) = device::info_if_exists(&dev, xid)? else {
            continue;
        };
        let Some(ccaps) = context_caps(&dev, xid)? else {
            continue;
        };
        rows.push(row(&info, ccaps, now));
    }
    rows.sort_by_key(|r| r.xid);
    let nets = network::list(&dev)?;
    print!(
        "{}",
        if json {
            to_json(&rows, &nets)
        } else {
            to_text(&rows, &nets)
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;
    use vserver_uapi::{CCAP_RAW_ICMP, CCAP_SET_UTSNAME, CF_PERSISTENT, CF_PROLIFIC};

    fn sample() -> Vec<Row> {
        let info = vs_context_info {
            xid: 42,
            state: VS_STATE_RUNNING,
            flags: CF_PERSISTENT | CF_PROLIFIC,
            tasks: 3,
            init_pid: 1234,
            created_ns: 5_000_000_000,
            parent_xid: 0,
            last_end: 0,
            bcaps: 1,
            hits: 7,
            reserved: 0,
        };
        let setup = vs_context_info {
            xid: 49152,
            state: VS_STATE_SETUP,
            flags: 0,
            init_pid: 0,
            ..info
        };
        vec![
            row(&info, CCAP_RAW_ICMP | CCAP_SET_UTSNAME, 130_500_000_000),
            row(&setup, 0, 1),
        ]
    }

    #[test]
    fn options_parse() {
        assert!(!parse(&strings(&[])).unwrap());
        assert!(parse(&strings(&["--json"])).unwrap());
        assert_eq!(
            parse(&strings(&["-j"])).unwrap_err().to_string(),
            "unknown option '-j'"
        );
        assert_eq!(parse(&strings(&["x"])).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn rows_come_from_info() {
        let rows = sample();
        assert_eq!(rows[0].uptime_s, 125);
        assert_eq!(rows[0].state, "running");
        // A clock behind created_ns does not underflow.
        assert_eq!(rows[1].uptime_s, 0);
        assert_eq!(rows[1].state, "setup");
        assert_eq!(state_name(9), "state9");
    }

    #[test]
    fn uptime_formats() {
        assert_eq!(format_uptime(0), "0s");
        assert_eq!(format_uptime(59), "59s");
        assert_eq!(format_uptime(60), "1m00s");
        assert_eq!(format_uptime(3599), "59m59s");
        assert_eq!(format_uptime(3600), "1h00m");
        assert_eq!(format_uptime(86399), "23h59m");
        assert_eq!(format_uptime(86400), "1d00h");
        assert_eq!(format_uptime(90061), "1d01h");
        assert_eq!(format_uptime(400 * 86400), "400d00h");
    }

    #[test]
    fn table_has_a_header_and_one_line_per_context() {
        let t = table(&sample());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        let head: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            head,
            [
                "XID", "STATE", "FLAGS", "TASKS", "INIT", "UPTIME", "PARENT", "BCAPS", "CCAPS",
                "HITS"
            ]
        );
        let first: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(
            first,
            [
                "42",
                "running",
                "persistent,prolific",
                "3",
                "1234",
                "2m05s",
                "0",
                "0x0000000000000001",
                "SET_UTSNAME,RAW_ICMP",
                "7"
            ]
        );
        let second: Vec<&str> = lines[2].split_whitespace().collect();
        assert_eq!(
            second,
            [
                "49152",
                "setup",
                "-",
                "3",
                "-",
                "0s",
                "0",
                "0x0000000000000001",
                "-",
                "7"
            ]
        );
    }

    #[test]
    fn json_has_the_same_fields() {
        assert_eq!(
            to_json(&[], &[]),
            "{\n  \"contexts\": [],\n  \"networks\": []\n}\n"
        );
        let j = to_json(&sample(), &[]);
        assert!(
            j.starts_with("{\n  \"contexts\": [\n    {\"xid\":42,\"state\":\"running\","),
            "{j}"
        );
        assert!(j.contains(
            r#""flags":["persistent","prolific"],"tasks":3,"init":1234,"uptime":125,"parent":0,"bcaps":["CHOWN"],"ccaps":["SET_UTSNAME","RAW_ICMP"],"hits":7}"#
        ));
        assert!(
            j.contains(r#""bcaps":["CHOWN"],"ccaps":[],"hits":7}"#),
            "{j}"
        );
        assert!(
            j.contains(r#"{"xid":49152,"state":"setup","flags":[],"#),
            "{j}"
        );
        assert!(j.ends_with("}\n  ],\n  \"networks\": []\n}\n"), "{j}");
    }

    fn networks() -> Vec<Network> {
        vec![Network {
            nid: 42,
            tasks: 3,
            flags: 0,
            addrs: vec![crate::netaddr::parse_addr("10.1.0.1/24").unwrap()],
        }]
    }

    #[test]
    fn network_contexts_follow_the_contexts() {
        let j = to_json(&sample(), &networks());
        assert!(
            j.ends_with(
                "  \"networks\": [\n    {\"nid\":42,\"tasks\":3,\"flags\":[],\"addresses\":\
                 [{\"address\":\"10.1.0.1\",\"prefix\":24,\"family\":\"ipv4\",\
                 \"role\":\"primary\"}]}\n  ]\n}\n"
            ),
            "{j}"
        );
        // Only the contexts have an "xid" (scripts count them).
        assert_eq!(j.matches("\"xid\"").count(), 2);

        let t = to_text(&sample(), &[]);
        assert!(t.starts_with(&format!("{}\n", table(&sample()))), "{t}");
        let t = to_text(&sample(), &networks());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[3], "");
        assert!(lines[4].trim_start().starts_with("NID"));
        assert_eq!(
            lines[5].split_whitespace().collect::<Vec<_>>(),
            ["42", "3", "-", "10.1.0.1/24"]
        );
    }
}
