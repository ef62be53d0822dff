//! One training step of the book's net (784-50-10, batch 100, plain SGD), timed with
//! the same protocol as the peer scripts in `benches/peers/`: 200 warm-up steps, then
//! 5 repetitions of 2,000 steps on one fixed random batch.
//!
//!     cargo run --release --example step_bench -- [--f64] [--threads N] [--convnet]
//!
//! `--all-kernels` runs the same benchmark once per kernel this CPU runs (each in a
//! process of its own, `BACKPROP_GEMM` set), three alternated rounds, and prints each
//! kernel's median against the default kernel's: the check that the kernel chosen by
//! default is the fastest here.
//!
//! `--convnet` times the book's SimpleConvNet instead (section 7.5; Adam, batch 100;
//! see `convnet.rs`), 10 warm-up steps and 5 repetitions of 50 steps: each step is 27
//! times the dense one's work.
//!
//! Prints µs per step for each repetition; then the CPU model, the GEMM kernel that ran
//! (`backprop::cpu::gemm_kernel`, capped by `BACKPROP_GEMM=plain|avx2|avx512`) and,
//! for the `f32` SimpleConvNet, the convolution forward's (`backprop::cpu::conv_kernel`;
//! its filter gradient runs the GEMM's), the step's floating-point operations and
//! rate, and its share of this machine's peak
//! for that kernel's vector width (measured here by a short probe on one thread,
//! `backprop::cpu::peak_gflops`, times the threads); and ends with
//! `median_us_per_step=<value>`. A bad `BACKPROP_GEMM` stops it (exit 2).
//!
//! The operations counted are those of the five matrix products the step computes,
//! 2 per multiply-add: `X·W1` (100×784·784×50), `H·W2` (100×50·50×10), `dY2·W2ᵀ`
//! (100×10·10×50), `Hᵀ·dY2` (50×100·100×10) and `Xᵀ·dY1` (784×100·100×50), 15.98
//! MFLOP; not the first layer's input gradient, which the step skips, nor the
//! element-wise work (bias, ReLU, softmax, update: under 1%).
//!
//! The step is `Network::gradient`'s work and SGD's update, through buffers made once
//! (the network's workspace for a batch of 100 and ∂L/∂scores), so no step allocates:
//! `Layer::forward`, `Loss::backward`, `Layer::backward_params`, `Sgd::step`.

mod convnet;
mod kernels;

use std::process::ExitCode;
use std::time::Instant;

use backprop::cpu::{self, Width};
use backprop::{Affine, Float, Layer, Loss, Matrix, Network, Params, Relu, Sgd, SoftmaxWithLoss};
use rand::{Rng, SeedableRng, rngs::StdRng};

const WARMUP: usize = 200;
const REPS: usize = 5;
const STEPS: usize = 2_000;

/// Multiply-adds of the step's five products (see the module documentation).
const MULTIPLY_ADDS: usize =
    100 * 784 * 50 + 100 * 50 * 10 + 100 * 10 * 50 + 50 * 100 * 10 + 784 * 100 * 50;

const USAGE: &str = "usage: step_bench [--f64] [--threads N] [--convnet] [--all-kernels]
  --f64        run the step in f64 instead of f32
  --convnet    time the book's SimpleConvNet (conv, pool, 4320-100-10, Adam) instead
  --all-kernels  run the benchmark on every kernel this CPU runs, alternated, and
               compare each with the default kernel
  --threads N  split the step's two large products across N threads
               (backprop::threads::with_threads); 1, the default, is the peers' protocol";

fn run<T: Float>() -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net = (
        Affine::<784, 50, T>::random(0.01, &mut rng),
        Relu::new(),
        Affine::<50, 10, T>::random(0.01, &mut rng),
    );
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random::<f64>()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    // The step's buffers, made once: the network's workspace and ∂L/∂scores.
    let mut work = net.workspace::<Matrix<100, 784, T>>();
    let mut dscores = Matrix::<100, 10, T>::zeros();
    let mut step = || {
        // `Network::gradient` on the buffers above: forward, the loss and ∂L/∂scores,
        // backward without the input's gradient; then the update.
        let scores = net.forward(&x, &mut work);
        let value = loss
            .backward(scores, &labels, &mut dscores)
            .expect("labels are below 10 by construction");
        net.backward_params(&x, &dscores, &mut work);
        let value = value + T::from_f64(net.penalty());
        sgd.step(&mut net);
        value
    };
    time(&mut step, WARMUP, REPS, STEPS)
}

/// The protocol: `warmup` untimed steps, then `reps` repetitions of `steps` steps, each
/// timed as a whole and printed; µs a step of each repetition.
fn time<T>(step: &mut impl FnMut() -> T, warmup: usize, reps: usize, steps: usize) -> Vec<f64> {
    for _ in 0..warmup {
        std::hint::black_box(step());
    }
    (0..reps)
        .map(|rep| {
            let start = Instant::now();
            for _ in 0..steps {
                std::hint::black_box(step());
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / steps as f64;
            println!("rep {rep}: {us:.1} us/step");
            us
        })
        .collect()
}

fn main() -> ExitCode {
    let mut f64_mode = false;
    let mut conv = false;
    let mut threads = 1;
    let mut all_kernels = false;
    let given: Vec<String> = std::env::args().skip(1).collect();
    let mut args = given.iter().cloned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--f64" => f64_mode = true,
            "--convnet" => conv = true,
            "--all-kernels" => all_kernels = true,
            "--threads" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n @ 1..) => threads = n,
                _ => {
                    eprintln!("--threads: expected a number of threads, 1 or more\n{USAGE}");
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
    if all_kernels {
        let rest: Vec<String> = given.into_iter().filter(|a| a != "--all-kernels").collect();
        return match kernels::compare(&rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("step_bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let kernel = match cpu::gemm_kernel_checked() {
        Ok(kernel) => kernel,
        Err(e) => {
            eprintln!("step_bench: {e}");
            return ExitCode::from(2);
        }
    };
    let dtype = if f64_mode { "f64" } else { "f32" };
    let (net, multiply_adds, products) = if conv {
        let what = "its products; no dX for the convolution";
        ("SimpleConvNet, Adam", convnet::MULTIPLY_ADDS, what)
    } else {
        let what = "its five products; no dX for the first layer";
        ("784-50-10", MULTIPLY_ADDS, what)
    };
    println!("step_bench: {net}, batch 100, {dtype}, {threads} thread(s)");
    let run = || match (conv, f64_mode) {
        (false, false) => run::<f32>(),
        (false, true) => run::<f64>(),
        (true, false) => convnet::run::<f32>(10, REPS, 50),
        (true, true) => convnet::run::<f64>(10, REPS, 50),
    };
    let mut times = if threads == 1 {
        run()
    } else {
        match backprop::threads::with_threads(threads, run) {
            Ok(times) => times,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    };
    times.sort_by(f64::total_cmp);
    let median = times[REPS / 2];
    let flops = 2.0 * multiply_adds as f64;
    let gflops = flops / (median * 1e-6) / 1e9;
    let width = Width::of_kernel(kernel).expect("gemm_kernel names a kernel");
    let peak = if f64_mode {
        cpu::peak_gflops::<f64>(width, 5, 0.02)
    } else {
        cpu::peak_gflops::<f32>(width, 5, 0.02)
    }
    .expect("the probe runs the kernel's own width");
    println!("cpu: {}", cpu::model());
    println!(
        "kernel: {kernel} ({} vectors; {})",
        width.name(),
        cpu::gemm_kernel_reason()
    );
    if conv && !f64_mode {
        println!(
            "convolution kernel: forward {} (backprop::cpu::conv_kernel), filter gradient {kernel}",
            cpu::conv_kernel()
        );
    }
    println!(
        "step: {:.2} MFLOP (2 x the multiply-adds of {products})",
        flops / 1e6
    );
    println!(
        "rate: {gflops:.1} GFLOP/s = {:.0}% of this machine's measured {} {dtype} peak, {:.1} GFLOP/s ({threads} x {:.1} per thread)",
        100.0 * gflops / (peak * threads as f64),
        width.name(),
        peak * threads as f64,
        peak
    );
    println!("median_us_per_step={median:.1}");
    ExitCode::SUCCESS
}
