//! This CPU's peak of floating-point operations per thread, for each vector width it
//! runs: the ceiling the GEMM kernel of that width can approach.
//!
//!     cargo run --release --example peak -- [--runs N] [--seconds S]
//!
//! For `f32` and `f64` and each width (scalar; 128-bit, the plain kernel's SSE2; 256-bit
//! AVX2+FMA; 512-bit AVX-512), twelve independent chains of multiply-adds that never
//! touch memory run on this thread, compiled in the same build as the kernel of that
//! width (`backprop::cpu::peak_gflops`). Prints the CPU model, the kernels it runs and
//! the one products use, then one line per type and width: the median GFLOP/s of
//! `--runs` runs (default 7) of about `--seconds` each (default 0.05), and the
//! smallest and largest run. A width the CPU lacks prints `not supported`.

use std::process::ExitCode;

use backprop::Float;
use backprop::cpu::{self, Width};

const USAGE: &str = "usage: peak [--runs N] [--seconds S]
  --runs N     runs per type and width, the median printed (default 7)
  --seconds S  length of one run in seconds (default 0.05)";

fn report<T: Float>(runs: usize, seconds: f64) {
    for width in Width::ALL {
        // One more pass for the spread: min and max of single runs.
        match cpu::peak_gflops::<T>(width, runs, seconds) {
            Some(median) => {
                let singles: Vec<f64> = (0..3)
                    .filter_map(|_| cpu::peak_gflops::<T>(width, 1, seconds))
                    .collect();
                let min = singles.iter().copied().fold(median, f64::min);
                let max = singles.iter().copied().fold(median, f64::max);
                println!(
                    "peak {} {:>7}: {median:7.1} GFLOP/s  (runs {min:.1}–{max:.1})",
                    T::NAME,
                    width.name()
                );
            }
            None => println!("peak {} {:>7}: not supported", T::NAME, width.name()),
        }
    }
}

fn main() -> ExitCode {
    let (mut runs, mut seconds) = (7_usize, 0.05_f64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = |v: Option<String>| v.and_then(|v| v.parse::<f64>().ok());
        match arg.as_str() {
            "--runs" => match value(args.next()) {
                Some(n) if n >= 1.0 && n.fract() == 0.0 => runs = n as usize,
                _ => {
                    eprintln!("--runs: expected a whole number, 1 or more\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--seconds" => match value(args.next()) {
                Some(s) if s > 0.0 && s <= 10.0 => seconds = s,
                _ => {
                    eprintln!("--seconds: expected a number of seconds in (0, 10]\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    println!("cpu: {}", cpu::model());
    println!(
        "kernels this CPU runs: {}; products run on: {}",
        cpu::gemm_kernels().join(", "),
        cpu::gemm_kernel()
    );
    println!("one thread, median of {runs} runs of {seconds} s");
    report::<f32>(runs, seconds);
    report::<f64>(runs, seconds);
    ExitCode::SUCCESS
}
