//! `c4c help [COMMAND]`: the help of c4c or of one command.
//!
//! clap's own help subcommand takes no options, so `c4c help --help` was an
//! error ("unrecognized subcommand"); this one is an ordinary command.
//! In: a command name (or none). Out: the same text as `c4c COMMAND --help`
//! on stdout.

use std::io::IsTerminal;

use clap::{Args, CommandFactory};

use super::term::{errln, out};
use super::{Cli, EXIT_OK, EXIT_USAGE};

/// Every subcommand's name, for `c4c help NAME` (a test checks it against
/// the subcommands clap knows).
pub const COMMANDS: [&str; 9] = [
    "build",
    "check",
    "views",
    "diff",
    "fmt",
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

/// The long help of `command` (of c4c when `None`), with ANSI styles when
/// `styled`; `None` for a name that is no command.
pub fn text(command: Option<&str>, styled: bool) -> Option<String> {
    let mut cli = Cli::command();
    // Building sets each subcommand's usage line to `c4c NAME`.
    cli.build();
    let cmd = match command {
        None => &mut cli,
        Some(name) => cli.find_subcommand_mut(name)?,
    };
    let help = cmd.render_long_help();
    Some(if styled {
        help.ansi().to_string()
    } else {
        help.to_string()
    })
}
