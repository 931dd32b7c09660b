//! `setattr --barrier DIR...` / `setattr --~barrier DIR...` and `showattr DIR...`: the
//! chroot barrier mark of directories (util-vserver's names; `--no-barrier` is accepted
//! for `--~barrier`).

use crate::cli::{Arg, Parser};
use crate::device;
use crate::error::CliError;
use std::fs::File;
use std::os::fd::AsRawFd;
use vserver_uapi::{VS_BARRIER_CLEAR, VS_BARRIER_GET, VS_BARRIER_SET};

/// Parses `setattr`: the operation and the directories.
pub fn parse_set(args: &[String]) -> Result<(u32, Vec<String>), CliError> {
    let mut op = None;
    let mut dirs = Vec::new();
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("barrier") => op = Some(VS_BARRIER_SET),
            Arg::Long("~barrier") | Arg::Long("no-barrier") => op = Some(VS_BARRIER_CLEAR),
            Arg::Word(w) => dirs.push(w),
            Arg::Dashes => dirs.extend(p.rest()?),
            other => return Err(other.unexpected()),
        }
    }
    let op = op.ok_or_else(|| CliError::usage("say --barrier or --~barrier"))?;
    if dirs.is_empty() {
        return Err(CliError::usage("missing DIR"));
    }
    Ok((op, dirs))
}

/// Parses `showattr`: the directories.
pub fn parse_show(args: &[String]) -> Result<Vec<String>, CliError> {
    let mut dirs = Vec::new();
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Word(w) => dirs.push(w),
            Arg::Dashes => dirs.extend(p.rest()?),
            other => return Err(other.unexpected()),
        }
    }
    if dirs.is_empty() {
        return Err(CliError::usage("missing DIR"));
    }
    Ok(dirs)
}

/// Applies `op` to `dir`; returns whether it is a barrier afterwards.
fn apply(dev: &vserver_uapi::Device, dir: &str, op: u32) -> Result<bool, CliError> {
    let file = File::open(dir).map_err(|e| CliError::Failed(format!("{dir}: {e}")))?;
    dev.barrier(file.as_raw_fd(), op)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ENOTDIR) => CliError::Failed(format!("{dir}: not a directory")),
            Some(libc::EPERM) => CliError::Failed(format!(
                "{dir}: permission denied (need root in the host context)"
            )),
            _ => CliError::Failed(format!("{dir}: {e}")),
        })
}

pub fn run_set(args: &[String]) -> Result<(), CliError> {
    let (op, dirs) = parse_set(args)?;
    let dev = device::open()?;
    for dir in &dirs {
        apply(&dev, dir, op)?;
    }
    Ok(())
}

pub fn run_show(args: &[String]) -> Result<(), CliError> {
    let dirs = parse_show(args)?;
    let dev = device::open()?;
    for dir in &dirs {
        let mark = if apply(&dev, dir, VS_BARRIER_GET)? {
            "barrier"
        } else {
            "-"
        };
        println!("{mark:<8} {dir}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;

    #[test]
    fn setattr_needs_an_operation_and_a_directory() {
        let (op, dirs) = parse_set(&strings(&["--barrier", "/a", "/b"])).unwrap();
        assert_eq!((op, dirs.len()), (VS_BARRIER_SET, 2));
        let (op, _) = parse_set(&strings(&["--~barrier", "/a"])).unwrap();
        assert_eq!(op, VS_BARRIER_CLEAR);
        let (op, _) = parse_set(&strings(&["--no-barrier", "/a"])).unwrap();
        assert_eq!(op, VS_BARRIER_CLEAR);
        assert_eq!(parse_set(&strings(&["/a"])).unwrap_err().exit_code(), 2);
        assert_eq!(
            parse_set(&strings(&["--barrier"])).unwrap_err().exit_code(),
            2
        );
        assert_eq!(
            parse_set(&strings(&["--bogus", "/a"]))
                .unwrap_err()
                .exit_code(),
            2
        );
    }

    #[test]
    fn showattr_needs_a_directory() {
        assert_eq!(parse_show(&strings(&["/a"])).unwrap(), ["/a"]);
        assert_eq!(parse_show(&strings(&[])).unwrap_err().exit_code(), 2);
    }
}
