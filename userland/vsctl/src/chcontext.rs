//! `chcontext`: run a command in a new security context, or in an existing persistent one.
//!
//! `chcontext [--xid N] [--flag F]... [--cap [+|-]CAP]... [--ccap [+|-]NAME]...
//! [--secure] [--cgroup] [--hostname NAME] [--disconnect] [--print-xid] -- CMD [ARGS...]`
//!
//! With cgroup v2 at `/sys/fs/cgroup`, a command started from the host in a context with
//! a static id (`--xid`), or with `--cgroup`, runs in the context's cgroup,
//! `/sys/fs/cgroup/vserver/<xid>` (created here; one left from an earlier context with
//! the same id is replaced by a fresh one). Nothing removes it when the context ends:
//! `vlimit --xid N --remove-cgroup` does, or the next `chcontext` that creates a context
//! with that id. A context with an id the module picks gets no cgroup unless asked: such
//! ad-hoc contexts come and go, each with a new id, and would otherwise leave a cgroup
//! behind for every id of the dynamic range, and pay for creating one (a few hundred
//! thousand instructions, more than the context itself). Without cgroup v2, or from a
//! guest (a prolific context's children stay in its cgroup), there is no cgroup step.

use crate::caps::{self, CapEdit};
use crate::cgroup::Hierarchy;
use crate::cli::{parse_hostname, parse_static_xid, Arg, Parser};
use crate::error::CliError;
use crate::flags::parse_flag_edit;
use crate::{ccaps, device, sys};
use vserver_uapi::{
    vs_context_info, Device, BCAPS_DEFAULT, CCAPS_DEFAULT, CF_PERSISTENT, VS_STATE_RUNNING,
    VS_XID_ALLOCATE, VS_XID_HOST,
};

/// What `chcontext` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// A static id; `None`: let the module pick one.
    pub xid: Option<u32>,
    pub flags: u64,
    pub hostname: Option<String>,
    pub disconnect: bool,
    pub print_xid: bool,
    /// `--cgroup`: a cgroup even for a context whose id the module picks.
    pub cgroup: bool,
    /// `--cap` edits of the bounding set, in order.
    pub caps: Vec<CapEdit>,
    /// `--ccap` edits of the context capabilities, in order.
    pub ccaps: Vec<CapEdit>,
    /// `--secure`: start from the default bounding set and context capabilities, even
    /// for an existing context.
    pub secure: bool,
    pub command: Vec<String>,
}

/// Parses the command line of `chcontext`.
pub fn parse(args: &[String]) -> Result<Options, CliError> {
    let mut o = Options {
        xid: None,
        flags: 0,
        hostname: None,
        disconnect: false,
        print_xid: false,
        cgroup: false,
        caps: Vec::new(),
        ccaps: Vec::new(),
        secure: false,
        command: Vec::new(),
    };
    let mut p = Parser::new(args);
    while let Some(arg) = p.next_arg()? {
        match arg {
            Arg::Long("xid") => o.xid = Some(parse_static_xid(&p.value()?)?),
            Arg::Long("flag") => o.flags = parse_flag_edit(&p.value()?)?.apply(o.flags),
            Arg::Long("hostname") => o.hostname = Some(parse_hostname(&p.value()?)?),
            Arg::Long("disconnect") => o.disconnect = true,
            Arg::Long("print-xid") => o.print_xid = true,
            Arg::Long("cgroup") => o.cgroup = true,
            Arg::Long("cap") => o.caps.push(caps::parse_edit(&p.value()?)?),
            Arg::Long("ccap") => o.ccaps.push(ccaps::parse_edit(&p.value()?)?),
            Arg::Long("secure") => o.secure = true,
            Arg::Dashes => {
                o.command = p.rest()?;
                if o.command.is_empty() {
                    return Err(CliError::usage("missing command after '--'"));
                }
                return Ok(o);
            }
            Arg::Word(w) => {
                return Err(CliError::usage(format!(
                    "unexpected argument '{w}' (put the command after '--')"
                )))
            }
            other => return Err(other.unexpected()),
        }
    }
    Err(CliError::usage("missing '-- CMD [ARGS...]'"))
}

/// Creates the context, or finds the persistent context `xid` names. Returns its id and,
/// for an existing context, its info.
fn create_or_find(
    dev: &Device,
    xid: Option<u32>,
    flags: u64,
) -> Result<(u32, Option<vs_context_info>), CliError> {
    let want = xid.unwrap_or(VS_XID_ALLOCATE);
    match dev.create(want, flags) {
        Ok(new) => Ok((new, None)),
        Err(e) if xid.is_some() && e.raw_os_error() == Some(libc::EEXIST) => {
            match device::info_if_exists(dev, want)? {
                Some(info) if info.flags & CF_PERSISTENT != 0 => Ok((want, Some(info))),
                _ => Err(CliError::Failed(format!(
                    "create context: context {want} already exists and is not persistent"
                ))),
            }
        }
        Err(e) => Err(CliError::kernel("create context", want, &e)),
    }
}

/// Sets the capability sets `o` asks for on context `xid` (`existing`: its info, if it
/// was not just created), while it is in setup.
fn set_caps(
    dev: &Device,
    o: &Options,
    xid: u32,
    existing: Option<&vs_context_info>,
) -> Result<(), CliError> {
    if !o.caps.is_empty() || o.secure {
        let base = match existing {
            Some(info) if !o.secure => info.bcaps,
            _ => BCAPS_DEFAULT,
        };
        let bcaps = caps::apply(base, &o.caps);
        let added = existing.map_or(0, |info| bcaps & !info.bcaps);
        dev.set_bcaps(xid, bcaps).map_err(|e| {
            caps::set_error(
                &format!("set the capabilities of context {xid}"),
                xid,
                &caps::cap_names(added),
                &e,
            )
        })?;
    }
    // A new context has the default context capabilities already.
    if !o.ccaps.is_empty() || (o.secure && existing.is_some()) {
        let current = match existing {
            Some(_) => {
                dev.get_caps(xid)
                    .map_err(|e| {
                        CliError::kernel(&format!("get the capabilities of context {xid}"), xid, &e)
                    })?
                    .ccaps
            }
            None => CCAPS_DEFAULT,
        };
        let base = if o.secure { CCAPS_DEFAULT } else { current };
        let ccaps = caps::apply(base, &o.ccaps);
        dev.set_ccaps(xid, ccaps).map_err(|e| {
            caps::set_error(
                &format!("set the context capabilities of context {xid}"),
                xid,
                &ccaps::ccap_names(ccaps & !current),
                &e,
            )
        })?;
    }
    Ok(())
}

/// Moves this process into the cgroup of context `xid`: a fresh one for a `new`
/// context. Only with cgroup v2 mounted, and only from the host: a context a guest
/// creates stays in the guest's cgroup, inside its limits.
fn join_cgroup(dev: &Device, xid: u32, new: bool) -> Result<(), CliError> {
    let Some(cgroups) = Hierarchy::system() else {
        return Ok(());
    };
    let own = dev
        .xid_of(0)
        .map_err(|e| CliError::ioctl("get the caller's context", &e))?;
    if own != VS_XID_HOST {
        return Ok(());
    }
    if new {
        cgroups.recreate(xid)?;
    } else {
        cgroups.create(xid)?;
    }
    cgroups.add_process(xid, std::process::id())
}

/// Sets context `xid` up for `o` and enters it.
fn enter(
    dev: &Device,
    o: &Options,
    xid: u32,
    existing: Option<&vs_context_info>,
) -> Result<(), CliError> {
    set_caps(dev, o, xid, existing)?;
    if o.xid.is_some() || o.cgroup {
        join_cgroup(dev, xid, existing.is_none())?;
    }
    dev.migrate(xid)
        .map_err(|e| CliError::kernel(&format!("migrate into context {xid}"), xid, &e))
}

pub fn run(args: &[String]) -> Result<(), CliError> {
    let o = parse(args)?;
    let dev = device::open()?;
    if let Some(name) = &o.hostname {
        sys::unshare(libc::CLONE_NEWUTS)?;
        sys::sethostname(name)?;
    }
    let (xid, existing) = create_or_find(&dev, o.xid, o.flags)?;
    if let Err(e) = enter(&dev, &o, xid, existing.as_ref()) {
        if existing.is_none() {
            // Best effort: do not leave an empty context behind.
            let _ = dev.remove(xid);
        }
        return Err(e);
    }
    let running = existing.is_some_and(|info| info.state == VS_STATE_RUNNING);
    if !running {
        match dev.end_setup(xid) {
            Ok(()) => {}
            Err(e) if existing.is_some() && e.raw_os_error() == Some(libc::EPERM) => {}
            Err(e) => {
                return Err(CliError::kernel(
                    &format!("end setup of context {xid}"),
                    xid,
                    &e,
                ))
            }
        }
    }
    drop(dev);
    if o.disconnect {
        match sys::fork()? {
            sys::Fork::Parent(_) => return Ok(()),
            sys::Fork::Child => sys::setsid()?,
        }
    }
    if o.print_xid {
        eprintln!("xid {xid}");
    }
    Err(sys::execvp(&o.command))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::strings;
    use vserver_uapi::CF_PROLIFIC;

    fn parse_ok(args: &[&str]) -> Options {
        parse(&strings(args)).unwrap()
    }

    fn parse_err(args: &[&str]) -> String {
        let e = parse(&strings(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        e.to_string()
    }

    #[test]
    fn minimal_command_allocates_an_id() {
        let o = parse_ok(&["--", "/bin/sh", "-c", "echo hi"]);
        assert_eq!(o.xid, None);
        assert_eq!(o.flags, 0);
        assert_eq!(o.command, ["/bin/sh", "-c", "echo hi"]);
        assert!(!o.disconnect && !o.print_xid && !o.cgroup && o.hostname.is_none());
    }

    #[test]
    fn every_option_parses() {
        let o = parse_ok(&[
            "--xid",
            "42",
            "--flag",
            "persistent",
            "--flag=prolific",
            "--hostname",
            "g1",
            "--disconnect",
            "--print-xid",
            "--cgroup",
            "--",
            "init",
            "--",
            "x",
        ]);
        assert_eq!(o.xid, Some(42));
        assert_eq!(o.flags, CF_PERSISTENT | CF_PROLIFIC);
        assert_eq!(o.hostname.as_deref(), Some("g1"));
        assert!(o.disconnect && o.print_xid && o.cgroup);
        assert_eq!(o.command, ["init", "--", "x"]);
    }

    #[test]
    fn xid_must_be_static() {
        assert_eq!(parse_ok(&["--xid", "2", "--", "x"]).xid, Some(2));
        assert_eq!(parse_ok(&["--xid=49151", "--", "x"]).xid, Some(49151));
        assert!(parse_err(&["--xid", "1", "--", "x"]).contains("out of range (2 to 49151)"));
        assert!(parse_err(&["--xid", "49152", "--", "x"]).contains("xid 49152"));
        assert!(parse_err(&["--xid", "abc", "--", "x"]).contains("'abc' is not a number"));
        assert!(parse_err(&["--xid", "--", "x"]).contains("'--' is not a number"));
        assert_eq!(parse_err(&["--xid"]), "option '--xid' needs a value");
    }

    #[test]
    fn bad_flags_hostnames_and_options_are_named() {
        assert!(parse_err(&["--flag", "fast", "--", "x"]).contains("unknown flag 'fast'"));
        assert!(parse_err(&["--hostname", "", "--", "x"]).contains("host name"));
        assert_eq!(parse_err(&["--frob", "--", "x"]), "unknown option '--frob'");
        assert_eq!(
            parse_err(&["--print-xid=1", "--", "x"]),
            "option '--print-xid' takes no value (got '1')"
        );
    }

    #[test]
    fn capability_edits_parse_in_order() {
        let o = parse_ok(&[
            "--cap",
            "+NET_RAW",
            "--cap=-chown",
            "--ccap",
            "raw_icmp",
            "--ccap",
            "+SET_UTSNAME",
            "--ccap=-RAW_ICMP",
            "--secure",
            "--",
            "x",
        ]);
        assert_eq!(o.caps, [CapEdit::Add(13), CapEdit::Remove(0)]);
        assert_eq!(
            o.ccaps,
            [CapEdit::Add(1), CapEdit::Add(0), CapEdit::Remove(1)]
        );
        assert!(o.secure);
        let o = parse_ok(&["--", "x"]);
        assert!(o.caps.is_empty() && o.ccaps.is_empty() && !o.secure);
    }

    #[test]
    fn bad_capability_edits_are_named() {
        assert_eq!(
            parse_err(&["--ccap", "NET_RAW", "--", "x"]),
            "unknown context capability 'NET_RAW' (known: SET_UTSNAME, RAW_ICMP)"
        );
        assert!(parse_err(&["--ccap", "-", "--", "x"]).contains("context capability ''"));
        assert_eq!(parse_err(&["--ccap"]), "option '--ccap' needs a value");
        assert_eq!(
            parse_err(&["--cap", "RAW_ICMP", "--", "x"]),
            "unknown capability 'RAW_ICMP'"
        );
    }

    #[test]
    fn flags_apply_in_order_with_negations() {
        use vserver_uapi::{CF_PERSISTENT, CF_PROLIFIC};
        let o = parse_ok(&[
            "--flag",
            "persistent,prolific",
            "--flag",
            "~prolific",
            "--",
            "x",
        ]);
        assert_eq!(o.flags, CF_PERSISTENT);
        let o = parse_ok(&["--flag=!persistent", "--flag", "prolific", "--", "x"]);
        assert_eq!(o.flags, CF_PROLIFIC);
        let o = parse_ok(&["--cap", "~CAP_NET_RAW", "--ccap", "!SET_UTSNAME", "--", "x"]);
        assert_eq!(o.caps, [CapEdit::Remove(13)]);
        assert_eq!(o.ccaps, [CapEdit::Remove(0)]);
    }

    #[test]
    fn the_command_needs_dashes() {
        assert_eq!(parse_err(&[]), "missing '-- CMD [ARGS...]'");
        assert_eq!(parse_err(&["--xid", "5"]), "missing '-- CMD [ARGS...]'");
        assert_eq!(parse_err(&["--"]), "missing command after '--'");
        assert!(parse_err(&["/bin/sh"]).contains("unexpected argument '/bin/sh'"));
    }
}
