//! `vattribute --xid N [--set-flag F]... [--clear-flag F]... [--bcap [+|-]CAP]...
//! [--ccap [+|-]NAME]...`: change a context's flags, bounding set and context
//! capabilities.

use crate::caps::{self, CapEdit};
use crate::cli::{parse_xid, require_xid, Arg, Parser};
use crate::error::CliError;
use crate::flags::{format_flags, parse_flag_edit};
use crate::{ccaps, device};
use vserver_uapi::Device;

/// What `vattribute` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub xid: u32,
    pub set: u64,
    pub clear: u64,
    /// `--bcap` edits of the bounding set, in order.
    pub bcaps: Vec<CapEdit>,
    /// `--ccap` edits of the context capabilities, in order.
    pub ccaps: Vec<CapEdit>,
}

/// Parses the command line of `vattribute`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    let (mut xid, mut set, mut clear) = (None, 0, 0);
    let (mut bcaps, mut ccaps) = (Vec::new(), Vec::new());
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("xid") => xid = Some(parse_xid(&p.value()?)?),
            // `~F` (or `!F`, `-F`) in the list clears F, as util-vserver's `--flag ~F`.
            Arg::Long("set-flag") => {
                let edit = parse_flag_edit(&p.value()?)?;
                (set, clear) = (set | edit.set, clear | edit.clear);
            }
            // A negated name in a list of flags to clear is one to set.
            Arg::Long("clear-flag") => {
                let edit = parse_flag_edit(&p.value()?)?;
                (set, clear) = (set | edit.clear, clear | edit.set);
            }
            Arg::Long("bcap") => bcaps.push(caps::parse_edit(&p.value()?)?),
            Arg::Long("ccap") => ccaps.push(ccaps::parse_edit(&p.value()?)?),
            other => return Err(other.unexpected()),
        }
    }
    let xid = require_xid(xid)?;
    if set == 0 && clear == 0 && bcaps.is_empty() && ccaps.is_empty() {
        return Err(CliError::usage(
            "nothing to change: give --set-flag F, --clear-flag F, --bcap CAP or --ccap NAME",
        ));
    }
    if set & clear != 0 {
        return Err(CliError::usage(format!(
            "flag {} is both set and cleared",
            format_flags(set & clear)
        )));
    }
    Ok(Options {
        xid,
        set,
        clear,
        bcaps,
        ccaps,
    })
}

/// Applies the `--bcap` and `--ccap` edits to the sets the context has now.
fn edit_caps(dev: &Device, o: &Options) -> Result<(), CliError> {
    let xid = o.xid;
    let now = dev.get_caps(xid).map_err(|e| {
        CliError::kernel(&format!("get the capabilities of context {xid}"), xid, &e)
    })?;
    if !o.bcaps.is_empty() {
        dev.set_bcaps(xid, caps::apply(now.bcaps, &o.bcaps))
            .map_err(|e| {
                caps::set_error(
                    &format!("set the bounding set of context {xid}"),
                    xid,
                    &caps::cap_names(caps::added(now.bcaps, &o.bcaps)),
                    &e,
                )
            })?;
    }
    if !o.ccaps.is_empty() {
        dev.set_ccaps(xid, caps::apply(now.ccaps, &o.ccaps))
            .map_err(|e| {
                caps::set_error(
                    &format!("set the context capabilities of context {xid}"),
                    xid,
                    &ccaps::ccap_names(caps::added(now.ccaps, &o.ccaps)),
                    &e,
                )
            })?;
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    let dev = device::open()?;
    if o.set != 0 || o.clear != 0 {
        dev.set_flags(o.xid, o.set, o.clear)
            .map_err(|e| CliError::kernel(&format!("set flags of context {}", o.xid), o.xid, &e))?;
    }
    if !o.bcaps.is_empty() || !o.ccaps.is_empty() {
        edit_caps(&dev, &o)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;
    use vserver_uapi::{CF_PERSISTENT, CF_PROLIFIC};

    fn err(a: &[&str]) -> String {
        let e = parse(&strings(a)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn flags_to_set_and_clear() {
        let o = parse(&strings(&[
            "--xid",
            "3",
            "--set-flag",
            "persistent",
            "--clear-flag=prolific",
        ]));
        assert_eq!(
            o.unwrap(),
            Options {
                xid: 3,
                set: CF_PERSISTENT,
                clear: CF_PROLIFIC,
                bcaps: Vec::new(),
                ccaps: Vec::new(),
            }
        );
        let o = parse(&strings(&[
            "--clear-flag",
            "persistent,prolific",
            "--xid",
            "3",
        ]));
        assert_eq!(o.unwrap().clear, CF_PERSISTENT | CF_PROLIFIC);
    }

    #[test]
    fn capability_edits_alone_or_with_flags() {
        let o = parse(&strings(&[
            "--xid",
            "4",
            "--bcap",
            "-NET_BIND_SERVICE",
            "--bcap=+cap_mknod",
            "--ccap",
            "RAW_ICMP",
            "--ccap=-set_utsname",
        ]))
        .unwrap();
        assert_eq!((o.set, o.clear), (0, 0));
        assert_eq!(o.bcaps, [CapEdit::Remove(10), CapEdit::Add(27)]);
        assert_eq!(o.ccaps, [CapEdit::Add(1), CapEdit::Remove(0)]);
        let o = parse(&strings(&["--xid", "4", "--ccap", "+raw_icmp"])).unwrap();
        assert!(o.bcaps.is_empty());
        let o = parse(&strings(&[
            "--xid",
            "4",
            "--bcap",
            "KILL",
            "--set-flag",
            "prolific",
        ]));
        assert_eq!(o.unwrap().set, CF_PROLIFIC);
    }

    #[test]
    fn util_vserver_negations_remove_capabilities() {
        let o = parse(&strings(&[
            "--xid",
            "3",
            "--bcap",
            "~CAP_NET_RAW",
            "--bcap=!MKNOD",
            "--ccap",
            "~RAW_ICMP",
        ]))
        .unwrap();
        assert_eq!(o.bcaps, [CapEdit::Remove(13), CapEdit::Remove(27)]);
        assert_eq!(o.ccaps, [CapEdit::Remove(1)]);
        assert_eq!(
            err(&["--xid", "3", "--bcap", "~NOPE"]),
            "unknown capability 'NOPE'"
        );
    }

    #[test]
    fn negated_flags_clear_and_set() {
        let o = parse(&strings(&[
            "--xid",
            "3",
            "--set-flag",
            "persistent,~prolific",
        ]))
        .unwrap();
        assert_eq!((o.set, o.clear), (CF_PERSISTENT, CF_PROLIFIC));
        let o = parse(&strings(&["--xid", "3", "--clear-flag", "!persistent"])).unwrap();
        assert_eq!((o.set, o.clear), (CF_PERSISTENT, 0));
        assert_eq!(
            err(&[
                "--xid",
                "3",
                "--set-flag",
                "persistent",
                "--set-flag",
                "~persistent"
            ]),
            "flag persistent is both set and cleared"
        );
        assert!(err(&["--xid", "3", "--set-flag", "~bogus"]).contains("unknown flag 'bogus'"));
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(err(&["--set-flag", "persistent"]), "missing --xid N");
        assert_eq!(err(&["--ccap", "RAW_ICMP"]), "missing --xid N");
        assert!(err(&["--xid", "3"]).starts_with("nothing to change"));
        assert!(err(&["--xid", "3", "--set-flag", "bogus"]).contains("unknown flag 'bogus'"));
        assert_eq!(
            err(&[
                "--xid",
                "3",
                "--set-flag",
                "persistent",
                "--clear-flag",
                "persistent"
            ]),
            "flag persistent is both set and cleared"
        );
        assert!(err(&["--xid", "99999", "--set-flag", "prolific"]).contains("out of range"));
        assert_eq!(
            err(&["--xid", "3", "--flag", "prolific"]),
            "unknown option '--flag'"
        );
        assert_eq!(
            err(&["--xid", "3", "--bcap", "FLY"]),
            "unknown capability 'FLY'"
        );
        assert_eq!(
            err(&["--xid", "3", "--ccap", "+FLY"]),
            "unknown context capability 'FLY' (known: SET_UTSNAME, RAW_ICMP)"
        );
        assert_eq!(
            err(&["--xid", "3", "--bcap"]),
            "option '--bcap' needs a value"
        );
        assert_eq!(
            err(&["--xid", "3", "--cap", "KILL"]),
            "unknown option '--cap'"
        );
    }
}
