//! The built binary, as a user runs it: through its links, with --help, --version,
//! --list, completions and man pages. Nothing here needs /dev/vserver.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_vsctl");

/// A directory with a link to the binary for each of `names`.
fn links(tag: &str, names: &[String]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vsctl-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in names {
        std::os::unix::fs::symlink(BIN, dir.join(name)).unwrap();
    }
    dir
}

fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap()
}

fn vsctl(args: &[&str]) -> Output {
    run(Path::new(BIN), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// `vsctl --list`: the link names.
fn link_names() -> Vec<String> {
    let o = vsctl(&["--list"]);
    assert!(o.status.success());
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn list_prints_the_classic_names() {
    assert_eq!(
        link_names().join(" "),
        "chcontext chbind naddress vcontext vkill vwait vattribute vlimit vserver-stat vps \
         setattr showattr vserver"
    );
}

#[test]
fn every_link_answers_help_and_version() {
    let names = link_names();
    let dir = links("help", &names);
    for name in &names {
        for flag in ["--help", "-h"] {
            let o = run(&dir.join(name), &[flag]);
            assert_eq!(o.status.code(), Some(0), "{name} {flag}: {}", stderr(&o));
            assert!(stdout(&o).starts_with(&format!("usage: {name} ")), "{name}");
            assert!(stderr(&o).is_empty(), "{name}");
        }
        let o = run(&dir.join(name), &["--version"]);
        assert_eq!(o.status.code(), Some(0), "{name}");
        assert!(stdout(&o).starts_with(&format!("{name}: vsctl ")), "{name}");
        assert!(stdout(&o).contains("ABI"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn vsctl_commands_answer_help() {
    for cmd in [
        "chcontext",
        "stat",
        "remove",
        "version",
        "help",
        "man",
        "completions",
    ] {
        let o = vsctl(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        assert!(stdout(&o).contains(cmd), "{cmd}");
    }
    // Once "unknown option '--help'" with exit 2.
    let o = vsctl(&["chcontext", "--help"]);
    assert!(stdout(&o).contains("--print-xid"));
    let o = vsctl(&["help", "vkill"]);
    assert!(stdout(&o).starts_with("usage: vkill --xid N [-s SIG]\n"));
}

#[test]
fn the_overview_and_its_errors() {
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let o = vsctl(args);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("Commands:"));
    }
    let o = vsctl(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Commands:"));
    let o = vsctl(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "vsctl: unknown command 'frobnicate' (try 'vsctl help')\n"
    );
}

#[test]
fn usage_errors_name_the_argument_and_exit_2() {
    let dir = links("usage", &["vkill".into(), "chcontext".into()]);
    for (tool, args, message) in [
        (
            "vkill",
            &["--xid", "5", "-sNOPE"][..],
            "vkill: unknown signal 'NOPE'\n",
        ),
        (
            "vkill",
            &["--xid", "5", "-9"],
            "vkill: unknown option '-9'\n",
        ),
        (
            "vkill",
            &["--xid", "5", "-s"],
            "vkill: option '-s' needs a value\n",
        ),
        (
            "chcontext",
            &["--cap", "~NOPE", "--", "true"],
            "chcontext: unknown capability 'NOPE'\n",
        ),
        (
            "chcontext",
            &["--print-xid=1", "--", "true"],
            "chcontext: option '--print-xid' takes no value (got '1')\n",
        ),
    ] {
        let o = run(&dir.join(tool), args);
        assert_eq!(o.status.code(), Some(2), "{tool} {args:?}");
        assert_eq!(stderr(&o), message, "{tool} {args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn man_pages_for_every_command() {
    let o = vsctl(&["man"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with(".TH VSCTL 8 "));
    for name in link_names() {
        let o = vsctl(&["man", &name]);
        assert!(o.status.success(), "{name}");
        assert!(stdout(&o).contains("\n.SH OPTIONS\n"), "{name}");
    }
    assert_eq!(vsctl(&["man", "frob"]).status.code(), Some(2));
}

#[test]
fn man_pages_render_without_warnings() {
    use std::io::Write;
    for name in std::iter::once("vsctl".to_string()).chain(link_names()) {
        let page = vsctl(&["man", &name]).stdout;
        let groff = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        // Without groff there is nothing to render with.
        let Ok(mut groff) = groff else { return };
        groff.stdin.take().unwrap().write_all(&page).unwrap();
        let o = groff.wait_with_output().unwrap();
        assert!(o.status.success(), "{name}");
        assert_eq!(stderr(&o), "", "{name}");
    }
}

/// What the bash completion offers for `words` (the last one being completed).
fn complete(script: &Path, words: &str) -> Option<String> {
    let line = format!(
        "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
         _vsctl; echo \"${{COMPREPLY[*]}}\"",
        script.display()
    );
    let o = Command::new("bash").args(["-c", &line]).output().ok()?;
    assert!(o.status.success(), "{}", stderr(&o));
    Some(stdout(&o).trim().to_string())
}

#[test]
fn bash_completion_offers_commands_and_options() {
    let o = vsctl(&["completions", "bash"]);
    assert!(o.status.success());
    let dir = links("bash", &[]);
    let script = dir.join("vsctl.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    // Without bash there is nothing to run it with.
    let Some(commands) = complete(&script, "vsctl vk") else {
        return;
    };
    assert_eq!(commands, "vkill");
    assert_eq!(
        complete(&script, "vkill --xid 5 -").unwrap(),
        "--xid -s --signal --help --version"
    );
    assert_eq!(
        complete(&script, "vsctl chcontext --print").unwrap(),
        "--print-xid"
    );
    assert_eq!(complete(&script, "vserver-stat --j").unwrap(), "--json");
    assert_eq!(complete(&script, "vsctl man chb").unwrap(), "chbind");
    assert_eq!(complete(&script, "vsctl completions b").unwrap(), "bash");
    let o = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(vsctl(&["completions", "zsh"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
