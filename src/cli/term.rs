//! Writing to stdout and stderr without panicking.
//!
//! In: formatted text from the commands (through the `out!`, `outln!`,
//! `err!` and `errln!` macros). Out: the text on the stream, and a record of
//! the first write that failed (a closed pipe, as in `c4c views | head -1`,
//! or a full disk behind a redirection). `print!` would panic on such a
//! failure (exit 101 with a backtrace); here the command carries on writing
//! nothing more to that stream, and [`finish`] turns the failure into a
//! message and exit code 2.

use std::fmt::Arguments;
use std::io::{self, Write};
use std::sync::Mutex;

/// The first failed write to stdout and to stderr.
static FAILED: Mutex<[Option<io::ErrorKind>; 2]> = Mutex::new([None, None]);

#[derive(Clone, Copy)]
enum Stream {
    Out = 0,
    Err = 1,
}

fn failed(s: Stream) -> bool {
    FAILED
        .lock()
        .map(|f| f[s as usize].is_some())
        .unwrap_or(true)
}

fn record(s: Stream, kind: io::ErrorKind) {
    if let Ok(mut f) = FAILED.lock() {
        f[s as usize].get_or_insert(kind);
    }
}

fn write(s: Stream, args: Arguments<'_>) {
    if failed(s) {
        return;
    }
    let result = match s {
        Stream::Out => io::stdout().lock().write_fmt(args),
        Stream::Err => io::stderr().lock().write_fmt(args),
    };
    if let Err(e) = result {
        record(s, e.kind());
    }
}

/// Writes to stdout; used by `out!` and `outln!`.
pub fn write_out(args: Arguments<'_>) {
    write(Stream::Out, args);
}

/// Writes to stderr; used by `err!` and `errln!`.
pub fn write_err(args: Arguments<'_>) {
    write(Stream::Err, args);
}

/// Flushes stdout and gives the exit code of the run: `code`, or 2 with a
/// message on stderr (when it still works) if a write failed.
pub fn finish(code: u8) -> u8 {
    if !failed(Stream::Out)
        && let Err(e) = io::stdout().lock().flush()
    {
        record(Stream::Out, e.kind());
    }
    let [out, err] = FAILED.lock().map(|f| *f).unwrap_or([None, None]);
    if let Some(kind) = out {
        write_err(format_args!(
            "c4c: cannot write to standard output: {}\n",
            describe(kind)
        ));
    }
    if out.is_some() || err.is_some() {
        return super::EXIT_USAGE;
    }
    code
}

fn describe(kind: io::ErrorKind) -> String {
    match kind {
        io::ErrorKind::BrokenPipe => "the reader closed the pipe".into(),
        io::ErrorKind::StorageFull => "no space left on the device".into(),
        other => io::Error::from(other).to_string(),
    }
}

/// `print!` that never panics (see the module documentation).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::term::write_out(format_args!($($arg)*)) };
}

/// `println!` that never panics.
macro_rules! outln {
    () => { $crate::cli::term::write_out(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::cli::term::write_out(format_args!($($arg)*));
        $crate::cli::term::write_out(format_args!("\n"));
    }};
}

/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::term::write_err(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::cli::term::write_err(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::cli::term::write_err(format_args!($($arg)*));
        $crate::cli::term::write_err(format_args!("\n"));
    }};
}

pub(crate) use {err, errln, out, outln};
