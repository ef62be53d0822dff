//! `step_bench --all-kernels`: the same step on every kernel this CPU runs, each in a
//! process of its own (`BACKPROP_GEMM` is read once per process), alternated over
//! rounds, so that the kernel chosen by default can be checked against the others.

use std::process::Command;

use backprop::cpu;

/// Rounds of one run per kernel, alternated.
const ROUNDS: usize = 3;

/// Runs this program again with `args` (without `--all-kernels`) once per kernel and
/// round, and prints each kernel's median step time against the default's.
pub fn compare(args: &[String]) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let kernels = cpu::gemm_kernels();
    let default = cpu::gemm_kernel();
    println!(
        "all kernels: {} ({ROUNDS} alternated rounds); default: {default} ({})",
        kernels.join(", "),
        cpu::gemm_kernel_reason()
    );
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); kernels.len()];
    for round in 1..=ROUNDS {
        for (kernel, times) in kernels.iter().zip(&mut times) {
            let value = match *kernel {
                "avx2+fma" => "avx2",
                other => other,
            };
            let out = Command::new(&me)
                .args(args)
                .env("BACKPROP_GEMM", value)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", me.display()))?;
            let text = String::from_utf8_lossy(&out.stdout);
            let median = text
                .lines()
                .find_map(|line| line.strip_prefix("median_us_per_step="))
                .and_then(|v| v.parse::<f64>().ok())
                .ok_or_else(|| {
                    format!("the {kernel} run printed no median (exit {})", out.status)
                })?;
            println!("round {round}: {kernel:>8} {median:>10.1} us/step");
            times.push(median);
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect();
    let reference = kernels
        .iter()
        .position(|k| *k == default)
        .map(|i| medians[i])
        .ok_or("the default kernel is not among the CPU's kernels")?;
    for (kernel, median) in kernels.iter().zip(&medians) {
        let mark = if *kernel == default { " (default)" } else { "" };
        println!(
            "kernel {kernel:>8}: median {median:.1} us/step, {:.2}x the default's time{mark}",
            median / reference
        );
    }
    Ok(())
}
