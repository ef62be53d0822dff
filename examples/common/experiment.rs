//! The command line every chapter-6 experiment shares: a count of at least 1
//! (`--iters N` or `--epochs N`), `--seed N`, `--plot PATH` (default
//! `out/NAME.svg`, or `$BACKPROP_OUT/NAME.svg`) and `--help`; and how `main` ends:
//! 0, 1 with `error: …` when the run fails, 2 with the usage for a bad argument.

use std::path::PathBuf;
use std::process::ExitCode;

/// One experiment's command line.
pub struct Cli {
    /// The text `--help` prints.
    pub usage: &'static str,
    /// The count's flag without dashes: `iters` or `epochs`.
    pub count_flag: &'static str,
    /// The count when the flag is not given (the book's).
    pub default_count: usize,
    /// The name of the default SVG, without `.svg`.
    pub name: &'static str,
}

/// The parsed command line.
pub struct Args {
    /// The value of `--iters` or `--epochs` (see [`Cli::count_flag`]).
    pub count: usize,
    /// Seed of the initial weights and of the batches.
    pub seed: u64,
    /// The SVG to write.
    pub plot: PathBuf,
}

/// Parses the command line and runs `run`, ending as the module says.
pub fn main(cli: Cli, run: impl FnOnce(&Args) -> Result<(), String>) -> ExitCode {
    match parse(&cli) {
        Ok(None) => {
            println!("{}", cli.usage);
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{}", cli.usage);
            ExitCode::from(2)
        }
    }
}

/// Parses the command line; `Ok(None)` is `--help`.
fn parse(cli: &Cli) -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let out = std::env::var_os("BACKPROP_OUT").map_or_else(|| PathBuf::from("out"), PathBuf::from);
    let mut args = Args {
        count: cli.default_count,
        seed: 0,
        plot: out.join(format!("{}.svg", cli.name)),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long(flag) if flag == cli.count_flag => {
                args.count = parser.value()?.parse()?;
                if args.count == 0 {
                    return Err(format!("--{} must be at least 1", cli.count_flag).into());
                }
            }
            Long("seed") => args.seed = parser.value()?.parse()?,
            Long("plot") => args.plot = parser.value()?.into(),
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Some(args))
}
