//! One training step of the book's net (784-50-10, batch 100, plain SGD), timed with
//! the same protocol as the peer scripts in `benches/peers/`: 200 warm-up steps, then
//! 5 repetitions of 2,000 steps on one fixed random batch.
//!
//!     cargo run --release --example step_bench -- [--f64] [--threads N]
//!
//! Prints µs per step for each repetition and ends with `median_us_per_step=<value>`.

use std::process::ExitCode;
use std::time::Instant;

use backprop::{Affine, Float, Matrix, Network, Relu, Sgd, SoftmaxWithLoss};
use rand::{Rng, SeedableRng, rngs::StdRng};

const WARMUP: usize = 200;
const REPS: usize = 5;
const STEPS: usize = 2_000;

const USAGE: &str = "usage: step_bench [--f64] [--threads N]
  --f64        run the step in f64 instead of f32
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
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    let mut step = || {
        net.gradient(&mut loss, &x, &labels)
            .expect("labels are below 10 by construction");
        sgd.step(&mut net);
    };
    for _ in 0..WARMUP {
        step();
    }
    (0..REPS)
        .map(|rep| {
            let start = Instant::now();
            for _ in 0..STEPS {
                step();
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / STEPS as f64;
            println!("rep {rep}: {us:.1} us/step");
            us
        })
        .collect()
}

fn main() -> ExitCode {
    let mut f64_mode = false;
    let mut threads = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--f64" => f64_mode = true,
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
    let dtype = if f64_mode { "f64" } else { "f32" };
    println!("step_bench: 784-50-10, batch 100, {dtype}, {threads} thread(s)");
    let run = || if f64_mode { run::<f64>() } else { run::<f32>() };
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
    println!("median_us_per_step={:.1}", times[REPS / 2]);
    ExitCode::SUCCESS
}
