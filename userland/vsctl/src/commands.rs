//! The command table: every command the tool answers to, with its names, its help and
//! the function that runs it.
//!
//! Everything that lists or describes the commands comes from here (as uutils'
//! `coreutils.rs` does it): the dispatcher, `vsctl help`, each command's `--help` and
//! `--version`, `vsctl --list` (the links the initramfs makes), `vsctl completions
//! bash` and `vsctl man`. A command added here is reachable, documented and completed
//! at once; one missing here does not exist.

use crate::error::CliError;
use crate::{
    chbind, chcontext, completions, help, man, naddress, remove, setattr, stat, vattribute,
    vcontext, version, vkill, vlimit, vps, vserver, vwait,
};

/// One option of a command, for its help, man page and completion.
pub struct Opt {
    /// How it is written, with its value: `--xid N`, `-s, --signal SIG`.
    pub spelling: &'static str,
    /// What it does, in one line.
    pub help: &'static str,
}

/// One command.
pub struct Command {
    /// The name after `vsctl`, and of a link to the binary.
    pub name: &'static str,
    /// Other names that run it (as `vsctl ALIAS` or through a link of that name).
    pub aliases: &'static [&'static str],
    /// The names the initramfs links to the binary for it (`vsctl --list`).
    pub links: &'static [&'static str],
    /// What it does, in one line.
    pub summary: &'static str,
    /// Its arguments, after its name; one line for each form it has.
    pub synopsis: &'static str,
    /// Its options (each command also takes `-h`/`--help` and `-V`/`--version`).
    pub options: &'static [Opt],
    /// What the help and the man page say beyond the options (paragraphs split by an
    /// empty line).
    pub help: &'static str,
    /// Runs it with its arguments (those after its name).
    pub run: fn(&[String]) -> Result<(), CliError>,
}

impl Command {
    /// Whether `name` runs this command.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }

    /// Its option names (`-s`, `--signal`, ...), as the completion offers them.
    pub fn option_names(&self) -> impl Iterator<Item = &'static str> {
        self.options
            .iter()
            .flat_map(|o| o.spelling.split([' ', ',']))
            .filter(|w| w.starts_with('-') && w.len() > 1)
            .chain(["--help", "--version"])
    }
}

/// The common notes of `vsctl help` and the man pages.
pub const NOTES: &str = "\
Flags F: persistent, prolific. Context capabilities NAME: SET_UTSNAME, RAW_ICMP.
A sign before a capability, context capability or flag: + (or none) adds it;
-, ~ or ! removes it (--bcap '~CAP_NET_RAW', as in util-vserver).
Addresses: IPv4 or IPv6, PREFIX defaults to 32 or 128; the first of each family
is the primary one; --lback sets the address 127.0.0.1 and ::1 stand for.
Limit values: a number or inf/unlimited; SIZE takes K, M, G. A new context's xid
is 2..49151; others 0..65535 (nids 2..65535).
Every command takes -h/--help (its usage) and -V/--version.";

/// The exit statuses, for `vsctl help` and the man pages.
pub const EXIT_STATUS: &str = "\
Exit status: 0 on success, 1 when the kernel refused or the module is
missing, 2 on a usage error; vserver status: 3 when stopped; 127 when CMD
cannot be executed.";

const XID: Opt = Opt {
    spelling: "--xid N",
    help: "the context (0..65535)",
};
const JSON: Opt = Opt {
    spelling: "--json",
    help: "print JSON instead of a table",
};

/// Every command, in the order `vsctl help` lists them.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "version",
        aliases: &["--version", "-V"],
        links: &[],
        summary: "print the tool's version and the kernel module's ABI version",
        synopsis: "",
        options: &[],
        help: "Prints the tool's version and the ABI it was built for, then asks the \
               module for its ABI; fails (exit 1) when the module is missing or its ABI \
               does not fit (a tool built for ABI M.n needs a module of ABI M.x with x \
               >= n; every command refuses another one).",
        run: version::run,
    },
    Command {
        name: "chcontext",
        aliases: &[],
        links: &["chcontext"],
        summary: "run CMD in a new security context (or an existing persistent one)",
        synopsis: "[--xid N] [--flag F]... [--cap [+|-]CAP]... [--ccap [+|-]NAME]... \
                   [--secure] [--cgroup] [--hostname H] [--disconnect] [--print-xid] \
                   -- CMD...",
        options: &[
            Opt {
                spelling: "--xid N",
                help: "a static id (2..49151); without it the module picks one; an \
                       existing persistent context N is entered",
            },
            Opt {
                spelling: "--flag F[,F]...",
                help: "flags of the new context (persistent, prolific; ~F: not F)",
            },
            Opt {
                spelling: "--cap [+|-|~]CAP",
                help: "add or remove CAP (CHOWN, CAP_NET_RAW, ...) in the bounding set",
            },
            Opt {
                spelling: "--ccap [+|-|~]NAME",
                help: "add or remove a context capability (SET_UTSNAME, RAW_ICMP)",
            },
            Opt {
                spelling: "--secure",
                help: "start from the default sets, even for an existing context",
            },
            Opt {
                spelling: "--cgroup",
                help: "a cgroup even for a context whose id the module picks",
            },
            Opt {
                spelling: "--hostname H",
                help: "a new UTS namespace with host name H",
            },
            Opt {
                spelling: "--disconnect",
                help: "run CMD in the background, in a new session",
            },
            Opt {
                spelling: "--print-xid",
                help: "print 'xid N' on standard error before running CMD",
            },
        ],
        help: "Creates a context (or finds the persistent context --xid names), sets \
               its capabilities, moves this process into it and runs CMD there.\n\n\
               With cgroup v2 at /sys/fs/cgroup, a command started from the host in a \
               context with a static id (--xid), or with --cgroup, runs in the \
               context's cgroup, /sys/fs/cgroup/vserver/XID; 'vlimit --xid N \
               --remove-cgroup' removes it.",
        run: chcontext::run,
    },
    Command {
        name: "chbind",
        aliases: &[],
        links: &["chbind"],
        summary: "run CMD in a new network context (or an existing persistent one)",
        synopsis: "[--nid N] [--ip ADDR[/PREFIX]]... [--lback ADDR] [--persistent] \
                   [--print-nid] -- CMD...",
        options: &[
            Opt {
                spelling: "--nid N",
                help: "a static id (2..49151); alone, enter the persistent network \
                       context N",
            },
            Opt {
                spelling: "--ip ADDR[/PREFIX]",
                help: "an address of the network context (the first of each family \
                       is the primary one)",
            },
            Opt {
                spelling: "--lback ADDR",
                help: "the address 127.0.0.1 and ::1 stand for",
            },
            Opt {
                spelling: "--persistent",
                help: "the network context stays when its last task ends",
            },
            Opt {
                spelling: "--print-nid",
                help: "print 'nid N' on standard error before running CMD",
            },
        ],
        help: "Creates a network context with the addresses given, moves this process \
               into it for good and runs CMD. Entering a network context takes root in \
               the host context, so chbind goes before chcontext: \
               'chbind --ip 10.1.0.1 -- chcontext -- sh'.",
        run: chbind::run,
    },
    Command {
        name: "naddress",
        aliases: &[],
        links: &["naddress"],
        summary: "change a network context's addresses, or list them",
        synopsis: "--nid N (--add|--remove) ADDR[/PREFIX]... [--lback ADDR]\n\
                   --nid N [--json]",
        options: &[
            Opt {
                spelling: "--nid N",
                help: "the network context (2..65535)",
            },
            Opt {
                spelling: "--add",
                help: "add the addresses (all of them or none)",
            },
            Opt {
                spelling: "--remove",
                help: "remove the addresses (each must be there; a prefix is ignored)",
            },
            Opt {
                spelling: "--lback ADDR",
                help: "the loopback address to add or remove",
            },
            Opt {
                spelling: "--json",
                help: "list the addresses as JSON",
            },
        ],
        help: "Without --add or --remove, lists the addresses. Sockets already bound \
               keep their address when it is removed.",
        run: naddress::run,
    },
    Command {
        name: "vcontext",
        aliases: &[],
        links: &["vcontext"],
        summary: "the steps of chcontext one at a time",
        synopsis: "--create [--xid N] [--flag F]...\n\
                   --migrate --xid N -- CMD...\n\
                   --endsetup --xid N",
        options: &[
            Opt {
                spelling: "--create",
                help: "create a context and print its id",
            },
            Opt {
                spelling: "--migrate",
                help: "enter context --xid N and run CMD",
            },
            Opt {
                spelling: "--endsetup",
                help: "end the setup state of context --xid N",
            },
            Opt {
                spelling: "--xid N",
                help: "the context (for --create a static id, 2..49151)",
            },
            Opt {
                spelling: "--flag F[,F]...",
                help: "flags of the new context (persistent, prolific; ~F: not F)",
            },
        ],
        help: "",
        run: vcontext::run,
    },
    Command {
        name: "vkill",
        aliases: &[],
        links: &["vkill"],
        summary: "send a signal (default TERM) to every process of a context",
        synopsis: "--xid N [-s SIG]",
        options: &[
            XID,
            Opt {
                spelling: "-s, --signal SIG",
                help: "the signal, by name (KILL, SIGHUP, usr1) or number: -s9, -s KILL",
            },
        ],
        help: "",
        run: vkill::run,
    },
    Command {
        name: "vwait",
        aliases: &[],
        links: &["vwait"],
        summary: "wait until a context ends; print exit/restart/halt/poweroff/removed",
        synopsis: "--xid N",
        options: &[XID],
        help: "",
        run: vwait::run,
    },
    Command {
        name: "vattribute",
        aliases: &[],
        links: &["vattribute"],
        summary: "change a context's flags and capability sets",
        synopsis: "--xid N [--set-flag F]... [--clear-flag F]... [--bcap [+|-]CAP]... \
                   [--ccap [+|-]NAME]...",
        options: &[
            XID,
            Opt {
                spelling: "--set-flag F[,F]...",
                help: "set flags (~F: clear F)",
            },
            Opt {
                spelling: "--clear-flag F[,F]...",
                help: "clear flags",
            },
            Opt {
                spelling: "--bcap [+|-|~]CAP",
                help: "add or remove CAP in the bounding set (adding only in setup)",
            },
            Opt {
                spelling: "--ccap [+|-|~]NAME",
                help: "add or remove a context capability (adding only in setup)",
            },
        ],
        help: "",
        run: vattribute::run,
    },
    Command {
        name: "vlimit",
        aliases: &[],
        links: &["vlimit"],
        summary: "set a context's limits; with only --xid N, show them",
        synopsis: "--xid N [--nproc|--nofile|--nsock SOFT:HARD|HARD]... \
                   [--rlimit NAME=VALUE]... [--memory SIZE] [--cpu PCT%] [--pids N] \
                   [--reset] [--remove-cgroup]\n\
                   --xid N [--json]",
        options: &[
            XID,
            Opt {
                spelling: "--nproc SOFT:HARD|HARD",
                help: "the context's tasks",
            },
            Opt {
                spelling: "--nofile SOFT:HARD|HARD",
                help: "the context's open files",
            },
            Opt {
                spelling: "--nsock SOFT:HARD|HARD",
                help: "the context's sockets",
            },
            Opt {
                spelling: "--rlimit NAME=VALUE",
                help: "the ceiling of an rlimit (NOFILE=1024, RLIMIT_AS=inf)",
            },
            Opt {
                spelling: "--memory SIZE",
                help: "the cgroup's memory.max",
            },
            Opt {
                spelling: "--cpu PCT%",
                help: "the cgroup's CPU share (100% per online CPU)",
            },
            Opt {
                spelling: "--pids N",
                help: "the cgroup's pids.max",
            },
            Opt {
                spelling: "--reset",
                help: "reset the min, max and hits of the counters",
            },
            Opt {
                spelling: "--remove-cgroup",
                help: "remove the context's cgroup",
            },
            Opt {
                spelling: "--json",
                help: "show the limits as JSON",
            },
        ],
        help: "The counters (--nproc, --nofile, --nsock) and rlimit ceilings are the \
               module's; --memory, --cpu and --pids are written to the context's \
               cgroup, /sys/fs/cgroup/vserver/XID (created if missing), and need \
               cgroup v2.",
        run: vlimit::run,
    },
    Command {
        name: "stat",
        aliases: &["vserver-stat"],
        links: &["vserver-stat"],
        summary: "the contexts and network contexts (also as vserver-stat)",
        synopsis: "[--json]",
        options: &[JSON],
        help: "",
        run: stat::run,
    },
    Command {
        name: "remove",
        aliases: &[],
        links: &[],
        summary: "remove a context or network context without tasks",
        synopsis: "--xid N\n--nid N",
        options: &[
            XID,
            Opt {
                spelling: "--nid N",
                help: "the network context (2..65535)",
            },
        ],
        help: "",
        run: remove::run,
    },
    Command {
        name: "vps",
        aliases: &[],
        links: &["vps"],
        summary: "the processes with their contexts",
        synopsis: "[--json]",
        options: &[JSON],
        help: "",
        run: vps::run,
    },
    Command {
        name: "setattr",
        aliases: &[],
        links: &["setattr"],
        summary: "mark or unmark chroot barriers",
        synopsis: "--barrier DIR...\n--~barrier DIR...",
        options: &[
            Opt {
                spelling: "--barrier",
                help: "mark the directories as barriers",
            },
            Opt {
                spelling: "--~barrier, --no-barrier",
                help: "unmark them",
            },
        ],
        help: "",
        run: setattr::run_set,
    },
    Command {
        name: "showattr",
        aliases: &[],
        links: &["showattr"],
        summary: "show whether directories are barriers",
        synopsis: "DIR...",
        options: &[],
        help: "",
        run: setattr::run_show,
    },
    Command {
        name: "vserver",
        aliases: &[],
        links: &["vserver"],
        summary: "start, stop, enter... the guests of /etc/vservers",
        synopsis: "NAME start|stop|restart|status|enter|exec CMD...|run",
        options: &[],
        help: "Each guest is a directory /etc/vservers/NAME. 'status' exits 0 when \
               the guest runs and 3 when it is stopped.",
        run: vserver::run,
    },
    Command {
        name: "help",
        aliases: &["--help", "-h"],
        links: &[],
        summary: "print this help, or a command's",
        synopsis: "[COMMAND]",
        options: &[],
        help: "",
        run: help::run,
    },
    Command {
        name: "links",
        aliases: &["--list"],
        links: &[],
        summary: "print the names to link to the binary, one a line",
        synopsis: "",
        options: &[],
        help: "The initramfs makes these links (vsctl --list).",
        run: help::run_links,
    },
    Command {
        name: "completions",
        aliases: &[],
        links: &[],
        summary: "print a shell completion script for the tool and its links",
        synopsis: "bash",
        options: &[],
        help: "Load it with: source <(vsctl completions bash)",
        run: completions::run,
    },
    Command {
        name: "man",
        aliases: &[],
        links: &[],
        summary: "print a command's man page (roff); without COMMAND, vsctl's",
        synopsis: "[COMMAND]",
        options: &[],
        help: "Read it with: vsctl man chcontext | man -l -",
        run: man::run,
    },
];

/// The command `name` runs, if any.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.answers_to(name))
}

/// The error for a name no command answers to.
pub fn unknown(name: &str) -> CliError {
    CliError::usage(format!("unknown command '{name}' (try 'vsctl help')"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all);
    }

    #[test]
    fn every_link_runs_its_command() {
        for c in COMMANDS {
            for link in c.links {
                assert!(c.answers_to(link), "{link}");
            }
        }
    }

    #[test]
    fn the_links_are_the_classic_tool_names() {
        let links: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|c| c.links.iter().copied())
            .collect();
        assert_eq!(
            links,
            [
                "chcontext",
                "chbind",
                "naddress",
                "vcontext",
                "vkill",
                "vwait",
                "vattribute",
                "vlimit",
                "vserver-stat",
                "vps",
                "setattr",
                "showattr",
                "vserver",
            ]
        );
    }

    #[test]
    fn every_command_is_described() {
        for c in COMMANDS {
            assert!(!c.summary.is_empty(), "{}", c.name);
            assert!(!c.summary.ends_with('.'), "{}", c.name);
            for o in c.options {
                assert!(o.spelling.starts_with('-'), "{}: {}", c.name, o.spelling);
                assert!(!o.help.is_empty(), "{}: {}", c.name, o.spelling);
            }
        }
    }

    #[test]
    fn synopses_mention_only_listed_options() {
        for c in COMMANDS {
            let known: Vec<&str> = c.option_names().collect();
            for word in c.synopsis.split([' ', '[', ']', '(', ')', '|', '\n']) {
                let name = word.split('=').next().unwrap_or(word);
                if name.starts_with('-') && name.len() > 1 && name != "--" {
                    assert!(known.contains(&name), "{}: {name}", c.name);
                }
            }
        }
    }

    #[test]
    fn option_names_come_from_the_spellings() {
        let vkill = find("vkill").unwrap();
        let names: Vec<&str> = vkill.option_names().collect();
        assert_eq!(names, ["--xid", "-s", "--signal", "--help", "--version"]);
        let setattr = find("setattr").unwrap();
        assert!(setattr.option_names().any(|n| n == "--~barrier"));
        assert!(setattr.option_names().any(|n| n == "--no-barrier"));
    }

    #[test]
    fn aliases_find_their_command() {
        assert_eq!(find("vserver-stat").unwrap().name, "stat");
        assert_eq!(find("--list").unwrap().name, "links");
        assert_eq!(find("-V").unwrap().name, "version");
        assert!(find("frobnicate").is_none());
        assert_eq!(unknown("x").exit_code(), 2);
    }
}
