//! The tool's help texts, all rendered from the command table: `vsctl help`, each
//! command's `--help` and `--version`, and `vsctl --list`.

use crate::commands::{self, Command, COMMANDS, EXIT_STATUS, NOTES};
use crate::error::CliError;
use std::fmt::Write;
use vserver_uapi::{VS_ABI_MAJOR, VS_ABI_MINOR};

/// The width of the name column of `vsctl help` and of the option column of a
/// command's help.
const NAME_WIDTH: usize = 12;
const OPTION_WIDTH: usize = 24;
/// The width the texts are wrapped to.
const WIDTH: usize = 80;

/// `text` in lines of at most [`WIDTH`] columns (longer words stay whole): the first
/// after `lead`, the others indented to its width.
fn wrap(lead: &str, text: &str) -> String {
    let indent = " ".repeat(lead.chars().count());
    let mut out = String::new();
    let mut line = lead.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The usage lines of `c` called as `name`: one for each form of its synopsis.
fn usage_lines<'a>(name: &'a str, c: &'a Command) -> impl Iterator<Item = (&'a str, &'a str)> {
    c.synopsis.split('\n').map(move |form| (name, form))
}

/// `vsctl help`: every command with its synopsis and summary, and the notes.
pub fn overview() -> String {
    let mut out = String::from(
        "usage: vsctl COMMAND [ARGS...]\n   or: COMMAND [ARGS...]   (through a symlink of \
         that name)\n\nCommands:\n",
    );
    for c in COMMANDS {
        let mut lead = format!("  {:<NAME_WIDTH$}", c.name);
        for form in c.synopsis.split('\n').filter(|f| !f.is_empty()) {
            out.push_str(&wrap(&lead, form));
            lead = " ".repeat(NAME_WIDTH + 2);
        }
        out.push_str(&wrap(&lead, c.summary));
    }
    let _ = writeln!(out, "\n{NOTES}\n{EXIT_STATUS}");
    out
}

/// `NAME --help`: the usage, options and description of `c`, called as `name`.
pub fn command(name: &str, c: &Command) -> String {
    let mut out = String::new();
    for (i, (name, form)) in usage_lines(name, c).enumerate() {
        let lead = if i == 0 { "usage: " } else { "       " };
        out.push_str(&wrap(&format!("{lead}{name} "), form));
    }
    if name != c.name || c.links.contains(&name) {
        let _ = writeln!(out, "   (or: vsctl {} ...)", c.name);
    }
    let _ = writeln!(out, "\n{}.", capitalized(c.summary));
    let _ = writeln!(out, "\nOptions:");
    let builtin = [
        ("-h, --help", "print this help"),
        (
            "-V, --version",
            "print the version and the kernel ABI it needs",
        ),
    ];
    let options = c.options.iter().map(|o| (o.spelling, o.help));
    for (spelling, help) in options.chain(builtin) {
        if spelling.len() < OPTION_WIDTH {
            out.push_str(&wrap(&format!("  {spelling:<OPTION_WIDTH$}"), help));
        } else {
            let _ = writeln!(out, "  {spelling}");
            out.push_str(&wrap(&" ".repeat(OPTION_WIDTH + 2), help));
        }
    }
    for para in c.help.split("\n\n").filter(|p| !p.is_empty()) {
        out.push('\n');
        out.push_str(&wrap("", para));
    }
    let _ = writeln!(out, "\n{NOTES}\n{EXIT_STATUS}");
    out
}

/// `NAME --version`: the tool's version and the ABI it needs (what `vsctl version`
/// says without asking the module): a module of the same major version and a minor one
/// no lower (see [`vserver_uapi::Abi::accepts`]).
pub fn version(name: &str) -> String {
    format!(
        "{name}: vsctl {} (ABI {VS_ABI_MAJOR}.{VS_ABI_MINOR})\n\
         needs the vserver kernel module with ABI {VS_ABI_MAJOR}.x, x >= {VS_ABI_MINOR}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// `text` with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Prints `text` to standard output. A reader that went away (`vsctl man x | head`)
/// is no error; other write errors are.
pub fn emit(text: &str) -> Result<(), CliError> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::system("write to standard output", &e))
        }
        _ => Ok(()),
    }
}

/// `vsctl help [COMMAND]`.
pub fn run(args: &[String]) -> Result<(), CliError> {
    match args {
        [] => emit(&overview())?,
        [name] => {
            let c = commands::find(name).ok_or_else(|| commands::unknown(name))?;
            emit(&command(name, c))?;
        }
        [_, extra, ..] => {
            return Err(CliError::usage(format!(
                "help takes one COMMAND, got '{extra}' too"
            )))
        }
    }
    Ok(())
}

/// `vsctl --list`: the names the initramfs links to the binary, one a line.
pub fn run_links(args: &[String]) -> Result<(), CliError> {
    if let Some(extra) = args.first() {
        return Err(CliError::usage(format!(
            "--list takes no arguments, got '{extra}'"
        )));
    }
    let links: String = COMMANDS
        .iter()
        .flat_map(|c| c.links.iter())
        .map(|link| format!("{link}\n"))
        .collect();
    emit(&links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_wrapped_to_80_columns() {
        assert_eq!(wrap("  ab ", "x y"), "  ab x y\n");
        let long = "word ".repeat(40);
        let text = wrap("    ", &long);
        assert!(text
            .lines()
            .all(|l| l.len() <= WIDTH && l.starts_with("    word")));
        assert_eq!(text.matches("word").count(), 40);
        let texts = std::iter::once(overview()).chain(COMMANDS.iter().map(|c| command(c.name, c)));
        for text in texts {
            for line in text.lines() {
                assert!(line.chars().count() <= WIDTH, "{line}");
            }
        }
    }

    #[test]
    fn the_overview_lists_every_command() {
        let text = overview();
        assert!(text.contains("Commands:"));
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in COMMANDS {
            assert!(
                text.contains(&format!("\n  {:<NAME_WIDTH$}", c.name)),
                "{}",
                c.name
            );
            assert!(words.contains(c.summary), "{}", c.name);
        }
        assert!(text.contains("vserver-stat"));
        assert!(text.contains("127 when CMD"));
    }

    #[test]
    fn a_commands_help_names_it_and_every_option() {
        for c in COMMANDS {
            let text = command(c.name, c);
            assert!(text.starts_with(&format!("usage: {}", c.name)), "{text}");
            for o in c.options {
                assert!(text.contains(o.spelling), "{}: {}", c.name, o.spelling);
            }
            assert!(text.contains("--help") && text.contains("--version"));
        }
    }

    #[test]
    fn a_link_name_is_the_usage_name() {
        let stat = commands::find("vserver-stat").unwrap();
        let text = command("vserver-stat", stat);
        assert!(text.starts_with("usage: vserver-stat [--json]\n   (or: vsctl stat ...)"));
        let vcontext = commands::find("vcontext").unwrap();
        let text = command("vcontext", vcontext);
        assert!(
            text.contains("\n       vcontext --endsetup --xid N\n"),
            "{text}"
        );
    }

    #[test]
    fn versions_name_the_abi() {
        let text = version("vkill");
        assert!(text.starts_with(&format!(
            "vkill: vsctl {} (ABI {VS_ABI_MAJOR}.{VS_ABI_MINOR})\n",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(text.ends_with(&format!(
            "\nneeds the vserver kernel module with ABI {VS_ABI_MAJOR}.x, x >= {VS_ABI_MINOR}\n"
        )));
    }

    #[test]
    fn help_takes_one_command() {
        assert!(run(&[]).is_ok());
        assert!(run(&["vkill".to_string()]).is_ok());
        assert_eq!(run(&["frob".to_string()]).unwrap_err().exit_code(), 2);
        let two = ["vkill".to_string(), "x".to_string()];
        assert_eq!(run(&two).unwrap_err().exit_code(), 2);
        assert_eq!(run_links(&two).unwrap_err().exit_code(), 2);
    }
}
