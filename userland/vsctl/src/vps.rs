//! `vps [--json]`: the processes the caller can see, with the context of each.

use crate::device;
use crate::error::CliError;
use crate::json::{self, Value};
use std::fs;

/// Parses the command line of `vps`: whether to print JSON.
pub fn parse(args: &[String]) -> Result<bool, CliError> {
    crate::cli::parse_json_only(args)
}

/// One process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub xid: u32,
    pub state: String,
    pub command: String,
}

/// Parses `/proc/PID/stat` up to the state: `(pid, comm, state)`. The name may hold
/// spaces and parentheses, so it ends at the last `)`.
pub fn parse_stat(text: &str) -> Option<(i32, String, String)> {
    let open = text.find(" (")?;
    let close = text.rfind(") ")?;
    if close < open {
        return None;
    }
    let pid = text[..open].parse().ok()?;
    let comm = text[open + 2..close].to_string();
    let state = text[close + 2..].split_whitespace().next()?.to_string();
    Some((pid, comm, state))
}

/// The command line from `/proc/PID/cmdline` (arguments split by NUL), or `[comm]` when
/// it is empty (kernel threads, zombies).
pub fn format_cmdline(raw: &[u8], comm: &str) -> String {
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    if args.is_empty() {
        format!("[{comm}]")
    } else {
        args.join(" ")
    }
}

/// The processes as a table with a header line.
pub fn table(procs: &[Proc]) -> String {
    let mut out = format!(
        "{:>7} {:>7} {:<4} {}\n",
        "PID", "CONTEXT", "STAT", "COMMAND"
    );
    for p in procs {
        out.push_str(&format!(
            "{:>7} {:>7} {:<4} {}\n",
            p.pid, p.xid, p.state, p.command
        ));
    }
    out
}

/// The processes as a JSON array.
pub fn to_json(procs: &[Proc]) -> String {
    let items: Vec<String> = procs
        .iter()
        .map(|p| {
            json::object(&[
                ("pid", Value::Num(p.pid.into())),
                ("context", Value::Num(p.xid.into())),
                ("stat", Value::Str(p.state.clone())),
                ("command", Value::Str(p.command.clone())),
            ])
        })
        .collect();
    json::array(&items)
}

/// The pids under `/proc`.
fn pids() -> Result<Vec<i32>, CliError> {
    let dir = fs::read_dir("/proc").map_err(|e| CliError::system("read /proc", &e))?;
    let mut pids: Vec<i32> = dir
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&pid| pid > 0)
        .collect();
    pids.sort_unstable();
    Ok(pids)
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let json = parse(args)?;
    let dev = device::open()?;
    let mut procs = Vec::new();
    for pid in pids()? {
        // A process that ended meanwhile is skipped.
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((_, comm, state)) = parse_stat(&stat) else {
            continue;
        };
        let raw = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let xid = match dev.xid_of(pid) {
            Ok(xid) => xid,
            Err(e) if device::is_gone(&e) => continue,
            Err(e) => return Err(CliError::system(&format!("context of pid {pid}"), &e)),
        };
        procs.push(Proc {
            pid,
            xid,
            state,
            command: format_cmdline(&raw, &comm),
        });
    }
    print!("{}", if json { to_json(&procs) } else { table(&procs) });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    #[test]
    fn options_parse() {
        assert!(!parse(&strings(&[])).unwrap());
        assert!(parse(&strings(&["--json"])).unwrap());
        assert_eq!(
            parse(&strings(&["aux"])).unwrap_err().to_string(),
            "unexpected argument 'aux'"
        );
        assert_eq!(parse(&strings(&["--json=1"])).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn stat_lines_parse_even_with_odd_names() {
        assert_eq!(
            parse_stat("1 (init) S 0 1 1 0 -1"),
            Some((1, "init".into(), "S".into()))
        );
        assert_eq!(
            parse_stat("77 (a) b (c)) R 1 2"),
            Some((77, "a) b (c)".into(), "R".into()))
        );
        assert_eq!(parse_stat("5 (x y) Z"), Some((5, "x y".into(), "Z".into())));
        assert_eq!(parse_stat(""), None);
        assert_eq!(parse_stat("x (a) S 1"), None);
        assert_eq!(parse_stat("5 (a)"), None);
        assert_eq!(parse_stat("5 (a) "), None);
    }

    #[test]
    fn command_lines_join_arguments() {
        assert_eq!(
            format_cmdline(b"/bin/sh\0-c\0echo hi\0", "sh"),
            "/bin/sh -c echo hi"
        );
        assert_eq!(format_cmdline(b"", "kworker/0:1"), "[kworker/0:1]");
        assert_eq!(format_cmdline(b"a\xffb\0", "x"), "a\u{fffd}b");
    }

    #[test]
    fn output_formats() {
        let procs = vec![Proc {
            pid: 1,
            xid: 0,
            state: "S".into(),
            command: "init \"x\"".into(),
        }];
        let t = table(&procs);
        assert_eq!(t.lines().count(), 2);
        assert!(t.starts_with("    PID CONTEXT STAT COMMAND\n"), "{t}");
        assert!(t.contains("      1       0 S    init \"x\"\n"), "{t}");
        assert_eq!(
            to_json(&procs),
            "[\n  {\"pid\":1,\"context\":0,\"stat\":\"S\",\"command\":\"init \\\"x\\\"\"}\n]\n"
        );
    }
}
