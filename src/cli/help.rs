//! `c4c help [COMMAND]`: the help of c4c or of one command.
//!
//! clap's own help subcommand takes no options, so `c4c help --help` was an
//! error ("unrecognized subcommand"); this one is an ordinary command.
//! In: a command name (or none). Out: the same text as `c4c COMMAND --help`
//! on stdout.

use std::io::IsTerminal;

use clap::{Args, Parser};

use super::term::{errln, out};
use super::{Cli, EXIT_OK, EXIT_USAGE};

/// Every subcommand's name, for `c4c help NAME` (a test checks it against
/// the subcommands clap knows).
pub const COMMANDS: [&str; 12] = [
    "build",
    "check",
    "serve",
    "views",
    "diff",
    "import",
    "fmt",
    "lsp",
    "init",
    "completions",
    "man",
    "help",
];

/// The end of `c4c help --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c help              the commands of c4c
  c4c help build        the options and examples of `c4c build` (same as `c4c build --help`)

Exit codes:
  0  the help was printed
  2  usage error (an unknown command), or stdout cannot be written";

#[derive(Args, Debug)]
pub struct HelpCommand {
    /// The command to explain (none: c4c itself)
    #[arg(value_name = "COMMAND", value_parser = COMMANDS)]
    pub command: Option<String>,
}

impl HelpCommand {
    pub fn run(self) -> u8 {
        let Some(text) = text(self.command.as_deref(), std::io::stdout().is_terminal()) else {
            // Unreachable through clap (the names are checked), kept as an error.
            errln!("c4c: no such command; try `c4c help`");
            return EXIT_USAGE;
        };
        out!("{text}");
        EXIT_OK
    }
}

/// What `c4c COMMAND --help` prints (`c4c --help` when `None`), with ANSI
/// styles when `styled`; `None` for a name that is no command. clap itself
/// renders it, from the same parse of `--help`, so the two never differ.
pub fn text(command: Option<&str>, styled: bool) -> Option<String> {
    let mut argv = vec!["c4c"];
    argv.extend(command);
    argv.push("--help");
    match Cli::try_parse_from(argv) {
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            let help = e.render();
            Some(if styled {
                help.ansi().to_string()
            } else {
                help.to_string()
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn commands_are_the_subcommands() {
        let names: Vec<String> = super::Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, super::COMMANDS);
    }
}
