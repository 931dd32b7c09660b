//! `vsctl man [COMMAND]`: a man page in roff (`man -l -` reads it), from the command
//! table; without COMMAND, the page of vsctl itself, which lists every command.

use crate::commands::{self, Command, COMMANDS, EXIT_STATUS, NOTES};
use crate::error::CliError;
use crate::help::{capitalized, emit};
use std::fmt::Write;

/// The man section: system administration.
const SECTION: &str = "8";

/// `text` safe in roff: backslashes and dashes escaped, no line starting with a
/// control character.
fn escape(text: &str) -> String {
    let body = text.replace('\\', "\\e").replace('-', "\\-");
    body.lines()
        .map(|line| {
            if line.starts_with(['.', '\'']) {
                format!("\\&{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page header: `.TH`, NAME.
fn header(out: &mut String, name: &str, summary: &str) {
    let _ = writeln!(
        out,
        ".TH {} {SECTION} \"\" \"vsctl {}\" \"vserver-rs\"\n.SH NAME\n{} \\- {}",
        name.to_uppercase(),
        env!("CARGO_PKG_VERSION"),
        escape(name),
        escape(summary)
    );
}

/// The paragraphs of `text` (split by empty lines), as `.PP` blocks.
fn paragraphs(out: &mut String, text: &str) {
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, ".PP\n{}", escape(para));
    }
}

/// The common tail: notes, exit status, see also.
fn footer(out: &mut String, except: &str) {
    let _ = writeln!(out, ".SH NOTES");
    paragraphs(out, NOTES);
    let _ = writeln!(out, ".SH EXIT STATUS");
    paragraphs(out, &EXIT_STATUS.replace("Exit status: ", ""));
    let others: Vec<String> = std::iter::once("vsctl")
        .chain(COMMANDS.iter().flat_map(|c| c.links.iter().copied()))
        .filter(|n| *n != except)
        .map(|n| format!("\\fB{}\\fR({SECTION})", escape(n)))
        .collect();
    let _ = writeln!(out, ".SH SEE ALSO\n{}", others.join(",\n"));
}

/// The man page of `c`.
pub fn page(c: &Command) -> String {
    let mut out = String::new();
    header(&mut out, c.name, c.summary);
    let _ = writeln!(out, ".SH SYNOPSIS");
    for (i, form) in c.synopsis.split('\n').enumerate() {
        if i > 0 {
            let _ = writeln!(out, ".br");
        }
        let _ = writeln!(out, ".B {}", escape(c.name));
        if !form.is_empty() {
            let _ = writeln!(out, "{}", escape(form));
        }
    }
    let _ = writeln!(out, ".br\n.B vsctl {}\n{}", escape(c.name), escape("..."));
    let _ = writeln!(out, ".SH DESCRIPTION");
    paragraphs(&mut out, &format!("{}.", capitalized(c.summary)));
    paragraphs(&mut out, c.help);
    let _ = writeln!(out, ".SH OPTIONS");
    let builtin = [
        ("-h, --help", "Print the usage and exit."),
        (
            "-V, --version",
            "Print the version and the kernel ABI it needs.",
        ),
    ];
    for (spelling, help) in c
        .options
        .iter()
        .map(|o| (o.spelling, o.help))
        .chain(builtin)
    {
        let _ = writeln!(out, ".TP\n.B {}\n{}", escape(spelling), escape(help));
    }
    footer(&mut out, c.name);
    out
}

/// The man page of vsctl itself: the commands, each with its summary.
pub fn overview() -> String {
    let mut out = String::new();
    header(
        &mut out,
        "vsctl",
        "the vserver-rs control tool (one binary, util-vserver's tool names)",
    );
    let _ = writeln!(
        out,
        ".SH SYNOPSIS\n.B vsctl\nCOMMAND [ARGS...]\n.br\n.I COMMAND\n[ARGS...]\n\
         .SH DESCRIPTION\n.PP\nOne static binary; called through a link named after a \
         command, it runs that command.\n.SH COMMANDS"
    );
    for c in COMMANDS {
        let _ = writeln!(out, ".TP\n.B {}\n{}", escape(c.name), escape(c.summary));
    }
    footer(&mut out, "vsctl");
    out
}

/// `vsctl man [COMMAND]`.
pub fn run(args: &[String]) -> Result<(), CliError> {
    match args {
        [] => emit(&overview())?,
        [name] if name == "vsctl" => emit(&overview())?,
        [name] => {
            let c = commands::find(name).ok_or_else(|| commands::unknown(name))?;
            emit(&page(c))?;
        }
        [_, extra, ..] => {
            return Err(CliError::usage(format!(
                "man takes one COMMAND, got '{extra}' too"
            )))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_is_escaped() {
        assert_eq!(escape("--xid N"), "\\-\\-xid N");
        assert_eq!(escape("a\\b"), "a\\eb");
        assert_eq!(escape(".x\n'y\nz"), "\\&.x\n\\&'y\nz");
    }

    #[test]
    fn every_command_has_a_page_with_its_sections() {
        for c in COMMANDS {
            let text = page(c);
            assert!(text.starts_with(&format!(".TH {} 8 ", c.name.to_uppercase())));
            for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS"] {
                assert!(
                    text.contains(&format!("\n.SH {section}\n")),
                    "{}: {section}",
                    c.name
                );
            }
            for o in c.options {
                assert!(
                    text.contains(&escape(o.spelling)),
                    "{}: {}",
                    c.name,
                    o.spelling
                );
            }
            // Every line is text or a request roff knows.
            for line in text.lines() {
                if let Some(req) = line.strip_prefix('.') {
                    let req = req.split(' ').next().unwrap_or("");
                    assert!(
                        ["TH", "SH", "PP", "TP", "B", "I", "br"].contains(&req),
                        "{line}"
                    );
                }
                assert!(!line.starts_with('\''), "{line}");
            }
        }
    }

    #[test]
    fn the_overview_lists_the_commands() {
        let text = overview();
        assert!(text.starts_with(".TH VSCTL 8 "));
        for c in COMMANDS {
            assert!(
                text.contains(&format!(".B {}\n", escape(c.name))),
                "{}",
                c.name
            );
        }
        assert!(text.contains("\\fBchcontext\\fR(8)"));
    }

    #[test]
    fn man_takes_one_command() {
        assert!(run(&[]).is_ok());
        assert!(run(&crate::cli::strings(&["vsctl"])).is_ok());
        assert!(run(&crate::cli::strings(&["vkill"])).is_ok());
        assert_eq!(
            run(&crate::cli::strings(&["frob"]))
                .unwrap_err()
                .to_string(),
            "unknown command 'frob' (try 'vsctl help')"
        );
        assert_eq!(
            run(&crate::cli::strings(&["a", "b"]))
                .unwrap_err()
                .exit_code(),
            2
        );
    }
}
